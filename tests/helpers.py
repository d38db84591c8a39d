"""What the engine tests share: a large dataset to kill loads in, counts of the tiny one,
``kg stats`` in this process, processes and engines on this machine, and readiness waits
(a condition polled until it holds, never a fixed sleep)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store import StoreConfig, open_store

PROGRESS = re.compile(r"writing [\d,]+/[\d,]+ rows \((\d+)%\)")
TIMEOUT = 120.0
LARGE = 40_000
"""Sentra in the dataset a test kills while it is written (about 280,000 rows)."""


def write_large_dataset(root: Path, n: int) -> dict[str, int]:
    """A valid dataset of about ``5 n`` rows; returns the counts ``kg stats`` should show."""
    root.mkdir(parents=True)

    def table(name: str, header: str, lines: Iterator[str]) -> None:
        with open(root / name, "w", encoding="utf-8") as out:
            out.write(header + "\n")
            out.writelines(lines)

    table("zones.csv", "id,name", (f"z{i},Wilayah {i}\n" for i in range(10)))
    table("kecamatan.csv", "id,name,zone", (f"k{i},Kecamatan {i},z{i % 10}\n" for i in range(100)))
    table("commodities.csv", "id,name,stage", (f"c{i},Komoditas {i},product\n" for i in range(100)))
    table("actors.csv", "id,name,kind", (f"a{i},Pelaku {i},business\n" for i in range(n)))
    table("sentra.csv", "id,name,status,kecamatan,kiosks_total,kiosks_occupied",
          (f"s{i},Sentra {i},active,k{i % 100},10,5\n" for i in range(n)))
    table("activities.csv", "id,name,category,concerns",
          (f"t{i},Kegiatan {i},training,s{i}\n" for i in range(n)))
    table("responsibilities.csv", "activity,actor,role", (f"t{i},a{i},R\n" for i in range(n)))
    table("links.csv", "from,type,to", (f"s{i},PRODUCES,c{i % 100}\n" for i in range(n)))
    return {
        "Activity": n, "Actor": n, "Commodity": 100, "Kecamatan": 100, "Sentra": n, "Zone": 10,
        "CONCERNS": n, "IN_ZONE": 100, "LOCATED_IN": n, "PRODUCES": n, "RESPONSIBLE_FOR": n,
    }


TINY_COUNTS = {
    "Activity": 2, "Actor": 3, "Commodity": 2, "Kecamatan": 3, "Sentra": 1, "Source": 1,
    "Zone": 2, "ACCOUNTABLE_FOR": 1, "CONCERNS": 2, "CONSULTED_ON": 1, "FUNDS": 1,
    "IN_ZONE": 2, "LOCATED_IN": 1, "PRODUCES": 1, "RESPONSIBLE_FOR": 2, "SUPPLIES": 1,
}


def stats(store: Path) -> dict[str, int]:
    """``kg stats`` (in this process): counts per label and type."""
    result = CliRunner().invoke(cli, ["--store", str(store), "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    return {row["name"]: row["count"] for row in json.loads(result.output)}


def load_in_process(store: Path, dataset: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(store), "load", str(dataset)])
    assert result.exit_code == 0, result.output


def open_to_write(store: Path) -> None:
    """Open ``store`` for writing and close it unchanged: whoever holds the write lock
    cleans what killed processes left (a read only looks)."""
    with open_store(StoreConfig(path=store), write=True):
        pass


def running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, killed but not yet reaped by its parent, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def engines_in(root: Path) -> list[int]:
    """Engines (redis-server) working in a directory under ``root``, i.e. on its stores."""
    found = []
    prefix = str(root.resolve())
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            directory = os.readlink(entry / "cwd")
        except OSError:
            continue
        if b"redis-server" in command and directory.startswith(prefix) and running(int(entry.name)):
            found.append(int(entry.name))
    return found


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


Spawn = Callable[..., "subprocess.Popen[str]"]


def kill_at_progress(process: subprocess.Popen[str], lowest: int, highest: int) -> int:
    """SIGKILL ``process`` when its progress line reaches ``lowest``-``highest`` percent."""
    assert process.stderr is not None
    for line in process.stderr:
        match = PROGRESS.search(line)
        if match and lowest <= int(match.group(1)) <= highest:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return int(match.group(1))
    pytest.fail(f"the load ended (exit {process.wait()}) before {lowest}% was written")


def engine_socket(pid: int) -> str:
    """The unix socket of the engine ``pid`` (it shows it in its process title)."""
    title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    return title.split("unixsocket:", 1)[1].split()[0].rstrip("\0")


def running_a_query(socket: str) -> bool:
    """Whether the engine on ``socket`` is running a graph query now: the client that
    sent it is blocked (flag ``b``) on a ``GRAPH.*`` command."""
    import redis

    client = redis.Redis(unix_socket_path=socket)
    try:
        return any(
            "b" in seen["flags"] and seen["cmd"].lower().startswith("graph.")
            for seen in client.client_list()
        )
    finally:
        client.close()

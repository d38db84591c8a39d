"""What the kg serve tests share: a store of the bundled data with a hostile actor, and
``kg serve`` run as a process on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

SEMARANG = Path(__file__).parents[1] / "kg" / "datasets" / "semarang"
HOSTILE = "<img src=x onerror=alert(1)><a href=x>x</a>"
HOSTILE_ID = "actor-hostile"


def hostile_store(folder: Path) -> Path:
    """A store (in ``folder``) of the bundled data plus an actor named ``HOSTILE``, who is
    responsible for the kiosk relocation (so its neighbourhood shows it), and an
    assessment of it and of the Dinas (the bundled data rates nobody) to place them on
    the stakeholder grid."""
    data = folder / "semarang"
    shutil.copytree(SEMARANG, data)
    with (data / "actors.csv").open("a", encoding="utf-8") as actors:
        actors.write(f'{HOSTILE_ID},"{HOSTILE}",business,city,,\n')
    with (data / "responsibilities.csv").open("a", encoding="utf-8") as roles:
        roles.write(f"act-relocation-kiw,{HOSTILE_ID},C,\n")
    (data / "assessments.csv").write_text(
        "actor,date,influence,interest,attitude\n"
        "actor-disperin,2024-01-10,5,5,supportive\n"
        f"{HOSTILE_ID},2024-01-10,2,4,opposed\n",
        encoding="utf-8",
    )
    store = folder / "store"
    result = CliRunner().invoke(cli, ["--store", str(store), "load", str(data)])
    assert result.exit_code == 0, result.output
    return store


@dataclass
class Server:
    process: subprocess.Popen[str]
    address: str
    """The address printed on start, with its token."""

    @property
    def origin(self) -> str:
        return self.address.split("/?", 1)[0]

    @property
    def port(self) -> int:
        return int(self.origin.rsplit(":", 1)[1])


def children(pid: int) -> list[tuple[int, str]]:
    """The live child processes of ``pid``: pid and command line."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append((int(entry.name), command))
    return found


def listening_ports(pid: int) -> set[str]:
    """``address:port`` of every TCP socket ``pid`` listens on (from /proc/net/tcp*)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        match = re.fullmatch(r"socket:\[(\d+)\]", target)
        if match:
            inodes.add(match.group(1))
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                address, port = fields[1].split(":")
                if len(address) == 8:
                    address = ".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0))
                found.add(f"{address}:{int(port, 16)}")
    return found


@contextmanager
def running_server(
    store: Path, *args: str, stop: signal.Signals = signal.SIGTERM
) -> Iterator[Server]:
    """``kg --store STORE serve --no-browser ARGS`` until the block ends, then ``stop``
    (SIGTERM, or SIGINT as Ctrl-C sends); the block's end checks that it stopped in time
    with its engine."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "--store", str(store), "serve", "--no-browser", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=store.parent,  # not the checkout, whose kg/ is not the installed package
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://\S+", line)
        assert match, line + (process.stderr.read() if process.stderr else "")
        yield Server(process, match.group(0))
    finally:
        engines = [pid for pid, command in children(process.pid) if "redis-server" in command]
        process.send_signal(stop)
        try:
            process.communicate(timeout=30)  # waits, and closes its pipes
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        for pid in engines:
            assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()

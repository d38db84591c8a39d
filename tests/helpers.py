"""What several test files share. The engine tests: a large dataset to kill loads in,
counts of the tiny one, ``kg stats`` in this process, processes and engines on this
machine, and readiness waits (a condition polled until it holds, never a fixed sleep).
Then the repository's tools, the follow-up checks, an HTML page's parts, and graphs to
compare after an export."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import openpyxl
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.graph import to_networkx
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
            process.communicate()  # waits, and closes its pipes
            return int(match.group(1))
    process.communicate()
    pytest.fail(f"the load ended (exit {process.returncode}) before {lowest}% was written")


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


# The repository and its tools (tests/test_static.py, tests/test_architecture.py).
ROOT = Path(__file__).resolve().parents[1]
SUBPACKAGES = {"schema": "schema", "loaders": "loaders", "queries": "queries", "viz": "viz"}


def tool(name: str) -> str:
    """The command ``name`` of this environment (else on PATH); the test is skipped without it."""
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def installed_layout(where: Path) -> Path:
    """The package as installed (``kg/schema`` for ``schema/``, ...), as symlinks under
    ``where``: mypy and import-linter cannot follow setuptools' package-dir mapping."""
    tree = where / "kg"
    tree.mkdir()
    for entry in (ROOT / "kg").iterdir():
        (tree / entry.name).symlink_to(entry)
    for name, folder in SUBPACKAGES.items():
        (tree / name).symlink_to(ROOT / folder)
    return where


# English left in Indonesian output (tests/test_indonesian_*.py).
ENGLISH_WORDS = re.compile(
    r"\b(the|of|and|or|is|are|not|no|an?|in|at|to|on|unknown|missing|columns?|rows?|"
    r"required|empty|duplicate|already|used|expected|got|input|should|be|must|errors?|"
    r"problems?|nothing|was|written|values?|valid|number|date|did|you|mean|given|"
    r"use|try|help|usage|with|name|kind|matches|nodes?|more|whole|integer|enumeration|"
    r"actor|activity|commodity|zone|market)\b",
    re.IGNORECASE,
)
"""Words that give English away; file paths, quoted values, ids and the RACI letters
(``(A)``) are taken out first."""

QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\([RACI]\)")
IDENTIFIER = re.compile(r"[\w./\[\]!-]*[-./_:\[][\w./\[\]!:-]*")


def english_words(text: str, *paths: Path) -> list[str]:
    for path in paths:
        text = text.replace(str(path), " ")
    return ENGLISH_WORDS.findall(IDENTIFIER.sub(" ", QUOTED.sub(" ", text)))


# A full disk (tests/conftest.py's disk fixture).
def fill(disk: Path, leave_blocks: int = 0) -> None:
    """Fill ``disk`` up, leaving ``leave_blocks`` blocks free."""
    free = os.statvfs(disk)
    with open(disk / "filler", "wb") as out:
        out.write(b"\0" * ((free.f_bavail - leave_blocks) * free.f_bsize))
    assert os.statvfs(disk).f_bavail == leave_blocks


# Audits (tests/test_audit_as_of.py, tests/test_audit.py).
FOLLOW_UP_CHECKS = [
    "activity.overdue", "activity.outside_phase", "commitment.overdue", "commitment.no_due",
    "sentra.not_engaged", "actor.key_not_met", "indicator.target_missed",
    "indicator.unmeasured",
]
"""The checks of issue 25, tested here rather than in test_audit's datasets."""


# HTML pages (tests/test_report.py, tests/test_brief_followup.py).
ENGLISH_PROBES = {
    "summary", "findings", "finding", "actors", "actor", "roles", "funding", "kiosks",
    "occupied", "supply", "chain", "upstream", "downstream", "neighbourhood", "recommended",
    "action", "sources", "source", "title", "date", "error", "errors", "warning",
    "warnings", "responsible", "accountable", "consulted", "informed", "government",
    "active", "planned", "unknown", "amount", "grants", "markets", "checks", "contents",
    "dataset", "nodes", "relationships", "produces", "manages", "funds", "concerns",
    "activity", "commodity", "market", "zone", "the", "of", "with", "without", "from",
}
"""English words the brief's own text would hold if a word escaped the catalogue."""


class Page(HTMLParser):
    """The parts of an HTML document the tests look at: elements, attributes, text."""

    def __init__(self, document: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []
        self.sections: list[str] = []
        self._in_style = False
        self.feed(document)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        self.attributes.extend((tag, name, value or "") for name, value in attrs)
        if tag == "section":
            self.sections.append(dict(attrs).get("id") or "")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style:  # the style sheet is no text a reader sees
            self.text.append(data)

    @property
    def words(self) -> set[str]:
        return set(re.findall(r"[a-z]+", " ".join(self.text).lower()))


# Exports (tests/test_export_graph.py, tests/test_export_replay.py,
# tests/test_export_roundtrip.py, tests/test_workbook_writers.py).
def edge_map(graph: nx.MultiDiGraph) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Each relationship's properties, keyed by (start, end, key)."""
    return {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)}


def split_statements(script: str) -> list[str]:
    """Split on `;` outside quotes and comments, as cypher-shell's statement parser does."""
    statements, start, i, quote = [], 0, 0, ""
    while i < len(script):
        char = script[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "'\"`":
            quote = char
        elif script.startswith("//", i):
            end = script.find("\n", i)
            i = len(script) if end < 0 else end
        elif script.startswith("/*", i):
            i = script.index("*/", i) + 1
        elif char == ";":
            statements.append(script[start:i].strip())
            start = i + 1
        i += 1
    assert not script[start:].strip(), f"text after the last statement: {script[start:]!r}"
    return statements


def graph_of(store: Path) -> nx.MultiDiGraph:
    """The graph in the store at ``store``."""
    with open_store(StoreConfig(path=store)) as opened:
        return to_networkx(opened)


def edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, str, list[tuple[str, object]]]]:
    """The relationships as sorted plain data, to compare two graphs."""
    return sorted((u, v, d["type"], sorted(d.items())) for u, v, d in graph.edges(data=True))


Rows = list[list[Any]]
"""A sheet's rows, the header first."""


def save(path: Path, sheets: dict[str, Rows]) -> openpyxl.Workbook:
    """Write a workbook of ``sheets`` (title -> rows, the header first) to ``path``."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return book

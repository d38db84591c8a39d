"""The files of an embedded store's directory, and the names of scratch graphs: every
place that needs one of these names takes it from here.

Layout of a store directory::

    graph.rdb        the graph, written only by an explicit SAVE after a successful change
    temp-<pid>.rdb   a SAVE under way (renamed over graph.rdb when complete)
    graph.record     what the last load wrote, tied to graph.rdb as saved (``kg.store.record``)
    graph.record.<pid>.tmp   a record being written (renamed over graph.record when complete)
    lock             flock(2): shared while reading, exclusive while writing
    run/             runtime files:
      <pid>.pid        a private engine's pid, named after its client's pid
      warm.json        the warm engine's description (``kg.store.warm``)
      warm.lock        flock(2), held by the warm engine's supervisor for its life
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.store.protocol import GRAPH_NAME

SCRATCH_PATTERN = f"{GRAPH_NAME}-scratch-*"
"""Every scratch graph's name matches this (a glob, as the engine's ``SCAN MATCH``)."""
_SCRATCH = re.compile(rf"{re.escape(GRAPH_NAME)}-scratch-(\d+)-[0-9a-f]+")


@dataclass(frozen=True)
class StoreLayout:
    """The paths of the store in directory ``root``."""

    root: Path

    DB_FILE = "graph.rdb"
    """The graph file's name, as the engine's ``--dbfilename`` takes it."""

    @property
    def graph_file(self) -> Path:
        return self.root / self.DB_FILE

    @property
    def record_file(self) -> Path:
        return self.root / "graph.record"

    def record_temp(self, client: int) -> Path:
        """Where process ``client`` writes a record before renaming it into place."""
        return self.root / f"graph.record.{client}.tmp"

    @property
    def lock_file(self) -> Path:
        return self.root / "lock"

    @property
    def run_dir(self) -> Path:
        return self.root / "run"

    @property
    def warm_state(self) -> Path:
        return self.run_dir / "warm.json"

    @property
    def warm_lock(self) -> Path:
        return self.run_dir / "warm.lock"

    def run_file(self, client: int) -> Path:
        """Where the private engine of process ``client`` is recorded."""
        return self.run_dir / f"{client}.pid"

    def run_files(self) -> list[tuple[int, Path]]:
        """Recorded private engines: (client pid, 0 if unreadable; file)."""
        if not self.run_dir.is_dir():
            return []
        return [
            (int(entry.stem) if entry.stem.isdigit() else 0, entry)
            for entry in self.run_dir.glob("*.pid")
        ]

    def partial_saves(self) -> list[Path]:
        """What SAVEs and records cut short by a kill left (``temp-<pid>.rdb``,
        ``graph.record.<pid>.tmp``)."""
        return [*self.root.glob("temp-*.rdb"), *self.root.glob("graph.record.*.tmp")]

    def holds_store(self) -> bool:
        """Whether ``root`` is a store directory (its graph file or its lock)."""
        return self.root.is_dir() and (self.graph_file.is_file() or self.lock_file.is_file())


def scratch_name(client: int, token: str) -> str:
    """A scratch graph's name: the pid of the process that made it, and a unique token."""
    return f"{GRAPH_NAME}-scratch-{client}-{token}"


def scratch_owner(name: str | bytes) -> int | None:
    """The pid in a scratch graph's name (``scratch_name``), None if not one."""
    text = name.decode(errors="replace") if isinstance(name, bytes) else name
    match = _SCRATCH.fullmatch(text)
    return int(match.group(1)) if match else None

"""Load datasets into a store: read and validate everything, then write it in one unit.

``load`` checks that the machine can hold the data, reads the nodes the store already
has (rows may refer to them, and a merge must not clash with them), and hands the store
a reader of the dataset: the store decides how to write it (``Store.write_graph``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from kg import queries
from kg.errors import ResourceError
from kg.loaders.read import read_dataset
from kg.schema.graph import GraphData, KnownNode
from kg.schema.model import Label
from kg.store import NodesRead, Progress, Store


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote, per label and relationship type."""

    labels: dict[str, int]
    types: dict[str, int]
    replaced: bool

    @property
    def nodes(self) -> int:
        return sum(self.labels.values())

    @property
    def relationships(self) -> int:
        return sum(self.types.values())




def load(
    store: Store,
    paths: Sequence[Path],
    *,
    replace: bool = False,
    progress: Progress | None = None,
) -> LoadReport:
    """Validate the datasets at ``paths`` and write them to ``store`` in one unit of work.

    Without ``replace`` the data is merged into what the store holds (nodes by id) and
    may refer to nodes already there. Raises ``ResourceError`` when the machine lacks the
    memory for the data, and ``DatasetError`` before writing anything
    when the data has any problem.
    """
    check_memory(paths)
    known = {} if replace else known_nodes(store)
    clear = replace and store_has_nodes(store)
    labels, types = store.write_graph(
        partial(_read, paths, known),
        create=replace or not known,
        clear=clear,
        progress=progress,
    )
    return LoadReport(labels, types, replace)


def _read(
    paths: Sequence[Path], known: dict[str, KnownNode], nodes_read: NodesRead | None
) -> GraphData:
    return read_dataset(paths, known, nodes_read=nodes_read)


MEMORY_PER_CSV_BYTE = 26
"""Peak memory of a load per byte of dataset files (kg and engine; docs/performance.md)."""
MEMORY_BASE = 256 * 2**20


def check_memory(paths: Sequence[Path], available: int | None = None) -> None:
    """Refuse, before reading anything, a dataset this machine cannot hold in memory.

    A load keeps the validated graph in Python while the engine fills (measured: about
    26 bytes per byte of CSV, kg and engine together, at 150 MB of CSV), so a dataset
    too large would end in the kernel's out-of-memory killer rather than an error.
    ``KG_MEMORY_CHECK=off`` skips the check.
    """
    if os.environ.get("KG_MEMORY_CHECK", "").lower() in {"off", "0", "no"}:
        return
    available = available_memory() if available is None else available
    if available is None:
        return
    size = sum(dataset_bytes(path) for path in paths)
    needed = MEMORY_BASE + MEMORY_PER_CSV_BYTE * size
    if needed > available:
        where = ", ".join(str(p) for p in paths)
        raise ResourceError(
            f"{where}: too large to load here: {size / 2**20:,.0f} MiB of data needs about "
            f"{needed / 2**30:.1f} GiB of memory and {available / 2**30:.1f} GiB is "
            "available; load it in parts (each kg load merges by id), on a larger "
            "machine, or into Neo4j with neo4j-admin import (docs/performance.md); "
            "KG_MEMORY_CHECK=off skips this check"
        )


def available_memory() -> int | None:
    """``MemAvailable`` from /proc/meminfo, in bytes (None where there is none)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


WORKBOOK_TEXT_PER_BYTE = 3
"""Bytes of CSV text a byte of workbook holds, roughly (xlsx is compressed: a 100,000-row
sheet of 3.6 MiB holds the 9.3 MiB of its CSV twin; docs/performance.md, "Workbooks")."""


def dataset_bytes(path: Path) -> int:
    """Bytes of the dataset at ``path`` (a directory, a YAML file or a workbook), as CSV
    text: what the memory a load needs grows with."""
    if path.is_dir():
        return sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    if not path.is_file():
        return 0
    size = path.stat().st_size
    return size * WORKBOOK_TEXT_PER_BYTE if path.suffix.lower() == ".xlsx" else size


def known_nodes(store: Store) -> dict[str, KnownNode]:
    """Every node in the store as id -> (label, name), for references and merges."""
    result = queries.run(store, "node_index")
    return {
        row[0]: KnownNode(Label(row[1]), row[2])
        for row in result.rows
        if row[0] is not None and row[1] in Label._value2member_map_
    }


def store_has_nodes(store: Store) -> bool:
    return bool(queries.run(store, "any_node").rows)


"""Load datasets into a store: read and validate everything, then write it in one unit.

``load`` checks that the machine can hold the data. Into an empty store (or with
``replace``) it hands the store a reader of the dataset, and the store decides how to
write it (``Store.write_graph``). Into a store holding data, it reads what the store
holds (rows may refer to it, a merge must not clash with it, and a reload replaces the
dataset's earlier content) and writes the difference (``kg.loaders.reload``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from kg import queries
from kg.catalogue import numeral, say
from kg.errors import ResourceError
from kg.loaders.files import WORKBOOK_SUFFIX, dataset_name
from kg.loaders.read import read_dataset
from kg.loaders.reload import Changes, fresh_record, plan_reload, record, stored_content
from kg.loaders.xlsx_bounds import expanded_bytes
from kg.memory import paused_gc
from kg.schema.graph import GraphData
from kg.store import NodesRead, Progress, RecordKeeper, Store
from kg.store.cypher_writes import register_statements


@dataclass(frozen=True)
class LoadReport:
    """What a load wrote: the dataset's nodes per label and relationships per type, and
    what changed in the store."""

    dataset: str
    labels: dict[str, int]
    types: dict[str, int]
    node_changes: Changes
    relationship_changes: Changes
    replaced: bool
    warnings: list[str] = field(default_factory=list)
    """What a user should know of data that loaded: sources cited but not declared."""

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
    merge: bool = False,
    progress: Progress | None = None,
    sources_optional: bool = False,
) -> LoadReport:
    """Validate the datasets at ``paths`` and write them to ``store`` in one unit of work.

    The paths form one dataset, named by ``dataset_name``. If the store already holds a
    dataset of that name, its earlier content is replaced (``kg.loaders.reload``):
    ``merge`` keeps it beside the new instead. Other datasets' content stays, and rows
    may refer to their nodes. ``replace`` empties the whole store first. Raises
    ``ResourceError`` when the machine lacks the memory for the data, and
    ``DatasetError`` before writing anything when the data has any problem.
    ``sources_optional`` loads rows citing sources the dataset does not declare (a
    dataset without its sources table), with one warning in the report.
    """
    fresh = replace or not store_has_nodes(store)
    check_memory(paths, reload=not fresh)
    name = dataset_name(paths)
    warnings: list[str] = []
    keeper = store if isinstance(store, RecordKeeper) else None
    if fresh:
        read: list[GraphData] = []
        labels, types = store.write_graph(
            partial(_read, paths, sources_optional, warnings, read if keeper else None),
            create=True,
            clear=replace,
            progress=progress,
            then=register_statements(name, base=name, fresh=True),
        )
        if keeper is not None:
            keeper.keep_record(partial(_fresh_record, read))
        added_nodes, added_rels = sum(labels.values()), sum(types.values())
        return LoadReport(name, labels, types, Changes(added_nodes), Changes(added_rels), replace,
                          warnings)
    # The store's content, the dataset and the plan are millions of objects without
    # cycles: collections walking them took two thirds of planning an x1 reload.
    with paused_gc():
        content = stored_content(store, name)
        graph = read_dataset(paths, content.known(name, merge=merge),
                             sources_optional=sources_optional, warnings=warnings)
        reload = plan_reload(content, name, graph, merge=merge)
    store.write(reload.statements, progress)
    if keeper is not None:
        keeper.keep_record(partial(record, content))
    labels, types = graph.counts()
    return LoadReport(name, labels, types, reload.nodes, reload.relationships, replaced=False,
                      warnings=warnings)


def _read(
    paths: Sequence[Path], sources_optional: bool, warnings: list[str],
    read: list[GraphData] | None, nodes_read: NodesRead | None,
) -> GraphData:
    """Read a dataset for an empty store; keep its rows in ``read``, if given, for the
    record made from them while the store saves (the store lets go of its own list of
    them as it writes)."""
    graph = read_dataset(paths, {}, nodes_read=nodes_read, sources_optional=sources_optional,
                         warnings=warnings)
    if read is not None:
        read.append(GraphData(graph.nodes[:], graph.relationships[:]))
    return graph


def _fresh_record(read: list[GraphData]) -> bytes:
    """The record of a load into an empty store, made from the rows ``_read`` kept; they
    are let go of here, in the thread that makes it while the store saves (freeing a
    national dataset's rows takes seconds)."""
    return fresh_record(read.pop())


MEMORY_PER_CSV_BYTE = 27
"""Peak memory of a load into an empty store per byte of dataset files, kg and engine
(measured at x10, 200 MiB of CSV: 25.6-26.6; docs/performance.md)."""
MEMORY_PER_CSV_BYTE_RELOAD = 36
"""The same for a load into a store holding nodes (a reload), which holds the store's
content, the dataset and the plan at once (measured at x10: 35.3-35.6)."""
MEMORY_BASE = 256 * 2**20


def check_memory(
    paths: Sequence[Path], available: int | None = None, *, reload: bool = False
) -> None:
    """Refuse, before reading anything, a dataset this machine cannot hold in memory.

    A load keeps the validated graph in Python while the engine fills
    (``MEMORY_PER_CSV_BYTE``; a ``reload`` into a store holding nodes more,
    ``MEMORY_PER_CSV_BYTE_RELOAD``), so a dataset too large would end in the kernel's
    out-of-memory killer rather than an error. ``KG_MEMORY_CHECK=off`` skips the check.
    """
    if os.environ.get("KG_MEMORY_CHECK", "").lower() in {"off", "0", "no"}:
        return
    available = available_memory() if available is None else available
    if available is None:
        return
    size = sum(dataset_bytes(path) for path in paths)
    needed = MEMORY_BASE + (MEMORY_PER_CSV_BYTE_RELOAD if reload else MEMORY_PER_CSV_BYTE) * size
    if needed > available:
        where = ", ".join(str(p) for p in paths)
        raise ResourceError(say(
            "refusals.too_large", paths=where, size=numeral(size / 2**20),
            needed=numeral(needed / 2**30, 1, fixed=True),
            available=numeral(available / 2**30, 1, fixed=True),
        ))


def available_memory() -> int | None:
    """``MemAvailable`` from /proc/meminfo, in bytes (None where there is none)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


XML_PER_TEXT_BYTE = 3
"""Bytes of sheet XML per byte of CSV text holding the same cells, at least (measured: a
20,000-row sheet's XML and shared strings are 3.4 times its CSV twin as Excel writes
them, 4.2 times with the text inline as openpyxl writes it; docs/reliability.md)."""


def dataset_bytes(path: Path) -> int:
    """Bytes of the dataset at ``path`` (a directory, a YAML file or a workbook), as CSV
    text: what the memory a load needs grows with. A workbook counts what its sheets and
    shared strings expand to (as its zip directory states, each part up to its limit),
    not its compressed size."""
    if path.is_dir():
        return sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    if not path.is_file():
        return 0
    if path.suffix.lower() == WORKBOOK_SUFFIX:
        return expanded_bytes(path) // XML_PER_TEXT_BYTE
    return path.stat().st_size


def store_has_nodes(store: Store) -> bool:
    return bool(queries.run(store, "any_node").rows)

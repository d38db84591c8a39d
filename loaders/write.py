"""Write a validated dataset to a store: batched ``UNWIND $rows`` statements.

Labels and relationship types in the query text come from ``kg.schema`` (never from the
data); every value travels as a parameter.
"""

from __future__ import annotations

import os
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

from kg import queries
from kg.embedded import BulkLoad, EmbeddedStore
from kg.errors import DatasetError, Problem, StoreError
from kg.loaders import bulk as bulk_format
from kg.loaders.dataset import GraphData, KnownNode, NodeRow, RelRow, read_dataset
from kg.memory import paused_gc
from kg.schema.model import NODE_MODELS, Funding, Label, RelType, endpoints
from kg.store import Progress, QueryResult, Statement, Store

BATCH_SIZE = 100_000
"""Rows per ``UNWIND``: large enough to amortise a round trip, small enough for memory.

Each write query costs FalkorDB a commit that grows with the graph: on the national
benchmark (4.6M rows) 100k-row batches took 33 s of engine CPU against 41 s for 20k; a
batch is ~20 MB of query text.
"""


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
    batch_size: int = BATCH_SIZE,
    bulk: bool = True,
) -> LoadReport:
    """Validate the datasets at ``paths`` and write them to ``store`` in one unit of work.

    Without ``replace`` the data is merged into what the store holds (nodes by id) and
    may refer to nodes already there. Raises ``DatasetError`` before writing anything
    when the data has any problem. A graph written from nothing into the embedded store
    goes through the engine's binary bulk loader (``bulk=False``: Cypher, as always
    where the data holds what that format cannot carry).
    """
    check_memory(paths)
    known = {} if replace else known_nodes(store)
    fresh = replace or not known
    clear = replace and store_has_nodes(store)
    if fresh and isinstance(store, EmbeddedStore) and bulk and not clear:
        # An empty store: nodes go to the engine while the relationships are read.
        labels, types = stream_in_bulk(store, paths, progress)
        return LoadReport(labels, types, replace)
    if fresh and isinstance(store, EmbeddedStore):
        graph = read_dataset(paths, known)
        with paused_gc():
            if not (bulk and create_in_bulk(store, graph, progress)):
                create_by_internal_id(
                    store, graph, clear=clear, progress=progress, batch_size=batch_size
                )
    else:
        graph = read_dataset(paths, known)
        store.write(statements(graph, fresh=fresh, clear=clear, batch_size=batch_size), progress)
    return LoadReport(dict(graph.label_counts()), dict(graph.type_counts()), replace)


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
        raise DatasetError(
            [
                Problem(
                    where,
                    None,
                    None,
                    f"too large to load here: {size / 2**20:,.0f} MiB of data needs about "
                    f"{needed / 2**30:.1f} GiB of memory and {available / 2**30:.1f} GiB is "
                    "available; load it in parts (each kg load merges by id), on a larger "
                    "machine, or into Neo4j with neo4j-admin import (docs/performance.md); "
                    "KG_MEMORY_CHECK=off skips this check",
                )
            ]
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


def dataset_bytes(path: Path) -> int:
    """Bytes of the dataset files at ``path`` (a directory or one YAML file)."""
    if path.is_dir():
        return sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    return path.stat().st_size if path.is_file() else 0


CLEAR = "MATCH (n) DETACH DELETE n"
"""Empties the store (``kg load --replace``); part of the load's unit of work."""


def _run_named(store: Store, name: str) -> QueryResult:
    query = queries.get(name)
    return store.run(query.text, query.bind())


def known_nodes(store: Store) -> dict[str, KnownNode]:
    """Every node in the store as id -> (label, name), for references and merges."""
    result = _run_named(store, "node_index")
    return {
        row[0]: KnownNode(Label(row[1]), row[2])
        for row in result.rows
        if row[0] is not None and row[1] in Label._value2member_map_
    }


def store_has_nodes(store: Store) -> bool:
    return bool(_run_named(store, "any_node").rows)


def statements(
    graph: GraphData, *, fresh: bool, clear: bool = False, batch_size: int = BATCH_SIZE
) -> list[Statement]:
    """The statements that write ``graph``; ``fresh`` means the store holds nothing yet."""
    result: list[Statement] = []
    if clear:
        result.append(Statement(CLEAR))
    nodes: dict[Label, list[dict[str, Any]]] = defaultdict(list)
    for node in graph.nodes:
        nodes[node.label].append(_node_row(node))
    for label, rows in nodes.items():
        verb = "CREATE (n:{label})" if fresh else "MERGE (n:{label} {{id: row.props.id}})"
        query = f"UNWIND $rows AS row {verb.format(label=label)} SET n = row.props"
        result.extend(Statement(query, batch) for batch in _batches(rows, batch_size))
    rels: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
    for rel in graph.relationships:
        rels[rel.type].append(_rel_row(rel))
    for rel_type, rows in rels.items():
        start, end = endpoints(rel_type)
        key = " {key: row.key}" if rel_type is RelType.FUNDS else ""
        verb = "CREATE" if fresh else "MERGE"
        query = (
            f"UNWIND $rows AS row MATCH (a:{start} {{id: row.start}}) "
            f"MATCH (b:{end} {{id: row.end}}) {verb} (a)-[r:{rel_type}{key}]->(b) SET r = row.props"
        )
        result.extend(Statement(query, batch) for batch in _batches(rows, batch_size))
    return result


def create_in_bulk(store: EmbeddedStore, graph: GraphData, progress: Progress | None) -> bool:
    """Build ``graph`` with the engine's bulk loader, replacing what the store holds.

    Returns False, with the graph left empty, when the data holds a value the binary
    format cannot carry (``kg.loaders.bulk``). Then checks what the engine built (see
    ``_check_bulk``).
    """
    plan = bulk_format.plan(graph)
    try:
        store.bulk_create(plan.chunks(), len(graph.nodes) + len(graph.relationships), progress)
    except bulk_format.NotBulkable:
        return False
    _check_bulk(store, (len(graph.nodes), len(graph.relationships)), plan.first_and_last())
    return True


def stream_in_bulk(
    store: EmbeddedStore, paths: Sequence[Path], progress: Progress | None
) -> tuple[dict[str, int], dict[str, int]]:
    """Read the datasets at ``paths`` into an empty embedded store with the bulk loader.

    The nodes go to the engine as soon as they are read and valid, while the
    relationships are read (on the national benchmark the engine's share of the nodes,
    index upkeep included, is ~9 s it no longer adds). A dataset with any problem, an
    error or an interrupt leaves the graph empty. Data the binary format cannot carry
    is written with Cypher instead, as ``create_in_bulk`` does. Returns the nodes per
    label and relationships per type written.
    """
    load: BulkLoad | None = None
    plan: bulk_format.BulkPlan | None = None

    def nodes_read(graph: GraphData) -> None:
        nonlocal load, plan
        plan = bulk_format.plan(graph)
        load = store.bulk_load(len(graph.nodes), progress)
        load.send_later(plan.node_chunks())

    try:
        graph = read_dataset(paths, nodes_read=nodes_read)
        assert load is not None and plan is not None  # a valid dataset's nodes were read
        load.total = len(graph.nodes) + len(graph.relationships)
        with paused_gc():
            load.send(plan.relationship_chunks())
            load.finish()
    except bulk_format.NotBulkable:
        assert load is not None
        load.abort()
        with paused_gc():
            create_by_internal_id(store, graph, progress=progress)
        return dict(graph.label_counts()), dict(graph.type_counts())
    except BaseException:
        if load is not None:
            load.abort()
        raise
    sizes, expected = (len(graph.nodes), len(graph.relationships)), plan.first_and_last()
    counts = plan.counts()
    # Freeing millions of rows takes seconds (~2 s at national scale): a thread does it
    # while the engine checks and then saves, which leave this one waiting.
    threading.Thread(target=_release, args=(graph, plan), name="kg-release").start()
    _check_bulk(store, sizes, expected)
    return counts


def _release(graph: GraphData, plan: bulk_format.BulkPlan) -> None:
    plan.groups.clear()
    plan.internal.clear()
    for rows in (graph.nodes, graph.relationships):
        while rows:  # a slice at a time: one C call holds the interpreter lock throughout
            del rows[-50_000:]


def _check_bulk(store: EmbeddedStore, sizes: tuple[int, int], expected: dict[int, str]) -> None:
    """Check that the engine built as many nodes and relationships as sent (``sizes``),
    numbered as the relationships assumed (``expected``: internal id -> node id of the
    first and last node of each label)."""
    nodes = store.run("MATCH (n) RETURN count(n)").scalar()
    rels = store.run("MATCH ()-[r]->() RETURN count(r)").scalar()
    if (nodes, rels) != sizes:
        raise StoreError(
            f"the bulk load built {nodes:,} nodes and {rels:,} relationships instead of "
            f"{sizes[0]:,} and {sizes[1]:,}; nothing was saved"
        )
    found = store.run(
        "UNWIND $ids AS i MATCH (n) WHERE ID(n) = i RETURN i, n.id", {"ids": list(expected)}
    )
    if {row[0]: row[1] for row in found.rows} != expected:
        raise StoreError(
            "the bulk load numbered the nodes otherwise than their relationships assumed; "
            "nothing was saved"
        )


def create_by_internal_id(
    store: Store,
    graph: GraphData,
    *,
    clear: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> None:
    """Create ``graph`` in an embedded (FalkorDB) store that holds none of its nodes.

    Each node batch returns the engine's internal ids of the nodes it created, and the
    relationships then find their ends by internal id: three times faster on FalkorDB
    than two index lookups by ``id`` per relationship (270k against 85k a second,
    measured on the national benchmark). It relies on what the embedded store
    guarantees: every ``execute`` of one open store belongs to one unit of work, saved
    only when the store closes without an error.
    """
    total = len(graph.nodes) + len(graph.relationships) + clear
    done = 0
    if clear:
        store.execute(CLEAR)
        done += 1
    internal: dict[str, int] = {}

    def created(batch: Sequence[NodeRow], result: QueryResult) -> None:
        ids = result.scalar()
        if len(ids) != len(batch):
            raise StoreError(f"the engine created {len(ids)} of {len(batch)} nodes")
        internal.update(zip((node.id for node in batch), ids, strict=True))

    def written(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    _run(store, _node_batches(graph, batch_size, created), written)
    _run(store, _relationship_batches(graph, internal, batch_size), written)


_Batch = tuple[str, list[list[Any]], Callable[[QueryResult], None] | None]
"""A query, its rows, and what to do with its result."""


def _node_batches(
    graph: GraphData,
    size: int,
    created: Callable[[Sequence[NodeRow], QueryResult], None],
) -> Iterator[_Batch]:
    for label, nodes in _grouped(graph.nodes, lambda node: node.label).items():
        keys, extra = _split_keys((node.props for node in nodes), _node_fields(label))
        query = (
            f"UNWIND $rows AS row CREATE (n:{label} {_map(['id', *keys], 0)})"
            f"{_extra_clause('n', 1 + len(keys), extra)} RETURN collect(ID(n))"
        )
        for batch in _batches(nodes, size):
            rows = [
                [node.id, *[node.props.get(key) for key in keys], *_extra_cell(node.props, extra)]
                for node in batch
            ]
            yield query, rows, partial(created, batch)


def _relationship_batches(
    graph: GraphData, internal: Mapping[str, int], size: int
) -> Iterator[_Batch]:
    for rel_type, rels in _grouped(graph.relationships, lambda rel: rel.type).items():
        props = (
            [rel.stored_props for rel in rels]
            if rel_type is RelType.FUNDS
            else [rel.props for rel in rels]
        )
        keys, extra = _split_keys(props, _RELATIONSHIP_FIELDS)
        body = f" {_map(keys, 2)}" if keys else ""
        query = (
            "UNWIND $rows AS row MATCH (a), (b) WHERE ID(a) = row[0] AND ID(b) = row[1] "
            f"CREATE (a)-[r:{rel_type}{body}]->(b){_extra_clause('r', 2 + len(keys), extra)}"
        )
        for start in range(0, len(rels), size):
            rows = [
                [
                    internal[rel.start],
                    internal[rel.end],
                    *[p.get(key) for key in keys],
                    *_extra_cell(p, extra),
                ]
                for rel, p in zip(
                    rels[start : start + size], props[start : start + size], strict=True
                )
            ]
            yield query, rows, None


def _node_fields(label: Label) -> frozenset[str]:
    """The property names ``kg.schema`` defines for ``label`` (safe in query text)."""
    model = NODE_MODELS[label]
    return frozenset(info.serialization_alias or name for name, info in model.model_fields.items())


_RELATIONSHIP_FIELDS = frozenset(
    {"key", *(info.serialization_alias or name for name, info in Funding.model_fields.items())}
)
"""Relationship property names ``kg.schema`` defines: FUNDS' fields, ``sources``, ``key``."""


def _split_keys(
    maps: Iterable[dict[str, Any]], schema: frozenset[str]
) -> tuple[list[str], list[str]]:
    """Keys the schema defines (written into the query) and the rest (passed as a map).

    Names of extra columns come from the user's files, so they never enter query text.
    """
    keys = _keys(maps)
    return [k for k in keys if k in schema], [k for k in keys if k not in schema]


def _extra_clause(variable: str, position: int, extra: Sequence[str]) -> str:
    return f" SET {variable} += row[{position}]" if extra else ""


def _extra_cell(props: Mapping[str, Any], extra: Sequence[str]) -> list[dict[str, Any]]:
    return [{k: props[k] for k in extra if props.get(k) is not None}] if extra else []


def _run(store: Store, batches: Iterable[_Batch], written: Callable[[int], None]) -> None:
    for query, rows, after in batches:
        result = store.execute(query, {"rows": rows})
        if after is not None:
            after(result)
        written(len(rows))


_PROPERTY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _keys(maps: Iterable[dict[str, Any]]) -> list[str]:
    """Every key of ``maps``, in order of first appearance."""
    keys = dict.fromkeys(chain.from_iterable(maps))
    for key in keys:
        # Only schema-defined names reach query text (see _split_keys); check them anyway.
        if not _PROPERTY.fullmatch(key):
            raise ValueError(f"not a property name: {key!r}")
    return list(keys)


def _map(keys: Sequence[str], first: int) -> str:
    """``{`a`: row[first], `b`: row[first + 1], ...}``: a map of the row's values."""
    return "{" + ", ".join(f"`{key}`: row[{first + i}]" for i, key in enumerate(keys)) + "}"


def _grouped[K, V](items: Iterable[V], key: Callable[[V], K]) -> dict[K, list[V]]:
    groups: dict[K, list[V]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return groups


def _node_row(node: NodeRow) -> dict[str, Any]:
    return {"props": {"id": node.id, **node.props}}


def _rel_row(rel: RelRow) -> dict[str, Any]:
    row: dict[str, Any] = {"start": rel.start, "end": rel.end, "props": rel.stored_props}
    if rel.type is RelType.FUNDS:
        row["key"] = row["props"]["key"]
    return row


def _batches[T](rows: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


def counts(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type in the store, sorted by name."""
    labels = _run_named(store, "label_counts")
    types = _run_named(store, "type_counts")
    return _pairs(labels.rows), _pairs(types.rows)


def _pairs(rows: Iterable[list[Any]]) -> dict[str, int]:
    return {str(row[0]): int(row[1]) for row in rows}

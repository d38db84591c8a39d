"""How the embedded engine writes a graph into a store that holds none of its nodes.

Into an empty store the nodes go to the engine's binary bulk loader as soon as they are
read and valid, while the relationships are read (``stream_in_bulk``); a graph read
whole goes the same way (``create_in_bulk``). Data the binary format cannot carry, or a
store asked not to use it (``StoreConfig.bulk_load``), is created with Cypher that finds
relationship ends by internal id (``create_by_internal_id``). Merges into a non-empty
store use the generic statements of ``kg.store.cypher_writes``.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import chain
from typing import Any, Protocol

from kg.catalogue import numeral, say
from kg.errors import StoreError
from kg.memory import paused_gc
from kg.schema.graph import GraphCounts, GraphData, NodeRow
from kg.schema.model import GRANT_KEY, NODE_MODELS, Funding, Label
from kg.store import embedded_bulk as bulk_format
from kg.store.cypher_writes import BATCH_SIZE, CLEAR, batches
from kg.store.protocol import GraphReader, Progress, QueryResult


class BulkTarget(Protocol):
    """What these writers need of a store: reads, writes in one unit of work, and the
    engine's bulk loader (``EmbeddedStore`` offers them)."""

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult: ...

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult: ...

    def bulk_create(
        self, chunks: Iterable[bulk_format.BulkChunk], total: int, progress: Progress | None = None
    ) -> None: ...

    def bulk_load(self, total: int, progress: Progress | None = None) -> bulk_format.BulkLoad: ...


def create_in_bulk(store: BulkTarget, graph: GraphData, progress: Progress | None) -> bool:
    """Build ``graph`` with the engine's bulk loader, replacing what the store holds.

    Returns False, with the graph left empty, when the data holds a value the binary
    format cannot carry (``kg.store.embedded_bulk``). Then checks what the engine built
    (see ``_check_bulk``).
    """
    plan = bulk_format.plan(graph)
    try:
        store.bulk_create(plan.chunks(), len(graph.nodes) + len(graph.relationships), progress)
    except bulk_format.NotBulkable:
        return False
    _check_bulk(store, (len(graph.nodes), len(graph.relationships)), plan.first_and_last())
    return True


def stream_in_bulk(
    store: BulkTarget, read: GraphReader, progress: Progress | None
) -> GraphCounts:
    """Write what ``read`` reads into an empty embedded store with the bulk loader.

    The nodes go to the engine as soon as they are read and valid, while the
    relationships are read (on the national benchmark the engine's share of the nodes,
    index upkeep included, is ~9 s it no longer adds). A dataset with any problem, an
    error or an interrupt leaves the graph empty. Data the binary format cannot carry
    is written with Cypher instead, as ``create_in_bulk`` does. Returns the nodes per
    label and relationships per type written.
    """
    load: bulk_format.BulkLoad | None = None
    plan: bulk_format.BulkPlan | None = None

    def nodes_read(graph: GraphData) -> None:
        nonlocal load, plan
        plan = bulk_format.plan(graph)
        load = store.bulk_load(len(graph.nodes), progress)
        load.send_later(plan.node_chunks())

    try:
        graph = read(nodes_read)
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
        return graph.counts()
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


def _check_bulk(store: BulkTarget, sizes: tuple[int, int], expected: dict[int, str]) -> None:
    """Check that the engine built as many nodes and relationships as sent (``sizes``),
    numbered as the relationships assumed (``expected``: internal id -> node id of the
    first and last node of each label)."""
    nodes = store.run("MATCH (n) RETURN count(n)").scalar()
    rels = store.run("MATCH ()-[r]->() RETURN count(r)").scalar()
    if (nodes, rels) != sizes:
        raise StoreError(say("store.bulk_counts", nodes=numeral(nodes),
                             relationships=numeral(rels), expected_nodes=numeral(sizes[0]),
                             expected_relationships=numeral(sizes[1])))
    found = store.run(
        "UNWIND $ids AS i MATCH (n) WHERE ID(n) = i RETURN i, n.id", {"ids": list(expected)}
    )
    if {row[0]: row[1] for row in found.rows} != expected:
        raise StoreError(say("store.bulk_numbering"))


def create_by_internal_id(
    store: BulkTarget,
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
            raise StoreError(say("store.created_nodes", created=numeral(len(ids)),
                                 count=numeral(len(batch))))
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
        for batch in batches(nodes, size):
            rows = [
                [node.id, *[node.props.get(key) for key in keys], *_extra_cell(node.props, extra)]
                for node in batch
            ]
            yield query, rows, partial(created, batch)


def _relationship_batches(
    graph: GraphData, internal: Mapping[str, int], size: int
) -> Iterator[_Batch]:
    for rel_type, rels in _grouped(graph.relationships, lambda rel: rel.type).items():
        props = [rel.props for rel in rels]
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
    {GRANT_KEY, *(info.serialization_alias or name for name, info in Funding.model_fields.items())}
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


def _run(store: BulkTarget, batches: Iterable[_Batch], written: Callable[[int], None]) -> None:
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


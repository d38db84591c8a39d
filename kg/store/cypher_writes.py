"""The generic way to write a graph: batched ``UNWIND $rows`` statements, on any engine.

Labels and relationship types in the query text come from ``kg.schema`` (never from the
data); every value travels as a parameter. Neo4j writes every graph this way; the
embedded engine merges into a non-empty store this way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from kg.schema.graph import GraphData, NodeRow, RelRow
from kg.schema.model import GRANT_KEY, Label, RelType, endpoints
from kg.store.protocol import Statement

BATCH_SIZE = 100_000
"""Rows per ``UNWIND``: large enough to amortise a round trip, small enough for memory.

Each write query costs FalkorDB a commit that grows with the graph: on the national
benchmark (4.6M rows) 100k-row batches took 33 s of engine CPU against 41 s for 20k; a
batch is ~20 MB of query text.
"""


CLEAR = "MATCH (n) DETACH DELETE n"
"""Empties the store (``kg load --replace``); part of the load's unit of work."""


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
        result.extend(Statement(query, batch) for batch in batches(rows, batch_size))
    rels: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
    for rel in graph.relationships:
        rels[rel.type].append(rel_row(rel))
    for rel_type, rows in rels.items():
        start, end = endpoints(rel_type)
        key = f" {{{GRANT_KEY}: row.key}}" if rel_type is RelType.FUNDS else ""
        verb = "CREATE" if fresh else "MERGE"
        query = (
            f"UNWIND $rows AS row MATCH (a:{start} {{id: row.start}}) "
            f"MATCH (b:{end} {{id: row.end}}) {verb} (a)-[r:{rel_type}{key}]->(b) SET r = row.props"
        )
        result.extend(Statement(query, batch) for batch in batches(rows, batch_size))
    return result


def _node_row(node: NodeRow) -> dict[str, Any]:
    return {"props": {"id": node.id, **node.props}}


def rel_row(rel: RelRow) -> dict[str, Any]:
    row: dict[str, Any] = {"start": rel.start, "end": rel.end, "props": rel.props}
    if rel.type is RelType.FUNDS:
        row["key"] = rel.props[GRANT_KEY]
    return row


def batches[T](rows: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


"""The generic way to write a graph: batched ``UNWIND $rows`` statements, on any engine.

Labels and relationship types in the query text come from ``kg.schema`` (never from the
data); every value travels as a parameter. Neo4j writes every graph this way; the
embedded engine merges into a non-empty store this way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from kg.schema.graph import DATASET_LABEL, DATASETS_PROPERTY, GraphData, NodeRow, RelRow
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


RelKey = tuple[str, str, str, str]
"""A relationship's identity: start id, type, end id, and the grant key for FUNDS
(``RelRow.key``)."""


def delete_statements(
    nodes: Mapping[Label, Sequence[str]], relationships: Sequence[RelKey]
) -> list[Statement]:
    """Delete nodes by label and id (with every relationship touching them), and
    relationships by their identity."""
    result = [
        Statement(f"UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) DETACH DELETE n", batch)
        for label, ids in nodes.items()
        for batch in batches([{"id": node_id} for node_id in ids], BATCH_SIZE)
    ]
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for start, rel_type, end, grant in relationships:
        by_type[rel_type].append({"start": start, "end": end, "key": grant})
    for rel_type, rows in by_type.items():
        result.extend(
            Statement(f"{_match_relationship(RelType(rel_type))} DELETE r", batch)
            for batch in batches(rows, BATCH_SIZE)
        )
    return result


def tag_statements(
    nodes: Mapping[Label, Sequence[tuple[str, list[str] | None]]],
    relationships: Sequence[tuple[RelKey, list[str] | None]],
) -> list[Statement]:
    """Set the datasets that state each node and relationship (None removes the tag)."""
    result = [
        Statement(
            f"UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) "
            f"SET n.{DATASETS_PROPERTY} = row.tags",
            batch,
        )
        for label, tags in nodes.items()
        for batch in batches([{"id": node_id, "tags": tag} for node_id, tag in tags], BATCH_SIZE)
    ]
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (start, rel_type, end, grant), tag in relationships:
        by_type[rel_type].append({"start": start, "end": end, "key": grant, "tags": tag})
    for rel_type, rows in by_type.items():
        query = f"{_match_relationship(RelType(rel_type))} SET r.{DATASETS_PROPERTY} = row.tags"
        result.extend(Statement(query, batch) for batch in batches(rows, BATCH_SIZE))
    return result


def _match_relationship(rel_type: RelType) -> str:
    start, end = endpoints(rel_type)
    key = f" WHERE r.{GRANT_KEY} = row.key" if rel_type is RelType.FUNDS else ""
    return (
        f"UNWIND $rows AS row MATCH (a:{start} {{id: row.start}})-[r:{rel_type}]->"
        f"(b:{end} {{id: row.end}}){key}"
    )


def register_statements(dataset: str, *, base: str, fresh: bool) -> list[Statement]:
    """Record ``dataset`` as loaded; ``fresh``: the store holds nothing else, so the
    record starts again with it as the base."""
    record = Statement(
        f"MERGE (d:{DATASET_LABEL} {{name: $name}}) SET d.base = $base",
        params={"name": dataset, "base": dataset == base},
    )
    if not fresh:
        return [record]
    return [Statement(f"MATCH (d:{DATASET_LABEL}) DELETE d"), record]


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

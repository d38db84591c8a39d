"""Write a validated dataset to a store: batched ``UNWIND $rows`` statements.

Labels and relationship types in the query text come from ``kg.schema`` (never from the
data); every value travels as a parameter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.loaders.dataset import GraphData, KnownNode, NodeRow, RelRow, read_dataset
from kg.schema.model import Label, RelType, endpoints
from kg.store import Progress, Statement, Store

BATCH_SIZE = 20_000
"""Rows per ``UNWIND``: large enough to amortise a round trip, small enough for memory."""


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
) -> LoadReport:
    """Validate the datasets at ``paths`` and write them to ``store`` in one unit of work.

    Without ``replace`` the data is merged into what the store holds (nodes by id) and
    may refer to nodes already there. Raises ``DatasetError`` before writing anything
    when the data has any problem.
    """
    known = {} if replace else known_nodes(store)
    graph = read_dataset(paths, known)
    fresh = replace or not known
    store.write(
        statements(
            graph, fresh=fresh, clear=replace and store_has_nodes(store), batch_size=batch_size
        ),
        progress,
    )
    return LoadReport(dict(graph.label_counts()), dict(graph.type_counts()), replace)


def known_nodes(store: Store) -> dict[str, KnownNode]:
    """Every node in the store as id -> (label, name), for references and merges."""
    result = store.run("MATCH (n) RETURN n.id AS id, labels(n)[0] AS label, n.name AS name")
    return {
        row[0]: KnownNode(Label(row[1]), row[2])
        for row in result.rows
        if row[0] is not None and row[1] in Label._value2member_map_
    }


def store_has_nodes(store: Store) -> bool:
    return bool(store.run("MATCH (n) RETURN n.id LIMIT 1").rows)


def statements(
    graph: GraphData, *, fresh: bool, clear: bool = False, batch_size: int = BATCH_SIZE
) -> list[Statement]:
    """The statements that write ``graph``; ``fresh`` means the store holds nothing yet."""
    result: list[Statement] = []
    if clear:
        result.append(Statement("MATCH (n) DETACH DELETE n"))
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


def _node_row(node: NodeRow) -> dict[str, Any]:
    return {"props": {"id": node.id, **node.props}}


def _rel_row(rel: RelRow) -> dict[str, Any]:
    row: dict[str, Any] = {"start": rel.start, "end": rel.end, "props": dict(rel.props)}
    if rel.type is RelType.FUNDS:
        # FUNDS may repeat between one funder and one sentra (per budget and year);
        # ``key`` lets MERGE tell them apart, since MERGE cannot match on a null year.
        row["key"] = rel.key[3]
        row["props"]["key"] = rel.key[3]
    return row


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


def counts(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    """Nodes per label and relationships per type in the store, sorted by name."""
    labels = store.run("MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label")
    types = store.run("MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n ORDER BY type")
    return _pairs(labels.rows), _pairs(types.rows)


def _pairs(rows: Iterable[list[Any]]) -> dict[str, int]:
    return {str(row[0]): int(row[1]) for row in rows}

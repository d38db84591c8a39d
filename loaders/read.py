"""Read a whole dataset into a validated graph before anything is written.

``read_dataset`` runs the stages in order: find the tables (``files``), validate the
node rows (``validate``), resolve references and build the relationships
(``references``). It returns the complete ``GraphData`` or raises one ``DatasetError``
listing every problem found. Nothing here touches a store, so a bad dataset can never
leave a half-written graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from kg.catalogue import say
from kg.errors import DatasetError, Message, Problem
from kg.loaders.assessments import read_assessments
from kg.loaders.csv_table import Table
from kg.loaders.files import Tables, distinct_name_tables, find_tables
from kg.loaders.followup import read_followup
from kg.loaders.references import Index, References, check_sources, name_key, unknown_sources
from kg.loaders.validate import Validator, check_extra_columns, extra_properties, missing_columns
from kg.loaders.xlsx_tables import in_cells
from kg.memory import paused_gc
from kg.schema.graph import GraphData, KnownNode, NodeRow
from kg.schema.model import ID_PATTERN, Label, Node, Source
from kg.schema.tables import (
    ASSESSMENTS_TABLE,
    DATASET_FILE,
    DISTINCT_NAMES,
    NODE_TABLES,
    SOURCES_TABLE,
)
from kg.store import NodesRead


def read_dataset(
    paths: Sequence[Path],
    known: Mapping[str, KnownNode] | None = None,
    *,
    nodes_read: NodesRead | None = None,
    quick: bool = True,
    sources_optional: bool = False,
    warnings: list[str] | None = None,
) -> GraphData:
    """Read, validate and resolve the datasets at ``paths`` as one dataset.

    ``known`` holds nodes already in the store, which rows may refer to. Raises
    ``DatasetError`` with every problem found; returns the graph only when there is none.
    ``nodes_read`` is called with the graph once its nodes are complete and valid, before
    the relationships are read (they are added to the same graph): a caller may start
    writing the nodes, and must undo that if this then raises. ``quick=False`` judges
    every row by its pydantic model (the same result, ten times slower; for tests).

    A row citing a source the dataset does not declare is a problem, one per source
    listing the rows; with ``sources_optional`` it is not, and one warning naming the
    sources is added to ``warnings``.
    """
    with paused_gc():
        problems: list[Problem] = []
        tables = find_tables(paths, problems)
        distinct = distinct_name_tables(paths, problems)
        graph = GraphData()
        index = Index(dict(known or {}), graph.nodes)
        made = _read_nodes(tables, graph, index, problems, quick, distinct)
        if nodes_read is not None and not problems and (sources_optional or not index.uncited):
            nodes_read(graph)
        _read_relationships(tables, made, graph, index, problems, quick)
        warning = unknown_sources(index, problems, optional=sources_optional)
        if warning is not None and warnings is not None:
            warnings.append(warning)
        if problems:
            raise DatasetError(in_cells(problems, tables))
        return graph


_Made = list[tuple[Table, type[Node], list[NodeRow | None]]]
"""Each node table with its model and the node each of its rows became (None: refused)."""


def _read_nodes(
    tables: Tables,
    graph: GraphData,
    index: Index,
    problems: list[Problem],
    quick: bool,
    distinct: frozenset[str],
) -> _Made:
    for table in tables.get(SOURCES_TABLE, []):
        _table_nodes(table, Source, graph, index, problems, quick)
    made: _Made = []
    for name, model in NODE_TABLES.items():
        names = None if name in distinct else LookAlikes(name, graph)
        for table in tables.get(name, []):
            made.append((table, model,
                         _table_nodes(table, model, graph, index, problems, quick, names)))
    read_assessments(tables.get(ASSESSMENTS_TABLE, []), graph, index, problems, quick)
    read_followup(tables, graph, index, problems, quick)
    for node in graph.nodes:
        if "sources" in node.props:
            check_sources(node.props["sources"], node.origin, index, problems)
    return made


def _read_relationships(
    tables: Tables,
    made: _Made,
    graph: GraphData,
    index: Index,
    problems: list[Problem],
    quick: bool,
) -> None:
    references = References(graph, index, problems, quick=quick)
    references.from_columns(made)
    # Rows are let go once read (relationship tables row by row, see ``Table.consume``):
    # on a national dataset they take as much memory as the graph built from them.
    for name in NODE_TABLES:
        _release(tables.get(name, []))
    for table in tables.get("links", []):
        references.links(table)
    for table in tables.get("funding", []):
        references.funding(table)
    for table in tables.get("responsibilities", []):
        references.responsibilities(table)
    for table in tables.get("raci", []):
        references.raci(table)
        _release([table])


def _release(tables: Iterable[Table]) -> None:
    for table in tables:
        table.rows.clear()


def _table_nodes(
    table: Table,
    model: type[Node],
    graph: GraphData,
    index: Index,
    problems: list[Problem],
    quick: bool,
    names: LookAlikes | None = None,
) -> list[NodeRow | None]:
    """Validate the table's rows into nodes; return the node each row became (None for a
    row refused), in the order of the rows. ``names`` refuses names like earlier ones."""
    validator = Validator(table, model, problems, quick=quick)
    if missing_columns(table, model, problems) | check_extra_columns(table, validator, problems):
        return [None] * len(table.rows)
    made: list[NodeRow | None] = []
    name, label, add_node = table.name, model.label, graph.nodes.append
    for number, cells in table.rows:
        origin = f"{name}:{number}"
        validated = validator.row(number, cells)
        if validated is None:
            _reserve(label, table.record(cells), origin, index)
            made.append(None)
            continue
        node, props, extra = validated
        node_id = node["id"]
        problem = index.add(label, node_id, node["name"], origin)
        if problem:
            problems.append(Problem(name, number, "id", problem))
            made.append(None)
            continue
        if extra:
            props = {**extra_properties(extra), **props}
        made.append(new := NodeRow(label, node_id, props, origin))
        add_node(new)
        if names is not None and (problem := names.add(node["name"])):
            problems.append(Problem(name, number, "name", problem))
    return made


class LookAlikes:
    """The names of one node table's rows, to refuse one that looks like an earlier one:
    equal once trimmed, composed, stripped of invisible characters and case-folded
    (``name_key``). Keeps a hash per name and finds the earlier node by its position,
    not a copy of every name: a national table holds hundreds of thousands."""

    def __init__(self, table: str, graph: GraphData) -> None:
        self._table = table
        self._nodes = graph.nodes
        self._seen: dict[int, int] = {}

    def add(self, name: str) -> Message | None:
        """Note the name of the node just added to the graph; a problem if an earlier
        node of the table has a name like it."""
        key = name_key(name)
        position = len(self._nodes) - 1
        earlier = self._seen.setdefault(hash(key), position)
        if earlier == position:
            return None
        other = self._nodes[earlier]
        if name_key(other.props["name"]) != key:
            return None  # two names of one hash: rare, and not alike
        return say("loading.look_alike", name=name, other=other.props["name"],
                   origin=other.origin, file=DATASET_FILE, setting=DISTINCT_NAMES,
                   table=self._table)


def _reserve(label: Label, row: Mapping[str, str], origin: str, index: Index) -> None:
    """Keep a rejected row's id known, so rows referring to it add no second problem."""
    node_id = row.get("id", "").strip()
    if ID_PATTERN.fullmatch(node_id):
        index.add(label, node_id, row.get("name"), origin, accepted=False)

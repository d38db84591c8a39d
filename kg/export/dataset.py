"""Write a graph back out as a dataset directory that ``kg load`` reads.

``dataset_tables`` turns the graph into the dataset's tables (the workbook export writes
the same tables as sheets); ``to_dataset`` writes them as CSV files. Export then load
reproduces the same graph: one CSV per label (``actors.csv``, ...), ``links.csv``,
``funding.csv`` and ``responsibilities.csv`` for relationships, ``assessments.csv`` for the
assessments with the actor each rates, ``engagements.csv``, ``commitments.csv`` and
``indicators.csv`` with the nodes each names in its columns, and the sources in
``dataset.yaml`` (a workbook holds them as a sheet). Text a spreadsheet would run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading
``'``, which ``kg load`` strips again.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import yaml
from pydantic.alias_generators import to_snake

from kg.catalogue import say
from kg.errors import ExportError
from kg.loaders.csv_table import guard
from kg.schema.columns import columns
from kg.schema.model import (
    DERIVED_PROPERTIES,
    GRANT_KEY,
    LINK_TYPES,
    RELATIONSHIP_ROLES,
    Label,
    Node,
    RelType,
    endpoints,
    grant_key,
)
from kg.schema.tables import (
    ASSESSMENTS_TABLE,
    DATASET_FILE,
    FOLLOWUP_TABLES,
    NODE_TABLES,
    SOURCES_TABLE,
)

_FILE_OF = {model.label.value: stem for stem, model in NODE_TABLES.items()}

_NAMED_COLUMN: dict[RelType, tuple[type[Node], str]] = {
    rel_type: (model, column)
    for model in FOLLOWUP_TABLES.values()
    for column, types in model.named.items()
    for rel_type in types
}
"""The follow-up table's model and column that give each relationship type."""

RELATIONSHIP_COLUMNS: dict[str, list[str]] = {
    "links": ["from", "type", "to"],
    "funding": ["funder", "target", "source_type", "amount_idr", "year"],
    "responsibilities": ["activity", "actor", "role"],
}
"""The relationship tables an export writes, and their first columns."""


@dataclass(frozen=True)
class DatasetTable:
    """One table of a dataset: its columns and rows of values as the graph holds them."""

    name: str
    """The table's name (the CSV file's stem)."""
    columns: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class Dataset:
    """A graph as dataset tables: every node table, the relationship tables, then the
    sources the rows cite, each possibly without rows."""

    tables: list[DatasetTable]


def dataset_tables(graph: nx.MultiDiGraph) -> Dataset:
    """The tables that hold ``graph``; ``kg load`` of them gives the same graph.

    Raises ``ExportError`` for a node label or relationship type no dataset table holds
    (a graph changed by hand with ``kg cypher --write``, say).
    """
    by_label: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for node, data in sorted(graph.nodes(data=True)):
        label = data.get("label")
        if label not in _FILE_OF and label not in _OTHER_LABELS:
            raise ExportError(say("export.node_not_held", node=node, label=label))
        by_label[label].append((node, data))
    records: dict[str, list[dict[str, Any]]] = {stem: [] for stem in RELATIONSHIP_COLUMNS}
    assessed: dict[str, str] = {}
    named_by: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for start, end, data in sorted(graph.edges(data=True), key=_edge_order):
        rel_type = data["type"]
        props = {k: v for k, v in data.items() if k != "type"}
        if rel_type in _NAMED_COLUMN:
            model, column = _NAMED_COLUMN[rel_type]
            node, other = ((start, end) if endpoints(RelType(rel_type))[0] is model.label
                           else (end, start))
            named_by[node][column].append(other)
        elif rel_type == RelType.FUNDS:
            key = props.pop(GRANT_KEY, None)
            # A key its values give is given again on load; any other was the row's id.
            named = {"id": key} if key is not None and key != grant_key(None, props) else {}
            records["funding"].append({**named, "funder": start, "target": end,
                                       **_snake(props)})
        elif rel_type in RELATIONSHIP_ROLES:
            role = RELATIONSHIP_ROLES[rel_type].value
            records["responsibilities"].append(
                {"activity": end, "actor": start, "role": role, **_snake(props)})
        elif rel_type == RelType.ASSESSES:
            assessed[start] = end  # an assessment's id derives from its actor and day
        elif rel_type in LINK_TYPES:
            records["links"].append({"from": start, "type": rel_type, "to": end,
                                     **_snake(props)})
        else:
            raise ExportError(say("export.relationship_not_held", type=rel_type, start=start,
                                  end=end))
    tables = [
        _table(stem, [f for f in model.model_fields if f not in model.references],
               _node_records(by_label.get(model.label.value, [])))
        for stem, model in NODE_TABLES.items()
    ]
    tables += [_table(stem, first, records[stem]) for stem, first in RELATIONSHIP_COLUMNS.items()]
    assessments = []
    for node, data in by_label.get(Label.ASSESSMENT.value, []):
        if node not in assessed:
            raise ExportError(say("export.assessment_not_held", node=node))
        assessments.append({"actor": assessed[node],
                            **_snake({k: v for k, v in data.items() if k != "label"})})
    tables.append(_table(ASSESSMENTS_TABLE, columns(ASSESSMENTS_TABLE), assessments))
    tables += [
        _table(stem, columns(stem),
               [_followup_record(model, node, data, named_by[node])
                for node, data in by_label.get(model.label.value, [])])
        for stem, model in FOLLOWUP_TABLES.items()
    ]
    sources = _node_records(by_label.get(Label.SOURCE.value, []))
    for source in sources:
        # A source's name is by default its title: loading gives it again.
        if source.get("name") == source.get("title"):
            del source["name"]
    tables.append(_table(SOURCES_TABLE, columns(SOURCES_TABLE), sources))
    return Dataset(tables)


def to_dataset(
    graph: nx.MultiDiGraph, directory: Path, name: str = "export", *, overwrite: bool = False
) -> list[Path]:
    """Write ``graph`` into ``directory`` (created if needed); return the files written.

    Raises ``ExportError``, before writing anything, for a graph no dataset can hold
    (see ``dataset_tables``), and for files of the dataset already in ``directory``
    unless ``overwrite``. A table without rows gets no file.
    """
    tables = {table.name: table for table in dataset_tables(graph).tables}
    sources = tables.pop(SOURCES_TABLE)
    files = [directory / f"{table.name}.csv" for table in tables.values() if table.rows]
    present = [path.name for path in [*files, directory / DATASET_FILE] if path.exists()]
    if present and not overwrite:
        raise ExportError(say("refusals.dataset_present", directory=directory,
                              files=", ".join(present)))
    directory.mkdir(parents=True, exist_ok=True)
    written = [
        _write(directory / f"{table.name}.csv", table.columns, table.rows)
        for table in tables.values()
        if table.rows
    ]
    meta: dict[str, Any] = {"name": name}
    if sources.rows:
        meta[SOURCES_TABLE] = [
            {column: value for column, value in zip(sources.columns, row, strict=True)
             if value is not None}
            for row in sources.rows
        ]
    (directory / DATASET_FILE).write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    written.append(directory / DATASET_FILE)
    return written


_OTHER_LABELS = frozenset({Label.SOURCE, Label.ASSESSMENT,
                           *(model.label for model in FOLLOWUP_TABLES.values())})
"""Labels of nodes that a dataset holds in a table of their own, not a node table."""


def _node_records(nodes: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    return [
        {"id": node, **_snake({k: v for k, v in data.items()
                               if k != "label" and k not in DERIVED_PROPERTIES.get(data["label"],
                                                                                   {})})}
        for node, data in nodes
    ]


def _followup_record(
    model: type[Node], node: str, data: Mapping[str, Any], named: Mapping[str, list[str]]
) -> dict[str, Any]:
    """A row of a follow-up table: its columns, the nodes it names, its name in the
    column it came from; the id only where the table has one (it may have been given)."""
    left_out = {"label", "name", *DERIVED_PROPERTIES.get(model.label, {})}
    record = _snake({k: v for k, v in data.items() if k not in left_out})
    if "id" not in model.not_given:
        record["id"] = node
    if model.name_from is not None:
        record[model.name_from] = data.get("name")
    for column, others in named.items():
        record[column] = "; ".join(others) if len(others) > 1 else others[0]
    return record


def _table(name: str, first: list[str], records: list[dict[str, Any]]) -> DatasetTable:
    """The table of ``records``: the ``first`` columns, then any other they hold."""
    extra = sorted({key for record in records for key in record} - set(first))
    columns = [*first, *extra]
    return DatasetTable(name, columns, [[record.get(c) for c in columns] for record in records])


def _snake(props: Mapping[str, Any]) -> dict[str, Any]:
    return {to_snake(key): value for key, value in props.items()}


def _write(path: Path, columns: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(value) for value in row] for row in rows)
    return path


def _cell(value: Any) -> str:
    """Exact text of a value (no rounding), guarded against spreadsheet formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return guard("|".join(str(v) for v in value))
    if isinstance(value, (int, float)):
        return repr(value)
    return guard(str(value))


def _edge_order(edge: tuple[str, str, dict[str, Any]]) -> tuple[str, str, str, str]:
    start, end, data = edge
    return (data["type"], start, end, str(sorted(data.items(), key=lambda kv: kv[0])))


__all__ = ["Dataset", "DatasetTable", "dataset_tables", "to_dataset"]

"""Write a graph back out as a dataset directory that ``kg load`` reads.

Export then load reproduces the same graph: one CSV per label (``actors.csv``, ...),
``links.csv``, ``funding.csv`` and ``responsibilities.csv`` for relationships, and the
sources in ``dataset.yaml``. Text a spreadsheet would run as a formula (starting with
``=``, ``+``, ``-``, ``@``, tab or carriage return) gets a leading ``'``, which
``kg load`` strips again.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import yaml
from pydantic.alias_generators import to_snake

from kg.errors import ExportError
from kg.loaders.csv_table import guard
from kg.schema.model import LINK_TYPES, RELATIONSHIP_ROLES, Label, Node, RelType, grant_key
from kg.schema.tables import DATASET_FILE, NODE_TABLES

_FILE_OF = {model.label.value: stem for stem, model in NODE_TABLES.items()}


def to_dataset(graph: nx.MultiDiGraph, directory: Path, name: str = "export") -> list[Path]:
    """Write ``graph`` into ``directory`` (created if needed); return the files written.

    Raises ``ExportError``, before writing anything, for a node label or relationship type
    no dataset file holds (a graph changed by hand with ``kg cypher --write``, say).
    """
    by_label: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for node, data in sorted(graph.nodes(data=True)):
        label = data.get("label")
        if label not in _FILE_OF and label != Label.SOURCE:
            raise ExportError(f"a dataset cannot hold node {node!r}, labelled {label!r}")
        by_label[label].append((node, data))
    links: list[dict[str, Any]] = []
    funding: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    for start, end, data in sorted(graph.edges(data=True), key=_edge_order):
        rel_type = data["type"]
        props = {k: v for k, v in data.items() if k != "type"}
        if rel_type == RelType.FUNDS:
            key = props.pop("key", None)
            # A key its values give is given again on load; any other was the row's id.
            named = {"id": key} if key is not None and key != grant_key(None, props) else {}
            funding.append({**named, "funder": start, "target": end, **_snake(props)})
        elif rel_type in RELATIONSHIP_ROLES:
            role = RELATIONSHIP_ROLES[rel_type].value
            roles.append({"activity": end, "actor": start, "role": role, **_snake(props)})
        elif rel_type in LINK_TYPES:
            links.append({"from": start, "type": rel_type, "to": end, **_snake(props)})
        else:
            raise ExportError(f"a dataset cannot hold a {rel_type} relationship {start} -> {end}")
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for label, stem in _FILE_OF.items():
        if by_label.get(label):
            model = NODE_TABLES[stem]
            columns, rows = _node_rows(model, by_label[label])
            written.append(_write(directory / f"{stem}.csv", columns, rows))
    tables: list[tuple[str, list[dict[str, Any]], list[str]]] = [
        ("links", links, ["from", "type", "to"]),
        ("funding", funding, ["funder", "target", "source_type", "amount_idr", "year"]),
        ("responsibilities", roles, ["activity", "actor", "role"]),
    ]
    for stem, records, first in tables:
        if records:
            columns = _columns(first, records)
            written.append(
                _write(
                    directory / f"{stem}.csv",
                    columns,
                    [[record.get(c) for c in columns] for record in records],
                )
            )
    sources = [
        {"id": node, **{k: v for k, v in sorted(data.items()) if k != "label"}}
        for node, data in by_label.get(Label.SOURCE.value, [])
    ]
    meta: dict[str, Any] = {"name": name}
    if sources:
        meta["sources"] = sources
    (directory / DATASET_FILE).write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    written.append(directory / DATASET_FILE)
    return written


def _node_rows(
    model: type[Node], nodes: list[tuple[str, dict[str, Any]]]
) -> tuple[list[str], list[list[Any]]]:
    known = [f for f in model.model_fields if f not in model.references]
    records = [
        {"id": node, **_snake({k: v for k, v in data.items() if k != "label"})}
        for node, data in nodes
    ]
    columns = _columns(known, records)
    return columns, [[record.get(c) for c in columns] for record in records]


def _columns(first: list[str], rows: Iterable[Mapping[str, Any]]) -> list[str]:
    extra = sorted({key for row in rows for key in row} - set(first))
    return [*first, *extra]


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


__all__ = ["to_dataset"]

"""Read the office's follow-up: engagements, commitments and indicators.

Each row becomes a node, and each node its columns name (``Node.named``: by id or name,
as the responsibility chart does) a relationship to it. They are read once every other
node is read, in the order of ``FOLLOWUP_TABLES``: a commitment may name the engagement
where it was made. A row's id, when not given, comes from its other columns
(``Engagement.node_id``, ...), so a row given twice is a duplicate naming both rows.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from kg.catalogue import say
from kg.errors import Problem
from kg.loaders.csv_table import Table
from kg.loaders.references import Index, label_word
from kg.loaders.validate import Validator, columns_refused, extra_properties
from kg.schema.graph import GraphData, NodeRow, RelRow
from kg.schema.model import Label, Node, RelType, endpoints
from kg.schema.tables import FOLLOWUP_TABLES


def read_followup(
    tables: Mapping[str, Sequence[Table]],
    graph: GraphData,
    index: Index,
    problems: list[Problem],
    quick: bool = True,
) -> None:
    """Add a node, and its relationships, for each valid row of the follow-up tables;
    add a problem for each row that is invalid, names an unknown node or repeats one."""
    for name, model in FOLLOWUP_TABLES.items():
        for table in tables.get(name, []):
            _read_table(table, model, graph, index, problems, quick)


def _read_table(
    table: Table,
    model: type[Node],
    graph: GraphData,
    index: Index,
    problems: list[Problem],
    quick: bool,
) -> None:
    name = table.name
    validator = Validator(table, model, problems, quick=quick)
    if columns_refused(table, model, validator, problems, say("loading.named_by_columns")):
        return
    for number, cells in table.rows:
        validated = validator.row(number, cells)
        if validated is None:
            continue
        fields, props, extra = validated
        ties = _ties(model, fields, index, problems, name, number)
        if ties is None:
            continue
        node_id = model.model_construct(**fields).node_id(dict(ties))
        origin = f"{name}:{number}"
        taken = index.add(model.label, node_id, None, origin)
        if taken:
            field = "id" if fields.get("id") else (model.name_from or "period")
            problems.append(Problem(name, number, field, taken))
            continue
        if extra:
            props = {**extra_properties(extra), **props}
        graph.nodes.append(NodeRow(model.label, node_id, props, origin))
        for rel_type, other in ties:
            start, end = (node_id, other) if endpoints(rel_type)[0] is model.label else (
                other, node_id)
            graph.relationships.append(RelRow(rel_type, start, end, {}, origin))


_Ties = list[tuple[RelType, str]]
"""The relationships a row's named nodes give: each type with the other end's id."""


def _ties(
    model: type[Node],
    fields: Mapping[str, Any],
    index: Index,
    problems: list[Problem],
    file: str,
    row: int,
) -> _Ties | None:
    """The nodes the row names, each with its relationship type; None after adding a
    problem for each name that resolves to no node, or to nodes of two labels."""
    ties: _Ties = []
    valid = True
    for column, types in model.named.items():
        value = fields.get(column)
        for reference in value if isinstance(value, list) else [value] if value else []:
            found, problem = _resolve(reference, model.label, types, index)
            if found is None:
                problems.append(Problem(file, row, column, problem))
                valid = False
            elif found not in ties:
                ties.append(found)
    return ties if valid else None


def _resolve(
    reference: str, label: Label, types: tuple[RelType, ...], index: Index
) -> tuple[tuple[RelType, str] | None, str]:
    """The type and id of the node ``reference`` names, among the other ends of
    ``types``; else (None, why)."""
    found: _Ties = []
    misses: list[str] = []
    for rel_type in types:
        start, end = endpoints(rel_type)
        other = end if start is label else start
        node_id, problem = index.resolve(reference, other)
        if node_id is not None:
            found.append((rel_type, node_id))
        else:
            misses.append(problem or "")
    if len(found) == 1:
        return found[0], ""
    if found:
        ids = ", ".join(node_id for _, node_id in found)
        return None, say("loading.several_kinds", reference=reference, ids=ids)
    if len(types) == 1:
        return None, misses[0]
    words = [label_word(end if start is label else start)
             for start, end in map(endpoints, types)]
    kinds = functools.reduce(lambda names, last: say("names.listed", names=names, last=last),
                             words)
    return None, say("loading.unknown_reference", label=kinds, reference=reference, hint="")

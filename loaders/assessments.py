"""Read the assessments table: dated ratings of actors, each tied to the actor it rates.

A row names its actor (by id or exact name, as the responsibility chart does) and a day;
the node's id comes from the two (``assessment_id``), so an actor rated twice on one day
is a duplicate, reported at the second row with the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kg.catalogue import say
from kg.errors import Problem
from kg.loaders.csv_table import Table
from kg.loaders.references import Index
from kg.loaders.validate import Validator, columns_refused, extra_properties
from kg.schema.graph import GraphData, NodeRow, RelRow
from kg.schema.model import (
    Assessment,
    Label,
    assessment_id,
)


def read_assessments(
    tables: Sequence[Table],
    graph: GraphData,
    index: Index,
    problems: list[Problem],
    quick: bool = True,
) -> None:
    """Add an Assessment node and its ``ASSESSES`` relationship for each valid row.

    Runs once every other node is read, as rows refer to actors; adds a problem for each
    row that is invalid, names no actor, or repeats an actor's day.
    """
    rel_type, target = Assessment.references["actor"]
    seen: dict[tuple[str, date], str] = {}
    for table in tables:
        name = table.name
        validator = Validator(table, Assessment, problems, quick=quick)
        if columns_refused(table, Assessment, validator, problems,
                           say("loading.assessment_named")):
            continue
        for number, cells in table.rows:
            validated = validator.row(number, cells)
            if validated is None:
                continue
            fields, props, extra = validated
            actor, problem = index.resolve(fields["actor"], target)
            if actor is None:
                problems.append(Problem(name, number, "actor",
                                        problem or say("loading.unknown_actor")))
                continue
            day: date = fields["date"]
            origin = f"{name}:{number}"
            first = seen.setdefault((actor, day), origin)
            if first != origin:
                problems.append(Problem(name, number, "date", say(
                    "loading.duplicate_assessment", actor=actor, day=day.isoformat(),
                    first=first)))
                continue
            node_id = assessment_id(actor, day)
            taken = index.add(Label.ASSESSMENT, node_id, None, origin)
            if taken:
                problems.append(Problem(name, number, "date", taken))
                continue
            if extra:
                props = {**extra_properties(extra), **props}
            graph.nodes.append(NodeRow(Label.ASSESSMENT, node_id, props, origin))
            graph.relationships.append(RelRow(rel_type, node_id, actor, {}, origin))

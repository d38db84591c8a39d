"""How much a store holds: nodes per label and relationships per type.

Counted per label and per type of ``kg.schema``: both engines answer
``MATCH (n:Label) RETURN count(n)`` from their own counters, while one query grouping
every node by its label reads them all (32 s on the national benchmark graph).
"""

from __future__ import annotations

from typing import Any

from kg.schema.graph import GraphCounts
from kg.schema.model import Label, RelType
from kg.store import Store


def graph_counts(store: Store) -> GraphCounts:
    """Nodes per label and relationships per type in ``store``, by name; zeros left out.

    Labels and types come from ``kg.schema``, never from the data, so they may stand in
    the query text.
    """
    labels = {
        label.value: store.run(f"MATCH (n:{label.value}) RETURN count(n)").scalar()
        for label in sorted(Label, key=str)
    }
    types = {
        rel_type.value: store.run(f"MATCH ()-[r:{rel_type.value}]->() RETURN count(r)").scalar()
        for rel_type in sorted(RelType, key=str)
    }
    return (
        {name: count for name, count in labels.items() if count},
        {name: count for name, count in types.items() if count},
    )


def count_table(counts: GraphCounts) -> tuple[list[str], list[list[Any]]]:
    """``counts`` as rows of kind, name and count: labels, then types, each by name."""
    labels, types = counts
    rows: list[list[Any]] = [["node", name, count] for name, count in sorted(labels.items())]
    rows += [["relationship", name, count] for name, count in sorted(types.items())]
    return ["kind", "name", "count"], rows

"""The schema as a table: each label with its properties, each allowed relationship."""

from __future__ import annotations

from kg.schema.model import ALLOWED, NODE_MODELS


def schema_table() -> tuple[list[str], list[list[str]]]:
    """A row per label (its properties by their dataset names, references left out), then
    a row per allowed relationship with its ``(Start)-[:TYPE]->(End)`` pattern."""
    rows = []
    for label, model in NODE_MODELS.items():
        properties = [
            info.serialization_alias or name
            for name, info in model.model_fields.items()
            if name not in model.references
        ]
        rows.append(["node", label.value, ", ".join(properties)])
    for start, rel, end in sorted(ALLOWED):
        rows.append(["relationship", rel.value, f"({start})-[:{rel}]->({end})"])
    return ["kind", "name", "properties / pattern"], rows

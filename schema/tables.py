"""The dataset format: which table (a CSV file, a YAML list) holds which rows.

A dataset is a directory of ``<table>.csv`` files and an optional ``dataset.yaml``, or
one YAML file holding the same tables as lists. DESIGN.md and README describe the
columns; the models in ``kg.schema.model`` define them.
"""

from __future__ import annotations

from kg.schema.model import (
    Activity,
    Actor,
    Commodity,
    Kecamatan,
    Market,
    Node,
    Regulation,
    Sentra,
    Zone,
)

NODE_TABLES: dict[str, type[Node]] = {
    "zones": Zone,
    "kecamatan": Kecamatan,
    "commodities": Commodity,
    "sentra": Sentra,
    "actors": Actor,
    "markets": Market,
    "regulations": Regulation,
    "activities": Activity,
}
"""Table name (CSV file stem) -> the node model its rows follow, in the order read."""

RELATIONSHIP_TABLES = ("links", "funding", "responsibilities", "raci")
"""Tables whose rows become relationships, in the order read."""

DATASET_FILE = "dataset.yaml"
"""The dataset's own file: name, title, the sources its rows cite, and optionally tables."""

DATASET_KEYS = frozenset({"name", "title", "description", "license", "sources"})
"""Keys of ``dataset.yaml`` besides tables."""

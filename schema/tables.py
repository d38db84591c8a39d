"""The dataset format: which table (a CSV file, a YAML list, a sheet) holds which rows.

A dataset is a directory of ``<table>.csv`` files and an optional ``dataset.yaml``, or
one YAML file holding the same tables as lists, or a workbook (``.xlsx``) holding them
as sheets. DESIGN.md and README describe the columns; the models in ``kg.schema.model``
define them.
"""

from __future__ import annotations

from kg.schema.model import (
    Activity,
    Actor,
    Commitment,
    Commodity,
    Engagement,
    Indicator,
    Kecamatan,
    Market,
    Node,
    Regulation,
    Sentra,
    Zone,
)
from kg.schema.names import TABLE_WORDS

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

SOURCES_TABLE = "sources"
"""The table of the documents rows cite (``kg.schema.model.Source``): its ids are what a
row's ``sources`` column names. ``dataset.yaml`` holds it too, under this key."""

ASSESSMENTS_TABLE = "assessments"
"""The table of dated ratings of actors (``kg.schema.model.Assessment``): read after the
node tables, as each row names its actor."""

FOLLOWUP_TABLES: dict[str, type[Node]] = {
    "engagements": Engagement,
    "commitments": Commitment,
    "indicators": Indicator,
}
"""The office's follow-up, in the order read (a commitment may name the engagement where
it was made): tables whose rows become nodes tied to the nodes they name
(``Node.named``), read after every other node table."""

TABLE_NAMES = frozenset({SOURCES_TABLE, ASSESSMENTS_TABLE, *NODE_TABLES, *RELATIONSHIP_TABLES,
                         *FOLLOWUP_TABLES})
"""Every table a dataset may hold: a CSV file's name without ``.csv``, a sheet's name."""

SHEET_NAMES: dict[str, str] = {
    word: table for table, word in TABLE_WORDS.items() if table in TABLE_NAMES
}
"""Indonesian sheet name -> table name. A workbook's sheet is named like the table
(``actors``) or by its Indonesian name (``aktor``), in any case, spaces read as ``_``."""

INSTRUCTION_SHEET_TITLES = {"id": "Petunjuk", "en": "Instructions"}
"""The sheet that explains a workbook to its users, by language; it holds no table."""

INSTRUCTION_SHEETS = frozenset(title.casefold() for title in INSTRUCTION_SHEET_TITLES.values())
"""Names (lower case) of sheets a workbook may hold besides its tables."""

DATASET_FILE = "dataset.yaml"
"""The dataset's own file: name, title, the sources its rows cite, and optionally tables."""

DISTINCT_NAMES = "distinct_names"
"""Key of ``dataset.yaml`` listing the node tables whose rows may share a name, being
different things (two kecamatan of one name in two regencies). Elsewhere two rows of
one label whose names are equal once trimmed, composed (NFC), stripped of invisible
characters and case-folded are an error, as duplicate ids are."""

DATASET_KEYS = frozenset({"name", "title", "description", "license", DISTINCT_NAMES})
"""Keys of ``dataset.yaml`` besides tables."""

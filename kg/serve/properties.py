"""A node's properties as its page shows them in a language.

The graph stores a column's value under the column's camelCase name (``kiosks_total`` as
``kiosksTotal``, ``kg.schema.model``); the page names each property as the dataset's
column is named in the language (``kg.schema.names.COLUMN_WORDS``: ``jumlah_kios``) and
words the values of the model's enumerations (``VALUE_WORDS``: ``pemerintah``), so a page
in Bahasa Indonesia reads as the workbook of ``kg template --lang id`` does. Properties a
load derives (``DERIVED_PROPERTIES``: ``periodEnd``) are no column; the catalogue's
``[serve.derived]`` names them. English keeps the stored names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic.alias_generators import to_snake

from kg.catalogue import catalogue
from kg.schema.columns import TABLE_MODELS, enum_of
from kg.schema.names import column_word, value_word

_TABLE_OF_LABEL = {model.label: table for table, model in TABLE_MODELS.items()
                   if hasattr(model, "label")}
"""The dataset table whose rows become nodes of each label."""


def property_rows(label: str, properties: Mapping[str, Any], lang: str) -> list[list[str]]:
    """``[key, name, value]`` per property, by key: the stored key, its name in ``lang``
    and its value as text in ``lang`` (lists joined with commas, yes/no for flags).

    >>> property_rows("Sentra", {"status": "inactive", "kiosksTotal": 74}, "id")
    [['kiosksTotal', 'jumlah_kios', '74'], ['status', 'status', 'tidak_aktif']]
    >>> property_rows("Indicator", {"periodEnd": "2023-12-31", "kind": "actual"}, "id")
    [['kind', 'jenis', 'realisasi'], ['periodEnd', 'akhir_periode', '2023-12-31']]
    """
    words = catalogue(lang)
    derived: Mapping[str, str] = words["serve"]["derived"]
    yes_no = (words["viz"]["yes"], words["viz"]["no"])
    table = _TABLE_OF_LABEL.get(label)
    rows = []
    for key, value in sorted(properties.items()):
        column = to_snake(key)
        kind = enum_of(table, column) if table is not None else None
        name = key if lang == "en" else derived.get(key) or column_word(column, lang)
        rows.append([key, name, _text(value, kind, lang, yes_no)])
    return rows


def _text(value: Any, kind: Any, lang: str, yes_no: tuple[str, str]) -> str:
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, list):
        return ", ".join(_text(item, kind, lang, yes_no) for item in value)
    if kind is not None and isinstance(value, str):
        return value_word(kind, value, lang)
    return "" if value is None else str(value)

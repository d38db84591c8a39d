"""Read a dataset's YAML file: its name and sources, and any tables given as lists.

``dataset.yaml`` (or a dataset that is one YAML file) maps table names to lists of
mappings; each list becomes a ``Table`` of cells, as a CSV file would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kg.catalogue import say
from kg.errors import Problem
from kg.loaders.csv_table import Table, cell_problem, composed, normalise_header, shown
from kg.schema.names import table_name
from kg.schema.tables import DATASET_KEYS, TABLE_NAMES

YAML_TABLES = TABLE_NAMES - {"raci"}
"""Tables a YAML file may hold (the RACI matrix has no fixed columns: CSV only)."""


def read_yaml(path: Path, add: Callable[[str, Table], None], problems: list[Problem]) -> None:
    """Read the YAML file at ``path``; call ``add(table_name, table)`` for each table."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(Problem(str(path), None, None, say("loading.yaml_not_utf8")))
        return
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(path, exc))
        return
    except RecursionError:
        problems.append(Problem(str(path), None, None, say("loading.yaml_too_deep")))
        return
    if document is None:
        return
    if not isinstance(document, dict):
        problems.append(Problem(str(path), None, None, say("loading.yaml_not_mapping")))
        return
    allowed = DATASET_KEYS | YAML_TABLES
    for key, value in document.items():
        table_key = table_name(str(key))  # a table's English or Indonesian name
        if key not in DATASET_KEYS and table_key not in YAML_TABLES:
            problems.append(
                Problem(str(path), None, shown(str(key)),
                        say("loading.yaml_unknown_key", keys=", ".join(sorted(allowed))))
            )
        elif table_key in YAML_TABLES:
            table = _yaml_table(str(path), str(key), value, problems)
            if table is not None:
                add(table_key, table)


def _yaml_problem(path: Path, exc: yaml.YAMLError) -> Problem:
    """One line naming the line and column, not PyYAML's multi-line report."""
    mark = getattr(exc, "problem_mark", None)
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    what = ", ".join(str(p) for p in parts if p) or str(exc).splitlines()[0]
    where = say("loading.yaml_column", column=mark.column + 1) if mark is not None else ""
    return Problem(str(path), mark.line + 1 if mark is not None else None, None,
                   say("loading.yaml_invalid", what=what, where=where))


def _yaml_table(file: str, key: str, items: Any, problems: list[Problem]) -> Table | None:
    """Turn ``dataset.yaml``'s list of mappings under ``key`` into a table of text."""
    name = f"{file}#{key}"
    if not isinstance(items, list):
        problems.append(Problem(name, None, None, say("loading.yaml_not_list")))
        return None
    columns: dict[str, None] = {}
    table = Table(name, [])
    records: list[tuple[int, dict[str, str]]] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(name, number, None, say("loading.yaml_not_row")))
            continue
        row: dict[str, str] = {}
        for field_name, value in item.items():
            column = normalise_header(str(field_name))
            text = _yaml_text(value)
            text = text if text is None else composed(text)
            if text is None:
                columns[column] = None
                problems.append(Problem(name, number, column, say("loading.yaml_nested")))
                continue
            if problem := cell_problem(text):
                problems.append(Problem(name, number, column, problem))
            row[column] = text
        columns.update(dict.fromkeys(row))
        records.append((number, row))
    # A key a mapping leaves out is an empty cell, as in a CSV file.
    table.columns = list(columns)
    table.rows = [(number, [row.get(c, "") for c in columns]) for number, row in records]
    return table


def _yaml_text(value: Any) -> str | None:
    """A YAML value as cell text; None for nested structures (anchors can make them huge)."""
    if isinstance(value, list):
        parts = [_yaml_scalar(v) for v in value]
        return None if None in parts else "|".join(p for p in parts if p is not None)
    return _yaml_scalar(value)


def _yaml_scalar(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict | set):
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)

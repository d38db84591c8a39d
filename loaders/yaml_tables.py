"""Read a dataset's YAML file: its name and sources, and any tables given as lists.

``dataset.yaml`` (or a dataset that is one YAML file) maps table names to lists of
mappings; each list becomes a ``Table`` of cells, as a CSV file would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kg.catalogue import recognised, say
from kg.errors import Message, Problem
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
    except ValueError as exc:  # a tagged value that is not its type: !!int x, !!float x
        problems.append(Problem(str(path), None, None, say(
            "loading.yaml_invalid", what=say("loading.yaml_tag", detail=str(exc)), where="")))
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
    """One line naming the line and column, not PyYAML's multi-line report: the problem
    in our words (``_YAML_PROBLEMS``), else quoting PyYAML's."""
    what = yaml_words(exc)
    # An unclosed quote or bracket is found at the end of the file: name where it opened.
    opened = isinstance(what, Message) and what.key in _OPENED
    mark = getattr(exc, "context_mark" if opened else "problem_mark", None)
    where = say("loading.yaml_column", column=mark.column + 1) if mark is not None else ""
    return Problem(str(path), mark.line + 1 if mark is not None else None, None,
                   say("loading.yaml_invalid", what=what, where=where))


_YAML_PROBLEMS = (
    (re.compile(r"mapping values are not allowed here"), "loading.yaml_colon"),
    (re.compile(r"found character '\\t' that cannot start any token"), "loading.yaml_tab"),
    (re.compile(r"found character '(?P<character>.)' that cannot start any token"),
     "loading.yaml_character"),
    (re.compile(r"expected <block end>, but found .*"), "loading.yaml_indent"),
    (re.compile(r"could not find expected ':'"), "loading.yaml_no_colon"),
    (re.compile(r"found unexpected end of stream"), "loading.yaml_open_quote"),
    (re.compile(r"found unknown escape character '?(?P<character>.+?)'?"), "loading.yaml_escape"),
    (re.compile(r"found undefined alias '(?P<name>.*)'"), "loading.yaml_alias"),
    (re.compile(r"expected ',' or '\]', but got .*"), "loading.yaml_open_list"),
    (re.compile(r"expected ',' or '}', but got .*"), "loading.yaml_open_mapping"),
)
"""PyYAML's common problems (its ``problem`` text) and the catalogue's words for each."""
_OPENED = {"loading.yaml_open_quote", "loading.yaml_open_list", "loading.yaml_open_mapping"}
"""The problems of something opened and not closed, named where it was opened."""


def yaml_words(exc: yaml.YAMLError) -> str:
    """What is wrong in a YAML file, in the catalogue's words; a problem PyYAML words in
    a way not listed here is quoted.

    >>> try:
    ...     yaml.safe_load("sentra:\\n\\t- id: s-1\\n")
    ... except yaml.YAMLError as exc:
    ...     print(yaml_words(exc))
    a tab: indent with spaces
    """
    problem = str(getattr(exc, "problem", None) or "")
    if found := recognised(problem, _YAML_PROBLEMS):
        return found
    if (getattr(exc, "context", None) or "").startswith("found duplicate anchor"):
        anchor = re.search(r"'(.*)'", str(getattr(exc, "context", "")))
        return say("loading.yaml_duplicate_anchor", name=anchor[1] if anchor else "")
    parts = [getattr(exc, "context", None), problem]
    return say("loading.parser_says",
               detail=", ".join(str(p) for p in parts if p) or str(exc).splitlines()[0])


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

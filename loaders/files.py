"""Find a dataset's tables: the CSV files of a directory, the lists of its YAML file, the
sheets of a workbook.

``find_tables`` takes the paths a user gave (directories, YAML files, ``.xlsx``
workbooks, CSV files of one table each) and returns every table they hold, grouped by
table name, with a problem for anything that is not part of a dataset: an unknown file,
a path that does not exist, a directory with no table, a workbook in another format than
``.xlsx``. A table, and each of its columns, may be named in English or in Indonesian
(``aktor.csv``, ``nama``: ``kg.schema.names``); it is read by its English names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from kg.catalogue import by_language, say
from kg.errors import Problem
from kg.loaders.csv_table import Table, read_csv
from kg.loaders.xlsx_tables import read_workbook
from kg.loaders.yaml_tables import read_yaml
from kg.schema.columns import own_columns
from kg.schema.names import TABLE_WORDS, column_word, english_columns, table_name
from kg.schema.tables import DATASET_FILE, DISTINCT_NAMES, NODE_TABLES, TABLE_NAMES

CSV_SUFFIX = ".csv"

YAML_SUFFIXES = (".yaml", ".yml")

WORKBOOK_SUFFIX = ".xlsx"

OTHER_WORKBOOK_SUFFIXES = (".xls", ".xlsm", ".xlsb", ".ods")
"""Spreadsheet files not read: Excel 97-2003, macro-enabled, binary and OpenDocument."""

Tables = dict[str, list[Table]]
"""Table name -> the tables of that name, in the order found."""


def find_tables(paths: Sequence[Path], problems: list[Problem]) -> Tables:
    """Every table in ``paths``; a problem for each path or file that is not a dataset's."""
    tables: Tables = {}

    def add(name: str, table: Table | None) -> None:
        if table is not None and (read := in_english(name, table, problems)) is not None:
            tables.setdefault(name, []).append(read)

    for path in paths:
        suffix = path.suffix.lower()
        if path.is_dir():
            _directory(path, add, problems)
        elif path.is_file() and suffix in YAML_SUFFIXES:
            read_yaml(path, add, problems)
        elif path.is_file() and suffix == WORKBOOK_SUFFIX:
            read_workbook(path, add, problems)
        elif path.is_file() and suffix == CSV_SUFFIX:
            _csv_file(path, add, problems)
        elif path.is_file() and suffix in OTHER_WORKBOOK_SUFFIXES:
            problems.append(Problem(str(path), None, None,
                                    say("loading.other_workbook", suffix=suffix)))
        elif path.exists():
            problems.append(Problem(str(path), None, None, say("loading.not_a_dataset_path")))
        else:
            problems.append(Problem(str(path), None, None, say("loading.no_such_path")))
    return tables


def in_english(name: str, table: Table, problems: list[Problem]) -> Table | None:
    """``table`` (of table ``name``) with its Indonesian column names read as English;
    None after a problem for each column given in both languages."""
    # The RACI matrix has no columns of its own: its header names actors.
    english = english_columns(table.columns, own_columns(name))
    twice = {column for column in english if english.count(column) > 1}
    for column in sorted(twice):
        problems.append(Problem(table.name, 1, column, say(
            "loading.both_names", english=column, indonesian=column_word(column, "id"))))
    if twice:
        return None
    table.columns = english
    return table


def _table_files() -> str:
    return ", ".join(f"{s}.csv" for s in sorted(TABLE_NAMES))


_FILES = by_language(
    en=_table_files(),
    id=", ".join(f"{TABLE_WORDS.get(s, s)}.csv" for s in sorted(TABLE_NAMES,
                                                              key=lambda t: TABLE_WORDS.get(t, t))),
)


def _csv_file(path: Path, add: Callable[[str, Table | None], None],
              problems: list[Problem]) -> None:
    """A CSV file given alone: a table named after its file, in English or Indonesian."""
    name = table_name(path.stem.casefold())
    if name is None:
        problems.append(Problem(str(path), None, None, say("loading.unknown_file", files=_FILES)))
        return
    add(name, read_csv(path, problems))


def _directory(
    path: Path, add: Callable[[str, Table | None], None], problems: list[Problem]
) -> None:
    found = False
    if (path / DATASET_FILE).is_file():
        read_yaml(path / DATASET_FILE, add, problems)
        found = True
    for csv_path in sorted(p for p in path.iterdir() if p.suffix.lower() == CSV_SUFFIX):
        found = True
        _csv_file(csv_path, add, problems)
    if not found:
        workbooks = sorted(path.glob(f"*{WORKBOOK_SUFFIX}"))
        hint = say("loading.workbook_hint", path=workbooks[0]) if workbooks else ""
        problems.append(Problem(str(path), None, None, say(
            "loading.no_dataset", dataset_file=DATASET_FILE, files=_FILES, hint=hint)))

def dataset_name(paths: Sequence[Path]) -> str:
    """The name a load of ``paths`` records: each path's ``name`` in its YAML file
    (``dataset.yaml`` in a folder), else the folder's or file's name; several paths
    loaded together form one dataset named ``a+b``."""
    return "+".join(_name(path) for path in paths)


def distinct_name_tables(paths: Sequence[Path], problems: list[Problem]) -> frozenset[str]:
    """The node tables whose rows may share a name, as the paths' YAML files state
    (``distinct_names: [kecamatan]``); a problem for a value that names no node table."""
    tables: set[str] = set()
    for path in paths:
        document = _document(path)
        if DISTINCT_NAMES not in document:
            continue
        stated = document[DISTINCT_NAMES]
        if isinstance(stated, list) and all(name in NODE_TABLES for name in stated):
            tables.update(stated)
        else:
            problems.append(Problem(str(_yaml_file(path)), None, DISTINCT_NAMES,
                                    say("loading.distinct_names",
                                        tables=", ".join(NODE_TABLES))))
    return frozenset(tables)


def _name(path: Path) -> str:
    name = _document(path).get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    resolved = path.resolve()
    return resolved.name if path.is_dir() else resolved.stem


def _yaml_file(path: Path) -> Path:
    return path / DATASET_FILE if path.is_dir() else path


def _document(path: Path) -> dict[object, object]:
    """The mapping in the path's YAML file, if it has one (problems with the file are
    reported when it is read as a dataset)."""
    yaml_file = _yaml_file(path)
    if yaml_file.suffix.lower() in YAML_SUFFIXES and yaml_file.is_file():
        try:
            document = yaml.safe_load(yaml_file.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError, yaml.YAMLError, RecursionError):  # ValueError: !!int x
            document = None
        if isinstance(document, dict):
            return document
    return {}

"""Find a dataset's tables: the CSV files of a directory, the lists of its YAML file, the
sheets of a workbook.

``find_tables`` takes the paths a user gave (directories, YAML files, ``.xlsx``
workbooks) and returns every table they hold, grouped by table name, with a problem for
anything that is not part of a dataset: an unknown file, a path that does not exist, a
directory with no table, a workbook in another format than ``.xlsx``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from kg.errors import Problem
from kg.loaders.csv_table import Table, read_csv
from kg.loaders.xlsx_tables import read_workbook
from kg.loaders.yaml_tables import read_yaml
from kg.schema.tables import DATASET_FILE, DISTINCT_NAMES, NODE_TABLES, TABLE_NAMES

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
        if table is not None:
            tables.setdefault(name, []).append(table)

    for path in paths:
        suffix = path.suffix.lower()
        if path.is_dir():
            _directory(path, add, problems)
        elif path.is_file() and suffix in YAML_SUFFIXES:
            read_yaml(path, add, problems)
        elif path.is_file() and suffix == WORKBOOK_SUFFIX:
            read_workbook(path, add, problems)
        elif path.is_file() and suffix in OTHER_WORKBOOK_SUFFIXES:
            problems.append(Problem(str(path), None, None, f"a {suffix} workbook is not read: "
                                    "save it as 'Excel Workbook (.xlsx)' and load that"))
        elif path.exists():
            problems.append(Problem(str(path), None, None, "expected a dataset directory, "
                                    "a .yaml file or an .xlsx workbook"))
        else:
            problems.append(Problem(str(path), None, None, "no such file or directory"))
    return tables


def _directory(
    path: Path, add: Callable[[str, Table | None], None], problems: list[Problem]
) -> None:
    found = False
    if (path / DATASET_FILE).is_file():
        read_yaml(path / DATASET_FILE, add, problems)
        found = True
    for csv_path in sorted(path.glob("*.csv")):
        name = csv_path.stem.lower()
        found = True
        if name not in TABLE_NAMES:
            problems.append(
                Problem(
                    str(csv_path), None, None,
                    "unknown dataset file; expected one of "
                    + ", ".join(f"{s}.csv" for s in sorted(TABLE_NAMES)),
                )
            )
            continue
        add(name, read_csv(csv_path, problems))
    if not found:
        workbooks = sorted(path.glob(f"*{WORKBOOK_SUFFIX}"))
        hint = (f"; a workbook is loaded by its own path: kg load {workbooks[0]}"
                if workbooks else "")
        problems.append(
            Problem(str(path), None, None,
                    f"no dataset here: expected {DATASET_FILE} or CSV files named "
                    + ", ".join(f"{s}.csv" for s in sorted(TABLE_NAMES)) + hint)
        )

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
                                    "expected a list of node tables, of "
                                    + ", ".join(NODE_TABLES)))
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
        except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
            document = None
        if isinstance(document, dict):
            return document
    return {}

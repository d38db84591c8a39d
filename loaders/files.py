"""Find a dataset's tables: the CSV files of a directory and the lists of its YAML file.

``find_tables`` takes the paths a user gave (directories, YAML files) and returns every
table they hold, grouped by table name, with a problem for anything that is not part
of a dataset: an unknown file, a path that does not exist, a directory with no table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kg.errors import Problem
from kg.loaders.csv_table import Table, read_csv
from kg.loaders.yaml_tables import read_yaml
from kg.schema.tables import DATASET_FILE, NODE_TABLES, RELATIONSHIP_TABLES

TABLE_NAMES = frozenset({*NODE_TABLES, *RELATIONSHIP_TABLES})
"""Names a CSV file of a dataset directory may have (without ``.csv``)."""

YAML_SUFFIXES = (".yaml", ".yml")

Tables = dict[str, list[Table]]
"""Table name -> the tables of that name, in the order found."""


def find_tables(paths: Sequence[Path], problems: list[Problem]) -> Tables:
    """Every table in ``paths``; a problem for each path or file that is not a dataset's."""
    tables: Tables = {}

    def add(name: str, table: Table | None) -> None:
        if table is not None:
            tables.setdefault(name, []).append(table)

    for path in paths:
        if path.is_dir():
            _directory(path, add, problems)
        elif path.is_file() and path.suffix.lower() in YAML_SUFFIXES:
            read_yaml(path, add, problems)
        elif path.exists():
            problems.append(
                Problem(str(path), None, None, "expected a dataset directory or a .yaml file")
            )
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
        problems.append(
            Problem(str(path), None, None,
                    f"no dataset here: expected {DATASET_FILE} or CSV files named "
                    + ", ".join(f"{s}.csv" for s in sorted(TABLE_NAMES)))
        )

"""Read the RACI table (``raci.csv``), the Linear Responsibility Chart, in either shape
spreadsheets export.

* matrix: first column ``activity``, one column per actor (id or name), cells of the
  letters R, A, C, I alone or joined (``A/R``, ``R,A``, ``AR``); blank means no role;
* role columns: ``activity,responsible,accountable,consulted,informed`` (or Indonesian
  headers), each cell naming the actors holding that role, several separated by ``|``
  (or by ``;``/``,`` where that is not the file's separator).

The shape is told apart by the header. References are resolved later, with the rest of
the dataset (``References.raci``): an unknown actor is reported with its cell, the header
cell for a matrix (``matrix_actors``), like any other reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg.catalogue import say
from kg.errors import Message, Problem
from kg.loaders.csv_table import Table, shown
from kg.schema.model import Role

ACTIVITY_HEADERS = frozenset({"activity", "aktivitas", "kegiatan", "activity_id"})

ROLE_HEADERS: dict[str, Role] = {
    "responsible": Role.R, "r": Role.R, "pelaksana": Role.R, "bertanggung_jawab": Role.R,
    "accountable": Role.A, "a": Role.A, "akuntabel": Role.A, "penanggung_jawab": Role.A,
    "consulted": Role.C, "c": Role.C, "dikonsultasikan": Role.C, "konsultasi": Role.C,
    "informed": Role.I, "i": Role.I, "diinformasikan": Role.I, "informasi": Role.I,
}  # fmt: skip

_LETTER_SEPARATORS = re.compile(r"[\s/,;+&]+")

Assignment = tuple[str, str, Role, int]
"""(activity reference, actor reference, role, row number)."""


def read_raci(table: Table, problems: list[Problem]) -> Iterator[Assignment]:
    """Yield every role the chart assigns; add a problem for every bad cell."""
    if not table.columns or table.columns[0] not in ACTIVITY_HEADERS:
        problems.append(
            Problem(
                table.name,
                1,
                table.columns[0] if table.columns else None,
                say("loading.raci_first_column"),
            )
        )
        return
    if _has_role_columns(table):
        yield from _role_columns(table)
    else:
        yield from _matrix(table, problems)


def matrix_actors(table: Table) -> list[str]:
    """The actors a matrix's header names, as written; none for a chart of role columns,
    or a table whose first column is not the activity."""
    if not table.columns or table.columns[0] not in ACTIVITY_HEADERS or _has_role_columns(table):
        return []
    return table.headers[1:]


def _has_role_columns(table: Table) -> bool:
    role_columns = table.columns[1:]
    return bool(role_columns) and all(column in ROLE_HEADERS for column in role_columns)


def _role_columns(table: Table) -> Iterator[Assignment]:
    separators = "|" + "".join(s for s in ";," if s != table.delimiter)
    split = re.compile("[" + re.escape(separators) + "]")
    roles = [ROLE_HEADERS[column] for column in table.columns[1:]]
    for number, cells in table.rows:
        activity = cells[0].strip()
        for role, cell in zip(roles, cells[1:], strict=True):
            for actor in split.split(cell):
                if actor.strip():
                    yield activity, actor.strip(), role, number


def _matrix(table: Table, problems: list[Problem]) -> Iterator[Assignment]:
    activity_column = table.columns[0]
    for number, cells in table.rows:
        activity = cells[0].strip()
        if not activity:
            problems.append(Problem(table.name, number, activity_column,
                                    say("validation.required")))
            continue
        for actor, cell in zip(table.headers[1:], cells[1:], strict=True):
            roles = _letters(cell)
            if isinstance(roles, Message):
                problems.append(Problem(table.name, number, shown(actor), roles))
                continue
            for role in roles:
                yield activity, actor, role, number


def _letters(cell: str) -> list[Role] | Message:
    """``"A/R"`` -> [A, R]; a message for anything that is not R, A, C, I."""
    letters = _LETTER_SEPARATORS.sub("", cell).upper()
    roles: list[Role] = []
    for letter in letters:
        if letter not in Role.__members__:
            return say("loading.raci_letter", letter=letter, cell=cell.strip())
        if Role(letter) not in roles:
            roles.append(Role(letter))
    return roles

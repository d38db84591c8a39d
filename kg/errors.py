"""Errors raised by sentra-kg.

Every error a user can cause derives from one root, so callers (and the CLI) catch
one type::

    KgError
    ├── DatasetError      bad input: one or more problems, each with file, row, field
    ├── StoreError        the engine failed, is unreachable, or the store is locked
    ├── QueryError        unknown query, bad parameters, or a write without --write
    ├── VizError          a view that cannot be drawn (unknown id, too many nodes)
    ├── ExportError       a graph that cannot be written in the chosen format or place
    └── ResourceError     the machine cannot do this: not enough memory
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


class KgError(Exception):
    """Root of every error sentra-kg raises on purpose."""


class Message(str):
    """Words for a user from the catalogues (``kg.catalogue.say``): as a ``str`` it is the
    English text; its catalogue ``key`` and ``params`` let ``kg.catalogue.in_language``
    word it in another language. A ``KgError`` or a ``Problem`` may carry one."""

    key: str
    params: dict[str, Any]

    def __new__(cls, english: str, key: str, params: Mapping[str, Any]) -> Message:
        message = super().__new__(cls, english)
        message.key = key
        message.params = dict(params)
        return message

    def mapped(self, change: Callable[[str], str]) -> Message:
        """The message with ``change`` applied to its text and to each text parameter
        (``kg.loaders.xlsx_tables.in_cells`` turns rows quoted in it into cells)."""
        params = {name: (value.mapped(change) if isinstance(value, Message)
                         else change(value) if isinstance(value, str) else value)
                  for name, value in self.params.items()}
        return Message(change(str(self)), self.key, params)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a dataset: where it is and what is wrong.

    In a workbook ``file`` names the sheet (``book.xlsx[aktor]``) and ``cell`` the cell
    (``C12``), the row (``12:12``) or the range (``B3:C3``) shown instead of the row.
    """

    file: str
    row: int | None
    field: str | None
    message: str
    cell: str | None = dataclasses.field(default=None, compare=False)

    def __str__(self) -> str:
        if self.cell is not None:
            where = f"{self.file}!{self.cell}"
        else:
            where = self.file if self.row is None else f"{self.file}:{self.row}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class DatasetError(KgError):
    """Bad input: carries every problem found, each naming file, row and field."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.row or 0, problem.field or "", problem.message)


class StoreError(KgError):
    """The graph engine failed, is unreachable, or the store is busy."""


class QueryError(KgError):
    """An unknown query, a bad or missing parameter, or a refused write."""


class VizError(KgError):
    """A view that cannot be drawn: an unknown id or a graph too large to show."""


class ExportError(KgError):
    """A graph that cannot be written in the chosen format, or to the chosen place."""


class ResourceError(KgError):
    """The machine cannot do this: not enough memory for the data."""

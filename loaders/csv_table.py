"""Read one CSV file into a ``Table``: numbered rows of cells.

Spreadsheet exports arrive in many shapes: UTF-8 with or without a BOM, ``,`` or ``;``
separators, trailing blanks. This module accepts those and turns everything else
(other encodings, ragged rows, duplicate headers, formulas) into ``Problem``s that name
the file, the row (the spreadsheet's row number, the header being row 1) and the field.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.catalogue import numeral, say
from kg.errors import Message, Problem

MAX_CELL_CHARS = 10_000
"""Longest cell accepted; longer ones are nearly always a broken export."""

MAX_COLUMNS = 1_000
"""Widest table accepted (a RACI matrix has one column per actor); wider is a broken export."""

FORMULA_GUARD = "'"
"""Prefix that spreadsheets and ``kg export`` put before text that looks like a formula."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_HEADER_CHARS = re.compile(r"[\s\-]+")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
"""Bytes that are not UTF-8, as ``surrogateescape`` decoding leaves them in the text."""
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
"""Control characters a cell may not hold: C0 (but tab, line feed, and carriage return
before a line feed: a line break), DEL and C1. A terminal obeys them (an escape sequence
sets its title or clipboard, a carriage return overwrites the line); NUL has its own
message."""


@dataclass
class Table:
    """The rows of one table: each row's number and its cells, in the order of ``columns``.

    Row numbers are the spreadsheet's (the header is row 1). A row refused as a whole (a
    wrong number of cells) is reported and left out; a refused cell keeps its text, so
    the row is still validated and its id still known to rows that refer to it.
    """

    name: str
    columns: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    delimiter: str = ","
    headers: list[str] = field(default_factory=list)
    """The header cells as written (``columns`` are normalised: ``kiosks_total``)."""

    def consume(self) -> Iterator[tuple[int, list[str]]]:
        """The rows in order, each dropped from the table as it is handed out (on a
        national dataset the rows take as much memory as the graph built from them)."""
        rows = self.rows
        rows.reverse()
        while rows:
            yield rows.pop()

    def record(self, cells: list[str]) -> dict[str, str]:
        """One row as ``{column: cell}``."""
        return dict(zip(self.columns, cells, strict=True))


def shown(text: str) -> str:
    """``text`` fit for one line of a problem report (a header cell may hold a line break)."""
    return text if text.isprintable() else repr(text)


def column_letter(position: int) -> str:
    """The spreadsheet's name of the column at ``position`` (counted from 0).

    >>> [column_letter(p) for p in (0, 25, 26, 701, 702)]
    ['A', 'Z', 'AA', 'ZZ', 'AAA']
    """
    letters = ""
    number = position + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def normalise_header(text: str) -> str:
    """``" Kiosks Total "`` -> ``"kiosks_total"``."""
    return _HEADER_CHARS.sub("_", text.strip().lower())


def guard(text: str) -> str:
    """Prefix text a spreadsheet would run as a formula with ``'``; ``unguard`` undoes it.

    Text that already starts with quotes before a trigger gets one more, so that
    ``unguard(guard(t)) == t`` for every ``t``:

    >>> [guard(t) for t in ["=SUM(A1)", "'=x", "'plain", "Rp 5"]]
    ["'=SUM(A1)", "''=x", "'plain", 'Rp 5']
    """
    return FORMULA_GUARD + text if text.lstrip(FORMULA_GUARD).startswith(FORMULA_STARTS) else text


def unguard(text: str) -> str:
    """Strip the formula guard that ``kg export`` adds, so export then load round-trips.

    >>> [unguard(t) for t in ["'=SUM(A1)", "''=x", "'plain"]]
    ['=SUM(A1)', "'=x", "'plain"]
    """
    if text.startswith(FORMULA_GUARD) and text.lstrip(FORMULA_GUARD).startswith(FORMULA_STARTS):
        return text[1:]
    return text


def read_csv(path: Path, problems: list[Problem]) -> Table | None:
    """Read ``path``; append every problem found to ``problems``; None if unreadable."""
    name = str(path)
    raw = path.read_bytes()
    if not raw or raw.isspace():  # as ``not raw.strip()``, without copying the file
        problems.append(Problem(name, None, None, say("loading.empty_file")))
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.append(Problem(name, None, None, say("loading.utf16")))
        return None
    # Bytes that are not UTF-8 stay in the text as surrogates, so every cell holding one
    # is reported with its row and column, and the rest of the file is still checked.
    # Strict UTF-8 never decodes to a surrogate: text that decodes so holds none.
    try:
        text, plain_text = raw.decode("utf-8-sig"), True
    except UnicodeDecodeError:
        text, plain_text = raw.decode("utf-8-sig", errors="surrogateescape"), False
    if "\x00" in text:
        problems.append(Problem(name, None, None, say("loading.nul_file")))
        return None
    text = composed(text)
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: Table | None = None
    row_number = 0
    # Fast path: a row that no per-cell check can refuse is kept as it is (the checks
    # cost more than reading, on files of millions of rows). No surrogate anywhere means
    # no cell is not UTF-8; without "=" and "'" no cell is a formula or guarded (looked
    # for once in the whole text, and in each row only when the text has some).
    # Control characters are looked for in the whole text once too, and in each row only
    # when the text has some.
    controls = _CONTROL.search(text) is not None
    unmarked = plain_text and not controls and "=" not in text and "'" not in text
    try:
        for cells in reader:
            row_number += 1
            if table is None:
                table = read_header(name, cells, delimiter, problems)
                if table is None:
                    return None
                add, width = table.rows.append, len(table.columns)
                continue
            joined = "".join(cells)
            if not joined or joined.isspace():
                continue
            # No cell is longer than the row, so a short row needs no look at its cells.
            if (len(cells) == width
                    and (unmarked or (plain_text and "=" not in joined and "'" not in joined
                                      and not (controls and any(map(_CONTROL.search, cells)))))
                    and (len(joined) <= MAX_CELL_CHARS
                         or max(map(len, cells)) <= MAX_CELL_CHARS)):
                add((row_number, cells))
                continue
            add_row(table, row_number, cells, problems)
    except csv.Error as exc:
        problems.append(Problem(name, row_number + 1, None, csv_words(exc)))
        # The rows before the damage, so rows referring to them add no noise.
    else:
        if table is None:
            problems.append(Problem(name, None, None, say("loading.empty_file")))
    return table


def csv_words(exc: csv.Error) -> Message:
    """What is wrong in a CSV file (Python's ``csv`` says it in English), in the
    catalogue's words; a problem not listed here is quoted.

    >>> try:
    ...     list(csv.reader(['a,"b'], strict=True))
    ... except csv.Error as exc:
    ...     print(csv_words(exc))
    malformed CSV: a quote opened in this row is never closed
    """
    text = str(exc)
    if "field larger than field limit" in text:
        return say("loading.field_limit", limit=numeral(csv.field_size_limit()),
                   most=numeral(MAX_CELL_CHARS))
    if re.fullmatch(r"'.+' expected after '\"'", text):
        return say("loading.malformed", detail=say("loading.csv_after_quote"))
    if text == "unexpected end of data":
        return say("loading.malformed", detail=say("loading.csv_open_quote"))
    return say("loading.malformed", detail=say("loading.parser_says", detail=text))


def read_header(
    name: str, cells: list[str], delimiter: str, problems: list[Problem]
) -> Table | None:
    """The table a header row starts (cells normalised to column names), or None after
    adding a problem for each cell that cannot name a column."""
    if len(cells) > MAX_COLUMNS:
        problems.append(Problem(name, 1, None, say("loading.too_many_columns",
                                                   count=numeral(len(cells)),
                                                   most=numeral(MAX_COLUMNS))))
        return None
    columns = [normalise_header(cell) for cell in cells]
    before = len(problems)
    last_named = max((i for i, column in enumerate(columns) if column), default=-1)
    seen: set[str] = set()
    for position, (cell, column) in enumerate(zip(cells, columns, strict=True)):
        if _NOT_UTF8.search(cell):
            problems.append(_not_utf8(name, 1, None, cell))
        elif not column:
            # Trailing ones are nearly always a column a spreadsheet kept after its
            # cells were cleared; one between named columns may hold data.
            key = "loading.no_header_last" if position > last_named else "loading.no_header_between"
            problems.append(Problem(name, 1, None, say(key, letter=column_letter(position))))
        elif column in seen:
            problems.append(Problem(name, 1, column, say("loading.duplicate_column")))
        seen.add(column)
    if len(problems) > before:
        return None
    return Table(name, columns, delimiter=delimiter, headers=[c.strip() for c in cells])


def add_row(table: Table, number: int, cells: list[str], problems: list[Problem]) -> None:
    """Add a row that needs the cell checks: a problem for each bad cell, none for the row
    when its width is wrong (then only that is reported)."""
    if len(cells) < len(table.columns):
        problems.append(
            Problem(
                table.name,
                number,
                table.columns[len(cells)],
                say("loading.short_row", cells=len(cells), columns=len(table.columns),
                    separator=table.delimiter),
            )
        )
        return
    if len(cells) > len(table.columns):
        problems.append(
            Problem(
                table.name,
                number,
                None,
                say("loading.long_row", cells=len(cells), columns=len(table.columns),
                    separator=table.delimiter),
            )
        )
        return
    row: list[str] = []
    for column, cell in zip(table.columns, cells, strict=True):
        # A refused cell keeps its text, so the row is still validated (and its id still
        # known to the rows that refer to it) without a second, misleading "empty" error.
        if _NOT_UTF8.search(cell):
            problems.append(_not_utf8(table.name, number, column, cell))
        elif problem := cell_problem(cell):
            problems.append(Problem(table.name, number, column, problem))
        elif cell.lstrip().startswith("="):
            problems.append(
                Problem(table.name, number, column, say("loading.formula", text=cell[:40]))
            )
        row.append(unguard(composed(cell)))
    table.rows.append((number, row))


def _not_utf8(name: str, number: int, column: str | None, cell: str) -> Problem:
    match = _NOT_UTF8.search(cell)
    byte = ord(match.group()) - 0xDC00 if match else 0
    message = (say("loading.not_utf8_in", byte=byte, column=column) if column
               else say("loading.not_utf8", byte=byte))
    return Problem(name, number, None, message)


def cell_problem(cell: str) -> Message | None:
    """Why ``cell`` cannot be stored as text, or None."""
    if len(cell) > MAX_CELL_CHARS:
        return say("loading.cell_too_long", count=numeral(len(cell)), most=numeral(MAX_CELL_CHARS))
    if "\x00" in cell:
        return say("loading.cell_nul")
    if _SURROGATE.search(cell):
        return say("loading.cell_surrogate")
    if control := _CONTROL.search(cell):
        return say("loading.cell_control", code=f"{ord(control[0]):04X}")
    return None


def composed(text: str) -> str:
    """``text`` in Unicode's composed form (NFC): ``e`` and a combining acute accent become
    ``é``, so that text that looks the same is the same. Every cell is read so.

    >>> composed("Perajin Tahu Cafe\u0301") == "Perajin Tahu Caf\u00e9"
    True
    """
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)

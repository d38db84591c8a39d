"""Read an Excel workbook (``.xlsx``) into ``Table``s: one sheet per table.

A sheet is named like the CSV file of its table (``actors``) or by its Indonesian name
(``aktor``, ``kg.schema.tables.SHEET_NAMES``), has the CSV file's columns, the header in
row 1 from column A. Hidden sheets and an instructions sheet (``Petunjuk``) are skipped.
Cells are read as the workbook saved them (a formula by its last computed value) and
turned into the text a CSV file would hold (``1500000.0`` -> ``1500000``, a date ->
``2025-12-31``, ``True`` -> ``true``), then checked as CSV cells are.

openpyxl's read-only mode streams a sheet row by row, but it neither shows merged cells
nor tells a formula without a saved value from an empty cell: one scan of the sheet's
XML finds those. Problems in a sheet name its cell, ``book.xlsx[aktor]!C12``
(``Sheet.cell``, applied to every stage's problems by ``in_cells``).
"""

from __future__ import annotations

import dataclasses
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any
from xml.etree import ElementTree

from kg.catalogue import by_language, numeral, say
from kg.errors import Message, Problem
from kg.loaders.csv_table import (
    MAX_CELL_CHARS,
    Table,
    add_row,
    column_letter,
    normalise_header,
    read_header,
    shown,
)
from kg.loaders.xlsx_bounds import MAX_COLUMNS, MAX_ROWS, check_workbook, far_cells
from kg.schema.tables import INSTRUCTION_SHEETS, SHEET_NAMES, TABLE_NAMES

_UNREADABLE = (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError)
"""What openpyxl raises for a file that is not a well-formed workbook."""

_ERROR_VALUES = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
     "#SPILL!", "#CALC!"}
)
"""Excel's error values, as a formula's saved value reads (openpyxl gives them as text)."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_SHEET_DATA, _ROW, _CELL = f"{_MAIN}sheetData", f"{_MAIN}row", f"{_MAIN}c"
_FORMULA, _VALUE = f"{_MAIN}f", f"{_MAIN}v"
_TEXT_RESULT = frozenset({"str", "inlineStr"})
"""Cell types whose empty value is a saved value (a formula that gave ``""``)."""

_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Za-z0-9:$]+)"')
_ANY_FORMULA = re.compile(rb"<(?:\w+:)?f[\s/>]")
_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")
_SCAN_OVERLAP = 256
"""Bytes each chunk of the XML scan repeats from the one before (a tag cut in two)."""


class Sheet(Table):
    """A table read from a workbook sheet; its columns start at column A."""

    def cell(self, row: int | None, field: str | None) -> str | None:
        """Where a problem at ``row`` and ``field`` lies: its cell (``C12``), else its
        row (``12:12``); None for the whole sheet."""
        if row is None:
            return None
        # The RACI matrix names a column by its actor, as written in the header.
        for names in (self.columns, [shown(header) for header in self.headers]):
            if field in names:
                return f"{column_letter(names.index(field))}{row}"
        return f"{row}:{row}"


def in_cells(problems: list[Problem], tables: Mapping[str, Sequence[Table]]) -> list[Problem]:
    """``problems`` with those found in a workbook's sheets pointing at their cells."""
    sheets = {t.name: t for found in tables.values() for t in found if isinstance(t, Sheet)}
    if not sheets:
        return problems
    # A message quoting another row ("already used at book.xlsx[aktor]:2") names its cell.
    quoted = re.compile("(" + "|".join(map(re.escape, sheets)) + r"):([0-9]+)\b")

    def cell_of(match: re.Match[str]) -> str:
        sheet = sheets[match[1]]
        field = "id" if "id" in sheet.columns else None
        return f"{match[1]}!{sheet.cell(int(match[2]), field)}"

    def located(p: Problem) -> Problem:
        cell = p.cell
        if cell is None and p.file in sheets:
            cell = sheets[p.file].cell(p.row, p.field)
        message = p.message
        message = (message.mapped(lambda text: quoted.sub(cell_of, text))
                   if isinstance(message, Message) else quoted.sub(cell_of, message))
        return dataclasses.replace(p, message=message, cell=cell)

    return [located(p) for p in problems]


def sheet_table(title: str) -> str | None:
    """The table a sheet named ``title`` holds (``"Tanggung Jawab"`` ->
    ``"responsibilities"``), or None."""
    name = normalise_header(title)
    return name if name in TABLE_NAMES else SHEET_NAMES.get(name)


def cell_text(value: object) -> str:
    """A cell's value as the text a CSV file would hold.

    >>> [cell_text(v) for v in [1500000.0, 0.25, datetime(2025, 12, 31), True, None]]
    ['1500000', '0.25', '2025-12-31', 'true', '']
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Excel keeps 15 significant digits: 0.1 + 0.2 reads 0.3, as Excel shows it.
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path, add: Callable[[str, Table], None], problems: list[Problem]) -> None:
    """Read the workbook at ``path``; call ``add(table_name, table)`` for each sheet."""
    import openpyxl  # imports in 0.2 s: only loads of workbooks pay for it

    with warnings.catch_warnings():
        # openpyxl warns of what it would drop on saving (data validation, styles): noise
        # for a reader.
        warnings.simplefilter("ignore")
        try:
            if bounds := check_workbook(path):
                problems.extend(bounds)
                return
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except _UNREADABLE as exc:
            problems.append(_unreadable(path, exc))
            return
        _read_sheets(path, book, add, problems)


def _read_sheets(
    path: Path, book: Any, add: Callable[[str, Table], None], problems: list[Problem]
) -> None:
    try:
        for sheet in book.worksheets:
            hidden = sheet.sheet_state != "visible"
            if hidden or normalise_header(sheet.title) in INSTRUCTION_SHEETS:
                continue
            name = f"{path}[{sheet.title}]"
            table_name = sheet_table(sheet.title)
            if table_name is None:
                problems.append(Problem(name, None, None, _UNKNOWN_SHEET))
                continue
            table = _read_sheet(name, sheet, problems)
            if table is not None:
                add(table_name, table)
    except _UNREADABLE as exc:
        problems.append(_unreadable(path, exc))
    finally:
        book.close()


_UNKNOWN_SHEET = say(
    "loading.unknown_sheet", tables=", ".join(sorted(TABLE_NAMES)),
    sheets=", ".join(sorted(SHEET_NAMES)),
    notes=by_language(**{lang: f" {word} ".join(sorted(n.capitalize() for n in INSTRUCTION_SHEETS))
                         for lang, word in (("en", "or"), ("id", "atau"))}),
)


def _unreadable(path: Path, exc: BaseException) -> Problem:
    return Problem(str(path), None, None, say("loading.unreadable_workbook", detail=str(exc)))


def _read_sheet(name: str, sheet: Any, problems: list[Problem]) -> Sheet | None:
    merged, has_formulas, far = _scan(sheet)
    if far:
        # No program Excel reads writes them; a far column would make a row that wide.
        problems.extend(Problem(name, None, None, _BEYOND, cell=_cell_or_row(reference))
                        for reference in far)
        return None
    rows = _rows(sheet)
    first = next(rows, None)
    header = [cell_text(value) for value in first[1]] if first and first[0] == 1 else []
    while header and not header[-1].strip():
        header.pop()
    if not header:
        problems.append(Problem(name, None, None, say("loading.no_sheet_header")))
        return None
    found = read_header(name, header, ",", problems)
    if found is None:
        return None
    table = Sheet(name, found.columns, headers=found.headers)
    if has_formulas:
        for row, position, formula in _formulas_without_value(sheet):
            problems.append(_cell_problem(table, row, position,
                                          say("loading.formula_unsaved", formula=formula)))
    width, last, add = len(table.columns), 1, table.rows.append
    for number, values in rows:
        if number > MAX_ROWS or len(values) > MAX_COLUMNS:  # rows and cells without "r"
            where = f"{number}:{number}" if number > MAX_ROWS else column_letter(len(values) - 1)
            problems.append(Problem(name, None, None, _BEYOND, cell=where))
            return None
        cells = [v if type(v) is str else cell_text(v) for v in values[:width]]
        cells += [""] * (width - len(cells))
        outside = [i for i, v in enumerate(values[width:], start=width) if cell_text(v).strip()]
        for position in outside:
            problems.append(_cell_problem(table, number, position, say("loading.outside_table")))
        if not _ERROR_VALUES.isdisjoint(cells):
            problems.extend(_cell_problem(table, number, position,
                                          say("loading.error_value", value=cell))
                            for position, cell in enumerate(cells) if cell in _ERROR_VALUES)
        joined = "".join(cells)
        filled = bool(joined) and not joined.isspace()
        if filled or outside:
            last = number
        if not filled:
            continue
        # Most rows are printable ASCII without "=" or "'": no per-cell check can refuse them.
        if (joined.isascii() and joined.isprintable() and "=" not in joined
                and "'" not in joined and len(joined) <= MAX_CELL_CHARS):
            add((number, cells))
        else:
            add_row(table, number, cells, problems)
    for reference in merged:
        row, column = _bounds(reference) or (0, 0)
        if 1 <= row <= last and 1 <= column <= width:
            problems.append(Problem(name, row, None, say("loading.merged"), cell=reference))
    return table


_BEYOND = say("loading.beyond_excel", rows=numeral(MAX_ROWS))


def _cell_or_row(reference: str) -> str:
    """A far reference as a problem names it: a cell, or a bare row as ``N:N``."""
    return reference if reference[:1].isalpha() or reference[:1] == "$" else (
        f"{reference}:{reference}")


def _cell_problem(table: Sheet, row: int, position: int, message: str) -> Problem:
    """A problem at the cell of ``row`` and the column at ``position`` (counted from 0);
    its field is the column's name, if the column has one."""
    field = table.columns[position] if position < len(table.columns) else None
    return Problem(table.name, row, field, message, cell=f"{column_letter(position)}{row}")


def _bounds(reference: str) -> tuple[int, int] | None:
    """The first row and column of a range (``"B3:C4"`` -> (3, 2))."""
    match = _REFERENCE.match(reference)
    if match is None:
        return None
    letters = match.group(1).upper()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int(match.group(2)), column


def _scan(sheet: Any) -> tuple[list[str], bool, list[str]]:
    """The merged ranges of ``sheet``, whether it holds any formula, and its references
    beyond Excel's last row or column (``xlsx_bounds.far_cells``): a scan of its XML's
    bytes, which is much faster than parsing it (``<mergeCells>`` comes last)."""
    merged: dict[str, None] = {}
    far: dict[str, None] = {}
    formulas = False
    tail = b""
    with _source(sheet) as source:
        while chunk := source.read(1 << 20):
            text = tail + chunk
            merged.update(dict.fromkeys(m.decode() for m in _MERGED.findall(text)))
            formulas = formulas or _ANY_FORMULA.search(text) is not None
            far.update(dict.fromkeys(far_cells(text)))
            tail = text[-_SCAN_OVERLAP:]
    return list(merged), formulas, list(far)


def _formulas_without_value(sheet: Any) -> Iterator[tuple[int, int, str]]:
    """(row, column position counted from 0, formula) of each formula cell of ``sheet``
    that has no saved value.

    openpyxl gives such a cell as empty, like a blank one. Excel saves a formula that gave
    ``""`` as an empty value of type ``str``; programs that do not calculate (openpyxl
    among them) save a formula with no value, or an empty one of no type.
    """
    row = column = 0
    data: ElementTree.Element | None = None
    with _source(sheet) as source:
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == _SHEET_DATA:
                    data = element
                elif element.tag == _ROW:
                    row, column = int(element.get("r") or row + 1), 0
            elif element.tag == _CELL:
                row, column = _bounds(element.get("r") or "") or (row, column + 1)
                formula = element.find(_FORMULA)
                if (formula is not None and not element.findtext(_VALUE)
                        and element.get("t") not in _TEXT_RESULT):
                    yield row, column - 1, (say("loading.formula_text", formula=formula.text)
                                            if formula.text else say("loading.shared_formula"))
            elif element.tag == _ROW and data is not None:
                data.clear()  # the rows read so far: the sheet is streamed, not held


def _rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """(number, values) of each row ``sheet`` holds, in order: what openpyxl's
    ``iter_rows(values_only=True)`` gives, but without the empty rows it makes up for the
    numbers a sheet skips (a million of them before a row numbered 1,048,576), and read to
    the last row whatever the saved dimension says (some programs write "A1")."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    with _source(sheet) as source:
        # As ReadOnlyWorksheet._cells_by_row sets it up, openpyxl's own way to the rows.
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=book.data_only,
                                 epoch=book.epoch, date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
        last = 0
        for number, cells in parser.parse():
            if number <= last:  # a number repeated or going back: skipped, as openpyxl does
                continue
            last = number
            values: list[Any] = [None] * max((cell["column"] for cell in cells), default=0)
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            yield number, values


def _source(sheet: Any) -> IO[bytes]:
    """The sheet's XML, streamed from the workbook's zip (openpyxl's own way to it)."""
    source: IO[bytes] = sheet._get_source()
    return source

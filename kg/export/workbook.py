"""Excel workbooks for people who keep the data in Excel: the template and the graph.

A dataset workbook has an instructions sheet, then one sheet per table (the last holds
the sources the rows cite, so the workbook loads alone), named in the chosen language
(``kg.schema.tables.SHEET_NAMES`` for Indonesian, the table's own name for English): a
frozen header row whose cells carry a note on the column (its meaning, allowed values
and an example: ``kg.schema.columns``), a drop-down list on every enumeration and on
the columns naming one actor, sentra or activity, and columns wide enough to read.
``kg load BOOK.xlsx`` reads it back.

Text a spreadsheet would run as a formula is written as text with the leading ``'``
the CSV export puts there (``kg load`` strips it). Saving fixes every timestamp, so
the same data gives the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from kg.catalogue import catalogue
from kg.export.dataset import Dataset, DatasetTable, dataset_tables
from kg.loaders.csv_table import guard
from kg.loaders.read import read_dataset
from kg.schema.columns import (
    COLUMNS,
    TABLE_MODELS,
    TABLES,
    choices,
    columns,
    enum_of,
    header,
    refers_to,
)
from kg.schema.names import value_word
from kg.schema.tables import INSTRUCTION_SHEET_TITLES, SHEET_NAMES

if TYPE_CHECKING:
    from kg.schema.graph import GraphData

"""The sheet that explains the workbook; ``kg load`` skips it."""

_SHEET_IN_INDONESIAN = {table: sheet for sheet, table in SHEET_NAMES.items()}
_SAVED_AT = datetime(2000, 1, 1)
"""The creation and modification time every workbook claims: the same data, the same bytes."""
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_LAST_ROW = 1_048_576
"""Excel's last row: validations cover the whole column."""
_LONGEST_NUMBER = 10**15
"""Excel keeps 15 significant digits: larger whole numbers are written as text."""
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
_WIDTH = (10, 60)
"""Narrowest and widest column, in characters."""



def sheet_name(table: str, lang: str) -> str:
    """The sheet holding ``table`` in a workbook in ``lang`` (``actors`` -> ``aktor``)."""
    return _SHEET_IN_INDONESIAN[table] if lang == "id" else table


def write_template(
    output: Path, lang: str = "id", example: Sequence[Path] = ()
) -> nx.MultiDiGraph:
    """Write the workbook template to ``output``: instructions, then one empty sheet per
    table; with ``example`` datasets (directories, YAML files) read into its sheets.

    Returns the graph its sheets hold (empty without ``example``). Raises
    ``DatasetError`` for a bad example dataset and ``OSError`` for an output that cannot
    be written.
    """
    graph = _graph_of(read_dataset(example)) if example else nx.MultiDiGraph()
    dataset = (dataset_tables(graph) if example
               else Dataset([_empty(table) for table in TABLE_MODELS]))
    book = dataset_workbook(dataset, lang, _instructions(lang, full=True))
    save_workbook(book, output)
    return graph


def to_workbook(graph: nx.MultiDiGraph, output: Path, lang: str = "id") -> Dataset:
    """Write ``graph`` to ``output`` as a dataset workbook in ``lang``: by default
    Indonesian, the language of the office that keeps the data; return the tables written.

    Raises ``ExportError`` for a graph no dataset can hold (``dataset_tables``).
    """
    dataset = dataset_tables(graph)
    save_workbook(dataset_workbook(dataset, lang, _instructions(lang, full=False)), output)
    return dataset


def dataset_workbook(dataset: Dataset, lang: str, instructions: list[str]) -> Workbook:
    """The workbook of ``dataset``: ``instructions`` (one paragraph a row) first; sheets,
    headers and enumeration values named in ``lang`` (``kg.schema.names``)."""
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = INSTRUCTION_SHEET_TITLES[lang]
    for paragraph in instructions:
        notes.append([paragraph])
    notes.column_dimensions["A"].width = 110
    for row in notes.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    notes["A1"].font = Font(bold=True, size=14)
    layout = {table.name: table.columns for table in dataset.tables}
    for table in dataset.tables:
        sheet = add_table(book, sheet_name(table.name, lang),
                          [header(table.name, column, lang) for column in table.columns],
                          _worded(table, lang),
                          [_note(table.name, column, lang) for column in table.columns])
        for position, column in enumerate(table.columns, start=1):
            _validate(sheet, position, table.name, column, lang, layout)
    return book


def add_table(
    book: Workbook,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    notes: Sequence[str | None] = (),
) -> Worksheet:
    """A new sheet ``title``: a bold, frozen header of ``columns`` with ``notes`` on its
    cells, then ``rows`` (see ``set_value``), columns as wide as their text."""
    sheet = book.create_sheet(title)
    sheet.append(list(columns))
    for position, cell in enumerate(sheet[1], start=1):
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        note = notes[position - 1] if position <= len(notes) else None
        if note:
            cell.comment = Comment(note, "sentra-kg", width=320, height=200)
    for number, row in enumerate(rows, start=2):
        for position, value in enumerate(row, start=1):
            set_value(sheet.cell(number, position), value)
    sheet.freeze_panes = "A2"
    for position, column in enumerate(columns, start=1):
        longest = max([len(column), *(len(str(row[position - 1] or "")) for row in rows[:200])])
        width = min(max(longest + 2, _WIDTH[0]), _WIDTH[1])
        sheet.column_dimensions[get_column_letter(position)].width = width
    return sheet


def set_value(cell: Any, value: Any) -> None:
    """Put ``value`` in ``cell``: numbers and booleans as such, a list joined by ``|``,
    text always as text (never a formula), guarded as the CSV export guards it."""
    if value is None:
        return
    if isinstance(value, bool | float) or (
        isinstance(value, int) and abs(value) < _LONGEST_NUMBER
    ):
        cell.value = value
        return
    text = "|".join(str(v) for v in value) if isinstance(value, list) else str(value)
    cell.value = guard(text)
    cell.data_type = "s"  # openpyxl takes text starting with "=" for a formula


def save_workbook(book: Workbook, output: Path) -> None:
    """Write ``book`` to ``output`` with fixed timestamps: the same book, the same bytes."""
    book.properties.created = book.properties.modified = _SAVED_AT
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    with zipfile.ZipFile(buffer) as written, zipfile.ZipFile(
        output, "w", zipfile.ZIP_DEFLATED
    ) as final:
        for info in written.infolist():
            final.writestr(zipfile.ZipInfo(info.filename, _ZIP_TIME), written.read(info))


def _worded(table: DatasetTable, lang: str) -> list[list[Any]]:
    """The rows of ``table`` with each enumeration value in ``lang``."""
    kinds = [enum_of(table.name, column) for column in table.columns]
    if lang == "en" or not any(kinds):
        return table.rows
    return [[value_word(kind, value, lang) if kind is not None and isinstance(value, str)
             else value for kind, value in zip(kinds, row, strict=True)] for row in table.rows]


def _note(table: str, column: str, lang: str) -> str:
    words = catalogue(lang)["template"]
    meaning = COLUMNS.get(table, {}).get(column)
    named = header(table, column, lang)
    if meaning is None:
        return f"{named}: {words['extra']}"
    lines = [f"{named}: {meaning.text(lang)}"]
    if allowed := choices(table, column, lang):
        lines.append(f"{words['allowed']}: {', '.join(allowed)}")
    if meaning.example:
        kind = enum_of(table, column)
        example = value_word(kind, meaning.example, lang) if kind else meaning.example
        lines.append(f"{words['example']}: {example}")
    return "\n".join(lines)


def _validate(
    sheet: Worksheet, position: int, table: str, column: str, lang: str,
    layout: dict[str, list[str]],
) -> None:
    """A drop-down list on the column: its enum's values, or the ids of the sheet it
    refers to (a warning only: the chart accepts names as well as ids)."""
    if column not in COLUMNS.get(table, {}):
        return
    words = catalogue(lang)["template"]
    allowed = choices(table, column, lang)
    target = refers_to(table, column)
    named = header(table, column, lang)
    if allowed:
        validation = DataValidation("list", formula1=f'"{",".join(allowed)}"', allow_blank=True,
                                    errorTitle=named, error=f"{words['allowed']}: "
                                    + ", ".join(allowed), promptTitle=named,
                                    prompt=words["list"])
    elif target is not None and "id" in layout.get(target, []):
        ids = get_column_letter(layout[target].index("id") + 1)
        source = sheet_name(target, lang)
        validation = DataValidation(
            "list", formula1=f"'{source}'!${ids}$2:${ids}${_LAST_ROW}", allow_blank=True,
            errorStyle="warning", promptTitle=named, prompt=f"{words['ref']} {source}",
        )
    else:
        return
    validation.showErrorMessage = validation.showInputMessage = True
    letter = get_column_letter(position)
    validation.add(f"{letter}2:{letter}{_LAST_ROW}")
    sheet.add_data_validation(validation)


def _empty(table: str) -> DatasetTable:
    return DatasetTable(table, columns(table), [])


def _graph_of(data: GraphData) -> nx.MultiDiGraph:
    """A dataset read from files as the graph a store would give back for it."""
    graph = nx.MultiDiGraph()
    for node in data.nodes:
        graph.add_node(node.id, **node.props, label=node.label.value)
    for rel in data.relationships:
        graph.add_edge(rel.start, rel.end, **rel.props, type=rel.type.value)
    return graph


def _instructions(lang: str, *, full: bool) -> list[str]:
    """The instructions sheet's paragraphs in ``lang`` (the catalogue's ``[template]``);
    ``full`` adds how to fill the workbook in (a template, not an export)."""
    words = catalogue(lang)["template"]
    tables = [f"{sheet_name(t, lang)}: {TABLES[t].text(lang)}" for t in TABLE_MODELS]
    head = [words["title"], words["load"]]
    how = [words["how"], *words["steps"], ""] if full else []
    return [*head, "", *how, words["sheets"], *tables]


__all__ = [
    "add_table",
    "dataset_workbook",
    "save_workbook",
    "set_value",
    "sheet_name",
    "to_workbook",
    "write_template",
]

"""Workbooks: ``kg load book.xlsx`` reads one sheet per table into exactly the graph the
same tables as CSV files give, and names every problem by its sheet and cell.

The workbooks are made here with openpyxl. openpyxl saves a formula without the value it
computes to (it does not calculate), so a formula's saved value is written into the
sheet's XML afterwards, as Excel would have saved it.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from openpyxl.worksheet.worksheet import Worksheet

from kg.cli import cli
from kg.errors import DatasetError
from kg.loaders import read_dataset
from kg.loaders.xlsx_tables import cell_text
from kg.schema.graph import GraphData
from kg.schema.tables import SHEET_NAMES, TABLE_NAMES

from .conftest import TINY
from .helpers import Rows, save

INDONESIAN = {table: sheet for sheet, table in SHEET_NAMES.items()}



def csv_rows(path: Path) -> Rows:
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    return [row for row in csv.reader(text.splitlines(), delimiter=delimiter)]


def tiny_tables() -> dict[str, Rows]:
    return {path.stem: csv_rows(path) for path in sorted(TINY.glob("*.csv"))}


def save_cached_values(path: Path, values: dict[str, str]) -> None:
    """Write each formula's saved value (``{"40+4": "44"}``) into the sheets' XML."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/"):
            for formula, value in values.items():
                data = data.replace(f"<f>{formula}</f><v />".encode(),
                                    f"<f>{formula}</f><v>{value}</v>".encode())
            parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def graph_facts(graph: GraphData) -> tuple[list[Any], list[Any]]:
    """Nodes and relationships with their properties, without where they were read."""
    nodes = sorted(((n.label, n.id, n.props) for n in graph.nodes), key=repr)
    rels = sorted(((r.type, r.start, r.end, r.props) for r in graph.relationships), key=repr)
    return nodes, rels


def test_every_table_has_one_indonesian_sheet_name() -> None:
    assert set(SHEET_NAMES.values()) == TABLE_NAMES
    assert len(SHEET_NAMES) == len(TABLE_NAMES)


@pytest.mark.parametrize(
    ("value", "text"),
    [(1500000.0, "1500000"), (0.1 + 0.2, "0.3"), (74, "74"), (True, "true"), (False, "false"),
     (datetime(2025, 12, 31), "2025-12-31"),
     (datetime(2025, 12, 31, 14, 30), "2025-12-31 14:30:00"),
     (None, ""), ("Tugu", "Tugu")],
    ids=["integral-float", "float-noise", "int", "true", "false", "date", "datetime", "empty",
         "text"],
)
def test_a_typed_cell_reads_as_the_text_a_csv_file_holds(value: object, text: str) -> None:
    assert cell_text(value) == text


RACI_ROLE_COLUMNS = [
    ["activity", "responsible", "accountable", "consulted"],
    ["Relokasi", "Dinas Perindustrian", "Dinas Perindustrian", "a-lppsp"],
    ["t-train", "Dinas Perindustrian", "", ""],
]


@pytest.mark.parametrize("raci_shape", ["matrix", "role-columns"])
def test_a_workbook_loads_into_the_graph_its_csv_twin_gives(
    tmp_path: Path, raci_shape: str
) -> None:
    # The CSV twin: tiny, with a date, an amount, a year and a regulation's boolean added.
    twin = tmp_path / "twin"
    shutil.copytree(TINY, twin)
    tables = tiny_tables()
    tables["activities"][2][5] = "2025-12-31"
    tables["funding"][1][3:5] = ["1500000", "2025"]
    tables["regulations"] = [["id", "name", "has_sanction"], ["r-perda", "Perda 6/2025", "true"]]
    if raci_shape == "role-columns":
        tables["raci"] = RACI_ROLE_COLUMNS
    for name, rows in tables.items():
        with (twin / f"{name}.csv").open("w", newline="", encoding="utf-8") as file:
            csv.writer(file).writerows(rows)

    # The workbook: the same tables, typed where a spreadsheet types them.
    sheets: dict[str, Rows] = {
        INDONESIAN[name].replace("_", " ").title(): [
            [int(cell) if cell.isdigit() else cell for cell in row] for row in rows
        ]
        for name, rows in tables.items()
    }
    sheets["Kegiatan"][2][5] = datetime(2025, 12, 31)
    sheets["Pendanaan"][1][3] = 1500000.0
    sheets["Regulasi"][1][2] = True
    sheets["Sentra"][1][5] = "=40+4"  # kiosks_occupied, saved as Excel computed it
    sheets["Petunjuk"] = [["Isi setiap lembar seperti file CSV-nya."]]
    sheets["notes"] = [["anything", "at all"], ["=1/0"]]
    book_path = tmp_path / "book.xlsx"
    book = save(book_path, sheets)
    book["notes"].sheet_state = "hidden"
    # Formatting below and right of a table leaves empty cells in the file: ignored.
    book["Aktor"].cell(row=40, column=9).number_format = "0.00"
    book["Aktor"].cell(row=2, column=6).number_format = "0.00"
    book.save(book_path)
    save_cached_values(book_path, {"40+4": "44"})

    from_workbook = read_dataset([book_path, TINY / "dataset.yaml"], quick=False)
    from_csv = read_dataset([twin], quick=False)

    assert graph_facts(from_workbook) == graph_facts(from_csv)
    assert len(from_csv.nodes) == 15 and len(from_csv.relationships) == 12


TINY_SOURCES: Rows = [["id", "title"], ["src-test", "Hand-made test data"]]
"""The sources of tiny's dataset.yaml, as a sheet."""


def test_sheets_may_be_named_like_the_csv_files(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    save(book, {**tiny_tables(), "sources": TINY_SOURCES})

    from_workbook = read_dataset([book], quick=False)

    assert graph_facts(from_workbook) == graph_facts(read_dataset([TINY], quick=False))


# The corpus: a valid workbook (actors, activities, a RACI chart), and ONE defect each.

ACTORS: Rows = [["id", "name", "kind", "level", "note"],
                ["a-1", "Dinas", "government", "city"], ["a-2", "LPPSP", "research", "city"]]
ACTIVITIES: Rows = [["id", "name", "category"], ["t-1", "Relokasi", "relocation"]]
RACI: Rows = [["activity", "Dinas", "a-2"], ["t-1", "A/R", "C"]]

Defect = Callable[[Path], Path]
"""Writes a broken workbook (or file) into the directory; returns the path to load."""


def book_with(change: Callable[[openpyxl.Workbook], None], name: str = "book.xlsx",
              cached: dict[str, str] | None = None) -> Defect:
    def write(directory: Path) -> Path:
        path = directory / name
        book = save(path, {"aktor": ACTORS, "kegiatan": ACTIVITIES, "raci": RACI})
        change(book)
        book.save(path)
        if cached:
            save_cached_values(path, cached)
        return path
    return write


def cell(sheet: str, reference: str, value: Any, data_type: str | None = None
         ) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        target = book[sheet][reference]
        target.value = value
        if data_type:
            target.data_type = data_type
    return change


def sheet(title: str, rows: Rows) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        new: Worksheet = book.create_sheet(title)
        for row in rows:
            new.append(row)
    return change


def merge(reference: str) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        book["aktor"].merge_cells(reference)
    return change


def raw(name: str, data: bytes) -> Defect:
    def write(directory: Path) -> Path:
        path = directory / name
        path.write_bytes(data)
        return path
    return write


KINDS = ("'government', 'legislature', 'research', 'association', 'business', 'finance', "
         "'education' or 'community'")
UNKNOWN_SHEET = (
    "unknown sheet; name a sheet after its table, one of activities, actors, assessments, "
    "commitments, commodities, engagements, funding, indicators, kecamatan, links, markets, "
    "raci, regulations, responsibilities, sentra, sources, zones, or in Indonesian, one of "
    "aktor, indikator, interaksi, kecamatan, kegiatan, komitmen, komoditas, pasar, pendanaan, "
    "penilaian, raci, regulasi, sentra, sumber, tanggung_jawab, tautan, wilayah (a sheet of "
    "notes: hide it, or name it Instructions or Petunjuk)"
)
SAVE_IN_EXCEL = ("has no saved value: the program that wrote the workbook did not calculate "
                 "it; open and save the workbook in Excel or LibreOffice")

CORPUS: dict[str, tuple[Defect, list[str]]] = {
    "formula-without-saved-value": (
        book_with(cell("aktor", "E3", "=UPPER(B3)")),
        [f"book.xlsx[aktor]!E3: note: formula =UPPER(B3) {SAVE_IN_EXCEL}"],
    ),
    "merged-cells-in-data": (
        book_with(merge("C3:D3")),
        ["book.xlsx[aktor]!C3:D3: merged cells: a table needs one value in each cell; "
         "unmerge them and fill each cell"],
    ),
    "unknown-sheet": (
        book_with(sheet("Sheet1", [["id", "name"], ["z-1", "Wilayah Satu"]])),
        [f"book.xlsx[Sheet1]: {UNKNOWN_SHEET}"],
    ),
    "bad-enum-in-a-typed-cell": (
        book_with(cell("aktor", "C3", 42)),
        [f"book.xlsx[aktor]!C3: kind: Input should be {KINDS} (got '42')"],
    ),
    "error-value-from-a-formula": (
        book_with(cell("aktor", "E2", "#DIV/0!")),
        ["book.xlsx[aktor]!E2: note: holds the error #DIV/0!: fix its formula, or the cells "
         "it reads"],
    ),
    "text-that-looks-like-a-formula": (
        book_with(cell("aktor", "B3", "=HYPERLINK(\"x\")", data_type="s")),
        ["book.xlsx[aktor]!B3: name: looks like a spreadsheet formula ('=HYPERLINK(\"x\")'); "
         "prefix it with ' to keep it as text"],
    ),
    "value-outside-the-table": (
        book_with(cell("kegiatan", "E2", "stray note")),
        ["book.xlsx[kegiatan]!E2: a value outside the table: its column has no header"],
    ),
    "undeclared-source": (
        book_with(sheet("wilayah", [["id", "name", "sources"], ["z-1", "Satu", "src-9"]])),
        ["book.xlsx[wilayah]!C2: sources: unknown source 'src-9', cited at book.xlsx[wilayah] "
         "row 2; declare it in the sources table: a sheet sources (or sumber), sources.csv "
         "(or sumber.csv) or 'sources' in dataset.yaml"],
    ),
    "missing-column": (
        book_with(sheet("wilayah", [["id"], ["z-1"]])),
        ["book.xlsx[wilayah]!1:1: name: missing column"],
    ),
    "unknown-actor-in-the-raci-matrix-header": (
        book_with(cell("raci", "C1", "a-9")),
        ["book.xlsx[raci]!C1: a-9: unknown Actor 'a-9'"],
    ),
    "bad-raci-letter": (
        book_with(cell("raci", "B2", "X")),
        ["book.xlsx[raci]!B2: Dinas: unknown RACI letter 'X' in 'X'; use R, A, C or I"],
    ),
    "duplicate-id": (
        book_with(cell("aktor", "A3", "a-1")),
        ["book.xlsx[aktor]!A3: id: duplicate id 'a-1': already used at book.xlsx[aktor]!A2",
         "book.xlsx[raci]!C1: a-2: unknown Actor 'a-2'"],
    ),
    "empty-sheet": (
        book_with(sheet("wilayah", [])),
        ["book.xlsx[wilayah]: no header: row 1 must name the columns"],
    ),
    "xls-workbook": (
        raw("book.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        ["book.xls: a .xls workbook is not read: save it as 'Excel Workbook (.xlsx)' and load "
         "that"],
    ),
    "ods-workbook": (
        raw("book.ods", b"PK\x03\x04"),
        ["book.ods: a .ods workbook is not read: save it as 'Excel Workbook (.xlsx)' and load "
         "that"],
    ),
    "not-a-zip": (
        raw("book.xlsx", b"id,name\na-1,Dinas\n"),
        ["book.xlsx: not a readable .xlsx workbook (File is not a zip file); save it from "
         "Excel or LibreOffice as 'Excel Workbook (.xlsx)', without a password"],
    ),
}


def relative(text: str, directory: Path) -> str:
    return text.replace(f"{directory}/", "")


@pytest.mark.parametrize("case", sorted(CORPUS), ids=sorted(CORPUS))
def test_a_bad_workbook_is_refused_naming_sheet_and_cell(case: str, tmp_path: Path) -> None:
    defect, expected = CORPUS[case]
    path = defect(tmp_path)

    with pytest.raises(DatasetError) as raised:
        read_dataset([path])

    assert [relative(str(p), tmp_path) for p in raised.value.problems] == expected


def test_a_formula_is_read_by_its_saved_value(tmp_path: Path) -> None:
    path = book_with(cell("aktor", "E3", "=2*3"), cached={"2*3": "6"})(tmp_path)

    graph = read_dataset([path])

    assert {node.id: node.props.get("note") for node in graph.nodes}["a-2"] == "6"


def kg(store: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", str(store), *args])


def fingerprint(store: Path) -> str:
    return hashlib.sha256((store / "graph.rdb").read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store holding the tiny dataset, and a hash of its saved graph."""
    store = tmp_path_factory.mktemp("workbooks") / "store"
    result = kg(store, "load", str(TINY))
    assert result.exit_code == 0, result.output
    return store, fingerprint(store)


@pytest.mark.parametrize("case", sorted(CORPUS), ids=sorted(CORPUS))
def test_kg_load_refuses_a_bad_workbook_with_exit_2_and_changes_nothing(
    case: str, tmp_path: Path, loaded_store: tuple[Path, str]
) -> None:
    store, before = loaded_store
    defect, expected = CORPUS[case]
    path = defect(tmp_path)

    result = kg(store, "load", "--replace", str(path))

    assert result.exit_code == 2, result.output
    count = len(expected)
    assert result.stderr.startswith(f"Error: {count} problem{'s' if count != 1 else ''} in "
                                    "the dataset; nothing was written:\n"), result.stderr
    lines = [relative(line.strip(), tmp_path) for line in result.stderr.splitlines()[1:]]
    assert lines == expected
    assert fingerprint(store) == before


def test_kg_load_reads_a_workbook_whose_sumber_sheet_declares_its_sources(
    tmp_path: Path,
) -> None:
    book = tmp_path / "book.xlsx"
    save(book, {**{INDONESIAN[name]: rows for name, rows in tiny_tables().items()},
                "sumber": TINY_SOURCES})

    result = kg(tmp_path / "store", "load", str(book))

    assert result.exit_code == 0, result.output
    assert "14 nodes, 12 relationships" in result.output


def test_a_directory_holding_only_a_workbook_says_how_to_load_it(tmp_path: Path) -> None:
    save(tmp_path / "book.xlsx", {"aktor": ACTORS})

    with pytest.raises(DatasetError) as raised:
        read_dataset([tmp_path])

    (problem,) = raised.value.problems
    assert problem.message.startswith("no dataset here: expected dataset.yaml or CSV files ")
    assert problem.message.endswith(
        f"; a workbook is loaded by its own path: kg load {tmp_path / 'book.xlsx'}"
    )


def test_problems_in_csv_files_keep_the_file_and_row_form(tmp_path: Path) -> None:
    (tmp_path / "actors.csv").write_text("id,name,kind\na-1,Dinas,alien\n")

    with pytest.raises(DatasetError) as raised:
        read_dataset([tmp_path])

    assert re.match(r".*/actors\.csv:2: kind: Input should be ", str(raised.value.problems[0]))

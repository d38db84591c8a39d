"""Workbooks written for Excel users: the template (kg template), the graph (kg export
--format xlsx) and the audit (kg audit --format xlsx), read back with openpyxl; and
the round trips through kg load."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from kg.export.workbook import add_table, sheet_name
from kg.schema.columns import COLUMNS, TABLE_MODELS, TABLES, columns, header
from kg.schema.model import (
    ActorKind,
    FundingSource,
    MarketKind,
    Role,
    SentraStatus,
    Stage,
)
from kg.schema.names import value_word
from kg.schema.tables import SHEET_NAMES

from .conftest import DATA, TINY, Kg
from .helpers import edges, graph_of

GRANTS = DATA / "grants"


def values(sheet: Worksheet) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def validations(sheet: Worksheet) -> dict[str, str]:
    """First cell of each validated range -> its list formula."""
    return {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}


def column_of(sheet: Worksheet, column: str) -> str:
    """The letter of ``column`` (its English name) in a sheet headed in English or
    Indonesian."""
    names = {column, header(SHEET_NAMES.get(sheet.title, sheet.title), column, "id")}
    return next(cell.column_letter for cell in sheet[1] if cell.value in names)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("template") / "sentra.xlsx"
    assert Kg(path.parent / "store")("template", "-o", str(path)).exit_code == 0
    return openpyxl.load_workbook(path)


# --- column meanings -------------------------------------------------------------------


def test_every_column_of_every_model_has_a_meaning_and_no_meaning_is_stale() -> None:
    # An assessment's id and name are not columns: its actor and day name it.
    assert {table: set(COLUMNS[table]) for table in COLUMNS} == {
        table: {info.alias or name for name, info in model.model_fields.items()}
        - getattr(model, "not_given", frozenset())
        for table, model in TABLE_MODELS.items()
    }


def test_a_sheet_shows_its_models_columns_a_sources_sheet_a_documents() -> None:
    assert {table: columns(table) for table in TABLE_MODELS} == {
        **{table: list(COLUMNS[table]) for table in TABLE_MODELS},
        "sources": ["id", "title", "publisher", "date", "url"],
    }


def test_every_meaning_has_both_languages_and_an_example() -> None:
    for table, meanings in COLUMNS.items():
        for column, meaning in meanings.items():
            assert meaning.en and meaning.id and meaning.example, (table, column)
    assert set(TABLES) == set(TABLE_MODELS)


# --- the template ----------------------------------------------------------------------


def test_template_in_indonesian_has_petunjuk_then_one_sheet_per_table(
    template: openpyxl.Workbook,
) -> None:
    inverse = {table: sheet for sheet, table in SHEET_NAMES.items()}
    assert template.sheetnames == ["Petunjuk", *(inverse[t] for t in TABLE_MODELS)]
    instructions = " ".join(str(row[0]) for row in values(template["Petunjuk"]) if row[0])
    assert "kg load NAMA_FILE.xlsx" in instructions
    assert "aktor:" in instructions


def test_template_in_english_names_sheets_like_the_csv_files(tmp_path: Path) -> None:
    path = tmp_path / "en.xlsx"
    assert Kg(tmp_path / "store")("template", "-o", str(path), "--lang", "en").exit_code == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Instructions", *TABLE_MODELS]
    note = book["actors"]["D1"].comment.text
    assert note.startswith("kind: Kind of actor")
    assert "Allowed: " + ", ".join(ActorKind) in note and "Example: government" in note


@pytest.mark.parametrize("table", list(TABLE_MODELS), ids=list(TABLE_MODELS))
def test_template_sheet_has_a_frozen_header_with_a_note_on_every_column(
    template: openpyxl.Workbook, table: str
) -> None:
    sheet = template[sheet_name(table, "id")]
    assert sheet.freeze_panes == "A2"
    assert values(sheet) == [[header(table, column, "id") for column in columns(table)]]
    for cell in sheet[1]:
        assert cell.comment is not None and cell.comment.text.startswith(f"{cell.value}: ")
        assert sheet.column_dimensions[cell.column_letter].width >= 10


@pytest.mark.parametrize(
    ("table", "column", "allowed"),
    [
        ("actors", "kind", list(ActorKind)),
        ("sentra", "status", list(SentraStatus)),
        ("commodities", "stage", list(Stage)),
        ("markets", "kind", list(MarketKind)),
        ("funding", "source_type", list(FundingSource)),
        ("responsibilities", "role", list(Role)),
    ],
    ids=["actor kind", "sentra status", "stage", "market kind", "funding source", "raci"],
)
def test_template_offers_each_enumeration_as_a_drop_down(
    template: openpyxl.Workbook, table: str, column: str, allowed: list[str]
) -> None:
    sheet = template[sheet_name(table, "id")]
    formula = validations(sheet)[f"{column_of(sheet, column)}2"]
    assert formula == '"' + ",".join(value_word(type(v), v, "id") for v in allowed) + '"'


def test_template_offers_activity_category_and_topic_and_link_types(
    template: openpyxl.Workbook,
) -> None:
    kegiatan = validations(template["kegiatan"])
    assert kegiatan[f"{column_of(template['kegiatan'], 'category')}2"].startswith(
        '"perencanaan,pemetaan,')
    assert kegiatan[f"{column_of(template['kegiatan'], 'topic')}2"].startswith(
        '"pemasaran,komunikasi,')
    assert "FUNDS" not in validations(template["tautan"])["B2"]


def test_template_offers_ids_of_the_referred_sheet(template: openpyxl.Workbook) -> None:
    assert validations(template["pendanaan"])["B2"] == "'aktor'!$A$2:$A$1048576"
    assert validations(template["pendanaan"])["C2"] == "'sentra'!$A$2:$A$1048576"
    assert validations(template["tanggung_jawab"])["A2"] == "'kegiatan'!$A$2:$A$1048576"
    assert validations(template["tanggung_jawab"])["B2"] == "'aktor'!$A$2:$A$1048576"


def test_template_has_a_sumber_sheet_that_the_sources_columns_point_at(
    template: openpyxl.Workbook,
) -> None:
    assert template.sheetnames[-1] == "sumber"
    assert values(template["sumber"]) == [["id", "judul", "penerbit", "tanggal", "url"]]
    assert template["sumber"]["B1"].comment.text.startswith("judul: Judul dokumen (wajib).")
    aktor = template["aktor"]
    note = aktor[f"{column_of(aktor, 'sources')}1"].comment.text
    assert "(lembar sumber)" in note and "dataset.yaml" not in note


def test_template_loaded_unchanged_gives_an_empty_graph(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("template", "-o", str(tmp_path / "t.xlsx")).exit_code == 0
    loaded = kg("load", str(tmp_path / "t.xlsx"))
    assert loaded.exit_code == 0, loaded.output
    assert ": 0 nodes, 0 relationships" in loaded.output


def test_template_example_alone_loads_the_bundled_data_sources_included(
    tmp_path: Path,
) -> None:
    bundled = Kg(tmp_path / "bundled")
    first = bundled("load")
    assert first.exit_code == 0
    counts = re.search(r": (\d+) nodes, (\d+) relationships", first.output)
    assert counts is not None
    nodes, relationships = counts.groups()
    kg = Kg(tmp_path / "store")
    made = kg("template", "-o", str(tmp_path / "e.xlsx"), "--example")
    assert made.exit_code == 0, made.output
    assert made.output == f"Wrote {tmp_path / 'e.xlsx'}: {nodes} nodes and {relationships} " \
                          "relationships to start from\n"
    book = openpyxl.load_workbook(tmp_path / "e.xlsx")
    assert book["aktor"].max_row == 17 and book["sumber"].max_row == 7
    loaded = kg("load", str(tmp_path / "e.xlsx"))
    assert loaded.exit_code == 0, loaded.output
    assert f": {nodes} nodes, {relationships} relationships" in loaded.output
    a, b = graph_of(kg.store), graph_of(bundled.store)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert edges(a) == edges(b)


def test_template_without_output_is_a_usage_error(tmp_path: Path) -> None:
    result = Kg(tmp_path / "store")("template")
    assert result.exit_code == 2
    assert "Missing option '-o' / '--output'" in result.output


# --- cells -----------------------------------------------------------------------------


def test_text_that_looks_like_a_formula_is_written_as_guarded_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = add_table(book, "t", ["name", "count"], [["=SUM(A1)", 3], ["@dinas", None]])
    assert [(c.value, c.data_type) for c in sheet["A"][1:]] == [("'=SUM(A1)", "s"),
                                                               ("'@dinas", "s")]
    assert (sheet["B2"].value, sheet["B2"].data_type) == (3, "n")


# --- export ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tiny", "grants", "semarang", "assessments"])
def test_xlsx_export_then_load_alone_gives_the_same_graph_audit_and_workbook(
    tmp_path: Path, name: str
) -> None:
    dataset = {"tiny": [str(TINY)], "grants": [str(GRANTS)], "semarang": [],
               "assessments": [str(DATA / "assessments")]}[name]
    first = Kg(tmp_path / "first")
    assert first("load", *dataset).exit_code == 0
    exported = first("export", "--format", "xlsx", "-o", str(tmp_path / "a.xlsx"))
    assert exported.exit_code == 0, exported.output
    second = Kg(tmp_path / "second")
    loaded = second("load", str(tmp_path / "a.xlsx"))
    assert loaded.exit_code == 0, loaded.output
    a, b = graph_of(first.store), graph_of(second.store)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert edges(a) == edges(b)
    audit = ("audit", "--format", "json")
    assert json.loads(first(*audit).output) == json.loads(second(*audit).output)
    assert second("export", "--format", "xlsx", "-o", str(tmp_path / "b.xlsx")).exit_code == 0
    book_a, book_b = (openpyxl.load_workbook(tmp_path / f) for f in ("a.xlsx", "b.xlsx"))
    assert book_a.sheetnames == book_b.sheetnames
    for title in book_a.sheetnames:
        assert values(book_a[title]) == values(book_b[title]), title
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_xlsx_export_guards_formula_like_names_and_load_restores_them(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(TINY)).exit_code == 0
    name = '=HYPERLINK("http://x")'
    done = kg("cypher", "--write", "MATCH (a:Actor {id: $id}) SET a.name = $name",
              "-p", "id=a-lppsp", "-p", f"name={name}")
    assert done.exit_code == 0, done.output
    assert kg("export", "--format", "xlsx", "-o", str(tmp_path / "a.xlsx")).exit_code == 0
    cell = next(row[1] for row in openpyxl.load_workbook(tmp_path / "a.xlsx")["aktor"].iter_rows()
                if row[0].value == "a-lppsp")
    assert (cell.value, cell.data_type) == ("'" + name, "s")
    back = Kg(tmp_path / "back")
    assert back("load", str(tmp_path / "a.xlsx")).exit_code == 0
    assert graph_of(back.store).nodes["a-lppsp"]["name"] == name


# --- audit -----------------------------------------------------------------------------


def test_audit_xlsx_has_filtered_findings_and_a_summary(tiny_kg: Kg, tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    result = tiny_kg("audit", "--format", "xlsx", "-o", str(path))
    assert result.exit_code == 0, result.output
    report = json.loads(tiny_kg("audit", "--format", "json").output)["checks"]
    total = sum(check["count"] for check in report)
    assert result.output == f"Wrote {path}: {total:,} findings from {len(report)} checks\n"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Findings", "Summary"]
    findings = book["Findings"]
    assert findings.freeze_panes == "A2" and findings.auto_filter.ref == findings.dimensions
    rows = values(findings)
    assert rows[0] == ["check", "title", "severity", "subject", "subject name", "message",
                       "related", "related names"]
    assert [(r[0], r[3], r[5]) for r in rows[1:]] == [
        (check["id"], finding["subject"], finding["message"])
        for check in report for finding in check["findings"]
    ]
    summary = values(book["Summary"])
    assert summary[1:len(report) + 1] == [
        [c["id"], c["title"], c["severity"], c["count"]] for c in report
    ]
    errors = sum(c["count"] for c in report if c["severity"] == "error")
    assert summary[len(report) + 1:] == [["total", None, None, total],
                                         ["total", None, "error", errors],
                                         ["total", None, "warning", total - errors]]


def test_audit_xlsx_in_indonesian_names_its_sheets_so(tiny_kg: Kg, tmp_path: Path) -> None:
    path = tmp_path / "audit.xlsx"
    assert tiny_kg("audit", "--format", "xlsx", "--lang", "id", "-o", str(path)).exit_code == 0
    assert openpyxl.load_workbook(path).sheetnames == ["Temuan", "Ringkasan"]


def test_audit_xlsx_without_output_is_a_usage_error(tiny_kg: Kg) -> None:
    result = tiny_kg("audit", "--format", "xlsx")
    assert result.exit_code == 2
    assert "--format xlsx writes a workbook: name it with -o FILE.xlsx" in result.output


def test_audit_output_writes_a_text_format_to_the_file(tiny_kg: Kg, tmp_path: Path) -> None:
    path = tmp_path / "audit.json"
    result = tiny_kg("audit", "--format", "json", "-o", str(path))
    assert result.exit_code == 0 and result.output == ""
    assert path.read_text(encoding="utf-8") == tiny_kg("audit", "--format", "json").output


def test_audit_xlsx_into_a_missing_directory_is_an_error_without_traceback(
    tiny_kg: Kg, tmp_path: Path
) -> None:
    result = tiny_kg("audit", "--format", "xlsx", "-o", str(tmp_path / "no" / "a.xlsx"))
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: cannot write {tmp_path / 'no' / 'a.xlsx'}")

"""The office's follow-up tables: engagements, commitments and indicators, and the
activities' status and dates. They load from CSV and workbooks with ids or names and
English or Indonesian words, refuse bad rows naming the cell, and round-trip through the
exports and ``kg diff``."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kg.errors import DatasetError
from kg.export.workbook import write_template
from kg.loaders import read_dataset
from kg.schema.columns import columns
from kg.schema.describe import schema_table
from kg.schema.graph import GraphData
from kg.schema.model import Label, RelType
from kg.schema.names import column_word

from .conftest import DATA, Kg
from .helpers import Rows, save

FOLLOWUP = DATA / "followup"

VISIT = "engagement:2025-03-12:visit:monitoring-sentra-logam"
TEMU_BISNIS = "engagement:2025-05-20:matchmaking:temu-bisnis-ikm"
TRAINING = "engagement:2025-06-02:training:pelatihan-pemasaran-digital-angkatan-1"


@pytest.fixture(scope="module")
def graph() -> GraphData:
    return read_dataset([FOLLOWUP])


def nodes(graph: GraphData, label: Label) -> dict[str, dict[str, Any]]:
    return {node.id: node.props for node in graph.nodes if node.label is label}


def ties(graph: GraphData, rel_type: RelType) -> set[tuple[str, str]]:
    return {(rel.start, rel.end) for rel in graph.relationships if rel.type is rel_type}


def test_an_engagement_is_named_by_its_day_kind_and_title_in_english(graph: GraphData) -> None:
    engagements = nodes(graph, Label.ENGAGEMENT)
    assert set(engagements) == {VISIT, TEMU_BISNIS, TRAINING}
    assert engagements[VISIT] == {"name": "Monitoring Sentra Logam", "date": "2025-03-12",
                                  "kind": "visit", "outcome": "Kios banyak kosong",
                                  "sources": ["src-notulen"]}
    assert engagements[TEMU_BISNIS]["kind"] == "matchmaking"  # 'temu bisnis'


def test_an_engagement_ties_its_sentra_participants_and_activity_named_by_id_or_name(
    graph: GraphData,
) -> None:
    assert ties(graph, RelType.AT_SENTRA) == {
        (VISIT, "s-logam"), (TEMU_BISNIS, "s-logam"), (TEMU_BISNIS, "s-batik"),
        (TRAINING, "s-logam"),
    }
    assert ties(graph, RelType.TOOK_PART_IN) == {
        ("a-disperin", VISIT), ("a-paguyuban", VISIT), ("a-disperin", TEMU_BISNIS),
        ("a-bank", TEMU_BISNIS), ("a-disperin", TRAINING),
    }
    assert ties(graph, RelType.CARRIES_OUT) == {(TRAINING, "act-latih")}


def test_a_commitment_records_who_owes_what_to_whom_by_when(graph: GraphData) -> None:
    commitments = nodes(graph, Label.COMMITMENT)
    kept = next(c for c, props in commitments.items() if props["name"].startswith("Pelatihan"))
    assert commitments[kept] == {"name": "Pelatihan pemasaran digital", "madeOn": "2025-03-12",
                                 "due": "2025-06-30", "status": "done",
                                 "doneOn": "2025-06-02", "sources": ["src-notulen"]}
    assert commitments["k-perwal"] == {"name": "Susun regulasi pusat IKM",
                                       "madeOn": "2024-05-01", "status": "open"}
    credit = next(c for c, props in commitments.items() if props["name"] == "Skema kredit usaha")
    assert commitments[credit]["status"] == "open"  # an empty status is open
    assert commitments[credit]["due"] == "2025-09-30"
    assert ties(graph, RelType.COMMITTED) == {("a-disperin", kept), ("a-disperin", "k-perwal"),
                                              ("a-bank", credit)}
    assert ties(graph, RelType.TO_SENTRA) == {(kept, "s-logam")}
    assert ties(graph, RelType.TO_ACTOR) == {(credit, "a-paguyuban")}
    assert ties(graph, RelType.MADE_AT) == {(kept, VISIT)}
    assert ties(graph, RelType.FOR_ACTIVITY) == {(kept, "act-latih")}


def test_an_indicator_row_is_a_value_for_a_subject_and_period(graph: GraphData) -> None:
    indicators = nodes(graph, Label.INDICATOR)
    assert indicators["indicator::pdrb_manufacturing_share_pct:2021:actual"] == {
        "name": "pdrb_manufacturing_share_pct", "indicator": "pdrb_manufacturing_share_pct",
        "period": "2021", "periodEnd": "2021-12-31", "value": 27.92, "unit": "%",
        "kind": "actual", "direction": "up",
    }
    day = indicators["indicator:z-x:ikm_units:2024-06-30:actual"]
    assert (day["period"], day["periodEnd"], day["value"]) == ("2024-06-30", "2024-06-30", 1250)
    assert indicators["indicator:33.74.16:unemployment_pct:2024:target"]["direction"] == "down"
    assert ties(graph, RelType.OF_SENTRA) == {
        ("indicator:s-logam:kiosk_occupancy_pct:2022:actual", "s-logam"),
        ("indicator:s-logam:kiosk_occupancy_pct:2025:target", "s-logam"),
    }
    assert ties(graph, RelType.OF_ZONE) == {("indicator:z-x:ikm_units:2024-06-30:actual", "z-x")}
    assert ties(graph, RelType.OF_KECAMATAN) == {
        ("indicator:33.74.16:unemployment_pct:2024:target", "33.74.16")}


def test_an_activity_has_a_status_dates_and_the_years_of_its_phase(graph: GraphData) -> None:
    activities = nodes(graph, Label.ACTIVITY)
    assert activities["act-latih"]["status"] == "ongoing"  # 'berjalan'
    assert (activities["act-latih"]["started"], activities["act-latih"]["due"]) == (
        "2025-02-01", "2025-12-31")  # 'Des 2025': the month's last day
    assert activities["act-regulasi"]["completed"] == "2024-11-30"
    assert (activities["act-latih"]["phaseFrom"], activities["act-latih"]["phaseTo"]) == (
        2025, 2029)
    assert activities["act-promosi"]["phaseFrom"] == 2025  # 'Tahap I (2025-2029)'
    assert "phaseFrom" not in activities["act-regulasi"]  # no phase


def with_file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "dataset"
    shutil.copytree(FOLLOWUP, path)
    (path / name).write_text(text, encoding="utf-8")
    return path


BAD_ROWS = {
    "engagement without a date": (
        "engagements.csv", "date,kind,title\n,rapat,Rapat\n",
        "engagements.csv:2: date: required, but empty"),
    "engagement of an unknown kind": (
        "engagements.csv", "date,kind,title\n2025-01-02,arisan,Arisan\n",
        "engagements.csv:2: kind: Input should be 'visit', 'training', 'meeting', "
        "'matchmaking', 'exhibition', 'coordination' or 'other' (got 'arisan')"),
    "engagement naming an unknown sentra": (
        "engagements.csv", "date,kind,title,sentra\n2025-01-02,rapat,Rapat,Sentra Logam Contoh;"
        "Sentra Kayu\n",
        "engagements.csv:2: sentra: unknown Sentra 'Sentra Kayu'; did you mean 'Sentra Logam "
        "Contoh' (s-logam)?"),
    "engagement naming a misspelt actor": (
        "engagements.csv", "date,kind,title,actors\n2025-01-02,rapat,Rapat,Bank Conto\n",
        "engagements.csv:2: actors: unknown Actor 'Bank Conto'; did you mean 'Bank Contoh' "
        "(a-bank)?"),
    "engagement given twice": (
        "engagements.csv", "date,kind,title\n2025-01-02,rapat,Rapat\n2025-01-02,meeting,Rapat\n",
        "engagements.csv:3: title: duplicate id 'engagement:2025-01-02:meeting:rapat': "
        "already used at {path}/engagements.csv:2"),
    "commitment done without its day": (
        "commitments.csv", "by,what,status\na-disperin,Janji,selesai\n",
        "commitments.csv:2: done_on: a commitment done needs the day it was done (done_on)"),
    "commitment done before it was made": (
        "commitments.csv", "made_on,by,what,status,done_on\n2025-03-01,a-disperin,Janji,done,"
        "2025-02-01\n",
        "commitments.csv:2: done_on: 2025-02-01 is before made_on (2025-03-01)"),
    "commitment without who made it": (
        "commitments.csv", "what\nJanji\n", "commitments.csv:1: by: missing column"),
    "commitment to nobody known": (
        "commitments.csv", "by,to,what\na-disperin,Pak Lurah,Janji\n",
        "commitments.csv:2: to: unknown Actor or Sentra 'Pak Lurah'"),
    "commitment of an unknown status": (
        "commitments.csv", "by,what,status\na-disperin,Janji,tertunda\n",
        "commitments.csv:2: status: Input should be 'open', 'done' or 'dropped' (got "
        "'tertunda')"),
    "commitment at an unknown engagement": (
        "commitments.csv", "by,what,engagement\na-disperin,Janji,eng-x\n",
        "commitments.csv:2: engagement: unknown Engagement 'eng-x'"),
    "indicator value not a number": (
        "indicators.csv", "indicator,period,value,kind\nx,2024,banyak,actual\n",
        "indicators.csv:2: value: expected a number such as 27,92, 1.500.000 or 1,5 juta, "
        "got 'banyak'"),
    "indicator value read two ways": (
        "indicators.csv", "indicator,period,value,kind\nx,2024,1.250,actual\n",
        "indicators.csv:2: value: '1.250' reads two ways (1250 or 1,25?): write 1500 or 1,5"),
    "indicator period neither a year nor a day": (
        "indicators.csv", "indicator,period,value,kind\nx,Q1 2024,5,actual\n",
        "indicators.csv:2: period: expected a year (2023) or a day (2023-06-30), got 'Q1 2024'"),
    "two actuals for one subject, indicator and period": (
        "indicators.csv", "subject,indicator,period,value,kind\ns-logam,x,2024,5,actual\n"
        "Sentra Logam Contoh,x,2024,6,realisasi\n",
        "indicators.csv:3: period: duplicate id 'indicator:s-logam:x:2024:actual': already "
        "used at {path}/indicators.csv:2"),
    "indicator given an id": (
        "indicators.csv", "id,indicator,period,value,kind\ni-1,x,2024,5,actual\n",
        "indicators.csv:1: id: this table's other columns name a row; remove this column"),
    "activity of an unknown status": (
        "activities.csv", "id,name,category,status\nact-x,X,training,tertunda\n",
        "activities.csv:2: status: Input should be 'planned', 'ongoing', 'done', 'cancelled', "
        "'proposed' or 'recommended' (got 'tertunda')"),
}


@pytest.mark.parametrize("case", BAD_ROWS, ids=list(BAD_ROWS))
def test_a_bad_row_is_refused_naming_file_row_and_field(tmp_path: Path, case: str) -> None:
    name, text, expected = BAD_ROWS[case]
    path = with_file(tmp_path, name, text)
    for other in {"engagements.csv", "commitments.csv"} - {name}:  # they name rows it lacks
        (path / other).unlink()
    with pytest.raises(DatasetError) as caught:
        read_dataset([path])
    messages = [str(problem).removeprefix(f"{path}/") for problem in caught.value.problems]
    assert messages == [expected.format(path=path)]


def test_kg_load_of_a_bad_row_exits_2_and_leaves_the_store_as_it_was(
    kg: Kg, tmp_path: Path
) -> None:
    assert kg("load", str(FOLLOWUP)).exit_code == 0
    before = (kg.store / "graph.rdb").read_bytes()
    path = with_file(tmp_path, "commitments.csv", "by,what,status\na-disperin,Janji,selesai\n")
    result = kg("load", str(path))
    assert result.exit_code == 2
    assert "commitments.csv:2: done_on: a commitment done needs the day" in result.output
    assert (kg.store / "graph.rdb").read_bytes() == before


def workbook(tmp_path: Path, sheets: dict[str, Rows]) -> Path:
    """A workbook holding ``sheets``, each a list of rows, the header first."""
    save(tmp_path / "book.xlsx", sheets)
    return tmp_path / "book.xlsx"


def test_the_tables_load_from_sheets_named_in_indonesian(tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    shutil.copytree(FOLLOWUP, dataset)
    for name in ("engagements.csv", "commitments.csv", "indicators.csv"):
        (dataset / name).unlink()
    book = workbook(tmp_path, {
        "Interaksi": [["date", "kind", "title", "sentra", "actors"],
                      ["2025-03-12", "kunjungan", "Monitoring", "Sentra Logam Contoh",
                       "a-disperin"]],
        "Komitmen": [["by", "what", "due"], ["a-disperin", "Susun perwal", "Des 2025"]],
        "Indikator": [["subject", "indicator", "period", "value", "kind"],
                      ["s-logam", "kiosk_occupancy_pct", 2025, 62.5, "realisasi"]],
    })
    graph = read_dataset([dataset, book])
    assert set(nodes(graph, Label.ENGAGEMENT)) == {"engagement:2025-03-12:visit:monitoring"}
    (commitment,) = nodes(graph, Label.COMMITMENT).values()
    assert commitment["due"] == "2025-12-31"
    (indicator,) = nodes(graph, Label.INDICATOR).values()
    assert (indicator["period"], indicator["value"]) == ("2025", 62.5)


def test_a_bad_cell_of_a_sheet_is_named_by_sheet_and_cell(tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    shutil.copytree(FOLLOWUP, dataset)
    (dataset / "commitments.csv").unlink()
    book = workbook(tmp_path, {
        "komitmen": [["by", "what", "status", "done_on"],
                     ["a-disperin", "Susun perwal", "selesai", None]],
    })
    with pytest.raises(DatasetError) as caught:
        read_dataset([dataset, book])
    assert [str(p) for p in caught.value.problems] == [
        f"{book}[komitmen]!D2: done_on: a commitment done needs the day it was done (done_on)"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_tables_round_trip_through_an_export_and_kg_diff_finds_no_change(
    kg: Kg, tmp_path: Path, fmt: str
) -> None:
    assert kg("load", str(FOLLOWUP)).exit_code == 0
    out = tmp_path / ("export" if fmt == "csv" else "export.xlsx")
    assert kg("export", "--format", fmt, "-o", str(out)).exit_code == 0
    again = Kg(tmp_path / "again")
    assert again("load", str(out)).exit_code == 0
    result = kg("diff", str(kg.store), str(again.store))
    assert result.exit_code == 0, result.output
    assert "A and B hold the same graph." in result.output


def test_kg_diff_names_a_commitment_kept_since(kg: Kg, tmp_path: Path) -> None:
    assert kg("load", str(FOLLOWUP)).exit_code == 0
    text = (FOLLOWUP / "commitments.csv").read_text(encoding="utf-8").replace(
        "k-perwal,2024-05-01,a-disperin,,Susun regulasi pusat IKM,,terbuka,,,,",
        "k-perwal,2024-05-01,a-disperin,,Susun regulasi pusat IKM,,selesai,2025-01-15,,,")
    later = Kg(tmp_path / "later")
    assert later("load", str(with_file(tmp_path, "commitments.csv", text))).exit_code == 0
    result = kg("diff", str(kg.store), str(later.store))
    assert "k-perwal" in result.output
    assert "status" in result.output and "done" in result.output


def test_a_reload_with_a_commitment_kept_changes_that_one_node(kg: Kg, tmp_path: Path) -> None:
    assert kg("load", str(FOLLOWUP)).exit_code == 0
    text = (FOLLOWUP / "commitments.csv").read_text(encoding="utf-8").replace(
        "k-perwal,2024-05-01,a-disperin,,Susun regulasi pusat IKM,,terbuka,,,,",
        "k-perwal,2024-05-01,a-disperin,,Susun regulasi pusat IKM,,selesai,2025-01-15,,,")
    result = kg("load", str(with_file(tmp_path, "commitments.csv", text)))
    assert result.exit_code == 0, result.output
    assert "nodes: 0 added, 1 changed, 0 removed" in result.output
    assert "relationships: 0 added, 0 changed, 0 removed" in result.output


def test_the_template_has_a_sheet_for_each_table_in_both_languages(tmp_path: Path) -> None:
    for lang, sheets in {"id": ("interaksi", "komitmen", "indikator"),
                         "en": ("engagements", "commitments", "indicators")}.items():
        path = tmp_path / f"template-{lang}.xlsx"
        write_template(path, lang)
        book = openpyxl.load_workbook(path)
        for sheet, table in zip(sheets, ("engagements", "commitments", "indicators"),
                                strict=True):
            header = [cell.value for cell in book[sheet][1]]
            assert header == [column_word(c, lang) for c in columns(table)], (lang, sheet)


def test_the_schema_describes_the_new_labels_and_types() -> None:
    _, rows = schema_table()
    described = {row[1]: row for row in rows}
    assert "periodEnd (date as text" in described["Indicator"][3]
    assert "phaseFrom (integer" in described["Activity"][3]
    assert described["COMMITTED"][2] == "(Actor)-[:COMMITTED]->(Commitment)"
    assert described["Engagement"][3].startswith("id (text), name (text)")
    assert "title" not in described["Engagement"][3]

"""Stakeholder assessment (issue 17): the assessments table, `kg stakeholders`, and
brokerage that lists its pairs in `kg analyze`.

The example dataset tests/data/assessments/ is invented (its dataset.yaml says so): nine
actors, one rated twice (a-dinas: low on 2024-01-10, high on 2025-02-01), one exactly at
the default threshold (a-asosiasi, 3 and 3), one with no salience flags (a-tokoh), one
not rated at all (a-cv). The six audit checks have their own datasets in
tests/data/audit/ (test_audit.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.errors import DatasetError
from kg.loaders import read_dataset
from kg.schema.model import Assessment, Attitude, Label, RelType
from kg.stakeholders import QUADRANTS, SALIENCE_CLASSES, quadrant, salience

from .conftest import DATA

EXAMPLE = DATA / "assessments"

Kg = Callable[..., Result]


@pytest.fixture(scope="module")
def kg(tmp_path_factory: pytest.TempPathFactory) -> Kg:
    """`kg(*args)` runs `kg --store S *args` on a store holding the example dataset."""
    store = tmp_path_factory.mktemp("assessments") / "store"
    loaded = CliRunner().invoke(cli, ["--store", str(store), "load", str(EXAMPLE)])
    assert loaded.exit_code == 0, loaded.output
    return lambda *args: CliRunner().invoke(cli, ["--store", str(store), *args])


def stakeholders(kg: Kg, *options: str) -> dict[str, dict[str, Any]]:
    result = kg("stakeholders", "--format", "json", *options)
    assert result.exit_code == 0, result.output
    return {row["actor"]: row for row in json.loads(result.stdout)}


def example(tmp_path: Path, assessments: str) -> Path:
    """The example dataset with ``assessments`` as its assessments.csv."""
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    for path in EXAMPLE.iterdir():
        (dataset / path.name).write_bytes(path.read_bytes())
    (dataset / "assessments.csv").write_text(assessments, encoding="utf-8")
    return dataset


def problems(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as raised:
        read_dataset([path])
    return [str(problem).removeprefix(str(path) + "/") for problem in raised.value.problems]


# -- the assessments table ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "value"),
    [("1", 1), ("5", 5), (" 4 ", 4), ("low", 1), ("Medium", 3), ("HIGH", 5),
     ("rendah", 1), ("sedang", 3), ("Tinggi", 5), ("", None)],
    ids=["1", "5", "blanks", "low", "medium", "high", "rendah", "sedang", "tinggi", "empty"],
)
def test_a_rating_is_1_to_5_or_a_word_for_1_3_5(cell: str, value: int | None) -> None:
    row = Assessment.model_validate({"actor": "a", "date": "2025-01-01", "influence": cell})
    assert row.influence == value


@pytest.mark.parametrize(
    ("cell", "value"),
    [("supportive", Attitude.SUPPORTIVE), ("Mendukung", Attitude.SUPPORTIVE),
     ("netral", Attitude.NEUTRAL), ("OPPOSED", Attitude.OPPOSED),
     ("menentang", Attitude.OPPOSED), ("", None)],
    ids=["supportive", "mendukung", "netral", "opposed", "menentang", "empty"],
)
def test_an_attitude_is_english_or_indonesian(cell: str, value: Attitude | None) -> None:
    row = Assessment.model_validate({"actor": "a", "date": "2025-01-01", "attitude": cell})
    assert row.attitude == value


def test_salience_flags_are_booleans_with_empty_unknown() -> None:
    row = Assessment.model_validate(
        {"actor": "a", "date": "2025-01-01", "power": "ya", "legitimacy": "tidak",
         "urgency": ""})
    assert (row.power, row.legitimacy, row.urgency) == (True, False, None)


def test_bad_cells_are_refused_naming_row_and_column(tmp_path: Path) -> None:
    dataset = example(tmp_path, "actor,date,influence,interest,attitude,power\n"
                                "a-bank,,6,sangat tinggi,marah,mungkin\n")
    assert problems(dataset) == [
        "assessments.csv:2: attitude: Input should be 'supportive', 'neutral' or 'opposed' "
        "(got 'marah')",
        "assessments.csv:2: date: required, but empty",
        "assessments.csv:2: influence: expected 1-5, low/medium/high or rendah/sedang/tinggi, "
        "got '6'",
        "assessments.csv:2: interest: expected 1-5, low/medium/high or rendah/sedang/tinggi, "
        "got 'sangat tinggi'",
        "assessments.csv:2: power: expected true/false, yes/no, ya/tidak or 1/0, got 'mungkin'",
    ]


def test_two_assessments_of_one_actor_on_one_day_are_an_error_naming_both_rows(
    tmp_path: Path,
) -> None:
    # The second names the actor by its name: still the same actor.
    dataset = example(tmp_path, "actor,date,influence,interest\n"
                                "a-dinas,2025-02-01,5,5\n"
                                "a-bank,2025-02-01,1,1\n"
                                "Dinas Contoh,1 Februari 2025,1,1\n")
    (problem,) = problems(dataset)
    assert problem == (f"assessments.csv:4: date: duplicate assessment of 'a-dinas' on "
                       f"2025-02-01: already given at {dataset}/assessments.csv:2")


def test_an_assessment_of_an_unknown_actor_is_an_error(tmp_path: Path) -> None:
    dataset = example(tmp_path, "actor,date,influence,interest\na-nobody,2025-02-01,1,1\n")
    assert problems(dataset) == ["assessments.csv:2: actor: unknown Actor 'a-nobody'"]


def test_an_id_column_is_refused_as_actor_and_day_name_an_assessment(tmp_path: Path) -> None:
    dataset = example(tmp_path, "id,actor,date\nx-1,a-bank,2025-02-01\n")
    assert problems(dataset) == [
        "assessments.csv:1: id: an assessment is named by its actor and date; remove this column"
    ]


def test_an_assessment_without_actor_or_date_column_is_refused(tmp_path: Path) -> None:
    dataset = example(tmp_path, "actor,influence\na-bank,3\n")
    assert problems(dataset) == ["assessments.csv:1: date: missing column"]


def test_every_dated_row_is_an_assessment_node_tied_to_its_actor() -> None:
    graph = read_dataset([EXAMPLE])
    nodes = {node.id: node.props for node in graph.nodes if node.label is Label.ASSESSMENT}
    ties = {(rel.start, rel.end) for rel in graph.relationships if rel.type is RelType.ASSESSES}
    assert len(nodes) == 9
    assert ("assessment:a-dinas:2024-01-10", "a-dinas") in ties
    assert ("assessment:a-warga:2025-02-01", "a-warga") in ties  # named "Warga Contoh"
    assert nodes["assessment:a-dinas:2025-02-01"] == {
        "date": "2025-02-01", "influence": 5, "interest": 5, "attitude": "supportive",
        "power": True, "legitimacy": True, "urgency": True,
    }


def test_the_store_reads_assessments_with_cypher(kg: Kg) -> None:
    result = kg("cypher", "MATCH (s:Assessment)-[:ASSESSES]->(a:Actor {id: 'a-dinas'}) "
                "RETURN s.date AS day, s.influence AS influence ORDER BY day", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"day": "2024-01-10", "influence": 2},
                                         {"day": "2025-02-01", "influence": 5}]


def test_a_workbook_sheet_penilaian_holds_assessments(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in {
        "aktor": [["id", "name", "kind"], ["a-1", "Dinas Satu", "government"]],
        "penilaian": [["actor", "date", "influence", "interest", "attitude"],
                      ["Dinas Satu", "12 Mei 2025", "tinggi", 2, "mendukung"]],
    }.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(tmp_path / "book.xlsx")
    graph = read_dataset([tmp_path / "book.xlsx"])
    (node,) = [node for node in graph.nodes if node.label is Label.ASSESSMENT]
    assert (node.id, node.props["influence"], node.props["interest"]) == (
        "assessment:a-1:2025-05-12", 5, 2)


def test_a_yaml_dataset_holds_assessments(tmp_path: Path) -> None:
    path = tmp_path / "ds.yaml"
    path.write_text("actors: [{id: a-1, name: Dinas Satu, kind: government}]\n"
                    "assessments: [{actor: a-1, date: '2025-01-01', influence: 2, "
                    "interest: high, urgency: ya}]\n", encoding="utf-8")
    graph = read_dataset([path])
    (node,) = [node for node in graph.nodes if node.label is Label.ASSESSMENT]
    assert node.props == {"date": "2025-01-01", "influence": 2, "interest": 5, "urgency": True}


def test_the_template_has_an_assessment_sheet_in_both_languages(tmp_path: Path) -> None:
    headers = {
        "en": ["actor", "date", "influence", "interest", "attitude", "power", "legitimacy",
               "urgency", "note", "sources"],
        "id": ["aktor", "tanggal", "pengaruh", "kepentingan", "sikap", "kuasa", "legitimasi",
               "urgensi", "catatan", "sumber"],
    }
    for lang, title in (("id", "penilaian"), ("en", "assessments")):
        output = tmp_path / f"{lang}.xlsx"
        result = CliRunner().invoke(cli, ["template", "--lang", lang, "-o", str(output)])
        assert result.exit_code == 0, result.output
        sheet = openpyxl.load_workbook(output)[title]
        assert [cell.value for cell in sheet[1]] == headers[lang]


def test_the_bundled_semarang_data_rates_nobody() -> None:
    graph = read_dataset([Path(__file__).parents[1] / "kg" / "datasets" / "semarang"])
    assert [node for node in graph.nodes if node.label is Label.ASSESSMENT] == []


# -- quadrant and salience ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("influence", "interest", "expected"),
    [(5, 5, "manage_closely"), (3, 3, "manage_closely"), (3, 2, "keep_satisfied"),
     (2, 3, "keep_informed"), (2, 2, "monitor"), (None, 5, "unknown"), (5, None, "unknown")],
    ids=["both-high", "both-at-threshold", "influence-only", "interest-only", "both-low",
         "no-influence", "no-interest"],
)
def test_quadrant_by_default_high_from_3(influence: int | None, interest: int | None,
                                         expected: str) -> None:
    assert quadrant(influence, interest) == expected


def test_every_combination_of_the_three_attributes_has_its_class() -> None:
    assert sorted(SALIENCE_CLASSES.values()) == sorted(
        ["dormant", "discretionary", "demanding", "dominant", "dangerous", "dependent",
         "definitive", "none"])
    assert salience(True, False, False) == "dormant"
    assert salience(False, False, False) == "none"
    assert salience(True, True, None) == "unknown"


# -- kg stakeholders --------------------------------------------------------------------


def test_each_actor_gets_the_quadrant_of_its_latest_assessment(kg: Kg) -> None:
    rows = stakeholders(kg)
    assert {actor: row["quadrant"] for actor, row in rows.items()} == {
        "a-dinas": "manage_closely",      # 5, 5 (on 2024-01-10 it was 2, 2)
        "a-bank": "keep_satisfied",       # high, low
        "a-asosiasi": "manage_closely",   # 3, 3: at the threshold is high
        "a-kelompok": "manage_closely",   # 4, 4
        "a-kampus": "keep_informed",      # 1, sedang
        "a-warga": "monitor",             # rendah, 2
        "a-tokoh": "keep_satisfied",      # 5, 2
        "a-pasif": "monitor",             # 1, 1
        "a-cv": "unknown",                # never assessed
    }
    assert rows["a-dinas"]["assessed"] == "2025-02-01"
    assert [h["date"] for h in rows["a-dinas"]["history"]] == ["2024-01-10", "2025-02-01"]


def test_high_from_moves_the_threshold(kg: Kg) -> None:
    rows = stakeholders(kg, "--high-from", "4")
    assert rows["a-asosiasi"]["quadrant"] == "monitor"
    assert rows["a-kelompok"]["quadrant"] == "manage_closely"


def test_as_of_picks_the_assessment_in_force_that_day(kg: Kg) -> None:
    rows = stakeholders(kg, "--as-of", "2024-06-01")
    assert (rows["a-dinas"]["influence"], rows["a-dinas"]["quadrant"]) == (2, "monitor")
    assert rows["a-dinas"]["salience"] == "dominant"
    assert {row["quadrant"] for actor, row in rows.items() if actor != "a-dinas"} == {"unknown"}


def test_each_actor_gets_its_salience_class(kg: Kg) -> None:
    assert {actor: row["salience"] for actor, row in stakeholders(kg).items()} == {
        "a-dinas": "definitive",
        "a-bank": "dormant",
        "a-asosiasi": "dependent",
        "a-kelompok": "dangerous",
        "a-kampus": "discretionary",
        "a-warga": "demanding",
        "a-pasif": "none",
        "a-tokoh": "unknown",   # no flag given
        "a-cv": "unknown",      # not assessed
    }


def test_structural_rank_follows_the_graph_not_the_ratings(kg: Kg) -> None:
    rows = stakeholders(kg)
    # a-dinas: A on both activities, R on one, a grant; a-cv: R on two; the three
    # actors with no tie at all share the last rank.
    assert rows["a-dinas"]["structural_rank"] == 1
    assert (rows["a-dinas"]["accountable"], rows["a-dinas"]["responsible"],
            rows["a-dinas"]["funding"]) == (2, 1, 1)
    assert rows["a-cv"]["structural_rank"] == 2
    assert {rows[a]["structural_rank"] for a in ("a-warga", "a-tokoh", "a-pasif")} == {7}
    assert rows["a-warga"]["degree"] == 0  # its assessment is no tie


def test_mismatch_rated_high_but_tied_to_nothing(kg: Kg) -> None:
    rows = stakeholders(kg)
    assert {actor: row["mismatch"] for actor, row in rows.items() if row["mismatch"]} == {
        "a-tokoh": "rated_high_but_isolated"}


def test_mismatch_rated_low_but_structurally_in_the_top_tenth(kg: Kg) -> None:
    rows = stakeholders(kg, "--as-of", "2024-06-01")
    assert {actor: row["mismatch"] for actor, row in rows.items() if row["mismatch"]} == {
        "a-dinas": "rated_low_but_central"}


def test_json_has_the_keys_the_issue_names(kg: Kg) -> None:
    for row in stakeholders(kg).values():
        assert {"actor", "influence", "interest", "quadrant", "salience", "structural_rank",
                "mismatch"} <= set(row)
        assert row["quadrant"] in QUADRANTS
        assert row["salience"] in {*SALIENCE_CLASSES.values(), "unknown"}


def test_strategies_and_classes_read_in_indonesian(kg: Kg) -> None:
    rows = stakeholders(kg, "--lang", "id")
    assert {row["quadrant"]: row["strategy"] for row in rows.values()} == {
        "manage_closely": "kelola secara dekat",
        "keep_satisfied": "jaga kepuasan",
        "keep_informed": "beri informasi",
        "monitor": "pantau",
        "unknown": "tidak diketahui (belum dinilai)",
    }
    text = kg("stakeholders", "--lang", "id").stdout
    assert "definitif" in text and "bukan pemangku kepentingan" in text


def test_table_is_one_row_per_actor_by_rank(kg: Kg) -> None:
    result = kg("stakeholders", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ("actor,name,influence,interest,quadrant,strategy,attitude,salience,"
                        "structural_rank,structural_score,mismatch")
    assert [line.split(",")[0] for line in lines[1:3]] == ["a-dinas", "a-cv"]
    assert len(lines) == 10


def test_semarang_actors_are_all_unassessed(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    assert CliRunner().invoke(cli, ["--store", store, "load"]).exit_code == 0
    result = CliRunner().invoke(cli, ["--store", store, "stakeholders", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {(r["quadrant"], r["salience"], r["mismatch"]) for r in rows} == {
        ("unknown", "unknown", None)}


def test_a_bad_as_of_day_exits_2(kg: Kg) -> None:
    result = kg("stakeholders", "--as-of", "kemarin")
    assert result.exit_code == 2
    assert "kemarin" in result.output


# -- kg analyze: brokerage pairs and what counts as business -------------------------------


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Kg:
    """A campus that links a government office to a firm and to a bank."""
    dataset = tmp_path_factory.mktemp("broker")
    (dataset / "actors.csv").write_text(
        "id,name,kind\na-dinas,Dinas Contoh,government\na-kampus,Kampus Contoh,research\n"
        "a-cv,CV Contoh,business\na-bank,Bank Contoh,finance\n", encoding="utf-8")
    (dataset / "links.csv").write_text(
        "from,type,to\na-dinas,MEMBER_OF,a-kampus\na-cv,MEMBER_OF,a-kampus\n"
        "a-bank,MEMBER_OF,a-kampus\n", encoding="utf-8")
    store = str(dataset / "store")
    assert CliRunner().invoke(cli, ["--store", store, "load", str(dataset)]).exit_code == 0
    return lambda *args: CliRunner().invoke(cli, ["--store", store, *args])


def test_analyze_lists_the_pairs_each_broker_counts(broker: Kg) -> None:
    result = broker("analyze", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["brokers"] == [
        {"actor": "a-kampus", "brokerage": 2,
         "pairs": [["a-dinas", "a-bank"], ["a-dinas", "a-cv"]]}]
    assert document["business_kinds"] == ["association", "business", "finance"]


def test_analyze_text_states_what_counts_as_business_and_names_the_pairs(broker: Kg) -> None:
    text = broker("analyze").stdout
    assert ("business: association, business, finance), with the pairs each lies between: "
            "Kampus Contoh (2: Dinas Contoh - Bank Contoh, Dinas Contoh - CV Contoh)") in text


def test_business_option_sets_the_kinds_counted(broker: Kg) -> None:
    document = json.loads(broker("analyze", "--business", "business", "--format", "json").stdout)
    assert document["business_kinds"] == ["business"]
    assert document["brokers"] == [
        {"actor": "a-kampus", "brokerage": 1, "pairs": [["a-dinas", "a-cv"]]}]


def test_analyze_help_states_the_default_business_kinds() -> None:
    result = CliRunner().invoke(cli, ["analyze", "--help"])
    assert "[default: association, business, finance]" in " ".join(result.output.split())

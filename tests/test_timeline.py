"""kg timeline: the plan by phase, then engagements and commitments by month, as of a day.

tests/data/timeline (all at Sentra Logam unless said):
- activities: Pelatihan pemasaran digital (phase 2025-2029, started 2025-03-01, due
  2025-09-30, done on 2025-10-15: late), Penataan kios (2025-2029, started 2025-07-01,
  due Des 2025, ongoing; two accountable), Penyusunan regulasi (2030-2034, planned, no
  date, nobody accountable), Promosi wisata (no phase, due 2025-05-31, cancelled on
  2025-04-10), Relokasi pengrajin batik (Sentra Batik; no status, no date);
- engagements: a meeting 2024-11-05, a visit 2025-02-10 (by name: "Sentra Logam",
  "Dinas Perindustrian"), the Temu Bisnis 2025-05-20, a training 2026-01-15;
- commitments: a trainer due 03/2025, done 2025-04-20; member data owed by the koperasi
  (hostile name) to the Dinas, due 2025-06-15, open; LPPSP's assistance, no due date;
  an exhibition made 2026-01-15, due 2026-06-30, dropped on 2026-02-01;
- indicators: kiosk occupancy of Sentra Logam 2023 60 (target 70), 2024 72 (target 70),
  2025 65; the area's manufacturing share 2021 27,92 and target 2023 28,7.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import kg
from kg.cli import cli
from kg.errors import QueryError
from kg.followup import Timeline, since_day
from kg.loaders import load
from kg.output import render_report
from kg.store import StoreConfig, open_store

from .conftest import DATA

TIMELINE = DATA / "timeline"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding tests/data/timeline."""
    path = tmp_path_factory.mktemp("timeline") / "store"
    with open_store(StoreConfig(path=path), write=True) as store:
        load(store, [TIMELINE])
    return path


@pytest.fixture(scope="module")
def timeline_of(store_path: Path) -> Callable[..., Timeline]:
    def read(day: str, sentra: str | None = None, lang: str = "en") -> Timeline:
        with open_store(StoreConfig(path=store_path)) as store:
            return kg.timeline(store, sentra, datetime.date.fromisoformat(day), lang)

    return read


@pytest.fixture(scope="module")
def kg_timeline(store_path: Path) -> Callable[..., Result]:
    return lambda *args: CliRunner().invoke(
        cli, ["--store", str(store_path), "timeline", *args], catch_exceptions=False
    )


def activities(timeline: Timeline) -> dict[str, tuple[str | None, bool]]:
    return {a.id: (a.status, a.overdue) for a in timeline.activities}


# -- the plan ----------------------------------------------------------------------------


def test_activities_come_grouped_by_phase_years_first_then_by_due_date(
    timeline_of: Callable[..., Timeline],
) -> None:
    phases = timeline_of("2025-06-30").phases()
    assert [(phase, [a.id for a in group]) for phase, group in phases] == [
        ("2025-2029", ["t-pelatihan", "t-kios"]),
        ("2030-2034", ["t-regulasi"]),
        (None, ["t-promosi", "t-relokasi"]),
    ]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-03-01", {"t-pelatihan": ("ongoing", False), "t-kios": ("planned", False),
                        "t-promosi": (None, False)}),
        ("2025-06-30", {"t-pelatihan": ("ongoing", False), "t-kios": ("planned", False),
                        "t-promosi": ("cancelled", False)}),
        ("2025-10-01", {"t-pelatihan": ("ongoing", True), "t-kios": ("ongoing", False),
                        "t-promosi": ("cancelled", False)}),
        ("2025-10-15", {"t-pelatihan": ("done", False), "t-kios": ("ongoing", False),
                        "t-promosi": ("cancelled", False)}),
        ("2026-03-02", {"t-pelatihan": ("done", False), "t-kios": ("ongoing", True),
                        "t-promosi": ("cancelled", False)}),
    ],
    ids=["before any start", "mid 2025", "day after a due date", "completion day",
         "after the month due"],
)
def test_status_and_overdue_are_those_of_the_day(
    timeline_of: Callable[..., Timeline], day: str, expected: dict[str, tuple[str, bool]]
) -> None:
    found = activities(timeline_of(day))
    assert {key: found[key] for key in expected} == expected
    assert found["t-regulasi"] == ("planned", False)
    assert found["t-relokasi"] == (None, False)


def test_a_month_due_date_is_its_last_day(timeline_of: Callable[..., Timeline]) -> None:
    kios = {a.id: a for a in timeline_of("2025-12-31").activities}["t-kios"]
    assert (kios.due, kios.overdue) == ("2025-12-31", False)
    assert activities(timeline_of("2026-01-01"))["t-kios"] == ("ongoing", True)


def test_a_completion_after_the_day_is_not_shown(timeline_of: Callable[..., Timeline]) -> None:
    on = {a.id: a for a in timeline_of("2025-10-15").activities}["t-pelatihan"]
    before = {a.id: a for a in timeline_of("2025-10-14").activities}["t-pelatihan"]
    assert (on.completed, before.completed) == ("2025-10-15", None)


def test_accountable_actors_are_listed_by_name(timeline_of: Callable[..., Timeline]) -> None:
    plan = {a.id: a for a in timeline_of("2025-06-30").activities}
    assert plan["t-kios"].accountable == [("a-dinas", "Dinas Perindustrian"), ("a-lppsp", "LPPSP")]
    assert plan["t-regulasi"].accountable == []


# -- engagements and commitments ---------------------------------------------------------


def test_later_engagements_and_commitments_do_not_exist_yet(
    timeline_of: Callable[..., Timeline],
) -> None:
    early = timeline_of("2025-05-19")
    assert [e.id for e in early.engagements] == ["e-rapat", "e-kunjungan"]
    assert [c.id for c in early.commitments] == ["c-pelatih"]
    boundary = timeline_of("2025-05-20")
    assert [e.id for e in boundary.engagements] == ["e-rapat", "e-kunjungan", "e-temu"]
    assert [c.id for c in boundary.commitments] == ["c-pelatih", "c-data", "c-pendampingan"]


@pytest.mark.parametrize(
    ("day", "commitment", "expected"),
    [
        ("2025-03-31", "c-pelatih", ("open", False, None)),
        ("2025-04-01", "c-pelatih", ("open", True, None)),
        ("2025-04-20", "c-pelatih", ("done", False, "2025-04-20")),
        ("2025-06-15", "c-data", ("open", False, None)),
        ("2025-06-16", "c-data", ("open", True, None)),
        ("2026-01-31", "c-pameran", ("open", False, None)),
        ("2026-02-01", "c-pameran", ("dropped", False, "2026-02-01")),
        ("2026-03-02", "c-pendampingan", ("open", False, None)),
    ],
    ids=["due day", "day after due", "done day", "due day 2", "overdue", "before dropped",
         "dropped", "no due date: never overdue"],
)
def test_a_commitment_stands_as_on_the_day(
    timeline_of: Callable[..., Timeline], day: str, commitment: str,
    expected: tuple[str, bool, str | None],
) -> None:
    found = {c.id: c for c in timeline_of(day).commitments}[commitment]
    assert (found.status, found.overdue, found.done_on) == expected


def test_commitments_say_who_owes_them_to_whom(timeline_of: Callable[..., Timeline]) -> None:
    data = {c.id: c for c in timeline_of("2025-06-30").commitments}["c-data"]
    assert data.by == ("a-kop", "Koperasi <img src=x onerror=alert(1)>")
    assert data.to == ("a-dinas", "Dinas Perindustrian")


def test_months_hold_engagements_by_date_and_commitments_by_due_date_undated_last(
    timeline_of: Callable[..., Timeline],
) -> None:
    months = [
        (month, [e.id for e in engagements], [c.id for c in commitments])
        for month, engagements, commitments in timeline_of("2025-06-30").months()
    ]
    assert months == [
        ("2024-11", ["e-rapat"], []),
        ("2025-02", ["e-kunjungan"], []),
        ("2025-03", [], ["c-pelatih"]),
        ("2025-05", ["e-temu"], []),
        ("2025-06", [], ["c-data"]),
        (None, [], ["c-pendampingan"]),
    ]


def test_a_sentra_named_by_name_keeps_only_its_own(timeline_of: Callable[..., Timeline]) -> None:
    batik = timeline_of("2026-03-02", "batik")
    assert batik.sentra == ("s-batik", "Sentra Batik")
    assert [a.id for a in batik.activities] == ["t-relokasi"]
    assert (batik.engagements, batik.commitments) == ([], [])
    logam = timeline_of("2026-03-02", "Sentra Logam")
    assert "t-relokasi" not in activities(logam)
    # c-data is owed to an actor, but was promised at the Temu Bisnis held at Sentra Logam
    assert {c.id for c in logam.commitments} == {
        "c-pelatih", "c-data", "c-pendampingan", "c-pameran"
    }


def test_an_unknown_sentra_is_a_clear_error(timeline_of: Callable[..., Timeline]) -> None:
    with pytest.raises(QueryError, match="no Sentra with the id or name 'tenun'"):
        timeline_of("2026-03-02", "tenun")


# -- the command -------------------------------------------------------------------------


def test_table_marks_overdue_rows_and_names_the_day(kg_timeline: Callable[..., Result]) -> None:
    result = kg_timeline("--as-of", "2026-03-02", "--wide")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Timeline as of 2026-03-02"
    assert "Phase 2025-2029: 2 activities, 1 overdue" in lines
    (kios,) = [line for line in lines if line.startswith("Penataan kios")]
    assert kios.split()[-1] == "OVERDUE"
    (data,) = [line for line in lines if "Mengirim data anggota" in line]
    assert data.split()[-2:] == ["open", "OVERDUE"]
    assert "Commitments without a due date" in lines


def test_in_indonesian_no_interface_word_is_english(kg_timeline: Callable[..., Result]) -> None:
    result = kg_timeline("--as-of", "2026-03-02", "--lang", "id", "--wide")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Linimasa per 2026-03-02"
    assert "Tahap 2025-2029: 2 kegiatan, 1 terlambat" in lines
    assert "Januari 2026" in lines and "Komitmen tanpa tenggat" in lines
    (kios,) = [line for line in lines if line.startswith("Penataan kios")]
    assert "berjalan" in kios and kios.endswith("TERLAMBAT")
    for word in ("Phase", "OVERDUE", "ongoing", "open", "nobody", "commitment", "January",
                 "activity", "accountable"):
        assert word not in result.output


def test_markdown_has_a_title_and_a_table_per_phase_and_month(
    kg_timeline: Callable[..., Result],
) -> None:
    result = kg_timeline("--as-of", "2025-06-30", "--format", "markdown", "--sentra", "logam")
    assert result.exit_code == 0, result.output
    headings = [line for line in result.output.splitlines() if line.startswith("#")]
    assert headings == [
        "# Timeline of Sentra Logam as of 2025-06-30",
        "## Phase 2025-2029: 2 activities",
        "## Phase 2030-2034: 1 activity",
        "## No phase: 1 activity",
        "## November 2024", "## February 2025", "## March 2025", "## May 2025", "## June 2025",
        "## Commitments without a due date",
    ]
    assert "| Penyusunan regulasi pusat IKM | planned |  |  |  | nobody |  |" in result.output


def test_json_keeps_english_keys_and_the_data_s_words(kg_timeline: Callable[..., Result]) -> None:
    english = json.loads(kg_timeline("--as-of", "2025-10-01", "--format", "json").output)
    indonesian = json.loads(
        kg_timeline("--as-of", "2025-10-01", "--format", "json", "--lang", "id").output
    )
    assert english == indonesian
    assert english["as_of"] == "2025-10-01" and english["sentra"] is None
    pelatihan = english["activities"][0]
    assert (pelatihan["id"], pelatihan["status"], pelatihan["overdue"]) == (
        "t-pelatihan", "ongoing", True)
    assert pelatihan["phase_years"] == [2025, 2029]
    assert english["commitments"][1]["by"] == {
        "id": "a-kop", "name": "Koperasi <img src=x onerror=alert(1)>"}
    assert english["engagements"][1]["activity"] == {
        "id": "t-pelatihan", "name": "Pelatihan pemasaran digital"}


def test_csv_is_one_row_per_item(kg_timeline: Callable[..., Result]) -> None:
    result = kg_timeline("--as-of", "2025-06-30", "--format", "csv", "--lang", "id")
    lines = result.output.splitlines()
    assert lines[0] == ("item,id,name,phase,month,kind,date,started,due,completed,status,"
                        "overdue,actors,to,sentra")
    items = [line.split(",")[0] for line in lines[1:]]
    assert items == ["activity"] * 5 + ["engagement"] * 2 + ["commitment"] + [
        "engagement", "commitment", "commitment"]
    assert "commitment,c-data,Mengirim data anggota,,2025-06,,2025-05-20,,2025-06-15,,open,true," \
        in result.output


def test_a_bad_day_exits_2(kg_timeline: Callable[..., Result]) -> None:
    result = kg_timeline("--as-of", "30/06/2025")
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output or "%Y-%m-%d" in result.output


def test_a_store_without_any_of_it_says_so(tmp_path: Path) -> None:
    with open_store(StoreConfig(path=tmp_path / "store"), write=True) as store:
        for lang, expected in (
            ("en", "No activity, engagement or commitment is recorded up to 2026-03-02."),
            ("id", "Belum ada kegiatan, interaksi atau komitmen yang tercatat sampai 2026-03-02."),
        ):
            report = kg.timeline(store, as_of=datetime.date(2026, 3, 2), lang=lang)
            assert render_report(report, "table", lang=lang).splitlines()[-1] == expected
            assert report.table()[1] == []


def test_the_notebook_session_answers_the_same(
    store_path: Path, timeline_of: Callable[..., Timeline]
) -> None:
    with kg.open(store_path) as kb:
        found = kb.timeline("logam", as_of=datetime.date(2025, 6, 30))
    assert found.to_json() == timeline_of("2025-06-30", "s-logam").to_json()


# -- the period of the brief -------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "expected"),
    [("12m", "2025-03-02"), ("180d", "2025-09-03"), ("2y", "2024-03-02"), ("8w", "2026-01-05")],
)
def test_a_period_counts_back_from_the_day(period: str, expected: str) -> None:
    assert since_day(datetime.date(2026, 3, 2), period).isoformat() == expected


@pytest.mark.parametrize("period", ["12", "m12", "1 year", "-3d", ""])
def test_a_bad_period_is_refused(period: str) -> None:
    with pytest.raises(QueryError, match="expected a number and d, w, m or y"):
        since_day(datetime.date(2026, 3, 2), period)


# -- the bundled data --------------------------------------------------------------------


def test_the_bundled_plan_keeps_its_statuses_and_its_one_phase(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "load"])
    assert result.exit_code == 0, result.output
    with open_store(StoreConfig(path=tmp_path / "store")) as store:
        plan = kg.timeline(store, as_of=datetime.date(2026, 3, 2), lang="id")
    (phased, _), (unphased, rest) = plan.phases()
    assert (phased, unphased) == ("2025-2045", None)
    zoning = plan.activities[0]
    assert (zoning.id, zoning.phase_years, zoning.status) == (
        "act-perwilayahan-ikm", (2025, 2045), "ongoing")
    assert {"recommended", "proposed", "done"} <= {a.status for a in rest}
    text = render_report(plan, "table", lang="id")
    assert "direkomendasikan" in text and "diusulkan" in text


def test_kg_as_of_sets_the_day_and_the_option_wins(store_path: Path) -> None:
    def first_line(*args: str, day: str) -> str:
        result = CliRunner().invoke(cli, ["--store", str(store_path), "timeline", *args],
                                    env={"KG_AS_OF": day})
        return result.output.splitlines()[0]

    assert first_line(day="2025-06-30") == "Timeline as of 2025-06-30"
    assert first_line("--as-of", "2026-03-02", day="2025-06-30") == "Timeline as of 2026-03-02"

"""The audit as of a day (`kg audit --as-of`, issue 25): the follow-up checks and the
assessment checks, day by day on one hand-made dataset.

tests/data/asof/ is that dataset in the tables of issue 25, with Indonesian words
(`selesai`, `terbuka`, `kunjungan`, `realisasi`), a month as a due date (`Des 2025`, its
last day) and names instead of ids; each date sits on or beside a boundary of some check.

The boundaries (kg/audit.py's docstring): a fact dated on the day audited counts; a due
date or a period's end on that day is not yet past; "within 180 days" runs from the day
180 days before to the day itself, both included.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg import audit
from kg.cli import cli
from kg.errors import QueryError
from kg.loaders import load
from kg.store import Store, StoreConfig, open_store

from .helpers import FOLLOW_UP_CHECKS

DATA = Path(__file__).parent / "data" / "asof"


def loaded(path: Path, dataset: Path) -> Path:
    with open_store(StoreConfig(path=path), write=True) as store:
        load(store, [dataset])
    return path


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The dataset, open for the library's calls."""
    path = loaded(tmp_path_factory.mktemp("asof") / "store", DATA)
    with open_store(StoreConfig(path=path)) as readable:
        yield readable


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dataset in a store of its own for the CLI's runs, which open and close it."""
    return loaded(tmp_path_factory.mktemp("asof_cli") / "store", DATA)


Found = list[tuple[str, list[str]]]

KIOSK_LOGAM = "indicator:s-logam:kiosk_occupancy_pct:2024:target"
WASTE_LOGAM = "indicator:s-logam:waste_tonnes:2025-06-30:target"
MANUFACTURING = "indicator::manufacturing_share_pct:2023:target"

EXPECTED: dict[str, dict[str, Found]] = {
    # Before anything: the two actors with an R or an A have no assessment yet.
    "2023-12-31": {
        "sentra.not_engaged": [("s-bandeng", []), ("s-batik", []), ("s-logam", [])],
        "actor.unassessed": [("a-dinas", []), ("a-lppsp", [])],
    },
    # The 2024 kiosk target has not ended (its last day is today); the 2023 one has.
    "2024-12-31": {
        "sentra.not_engaged": [("s-bandeng", []), ("s-batik", []), ("s-logam", [])],
        "actor.unassessed": [("a-dinas", [])],
        "indicator.unmeasured": [(MANUFACTURING, [])],
    },
    # The visit to s-logam is on the day; the 2024 targets have ended: Logam missed its.
    "2025-01-01": {
        "sentra.not_engaged": [("s-bandeng", []), ("s-batik", [])],
        "actor.unassessed": [("a-dinas", [])],
        "indicator.target_missed": [(KIOSK_LOGAM, ["s-logam"])],
        "indicator.unmeasured": [(MANUFACTURING, [])],
    },
    # Pameran, due 2025-05-31, is completed only on 2025-06-15; the credit is due
    # 2025-05-31 and done only on 2025-07-01.
    "2025-06-14": {
        "activity.overdue": [("t-pameran", ["a-lppsp"]), ("t-relokasi", ["a-dinas"])],
        "commitment.overdue": [("c-kredit", ["a-bank"])],
        "commitment.no_due": [("c-regulasi", ["a-dinas"])],
        "sentra.not_engaged": [("s-bandeng", []), ("s-batik", [])],
        "actor.key_not_met": [("a-bank", []), ("a-paguyuban", [])],
        "actor.key_not_engaged": [("a-bank", []), ("a-paguyuban", [])],
        "actor.unassessed": [("a-dinas", [])],
        "indicator.target_missed": [(KIOSK_LOGAM, ["s-logam"])],
        "indicator.unmeasured": [(MANUFACTURING, [])],
    },
    "2025-06-15": {
        "activity.overdue": [("t-relokasi", ["a-dinas"])],
        "commitment.overdue": [("c-kredit", ["a-bank"])],
        "commitment.no_due": [("c-regulasi", ["a-dinas"])],
        "sentra.not_engaged": [("s-bandeng", []), ("s-batik", [])],
        "actor.key_not_met": [("a-bank", []), ("a-paguyuban", [])],
        "actor.key_not_engaged": [("a-bank", []), ("a-paguyuban", [])],
        "actor.unassessed": [("a-dinas", [])],
        "indicator.target_missed": [(KIOSK_LOGAM, ["s-logam"])],
        "indicator.unmeasured": [(MANUFACTURING, [])],
    },
    # The Temu Bisnis at s-batik with Bank and Dinas, and Dinas's assessment, are on the
    # day; the training and the machine are due on the day, so not yet overdue.
    "2025-06-30": {
        "activity.overdue": [("t-relokasi", ["a-dinas"])],
        "commitment.overdue": [("c-kredit", ["a-bank"])],
        "commitment.no_due": [("c-regulasi", ["a-dinas"])],
        "sentra.not_engaged": [("s-bandeng", [])],
        "actor.key_not_met": [("a-paguyuban", [])],
        "actor.key_not_engaged": [("a-bank", []), ("a-paguyuban", [])],
        "indicator.target_missed": [(KIOSK_LOGAM, ["s-logam"])],
        "indicator.unmeasured": [(MANUFACTURING, [])],
    },
    # 181 days after the visit to s-logam; the credit is done on the day.
    "2025-07-01": {
        "activity.overdue": [("t-pelatihan", ["a-dinas"]), ("t-relokasi", ["a-dinas"])],
        "commitment.overdue": [("c-mesin", ["a-dinas"])],
        "commitment.no_due": [("c-regulasi", ["a-dinas"])],
        "sentra.not_engaged": [("s-bandeng", []), ("s-logam", [])],
        "actor.key_not_met": [("a-paguyuban", [])],
        "actor.key_not_engaged": [("a-bank", []), ("a-paguyuban", [])],
        "indicator.target_missed": [(KIOSK_LOGAM, ["s-logam"]), (WASTE_LOGAM, ["s-logam"])],
        "indicator.unmeasured": [(MANUFACTURING, [])],
    },
    # The Paguyuban's meeting at s-bandeng is on the day; the finance training promised
    # on 2025-07-10 was due on 2025-07-12.
    "2025-07-15": {
        "activity.overdue": [("t-pelatihan", ["a-dinas"]), ("t-relokasi", ["a-dinas"])],
        "commitment.overdue": [("c-keuangan", ["a-bank"]), ("c-mesin", ["a-dinas"])],
        "commitment.no_due": [("c-regulasi", ["a-dinas"])],
        "sentra.not_engaged": [("s-logam", [])],
        "actor.key_not_engaged": [("a-bank", []), ("a-paguyuban", [])],
        "indicator.target_missed": [(KIOSK_LOGAM, ["s-logam"]), (WASTE_LOGAM, ["s-logam"])],
        "indicator.unmeasured": [(MANUFACTURING, [])],
    },
    # LPPSP's new rating (on the day) makes it key; it holds roles but met nobody.
    "2025-08-01": {
        "activity.overdue": [("t-pelatihan", ["a-dinas"]), ("t-relokasi", ["a-dinas"])],
        "commitment.overdue": [("c-keuangan", ["a-bank"]), ("c-mesin", ["a-dinas"])],
        "commitment.no_due": [("c-regulasi", ["a-dinas"])],
        "sentra.not_engaged": [("s-logam", [])],
        "actor.key_not_met": [("a-lppsp", [])],
        "actor.key_not_engaged": [("a-bank", []), ("a-paguyuban", [])],
        "indicator.target_missed": [(KIOSK_LOGAM, ["s-logam"]), (WASTE_LOGAM, ["s-logam"])],
        "indicator.unmeasured": [(MANUFACTURING, [])],
    },
    # Sertifikasi, due Des 2025 (its last day), is past; the accompaniment was done in time.
    "2026-01-01": {
        "activity.overdue": [
            ("t-pelatihan", ["a-dinas"]), ("t-relokasi", ["a-dinas"]),
            ("t-sertifikasi", ["a-dinas"]),
        ],
        "commitment.overdue": [("c-keuangan", ["a-bank"]), ("c-mesin", ["a-dinas"])],
        "commitment.no_due": [("c-regulasi", ["a-dinas"])],
        "sentra.not_engaged": [("s-batik", []), ("s-logam", [])],
        "actor.key_not_met": [("a-bank", []), ("a-dinas", []), ("a-lppsp", [])],
        "actor.key_not_engaged": [("a-bank", []), ("a-paguyuban", [])],
        "indicator.target_missed": [(KIOSK_LOGAM, ["s-logam"]), (WASTE_LOGAM, ["s-logam"])],
        "indicator.unmeasured": [(MANUFACTURING, [])],
    },
}
"""Per day audited, the findings (subject, related) of each check that depends on the
day; a check not named has none that day."""

DAY_CHECKS = [
    *(check for check in FOLLOW_UP_CHECKS if check != "activity.outside_phase"),
    "actor.key_not_engaged", "actor.unassessed",
]


def found(results: list[audit.CheckResult]) -> dict[str, Found]:
    return {r.id: [(f.subject, f.related) for f in r.findings] for r in results if r.findings}


@pytest.mark.parametrize("day", list(EXPECTED), ids=list(EXPECTED))
def test_findings_day_by_day(store: Store, day: str) -> None:
    assert found(audit.run_audit(store, DAY_CHECKS, as_of=day)) == EXPECTED[day]


def test_commitment_dropped_after_the_day_was_open_without_due_until_then(store: Store) -> None:
    def no_due(day: str) -> Found:
        return found(audit.run_audit(store, ["commitment.no_due"], as_of=day)).get(
            "commitment.no_due", [])

    assert no_due("2025-01-14") == []
    assert no_due("2025-01-15") == [("c-daring", ["a-dinas"])]
    assert no_due("2025-03-01") == [("c-daring", ["a-dinas"]), ("c-regulasi", ["a-dinas"])]
    assert no_due("2025-04-30") == [("c-daring", ["a-dinas"]), ("c-regulasi", ["a-dinas"])]
    assert no_due("2025-05-01") == [("c-regulasi", ["a-dinas"])]


def test_the_window_counts_the_day_180_days_before(store: Store) -> None:
    """The visit to s-logam on 2025-01-01 is 180 days before 2025-06-30 and 181 before
    2025-07-01; a shorter window drops it sooner, a longer one keeps it."""

    def not_engaged(day: str, days: int) -> list[str]:
        results = audit.run_audit(
            store, ["sentra.not_engaged"], {"engaged_within_days": days}, as_of=day
        )
        return [f.subject for f in results[0].findings]

    assert "s-logam" not in not_engaged("2025-06-30", 180)
    assert "s-logam" in not_engaged("2025-07-01", 180)
    assert "s-logam" in not_engaged("2025-06-30", 179)
    assert "s-logam" not in not_engaged("2025-07-01", 181)
    assert not_engaged("2025-06-30", 0) == ["s-bandeng", "s-logam"]


def test_outside_phase_does_not_depend_on_the_day(store: Store) -> None:
    for day in ("2023-12-31", "2026-01-01"):
        assert found(audit.run_audit(store, ["activity.outside_phase"], as_of=day)) == {
            "activity.outside_phase": [("t-pusat", ["s-logam"])]
        }


def test_target_missed_gives_both_values_and_the_unit(store: Store) -> None:
    results = audit.run_audit(store, ["indicator.target_missed"], as_of="2025-07-01")
    assert [f.message for f in results[0].findings] == [
        "kiosk_occupancy_pct for 2024 (Sentra Logam Contoh): actual 44.6 against a target "
        "of 70 (%, higher is better)",
        "waste_tonnes for 2025-06-30 (Sentra Logam Contoh): actual 12 against a target of 10 "
        "(ton, lower is better)",
    ]
    indonesian = audit.run_audit(
        store, ["indicator.target_missed", "indicator.unmeasured"], lang="id", as_of="2025-07-01"
    )
    assert [f.message for r in indonesian for f in r.findings] == [
        "kiosk_occupancy_pct untuk 2024 (Sentra Logam Contoh): realisasi 44,6 terhadap target "
        "70 (%, makin tinggi makin baik)",
        "waste_tonnes untuk 2025-06-30 (Sentra Logam Contoh): realisasi 12 terhadap target 10 "
        "(ton, makin rendah makin baik)",
        "manufacturing_share_pct untuk 2023 (seluruh wilayah): target 28,7 (%) tetapi tidak "
        "ada realisasi tercatat",
    ]


def test_messages_name_the_window_and_the_last_engagement(store: Store) -> None:
    results = audit.run_audit(
        store, ["sentra.not_engaged", "actor.key_not_met"], as_of="2026-01-01"
    )
    messages = [f.message for r in results for f in r.findings]
    assert (
        "no engagement at Sentra Logam Contoh in the 180 days up to the day audited "
        "(last: 2025-01-01)" in messages
    )
    assert (
        "Bank Contoh is to be managed closely (influence 4, interest 4 on 2025-02-01) but "
        "took part in no engagement in the 180 days up to the day audited (last: 2025-06-30)"
        in messages
    )


def test_a_bad_day_is_refused(store: Store) -> None:
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        audit.run_audit(store, ["activity.overdue"], as_of="30/06/2025")


def kg(store_path: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--store", str(store_path), *args])


def test_json_says_the_day(store_path: Path) -> None:
    result = kg(store_path, "audit", "--as-of", "2025-06-30", "--check", "activity.overdue",
                "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["as_of"] == "2025-06-30"
    assert [f["subject"] for f in document["checks"][0]["findings"]] == ["t-relokasi"]


def test_markdown_title_and_text_name_the_day(store_path: Path) -> None:
    markdown = kg(store_path, "audit", "--as-of", "2025-06-30", "--format", "markdown",
                  "--check", "activity.overdue").stdout
    assert markdown.splitlines()[0] == "# sentra-kg audit of example-follow-up as of 2025-06-30"
    text = kg(store_path, "audit", "--as-of", "2025-06-30", "--lang", "id",
              "--check", "activity.overdue").stdout
    assert text.splitlines()[0] == "Per tanggal 2025-06-30"


def test_thresholds_reach_the_checks_from_the_command_line(store_path: Path) -> None:
    result = kg(store_path, "audit", "--as-of", "2025-06-30", "--engaged-within-days", "179",
                "--check", "sentra.not_engaged", "--format", "json")
    findings = json.loads(result.stdout)["checks"][0]["findings"]
    assert [f["subject"] for f in findings] == ["s-bandeng", "s-logam"]


def test_a_bad_as_of_exits_2(store_path: Path) -> None:
    result = kg(store_path, "audit", "--as-of", "2025-13-01")
    assert result.exit_code == 2
    assert "--as-of" in result.output


def test_baseline_compares_audits_of_two_days(store_path: Path, tmp_path: Path) -> None:
    before = tmp_path / "before.json"
    before.write_text(kg(store_path, "audit", "--as-of", "2025-06-30", "--check",
                         "commitment.overdue", "--format", "json").stdout, encoding="utf-8")
    result = kg(store_path, "audit", "--as-of", "2025-07-01", "--check", "commitment.overdue",
                "--baseline", str(before), "--format", "json")
    document = json.loads(result.stdout)
    assert document["as_of"] == "2025-07-01"
    statuses = {f["subject"]: f["status"] for f in document["checks"][0]["findings"]}
    assert statuses == {"c-mesin": "new", "c-kredit": "resolved"}


def test_an_earlier_day_ignores_later_facts(store: Store, tmp_path: Path) -> None:
    """tests/data/asof_seen_2025_06_30 is the dataset as recorded on 2025-06-30: every
    check finds the same there as on the whole dataset audited as of that day."""
    seen = loaded(tmp_path / "seen", DATA.parent / "asof_seen_2025_06_30")
    with open_store(StoreConfig(path=seen)) as then:
        recorded_then = found(audit.run_audit(then, as_of="2025-06-30"))
    assert found(audit.run_audit(store, as_of="2025-06-30")) == recorded_then
    assert found(audit.run_audit(store, as_of="2025-07-15")) != recorded_then

"""The gap audit, `kg audit`, check by check on hand-made datasets in tests/data/audit/.

Each dataset is named after the check it exercises (`actor_unmapped` for `actor.unmapped`)
and its node names say what to expect: "Actor with no role" is reported, "Actor with R
only" is not. The `*_role_columns` datasets hold the same chart as their matrix twins in
raci.csv's other shape, so they must give the same findings. Semantics: the "Gap audit
checks" table of DESIGN.md.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from kg import audit
from kg.cli import cli
from kg.errors import QueryError
from kg.store import StoreConfig, open_store

from .helpers import FOLLOW_UP_CHECKS as AS_OF_CHECKS

DATA = Path(__file__).parent / "data" / "audit"
AS_OF = "2026-03-02"
"""The day every audit here is of (none of these datasets holds dated facts)."""

Finding = tuple[str, list[str]]
"""(subject, related) of one finding, as in the JSON output."""

FINDINGS: dict[str, tuple[str, list[Finding]]] = {
    "actor_unmapped": ("actor.unmapped", [
        ("a-blank", []), ("a-funder", []), ("a-manager", []), ("a-none", []),
    ]),
    "activity_no_responsible": ("activity.no_responsible", [
        ("t-a", []), ("t-ci", []), ("t-nobody", ["s-1"]), ("t-not-in-chart", []),
    ]),
    "activity_no_responsible_role_columns": ("activity.no_responsible", [
        ("t-a", []), ("t-ci", []), ("t-nobody", ["s-1"]), ("t-not-in-chart", []),
    ]),
    "activity_no_accountable": ("activity.no_accountable", [
        ("t-ci", []), ("t-nobody", ["s-1"]), ("t-not-in-chart", []), ("t-r", []),
    ]),
    "activity_no_accountable_role_columns": ("activity.no_accountable", [
        ("t-ci", []), ("t-nobody", ["s-1"]), ("t-not-in-chart", []), ("t-r", []),
    ]),
    "activity_multiple_accountable": ("activity.multiple_accountable", [
        ("t-three-a", ["a-bappeda", "a-dinas", "a-koperasi"]),
        ("t-two-a", ["a-bappeda", "a-dinas"]),
    ]),
    "activity_multiple_accountable_role_columns": ("activity.multiple_accountable", [
        ("t-three-a", ["a-bappeda", "a-dinas", "a-koperasi"]),
        ("t-two-a", ["a-bappeda", "a-dinas"]),
    ]),
    "activity_unscheduled": ("activity.unscheduled", [
        ("t-blank", []), ("t-neither", ["s-1"]),
    ]),
    "sentra_government_dependent": ("sentra.government_dependent", [
        ("s-apbd-only", ["a-pemkot"]),
        ("s-missing-amount", ["a-kementerian", "a-pemkot"]),
        ("s-rupiah-90", ["a-pemkot"]),
        ("s-rupiah-exact", ["a-pemkot"]),
        ("s-total-zero", ["a-pemkot"]),
    ]),
    "sentra_no_marketing_training": ("sentra.no_marketing_training", [
        ("s-production", []), ("s-promotion", []), ("s-untrained", []),
    ]),
    "sentra_low_occupancy": ("sentra.low_occupancy", [
        ("s-0-of-10", []), ("s-5-of-10", []), ("s-6-of-10", []),
    ]),
    "regulation_no_sanction": ("regulation.no_sanction", [
        ("r-false", []), ("r-tidak", []), ("r-unknown", ["s-1", "s-2"]),
    ]),
    "supply_no_upstream": ("supply.no_upstream", [
        ("c-bare-intermediate", ["s-a"]), ("c-bare-product", ["s-a", "s-b"]),
    ]),
    "supply_no_market": ("supply.no_market", [
        ("c-cycle-a", ["s-b"]), ("c-cycle-b", ["s-b"]), ("c-fed-by-sold", ["s-a"]),
        ("c-self", ["s-b"]), ("c-unsold", ["s-a", "s-b"]),
    ]),
    "zone_focus_without_sentra": ("zone.focus_without_sentra", [
        ("z-elsewhere", ["c-lumpia"]),
        ("z-empty", ["c-batik"]),
        ("z-empty", ["c-lumpia"]),
        ("z-partial", ["c-bandeng"]),
    ]),
    "kecamatan_unzoned": ("kecamatan.unzoned", [
        ("33.74.03", []), ("33.74.04", []),
    ]),
    "actor_unassessed": ("actor.unassessed", [
        ("a-a", []), ("a-r", []),
    ]),
    "actor_key_not_engaged": ("actor.key_not_engaged", [
        ("a-at-threshold", []), ("a-key-i", []), ("a-key-none", []), ("a-now-key", []),
    ]),
    "actor_overloaded": ("actor.overloaded", [
        ("a-nine-r", []), ("a-six-a", []),
    ]),
    "activity_many_responsible": ("activity.many_responsible", [
        ("t-four-r", ["a-1", "a-2", "a-3", "a-4"]),
    ]),
    "activity_many_consulted": ("activity.many_consulted", [
        ("t-six-c", ["a-1", "a-2", "a-3", "a-4", "a-5", "a-6"]),
    ]),
    "activity_split_role": ("activity.split_role", [
        ("t-1", ["a-arc"]), ("t-1", ["a-ci"]), ("t-1", ["a-rc"]), ("t-2", ["a-ai"]),
    ]),
}  # fmt: skip
"""Dataset -> (the check it exercises, every finding that check must report on it)."""

# (dataset, subject, reported?): the rules behind FINDINGS, one per line.
RULES = [
    ("actor_unmapped", "a-none", True, "actor-in-no-chart-row-is-unmapped"),
    ("actor_unmapped", "a-blank", True, "blank-chart-column-is-no-role"),
    ("actor_unmapped", "a-funder", True, "funding-is-not-a-RACI-role"),
    ("actor_unmapped", "a-manager", True, "managing-is-not-a-RACI-role"),
    ("actor_unmapped", "a-r", False, "R-only-is-mapped"),
    ("actor_unmapped", "a-a", False, "A-only-is-mapped"),
    ("actor_unmapped", "a-c", False, "C-only-is-mapped"),
    ("actor_unmapped", "a-i", False, "I-only-is-mapped"),
    ("activity_no_responsible", "t-nobody", True, "no-R-activity-with-nobody"),
    ("activity_no_responsible", "t-not-in-chart", True, "no-R-activity-missing-from-chart"),
    ("activity_no_responsible", "t-a", True, "no-R-A-only"),
    ("activity_no_responsible", "t-ci", True, "no-R-C-and-I-only"),
    ("activity_no_responsible", "t-r", False, "no-R-R-cell"),
    ("activity_no_responsible", "t-ar-slash", False, "no-R-A/R-cell-holds-an-R"),
    ("activity_no_responsible", "t-ra-comma", False, "no-R-R,A-cell-holds-an-R"),
    ("activity_no_responsible", "t-ar-joined", False, "no-R-AR-cell-holds-an-R"),
    ("activity_no_responsible", "t-lowercase", False, "no-R-lowercase-r-cell"),
    ("activity_no_accountable", "t-nobody", True, "no-A-activity-with-nobody"),
    ("activity_no_accountable", "t-not-in-chart", True, "no-A-activity-missing-from-chart"),
    ("activity_no_accountable", "t-r", True, "no-A-R-only"),
    ("activity_no_accountable", "t-ci", True, "no-A-C-and-I-only"),
    ("activity_no_accountable", "t-a", False, "no-A-A-cell"),
    ("activity_no_accountable", "t-ar-slash", False, "no-A-A/R-cell-holds-an-A"),
    ("activity_no_accountable", "t-ra-comma", False, "no-A-R,A-cell-holds-an-A"),
    ("activity_no_accountable", "t-ar-joined", False, "no-A-AR-cell-holds-an-A"),
    ("activity_no_accountable", "t-two-a", False, "no-A-two-A-is-not-none"),
    ("activity_multiple_accountable", "t-two-a", True, "many-A-two-A"),
    ("activity_multiple_accountable", "t-three-a", True, "many-A-joined-cells-count"),
    ("activity_multiple_accountable", "t-one-a", False, "many-A-one-A-with-R-and-C"),
    ("activity_multiple_accountable", "t-one-ar", False, "many-A-one-A/R-cell-is-one-A"),
    ("activity_multiple_accountable", "t-nobody", False, "many-A-nobody-is-not-many"),
    ("activity_unscheduled", "t-neither", True, "neither-phase-nor-due"),
    ("activity_unscheduled", "t-blank", True, "blank-phase-and-due-are-unknown"),
    ("activity_unscheduled", "t-phase", False, "phase-only-is-a-plan"),
    ("activity_unscheduled", "t-due", False, "due-only-is-a-plan"),
    ("activity_unscheduled", "t-both", False, "phase-and-due"),
    ("sentra_government_dependent", "s-apbd-only", True, "only-APBD"),
    ("sentra_government_dependent", "s-rupiah-90", True, "rupiah-share-when-all-amounts-known"),
    ("sentra_government_dependent", "s-rupiah-4", False,
     "relation-share-ignored-when-all-amounts-known"),
    ("sentra_government_dependent", "s-rupiah-exact", True, "share-of-exactly-0.8-is-reported"),
    ("sentra_government_dependent", "s-rupiah-79", False, "share-of-0.79-is-not"),
    ("sentra_government_dependent", "s-missing-amount", True,
     "some-amounts-missing-falls-back-to-relations"),
    ("sentra_government_dependent", "s-known-amount-minority", False,
     "known-amounts-ignored-when-some-missing"),
    ("sentra_government_dependent", "s-relations-75", False, "relation-share-0.75-is-not"),
    ("sentra_government_dependent", "s-total-zero", True, "total-zero-falls-back-to-relations"),
    ("sentra_government_dependent", "s-private-only", False, "private-only"),
    ("sentra_government_dependent", "s-no-funding", False, "no-funding-no-finding"),
    ("sentra_no_marketing_training", "s-untrained", True, "no-activity"),
    ("sentra_no_marketing_training", "s-production", True, "production-training-does-not-count"),
    ("sentra_no_marketing_training", "s-promotion", True,
     "marketing-promotion-is-not-training"),
    ("sentra_no_marketing_training", "s-marketing", False, "marketing-training"),
    ("sentra_no_marketing_training", "s-communication", False,
     "communication-training-in-capitals"),
    ("sentra_low_occupancy", "s-6-of-10", True, "occupancy-0.6"),
    ("sentra_low_occupancy", "s-0-of-10", True, "occupancy-0"),
    ("sentra_low_occupancy", "s-7-of-10", False, "occupancy-exactly-0.7-is-not-below"),
    ("sentra_low_occupancy", "s-9-of-10", False, "occupancy-0.9"),
    ("sentra_low_occupancy", "s-zero-kiosks", False, "zero-kiosks"),
    ("sentra_low_occupancy", "s-occupied-unknown", False, "occupied-unknown"),
    ("sentra_low_occupancy", "s-total-unknown", False, "total-unknown"),
    ("sentra_low_occupancy", "s-kiosks-unknown", False, "both-unknown"),
    ("regulation_no_sanction", "r-false", True, "sanction-false"),
    ("regulation_no_sanction", "r-tidak", True, "sanction-tidak"),
    ("regulation_no_sanction", "r-unknown", True, "sanction-empty-is-unknown"),
    ("regulation_no_sanction", "r-true", False, "sanction-true"),
    ("regulation_no_sanction", "r-ya", False, "sanction-ya"),
    ("supply_no_upstream", "c-bare-product", True, "product-with-no-input"),
    ("supply_no_upstream", "c-bare-intermediate", True, "intermediate-with-no-input"),
    ("supply_no_upstream", "c-raw", False, "raw-needs-no-input"),
    ("supply_no_upstream", "c-fed", False, "supplied-by-a-raw-material"),
    ("supply_no_upstream", "c-fed-by-unproduced", False, "supplied-by-an-unproduced-input"),
    ("supply_no_upstream", "c-loop-a", False, "supplied-within-a-cycle"),
    ("supply_no_upstream", "c-unproduced", False, "not-produced-no-upstream-finding"),
    ("supply_no_market", "c-unsold", True, "sold-nowhere"),
    ("supply_no_market", "c-fed-by-sold", True, "upstream-market-does-not-count"),
    ("supply_no_market", "c-cycle-a", True, "cycle-without-market-terminates"),
    ("supply_no_market", "c-self", True, "self-loop-without-market-terminates"),
    ("supply_no_market", "c-sold", False, "sold-directly"),
    ("supply_no_market", "c-two-steps", False, "market-two-steps-downstream"),
    ("supply_no_market", "c-loop", False, "market-reached-through-a-cycle"),
    ("supply_no_market", "c-unproduced", False, "not-produced-no-market-finding"),
    ("zone_focus_without_sentra", "z-empty", True, "zone-with-no-kecamatan"),
    ("zone_focus_without_sentra", "z-elsewhere", True, "produced-only-in-another-zone"),
    ("zone_focus_without_sentra", "z-covered", False, "focus-produced-in-zone"),
    ("zone_focus_without_sentra", "z-no-focus", False, "zone-with-no-focus"),
    ("kecamatan_unzoned", "33.74.03", True, "kecamatan-in-no-zone"),
    ("kecamatan_unzoned", "33.74.04", True, "a-sentra-does-not-zone-it"),
    ("kecamatan_unzoned", "33.74.01", False, "kecamatan-in-one-zone"),
    ("kecamatan_unzoned", "33.74.02", False, "kecamatan-in-two-zones"),
    ("actor_unassessed", "a-r", True, "R-without-assessment"),
    ("actor_unassessed", "a-a", True, "A-without-assessment"),
    ("actor_unassessed", "a-assessed", False, "R-with-an-assessment"),
    ("actor_unassessed", "a-c", False, "C-only-needs-no-assessment"),
    ("actor_unassessed", "a-i", False, "I-only-needs-no-assessment"),
    ("actor_key_not_engaged", "a-key-none", True, "key-actor-with-no-role"),
    ("actor_key_not_engaged", "a-key-i", True, "key-actor-informed-only"),
    ("actor_key_not_engaged", "a-at-threshold", True, "rated-3-and-3-is-high-by-default"),
    ("actor_key_not_engaged", "a-now-key", True, "latest-assessment-key"),
    ("actor_key_not_engaged", "a-was-key", False, "earlier-assessment-key-only"),
    ("actor_key_not_engaged", "a-key-c", False, "key-actor-consulted"),
    ("actor_key_not_engaged", "a-key-r", False, "key-actor-responsible"),
    ("actor_key_not_engaged", "a-satisfied", False, "high-influence-low-interest"),
    ("actor_key_not_engaged", "a-no-interest", False, "unknown-interest-is-not-high"),
    ("actor_overloaded", "a-six-a", True, "six-A-over-five"),
    ("actor_overloaded", "a-nine-r", True, "nine-R-over-eight"),
    ("actor_overloaded", "a-at-limits", False, "five-A-and-eight-R-at-the-limits"),
    ("activity_many_responsible", "t-four-r", True, "four-R-over-three"),
    ("activity_many_responsible", "t-three-r", False, "three-R-at-the-limit"),
    ("activity_many_consulted", "t-six-c", True, "six-C-over-five"),
    ("activity_many_consulted", "t-five-c", False, "five-C-at-the-limit"),
    ("activity_split_role", "t-1", True, "R-with-C-C-with-I-and-A-R-C"),
    ("activity_split_role", "t-2", True, "A-with-I"),
    ("activity_split_role", "t-3", False, "one-letter-each"),
]

Kg = Callable[..., Result]


def engine_processes() -> list[int]:
    """Live engine servers started by this test process."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if int(parent) == os.getpid() and state != "Z" and b"redis-server" in command:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str | None], Path]:
    """`store(dataset)` is a store holding only `dataset`, loaded once per module.

    `dataset=None` is an empty store.
    """
    stores: dict[str | None, Path] = {}

    def get(dataset: str | None) -> Path:
        if dataset not in stores:
            path = tmp_path_factory.mktemp(dataset or "empty") / "store"
            path.mkdir()  # an empty directory is an empty store
            if dataset is not None:
                loaded = CliRunner().invoke(cli, ["--store", str(path), "load",
                                                  str(DATA / dataset)])
                assert loaded.exit_code == 0, loaded.output
            stores[dataset] = path
        return stores[dataset]

    return get


@pytest.fixture(scope="module")
def kg(store: Callable[[str | None], Path]) -> Kg:
    """`kg(dataset, *args)` runs `kg --store S *args` on `store(dataset)`.

    Each command line runs once per module: opening the engine costs ~0.2 s.
    """
    results: dict[tuple[str | None, tuple[str, ...]], Result] = {}

    def run(dataset: str | None, *args: str) -> Result:
        if (dataset, args) not in results:
            results[dataset, args] = CliRunner().invoke(
                cli, ["--store", str(store(dataset)), *args]
            )
        return results[dataset, args]

    return run


def audit_json(kg: Kg, dataset: str | None, *options: str) -> dict[str, Any]:
    result = kg(dataset, "audit", "--format", "json", "--as-of", AS_OF, *options)
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def findings_of(kg: Kg, dataset: str | None, check: str, *options: str) -> list[Finding]:
    (entry,) = [c for c in audit_json(kg, dataset, *options)["checks"] if c["id"] == check]
    return [(f["subject"], f["related"]) for f in entry["findings"]]


# -- each check, on its dataset --------------------------------------------------------


def test_every_check_has_a_dataset() -> None:
    """The checks of the follow-up (issue 25) are tested day by day in test_audit_as_of."""
    tested = {check for check, _ in FINDINGS.values()} | set(AS_OF_CHECKS)
    assert sorted(tested) == sorted(audit.check_ids())


@pytest.mark.parametrize("dataset", list(FINDINGS), ids=list(FINDINGS))
def test_check_reports_exactly_the_expected_findings(kg: Kg, dataset: str) -> None:
    check, expected = FINDINGS[dataset]
    assert findings_of(kg, dataset, check) == expected


@pytest.mark.parametrize(
    ("dataset", "subject", "reported"),
    [rule[:3] for rule in RULES],
    ids=[rule[3] for rule in RULES],
)
def test_subject_is_reported_exactly_when_the_rule_says(
    kg: Kg, dataset: str, subject: str, reported: bool
) -> None:
    check, _ = FINDINGS[dataset]
    subjects = {s for s, _ in findings_of(kg, dataset, check)}
    assert (subject in subjects) is reported


def test_every_rule_names_a_node_of_its_dataset() -> None:
    # Guards the "not reported" rules against passing on a misspelt id.
    def ids(dataset: str) -> set[str]:
        return {row["id"] for table in (DATA / dataset).glob("*.csv")
                for row in csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig")))
                if "id" in row}

    assert [(d, s) for d, s, _, _ in RULES if s not in ids(d)] == []


def test_government_funders_sharing_a_name_are_all_related(kg: Kg) -> None:
    assert findings_of(kg, "sentra_government_dependent_same_name",
                       "sentra.government_dependent") == [
        ("s-1", ["a-dinas-kota", "a-dinas-provinsi"])
    ]


def test_multiple_accountable_message_names_the_actors(kg: Kg) -> None:
    result = audit_json(kg, "activity_multiple_accountable")
    (entry,) = [c for c in result["checks"] if c["id"] == "activity.multiple_accountable"]
    assert entry["findings"][1]["message"] == (
        "'Activity with two A' has 2 Accountable (A) actors: Bappeda, Dinas Perindustrian; "
        "a chart allows one"
    )


@pytest.mark.parametrize(
    ("subject", "sanction"),
    [("r-false", "none"), ("r-unknown", "unknown")],
    ids=["false-reads-none", "empty-reads-unknown"],
)
def test_no_sanction_message_tells_none_from_unknown(kg: Kg, subject: str,
                                                     sanction: str) -> None:
    (entry,) = [c for c in audit_json(kg, "regulation_no_sanction")["checks"]
                if c["id"] == "regulation.no_sanction"]
    messages = {f["subject"]: f["message"] for f in entry["findings"]}
    assert messages[subject].endswith(f": sanction {sanction}")


@pytest.mark.parametrize(
    ("subject", "basis"),
    [("s-rupiah-90", "rupiah"), ("s-missing-amount", "funding relations"),
     ("s-total-zero", "funding relations")],
    ids=["all-amounts-known", "an-amount-missing", "total-zero"],
)
def test_government_share_message_names_its_basis(kg: Kg, subject: str, basis: str) -> None:
    (entry,) = [c for c in audit_json(kg, "sentra_government_dependent")["checks"]
                if c["id"] == "sentra.government_dependent"]
    messages = {f["subject"]: f["message"] for f in entry["findings"]}
    assert f"of its funding ({basis})" in messages[subject]


# -- thresholds ------------------------------------------------------------------------


def test_occupancy_threshold_option_moves_the_cut(kg: Kg) -> None:
    # 5 of 10 is not below 0.5; only the empty sentra is.
    assert findings_of(kg, "sentra_low_occupancy", "sentra.low_occupancy",
                       "--occupancy-below", "0.5") == [("s-0-of-10", [])]


def test_government_share_threshold_option_moves_the_cut(kg: Kg) -> None:
    # 0.79 of rupiah and 3 of 4 relations now count; 4 of 5 relations but 4% of rupiah
    # and 1 of 3 relations still do not.
    assert findings_of(kg, "sentra_government_dependent", "sentra.government_dependent",
                       "--government-share-at-least", "0.5") == [
        ("s-apbd-only", ["a-pemkot"]),
        ("s-missing-amount", ["a-kementerian", "a-pemkot"]),
        ("s-relations-75", ["a-kementerian", "a-pemkot"]),
        ("s-rupiah-79", ["a-kementerian"]),
        ("s-rupiah-90", ["a-pemkot"]),
        ("s-rupiah-exact", ["a-pemkot"]),
        ("s-total-zero", ["a-pemkot"]),
    ]


@pytest.mark.parametrize(
    ("option", "param"),
    [("--occupancy-below", "occupancy_below"), ("--government-share-at-least", "government_share")],
    ids=["occupancy", "government-share"],
)
def test_threshold_help_shows_the_default_the_query_header_declares(option: str,
                                                                    param: str) -> None:
    (found,) = [p for p in cli.commands["audit"].params if option in p.opts]
    assert isinstance(found, click.Option) and found.help is not None
    assert found.help.endswith(f"[default: {audit.thresholds()[param].default}]")


# -- the JSON document -----------------------------------------------------------------


def test_json_lists_every_check_also_without_findings(kg: Kg) -> None:
    checks = audit_json(kg, "kecamatan_unzoned")["checks"]
    assert [c["id"] for c in checks] == audit.check_ids()


def test_json_check_without_findings_has_count_zero_and_empty_list(kg: Kg) -> None:
    checks = audit_json(kg, "kecamatan_unzoned")["checks"]
    (entry,) = [c for c in checks if c["id"] == "actor.unmapped"]
    assert (entry["count"], entry["findings"]) == (0, [])


def test_json_has_the_documented_keys(kg: Kg) -> None:
    checks = audit_json(kg, "kecamatan_unzoned")["checks"]
    (entry,) = [c for c in checks if c["id"] == "kecamatan.unzoned"]
    assert (sorted(entry), sorted(entry["findings"][0])) == (
        ["count", "findings", "id", "severity", "title"],
        ["message", "related", "subject"],
    )


@pytest.mark.parametrize("dataset", list(FINDINGS), ids=list(FINDINGS))
def test_json_count_is_the_number_of_findings(kg: Kg, dataset: str) -> None:
    checks = audit_json(kg, dataset)["checks"]
    assert [c["count"] for c in checks] == [len(c["findings"]) for c in checks]


@pytest.mark.parametrize("dataset", list(FINDINGS), ids=list(FINDINGS))
def test_json_findings_are_sorted_by_subject_then_related(kg: Kg, dataset: str) -> None:
    for entry in audit_json(kg, dataset)["checks"]:
        keys = [(f["subject"], f["related"]) for f in entry["findings"]]
        assert keys == sorted(keys), entry["id"]
        assert all(f["related"] == sorted(f["related"]) for f in entry["findings"])


def test_json_severities_follow_the_design_table(kg: Kg) -> None:
    checks = audit_json(kg, None)["checks"]
    errors = {"activity.no_responsible", "activity.no_accountable",
              "activity.multiple_accountable", "kecamatan.unzoned", "activity.overdue",
              "commitment.overdue"}
    assert {c["id"]: c["severity"] for c in checks} == {
        c: "error" if c in errors else "warning" for c in audit.check_ids()
    }


def test_empty_store_has_no_findings_in_any_check(kg: Kg) -> None:
    checks = audit_json(kg, None)["checks"]
    assert [(c["id"], c["count"]) for c in checks] == [(c, 0) for c in audit.check_ids()]


# -- choosing checks, exit codes -------------------------------------------------------


def test_check_option_runs_only_those_checks_errors_first(kg: Kg) -> None:
    checks = audit_json(kg, "kecamatan_unzoned", "--check", "sentra.low_occupancy",
                        "--check", "kecamatan.unzoned")["checks"]
    assert [c["id"] for c in checks] == ["kecamatan.unzoned", "sentra.low_occupancy"]


def test_unknown_check_exits_2_naming_it(kg: Kg) -> None:
    result = kg("kecamatan_unzoned", "audit", "--check", "actor.unknown")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "unknown check actor.unknown" in result.stderr


# (dataset, check run, --fail-on or None for the default, exit code)
FAIL_ON = [
    ("kecamatan_unzoned", "kecamatan.unzoned", "error", 1, "error-found-fail-on-error"),
    ("kecamatan_unzoned", "kecamatan.unzoned", "warning", 1, "error-found-fail-on-warning"),
    ("kecamatan_unzoned", "kecamatan.unzoned", "never", 0, "error-found-fail-on-never"),
    ("kecamatan_unzoned", "kecamatan.unzoned", None, 0, "error-found-default-is-never"),
    ("sentra_low_occupancy", "sentra.low_occupancy", "error", 0, "warning-found-fail-on-error"),
    ("sentra_low_occupancy", "sentra.low_occupancy", "warning", 1,
     "warning-found-fail-on-warning"),
    ("sentra_low_occupancy", "sentra.low_occupancy", "never", 0, "warning-found-fail-on-never"),
    ("kecamatan_unzoned", "sentra.low_occupancy", "warning", 0, "nothing-found-fail-on-warning"),
    ("kecamatan_unzoned", "sentra.low_occupancy", "error", 0, "nothing-found-fail-on-error"),
]


@pytest.mark.parametrize(("dataset", "check", "fail_on", "exit_code"),
                         [case[:4] for case in FAIL_ON], ids=[case[4] for case in FAIL_ON])
def test_fail_on_sets_the_exit_code(kg: Kg, dataset: str, check: str, fail_on: str | None,
                                    exit_code: int) -> None:
    options = ("--fail-on", fail_on) if fail_on else ()
    result = kg(dataset, "audit", "--check", check, *options)
    assert result.exit_code == exit_code, result.output


def test_unknown_fail_on_value_exits_2(kg: Kg) -> None:
    assert kg("kecamatan_unzoned", "audit", "--fail-on", "info").exit_code == 2


# -- formats and language --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "csv"],
                         ids=["table", "json", "markdown", "csv"])
def test_every_format_prints_the_findings(kg: Kg, fmt: str) -> None:
    result = kg("kecamatan_unzoned", "audit", "--check", "kecamatan.unzoned", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "Kecamatan in no zone (33.74.03) belongs to no zone" in result.stdout


def test_table_format_shows_each_check_and_a_summary(kg: Kg) -> None:
    result = kg("kecamatan_unzoned", "audit", "--check", "kecamatan.unzoned", "--as-of", AS_OF)
    assert result.stdout.splitlines() == [
        f"As of {AS_OF}",
        "",
        "Kecamatan in no industry zone [kecamatan.unzoned, error]: 2",
        "  - Kecamatan in no zone (33.74.03) belongs to no zone",
        "  - Kecamatan with a sentra but no zone (33.74.04) belongs to no zone",
        "",
        "2 findings (2 errors, 0 warnings) from 1 check",
    ]


def test_markdown_format_heads_each_check(kg: Kg) -> None:
    result = kg("kecamatan_unzoned", "audit", "--check", "kecamatan.unzoned",
                "--format", "markdown")
    assert result.stdout.splitlines()[2:5] == [
        "## Kecamatan in no industry zone [kecamatan.unzoned, error]: 2",
        "- Kecamatan in no zone (33.74.03) belongs to no zone",
        "- Kecamatan with a sentra but no zone (33.74.04) belongs to no zone",
    ]


def test_markdown_is_titled_with_the_datasets_and_the_day_audited(kg: Kg) -> None:
    english = kg("kecamatan_unzoned", "audit", "--format", "markdown", "--as-of", AS_OF).stdout
    assert english.splitlines()[0] == f"# sentra-kg audit of kecamatan_unzoned as of {AS_OF}"
    indonesian = kg("kecamatan_unzoned", "audit", "--format", "markdown", "--lang", "id",
                    "--as-of", AS_OF).stdout
    assert indonesian.splitlines()[0] == f"# Audit sentra-kg atas kecamatan_unzoned per {AS_OF}"
    text = kg("kecamatan_unzoned", "audit", "--as-of", AS_OF).stdout
    assert text.splitlines()[0] == f"As of {AS_OF}"


def test_the_day_audited_is_today_by_default(kg: Kg) -> None:
    today = datetime.date.today().isoformat()
    document = audit_json(kg, "kecamatan_unzoned")
    assert json.loads(kg("kecamatan_unzoned", "audit", "--format", "json").stdout) == {
        **document, "as_of": today
    }


def test_csv_format_is_one_row_per_finding(kg: Kg) -> None:
    result = kg("regulation_no_sanction", "audit", "--check", "regulation.no_sanction",
                "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        ["check", "severity", "subject", "related", "message"],
        ["regulation.no_sanction", "warning", "r-false", "",
         "Regulation with sanction false: sanction none"],
        ["regulation.no_sanction", "warning", "r-tidak", "",
         "Regulation with sanction tidak: sanction none"],
        ["regulation.no_sanction", "warning", "r-unknown", "s-1|s-2",
         "Regulation with sanction unknown: sanction unknown"],
    ]


def test_lang_id_gives_indonesian_titles_and_messages(kg: Kg) -> None:
    (entry,) = audit_json(kg, "kecamatan_unzoned", "--check", "kecamatan.unzoned",
                          "--lang", "id")["checks"]
    assert (entry["title"], entry["findings"][0]["message"]) == (
        "Kecamatan di luar wilayah industri",
        "Kecamatan in no zone (33.74.03) tidak termasuk wilayah mana pun",
    )


def test_lang_id_translates_every_title(kg: Kg) -> None:
    english = {c["id"]: c["title"] for c in audit_json(kg, None)["checks"]}
    indonesian = {c["id"]: c["title"] for c in audit_json(kg, None, "--lang", "id")["checks"]}
    assert [c for c in audit.check_ids() if english[c] == indonesian[c]] == []


def test_lang_id_translates_words_inside_messages(kg: Kg) -> None:
    (entry,) = audit_json(kg, "regulation_no_sanction", "--check", "regulation.no_sanction",
                          "--lang", "id")["checks"]
    assert entry["findings"][2]["message"] == (
        "Regulation with sanction unknown: sanksi tidak diketahui"
    )


def test_both_catalogues_hold_the_same_keys() -> None:
    english, indonesian = audit._catalogue("en"), audit._catalogue("id")

    def keys(catalogue: dict[str, Any]) -> set[str]:
        return {f"{table}.{key}" for table, entries in catalogue.items()
                for key in (entries if isinstance(entries, dict) else [""])}

    assert keys(english) == keys(indonesian)


@pytest.fixture(scope="module")
def semarang(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Result]:
    """Runs ``kg --store S ...`` on a store holding the bundled Semarang dataset."""
    path = tmp_path_factory.mktemp("semarang") / "store"
    assert CliRunner().invoke(cli, ["--store", str(path), "load"]).exit_code == 0
    return lambda *args: CliRunner().invoke(cli, ["--store", str(path), *args])


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_lang_id_words_the_whole_report_in_indonesian(
    semarang: Callable[..., Result], fmt: str
) -> None:
    result = semarang("audit", "--lang", "id", "--format", fmt, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    summary = result.stdout.strip().splitlines()[-1]
    # The 13 checks find 70; actor.unassessed adds the 5 actors holding R or A, as the
    # bundled data rates nobody; sentra.not_engaged the 3 active sentra, as it dates no
    # engagement; commitment.no_due the KIW centre's regulation, indicator.unmeasured
    # the 2023 target for manufacturing's share of PDRB.
    assert summary == "80 temuan (19 kesalahan, 61 peringatan) dari 27 pemeriksaan"
    assert "[activity.no_accountable, kesalahan]: 14" in result.stdout
    words = set(re.findall(r"[a-z]+", result.stdout.lower()))
    assert not words & {"findings", "finding", "errors", "warnings", "warning", "checks"}


def test_one_finding_is_singular(semarang: Callable[..., Result]) -> None:
    result = semarang("audit", "--check", "sentra.low_occupancy")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == (
        "1 finding (0 errors, 1 warning) from 1 check"
    )


# -- the library under the CLI --------------------------------------------------------


def test_library_gives_the_findings_the_cli_prints(
    kg: Kg, store: Callable[[str | None], Path]
) -> None:
    with open_store(StoreConfig(path=store("zone_focus_without_sentra"))) as opened:
        results = audit.run_audit(opened, ["zone.focus_without_sentra"], as_of=AS_OF)
    assert {"as_of": AS_OF, **audit.to_json(results)} == audit_json(
        kg, "zone_focus_without_sentra", "--check", "zone.focus_without_sentra"
    )


@pytest.mark.parametrize(("limits", "expected"), [
    ({"max_accountable": 0}, ["a-a"]),
    ({"max_responsible": 0}, ["a-r"]),
    ({"max_accountable": -1}, ["a-a", "a-blank", "a-c", "a-funder", "a-i", "a-manager",
                               "a-none", "a-r"]),
])
def test_overloaded_limits_below_one_role_report_actors_holding_none(
    store: Callable[[str | None], Path], limits: dict[str, int], expected: list[str]
) -> None:
    # The query counts A and R only for actors holding more roles than a limit; an actor
    # with no A and no R exceeds a negative limit (the library takes one, the CLI not).
    with open_store(StoreConfig(path=store("actor_unmapped"))) as opened:
        (result,) = audit.run_audit(opened, ["actor.overloaded"], limits, as_of=AS_OF)
    assert [f.subject for f in result.findings] == expected
    assert {f.subject: (f.values["accountable"], f.values["responsible"])
            for f in result.findings}.get("a-none", (0, 0)) == (0, 0)


def test_library_rejects_a_threshold_no_check_takes(store: Callable[[str | None], Path]) -> None:
    with (
        open_store(StoreConfig(path=store(None))) as opened,
        pytest.raises(QueryError, match="no check takes a parameter 'kiosks'"),
    ):
        audit.run_audit(opened, params={"kiosks": 1})


@pytest.mark.parametrize("threads", ["1", "3", "13"])
def test_checks_give_the_same_findings_on_any_number_of_threads(
    store: Callable[[str | None], Path], monkeypatch: pytest.MonkeyPatch, threads: str
) -> None:
    # The government-dependence dataset has findings in several checks at once.
    with open_store(StoreConfig(path=store("sentra_government_dependent"))) as opened:
        monkeypatch.setenv("KG_AUDIT_THREADS", "2")
        expected = audit.to_json(audit.run_audit(opened))
        monkeypatch.setenv("KG_AUDIT_THREADS", threads)
        assert audit.audit_threads() == int(threads)
        assert audit.to_json(audit.run_audit(opened)) == expected
    assert sum(c["count"] > 0 for c in expected["checks"]) >= 3


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_audit_threads_must_be_a_positive_whole_number(
    store: Callable[[str | None], Path], monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KG_AUDIT_THREADS", value)
    result = CliRunner().invoke(cli, ["--store", str(store("kecamatan_unzoned")), "audit"])
    assert result.exit_code == 2
    assert f"KG_AUDIT_THREADS must be a whole number >= 1, got {value!r}" in result.output


# -- the engine ------------------------------------------------------------------------


def test_no_engine_process_outlives_a_command(kg: Kg) -> None:
    assert kg("kecamatan_unzoned", "audit", "--format", "json").exit_code == 0
    assert engine_processes() == []

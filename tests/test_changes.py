"""Change over time: `kg audit --baseline`, `kg diff`, `kg whatif`.

tests/data/changes/before and after hold one dataset before and after the edits listed
in tests/data/changes/README.md; every expectation below follows from reading them.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import DATA, Kg

CHANGES = DATA / "changes"
BEFORE = CHANGES / "before"
AFTER = CHANGES / "after"

STATUSES_AFTER_THE_EDITS = {
    ("activity.multiple_accountable", "t-market", ("a-koperasi", "a-lppsp"), "new"),
    ("activity.multiple_accountable", "t-market", ("a-bank", "a-lppsp"), "resolved"),
    ("actor.unmapped", "a-bank", (), "new"),
    ("actor.unmapped", "a-idle", (), "resolved"),
    ("supply.no_upstream", "c-logam", ("s-logam",), "new"),
    ("zone.focus_without_sentra", "zone-1", ("c-besi",), "new"),
    ("zone.focus_without_sentra", "zone-1", ("c-logam",), "unchanged"),
    ("activity.no_accountable", "t-train", ("s-logam",), "unchanged"),
    ("kecamatan.unzoned", "33.74.99", (), "unchanged"),
    ("sentra.government_dependent", "s-logam", ("a-disperin",), "unchanged"),
    ("sentra.no_marketing_training", "s-logam", (), "unchanged"),
    ("supply.no_market", "c-logam", ("s-logam",), "unchanged"),
    ("activity.unscheduled", "t-relocate", ("s-logam",), "resolved"),
    ("sentra.low_occupancy", "s-logam", (), "resolved"),
}
"""(check, subject, related, status) of every finding of `after` against `before`."""


CHECKS = sorted(
    {check for check, *_ in STATUSES_AFTER_THE_EDITS}
    | {
        "activity.no_responsible",
        "regulation.no_sanction",
    }
)
"""The checks these expectations cover (others, added later, may find more)."""
ONLY = [argument for check in CHECKS for argument in ("--check", check)]


def statuses(document: dict[str, Any]) -> set[tuple[str, str, tuple[str, ...], str]]:
    """(check, subject, related, status) of every finding of the checks in CHECKS."""
    return {
        (check["id"], f["subject"], tuple(f["related"]), f["status"])
        for check in document["checks"]
        if check["id"] in CHECKS
        for f in check["findings"]
    }


def store_bytes(store: Path) -> str:
    return hashlib.sha256((store / "graph.rdb").read_bytes()).hexdigest()


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    """The audit of `before`, as `kg audit --format json` writes it."""
    kg = Kg(tmp_path / "before-store")
    assert kg("load", str(BEFORE)).exit_code == 0
    path = tmp_path / "before.json"
    result = kg("audit", *ONLY, "--format", "json", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def after_kg(tmp_path: Path) -> Kg:
    kg = Kg(tmp_path / "after-store")
    assert kg("load", str(AFTER)).exit_code == 0
    return kg


def test_baseline_gives_exactly_the_statuses_the_two_audits_imply(
    baseline: Path, after_kg: Kg
) -> None:
    result = after_kg("audit", *ONLY, "--baseline", str(baseline), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert statuses(document) == STATUSES_AFTER_THE_EDITS
    counts = document["baseline"]
    assert (counts["new"], counts["unchanged"], counts["resolved"]) == (4, 6, 4)
    assert counts["checks"]["activity.multiple_accountable"] == {
        "new": 1,
        "unchanged": 0,
        "resolved": 1,
    }
    by_id = {check["id"]: check for check in document["checks"]}
    assert by_id["sentra.low_occupancy"]["count"] == 0  # the number found now
    assert by_id["zone.focus_without_sentra"]["count"] == 2


def test_audit_against_itself_is_all_unchanged(baseline: Path, tmp_path: Path) -> None:
    kg = Kg(tmp_path / "before-store")
    document = json.loads(
        kg("audit", *ONLY, "--baseline", str(baseline), "--format", "json").output
    )
    assert {status for *_, status in statuses(document)} == {"unchanged"}


def test_fail_on_counts_only_new_findings(baseline: Path, after_kg: Kg, tmp_path: Path) -> None:
    # `after` has errors (t-train has no A, 33.74.99 no zone) that the baseline knew
    # already; the one new error is t-market's second A.
    assert after_kg("audit", "--fail-on", "error").exit_code == 1
    assert after_kg("audit", "--baseline", str(baseline), "--fail-on", "error").exit_code == 1
    own = tmp_path / "after.json"
    after_kg("audit", *ONLY, "--format", "json", "-o", str(own))
    assert after_kg("audit", *ONLY, "--baseline", str(own), "--fail-on", "warning").exit_code == 0


def test_new_findings_come_first_in_text_and_markdown(baseline: Path, after_kg: Kg) -> None:
    for fmt in ("table", "markdown"):
        result = after_kg("audit", *ONLY, "--baseline", str(baseline), "--format", fmt)
        text = result.output
        assert text.index("New since the baseline: 4") < text.index("Unchanged: 6")
        assert text.index("Unchanged: 6") < text.index("Resolved (no longer found): 4")
        assert "Against the baseline: 4 new, 6 unchanged, 4 resolved" in text
    rows = after_kg(
        "audit", *ONLY, "--baseline", str(baseline), "--format", "csv"
    ).output.splitlines()
    assert rows[0] == "status,check,severity,subject,related,message"
    assert [row.split(",")[0] for row in rows[1:]] == ["new"] * 4 + ["unchanged"] * 6 + [
        "resolved"
    ] * 4


def test_a_baseline_check_this_version_lacks_is_a_warning(
    baseline: Path, after_kg: Kg, tmp_path: Path
) -> None:
    document = json.loads(baseline.read_text())
    document["checks"].append(
        {
            "id": "sentra.from_the_future",
            "title": "?",
            "severity": "error",
            "count": 1,
            "findings": [{"subject": "s-logam", "related": [], "message": "?"}],
        }
    )
    future = tmp_path / "future.json"
    future.write_text(json.dumps(document))
    result = after_kg("audit", *ONLY, "--baseline", str(future), "--format", "json")
    assert result.exit_code == 0
    assert "sentra.from_the_future is not one this version runs" in result.stderr
    assert statuses(json.loads(result.stdout)) == STATUSES_AFTER_THE_EDITS


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("id,name\n", "not JSON"),
        ('[{"id": "x"}]', 'it has no "checks" list'),
        ('{"checks": [{"title": "x"}]}', 'check 1 lacks an "id"'),
        (
            '{"checks": [{"id": "actor.unmapped", "findings": [{"related": []}]}]}',
            "a finding of actor.unmapped lacks a subject",
        ),
    ],
    ids=["csv", "a list", "check-without-id", "finding-without-subject"],
)
def test_a_file_that_is_not_an_audit_is_a_clear_error(
    tiny_kg: Kg, tmp_path: Path, content: str, reason: str
) -> None:
    path = tmp_path / "old.json"
    path.write_text(content)
    result = tiny_kg("audit", "--baseline", str(path))
    assert result.exit_code == 2
    assert f"is not an audit in JSON (kg audit --format json): {reason}" in result.stderr
    assert "Traceback" not in result.output


# -- kg diff ----------------------------------------------------------------------


def test_diff_lists_exactly_the_edits(kg: Kg) -> None:
    result = kg("diff", str(BEFORE), str(AFTER), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["nodes"] == {
        "added": ["a-koperasi"],
        "removed": ["a-idle"],
        "changed": [
            {"id": "s-logam", "property": "kiosksOccupied", "old": 44, "new": 60},
            {"id": "t-relocate", "property": "phase", "old": None, "new": "2025-2029"},
        ],
    }
    assert document["relationships"] == {
        "added": [
            {"from": "a-disperin", "type": "FUNDS", "to": "s-logam", "key": "APBD:2024:500000000"},
            {"from": "a-koperasi", "type": "ACCOUNTABLE_FOR", "to": "t-market", "key": None},
            {"from": "zone-1", "type": "FOCUSES_ON", "to": "c-besi", "key": None},
        ],
        "removed": [
            {"from": "a-bank", "type": "ACCOUNTABLE_FOR", "to": "t-market", "key": None},
            {"from": "c-besi", "type": "SUPPLIES", "to": "c-logam", "key": None},
        ],
    }
    assert statuses(document["audit"]) == STATUSES_AFTER_THE_EDITS


def test_diff_words_the_chart_changes(kg: Kg) -> None:
    text = kg("diff", str(BEFORE), str(AFTER)).output
    assert "Accountable (A) for Pameran moved from Bank Jateng to Koperasi Sentra" in text
    reverse = kg("diff", str(AFTER), str(BEFORE), "--lang", "id").output
    assert ("penanggung jawab (A) untuk Pameran berpindah dari Koperasi Sentra ke Bank Jateng"
            in reverse)


def test_diff_of_a_store_and_the_dataset_it_holds_finds_nothing(
    tmp_path: Path, after_kg: Kg
) -> None:
    before = store_bytes(after_kg.store)
    same = after_kg("diff", str(after_kg.store), str(AFTER), "--exit-code", "--format", "json")
    assert same.exit_code == 0, same.output
    document = json.loads(same.stdout)
    assert document["nodes"] == {"added": [], "removed": [], "changed": []}
    assert document["relationships"] == {"added": [], "removed": []}
    assert store_bytes(after_kg.store) == before


def test_diff_exit_code_says_whether_they_differ(kg: Kg) -> None:
    assert kg("diff", str(BEFORE), str(AFTER), "--exit-code").exit_code == 1
    assert kg("diff", str(BEFORE), str(AFTER)).exit_code == 0


def test_diff_of_a_missing_path_is_an_error(kg: Kg, tmp_path: Path) -> None:
    result = kg("diff", str(BEFORE), str(tmp_path / "nothing"))
    assert result.exit_code == 2
    assert "no such dataset or store" in result.stderr


# -- kg whatif --------------------------------------------------------------------


def store_files(store: Path) -> dict[str, str]:
    """Every file of the store directory by name, with its content's hash; but the lock,
    and the run file of a killed process (the next process to open the store removes
    it, with the engine it names, see kg.store.embedded)."""
    return {
        str(path.relative_to(store)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(store.rglob("*"))
        if path.is_file() and path.name != "lock" and path.parent.name != "run"
    }


def findings(document: dict[str, Any], *wanted: str) -> set[tuple[str, str, tuple[str, ...]]]:
    """(check, subject, related) of the findings whose status is one of ``wanted``
    (any, when none is named), among the checks in CHECKS."""
    return {
        (check, subject, related)
        for check, subject, related, status in statuses(document)
        if not wanted or status in wanted
    }


def audit_of(kg: Kg) -> set[tuple[str, str, tuple[str, ...]]]:
    document = json.loads(kg("audit", "--format", "json").output)
    for check in document["checks"]:
        for finding in check["findings"]:
            finding["status"] = "-"
    return findings(document)


def test_whatif_without_an_actor_finds_what_the_dataset_without_it_finds(
    after_kg: Kg, tmp_path: Path
) -> None:
    fresh = Kg(tmp_path / "fresh")
    assert fresh("load", str(CHANGES / "after_without_lppsp")).exit_code == 0
    result = after_kg("whatif", "--without", "a-lppsp", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert findings(document, "new", "unchanged") == audit_of(fresh)
    assert findings(document, "resolved") == audit_of(after_kg) - audit_of(fresh)
    # t-market keeps a single A (Koperasi Sentra): its two-A finding is resolved.
    assert ("activity.multiple_accountable", "t-market", ("a-koperasi", "a-lppsp")) in findings(
        document, "resolved"
    )


def test_whatif_takes_names_as_ids(after_kg: Kg) -> None:
    by_id = after_kg("whatif", "--without", "a-lppsp", "--format", "json")
    by_name = after_kg("whatif", "--without", "lppsp", "--format", "json")
    assert by_name.exit_code == by_id.exit_code == 0
    assert findings(json.loads(by_name.stdout), "new", "resolved") == findings(
        json.loads(by_id.stdout), "new", "resolved"
    )


def test_whatif_leaves_the_store_byte_identical(after_kg: Kg) -> None:
    before = store_files(after_kg.store)
    result = after_kg(
        "whatif",
        "--without",
        "a-disperin",
        "--without-link",
        "zone-1,FOCUSES_ON,c-besi",
        "--with-link",
        "c-besi,SUPPLIES,c-logam",
        "--with-role",
        "t-train,LPPSP,A",
        "--analyze",
    )
    assert result.exit_code == 0, result.output
    assert store_files(after_kg.store) == before
    assert after_kg("diff", str(after_kg.store), str(AFTER), "--exit-code").exit_code == 0


def test_whatif_adds_links_and_roles_as_a_dataset_would(after_kg: Kg) -> None:
    result = after_kg(
        "whatif",
        "--with-link",
        "c-besi,supplies,c-logam",
        "--with-role",
        "Pelatihan,LPPSP,a",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert findings(document, "new") == set()
    assert findings(document, "resolved") == {
        ("supply.no_upstream", "c-logam", ("s-logam",)),
        ("activity.no_accountable", "t-train", ("s-logam",)),
    }


def test_whatif_fail_on_counts_the_findings_the_scenario_causes(after_kg: Kg) -> None:
    # Without Dinas Perindustrian, three activities lose their only R: new errors.
    assert after_kg("whatif", "--without", "a-disperin", "--fail-on", "error").exit_code == 1
    assert (
        after_kg(
            "whatif", "--with-link", "c-besi,SUPPLIES,c-logam", "--fail-on", "warning"
        ).exit_code
        == 0
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--without", "a-nobody"], "--without a-nobody: no node with the id or name 'a-nobody'"),
        (["--without-link", "c-besi,SUPPLIES,nothing"], "no Commodity with the id or name"),
        (["--without-link", "c-besi,SUPPLIES,c-logam"], "the graph holds no such relationship"),
        (["--without-link", "c-besi,OWNS,c-logam"], "unknown type 'OWNS'"),
        (["--with-link", "c-besi,SUPPLIES"], "expected three values separated by commas"),
        (["--with-role", "t-train,Nobody,A"], "--with-role:1: actor: unknown Actor 'Nobody'"),
        (["--with-role", "t-train,LPPSP,X"], "--with-role:1: role:"),
        (["--with-link", "a-bank,FUNDS,s-logam"], "use funding.csv"),
    ],
    ids=[
        "unknown-node",
        "unknown-link-end",
        "absent-link",
        "unknown-type",
        "two-values",
        "unknown-actor",
        "unknown-letter",
        "funds-as-a-link",
    ],
)
def test_whatif_refuses_changes_it_cannot_make(
    after_kg: Kg, arguments: list[str], message: str
) -> None:
    before = store_files(after_kg.store)
    result = after_kg("whatif", *arguments)
    assert result.exit_code == 2
    assert message in result.stderr
    assert store_files(after_kg.store) == before


def test_whatif_analyze_shows_components_and_brokers(after_kg: Kg) -> None:
    result = after_kg("whatif", "--without", "s-logam", "--analyze", "--format", "json")
    assert result.exit_code == 0, result.output
    network = json.loads(result.stdout)["network"]
    # s-logam joins everything: without it the sentra's actors, activities and
    # kecamatan fall apart.
    assert network["components"]["after"] > network["components"]["before"]
    assert network["split"]


def engines_on(store: Path) -> list[int]:
    """Running engines (redis-server) whose working directory is ``store``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
            directory = os.readlink(entry / "cwd")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if b"redis-server" in command and directory == str(store.resolve()) and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize("delay", [0.4, 0.8, 1.2, 1.6, 2.0, 2.4], ids=lambda d: f"{d}s")
def test_whatif_killed_at_any_point_leaves_the_store_unchanged_and_no_engine(
    after_kg: Kg, delay: float
) -> None:
    before = store_files(after_kg.store)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_"))}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kg",
            "--store",
            str(after_kg.store),
            "whatif",
            "--without",
            "a-lppsp",
            "--analyze",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    deadline = time.monotonic() + 10
    while engines_on(after_kg.store) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert engines_on(after_kg.store) == []
    assert store_files(after_kg.store) == before
    assert after_kg("diff", str(after_kg.store), str(AFTER), "--exit-code").exit_code == 0


# -- kg analyze --critical -------------------------------------------------------

CRITICAL = CHANGES / "critical"


@pytest.fixture
def critical_kg(tmp_path: Path) -> Kg:
    kg = Kg(tmp_path / "critical-store")
    assert kg("load", str(CRITICAL)).exit_code == 0
    return kg


def test_critical_ranks_actors_by_the_errors_their_withdrawal_causes(critical_kg: Kg) -> None:
    result = critical_kg("analyze", "--critical", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["candidates"] == 5
    ranked = [
        (a["id"], a["errors"], [(f["check"], f["subject"]) for f in a["findings"]], a["unfunded"])
        for a in document["actors"]
    ]
    assert ranked == [
        (
            "a-dinas",
            3,
            [
                ("activity.no_responsible", "t-1"),
                ("activity.no_accountable", "t-1"),
                ("activity.multiple_accountable", "t-3"),
            ],
            [],
        ),
        (
            "a-bappeda",
            2,
            [("activity.no_accountable", "t-2"), ("activity.multiple_accountable", "t-3")],
            [],
        ),
        (
            "a-koperasi",
            2,
            [("activity.no_responsible", "t-4"), ("activity.multiple_accountable", "t-3")],
            [],
        ),
        ("a-univ", 1, [("activity.no_responsible", "t-3")], []),
        ("a-bank", 0, [], ["s-1"]),
    ]
    top = json.loads(critical_kg("analyze", "--critical", "--top", "2", "--format", "json").stdout)
    assert [a["id"] for a in top["actors"]] == ["a-dinas", "a-bappeda"]


@pytest.mark.parametrize(
    "actor", ["a-dinas", "a-bappeda", "a-koperasi", "a-univ", "a-bank"], ids=str
)
def test_critical_agrees_with_whatif_without_the_actor(critical_kg: Kg, actor: str) -> None:
    ranked = json.loads(critical_kg("analyze", "--critical", "--format", "json").stdout)
    predicted = {
        (f["check"], f["subject"])
        for a in ranked["actors"]
        if a["id"] == actor
        for f in a["findings"]
    }
    scenario = json.loads(critical_kg("whatif", "--without", actor, "--format", "json").stdout)
    caused = {
        (check["id"], f["subject"])
        for check in scenario["checks"]
        if check["severity"] == "error"
        for f in check["findings"]
        if f["status"] == "new"
    }
    assert caused == predicted


def test_every_error_check_is_weighed_by_critical_or_no_withdrawal_causes_it() -> None:
    from kg import changes, queries

    errors = {q.check for q in queries.checks().values() if q.severity == "error"}
    # An overdue activity or commitment is overdue by its dates, whoever is withdrawn.
    uncaused = {"kecamatan.unzoned", "activity.overdue", "commitment.overdue"}
    assert errors <= {*changes.WITHDRAWAL_CHECKS, *uncaused}


@pytest.mark.neo4j
@pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI is not set")
def test_whatif_on_neo4j_rolls_back_and_agrees_with_the_embedded_engine(tmp_path: Path) -> None:
    from kg import changes
    from kg.loaders import load
    from kg.stats import graph_counts
    from kg.store import StoreConfig, open_store

    scenario = changes.Scenario(without=("a-lppsp",), with_roles=(("t-train", "a-bank", "A"),))
    with open_store(StoreConfig.from_env(), write=True) as neo4j:
        if neo4j.run("MATCH (n) RETURN count(n) AS n").scalar():
            pytest.skip("the Neo4j database is not empty; use an empty one for these tests")
        load(neo4j, [AFTER])
        try:
            before = graph_counts(neo4j)
            on_neo4j = changes.whatif(neo4j, scenario).to_json()
            assert graph_counts(neo4j) == before
        finally:
            neo4j.execute("MATCH (n) DETACH DELETE n")
    with open_store(StoreConfig(path=tmp_path / "embedded"), write=True) as embedded:
        load(embedded, [AFTER])
        assert statuses(changes.whatif(embedded, scenario).to_json()) == statuses(on_neo4j)


def test_scratch_copies_are_apart_from_the_store_and_each_other(after_kg: Kg) -> None:
    from kg import queries
    from kg.store import StoreConfig, open_store

    with open_store(StoreConfig(path=after_kg.store)) as store:
        nodes = queries.run(store, "graph_nodes").rows
        with store.scratch() as one, store.scratch() as other:
            one.execute("MATCH (n:Actor {id: 'a-bank'}) DETACH DELETE n")
            assert len(queries.run(one, "graph_nodes").rows) == len(nodes) - 1
            assert queries.run(other, "graph_nodes").rows == nodes
        assert queries.run(store, "graph_nodes").rows == nodes

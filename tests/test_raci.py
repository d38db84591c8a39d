"""The responsibility chart, `kg raci`, on tests/data/audit/raci_chart/.

Its raci.csv is a matrix that refers to one actor by name and joins letters three ways
(`A/R`, `R,A`, `AR`); "Activity with nobody" has an empty row, "Citywide plan" concerns
no sentra, "Credit for both sentra" concerns both, and "Actor with no role" has an
empty column.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli

DATASET = Path(__file__).parent / "data" / "audit" / "raci_chart"

ROLES = (
    "MATCH (a:Actor)-[r:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON|INFORMED_OF]->"
    "(t:Activity) RETURN a.id AS actor, type(r) AS role, t.id AS activity "
    "ORDER BY actor, role, activity"
)

Kg = Callable[..., Result]


def invoke(store: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", str(store), *args])


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("raci") / "store"
    loaded = invoke(path, "load", str(DATASET))
    assert loaded.exit_code == 0, loaded.output
    return path


@pytest.fixture(scope="module")
def kg(store: Path) -> Kg:
    """`kg(*args)` runs `kg --store S *args` on the loaded store, each command line once."""
    results: dict[tuple[str, ...], Result] = {}

    def run(*args: str) -> Result:
        if args not in results:
            results[args] = invoke(store, *args)
        return results[args]

    return run


def csv_rows(result: Result) -> list[list[str]]:
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


# -- the chart -------------------------------------------------------------------------


def test_chart_has_activities_as_rows_and_actors_as_columns(kg: Kg) -> None:
    result = kg("raci")
    assert (result.exit_code, result.stdout.splitlines()) == (0, [
        "activity                Bank Jateng  Dinas Perindustrian  Koperasi Sentra",
        "----------------------  -----------  -------------------  ---------------",
        "Credit for both sentra  R/A          C                    I",
        "Activity with nobody",
        "Citywide plan                        R/A                  I",
        "Relocation              I            R/A                  C",
        "Batik training                       A                    R",
    ])


def test_csv_chart_is_the_matrix_shape_with_ids(kg: Kg) -> None:
    assert csv_rows(kg("raci", "--format", "csv")) == [
        ["activity", "a-bank", "a-dinas", "a-koperasi"],
        ["t-credit", "R/A", "C", "I"],
        ["t-nobody", "", "", ""],
        ["t-plan", "", "R/A", "I"],
        ["t-relocate", "I", "R/A", "C"],
        ["t-train", "", "A", "R"],
    ]


@pytest.mark.parametrize(
    ("activity", "actor"),
    [("t-relocate", "a-dinas"), ("t-credit", "a-bank"), ("t-plan", "a-dinas")],
    ids=["A/R", "R,A", "AR"],
)
def test_joined_cells_print_as_R_slash_A(kg: Kg, activity: str, actor: str) -> None:
    header, *rows = csv_rows(kg("raci", "--format", "csv"))
    (row,) = [row for row in rows if row[0] == activity]
    assert row[header.index(actor)] == "R/A"


def test_activity_with_no_roles_is_an_empty_row(kg: Kg) -> None:
    rows = {row[0]: row[1:] for row in csv_rows(kg("raci", "--format", "csv"))}
    assert rows["t-nobody"] == ["", "", ""]


def test_actor_with_no_role_is_not_a_column(kg: Kg) -> None:
    assert "a-idle" not in csv_rows(kg("raci", "--format", "csv"))[0]


def test_markdown_chart_has_the_same_rows(kg: Kg) -> None:
    result = kg("raci", "--format", "markdown")
    assert (result.exit_code, result.stdout.splitlines()[:3]) == (0, [
        "| activity | Bank Jateng | Dinas Perindustrian | Koperasi Sentra |",
        "| --- | --- | --- | --- |",
        "| Credit for both sentra | R/A | C | I |",
    ])


# -- --sentra --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentra", "activities"),
    [("s-batik", ["t-credit", "t-train"]),
     ("s-logam", ["t-credit", "t-nobody", "t-relocate"])],
    ids=["batik", "logam"],
)
def test_sentra_option_keeps_only_activities_concerning_it(kg: Kg, sentra: str,
                                                           activities: list[str]) -> None:
    rows = csv_rows(kg("raci", "--sentra", sentra, "--format", "csv"))
    assert [row[0] for row in rows[1:]] == activities


def test_sentra_option_keeps_only_actors_with_a_role_there(kg: Kg) -> None:
    assert csv_rows(kg("raci", "--sentra", "s-batik", "--format", "csv")) == [
        ["activity", "a-bank", "a-dinas", "a-koperasi"],
        ["t-credit", "R/A", "C", "I"],
        ["t-train", "", "A", "R"],
    ]


# -- round trip ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reloaded(kg: Kg, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store loaded from the dataset's nodes plus the chart `kg raci --format csv` wrote."""
    dataset = tmp_path_factory.mktemp("round-trip")
    for name in ("actors.csv", "activities.csv", "sentra.csv"):
        shutil.copy(DATASET / name, dataset)
    exported = kg("raci", "--format", "csv")
    assert exported.exit_code == 0, exported.output
    (dataset / "raci.csv").write_text(exported.stdout, encoding="utf-8")
    store = tmp_path_factory.mktemp("round-trip-store") / "store"
    loaded = invoke(store, "load", str(dataset))
    assert loaded.exit_code == 0, loaded.output
    return store


def test_csv_chart_loaded_back_gives_the_same_role_relationships(kg: Kg,
                                                                 reloaded: Path) -> None:
    original = csv_rows(kg("cypher", ROLES, "--format", "csv"))
    assert len(original) == 1 + 13  # header, then 4 + 2 + 4 + 3 roles on four activities
    assert csv_rows(invoke(reloaded, "cypher", ROLES, "--format", "csv")) == original


def test_csv_chart_loaded_back_prints_the_same_chart(kg: Kg, reloaded: Path) -> None:
    assert invoke(reloaded, "raci").stdout == kg("raci").stdout



def test_unknown_sentra_is_an_error(kg: Kg) -> None:
    result = kg("raci", "--sentra", "no-such-sentra")
    assert result.exit_code == 2
    assert "no Sentra with the id or name 'no-such-sentra'" in result.stderr


# -- a chart too large for a matrix ------------------------------------------------------


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "Error: the chart would hold 5 activities by 3 actors (15 cells, more than 14); "
           "ask for one sentra's chart with --sentra"),
    ("id", "Kesalahan: bagan akan memuat 5 kegiatan kali 3 aktor (15 sel, lebih dari 14); "
           "mintalah bagan satu sentra dengan --sentra"),
])
def test_a_chart_larger_than_max_cells_is_refused_in_every_format(
    store: Path, monkeypatch: pytest.MonkeyPatch, lang: str, said: str
) -> None:
    # The national benchmark's chart (600,000 activities by 219,000 actors) grew past
    # 4.6 GiB without an answer; here the limit is made smaller than this chart.
    from kg import raci_chart

    shown = invoke(store, "raci", "--format", "csv")
    rows = list(csv.reader(io.StringIO(shown.stdout)))
    cells = (len(rows) - 1) * (len(rows[0]) - 1)
    assert cells == 15
    monkeypatch.setattr(raci_chart, "MAX_CELLS", cells - 1)
    for fmt in ("csv", "table", "markdown"):
        refused = invoke(store, "raci", "--format", fmt, "--lang", lang)
        assert refused.exit_code == 2
        assert refused.stderr.strip() == said
    monkeypatch.setattr(raci_chart, "MAX_CELLS", cells)
    assert invoke(store, "raci", "--format", "csv").stdout == shown.stdout

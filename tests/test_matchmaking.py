"""Matchmaking (Temu Bisnis) on a dataset where the right suggestions are obvious.

Sentra Kedelai grows soybeans that Sentra Tahu turns into tofu, sold at Pasar Johar.
Bank Jateng funds Sentra Tahu; the city funds Sentra Kedelai from APBD only; Balai
Pelatihan trains at Sentra Tahu. Sentra Sendiri sells its own product at the market
already and trades with nobody.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.matchmaking import MatchReport, Suggestion
from kg.output import render_report

from .conftest import DATA, Kg

EXPECTED = {
    ("s-tahu", "supplier", "s-kedelai"),
    ("s-kedelai", "buyer", "s-tahu"),
    ("s-kedelai", "market", "m-pasar"),
    ("s-kedelai", "trainer", "a-trainer"),
    ("s-kedelai", "funder", "a-bank"),
    ("s-kedelai", "financier", "a-bank"),
    ("s-alone", "funder", "a-bank"),
    ("s-alone", "funder", "a-pemkot"),
    ("s-alone", "trainer", "a-trainer"),
    ("s-tahu", "funder", "a-pemkot"),
}


@pytest.fixture(scope="module")
def suggestions(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    kg = Kg(tmp_path_factory.mktemp("match") / "store")
    assert kg("load", str(DATA / "match")).exit_code == 0
    result = kg("match", "--format", "json")
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.output)
    return found


def test_exactly_the_obvious_suggestions(suggestions: list[dict[str, object]]) -> None:
    assert {(s["sentra"], s["kind"], s["partner"]) for s in suggestions} == EXPECTED


def test_each_suggestion_carries_the_path_that_justifies_it(
    suggestions: list[dict[str, object]],
) -> None:
    (supplier,) = [s for s in suggestions if s["kind"] == "supplier"]
    assert supplier["path"] == [
        "Sentra Tahu",
        "-PRODUCES->",
        "Tahu",
        "<-SUPPLIES-",
        "Kedelai",
        "<-PRODUCES-",
        "Sentra Kedelai",
    ]
    (market,) = [s for s in suggestions if s["kind"] == "market"]
    assert market["path"][-1] == "Pasar Johar" and "Tahu" in market["path"]


def test_supply_partners_rank_above_funders(suggestions: list[dict[str, object]]) -> None:
    kedelai = [s["kind"] for s in suggestions if s["sentra"] == "s-kedelai"]
    assert kedelai[0] == "buyer"
    assert kedelai.index("market") < kedelai.index("funder")


def test_an_existing_tie_is_not_suggested(suggestions: list[dict[str, object]]) -> None:
    assert ("s-tahu", "funder", "a-bank") not in {
        (s["sentra"], s["kind"], s["partner"]) for s in suggestions
    }
    assert not [s for s in suggestions if s["sentra"] == "s-alone" and s["kind"] == "market"]


def test_one_sentra_only(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(DATA / "match")).exit_code == 0
    result = kg("match", "--sentra", "s-tahu", "--format", "csv")
    assert {line.split(",")[0] for line in result.output.splitlines()[1:]} == {"s-tahu"}


def test_text_formats_write_the_path_as_words_and_json_as_a_list() -> None:
    path = ["Sentra Tahu", "-PRODUCES->", "Tahu"]
    report = MatchReport([Suggestion("s-tahu", "Sentra Tahu", "buyer", "s-kedelai",
                                     "Sentra Kedelai", 3, "uses its product", path)])
    assert render_report(report, "csv").splitlines()[1].endswith(
        ",Sentra Tahu -PRODUCES-> Tahu"
    )
    assert json.loads(render_report(report, "json"))[0]["path"] == path

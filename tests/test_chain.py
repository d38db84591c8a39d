"""Supply chains, `kg chain`, on tests/data/audit/supply_chain/.

The dataset, drawn as SUPPLIES links (recycling closes a cycle)::

    Iron ore ---->+                  +--> Machine parts   sold in Export, Pasar Johar
                  +--> Steel plate --+
    Scrap metal ->+                  +--> Hand tools      sold in Pasar Johar
         ^                                    |
         +------------- recycled -------------+

    Wood: linked to nothing.

Sentra Forge (Tugu, Zone One) makes steel plate and hand tools; Sentra Bengkel (Genuk,
in no zone) makes machine parts and hand tools.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli

DATASET = Path(__file__).parent / "data" / "audit" / "supply_chain"

Kg = Callable[..., Result]


@pytest.fixture(scope="module")
def kg(tmp_path_factory: pytest.TempPathFactory) -> Kg:
    """`kg(*args)` runs `kg --store S *args` on a store loaded once with the dataset."""
    store = tmp_path_factory.mktemp("chain") / "store"
    loaded = CliRunner().invoke(cli, ["--store", str(store), "load", str(DATASET)])
    assert loaded.exit_code == 0, loaded.output
    results: dict[tuple[str, ...], Result] = {}

    def run(*args: str) -> Result:
        if args not in results:
            results[args] = CliRunner().invoke(cli, ["--store", str(store), *args])
        return results[args]

    return run


def chain_json(kg: Kg, *args: str) -> dict[str, Any]:
    result = kg("chain", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def paths(kg: Kg, *args: str) -> list[list[str]]:
    found: list[list[str]] = chain_json(kg, *args)["paths"]
    return found


# -- paths -----------------------------------------------------------------------------


def test_downstream_from_a_raw_material_reaches_every_product(kg: Kg) -> None:
    assert paths(kg, "c-ore") == [
        ["c-ore", "c-plate", "c-parts"],
        ["c-ore", "c-plate", "c-tools", "c-scrap"],
    ]


def test_downstream_is_the_default_direction(kg: Kg) -> None:
    assert paths(kg, "c-ore", "--down") == paths(kg, "c-ore")


def test_a_branch_gives_one_path_per_branch(kg: Kg) -> None:
    assert paths(kg, "c-plate") == [
        ["c-plate", "c-parts"],
        ["c-plate", "c-tools", "c-scrap"],
    ]


def test_upstream_lists_the_inputs_back_to_raw_materials(kg: Kg) -> None:
    assert paths(kg, "c-tools", "--up") == [
        ["c-tools", "c-plate", "c-ore"],
        ["c-tools", "c-plate", "c-scrap"],
    ]


def test_raw_material_with_nothing_upstream_is_a_path_of_its_own(kg: Kg) -> None:
    assert paths(kg, "c-ore", "--up") == [["c-ore"]]


def test_commodity_with_no_links_is_a_path_of_its_own(kg: Kg) -> None:
    assert paths(kg, "c-wood") == [["c-wood"]]


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        ("0", [["c-ore"]]),
        ("1", [["c-ore", "c-plate"]]),
        ("2", [["c-ore", "c-plate", "c-parts"], ["c-ore", "c-plate", "c-tools"]]),
        ("3", [["c-ore", "c-plate", "c-parts"], ["c-ore", "c-plate", "c-tools", "c-scrap"]]),
    ],
    ids=["depth-0", "depth-1", "depth-2", "depth-3"],
)
def test_max_depth_cuts_paths_after_that_many_steps(kg: Kg, depth: str,
                                                    expected: list[list[str]]) -> None:
    assert paths(kg, "c-ore", "--max-depth", depth) == expected


# -- cycles ----------------------------------------------------------------------------


def test_a_cycle_ends_the_path_before_the_commodity_repeats(kg: Kg) -> None:
    # tools -> scrap -> plate would go on to tools again; it stops and takes the branch.
    assert paths(kg, "c-tools") == [["c-tools", "c-scrap", "c-plate", "c-parts"]]


@pytest.mark.parametrize(
    "args",
    [(start, *direction, "--max-depth", "100")
     for start in ("c-scrap", "c-plate", "c-tools")
     for direction in ((), ("--up",))],
    ids=[f"{start}-{direction}" for start in ("scrap", "plate", "tools")
         for direction in ("down", "up")],
)
def test_no_path_repeats_a_commodity_in_a_cycle(kg: Kg, args: tuple[str, ...]) -> None:
    found = paths(kg, *args)
    assert found
    assert all(len(set(path)) == len(path) for path in found)


@pytest.mark.parametrize("direction", [(), ("--up",)], ids=["down", "up"])
def test_no_path_is_listed_twice_in_a_cycle(kg: Kg, direction: tuple[str, ...]) -> None:
    found = paths(kg, "c-plate", *direction, "--max-depth", "100")
    assert len({tuple(path) for path in found}) == len(found)


# -- errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("commodity", "message"),
    [("c-nope", "no Commodity with the id or name 'c-nope'"),
     ("s-forge", "'s-forge' is a Sentra, not a Commodity")],
    ids=["unknown-id", "sentra-id"],
)
def test_unknown_commodity_exits_2_naming_it(kg: Kg, commodity: str, message: str) -> None:
    result = kg("chain", commodity)
    assert (result.exit_code, result.stdout) == (2, "")
    assert message in result.stderr


def test_up_and_down_together_exit_2(kg: Kg) -> None:
    assert kg("chain", "c-ore", "--up", "--down").exit_code == 2


def test_negative_max_depth_exits_2(kg: Kg) -> None:
    assert kg("chain", "c-ore", "--max-depth", "-1").exit_code == 2


# -- output ----------------------------------------------------------------------------


def test_json_has_start_direction_paths_truncated_and_steps(kg: Kg) -> None:
    document = chain_json(kg, "c-ore")
    assert (sorted(document), document["start"], document["direction"],
            document["truncated"]) == (
        ["direction", "paths", "start", "steps", "truncated"], "c-ore", "downstream", False,
    )


def test_json_direction_is_upstream_with_up(kg: Kg) -> None:
    assert chain_json(kg, "c-tools", "--up")["direction"] == "upstream"


def test_json_steps_describe_every_commodity_on_the_paths(kg: Kg) -> None:
    document = chain_json(kg, "c-ore")
    assert sorted(document["steps"]) == sorted({c for p in document["paths"] for c in p})


def test_json_step_names_producers_with_their_zone_and_markets(kg: Kg) -> None:
    assert chain_json(kg, "c-ore")["steps"]["c-tools"] == {
        "id": "c-tools",
        "name": "Hand tools",
        "stage": "product",
        "producers": ["Sentra Bengkel (no zone)", "Sentra Forge (Zone One)"],
        "markets": ["Pasar Johar"],
    }


def test_table_starts_with_the_paths_by_name(kg: Kg) -> None:
    result = kg("chain", "c-ore")
    assert result.stdout.splitlines()[:3] == [
        "1. Iron ore -> Steel plate -> Machine parts",
        "2. Iron ore -> Steel plate -> Hand tools -> Scrap metal",
        "",
    ]


def test_table_upstream_points_the_arrows_back(kg: Kg) -> None:
    result = kg("chain", "c-tools", "--up")
    assert result.stdout.splitlines()[0] == "1. Hand tools <- Steel plate <- Iron ore"


def test_csv_is_one_row_per_step_of_every_path(kg: Kg) -> None:
    result = kg("chain", "c-plate", "--format", "csv")
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["path", "step", "commodity", "name", "stage", "producers", "markets"],
        ["1", "1", "c-plate", "Steel plate", "intermediate", "Sentra Forge (Zone One)", ""],
        ["1", "2", "c-parts", "Machine parts", "product", "Sentra Bengkel (no zone)",
         "Export|Pasar Johar"],
        ["2", "1", "c-plate", "Steel plate", "intermediate", "Sentra Forge (Zone One)", ""],
        ["2", "2", "c-tools", "Hand tools", "product",
         "Sentra Bengkel (no zone)|Sentra Forge (Zone One)", "Pasar Johar"],
        ["2", "3", "c-scrap", "Scrap metal", "raw", "", ""],
    ]


def test_markdown_format_works(kg: Kg) -> None:
    result = kg("chain", "c-wood", "--format", "markdown")
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (
        0, "| 1 | 1 | c-wood | Wood | raw material |  |  |",  # stages in words, as people read
    )


def test_markdown_is_the_table_without_the_paths_by_name(kg: Kg) -> None:
    result = kg("chain", "c-plate", "--format", "markdown")
    assert result.stdout.splitlines()[:2] == [
        "| path | step | commodity | name | stage | producers | markets |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]

"""The command line: help everywhere, counts after a load, clean failures with exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import cli

from .conftest import TINY, Kg

COMMANDS = sorted(cli.commands)


def test_version_is_printed() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("sentra-kg, version ")


@pytest.mark.parametrize("name", COMMANDS, ids=COMMANDS)
def test_every_command_has_help(name: str) -> None:
    command = cli.commands[name]
    assert command.help and len(command.help.strip()) > 20
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output


def stats(kg: Kg) -> dict[str, int]:
    result = kg("stats", "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["name"]: row["count"] for row in json.loads(result.output)}


def test_load_then_stats_reports_the_right_counts(kg: Kg) -> None:
    result = kg("load", str(TINY))
    assert result.exit_code == 0, result.output
    assert "14 nodes, 12 relationships" in result.output
    assert stats(kg) == {
        "Activity": 2,
        "Actor": 3,
        "Commodity": 2,
        "Kecamatan": 3,
        "Sentra": 1,
        "Source": 1,
        "Zone": 2,
        "ACCOUNTABLE_FOR": 1,
        "CONCERNS": 2,
        "CONSULTED_ON": 1,
        "FUNDS": 1,
        "IN_ZONE": 2,
        "LOCATED_IN": 1,
        "PRODUCES": 1,
        "RESPONSIBLE_FOR": 2,
        "SUPPLIES": 1,
    }


def test_loading_twice_merges_by_id(tiny_kg: Kg) -> None:
    before = stats(tiny_kg)
    assert tiny_kg("load", str(TINY)).exit_code == 0
    assert stats(tiny_kg) == before


def test_replace_empties_the_store_first(tiny_kg: Kg, tmp_path: Path) -> None:
    other = tmp_path / "zones-only"
    other.mkdir()
    (other / "zones.csv").write_text("id,name\nz-9,Wilayah Sembilan\n")
    assert tiny_kg("load", "--replace", str(other)).exit_code == 0
    assert stats(tiny_kg) == {"Zone": 1}


def test_broken_dataset_exits_2_lists_every_problem_and_changes_nothing(
    tiny_kg: Kg, tmp_path: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(TINY, broken)
    (broken / "actors.csv").write_text("id,name,kind\na-new,Baru,alien\nb new,Dua,business\n")
    before = stats(tiny_kg)
    result = tiny_kg("load", str(broken))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "actors.csv:2: kind: Input should be" in result.stderr
    assert "actors.csv:3: id: an id is" in result.stderr
    assert "nothing was written" in result.stderr
    assert stats(tiny_kg) == before


def test_missing_path_is_a_clear_error(kg: Kg) -> None:
    result = kg("load", "no/such/dir")
    assert result.exit_code == 2
    assert "no/such/dir: no such file or directory" in result.stderr


def test_load_without_path_loads_the_bundled_semarang_dataset(kg: Kg) -> None:
    result = kg("load")
    assert result.exit_code == 0, result.output
    assert "Loaded semarang" in result.output
    assert stats(kg)["Kecamatan"] == 16


def schema_rows() -> dict[str, dict[str, str]]:
    result = CliRunner().invoke(cli, ["schema", "--format", "json"])
    assert result.exit_code == 0, result.output
    return {r["name"]: r for r in json.loads(result.output)}


def test_schema_lists_labels_and_triples() -> None:
    rows = schema_rows()
    assert rows["Sentra"] == {
        "kind": "node",
        "name": "Sentra",
        "pattern": "",
        "properties": "id (text), name (text), sources (list of ids), status (text), "
        "kiosksTotal (integer), kiosksOccupied (integer)",
    }
    assert rows["FUNDS"]["pattern"] == "(Actor)-[:FUNDS]->(Sentra)"


def test_schema_lists_funds_properties_with_their_types() -> None:
    assert schema_rows()["FUNDS"]["properties"] == (
        "key (text, the grant's key), sourceType (text), amountIdr (integer, rupiah), "
        "year (integer), sources (list of ids)"
    )


@pytest.mark.parametrize(
    ("name", "properties"),
    [
        ("RESPONSIBLE_FOR", "sources (list of ids)"),
        ("SUPPLIES", "sources (list of ids)"),
        ("Regulation", "id (text), name (text), sources (list of ids), hasSanction (boolean)"),
    ],
    ids=["raci-role", "link", "boolean"],
)
def test_schema_types_roles_links_and_node_properties(name: str, properties: str) -> None:
    assert schema_rows()[name]["properties"] == properties


def test_schema_shows_dates_as_text() -> None:
    assert "due (date as text)" in schema_rows()["Activity"]["properties"]


def test_schema_table_has_a_pattern_and_properties_column() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    header = result.output.splitlines()[0].split()
    assert header == ["kind", "name", "pattern", "properties"]
    assert "FUNDS            (Actor)-[:FUNDS]->(Sentra)" in result.output


def queries_listed(*options: str) -> dict[str, dict[str, str]]:
    result = CliRunner().invoke(cli, ["queries", *options, "--format", "json"])
    assert result.exit_code == 0, result.output
    return {r["name"]: r for r in json.loads(result.output)}


def test_queries_lists_checks_and_parameters() -> None:
    rows = queries_listed()
    assert rows["sentra_low_occupancy"]["check"] == "sentra.low_occupancy"
    assert rows["sentra_low_occupancy"]["params"] == "occupancy_below: float = 0.7"


def test_queries_lists_the_analysts_queries_only() -> None:
    rows = queries_listed()
    assert {"sentra_actors", "zone_sentra", "node_neighbours", "actor_path"} <= set(rows)
    assert not {"node_index", "any_node", "graph_nodes", "raci_chart", "match_markets"} & set(rows)
    assert list(rows["sentra_actors"]) == ["name", "check", "description", "params"]


def test_queries_all_adds_the_internal_ones_with_what_uses_them() -> None:
    rows = queries_listed("--all")
    assert rows["node_index"]["internal"] == "used by kg/resolve.py (names)"
    assert rows["match_markets"]["internal"] == "used by kg/matchmaking.py (kg match)"
    assert rows["sentra_actors"]["internal"] == ""


def test_query_runs_an_internal_query_too(tiny_kg: Kg) -> None:
    result = tiny_kg("query", "any_node", "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 1


def test_query_runs_a_named_query_with_parameters(tiny_kg: Kg) -> None:
    result = tiny_kg(
        "query", "sentra_low_occupancy", "-p", "occupancy_below=0.5", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []
    result = tiny_kg("query", "sentra_low_occupancy", "--format", "csv")
    assert result.output.splitlines()[1].startswith("s-logam,Sentra Logam,,,44,74,0.5946")


@pytest.mark.parametrize(
    "args, message",
    [
        (["query", "nope"], "no query named 'nope'"),
        (["query", "sentra_low_occupancy", "-p", "limit=3"], "has no parameter limit"),
        (["query", "sentra_low_occupancy", "-p", "occupancy_below=lots"], "expected float"),
        (["query", "commodity_context"], "needs -p ids="),
    ],
    ids=["unknown-query", "unknown-param", "bad-type", "missing-param"],
)
def test_query_mistakes_exit_2(tiny_kg: Kg, args: list[str], message: str) -> None:
    result = tiny_kg(*args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_cypher_reads_with_parameters(tiny_kg: Kg) -> None:
    result = tiny_kg(
        "cypher",
        "MATCH (a:Actor {id: $id}) RETURN a.name AS name",
        "-p",
        "id=a-lppsp",
        "--format",
        "csv",
    )
    assert result.output.splitlines() == ["name", "LPPSP"]


def test_cypher_typed_parameter(tiny_kg: Kg) -> None:
    result = tiny_kg(
        "cypher",
        "MATCH (a:Actor) WHERE a.id IN $ids RETURN count(a) AS n",
        "-p",
        'ids:=["a-lppsp", "a-idle"]',
        "--format",
        "csv",
    )
    assert result.output.splitlines() == ["n", "2"]


def test_cypher_refuses_writes_without_write_flag(tiny_kg: Kg) -> None:
    before = stats(tiny_kg)
    result = tiny_kg("cypher", "CREATE (:Actor {id: 'x', name: 'X', kind: 'business'})")
    assert result.exit_code == 2
    assert "rerun with --write" in result.stderr
    assert stats(tiny_kg) == before


def test_cypher_writes_with_write_flag(tiny_kg: Kg) -> None:
    result = tiny_kg(
        "cypher", "--write", "MATCH (a:Actor {id: $id}) SET a.level = 'city'", "-p", "id=a-lppsp"
    )
    assert result.exit_code == 0, result.output
    check = tiny_kg(
        "cypher", "MATCH (a:Actor {id: 'a-lppsp'}) RETURN a.level AS level", "--format", "csv"
    )
    assert check.output.splitlines() == ["level", "city"]


def test_cypher_syntax_error_is_a_clear_error(tiny_kg: Kg) -> None:
    result = tiny_kg("cypher", "MATCH (a RETURN a")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the engine rejected the query")


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_stats_formats(tiny_kg: Kg, fmt: str) -> None:
    result = tiny_kg("stats", "--format", fmt)
    assert result.exit_code == 0
    assert "Sentra" in result.output


def test_store_from_environment(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"KG_STORE": str(tmp_path / "env-store")}
    assert runner.invoke(cli, ["load", str(TINY)], env=env).exit_code == 0
    assert (tmp_path / "env-store" / "graph.rdb").exists()


def test_python_dash_m_kg_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "kg load && kg audit" in done.stdout


def test_match_for_an_unknown_sentra_is_an_error(tiny_kg: Kg) -> None:
    result = tiny_kg("match", "--sentra", "a-lppsp")
    assert result.exit_code == 2
    assert "'a-lppsp' is an Actor, not a Sentra" in result.stderr


@pytest.mark.parametrize(
    "args, first_row",
    [
        (["sentra_actors", "-p", "sentra=s-logam"],
         "a-disperin,Dinas Perindustrian,government,ACCOUNTABLE_FOR,t-relocate,Relokasi"),
        (["node_neighbours", "-p", "id=s-logam"], "CONCERNS,in,Activity,t-relocate,Relokasi"),
        (["actor_path", "-p", "source=a-disperin", "-p", "target=a-lppsp"],
         "2,Dinas Perindustrian|Relokasi|LPPSP,RESPONSIBLE_FOR|CONSULTED_ON,a-disperin|a-lppsp"),
        (["zone_sentra"], "zone-1,Wilayah Satu,Semarang Tengah,,,,"),
    ],
    ids=["sentra-actors", "node-neighbours", "actor-path", "zone-sentra"],
)
def test_analyst_queries(tiny_kg: Kg, args: list[str], first_row: str) -> None:
    result = tiny_kg("query", *args, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == first_row


def test_reading_a_store_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "typo"), "stats"])
    assert result.exit_code == 2
    assert "no store at" in result.stderr and "kg load" in result.stderr
    assert not (tmp_path / "typo").exists()


def test_redacted_uri_hides_a_password_containing_at() -> None:
    from kg.store import StoreConfig, redact

    assert redact("neo4j://user:p@ss@host:7687/db") == "neo4j://host:7687/db"
    assert "p@ss" not in repr(StoreConfig(uri="neo4j://user:p@ss@host", password="p@ss"))


def test_dataset_too_large_for_memory_is_refused_before_reading(
    tiny_kg: Kg, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.loaders import loading

    before = stats(tiny_kg)
    monkeypatch.setattr(loading, "available_memory", lambda: 100 * 2**20)
    result = tiny_kg("load", str(TINY))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "too large to load here" in result.stderr and "GiB of memory" in result.stderr
    assert "GiB is available" in result.stderr
    assert "problem" not in result.stderr
    assert stats(tiny_kg) == before
    monkeypatch.setenv("KG_MEMORY_CHECK", "off")
    assert tiny_kg("load", str(TINY)).exit_code == 0


def test_a_reload_asks_for_more_memory_than_a_first_load(
    tiny_kg: Kg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A reload holds the store's content, the dataset and the plan at once (x10: 7.3 GiB
    # against 5.4-5.6 GiB for a first load of the same dataset).
    from kg.loaders import loading

    size = loading.dataset_bytes(TINY)
    between = loading.MEMORY_BASE + (loading.MEMORY_PER_CSV_BYTE + 2) * size
    assert between < loading.MEMORY_BASE + loading.MEMORY_PER_CSV_BYTE_RELOAD * size
    monkeypatch.setattr(loading, "available_memory", lambda: between)
    refused = tiny_kg("load", str(TINY))
    assert refused.exit_code == 2 and "too large to load here" in refused.stderr
    assert Kg(tmp_path / "fresh")("load", str(TINY)).exit_code == 0
    assert tiny_kg("load", "--replace", str(TINY)).exit_code == 0

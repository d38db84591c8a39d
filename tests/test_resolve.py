"""Names wherever an id is asked: exact id, exact name, a unique part of a name; else hints.

tests/data/names holds three sentra (Kampung Batik Malon s-malon, Kampung Batik Meteseh
s-meteseh, Sentra Logam s-logam), two actors both named 'Dinas Koperasi' (a-1, a-2) and
LPPSP (a-3), the commodities Kain mori (c-kain) -> Batik tulis (c-batik), one zone
'Wilayah Satu' (z-1), and one activity on s-malon where a-1 is A and a-3 is R.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg import queries
from kg.chain import supply_chain
from kg.cli import cli
from kg.errors import QueryError
from kg.raci_chart import raci_chart
from kg.resolve import resolve, resolve_in, resolve_params
from kg.schema.model import Label
from kg.store import Store, StoreConfig, open_store

NAMES = Path(__file__).parent / "data" / "names"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("names") / "store"
    result = CliRunner().invoke(cli, ["--store", str(path), "load", str(NAMES)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    with open_store(StoreConfig(path=store_path)) as opened:
        yield opened


def kg(store_path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", str(store_path), *args], catch_exceptions=False)


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("s-meteseh", "s-meteseh"),
        ("Kampung Batik Malon", "s-malon"),
        ("  kampung   BATIK malon ", "s-malon"),
        ("meteseh", "s-meteseh"),
        ("logam", "s-logam"),
    ],
    ids=["exact-id", "exact-name", "name-any-case-and-spacing", "part-of-name", "other-part"],
)
def test_a_sentra_is_found_by_id_name_or_unique_part(
    store: Store, reference: str, expected: str
) -> None:
    assert resolve(store, reference, Label.SENTRA) == expected


def test_a_part_shared_by_several_names_lists_them_with_their_ids(store: Store) -> None:
    with pytest.raises(QueryError) as error:
        resolve(store, "batik", Label.SENTRA)
    assert str(error.value) == (
        "'batik' matches 2 Sentra nodes; did you mean 'Kampung Batik Malon' (s-malon) or "
        "'Kampung Batik Meteseh' (s-meteseh)? Give the id or more of the name"
    )


def test_a_name_two_nodes_share_lists_both_ids(store: Store) -> None:
    with pytest.raises(
        QueryError, match=r"matches 2 Actor nodes; did you mean 'Dinas Koperasi' \(a-1, a-2\)\?"
    ):
        resolve(store, "dinas koperasi", Label.ACTOR)


def test_an_unknown_name_suggests_the_closest_names(store: Store) -> None:
    with pytest.raises(QueryError) as error:
        resolve(store, "Kampung Batk Malon", Label.SENTRA)
    assert str(error.value).startswith(
        "no Sentra with the id or name 'Kampung Batk Malon'; did you mean "
        "'Kampung Batik Malon' (s-malon)"
    )


def test_nothing_close_is_said_plainly(store: Store) -> None:
    with pytest.raises(QueryError) as error:
        resolve(store, "xyzzy", Label.SENTRA)
    assert str(error.value) == "no Sentra with the id or name 'xyzzy'"


def test_an_id_of_another_label_says_what_it_is(store: Store) -> None:
    with pytest.raises(QueryError, match=r"^'a-3' is an Actor, not a Sentra$"):
        resolve(store, "a-3", Label.SENTRA)


def test_names_of_other_labels_are_not_candidates() -> None:
    nodes = [("a-1", "Actor", "Batik Society"), ("s-1", "Sentra", "Kampung Batik")]
    assert resolve_in(nodes, "batik", Label.SENTRA) == "s-1"


def test_any_label_when_none_is_asked() -> None:
    nodes = [("a-1", "Actor", "LPPSP"), ("s-1", "Sentra", "Kampung Batik")]
    assert resolve_in(nodes, "lppsp", None) == "a-1"


def test_query_parameters_typed_by_a_label_are_resolved(store: Store) -> None:
    query = queries.get("actor_path")
    assert [(p.name, p.type, p.node) for p in query.params] == [
        ("source", "str", Label.ACTOR),
        ("target", "str", Label.ACTOR),
    ]
    assert resolve_params(store, query, {"source": "a-1", "target": "lppsp"}) == {
        "source": "a-1",
        "target": "a-3",
    }


def test_a_header_typed_by_an_unknown_label_is_refused() -> None:
    text = "// name: q\n// description: d\n// param: x: Sentr -- x\n// columns: a\nRETURN $x AS a\n"
    with pytest.raises(QueryError, match=r"q\.cypher: param x: unknown type 'Sentr'"):
        queries.parse("q", text)


def test_the_python_api_takes_names(store: Store) -> None:
    assert raci_chart(store, "malon").actors == [("a-1", "Dinas Koperasi"), ("a-3", "LPPSP")]
    assert supply_chain(store, "kain mori").paths == [["c-kain", "c-batik"]]


def test_kg_raci_takes_a_sentra_name(store_path: Path) -> None:
    result = kg(store_path, "raci", "--sentra", "Batik Malon", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output == "activity,a-1,a-3\nt-1,A,R\n"


def test_kg_raci_lists_candidates_on_an_ambiguous_name(store_path: Path) -> None:
    result = kg(store_path, "raci", "--sentra", "batik")
    assert result.exit_code == 2
    assert "did you mean 'Kampung Batik Malon' (s-malon) or 'Kampung Batik Meteseh'" in (
        result.output
    )


def test_kg_chain_takes_a_commodity_name(store_path: Path) -> None:
    result = kg(store_path, "chain", "kain", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["paths"] == [["c-kain", "c-batik"]]


def test_kg_chain_hints_on_a_misspelt_commodity(store_path: Path) -> None:
    result = kg(store_path, "chain", "batk tulis")
    assert result.exit_code == 2
    assert (
        "no Commodity with the id or name 'batk tulis'; did you mean 'Batik tulis' (c-batik)?"
        in (result.output)
    )


def test_kg_query_resolves_parameters_declared_as_nodes(store_path: Path) -> None:
    result = kg(store_path, "query", "sentra_actors", "-p", "sentra=malon", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert [line.split(",")[0] for line in result.output.splitlines()] == ["actor", "a-1", "a-3"]


def test_a_parameter_typed_node_takes_a_name_of_any_label(store_path: Path) -> None:
    result = kg(store_path, "query", "node_neighbours", "-p", "id=lppsp", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "RESPONSIBLE_FOR,out,Activity,t-1,Pelatihan pemasaran"


def test_kg_match_takes_a_sentra_name(store_path: Path) -> None:
    by_name = kg(store_path, "match", "--sentra", "Sentra Logam", "--format", "json")
    by_id = kg(store_path, "match", "--sentra", "s-logam", "--format", "json")
    assert by_name.exit_code == 0, by_name.output
    assert by_name.output == by_id.output


@pytest.mark.parametrize(
    ("option", "name", "node_id"),
    [("--around", "lppsp", "a-3"), ("--zone", "satu", "z-1"), ("--sentra", "meteseh", "s-meteseh")],
    ids=["around-any-node", "zone", "sentra"],
)
def test_kg_viz_takes_names(
    store_path: Path, tmp_path: Path, option: str, name: str, node_id: str
) -> None:
    by_name = kg(store_path, "viz", option, name, "-o", str(tmp_path / "a.html"))
    by_id = kg(store_path, "viz", option, node_id, "-o", str(tmp_path / "b.html"))
    assert by_name.exit_code == 0, by_name.output
    assert by_name.output.split(":", 1)[1] == by_id.output.split(":", 1)[1]

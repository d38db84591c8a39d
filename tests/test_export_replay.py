"""The Cypher export, replayed statement by statement on a fresh engine, gives back the store.

The script is run with a plain client (``store.execute`` on a new embedded FalkorDB), not
through ``kg load``, as a user runs it in cypher-shell. The dataset holds two grants from one
funder to one sentra in one year, which only their ``key`` tells apart. Its text is ASCII:
FalkorDB leaves the script's ``\\uXXXX`` escapes undecoded, where Neo4j decodes them.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.export.interchange import to_cypher_script
from kg.graph import to_networkx
from kg.store import StoreConfig, open_store
from kg.store.embedded import EmbeddedStore

from .conftest import DATA, Kg
from .helpers import edge_map, split_statements

GRANTS = DATA / "grants"


def stored_graph(tmp_path: Path) -> nx.MultiDiGraph:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(GRANTS)).exit_code == 0
    with open_store(StoreConfig(path=kg.store)) as store:
        return to_networkx(store)


def replayed(script: str, store_path: Path, times: int = 1) -> nx.MultiDiGraph:
    with EmbeddedStore(StoreConfig(path=store_path), write=True) as store:
        for _ in range(times):
            for statement in split_statements(script):
                if statement.startswith("CREATE CONSTRAINT"):
                    continue  # Neo4j-only DDL, which FalkorDB does not parse
                store.execute(statement)
        return to_networkx(store)


def funds(graph: nx.MultiDiGraph) -> list[tuple[str, str, str, str]]:
    return sorted(
        (u, v, key, data["key"])
        for u, v, key, data in graph.edges(keys=True, data=True)
        if data["type"] == "FUNDS"
    )


def test_replayed_script_recreates_the_store(tmp_path: Path) -> None:
    original = stored_graph(tmp_path)
    back = replayed(to_cypher_script(original), tmp_path / "replay")
    assert dict(back.nodes(data=True)) == dict(original.nodes(data=True))
    assert edge_map(back) == edge_map(original)


def test_replayed_script_keeps_both_grants_with_their_keys(tmp_path: Path) -> None:
    back = replayed(to_cypher_script(stored_graph(tmp_path)), tmp_path / "replay")
    assert funds(back) == [
        ("a-dinkop", "s-bandeng", "FUNDS APBD:2023:150000000", "APBD:2023:150000000"),
        ("a-dinkop", "s-bandeng", "FUNDS APBN:2023:250000000", "APBN:2023:250000000"),
    ]
    amounts = sorted(data["amountIdr"] for _, _, data in back.edges(data=True))
    assert amounts == [150_000_000, 250_000_000]


def test_replaying_the_script_twice_changes_nothing(tmp_path: Path) -> None:
    original = stored_graph(tmp_path)
    back = replayed(to_cypher_script(original), tmp_path / "replay", times=2)
    assert edge_map(back) == edge_map(original)

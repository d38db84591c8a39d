"""kg export: CSV export then load reproduces the graph exactly; other formats open."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from kg.graph import to_networkx
from kg.store import StoreConfig, open_store

from .conftest import DATA, TINY, Kg

DATASETS = {"tiny": TINY, "semarang": None, "match": DATA / "match"}


def graph_of(store: Path) -> nx.MultiDiGraph:
    with open_store(StoreConfig(path=store)) as opened:
        return to_networkx(opened)


def edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, str, list[tuple[str, object]]]]:
    return sorted((u, v, d["type"], sorted(d.items())) for u, v, d in graph.edges(data=True))


@pytest.mark.parametrize("name", DATASETS, ids=list(DATASETS))
def test_csv_export_then_load_reproduces_the_graph(tmp_path: Path, name: str) -> None:
    first = Kg(tmp_path / "first")
    source = DATASETS[name]
    assert first("load", *([str(source)] if source else [])).exit_code == 0
    assert first("export", "--format", "csv", "-o", str(tmp_path / "out")).exit_code == 0
    second = Kg(tmp_path / "second")
    assert second("load", str(tmp_path / "out")).exit_code == 0
    a, b = graph_of(first.store), graph_of(second.store)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert edges(a) == edges(b)
    assert first("audit", "--format", "json").output == second("audit", "--format", "json").output


def test_second_export_is_byte_identical(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load").exit_code == 0
    assert kg("export", "--format", "csv", "-o", str(tmp_path / "a")).exit_code == 0
    again = Kg(tmp_path / "again")
    assert again("load", str(tmp_path / "a")).exit_code == 0
    assert again("export", "--format", "csv", "-o", str(tmp_path / "b")).exit_code == 0
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_formula_like_text_is_guarded_in_csv_and_restored_on_load(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(TINY)).exit_code == 0
    for node, name in [
        ("a-lppsp", '=HYPERLINK("http://x")'),
        ("a-idle", "+62 24 123"),
        ("a-disperin", "@dinas"),
    ]:
        done = kg(
            "cypher",
            "--write",
            "MATCH (a:Actor {id: $id}) SET a.name = $name",
            "-p",
            f"id={node}",
            "-p",
            f"name={name}",
        )
        assert done.exit_code == 0, done.output
    assert kg("export", "--format", "csv", "-o", str(tmp_path / "out")).exit_code == 0
    text = (tmp_path / "out" / "actors.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'+62 24 123" in text and "'@dinas" in text
    back = Kg(tmp_path / "back")
    assert back("load", str(tmp_path / "out")).exit_code == 0
    assert graph_of(back.store).nodes["a-lppsp"]["name"] == '=HYPERLINK("http://x")'


def test_graphml_and_json_open_in_networkx(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load").exit_code == 0
    assert kg("export", "--format", "graphml", "-o", str(tmp_path / "g.graphml")).exit_code == 0
    assert kg("export", "--format", "json", "-o", str(tmp_path / "g.json")).exit_code == 0
    graphml = nx.read_graphml(tmp_path / "g.graphml")
    linked = nx.node_link_graph(json.loads((tmp_path / "g.json").read_text()), edges="edges")
    original = graph_of(kg.store)
    assert graphml.number_of_nodes() == linked.number_of_nodes() == original.number_of_nodes()
    assert graphml.number_of_edges() == linked.number_of_edges() == original.number_of_edges()
    assert graphml.nodes["sentra-logam-kiw"]["kiosksTotal"] == 74


def test_cypher_script_starts_with_constraints(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(TINY)).exit_code == 0
    assert kg("export", "--format", "cypher", "-o", str(tmp_path / "g.cypher")).exit_code == 0
    script = (tmp_path / "g.cypher").read_text()
    assert script.startswith("CREATE CONSTRAINT")
    assert "MERGE (n:Actor" in script or "MERGE (n:`Actor`" in script

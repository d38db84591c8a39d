"""kg export: CSV export then load reproduces the graph exactly; other formats open; a graph
a format cannot carry is refused with a one-line message."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from kg import export
from kg.graph import to_networkx
from kg.store import StoreConfig, open_store

from .conftest import DATA, TINY, Kg

GRANTS = DATA / "grants"  # one funder, one sentra, two grants in 2023 (APBD and APBN)
DATASETS = {"tiny": TINY, "semarang": None, "match": DATA / "match", "grants": GRANTS,
            "assessments": DATA / "assessments"}


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


def test_csv_export_then_load_keeps_two_grants_to_one_sentra(tmp_path: Path) -> None:
    first = Kg(tmp_path / "first")
    assert first("load", str(GRANTS)).exit_code == 0
    assert first("export", "--format", "csv", "-o", str(tmp_path / "out")).exit_code == 0
    second = Kg(tmp_path / "second")
    assert second("load", str(tmp_path / "out")).exit_code == 0
    funds = [
        (u, v, key, d["key"], d["amountIdr"])
        for u, v, key, d in graph_of(second.store).edges(keys=True, data=True)
    ]
    assert sorted(funds) == [
        ("a-dinkop", "s-bandeng", "FUNDS APBD:2023:150000000", "APBD:2023:150000000", 150_000_000),
        ("a-dinkop", "s-bandeng", "FUNDS APBN:2023:250000000", "APBN:2023:250000000", 250_000_000),
    ]


def test_csv_export_keeps_a_key_column_of_links(tmp_path: Path) -> None:
    # Only a grant's key is derived again on load; a link's `key` is the user's own column.
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    (dataset / "commodities.csv").write_text(
        "id,name,stage\nc-bandeng,Bandeng segar,raw\nc-presto,Bandeng presto,product\n",
        encoding="utf-8",
    )
    (dataset / "links.csv").write_text(
        "from,type,to,key\nc-bandeng,SUPPLIES,c-presto,resep-1\n", encoding="utf-8"
    )
    first = Kg(tmp_path / "first")
    assert first("load", str(dataset)).exit_code == 0
    assert first("export", "--format", "csv", "-o", str(tmp_path / "out")).exit_code == 0
    second = Kg(tmp_path / "second")
    assert second("load", str(tmp_path / "out")).exit_code == 0
    assert edges(graph_of(second.store)) == edges(graph_of(first.store))
    assert [d["key"] for _, _, d in graph_of(second.store).edges(data=True)] == ["resep-1"]


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


def test_graphml_and_json_hold_every_node_and_relationship(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load").exit_code == 0
    assert kg("export", "--format", "graphml", "-o", str(tmp_path / "g.graphml")).exit_code == 0
    assert kg("export", "--format", "json", "-o", str(tmp_path / "g.json")).exit_code == 0
    graphml = nx.read_graphml(tmp_path / "g.graphml")
    linked = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    original = graph_of(kg.store)
    assert graphml.number_of_nodes() == len(linked["nodes"]) == original.number_of_nodes()
    assert graphml.number_of_edges() == len(linked["edges"]) == original.number_of_edges()
    assert graphml.nodes["sentra-logam-kiw"]["kiosksTotal"] == 74


def test_graphml_and_json_keep_both_grants_with_their_keys(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(GRANTS)).exit_code == 0
    assert kg("export", "--format", "graphml", "-o", str(tmp_path / "g.graphml")).exit_code == 0
    assert kg("export", "--format", "json", "-o", str(tmp_path / "g.json")).exit_code == 0
    graphml = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    linked = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    expected = [("FUNDS", "APBD:2023:150000000"), ("FUNDS", "APBN:2023:250000000")]
    assert sorted((d["type"], d["key"]) for _, _, d in graphml.edges(data=True)) == expected
    assert sorted((edge["type"], edge["key"]) for edge in linked["edges"]) == expected


def test_cypher_script_merges_grants_on_their_key(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(GRANTS)).exit_code == 0
    assert kg("export", "--format", "cypher", "-o", str(tmp_path / "g.cypher")).exit_code == 0
    script = (tmp_path / "g.cypher").read_text(encoding="utf-8")
    assert "MERGE (a)-[r:FUNDS {key: row.key}]->(b)" in script
    assert "key: 'APBD:2023:150000000'" in script
    assert "key: 'APBN:2023:250000000'" in script
    assert "#" not in script


def test_export_prints_what_it_wrote(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(GRANTS)).exit_code == 0
    out = tmp_path / "g.graphml"
    assert kg("export", "--format", "graphml", "-o", str(out)).output == (
        f"Wrote 3 nodes and 2 relationships to {out}\n"
    )
    # actors.csv, sentra.csv, funding.csv and dataset.yaml (which holds the source)
    assert kg("export", "--format", "csv", "-o", str(tmp_path / "d")).output == (
        f"Wrote 4 files to {tmp_path / 'd'}/\n"
    )


def set_infinite_value(kg: Kg) -> None:
    # Cypher text, not a parameter: JSON parameters cannot carry infinity.
    done = kg("cypher", "--write", "MATCH (s:Sentra) SET s.occupancyGoal = 1.0 / 0")
    assert done.exit_code == 0, done.output


@pytest.mark.parametrize("fmt", ["cypher", "json"], ids=["cypher", "json"])
def test_value_the_format_cannot_carry_exits_2_with_one_line(tmp_path: Path, fmt: str) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(GRANTS)).exit_code == 0
    set_infinite_value(kg)
    result = kg("export", "--format", fmt, "-o", str(tmp_path / "g.out"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "inf" in result.stderr.lower() and "Traceback" not in result.output
    assert not (tmp_path / "g.out").exists()


def test_label_a_dataset_cannot_hold_exits_2_before_writing(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(GRANTS)).exit_code == 0
    assert kg("cypher", "--write", "CREATE (:Warung {id: 'w-1'})").exit_code == 0
    result = kg("export", "--format", "csv", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stderr == "Error: a dataset cannot hold node 'w-1', labelled 'Warung'\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("fmt", "output", "message"),
    [
        ("csv", "file.txt", "exists and is not a directory"),
        ("graphml", "missing/g.graphml", "No such file or directory"),
    ],
    ids=["csv-into-a-file", "missing-directory"],
)
def test_output_that_cannot_be_written_exits_2_with_one_line(
    tmp_path: Path, fmt: str, output: str, message: str
) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(GRANTS)).exit_code == 0
    (tmp_path / "file.txt").write_text("", encoding="utf-8")
    result = kg("export", "--format", fmt, "-o", str(tmp_path / output))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr


def test_running_out_of_memory_exits_2_with_one_line_about_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(GRANTS)).exit_code == 0

    def exhausted(*_args: object, **_options: object) -> None:
        raise MemoryError

    monkeypatch.setattr(export, "export_graph", exhausted)
    result = kg("export", "--format", "json", "-o", str(tmp_path / "g.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: out of memory: ")
    assert result.stderr.count("\n") == 1


def test_cypher_script_starts_with_constraints(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(TINY)).exit_code == 0
    assert kg("export", "--format", "cypher", "-o", str(tmp_path / "g.cypher")).exit_code == 0
    script = (tmp_path / "g.cypher").read_text()
    assert script.startswith("CREATE CONSTRAINT")
    assert "MERGE (n:Actor" in script or "MERGE (n:`Actor`" in script

"""Exports: GraphML read back by networkx, node-link JSON round trip, Cypher script escaping.

The Cypher script is checked by reading it back with a small reader written here, apart from
the exporter: it splits statements the way cypher-shell does, accepts only the statement
shapes the exporter should write, and decodes literals by Cypher's rules.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.errors import ExportError
from kg.export.interchange import to_cypher_script, to_graphml, to_node_link_json

from .helpers import edge_map, split_statements

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
BATIK = "Sentra Batik Kampung Malon \u2013 Gunungpati"


def kota() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    graph.add_node(
        "dinkop",
        label="Actor",
        name="Dinas Koperasi dan UMKM Kota Semarang",
        kind="government",
        sources=["src-perwal", "src-bps"],
    )
    graph.add_node(
        "s-batik",
        label="Sentra",
        name=BATIK,
        status="aktif",
        kiosksTotal=40,
        kiosksOccupied=25,
        areaHa=1.5,
    )
    graph.add_node("reg-1", label="Regulation", name="Perwal No. 12/2019", hasSanction=False)
    graph.add_node(
        "c-kopi", label="Commodity", name="Kopi Robusta Saé", nameEn="Robusta coffee", stage=None
    )
    graph.add_node("src-bps", label="Source", title="Kota Semarang dalam Angka 2023")
    # Two grants from one funder to one sentra, told apart by their key, as in the store.
    grants = [
        {"key": "APBD:2023", "sourceType": "APBD", "year": 2023, "amountIdr": 5_000_000_000},
        {"key": "APBN:2023", "sourceType": "APBN", "year": 2023},
    ]
    graph.add_edges_from(
        ("dinkop", "s-batik", f"FUNDS {grant['key']}", {"type": "FUNDS", **grant})
        for grant in grants
    )
    edges: list[tuple[str, str, str, dict[str, Any]]] = [
        ("dinkop", "s-batik", "MANAGES", {}),
        ("dinkop", "reg-1", "ENFORCES", {}),
        ("reg-1", "s-batik", "GOVERNS", {}),
        ("s-batik", "c-kopi", "PRODUCES", {"year": None}),
        ("dinkop", "src-bps", "CITES", {}),
    ]
    for u, v, relationship, props in edges:
        graph.add_edge(u, v, key=relationship, type=relationship, **props)
    return graph


def read_back(tmp_path: Path, graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    path = tmp_path / "kota.graphml"
    to_graphml(graph, path)
    back: nx.MultiDiGraph = nx.read_graphml(path, force_multigraph=True)
    return back


def test_graphml_keeps_labels_and_accented_names(tmp_path: Path) -> None:
    back = read_back(tmp_path, kota())
    assert back.nodes["s-batik"]["label"] == "Sentra"
    assert back.nodes["s-batik"]["name"] == BATIK
    assert back.nodes["c-kopi"]["name"] == "Kopi Robusta Saé"


def test_graphml_keeps_property_types(tmp_path: Path) -> None:
    back = read_back(tmp_path, kota())
    assert back.nodes["s-batik"]["kiosksTotal"] == 40
    assert back.nodes["s-batik"]["areaHa"] == 1.5
    assert back.nodes["reg-1"]["hasSanction"] is False
    (funds,) = (d for _, _, d in back.out_edges("dinkop", data=True) if d.get("amountIdr"))
    assert funds["amountIdr"] == 5_000_000_000


def test_graphml_joins_lists_with_a_pipe(tmp_path: Path) -> None:
    assert read_back(tmp_path, kota()).nodes["dinkop"]["sources"] == "src-perwal|src-bps"


def test_graphml_leaves_out_missing_values(tmp_path: Path) -> None:
    back = read_back(tmp_path, kota())
    assert "stage" not in back.nodes["c-kopi"]
    assert "year" not in next(iter(back.get_edge_data("s-batik", "c-kopi").values()))


def test_graphml_keeps_every_relationship_with_its_type(tmp_path: Path) -> None:
    back = read_back(tmp_path, kota())
    written = sorted((u, v, d["type"]) for u, v, d in back.edges(data=True))
    assert written == sorted(kota().edges(data="type"))


def test_graphml_keeps_both_grants_with_their_keys(tmp_path: Path) -> None:
    back = read_back(tmp_path, kota())
    funds = [d for _, _, d in back.edges(data=True) if d["type"] == "FUNDS"]
    assert sorted((d["key"], d["sourceType"]) for d in funds) == [
        ("APBD:2023", "APBD"),
        ("APBN:2023", "APBN"),
    ]


def test_graphml_edge_ids_are_unique(tmp_path: Path) -> None:
    # yEd and Gephi merge edges that share an id (networkx#7732, #4347).
    path = tmp_path / "kota.graphml"
    to_graphml(kota(), path)
    ids = [edge.get("id") for edge in ET.parse(path).iter(f"{GRAPHML}edge")]
    assert len(ids) == len(set(ids)) == kota().number_of_edges()


def test_graphml_key_ids_are_the_attribute_names(tmp_path: Path) -> None:
    # Gephi takes key id d3 (node) and d7 (edge) for yEd's label, whatever they hold.
    path = tmp_path / "kota.graphml"
    to_graphml(kota(), path)
    keys = list(ET.parse(path).iter(f"{GRAPHML}key"))
    assert keys and all(key.get("id") == key.get("attr.name") for key in keys)


def test_graphml_leaves_the_graph_unchanged(tmp_path: Path) -> None:
    graph = kota()
    graph.graph["id"] = "kota-semarang"
    to_graphml(graph, tmp_path / "kota.graphml")
    assert graph.graph == {"id": "kota-semarang"}
    assert graph.nodes["dinkop"]["sources"] == ["src-perwal", "src-bps"]


def test_node_link_json_round_trips() -> None:
    data = json.loads(json.dumps(to_node_link_json(kota())))
    assert (data["directed"], data["multigraph"]) == (True, True)
    # nx.node_link_graph cannot take an edge property named `key` (see to_node_link_json).
    back = nx.MultiDiGraph()
    back.add_nodes_from((node.pop("id"), node) for node in data["nodes"])
    back.add_edges_from(
        (edge.pop("source"), edge.pop("target"), edge.pop("edgeKey"), edge)
        for edge in data["edges"]
    )
    assert dict(back.nodes(data=True)) == dict(kota().nodes(data=True))
    assert edge_map(back) == edge_map(kota())


def test_node_link_json_keeps_both_grants_with_their_keys() -> None:
    data = to_node_link_json(kota())
    funds = [edge for edge in data["edges"] if edge["type"] == "FUNDS"]
    assert sorted((edge["key"], edge["edgeKey"]) for edge in funds) == [
        ("APBD:2023", "FUNDS APBD:2023"),
        ("APBN:2023", "FUNDS APBN:2023"),
    ]


def test_node_link_json_names_the_edge_list_edges() -> None:
    data = to_node_link_json(kota())
    assert "links" not in data
    assert len(data["edges"]) == kota().number_of_edges()


def test_cypher_script_begins_with_one_constraint_per_label() -> None:
    statements = split_statements(to_cypher_script(kota()))
    assert statements[:5] == [
        f"CREATE CONSTRAINT IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in ("Actor", "Commodity", "Regulation", "Sentra", "Source")
    ]


def test_cypher_script_recreates_the_graph() -> None:
    assert_same_graph(replay(to_cypher_script(kota())), without_missing(kota()))


def test_cypher_script_writes_the_relationship_type_not_the_edge_key() -> None:
    graph = kota()
    graph.add_edge("reg-1", "s-batik", key="GOVERNS (2)", type="GOVERNS")
    script = to_cypher_script(graph)
    assert "GOVERNS (2)" not in script and "FUNDS APBD" not in script
    assert "MERGE (a)-[r:GOVERNS]->(b)" in script


def test_cypher_script_merges_each_grant_on_its_key() -> None:
    script = to_cypher_script(kota())
    assert "MERGE (a)-[r:FUNDS {key: row.key}]->(b)" in script
    funds = [d for _, _, d in replay(script).edges(data=True) if d["type"] == "FUNDS"]
    assert sorted((d["key"], d["sourceType"]) for d in funds) == [
        ("APBD:2023", "APBD"),
        ("APBN:2023", "APBN"),
    ]


def test_relationship_without_type_is_refused() -> None:
    graph = kota()
    graph.add_edge("dinkop", "reg-1", key="ENFORCES again")
    with pytest.raises(ExportError, match="no type"):
        to_cypher_script(graph)


HOSTILE = [
    pytest.param("'}) DETACH DELETE n //", id="quote-then-delete"),
    pytest.param('"}) DETACH DELETE n; //', id="double-quote-semicolon"),
    pytest.param("C:\\data\\new\\u0027x", id="backslashes-and-literal-u-escape"),
    pytest.param("baris satu\nbaris dua\r\n\ttab", id="newlines-and-tab"),
    pytest.param("Kopi Saé \u2013 Gunungpati ☕ 😀", id="unicode-and-astral"),
    pytest.param("nul\x00 esc\x1b del\x7f ls\u2028", id="invisible-characters"),
    pytest.param("/* */ ` `` {a: 1}", id="comment-backtick-brace"),
]


@pytest.mark.parametrize("name", HOSTILE)
def test_cypher_string_reads_back_unchanged(name: str) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("a1", label="Actor", name=name)
    assert replay(to_cypher_script(graph)).nodes["a1"]["name"] == name


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_name_stays_inside_its_statement(name: str) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node(name, label="Actor", name=name)
    graph.add_edge(name, name, key="MEMBER_OF", type="MEMBER_OF", note=name)
    # A constraint, the node's MERGE, the relationship's MERGE: nothing more.
    assert len(split_statements(to_cypher_script(graph))) == 3
    assert_same_graph(replay(to_cypher_script(graph)), graph)


@pytest.mark.parametrize("name", HOSTILE)
def test_cypher_script_survives_neo4j_unicode_decoding(name: str) -> None:
    # Neo4j decodes \uXXXX before tokenizing (M\u0041TCH is MATCH), as Java source does.
    graph = nx.MultiDiGraph()
    graph.add_node("a1", label="Actor", name=name)
    decoded = java_unicode_decode(to_cypher_script(graph))
    assert replay(decoded).nodes["a1"]["name"] == name


def test_cypher_script_is_ascii() -> None:
    graph = kota()
    graph.add_node("a2", label="Actor", name="Kopi Saé ☕ 😀")
    assert to_cypher_script(graph).isascii()


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(5_000_000_000, id="large-int"),
        pytest.param(-7, id="negative-int"),
        pytest.param(0.1, id="float"),
        pytest.param(1e20, id="float-positive-exponent"),
        pytest.param(1.5e-7, id="float-negative-exponent"),
        pytest.param(True, id="true"),
        pytest.param(False, id="false"),
        pytest.param(["src-bps", "it's"], id="string-list"),
        pytest.param([], id="empty-list"),
    ],
)
def test_cypher_values_read_back_with_their_type(value: Any) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("s1", label="Sentra", value=value)
    back = replay(to_cypher_script(graph)).nodes["s1"]["value"]
    assert (back, type(back)) == (value, type(value))


def test_cypher_script_writes_no_plus_in_exponents() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("s1", label="Sentra", areaHa=1e20)
    assert "1e20" in to_cypher_script(graph)


def test_unusual_property_key_is_backtick_quoted() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("s1", label="Sentra", **{"luas (ha)`": 2})
    script = to_cypher_script(graph)
    assert "`luas (ha)```: 2" in script
    assert replay(script).nodes["s1"]["luas (ha)`"] == 2


def test_name_with_a_backslash_is_refused() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("s1", label="Sentra", **{"a\\u0027b": 1})
    with pytest.raises(ExportError, match="Cypher name"):
        to_cypher_script(graph)


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), 2**63],
    ids=["nan", "infinity", "beyond-int64"],
)
def test_numbers_neo4j_cannot_store_are_refused(value: float) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("s1", label="Sentra", value=value)
    with pytest.raises(ExportError, match="Neo4j"):
        to_cypher_script(graph)


def test_node_without_label_is_refused() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("s1", name="Sentra Lumpia")
    with pytest.raises(ExportError, match="no label"):
        to_cypher_script(graph)


def test_cypher_script_batches_rows() -> None:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((f"s{i}", {"label": "Sentra"}) for i in range(5))
    statements = split_statements(to_cypher_script(graph, batch_size=2))
    assert sum(statement.startswith("UNWIND") for statement in statements) == 3
    assert sorted(replay(to_cypher_script(graph, batch_size=2))) == sorted(graph)


def test_map_value_is_refused(tmp_path: Path) -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("s1", label="Sentra", location={"lat": -6.97})
    with pytest.raises(ExportError, match="map"):
        to_cypher_script(graph)
    with pytest.raises(ExportError, match="GraphML"):
        to_graphml(graph, tmp_path / "kota.graphml")
    assert not (tmp_path / "kota.graphml").exists()


def test_empty_graph_gives_an_empty_script() -> None:
    assert to_cypher_script(nx.MultiDiGraph()) == ""


# --- helpers -------------------------------------------------------------------------------


def without_missing(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    clean = nx.MultiDiGraph()
    clean.add_nodes_from(
        (n, {k: v for k, v in d.items() if v is not None}) for n, d in graph.nodes(data=True)
    )
    clean.add_edges_from(
        (u, v, key, {k: x for k, x in d.items() if x is not None})
        for u, v, key, d in graph.edges(keys=True, data=True)
    )
    return clean


def edge_list(graph: nx.MultiDiGraph) -> list[tuple[str, str, list[tuple[str, Any]]]]:
    """Every relationship with its properties (``type`` among them), whatever its edge key."""
    return sorted((u, v, sorted(d.items())) for u, v, d in graph.edges(data=True))


def assert_same_graph(actual: nx.MultiDiGraph, expected: nx.MultiDiGraph) -> None:
    assert dict(actual.nodes(data=True)) == dict(expected.nodes(data=True))
    assert edge_list(actual) == edge_list(expected)


CONSTRAINT = re.compile(r"CREATE CONSTRAINT IF NOT EXISTS FOR \(n:\w+\) REQUIRE n\.id IS UNIQUE")
NODE_TAIL = re.compile(
    r"\s*AS row\nMERGE \(n:(?P<label>\w+) \{id: row\.id\}\)\nSET n \+= row\.props"
)
RELATIONSHIP_TAIL = re.compile(
    r"\s*AS row\n"
    r"MATCH \(a:(?P<source>\w+) \{id: row\.source\}\)\n"
    r"MATCH \(b:(?P<target>\w+) \{id: row\.target\}\)\n"
    r"MERGE \(a\)-\[r:(?P<type>\w+)(?P<keyed> \{key: row\.key\})?\]->\(b\)\n"
    r"SET r \+= row\.props"
)


def replay(script: str) -> nx.MultiDiGraph:
    """Rebuild the graph a script creates; any statement of another shape fails the test."""
    graph = nx.MultiDiGraph()
    for statement in split_statements(script):
        if CONSTRAINT.fullmatch(statement):
            continue
        assert statement.startswith("UNWIND"), statement
        reader = LiteralReader(statement, len("UNWIND"))
        rows = reader.value()
        tail = statement[reader.pos :]
        if node := NODE_TAIL.fullmatch(tail):
            for row in rows:
                graph.add_node(row["id"], label=node["label"], **row["props"])
        else:
            relationship = RELATIONSHIP_TAIL.fullmatch(tail)
            assert relationship, f"unexpected statement tail {tail!r}"
            for row in rows:
                assert graph.nodes[row["source"]]["label"] == relationship["source"]
                assert graph.nodes[row["target"]]["label"] == relationship["target"]
                assert ("key" in row) == bool(relationship["keyed"])
                merged_on = {"key": row["key"]} if relationship["keyed"] else {}
                data = {"type": relationship["type"], **merged_on, **row["props"]}
                graph.add_edges_from([(row["source"], row["target"], data)])
    return graph


ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
NUMBER = re.compile(r"-?\d+(\.\d+)?([eE]-?\d+)?")
PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class LiteralReader:
    """Decode a Cypher literal (string, number, boolean, list, map) by Cypher's rules."""

    def __init__(self, text: str, pos: int) -> None:
        self.text, self.pos = text, pos

    def value(self) -> Any:
        self.skip_space()
        char = self.text[self.pos]
        if char in "'\"":
            return self.string()
        if char == "[":
            return self.sequence()
        if char == "{":
            return self.mapping()
        for word, meaning in (("true", True), ("false", False)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return meaning
        number = NUMBER.match(self.text, self.pos)
        assert number, f"no literal at {self.text[self.pos : self.pos + 20]!r}"
        self.pos = number.end()
        return float(number[0]) if number[1] or number[2] else int(number[0])

    def string(self) -> str:
        quote, units = self.text[self.pos], []
        self.pos += 1
        while (char := self.text[self.pos]) != quote:
            if char == "\\" and self.text[self.pos + 1] == "u":
                units.append(chr(int(self.text[self.pos + 2 : self.pos + 6], 16)))
                self.pos += 6
            elif char == "\\":
                units.append(ESCAPES[self.text[self.pos + 1]])
                self.pos += 2
            else:
                units.append(char)
                self.pos += 1
        self.pos += 1
        # \u escapes are UTF-16 code units: join surrogate pairs.
        return "".join(units).encode("utf-16-le", "surrogatepass").decode("utf-16-le")

    def sequence(self) -> list[Any]:
        items: list[Any] = []
        self.pos += 1
        while self.next_is("]") is False:
            items.append(self.value())
            self.next_is(",")
        return items

    def mapping(self) -> dict[str, Any]:
        entries: dict[str, Any] = {}
        self.pos += 1
        while self.next_is("}") is False:
            key = self.name()
            assert self.next_is(":")
            entries[key] = self.value()
            self.next_is(",")
        return entries

    def name(self) -> str:
        self.skip_space()
        if self.text[self.pos] != "`":
            plain = PLAIN_NAME.match(self.text, self.pos)
            assert plain, f"no name at {self.text[self.pos : self.pos + 20]!r}"
            self.pos = plain.end()
            return plain[0]
        quoted = re.compile(r"`((?:[^`]|``)*)`").match(self.text, self.pos)
        assert quoted
        self.pos = quoted.end()
        return quoted[1].replace("``", "`")

    def next_is(self, char: str) -> bool:
        self.skip_space()
        if self.text[self.pos] == char:
            self.pos += 1
            return True
        return False

    def skip_space(self) -> None:
        while self.text[self.pos] in " \n":
            self.pos += 1


def java_unicode_decode(text: str) -> str:
    """Replace \\uXXXX escapes whose backslash follows an even run of backslashes (JLS 3.3)."""
    decoded, i, run = [], 0, 0
    while i < len(text):
        if text[i] == "\\" and run % 2 == 0 and text.startswith("u", i + 1):
            digits = i + 1
            while text[digits] == "u":
                digits += 1
            decoded.append(chr(int(text[digits : digits + 4], 16)))
            i, run = digits + 4, 0
            continue
        run = run + 1 if text[i] == "\\" else 0
        decoded.append(text[i])
        i += 1
    return "".join(decoded)

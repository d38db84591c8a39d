"""kg.viz: the HTML page's structure and data, and the choice of subgraph."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from typing import Any, get_args

import networkx as nx
import pytest

from kg.catalogue import catalogue
from kg.errors import KgError
from kg.schema.model import CommitmentStatus, RelType
from kg.viz import View, VizError, render_html, subgraph
from kg.viz.styles import COMMITMENT_FILLS, EDGE_STYLES, OTHER_EDGE_STYLE

from .conftest import Kg
from .followup_graph import ACTUAL_2023, DATED, FOLLOWUP, TARGET_2024, load_followup

HOSTILE = "<a href=x><img src=x onerror=alert(1)>"
VIEWS: list[View] = list(get_args(View))


def _edge(graph: nx.MultiDiGraph, source: str, kind: str, target: str, **props: Any) -> None:
    graph.add_edge(source, target, key=kind, type=kind, **props)


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    """Two zones, three sentra, a batik and a milkfish chain, four actors, two activities."""
    g = nx.MultiDiGraph()
    nodes = {
        "zona-batik": ("Zone", "Zona Batik dan Kerajinan"),
        "zona-pangan": ("Zone", "Zona Olahan Pangan"),
        "33.74.12": ("Kecamatan", "Gunungpati"),
        "33.74.03": ("Kecamatan", "Semarang Timur"),
        "33.74.16": ("Kecamatan", "Tugu"),
        "malon": ("Sentra", "Kampung Batik Malon"),
        "kampung-batik": ("Sentra", "Kampung Batik Semarang"),
        "bandeng-tugu": ("Sentra", "Sentra Olahan Bandeng Tugu"),
        "kain-mori": ("Commodity", "Kain mori"),
        "batik-tulis": ("Commodity", "Batik tulis"),
        "bandeng-segar": ("Commodity", "Bandeng segar"),
        "bandeng-presto": ("Commodity", "Bandeng presto"),
        "pasar-johar": ("Market", "Pasar Johar"),
        "disperin": ("Actor", "Dinas Perindustrian Kota Semarang"),
        "koperasi": ("Actor", "Kopérasi Batik Malon"),
        "bappeda": ("Actor", "Bappeda Kota Semarang"),
        "hostile": ("Actor", HOSTILE),
        "pelatihan": ("Activity", "Pelatihan pemasaran digital batik"),
        "halal": ("Activity", "Pendampingan sertifikasi halal"),
        "perda-2-2019": ("Regulation", "Perda Kota Semarang Nomor 2 Tahun 2019"),
        "profil-2023": ("Source", "Profil Sentra IKM Kota Semarang 2023"),
    }
    for node, (label, name) in nodes.items():
        g.add_node(node, label=label, name=name)
    g.nodes["malon"].update(
        status="aktif", kiosksTotal=20, kiosksOccupied=12, sources=["profil-2023"]
    )
    g.nodes["kain-mori"]["stage"] = "raw"
    g.nodes["bandeng-segar"]["stage"] = "raw"
    g.nodes["batik-tulis"]["stage"] = "product"
    g.nodes["bandeng-presto"]["stage"] = "product"
    g.nodes["profil-2023"].update(
        title="Profil Sentra IKM Kota Semarang 2023", publisher="Disperin Kota Semarang"
    )
    for kec, zone in [
        ("33.74.12", "zona-batik"),
        ("33.74.03", "zona-batik"),
        ("33.74.16", "zona-pangan"),
    ]:
        _edge(g, kec, "IN_ZONE", zone)
    for sentra, kec in [
        ("malon", "33.74.12"),
        ("kampung-batik", "33.74.03"),
        ("bandeng-tugu", "33.74.16"),
    ]:
        _edge(g, sentra, "LOCATED_IN", kec)
    _edge(g, "malon", "PRODUCES", "batik-tulis")
    _edge(g, "kampung-batik", "PRODUCES", "batik-tulis")
    _edge(g, "bandeng-tugu", "PRODUCES", "bandeng-presto")
    _edge(g, "kain-mori", "SUPPLIES", "batik-tulis")
    _edge(g, "bandeng-segar", "SUPPLIES", "bandeng-presto")
    _edge(g, "batik-tulis", "SOLD_IN", "pasar-johar")
    _edge(g, "zona-batik", "FOCUSES_ON", "batik-tulis")
    _edge(g, "disperin", "ACCOUNTABLE_FOR", "pelatihan")
    _edge(g, "koperasi", "RESPONSIBLE_FOR", "pelatihan")
    _edge(g, "bappeda", "CONSULTED_ON", "pelatihan")
    _edge(g, "hostile", "INFORMED_OF", "pelatihan")
    _edge(g, "disperin", "RESPONSIBLE_FOR", "halal")
    _edge(g, "pelatihan", "CONCERNS", "malon")
    _edge(g, "halal", "CONCERNS", "bandeng-tugu")
    _edge(g, "disperin", "FUNDS", "malon", sourceType="APBD", amountIdr=150_000_000, year=2023)
    _edge(g, "koperasi", "MANAGES", "malon")
    _edge(g, "disperin", "ENFORCES", "perda-2-2019")
    _edge(g, "perda-2-2019", "GOVERNS", "malon")
    return g


def page_data(page: str) -> dict[str, Any]:
    """The JSON the page draws from."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def node_record(page: str, node: str) -> dict[str, Any]:
    record: dict[str, Any] = next(n for n in page_data(page)["nodes"] if n["id"] == node)
    return record


class Tags(HTMLParser):
    """Start tags with their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Tags()
    parser.feed(page)
    return parser.tags


# The page


def test_page_embeds_every_node_and_edge(graph: nx.MultiDiGraph) -> None:
    data = page_data(render_html(graph).html)
    assert {n["id"] for n in data["nodes"]} == set(graph)
    assert len(data["edges"]) == graph.number_of_edges()
    assert {(e["from"], e["to"], e["kgType"]) for e in data["edges"]} == set(graph.edges(keys=True))


@pytest.mark.parametrize("view", ["network", "chain", "raci"])
def test_nodes_and_edges_are_drawn_in_the_graphs_order(graph: nx.MultiDiGraph, view: View) -> None:
    # networkx's own subgraph iterates a set when it keeps fewer than half of the nodes:
    # the page's order then changed with the interpreter's hash seed from run to run.
    data = page_data(render_html(graph, view=view).html)
    drawn = [n["id"] for n in data["nodes"]]
    assert drawn == [n for n in graph if n in set(drawn)]
    ends = [(e["from"], e["to"]) for e in data["edges"]]
    assert ends == [(u, v) for u, v in graph.edges() if (u, v) in set(ends)]


def test_a_selection_keeps_the_graphs_order(graph: nx.MultiDiGraph) -> None:
    kept = subgraph(graph, labels=["Actor", "Sentra"])
    assert list(kept) == [n for n in graph if graph.nodes[n]["label"] in {"Actor", "Sentra"}]


def test_page_is_one_html_document_in_utf8(graph: nx.MultiDiGraph) -> None:
    page = render_html(graph).html
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page[:200]
    assert "Kopérasi Batik Malon" in page


def test_legend_lists_each_label_present_with_its_count(graph: nx.MultiDiGraph) -> None:
    legend = page_data(render_html(graph).html)["legend"]["labels"]
    assert [(entry["label"], entry["count"]) for entry in legend] == [
        ("Actor", 4),
        ("Sentra", 3),
        ("Zone", 2),
        ("Kecamatan", 3),
        ("Commodity", 4),
        ("Activity", 2),
        ("Regulation", 1),
        ("Market", 1),
        ("Source", 1),
    ]


def test_each_label_has_its_own_colour_and_shape_pair(graph: nx.MultiDiGraph) -> None:
    legend = page_data(render_html(graph).html)["legend"]["labels"]
    assert len({(entry["color"], entry["shape"]) for entry in legend}) == len(legend)
    assert len({entry["color"] for entry in legend}) == len(legend)


def test_script_and_link_tags_load_nothing_from_the_network(graph: nx.MultiDiGraph) -> None:
    page = render_html(graph).html
    for tag, attrs in tags(page):
        for attr in ("src", "href"):
            value = attrs.get(attr) or ""
            assert not value.startswith(("http://", "https://", "//")), (tag, attr, value)
    assert not [attrs for tag, attrs in tags(page) if tag == "script" and "src" in attrs]
    assert not [attrs for tag, attrs in tags(page) if tag == "link"]


def test_content_security_policy_forbids_network_and_foreign_scripts(
    graph: nx.MultiDiGraph,
) -> None:
    policy = next(
        attrs["content"]
        for tag, attrs in tags(render_html(graph).html)
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert policy is not None
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "http" not in policy


def test_vis_network_is_inlined_with_its_licence(graph: nx.MultiDiGraph) -> None:
    page = render_html(graph).html
    assert "@version 9.1.2" in page
    assert "The Apache 2.0 License" in page


def test_node_size_grows_with_degree(graph: nx.MultiDiGraph) -> None:
    page = render_html(graph).html
    assert node_record(page, "malon")["size"] > node_record(page, "pasar-johar")["size"]


def test_edges_are_labelled_with_their_type_and_raci_edges_with_a_letter(
    graph: nx.MultiDiGraph,
) -> None:
    labels = {(e["from"], e["to"]): e["label"] for e in page_data(render_html(graph).html)["edges"]}
    assert labels["malon", "batik-tulis"] == "produces"
    assert labels["disperin", "pelatihan"] == "A"
    assert labels["koperasi", "pelatihan"] == "R"
    assert labels["bappeda", "pelatihan"] == "C"
    assert labels["hostile", "pelatihan"] == "I"


def test_parallel_edges_are_curved_apart(graph: nx.MultiDiGraph) -> None:
    _edge(graph, "disperin", "RESPONSIBLE_FOR", "pelatihan")
    edges = [
        e
        for e in page_data(render_html(graph).html)["edges"]
        if (e["from"], e["to"]) == ("disperin", "pelatihan")
    ]
    assert len(edges) == 2
    assert "smooth" not in edges[0]
    assert edges[1]["smooth"]["type"] == "curvedCW"


def test_tooltip_holds_properties_and_sources(graph: nx.MultiDiGraph) -> None:
    tip = node_record(render_html(graph).html, "malon")["tip"]
    assert tip["heading"] == "Kampung Batik Malon"
    assert tip["subheading"] == "Sentra \u00b7 malon"
    assert ["kiosksTotal", "20"] in tip["rows"]
    assert tip["sections"] == [
        {
            "title": "Sources",
            "items": [
                "profil-2023 \u2014 Profil Sentra IKM Kota Semarang 2023 \u2014 "
                "Disperin Kota Semarang"
            ],
            "warning": False,
        }
    ]


def test_edge_tooltip_holds_its_properties(graph: nx.MultiDiGraph) -> None:
    funds = next(e for e in page_data(render_html(graph).html)["edges"] if e["kgType"] == "FUNDS")
    assert (
        funds["tip"]["subheading"] == "Dinas Perindustrian Kota Semarang \u2192 Kampung Batik Malon"
    )
    assert ["amountIdr", "150000000"] in funds["tip"]["rows"]


def test_names_cannot_end_the_data_block(graph: nx.MultiDiGraph) -> None:
    name = "</script><script>alert(1)</script><!-- \u2028 & </SCRIPT >"
    graph.nodes["malon"]["name"] = name
    page = render_html(graph).html
    assert "alert(1)</script>" not in page
    assert "</SCRIPT" not in page
    assert "\u2028" not in page
    assert page.count("</script>") == 3  # data, vis-network, viz.js
    assert node_record(page, "malon")["kgName"] == name


def test_title_is_escaped() -> None:
    page = render_html(nx.MultiDiGraph(), title=HOSTILE).html
    assert "<img" not in page
    assert "<title>&lt;a href=x&gt;&lt;img src=x onerror=alert(1)&gt;</title>" in page


def test_findings_draw_a_warning_style_and_fill_the_tooltip(graph: nx.MultiDiGraph) -> None:
    page = render_html(
        graph, findings={"hostile": ["Actor has no R, A, C or I"], "not-drawn": ["ignored"]}
    ).html
    record = node_record(page, "hostile")
    assert record["kgMarks"] == ["finding"]
    assert record["color"]["border"] == "#d62728"
    assert record["borderWidth"] == 4
    assert record["label"] == "\u26a0 " + HOSTILE
    assert {
        "title": "Audit findings",
        "items": ["Actor has no R, A, C or I"],
        "warning": True,
    } in record["tip"]["sections"]
    assert node_record(page, "disperin")["kgMarks"] == []
    assert page_data(page)["legend"]["markers"][0]["marker"] == "finding"


def test_refuses_more_nodes_than_max_nodes_with_a_hint(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(VizError, match=r"21 nodes, more than the limit of 20.*--around"):
        render_html(graph, max_nodes=20)


@pytest.mark.parametrize("view", VIEWS, ids=VIEWS)
def test_page_counts_the_nodes_and_relationships_it_draws(
    graph: nx.MultiDiGraph, view: View
) -> None:
    page = render_html(graph, view=view)
    data = page_data(page.html)
    assert (page.nodes, page.relationships) == (len(data["nodes"]), len(data["edges"]))


def test_raci_page_counts_only_actors_and_activities(graph: nx.MultiDiGraph) -> None:
    page = render_html(graph, view="raci")
    assert (graph.number_of_nodes(), page.nodes, page.relationships) == (21, 6, 5)


@pytest.mark.parametrize("view", VIEWS, ids=VIEWS)
def test_views_read_the_relationship_type_not_the_edge_key(
    graph: nx.MultiDiGraph, view: View
) -> None:
    renamed = with_numbered_edge_keys(graph)
    assert page_data(render_html(renamed, view=view).html) == page_data(
        render_html(graph, view=view).html
    )


def with_numbered_edge_keys(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph with edge keys that say nothing of the relationship type."""
    renamed = nx.MultiDiGraph()
    renamed.add_nodes_from(graph.nodes(data=True))
    renamed.add_edges_from(
        (u, v, f"edge {number}", data)
        for number, (u, v, data) in enumerate(graph.edges(data=True))
    )
    return renamed


def test_cli_prints_what_the_page_draws(tiny_kg: Kg, tmp_path: Path) -> None:
    out = tmp_path / "raci.html"
    result = tiny_kg("viz", "-o", str(out), "--view", "raci")
    assert result.exit_code == 0, result.output
    # The tiny dataset holds 3 actors and 2 activities among its nodes, and 4 roles.
    assert result.stdout == f"Wrote {out}: the raci view, 5 nodes and 4 relationships\n"
    data = page_data(out.read_text(encoding="utf-8"))
    assert (len(data["nodes"]), len(data["edges"])) == (5, 4)


def test_max_nodes_counts_the_nodes_of_the_view(graph: nx.MultiDiGraph) -> None:
    page = render_html(graph, view="raci", max_nodes=6).html
    assert len(page_data(page)["nodes"]) == 6


def test_unknown_view_is_refused(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(VizError, match="unknown view 'tree'"):
        render_html(graph, view="tree")  # type: ignore[arg-type]


def test_physics_off_skips_the_simulation(graph: nx.MultiDiGraph) -> None:
    assert page_data(render_html(graph).html)["options"]["physics"]["enabled"] is True
    still = render_html(graph, physics=False).html
    assert page_data(still)["options"]["physics"]["enabled"] is False


@pytest.mark.parametrize(("size", "improved"), [(150, True), (151, False)], ids=["150", "151"])
def test_improved_layout_only_for_small_graphs(size: int, improved: bool) -> None:
    g = nx.MultiDiGraph()
    g.add_nodes_from((f"a{i}", {"label": "Actor", "name": f"Aktor {i}"}) for i in range(size))
    assert page_data(render_html(g).html)["options"]["layout"]["improvedLayout"] is improved


def test_chain_view_keeps_sentra_commodities_and_markets(graph: nx.MultiDiGraph) -> None:
    data = page_data(render_html(graph, view="chain").html)
    assert {n["kgLabel"] for n in data["nodes"]} == {"Sentra", "Commodity", "Market"}
    assert {e["kgType"] for e in data["edges"]} == {"PRODUCES", "SUPPLIES", "SOLD_IN"}


def test_chain_view_leaves_out_commodities_in_no_chain(graph: nx.MultiDiGraph) -> None:
    graph.add_node("rotan", label="Commodity", name="Rotan")
    _edge(graph, "zona-batik", "FOCUSES_ON", "rotan")
    ids = {n["id"] for n in page_data(render_html(graph, view="chain").html)["nodes"]}
    assert "rotan" not in ids
    assert "bandeng-presto" in ids


def test_chain_view_is_laid_out_by_columns_without_physics(graph: nx.MultiDiGraph) -> None:
    options = page_data(render_html(graph, view="chain").html)["options"]
    assert options["layout"]["hierarchical"]["enabled"] is True
    assert options["physics"]["enabled"] is False


def test_chain_view_runs_left_to_right_from_raw_to_market(graph: nx.MultiDiGraph) -> None:
    data = page_data(render_html(graph, view="chain").html)
    level = {n["id"]: n["level"] for n in data["nodes"]}
    assert data["options"]["layout"]["hierarchical"]["direction"] == "LR"
    assert level["kain-mori"] < level["malon"] < level["batik-tulis"] < level["pasar-johar"]
    assert level["kain-mori"] == level["bandeng-segar"]


def test_chain_view_bends_edges_that_skip_a_column(graph: nx.MultiDiGraph) -> None:
    smooth = {
        (e["from"], e["to"]): e.get("smooth")
        for e in page_data(render_html(graph, view="chain").html)["edges"]
    }
    assert smooth["kain-mori", "batik-tulis"]["type"] == "curvedCW"  # passes the sentra column
    assert smooth["malon", "batik-tulis"] is None


def test_raci_view_keeps_actors_activities_and_their_roles(graph: nx.MultiDiGraph) -> None:
    data = page_data(render_html(graph, view="raci").html)
    assert {n["kgLabel"] for n in data["nodes"]} == {"Actor", "Activity"}
    assert sorted(e["label"] for e in data["edges"]) == ["A", "C", "I", "R", "R"]
    assert [entry["text"] for entry in data["legend"]["edges"]] == [
        "responsible (R)", "accountable (A)", "consulted (C)", "informed (I)"
    ]


def test_raci_view_marks_activity_without_accountable(graph: nx.MultiDiGraph) -> None:
    page = render_html(graph, view="raci").html
    halal = node_record(page, "halal")
    assert halal["kgMarks"] == ["no-accountable"]
    assert halal["label"].endswith("(no A)")
    assert halal["shapeProperties"]["borderDashes"] == [6, 4]
    assert node_record(page, "pelatihan")["kgMarks"] == []


# Choosing a subgraph


def test_around_keeps_nodes_within_depth_in_either_direction(graph: nx.MultiDiGraph) -> None:
    assert set(subgraph(graph, around="33.74.12", depth=1)) == {"33.74.12", "zona-batik", "malon"}


def test_around_with_depth_zero_keeps_the_node(graph: nx.MultiDiGraph) -> None:
    assert set(subgraph(graph, around="malon", depth=0)) == {"malon"}


def test_zone_keeps_its_kecamatan_sentra_and_their_neighbours(graph: nx.MultiDiGraph) -> None:
    part = subgraph(graph, zone="zona-pangan")
    assert set(part) == {"zona-pangan", "33.74.16", "bandeng-tugu", "bandeng-presto", "halal"}
    assert ("bandeng-tugu", "33.74.16", "LOCATED_IN") in part.edges(keys=True)


def test_sentra_keeps_its_neighbours_and_the_actors_of_its_activities(
    graph: nx.MultiDiGraph,
) -> None:
    part = subgraph(graph, sentra="malon")
    assert set(part) == {
        "malon",
        "33.74.12",
        "batik-tulis",
        "pelatihan",
        "disperin",
        "koperasi",
        "bappeda",
        "hostile",
        "perda-2-2019",
    }


def test_labels_keep_only_those_labels(graph: nx.MultiDiGraph) -> None:
    part = subgraph(graph, labels=["Zone", "Kecamatan"])
    assert {part.nodes[n]["label"] for n in part} == {"Zone", "Kecamatan"}
    assert part.number_of_edges() == 3


@pytest.mark.parametrize(
    "criterion", [{"zone": "zona-batik"}, {"sentra": "malon"}], ids=["zone", "sentra"]
)
def test_selection_reads_the_relationship_type_not_the_edge_key(
    graph: nx.MultiDiGraph, criterion: dict[str, str]
) -> None:
    renamed = with_numbered_edge_keys(graph)
    assert sorted(subgraph(renamed, **criterion)) == sorted(subgraph(graph, **criterion))


def test_criteria_combine_as_an_intersection(graph: nx.MultiDiGraph) -> None:
    assert set(subgraph(graph, sentra="malon", labels=["Actor"])) == {
        "disperin",
        "koperasi",
        "bappeda",
        "hostile",
    }


def test_subgraph_keeps_properties_and_is_a_copy(graph: nx.MultiDiGraph) -> None:
    part = subgraph(graph, around="malon", depth=1)
    part.nodes["malon"]["name"] = "changed"
    assert graph.nodes["malon"]["name"] == "Kampung Batik Malon"
    assert part["disperin"]["malon"]["FUNDS"]["amountIdr"] == 150_000_000


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ({"around": "nowhere"}, "no node with id 'nowhere'"),
        ({"zone": "malon"}, "'malon' is a Sentra, not a Zone"),
        ({"sentra": "zona-batik"}, "'zona-batik' is a Zone, not a Sentra"),
        ({"labels": ["Aktor"]}, "unknown label 'Aktor'; known labels: Activity, Actor"),
        ({"around": "malon", "depth": -1}, "depth must be 0 or more"),
    ],
    ids=["unknown-id", "zone-is-sentra", "sentra-is-zone", "unknown-label", "negative-depth"],
)
def test_subgraph_refuses_bad_criteria(
    graph: nx.MultiDiGraph, criteria: dict[str, Any], message: str
) -> None:
    with pytest.raises(VizError, match=re.escape(message)):
        subgraph(graph, **criteria)


# Every relationship type in the legend, and the page in Bahasa Indonesia


def test_edge_legend_lists_every_relationship_type_drawn_with_its_count(
    graph: nx.MultiDiGraph,
) -> None:
    legend = page_data(render_html(graph).html)["legend"]["edges"]
    drawn = Counter(kind for _, _, kind in graph.edges(data="type"))
    assert {entry["type"]: entry["count"] for entry in legend} == dict(drawn)
    assert [entry["type"] for entry in legend][:4] == [
        "RESPONSIBLE_FOR", "ACCOUNTABLE_FOR", "CONSULTED_ON", "INFORMED_OF"
    ]
    assert len({(entry["color"], tuple(entry["dashes"])) for entry in legend}) == len(legend)


def test_a_type_without_a_style_is_still_in_the_legend(graph: nx.MultiDiGraph) -> None:
    _edge(graph, "disperin", "ADVISES", "koperasi")
    legend = page_data(render_html(graph).html)["legend"]["edges"]
    assert legend[-1] == {"type": "ADVISES", "text": "ADVISES", "count": 1,
                          "color": "#9a9a9a", "width": 1, "dashes": []}


ENGLISH_PROBES = {
    "find", "physics", "fit", "loading", "legend", "nodes", "node", "untick", "hide",
    "relationships", "details", "click", "edge", "edges", "match", "matches", "laying",
    "findings", "responsibility", "gap", "accountable", "responsible", "sources",
    "yes", "no", "has", "activity", "actor", "zone", "commodity", "market", "source",
    "produces", "supplies", "concerns", "funds", "manages", "active", "raw", "product",
    "training", "marketing", "government", "view", "network", "label", "the", "of", "to",
}
"""English words the page's own text would hold if a word escaped the catalogue."""


class Text(HTMLParser):
    """The text of a page outside its scripts and style sheets, and its attributes' text."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.skip = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip = tag in {"script", "style"}
        self.text.extend(v or "" for k, v in attrs if k in {"placeholder", "aria-label"})

    def handle_endtag(self, tag: str) -> None:
        self.skip = False

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)


def page_words(page: str) -> set[str]:
    """Words of the page's text and of every text the script shows from its data."""
    data = page_data(page)
    shown: list[str] = [*Text(page).text, *(str(w) for w in data["words"].values())]
    for entry in [*data["legend"]["labels"], *data["legend"]["markers"],
                  *data["legend"]["edges"]]:
        shown.append(entry["text"])
    for record in [*data["nodes"], *data["edges"]]:
        tip = record["tip"]
        shown += [tip["heading"], tip["subheading"], str(record.get("label", ""))]
        shown += [value for _, value in tip["rows"]]  # property names are the schema's
        shown += [section["title"] for section in tip["sections"]]
        shown += [i for section in tip["sections"] if section["warning"] for i in section["items"]]
    text = re.sub(r"\{\w+\}", " ", " ".join(shown))  # a template's slots are no words
    return set(re.findall(r"[a-z]+", text.lower()))


@pytest.mark.parametrize("view", VIEWS, ids=VIEWS)
def test_indonesian_page_holds_no_english_probe_word(graph: nx.MultiDiGraph, view: View) -> None:
    graph.nodes["malon"]["status"] = "active"
    graph.nodes["disperin"].update(kind="government", level="city")
    graph.nodes["pelatihan"].update(category="training", topic="marketing")
    graph.nodes["perda-2-2019"]["hasSanction"] = False
    page = render_html(graph, view=view, lang="id", findings={"halal": ["tanpa A"]}).html
    assert page_words(page) & ENGLISH_PROBES == set()
    assert '<html lang="id">' in page


def test_english_page_holds_the_probe_words(graph: nx.MultiDiGraph) -> None:
    """The probe finds English where there is some."""
    assert len(page_words(render_html(graph).html) & ENGLISH_PROBES) > 20


def test_indonesian_page_words_buttons_legend_tooltips_and_values(
    graph: nx.MultiDiGraph,
) -> None:
    graph.nodes["malon"]["status"] = "active"
    graph.nodes["perda-2-2019"]["hasSanction"] = False
    page = render_html(graph, view="raci", lang="id").html
    assert "<title>sentra-kg: tampilan bagan tanggung jawab</title>" in page
    assert '<button id="kg-find" type="button">Cari</button>' in page
    assert 'placeholder="Cari simpul menurut nama atau id"' in page
    data = page_data(page)
    assert data["legend"]["labels"][0]["text"] == "Aktor"
    assert data["legend"]["markers"][0]["text"] == "Kegiatan tanpa penanggung jawab (A)"
    assert node_record(page, "halal")["label"].endswith("(tanpa A)")
    assert data["words"]["matches"] == ["{n} cocok", "{n} cocok"]
    network = render_html(graph, lang="id").html
    assert ["status", "aktif"] in node_record(network, "malon")["tip"]["rows"]
    assert ["hasSanction", "tidak"] in node_record(network, "perda-2-2019")["tip"]["rows"]
    assert node_record(network, "malon")["tip"]["subheading"] == "Sentra \u00b7 malon"
    assert node_record(network, "pasar-johar")["tip"]["subheading"] == "Pasar \u00b7 pasar-johar"


def test_unknown_language_is_refused(graph: nx.MultiDiGraph) -> None:
    with pytest.raises(KgError, match="no message catalogue for 'fr'; available: en, id"):
        render_html(graph, lang="fr")


def test_property_names_in_the_details_never_break_inside_a_word() -> None:
    css = files("kg.viz").joinpath("static", "viz.css").read_text(encoding="utf-8")
    rule = css.split(".kg-card th {")[1].split("}")[0]
    assert "white-space: nowrap" in rule and "overflow-wrap: normal" in rule


def test_page_counts_the_nodes_it_marks_with_findings(graph: nx.MultiDiGraph) -> None:
    page = render_html(graph, findings={"malon": ["x"], "halal": ["y"], "not-drawn": ["z"]})
    assert page.marked == 2


def test_highlight_gaps_alone_marks_only_error_findings(tiny_kg: Kg, tmp_path: Path) -> None:
    """tiny: errors on t-train (no A; related s-logam) and 33.74.99 (no zone); warnings on
    a-idle, t-relocate, c-logam and s-logam."""
    out = tmp_path / "gaps.html"
    result = tiny_kg("viz", "-o", str(out), "--highlight-gaps")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        "14 nodes and 12 relationships, 3 of them marked with findings of severity error or "
        "worse\n"
    )
    marked = {n["id"] for n in page_data(out.read_text(encoding="utf-8"))["nodes"]
              if n["kgMarks"] == ["finding"]}
    assert marked == {"t-train", "s-logam", "33.74.99"}


def test_highlight_gaps_warning_marks_warnings_too(tiny_kg: Kg, tmp_path: Path) -> None:
    out = tmp_path / "gaps.html"
    result = tiny_kg("viz", "-o", str(out), "--highlight-gaps", "warning")
    assert result.exit_code == 0, result.output
    marked = {n["id"] for n in page_data(out.read_text(encoding="utf-8"))["nodes"]
              if n["kgMarks"] == ["finding"]}
    assert marked == {"t-train", "s-logam", "33.74.99", "a-idle", "t-relocate", "c-logam",
                      "a-disperin"}


def test_kg_lang_words_the_page_and_its_findings(tiny_kg: Kg, tmp_path: Path) -> None:
    out = tmp_path / "id.html"
    result = tiny_kg("viz", "-o", str(out), "--highlight-gaps", env={"KG_LANG": "id"})
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="id">' in page
    tip = node_record(page, "t-train")["tip"]
    assert {"title": "Temuan audit", "items": [
        "[error] tidak ada penanggung jawab (A) untuk 'Pelatihan'"
    ], "warning": True} in tip["sections"]


# The time slider (issue 25): which node exists from which day.


@pytest.fixture(scope="module")
def followup_graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    """tests/data/viz-followup as kg viz reads it (see tests/followup_graph.py)."""
    return load_followup(tmp_path_factory.mktemp("followup") / "store")


def test_each_dated_fact_carries_the_day_it_exists_from(followup_graph: nx.MultiDiGraph) -> None:
    data = page_data(render_html(followup_graph).html)
    days = {node["id"]: node["kgDay"] for node in data["nodes"] if "kgDay" in node}
    assert days == DATED


def test_the_slider_spans_the_dated_days_and_starts_on_the_last(
    followup_graph: nx.MultiDiGraph,
) -> None:
    timeline = page_data(render_html(followup_graph).html)["timeline"]
    assert timeline == {"first": "2023-12-31", "last": "2024-09-12", "start": "2024-09-12",
                        "days": sorted(set(DATED.values()))}


def test_as_of_sets_where_the_slider_starts(followup_graph: nx.MultiDiGraph) -> None:
    timeline = page_data(render_html(followup_graph, as_of=date(2024, 6, 1)).html)["timeline"]
    assert (timeline["first"], timeline["start"], timeline["last"]) == (
        "2023-12-31", "2024-06-01", "2024-09-12"
    )


def test_as_of_outside_the_facts_widens_the_slider(followup_graph: nx.MultiDiGraph) -> None:
    before = page_data(render_html(followup_graph, as_of=date(2023, 1, 1)).html)["timeline"]
    assert (before["first"], before["last"]) == ("2023-01-01", "2024-09-12")
    after = page_data(render_html(followup_graph, as_of=date(2025, 1, 1)).html)["timeline"]
    assert (after["first"], after["last"]) == ("2023-12-31", "2025-01-01")


def test_no_slider_without_dated_facts(graph: nx.MultiDiGraph) -> None:
    graph.add_node("com-undated", label="Commitment", name="Tanpa tanggal", status="open")
    graph.add_node("target", label="Indicator", name="x", kind="target", periodEnd="2024-12-31")
    data = page_data(render_html(graph).html)
    assert data["timeline"] is None
    assert not any("kgDay" in node for node in data["nodes"])


def test_the_slider_follows_the_view_drawn(followup_graph: nx.MultiDiGraph) -> None:
    """The raci view draws no engagement: no slider there."""
    assert page_data(render_html(followup_graph, view="raci").html)["timeline"] is None


def test_a_commitment_closed_later_carries_its_open_look(
    followup_graph: nx.MultiDiGraph,
) -> None:
    page = render_html(followup_graph, lang="id").html
    promo = node_record(page, "com-promo")
    assert promo["kgClosedOn"] == "2024-08-01"
    assert promo["kgStatus"] == "done"
    assert promo["color"]["background"] == COMMITMENT_FILLS[CommitmentStatus.DONE]
    assert promo["kgLooks"]["closed"] == promo["color"]
    assert promo["kgLooks"]["open"]["background"] == COMMITMENT_FILLS[CommitmentStatus.OPEN]
    assert ["status", "selesai"] in promo["tip"]["rows"]
    assert ["status", "terbuka"] in promo["kgOpenRows"]
    assert ["doneOn", "2024-08-01"] in promo["tip"]["rows"]
    assert "doneOn" not in dict(promo["kgOpenRows"])
    assert "kgClosedOn" not in node_record(page, "com-perwal")


def test_commitment_statuses_are_in_the_legend(followup_graph: nx.MultiDiGraph) -> None:
    legend = page_data(render_html(followup_graph, lang="id").html)["legend"]
    assert [(entry["text"], entry["count"]) for entry in legend["statuses"]] == [
        ("Komitmen terbuka", 2), ("Komitmen selesai", 1)
    ]


def test_followup_labels_and_types_have_their_own_styles_and_words(
    followup_graph: nx.MultiDiGraph,
) -> None:
    legend = page_data(render_html(followup_graph, lang="id").html)["legend"]
    words = {entry["label"]: entry["text"] for entry in legend["labels"]}
    assert {words[label] for label in ("Engagement", "Commitment", "Indicator", "Assessment")} == {
        "Interaksi", "Komitmen", "Indikator", "Penilaian"
    }
    assert len({(e["color"], e["shape"]) for e in legend["labels"]}) == len(legend["labels"])
    edges = {entry["type"]: entry for entry in legend["edges"]}
    assert edges["TOOK_PART_IN"]["text"] == "ikut serta dalam"
    assert edges["OF_SENTRA"]["text"] == "mengukur sentra"
    assert all(entry["color"] != OTHER_EDGE_STYLE.color for entry in legend["edges"])
    assert len({(e["color"], tuple(e["dashes"])) for e in legend["edges"]}) == len(edges)


def test_every_relationship_type_has_its_own_style_and_words() -> None:
    assert set(RelType) <= set(EDGE_STYLES)
    for lang in ("en", "id"):
        assert set(RelType) <= set(catalogue(lang)["relations"])
    styles = [(s.color, s.dashes) for s in EDGE_STYLES.values()]
    assert len(set(styles)) == len(styles)


def test_indonesian_page_with_followup_words_its_values(followup_graph: nx.MultiDiGraph) -> None:
    page = render_html(followup_graph, lang="id").html
    assert page_words(page) & (ENGLISH_PROBES | FOLLOWUP_PROBES) == set()
    assert page_data(page)["words"]["as_of"] == "Per tanggal"
    assert ["kind", "kunjungan"] in node_record(page, "eng-visit")["tip"]["rows"]
    assert ["status", "berjalan"] in node_record(page, "pelatihan")["tip"]["rows"]
    assert ["kind", "realisasi"] in node_record(page, ACTUAL_2023)["tip"]["rows"]


FOLLOWUP_PROBES = {"meeting", "matchmaking", "open", "done", "ongoing", "up", "higher",
                   "better", "commitment", "engagement", "took", "part", "measures"}
"""English words issue 25's values and labels would put on the page (not "visit",
"actual" or "indicator": the ids shown in tooltips, data, hold them)."""


def test_english_page_holds_the_followup_probe_words(followup_graph: nx.MultiDiGraph) -> None:
    """The probe finds them where they are."""
    assert len(page_words(render_html(followup_graph).html) & FOLLOWUP_PROBES) > 10


def test_an_indicator_is_drawn_with_its_period_and_value(
    followup_graph: nx.MultiDiGraph,
) -> None:
    graph = followup_graph.copy()
    graph.nodes[ACTUAL_2023]["value"] = 1_500_000.5
    page = render_html(graph, lang="id").html
    assert node_record(page, ACTUAL_2023)["label"] == "kiosk_occupancy_pct\n2023: 1.500.000,5 %"
    assert node_record(page, TARGET_2024)["label"] == "kiosk_occupancy_pct\n2024: target 75 %"
    english = render_html(graph).html
    assert node_record(english, ACTUAL_2023)["label"] == "kiosk_occupancy_pct\n2023: 1,500,000.5 %"


def test_kg_viz_as_of_starts_the_slider_there(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(FOLLOWUP)).exit_code == 0
    out = tmp_path / "asof.html"
    result = kg("viz", "-o", str(out), "--as-of", "2024-06-01")
    assert result.exit_code == 0, result.output
    timeline = page_data(out.read_text(encoding="utf-8"))["timeline"]
    assert timeline == {"first": "2023-12-31", "last": "2024-09-12", "start": "2024-06-01",
                        "days": sorted(set(DATED.values()))}


def test_kg_viz_refuses_a_day_that_is_not_iso(tiny_kg: Kg, tmp_path: Path) -> None:
    result = tiny_kg("viz", "-o", str(tmp_path / "x.html"), "--as-of", "12/06/2024")
    assert result.exit_code == 2
    assert "--as-of" in result.output
    assert not (tmp_path / "x.html").exists()

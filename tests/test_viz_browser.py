"""kg.viz pages in a real browser: Debian's chromium, driven by Playwright, with no network.

Every request but the page's own file is blocked and recorded, so a page that tried to load
anything (a CDN script, an injected image) fails. Hovering and clicking as a user would is
what catches an HTML popup built from a node's name, which a static look at the DOM misses.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.graph import to_networkx
from kg.store import StoreConfig, open_store
from kg.viz import View, render_html
from kg.viz.days import known_from

from .conftest import Kg
from .followup_graph import ACTUAL_2023, DATED, HOSTILE_TITLE, load_followup

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = "<a href=x><img src=x onerror=alert(1)>"

pytestmark = [
    pytest.mark.browser,
    # Under CI a missing browser is a failure, not a skip.
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="needs Debian's chromium (/usr/bin/chromium)",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright from PyPI")


def _graph() -> nx.MultiDiGraph:
    """Sentra Kampung Batik Malon: its place, chain, actors, one activity with no A."""
    g = nx.MultiDiGraph()
    for node, label, name in [
        ("zona-batik", "Zone", "Zona Batik dan Kerajinan"),
        ("33.74.12", "Kecamatan", "Gunungpati"),
        ("malon", "Sentra", "Kampung Batik Malon"),
        ("kain-mori", "Commodity", "Kain mori"),
        ("batik-tulis", "Commodity", "Batik tulis"),
        ("pasar-johar", "Market", "Pasar Johar"),
        ("disperin", "Actor", "Dinas Perindustrian Kota Semarang"),
        ("koperasi", "Actor", "Kopérasi Batik Malon"),
        ("hostile", "Actor", HOSTILE),
        ("pelatihan", "Activity", "Pelatihan pemasaran digital batik"),
        ("pameran", "Activity", "Pameran batik di Pasar Johar"),
        ("perda-2-2019", "Regulation", "Perda Kota Semarang Nomor 2 Tahun 2019"),
    ]:
        g.add_node(node, label=label, name=name, sources=["profil-2023"])
    for source, kind, target in [
        ("33.74.12", "IN_ZONE", "zona-batik"),
        ("malon", "LOCATED_IN", "33.74.12"),
        ("malon", "PRODUCES", "batik-tulis"),
        ("kain-mori", "SUPPLIES", "batik-tulis"),
        ("batik-tulis", "SOLD_IN", "pasar-johar"),
        ("disperin", "ACCOUNTABLE_FOR", "pelatihan"),
        ("disperin", "RESPONSIBLE_FOR", "pelatihan"),
        ("koperasi", "RESPONSIBLE_FOR", "pameran"),
        ("hostile", "INFORMED_OF", "pelatihan"),
        ("pelatihan", "CONCERNS", "malon"),
        ("pameran", "CONCERNS", "malon"),
        ("disperin", "FUNDS", "malon"),
        ("disperin", "ENFORCES", "perda-2-2019"),
        ("perda-2-2019", "GOVERNS", "malon"),
    ]:
        g.add_edge(source, target, key=kind, type=kind)
    return g


@dataclass
class Visit:
    """A page opened offline, with everything that went wrong while it ran."""

    page: Any
    url: str
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def node_point(self, node: str) -> tuple[float, float]:
        """Where the node is drawn, in page coordinates."""
        x, y = self.page.evaluate(
            """(node) => {
                const network = window.kgViz.network;
                const point = network.canvasToDOM(network.getPositions([node])[node]);
                const box = document.getElementById("kg-network").getBoundingClientRect();
                return [box.left + point.x, box.top + point.y];
            }""",
            node,
        )
        return float(x), float(y)

    def hover(self, node: str) -> Any:
        """Move the mouse onto the node as a user would; its tooltip, once shown."""
        x, y = self.node_point(node)
        self.page.mouse.move(x - 30, y - 30)
        self.page.mouse.move(x, y, steps=5)
        tooltip = self.page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5_000)
        return tooltip


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def open_offline(browser: Any, tmp_path: Path) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_page(page_html: str, name: str = "graph.html", *, drawn: bool = True) -> Visit:
        path = tmp_path / name
        path.write_text(page_html, encoding="utf-8")
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        visit = Visit(context.new_page(), path.as_uri())

        def route(route: Any) -> None:
            if route.request.url == visit.url:
                route.continue_()
            else:
                visit.blocked.append(route.request.url)
                route.abort()

        def dialog(dialog: Any) -> None:
            visit.dialogs.append(dialog.message)
            dialog.dismiss()

        visit.page.route("**/*", route)
        visit.page.on(
            "console", lambda message: message.type == "error" and visit.errors.append(message.text)
        )
        visit.page.on("pageerror", lambda error: visit.errors.append(str(error)))
        visit.page.on("dialog", dialog)
        visit.page.goto(visit.url)
        if drawn:  # a graph page says when it has drawn (the brief has no script)
            # A locator, not wait_for_function: Playwright evaluates a string predicate
            # with eval, which the page's Content-Security-Policy refuses.
            visit.page.locator("body[data-kg-state=ready]").wait_for(
                state="attached", timeout=30_000
            )
        return visit

    yield open_page
    for context in contexts:
        context.close()


def _painted_pixels(visit: Visit) -> int:
    count: int = visit.page.evaluate(
        """() => {
            const canvas = document.querySelector("#kg-network canvas");
            const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
            let painted = 0;
            for (let i = 3; i < pixels.data.length; i += 4) if (pixels.data[i] > 0) painted++;
            return painted;
        }"""
    )
    return count


@pytest.mark.parametrize(
    ("view", "labels"),
    [
        ("network", None),
        ("chain", {"Sentra", "Commodity", "Market"}),
        ("raci", {"Actor", "Activity"}),
    ],
    ids=["network", "chain", "raci"],
)
def test_page_draws_every_node_offline_without_errors(
    open_offline: Any, tmp_path: Path, view: View, labels: set[str] | None
) -> None:
    graph = _graph()
    expected = {n for n, label in graph.nodes(data="label") if labels is None or label in labels}
    visit = open_offline(render_html(graph, view=view, findings={"koperasi": ["No A"]}).html)

    assert visit.page.locator("#kg-network canvas").count() == 1
    assert set(visit.page.evaluate("window.kgViz.nodes.getIds()")) == expected
    assert _painted_pixels(visit) > 1000
    width, height = 1280, 800
    for node in expected:
        x, y = visit.node_point(node)
        assert 0 <= x <= width and 0 <= y <= height, f"{node} drawn off screen at {x}, {y}"
    visit.page.screenshot(path=str(tmp_path / f"{view}.png"))
    assert visit.errors == []
    assert visit.blocked == []
    assert visit.dialogs == []


def test_kg_viz_of_the_bundled_data_draws_offline(open_offline: Any, tmp_path: Path) -> None:
    """The issue's demand, as a user runs it: kg load, kg viz -o out.html, open it offline."""
    kg = Kg(tmp_path / "store")
    assert kg("load").exit_code == 0
    create = "CREATE (:Actor {id: 'hostile', name: $name, kind: 'business'})"
    hostile = kg("cypher", "--write", create, "-p", f"name={HOSTILE}")
    assert hostile.exit_code == 0, hostile.output
    out = tmp_path / "out.html"
    assert kg("viz", "-o", str(out), "--highlight-gaps").exit_code == 0
    with open_store(StoreConfig(path=kg.store)) as store:
        graph = to_networkx(store)
    visit = open_offline(out.read_text(encoding="utf-8"))

    assert visit.page.evaluate("window.kgViz.nodes.length") == graph.number_of_nodes()
    assert visit.page.evaluate("window.kgViz.edges.length") == graph.number_of_edges()
    x, y = visit.node_point("hostile")
    visit.page.mouse.move(x, y)
    visit.page.mouse.click(x, y)
    visit.page.screenshot(path=str(tmp_path / "semarang.png"))
    assert visit.page.locator("img").count() == 0
    assert visit.dialogs == []
    assert visit.errors == []
    assert visit.blocked == []


def test_hostile_name_stays_text_on_hover_and_click(open_offline: Any) -> None:
    visit = open_offline(render_html(_graph(), findings={"hostile": [HOSTILE]}).html)

    tooltip = visit.hover("hostile")
    assert tooltip.locator(".kg-card-heading").text_content() == HOSTILE
    visit.page.mouse.click(*visit.node_point("hostile"))

    assert visit.page.evaluate("window.kgViz.network.getSelectedNodes()") == ["hostile"]
    assert visit.page.locator("#kg-details .kg-card-heading").text_content() == HOSTILE
    assert visit.page.locator("img, a[href]").count() == 0
    assert visit.dialogs == []
    assert visit.errors == []
    assert visit.blocked == []


def test_search_selects_a_node_by_its_accented_name(open_offline: Any) -> None:
    visit = open_offline(render_html(_graph()).html)
    options = visit.page.eval_on_selector_all("#kg-names option", "os => os.map(o => o.value)")
    assert "Kopérasi Batik Malon" in options
    assert "Dinas Perindustrian Kota Semarang" in options

    visit.page.fill("#kg-search", "kopérasi")
    visit.page.click("#kg-find")

    assert visit.page.evaluate("window.kgViz.network.getSelectedNodes()") == ["koperasi"]
    assert visit.page.locator("#kg-details .kg-card-heading").text_content() == (
        "Kopérasi Batik Malon"
    )


def test_unticking_a_label_hides_its_nodes(open_offline: Any) -> None:
    visit = open_offline(render_html(_graph()).html)

    visit.page.uncheck("#kg-legend-labels input[value=Actor]")

    hidden = visit.page.evaluate(
        "window.kgViz.nodes.get({filter: (node) => node.hidden}).map((node) => node.id)"
    )
    assert sorted(hidden) == ["disperin", "hostile", "koperasi"]
    assert visit.errors == []


def test_physics_switch_restarts_the_simulation(open_offline: Any) -> None:
    visit = open_offline(render_html(_graph()).html)
    assert not visit.page.is_checked("#kg-physics")  # stopped once laid out

    visit.page.check("#kg-physics")

    assert visit.page.evaluate("window.kgViz.network.physics.physicsEnabled") is True
    assert visit.errors == []


def test_details_panel_keeps_each_property_name_on_one_line(open_offline: Any) -> None:
    graph = _graph()
    graph.nodes["malon"].update(
        kiosksOccupied=12, kiosksTotal=20, kelurahan="Kalisegoro", status="active",
        note="Sentra batik warna alam di lereng Gunungpati, " * 6,
    )
    visit = open_offline(render_html(graph).html)
    x, y = visit.node_point("malon")
    visit.page.mouse.click(x, y)

    lines = visit.page.eval_on_selector_all(
        "#kg-details th",
        """cells => cells.map(cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return [cell.textContent, new Set(Array.from(range.getClientRects(),
                                                         r => Math.round(r.top))).size];
        })""",
    )
    assert dict(lines) == {"kelurahan": 1, "kiosksOccupied": 1, "kiosksTotal": 1, "note": 1,
                           "status": 1}


def test_indonesian_page_says_its_status_in_indonesian(open_offline: Any) -> None:
    visit = open_offline(render_html(_graph(), lang="id").html)
    assert visit.page.locator("#kg-status").text_content() == "12 simpul, 14 relasi"
    assert visit.page.locator("#kg-details .kg-hint").text_content() == (
        "Klik simpul atau garis untuk melihat rinciannya."
    )
    visit.page.fill("#kg-search", "tidak ada")
    visit.page.click("#kg-find")
    assert visit.page.locator("#kg-status").text_content() == (
        "Tidak ada simpul tampil yang cocok dengan \u201ctidak ada\u201d"
    )
    assert visit.errors == []


def test_the_brief_of_the_bundled_data_shows_offline_with_a_hostile_name_inert(
    open_offline: Any, tmp_path: Path
) -> None:
    """kg report's page: every section, its pictures as SVG, nothing loaded, nothing run."""
    kg = Kg(tmp_path / "store")
    assert kg("load").exit_code == 0
    create = (
        "MATCH (s:Sentra {id: 'sentra-logam-kiw'}) "
        "CREATE (:Actor {id: 'hostile', name: $name, kind: 'business'})-[:MANAGES]->(s)"
    )
    assert kg("cypher", "--write", create, "-p", f"name={HOSTILE}").exit_code == 0
    out = tmp_path / "brief.html"
    assert kg("report", "-o", str(out), "--lang", "id").exit_code == 0
    visit = open_offline(out.read_text(encoding="utf-8"), "brief.html", drawn=False)

    sections = visit.page.eval_on_selector_all("section", "s => s.map(e => e.id)")
    assert sections == ["title", "dataset", "summary", "sentra-1", "sentra-2", "sentra-3",
                        "sentra-4", "indicators", "findings"]
    assert visit.page.locator("h2").first.text_content() == "Data dan sumbernya"
    pictures = visit.page.eval_on_selector_all(
        "figure > svg", "svgs => svgs.map(s => s.getBoundingClientRect().width)"
    )
    assert len(pictures) >= 9 and min(pictures) > 100  # drawn, not collapsed
    names = visit.page.eval_on_selector_all("td", "cells => cells.map(c => c.textContent)")
    assert HOSTILE in names
    visit.page.screenshot(path=str(tmp_path / "brief.png"), full_page=True)
    assert visit.page.locator("img, a[href^=x], script").count() == 0
    assert visit.dialogs == []
    assert visit.errors == []
    assert visit.blocked == []


# The time slider (issue 25).


@pytest.fixture(scope="module")
def followup_graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    """tests/data/viz-followup as kg viz reads it (see tests/followup_graph.py)."""
    return load_followup(tmp_path_factory.mktemp("followup") / "store")


def _shown(visit: Visit) -> set[str]:
    """Nodes the page's DataSet shows."""
    return set(visit.page.evaluate(
        "window.kgViz.nodes.get({filter: (node) => !node.hidden}).map((node) => node.id)"
    ))


def _drawn(visit: Visit) -> tuple[set[str], set[str]]:
    """Nodes and edges vis-network draws (its visible indices)."""
    nodes, edges = visit.page.evaluate(
        "[window.kgViz.network.body.nodeIndices, window.kgViz.network.body.edgeIndices]"
    )
    return set(nodes), set(edges)


def _slide_to(visit: Visit, day: str) -> None:
    first = visit.page.evaluate(
        "JSON.parse(document.getElementById('kg-data').textContent).timeline.first"
    )
    visit.page.fill("#kg-day", str((date.fromisoformat(day) - date.fromisoformat(first)).days))


def _background(visit: Visit, node: str) -> str:
    color: str = visit.page.evaluate(
        "(node) => window.kgViz.nodes.get(node).color.background", node
    )
    return color


def test_slider_shows_the_graph_as_of_the_chosen_day(
    open_offline: Any, followup_graph: nx.MultiDiGraph, tmp_path: Path
) -> None:
    visit = open_offline(render_html(followup_graph, lang="id").html)
    everything = set(followup_graph)
    edge_ends = dict(visit.page.evaluate(
        "window.kgViz.edges.get().map((edge) => [edge.id, [edge.from, edge.to]])"
    ))
    assert _shown(visit) == everything
    assert visit.page.locator("#kg-day-shown").text_content() == "12 September 2024"
    assert _background(visit, "com-promo") == "#ffffff"  # done

    for day, shown_day in [("2024-03-05", "5 Maret 2024"), ("2024-08-01", "1 Agustus 2024"),
                           ("2024-06-19", "19 Juni 2024")]:
        _slide_to(visit, day)
        later = {node for node, since in DATED.items() if since > day}
        assert _shown(visit) == everything - later, day
        nodes, edges = _drawn(visit)
        assert nodes == everything - later
        assert edges == {e for e, ends in edge_ends.items() if not later & set(ends)}
        assert visit.page.locator("#kg-day-shown").text_content() == shown_day
        assert visit.page.locator("#kg-status").text_content() == (
            f"{len(nodes)} simpul, {len(edges)} relasi"
        )
        # Done on 2024-08-01: open the day before, done from that day.
        assert _background(visit, "com-promo") == ("#ffffff" if day >= "2024-08-01"
                                                   else "#ff9da7")
    visit.page.screenshot(path=str(tmp_path / "slider.png"))

    visit.page.focus("#kg-day")
    visit.page.keyboard.press("Home")
    assert _shown(visit) == everything - set(DATED) | {ACTUAL_2023}
    visit.page.keyboard.press("End")
    assert _shown(visit) == everything
    assert _background(visit, "com-promo") == "#ffffff"
    assert visit.errors == []
    assert visit.blocked == []
    assert visit.dialogs == []


def test_kg_viz_as_of_on_the_bundled_data_shows_that_day_offline(
    open_offline: Any, tmp_path: Path
) -> None:
    """As a user runs it: kg load, kg viz --as-of, open offline, slide to the end."""
    kg = Kg(tmp_path / "store")
    assert kg("load").exit_code == 0
    out = tmp_path / "asof.html"
    assert kg("viz", "-o", str(out), "--as-of", "2021-06-30", "--lang", "id").exit_code == 0
    with open_store(StoreConfig(path=kg.store)) as store:
        graph = to_networkx(store)
    later = {node for node, attrs in graph.nodes(data=True)
             if (known_from(attrs) or "") > "2021-06-30"}
    visit = open_offline(out.read_text(encoding="utf-8"))

    assert later  # the bundled data holds facts of 2021 and 2022
    assert visit.page.locator("#kg-day-shown").text_content() == "30 Juni 2021"
    assert _shown(visit) == set(graph) - later
    visit.page.focus("#kg-day")
    visit.page.keyboard.press("End")
    assert _shown(visit) == set(graph)
    assert visit.errors == []
    assert visit.blocked == []


def test_slider_starts_on_the_day_asked(
    open_offline: Any, followup_graph: nx.MultiDiGraph
) -> None:
    visit = open_offline(render_html(followup_graph, as_of=date(2024, 6, 1)).html)
    assert visit.page.locator("#kg-day-shown").text_content() == "June 1, 2024"
    assert _shown(visit) & set(DATED) == {
        ACTUAL_2023, "eng-visit", "com-promo", "assessment:disperin:2024-06-01"
    }
    assert visit.errors == []


def test_no_slider_without_dated_facts(open_offline: Any) -> None:
    visit = open_offline(render_html(_graph()).html)
    assert visit.page.locator("#kg-day, #kg-as-of").count() == 0
    assert _shown(visit) == set(_graph())
    assert visit.errors == []


def test_an_unticked_label_stays_hidden_as_the_slider_moves(
    open_offline: Any, followup_graph: nx.MultiDiGraph
) -> None:
    visit = open_offline(render_html(followup_graph).html)
    visit.page.uncheck("#kg-legend-labels input[value=Engagement]")
    _slide_to(visit, "2024-06-01")
    _slide_to(visit, "2024-09-12")
    engagements = {"eng-visit", "eng-hostile", "eng-temu"}
    assert _shown(visit) & engagements == set()
    visit.page.check("#kg-legend-labels input[value=Engagement]")
    assert _shown(visit) >= engagements
    _slide_to(visit, "2024-06-01")
    assert _shown(visit) & engagements == {"eng-visit"}
    assert visit.errors == []


def test_hostile_title_stays_text_after_moving_the_slider(
    open_offline: Any, followup_graph: nx.MultiDiGraph
) -> None:
    visit = open_offline(render_html(followup_graph).html)
    _slide_to(visit, "2024-03-05")
    assert "eng-hostile" not in _shown(visit)
    _slide_to(visit, "2024-07-01")
    assert "eng-hostile" in _shown(visit) and "eng-temu" not in _shown(visit)

    for node, heading in [("eng-hostile", HOSTILE_TITLE), ("hostile", HOSTILE)]:
        tooltip = visit.hover(node)
        assert tooltip.locator(".kg-card-heading").text_content() == heading
        visit.page.mouse.click(*visit.node_point(node))
        assert visit.page.evaluate("window.kgViz.network.getSelectedNodes()") == [node]
        assert visit.page.locator("#kg-details .kg-card-heading").text_content() == heading
        visit.page.mouse.move(5, 5)

    assert visit.page.locator("img, a[href]").count() == 0
    assert visit.dialogs == []
    assert visit.errors == []
    assert visit.blocked == []


def test_a_commitment_done_later_reads_open_in_its_tooltip(
    open_offline: Any, followup_graph: nx.MultiDiGraph
) -> None:
    visit = open_offline(render_html(followup_graph).html)
    _slide_to(visit, "2024-07-01")
    rows = dict(visit.hover("com-promo").locator("tr").evaluate_all(
        "rows => rows.map(r => [r.cells[0].textContent, r.cells[1].textContent])"
    ))
    assert rows["status"] == "open" and "doneOn" not in rows  # not known on that day
    assert rows["madeOn"] == "2024-03-05"
    assert visit.errors == []

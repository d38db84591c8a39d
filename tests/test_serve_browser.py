"""kg serve in a real browser: Debian's chromium, driven by Playwright, against the server
run as a process on a free port of 127.0.0.1 and stopped with SIGTERM.

Every request to another origin is blocked and counted (none may happen); console errors,
page errors and dialogs are collected (none may happen either). A user searches with a
misspelt name, expands the network twice, filters it, opens a finding's subject and
switches the language; an actor named ``<img src=x onerror=...>`` is hovered and clicked.
Set ``KG_SERVE_SCREENSHOTS`` to a folder to keep a screenshot of each page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kg.catalogue import words

from .serve_support import HOSTILE, HOSTILE_ID, Server, hostile_store, running_server
from .test_viz_browser import CHROMIUM
from .test_viz_browser import browser as browser  # the fixture: one chromium per module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason="needs Debian's chromium (/usr/bin/chromium)",
    ),
]


@dataclass
class Visit:
    page: Any
    server: Server
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def shot(self, name: str) -> None:
        folder = os.environ.get("KG_SERVE_SCREENSHOTS")
        if folder:
            self.page.screenshot(path=str(Path(folder) / f"{name}.png"))

    def node_point(self, node: str) -> tuple[float, float]:
        """Where the canvas draws ``node``, in page coordinates."""
        x, y = self.page.evaluate(
            """(node) => {
                const sigma = window.kgServe.sigma();
                const point = sigma.graphToViewport(sigma.getGraph().getNodeAttributes(node));
                const box = sigma.getContainer().getBoundingClientRect();
                return [box.left + point.x, box.top + point.y];
            }""",
            node,
        )
        return float(x), float(y)

    def wait_for_nodes(self, more_than: int) -> None:
        """Wait until the canvas holds more than ``more_than`` nodes (polled from here:
        Playwright's wait_for_function evaluates a string, which the page's policy
        refuses)."""
        for _ in range(300):
            order = "() => window.kgServe.graph() ? window.kgServe.graph().order : 0"
            if self.page.evaluate(order) > more_than:
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(f"the canvas never held more than {more_than} nodes")

    def canvas_nodes(self) -> set[str]:
        return set(self.page.evaluate("window.kgServe.graph().nodes()"))

    def hidden(self, node: str) -> bool:
        return bool(self.page.evaluate(
            "(node) => Boolean(window.kgServe.sigma().getNodeDisplayData(node).hidden)", node))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(hostile_store(tmp_path_factory.mktemp("serve-browser"))) as running:
        yield running


@pytest.fixture
def visit(browser: Any, server: Server) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    found = Visit(context.new_page(), server)

    def route(route: Any) -> None:
        if route.request.url.startswith(server.origin + "/"):
            route.continue_()
        else:
            found.blocked.append(route.request.url)
            route.abort()

    def dialog(dialog: Any) -> None:
        found.dialogs.append(dialog.message)
        dialog.dismiss()

    found.page.route("**/*", route)
    found.page.on("console", lambda m: m.type == "error" and found.errors.append(m.text))
    found.page.on("pageerror", lambda error: found.errors.append(str(error)))
    found.page.on("dialog", dialog)
    found.page.goto(server.address)
    found.page.locator("#nav-canvas").wait_for()
    yield found
    context.close()
    assert found.blocked == []
    assert found.errors == []
    assert found.dialogs == []


def test_the_token_leaves_the_address_and_the_cookie_is_httponly(visit: Visit) -> None:
    assert "token" not in visit.page.url
    assert visit.page.evaluate("document.cookie") == ""  # HttpOnly: not for scripts
    cookies = visit.page.context.cookies()
    assert [(c["httpOnly"], c["sameSite"]) for c in cookies] == [(True, "Strict")]


def test_search_misspelt_expand_twice_filter(visit: Visit) -> None:
    page = visit.page
    page.fill("#search", "batk malon")
    first = page.locator("#suggestions a").first
    first.wait_for()
    visit.shot("search")
    assert "Kampung Batik Malon" in first.inner_text()
    first.click()
    page.locator("h1.node-name").wait_for()
    assert page.locator("h1.node-name").inner_text().startswith("Kampung Batik Malon")
    visit.shot("node")

    page.get_by_text(words("en", "serve")["open_canvas"]).click()
    page.locator("#counts").wait_for()
    visit.wait_for_nodes(1)
    start = visit.canvas_nodes()
    assert "sentra-batik-malon" in start

    # Expand twice: an activity of the sentra, then an actor of that activity.
    activity = "act-capacity-malon"
    assert activity in start
    page.mouse.dblclick(*visit.node_point(activity))
    visit.wait_for_nodes(len(start))
    once = visit.canvas_nodes()
    actors = sorted(node for node in once - start if node.startswith("actor-"))
    assert actors
    page.mouse.dblclick(*visit.node_point(actors[0]))
    visit.wait_for_nodes(len(once))
    twice = visit.canvas_nodes()
    assert twice > once > start
    visit.shot("canvas")

    # Filter: untick the activities; they are hidden, the rest stay.
    page.locator("input[data-filter='label:Activity']").uncheck()
    assert visit.hidden(activity) and not visit.hidden("sentra-batik-malon")
    page.locator("input[data-filter='label:Activity']").check()
    assert not visit.hidden(activity)


def test_a_findings_subject_opens_and_the_language_switches(visit: Visit) -> None:
    page = visit.page
    page.locator("#nav-audit").click()
    first = page.locator("#audit tbody tr td a").first
    first.wait_for()
    today = page.locator("#audit-day").input_value()
    page.fill("#audit-day", "2023-06-30")  # the audit as of another day, from the server
    page.locator("#audit[data-as-of='2023-06-30']").wait_for()
    assert today != "2023-06-30"
    first = page.locator("#audit tbody tr td a").first
    first.wait_for()
    subject = first.inner_text()
    page.fill("#audit-filter", subject)
    assert page.locator("#audit tbody tr").count() >= 1
    visit.shot("audit")
    first.click()
    page.locator("h1.node-name").wait_for()
    assert page.locator("h1.node-name").inner_text() == subject

    page.select_option("#lang", "id")
    indonesian = words("id", "serve")
    page.locator(f"#nav-raci:text('{indonesian['nav_raci']}')").wait_for()
    assert page.locator("#nav-search").inner_text() == indonesian["nav_search"]
    assert page.locator("main h2").first.inner_text() == indonesian["properties"]
    page.locator("#nav-audit").click()
    page.locator("#audit thead th").first.wait_for()
    assert page.locator("#audit thead th").all_inner_texts() == [
        indonesian[key] for key in ("severity", "check", "subject", "message")
    ]
    visit.shot("audit-id")


def test_a_hostile_name_is_inert_on_hover_click_and_in_every_page(visit: Visit) -> None:
    page = visit.page
    page.goto(f"{visit.server.origin}/#/canvas/act-relocation-kiw")
    visit.wait_for_nodes(1)
    assert HOSTILE_ID in visit.canvas_nodes()
    point = visit.node_point(HOSTILE_ID)
    page.mouse.move(*point)
    page.wait_for_timeout(300)
    page.mouse.click(*point)
    assert page.locator("#details h3").inner_text() == HOSTILE
    page.mouse.dblclick(*point)
    page.wait_for_timeout(500)
    visit.shot("hostile-canvas")
    page.locator("#details a").click()
    page.locator("h1.node-name").wait_for()
    assert page.locator("h1.node-name").inner_text() == HOSTILE
    for view in ("raci", "grid"):
        page.locator(f"#nav-{view}").click()
        named = page.locator("main a", has_text=HOSTILE).first  # the grid's table, too
        named.wait_for()
        named.hover()
    page.fill("#search", "onerror")
    page.locator("#suggestions a").first.wait_for()
    page.locator("#suggestions a").first.hover()
    visit.shot("hostile-raci")
    assert page.locator("img").count() == 0
    assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0


def test_the_network_starts_from_a_zone(visit: Visit) -> None:
    page = visit.page
    page.locator("#nav-canvas").click()
    zone = page.locator("ul.starts a[href^='#/canvas/zone']").first
    zone.wait_for()
    name = zone.inner_text()
    zone.click()
    visit.wait_for_nodes(1)
    assert page.locator("#details h3").inner_text() == name


# -- the days: the canvas's time slider, the timeline ------------------------------------------

COMMITMENT = "kom-regulasi-pusat-ikm"
"""A commitment of the bundled data, made on 2022-05-12, at the KIW sentra."""


def test_the_time_slider_hides_what_is_dated_after_its_day_and_shows_it_again(
    visit: Visit,
) -> None:
    page = visit.page
    page.goto(f"{visit.server.origin}/#/canvas/sentra-logam-kiw")
    visit.wait_for_nodes(1)
    page.locator("#canvas-day").wait_for()
    assert COMMITMENT in visit.canvas_nodes() and not visit.hidden(COMMITMENT)
    today = page.locator("#canvas-day-shown").inner_text()

    page.locator("#canvas-day").focus()
    page.keyboard.press("Home")  # the day before the first dated fact
    assert page.locator("#canvas-day-shown").inner_text() == "2022-05-11"
    assert visit.hidden(COMMITMENT)
    assert not visit.hidden("sentra-logam-kiw")  # undated: there on every day
    assert page.locator("#canvas-dated").inner_text() == words("en", "serve")["pages"][
        "dated_hidden"].format(hidden=2, dated=2)  # the commitment and the indicator
    visit.shot("canvas-slider-before")

    page.keyboard.press("ArrowRight")  # the day it was made: there
    assert page.locator("#canvas-day-shown").inner_text() == "2022-05-12"
    assert not visit.hidden(COMMITMENT)
    page.keyboard.press("End")
    assert page.locator("#canvas-day-shown").inner_text() == today
    assert not visit.hidden(COMMITMENT)
    page.mouse.click(*visit.node_point(COMMITMENT))
    assert page.locator("#details > *").all_inner_texts()[:3] == [
        visit.page.evaluate(f"window.kgServe.graph().getNodeAttribute('{COMMITMENT}', 'label')"),
        f"{words('en', 'labels')['Commitment']} \u00b7 {COMMITMENT}",
        words("en", "serve")["pages"]["exists_from"].format(day="2022-05-12"),
    ]
    visit.shot("canvas-slider-today")


def test_moving_the_slider_asks_the_findings_of_its_day(visit: Visit) -> None:
    page = visit.page
    page.goto(f"{visit.server.origin}/#/canvas/sentra-logam-kiw")
    visit.wait_for_nodes(1)
    page.locator("#canvas-day").wait_for()
    gap = "(node) => window.kgServe.graph().getNodeAttribute(node, 'gap')"
    assert page.evaluate(gap, COMMITMENT) == "warning"  # open, with no due date
    with page.expect_response(lambda r: "/api/gaps" in r.url and "as_of=2022-05-11" in r.url):
        page.locator("#canvas-day").focus()
        page.keyboard.press("Home")
    for _ in range(50):  # the answer is applied after it arrives
        if page.evaluate(gap, COMMITMENT) is None:
            break
        page.wait_for_timeout(100)
    assert page.evaluate(gap, COMMITMENT) is None  # not made yet: no finding about it


def test_the_timeline_in_both_languages(visit: Visit) -> None:
    page = visit.page
    english, indonesian = words("en", "timeline"), words("id", "timeline")
    page.locator("#nav-timeline").click()
    page.locator("#timeline-title").wait_for()
    page.fill("#timeline-day", "2026-06-30")
    page.locator("#timeline[data-as-of='2026-06-30']").wait_for()
    assert page.locator("#timeline-title").inner_text() == english["title"].format(
        as_of="2026-06-30")
    headers = page.locator("table.timeline").first.locator("th").all_inner_texts()
    assert headers[0] == english["columns"]["activity"]
    captions = page.locator("figure.indicator figcaption").all_inner_texts()
    assert any("pdrb_manufacturing_share_pct" in caption for caption in captions)
    assert page.locator("figure.indicator svg polyline, figure.indicator svg circle").count()

    page.select_option("#timeline-sentra", "sentra-logam-kiw")
    page.locator("#timeline-sentra").wait_for()
    made = "Menyusun regulasi pusat IKM"
    page.locator("table.timeline td", has_text=made).first.wait_for()
    visit.shot("timeline")

    page.select_option("#lang", "id")
    linimasa = words("id", "serve")["pages"]["nav_timeline"]
    page.locator(f"#nav-timeline:text('{linimasa}')").wait_for()
    page.locator("#timeline-title").wait_for()
    title = page.locator("#timeline-title").inner_text()
    assert title.startswith(indonesian["title_sentra"].split("{")[0])
    assert title.endswith("2026-06-30")
    headers = page.locator("table.timeline").first.locator("th").all_inner_texts()
    assert headers[0] == indonesian["columns"]["activity"]
    terbuka = words("id", "commitment_statuses")["open"]
    assert page.locator("table.timeline td", has_text=terbuka).count()
    visit.shot("timeline-id")

    page.fill("#timeline-day", "2022-01-01")  # before the commitment was made
    page.locator("#timeline[data-as-of='2022-01-01']").wait_for()
    assert page.locator("table.timeline td", has_text=made).count() == 0


# -- the stakeholder grid, the node page's words ------------------------------------------------


def test_the_grid_is_drawn_and_a_hostile_name_is_inert_on_hover_and_click(visit: Visit) -> None:
    page = visit.page
    page.locator("#nav-grid").click()
    points = page.locator("#grid-picture svg circle.kg-point")
    points.first.wait_for()
    assert sorted(points.evaluate_all("(all) => all.map((p) => p.dataset.actor)")) == [
        "actor-disperin", HOSTILE_ID]
    hostile = page.locator(f"circle.kg-point[data-actor='{HOSTILE_ID}']")
    hostile.hover()
    page.locator("#grid-tooltip h3").wait_for()
    assert page.locator("#grid-tooltip h3").inner_text() == HOSTILE
    assert page.locator("#grid-tooltip").inner_text().split("\n")[-1] != "null"
    assert page.locator("#grid-tooltip > *").count() == 2  # the name and its details
    hostile.click()
    assert page.locator("#grid-details h3").inner_text() == HOSTILE
    visit.shot("grid")
    assert page.locator("#grid tbody a", has_text=HOSTILE).count() == 1  # the table below
    assert page.locator("img").count() == 0
    assert page.evaluate("document.querySelectorAll('[onerror]').length") == 0
    page.locator("#grid-details a").click()
    page.locator("h1.node-name").wait_for()
    assert page.locator("h1.node-name").inner_text() == HOSTILE

    page.select_option("#lang", "id")
    page.locator("#nav-grid").click()
    closely = words("id", "stakeholders.quadrant")["manage_closely"]
    page.locator("#grid-picture svg text", has_text=closely).wait_for()
    page.locator(f"circle.kg-point[data-actor='{HOSTILE_ID}']").click()
    assert page.locator("#grid-details h3").inner_text() == HOSTILE
    visit.shot("grid-id")


def test_a_node_page_in_indonesian_names_its_properties_in_indonesian(visit: Visit) -> None:
    page = visit.page
    page.goto(f"{visit.server.origin}/#/node/sentra-logam-kiw")
    page.locator("#properties").wait_for()
    assert "kiosksTotal" in page.locator("#properties tbody th").all_inner_texts()
    page.select_option("#lang", "id")
    page.locator("#properties th", has_text="jumlah_kios").wait_for()
    names = page.locator("#properties tbody th").all_inner_texts()
    assert {"jumlah_kios", "kios_terisi", "nama", "catatan", "sumber"} <= set(names)
    assert "kiosksTotal" not in names and "name" not in names
    status = page.locator("#properties tr[data-key='status'] td").inner_text()
    assert status == "aktif"  # VALUE_WORDS of SentraStatus.active
    visit.shot("node-id")


def test_a_large_canvas_hides_its_edges_while_the_camera_moves(visit: Visit) -> None:
    # Drawing the edges is most of a frame in software WebGL; a small canvas keeps them.
    page = visit.page
    page.goto(f"{visit.server.origin}/#/canvas/sentra-logam-kiw")
    visit.wait_for_nodes(1)
    hides = "() => window.kgServe.sigma().getSetting('hideEdgesOnMove')"
    assert page.evaluate(hides) is False
    page.evaluate("""() => {
        const graph = window.kgServe.graph();
        for (let i = 0; graph.order <= 2000; i++) {
            graph.addNode(`extra-${i}`, { x: i, y: i, size: 2 });
        }
    }""")
    assert page.evaluate(hides) is True
    page.evaluate("() => window.kgServe.graph().dropNode('extra-0')")
    assert page.evaluate(hides) is False
    page.evaluate("() => window.kgServe.graph().clear()")
    assert page.evaluate(hides) is False

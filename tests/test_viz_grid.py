"""kg viz --view grid: the power/interest grid, in Python and in a real browser.

The browser tests follow tests/test_viz_browser.py: Debian's chromium driven by Playwright,
every request but the page's own file blocked and recorded, a hostile name hovered and
clicked as a user would.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.viz.grid import ATTITUDE_COLORS, GridActor, render_grid

from .conftest import DATA

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = "<a href=x><img src=x onerror=alert(1)>"

ACTORS = [
    GridActor("dinas", "Dinas Contoh", 5, 5, "supportive", 1.0, [("kind", "government")]),
    GridActor("bank", "Bank Contoh", 5, 1, "neutral", 0.2),
    GridActor("hostile", HOSTILE, 1, 4, "opposed", 0.0, [("note", HOSTILE)]),
    GridActor("twin", "Kembar Contoh", 1, 4, None, 0.5),
    GridActor("cv", "CV Contoh", None, None),
]
"""Four assessed actors (two with equal ratings) and one not assessed."""


def points(page_html: str) -> dict[str, dict[str, str]]:
    """The page's points by actor id, each with its attributes."""
    found = {}
    for circle in re.findall(r"<circle ([^>]*)>", page_html):
        attributes = dict(re.findall(r'([a-z-]+)="([^"]*)"', circle))
        found[attributes["data-actor"]] = attributes
    return found


def test_every_assessed_actor_is_one_point_and_the_others_are_listed() -> None:
    page = render_grid(ACTORS)
    assert page.nodes == 4
    assert set(points(page.html)) == {"dinas", "bank", "hostile", "twin"}
    assert "Not placed (not assessed, or a rating missing): CV Contoh" in page.html


def test_points_are_sized_by_structural_weight_and_coloured_by_attitude() -> None:
    drawn = points(render_grid(ACTORS).html)
    assert float(drawn["dinas"]["r"]) > float(drawn["twin"]["r"]) > float(drawn["hostile"]["r"])
    assert drawn["dinas"]["fill"] == ATTITUDE_COLORS["supportive"]
    assert drawn["hostile"]["fill"] == ATTITUDE_COLORS["opposed"]
    assert drawn["twin"]["fill"] == ATTITUDE_COLORS[None]


def test_actors_with_equal_ratings_do_not_cover_each_other() -> None:
    drawn = points(render_grid(ACTORS).html)
    assert (drawn["hostile"]["cx"], drawn["hostile"]["cy"]) != (drawn["twin"]["cx"],
                                                                  drawn["twin"]["cy"])


def test_quadrants_are_named_in_the_pages_language() -> None:
    english, indonesian = render_grid(ACTORS).html, render_grid(ACTORS, lang="id").html
    for name in ("manage closely", "keep satisfied", "keep informed", "monitor"):
        assert f">{name}</text>" in english
    for name in ("kelola secara dekat", "jaga kepuasan", "beri informasi", "pantau"):
        assert f">{name}</text>" in indonesian


def test_the_threshold_moves_the_quadrant_lines() -> None:
    def manage_closely(page_html: str) -> str:
        match = re.search(r'<rect class="kg-quadrant kg-manage_closely" x="([0-9.]+)"', page_html)
        assert match is not None
        return match.group(1)

    assert manage_closely(render_grid(ACTORS, high_from=4).html) > manage_closely(
        render_grid(ACTORS, high_from=3).html)


def test_names_are_escaped_in_the_html() -> None:
    page_html = render_grid(ACTORS).html
    assert HOSTILE not in page_html
    assert "&lt;a href=x&gt;&lt;img src=x onerror=alert(1)&gt;" in page_html


def test_kg_viz_view_grid_writes_the_grid_of_the_stores_assessments(tmp_path: Path) -> None:
    store, output = str(tmp_path / "store"), tmp_path / "grid.html"
    assert CliRunner().invoke(cli, ["--store", store, "load",
                                    str(DATA / "assessments")]).exit_code == 0
    result = CliRunner().invoke(cli, ["--store", store, "viz", "--view", "grid",
                                      "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {output}: the grid view; actors placed: 8, not assessed: 1\n"
    assert set(points(output.read_text(encoding="utf-8"))) == {
        "a-dinas", "a-bank", "a-asosiasi", "a-kelompok", "a-kampus", "a-warga", "a-tokoh",
        "a-pasif"}



def test_kg_viz_grid_as_of_places_actors_by_their_assessment_on_that_day(
    tmp_path: Path,
) -> None:
    """Only a-dinas was assessed by 2024-06-01 (on 2024-01-10); the rest on 2025-02-01."""
    store, output = str(tmp_path / "store"), tmp_path / "grid.html"
    assert CliRunner().invoke(cli, ["--store", store, "load",
                                    str(DATA / "assessments")]).exit_code == 0
    result = CliRunner().invoke(cli, ["--store", store, "viz", "--view", "grid",
                                      "--as-of", "2024-06-01", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {output}: the grid view; actors placed: 1, not assessed: 8\n"
    assert set(points(output.read_text(encoding="utf-8"))) == {"a-dinas"}


# -- in a browser -------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    # Under CI a missing browser is a failure, not a skip.
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="needs Debian's chromium (/usr/bin/chromium)",
)


@dataclass
class Visit:
    page: Any
    url: str
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright from PyPI")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def grid_visit(browser: Any, tmp_path: Path) -> Iterator[Visit]:
    path = tmp_path / "grid.html"
    path.write_text(render_grid(ACTORS).html, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
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
    visit.page.on("console",
                  lambda message: message.type == "error" and visit.errors.append(message.text))
    visit.page.on("pageerror", lambda error: visit.errors.append(str(error)))
    visit.page.on("dialog", dialog)
    visit.page.goto(visit.url)
    visit.page.locator("body[data-kg-state=ready]").wait_for(state="attached", timeout=30_000)
    yield visit
    context.close()


@pytest.mark.browser
@needs_chromium
def test_grid_draws_offline_without_errors(grid_visit: Visit, tmp_path: Path) -> None:
    page = grid_visit.page
    assert page.locator("circle.kg-point").count() == 4
    for circle in page.locator("circle.kg-point").all():
        box = circle.bounding_box()
        assert box is not None and 0 <= box["x"] <= 1280 and 0 <= box["y"] <= 900
    page.screenshot(path=str(tmp_path / "grid.png"))
    assert (grid_visit.errors, grid_visit.blocked, grid_visit.dialogs) == ([], [], [])


@pytest.mark.browser
@needs_chromium
def test_hostile_name_is_inert_on_hover_and_click(grid_visit: Visit) -> None:
    page = grid_visit.page
    point = page.locator('circle.kg-point[data-actor="hostile"]')
    point.hover()
    assert page.locator("#kg-tooltip h2").text_content() == HOSTILE
    point.click()
    assert page.locator("#kg-details h2").text_content() == HOSTILE
    assert page.locator("#kg-details dd").all_text_contents() == [HOSTILE]
    assert page.locator("img").count() == 0
    assert page.locator("#kg-details a, #kg-tooltip a").count() == 0
    page.wait_for_timeout(300)  # an onerror handler, had one been made, would have run
    assert (grid_visit.errors, grid_visit.blocked, grid_visit.dialogs) == ([], [], [])


@pytest.mark.browser
@needs_chromium
def test_clicking_a_point_shows_its_details(grid_visit: Visit) -> None:
    page = grid_visit.page
    page.locator('circle.kg-point[data-actor="dinas"]').click()
    assert page.locator("#kg-details h2").text_content() == "Dinas Contoh"
    assert page.locator("#kg-details dt").all_text_contents() == ["kind"]
    assert page.locator("#kg-details dd").all_text_contents() == ["government"]


def test_an_actors_details_in_indonesian_name_its_kind_in_indonesian(tmp_path: Path) -> None:
    store, output = str(tmp_path / "store"), tmp_path / "kisi.html"
    assert CliRunner().invoke(cli, ["--store", store, "load",
                                    str(DATA / "assessments")]).exit_code == 0
    result = CliRunner().invoke(cli, ["--store", store, "viz", "--view", "grid", "--lang", "id",
                                      "-o", str(output)])
    assert result.exit_code == 0, result.output
    page = output.read_text(encoding="utf-8")
    assert '["jenis","pemerintah"]' in page and '["jenis","keuangan"]' in page
    assert "keutamaan (salience)" in page
    assert '"government"' not in page

"""The power/interest grid as one self-contained, offline HTML page (``kg viz --view grid``).

Each assessed actor is a point: interest across, influence up, sized by its structural
influence and coloured by its attitude, in the quadrant its ratings put it (high = a
rating of ``high_from`` or more). Actors with the same ratings sit in a small ring round
their cell's centre rather than on top of each other; actors not assessed are listed
under the grid. The page draws everything as SVG on the server side, every name escaped;
its one small script shows a point's details on hover and click with ``textContent``
only, and a Content-Security-Policy allowing just that script (by hash) makes the browser
refuse any network request, as the other views do.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.catalogue import catalogue

from .page import Page, csp_hash, script_json

__all__ = ["ATTITUDE_COLORS", "GRID_STYLE", "GridActor", "grid_svg", "render_grid"]

ATTITUDE_COLORS: dict[str | None, str] = {
    "supportive": "#59a14f",
    "neutral": "#9c9c9c",
    "opposed": "#e15759",
    None: "#ffffff",
}
"""Fill of a point by the actor's attitude (white: not given)."""

_SIZE = 660
"""Width and height of the plotting square, in SVG units."""
_MARGIN = 70
_RADIUS = (7.0, 22.0)
"""Radius of a point with no structural influence and with the most."""
_RING = 0.22
"""Radius, in rating units, of the ring actors with equal ratings share."""


@dataclass(frozen=True)
class GridActor:
    """One actor to place: its ratings, attitude, structural weight and details."""

    id: str
    name: str
    influence: int | None
    interest: int | None
    attitude: str | None = None
    weight: float = 0.0
    """Structural influence from 0 (none) to 1 (the most): the point's size."""
    details: list[tuple[str, str]] = field(default_factory=list)
    """(what, value) rows shown when the point is hovered or clicked."""


def render_grid(
    actors: Sequence[GridActor],
    *,
    high_from: int = 3,
    title: str | None = None,
    lang: str = "en",
) -> Page:
    """Return the grid page of ``actors``; ``Page.nodes`` counts the points placed.

    Parameters
    ----------
    actors : Sequence[GridActor]
        The actors, assessed or not (those without both ratings are listed, not placed).
    high_from : int
        A rating at least this is high: where the quadrants part.
    title : str, optional
        The page's title (default: the catalogue's).
    lang : str
        Language of the quadrant names and the page (``en`` or ``id``).

    Examples
    --------
    >>> page = render_grid([GridActor("a", "Dinas", 5, 4, "supportive", 1.0),
    ...                     GridActor("b", "Warga", None, None)])
    >>> page.nodes, "Dinas" in page.html, "manage closely" in page.html
    (1, True, True)
    """
    words = catalogue(lang)["stakeholders"]
    grid_words = words["grid"]
    placed = [a for a in actors if a.influence is not None and a.interest is not None]
    unplaced = [a for a in actors if a.influence is None or a.interest is None]
    svg = grid_svg(placed, high_from, lang)
    records = [
        {"id": a.id, "name": a.name, "details": [[k, v] for k, v in a.details]} for a in placed
    ]
    script = _STATIC_SCRIPT
    style = _STATIC_STYLE
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {csp_hash(script)}",
        f"style-src {csp_hash(style)}",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    heading = title or grid_words["title"].format(high_from=high_from)
    listed = ", ".join(html.escape(a.name) for a in unplaced)
    legend = "".join(
        f'<li><span class="kg-swatch" data-fill="{html.escape(color)}"></span>'
        f"{html.escape(words['attitude'].get(key or '', grid_words['no_attitude']))}</li>"
        for key, color in ATTITUDE_COLORS.items()
    )
    document = f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{html.escape(heading)}</title>
<style>{style}</style>
</head>
<body data-kg-state="loading">
<h1>{html.escape(heading)}</h1>
<main>
<div id="kg-grid">{svg}</div>
<aside>
<p>{html.escape(grid_words["how"])}</p>
<ul id="kg-legend">{legend}</ul>
<div id="kg-details" aria-live="polite"><p>{html.escape(grid_words["click"])}</p></div>
<p id="kg-unplaced">{html.escape(grid_words["unplaced"])}: {listed or "-"}</p>
</aside>
</main>
<div id="kg-tooltip" hidden></div>
<script type="application/json" id="kg-grid-data">{script_json(records)}</script>
<script>{script}</script>
</body>
</html>
"""
    return Page(document, nodes=len(placed), relationships=0)


def grid_svg(placed: Sequence[GridActor], high_from: int, lang: str = "en") -> str:
    """The grid itself as SVG markup (every name escaped): quadrants, ratings, axes, and a
    ``kg-point`` circle per placed actor whose ``data-index`` is its place in ``placed``
    and ``data-actor`` its id; ``kg serve`` draws it in its page as ``render_grid`` does."""
    words = catalogue(lang)["stakeholders"]
    size, margin = _SIZE, _MARGIN
    full = size + 2 * margin

    def x(interest: float) -> float:
        return margin + (interest - 0.5) / 5 * size

    def y(influence: float) -> float:
        return margin + (5.5 - influence) / 5 * size

    cut = high_from - 0.5
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full} {full}" '
             f'width="{full}" height="{full}" role="img">']
    quadrants = words["quadrant"]
    corners = [
        ("keep_satisfied", x(0.5), y(5.5), 0.5, cut, cut, 5.5),
        ("manage_closely", x(cut), y(5.5), cut, 5.5, cut, 5.5),
        ("monitor", x(0.5), y(cut), 0.5, cut, 0.5, cut),
        ("keep_informed", x(cut), y(cut), cut, 5.5, 0.5, cut),
    ]
    for key, left, top, low_x, high_x, low_y, high_y in corners:
        width, height = x(high_x) - x(low_x), y(low_y) - y(high_y)
        if width <= 0 or height <= 0:
            continue
        parts.append(f'<rect class="kg-quadrant kg-{key}" x="{left:.1f}" y="{top:.1f}" '
                     f'width="{width:.1f}" height="{height:.1f}"/>')
        parts.append(f'<text class="kg-quadrant-name" x="{left + 8:.1f}" y="{top + 22:.1f}">'
                     f"{html.escape(quadrants[key])}</text>")
    for rating in range(1, 6):
        parts.append(f'<text class="kg-tick" x="{x(rating):.1f}" y="{margin + size + 22}" '
                     f'text-anchor="middle">{rating}</text>')
        parts.append(f'<text class="kg-tick" x="{margin - 14}" y="{y(rating) + 5:.1f}" '
                     f'text-anchor="middle">{rating}</text>')
    grid_words = words["grid"]
    parts.append(f'<text class="kg-axis" x="{margin + size / 2:.1f}" y="{full - 16}" '
                 f'text-anchor="middle">{html.escape(grid_words["interest"])}</text>')
    parts.append(f'<text class="kg-axis" x="22" y="{margin + size / 2:.1f}" '
                 f'text-anchor="middle" transform="rotate(-90 22 {margin + size / 2:.1f})">'
                 f'{html.escape(grid_words["influence"])}</text>')
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, actor in enumerate(placed):
        assert actor.influence is not None and actor.interest is not None
        cells[(actor.interest, actor.influence)].append(index)
    for (interest, influence), members in sorted(cells.items()):
        for place, index in enumerate(members):
            actor = placed[index]
            angle = 2 * math.pi * place / len(members)
            ring = _RING if len(members) > 1 else 0.0
            cx = x(interest + ring * math.cos(angle))
            cy = y(influence + ring * math.sin(angle))
            radius = _RADIUS[0] + (_RADIUS[1] - _RADIUS[0]) * max(0.0, min(1.0, actor.weight))
            fill = ATTITUDE_COLORS.get(actor.attitude, ATTITUDE_COLORS[None])
            parts.append(
                f'<circle class="kg-point" data-index="{index}" data-actor="'
                f'{html.escape(actor.id)}" cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.1f}" '
                f'fill="{fill}" tabindex="0"><title>{html.escape(actor.name)}</title></circle>'
            )
    parts.append("</svg>")
    return "".join(parts)


# The page's own script and style, in the page; their hashes go into its policy.
_STATIC_SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-grid-data").textContent);
  var tooltip = document.getElementById("kg-tooltip");
  var details = document.getElementById("kg-details");
  function rows(record, into) {
    var heading = document.createElement("h2");
    heading.textContent = record.name;
    into.appendChild(heading);
    var list = document.createElement("dl");
    record.details.forEach(function (pair) {
      var term = document.createElement("dt");
      term.textContent = pair[0];
      var value = document.createElement("dd");
      value.textContent = pair[1];
      list.appendChild(term);
      list.appendChild(value);
    });
    into.appendChild(list);
  }
  document.querySelectorAll("#kg-legend .kg-swatch").forEach(function (swatch) {
    swatch.style.background = swatch.getAttribute("data-fill");
  });
  document.querySelectorAll(".kg-point").forEach(function (point) {
    var record = data[Number(point.getAttribute("data-index"))];
    point.addEventListener("mouseenter", function (event) {
      tooltip.replaceChildren();
      rows(record, tooltip);
      tooltip.style.left = (event.pageX + 14) + "px";
      tooltip.style.top = (event.pageY + 14) + "px";
      tooltip.hidden = false;
    });
    point.addEventListener("mouseleave", function () { tooltip.hidden = true; });
    function show() {
      details.replaceChildren();
      rows(record, details);
      document.querySelectorAll(".kg-point.kg-chosen").forEach(function (other) {
        other.classList.remove("kg-chosen");
      });
      point.classList.add("kg-chosen");
    }
    point.addEventListener("click", show);
    point.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") { show(); }
    });
  });
  document.body.setAttribute("data-kg-state", "ready");
})();
"""

GRID_STYLE = """
.kg-quadrant { stroke: #888; stroke-width: 1; }
.kg-manage_closely { fill: #fde2e1; }
.kg-keep_satisfied { fill: #fff3d6; }
.kg-keep_informed { fill: #e3effa; }
.kg-monitor { fill: #f2f2f2; }
.kg-quadrant-name { font-size: 15px; font-weight: bold; fill: #444; }
.kg-tick, .kg-axis { font-size: 13px; fill: #444; }
.kg-point { stroke: #333; stroke-width: 1.5; cursor: pointer; opacity: 0.9; }
.kg-point.kg-chosen { stroke: #000; stroke-width: 4; }
"""
"""The style of ``grid_svg``'s classes (quadrants, ticks, points), for every page that
draws the grid: this one, and ``kg serve``'s (served as a style sheet)."""

_STATIC_STYLE = GRID_STYLE + """
body { font-family: system-ui, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 18px; }
main { display: flex; gap: 24px; align-items: flex-start; }
aside { max-width: 380px; font-size: 14px; }
#kg-tooltip { position: absolute; background: #fff; border: 1px solid #888;
  padding: 6px 10px; font-size: 13px; pointer-events: none; max-width: 360px; }
#kg-tooltip h2, #kg-details h2 { font-size: 15px; margin: 0 0 4px; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; }
dt { color: #555; }
dd { margin: 0; }
#kg-legend { list-style: none; padding: 0; }
.kg-swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #333;
  border-radius: 50%; margin-right: 6px; vertical-align: middle; }
"""

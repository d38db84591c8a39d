"""The brief's pictures, drawn as inline SVG so printing needs no script: bar charts, the
kiosk bar, a product's supply chain, a sentra's neighbourhood, the stakeholder grid, a
sentra's plan on a time line and an indicator against its targets.

Layouts are computed here (the neighbourhood from the graph networkx holds), colours and
shapes are ``kg.viz``'s styles, and every name passes through ``esc``.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import math
import textwrap
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kg.catalogue import number
from kg.chain import Chain
from kg.followup import TimelineActivity
from kg.indicators import IndicatorPoint, IndicatorSeries
from kg.report.formatting import esc, node_name, shorten
from kg.schema.model import Label
from kg.stakeholders import StakeholderAssessment
from kg.viz.styles import EDGE_STYLES, NODE_STYLES, OTHER_EDGE_STYLE, OTHER_STYLE, NodeStyle

if TYPE_CHECKING:
    import networkx as nx

MAX_COLUMN = 40
"""Nodes drawn at most in one column of a sentra's neighbourhood picture."""

NAME_LINE = 27
"""Characters per line of a name in the neighbourhood picture: 11 px DejaVu Sans, about
8 pt on A4, in the 200 px beside its column."""

CHAIN_LINE = 24
"""Characters per line of a name in a supply chain's box (150 px, 10 px type)."""

NAME_LINES = 3
"""Lines a name takes at most in a picture; a longer one ends in ``… [n]``, its note
number, and the notes below the picture give it whole."""

_HALO = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"'
"""A white outline that keeps a picture's names readable over the lines they cross."""


def _svg(width: float, height: float, body: str, label: str) -> str:
    return (
        f'<svg viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-label="{esc(label)}">{body}</svg>'
    )


def bar_chart(bars: Sequence[tuple[str, int, str]], *, label: str, lang: str = "en") -> str:
    """Horizontal bars: a name, a value and a colour each, scaled to the largest value."""
    name_width, bar_width, row = 330, 300, 22
    top = max((value for _, value, _ in bars), default=0) or 1
    parts = []
    for i, (name, value, color) in enumerate(bars):
        y = i * row
        length = bar_width * value / top
        parts.append(
            f'<text x="{name_width - 6}" y="{y + 15}" text-anchor="end" font-size="11">'
            f"<title>{esc(name)}</title>{esc(shorten(name, 52))}</text>"
            f'<rect x="{name_width}" y="{y + 4}" width="{max(length, 1):.1f}" height="{row - 8}" '
            f'fill="{color}"/>'
            f'<text x="{name_width + length + 5:.1f}" y="{y + 15}" font-size="11">'
            f"{esc(number(value, lang))}</text>"
        )
    return _svg(name_width + bar_width + 110, len(bars) * row + 4, "".join(parts), label)


def kiosk_bar(occupied: int, total: int, threshold: float) -> str:
    width, height = 520, 34
    filled = width * occupied / total
    color = "#c62828" if occupied / total < threshold else "#2e7d32"
    mark = width * threshold
    body = (
        f'<rect x="0" y="6" width="{width}" height="20" fill="#e6e6e6" stroke="#999"/>'
        f'<rect x="0" y="6" width="{filled:.1f}" height="20" fill="{color}"/>'
        f'<line x1="{mark:.1f}" y1="0" x2="{mark:.1f}" y2="{height}" stroke="#1d1d1d" '
        'stroke-width="2" stroke-dasharray="4 2"/>'
        f'<text x="{filled / 2:.1f}" y="21" text-anchor="middle" font-size="11" fill="#fff">'
        f"{occupied}/{total}</text>"
    )
    return _svg(width, height, body, f"{occupied}/{total}")


def _wrapped(name: str, notes: list[str], width: int = NAME_LINE) -> list[str]:
    """``name`` in lines of at most ``width`` characters, broken at blanks, at most
    `NAME_LINES`; a longer name is shortened to end in ``… [n]`` and added to ``notes``
    (n is its number there)."""
    lines = textwrap.wrap(name, width, break_on_hyphens=False) or [""]
    if len(lines) <= NAME_LINES:
        return lines
    notes.append(name)
    mark = f" [{len(notes)}]"
    rest = " ".join(lines[NAME_LINES - 1 :])
    return [*lines[: NAME_LINES - 1], shorten(rest, width - len(mark) + 1) + mark]


def chain_picture(upstream: Chain, downstream: Chain, markets_word: str) -> tuple[str, list[str]]:
    """Columns left to right: inputs by distance, the product, what it supplies, markets.

    Names wrap in their boxes as in :func:`_wrapped`; returns the SVG and the names it
    shortened, whole, in the order of their note numbers."""
    product = upstream.start
    column: dict[str, int] = {product: 0}
    edges: set[tuple[str, str]] = set()
    for path in upstream.paths:
        for depth, node in enumerate(path):
            column.setdefault(node, -depth)
        edges.update((b, a) for a, b in itertools.pairwise(path))
    for path in downstream.paths:
        for depth, node in enumerate(path):
            column.setdefault(node, depth)
        edges.update(itertools.pairwise(path))
    steps = {**upstream.steps, **downstream.steps}
    last = max(column.values())
    markets: dict[str, int] = {}
    for node, col in list(column.items()):
        if col >= 0:
            for market in steps[node].markets:
                markets.setdefault(market, last + 1)
                edges.add((node, "market:" + market))
    for market in markets:
        column["market:" + market] = last + 1
    first = min(column.values())
    by_column: dict[int, list[str]] = defaultdict(list)
    for node, col in column.items():
        by_column[col].append(node)
    notes: list[str] = []
    lines = {
        node: _wrapped(node.removeprefix("market:") if node.startswith("market:")
                       else steps[node].name, notes, CHAIN_LINE)
        for node in sorted(column, key=lambda n: (column[n], n))
    }  # fmt: skip
    box_w, gap_x, gap_y = 150, 46, 12
    box_h = max(34, 12 * max(map(len, lines.values())) + 12)
    rows = max(len(nodes) for nodes in by_column.values())
    height = rows * (box_h + gap_y) + gap_y + 16
    width = (max(column.values()) - first + 1) * (box_w + gap_x) + gap_x
    place: dict[str, tuple[float, float]] = {}
    for col, nodes in by_column.items():
        nodes.sort(key=lambda n: (n.startswith("market:"), steps[n].name if n in steps else n))
        offset = (height - 16 - len(nodes) * (box_h + gap_y) + gap_y) / 2
        for i, node in enumerate(nodes):
            place[node] = (gap_x + (col - first) * (box_w + gap_x),
                           16 + offset + i * (box_h + gap_y))
    arrow = "arrow-" + hashlib.sha256(product.encode("utf-8")).hexdigest()[:12]  # unique id
    parts = [
        f'<defs><marker id="{arrow}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#777"/></marker></defs>'
    ]
    if markets:
        market_x = gap_x + (last + 1 - first) * (box_w + gap_x)
        parts.append(f'<text x="{market_x + box_w / 2}" y="11" text-anchor="middle" font-size="10" '
                     f'fill="#555">{esc(markets_word)}</text>')
    for a, b in sorted(edges):
        (x1, y1), (x2, y2) = place[a], place[b]
        parts.append(
            f'<line x1="{x1 + box_w:.0f}" y1="{y1 + box_h / 2:.0f}" x2="{x2:.0f}" '
            f'y2="{y2 + box_h / 2:.0f}" stroke="#777" stroke-width="1.4" '
            f'marker-end="url(#{arrow})"/>'
        )
    market_style = NODE_STYLES[Label.MARKET]
    commodity_style = NODE_STYLES[Label.COMMODITY]
    for node, (x, y) in place.items():
        is_market = node.startswith("market:")
        name = node.removeprefix("market:") if is_market else steps[node].name
        style = market_style if is_market else commodity_style
        stroke = "#1d1d1d" if node == product else style.border
        spans = "".join(
            f'<tspan x="{x + box_w / 2:.0f}" dy="{0 if i == 0 else 12}">{esc(text)}</tspan>'
            for i, text in enumerate(lines[node])
        )
        ty = y + box_h / 2 + 4 - 6 * (len(lines[node]) - 1)  # the lines centred in the box
        parts.append(
            f'<g><title>{esc(name)}</title>'
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{box_w}" height="{box_h}" rx="5" '
            f'fill="{style.color}" fill-opacity="0.35" stroke="{stroke}" '
            f'stroke-width="{3 if node == product else 1.2}"/>'
            f'<text x="{x + box_w / 2:.0f}" y="{ty:.0f}" text-anchor="middle" font-size="10"'
            f'{" font-weight=\"700\"" if node == product else ""}>{spans}</text></g>'
        )
    return _svg(width, height, "".join(parts), steps[product].name), notes


def _shape(style: NodeStyle, x: float, y: float, r: float, stroke: str, width: float) -> str:
    paint = f'fill="{style.color}" stroke="{stroke}" stroke-width="{width}"'
    if style.shape in {"square", "box"}:
        return (f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" '
                f'height="{2 * r:.1f}" {paint}/>')
    shapes: dict[str, list[tuple[float, float]]] = {
        "triangle": [(0.0, -1.0), (1, 0.8), (-1, 0.8)],
        "triangleDown": [(-1, -0.8), (1, -0.8), (0, 1)],
        "diamond": [(0, -1.2), (1.2, 0), (0, 1.2), (-1.2, 0)],
        "hexagon": [(math.cos(a * math.pi / 3), math.sin(a * math.pi / 3)) for a in range(6)],
        "star": [
            ((1 if i % 2 == 0 else 0.45) * math.sin(i * math.pi / 5),
             -(1 if i % 2 == 0 else 0.45) * math.cos(i * math.pi / 5))
            for i in range(10)
        ],
    }
    corners = shapes.get(style.shape)
    if corners is None:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {paint}/>'
    points = " ".join(f"{x + dx * r * 1.15:.1f},{y + dy * r * 1.15:.1f}" for dx, dy in corners)
    return f'<polygon points="{points}" {paint}/>'


def neighbourhood_picture(
    part: nx.MultiDiGraph, centre: str, more: str
) -> tuple[str, list[str], list[str], list[str]]:
    """The sentra in the middle, its actors in a column on the left, everything else it
    is linked to (activities, commodities, kecamatan, regulations...) on the right, grouped
    by label; each relationship a line coloured by its type.

    Columns keep every name readable on paper, which rings around the sentra do not once
    it has twenty neighbours: a name wraps over up to `NAME_LINES` lines of `NAME_LINE`
    characters, and a longer one is shortened with a note number. A column holds at most
    `MAX_COLUMN` nodes; `more` (a template with ``{n}``) says how many were left out.

    Returns the SVG, the labels and relationship types it draws (for its legend), and the
    names it shortened, whole, in the order of their note numbers.
    """
    rank = {str(label): i for i, label in enumerate(NODE_STYLES)}

    def order(node: str) -> tuple[int, str, str]:
        label = str(part.nodes[node].get("label") or "")
        return (rank.get(label, len(rank)), node_name(part, node).casefold(), node)

    others = sorted((n for n in part if n != centre), key=order)
    left = [n for n in others if part.nodes[n].get("label") == Label.ACTOR]
    right = [n for n in others if part.nodes[n].get("label") != Label.ACTOR]
    hidden = {"left": max(0, len(left) - MAX_COLUMN), "right": max(0, len(right) - MAX_COLUMN)}
    left, right = left[:MAX_COLUMN], right[:MAX_COLUMN]
    notes: list[str] = []
    lines = {node: _wrapped(node_name(part, node), notes) for node in [*left, *right]}
    lines[centre] = _wrapped(node_name(part, centre), notes, NAME_LINE + 3)
    line_height, top = 13.0, 20.0

    def rows(column: list[str]) -> list[float]:
        return [max(24.0, line_height * len(lines[node]) + 9) for node in column]

    heights = {"left": rows(left), "right": rows(right)}
    centre_label = line_height * len(lines[centre]) + 30  # above the sentra, and below
    column_height = max(*(sum(h) + bool(hidden[side]) * 24 for side, h in heights.items()),
                        2 * centre_label)  # fmt: skip
    width, height = 680.0, top * 2 + column_height
    x_left, x_right, x_centre = 214.0, 466.0, 340.0
    place = {centre: (x_centre, height / 2)}
    for column, x, side in ((left, x_left, "left"), (right, x_right, "right")):
        y = (height - sum(heights[side])) / 2
        for node, h in zip(column, heights[side], strict=True):
            place[node] = (x, y + h / 2)
            y += h
    parts = []
    relations: list[str] = []
    for a, b, kind in sorted(part.edges(data="type"), key=lambda e: (str(e[2]), e[0], e[1])):
        if a not in place or b not in place:
            continue
        kind = str(kind)
        if kind not in relations:
            relations.append(kind)
        line = EDGE_STYLES.get(kind, OTHER_EDGE_STYLE)
        dashes = f' stroke-dasharray="{" ".join(map(str, line.dashes))}"' if line.dashes else ""
        (x1, y1), (x2, y2) = place[a], place[b]
        bend = 0.0 if x1 != x2 else 60.0 * (1 if x1 > x_centre else -1)  # same column: arc out
        parts.append(
            f'<path d="M{x1:.1f},{y1:.1f} Q{(x1 + x2) / 2 + bend:.1f},{(y1 + y2) / 2:.1f} '
            f'{x2:.1f},{y2:.1f}" fill="none" stroke="{line.color}" stroke-opacity="0.75" '
            f'stroke-width="{min(line.width, 2.5)}"{dashes}/>'
        )
    labels: list[str] = []
    for node, (x, y) in place.items():
        label = str(part.nodes[node].get("label") or "")
        if label not in labels:
            labels.append(label)
        style = NODE_STYLES.get(label, OTHER_STYLE)
        shown = lines[node]
        if node == centre:  # its name above it, the last line 22 px above its middle
            r, anchor, tx, ty = 14.0, "middle", x, y - 22 - line_height * (len(shown) - 1)
        else:  # the name's lines centred on the node, beside it, away from the sentra
            away = -1 if x < x_centre else 1
            r, anchor, tx = 7.0, "end" if away < 0 else "start", x + 12 * away
            ty = y + 4 - line_height * (len(shown) - 1) / 2
        weight = ' font-weight="700"' if node == centre else ""
        spans = "".join(
            f'<tspan x="{tx:.1f}" dy="{0 if i == 0 else line_height:.0f}">{esc(text)}</tspan>'
            for i, text in enumerate(shown)
        )
        parts.append(
            f"<g><title>{esc(node_name(part, node))}</title>"
            + _shape(style, x, y, r, "#1d1d1d" if node == centre else style.border,
                     2.5 if node == centre else 1)
            + f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" font-size="11"'
            f"{weight}{_HALO}>{spans}</text></g>"
        )
    for side, x, anchor in (("left", x_left - 12, "end"), ("right", x_right + 12, "start")):
        if hidden[side]:
            parts.append(
                f'<text x="{x:.1f}" y="{height - top:.1f}" text-anchor="{anchor}" '
                f'font-size="10" font-style="italic">{esc(more.format(n=hidden[side]))}</text>'
            )
    ordered = [str(label) for label in NODE_STYLES if label in labels]
    ordered += [label for label in labels if label not in ordered]
    return _svg(width, height, "".join(parts), node_name(part, centre)), ordered, relations, notes


def grid_picture(
    grid: StakeholderAssessment, strategies: Mapping[str, str], words: Mapping[str, Any]
) -> str:
    """The power/interest grid: interest to the right, influence upwards (1-5), the
    quadrants' strategies in their corners, each assessed actor by name in its cell."""
    cell_w, cell_h, left, top = 110.0, 84.0, 70.0, 30.0
    size_w, size_h = 5 * cell_w, 5 * cell_h
    line = grid.high_from - 1  # cells below it are low
    parts = [
        f'<rect x="{left}" y="{top}" width="{size_w}" height="{size_h}" fill="#fafafa" '
        'stroke="#999"/>',
        f'<rect x="{left + line * cell_w}" y="{top}" width="{(5 - line) * cell_w}" '
        f'height="{(5 - line) * cell_h}" fill="#fde3e3"/>',
        f'<line x1="{left + line * cell_w}" y1="{top}" x2="{left + line * cell_w}" '
        f'y2="{top + size_h}" stroke="#555" stroke-dasharray="5 3"/>',
        f'<line x1="{left}" y1="{top + (5 - line) * cell_h}" x2="{left + size_w}" '
        f'y2="{top + (5 - line) * cell_h}" stroke="#555" stroke-dasharray="5 3"/>',
    ]
    corners = {
        "manage_closely": (left + size_w - 4, top + 14, "end"),
        "keep_satisfied": (left + 4, top + 14, "start"),
        "keep_informed": (left + size_w - 4, top + size_h - 6, "end"),
        "monitor": (left + 4, top + size_h - 6, "start"),
    }
    for key, (x, y, anchor) in corners.items():
        parts.append(f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="11" '
                     f'font-style="italic" fill="#8e1212">{esc(strategies[key])}</text>')
    for rating in range(1, 6):
        parts.append(f'<text x="{left + (rating - 0.5) * cell_w}" y="{top + size_h + 16}" '
                     f'text-anchor="middle" font-size="11">{rating}</text>'
                     f'<text x="{left - 10}" y="{top + size_h - (rating - 0.5) * cell_h + 4}" '
                     f'text-anchor="end" font-size="11">{rating}</text>')
    parts.append(
        f'<text x="{left + size_w / 2}" y="{top + size_h + 34}" text-anchor="middle" '
        f'font-size="12" font-weight="700">{esc(words["interest"])} \u2192</text>'
        f'<text x="16" y="{top + size_h / 2}" text-anchor="middle" font-size="12" '
        f'font-weight="700" transform="rotate(-90 16 {top + size_h / 2})">'
        f'{esc(words["influence"])} \u2192</text>'
    )
    cells: dict[tuple[int, int], list[str]] = defaultdict(list)
    for row in grid.rows:
        if row.influence is not None and row.interest is not None:
            cells[row.influence, row.interest].append(row.name or row.actor)
    for (influence, interest), names in cells.items():
        x0 = left + (interest - 1) * cell_w
        y0 = top + size_h - influence * cell_h
        shown = names if len(names) <= 5 else [*names[:4], f"+{len(names) - 4}"]
        for i, name in enumerate(shown):
            y = y0 + 30 + i * 12
            parts.append(
                f'<circle cx="{x0 + 8}" cy="{y - 4}" r="3.5" '
                f'fill="{NODE_STYLES[Label.ACTOR].color}"/>'
                f'<text x="{x0 + 15}" y="{y}" font-size="10"{_HALO}><title>{esc(name)}</title>'
                f"{esc(shorten(name, 17))}</text>"
            )
    return _svg(left + size_w + 10, top + size_h + 44, "".join(parts), words["stakeholders"])


PLAN_COLORS = {
    "overdue": "#c62828", "done": "#2e7d32", "ongoing": "#1f3b73", "planned": "#8aa4cc",
    "proposed": "#b39ddb", "recommended": "#80cbc4", "cancelled": "#9e9e9e",
    "unknown": "#c9b458",
}
"""The plan's colours, by ``plan_state``."""

_BANDS = ("#eef1f6", "#f8f3e6")


def plan_state(activity: TimelineActivity) -> str:
    """What colours an activity in the plan: ``overdue``, else its status on the day (a
    status without a colour of its own is ``unknown``)."""
    state = "overdue" if activity.overdue else activity.status
    return state if state in PLAN_COLORS else "unknown"


def _day(text: str) -> int:
    return datetime.date.fromisoformat(text).toordinal()


PLAN_LINE = 30
"""Characters per line of a name in the plan (10 px type, in the 190 px left of the time
line)."""


def plan_picture(
    plan: Sequence[TimelineActivity], as_of: datetime.date, words: Mapping[str, str]
) -> tuple[str, list[str]]:
    """The plan on a time line: each phase naming years a band, its activities in rows
    below its name; an activity a dot of its colour, its name, and a bar from its start to
    its completion (when done or cancelled) or its due date (else the day), or a diamond
    at its due date or completion when it has no start; a vertical line marks the day.
    Names wrap as in :func:`_wrapped`. ``words``: ``title``, ``phase``, ``no_phase``,
    ``no_date``, ``as_of``, ``started``, ``due`` and ``completed``.

    Returns the SVG and the names it shortened, for the notes below it.
    """
    name_width, chart_width, top, line_height = 200.0, 660.0, 52.0, 12.0
    today = as_of.toordinal()
    days = [today]
    bands: dict[str, tuple[int, int]] = {}
    for activity in plan:
        days.extend(_day(d) for d in (activity.started, activity.due, activity.completed) if d)
        if activity.phase and activity.phase_years:
            first, last = activity.phase_years
            bands[activity.phase] = (datetime.date(first, 1, 1).toordinal(),
                                     datetime.date(last, 12, 31).toordinal())
            days.extend(bands[activity.phase])
    start, end = min(days), max(days)
    pad = max((end - start) // 40, 15)
    start, end = start - pad, end + pad
    scale = chart_width / (end - start)

    def x(day: int) -> float:
        return name_width + (day - start) * scale

    notes: list[str] = []
    rows: list[tuple[list[str], TimelineActivity | None]] = []  # None: a phase's heading
    phases: list[str | None] = []
    for activity in plan:
        if not phases or phases[-1] != activity.phase:
            phases.append(activity.phase)
            heading = (words["phase"].format(phase=activity.phase) if activity.phase
                       else words["no_phase"])
            rows.append((_wrapped(heading, notes, PLAN_LINE), None))
        rows.append((_wrapped(activity.name, notes, PLAN_LINE), activity))
    height = top + sum(7 + line_height * len(lines) for lines, _ in rows) + 8
    parts = []
    for i, (band, (first, last)) in enumerate(bands.items()):
        parts.append(
            f'<rect x="{x(first):.1f}" y="{top - 14}" width="{(last - first) * scale:.1f}" '
            f'height="{height - top + 6:.1f}" fill="{_BANDS[i % 2]}"/>'
            f'<text x="{x(first) + 3:.1f}" y="{top - 4}" font-size="9" fill="#555">'
            f"{esc(band)}</text>"
        )
    first_year, last_year = datetime.date.fromordinal(start).year, datetime.date.fromordinal(
        end).year
    step = 1 if last_year - first_year <= 12 else 5
    for year in range(first_year + 1, last_year + 1):
        if year % step == 0:
            tick = x(datetime.date(year, 1, 1).toordinal())
            parts.append(
                f'<line x1="{tick:.1f}" y1="{top - 28}" x2="{tick:.1f}" y2="{height:.1f}" '
                'stroke="#d0d0d0" stroke-width="0.8"/>'
                f'<text x="{tick:.1f}" y="{top - 20}" text-anchor="middle" font-size="9">'
                f"{year}</text>"
            )
    y = top
    for lines, entry in rows:
        parts.append(_plan_row(lines, entry, y, x, today, words))
        y += 7 + line_height * len(lines)
    mark = x(today)
    parts.append(
        f'<line x1="{mark:.1f}" y1="4" x2="{mark:.1f}" y2="{height:.1f}" '
        'stroke="#1d1d1d" stroke-width="1.5" stroke-dasharray="4 2"/>'
        f'<text x="{mark + 3:.1f}" y="10" font-size="9" font-weight="700"{_HALO}>'
        f'{esc(words["as_of"].format(as_of=as_of.isoformat()))}</text>'
    )
    return _svg(name_width + chart_width + 20, height, "".join(parts), words["title"]), notes


def _plan_row(
    lines: list[str], activity: TimelineActivity | None, y: float,
    x: Callable[[int], float], today: int, words: Mapping[str, str],
) -> str:
    """A phase's heading (``activity`` None), or an activity's name after a dot of its
    colour and its bar, diamond or "no date" beside its first line."""
    left = 4 if activity is None else 22
    spans = "".join(
        f'<tspan x="{left}" dy="{0 if i == 0 else 12}">{esc(text)}</tspan>'
        for i, text in enumerate(lines)
    )
    if activity is None:
        return f'<text x="{left}" y="{y + 13:.1f}" font-size="10" font-weight="700">{spans}</text>'
    color = PLAN_COLORS[plan_state(activity)]
    middle = y + 9.5
    red = ' fill="#c62828"' if activity.overdue else ""
    name = (
        f"<g><title>{esc(activity.name)}</title>"
        f'<circle cx="14" cy="{middle:.1f}" r="3.5" fill="{color}"/>'
        f'<text x="{left}" y="{y + 13:.1f}" font-size="10"{red}>{spans}</text></g>'
    )
    finished = activity.completed if activity.status in ("done", "cancelled") else None
    end = finished or activity.due
    if activity.started:
        first = _day(activity.started)
        last = _day(end) if end else today
        start, stop = x(min(first, last)), x(max(first, last))
        open_end = "" if end else ' fill-opacity="0.45"'
        return name + (
            f'<rect x="{start:.1f}" y="{middle - 5:.1f}" width="{max(stop - start, 2):.1f}" '
            f'height="10" rx="2" fill="{color}"{open_end}>'
            f"<title>{esc(_dates(activity, words))}</title></rect>"
        )
    if end:
        at = x(_day(end))
        return name + (
            f'<polygon points="{at:.1f},{middle - 6:.1f} {at + 6:.1f},{middle:.1f} '
            f'{at:.1f},{middle + 6:.1f} {at - 6:.1f},{middle:.1f}" fill="{color}">'
            f"<title>{esc(_dates(activity, words))}</title></polygon>"
        )
    return name + (f'<text x="{x(today) + 6:.1f}" y="{y + 13:.1f}" font-size="9" '
                   f'font-style="italic" fill="#777">{esc(words["no_date"])}</text>')


def _dates(activity: TimelineActivity, words: Mapping[str, str]) -> str:
    """An activity's name and known dates, for the tooltip of its bar or mark."""
    dates = (("started", activity.started), ("due", activity.due),
             ("completed", activity.completed))
    return f"{activity.name}: " + ", ".join(f"{words[key]} {day}" for key, day in dates if day)


def indicator_chart(series: IndicatorSeries, words: Mapping[str, str], lang: str) -> str:
    """One indicator over its periods: its actuals as a line of dots (red where worse than
    the period's target, green where not), its targets as hollow diamonds on a dashed
    line, each value written beside its mark. ``words``: ``actual`` and ``target``."""
    left, width, top, height = 16.0, 400.0, 16.0, 110.0
    ends = sorted({p.period_end for p in [*series.actuals, *series.targets]})
    periods = {p.period_end: p.period for p in [*series.targets, *series.actuals]}
    values = [p.value for p in [*series.actuals, *series.targets]]
    low, high = min(values), max(values)
    pad = (high - low) * 0.25 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    step = width / len(ends)

    def at(point: IndicatorPoint) -> tuple[float, float]:
        column = ends.index(point.period_end)
        return (left + (column + 0.5) * step,
                top + height * (high - point.value) / (high - low))

    parts = [f'<line x1="{left}" y1="{top + height}" x2="{left + width}" y2="{top + height}" '
             'stroke="#999"/>']
    for column, end in enumerate(ends):
        parts.append(f'<text x="{left + (column + 0.5) * step:.1f}" y="{top + height + 14}" '
                     f'text-anchor="middle" font-size="10">{esc(periods[end])}</text>')
    for points, dashes in ((series.targets, ' stroke-dasharray="5 3"'), (series.actuals, "")):
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in map(at, points))
            color = "#8e1212" if points is series.targets else "#1f3b73"
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" '
                         f'stroke-width="1.5"{dashes}/>')
    for point in series.targets:
        px, py = at(point)
        parts.append(
            f'<g><title>{esc(words["target"])} {esc(point.period)}: '
            f"{esc(number(point.value, lang, 2))}</title>"
            f'<polygon points="{px:.1f},{py - 6:.1f} {px + 6:.1f},{py:.1f} {px:.1f},'
            f'{py + 6:.1f} {px - 6:.1f},{py:.1f}" fill="#fff" stroke="#8e1212" '
            'stroke-width="1.5"/>'
            f'<text x="{px + 9:.1f}" y="{py + 4:.1f}" font-size="9" fill="#8e1212"{_HALO}>'
            f"{esc(number(point.value, lang, 2))}</text></g>"
        )
    for point in series.actuals:
        px, py = at(point)
        missed = series.missed(point)
        color = "#1f3b73" if missed is None else "#c62828" if missed else "#2e7d32"
        value = esc(number(point.value, lang, 2))
        parts.append(
            f'<g><title>{esc(words["actual"])} {esc(point.period)}: {value}</title>'
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4.5" fill="{color}"/>'
            f'<text x="{px - 8:.1f}" y="{py + 4:.1f}" text-anchor="end" font-size="9" '
            f'font-weight="700" fill="{color}"{_HALO}>{value}</text></g>'
        )
    return _svg(left * 2 + width, top + height + 22, "".join(parts), series.indicator)

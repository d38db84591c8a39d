"""Render a stakeholder graph as one self-contained, offline HTML page.

pyvis builds the data: its :class:`~pyvis.network.Network` collects the vis-network node
and edge records (checking that every edge joins known nodes) and its option objects
(physics solver, hierarchical layout, edge smoothing) give the ``options`` JSON. The page
around that data is our own template, ``static/page.html``, because pyvis 0.3.2's template
is unsafe for spreadsheet text and not offline (DESIGN.md, "Known pitfalls"):

- it links Bootstrap and vis-network from CDNs even with ``cdn_resources="in_line"`` or
  ``"local"`` (pyvis#228, #229), and an analyst's office may have no internet;
- it writes node titles into its own popup with ``innerHTML`` as soon as one contains
  ``href``, and does not escape its heading, so a name such as
  ``<a href=x><img src=x onerror=alert(1)>`` would run;
- its select and filter menus draw blank graphs (pyvis#193) and ``????`` for
  non-ASCII names (pyvis#173).

Our template inlines vis-network 9.1.2 (the copy pyvis ships under ``pyvis/lib/``; dual
licensed Apache-2.0 or MIT, (c) Almende B.V. and the visjs contributors, whose licence
header stays in the page) and ``static/viz.js``/``static/viz.css``. The graph travels as
a JSON data block with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, so no text in it can
end the block. ``viz.js`` builds tooltips, legend, details and search lists with
``textContent`` only, and a Content-Security-Policy allowing just the page's own
scripts (by hash) and ``data:`` images makes the browser refuse any network request and
any script that escaping might have let through.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import string
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from typing import Any, Literal, get_args

import networkx as nx
from pyvis.network import Network
from pyvis.options import Layout

from kg.catalogue import catalogue, number, numeral, say
from kg.errors import VizError
from kg.schema.model import (
    RELATIONSHIP_ROLES,
    CommitmentStatus,
    IndicatorKind,
    Label,
    RelType,
    role_of,
)

from .days import closed_on, known_from, timeline
from .selection import induced
from .styles import (
    COMMITMENT_FILLS,
    EDGE_STYLES,
    NODE_STYLES,
    OTHER_EDGE_STYLE,
    OTHER_STYLE,
    WARNING_COLOR,
    NodeStyle,
)

View = Literal["network", "chain", "raci"]

IMPROVED_LAYOUT_LIMIT = 150
"""Above this many nodes vis-network's initial layout takes too long (vis-network#2257)."""

SMOOTH_EDGE_LIMIT = 1000
"""Above this many edges straight lines keep dragging and zooming fluid."""

_VIS_NETWORK = files("pyvis").joinpath("lib", "vis-9.1.2")
_STATIC = files("kg.viz").joinpath("static")

_CHAIN_TYPES = {RelType.PRODUCES, RelType.SUPPLIES, RelType.SOLD_IN}
_RACI_LABELS = {Label.ACTOR, Label.ACTIVITY}
# Properties shown in a tooltip's heading or sections rather than as table rows.
_SHOWN_APART = {"label", "name", "id", "sources", "type"}
# Catalogue tables wording the values of the model's enumerations, by label and property.
_VALUE_WORDS: dict[tuple[str, str], str] = {
    (Label.ACTOR, "kind"): "kinds",
    (Label.ACTOR, "level"): "levels",
    (Label.MARKET, "kind"): "market_kinds",
    (Label.SENTRA, "status"): "status",
    (Label.COMMODITY, "stage"): "stages",
    (Label.ACTIVITY, "category"): "categories",
    (Label.ACTIVITY, "topic"): "topics",
    (Label.ACTIVITY, "status"): "activity_statuses",
    (Label.ENGAGEMENT, "kind"): "engagement_kinds",
    (Label.COMMITMENT, "status"): "commitment_statuses",
    (Label.INDICATOR, "kind"): "indicator_kinds",
    (Label.INDICATOR, "direction"): "directions",
}


@dataclass(frozen=True)
class Page:
    """An HTML page drawing a view of the graph, and how much of the graph it draws."""

    html: str
    """The HTML document; write it as UTF-8."""
    nodes: int
    """Nodes drawn: those of the view, which may leave out some of the graph given."""
    relationships: int
    """Relationships drawn."""
    marked: int = 0
    """Nodes drawn with audit findings."""


def render_html(
    graph: nx.MultiDiGraph,
    *,
    view: View = "network",
    title: str | None = None,
    physics: bool = True,
    findings: Mapping[str, Sequence[str]] | None = None,
    max_nodes: int = 2000,
    lang: str = "en",
    as_of: date | None = None,
) -> Page:
    """Return one self-contained HTML page drawing `graph`; it makes no network request.

    Parameters
    ----------
    graph : nx.MultiDiGraph
        Nodes keyed by their string id, with ``label``, ``name`` and other properties
        (``sources`` lists source ids); edges with their relationship type in ``type``.
    view : {"network", "chain", "raci"}
        ``network`` draws every node. ``chain`` draws the supply chains left to right:
        producing sentra, commodities from raw to product, then markets (commodities and
        markets in no chain are left out). ``raci`` draws actors and activities joined by
        their R, A, C and I edges and marks activities no actor is accountable for.
    title : str, optional
        Page title and heading (shown as text); by default the catalogue's, naming the
        view.
    physics : bool
        Lay the network and raci views out with vis-network's force simulation, then stop
        it; the page has a switch to run it again. Without it the page appears at once,
        laid out by vis-network's initial placement. The chain view is laid out by its
        columns either way.
    findings : mapping of node id to messages, optional
        Audit findings; nodes that have some are drawn in a warning style with the
        messages in their tooltip. Ids not drawn are ignored.
    max_nodes : int
        Refuse to draw more nodes than this.
    lang : str
        Language of every word the page adds (``en``, ``id``: a catalogue
        ``kg/locale/<lang>.toml``): buttons, legend, status, tooltips, the names of labels,
        relationship types and enumerated values.
    as_of : date, optional
        Where the time slider starts. When the view holds dated facts (engagements,
        commitments, assessments, indicators' actuals), the page has a slider over the days
        they span that shows the graph as of the chosen day: facts dated after it hidden
        with their edges, commitments closed after it drawn open (see
        :mod:`kg.viz.days`). By default it starts on the last day, everything shown.

    Returns
    -------
    Page
        The HTML document (``html``; write it as UTF-8) and the number of nodes and
        relationships it draws.

    Raises
    ------
    VizError
        If `view` or `lang` is unknown, or the view holds more than `max_nodes` nodes.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a1", label="Actor", name="Dinas Perindustrian Kota Semarang")
    >>> page = render_html(g, title="Aktor", lang="id")
    >>> page.html.startswith("<!DOCTYPE html>") and "Dinas Perindustrian" in page.html
    True
    >>> page.nodes, page.relationships
    (1, 0)
    """
    if view not in get_args(View):
        raise VizError(f"unknown view {view!r}; choose one of {', '.join(get_args(View))}")
    words = catalogue(lang)
    drawn = _view_of(graph, view)
    if drawn.number_of_nodes() > max_nodes:
        raise VizError(say("refusals.too_many_nodes", view=view,
                           count=numeral(drawn.number_of_nodes()), most=numeral(max_nodes)))
    net = _network(graph, drawn, view=view, physics=physics, findings=findings or {},
                   lang=lang)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    texts = words["viz"]
    data = {
        "view": view,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "legend": _legend(nodes, edges, words),
        "words": {key: texts[key] for key in _SCRIPT_WORDS}
        | {key: texts["followup"][key] for key in _FOLLOWUP_WORDS},
        "timeline": None,
    }
    slider = timeline((node.get("kgDay") for node in nodes), as_of)
    if slider is not None:
        data["timeline"] = slider.to_json()
    if title is None:
        title = texts["title"].format(view=texts["views"][view])
    marked = sum(1 for node in nodes if "finding" in node["kgMarks"])
    return Page(_page(title, data, texts, lang), len(nodes), len(edges), marked)


_SCRIPT_WORDS = ("hint", "no_match", "matches", "nodes", "edges", "drawn", "empty",
                 "laying_out")
_FOLLOWUP_WORDS = ("as_of", "as_of_label")
"""The catalogue's words that viz.js writes itself (status line, details hint, slider)."""


def _view_of(graph: nx.MultiDiGraph, view: View) -> nx.MultiDiGraph:
    def label(node: str) -> Any:
        return graph.nodes[node].get("label")

    def edge_type(source: str, target: str, key: str) -> Any:
        return graph.edges[source, target, key].get("type")

    if view == "chain":
        producers = {
            source
            for source, target, kind in graph.edges(data="type")
            if kind == RelType.PRODUCES
            and label(source) == Label.SENTRA
            and label(target) == Label.COMMODITY
        }
        keep = {n for n in graph if label(n) in {Label.COMMODITY, Label.MARKET}} | producers
        chain = nx.subgraph_view(
            induced(graph, keep), filter_edge=lambda u, v, key: edge_type(u, v, key) in _CHAIN_TYPES
        )
        # A commodity or market in no chain (say, a zone's focus nobody produces) would only
        # stretch the columns; the audit reports it.
        return induced(chain, {n for n in chain if chain.degree(n)})
    if view == "raci":
        kept: nx.MultiDiGraph = nx.subgraph_view(
            induced(graph, {n for n in graph if label(n) in _RACI_LABELS}),
            filter_edge=lambda u, v, key: edge_type(u, v, key) in RELATIONSHIP_ROLES,
        )
        return kept
    return graph


def _network(
    graph: nx.MultiDiGraph,
    drawn: nx.MultiDiGraph,
    *,
    view: View,
    physics: bool,
    findings: Mapping[str, Sequence[str]],
    lang: str,
) -> Network:
    hierarchical = view == "chain"
    words = catalogue(lang)
    net = Network(directed=True, layout=hierarchical)
    _set_options(net, drawn, hierarchical=hierarchical, physics=physics)
    levels = _levels(drawn, view)
    unaccountable = _unaccountable(drawn) if view == "raci" else set()
    degree = dict(drawn.degree())
    for node in drawn:
        messages = findings.get(node, ())
        shown, record = _node_record(
            graph, drawn, node,
            findings=[messages] if isinstance(messages, str) else [str(m) for m in messages],
            unaccountable=node in unaccountable,
            lang=lang,
        )
        record["size"] = _size(degree[node])
        if node in levels:
            record["level"] = levels[node]
        net.add_node(str(node), label=shown, **record)
    pair_count: Counter[frozenset[str]] = Counter()
    for index, (source, target, key) in enumerate(drawn.edges(keys=True)):
        record = _edge_record(graph, drawn, source, target, key, words)
        record["id"] = f"e{index}"
        # Bend an edge that would be drawn over others: a parallel one (an actor both R and
        # A, say) or, left to right, one passing through the columns between its ends.
        pair = frozenset((str(source), str(target)))
        roundness = 0.25 * pair_count[pair]
        if source in levels and abs(levels[target] - levels[source]) > 1:
            roundness += 0.3
        if roundness:
            record["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": roundness}
        pair_count[pair] += 1
        net.add_edge(str(source), str(target), **record)
    return net


def _node_record(
    graph: nx.MultiDiGraph,
    drawn: nx.MultiDiGraph,
    node: str,
    *,
    findings: list[str],
    unaccountable: bool,
    lang: str,
) -> tuple[str, dict[str, Any]]:
    """The text drawn on the node, and its vis-network options with our ``kg*`` fields."""
    attrs = drawn.nodes[node]
    label = str(attrs.get("label") or "")
    style = NODE_STYLES.get(label, OTHER_STYLE)
    name = _name(drawn, node)
    shown = name
    words = catalogue(lang)  # cached: the same mapping for every node
    texts = words["viz"]
    sections = _source_sections(graph, attrs.get("sources"), texts)
    if label == Label.INDICATOR:  # its name is the indicator's key, alike for every period
        shown += "\n" + _measure(attrs, texts["followup"], lang)
    status = str(attrs.get("status") or "") if label == Label.COMMITMENT else ""
    fill = COMMITMENT_FILLS.get(status, style.color)
    record: dict[str, Any] = {
        "shape": style.shape, "color": _colors(style, fill), "borderWidth": 1.5,
        "kgLabel": label, "kgName": name, "kgMarks": [],
    }
    if status in COMMITMENT_FILLS:
        record["kgStatus"] = status
    if findings:
        shown = "\u26a0 " + shown
        sections.append({"title": texts["findings"], "items": findings, "warning": True})
        record |= _warning(style, fill, dashed=False)
        record["kgMarks"].append("finding")
    if unaccountable:
        shown += "\n" + texts["no_a"]
        sections.append({"title": texts["gap"], "items": [texts["gap_text"]], "warning": True})
        record |= _warning(style, fill, dashed=True)
        record["kgMarks"].append("no-accountable")
    record["tip"] = {
        "heading": name,
        "subheading": f"{_label_word(label, words)} \u00b7 {node}",
        "rows": _rows(attrs, words, label),
        "sections": sections,
    }
    day = known_from(attrs)
    if day is not None:
        record["kgDay"] = day
    closed = closed_on(attrs)
    if closed is not None:
        # Before this day the slider draws it open: open's fill, open in its tooltip, and
        # no day it was closed on (not known yet).
        record["kgClosedOn"] = closed
        open_colors = _colors(style, COMMITMENT_FILLS[CommitmentStatus.OPEN])
        open_colors["border"] = record["color"]["border"]
        record["kgLooks"] = {"open": open_colors, "closed": record["color"]}
        still_open = {**attrs, "status": CommitmentStatus.OPEN, "doneOn": None}
        record["kgOpenRows"] = _rows(still_open, words, label)
    return shown, record


def _measure(attrs: Mapping[str, Any], texts: Mapping[str, Any], lang: str) -> str:
    """An indicator's period and value (``2023: 60 %``), a target's marked as one."""
    value = attrs.get("value")
    shown = _text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = number(value, lang, 4)  # 1,500,000.5; 1.500.000,5 in Indonesian
    actual = attrs.get("kind") == IndicatorKind.ACTUAL
    template: str = texts["indicator_actual" if actual else "indicator_target"]
    return template.format(
        period=_text(attrs.get("period")), value=shown, unit=_text(attrs.get("unit"))
    ).strip()


def _label_word(label: str, words: Mapping[str, Any]) -> str:
    names: Mapping[str, str] = words["labels"]
    return names.get(label, label) if label else names["none"]


def _relation_word(edge_type: str, words: Mapping[str, Any]) -> str:
    relations: Mapping[str, str] = words["relations"]
    return relations.get(edge_type, edge_type)


def _edge_record(
    graph: nx.MultiDiGraph, drawn: nx.MultiDiGraph, source: str, target: str, key: str,
    words: Mapping[str, Any],
) -> dict[str, Any]:
    """vis-network options of one edge, with our ``kg*`` fields."""
    attrs = drawn.edges[source, target, key]
    edge_type = str(attrs.get("type"))
    style = EDGE_STYLES.get(edge_type, OTHER_EDGE_STYLE)
    record: dict[str, Any] = {
        "label": role_of(edge_type) or _relation_word(edge_type, words),
        "kgType": edge_type,
        "width": style.width,
        "dashes": list(style.dashes) or False,
        "color": {"color": style.color, "highlight": "#000000", "hover": "#000000"},
        "tip": {
            "heading": _relation_word(edge_type, words),
            "subheading": f"{_name(drawn, source)} \u2192 {_name(drawn, target)}",
            "rows": _rows(attrs, words),
            "sections": _source_sections(graph, attrs.get("sources"), words["viz"]),
        },
    }
    if edge_type in RELATIONSHIP_ROLES:
        record["font"] = {"size": 13, "color": style.color}
    return record


def _set_options(
    net: Network, drawn: nx.MultiDiGraph, *, hierarchical: bool, physics: bool
) -> None:
    size = drawn.number_of_nodes()
    # Levels already place the chain view; the simulation would only spread it thin.
    net.toggle_physics(physics and not hierarchical)
    net.toggle_hide_edges_on_drag(size > 500)
    net.options.physics.stabilization.iterations = min(1000, max(150, 150_000 // max(size, 1)))
    net.options.physics.stabilization.updateInterval = 25
    if hierarchical:
        layout = net.options.layout.hierarchical
        layout.direction = "LR"
        layout.sortMethod = "directed"
        layout.levelSeparation = 300
        layout.nodeSpacing = 80
        layout.treeSpacing = 80
        net.set_edge_smooth("cubicBezier")
        net.options.edges.smooth.forceDirection = "horizontal"
        net.options.edges.smooth.roundness = 0.4
    else:
        net.options.layout = Layout(randomSeed=7, improvedLayout=size <= IMPROVED_LAYOUT_LIMIT)
        net.options.layout.hierarchical.enabled = False
        net.force_atlas_2based(
            gravity=-90, central_gravity=0.01, spring_length=120, spring_strength=0.05,
            damping=0.5, overlap=0.3,
        )
        net.set_edge_smooth("continuous")
        net.options.edges.smooth.enabled = drawn.number_of_edges() <= SMOOTH_EDGE_LIMIT
    net.inherit_edge_colors(False)
    net.options.edges.arrows = {"to": {"enabled": True, "scaleFactor": 0.6}}
    net.options.edges.font = {"size": 10, "color": "#555555", "strokeWidth": 3, "align": "middle"}
    net.options.nodes = {
        "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3},
        "widthConstraint": {"maximum": 170},
    }
    net.options.interaction.hover = True
    net.options.interaction.tooltipDelay = 150
    net.options.interaction.navigationButtons = False


def _levels(drawn: nx.MultiDiGraph, view: View) -> dict[str, int]:
    """Column of each node in the left-to-right chain view."""
    if view != "chain":
        return {}
    labels = dict(drawn.nodes(data="label"))
    # Commodities go in odd columns by their longest SUPPLIES path from a raw one; a sentra
    # sits in the even column just before its most upstream product; markets come last.
    commodities = [node for node, label in labels.items() if label == Label.COMMODITY]
    supplies = nx.DiGraph()
    supplies.add_nodes_from(commodities)
    supplies.add_edges_from(
        (u, v) for u, v, kind in drawn.edges(data="type")
        if kind == RelType.SUPPLIES and u in supplies and v in supplies
    )
    condensed = nx.condensation(supplies)  # a SUPPLIES cycle shares one column
    steps: dict[int, int] = {}
    for part in nx.topological_sort(condensed):
        steps[part] = max((steps[p] + 1 for p in condensed.predecessors(part)), default=0)
    step = {node: steps[condensed.graph["mapping"][node]] for node in commodities}
    last = max(step.values(), default=0)
    levels = {node: 2 * s + 1 for node, s in step.items()}
    for node, label in labels.items():
        if label == Label.MARKET:
            levels[node] = 2 * last + 2
        elif label == Label.SENTRA:
            levels[node] = 2 * min(
                (step[v] for _, v, kind in drawn.out_edges(node, data="type")
                 if kind == RelType.PRODUCES and v in step),
                default=0,
            )
    return levels


def _size(degree: int) -> float:
    """Radius growing with the square root of the degree, so hubs stand out without hiding."""
    return round(min(12 + 4 * math.sqrt(degree), 42), 1)


def _unaccountable(drawn: nx.MultiDiGraph) -> set[str]:
    accountable = {v for _, v, kind in drawn.edges(data="type") if kind == RelType.ACCOUNTABLE_FOR}
    return {n for n, label in drawn.nodes(data="label") if label == Label.ACTIVITY} - accountable


def _colors(style: NodeStyle, fill: str) -> dict[str, Any]:
    return {
        "background": fill,
        "border": style.border,
        "highlight": {"background": fill, "border": "#000000"},
        "hover": {"background": fill, "border": "#000000"},
    }


def _warning(style: NodeStyle, fill: str, *, dashed: bool) -> dict[str, Any]:
    colors = _colors(style, fill)
    colors["border"] = WARNING_COLOR
    return {
        "color": colors,
        "borderWidth": 4,
        "shapeProperties": {"borderDashes": [6, 4] if dashed else False},
        "shadow": {"enabled": True, "color": "rgba(214,39,40,0.55)", "size": 14, "x": 0, "y": 0},
    }


def _name(graph: nx.MultiDiGraph, node: str) -> str:
    attrs = graph.nodes[node]
    return _text(attrs.get("name")) or _text(attrs.get("title")) or str(node)


def _text(value: Any, yes_no: tuple[str, str] = ("yes", "no")) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no[0] if value else yes_no[1]
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(_text(item, yes_no) for item in value)
    return str(value)


def _rows(attrs: Mapping[str, Any], words: Mapping[str, Any], label: str = "") -> list[list[str]]:
    """Property name and value per row; values of the model's enumerations in words."""
    yes_no = (words["viz"]["yes"], words["viz"]["no"])
    rows = []
    for key, value in sorted(attrs.items(), key=lambda item: str(item[0])):
        text = _text(value, yes_no)
        if key in _SHOWN_APART or text == "":
            continue
        table = _VALUE_WORDS.get((label, str(key)))
        rows.append([str(key), _table(words, table).get(text, text) if table else text])
    return rows


def _table(words: Mapping[str, Any], name: str) -> Mapping[str, str]:
    table: Mapping[str, Any] = words
    for part in name.split("."):
        table = table[part]
    return table


def _source_sections(
    graph: nx.MultiDiGraph, sources: Any, texts: Mapping[str, Any]
) -> list[dict[str, Any]]:
    if not sources:
        return []
    ids = [sources] if isinstance(sources, str) else list(sources)
    items = [_source(graph, str(s)) for s in ids]
    return [{"title": texts["sources"], "items": items, "warning": False}]


def _source(graph: nx.MultiDiGraph, source: str) -> str:
    """The source's id, followed by its title, publisher, date and URL when the graph has them."""
    if source not in graph:
        return source
    attrs = graph.nodes[source]
    details = [_text(attrs.get(key)) for key in ("title", "publisher", "date", "url")]
    return " \u2014 ".join([source, *filter(None, details)])


def _legend(
    nodes: list[dict[str, Any]], edges: list[dict[str, Any]], words: Mapping[str, Any]
) -> dict[str, list[dict[str, Any]]]:
    counts = Counter(str(node["kgLabel"]) for node in nodes)
    order = [str(label) for label in NODE_STYLES if label in counts]
    order += sorted(set(counts) - set(NODE_STYLES))
    labels = []
    for label in order:
        style = NODE_STYLES.get(label, OTHER_STYLE)
        labels.append({
            "label": label,
            "text": _label_word(label, words),
            "count": counts[label],
            "shape": style.shape,
            "color": style.color,
            "border": style.border,
        })
    marked = Counter(mark for node in nodes for mark in node["kgMarks"])
    texts = words["viz"]
    markers = [
        {"marker": mark, "text": texts[key], "count": marked[mark], "color": WARNING_COLOR}
        for mark, key in (("finding", "marker_finding"),
                          ("no-accountable", "marker_no_accountable"))
        if marked[mark]
    ]
    statuses = Counter(str(node["kgStatus"]) for node in nodes if "kgStatus" in node)
    commitment = NODE_STYLES[Label.COMMITMENT]
    status_words = texts["followup"]["commitment_status"]
    status_entries = [
        {"status": status, "text": status_words[status], "count": statuses[status],
         "shape": commitment.shape, "color": fill, "border": commitment.border}
        for status, fill in COMMITMENT_FILLS.items()
        if statuses[status]
    ]
    # Every relationship type drawn: the chart's letters first, then the styled types in
    # their order, then any other, with how many edges of each the page draws.
    types = Counter(str(edge["kgType"]) for edge in edges)
    order = [str(t) for t in RELATIONSHIP_ROLES if t in types]
    order += [str(t) for t in EDGE_STYLES if t in types and t not in order]
    order += sorted(set(types) - set(order))
    edge_entries = []
    for edge_type in order:
        line = EDGE_STYLES.get(edge_type, OTHER_EDGE_STYLE)
        edge_entries.append({
            "type": edge_type,
            "text": _relation_word(edge_type, words),
            "count": types[edge_type],
            "color": line.color,
            "width": line.width,
            "dashes": list(line.dashes),
        })
    return {"labels": labels, "markers": markers, "statuses": status_entries,
            "edges": edge_entries}


def _page(title: str, data: Mapping[str, Any], texts: Mapping[str, Any], lang: str) -> str:
    vis_js = _VIS_NETWORK.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    vis_css = _VIS_NETWORK.joinpath("vis-network.css").read_text(encoding="utf-8")
    viz_js = _STATIC.joinpath("viz.js").read_text(encoding="utf-8")
    viz_css = _STATIC.joinpath("viz.css").read_text(encoding="utf-8")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {csp_hash(vis_js)} {csp_hash(viz_js)}",
        f"style-src {csp_hash(vis_css)} {csp_hash(viz_css)}",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    template = string.Template(_STATIC.joinpath("page.html").read_text(encoding="utf-8"))
    return template.substitute(
        {key: html.escape(value) for key, value in texts.items() if isinstance(value, str)},
        lang=html.escape(lang),
        title=html.escape(title),
        csp=csp,
        vis_css=vis_css,
        viz_css=viz_css,
        data=script_json(data),
        vis_js=vis_js,
        viz_js=viz_js,
    )


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source that allows exactly ``text`` (a script or style).

    >>> csp_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def script_json(value: Any) -> str:
    """JSON that cannot end its ``<script>`` block or open a comment in it."""
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text

"""The routes of ``kg serve``: the page, its static files, and JSON read from the library.

Every route reads; none writes, and none takes Cypher: the graph is reached only through
the library's functions and named queries (``kg.queries``), each parameter checked for
its type and bounds here. Node ids, names and texts travel as JSON and the page puts them
into the document as text (``static/www/app.js``), never as markup.

What the open store holds cannot change while the server runs (an embedded store is held
under its shared lock, which every write waits for), so the node index, read once, and
each language's audit, run on first use, are kept for the server's life.
"""

from __future__ import annotations

import datetime
import functools
import tempfile
import threading
from collections.abc import Callable, Mapping
from functools import partial
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg import audit, followup, queries
from kg.catalogue import LANGUAGES, catalogue
from kg.errors import KgError, QueryError
from kg.export import DIRECTORY_FORMATS, FORMATS, export_graph
from kg.graph import to_networkx
from kg.indicators import indicator_series
from kg.raci_chart import raci_chart
from kg.report import build_brief, render_brief
from kg.report.svg import indicator_chart
from kg.resolve import NodeEntry, Suggester, node_index, resolve_in
from kg.schema.model import Label, RelType, Role
from kg.serve.properties import property_rows
from kg.serve.security import Guard, allowed_hosts
from kg.stakeholders import assess_stakeholders, grid_actors
from kg.store import QueryResult, Store
from kg.viz.days import DATED_BY, closed_on, known_from
from kg.viz.grid import ATTITUDE_COLORS, GRID_STYLE, grid_svg
from kg.viz.styles import EDGE_STYLES, NODE_STYLES, OTHER_EDGE_STYLE, OTHER_STYLE, WARNING_COLOR

SUGGESTIONS = 12
"""Suggestions a search returns at most."""

NEIGHBOURS = 400
"""Neighbours one expansion adds at most (the rest are counted, not drawn)."""

MAX_TEXT = 200
"""Longest search text or node id accepted."""

TIMELINE_ROWS = 500
"""Rows of one timeline section sent at most (the rest are counted: choose a sentra)."""

IDS = 100
"""Node ids one request for their days or findings names at most (the page asks in parts)."""

AUDITS_KEPT = 8
"""Audits (a language and a day each) kept at once."""

DOWNLOADS = sorted(set(FORMATS) - DIRECTORY_FORMATS)
"""Export formats offered as downloads (those written as one file)."""


class Knowledge:
    """The open store and what the server keeps of it: the node index, audits per language."""

    def __init__(self, store: Store, lang: str, as_of: datetime.date | None = None) -> None:
        self.store = store
        self.lang = lang
        self.as_of = audit.audit_day(as_of)
        """The day audited unless a page asks for another (``kg serve --as-of``, else today)."""
        self.nodes: list[NodeEntry] = node_index(store)
        self.names = Suggester(self.nodes)
        self.by_id = self.names.by_id
        self._audits: dict[tuple[str, str], list[audit.CheckResult]] = {}
        self._lock = threading.Lock()

    def audit(self, lang: str, as_of: str | None = None) -> list[audit.CheckResult]:
        """The audit's checks in ``lang`` as of a day (the server's by default), run once
        (the last ``AUDITS_KEPT`` kept)."""
        key = (lang, as_of or self.as_of)
        with self._lock:
            if key not in self._audits:
                if len(self._audits) >= AUDITS_KEPT:
                    del self._audits[next(iter(self._audits))]
                self._audits[key] = audit.run_audit(self.store, lang=lang, as_of=key[1])
            return self._audits[key]

    @functools.lru_cache(maxsize=2)  # noqa: B019 (the server's one Knowledge lives as long)
    def severities(self, as_of: str | None = None) -> dict[str, str]:
        """The gravest severity of the findings about each node (subject or related) on
        the server's day, or ``as_of`` (the last two days kept: every expansion and every
        part of the slider's question reads them)."""
        graver: dict[str, str] = {}
        for check in self.audit(self.lang, as_of):
            for finding in check.findings:
                for node in (finding.subject, *finding.related):
                    if graver.get(node) != "error":
                        graver[node] = check.severity.value
        return graver

    def about(self, query: str, node_id: str) -> QueryResult:
        """The named ``query`` (``node_neighbours``, ``node_properties``) about a node of the
        index, found through its label's index of ids (the query without a label reads
        every node: 0.3-0.4 s at x10)."""
        label = Label(self.by_id[node_id][1])
        return queries.get(query).for_label(label).run(self.store, {"id": node_id})

    def neighbours(self, node_id: str) -> list[dict[str, Any]]:
        """The ``node_neighbours`` of a node of the index (``about``)."""
        return self.about("node_neighbours", node_id).records()

    def entry(self, node_id: str) -> dict[str, Any]:
        _, label, name = self.by_id.get(node_id, (node_id, None, None))
        return {"id": node_id, "label": label, "name": name}


def create_app(knowledge: Knowledge, *, token: str, port: int) -> Guard:
    """The ASGI application over ``knowledge``, behind the ``Guard`` (``security``)."""
    www = files("kg.serve").joinpath("static", "www")

    def route(path: str, handler: Callable[[Knowledge, Request], Response]) -> Route:
        return Route(path, partial(_answer, handler, knowledge))

    app = Starlette(routes=[
        Route("/", partial(_file, www, "index.html")),
        Route("/style/grid.css", grid_style),
        route("/api/meta", meta),
        route("/api/search", search),
        route("/api/node", node),
        route("/api/neighbours", neighbours),
        route("/api/starts", starts),
        route("/api/raci", raci),
        route("/api/audit", audit_route),
        route("/api/grid", grid),
        route("/api/grid/picture", grid_picture),
        route("/api/days", days),
        route("/api/gaps", gaps),
        route("/api/timeline", timeline),
        route("/download/brief", brief),
        route("/download/export", export),
        Mount("/static", StaticFiles(directory=str(www), follow_symlink=True)),
    ])
    return Guard(app, token, allowed_hosts(port))


def _file(www: Any, name: str, request: Request) -> Response:
    with as_file(www.joinpath(name)) as path:
        return FileResponse(path, media_type="text/html; charset=utf-8")


def grid_style(request: Request) -> Response:
    """The style of the grid's SVG, defined once with it (``kg.viz.grid.GRID_STYLE``)."""
    return Response(GRID_STYLE, media_type="text/css; charset=utf-8")


def _answer(
    handler: Callable[[Knowledge, Request], Response], knowledge: Knowledge, request: Request
) -> Response:
    """Run ``handler``; a library error (a name that matches nothing, a bad value) is a 400
    with its message, as the CLI's exit 2 is."""
    try:
        return handler(knowledge, request)
    except KgError as exc:
        return JSONResponse({"error": str(exc)}, status_code=400)


# -- typed parameters ------------------------------------------------------------------


def _text(request: Request, name: str, *, required: bool = True) -> str | None:
    value = request.query_params.get(name)
    if value is None or not value.strip():
        if required:
            raise QueryError(f"missing parameter {name!r}")
        return None
    if len(value) > MAX_TEXT:
        raise QueryError(f"parameter {name!r} is longer than {MAX_TEXT} characters")
    return value


def _lang(knowledge: Knowledge, request: Request) -> str:
    lang = request.query_params.get("lang") or knowledge.lang
    if lang not in LANGUAGES:
        raise QueryError(f"unknown language {lang!r}; languages: {', '.join(LANGUAGES)}")
    return lang


def _as_of(request: Request) -> str | None:
    """The ``as_of`` parameter as an ISO day (``kg.audit.audit_day`` checks it), if given."""
    day = _text(request, "as_of", required=False)
    return None if day is None else audit.audit_day(day)


def _ids(request: Request) -> list[str]:
    """The ``id`` parameters (repeated): at most ``IDS`` node ids."""
    ids = request.query_params.getlist("id")
    if not ids:
        raise QueryError("missing parameter 'id'")
    if len(ids) > IDS:
        raise QueryError(f"more than {IDS} 'id' parameters")
    if any(len(node) > MAX_TEXT for node in ids):
        raise QueryError(f"parameter 'id' is longer than {MAX_TEXT} characters")
    return ids


def _node_id(knowledge: Knowledge, request: Request) -> str:
    """The ``id`` parameter: a node's id, or a name the resolver knows."""
    reference = _text(request, "id")
    assert reference is not None
    if reference in knowledge.by_id:
        return reference
    return resolve_in(knowledge.nodes, reference, None)


# -- routes ----------------------------------------------------------------------------


def meta(knowledge: Knowledge, request: Request) -> Response:
    """The page's words in the language asked, and how labels and relationships look."""
    lang = _lang(knowledge, request)
    words = catalogue(lang)
    labels = [*NODE_STYLES, *(label for label in Label if label not in NODE_STYLES)]
    types = [*EDGE_STYLES, *(kind for kind in RelType if kind not in EDGE_STYLES)]
    return JSONResponse({
        "lang": lang,
        "languages": list(LANGUAGES),
        "words": {**words["serve"], **words["serve"]["pages"]},
        "labels": [
            {"id": label, "word": words["labels"].get(label, label),
             "color": NODE_STYLES.get(label, OTHER_STYLE).color,
             "border": NODE_STYLES.get(label, OTHER_STYLE).border}
            for label in labels
        ],
        "relations": [
            {"id": kind, "word": words["relations"].get(kind, kind),
             "color": EDGE_STYLES.get(kind, OTHER_EDGE_STYLE).color}
            for kind in types
        ],
        "warning": WARNING_COLOR,
        "as_of": knowledge.as_of,
        "dated": list(DATED_BY),
        "downloads": DOWNLOADS,
    })


def search(knowledge: Knowledge, request: Request) -> Response:
    """Nodes the text may name, best first (``kg.resolve.suggest``)."""
    text = _text(request, "q")
    assert text is not None
    found = knowledge.names.suggest(text, SUGGESTIONS)
    return JSONResponse([{"id": i, "label": label, "name": name} for i, label, name in found])


def node(knowledge: Knowledge, request: Request) -> Response:
    """One node: its properties, the sources it cites, the audit's findings about it."""
    lang = _lang(knowledge, request)
    as_of = _as_of(request)
    node_id = _node_id(knowledge, request)
    found = knowledge.about("node_properties", node_id).rows
    if not found:
        return JSONResponse({"error": f"no node {node_id!r}"}, status_code=404)
    label, properties = found[0]
    cited = properties.get("sources") or []
    findings = [
        {"check": check.id, "title": check.title, "severity": check.severity.value,
         "message": finding.message, "subject": finding.subject}
        for check in knowledge.audit(lang, as_of)
        for finding in check.findings
        if node_id == finding.subject or node_id in finding.related
    ]
    return JSONResponse({
        **knowledge.entry(node_id),
        "label": label,
        "properties": {key: value for key, value in sorted(properties.items())},
        "rows": property_rows(label, properties, lang),
        "sources": [knowledge.entry(str(source)) for source in cited],
        "findings": findings,
        "as_of": as_of or knowledge.as_of,
    })


def neighbours(knowledge: Knowledge, request: Request) -> Response:
    """A node and its neighbours (at most ``NEIGHBOURS``), for the canvas to add."""
    node_id = _node_id(knowledge, request)
    rows = knowledge.neighbours(node_id)
    shown = rows[:NEIGHBOURS]
    gaps = knowledge.severities()
    ids = [node_id, *dict.fromkeys(row["neighbour"] for row in shown)]
    edges = [
        {"source": node_id if row["direction"] == "out" else row["neighbour"],
         "target": row["neighbour"] if row["direction"] == "out" else node_id,
         "type": row["relation"]}
        for row in shown
    ]
    return JSONResponse({
        "centre": node_id,
        "nodes": [{**knowledge.entry(i), "gap": gaps.get(i)} for i in ids],
        "edges": edges,
        "total": len(rows),
    })


def starts(knowledge: Knowledge, request: Request) -> Response:
    """Where the canvas may start besides a node found: every sentra and every zone."""
    return JSONResponse({
        label: sorted((knowledge.entry(i) for i, found, _ in knowledge.nodes if found == label),
                      key=lambda entry: (entry["name"] or entry["id"]).casefold())
        for label in (Label.SENTRA, Label.ZONE)
    })


def raci(knowledge: Knowledge, request: Request) -> Response:
    """The responsibility chart (of one sentra if ``sentra`` is given) with its gaps:
    activities without an A, with several A, without an R."""
    sentra = _text(request, "sentra", required=False)
    chart = raci_chart(knowledge.store, sentra)
    activities = []
    for activity, name in chart.activities:
        roles = [role for actor, _ in chart.actors
                 for role in chart.cells.get((activity, actor), [])]
        gaps = [gap for gap, missing in (
            ("no_accountable", Role.A not in roles),
            ("multiple_accountable", roles.count(Role.A) > 1),
            ("no_responsible", Role.R not in roles),
        ) if missing]
        activities.append({"id": activity, "name": name, "gaps": gaps})
    return JSONResponse({
        "sentra": None if sentra is None else knowledge.entry(
            resolve_in(knowledge.nodes, sentra, Label.SENTRA)),
        "sentra_list": [knowledge.entry(i) for i, label, _ in knowledge.nodes
                        if label == Label.SENTRA],
        "activities": activities,
        "actors": [{"id": actor, "name": name} for actor, name in chart.actors],
        "cells": [[activity, actor, chart.cell(activity, actor)]
                  for (activity, actor) in chart.cells],
    })


def audit_route(knowledge: Knowledge, request: Request) -> Response:
    """Every check with its findings, in the language asked, as of the day asked."""
    lang = _lang(knowledge, request)
    as_of = _as_of(request) or knowledge.as_of
    return JSONResponse({"as_of": as_of, "checks": [
        {"id": check.id, "title": check.title, "severity": check.severity.value,
         "findings": [
             {"subject": knowledge.entry(f.subject), "message": f.message,
              "related": [knowledge.entry(r) for r in f.related]}
             for f in check.findings
         ]}
        for check in knowledge.audit(lang, as_of)
    ]})


def grid(knowledge: Knowledge, request: Request) -> Response:
    """The stakeholder grid (``kg.stakeholders``): every actor's quadrant and influence."""
    lang = _lang(knowledge, request)
    assessment = assess_stakeholders(knowledge.store, lang=lang)
    return JSONResponse(assessment.to_json())


def grid_picture(knowledge: Knowledge, request: Request) -> Response:
    """The stakeholder grid drawn (``kg.viz.grid``, as ``kg viz --view grid`` draws it):
    its SVG, every name escaped in it, per point (``data-index``) the actor's id, name and
    details, which the page shows as text on hover and click, and the rows of ``grid``
    (one assessment, whose structural measures cost, for both)."""
    lang = _lang(knowledge, request)
    assessment = assess_stakeholders(knowledge.store, lang=lang)
    actors = grid_actors(assessment)
    placed = [a for a in actors if a.influence is not None and a.interest is not None]
    words = catalogue(lang)["stakeholders"]
    return JSONResponse({
        "words": words["grid"],
        "legend": [{"color": color, "word": words["attitude"].get(key or "",
                                                                  words["grid"]["no_attitude"])}
                   for key, color in ATTITUDE_COLORS.items()],
        "svg": grid_svg(placed, assessment.high_from, lang),
        "points": [{"id": a.id, "name": a.name, "details": a.details} for a in placed],
        "unplaced": [{"id": a.id, "name": a.name} for a in actors if a not in placed],
        "rows": assessment.to_json(),
    })


def days(knowledge: Knowledge, request: Request) -> Response:
    """For the canvas's time slider: of the ``id``s, the dated nodes, each with the day
    it exists from and the day a closed commitment closed (``kg.viz.days``, the rule of
    ``kg viz``'s slider)."""
    rows = queries.run(knowledge.store, "dated_nodes", {"ids": _ids(request)}).records()
    found = {}
    for row in rows:
        attrs = {**row["properties"], "label": row["label"]}
        found[row["id"]] = {"from": known_from(attrs), "closed": closed_on(attrs)}
    return JSONResponse(found)


def gaps(knowledge: Knowledge, request: Request) -> Response:
    """The gravest severity of the audit's findings as of ``as_of`` about each of the
    ``id``s that has some: the canvas's rings on the slider's day."""
    day = _as_of(request)
    graver = knowledge.severities(None if day == knowledge.as_of else day)  # one cache entry
    return JSONResponse({node: graver[node] for node in _ids(request) if node in graver})


def timeline(knowledge: Knowledge, request: Request) -> Response:
    """What ``kg timeline`` shows as of a day (``kg.followup``), of every sentra or of
    ``sentra``: its sections worded in the language asked, and the indicators (of the
    sentra, else of the whole area) as known on the day, each drawn as the brief draws it."""
    lang = _lang(knowledge, request)
    day = datetime.date.fromisoformat(_as_of(request) or knowledge.as_of)
    reference = _text(request, "sentra", required=False)
    sentra = None if reference is None else resolve_in(knowledge.nodes, reference, Label.SENTRA)
    report = followup.timeline(knowledge.store, sentra, day, lang)
    words = catalogue(lang)["brief"]["followup"]
    chart_words = {"actual": words["actual"], "target": words["target"]}
    return JSONResponse({
        "as_of": day.isoformat(),
        "sentra": None if sentra is None else knowledge.entry(sentra),
        "sentra_list": [knowledge.entry(i) for i, label, _ in knowledge.nodes
                        if label == Label.SENTRA],
        "sections": [
            {"title": section.title, "columns": list(section.columns),
             "rows": [["" if cell is None else str(cell) for cell in row]
                      for row in section.rows[:TIMELINE_ROWS]],
             "more": max(0, len(section.rows) - TIMELINE_ROWS),
             "notes": list(section.notes), "document": section.document}
            for section in report.sections() if not section.text_only
        ],
        "indicators": [
            {"indicator": series.indicator, "unit": series.unit,
             "direction": words[series.direction],
             "svg": indicator_chart(series, chart_words, lang)}
            for series in indicator_series(knowledge.store, day, sentra)
        ],
    })


def brief(knowledge: Knowledge, request: Request) -> Response:
    """The meeting brief (``kg report``) as a downloaded HTML file."""
    lang = _lang(knowledge, request)
    document = render_brief(build_brief(knowledge.store, lang=lang))
    return _download(document.encode(), f"brief-{lang}.html", "text/html; charset=utf-8")


def export(knowledge: Knowledge, request: Request) -> Response:
    """The whole graph in one of ``DOWNLOADS`` (``kg export``), as a downloaded file."""
    fmt = request.query_params.get("format", "")
    if fmt not in DOWNLOADS:
        raise QueryError(f"unknown format {fmt!r}; formats: {', '.join(DOWNLOADS)}")
    with tempfile.TemporaryDirectory(prefix="kg-serve-") as folder:
        path = Path(folder) / f"sentra-kg.{fmt}"
        export_graph(to_networkx(knowledge.store), fmt, path)
        data = path.read_bytes()
    return _download(data, path.name, "application/octet-stream")


def _download(data: bytes, filename: str, media_type: str) -> Response:
    headers: Mapping[str, str] = {"content-disposition": f'attachment; filename="{filename}"'}
    return Response(data, media_type=media_type, headers=headers)

"""The meeting brief: one printable, offline HTML page of what the graph says, per sentra.

``build_brief`` reads the store into a `Brief` (plain data: sources, audit findings, per
sentra its actors, responsibility chart, funding, kiosks, supply chains and
neighbourhood); ``Brief.html()`` renders it. Every word comes from the catalogues
(``kg/locale/<lang>.toml``: ``[brief]``, ``[recommendations]``, ``[labels]``,
``[relations]``, ``[kinds]``, ``[status]``), so ``lang="id"`` gives a brief in Bahasa
Indonesia.

The page is meant for paper and projectors: A4 print styles with a page break before each
section, and pictures drawn as inline SVG written here (layouts computed with networkx),
so printing needs no script. It holds no script at all, loads nothing (a
Content-Security-Policy forbids every request), and every name from the data is escaped.

Other features add sections through ``extra``: each a `Part`, a heading over the
:class:`kg.output.Section` list their own reports are made of. ``baseline`` adds the
changes since an earlier audit (``kg.changes``) that way.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
import itertools
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg import audit, queries
from kg.audit import CheckResult
from kg.catalogue import catalogue
from kg.chain import Chain, supply_chain
from kg.changes import Baseline, compare
from kg.errors import ExportError, QueryError
from kg.graph import to_networkx
from kg.output import Section, cell
from kg.queries import Severity
from kg.raci_chart import Chart, raci_chart
from kg.resolve import resolve
from kg.schema.model import Label, RelType, Role
from kg.stakeholders import StakeholderAssessment, assess_stakeholders
from kg.stats import graph_counts
from kg.store import Store
from kg.viz import subgraph
from kg.viz.styles import EDGE_STYLES, NODE_STYLES, OTHER_EDGE_STYLE, OTHER_STYLE, NodeStyle

if TYPE_CHECKING:
    import networkx as nx

GOVERNMENT_BUDGETS = ("APBD", "APBN")
"""Funding source types that are the government's own budget (drawn apart in the charts)."""

MAX_SENTRA = 50
"""Sentra a brief describes at most unless they are named (``build_brief``'s ``sentra``)."""

MAX_COLUMN = 40
"""Nodes drawn at most in one column of a sentra's neighbourhood picture."""

MAX_FINDINGS = 200
"""Findings listed per check at most; a national audit has far more than a meeting reads."""

_HALO = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"'
"""A white outline that keeps a picture's names readable over the lines they cross."""
_SEVERITY_COLORS = {Severity.ERROR: "#c62828", Severity.WARNING: "#ef8f00"}
_ROLE_COLORS = {Role.R: "#2e7d32", Role.A: "#1f3b73", Role.C: "#ef8f00", Role.I: "#7b7b7b"}
_GAP_CHECKS = ("activity.no_responsible", "activity.no_accountable",
               "activity.multiple_accountable", "activity.unscheduled")
"""Checks whose findings mark a row of the responsibility chart."""


@dataclass(frozen=True)
class SourceEntry:
    """A source the data cites, and how many nodes cite it."""

    id: str
    title: str
    publisher: str
    date: str
    url: str
    cited_by: int


@dataclass(frozen=True)
class ActorRoles:
    """An actor linked to a sentra and what it does there, worded for the reader."""

    id: str
    name: str
    kind: str
    roles: list[str]


@dataclass(frozen=True)
class FundingLine:
    """A sentra's grants of one source type: how many, the rupiah known, who gave them."""

    source_type: str
    grants: int
    amount_idr: int
    """Sum of the grants that state an amount."""
    without_amount: int
    """Grants that state none (sources often name funders without amounts)."""
    funders: list[str]


@dataclass(frozen=True)
class SentraBrief:
    """Everything the brief says about one sentra."""

    id: str
    name: str
    status: str
    kecamatan: str
    zone: str
    actors: list[ActorRoles]
    chart: Chart
    gaps: dict[str, list[str]]
    """Activity id -> titles of the checks that found a gap in its row."""
    funding: list[FundingLine]
    kiosks_total: int | None
    kiosks_occupied: int | None
    chains: list[tuple[Chain, Chain]]
    """Per product: its chain upstream and its chain downstream."""
    neighbourhood: nx.MultiDiGraph


@dataclass(frozen=True)
class Part:
    """A section of the brief that another feature adds: a heading over its report's
    sections (each printed with its title, table, items and notes)."""

    title: str
    sections: list[Section]
    svg: str = ""
    """A picture the brief drew for the part (inline SVG, its text already escaped)."""


@dataclass(frozen=True)
class Brief:
    """The meeting brief as data; ``html()`` renders it."""

    title: str
    date: datetime.date
    lang: str
    store: str
    nodes: dict[str, int]
    """Nodes per label."""
    relationships: int
    sources: list[SourceEntry]
    checks: list[CheckResult]
    sentra: list[SentraBrief]
    extra: list[Part] = field(default_factory=list)
    """Sections other features add (stakeholder grid, changes since a baseline)."""

    def html(self) -> str:
        """The brief as one self-contained HTML document (write it as UTF-8)."""
        return _Renderer(self).document()


def build_brief(
    store: Store,
    *,
    lang: str = "en",
    sentra: Sequence[str] = (),
    title: str | None = None,
    today: datetime.date | None = None,
    baseline: Baseline | None = None,
    extra: Sequence[Part] = (),
    max_sentra: int = MAX_SENTRA,
) -> Brief:
    """Read what the brief shows from `store`.

    Parameters
    ----------
    store : Store
        The store to read.
    lang : {"en", "id"}
        Language of every word the brief adds to the data.
    sentra : sequence of str
        Sentra to describe, by id or name (``kg.resolve``); all sentra, by id, when empty.
    title : str, optional
        The brief's title; the catalogue's when not given.
    today : datetime.date, optional
        The date printed on the brief; today when not given.
    baseline : Baseline, optional
        An earlier audit (``kg.changes.read_baseline``): the brief then says which
        findings are new, unchanged and resolved since.
    extra : sequence of Part
        Sections other features add, printed after the sentra.
    max_sentra : int
        Refuse to describe more sentra than this when `sentra` is empty: a meeting reads
        a few, and each takes queries of its own.

    Raises
    ------
    QueryError
        If `lang` has no catalogue, a `sentra` names no sentra, or the store holds more
        than `max_sentra` sentra and `sentra` names none.
    """
    words = catalogue(lang)
    named = [resolve(store, s, Label.SENTRA) for s in sentra]
    # Counted first (cheap on both engines): a store too large to describe is refused
    # before its graph is read.
    labels, types = graph_counts(store)
    if not named and labels.get(Label.SENTRA, 0) > max_sentra:
        raise QueryError(
            f"the store holds {labels[Label.SENTRA]:,} sentra, more than the {max_sentra} a "
            "brief describes at most; name the ones to describe with --sentra (repeatable) "
            "or raise --max-sentra"
        )
    graph = to_networkx(store)
    chosen = list(dict.fromkeys(named)) or sorted(
        n for n, label in graph.nodes(data="label") if label == Label.SENTRA
    )
    checks = audit.run_audit(store, lang=lang)
    parts = list(extra)
    if labels.get(Label.ASSESSMENT):  # the grid's structural measures cost; only with ratings
        grid = assess_stakeholders(store, lang=lang)
        picture = _grid_picture(grid, words["stakeholders"]["quadrant"], words["brief"])
        parts.insert(0, Part(words["brief"]["stakeholders"], grid.sections(), picture))
    if baseline is not None:
        parts.append(Part(words["brief"]["changes"], compare(baseline, checks, lang).sections()))
    return Brief(
        title=title or words["brief"]["title"],
        date=today or datetime.date.today(),
        lang=lang,
        store=store.location,
        nodes=dict(sorted(labels.items())),
        relationships=sum(types.values()),
        sources=_sources(graph),
        checks=checks,
        sentra=[_sentra(store, graph, s, checks, words) for s in chosen],
        extra=parts,
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _sources(graph: nx.MultiDiGraph) -> list[SourceEntry]:
    cited: dict[str, int] = defaultdict(int)
    for _, sources in graph.nodes(data="sources"):
        for source in [sources] if isinstance(sources, str) else sources or ():
            cited[str(source)] += 1
    for _, _, sources in graph.edges(data="sources"):
        for source in [sources] if isinstance(sources, str) else sources or ():
            cited[str(source)] += 1
    return [
        SourceEntry(
            node, _text(attrs.get("title")) or node, _text(attrs.get("publisher")),
            _text(attrs.get("date")), _text(attrs.get("url")), cited[node],
        )
        for node, attrs in sorted(graph.nodes(data=True))
        if attrs.get("label") == Label.SOURCE
    ]


def _name(graph: nx.MultiDiGraph, node: str) -> str:
    return _text(graph.nodes[node].get("name")) or node


def _linked(graph: nx.MultiDiGraph, node: str, rel: RelType) -> list[str]:
    return sorted(v for _, v, kind in graph.out_edges(node, data="type") if kind == rel)


def _sentra(
    store: Store, graph: nx.MultiDiGraph, sentra: str, checks: Sequence[CheckResult],
    words: Mapping[str, Any],
) -> SentraBrief:
    attrs = graph.nodes[sentra]
    unknown = words["brief"]["unknown"]
    kecamatan = _linked(graph, sentra, RelType.LOCATED_IN)
    zones = [z for k in kecamatan for z in _linked(graph, k, RelType.IN_ZONE)]
    chart = raci_chart(store, sentra)
    rows = {activity for activity, _ in chart.activities}
    gaps: dict[str, list[str]] = defaultdict(list)
    for check in checks:
        if check.id in _GAP_CHECKS:
            for finding in check.findings:
                if finding.subject in rows:
                    gaps[finding.subject].append(check.title)
    status = _text(attrs.get("status"))
    return SentraBrief(
        id=sentra,
        name=_name(graph, sentra),
        status=words["status"].get(status, status) or unknown,
        kecamatan=", ".join(_name(graph, k) for k in kecamatan) or unknown,
        zone=", ".join(_name(graph, z) for z in zones) or unknown,
        actors=_actors(store, sentra, words),
        chart=chart,
        gaps=dict(gaps),
        funding=_funding(graph, sentra),
        kiosks_total=attrs.get("kiosksTotal"),
        kiosks_occupied=attrs.get("kiosksOccupied"),
        chains=[
            (supply_chain(store, c, downstream=False), supply_chain(store, c, downstream=True))
            for c in _linked(graph, sentra, RelType.PRODUCES)
            if graph.nodes[c].get("label") == Label.COMMODITY
        ],
        neighbourhood=subgraph(graph, sentra=sentra),
    )


def _actors(store: Store, sentra: str, words: Mapping[str, Any]) -> list[ActorRoles]:
    relations = words["relations"]
    found: dict[str, ActorRoles] = {}
    for row in queries.run(store, "sentra_actors", {"sentra": sentra}).records():
        kind = _text(row["kind"])
        actor = found.setdefault(row["actor"], ActorRoles(
            row["actor"], _text(row["actor_name"]) or row["actor"],
            words["kinds"].get(kind, kind), [],
        ))
        relation = relations.get(row["relation"], row["relation"])
        role = relation if row["via"] == sentra else f"{relation}: {row['via_name'] or row['via']}"
        if role not in actor.roles:  # two grants from one funder fund it once
            actor.roles.append(role)
    return sorted(found.values(), key=lambda a: a.name.casefold())


def _funding(graph: nx.MultiDiGraph, sentra: str) -> list[FundingLine]:
    grants: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    for funder, _, attrs in graph.in_edges(sentra, data=True):
        if attrs.get("type") == RelType.FUNDS:
            amount = attrs.get("amountIdr")
            grants[_text(attrs.get("sourceType"))].append(
                (_name(graph, funder), None if amount is None else int(amount))
            )
    return [
        FundingLine(
            kind, len(given), sum(a for _, a in given if a is not None),
            sum(1 for _, a in given if a is None), sorted({f for f, _ in given}),
        )
        for kind, given in sorted(grants.items())
    ]


# -- rendering ------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: #1d1d1d;
  margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 20pt; margin: 0 0 2mm; }
h2 { font-size: 15pt; margin: 0 0 3mm; padding-bottom: 1mm; border-bottom: 2px solid #1f3b73; }
h3 { font-size: 12pt; margin: 5mm 0 2mm; }
section { padding-top: 4mm; }
section + section { page-break-before: always; break-before: page; }
@media screen { section + section { border-top: 1px dashed #bbb; margin-top: 8mm; } }
.meta { color: #555; margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; font-size: 9pt; }
th, td { border: 1px solid #c8c8c8; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
thead th { background: #eef1f6; }
tr, figure, .check { page-break-inside: avoid; break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
figure { margin: 2mm 0 4mm; }
figcaption { font-size: 8.5pt; color: #555; }
svg { max-width: 100%; height: auto; }
svg text { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; }
.raci td.role { text-align: center; font-weight: 700; color: #fff; }
@media print { .raci td.role { print-color-adjust: exact; -webkit-print-color-adjust: exact; } }
.raci th.actor { font-size: 7.5pt; font-weight: 600; }
.raci tr.gap th { background: #fde3e3; color: #8e1212; }
.gap-note { color: #8e1212; font-size: 8pt; font-weight: normal; }
.legend span { display: inline-block; margin-right: 4mm; }
.swatch { margin-right: 1mm; vertical-align: middle; }
.severity { font-weight: 700; }
.severity-error { color: #c62828; }
.severity-warning { color: #b26a00; }
.recommendation { background: #eef6ee; border-left: 4px solid #2e7d32; padding: 1.5mm 3mm; }
.check h3 { margin-bottom: 1mm; }
.check ul { margin: 1mm 0 2mm; padding-left: 6mm; }
.toc ol { padding-left: 6mm; }
code { font-size: 8.5pt; overflow-wrap: anywhere; }
""" + "".join(
    f".raci td.role-{role.value} {{ background: {color}; }}\n"
    for role, color in _ROLE_COLORS.items()
)


def _esc(value: Any) -> str:
    return html.escape(cell(value), quote=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _rupiah(amount: int, lang: str) -> str:
    grouped = f"{amount:,}"
    return grouped.replace(",", ".") if lang == "id" else grouped


def _percent(share: float, lang: str) -> str:
    text = f"{share:.0%}"
    return text.replace(".", ",") if lang == "id" else text


class _Renderer:
    """Writes the HTML of one brief; every value passes through ``_esc``."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.words = catalogue(brief.lang)
        self.w: Mapping[str, Any] = self.words["brief"]

    def document(self) -> str:
        b = self.brief
        sections = [
            ("dataset", self.w["dataset"], self.dataset()),
            ("summary", self.w["summary"], self.summary()),
            *(
                (f"sentra-{i}", f"{self.w['sentra']}: {s.name}", self.sentra(s))
                for i, s in enumerate(b.sentra, start=1)
            ),
            *(
                (f"extra-{i}", part.title,
                 (f"<figure>{part.svg}</figure>" if part.svg else "")
                 + "".join(self.extra(s) for s in part.sections))
                for i, part in enumerate(b.extra, start=1)
            ),
            ("findings", self.w["findings"], self.findings()),
        ]
        toc = "".join(f'<li><a href="#{key}">{_esc(title)}</a></li>' for key, title, _ in sections)
        body = "".join(
            f'<section id="{key}"><h2>{_esc(title)}</h2>{content}</section>'
            for key, title, content in sections
        )
        head = (
            f'<section id="title"><h1>{_esc(b.title)}</h1>'
            f'<p class="meta">{_esc(self.w["date"])}: {_esc(b.date.isoformat())}<br>'
            f'{_esc(self.w["generated"].format(store=b.store))}</p>'
            f'<nav class="toc"><h3>{_esc(self.w["contents"])}</h3><ol>{toc}</ol></nav></section>'
        )
        csp = "; ".join([
            "default-src 'none'",
            f"style-src {_hash(_CSS)}",
            "img-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ])
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{_esc(self.w["lang"])}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="sentra-kg (kg report)">\n'
            f"<title>{_esc(b.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            f"{head}{body}\n</body>\n</html>\n"
        )

    # -- sections --------------------------------------------------------------------------

    def dataset(self) -> str:
        b, w = self.brief, self.w
        labels = self.words["labels"]
        counts = "".join(
            f"<li>{_esc(labels.get(label, label))}: {_esc(n)}</li>"
            for label, n in b.nodes.items()
        )
        parts = [
            "<p>" + _esc(w["dataset_intro"].format(
                nodes=sum(b.nodes.values()), relationships=b.relationships
            )) + "</p>",
            f"<ul>{counts}</ul>",
        ]
        if not b.sources:
            parts.append(f"<p>{_esc(w['no_sources'])}</p>")
            return "".join(parts)
        parts.append(f"<p>{_esc(w['sources_intro'])}</p>")
        rows = [
            [f"<code>{_esc(s.id)}</code>", _esc(s.title), _esc(s.publisher), _esc(s.date),
             f"<code>{_esc(_address(s.url))}</code>" if s.url else "", _esc(s.cited_by)]
            for s in b.sources
        ]
        parts.append(self.table(
            [w["source"], w["source_title"], w["publisher"], w["source_date"], w["address"],
             w["cited_by"]],
            rows, numeric={5},
        ))
        return "".join(parts)

    def summary(self) -> str:
        b, w = self.brief, self.w
        report = self.words["report"]
        severity_rows = [
            [f'<span class="severity severity-{s.value}">{_esc(report[s.value])}</span>',
             _esc(sum(c.count for c in b.checks if c.severity is s))]
            for s in sorted(Severity, key=lambda s: -s.rank)
        ]
        line = audit.AuditReport(b.checks, b.lang).sections()[-1].notes[0]  # its summary
        found = [c for c in b.checks if c.count]
        chart = (
            _bar_chart([(c.title, c.count, _SEVERITY_COLORS[c.severity]) for c in found],
                       label=w["per_check"])
            if found else f"<p>{_esc(w['no_findings'])}</p>"
        )
        legend = "".join(
            f"<span>{_swatch(color)}{_esc(report[s.value])}</span>"
            for s, color in _SEVERITY_COLORS.items()
        )
        return (
            f"<p><strong>{_esc(line)}</strong></p>"
            + self.table([w["severity"], w["count"]], severity_rows, numeric={1})
            + f"<h3>{_esc(w['per_check'])}</h3><figure>{chart}"
            f'<figcaption class="legend">{legend}</figcaption></figure>'
        )

    def sentra(self, s: SentraBrief) -> str:
        w = self.w
        return "".join([
            "<p>" + _esc(w["sentra_intro"].format(
                status=s.status, kecamatan=s.kecamatan, zone=s.zone
            )) + "</p>",
            f"<h3>{_esc(w['actors'])}</h3>", self.actors(s),
            f"<h3>{_esc(w['raci'])}</h3>", self.raci(s),
            f"<h3>{_esc(w['funding'])}</h3>", self.funding(s),
            f"<h3>{_esc(w['kiosks'])}</h3>", self.kiosks(s),
            f"<h3>{_esc(w['chain'])}</h3>", self.chains(s),
            f"<h3>{_esc(w['neighbourhood'])}</h3>", self.neighbourhood(s),
        ])

    def actors(self, s: SentraBrief) -> str:
        w = self.w
        if not s.actors:
            return f"<p>{_esc(w['no_actors'])}</p>"
        rows = [
            [_esc(a.name), _esc(a.kind), "<br>".join(_esc(r) for r in a.roles)] for a in s.actors
        ]
        return self.table([w["actor"], w["kind"], w["roles"]], rows)

    def raci(self, s: SentraBrief) -> str:
        w, chart = self.w, s.chart
        if not chart.activities:
            return f"<p>{_esc(w['no_activities'])}</p>"
        head = "".join(f'<th class="actor">{_esc(name)}</th>' for _, name in chart.actors)
        body = []
        for activity, name in chart.activities:
            gaps = s.gaps.get(activity, [])
            mark = (
                "\u26a0 " + _esc(name) + "".join(
                    f'<br><span class="gap-note">{_esc(g)}</span>' for g in gaps
                )
                if gaps else _esc(name)
            )
            cells = []
            for actor, _ in chart.actors:
                roles = chart.cells.get((activity, actor), [])
                if roles:
                    role_class = (Role.A if Role.A in roles else roles[0]).value
                    cells.append(
                        f'<td class="role role-{role_class}">'
                        f'{_esc(chart.cell(activity, actor))}</td>'
                    )
                else:
                    cells.append("<td></td>")
            body.append(
                f'<tr{" class=\"gap\"" if gaps else ""}><th>{mark}</th>{"".join(cells)}</tr>'
            )
        legend = "".join(
            f"<span>{_swatch(color)}{_esc(role.value)}</span>"
            for role, color in _ROLE_COLORS.items()
        )
        return (
            f'<table class="raci"><thead><tr><th>{_esc(w["activity"])}</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>'
            f'<p class="legend">{legend} {_esc(w["raci_legend"])}</p>'
        )

    def funding(self, s: SentraBrief) -> str:
        w, lang = self.w, self.brief.lang
        if not s.funding:
            return f"<p>{_esc(w['no_funding'])}</p>"
        rows = []
        for line in s.funding:
            if line.without_amount == line.grants:
                amount = w["amount_unknown"]
            elif line.without_amount:
                amount = w["amount_part"].format(
                    amount=_rupiah(line.amount_idr, lang), unknown=line.without_amount
                )
            else:
                amount = _rupiah(line.amount_idr, lang)
            rows.append([_esc(line.source_type), _esc(line.grants), _esc(amount),
                         _esc(", ".join(line.funders))])
        table = self.table([w["source_type"], w["grants"], w["amount"], w["funders"]], rows,
                           numeric={1, 2})
        # Rupiah when every grant states one, otherwise the number of grants: as the
        # government-dependence check weighs them.
        by_amount = all(line.without_amount == 0 for line in s.funding)
        bars = [
            (line.source_type,
             line.amount_idr if by_amount else line.grants,
             "#1f3b73" if line.source_type in GOVERNMENT_BUDGETS else "#2e7d32")
            for line in s.funding
        ]
        label = w["amount"] if by_amount else w["grants"]
        return table + f"<figure>{_bar_chart(bars, label=label, lang=lang)}</figure>"

    def kiosks(self, s: SentraBrief) -> str:
        w, lang = self.w, self.brief.lang
        total, occupied = s.kiosks_total, s.kiosks_occupied
        if not total or occupied is None:
            return f"<p>{_esc(w['no_kiosks'])}</p>"
        threshold = float(audit.thresholds()["occupancy_below"].default or 0)
        share = occupied / total
        line = w["kiosks_line"].format(occupied=occupied, total=total,
                                       share=_percent(share, lang))
        note = w["kiosks_threshold"].format(threshold=_percent(threshold, lang))
        return (
            f"<p>{_esc(line)} {_esc(note)}</p>"
            f"<figure>{_kiosk_bar(occupied, total, threshold)}</figure>"
        )

    def chains(self, s: SentraBrief) -> str:
        if not s.chains:
            return f"<p>{_esc(self.w['no_chain'])}</p>"
        pictures = "".join(
            f"<figure>{_chain_picture(up, down, self.w['markets'])}</figure>"
            for up, down in s.chains
        )
        return f"<p>{_esc(self.w['chain_intro'])}</p>{pictures}"

    def neighbourhood(self, s: SentraBrief) -> str:
        picture, labels, relations = _neighbourhood_picture(
            s.neighbourhood, s.id, self.w["more"]
        )
        names, rels = self.words["labels"], self.words["relations"]
        legend = "".join(
            f"<span>{_swatch(NODE_STYLES.get(label, OTHER_STYLE).color)}"
            f"{_esc(names.get(label, label or names['none']))}</span>"
            for label in labels
        ) + "<br>" + "".join(
            f"<span>{_swatch(EDGE_STYLES.get(rel, OTHER_EDGE_STYLE).color, line=True)}"
            f"{_esc(rels.get(rel, rel))}</span>"
            for rel in relations
        )
        return (
            f"<p>{_esc(self.w['neighbourhood_intro'])}</p>"
            f'<figure>{picture}<figcaption class="legend">{legend}</figcaption></figure>'
        )

    def extra(self, section: Section) -> str:
        parts = [f"<h3>{_esc(section.title)}</h3>"] if section.title else []
        if section.columns:
            parts.append(self.table(
                list(section.columns), [[_esc(v) for v in row] for row in section.rows]
            ))
        if section.items:
            parts.append("<ul>" + "".join(f"<li>{_esc(i)}</li>" for i in section.items) + "</ul>")
        parts.extend(f"<p>{_esc(note)}</p>" for note in section.notes)
        return "".join(parts)

    def findings(self) -> str:
        w, report = self.w, self.words["report"]
        recommendations = self.words["recommendations"]
        parts = [f"<p>{_esc(w['findings_intro'])}</p>"]
        for check in self.brief.checks:
            if not check.count:
                continue
            shown = check.findings[:MAX_FINDINGS]
            items = "".join(f"<li>{_esc(f.message)}</li>" for f in shown)
            if check.count > len(shown):
                items += f"<li>{_esc(w['more'].format(n=check.count - len(shown)))}</li>"
            parts.append(
                '<div class="check">'
                f"<h3>{_esc(check.title)} "
                f'<span class="severity severity-{check.severity.value}">'
                f"[{_esc(report[check.severity.value])}, {_esc(check.count)}]</span></h3>"
                f'<p class="recommendation"><strong>{_esc(w["recommendation"])}:</strong> '
                f"{_esc(recommendations[check.id])}</p><ul>{items}</ul></div>"
            )
        clear = [c.title for c in self.brief.checks if not c.count]
        if clear:
            parts.append(f"<p>{_esc(w['checks_clear'].format(checks='; '.join(clear)))}</p>")
        return "".join(parts)

    def table(
        self, columns: Sequence[str], rows: Iterable[Sequence[str]], numeric: Collection[int] = ()
    ) -> str:
        """A table of cells already escaped; ``numeric`` columns align right."""

        def attr(i: int) -> str:
            return ' class="num"' if i in numeric else ""

        head = "".join(f"<th{attr(i)}>{_esc(c)}</th>" for i, c in enumerate(columns))
        body = "".join(
            "<tr>" + "".join(f"<td{attr(i)}>{v}</td>" for i, v in enumerate(row)) + "</tr>"
            for row in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _swatch(color: str, *, line: bool = False) -> str:
    """A small square (or line) of `color` for a legend: SVG, as the page allows no inline
    style attribute (its Content-Security-Policy)."""
    shape = (f'<rect x="0" y="4" width="12" height="3" fill="{color}"/>' if line
             else f'<rect x="0.5" y="0.5" width="11" height="11" fill="{color}" stroke="#666"/>')
    return f'<svg class="swatch" width="12" height="12" viewBox="0 0 12 12">{shape}</svg>'


def _address(url: str) -> str:
    """A source's address without its scheme: readable on paper, never a link."""
    for scheme in ("https://", "http://"):
        if url.lower().startswith(scheme):
            return url[len(scheme):]
    return url


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


# -- pictures (inline SVG) ------------------------------------------------------------------


def _svg(width: float, height: float, body: str, label: str) -> str:
    return (
        f'<svg viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'role="img" aria-label="{_esc(label)}">{body}</svg>'
    )


def _bar_chart(bars: Sequence[tuple[str, int, str]], *, label: str, lang: str = "en") -> str:
    """Horizontal bars: a name, a value and a colour each, scaled to the largest value."""
    name_width, bar_width, row = 330, 300, 22
    top = max((value for _, value, _ in bars), default=0) or 1
    parts = []
    for i, (name, value, color) in enumerate(bars):
        y = i * row
        length = bar_width * value / top
        parts.append(
            f'<text x="{name_width - 6}" y="{y + 15}" text-anchor="end" font-size="11">'
            f"<title>{_esc(name)}</title>{_esc(_short(name, 52))}</text>"
            f'<rect x="{name_width}" y="{y + 4}" width="{max(length, 1):.1f}" height="{row - 8}" '
            f'fill="{color}"/>'
            f'<text x="{name_width + length + 5:.1f}" y="{y + 15}" font-size="11">'
            f"{_esc(_rupiah(value, lang))}</text>"
        )
    return _svg(name_width + bar_width + 110, len(bars) * row + 4, "".join(parts), label)


def _kiosk_bar(occupied: int, total: int, threshold: float) -> str:
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


def _chain_picture(upstream: Chain, downstream: Chain, markets_word: str) -> str:
    """Columns left to right: inputs by distance, the product, what it supplies, markets."""
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
    box_w, box_h, gap_x, gap_y = 150, 34, 46, 12
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
                     f'fill="#555">{_esc(markets_word)}</text>')
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
        parts.append(
            f'<g><title>{_esc(name)}</title>'
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{box_w}" height="{box_h}" rx="5" '
            f'fill="{style.color}" fill-opacity="0.35" stroke="{stroke}" '
            f'stroke-width="{3 if node == product else 1.2}"/>'
            f'<text x="{x + box_w / 2:.0f}" y="{y + box_h / 2 + 4:.0f}" text-anchor="middle" '
            f'font-size="10"{" font-weight=\"700\"" if node == product else ""}>'
            f"{_esc(_short(name, 26))}</text></g>"
        )
    return _svg(width, height, "".join(parts), steps[product].name)


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


def _neighbourhood_picture(
    part: nx.MultiDiGraph, centre: str, more: str
) -> tuple[str, list[str], list[str]]:
    """The sentra in the middle, its actors in a column on the left, everything else it
    is linked to (activities, commodities, kecamatan, regulations...) on the right, grouped
    by label; each relationship a line coloured by its type.

    Columns keep every name whole and readable on paper, which rings around the sentra do
    not once it has twenty neighbours. A column holds at most `MAX_COLUMN` nodes; `more`
    (a template with ``{n}``) says how many were left out.

    Returns the SVG and the labels and relationship types it draws, for its legend.
    """
    rank = {str(label): i for i, label in enumerate(NODE_STYLES)}

    def order(node: str) -> tuple[int, str, str]:
        label = str(part.nodes[node].get("label") or "")
        return (rank.get(label, len(rank)), _name(part, node).casefold(), node)

    others = sorted((n for n in part if n != centre), key=order)
    left = [n for n in others if part.nodes[n].get("label") == Label.ACTOR]
    right = [n for n in others if part.nodes[n].get("label") != Label.ACTOR]
    hidden = {"left": max(0, len(left) - MAX_COLUMN), "right": max(0, len(right) - MAX_COLUMN)}
    left, right = left[:MAX_COLUMN], right[:MAX_COLUMN]
    row, top = 24.0, 20.0
    rows = max(len(left) + bool(hidden["left"]), len(right) + bool(hidden["right"]), 3)
    width, height = 900.0, top * 2 + rows * row
    x_left, x_right, x_centre = 250.0, 650.0, 450.0
    place = {centre: (x_centre, height / 2)}
    for column, x in ((left, x_left), (right, x_right)):
        start = (height - len(column) * row) / 2 + row / 2
        for i, node in enumerate(column):
            place[node] = (x, start + i * row)
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
        name = _name(part, node)
        if node == centre:
            r, anchor, tx, ty, size, limit = 14.0, "middle", x, y - 22, 12, 60
        elif x < x_centre:
            r, anchor, tx, ty, size, limit = 7.0, "end", x - 12, y + 4, 10, 36
        else:
            r, anchor, tx, ty, size, limit = 7.0, "start", x + 12, y + 4, 10, 36
        weight = ' font-weight="700"' if node == centre else ""
        parts.append(
            f"<g><title>{_esc(name)}</title>"
            + _shape(style, x, y, r, "#1d1d1d" if node == centre else style.border,
                     2.5 if node == centre else 1)
            + f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" font-size="{size}"'
            f"{weight}{_HALO}>{_esc(_short(name, limit))}</text></g>"
        )
    for side, x, anchor in (("left", x_left - 12, "end"), ("right", x_right + 12, "start")):
        if hidden[side]:
            parts.append(
                f'<text x="{x:.1f}" y="{height - top:.1f}" text-anchor="{anchor}" '
                f'font-size="10" font-style="italic">{_esc(more.format(n=hidden[side]))}</text>'
            )
    ordered = [str(label) for label in NODE_STYLES if label in labels]
    ordered += [label for label in labels if label not in ordered]
    return _svg(width, height, "".join(parts), _name(part, centre)), ordered, relations


def _grid_picture(
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
                     f'font-style="italic" fill="#8e1212">{_esc(strategies[key])}</text>')
    for rating in range(1, 6):
        parts.append(f'<text x="{left + (rating - 0.5) * cell_w}" y="{top + size_h + 16}" '
                     f'text-anchor="middle" font-size="11">{rating}</text>'
                     f'<text x="{left - 10}" y="{top + size_h - (rating - 0.5) * cell_h + 4}" '
                     f'text-anchor="end" font-size="11">{rating}</text>')
    parts.append(
        f'<text x="{left + size_w / 2}" y="{top + size_h + 34}" text-anchor="middle" '
        f'font-size="12" font-weight="700">{_esc(words["interest"])} \u2192</text>'
        f'<text x="16" y="{top + size_h / 2}" text-anchor="middle" font-size="12" '
        f'font-weight="700" transform="rotate(-90 16 {top + size_h / 2})">'
        f'{_esc(words["influence"])} \u2192</text>'
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
                f'<text x="{x0 + 15}" y="{y}" font-size="10"{_HALO}><title>{_esc(name)}</title>'
                f"{_esc(_short(name, 17))}</text>"
            )
    return _svg(left + size_w + 10, top + size_h + 44, "".join(parts), words["stakeholders"])


# -- PDF --------------------------------------------------------------------------------------

CHROMIUM_COMMANDS = ("chromium", "chromium-browser")
"""Names of the browser that prints the PDF (Debian's and Ubuntu's package)."""

PRINT_TIMEOUT = 180.0
"""Seconds the browser may take to print."""


def print_pdf(document: str) -> bytes:
    """The HTML `document` printed to PDF (A4) by the system's Chromium, headless.

    Raises
    ------
    ExportError
        If no Chromium is installed (naming the package to install) or it fails to print.
    """
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    browser = next(filter(None, map(shutil.which, CHROMIUM_COMMANDS)), None)
    if browser is None:
        raise ExportError(
            "printing a PDF needs Chromium, and none is installed: install the package "
            "'chromium' (Debian: apt-get install chromium; Ubuntu: chromium-browser), or "
            "write HTML and print it from a browser"
        )
    with tempfile.TemporaryDirectory(prefix="kg-report-") as folder:
        page, pdf = Path(folder, "brief.html"), Path(folder, "brief.pdf")
        page.write_text(document, encoding="utf-8")
        command = [
            browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
            "--disable-extensions", "--disable-background-networking",
            f"--user-data-dir={Path(folder, 'profile')}",
            "--no-pdf-header-footer", "--print-to-pdf-no-header",
            f"--print-to-pdf={pdf}", page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True,
                                  timeout=PRINT_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ExportError(f"Chromium ({browser}) could not print the brief: {exc}") from exc
        if not pdf.is_file() or pdf.stat().st_size == 0:
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ExportError(
                f"Chromium ({browser}) printed no PDF (exit {done.returncode}): {detail[0]}"
            )
        return pdf.read_bytes()

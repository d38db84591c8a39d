"""What the meeting brief says, read from the store: the `Brief` as plain data.

``build_brief`` reads the sources, the audit's findings, the whole area's indicators and,
per sentra, its actors, responsibility chart, plan as of the day, recent engagements, open
commitments, funding, kiosks, indicators, supply chains and neighbourhood (a
`SentraBrief`); other features add sections as `Part`s. It reads the sentra it describes,
not the whole graph: their stakeholder neighbourhoods by query (``neighbourhoods``) and a
few queries more per sentra. ``kg.report.page.render_brief``
writes the page.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from kg import audit, queries
from kg.audit import CheckResult
from kg.catalogue import catalogue, numeral, say
from kg.chain import Chain, supply_chain
from kg.changes import Baseline, compare
from kg.errors import QueryError
from kg.followup import (
    TimelineActivity,
    TimelineCommitment,
    TimelineEngagement,
    commitments,
    engagements,
    planned_activities,
    since_day,
)
from kg.indicators import IndicatorSeries, indicator_series
from kg.output import Section
from kg.raci_chart import Chart, raci_chart
from kg.report.formatting import as_text, node_name
from kg.report.svg import grid_picture
from kg.resolve import resolve
from kg.schema.graph import DATASETS_PROPERTY
from kg.schema.model import Label, RelType
from kg.stakeholders import assess_stakeholders
from kg.stats import graph_counts
from kg.store import Store
from kg.viz import subgraph

if TYPE_CHECKING:
    import networkx as nx

MAX_SENTRA = 50
"""Sentra a brief describes at most unless they are named (``build_brief``'s ``sentra``)."""

_GAP_CHECKS = ("activity.no_responsible", "activity.no_accountable",
               "activity.multiple_accountable", "activity.unscheduled")
"""Checks whose findings mark a row of the responsibility chart."""

_LISTED = (Label.ENGAGEMENT, Label.COMMITMENT, Label.INDICATOR)
"""Labels a sentra's own sections list, left out of its neighbourhood picture (a dozen
engagements would crowd out its actors and activities)."""


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
    plan: list[TimelineActivity]
    """Its activities as they stood on the brief's day, grouped by phase."""
    engagements: list[TimelineEngagement]
    """Those held at it from the brief's ``since`` to its day."""
    commitments: list[TimelineCommitment]
    """Those concerning it still open on the brief's day."""
    funding: list[FundingLine]
    kiosks_total: int | None
    kiosks_occupied: int | None
    indicators: list[IndicatorSeries]
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
    """The day the brief is for: its plan, commitments and indicators as they stood then."""
    since: datetime.date
    """The first day of the period whose engagements it lists."""
    lang: str
    store: str
    nodes: dict[str, int]
    """Nodes per label."""
    relationships: int
    sources: list[SourceEntry]
    checks: list[CheckResult]
    sentra: list[SentraBrief]
    indicators: list[IndicatorSeries]
    """The whole area's (indicators naming no subject)."""
    extra: list[Part] = field(default_factory=list)
    """Sections other features add (stakeholder grid, changes since a baseline)."""
    described: bool = False
    """Whether it describes named sentra only: its sources are then those cited in their
    neighbourhoods, and its stakeholder grid is measured on them (else on the whole
    graph)."""


def build_brief(
    store: Store,
    *,
    lang: str = "en",
    sentra: Sequence[str] = (),
    title: str | None = None,
    as_of: datetime.date | None = None,
    since: str = "12m",
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
    as_of : datetime.date, optional
        The day the brief is for, printed on it: its findings (the audit as of the day),
        plan (statuses, overdue activities), open commitments and indicators are as they
        stood on it, later facts left out; today when not given.
    since : str
        The period whose engagements it lists, ending on `as_of`: a number and d, w, m
        or y (``180d``, ``12m``; ``kg.followup.since_day``).
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
        If `lang` has no catalogue, `since` is no period, a `sentra` names no sentra, or
        the store holds more than `max_sentra` sentra and `sentra` names none.
    """
    words = catalogue(lang)
    day = as_of or datetime.date.today()
    first = since_day(day, since)
    named = list(dict.fromkeys(resolve(store, s, Label.SENTRA) for s in sentra))
    # Counted first (cheap on both engines): a store too large to describe is refused
    # before anything else is read.
    labels, types = graph_counts(store)
    if not named and labels.get(Label.SENTRA, 0) > max_sentra:
        raise QueryError(say("refusals.too_many_sentra", count=numeral(labels[Label.SENTRA]),
                             most=numeral(max_sentra)))
    chosen = named or sorted(row[0] for row in queries.run(store, "sentra_list").rows)
    graph = neighbourhoods(store, chosen)
    checks = audit.run_audit(store, lang=lang, as_of=day)
    parts = list(extra)
    if labels.get(Label.ASSESSMENT):  # the grid's structural measures cost; only with ratings
        parts.insert(0, _grid(store, graph if named else None, lang, words))
    if baseline is not None:
        delta = compare(baseline, checks, lang, day.isoformat())
        parts.append(Part(words["brief"]["changes"], delta.sections()))
    return Brief(
        title=title or words["brief"]["title"],
        date=day,
        since=first,
        lang=lang,
        store=store.location,
        nodes=dict(sorted(labels.items())),
        relationships=sum(types.values()),
        sources=_sources(store, graph if named else None),
        checks=checks,
        sentra=[_sentra(store, graph, s, checks, words, day, first) for s in chosen],
        indicators=indicator_series(store, day),
        extra=parts,
        described=bool(named),
    )


def neighbourhoods(store: Store, sentra: Sequence[str]) -> nx.MultiDiGraph:
    """The stakeholder neighbourhoods of `sentra` (query ``sentra_neighbourhood``) as one
    graph in ``kg.graph.to_networkx``'s shape (edge keys aside): each sentra, every node
    one hop from it, the actors of the activities concerning it and the actors these are
    members of or have as members, with every relationship between two of them. It is
    what the brief reads instead of the whole graph.
    """
    import networkx as nx  # here, not at the top: `import kg.report` stays cheap

    graph = nx.MultiDiGraph()
    read: set[tuple[str, str]] = set()
    for one in sentra:
        rows = queries.run(store, "sentra_neighbourhood", {"sentra": one}).rows
        for node, label, props, *_ in rows:
            graph.add_node(node, **{**_data(props), "label": label})
        # Each answer holds every relationship between two of its nodes: a pair an earlier
        # sentra's answer held is already complete.
        pairs = {(row[0], row[4]) for row in rows if row[3] is not None} - read
        for start, _, _, kind, end, props in rows:
            if (start, end) in pairs:
                graph.add_edge(start, end, **{**_data(props), "type": kind})
        read |= pairs
    return graph


def _data(props: dict[str, Any]) -> dict[str, Any]:
    """A node's or relationship's properties without its id and the loader's bookkeeping."""
    return {k: v for k, v in props.items() if k not in ("id", DATASETS_PROPERTY)}


def _grid(
    store: Store, graph: nx.MultiDiGraph | None, lang: str, words: Mapping[str, Any]
) -> Part:
    """The stakeholder grid: structure measured on `graph` (the described sentra's
    neighbourhoods), or on the whole store's graph when None."""
    grid = assess_stakeholders(store, lang=lang, graph=graph)
    picture = grid_picture(grid, words["stakeholders"]["quadrant"], words["brief"])
    if graph is None:
        return Part(words["brief"]["stakeholders"], grid.sections(), picture)
    named = words["brief"]["named"]
    sections = [replace(s, notes=[*s.notes, named["stakeholders_note"]])
                for s in grid.sections()]
    return Part(named["stakeholders"], sections, picture)


def _sources(store: Store, graph: nx.MultiDiGraph | None) -> list[SourceEntry]:
    """The sources cited in `graph` (the described sentra's neighbourhoods), with how
    often; every source of the store, cited anywhere in it, when None."""
    if graph is None:
        cited = _citations(row[0] for row in queries.run(store, "source_citations").rows)
    else:
        cited = _citations([*(s for _, s in graph.nodes(data="sources")),
                            *(s for *_, s in graph.edges(data="sources"))])
    return [
        SourceEntry(source, as_text(title) or source, as_text(publisher), as_text(date),
                    as_text(url), cited[source])
        for source, title, publisher, date, url in sorted(
            queries.run(store, "source_list").rows, key=lambda row: str(row[0]))
        if graph is None or source in cited
    ]


def _citations(values: Iterable[Any]) -> dict[str, int]:
    """How many times each source id is cited in `values` (``sources`` properties: a list
    of ids, one id, or None)."""
    cited: dict[str, int] = defaultdict(int)
    for sources in values:
        for source in [sources] if isinstance(sources, str) else sources or ():
            cited[str(source)] += 1
    return cited


def _linked(graph: nx.MultiDiGraph, node: str, rel: RelType) -> list[str]:
    return sorted(v for _, v, kind in graph.out_edges(node, data="type") if kind == rel)


def _sentra(
    store: Store, graph: nx.MultiDiGraph, sentra: str, checks: Sequence[CheckResult],
    words: Mapping[str, Any], day: datetime.date, since: datetime.date,
) -> SentraBrief:
    attrs = graph.nodes[sentra]
    unknown = words["brief"]["unknown"]
    place = sorted(queries.run(store, "sentra_place", {"sentra": sentra}).rows,
                   key=lambda row: (row[0], row[2] or ""))
    kecamatan = {row[0]: as_text(row[1]) or row[0] for row in place}
    zones = [as_text(name) or zone for _, _, zone, name in place if zone is not None]
    chart = raci_chart(store, sentra)
    rows = {activity for activity, _ in chart.activities}
    gaps: dict[str, list[str]] = defaultdict(list)
    for check in checks:
        if check.id in _GAP_CHECKS:
            for finding in check.findings:
                if finding.subject in rows:
                    gaps[finding.subject].append(check.title)
    status = as_text(attrs.get("status"))
    return SentraBrief(
        id=sentra,
        name=node_name(graph, sentra),
        status=words["status"].get(status, status) or unknown,
        kecamatan=", ".join(kecamatan.values()) or unknown,
        zone=", ".join(zones) or unknown,
        actors=_actors(store, sentra, words),
        chart=chart,
        gaps=dict(gaps),
        plan=planned_activities(store, day, sentra),
        engagements=engagements(store, day, sentra, since),
        commitments=commitments(store, day, sentra, open_only=True),
        funding=_funding(graph, sentra),
        kiosks_total=attrs.get("kiosksTotal"),
        kiosks_occupied=attrs.get("kiosksOccupied"),
        indicators=indicator_series(store, day, sentra),
        chains=[
            (supply_chain(store, c, downstream=False), supply_chain(store, c, downstream=True))
            for c in _linked(graph, sentra, RelType.PRODUCES)
            if graph.nodes[c].get("label") == Label.COMMODITY
        ],
        neighbourhood=subgraph(
            graph, sentra=sentra, labels=[label for label in Label if label not in _LISTED]
        ),
    )


def _actors(store: Store, sentra: str, words: Mapping[str, Any]) -> list[ActorRoles]:
    relations = words["relations"]
    found: dict[str, ActorRoles] = {}
    for row in queries.run(store, "sentra_actors", {"sentra": sentra}).records():
        kind = as_text(row["kind"])
        actor = found.setdefault(row["actor"], ActorRoles(
            row["actor"], as_text(row["actor_name"]) or row["actor"],
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
            grants[as_text(attrs.get("sourceType"))].append(
                (node_name(graph, funder), None if amount is None else int(amount))
            )
    return [
        FundingLine(
            kind, len(given), sum(a for _, a in given if a is not None),
            sum(1 for _, a in given if a is None), sorted({f for f, _ in given}),
        )
        for kind, given in sorted(grants.items())
    ]

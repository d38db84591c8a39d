"""Stakeholder assessment: declared influence and interest beside structural influence.

Each actor's latest assessment (``assessments`` table; ``as_of`` picks another day) places
it on the power/interest grid, whose quadrant names the engagement strategy, and gives its
salience class after Mitchell, Agle & Wood (1997). The graph itself says how influential
the actor is structurally; where the two disagree by more than ``mismatch`` allows, the
row says so.

Structural influence of an actor is the mean of six measures, each divided by its largest
value among the actors (a measure no actor has counts 0): degree, betweenness and
brokerage on the stakeholder projection (``kg.analytics``), the activities it is
Accountable (A) and Responsible (R) for, and the grants it gives (FUNDS relationships).
Actors are ranked by it, 1 the highest; equal scores share a rank.

The margin of a mismatch: an actor rated low on influence (below ``high_from``) whose
structural rank lies in the top tenth of the actors (rank at most ``ceil(actors / 10)``)
is ``rated_low_but_central``; one rated high with no tie at all (degree 0) is
``rated_high_but_isolated``. An actor not assessed has no mismatch.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from kg import analytics, centrality, queries
from kg.audit import thresholds
from kg.catalogue import catalogue
from kg.graph import Network, read_network
from kg.output import Section
from kg.schema.model import ActorKind, RelType
from kg.schema.names import value_word
from kg.store import Store

if TYPE_CHECKING:
    import networkx as nx

    from kg.viz import Page
    from kg.viz.grid import GridActor

__all__ = [
    "DEFAULT_HIGH_FROM",
    "QUADRANTS",
    "SALIENCE_CLASSES",
    "StakeholderAssessment",
    "StakeholderRow",
    "Structural",
    "assess_stakeholders",
    "grid_actors",
    "grid_page",
    "quadrant",
    "salience",
    "structural_influence",
    "top_tenth",
]

DEFAULT_HIGH_FROM: int = thresholds()["high_from"].default
"""A rating at least this is high; the default of the ``actor.key_not_engaged`` check."""

QUADRANTS = ("manage_closely", "keep_satisfied", "keep_informed", "monitor", "unknown")
"""The quadrants of the power/interest grid, each named by its engagement strategy."""

SALIENCE_CLASSES: dict[tuple[bool, bool, bool], str] = {
    (True, False, False): "dormant",
    (False, True, False): "discretionary",
    (False, False, True): "demanding",
    (True, True, False): "dominant",
    (True, False, True): "dangerous",
    (False, True, True): "dependent",
    (True, True, True): "definitive",
    (False, False, False): "none",
}
"""(power, legitimacy, urgency) -> the class of Mitchell, Agle & Wood (1997); ``none``:
not a stakeholder."""


def quadrant(influence: int | None, interest: int | None, high_from: int = DEFAULT_HIGH_FROM
             ) -> str:
    """The grid's quadrant of an actor rated ``influence`` and ``interest`` (1-5).

    A rating is high when at least ``high_from``; an actor missing either rating is
    ``unknown``.

    >>> quadrant(3, 3), quadrant(5, 2), quadrant(1, 4), quadrant(2, 2), quadrant(None, 5)
    ('manage_closely', 'keep_satisfied', 'keep_informed', 'monitor', 'unknown')
    """
    if influence is None or interest is None:
        return "unknown"
    high_influence, high_interest = influence >= high_from, interest >= high_from
    if high_influence:
        return "manage_closely" if high_interest else "keep_satisfied"
    return "keep_informed" if high_interest else "monitor"


def salience(power: bool | None, legitimacy: bool | None, urgency: bool | None) -> str:
    """The salience class of an actor with these attributes; ``unknown`` if one is.

    >>> salience(True, True, True), salience(False, True, True), salience(True, None, False)
    ('definitive', 'dependent', 'unknown')
    """
    if power is None or legitimacy is None or urgency is None:
        return "unknown"
    return SALIENCE_CLASSES[(power, legitimacy, urgency)]


@dataclass(frozen=True)
class Structural:
    """An actor's structural influence: its measures, their combined score and its rank."""

    degree: int
    betweenness: float
    brokerage: int
    accountable: int
    responsible: int
    funding: int
    score: float
    rank: int


_MEASURES = ("degree", "betweenness", "brokerage", "accountable", "responsible", "funding")


def structural_influence(
    graph: analytics.Graph, sampling: centrality.Sampling = centrality.DEFAULT
) -> dict[str, Structural]:
    """Every actor's structural influence in ``graph`` (``kg.graph.to_networkx``, or what
    ``kg.graph.read_network`` reads of a store).

    Parameters
    ----------
    graph : nx.MultiDiGraph or kg.graph.Network
        The knowledge graph.
    sampling : kg.centrality.Sampling
        When betweenness and brokerage are estimated, and how (by default exact up to
        ``kg.centrality.EXACT_UP_TO`` nodes of the stakeholder projection).

    Returns
    -------
    dict[str, Structural]
        Actor id -> its measures, score (the mean of the six measures, each divided by
        its largest value among actors) and rank (1 + the actors scoring higher).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("dinas", label="Actor", kind="government")
    >>> g.add_node("warga", label="Actor", kind="community")
    >>> g.add_node("t1", label="Activity")
    >>> g.add_edge("dinas", "t1", key="ACCOUNTABLE_FOR", type="ACCOUNTABLE_FOR")
    'ACCOUNTABLE_FOR'
    >>> found = structural_influence(g)
    >>> found["dinas"].rank, found["dinas"].accountable, found["warga"].rank
    (1, 1, 2)
    """
    network = graph if isinstance(graph, Network) else Network.from_networkx(graph)
    measures = analytics.actor_measures(network, sampling=sampling)
    held = _held(network)
    counts: dict[str, dict[str, float]] = {}
    for actor, m in measures.items():
        counts[actor] = {
            "degree": m["degree"],
            "betweenness": m["betweenness"],
            "brokerage": m["brokerage"],
            **{name: held[name].get(actor, 0) for name in _HELD},
        }
    largest = {name: max((c[name] for c in counts.values()), default=0) for name in _MEASURES}
    scores = {
        actor: round(sum(c[name] / largest[name] for name in _MEASURES if largest[name])
                     / len(_MEASURES), 9)
        for actor, c in counts.items()
    }
    # Rank = 1 + the actors scoring higher, counted in the sorted scores (not by comparing
    # every pair: a quadratic count on a national graph's actors).
    ordered = sorted(scores.values())
    return {
        actor: Structural(
            degree=int(c["degree"]),
            betweenness=c["betweenness"],
            brokerage=int(c["brokerage"]),
            accountable=int(c["accountable"]),
            responsible=int(c["responsible"]),
            funding=int(c["funding"]),
            score=scores[actor],
            rank=1 + len(ordered) - bisect_right(ordered, scores[actor]),
        )
        for actor, c in counts.items()
    }


_HELD = {"accountable": RelType.ACCOUNTABLE_FOR.value,
         "responsible": RelType.RESPONSIBLE_FOR.value, "funding": RelType.FUNDS.value}
"""The measures that count an actor's relationships of a type (parallel ones too: a FUNDS
relationship per grant)."""


def _held(network: Network) -> dict[str, dict[str, int]]:
    """Per measure of ``_HELD``, node id -> its relationships of that type (none: absent)."""
    import numpy as np

    found: dict[str, dict[str, int]] = {}
    for name, rel_type in _HELD.items():
        code = network.type_names.index(rel_type) if rel_type in network.type_names else -1
        starts, counts = np.unique(network.starts[network.types == code], return_counts=True)
        found[name] = dict(zip(map(network.nodes.__getitem__, starts.tolist()),
                               counts.tolist(), strict=True))
    return found


def top_tenth(actors: int) -> int:
    """The lowest rank still in the structural top tenth of ``actors`` (at least 1).

    >>> top_tenth(9), top_tenth(10), top_tenth(11), top_tenth(0)
    (1, 1, 2, 1)
    """
    return max(1, math.ceil(actors / 10))


@dataclass(frozen=True)
class StakeholderRow:
    """One actor: its current assessment, its quadrant and salience, its structure."""

    actor: str
    name: str | None
    kind: str | None
    assessed: str | None
    """Day of the assessment in force (None: not assessed by then)."""
    influence: int | None
    interest: int | None
    attitude: str | None
    power: bool | None
    legitimacy: bool | None
    urgency: bool | None
    quadrant: str
    salience: str
    structural: Structural
    mismatch: str | None
    history: list[dict[str, Any]]
    """Every assessment up to the day asked for, oldest first (the current one last)."""


@dataclass(frozen=True)
class StakeholderAssessment:
    """What ``kg stakeholders`` shows; see ``assess_stakeholders``."""

    rows: list[StakeholderRow]
    as_of: str | None
    high_from: int
    top_rank: int
    """The lowest structural rank in the top tenth (see ``top_tenth``)."""
    lang: str = "en"
    estimate: centrality.Sampling | None = None
    """How betweenness and brokerage were estimated for the ranks; None: exact."""

    def _words(self, part: str) -> dict[str, str]:
        words: dict[str, str] = catalogue(self.lang)["stakeholders"][part]
        return words

    def to_json(self) -> list[dict[str, Any]]:
        """One object per actor, strongest structural influence first."""
        strategies = self._words("quadrant")
        return [
            {
                "actor": row.actor,
                "name": row.name,
                "kind": row.kind,
                "assessed": row.assessed,
                "influence": row.influence,
                "interest": row.interest,
                "attitude": row.attitude,
                "quadrant": row.quadrant,
                "strategy": strategies[row.quadrant],
                "power": row.power,
                "legitimacy": row.legitimacy,
                "urgency": row.urgency,
                "salience": row.salience,
                "degree": row.structural.degree,
                "betweenness": row.structural.betweenness,
                "brokerage": row.structural.brokerage,
                "accountable": row.structural.accountable,
                "responsible": row.structural.responsible,
                "funding": row.structural.funding,
                "structural_score": row.structural.score,
                "structural_rank": row.structural.rank,
                "mismatch": row.mismatch,
                "history": row.history,
            }
            for row in self.rows
        ]

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """One row per actor, without the history."""
        columns = [
            "actor", "name", "influence", "interest", "quadrant", "strategy", "attitude",
            "salience", "structural_rank", "structural_score", "mismatch",
        ]
        strategies = self._words("quadrant")
        rows: list[list[Any]] = [
            [row.actor, row.name, row.influence, row.interest, row.quadrant,
             strategies[row.quadrant], row.attitude, row.salience, row.structural.rank,
             row.structural.score, row.mismatch]
            for row in self.rows
        ]
        return columns, rows

    def _estimate_note(self) -> list[str]:
        if self.estimate is None:
            return []
        return [self._words("estimate")["note"].format(
            exact_up_to=self.estimate.exact_up_to, size=self.estimate.size,
            seed=self.estimate.seed)]

    def sections(self) -> list[Section]:
        """The table in the report's language, then what the words mean."""
        strategies, classes = self._words("quadrant"), self._words("salience")
        attitudes, mismatches = self._words("attitude"), self._words("mismatch")
        columns = ["actor", "name", "influence", "interest", "strategy", "attitude",
                   "salience", "rank", "mismatch"]
        rows = [
            [row.actor, row.name, row.influence, row.interest, strategies[row.quadrant],
             attitudes.get(row.attitude or "", ""), classes[row.salience],
             row.structural.rank, mismatches.get(row.mismatch or "", "")]
            for row in self.rows
        ]
        report = self._words("report")
        title = report["title"] if self.as_of is None else report["title_as_of"]
        return [
            Section(
                title=title.format(as_of=self.as_of, high_from=self.high_from,
                                   top_rank=self.top_rank),
                columns=columns,
                rows=rows,
                notes=[report["notes"], *self._estimate_note()],
            ),
        ]


def grid_page(assessment: StakeholderAssessment) -> Page:
    """The power/interest grid of ``assessment`` as an offline HTML page (``kg.viz.grid``):
    each assessed actor a point sized by its structural score, coloured by its attitude,
    with its ratings, strategy, salience and structure on hover and click."""
    from kg.viz.grid import render_grid

    return render_grid(grid_actors(assessment), high_from=assessment.high_from,
                       lang=assessment.lang)


def grid_actors(assessment: StakeholderAssessment) -> list[GridActor]:
    """Each actor of ``assessment`` as the grid places it (``kg.viz.grid.GridActor``): its
    ratings, attitude, structural score as its size, and its details in the language of
    the assessment."""
    from kg.viz.grid import GridActor

    words = catalogue(assessment.lang)["stakeholders"]
    labels = words["details"]
    return [
        GridActor(
            id=row.actor,
            name=row.name or row.actor,
            influence=row.influence,
            interest=row.interest,
            attitude=row.attitude,
            weight=row.structural.score,
            details=[
                (labels["id"], row.actor),
                (labels["kind"], value_word(ActorKind, row.kind, assessment.lang)
                 if row.kind else "-"),
                (labels["assessed"], row.assessed or "-"),
                (labels["influence"], str(row.influence)),
                (labels["interest"], str(row.interest)),
                (labels["strategy"], words["quadrant"][row.quadrant]),
                (labels["attitude"], words["attitude"].get(row.attitude or "", "-")),
                (labels["salience"], words["salience"][row.salience]),
                (labels["rank"], f"{row.structural.rank} ({row.structural.score:.2f})"),
                (labels["mismatch"], words["mismatch"].get(row.mismatch or "", "-")),
            ],
        )
        for row in assessment.rows
    ]


def assess_stakeholders(
    store: Store,
    as_of: date | None = None,
    high_from: int = DEFAULT_HIGH_FROM,
    lang: str = "en",
    sampling: centrality.Sampling = centrality.DEFAULT,
    *,
    graph: nx.MultiDiGraph | None = None,
) -> StakeholderAssessment:
    """Every actor's assessment in force on ``as_of`` (default: its latest), its quadrant,
    salience, structural influence and any mismatch between the two.

    Parameters
    ----------
    store : Store
        The store to read.
    as_of : date, optional
        Use the latest assessment made on or before this day.
    high_from : int
        A rating (1-5) at least this is high.
    lang : str
        Language of the strategies and the text report (``en`` or ``id``).
    sampling : kg.centrality.Sampling
        When the betweenness and brokerage of the structural ranks are estimated, and
        how; an estimated report says so in its text (not in its JSON, a list of actors).
    graph : nx.MultiDiGraph, optional
        The graph whose structure is measured (``kg.graph.to_networkx``'s shape); the whole
        store's when not given. Only the actors in it get a row.

    Returns
    -------
    StakeholderAssessment
        One row per actor, by structural rank, then id.
    """
    day = as_of.isoformat() if as_of is not None else None
    found = queries.run(store, "stakeholder_assessments", {"as_of": day})
    network = read_network(store) if graph is None else Network.from_networkx(graph)
    structure = structural_influence(network, sampling)
    top_rank = top_tenth(len(structure))
    actors: dict[str, dict[str, Any]] = {}
    for values in (dict(zip(found.columns, row, strict=True)) for row in found.rows):
        entry = actors.setdefault(values["actor"], {"values": values, "history": []})
        if values["date"] is not None:
            entry["values"] = values  # rows come earliest first: the last is current
            entry["history"].append({key: values[key] for key in (
                "date", "influence", "interest", "attitude", "power", "legitimacy",
                "urgency", "note")})
    rows = [
        _row(actor, entry["values"], entry["history"], structure, high_from, top_rank)
        for actor, entry in actors.items()
        if actor in structure
    ]
    rows.sort(key=lambda row: (row.structural.rank, row.actor))
    estimated = not sampling.exact(analytics.projection_size(network))
    return StakeholderAssessment(rows, day, high_from, top_rank, lang,
                                 sampling if estimated else None)


def _row(
    actor: str, values: dict[str, Any], history: list[dict[str, Any]],
    structure: dict[str, Structural], high_from: int, top_rank: int,
) -> StakeholderRow:
    assessed = values["date"] is not None
    influence, interest = values["influence"], values["interest"]
    ties = structure[actor]
    mismatch = None
    if assessed and influence is not None:
        if influence < high_from and ties.rank <= top_rank:
            mismatch = "rated_low_but_central"
        elif influence >= high_from and ties.degree == 0:
            mismatch = "rated_high_but_isolated"
    return StakeholderRow(
        actor=actor,
        name=values["name"],
        kind=values["kind"],
        assessed=values["date"],
        influence=influence,
        interest=interest,
        attitude=values["attitude"],
        power=values["power"],
        legitimacy=values["legitimacy"],
        urgency=values["urgency"],
        quadrant=quadrant(influence, interest, high_from),
        salience=salience(values["power"], values["legitimacy"], values["urgency"]),
        structural=ties,
        mismatch=mismatch,
        history=history,
    )


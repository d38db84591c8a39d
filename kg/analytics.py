"""Stakeholder measures on the knowledge graph: who brokers, who is isolated, who holds which role.

Every function takes the graph (an ``nx.MultiDiGraph`` keyed by node id, relationship type as
edge key) first and returns plain data keyed by node id, as networkx does. They also take a
``kg.graph.Network``, what ``kg.graph.read_network`` reads of a store for them without
building the ``MultiDiGraph`` (``kg analyze`` and ``kg stakeholders`` do so: on a national
graph that graph alone is over 4 GiB); both give the same results.

The network measures (degree, betweenness, Burt's structural holes, components) are computed
on the *stakeholder projection*: the graph made undirected and simple, without ``Source``,
``Assessment`` and ``Indicator`` nodes and without self-loops. Direction and relationship
type say *how* two nodes are tied, not *whether* they are, and parallel relationships (an
actor that both funds and manages a sentra) are one tie. Citations are provenance, not
ties: two actors citing one report are not connected by it. Assessments (ratings of an
actor) and indicators (values measured of a subject) are not ties either; engagements and
commitments are. The projection also keeps networkx's structural-holes functions on the
one input for which their sparse and pure-Python code paths agree (see
``actor_measures``).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict

import networkx as nx

from kg import centrality
from kg.catalogue import column_names, words
from kg.graph import Network
from kg.output import Section
from kg.schema.model import (
    BUSINESS_KINDS,
    GOVERNMENT_KINDS,
    Label,
    RelType,
    Role,
    role_of,
)

type Graph = nx.MultiDiGraph | Network
"""What the functions here take: the knowledge graph, or what the measures read of it."""

__all__ = [
    "BUSINESS_KINDS",
    "GOVERNMENT_KINDS",
    "MEASURE_HELP",
    "ActorMeasures",
    "Graph",
    "StakeholderReport",
    "actor_measures",
    "brokered_pairs",
    "components",
    "isolates",
    "projection_arrays",
    "projection_size",
    "raci_coverage",
    "stakeholder_projection",
    "stakeholder_report",
]


MEASURE_HELP: dict[str, str] = words("en", "analyze.help")
"""One line per measure, for the output of ``kg analyze`` (in other languages:
``kg.catalogue.words(lang, "analyze.help")``)."""

_NOT_TIES = frozenset({Label.SOURCE.value, Label.ASSESSMENT.value, Label.INDICATOR.value})
"""Labels of nodes the projection leaves out: provenance, ratings and measured values, not
ties (engagements and commitments are: who met whom, who promised what to whom)."""
_ACTOR_LABEL = Label.ACTOR.value
_SENTRA_LABEL = Label.SENTRA.value
_CONCERNS = RelType.CONCERNS.value
_ROLES = [role.value for role in Role]


class ActorMeasures(TypedDict):
    """The stakeholder measures of one actor; see ``MEASURE_HELP`` for their meaning."""

    name: str
    kind: str | None
    degree: int
    betweenness: float
    constraint: float | None
    effective_size: float | None
    brokerage: int


def actor_measures(
    graph: Graph,
    business_kinds: Collection[str] = BUSINESS_KINDS,
    sampling: centrality.Sampling = centrality.DEFAULT,
) -> dict[str, ActorMeasures]:
    """Return degree, betweenness, Burt's measures and brokerage for every actor.

    All measures are computed on the stakeholder projection (undirected, simple, without
    ``Source`` and ``Assessment`` nodes); betweenness counts shortest paths between *all*
    nodes of it (sentra, activities, regulations...), but is reported for actors only.

    Parameters
    ----------
    graph : nx.MultiDiGraph or kg.graph.Network
        The knowledge graph: node key = id, ``label`` and ``name`` node attributes,
        ``kind`` on actors.
    business_kinds : Collection[str]
        Actor kinds on the business side of ``brokerage``.
    sampling : centrality.Sampling
        Up to how many nodes of the projection betweenness and brokerage are exact
        (``centrality.EXACT_UP_TO`` by default), and the sample and seed of their
        estimate above that (see ``kg.centrality``).

    Returns
    -------
    dict[str, ActorMeasures]
        Actor id -> its measures, in graph order.

    Notes
    -----
    ``constraint`` and ``effective_size`` equal networkx's ``constraint`` and
    ``effective_size`` (``kg.centrality`` computes them without networkx's cost on actors
    with thousands of ties); both are undefined for an isolated actor, reported as
    ``None``.
    networkx computes them along one of two code paths that disagree on graphs other than
    simple undirected ones without self-loops (a sparse-matrix path when scipy is installed
    and ``nodes`` is not given, a pure-Python one otherwise): on a multigraph one counts
    parallel edges as weight and the other ignores them; on a directed graph the pure path
    reports a node with only incoming edges as isolated. The projection avoids both, and
    ``kg.centrality`` follows the pure-Python path.

    ``brokerage`` counts the unordered pairs (g, b) of a government actor (kind in
    ``GOVERNMENT_KINDS``) and a business actor (kind in ``business_kinds``), both other than
    the actor and connected, such that the actor lies on at least one shortest g-b path,
    i.e. ``d(g, actor) + d(actor, b) == d(g, b)``. It says who sits between the two sides,
    not who is indispensable: two actors on equally short routes both count the pair.

    Examples
    --------
    A government office and a business reach each other only through a university:

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("dinas", label="Actor", name="Dinas Perindustrian", kind="government")
    >>> g.add_node("undip", label="Actor", name="Universitas Diponegoro", kind="academia")
    >>> g.add_node("cv", label="Actor", name="CV Batik Semarang", kind="business")
    >>> g.add_edge("dinas", "undip", key="MEMBER_OF", type="MEMBER_OF")
    'MEMBER_OF'
    >>> g.add_edge("cv", "undip", key="MEMBER_OF", type="MEMBER_OF")
    'MEMBER_OF'
    >>> m = actor_measures(g)["undip"]
    >>> m["degree"], m["betweenness"], m["constraint"], m["effective_size"], m["brokerage"]
    (2, 1.0, 0.5, 2.0, 1)
    """
    network = _network(graph)
    return _actor_measures(network, _projected(network, sampling), business_kinds, sampling)


type _Projected = nx.Graph | centrality.Indexed
"""The projection the measures run on: networkx's graph when they are exact, arrays
(``centrality.Indexed``) when they are estimated."""


def _projected(network: Network, sampling: centrality.Sampling) -> _Projected:
    """The stakeholder projection as the measures of ``sampling`` need it."""
    if sampling.exact(projection_size(network)):
        return _projection(network)
    return projection_arrays(network)


def _actor_measures(
    network: Network,
    projected: _Projected,
    business_kinds: Collection[str],
    sampling: centrality.Sampling,
) -> dict[str, ActorMeasures]:
    actors = _actors(network)
    government, business = _sides(network, actors, business_kinds)
    if isinstance(projected, nx.Graph):
        betweenness = centrality.betweenness(projected, sampling)
        constraint = centrality.constraint(projected, actors)
        effective_size = centrality.effective_size(projected, actors)
        brokerage = centrality.brokerage(projected, actors, government, business, sampling)
        degree = dict(projected.degree(actors))
    else:
        at = projected.positions(actors)
        found = centrality.estimates(projected, at, government, business, sampling)
        betweenness, constraint, effective_size, brokerage, degree = (
            dict(zip(actors, values.tolist(), strict=True))
            for values in (found.betweenness, found.constraint, found.effective_size,
                           found.brokerage, projected.degrees[at]))
    return {
        actor: {
            "name": network.names.get(actor, actor),
            "kind": network.kinds.get(actor),
            "degree": degree[actor],
            "betweenness": betweenness[actor],
            "constraint": _defined(constraint[actor]),
            "effective_size": _defined(effective_size[actor]),
            "brokerage": brokerage[actor],
        }
        for actor in actors
    }


def brokered_pairs(
    graph: Graph, business_kinds: Collection[str] = BUSINESS_KINDS
) -> dict[str, list[tuple[str, str]]]:
    """Return, per actor, the government-business pairs its ``brokerage`` counts.

    Parameters
    ----------
    graph : nx.MultiDiGraph or kg.graph.Network
        The knowledge graph.
    business_kinds : Collection[str]
        Actor kinds on the business side (``BUSINESS_KINDS`` by default).

    Returns
    -------
    dict[str, list[tuple[str, str]]]
        Actor id -> the (government actor, business actor) pairs it lies between on a
        shortest path, sorted; an empty list for an actor that brokers none.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("dinas", label="Actor", name="Dinas Perindustrian", kind="government")
    >>> g.add_node("undip", label="Actor", name="Universitas Diponegoro", kind="research")
    >>> g.add_node("bank", label="Actor", name="Bank Jateng", kind="finance")
    >>> for actor in ("dinas", "bank"):
    ...     _ = g.add_edge(actor, "undip", key="MEMBER_OF", type="MEMBER_OF")
    >>> brokered_pairs(g)["undip"]
    [('dinas', 'bank')]
    >>> brokered_pairs(g, business_kinds={"business"})["undip"]
    []
    """
    network = _network(graph)
    return _brokered_pairs(network, _projection(network), business_kinds)


def _brokered_pairs(
    network: Network, simple: nx.Graph, business_kinds: Collection[str]
) -> dict[str, list[tuple[str, str]]]:
    actors = _actors(network)
    pairs = centrality.brokered_pairs(simple, *_sides(network, actors, business_kinds))
    return {actor: pairs[actor] for actor in actors}


def components(graph: Graph) -> list[list[str]]:
    """Return the connected components of the stakeholder projection.

    Parameters
    ----------
    graph : nx.MultiDiGraph or kg.graph.Network
        The knowledge graph.

    Returns
    -------
    list[list[str]]
        One list of node ids per component, ids sorted; largest component first, ties
        broken by the smallest id. Isolated nodes are components of one.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from(["b", "a", "c"], label="Actor")
    >>> g.add_edge("b", "a", key="MEMBER_OF", type="MEMBER_OF")
    'MEMBER_OF'
    >>> components(g)
    [['a', 'b'], ['c']]
    """
    return _components(stakeholder_projection(graph))


def _components(projected: _Projected) -> list[list[str]]:
    """``components``; on arrays igraph finds them: the same lists, 1.0 CPU s instead of
    networkx's 6.4 on the x10 projection."""
    if isinstance(projected, nx.Graph):
        found = [sorted(component) for component in nx.connected_components(projected)]
    else:  # vertex i is the i-th id in sorted order: each member list comes out sorted
        found = [[projected.ids[i] for i in members]
                 for members in projected.graph.connected_components()]
    return sorted(found, key=lambda component: (-len(component), component[0]))


def _isolates(projected: _Projected) -> list[str]:
    """``isolates`` of the projection."""
    import numpy as np

    if isinstance(projected, nx.Graph):
        return sorted(nx.isolates(projected))
    return [projected.ids[i] for i in np.flatnonzero(projected.degrees == 0).tolist()]


def isolates(graph: Graph) -> list[str]:
    """Return the nodes tied to no other node, citations of sources aside.

    Parameters
    ----------
    graph : nx.MultiDiGraph or kg.graph.Network
        The knowledge graph.

    Returns
    -------
    list[str]
        Sorted node ids, of any label except ``Source``.

    Examples
    --------
    An actor known only from a report is isolated:

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("bappeda", label="Actor", sources=["bps-2023"])
    >>> g.add_node("bps-2023", label="Source")
    >>> g.add_edge("bappeda", "bps-2023", key="CITES", type="CITES")
    'CITES'
    >>> isolates(g)
    ['bappeda']
    """
    return _isolates(stakeholder_projection(graph))


def raci_coverage(graph: Graph) -> dict[str, dict[str, int]]:
    """Count, per sentra, the distinct actors holding each RACI role on its activities.

    Parameters
    ----------
    graph : nx.MultiDiGraph or kg.graph.Network
        The knowledge graph, with ``(Activity)-[:CONCERNS]->(Sentra)`` and
        ``(Actor)-[:RESPONSIBLE_FOR|ACCOUNTABLE_FOR|CONSULTED_ON|INFORMED_OF]->(Activity)``.

    Returns
    -------
    dict[str, dict[str, int]]
        Sentra id -> ``{"R": n, "A": n, "C": n, "I": n}`` for every sentra, zeros included.
        An actor holding one role on several of the sentra's activities counts once; an
        actor holding two roles counts in both.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("s1", label="Sentra")
    >>> g.add_node("t1", label="Activity")
    >>> g.add_node("dinas", label="Actor")
    >>> for u, v, t in [("t1", "s1", "CONCERNS"), ("dinas", "t1", "RESPONSIBLE_FOR"),
    ...                 ("dinas", "t1", "ACCOUNTABLE_FOR")]:
    ...     _ = g.add_edge(u, v, key=t, type=t)
    >>> raci_coverage(g)
    {'s1': {'R': 1, 'A': 1, 'C': 0, 'I': 0}}
    """
    import numpy as np

    network = _network(graph)
    codes = {name: code for code, name in enumerate(network.type_names)}
    types, starts, ends = network.types, network.starts, network.ends
    concerns = types == codes.get(_CONCERNS, -1)
    role = np.full(len(network.type_names), -1)
    for name, code in codes.items():
        if (letter := role_of(name)) is not None:
            role[code] = _ROLES.index(letter)
    held = role[types] >= 0
    # (actor, role, activity), sorted by activity, joined with (activity, sentra)
    by_activity = np.argsort(ends[held], kind="stable")
    actors, roles, activities = (starts[held][by_activity], role[types][held][by_activity],
                                 ends[held][by_activity])
    concerned, sentra = starts[concerns], ends[concerns]
    first = np.searchsorted(activities, concerned, side="left")
    spans = np.searchsorted(activities, concerned, side="right") - first
    rows = np.repeat(np.arange(len(concerned)), spans)  # a CONCERNS row per role on it
    picked = first[rows] + np.arange(len(rows)) - np.repeat(np.cumsum(spans) - spans, spans)
    size = len(network.nodes)
    holders = centrality.distinct(
        (sentra[rows] * len(_ROLES) + roles[picked]) * size + actors[picked])
    counts = np.bincount(holders // size, minlength=size * len(_ROLES)).reshape(size, -1)
    return {
        network.nodes[i]: dict(zip(_ROLES, counts[i].tolist(), strict=True))
        for i, label in enumerate(network.labels) if label == _SENTRA_LABEL
    }


_LISTED_PAIRS = 5
_LISTED_COMPONENTS = 10
_LISTED_ISOLATES = 15


@dataclass(frozen=True)
class StakeholderReport:
    """The stakeholder analysis ``kg analyze`` shows; see ``stakeholder_report``."""

    actors: dict[str, ActorMeasures]
    brokers: dict[str, ActorMeasures]
    components: list[list[str]]
    isolates: list[str]
    raci_coverage: dict[str, dict[str, int]]
    sentra_names: dict[str, str | None]
    broker_pairs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Each broker's pairs: (government actor, business actor) ids."""
    business_kinds: tuple[str, ...] = tuple(sorted(BUSINESS_KINDS))
    """The actor kinds counted as business in ``brokerage``."""
    actor_names: dict[str, str] = field(default_factory=dict)
    """Actor id -> name, for the pairs."""
    lang: str = "en"
    """The language of ``sections`` (``kg.catalogue``); JSON keeps English."""
    estimate: centrality.Sampling | None = None
    """How betweenness and brokerage were estimated; None: they are exact."""

    def to_json(self) -> dict[str, Any]:
        return {
            "help": MEASURE_HELP,
            "government_kinds": sorted(GOVERNMENT_KINDS),
            "business_kinds": list(self.business_kinds),
            "actors": [{"actor": actor, **m} for actor, m in self.actors.items()],
            "brokers": [
                {"actor": actor, "brokerage": m["brokerage"],
                 "pairs": [list(pair) for pair in self.broker_pairs.get(actor, [])]}
                for actor, m in self.brokers.items()
            ],
            "components": self.components,
            "isolates": self.isolates,
            "raci_coverage": self.raci_coverage,
        } | ({} if self.estimate is None else {"estimate": {
            "exact_up_to": self.estimate.exact_up_to,
            "sample_size": self.estimate.size,
            "seed": self.estimate.seed,
        }})

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """The ranked actors, one row each."""
        columns = [
            "actor", "name", "kind", "degree", "betweenness", "constraint", "effective_size",
            "brokerage",
        ]
        rows: list[list[Any]] = [
            [
                actor,
                m["name"],
                m["kind"],
                m["degree"],
                m["betweenness"],
                m["constraint"],
                m["effective_size"],
                m["brokerage"],
            ]
            for actor, m in self.actors.items()
        ]
        return columns, rows

    def sections(self) -> list[Section]:
        """The ranked actors with the measures explained, brokers, components, coverage."""
        columns, rows = self.table()
        measures = [column for column in columns if column in MEASURE_HELP]
        brokers = [
            f"{m['name']} ({m['brokerage']}"
            + (": " + ", ".join(f"{self._name(g)} - {self._name(b)}"
                                for g, b in self.broker_pairs[actor][:_LISTED_PAIRS])
               + (", ..." if len(self.broker_pairs[actor]) > _LISTED_PAIRS else "")
               if actor in self.broker_pairs else "")
            + ")"
            for actor, m in self.brokers.items()
        ]
        sizes = ", ".join(str(len(c)) for c in self.components[:_LISTED_COMPONENTS])
        more_components = ", ..." if len(self.components) > _LISTED_COMPONENTS else ""
        isolated = ", ".join(self.isolates[:_LISTED_ISOLATES])
        more_isolates = ", ..." if len(self.isolates) > _LISTED_ISOLATES else ""
        coverage = [
            [sentra, self.sentra_names[sentra], *(counts[r] for r in "RACI")]
            for sentra, counts in sorted(self.raci_coverage.items())
        ]
        text, explained = words(self.lang, "analyze"), words(self.lang, "analyze.help")
        kinds = words(self.lang, "kinds")

        def kind_list(names: Iterable[str]) -> str:
            return ", ".join(kinds.get(name, name) for name in names)

        kind = columns.index("kind")
        for row in rows:
            row[kind] = kinds.get(row[kind], row[kind])
        return [
            Section(
                title=text["actors"].format(count=len(rows)),
                columns=columns,
                rows=rows,
                notes=[
                    f"  {name}: {explained[m]}"
                    for m, name in zip(measures, column_names(measures, self.lang), strict=True)
                ],
            ),
            Section(
                notes=[
                    text["brokers"].format(
                        government=kind_list(sorted(GOVERNMENT_KINDS)),
                        business=kind_list(self.business_kinds),
                        brokers="; ".join(brokers) or text["no_brokers"],
                    ),
                    *self._estimate_note(),
                ]
            ),
            Section(
                notes=[
                    text["components"].format(
                        count=len(self.components),
                        sizes=sizes + more_components,
                        help=explained["components"],
                    ),
                    text["isolates"].format(count=len(self.isolates))
                    + (f" ({isolated}{more_isolates})" if self.isolates else ""),
                ]
            ),
            Section(
                title=text["coverage"].format(help=explained["raci_coverage"]),
                columns=["sentra", "name", "R", "A", "C", "I"],
                rows=coverage,
            ),
        ]

    def _estimate_note(self) -> list[str]:
        if self.estimate is None:
            return []
        note = words(self.lang, "analyze.estimate")["note"]
        return [note.format(exact_up_to=self.estimate.exact_up_to, size=self.estimate.size,
                            seed=self.estimate.seed)]

    def _name(self, actor: str) -> str:
        return self.actor_names.get(actor) or actor


def stakeholder_report(
    graph: Graph,
    top: int = 10,
    business_kinds: Collection[str] = BUSINESS_KINDS,
    lang: str = "en",
    sampling: centrality.Sampling = centrality.DEFAULT,
) -> StakeholderReport:
    """Return the stakeholder analysis of the graph: ranked actors, brokers, components.

    Parameters
    ----------
    graph : nx.MultiDiGraph or kg.graph.Network
        The knowledge graph (``kg analyze`` reads a ``Network``).
    top : int
        How many actors to rank.
    business_kinds : Collection[str]
        Actor kinds on the business side of ``brokerage`` (``BUSINESS_KINDS`` by default).
    lang : str
        The language of the report's text (``kg.catalogue.LANGUAGES``).
    sampling : centrality.Sampling
        When betweenness and brokerage are estimated, and how (see ``actor_measures``).
        An estimated report lists no broker's pairs (on a national graph they run to
        billions) and says it is an estimate.

    Returns
    -------
    StakeholderReport
        ``actors``: the ``top`` actors by betweenness (ties by id) -> their measures, in
        that order; ``brokers``: every actor with a brokerage above 0 -> its measures,
        most pairs first, and ``broker_pairs`` the pairs of each; ``components``,
        ``isolates`` and ``raci_coverage`` as their functions return them;
        ``sentra_names``: sentra id -> its name.

    Examples
    --------
    A university ties a government office to a business; a report ties nobody:

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("dinas", label="Actor", name="Dinas Perindustrian", kind="government")
    >>> g.add_node("undip", label="Actor", name="Universitas Diponegoro", kind="research")
    >>> g.add_node("cv", label="Actor", name="CV Batik Semarang", kind="business")
    >>> g.add_node("laporan", label="Regulation", name="Laporan")
    >>> for actor in ("dinas", "cv"):
    ...     _ = g.add_edge(actor, "undip", key="MEMBER_OF", type="MEMBER_OF")
    >>> report = stakeholder_report(g, top=2)
    >>> list(report.actors), list(report.brokers)
    (['undip', 'cv'], ['undip'])
    >>> report.components, report.isolates
    ([['cv', 'dinas', 'undip'], ['laporan']], ['laporan'])
    """
    network = _network(graph)
    projected = _projected(network, sampling)
    measures = _actor_measures(network, projected, business_kinds, sampling)
    exact = isinstance(projected, nx.Graph)
    pairs = (_brokered_pairs(network, projected, business_kinds)
             if isinstance(projected, nx.Graph) else {})
    ranked = sorted(measures.items(), key=lambda kv: (-kv[1]["betweenness"], kv[0]))[:top]
    brokers = sorted(
        ((actor, m) for actor, m in measures.items() if m["brokerage"]),
        key=lambda kv: -kv[1]["brokerage"],
    )
    coverage = raci_coverage(network)
    return StakeholderReport(
        actors=dict(ranked),
        brokers=dict(brokers),
        components=_components(projected),
        isolates=_isolates(projected),
        raci_coverage=coverage,
        sentra_names={sentra: network.names.get(sentra) for sentra in coverage},
        broker_pairs={actor: pairs[actor] for actor, _ in brokers if actor in pairs},
        business_kinds=tuple(sorted(business_kinds)),
        actor_names={actor: m["name"] for actor, m in measures.items()},
        lang=lang,
        estimate=None if exact else sampling,
    )


def stakeholder_projection(graph: Graph) -> nx.Graph:
    """The graph the network measures are computed on (see the module docstring): simple,
    undirected, without ``Source`` and ``Assessment`` nodes or self-loops; its nodes in
    the graph's order, without attributes (``graph.nodes`` has them: copying them costs
    seconds on a national graph)."""
    return _projection(_network(graph))


def projection_size(graph: Graph) -> int:
    """The number of nodes of ``stakeholder_projection(graph)``, without building it: what
    ``kg.centrality.Sampling.exact`` is asked about.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"label": "Actor"}), ("s", {"label": "Source"})])
    >>> projection_size(g)
    1
    """
    labels = graph.labels if isinstance(graph, Network) else (
        label for _, label in graph.nodes(data="label"))
    return sum(1 for label in labels if label not in _NOT_TIES)


def _network(graph: Graph) -> Network:
    return graph if isinstance(graph, Network) else Network.from_networkx(graph)


def _projection(network: Network) -> nx.Graph:
    """``stakeholder_projection``: its ties are added in the order the graph holds them
    (by start node, then each start node's ends in the order they first appear), so its
    adjacency, and the measures' floats, are those of the projection networkx built from
    the ``MultiDiGraph`` before a ``Network`` was read."""
    import numpy as np

    nodes = network.nodes
    tie = np.array([label not in _NOT_TIES for label in network.labels], dtype=bool)
    starts, ends = network.starts, network.ends
    kept = tie[starts] & tie[ends] & (starts != ends)
    starts, ends = starts[kept], ends[kept]
    first = np.unique(starts * len(nodes) + ends, return_index=True)[1]
    first.sort()  # each (start, end) once, where it first appears
    simple = nx.Graph()
    simple.add_nodes_from(node for node, kept_node in zip(nodes, tie.tolist(), strict=True)
                          if kept_node)
    simple.add_edges_from(zip(map(nodes.__getitem__, starts[first].tolist()),
                              map(nodes.__getitem__, ends[first].tolist()), strict=True))
    return simple


def projection_arrays(graph: Graph) -> centrality.Indexed:
    """``stakeholder_projection(graph)`` as arrays (``kg.centrality.Indexed``: ids sorted,
    ties as a compressed adjacency), built without networkx's graph: what the measures
    use above ``kg.centrality.EXACT_UP_TO`` nodes.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("b", {"label": "Actor"}), ("a", {"label": "Sentra"}),
    ...                   ("s", {"label": "Source"})])
    >>> for u, v in [("b", "a"), ("a", "b"), ("b", "s"), ("b", "b")]:
    ...     _ = g.add_edge(u, v, type="MEMBER_OF")
    >>> arrays = projection_arrays(g)
    >>> arrays.ids, arrays.offsets.tolist(), arrays.neighbours.tolist()
    (['a', 'b'], [0, 1, 2], [1, 0])
    """
    import numpy as np

    network = _network(graph)
    tie = np.array([label not in _NOT_TIES for label in network.labels], dtype=bool)
    kept = tie[network.starts] & tie[network.ends]
    positions = np.flatnonzero(tie)
    position = np.full(len(network.nodes), -1, dtype=np.int64)
    position[positions] = np.arange(len(positions), dtype=np.int64)
    return centrality.Indexed.of([network.nodes[i] for i in positions.tolist()],
                                 position[network.starts[kept]],
                                 position[network.ends[kept]])


def _actors(network: Network) -> list[str]:
    """The actors of the projection, in its order."""
    return [node for node, label in zip(network.nodes, network.labels, strict=True)
            if label == _ACTOR_LABEL]


def _sides(
    network: Network, actors: list[str], business_kinds: Collection[str]
) -> tuple[list[str], list[str]]:
    """The government actors and the business actors, in graph order. An actor of a kind
    on both sides (``--business government``) is on both."""
    kinds = {actor: network.kinds.get(actor) for actor in actors}
    return ([actor for actor in actors if kinds[actor] in GOVERNMENT_KINDS],
            [actor for actor in actors if kinds[actor] in business_kinds])


def _defined(value: float) -> float | None:
    return None if math.isnan(value) else value

"""Betweenness, brokerage and Burt's measures on the stakeholder projection, at any size.

The projection (``kg.analytics``) is a simple undirected ``nx.Graph``. Up to
``EXACT_UP_TO`` nodes every measure is exact and equal to what networkx computes
(betweenness *is* networkx's); above it, betweenness and brokerage are estimated from
sampled nodes (``Sampling``: how many, which seed), with igraph's C code doing the
shortest paths. Burt's constraint and effective size are exact at every size: they are
local to an actor's neighbourhood, computed here in the order networkx sums them, without
its cubic cost on actors with thousands of ties.

The error of the estimate against exact figures, measured on the largest graph where the
exact ones finish, is in docs/performance.md ("Network measures at national scale").
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    import igraph

__all__ = [
    "DEFAULT",
    "EXACT_UP_TO",
    "SAMPLE_SIZE",
    "SEED",
    "Indexed",
    "Sampling",
    "betweenness",
    "brokerage",
    "brokered_pairs",
    "constraint",
    "effective_size",
    "indexed",
]

EXACT_UP_TO = 2_000
"""Projections of at most this many nodes get exact betweenness and brokerage. networkx's
exact betweenness grows with nodes x ties: measured here 8 CPU s at 2,000 nodes and 4,000
ties, 64 CPU s at 5,000 and 10,000 (docs/performance.md)."""

SAMPLE_SIZE = 64
"""Above ``EXACT_UP_TO``: the sampled sources of betweenness, and the sampled government
and business actors of brokerage."""

SEED = 0
"""The seed of the samples: the same graph and seed give the same estimate."""


@dataclass(frozen=True)
class Sampling:
    """When betweenness and brokerage are estimated, and from how large a sample.

    ``exact_up_to``: projections with at most this many nodes are computed exactly;
    ``size`` and ``seed``: the sample of a larger one (see ``betweenness`` and
    ``brokerage``).
    """

    exact_up_to: int = EXACT_UP_TO
    size: int = SAMPLE_SIZE
    seed: int = SEED

    def __post_init__(self) -> None:
        if self.size < 1:
            raise ValueError(f"a sample needs at least one member, not {self.size}")

    def exact(self, nodes: int) -> bool:
        """Whether the measures of a projection of ``nodes`` nodes are computed exactly."""
        return nodes <= self.exact_up_to


DEFAULT = Sampling()
"""Exact up to ``EXACT_UP_TO`` nodes, else ``SAMPLE_SIZE`` samples drawn with ``SEED``."""


@dataclass(frozen=True)
class Indexed:
    """The projection as igraph holds it, for the estimates: its node ids in sorted order
    (so an estimate does not depend on the order the store returned them in) and the
    igraph graph whose vertex i is ``ids[i]``. Building it is the estimates' largest fixed
    cost; ``indexed`` builds it once for both."""

    ids: list[str]
    graph: igraph.Graph


def indexed(simple: nx.Graph) -> Indexed:
    """``simple`` as igraph holds it (see ``Indexed``)."""
    import igraph

    ids = sorted(simple)
    index = {node: i for i, node in enumerate(ids)}
    edges = [(index[u], index[v]) for u, v in simple.edges()]
    return Indexed(ids, igraph.Graph(n=len(ids), edges=edges))


def betweenness(
    simple: nx.Graph, sampling: Sampling = DEFAULT, prepared: Indexed | None = None
) -> dict[str, float]:
    """Every node's normalised betweenness, exact or estimated.

    Exact: ``nx.betweenness_centrality(simple)``. Estimated (more nodes than
    ``sampling.exact_up_to``): the dependencies of ``sampling.size`` source nodes drawn
    uniformly with ``random.Random(sampling.seed)`` from the sorted node ids, scaled by
    ``n / size``, which is unbiased (Brandes and Pich 2007, "Centrality estimation in
    large networks"); it equals the exact value when the sample holds every node.
    ``prepared``: ``simple`` already ``indexed``.

    >>> g = nx.path_graph(["a", "b", "c"])
    >>> betweenness(g)["b"], betweenness(g, Sampling(exact_up_to=0, size=3))["b"]
    (1.0, 1.0)
    """
    if sampling.exact(len(simple)):
        exact: dict[str, float] = nx.betweenness_centrality(simple)
        return exact
    ids, graph = _prepared(simple, prepared)
    n = len(ids)
    if n < 3:  # no node lies between two others
        return dict.fromkeys(ids, 0.0)
    sources = _sample(range(n), sampling)
    # igraph counts each (source, target) pair once, half the ordered pairs' dependency.
    dependencies = graph.betweenness(directed=False, sources=sources)
    scale = 2 * n / len(sources) / ((n - 1) * (n - 2))
    return {node: value * scale for node, value in zip(ids, dependencies, strict=True)}


def brokerage(
    simple: nx.Graph,
    nodes: Collection[str],
    government: Collection[str],
    business: Collection[str],
    sampling: Sampling = DEFAULT,
    prepared: Indexed | None = None,
) -> dict[str, int]:
    """Per node of ``nodes``, how many (government, business) pairs it lies between on a
    shortest path (both sides are among ``nodes``).

    A pair (g, b) counts for node v when g != b, v is neither, and
    ``d(g, v) + d(v, b) == d(g, b)`` (both connected). Exact (the pairs of
    ``brokered_pairs``, counted without listing them) up to ``sampling.exact_up_to``
    nodes. Above it, estimated from ``sampling.size`` government and as many business
    actors, each side drawn uniformly with ``random.Random(sampling.seed)`` from its
    sorted ids: v's count among the sampled pairs times ``|government| x |business| /
    sampled pairs``, rounded. Every pair of the two samples is equally likely to be any
    pair, so the estimate is unbiased; it equals the exact count when the samples hold
    every actor. ``prepared``: ``simple`` already ``indexed``.

    >>> g = nx.path_graph(["dinas", "undip", "cv"])
    >>> brokerage(g, list(g), ["dinas"], ["cv"])["undip"]
    1
    """
    if not sampling.exact(len(simple)):
        return _estimated_brokerage(_prepared(simple, prepared), nodes, government, business,
                                    sampling)
    counted = dict.fromkeys(nodes, 0)
    for _, below in _sources_reached(simple, government, business):
        for node, bits in below.items():
            if node in counted:
                counted[node] += bits.bit_count()
    return counted


def brokered_pairs(
    simple: nx.Graph, government: Collection[str], business: Collection[str]
) -> dict[str, list[tuple[str, str]]]:
    """Per node, the (government, business) pairs of ``brokerage``, exact and sorted.

    The list is as long as the pairs found: on a national graph, billions.

    Method, and why it is exact: take a breadth-first search from one side's actor s and
    orient every tie u-w with ``d(s, w) == d(s, u) + 1`` from u to w (the shortest-path
    DAG of s). Every shortest path from s runs along the DAG, and every DAG path from s
    is a shortest path. So v lies on a shortest s-t path (v not s or t) exactly when t
    is below v in the DAG: a shortest s-t path through v splits at v into a DAG path
    v..t; conversely a DAG path s..v followed by a DAG path v..t has length
    ``d(s, v) + (d(s, t) - d(s, v)) == d(s, t)``. The actors of the other side below each
    node are collected bottom-up as one integer bit set per node (a node's set is the
    union of its DAG children's sets and the children themselves), one search per actor
    of the smaller side, never a loop over every pair; v's pairs from s are the bits of
    v's set. Paths are undirected, so searching from either side finds the same pairs.

    >>> g = nx.path_graph(["dinas", "undip", "cv"])
    >>> brokered_pairs(g, ["dinas"], ["cv"])
    {'dinas': [], 'undip': [('dinas', 'cv')], 'cv': []}
    """
    from_government = len(government) <= len(business)
    targets = list(business if from_government else government)
    pairs: dict[str, list[tuple[str, str]]] = {node: [] for node in simple}
    for source, found in _sources_reached(simple, government, business):
        for node, bits in found.items():
            ends = (targets[i] for i in _bits(bits))
            pairs[node].extend((source, end) if from_government else (end, source)
                               for end in ends)
    return {node: sorted(found) for node, found in pairs.items()}


def constraint(simple: nx.Graph, nodes: Collection[str]) -> dict[str, float]:
    """Burt's constraint of ``nodes``, equal to ``nx.constraint(simple, nodes=nodes)``.

    On a simple undirected graph networkx's normalised mutual weight of a tie u-v is
    ``2 / (2 * degree(u))``, and an indirect term ``p(u, w) * p(w, v)`` is 0 unless w is
    a neighbour of both. The sums here add the same non-zero terms in the same order
    (networkx's ``set`` of neighbours; adding 0.0 changes no float sum, compensated or
    not), so the results are the same floats; but a neighbour pair costs a set lookup
    on the smaller neighbourhood instead of networkx's pass over all of u's neighbours
    for each term. Isolated nodes get ``nan``.

    >>> g = nx.star_graph(["dinas", "a", "b"])
    >>> constraint(g, ["dinas"]) == nx.constraint(g, nodes=["dinas"])
    True
    """
    found: dict[str, float] = {}
    for u in nodes:
        around = set(simple[u])
        if not around:
            found[u] = float("nan")
            continue
        share = 2 / (2 * len(around))
        order = {w: i for i, w in enumerate(around)}
        total = []
        for v in around:
            common = sorted(_common(simple, around, v), key=order.__getitem__)
            indirect = sum(share * (2 / (2 * len(simple[w]))) for w in common)
            total.append((share + indirect) ** 2)
        found[u] = sum(total)
    return found


def effective_size(simple: nx.Graph, nodes: Collection[str]) -> dict[str, float]:
    """Burt's effective size of ``nodes``, equal to ``nx.effective_size(simple, nodes=nodes)``:
    ``d - 2 * t / d`` for a node with d neighbours and t ties among them (networkx's
    formula for undirected graphs, without building each ego graph). Isolated: ``nan``.

    >>> g = nx.Graph([("dinas", "a"), ("dinas", "b"), ("a", "b"), ("dinas", "c")])
    >>> effective_size(g, ["dinas"]) == nx.effective_size(g, nodes=["dinas"])
    True
    """
    found: dict[str, float] = {}
    for u in nodes:
        around = set(simple[u])
        if not around:
            found[u] = float("nan")
            continue
        ties = sum(len(_common(simple, around, v)) for v in around) // 2
        found[u] = len(around) - (2 * ties) / len(around)
    return found


def _common(simple: nx.Graph, around: set[str], v: str) -> list[str]:
    """The neighbours of v among ``around``, looked up from the smaller side."""
    theirs = simple[v]
    if len(theirs) < len(around):
        return [w for w in theirs if w in around]
    return [w for w in around if w in theirs]


def _sources_reached(
    simple: nx.Graph, government: Collection[str], business: Collection[str]
) -> Iterator[tuple[str, dict[str, int]]]:
    """For each actor of the smaller side, the other side's actors below every node of its
    shortest-path DAG (see ``brokered_pairs``), as bit sets over that side in its order;
    nodes with none are left out."""
    side = set(government) if len(government) <= len(business) else set(business)
    other = list(business) if len(government) <= len(business) else list(government)
    bit = {actor: 1 << i for i, actor in enumerate(other)}
    for source in (node for node in simple if node in side):
        distance = {source: 0}
        order = [source]
        for u in order:  # breadth first: `order` grows while it is read
            for w in simple[u]:
                if w not in distance:
                    distance[w] = distance[u] + 1
                    order.append(w)
        below: dict[str, int] = {}
        for u in reversed(order):
            deeper = distance[u] + 1
            bits = 0
            for w in simple[u]:
                if distance[w] == deeper:
                    bits |= below.get(w, 0) | bit.get(w, 0)
            if bits and u != source:
                below[u] = bits
        yield source, below


def _bits(bits: int) -> Iterator[int]:
    """The positions of the set bits, lowest first."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


def _estimated_brokerage(
    prepared: tuple[list[str], igraph.Graph],
    nodes: Collection[str],
    government: Collection[str],
    business: Collection[str],
    sampling: Sampling,
) -> dict[str, int]:
    """``brokerage`` from sampled pairs (distances from each sampled actor to ``nodes``)."""
    import numpy as np

    ids, graph = prepared
    position = {node: i for i, node in enumerate(ids)}
    counted_nodes = sorted(nodes)
    column = {node: i for i, node in enumerate(counted_nodes)}
    targets = [position[node] for node in counted_nodes]
    governments = _sample(sorted(government), sampling)
    businesses = _sample(sorted(business), sampling)

    def distances(sources: list[str]) -> Any:
        # One call for all sources (half the time of one call each); floats: igraph
        # answers inf for a node out of reach.
        found = graph.distances(source=[position[s] for s in sources], target=targets)
        return np.array(found, dtype=np.float64)

    counted = np.zeros(len(counted_nodes), dtype=np.int64)
    if governments and businesses:
        from_business = distances(businesses)
        columns = np.array([column[b] for b in businesses])
        rows = np.arange(len(businesses))
        for g, from_g in zip(governments, distances(governments), strict=True):
            between = from_g[columns]  # d(g, b) per sampled b
            on_path = (from_business + from_g) == between[:, None]
            on_path &= np.isfinite(between)[:, None]
            on_path[np.array(businesses) == g, :] = False  # g == b: not a pair
            on_path[rows, columns] = False  # v == b
            on_path[:, column[g]] = False  # v == g
            counted += on_path.sum(axis=0)
    scale = len(government) * len(business) / max(1, len(governments) * len(businesses))
    return {node: round(int(count) * scale)
            for node, count in zip(counted_nodes, counted, strict=True)}


def _sample[T](population: Collection[T], sampling: Sampling) -> list[T]:
    """``sampling.size`` members drawn with its seed (all of them when fewer), in order."""
    members = list(population)
    if len(members) <= sampling.size:
        return members
    picked = random.Random(sampling.seed).sample(range(len(members)), sampling.size)
    return [members[i] for i in sorted(picked)]



def _prepared(simple: nx.Graph, prepared: Indexed | None) -> tuple[list[str], igraph.Graph]:
    found = prepared if prepared is not None else indexed(simple)
    return found.ids, found.graph

"""Betweenness, brokerage and Burt's measures on the stakeholder projection, at any size.

The projection (``kg.analytics``) is a simple undirected ``nx.Graph``. Up to
``EXACT_UP_TO`` nodes every measure is exact and equal to what networkx computes
(betweenness *is* networkx's); above it, betweenness and brokerage are estimated from
sampled nodes (``Sampling``: how many, which seed), with igraph's C code doing the
shortest paths. Burt's constraint and effective size are exact at every size: they are
local to an actor's neighbourhood, computed here in the order networkx sums them, without
its cubic cost on actors with thousands of ties.

Above ``EXACT_UP_TO`` the commands never build the networkx graph: the projection comes
as arrays (``Indexed``, ``kg.analytics.projection_arrays``) and ``estimates`` computes
every measure on them, betweenness split over two processes (``kg.parallel``). The
functions taking an ``nx.Graph`` stay for the exact path and the API.

The error of the estimate against exact figures, measured on the largest graph where the
exact ones finish, is in docs/performance.md ("Network measures at national scale").
"""

from __future__ import annotations

import itertools
import math
import operator
import random
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import networkx as nx

from kg import parallel

if TYPE_CHECKING:
    import igraph
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "DEFAULT",
    "EXACT_UP_TO",
    "SAMPLE_SIZE",
    "SEED",
    "Estimates",
    "Indexed",
    "Sampling",
    "betweenness",
    "brokerage",
    "brokered_pairs",
    "burt",
    "constraint",
    "distinct",
    "effective_size",
    "estimates",
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
    """The projection as arrays, for the estimates and Burt's measures above
    ``EXACT_UP_TO``: its node ids in sorted order (so an estimate does not depend on the
    order the store returned them in), node i being ``ids[i]``, and its ties as a
    compressed adjacency: the neighbours of node i are ``neighbours[offsets[i]:offsets[i +
    1]]``, ascending. ``graph`` is the igraph graph of the same nodes (vertex i is
    ``ids[i]``), built on first use. ``Indexed.of`` builds it from a node list and its
    ties without a networkx graph (on the national graph that graph costs 25 CPU s and the
    igraph graph built from it 12 more; docs/performance.md, tenth session)."""

    ids: list[str]
    offsets: npt.NDArray[np.int64]
    neighbours: npt.NDArray[np.int32]

    @classmethod
    def of(cls, nodes: list[str], starts: npt.NDArray[np.int64], ends: npt.NDArray[np.int64]
           ) -> Indexed:
        """The projection of ``nodes`` (distinct ids, any order) with a tie between
        ``nodes[starts[k]]`` and ``nodes[ends[k]]`` for every k (in either direction,
        repeated or not; a node tied to itself is not a tie)."""
        import numpy as np

        if all(map(operator.lt, nodes, nodes[1:])):  # a store's nodes come sorted
            ids, rank = nodes, np.arange(len(nodes), dtype=np.int64)
        else:
            order = sorted(range(len(nodes)), key=nodes.__getitem__)
            ids = [nodes[i] for i in order]
            rank = np.empty(len(nodes), dtype=np.int64)
            rank[np.array(order, dtype=np.int64)] = np.arange(len(nodes), dtype=np.int64)
        n = len(ids)
        low, high = rank[starts], rank[ends]
        low, high = np.minimum(low, high), np.maximum(low, high)
        pairs = distinct((low * n + high)[low != high])
        both = np.concatenate([pairs, (pairs % n) * n + pairs // n])
        both.sort()
        counts = np.bincount(both // n, minlength=n)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return cls(ids, offsets, (both % n).astype(np.int32))

    @property
    def degrees(self) -> npt.NDArray[np.int64]:
        """Each node's number of ties."""
        import numpy as np

        return np.diff(self.offsets)

    @cached_property
    def graph(self) -> igraph.Graph:
        """The igraph graph: vertex i is ``ids[i]``, one edge per tie."""
        import igraph
        import numpy as np

        n = len(self.ids)
        starts = np.repeat(np.arange(n, dtype=np.int64), self.degrees)
        upper = starts < self.neighbours
        return igraph.Graph(n=n, edges=np.column_stack(
            [starts[upper], self.neighbours[upper].astype(np.int64)]))

    def positions(self, nodes: Collection[str]) -> npt.NDArray[np.int64]:
        """The positions of ``nodes`` (each one of ``ids``) in ``ids``."""
        import numpy as np

        found = np.searchsorted(np.array(self.ids, dtype=object), np.array(list(nodes),
                                                                           dtype=object))
        return np.asarray(found, dtype=np.int64)


def distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct ``values``, ascending: ``np.unique`` by a sort (numpy 2's
    ``np.unique`` hashes first, then sorts: 7.9 s instead of 0.6 on the 4.4 million ties
    of the national projection)."""
    import numpy as np

    ordered = np.sort(values)
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def indexed(simple: nx.Graph) -> Indexed:
    """``simple`` as arrays (see ``Indexed``)."""
    import numpy as np

    nodes = list(simple)
    position = {node: i for i, node in enumerate(nodes)}
    ties = np.array([(position[u], position[v]) for u, v in simple.edges()],
                    dtype=np.int64).reshape(-1, 2)
    return Indexed.of(nodes, ties[:, 0], ties[:, 1])


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
    import numpy as np

    found = prepared if prepared is not None else indexed(simple)
    n = len(found.ids)
    sources = _sample(range(n), sampling)
    dependencies = (found.graph.betweenness(directed=False, sources=sources) if n >= 3
                    else [0.0] * n)
    values = _scaled(np.array(dependencies, dtype=np.float64), n, len(sources))
    return dict(zip(found.ids, values.tolist(), strict=True))


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
        found = prepared if prepared is not None else indexed(simple)
        ordered = sorted(nodes)
        counts = _brokerage_counts(found, found.positions(ordered), government, business,
                                   sampling)
        return dict(zip(ordered, counts.tolist(), strict=True))
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


def estimates(
    prepared: Indexed,
    nodes: npt.NDArray[np.int64],
    government: Collection[str],
    business: Collection[str],
    sampling: Sampling = DEFAULT,
) -> Estimates:
    """The measures of ``nodes`` (positions in ``prepared.ids``) above the threshold:
    betweenness and brokerage estimated as ``betweenness`` and ``brokerage`` estimate
    them, constraint and effective size exact (``burt``), computed side by side on two
    processes (``kg.parallel``): a forked child sums the dependencies of the first sampled
    sources (one igraph call) while this process counts the brokerage, Burt's measures
    and the dependencies of the other sources (another call).

    The two sums are then added: igraph, given all sources in one call, adds each
    source's dependencies to one running sum, so the last bits of a node's betweenness
    can differ from ``betweenness``'s (on the x1 benchmark by at most 9.0e-16 of the
    value; docs/performance.md, tenth session). The other measures are the same.
    """
    import numpy as np

    n = len(prepared.ids)
    sources = _sample(range(n), sampling)
    first, rest = sources[:_split(len(sources))], sources[_split(len(sources)):]
    head = parallel.shared(n)
    with parallel.in_child(lambda: _dependencies(prepared, first, head)):
        counts = _brokerage_counts(prepared, nodes, government, business, sampling)
        constraint, effective = burt(prepared, nodes)
        tail = np.zeros(n)
        _dependencies(prepared, rest, tail)
    return Estimates(_scaled(head + tail, n, len(sources))[nodes], counts, constraint,
                     effective)


@dataclass(frozen=True)
class Estimates:
    """The measures of ``estimates``, one value per node asked for, in that order."""

    betweenness: npt.NDArray[np.float64]
    brokerage: npt.NDArray[np.int64]
    constraint: npt.NDArray[np.float64]
    effective_size: npt.NDArray[np.float64]


def _split(sources: int) -> int:
    """How many of the sampled sources the child takes: more than half, as this process
    also counts the brokerage and Burt's measures (at x10 together about the time of
    eight sources' dependencies)."""
    return (sources * 9 + 15) // 16


def _dependencies(prepared: Indexed, sources: list[int], into: npt.NDArray[np.float64]
                  ) -> None:
    """Write the summed dependencies of ``sources`` (one igraph call) ``into``."""
    if sources and len(prepared.ids) >= 3:
        into[:] = prepared.graph.betweenness(directed=False, sources=sources)


def _scaled(dependencies: npt.NDArray[np.float64], n: int, sources: int
            ) -> npt.NDArray[np.float64]:
    """Normalised betweenness from the dependencies summed over ``sources`` sources.
    igraph counts each (source, target) pair once, half the ordered pairs' dependency."""
    if n < 3:  # no node lies between two others
        return dependencies * 0.0
    scale = 2 * n / sources / ((n - 1) * (n - 2))
    scaled: npt.NDArray[np.float64] = dependencies * scale
    return scaled


_UNREACHED = 2**30
"""The distance ``_distances`` gives a node out of reach: two of them still fit an int32
sum, and no sum of a finite distance (below the node count) reaches it."""


def _brokerage_counts(
    prepared: Indexed,
    nodes: npt.NDArray[np.int64],
    government: Collection[str],
    business: Collection[str],
    sampling: Sampling,
) -> npt.NDArray[np.int64]:
    """``brokerage`` estimated from sampled pairs, for ``nodes`` (positions in
    ``prepared.ids``): the distances from each sampled actor to ``nodes``, then per
    sampled government actor g, the nodes v with ``d(g, v) + d(v, b) == d(g, b)`` for
    every sampled business actor b at once."""
    import numpy as np

    targets = np.unique(nodes)
    governments = _sample(sorted(government), sampling)
    businesses = _sample(sorted(business), sampling)
    counted = np.zeros(len(targets), dtype=np.int64)
    if governments and businesses:
        government_at, business_at = (prepared.positions(side)
                                      for side in (governments, businesses))
        from_business = _distances(prepared, business_at, targets)
        columns = np.searchsorted(targets, business_at)
        rows = np.arange(len(businesses))
        same = business_at[:, None] == government_at[None, :]  # g == b: not a pair
        for i, from_g in enumerate(_distances(prepared, government_at, targets)):
            between = from_g[columns]  # d(g, b) per sampled b
            on_path = (from_business + from_g) == between[:, None]
            on_path &= (between < _UNREACHED)[:, None] & ~same[:, i][:, None]
            on_path[rows, columns] = False  # v == b
            on_path[:, np.searchsorted(targets, government_at[i])] = False  # v == g
            counted += on_path.sum(axis=0)
    scale = len(government) * len(business) / max(1, len(governments) * len(businesses))
    found = np.rint(counted[np.searchsorted(targets, nodes)] * scale)
    return found.astype(np.int64)


def _distances(prepared: Indexed, sources: npt.NDArray[np.int64],
               targets: npt.NDArray[np.int64]) -> npt.NDArray[np.int32]:
    """The distance from each source to each target (``_UNREACHED`` out of reach), one row
    per source: a breadth-first search from up to 64 sources at once, each source a bit of
    a 64-bit word per node, a level per pass over the ties (numpy, instead of igraph's
    one search per source and its distances as Python lists of floats)."""
    import numpy as np

    found = np.full((len(sources), len(targets)), _UNREACHED, dtype=np.int32)
    degrees = prepared.degrees
    tied = np.flatnonzero(degrees)
    for start in range(0, len(sources), 64):
        batch = sources[start:start + 64]
        frontier = np.zeros(len(prepared.ids), dtype=np.uint64)
        np.bitwise_or.at(frontier, batch,
                         np.left_shift(np.uint64(1), np.arange(len(batch), dtype=np.uint64)))
        seen = frontier.copy()
        level = 0
        while True:
            _record(found[start:start + 64], frontier[targets], level)
            reached = np.zeros_like(frontier)
            if len(tied):
                reached[tied] = np.bitwise_or.reduceat(frontier[prepared.neighbours],
                                                       prepared.offsets[tied])
            frontier = reached & ~seen
            if not frontier.any():
                break
            seen |= frontier
            level += 1
    return found


def _record(found: npt.NDArray[np.int32], reached: npt.NDArray[np.uint64], level: int
            ) -> None:
    """Set ``found[s, t] = level`` where bit s of ``reached[t]`` is set."""
    import numpy as np

    hit = np.flatnonzero(reached)
    if len(hit):
        bits = np.unpackbits(reached[hit].view(np.uint8).reshape(-1, 8), axis=1,
                             bitorder="little")[:, :len(found)]
        column, row = np.nonzero(bits)
        found[row, hit[column]] = level


def burt(prepared: Indexed, nodes: npt.NDArray[np.int64]
         ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Burt's constraint and effective size of ``nodes`` (positions in ``prepared.ids``;
    ``nan`` for an isolated node), as ``constraint`` and ``effective_size`` compute them
    on the networkx projection, from arrays: the common neighbours of every tie of
    ``nodes`` are found by looking the smaller side's neighbours up among the tie's other
    end's, all ties at once. The constraint's sums are Python's own (``sum`` adds floats
    with Neumaier's compensation, done here per tie and per node in numpy, step for step)
    and its squares Python's (``math.pow``, not numpy's); the terms are added in the order
    of the neighbours' ids instead of networkx's order of a ``set``, which can change the
    last bit of a compensated sum; on the national graph it changed none
    (docs/performance.md, tenth session)."""
    import numpy as np

    offsets, neighbours, degrees = prepared.offsets, prepared.neighbours, prepared.degrees
    share = 2 / (2 * np.maximum(degrees, 1))  # networkx's normalised mutual weight, 1/d
    # The ties of `nodes`, as (position in nodes, neighbour).
    owner = np.repeat(np.arange(len(nodes)), degrees[nodes])
    other = neighbours[_ranges(offsets[nodes], degrees[nodes])].astype(np.int64)
    u = nodes[owner]
    # The smaller side's neighbours w, each looked up among the other side's.
    small = np.where(degrees[u] <= degrees[other], u, other)
    large = np.where(degrees[u] <= degrees[other], other, u)
    tie_of, common = _common_neighbours(prepared, small, large)
    indirect = _neumaier(share[u[tie_of]] * share[common], tie_of, len(u))
    direct = share[u] + indirect
    squares = np.fromiter(map(math.pow, direct.tolist(), itertools.repeat(2.0)),
                          dtype=np.float64, count=len(direct))
    constraint = _neumaier(squares, owner, len(nodes))
    ties = np.bincount(owner[tie_of], minlength=len(nodes)) // 2
    d = degrees[nodes]
    with np.errstate(invalid="ignore", divide="ignore"):
        effective = d - (2 * ties) / d
    constraint[d == 0] = np.nan
    effective[d == 0] = np.nan
    return constraint, effective


_CHUNK = 1 << 22
"""Neighbour look-ups done at once by ``_common_neighbours`` (memory: ~40 bytes each)."""


def _common_neighbours(prepared: Indexed, small: npt.NDArray[np.int64],
                       large: npt.NDArray[np.int64]
                       ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """For ties k (``small[k]`` - ``large[k]``): every common neighbour w, as pairs
    (k, w), by k then w ascending."""
    import numpy as np

    offsets, neighbours, degrees = prepared.offsets, prepared.neighbours, prepared.degrees
    n = len(prepared.ids)
    keys = np.repeat(np.arange(n, dtype=np.int64), degrees) * n + neighbours
    found_ties, found_common = [], []
    sizes = degrees[small]
    ends = np.cumsum(sizes)
    start = 0
    while start < len(small):
        stop = max(int(np.searchsorted(ends, ends[start] - sizes[start] + _CHUNK)), start + 1)
        tie = np.repeat(np.arange(start, stop), sizes[start:stop])
        w = neighbours[_ranges(offsets[small[start:stop]], sizes[start:stop])]
        wanted = large[tie] * n + w
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        hit = keys[at] == wanted
        found_ties.append(tie[hit])
        found_common.append(w[hit].astype(np.int64))
        start = stop
    empty = np.zeros(0, dtype=np.int64)
    return (np.concatenate(found_ties or [empty]), np.concatenate(found_common or [empty]))


def _ranges(starts: npt.NDArray[np.int64], sizes: npt.NDArray[np.int64]
            ) -> npt.NDArray[np.int64]:
    """The concatenated ranges ``starts[k] .. starts[k] + sizes[k] - 1``."""
    import numpy as np

    total = int(sizes.sum())
    firsts = np.cumsum(sizes) - sizes
    return np.repeat(starts - firsts, sizes) + np.arange(total, dtype=np.int64)


def _neumaier(values: npt.NDArray[np.float64], groups: npt.NDArray[np.int64], count: int
              ) -> npt.NDArray[np.float64]:
    """Per group (``groups`` ascending, one value each), what Python's ``sum`` gives for
    the group's values in their order (0.0 for none): Neumaier's compensated sum, one
    step per position within the groups, all groups at once."""
    import numpy as np

    total, compensation = np.zeros(count), np.zeros(count)
    if not len(values):
        return total
    firsts = np.searchsorted(groups, groups, side="left")
    step = np.arange(len(groups)) - firsts  # position within the group
    order = np.argsort(step, kind="stable")
    bounds = np.searchsorted(step[order], np.arange(int(step.max()) + 2))
    for begin, end in itertools.pairwise(bounds.tolist()):
        at = order[begin:end]
        group, x = groups[at], values[at]
        f = total[group]
        t = f + x
        compensation[group] += np.where(np.abs(f) >= np.abs(x), (f - t) + x, (x - t) + f)
        total[group] = t
    finite = np.isfinite(compensation)
    total[finite] += compensation[finite]
    return total


def _sample[T](population: Collection[T], sampling: Sampling) -> list[T]:
    """``sampling.size`` members drawn with its seed (all of them when fewer), in order."""
    members = list(population)
    if len(members) <= sampling.size:
        return members
    picked = random.Random(sampling.seed).sample(range(len(members)), sampling.size)
    return [members[i] for i in sorted(picked)]


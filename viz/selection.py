"""Choose the part of the graph to draw.

A page with thousands of nodes is unreadable and slow to lay out, so the CLI draws a part
chosen by one or more of: a node and its neighbourhood, a zone, a sentra, node labels.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import networkx as nx

from kg.catalogue import say
from kg.errors import VizError
from kg.schema.model import Label, RelType


def subgraph(
    graph: nx.MultiDiGraph,
    *,
    around: str | None = None,
    depth: int = 1,
    labels: Sequence[str] | None = None,
    zone: str | None = None,
    sentra: str | None = None,
) -> nx.MultiDiGraph:
    """Return the part of `graph` selected by every given criterion (their intersection).

    Parameters
    ----------
    graph : nx.MultiDiGraph
        Nodes keyed by id with a ``label`` attribute; edges with a ``type`` attribute.
    around : str, optional
        Keep the nodes within `depth` hops of this node, in either direction.
    depth : int
        Hops from `around`; 0 keeps that node alone.
    labels : sequence of str, optional
        Keep only nodes with one of these labels.
    zone : str, optional
        Keep the zone, its kecamatan, the sentra located in them and every node one hop
        from those sentra.
    sentra : str, optional
        Keep the sentra, every node one hop from it, and the actors of the activities
        that concern it.

    Returns
    -------
    nx.MultiDiGraph
        A copy holding the kept nodes and the edges between them.

    Raises
    ------
    VizError
        If a node id is unknown, is not a zone or sentra where one is expected, a label is
        unknown, or `depth` is negative.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("s1", label="Sentra", name="Kampung Batik Malon")
    >>> g.add_node("c1", label="Commodity", name="Batik tulis")
    >>> g.add_node("k1", label="Kecamatan", name="Gunungpati")
    >>> g.add_edge("s1", "c1", key="PRODUCES", type="PRODUCES")
    'PRODUCES'
    >>> g.add_edge("s1", "k1", key="LOCATED_IN", type="LOCATED_IN")
    'LOCATED_IN'
    >>> sorted(subgraph(g, around="c1", depth=1))
    ['c1', 's1']
    >>> sorted(subgraph(g, labels=["Sentra", "Kecamatan"]).edges(keys=True))
    [('s1', 'k1', 'LOCATED_IN')]
    """
    keep = set(graph)
    if around is not None:
        _require(graph, around)
        if depth < 0:
            raise VizError(say("refusals.negative_depth_value", depth=depth))
        undirected = graph.to_undirected(as_view=True)
        keep &= set(nx.single_source_shortest_path_length(undirected, around, cutoff=depth))
    if zone is not None:
        keep &= _zone_part(graph, zone)
    if sentra is not None:
        keep &= _sentra_part(graph, sentra)
    if labels:
        present = {str(label) for _, label in graph.nodes(data="label") if label}
        known = {label.value for label in Label} | present
        unknown = sorted(set(labels) - known)
        if unknown:
            raise VizError(say("refusals.unknown_label", unknown=", ".join(map(repr, unknown)),
                               known=", ".join(sorted(known))))
        keep = {node for node in keep if graph.nodes[node].get("label") in labels}
    result: nx.MultiDiGraph = induced(graph, keep).copy()
    return result


def induced(graph: nx.MultiDiGraph, nodes: Collection[str]) -> nx.MultiDiGraph:
    """A view of `graph` holding `nodes` and the edges between them, in `graph`'s order.

    networkx's own ``graph.subgraph(nodes)`` iterates the kept nodes in the order of a set
    when it keeps fewer than half of them, so a page drawn from it listed its nodes in an
    order that changed from run to run (with the interpreter's hash seed).

    >>> g = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    >>> list(induced(g, {"d", "b"}))
    ['b', 'd']
    """
    view: nx.MultiDiGraph = nx.subgraph_view(graph, filter_node=nodes.__contains__)
    return view


def _require(graph: nx.MultiDiGraph, node: str, label: Label | None = None) -> None:
    if node not in graph:
        raise VizError(say("refusals.no_such_node", node=node))
    actual = graph.nodes[node].get("label")
    if label is not None and actual != label:
        raise VizError(say("refusals.not_of_label", node=node, label=label,
                           actual=actual or say("refusals.without_label")))


def _sources(graph: nx.MultiDiGraph, target: str, edge_type: RelType) -> set[str]:
    return {source for source, _, kind in graph.in_edges(target, data="type") if kind == edge_type}


def _neighbours(graph: nx.MultiDiGraph, nodes: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        found.update(graph.predecessors(node), graph.successors(node))
    return found


def _zone_part(graph: nx.MultiDiGraph, zone: str) -> set[str]:
    _require(graph, zone, Label.ZONE)
    kecamatan = _sources(graph, zone, RelType.IN_ZONE)
    sentra = set().union(*(_sources(graph, k, RelType.LOCATED_IN) for k in kecamatan))
    return {zone} | kecamatan | sentra | _neighbours(graph, sentra)


def _sentra_part(graph: nx.MultiDiGraph, sentra: str) -> set[str]:
    _require(graph, sentra, Label.SENTRA)
    activities = _sources(graph, sentra, RelType.CONCERNS)
    actors = {
        node
        for node in _neighbours(graph, activities)
        if graph.nodes[node].get("label") == Label.ACTOR
    }
    return {sentra} | _neighbours(graph, [sentra]) | actors

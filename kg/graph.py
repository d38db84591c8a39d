"""The store as a networkx graph, for analytics, drawing and export.

Convention: an ``nx.MultiDiGraph``; node key = the node's ``id``; node attributes
``label`` plus its properties; edge attributes ``type`` plus its properties. The edge key
names the relationship among those between the same two nodes: its type, followed by its
``key`` property when it has one (a FUNDS relationship carries one per grant, as
``"APBD:2023"``, so two grants from one funder to one sentra are ``"FUNDS APBD:2023"`` and
``"FUNDS APBN:2023"``); relationships alike in both, which only a write by hand can make,
get ``" #2"``, ``" #3"``... Code reads the ``type`` attribute, never the edge key.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kg import queries
from kg.schema.graph import DATASETS_PROPERTY
from kg.schema.model import GRANT_KEY
from kg.store import Store

if TYPE_CHECKING:
    import networkx as nx


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """The whole graph in ``store`` as a ``MultiDiGraph`` (see the module docstring).

    Example
    -------
    >>> from kg.store import QueryResult
    >>> class Two:
    ...     def run(self, query, params=None):
    ...         if "MATCH (n)" in query:
    ...             return QueryResult(["id", "label", "props"],
    ...                                [["a", "Actor", {"id": "a", "name": "Disperin"}],
    ...                                 ["s", "Sentra", {"id": "s", "name": "KIW"}]])
    ...         return QueryResult(["start", "type", "end", "props"],
    ...                            [["a", "FUNDS", "s", {"sourceType": "APBD", "key": "APBD:"}],
    ...                             ["a", "FUNDS", "s", {"sourceType": "APBN", "key": "APBN:"}],
    ...                             ["a", "MANAGES", "s", {}]])
    >>> g = to_networkx(Two())
    >>> sorted(g.edges(keys=True))
    [('a', 's', 'FUNDS APBD:'), ('a', 's', 'FUNDS APBN:'), ('a', 's', 'MANAGES')]
    >>> g.nodes["a"]["label"], g.nodes["a"]["name"]
    ('Actor', 'Disperin')
    """
    import networkx as nx  # here, not at the top: `import kg.graph` stays cheap

    graph = nx.MultiDiGraph()
    for node_id, label, props in node_rows(store):
        graph.add_node(node_id, **props, label=label)
    for start, rel_type, end, props in relationship_rows(store):
        grant = props.get(GRANT_KEY)
        named = f"{rel_type} {grant}" if grant is not None else rel_type
        key, number = named, 1
        while graph.has_edge(start, end, key):
            number += 1
            key = f"{named} #{number}"
        graph.add_edge(start, end, key)
        graph.edges[start, end, key].update(props, type=rel_type)
    return graph


def node_rows(store: Store) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every node as (id, label, properties other than ``id``), ordered by id; the
    loader's bookkeeping (``kgDatasets``) is not data and left out."""
    for node_id, label, props in queries.run(store, "graph_nodes").rows:
        props.pop("id", None)
        props.pop(DATASETS_PROPERTY, None)
        yield node_id, label, props


def relationship_rows(store: Store) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """Every relationship as (start id, type, end id, properties), without the loader's
    bookkeeping."""
    for start, rel_type, end, props in queries.run(store, "graph_relationships").rows:
        props.pop(DATASETS_PROPERTY, None)
        yield start, rel_type, end, props

"""The store as a networkx graph, for analytics, drawing and export.

Convention: an ``nx.MultiDiGraph``; node key = the node's ``id``; node attributes
``label`` plus its properties; edge attributes ``type`` plus its properties. The edge key
names the relationship among those between the same two nodes: its type, followed by its
``key`` property when it has one (a FUNDS relationship carries one per grant, as
``"APBD:2023"``, so two grants from one funder to one sentra are ``"FUNDS APBD:2023"`` and
``"FUNDS APBN:2023"``); relationships alike in both, which only a write by hand can make,
get ``" #2"``, ``" #3"``... Code reads the ``type`` attribute, never the edge key.

The network measures (``kg analyze``, ``kg stakeholders``) need far less than that graph:
``read_network`` reads only the ids, labels, the names and kinds they show and the
relationships' types and ends, into a ``Network`` of arrays. On the national graph
(1.6 million nodes, 4.7 million relationships) the ``MultiDiGraph`` takes over 4 GiB and
a minute and a half to build; see docs/performance.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kg import queries
from kg.schema.graph import DATASET_LABEL, DATASETS_PROPERTY
from kg.schema.model import ALLOWED, GRANT_KEY, Label
from kg.store import ListsAsText, Store

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np
    import numpy.typing as npt


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


@dataclass(frozen=True)
class Network:
    """What the network measures read of a graph: every node's id and label, the names of
    actors and sentra, the kinds of actors, and every relationship as the positions of its
    two ends and of its type.

    ``nodes``, ``labels``: node ids and their labels, in the order of ``to_networkx``'s
    graph (by id, for a store); ``names``: actor and sentra ids -> name, for those that
    have one; ``kinds``: actor ids -> kind, likewise. ``starts`` and ``ends`` hold
    positions in ``nodes``, ``types`` positions in ``type_names``. The relationships come
    by start node, in node order; from a store by start, type and end id (the order in
    which ``to_networkx`` adds them), from a graph in ``graph.edges()`` order. Either way
    each start node's ends first appear in the order of its neighbours in that graph, so
    what is computed from a ``Network`` equals what is computed from the graph, order
    included.
    """

    nodes: list[str]
    labels: list[str | None]
    names: dict[str, str]
    kinds: dict[str, str]
    starts: npt.NDArray[np.int64]
    types: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    type_names: list[str]

    @classmethod
    def from_networkx(cls, graph: nx.MultiDiGraph) -> Network:
        """The ``Network`` of ``graph`` (node attributes ``label``, ``name``, ``kind``;
        edge attribute ``type``), in its order.

        >>> import networkx as nx
        >>> g = nx.MultiDiGraph()
        >>> g.add_node("a", label="Actor", name="Disperin", kind="government")
        >>> g.add_node("s", label="Sentra", name="KIW")
        >>> _ = g.add_edge("a", "s", key="MANAGES", type="MANAGES")
        >>> net = Network.from_networkx(g)
        >>> net.nodes, net.names, net.kinds, net.relationships()
        (['a', 's'], {'a': 'Disperin', 's': 'KIW'}, {'a': 'government'}, [('a', 'MANAGES', 's')])
        """
        nodes = list(graph)
        labels = [label for _, label in graph.nodes(data="label")]
        named = [(node, graph.nodes[node]) for node, label in zip(nodes, labels, strict=True)
                 if label in _NAMED]
        position = {node: i for i, node in enumerate(nodes)}
        type_codes: dict[str, int] = {}
        relationships = [(u, rel_type, v) for u, v, rel_type in graph.edges(data="type")]
        return cls(
            nodes,
            labels,
            {node: data["name"] for node, data in named if "name" in data},
            {node: data["kind"] for node, data in named
             if "kind" in data and data.get("label") == _ACTOR},
            *_positions(relationships, position, type_codes),
            list(type_codes),
        )

    def relationships(self) -> list[tuple[str, str, str]]:
        """Every relationship as (start id, type, end id), in order."""
        return [(self.nodes[u], self.type_names[t], self.nodes[v])
                for u, t, v in zip(self.starts.tolist(), self.types.tolist(),
                                   self.ends.tolist(), strict=True)]


_ACTOR = Label.ACTOR.value
_NAMED = frozenset({_ACTOR, Label.SENTRA.value})
"""The labels whose names the measures show (actors; sentra in the RACI coverage)."""

_PARTS = [{"ends": [digit], "among": True} for digit in "0123456789"] + [
    {"ends": list("0123456789"), "among": False}]
"""``_read_rows`` reads in eleven parts, by the last character of a (start) node's id:
one reply holding the 4.7 million relationships of the national graph took 2.4 GiB in the
engine's client before its rows were plain values."""

_NODE_LISTS = [
    (label.value, f"MATCH (n:{label.value}) "
                  "WITH count(n) AS found, collect(id(n)) AS keys, collect(n.id) AS ids "
                  "RETURN found, size(ids) AS listed, keys, ids")
    for label in Label
]
_RELATIONSHIP_LISTS = [
    (rel_type.value, f"MATCH (a:{start.value})-[r:{rel_type.value}]->(b:{end.value}) "
                     "RETURN count(r) AS found, collect(id(a)) AS starts, collect(id(b)) AS ends")
    for start, rel_type, end in sorted(ALLOWED)
]
"""``read_network``'s reads: the nodes of each label (the engine's own number for each,
and its id), and the engine's numbers of both ends of the relationships of each pattern
of the schema. Labels and types come from ``kg.schema``, never from the data, so they
may stand in the query text. One query per pattern, with its labels, is what FalkorDB
answers fastest: on the national graph about 5 s of its CPU for every relationship,
against 14-16 s for one query naming each relationship's type and 30 s for
``_read_rows``. The relationship is named (``r``) although only its ends are returned:
without it FalkorDB counts two grants between one funder and one sentra once. ``id()``
is the one node number both engines answer (FalkorDB has no ``elementId()``; Neo4j 5
deprecates ``id()`` and still answers it); it joins the lists of one read and is never
kept."""

_COUNTS = ("MATCH (n) RETURN count(n)", f"MATCH (n:{DATASET_LABEL}) RETURN count(n)",
           "MATCH ()-[r]->() RETURN count(r)")
"""All nodes, the loader's dataset nodes, all relationships: engines answer these from
their counters. What the lists hold must add up to them."""


def read_network(store: Store) -> Network:
    """The ``Network`` of the graph in ``store``, read by query: equal to
    ``Network.from_networkx(to_networkx(store))``, without building that graph.

    The graph comes as lists, per label and per relationship pattern of the schema, two
    reads at a time (the engines answer reads side by side), and as one text per list
    from a store that can give it (``kg.store.ListsAsText``). A store holding anything
    the schema does not describe (written by hand: another label or pattern, a node
    without an id, an id with ``", "`` in it) is read row by row instead, slower.
    """
    import numpy as np

    with ThreadPoolExecutor(2, thread_name_prefix="kg-read") as pool:
        named = pool.submit(_names, store)
        listed = _read_lists(store, pool)
        names, kinds = named.result()
    if listed is None:
        return _read_rows(store)
    nodes, labels, position, relationships = listed
    type_codes: dict[str, int] = {}
    found = [(position[starts], np.full(len(starts), type_codes.setdefault(rel_type,
                                                                           len(type_codes))),
              position[ends])
             for rel_type, starts, ends in relationships]
    return _network(nodes, labels, names, kinds, found, type_codes)


def _read_lists(store: Store, pool: ThreadPoolExecutor) -> tuple[
    list[str], list[str | None], npt.NDArray[np.int64],
    list[tuple[str, npt.NDArray[np.int64], npt.NDArray[np.int64]]],
] | None:
    """The node ids in order, their labels, the position of each engine's node number
    in that order, and per pattern holding relationships its type and its ends' numbers,
    read in ``pool``; None if the lists do not hold the whole graph."""
    import numpy as np

    ask = store.run_lists_as_text if isinstance(store, ListsAsText) else store.run
    counted = [store.run(query).scalar() for query in _COUNTS]
    node_lists = pool.map(ask, (query for _, query in _NODE_LISTS))
    relationship_lists = list(pool.map(ask, (query for _, query in _RELATIONSHIP_LISTS)))
    all_nodes, dataset_nodes, all_relationships = counted
    keys, ids, labels = [], [], []
    for (label, _), answer in zip(_NODE_LISTS, node_lists, strict=True):
        found, listed, numbers, texts = answer.rows[0]
        label_keys, label_ids = _numbers(numbers, found), _ids(texts, listed)
        if label_keys is None or label_ids is None or listed != found:
            return None
        keys.append(label_keys)
        ids.extend(label_ids)
        labels.extend([label] * found)
    relationships = []
    for (rel_type, _), answer in zip(_RELATIONSHIP_LISTS, relationship_lists, strict=True):
        found, start_numbers, end_numbers = answer.rows[0]
        starts, ends = _numbers(start_numbers, found), _numbers(end_numbers, found)
        if starts is None or ends is None:
            return None
        if found:
            relationships.append((rel_type, starts, ends))
    if (len(ids) != all_nodes - dataset_nodes
            or sum(len(starts) for _, starts, _ in relationships) != all_relationships):
        return None
    order = sorted(range(len(ids)), key=ids.__getitem__)
    numbers = np.concatenate(keys)
    position = np.full(int(numbers.max(initial=-1)) + 1, -1, dtype=np.int64)
    position[numbers[order]] = np.arange(len(order), dtype=np.int64)
    if not all(_listed(starts, position) and _listed(ends, position)
               for _, starts, ends in relationships):
        return None
    return [ids[i] for i in order], [labels[i] for i in order], position, relationships


def _listed(numbers: npt.NDArray[np.int64], position: npt.NDArray[np.int64]) -> bool:
    """Whether every node of ``numbers`` is among the nodes listed by label."""
    if len(numbers) == 0:
        return True
    return bool(numbers.max() < len(position) and (position[numbers] >= 0).all())


def _numbers(value: Any, size: int) -> npt.NDArray[np.int64] | None:
    """The numbers of a list, as a list or as one text (``kg.store.ListsAsText``); None
    if that text does not hold ``size`` numbers."""
    import numpy as np

    if isinstance(value, list):
        found = np.array(value, dtype=np.int64)
    else:
        found = np.fromstring(value[1:-1], dtype=np.int64, sep=",") if size else np.zeros(
            0, dtype=np.int64)
    return found if len(found) == size else None


def _ids(value: Any, size: int) -> list[str] | None:
    """The ids of a list, as a list or as one text (``kg.store.ListsAsText``); None if
    that text does not split into ``size`` ids."""
    if isinstance(value, list):
        return value
    if size == 0:
        return []
    pieces: list[str] = value[1:-1].split(", ")
    return pieces if len(pieces) == size else None


def _names(store: Store) -> tuple[dict[str, str], dict[str, str]]:
    """The names of actors and sentra, and the kinds of actors, where they have one."""
    rows = queries.run(store, "network_names").rows
    return ({node: name for node, name, _ in rows if name is not None},
            {node: kind for node, _, kind in rows if kind is not None})


def _read_rows(store: Store) -> Network:
    """``read_network`` row by row: each node's id, label, name and kind, and each
    relationship's ends and type, in ``_PARTS``."""
    rows: list[list[Any]] = []
    for part in _PARTS:
        rows.extend(queries.run(store, "network_nodes", part).rows)
    rows.sort(key=lambda row: row[0])
    nodes = [row[0] for row in rows]
    labels = [row[1] for row in rows]
    names = {node: name for node, _, name, _ in rows if name is not None}
    kinds = {node: kind for node, label, _, kind in rows if kind is not None and label == _ACTOR}
    del rows
    position = {node: i for i, node in enumerate(nodes)}
    type_codes: dict[str, int] = {}
    found = [_positions(queries.run(store, "network_relationships", part).rows, position,
                        type_codes)
             for part in _PARTS]
    return _network(nodes, labels, names, kinds, found, type_codes)


def _network(
    nodes: list[str],
    labels: list[str | None],
    names: dict[str, str],
    kinds: dict[str, str],
    found: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]],
    type_codes: dict[str, int],
) -> Network:
    """The ``Network`` of relationships ``found`` in parts (start positions, type codes,
    end positions), in the order of ``to_networkx``'s graph: by start, type name and end."""
    import numpy as np

    starts, codes, ends = (np.concatenate([part[i] for part in found]) if found
                           else np.zeros(0, dtype=np.int64) for i in range(3))
    type_names = sorted(type_codes)
    rank = np.array([type_names.index(name) for name in type_codes], dtype=np.int64)
    types = rank[codes] if len(codes) else codes
    order = np.lexsort((ends, types, starts))
    return Network(nodes, labels, names, kinds, starts[order], types[order], ends[order],
                   type_names)


def _positions(
    relationships: Sequence[Sequence[Any]], position: dict[str, int], type_codes: dict[str, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The start positions, type codes and end positions of ``relationships`` (rows of
    start, type, end); a type not yet in ``type_codes`` gets the next code."""
    import numpy as np

    def column(values: Iterable[int]) -> npt.NDArray[np.int64]:
        return np.fromiter(values, dtype=np.int64, count=len(relationships))

    def code(rel_type: str) -> int:
        return type_codes.setdefault(rel_type, len(type_codes))

    return (column(position[row[0]] for row in relationships),
            column(code(row[1]) for row in relationships),
            column(position[row[2]] for row in relationships))

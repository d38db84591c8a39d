"""Reloads that replace what they restate: a dataset's earlier content against its new one.

The store records each dataset loaded into it (a ``KgDataset`` node: its ``name``, and
``base`` for the first one loaded into an empty store). Every node and relationship
belongs to the datasets that state it: those its ``kgDatasets`` property names, or the
base alone when it has none, so a store loaded from one dataset carries no bookkeeping.

Loading a dataset the store already holds replaces its earlier content: a row that
changed replaces the old one, a relationship it no longer states goes, and so does a
node no other dataset states (with the relationships that touch it). Other datasets'
nodes and relationships stay. ``merge=True`` keeps the earlier content beside the new
(the behaviour before datasets were recorded). A store written before datasets were
recorded holds one unnamed dataset: the first dataset loaded into it adopts it.
"""

from __future__ import annotations

import marshal
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import blake2b
from operator import itemgetter
from typing import Any

from kg import queries
from kg.memory import paused_gc
from kg.schema.graph import DATASETS_PROPERTY, GraphData, KnownNode, NodeRow, RelRow
from kg.schema.model import GRANT_KEY, Label, RelType
from kg.store import RecordKeeper, Store
from kg.store.cypher_writes import (
    RelKey,
    delete_statements,
    register_statements,
    statements,
    tag_statements,
)
from kg.store.protocol import Statement


@dataclass
class Changes:
    """How many nodes or relationships a load added, changed and removed."""

    added: int = 0
    changed: int = 0
    removed: int = 0

    def __str__(self) -> str:
        return f"{self.added:,} added, {self.changed:,} changed, {self.removed:,} removed"


Tag = tuple[str, ...] | None
"""The datasets that state a node or relationship, sorted, as its ``kgDatasets`` holds
them; None for the base dataset alone (no ``kgDatasets``)."""

StoredNode = tuple[str, str | None, Tag, bytes]
"""A node in the store: its label, name, datasets, and the digest of its properties."""

StoredRelationship = tuple[Tag, bytes]
"""A relationship in the store (known by its ``RelKey``): its datasets and the digest of
its properties."""


@dataclass
class StoreContent:
    """What the store holds: each node and relationship with the datasets it belongs to,
    and a digest of its properties (``digest``)."""

    base: str
    recorded: bool
    nodes: dict[str, StoredNode] = field(default_factory=dict)
    relationships: dict[RelKey, StoredRelationship] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._base_only = frozenset({self.base})

    def known(self, dataset: str, *, merge: bool) -> dict[str, KnownNode]:
        """The nodes a load of ``dataset`` may refer to and must not clash with: all,
        except, when it replaces its earlier content, the nodes only it states."""
        only = self.tag(frozenset({dataset}))
        return {
            node_id: KnownNode(Label(kind), name)
            for node_id, (kind, name, tag, _) in self.nodes.items()
            if merge or tag != only
        }

    def owners(self, tag: Tag) -> frozenset[str]:
        """The datasets ``tag`` names."""
        return frozenset(tag) if tag else self._base_only

    def tag(self, owners: frozenset[str]) -> Tag:
        """The ``Tag`` of ``owners``: None when it is just the base."""
        return None if owners == self._base_only else tuple(sorted(owners))


_DIGEST_SIZE = 8
_NO_PROPERTIES = blake2b(b"[]", digest_size=_DIGEST_SIZE).digest()


def digest(props: Mapping[str, Any]) -> bytes:
    """A digest of a node's or relationship's properties, in any order: equal digests,
    equal properties (of the types a dataset holds: text, numbers, booleans and lists).

    The text digested is the sorted names, then the values in that order.
    """
    if not props:
        return _NO_PROPERTIES
    names, values = _in_order(tuple(props))
    return blake2b((names + repr(values(props))).encode(), digest_size=_DIGEST_SIZE).digest()


@lru_cache(maxsize=4096)
def _in_order(names: tuple[str, ...]) -> tuple[str, Callable[[Mapping[str, Any]], Any]]:
    """Names sorted, as text, and what takes the values in that order: a dataset's rows
    have a few sets of names, each in one order (sorting each row's took half the time)."""
    ordered = sorted(names)
    return repr(ordered), itemgetter(*ordered)


def stored_content(store: Store, dataset: str) -> StoreContent:
    """What the store holds: from the record the last load kept, if the graph is still
    the one it saved (``recorded_content``), else read from the store (``read_content``)."""
    return recorded_content(store, dataset) or read_content(store, dataset)


def read_content(store: Store, dataset: str) -> StoreContent:
    """Read the whole store with its bookkeeping (every node and relationship)."""
    content = _registered(store, dataset)

    def tag(props: dict[str, Any]) -> Tag:
        tags = props.pop(DATASETS_PROPERTY, None)
        return content.tag(frozenset(tags)) if tags else None

    for node_id, label, props in queries.run(store, "graph_nodes").rows:
        if label in Label:
            node_tag = tag(props)
            del props["id"]
            content.nodes[node_id] = (label, props.get("name"), node_tag, digest(props))
    for start, rel_type, end, props in queries.run(store, "graph_relationships").rows:
        grant = props.get(GRANT_KEY, "") if rel_type == RelType.FUNDS else ""
        rel_tag = tag(props)
        content.relationships[(start, rel_type, end, grant)] = (rel_tag, digest(props))
    return content


RECORD_FORMAT = 1
"""Version of the record's layout and of ``digest``: a record of another reads as none.

The record is columns (marshal): node ids, labels, names, tags, digests joined; then
relationship starts, types, ends, grant keys, tags, digests joined. Columns rather than
a map of tuples: a first load makes them from its rows while the engine saves, at half
the cost (x1: ~0.7 s of CPU against ~1.3 s).
"""


def record(content: StoreContent) -> bytes:
    """``content`` as the record a store keeps beside its graph (``RecordKeeper``)."""
    labels, names, node_tags, node_digests = _columns(content.nodes.values(), 4)
    starts, types, ends, grants = _columns(content.relationships, 4)
    rel_tags, rel_digests = _columns(content.relationships.values(), 2)
    return marshal.dumps((
        RECORD_FORMAT, list(content.nodes), labels, names, node_tags, b"".join(node_digests),
        starts, types, ends, grants, rel_tags, b"".join(rel_digests),
    ))


def fresh_record(graph: GraphData) -> bytes:
    """The record of a load of ``graph`` into an empty store (``record`` of what it
    leaves there), made from the rows, which it empties as it goes: a slice of rows is
    let go of once its columns are made, so that the rows and their record are not held
    at once (x1: ~140 MiB more at the peak of a first load when they were)."""
    with paused_gc():
        node_columns: list[list[Any]] = [[], [], [], []]
        for nodes in _slices(graph.nodes):
            _extend(
                node_columns, [node.id for node in nodes], [_TEXT[node.label] for node in nodes],
                [node.props.get("name") for node in nodes], [digest(node.props) for node in nodes],
            )
        rel_columns: list[list[Any]] = [[], [], [], [], []]
        for rels in _slices(graph.relationships):
            _extend(
                rel_columns, [rel.start for rel in rels], [_TEXT[rel.type] for rel in rels],
                [rel.end for rel in rels],
                # the grant key (RelRow.key) read only where there is one: a key per row
                # cost twice the other three columns
                [rel.key[3] if rel.type is RelType.FUNDS else "" for rel in rels],
                [digest(rel.props) for rel in rels],
            )
        ids, labels, names, node_digests = node_columns
        starts, types, ends, grants, rel_digests = rel_columns
        return marshal.dumps((
            RECORD_FORMAT, ids, labels, names, [None] * len(ids), b"".join(node_digests),
            starts, types, ends, grants, [None] * len(starts), b"".join(rel_digests),
        ))


def _extend(columns: list[list[Any]], *values: list[Any]) -> None:
    for column, more in zip(columns, values, strict=True):
        column += more


def _slices[T](rows: list[T], size: int = 50_000) -> Iterator[list[T]]:
    """The rows, a slice at a time from the end, each deleted from ``rows`` once used."""
    while rows:
        yield rows[-size:]
        del rows[-size:]


def recorded_content(store: Store, dataset: str) -> StoreContent | None:
    """What the store holds, from the record its last load kept; None if it keeps none
    that matches its graph as saved (``RecordKeeper``), or one of another format."""
    kept = store.recorded() if isinstance(store, RecordKeeper) else None
    if kept is None:
        return None
    try:
        (version, ids, labels, names, node_tags, node_digests,
         starts, types, ends, grants, rel_tags, rel_digests) = marshal.loads(kept)
        if version != RECORD_FORMAT:
            return None
        nodes = dict(zip(ids, zip(labels, names, node_tags, _split(node_digests), strict=True),
                         strict=True))
        relationships = dict(zip(
            zip(starts, types, ends, grants, strict=True),
            zip(rel_tags, _split(rel_digests), strict=True),
            strict=True,
        ))
    except (EOFError, ValueError, TypeError):
        return None
    content = _registered(store, dataset)
    content.nodes, content.relationships = nodes, relationships
    return content


def _columns(rows: Iterable[tuple[Any, ...]], width: int) -> list[list[Any]]:
    columns = [list(column) for column in zip(*rows, strict=True)]
    return columns or [[] for _ in range(width)]


def _split(digests: bytes) -> list[bytes]:
    return [digests[i : i + _DIGEST_SIZE] for i in range(0, len(digests), _DIGEST_SIZE)]


def _registered(store: Store, dataset: str) -> StoreContent:
    """The store's record of datasets: no content yet."""
    registry = queries.run(store, "datasets").rows
    base = next((name for name, is_base in registry if is_base), None)
    return StoreContent(base=base or dataset, recorded=base is not None)


_TEXT: dict[str, str] = {member: member.value for member in (*Label, *RelType)}
"""Each label and type as plain text (a record holds no enums; ``.value`` is slow)."""


def _key(rel: RelRow) -> RelKey:
    start, rel_type, end, grant = rel.key
    return start, _TEXT[rel_type], end, grant

@dataclass
class Reload:
    """The statements that bring a dataset's new content into the store, and their
    effect in counts."""

    nodes: Changes
    relationships: Changes
    statements: list[Statement]


def plan_reload(content: StoreContent, dataset: str, graph: GraphData, *, merge: bool) -> Reload:
    """What loading ``graph`` as ``dataset`` into the store holding ``content`` writes.

    ``content`` then describes the store as these statements leave it.
    """
    nodes, rels = Changes(), Changes()
    new_nodes = {node.id: node for node in graph.nodes}
    keyed = [(_key(rel), rel) for rel in graph.relationships]
    node_deletes: dict[Label, list[str]] = defaultdict(list)
    node_tags: dict[Label, list[tuple[str, Tag]]] = defaultdict(list)
    rel_deletes: list[RelKey] = []
    rel_tags: list[tuple[RelKey, Tag]] = []
    gone: set[str] = set()
    if not merge:
        for node_id, (kind, _, tag, _) in content.nodes.items():
            owners = content.owners(tag)
            new = new_nodes.get(node_id)
            if dataset in owners and (new is None or new.label != kind):
                rest = owners - {dataset}
                if rest:
                    node_tags[Label(kind)].append((node_id, content.tag(rest)))
                else:
                    node_deletes[Label(kind)].append(node_id)
                    gone.add(node_id)
                    nodes.removed += 1
        new_rels = {key for key, _ in keyed}
        detached: list[RelKey] = []
        for key, (tag, _) in content.relationships.items():
            start, _, end, _ = key
            if start in gone or end in gone:
                detached.append(key)  # goes with its node (DETACH DELETE)
            elif dataset in content.owners(tag) and key not in new_rels:
                rest = content.owners(tag) - {dataset}
                if rest:
                    rel_tags.append((key, content.tag(rest)))
                else:
                    rel_deletes.append(key)
        rels.removed += len(detached) + len(rel_deletes)
        _forget(content, gone, [*detached, *rel_deletes])
        _retag(content, node_tags, rel_tags)
    writes = GraphData(
        nodes=list(_node_writes(content, dataset, graph.nodes, nodes)),
        relationships=list(_rel_writes(content, dataset, keyed, rels)),
    )
    return Reload(
        nodes,
        rels,
        [
            *delete_statements(node_deletes, rel_deletes),
            *tag_statements(
                {label: [(node, _listed(tag)) for node, tag in tags]
                 for label, tags in node_tags.items()},
                [(key, _listed(tag)) for key, tag in rel_tags],
            ),
            *statements(writes, fresh=False),
            *register_statements(dataset, base=content.base, fresh=not content.recorded),
        ],
    )


def _forget(content: StoreContent, nodes: Iterable[str], relationships: Iterable[RelKey]) -> None:
    for node_id in nodes:
        del content.nodes[node_id]
    for key in relationships:
        del content.relationships[key]


def _retag(
    content: StoreContent,
    nodes: Mapping[Label, Iterable[tuple[str, Tag]]],
    relationships: Iterable[tuple[RelKey, Tag]],
) -> None:
    for tags in nodes.values():
        for node_id, tag in tags:
            kind, name, _, props = content.nodes[node_id]
            content.nodes[node_id] = (kind, name, tag, props)
    for key, tag in relationships:
        content.relationships[key] = (tag, content.relationships[key][1])


def _node_writes(
    content: StoreContent, dataset: str, rows: Iterable[NodeRow], counts: Changes
) -> Iterable[NodeRow]:
    for node in rows:
        props = digest(node.props)
        stored = content.nodes.get(node.id)
        if stored is None or stored[0] != node.label:
            owners = frozenset({dataset})
            counts.added += 1
        else:
            before = content.owners(stored[2])
            owners = before if dataset in before else before | {dataset}
            if stored[3] != props:
                counts.changed += 1
            elif dataset in before:
                continue
        tag = content.tag(owners)
        content.nodes[node.id] = (_TEXT[node.label], node.props.get("name"), tag, props)
        yield NodeRow(node.label, node.id, _tagged(node.props, tag), node.origin)


def _rel_writes(
    content: StoreContent, dataset: str, rows: Iterable[tuple[RelKey, RelRow]], counts: Changes
) -> Iterable[RelRow]:
    for key, rel in rows:
        props = digest(rel.props)
        stored = content.relationships.get(key)
        if stored is None:
            owners = frozenset({dataset})
            counts.added += 1
        else:
            before = content.owners(stored[0])
            owners = before if dataset in before else before | {dataset}
            if stored[1] != props:
                counts.changed += 1
            elif dataset in before:
                continue
        tag = content.tag(owners)
        content.relationships[key] = (tag, props)
        yield RelRow(rel.type, rel.start, rel.end, _tagged(rel.props, tag), rel.origin)


def _tagged(props: dict[str, Any], tag: Tag) -> dict[str, Any]:
    return props if tag is None else {**props, DATASETS_PROPERTY: list(tag)}


def _listed(tag: Tag) -> list[str] | None:
    return None if tag is None else list(tag)

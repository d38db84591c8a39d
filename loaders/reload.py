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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kg import queries
from kg.schema.graph import DATASETS_PROPERTY, GraphData, KnownNode, NodeRow, RelRow
from kg.schema.model import GRANT_KEY, Label, RelType
from kg.store import Store
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


@dataclass(frozen=True)
class _Stored:
    """A node or relationship in the store: its label or type, properties and owners."""

    kind: str
    props: dict[str, Any]
    owners: frozenset[str]


@dataclass
class StoreContent:
    """What the store holds, with the datasets each node and relationship belongs to."""

    base: str
    recorded: bool
    nodes: dict[str, _Stored] = field(default_factory=dict)
    relationships: dict[RelKey, _Stored] = field(default_factory=dict)

    def known(self, dataset: str, *, merge: bool) -> dict[str, KnownNode]:
        """The nodes a load of ``dataset`` may refer to and must not clash with: all,
        except, when it replaces its earlier content, the nodes only it states."""
        only = frozenset({dataset})
        return {
            node_id: KnownNode(Label(node.kind), node.props.get("name"))
            for node_id, node in self.nodes.items()
            if merge or node.owners != only
        }

    def tag(self, owners: frozenset[str]) -> list[str] | None:
        """The ``kgDatasets`` value for ``owners``: none when it is just the base."""
        return None if owners == {self.base} else sorted(owners)


def read_content(store: Store, dataset: str) -> StoreContent:
    """Read the whole store with its bookkeeping (every node and relationship)."""
    registry = queries.run(store, "datasets").rows
    base = next((name for name, is_base in registry if is_base), None)
    content = StoreContent(base=base or dataset, recorded=base is not None)

    def owners(props: dict[str, Any]) -> frozenset[str]:
        tags = props.pop(DATASETS_PROPERTY, None)
        return frozenset(tags) if tags else frozenset({content.base})

    for node_id, label, props in queries.run(store, "graph_nodes").rows:
        if label in Label:
            content.nodes[node_id] = _Stored(label, props, owners(props))
    for start, rel_type, end, props in queries.run(store, "graph_relationships").rows:
        grant = props.get(GRANT_KEY, "") if rel_type == RelType.FUNDS else ""
        content.relationships[(start, rel_type, end, grant)] = _Stored(
            rel_type, props, owners(props)
        )
    return content


@dataclass
class Reload:
    """The statements that bring a dataset's new content into the store, and their
    effect in counts."""

    nodes: Changes
    relationships: Changes
    statements: list[Statement]


def plan_reload(content: StoreContent, dataset: str, graph: GraphData, *, merge: bool) -> Reload:
    """What loading ``graph`` as ``dataset`` into the store holding ``content`` writes."""
    nodes, rels = Changes(), Changes()
    new_nodes = {node.id: node for node in graph.nodes}
    new_rels = {rel.key for rel in graph.relationships}
    node_deletes: dict[Label, list[str]] = defaultdict(list)
    node_tags: dict[Label, list[tuple[str, list[str] | None]]] = defaultdict(list)
    rel_deletes: list[RelKey] = []
    rel_tags: list[tuple[RelKey, list[str] | None]] = []
    gone: set[str] = set()
    if not merge:
        for node_id, stored in content.nodes.items():
            new = new_nodes.get(node_id)
            if dataset in stored.owners and (new is None or new.label != stored.kind):
                rest = stored.owners - {dataset}
                if rest:
                    node_tags[Label(stored.kind)].append((node_id, content.tag(rest)))
                else:
                    node_deletes[Label(stored.kind)].append(node_id)
                    gone.add(node_id)
                    nodes.removed += 1
        for key, stored in content.relationships.items():
            start, _, end, _ = key
            if start in gone or end in gone:
                rels.removed += 1  # goes with its node (DETACH DELETE)
            elif dataset in stored.owners and key not in new_rels:
                rest = stored.owners - {dataset}
                if rest:
                    rel_tags.append((key, content.tag(rest)))
                else:
                    rel_deletes.append(key)
                    rels.removed += 1
    writes = GraphData(
        nodes=list(_node_writes(content, dataset, graph.nodes, nodes)),
        relationships=list(_rel_writes(content, dataset, graph.relationships, rels)),
    )
    return Reload(
        nodes,
        rels,
        [
            *delete_statements(node_deletes, rel_deletes),
            *tag_statements(node_tags, rel_tags),
            *statements(writes, fresh=False),
            *register_statements(dataset, base=content.base, fresh=not content.recorded),
        ],
    )


def _node_writes(
    content: StoreContent, dataset: str, rows: Iterable[NodeRow], counts: Changes
) -> Iterable[NodeRow]:
    for node in rows:
        stored = content.nodes.get(node.id)
        if stored is None or stored.kind != node.label:
            owners = frozenset({dataset})
            counts.added += 1
        else:
            owners = stored.owners | {dataset}
            if stored.props != {"id": node.id, **node.props}:
                counts.changed += 1
            elif owners == stored.owners:
                continue
        yield NodeRow(node.label, node.id, _tagged(node.props, content.tag(owners)), node.origin)


def _rel_writes(
    content: StoreContent, dataset: str, rows: Iterable[RelRow], counts: Changes
) -> Iterable[RelRow]:
    for rel in rows:
        stored = content.relationships.get(rel.key)
        if stored is None:
            owners = frozenset({dataset})
            counts.added += 1
        else:
            owners = stored.owners | {dataset}
            if stored.props != rel.props:
                counts.changed += 1
            elif owners == stored.owners:
                continue
        yield RelRow(
            rel.type, rel.start, rel.end, _tagged(rel.props, content.tag(owners)), rel.origin
        )


def _tagged(props: dict[str, Any], tag: list[str] | None) -> dict[str, Any]:
    return props if tag is None else {**props, DATASETS_PROPERTY: tag}

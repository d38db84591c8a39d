"""The difference between two graphs (``kg diff A B``).

Each graph is a dataset (read into a throwaway store) or an embedded store directory
(``opened``); ``graph_state`` reads its nodes, relationships and audit, and
``compare_graphs`` tells what changed from A to B as a ``GraphDiff``: the nodes and
relationships added, removed and changed, the responsibility chart's changes in words
(``responsibility_changes``), and the audit of B against the audit of A
(``kg.changes.baseline``).
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import audit, bundled
from kg.audit import CheckResult
from kg.catalogue import catalogue, say
from kg.changes.baseline import AuditDelta, baseline_of, compare
from kg.errors import QueryError
from kg.graph import node_rows, relationship_rows
from kg.loaders import load
from kg.output import Section
from kg.schema.model import DERIVED_PROPERTIES, GRANT_KEY, role_of
from kg.store import Store, StoreConfig, open_store
from kg.store.layout import StoreLayout


@dataclass(frozen=True, order=True)
class RelationshipId:
    """What tells two relationships apart: ends, type, and a grant's key (else None)."""

    start: str
    type: str
    end: str
    key: str | None

    def to_json(self) -> dict[str, Any]:
        return {"from": self.start, "type": self.type, "to": self.end, "key": self.key}

    def __str__(self) -> str:
        key = f" {self.key}" if self.key is not None else ""
        return f"{self.start} -[{self.type}{key}]-> {self.end}"


@dataclass(frozen=True)
class GraphState:
    """A graph as compared: nodes (id -> label, properties), relationships, its audit."""

    nodes: dict[str, tuple[str, dict[str, Any]]]
    relationships: set[RelationshipId]
    audit: list[CheckResult]

    def name(self, node_id: str) -> str:
        props = self.nodes.get(node_id, ("", {}))[1]
        return str(props.get("name") or node_id)


def graph_state(store: Store, lang: str = "en") -> GraphState:
    """The nodes, relationships and audit of the graph in ``store``."""
    nodes = {node_id: (label, props) for node_id, label, props in node_rows(store)}
    relationships = {
        RelationshipId(start, rel_type, end, props.get(GRANT_KEY))
        for start, rel_type, end, props in relationship_rows(store)
    }
    return GraphState(nodes, relationships, audit.run_audit(store, lang=lang))


def is_store(path: Path) -> bool:
    """Whether ``path`` is an embedded store directory (not a dataset)."""
    return StoreLayout(path).holds_store()


@contextmanager
def opened(source: str) -> Iterator[Store]:
    """``source`` as a store to read: an embedded store directory, opened read-only, or a
    dataset (a folder, a workbook or a bundled dataset's name) loaded into a throwaway
    store in a temporary directory, which is closed and removed afterwards."""
    path = Path(source)
    if is_store(path):
        with open_store(StoreConfig(path=path)) as store:
            yield store
        return
    with (
        bundled.dataset_paths((source,)) as paths,
        tempfile.TemporaryDirectory(prefix="kg-diff-") as scratch,
    ):
        if not paths[0].exists():
            raise QueryError(say("refusals.no_dataset_or_store", source=source))
        with open_store(StoreConfig(path=Path(scratch) / "store"), write=True) as store:
            load(store, paths)
            yield store


@dataclass(frozen=True)
class PropertyChange:
    """A node's property (or label) that differs: ``None`` where it is unset."""

    id: str
    property: str
    old: Any
    new: Any


@dataclass(frozen=True)
class GraphDiff:
    """What changed from graph A to graph B: ``kg diff``."""

    nodes_added: list[str]
    nodes_removed: list[str]
    properties: list[PropertyChange]
    added: list[RelationshipId]
    removed: list[RelationshipId]
    responsibilities: list[str]
    """The chart's changes in words."""
    audit: AuditDelta

    @property
    def differ(self) -> bool:
        """Whether the graphs differ at all."""
        return bool(
            self.nodes_added or self.nodes_removed or self.properties or self.added or self.removed
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "nodes": {
                "added": self.nodes_added,
                "removed": self.nodes_removed,
                "changed": [
                    {"id": c.id, "property": c.property, "old": c.old, "new": c.new}
                    for c in self.properties
                ],
            },
            "relationships": {
                "added": [r.to_json() for r in self.added],
                "removed": [r.to_json() for r in self.removed],
            },
            "audit": self.audit.to_json(),
        }

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """One row per change of the graph."""
        rows: list[list[Any]] = [
            *(["node added", n, None, None, None] for n in self.nodes_added),
            *(["node removed", n, None, None, None] for n in self.nodes_removed),
            *(["property changed", c.id, c.property, c.old, c.new] for c in self.properties),
            *(["relationship added", str(r), None, None, None] for r in self.added),
            *(["relationship removed", str(r), None, None, None] for r in self.removed),
        ]
        return ["change", "id", "property", "old", "new"], rows

    def sections(self) -> list[Section]:
        words = catalogue(self.audit.lang)["changes"]
        parts = [
            Section(title=words[key].format(count=len(items)), items=items)
            for key, items in (
                ("nodes_added", self.nodes_added),
                ("nodes_removed", self.nodes_removed),
            )
            if items
        ]
        if self.properties:
            parts.append(
                Section(
                    title=words["properties_changed"].format(count=len(self.properties)),
                    columns=["id", words["property"], words["old"], words["new_value"]],
                    rows=[[c.id, c.property, c.old, c.new] for c in self.properties],
                )
            )
        parts.extend(
            Section(title=words[key].format(count=len(rels)), items=[str(r) for r in rels])
            for key, rels in (
                ("relationships_added", self.added),
                ("relationships_removed", self.removed),
            )
            if rels
        )
        if self.responsibilities:
            parts.append(Section(title=words["chart"], items=self.responsibilities))
        if not self.differ:
            parts.append(Section(notes=[words["same"]]))
        return [*parts, *self.audit.sections()]


def compare_graphs(a: GraphState, b: GraphState, lang: str = "en") -> GraphDiff:
    """What changed from ``a`` to ``b``, with ``b``'s audit against ``a``'s."""
    changed = []
    for node_id in sorted(a.nodes.keys() & b.nodes.keys()):
        (old_label, old), (new_label, new) = a.nodes[node_id], b.nodes[node_id]
        if old_label != new_label:
            changed.append(PropertyChange(node_id, "label", old_label, new_label))
        derived = _DERIVED.get(new_label, ())  # they follow the ones shown
        changed.extend(
            PropertyChange(node_id, name, old.get(name), new.get(name))
            for name in sorted(old.keys() | new.keys())
            if old.get(name) != new.get(name) and name not in derived
        )
    added = sorted(b.relationships - a.relationships)
    removed = sorted(a.relationships - b.relationships)
    return GraphDiff(
        nodes_added=sorted(b.nodes.keys() - a.nodes.keys()),
        nodes_removed=sorted(a.nodes.keys() - b.nodes.keys()),
        properties=changed,
        added=added,
        removed=removed,
        responsibilities=responsibility_changes(a, b, added, removed, lang),
        audit=compare(baseline_of(a.audit), b.audit, lang),
    )


_DERIVED: dict[str, frozenset[str]] = {
    label.value: frozenset(names) for label, names in DERIVED_PROPERTIES.items()
}
"""The properties a load derives, by label (as the store names it)."""


def responsibility_changes(
    a: GraphState,
    b: GraphState,
    added: Sequence[RelationshipId],
    removed: Sequence[RelationshipId],
    lang: str = "en",
) -> list[str]:
    """The chart's changes in words: who became or is no longer R, A, C or I for what,
    and a role that passed from one actor to another as moved."""
    words = catalogue(lang)["changes"]
    gained: dict[tuple[str, str], list[str]] = defaultdict(list)
    lost: dict[tuple[str, str], list[str]] = defaultdict(list)
    for rels, into in ((added, gained), (removed, lost)):
        for rel in rels:
            role = role_of(rel.type)
            if role is not None:
                into[rel.end, role.value].append(rel.start)
    sentences = []
    for activity, letter in sorted(gained.keys() | lost.keys()):
        role = words["roles"][letter]
        to, since = gained.get((activity, letter), []), lost.get((activity, letter), [])
        name = b.name(activity) if activity in b.nodes else a.name(activity)
        if len(to) == 1 and len(since) == 1:
            sentences.append(
                words["moved"].format(
                    role=role, activity=name, old=a.name(since[0]), new=b.name(to[0])
                )
            )
            continue
        sentences.extend(
            words["became"].format(actor=b.name(actor), role=role, activity=name) for actor in to
        )
        sentences.extend(
            words["no_longer"].format(actor=a.name(actor), role=role, activity=name)
            for actor in since
        )
    return sentences


def diff(a: str, b: str, lang: str = "en") -> GraphDiff:
    """Compare ``a`` and ``b``, each an embedded store directory or a dataset (a folder,
    a workbook, or a bundled dataset's name): ``kg diff``."""
    with opened(a) as store:
        before = graph_state(store, lang)
    with opened(b) as store:
        after = graph_state(store, lang)
    return compare_graphs(before, after, lang)

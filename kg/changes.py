"""Change over time: an audit against a baseline, the difference between two graphs, and
what a scenario would change.

An audit compared with an earlier one (``kg audit --baseline OLD.json``) marks each
finding ``new`` or ``unchanged`` and lists the earlier findings no longer found as
``resolved``. A finding is known by its check and subject, and for the checks whose
related nodes are part of the gap (``IDENTIFIED_WITH_RELATED``) by those too: two
accountable actors for an activity is another finding than three.

``diff`` compares two graphs, each a dataset (read into a throwaway store) or an
embedded store directory: the nodes and relationships added, removed and changed, the
responsibility chart's changes in words, and the audit of B against the audit of A.

``whatif`` applies a scenario (actors withdrawn, links removed or added, roles given) to
a scratch copy of the store's graph (``Store.scratch``: never saved) and compares the
copy's audit with the store's.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from kg import audit, bundled, queries
from kg.audit import CheckResult
from kg.errors import DatasetError, Problem, QueryError
from kg.graph import node_rows, relationship_rows
from kg.loaders import load
from kg.loaders.csv_table import Table
from kg.loaders.references import Index, References
from kg.output import Section
from kg.queries import Severity
from kg.resolve import resolve
from kg.schema.graph import GraphData, KnownNode
from kg.schema.model import GRANT_KEY, Label, RelType, endpoints, role_of
from kg.store import Store, StoreConfig, open_store
from kg.store.cypher_writes import statements

IDENTIFIED_WITH_RELATED = frozenset(
    {"activity.multiple_accountable", "zone.focus_without_sentra", "activity.split_role"}
)
"""Checks whose findings are told apart by their related ids as well as their subject."""


class Status(StrEnum):
    """A finding's status against the baseline."""

    NEW = "new"
    UNCHANGED = "unchanged"
    RESOLVED = "resolved"


STATUSES = tuple(Status)
"""In the order reports show them: new first."""


@dataclass(frozen=True)
class PastFinding:
    """A finding of the baseline: what its JSON holds."""

    subject: str
    related: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class PastCheck:
    """One check's entry in the baseline."""

    id: str
    title: str
    severity: str
    findings: list[PastFinding]


@dataclass(frozen=True)
class Baseline:
    """An earlier audit, as ``kg audit --format json`` wrote it."""

    checks: list[PastCheck]


def read_baseline(path: Path) -> Baseline:
    """The audit JSON at ``path``; ``QueryError`` naming what is wrong if it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read the baseline {path}: {exc}") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise QueryError(
            f"{path} is not an audit in JSON (kg audit --format json): not JSON ({exc.msg}, "
            f"line {exc.lineno})"
        ) from None
    return baseline_from_json(document, str(path))


def baseline_from_json(document: Any, name: str = "the baseline") -> Baseline:
    """An audit JSON document (``AuditReport.to_json``) as a ``Baseline``."""

    def refuse(what: str) -> QueryError:
        return QueryError(f"{name} is not an audit in JSON (kg audit --format json): {what}")

    if not isinstance(document, dict) or not isinstance(document.get("checks"), list):
        raise refuse('it has no "checks" list')
    checks = []
    for number, entry in enumerate(document["checks"], start=1):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("id"), str)
            and isinstance(entry.get("findings"), list)
        ):
            raise refuse(f'check {number} lacks an "id" or its "findings"')
        findings = []
        for finding in entry["findings"]:
            related = finding.get("related", []) if isinstance(finding, dict) else None
            if not (
                isinstance(finding, dict)
                and isinstance(finding.get("subject"), str)
                and isinstance(related, list)
                and all(isinstance(r, str) for r in related)
            ):
                raise refuse(f"a finding of {entry['id']} lacks a subject or its related ids")
            findings.append(
                PastFinding(finding["subject"], tuple(related), str(finding.get("message", "")))
            )
        checks.append(
            PastCheck(
                entry["id"],
                str(entry.get("title", entry["id"])),
                str(entry.get("severity", "")),
                findings,
            )
        )
    return Baseline(checks)


def baseline_of(results: Sequence[CheckResult]) -> Baseline:
    """An audit just run, as the baseline of another."""
    return Baseline(
        [
            PastCheck(
                r.id,
                r.title,
                r.severity.value,
                [PastFinding(f.subject, tuple(f.related), f.message) for f in r.findings],
            )
            for r in results
        ]
    )


@dataclass(frozen=True)
class ComparedFinding:
    """A finding with its status; a resolved one is worded as the baseline had it."""

    status: Status
    subject: str
    related: list[str]
    message: str


@dataclass(frozen=True)
class CheckDelta:
    """One check: what it finds now (``count``), and every finding with its status."""

    id: str
    title: str
    severity: Severity
    count: int
    findings: list[ComparedFinding]

    def counts(self) -> dict[str, int]:
        """Findings per status."""
        counted = dict.fromkeys(STATUSES, 0)
        for finding in self.findings:
            counted[finding.status] += 1
        return {status.value: n for status, n in counted.items()}


@dataclass(frozen=True)
class AuditDelta:
    """An audit compared with its baseline: ``kg audit --baseline``."""

    checks: list[CheckDelta]
    warnings: list[str]
    lang: str = "en"

    def counts(self) -> dict[str, int]:
        """Findings per status over all checks."""
        total = dict.fromkeys((s.value for s in STATUSES), 0)
        for check in self.checks:
            for status, n in check.counts().items():
                total[status] += n
        return total

    def failed(self, fail_on: str) -> bool:
        """Whether a new finding is at or above ``fail_on`` (the earlier ones are known)."""
        if fail_on == "never":
            return False
        floor = Severity(fail_on).rank
        return any(
            check.severity.rank >= floor and check.counts()[Status.NEW] for check in self.checks
        )

    def to_json(self) -> dict[str, Any]:
        """The audit's JSON, each finding with its ``status``, and a ``baseline`` block."""
        return {
            "checks": [
                {
                    "id": c.id,
                    "title": c.title,
                    "severity": c.severity.value,
                    "count": c.count,
                    "findings": [
                        {
                            "subject": f.subject,
                            "related": f.related,
                            "message": f.message,
                            "status": f.status.value,
                        }
                        for f in c.findings
                    ],
                }
                for c in self.checks
            ],
            "baseline": {
                **self.counts(),
                "checks": {c.id: c.counts() for c in self.checks},
                "warnings": self.warnings,
            },
        }

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """One row per finding, new ones first."""
        columns = ["status", "check", "severity", "subject", "related", "message"]
        return columns, [
            [f.status.value, c.id, c.severity.value, f.subject, f.related, f.message]
            for status in STATUSES
            for c in self.checks
            for f in c.findings
            if f.status is status
        ]

    def sections(self) -> list[Section]:
        """A table of the findings per status (new first), then the counts per check."""
        words = audit.catalogue(self.lang)["changes"]
        severities = audit.catalogue(self.lang)["report"]
        parts = []
        for status in STATUSES:
            rows = [
                [c.id, severities[c.severity.value], f.subject, f.message]
                for c in self.checks
                for f in c.findings
                if f.status is status
            ]
            if rows:
                parts.append(
                    Section(
                        title=words[f"{status.value}_title"].format(count=len(rows)),
                        columns=[
                            words["check"],
                            words["severity"],
                            words["subject"],
                            words["message"],
                        ],
                        rows=rows,
                    )
                )
        counted = self.counts()
        per_check = [
            [c.id, severities[c.severity.value], c.count, *c.counts().values()] for c in self.checks
        ]
        parts.append(
            Section(
                columns=[
                    words["check"],
                    words["severity"],
                    words["now"],
                    *(words[s.value] for s in STATUSES),
                ],
                rows=per_check,
                notes=[
                    words["summary"].format(**counted, checks=len(self.checks)),
                    *(words["warning"].format(text=w) for w in self.warnings),
                ],
            )
        )
        return parts


def _identity(check: str, subject: str, related: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    return subject, tuple(sorted(related)) if check in IDENTIFIED_WITH_RELATED else ()


def compare(baseline: Baseline, results: Sequence[CheckResult], lang: str = "en") -> AuditDelta:
    """The findings of ``results`` marked new or unchanged against ``baseline``, and the
    baseline's findings no longer found, as resolved.

    Only the checks run now are compared: a baseline check this version does not have
    is left out with a warning; one it has but did not run now (``--check``) is left out.
    A check the baseline lacks has only new findings.
    """
    known = set(audit.check_ids())
    past = {check.id: check for check in baseline.checks}
    warnings = [
        f"the baseline's check {check.id} is not one this version runs; its "
        f"{len(check.findings)} findings are left out of the comparison"
        for check in baseline.checks
        if check.id not in known
    ]
    compared = []
    for result in results:
        earlier: dict[tuple[str, tuple[str, ...]], list[PastFinding]] = defaultdict(list)
        for old in past[result.id].findings if result.id in past else []:
            earlier[_identity(result.id, old.subject, old.related)].append(old)
        findings: dict[Status, list[ComparedFinding]] = {s: [] for s in STATUSES}
        for finding in result.findings:
            matches = earlier.get(_identity(result.id, finding.subject, finding.related))
            status = Status.UNCHANGED if matches else Status.NEW
            if matches:
                matches.pop()
            findings[status].append(
                ComparedFinding(status, finding.subject, list(finding.related), finding.message)
            )
        for olds in earlier.values():
            findings[Status.RESOLVED].extend(
                ComparedFinding(Status.RESOLVED, old.subject, list(old.related), old.message)
                for old in olds
            )
        findings[Status.RESOLVED].sort(key=lambda f: (f.subject, f.related))
        compared.append(
            CheckDelta(
                result.id,
                result.title,
                result.severity,
                result.count,
                [f for status in STATUSES for f in findings[status]],
            )
        )
    return AuditDelta(compared, warnings, lang)


# -- two graphs ------------------------------------------------------------------


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
    from kg.store.embedded import DB_FILE

    return path.is_dir() and ((path / DB_FILE).is_file() or (path / "lock").is_file())


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
        bundled.resolve((source,)) as paths,
        tempfile.TemporaryDirectory(prefix="kg-diff-") as scratch,
    ):
        if not paths[0].exists():
            raise QueryError(f"{source}: no such dataset or store")
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
        words = audit.catalogue(self.audit.lang)["changes"]
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
        changed.extend(
            PropertyChange(node_id, name, old.get(name), new.get(name))
            for name in sorted(old.keys() | new.keys())
            if old.get(name) != new.get(name)
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


def responsibility_changes(
    a: GraphState,
    b: GraphState,
    added: Sequence[RelationshipId],
    removed: Sequence[RelationshipId],
    lang: str = "en",
) -> list[str]:
    """The chart's changes in words: who became or is no longer R, A, C or I for what,
    and a role that passed from one actor to another as moved."""
    words = audit.catalogue(lang)["changes"]
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


# -- what if ---------------------------------------------------------------------


Link = tuple[str, str, str]
"""(from, type, to) as ``links.csv`` has them; (activity, actor, letter) for a role."""


@dataclass(frozen=True)
class Scenario:
    """Changes to try on a copy: ``kg whatif``'s options, applied in this order."""

    without: tuple[str, ...] = ()
    """Node ids to remove with their relationships."""
    without_links: tuple[Link, ...] = ()
    """(from, type, to): the relationships to remove (every grant, for FUNDS)."""
    with_links: tuple[Link, ...] = ()
    """(from, type, to) to add, read as rows of ``links.csv``."""
    with_roles: tuple[Link, ...] = ()
    """(activity, actor, letter) to add, read as rows of ``responsibilities.csv``."""


# Write statements are built here rather than kept as query files: the query files are
# the read-only queries every store runs (tests/test_queries.py runs each through
# ``Store.run``). Labels and types come from kg.schema, values are parameters.
_REMOVE_NODE = "MATCH (n:{label} {{id: $id}}) DETACH DELETE n"
_REMOVE_LINK = (
    "MATCH (a:{start} {{id: $start}})-[r:{type}]->(b:{end} {{id: $end}}) "
    "DELETE r RETURN count(*) AS removed"
)


def apply_scenario(copy: Store, scenario: Scenario) -> None:
    """Make the changes of ``scenario`` in ``copy`` (a scratch copy: ``Store.scratch``).

    Raises ``QueryError`` for a node or relationship to remove that is not there, and
    ``DatasetError`` for links and roles to add that a dataset would have refused.
    """
    for reference in scenario.without:
        try:
            node_id = resolve(copy, reference, None)
        except QueryError as exc:
            raise QueryError(f"--without {reference}: {exc}") from None
        rows = queries.run(copy, "node_properties", {"id": node_id}).rows
        copy.execute(_REMOVE_NODE.format(label=Label(rows[0][0])), {"id": node_id})
    for start, type_text, end in scenario.without_links:
        try:
            rel_type = RelType(type_text.strip().upper())
        except ValueError:
            raise QueryError(
                f"--without-link {start},{type_text},{end}: unknown type "
                f"{type_text!r}; types are: {', '.join(RelType)}"
            ) from None
        start_label, end_label = endpoints(rel_type)
        try:
            start, end = resolve(copy, start, start_label), resolve(copy, end, end_label)
        except QueryError as exc:
            raise QueryError(f"--without-link {start},{type_text},{end}: {exc}") from None
        query = _REMOVE_LINK.format(start=start_label, type=rel_type, end=end_label)
        if not copy.execute(query, {"start": start, "end": end}).scalar():
            raise QueryError(
                f"--without-link {start},{type_text},{end}: the graph holds no such relationship"
            )
    if scenario.with_links or scenario.with_roles:
        copy.write(statements(_additions(copy, scenario), fresh=False))


def _additions(copy: Store, scenario: Scenario) -> GraphData:
    """The links and roles to add, read and checked as the rows of a dataset's files."""
    graph = GraphData()
    problems: list[Problem] = []
    known = {
        node_id: KnownNode(Label(label), name)
        for node_id, label, name in queries.run(copy, "node_index").rows
        if label in Label._value2member_map_
    }
    references = References(graph, Index(known, graph.nodes), problems)
    links = Table(
        "--with-link",
        ["from", "type", "to"],
        [(n, list(link)) for n, link in enumerate(scenario.with_links, start=1)],
    )
    roles = Table(
        "--with-role",
        ["activity", "actor", "role"],
        [(n, list(role)) for n, role in enumerate(scenario.with_roles, start=1)],
    )
    references.links(links)
    references.responsibilities(roles)
    if problems:
        raise DatasetError(problems)
    return graph


def parse_link(text: str, option: str) -> Link:
    """``A,B,C`` as a triple (``--with-link`` and the like); ``QueryError`` otherwise."""
    parts = [part.strip() for part in text.split(",")]
    if len(parts) != 3 or not all(parts):
        raise QueryError(f"{option} {text!r}: expected three values separated by commas")
    return parts[0], parts[1], parts[2]


@dataclass(frozen=True)
class NetworkChange:
    """What a scenario does to the network (``kg whatif --analyze``)."""

    components_before: int
    components_after: int
    split: list[list[str]]
    """Components of the scenario's graph that were part of one larger component."""
    brokers_lost: list[str]
    """Actors that brokered government-business pairs and no longer do (or are gone)."""


def network_change(before: Any, after: Any) -> NetworkChange:
    """Compare two ``to_networkx`` graphs: components split and brokers lost."""
    from kg import analytics

    old = analytics.components(before)
    new = analytics.components(after)
    home = {node: i for i, members in enumerate(old) for node in members}
    pieces: dict[int, list[list[str]]] = defaultdict(list)
    for members in new:
        if members[0] in home:  # a node the scenario added is in no earlier component
            pieces[home[members[0]]].append(members)
    split = sorted(m for parts in pieces.values() if len(parts) > 1 for m in parts)
    measures_before = analytics.actor_measures(before)
    measures_after = analytics.actor_measures(after)
    lost = sorted(
        actor
        for actor, m in measures_before.items()
        if m["brokerage"] and not measures_after.get(actor, {"brokerage": 0})["brokerage"]
    )
    return NetworkChange(len(old), len(new), split, lost)


@dataclass(frozen=True)
class WhatIf:
    """A scenario's audit against the store's (``kg whatif``), and with ``--analyze``
    what it does to the network."""

    audit: AuditDelta
    network: NetworkChange | None = None

    def to_json(self) -> dict[str, Any]:
        document = self.audit.to_json()
        if self.network is not None:
            document["network"] = {
                "components": {
                    "before": self.network.components_before,
                    "after": self.network.components_after,
                },
                "split": self.network.split,
                "brokers_lost": self.network.brokers_lost,
            }
        return document

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return self.audit.table()

    def sections(self) -> list[Section]:
        parts = self.audit.sections()
        if self.network is None:
            return parts
        words = audit.catalogue(self.audit.lang)["changes"]
        network = self.network
        return [
            *parts,
            Section(
                title=words["network"],
                items=[
                    words["components"].format(
                        before=network.components_before, after=network.components_after
                    ),
                    *(words["split"].format(nodes=", ".join(m)) for m in network.split),
                    words["brokers_lost"].format(actors=", ".join(network.brokers_lost) or "-"),
                ],
            ),
        ]


def whatif(store: Store, scenario: Scenario, *, analyze: bool = False, lang: str = "en") -> WhatIf:
    """Apply ``scenario`` to a scratch copy of ``store``'s graph and compare the copy's
    audit with the store's (which stays as it is: the copy is never saved)."""
    before = audit.run_audit(store, lang=lang)
    graphs: list[Any] = []
    if analyze:
        from kg.graph import to_networkx

        graphs.append(to_networkx(store))
    with store.scratch() as copy:
        apply_scenario(copy, scenario)
        after = audit.run_audit(copy, lang=lang)
        if analyze:
            graphs.append(to_networkx(copy))
    delta = compare(baseline_of(before), after, lang)
    return WhatIf(delta, network_change(*graphs) if analyze else None)


# -- single points of failure ----------------------------------------------------

WITHDRAWAL_CHECKS = (
    "activity.no_responsible",
    "activity.no_accountable",
    "activity.multiple_accountable",
)
"""The error checks whose new findings an actor's withdrawal can cause, which
``withdrawal_impact`` predicts; the others (``kecamatan.unzoned``) hold no actor."""


@dataclass(frozen=True)
class ActorImpact:
    """What withdrawing one actor would cause: new error findings, sentra left unfunded."""

    id: str
    name: str
    findings: list[tuple[str, str]]
    """(check, activity) of every new error finding, by check then activity."""
    unfunded: list[str]
    """Sentra it alone funds."""

    @property
    def errors(self) -> int:
        return len(self.findings)


@dataclass(frozen=True)
class CriticalActors:
    """The single points of failure: actors ranked by the new errors their withdrawal
    would cause, then by the sentra it would leave unfunded (``kg analyze --critical``)."""

    actors: list[ActorImpact]
    candidates: int
    """Actors weighed: those holding an R or an A or funding a sentra."""
    lang: str = "en"

    def to_json(self) -> dict[str, Any]:
        return {
            "candidates": self.candidates,
            "checks": list(WITHDRAWAL_CHECKS),
            "actors": [
                {
                    "id": a.id,
                    "name": a.name,
                    "errors": a.errors,
                    "findings": [{"check": c, "subject": s} for c, s in a.findings],
                    "unfunded": a.unfunded,
                }
                for a in self.actors
            ],
        }

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """One row per actor: its new errors per check and the sentra it alone funds, as
        counts (the JSON lists them; ``kg whatif --without ID`` shows them)."""
        columns = ["rank", "actor", "name", "errors", *WITHDRAWAL_CHECKS, "unfunded"]
        return columns, [
            [
                rank,
                a.id,
                a.name,
                a.errors,
                *(sum(1 for c, _ in a.findings if c == check) for check in WITHDRAWAL_CHECKS),
                len(a.unfunded),
            ]
            for rank, a in enumerate(self.actors, start=1)
        ]

    def sections(self) -> list[Section]:
        words = audit.catalogue(self.lang)["changes"]
        columns, rows = self.table()
        return [
            Section(
                title=words["critical_title"].format(
                    shown=len(self.actors), candidates=self.candidates
                ),
                columns=columns,
                rows=rows,
                notes=[words["critical_note"]],
            )
        ]


def critical_actors(store: Store, top: int = 10, lang: str = "en") -> CriticalActors:
    """Rank the actors whose withdrawal would cause the most new error findings.

    Computed with three queries over the whole graph, not a copy per actor: an actor's
    new errors are the activities where it is the only R or the only A, or one of three
    or more A (the multiple-A finding then names other actors); ``whatif`` with
    ``--without`` gives the same, one actor at a time (a test holds them equal).
    Actors that cause nothing and fund no sentra alone are left out; ``top`` bounds
    how many are listed, not the work, which is one pass over the R, A and FUNDS
    relationships.
    """
    impacts: dict[str, ActorImpact] = {}

    def impact(actor: str, name: str | None) -> ActorImpact:
        if actor not in impacts:
            impacts[actor] = ActorImpact(actor, name or actor, [], [])
        return impacts[actor]

    checks = {("R", 1): "activity.no_responsible", ("A", 1): "activity.no_accountable"}
    for actor, name, activity, role, holders in queries.run(store, "withdrawal_impact").rows:
        check = checks.get((role, holders), "activity.multiple_accountable")
        impact(actor, name).findings.append((check, activity))
    for actor, name, sentra, _ in queries.run(store, "withdrawal_sole_funder").rows:
        impact(actor, name).unfunded.append(sentra)
    candidates = len(queries.run(store, "withdrawal_candidates").rows)
    order = {check: i for i, check in enumerate(WITHDRAWAL_CHECKS)}
    for entry in impacts.values():
        entry.findings.sort(key=lambda f: (order[f[0]], f[1]))
    ranked = sorted(impacts.values(), key=lambda a: (-a.errors, -len(a.unfunded), a.id))
    return CriticalActors(ranked[:top], candidates, lang)

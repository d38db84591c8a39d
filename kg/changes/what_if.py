"""What a scenario would change (``kg whatif``).

A ``Scenario`` (actors withdrawn, links removed or added, roles given) is applied to a
scratch copy of the store's graph (``Store.scratch``: never saved) by
``apply_scenario``; ``whatif`` compares the copy's audit with the store's
(``kg.changes.baseline``) and, with ``--analyze``, the network before and after: the
components the scenario splits and the brokers it loses (``network_change``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from kg import audit, queries
from kg.catalogue import catalogue, say
from kg.changes.baseline import AuditDelta, baseline_of, compare
from kg.errors import DatasetError, Problem, QueryError
from kg.loaders.csv_table import Table
from kg.loaders.references import Index, References
from kg.output import Section
from kg.resolve import resolve
from kg.schema.graph import GraphData, KnownNode
from kg.schema.model import Label, RelType, endpoints
from kg.store import Store
from kg.store.cypher_writes import statements

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
            raise QueryError(say("refusals.without", reference=reference,
                                 reason=exc.args[0])) from None
        rows = queries.run(copy, "node_properties", {"id": node_id}).rows
        copy.execute(_REMOVE_NODE.format(label=Label(rows[0][0])), {"id": node_id})
    for start, type_text, end in scenario.without_links:
        try:
            rel_type = RelType(type_text.strip().upper())
        except ValueError:
            raise QueryError(say("refusals.without_link", start=start, type=type_text, end=end,
                                 reason=say("refusals.unknown_type", type=type_text,
                                            types=", ".join(RelType)))) from None
        start_label, end_label = endpoints(rel_type)
        try:
            start, end = resolve(copy, start, start_label), resolve(copy, end, end_label)
        except QueryError as exc:
            raise QueryError(say("refusals.without_link", start=start, type=type_text, end=end,
                                 reason=exc.args[0])) from None
        query = _REMOVE_LINK.format(start=start_label, type=rel_type, end=end_label)
        if not copy.execute(query, {"start": start, "end": end}).scalar():
            raise QueryError(say("refusals.without_link", start=start, type=type_text, end=end,
                                 reason=say("refusals.no_such_link")))
    if scenario.with_links or scenario.with_roles:
        copy.write(statements(_additions(copy, scenario), fresh=False))


def _additions(copy: Store, scenario: Scenario) -> GraphData:
    """The links and roles to add, read and checked as the rows of a dataset's files."""
    graph = GraphData()
    problems: list[Problem] = []
    known = {
        node_id: KnownNode(Label(label), name)
        for node_id, label, name in queries.run(copy, "node_index").rows
        if label in Label
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
        raise QueryError(say("refusals.not_a_triple", option=option, text=text))
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
        words = catalogue(self.audit.lang)["changes"]
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

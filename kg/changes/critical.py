"""The single points of failure (``kg analyze --critical``): the actors whose withdrawal
would cause the most new error findings, and the sentra they alone fund.

``critical_actors`` ranks them from three queries over the whole graph
(``withdrawal_impact``, ``withdrawal_sole_funder``, ``withdrawal_candidates``), not from
a scratch copy per actor; ``kg whatif --without ID`` (``kg.changes.what_if``) shows the
same new findings for one actor at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg import queries
from kg.catalogue import catalogue
from kg.output import Section
from kg.store import Store

WITHDRAWAL_CHECKS = (
    "activity.no_responsible",
    "activity.no_accountable",
    "activity.multiple_accountable",
)
"""The error checks whose new findings an actor's withdrawal can cause, which
``withdrawal_impact`` predicts; no withdrawal causes the others (``kecamatan.unzoned``
holds no actor, ``activity.overdue`` and ``commitment.overdue`` follow from dates)."""


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
        words = catalogue(self.lang)["changes"]
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

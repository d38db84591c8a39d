"""Business matchmaking (the sources' *Temu Bisnis*): who should meet whom.

Four named queries do the graph work (``match_supply_partners``, ``match_markets``,
``match_supporters``, ``match_financiers``); this module merges their rows into one
suggestion per (sentra, kind, partner), scored as ``weight x evidence``: the kind's
weight times the number of distinct paths that justify it. Weights rank what the
sources ask for first: trading partners in the supply chain, then new markets and
trainers, then funders.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from kg import queries
from kg.catalogue import words
from kg.output import Section
from kg.resolve import resolve
from kg.schema.model import Label
from kg.store import Store

WEIGHTS = {"supplier": 3, "buyer": 3, "market": 2, "trainer": 2, "funder": 1, "financier": 1}
QUERIES = ("match_supply_partners", "match_markets", "match_supporters", "match_financiers")

REASONS = words("en", "match.reasons")
"""Why each kind of partner is suggested (other languages: ``words(lang, "match.reasons")``)."""


@dataclass(frozen=True)
class Suggestion:
    sentra: str
    sentra_name: str
    kind: str
    partner: str
    partner_name: str
    score: int
    reason: str
    path: list[str]


@dataclass(frozen=True)
class MatchReport:
    """Suggestions as ``kg match`` shows them: in text each path is one line of words."""

    suggestions: list[Suggestion]
    lang: str = "en"
    """The language of ``sections``: kinds and reasons; JSON and CSV keep English."""

    def to_json(self) -> list[dict[str, Any]]:
        return [asdict(s) for s in self.suggestions]

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """One row per suggestion, its path joined by spaces."""
        columns = [
            "sentra", "sentra_name", "kind", "partner", "partner_name", "score", "reason", "path",
        ]
        rows: list[list[Any]] = [
            [s.sentra, s.sentra_name, s.kind, s.partner, s.partner_name, s.score, s.reason,
             " ".join(s.path)]
            for s in self.suggestions
        ]
        return columns, rows

    def sections(self) -> list[Section]:
        columns, rows = self.table()
        kinds, reasons = words(self.lang, "match.kinds"), words(self.lang, "match.reasons")
        kind, reason = columns.index("kind"), columns.index("reason")
        for row, suggestion in zip(rows, self.suggestions, strict=True):
            row[kind], row[reason] = kinds[suggestion.kind], reasons[suggestion.kind]
        return [Section(columns=columns, rows=rows)]


def suggestions(store: Store, sentra: str | None = None) -> list[Suggestion]:
    """Suggestions for every sentra (or one), best first within each sentra."""
    if sentra is not None:
        sentra = resolve(store, sentra, Label.SENTRA)
    evidence: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for name in QUERIES:
        for row in queries.run(store, name, {"sentra": sentra}).records():
            key = (str(row["sentra"]), str(row["kind"]), str(row["partner"]))
            evidence.setdefault(key, []).append(row)
    found = []
    for (sentra_id, kind, partner), rows in evidence.items():
        paths = sorted(
            {
                tuple(str(p) for p in row["path"])
                for row in rows
            },
            key=lambda p: (len(p), p),
        )
        first = rows[0]
        found.append(
            Suggestion(
                sentra_id,
                str(first["sentra_name"]),
                kind,
                partner,
                str(first["partner_name"]),
                WEIGHTS[kind] * len(paths),
                REASONS[kind],
                list(paths[0]),
            )
        )
    return sorted(found, key=lambda s: (s.sentra, -s.score, s.kind, s.partner))

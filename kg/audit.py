"""Gap audit: run the check queries, turn their rows into findings with messages.

A check is a query file whose header has ``check:`` and ``severity:`` (see
``kg.queries``). Titles and messages come from a catalogue per language
(``kg/locale/<lang>.toml``), keyed by check id, so a translation never touches a check.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Any

from kg import queries
from kg.errors import QueryError
from kg.store import Store


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1}[self.value]


FAIL_ON = ("error", "warning", "never")
LANGUAGES = ("en", "id")


@dataclass(frozen=True)
class Finding:
    """One gap: the node it is about, the nodes involved, and a readable message."""

    subject: str
    subject_name: str | None
    related: list[str]
    related_names: list[str]
    message: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    severity: Severity
    findings: list[Finding]

    @property
    def count(self) -> int:
        return len(self.findings)


def check_ids() -> list[str]:
    """Every check id, errors first, then by id."""
    return [q.check for q in _ordered_checks() if q.check is not None]


def _ordered_checks() -> list[queries.NamedQuery]:
    return sorted(
        queries.checks().values(),
        key=lambda q: (-Severity(q.severity or "warning").rank, q.check or ""),
    )


def thresholds() -> dict[str, queries.Param]:
    """The tunable parameters of all checks, by parameter name."""
    return {p.name: p for q in queries.checks().values() for p in q.params}


def run_audit(
    store: Store,
    only: Sequence[str] = (),
    params: Mapping[str, Any] | None = None,
    lang: str = "en",
) -> list[CheckResult]:
    """Run the checks (``only`` those ids, if given) and return their findings.

    ``params`` sets thresholds by parameter name (``occupancy_below``,
    ``government_share``); each check receives the ones it declares.
    """
    catalogue = _catalogue(lang)
    known = check_ids()
    unknown = [c for c in only if c not in known]
    if unknown:
        raise QueryError(f"unknown check {', '.join(unknown)}; checks are: {', '.join(known)}")
    params = dict(params or {})
    declared = thresholds()
    for name in params:
        if name not in declared:
            raise QueryError(f"no check takes a parameter {name!r}")
    results = []
    for query in _ordered_checks():
        assert query.check is not None and query.severity is not None
        if only and query.check not in only:
            continue
        own = {p.name: params[p.name] for p in query.params if p.name in params}
        rows = store.run(query.text, query.bind(own)).records()
        entry = catalogue[query.check]
        findings = sorted(
            (_finding(row, entry["message"], catalogue.get("values", {})) for row in rows),
            key=lambda f: (f.subject, f.related),
        )
        results.append(CheckResult(query.check, entry["title"], Severity(query.severity), findings))
    return results


def _finding(row: dict[str, Any], template: str, words: Mapping[str, str]) -> Finding:
    pairs = sorted(zip(row.get("related") or [], row.get("related_names") or [], strict=True))
    related = [p[0] for p in pairs]
    names = [p[1] or p[0] for p in pairs]
    values = {
        k: v
        for k, v in row.items()
        if k not in {"subject", "subject_name", "related", "related_names"}
    }
    context = {
        **{k: words.get(v, v) if isinstance(v, str) else v for k, v in values.items()},
        "subject": row["subject"],
        "subject_name": row.get("subject_name") or row["subject"],
        "related_list": ", ".join(names) or "-",
        "related_count": len(related),
    }
    return Finding(
        row["subject"],
        row.get("subject_name"),
        related,
        names,
        template.format_map(context),
        values,
    )


@cache
def _catalogue(lang: str) -> dict[str, Any]:
    if lang not in LANGUAGES:
        raise QueryError(f"no message catalogue for {lang!r}; available: {', '.join(LANGUAGES)}")
    text = files("kg").joinpath("locale", f"{lang}.toml").read_text(encoding="utf-8")
    catalogue: dict[str, Any] = tomllib.loads(text)
    missing = [c for c in check_ids() if c not in catalogue]
    if missing:
        raise QueryError(f"catalogue {lang} lacks {', '.join(missing)}")
    return catalogue


def failed(results: Sequence[CheckResult], fail_on: str) -> bool:
    """Whether any finding is at or above ``fail_on`` (error, warning, or never)."""
    if fail_on == "never":
        return False
    floor = Severity(fail_on).rank
    return any(r.findings and r.severity.rank >= floor for r in results)


def findings_by_node(results: Sequence[CheckResult]) -> dict[str, list[str]]:
    """Messages per node id: each finding's subject and related nodes, severity first."""
    found: dict[str, list[str]] = {}
    for result in results:
        for finding in result.findings:
            for node in (finding.subject, *finding.related):
                found.setdefault(node, []).append(f"[{result.severity}] {finding.message}")
    return found


def to_json(results: Sequence[CheckResult]) -> dict[str, Any]:
    """The audit as DESIGN.md's JSON contract."""
    return {
        "checks": [
            {
                "id": r.id,
                "title": r.title,
                "severity": r.severity.value,
                "count": r.count,
                "findings": [
                    {"subject": f.subject, "related": f.related, "message": f.message}
                    for f in r.findings
                ],
            }
            for r in results
        ]
    }

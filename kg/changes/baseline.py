"""An audit against its baseline (``kg audit --baseline OLD.json``): each finding new,
unchanged or resolved.

The baseline is an earlier audit's JSON (``read_baseline``, ``baseline_from_json``) or
an audit just run (``baseline_of``: how ``kg diff`` and ``kg whatif`` compare two
audits). ``compare`` marks each finding of the audit run now ``new`` or ``unchanged``
and lists the baseline's findings no longer found as ``resolved``: an ``AuditDelta``.
A finding is known by its check and subject, and for the checks whose related nodes
are part of the gap (``IDENTIFIED_WITH_RELATED``) by those too: two accountable actors
for an activity is another finding than three.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from kg import audit
from kg.audit import CheckResult
from kg.catalogue import catalogue, say
from kg.errors import QueryError
from kg.output import Section
from kg.queries import Severity

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
    except OSError as exc:
        raise QueryError(say("refusals.unreadable_baseline", path=path,
                             reason=exc.strerror or str(exc))) from None
    except UnicodeDecodeError:
        raise QueryError(say("refusals.unreadable_baseline", path=path,
                             reason=say("refusals.not_utf8"))) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise QueryError(say("refusals.not_an_audit", name=path, what=say(
            "refusals.not_json", detail=exc.msg, line=exc.lineno))) from None
    return baseline_from_json(document, str(path))


def baseline_from_json(document: Any, name: str | None = None) -> Baseline:
    """An audit JSON document (``AuditReport.to_json``) as a ``Baseline``; ``name`` names
    it in errors (default: "the baseline")."""

    def refuse(what: str) -> QueryError:
        return QueryError(say("refusals.not_an_audit", name=name or say("refusals.baseline"),
                              what=what))

    if not isinstance(document, dict) or not isinstance(document.get("checks"), list):
        raise refuse(say("refusals.no_checks"))
    checks = []
    for number, entry in enumerate(document["checks"], start=1):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("id"), str)
            and isinstance(entry.get("findings"), list)
        ):
            raise refuse(say("refusals.check_lacks", number=number))
        findings = []
        for finding in entry["findings"]:
            related = finding.get("related", []) if isinstance(finding, dict) else None
            if not (
                isinstance(finding, dict)
                and isinstance(finding.get("subject"), str)
                and isinstance(related, list)
                and all(isinstance(r, str) for r in related)
            ):
                raise refuse(say("refusals.finding_lacks", check=entry["id"]))
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
    as_of: str | None = None
    """The day audited (ISO), when the audit compared was of a day the user chose."""

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
            **({} if self.as_of is None else {audit.AS_OF: self.as_of}),
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
        words = catalogue(self.lang)["changes"]
        severities = catalogue(self.lang)["report"]
        parts = []
        if self.as_of is not None:
            parts.append(Section(notes=[severities["as_of"].format(date=self.as_of)]))
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


def compare(
    baseline: Baseline,
    results: Sequence[CheckResult],
    lang: str = "en",
    as_of: str | None = None,
) -> AuditDelta:
    """The findings of ``results`` marked new or unchanged against ``baseline``, and the
    baseline's findings no longer found, as resolved; ``as_of`` names the day audited.

    Only the checks run now are compared: a baseline check this version does not have
    is left out with a warning; one it has but did not run now (``--check``) is left out.
    A check the baseline lacks has only new findings.
    """
    known = set(audit.check_ids())
    past = {check.id: check for check in baseline.checks}
    unknown = catalogue(lang)["changes"]["unknown_check"]
    warnings = [
        unknown.format(check=check.id, count=len(check.findings))
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
    return AuditDelta(compared, warnings, lang, as_of)

"""Gap audit: run the check queries, turn their rows into findings with messages.

A check is a query file whose header has ``check:`` and ``severity:`` (see
``kg.queries``). Titles and messages come from a catalogue per language
(``kg/locale/<lang>.toml``), keyed by check id, so a translation never touches a check.

An audit is of one day (``as_of``, default today): a check that declares the parameter
``$as_of`` receives it as ISO text and counts only what was known on that day. The
boundaries, one rule for every check: a fact dated on the day counts (an engagement, an
assessment, a commitment made, a completion); one dated after it does not exist yet; a
due date or a period's end on the day is not yet past; "within N days" counts from the
day N days before the day audited to the day itself, both included. Queries compute that
first day themselves (``toString(date($as_of) - duration({days: $n}))``, which FalkorDB
and Neo4j both run alike).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from operator import attrgetter, lt
from typing import Any

from kg import queries
from kg.catalogue import Figure, catalogue, say
from kg.errors import QueryError
from kg.memory import paused_gc
from kg.output import Section
from kg.queries import Severity
from kg.store import QueryResult, Store

FAIL_ON = (*(severity.value for severity in Severity), "never")
AS_OF = "as_of"
"""The parameter by which a check receives the day audited (ISO ``YYYY-MM-DD``)."""


class Finding:
    """One gap: the node it is about, the nodes involved, and a readable message.

    The message is worded when it is first read (``message``), not when the finding is
    made: an audit of a national dataset makes half a million findings while the engine
    answers the other checks, and wording them all there cost about a third of its Python
    CPU. ``message`` may be given as text, or as the ``Wording`` of its check.
    A class of its own rather than a dataclass, for that property (a frozen dataclass
    would cost three times as much to create).
    """

    __slots__ = ("_message", "related", "related_names", "subject", "subject_name", "values")

    def __init__(
        self,
        subject: str,
        subject_name: str | None,
        related: list[str],
        related_names: list[str],
        message: str | Wording,
        values: dict[str, Any] | None = None,
    ) -> None:
        self.subject = subject
        self.subject_name = subject_name
        self.related = related
        self.related_names = related_names
        self._message = message
        self.values = {} if values is None else values

    @property
    def message(self) -> str:
        """The message, worded once (two threads reading it first word it alike)."""
        message = self._message
        if isinstance(message, str):
            return message
        text = message.word(self)
        self._message = text
        return text

    def _fields(self) -> tuple[Any, ...]:
        return (self.subject, self.subject_name, self.related, self.related_names,
                self.message, self.values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it was

    def __repr__(self) -> str:
        names = ("subject", "subject_name", "related", "related_names", "message", "values")
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._fields(), strict=True))
        return f"Finding({shown})"


@dataclass(frozen=True, slots=True)
class Wording:
    """How a check words its findings: its catalogue template, the catalogue's words for
    text values (``[values]``) and the language numbers are written in."""

    template: str
    words: Mapping[str, str]
    lang: str

    def word(self, finding: Finding) -> str:
        """The message of ``finding``: its values (text through ``words``, numbers as
        ``lang`` writes them), its subject and its related nodes filled in."""
        words, lang, values = self.words, self.lang, finding.values
        context = {k: words.get(v, v) if isinstance(v, str) else _figure(v, lang)
                   for k, v in values.items()} if values else {}
        context["subject"] = finding.subject
        context["subject_name"] = finding.subject_name or finding.subject
        context["related_list"] = ", ".join(finding.related_names) or "-"
        context["related_count"] = len(finding.related)
        return self.template.format_map(context)


@dataclass(frozen=True)
class CheckResult:
    id: str
    title: str
    severity: Severity
    findings: list[Finding]

    @property
    def count(self) -> int:
        return len(self.findings)


@dataclass(frozen=True)
class AuditReport:
    """The checks run, as ``kg audit`` shows them: per check its findings, then a summary."""

    checks: list[CheckResult]
    lang: str = "en"
    """Language of the text and Markdown report (JSON and CSV keep the contract's words)."""
    datasets: Sequence[str] = ()
    """The datasets audited, named in the Markdown report's title."""
    as_of: str = ""
    """The day audited (ISO), in the JSON, the Markdown title and the text report."""

    def to_json(self) -> dict[str, Any]:
        return {AS_OF: self.as_of, **to_json(self.checks)}

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """One row per finding."""
        columns = ["check", "severity", "subject", "related", "message"]
        rows: list[list[Any]] = [
            [r.id, r.severity.value, f.subject, f.related, f.message]
            for r in self.checks
            for f in r.findings
        ]
        return columns, rows

    def sections(self) -> list[Section]:
        """One section per check, its messages as items, then the summary."""
        words = _catalogue(self.lang)["report"]
        found = [
            Section(
                title=words["check"].format(title=r.title, id=r.id, count=r.count,
                                            severity=words[r.severity.value]),
                items=[f.message for f in r.findings],
            )
            for r in self.checks
        ]
        total = sum(r.count for r in self.checks)
        errors = sum(r.count for r in self.checks if r.severity is Severity.ERROR)
        summary = words["summary"].format(
            findings=_counted(words["findings"], total),
            errors=_counted(words["errors"], errors),
            warnings=_counted(words["warnings"], total - errors),
            checks=_counted(words["checks"], len(self.checks)),
        )
        title = words["title"].format(
            datasets=", ".join(self.datasets) or words["no_dataset"], date=self.as_of
        )
        day = Section(notes=[words["as_of"].format(date=self.as_of)], text_only=True)
        return [Section(title=title, document=True), day, *found, Section(notes=[summary])]


def _counted(forms: list[str], n: int) -> str:
    """``n`` with the catalogue's singular or plural form: ``1 finding``, ``2 findings``."""
    return forms[0 if n == 1 else 1].format(n=n)


def check_ids() -> list[str]:
    """Every check id, errors first, then by id."""
    return [q.check for q in _ordered_checks() if q.check is not None]


def _ordered_checks() -> list[queries.NamedQuery]:
    return sorted(
        queries.checks().values(),
        key=lambda q: (-(q.severity or Severity.WARNING).rank, q.check or ""),
    )


def thresholds() -> dict[str, queries.Param]:
    """The tunable parameters of all checks, by parameter name (the day audited, which
    ``run_audit`` takes as ``as_of``, is not one)."""
    return {p.name: p for q in queries.checks().values() for p in q.params if p.name != AS_OF}


def audit_day(as_of: datetime.date | str | None = None) -> str:
    """The day audited as ISO text: ``as_of`` (a date or ISO text), else today."""
    if as_of is None:
        return datetime.date.today().isoformat()
    if isinstance(as_of, datetime.date):
        return as_of.isoformat()
    try:
        return datetime.date.fromisoformat(as_of.strip()).isoformat()
    except ValueError:
        raise QueryError(say("refusals.bad_day", value=as_of)) from None


def audit_report(
    store: Store,
    only: Sequence[str] = (),
    params: Mapping[str, Any] | None = None,
    lang: str = "en",
    as_of: datetime.date | str | None = None,
) -> AuditReport:
    """Run the audit (``run_audit``) and name what it audited: the datasets loaded into
    the store and the day."""
    datasets = [name for name, _ in queries.run(store, "datasets").rows]
    day = audit_day(as_of)
    return AuditReport(run_audit(store, only, params, lang, day), lang, datasets, day)


def run_audit(
    store: Store,
    only: Sequence[str] = (),
    params: Mapping[str, Any] | None = None,
    lang: str = "en",
    as_of: datetime.date | str | None = None,
) -> list[CheckResult]:
    """Run the checks (``only`` those ids, if given) as of a day and return their findings.

    ``params`` sets thresholds by parameter name (``occupancy_below``,
    ``government_share``); each check receives the ones it declares. ``as_of`` is the
    day audited (a date or ISO text; default today), given to every check that declares
    ``$as_of``: facts dated after it do not count.
    """
    catalogue = _catalogue(lang)
    known = check_ids()
    unknown = [c for c in only if c not in known]
    if unknown:
        raise QueryError(say("refusals.unknown_check", unknown=", ".join(unknown),
                             known=", ".join(known)))
    params = dict(params or {})
    declared = thresholds()
    for name in params:
        if name not in declared:
            raise QueryError(say("refusals.no_such_threshold", name=name))
    params[AS_OF] = audit_day(as_of)
    words = catalogue.get("values", {})
    chosen = [q for q in _ordered_checks() if not only or q.check in only]

    def run(query: queries.NamedQuery) -> CheckResult:
        assert query.check is not None and query.severity is not None
        own = {p.name: params[p.name] for p in query.params if p.name in params}
        result = query.run(store, own)
        entry = catalogue[query.check]
        findings = _findings(result, Wording(entry["message"], words, lang))
        _sort(findings)
        return CheckResult(query.check, entry["title"], query.severity, findings)

    # The engines answer several reads at once (FalkorDB on a thread per core): while one
    # check runs there, another runs beside it, or its rows become findings here.
    # The rows and findings hold no reference cycles; collections only walk them.
    workers = max(1, min(len(chosen), audit_threads()))
    with paused_gc(), ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, chosen))


_BY_SUBJECT = attrgetter("subject", "related")


def _sort(findings: list[Finding]) -> None:
    """Order a check's findings by subject, then related ids. Checks return their rows
    by subject (``ORDER BY subject``): when no subject comes twice they are in order
    already, which a comparison of neighbours tells for a tenth of a sort's cost."""
    subjects = [finding.subject for finding in findings]
    if not all(map(lt, subjects, subjects[1:])):
        findings.sort(key=_BY_SUBJECT)


def audit_threads() -> int:
    """How many checks run at once: ``KG_AUDIT_THREADS``, else one per CPU core (>= 2)."""
    configured = os.environ.get("KG_AUDIT_THREADS", "").strip()
    if not configured:
        return max(2, os.cpu_count() or 1)
    if not configured.isdigit() or int(configured) < 1:
        raise QueryError(say("refusals.bad_threads", value=configured))
    return int(configured)


_COLUMNS = ("subject", "subject_name", "related", "related_names")
"""The columns every check returns; any other column is a value for its message."""


def _findings(result: QueryResult, wording: Wording) -> list[Finding]:
    """The check's rows as findings, their messages worded when read (``Finding``).

    One loop over the row lists, with no call per row but the finding's own: checks of a
    national dataset return hundreds of thousands of rows. A row's lists of related ids
    and names become the finding's own (the result is the audit's, read once), sorted
    by id when there are several, a missing name read as the id.
    """
    position = {column: i for i, column in enumerate(result.columns)}
    subject_at = position["subject"]
    name_at, ids_at, names_at = (position.get(column) for column in _COLUMNS[1:])
    extra = [(c, i) for c, i in position.items() if c not in _COLUMNS]
    findings: list[Finding] = []
    append = findings.append
    for row in result.rows:
        ids = (None if ids_at is None else row[ids_at]) or []
        names = (None if names_at is None else row[names_at]) or []
        if ids or names:  # most findings relate no node
            if len(ids) != len(names):
                raise ValueError(f"{len(ids)} related ids but {len(names)} names")
            if len(ids) > 1:
                pairs = sorted(zip(ids, names, strict=True))
                ids = [node_id for node_id, _ in pairs]
                names = [node_name or node_id for node_id, node_name in pairs]
            elif not names[0]:
                names = [ids[0]]
        append(Finding(
            row[subject_at],
            None if name_at is None else row[name_at],
            ids,
            names,
            wording,
            {c: row[i] for c, i in extra} if extra else {},
        ))
    return findings


def _figure(value: Any, lang: str) -> Any:
    """A number as ``lang`` writes it in a message (``kg.catalogue.Figure``): a float, or a
    whole number of four digits or more; anything else (a whole number under 1000 has no
    mark to change), and every value in English, as it is: a national audit words some
    10^5 findings (wrapping each number cost ~0.5 CPU s per 100k findings, measured)."""
    if lang == "en" or isinstance(value, bool):
        return value
    if isinstance(value, float) or (isinstance(value, int) and abs(value) >= 1000):
        return Figure(value, lang)
    return value


@cache
def _catalogue(lang: str) -> dict[str, Any]:
    """The catalogue of ``lang``, checked to word every check."""
    words = catalogue(lang)
    missing = [c for c in check_ids() if c not in words]
    if missing:
        raise QueryError(f"catalogue {lang} lacks {', '.join(missing)}")
    return words


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

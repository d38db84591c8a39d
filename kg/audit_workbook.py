"""The audit as an Excel workbook, what an office forwards: findings and a summary.

The findings sheet has one row per finding (check, title, severity, subject id and
name, message, related ids and names) under a frozen header with an autofilter; the
summary sheet counts the findings per check, then in all and per severity.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook

from kg.audit import CheckResult
from kg.export import cannot_write
from kg.export.workbook import add_table, save_workbook
from kg.queries import Severity

_SHEETS = {"en": ("Findings", "Summary"), "id": ("Temuan", "Ringkasan")}
_FINDING_COLUMNS = {
    "en": ["check", "title", "severity", "subject", "subject name", "message", "related",
           "related names"],
    "id": ["pemeriksaan", "judul", "tingkat", "subjek", "nama subjek", "pesan", "terkait",
           "nama terkait"],
}
_SUMMARY_COLUMNS = {
    "en": ["check", "title", "severity", "count"],
    "id": ["pemeriksaan", "judul", "tingkat", "jumlah"],
}
_TOTAL = "total"
"""The label of the totals rows, the same word in both languages."""


def write_audit_workbook(checks: Sequence[CheckResult], output: Path, lang: str = "en") -> Path:
    """Write the findings of ``checks`` to ``output`` (``.xlsx``), headers in ``lang``
    (the titles and messages are in the language the audit ran in); return ``output``.

    Raises ``ExportError`` for an output that cannot be written.
    """
    book = Workbook()
    book.remove(book.worksheets[0])
    findings_title, summary_title = _SHEETS[lang]
    rows = [
        [check.id, check.title, check.severity.value, finding.subject,
         finding.subject_name, finding.message, finding.related, finding.related_names]
        for check in checks
        for finding in check.findings
    ]
    findings = add_table(book, findings_title, _FINDING_COLUMNS[lang], rows)
    findings.auto_filter.ref = findings.dimensions
    summary_rows: list[list[object]] = [
        [check.id, check.title, check.severity.value, check.count] for check in checks
    ]
    summary_rows.append([_TOTAL, None, None, sum(check.count for check in checks)])
    summary_rows.extend(
        [_TOTAL, None, severity.value,
         sum(check.count for check in checks if check.severity is severity)]
        for severity in sorted(Severity, key=lambda s: -s.rank)
    )
    add_table(book, summary_title, _SUMMARY_COLUMNS[lang], summary_rows)
    try:
        save_workbook(book, output)
    except OSError as exc:
        raise cannot_write(output, exc) from exc
    return output

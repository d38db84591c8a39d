"""Render rows and reports as a table, JSON, CSV or Markdown: the formats every command shares.

A command whose output is more than one table returns a ``Report``: its JSON document, one
flat table for CSV, and ``Section``s for text and Markdown; ``render_report`` renders it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kg.loaders.csv_table import guard

FORMATS = ("table", "json", "csv", "markdown")


@dataclass(frozen=True)
class Section:
    """A part of a report: a title, a table, a list of items and notes, in that order.

    As text the title is a line of its own, each item reads ``  - item`` and the notes
    follow as they are; in Markdown the title is a ``##`` heading and the items a list.
    A section drawn for the terminal only (``text_only``, a chain's paths by name) is
    left out of Markdown.
    """

    title: str = ""
    columns: Sequence[str] = ()
    rows: Sequence[Sequence[Any]] = ()
    items: Sequence[str] = ()
    notes: Sequence[str] = ()
    text_only: bool = False


class Report(Protocol):
    """The output of a command: a JSON document, a flat table for CSV, and sections."""

    def to_json(self) -> Any: ...

    def table(self) -> tuple[Sequence[str], Sequence[Sequence[Any]]]: ...

    def sections(self) -> list[Section]: ...


def render_report(report: Report, fmt: str) -> str:
    """``report`` in ``fmt`` (one of ``FORMATS``); sections are parted by a blank line."""
    if fmt == "json":
        return json.dumps(report.to_json(), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return to_csv(*report.table())
    markdown = fmt == "markdown"
    return "\n\n".join(
        _section(section, fmt)
        for section in report.sections()
        if not (markdown and section.text_only)
    )


def _section(section: Section, fmt: str) -> str:
    markdown = fmt == "markdown"
    lines = []
    if section.title:
        lines.append(f"## {section.title}" if markdown else section.title)
    if section.columns:
        lines.append(render(section.columns, section.rows, fmt))
    lines.extend(f"- {item}" if markdown else f"  - {item}" for item in section.items)
    lines.extend(section.notes)
    return "\n".join(lines)


def cell(value: Any) -> str:
    """One value as text: lists joined with ``|``, None empty, floats trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list):
        return "|".join(cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def render(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """``rows`` under ``columns`` in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        return json.dumps(records, ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        return to_csv(columns, rows)
    texts = [[cell(v) for v in row] for row in rows]
    if fmt == "markdown":
        return markdown(columns, texts)
    return table(columns, texts)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([guard(cell(v)) for v in row] for row in rows)
    return buffer.getvalue().rstrip("\n")


def table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    if not rows:
        return "(no rows)"
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def markdown(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|").replace("\n", " ") for v in values) + " |"

    return "\n".join([line(columns), line(["---"] * len(columns)), *(line(r) for r in rows)])

"""Render rows and reports as a table, JSON, CSV or Markdown: the formats every command shares.

A command whose output is more than one table returns a ``Report``: its JSON document, one
flat table for CSV, and ``Section``s for text and Markdown; ``render_report`` renders it.

A text table given a ``width`` (the terminal's) fits in it: the widest columns are narrowed
and their cells wrapped onto more lines. Without one (output piped, or ``--wide``) every
cell stays on one line, as wide as it is.
"""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kg.catalogue import column_names
from kg.loaders.csv_table import guard

FORMATS = ("table", "json", "csv", "markdown")

_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
"""What a terminal would obey rather than show: the C0 controls but tab and line feed,
DEL, the C1 controls, and the bidirectional controls that reorder the text around them."""


def printable(text: str) -> str:
    r"""``text`` safe to print on a terminal: each control character written out as its
    code, so that text from a store (a name holding an escape sequence, a carriage
    return, a right-to-left override) is shown and never obeyed. Every line the CLI
    prints on a terminal passes through here (``kg.cli.app.echo``).

    >>> print(printable("Dinas\x1b]0;owned\x07 Koperasi\rX\u202eY"))
    Dinas\x1b]0;owned\x07 Koperasi\x0dX\u202eY
    """
    return _UNPRINTABLE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True)
class Section:
    """A part of a report: a title, a table, a list of items and notes, in that order.

    As text the title is a line of its own, each item reads ``  - item`` and the notes
    follow as they are; in Markdown the title is a ``##`` heading and the items a list.
    A section drawn for the terminal only (``text_only``, a chain's paths by name) is
    left out of Markdown; the document's own title (``document``) is Markdown's ``#``
    heading and left out of text.
    """

    title: str = ""
    columns: Sequence[str] = ()
    rows: Sequence[Sequence[Any]] = ()
    items: Sequence[str] = ()
    notes: Sequence[str] = ()
    text_only: bool = False
    document: bool = False


class Report(Protocol):
    """The output of a command: a JSON document, a flat table for CSV, and sections."""

    def to_json(self) -> Any: ...

    def table(self) -> tuple[Sequence[str], Sequence[Sequence[Any]]]: ...

    def sections(self) -> list[Section]: ...


MIN_WIDTH = 8
"""A narrowed column keeps at least this many characters (or its widest cell, if fewer)."""


def render_report(
    report: Report, fmt: str, width: int | None = None, lang: str = "en"
) -> str:
    """``report`` in ``fmt`` (one of ``FORMATS``); sections are parted by a blank line.

    Tables in text fit in ``width`` characters when it is given (see ``fit``), their
    columns named in ``lang`` (``kg.catalogue.column_names``).
    """
    if fmt == "json":
        return json.dumps(report.to_json(), ensure_ascii=False, indent=2)
    if fmt == "csv":
        return to_csv(*report.table())
    markdown = fmt == "markdown"
    return "\n\n".join(
        _section(section, fmt, width, lang)
        for section in report.sections()
        if not (section.text_only if markdown else section.document)
    )


def _section(section: Section, fmt: str, width: int | None, lang: str) -> str:
    markdown = fmt == "markdown"
    lines = []
    if section.title:
        heading = "#" if section.document else "##"
        lines.append(f"{heading} {section.title}" if markdown else _text(section.title, width))
    if section.columns:
        lines.append(render(section.columns, section.rows, fmt, width, lang))
    if markdown:
        lines.extend(f"- {item}" for item in section.items)
        lines.extend(section.notes)
    else:
        lines.extend(_text(f"  - {item}", width) for item in section.items)
        lines.extend(_text(note, width) for note in section.notes)
    return "\n".join(lines)


def _text(line: str, width: int | None) -> str:
    """``line`` wrapped at blanks to ``width``, its continuations indented two more.

    >>> print(_text("  - Sentra IKM Logam: 44 of 74 kiosks occupied", 24))
      - Sentra IKM Logam: 44
        of 74 kiosks
        occupied
    """
    if width is None or len(line) <= width:
        return line
    indent = " " * (len(line) - len(line.lstrip()) + 2)
    return (
        "\n".join(textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False))
        or line
    )


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


def render(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: str,
    width: int | None = None,
    lang: str = "en",
) -> str:
    """``rows`` under ``columns`` in ``fmt`` (one of ``FORMATS``); a text table fits in
    ``width`` characters when it is given (see ``fit``). Text and Markdown name the
    columns in ``lang``; JSON and CSV keep them as given, for scripts."""
    if fmt == "json":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        return json.dumps(records, ensure_ascii=False, indent=2, default=str)
    if fmt == "csv":
        return to_csv(columns, rows)
    texts = [[cell(v) for v in row] for row in rows]
    columns = column_names(columns, lang)
    if fmt == "markdown":
        return markdown(columns, texts)
    return table(columns, texts, width)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([guard(cell(v)) for v in row] for row in rows)
    return buffer.getvalue().rstrip("\n")


def table(columns: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None) -> str:
    """A text table: columns parted by two blanks, a rule under the header.

    Example
    -------
    >>> print(table(["id", "description"], [["q1", "Sentra whose kiosks are mostly empty"]],
    ...             width=24))
    id  description
    --  --------------------
    q1  Sentra whose kiosks
        are mostly empty
    """
    if not rows:
        return "(no rows)"
    natural = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    if width is None or (
        sum(natural) + 2 * (len(natural) - 1) <= width
        and not any("\n" in value for row in rows for value in row)
    ):
        lines = [_line(columns, natural), "  ".join("-" * w for w in natural)]
        lines.extend(_line(row, natural) for row in rows)
        return "\n".join(lines)
    longest_words = [
        max(len(word) for value in [c, *(r[i] for r in rows)] for word in [*value.split(), ""])
        for i, c in enumerate(columns)
    ]
    widths = fit(natural, width, longest_words)
    lines = _wrapped(columns, widths)
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.extend(_wrapped(row, widths))
    return "\n".join(lines)


def fit(natural: Sequence[int], width: int, words: Sequence[int] | None = None) -> list[int]:
    """Column widths that fit in ``width`` (with two blanks between columns).

    ``natural`` are the columns' widths on one line, ``words`` their longest words
    (default: the whole cell is one word). Each column first gets its longest word, up
    to a cap as high as the width allows (so ids stay whole when they can, and no
    column is narrower than ``MIN_WIDTH`` unless its text is); what is left goes to the
    columns with more to wrap, in proportion to it. A table of very many columns may
    still overflow.

    >>> fit([2, 40, 30], 50)
    [2, 22, 22]
    >>> fit([2, 40, 16], 50, words=[2, 9, 16])
    [2, 28, 16]
    >>> fit([2, 10], 50)
    [2, 10]
    """
    room = width - 2 * (len(natural) - 1)
    words = natural if words is None else words
    wanted = [min(n, w) for n, w in zip(natural, words, strict=True)]
    cap = max(wanted, default=0)
    while cap > MIN_WIDTH and sum(min(w, cap) for w in wanted) > room:
        cap -= 1
    least = [min(w, cap) for w in wanted]
    extra = max(room - sum(least), 0)
    wants = [n - m for n, m in zip(natural, least, strict=True)]
    total = sum(wants) or 1
    widths = [m + min(want, extra * want // total) for m, want in zip(least, wants, strict=True)]
    spare = room - sum(widths)
    for i in sorted(range(len(widths)), key=lambda i: wants[i], reverse=True):
        if spare <= 0:
            break
        if widths[i] < natural[i]:  # rounding down left a little: the widest wrappers take it
            widths[i] += 1
            spare -= 1
    return widths


def _line(values: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()


def _wrapped(values: Sequence[str], widths: Sequence[int]) -> list[str]:
    """One row as as many lines as its longest wrapped cell needs."""
    cells = [
        [
            piece
            for paragraph in (value.splitlines() or [""])
            for piece in (textwrap.wrap(paragraph, w, break_on_hyphens=False) or [""])
        ]
        for value, w in zip(values, widths, strict=True)
    ]
    height = max(len(cell) for cell in cells)
    return [
        _line([cell[i] if i < len(cell) else "" for cell in cells], widths) for i in range(height)
    ]


def markdown(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def line(values: Sequence[str]) -> str:
        return "| " + " | ".join(v.replace("|", "\\|").replace("\n", " ") for v in values) + " |"

    return "\n".join([line(columns), line(["---"] * len(columns)), *(line(r) for r in rows)])

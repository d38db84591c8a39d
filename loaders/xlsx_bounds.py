"""What a workbook may expand to, checked before openpyxl reads any of it.

An ``.xlsx`` file is a zip of XML parts, and zip compresses repetition without bound: a
1 MB file can hold a sheet of 1 GiB of blanks or ten million shared strings. openpyxl
reads every shared string before the first row, builds whole rows (every cell of one
``<row>`` at once) and parses the other parts (styles, the workbook) as whole trees.
So each part is streamed once, before openpyxl opens the file, and refused when it
passes a limit:

* its size, as the zip directory states it and as it streams (the directory can lie):
  ``PART_LIMITS``;
* the longest stretch of bytes without a ``<`` (one cell's text, one tag): ``RUN_LIMIT``;
* the tags between two rows of a sheet, or two shared strings (one row's or one
  string's tree), and for other parts the tags in all: ``TAG_LIMITS``;
* the number of shared strings: ``MAX_SHARED_STRINGS``.

Within these limits a refused workbook costs at most a few hundred MiB, and a valid
one of Excel's own size limits loads (docs/reliability.md, "Hostile files").
References beyond Excel's last row or column, which no program Excel reads writes (and
a column beyond XFD would make a row of that many cells), are found in each sheet's scan
for merged cells (``far_cells``).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from string import ascii_letters
from typing import IO

from kg.catalogue import numeral, say
from kg.errors import Problem
from kg.loaders.csv_table import MAX_CELL_CHARS

MAX_ROWS = 1_048_576
"""Excel's last row."""
MAX_COLUMNS = 16_384
"""Excel's last column, XFD."""

SHEET, STRINGS, OTHER = "sheet", "shared strings", "other"
"""Kinds of part: a worksheet (streamed by openpyxl row by row), the shared-strings
table (read whole before the first row), any other XML part (parsed as one tree)."""

MiB = 2**20
PART_LIMITS = {SHEET: 256 * MiB, STRINGS: 64 * MiB, OTHER: 16 * MiB}
"""Largest uncompressed part of each kind."""
RUN_LIMIT = 1 * MiB
"""Longest stretch without a ``<``: a cell holds at most 10,000 characters."""
TAG_LIMITS = {SHEET: 100_000, STRINGS: 100_000, OTHER: 250_000}
"""Most tags in one row (or string, or the stretch before the first or after the last),
and in an other part in all."""
MAX_SHARED_STRINGS = 1_000_000
"""Most shared strings: distinct texts in the whole workbook."""
MAX_PARTS = 10_000
"""Most files in the zip."""

_CHUNK = RUN_LIMIT
_RECORD = {
    SHEET: re.compile(rb"<(?:\w+:)?row[\s/>]"),
    STRINGS: re.compile(rb"<(?:\w+:)?si[\s/>]"),
}
"""Where a sheet's row, or a shared string, starts."""
_XML_SUFFIXES = (".xml", ".rels", ".vml")
"""Parts openpyxl parses; the others (pictures, printer settings) it does not open."""
_KIND_NAMES = {SHEET: "loading.kind_sheet", STRINGS: "loading.kind_strings",
               OTHER: "loading.kind_other"}
"""The catalogue's name of each kind of part."""
_TAG_PLACES = {SHEET: "loading.part_tags_row", STRINGS: "loading.part_tags_string"}


class TooLarge(Exception):
    """A part beyond a limit; its message (a catalogue's) says which and how."""


def part_kind(name: str) -> str | None:
    """The kind of the part ``name`` (``xl/worksheets/sheet1.xml`` -> ``SHEET``), None for
    a part openpyxl does not parse."""
    if not name.lower().endswith(_XML_SUFFIXES):
        return None
    if name.startswith("xl/worksheets/") and name.count("/") == 2:
        return SHEET
    if name.rsplit("/", 1)[-1].lower().startswith("sharedstrings"):
        return STRINGS
    return OTHER


def check_workbook(path: Path) -> list[Problem]:
    """A problem for each part of the workbook at ``path`` beyond a limit (at most one per
    part). Raises ``zipfile.BadZipFile`` (and what reading a damaged zip raises) for a
    file that is not a readable zip."""
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            return [Problem(str(path), None, None, say(
                "loading.workbook_parts", count=numeral(len(parts)), most=numeral(MAX_PARTS)))]
        problems = []
        for info in parts:
            kind = part_kind(info.filename)
            if kind is None:
                continue
            try:
                _check_part(archive, info, kind)
            except TooLarge as exc:
                problems.append(Problem(str(path), None, None, say(
                    "loading.workbook_part", part=info.filename, problem=exc.args[0])))
        return problems


def expanded_bytes(path: Path) -> int:
    """Bytes of XML the sheets and shared strings of the workbook at ``path`` expand to,
    each part counted up to its limit (beyond it the workbook is refused unread); the
    file's own size if it is not a readable zip."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(
                min(info.file_size, PART_LIMITS[kind])
                for info in archive.infolist()
                if (kind := part_kind(info.filename)) in (SHEET, STRINGS)
            )
    except (zipfile.BadZipFile, OSError, ValueError):
        return path.stat().st_size


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, kind: str) -> None:
    limit = PART_LIMITS[kind]
    if info.file_size > limit:
        raise TooLarge(say("loading.part_expands", size=numeral(info.file_size / MiB),
                           most=numeral(limit // MiB), kind=say(_KIND_NAMES[kind])))
    with archive.open(info) as stream:
        _scan(_chunks(stream, limit, kind), kind)


def _chunks(stream: IO[bytes], limit: int, kind: str) -> Iterator[bytes]:
    """The part's bytes, refused as soon as more than ``limit`` came (whatever the zip
    directory said)."""
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise TooLarge(say("loading.part_expands_more", most=numeral(limit // MiB),
                               kind=say(_KIND_NAMES[kind])))
        yield chunk


def _scan(chunks: Iterator[bytes], kind: str) -> None:
    """Refuse a stretch without ``<`` longer than ``RUN_LIMIT``, too many tags in one
    record (row, string) or part, too many shared strings or rows."""
    record = _RECORD.get(kind)
    tag_limit = TAG_LIMITS[kind]
    run = 0  # bytes since the last "<"
    tags = 0  # tags since the last record started
    records = 0
    tail = b""  # a record's start cut in two by the chunk's end
    for chunk in chunks:
        # A chunk is no longer than RUN_LIMIT: a longer stretch crosses a chunk's end.
        first = chunk.find(b"<")
        run += len(chunk) if first < 0 else first
        if run > RUN_LIMIT:
            raise TooLarge(say("loading.part_stretch", most=numeral(RUN_LIMIT // MiB),
                               cell=numeral(MAX_CELL_CHARS)))
        if first >= 0:
            run = len(chunk) - chunk.rfind(b"<") - 1
        # A start that lies wholly in the tail was counted with the chunk before.
        starts = [] if record is None else [
            m.start() - len(tail) for m in record.finditer(tail + chunk) if m.end() > len(tail)]
        records += len(starts)
        _check_records(records, kind)
        in_chunk = chunk.count(b"<")
        if tags + in_chunk > tag_limit:  # some record may hold too many: count each
            position = 0
            for start in starts:
                _check_tags(tags + chunk.count(b"<", position, max(start, 0)), tag_limit, kind)
                position, tags = max(start, 0), 0
            tags += chunk.count(b"<", position)
            _check_tags(tags, tag_limit, kind)
        else:
            tags = chunk.count(b"<", max(starts[-1], 0)) if starts else tags + in_chunk
        tail = chunk[-8:]


def _check_tags(tags: int, limit: int, kind: str) -> None:
    if tags > limit:
        raise TooLarge(say(_TAG_PLACES.get(kind, "loading.part_tags"), most=numeral(limit)))


def _check_records(records: int, kind: str) -> None:
    if kind == STRINGS and records > MAX_SHARED_STRINGS:
        raise TooLarge(say("loading.part_strings", most=numeral(MAX_SHARED_STRINGS)))
    if kind == SHEET and records > MAX_ROWS:
        raise TooLarge(say("loading.part_rows", most=numeral(MAX_ROWS)))


_FAR_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(?![0-9]{1,7}")([^"]*)"')
"""A row whose ``r`` is not a number of at most seven digits."""
_FAR_CELL = re.compile(rb'\br="(\$?[A-Za-z]{3,}\$?[0-9]*|\$?[A-Za-z]*\$?[0-9]{8,})"')
"""A cell reference with a column of three letters or more, or a row of eight digits or
more: the ones that may lie beyond XFD or row 1,048,576."""
_SEVEN_DIGITS = re.compile(rb'\br="(\$?[A-Za-z]*\$?[0-9]{7})"')
"""A reference to a row of seven digits (beyond Excel's from 1,048,577)."""
_LETTERS_DIGITS = re.compile(r"\$?([A-Za-z]*)\$?([0-9]*)")


def far_cells(text: bytes) -> list[str]:
    """References (``A99999999999``, ``XFE1``, a row number ``1e10``) in a piece of a
    sheet's XML beyond Excel's last row or column."""
    found = [m.decode(errors="replace") for m in _FAR_ROW.findall(text)]
    found += [m.decode() for m in _FAR_CELL.findall(text)]
    found += [m.decode() for m in _SEVEN_DIGITS.findall(text)]
    far = [reference for reference in found if beyond_excel(reference)]
    # A row is named by its cells when it has some.
    rows_of_cells = {r.lstrip("$" + ascii_letters) for r in far if r[:1].isalpha()}
    return [r for r in far if r[:1].isalpha() or r not in rows_of_cells]


def beyond_excel(reference: str) -> bool:
    """Whether a cell reference (or a bare row number) lies beyond Excel's sheet, or is
    no reference at all.

    >>> [beyond_excel(r) for r in ["XFD1048576", "XFE1", "A1048577", "1048576", "1e10"]]
    [False, True, True, False, True]
    """
    match = _LETTERS_DIGITS.fullmatch(reference)
    if match is None or not match[2]:
        return True
    column = 0
    for letter in match[1].upper():
        column = column * 26 + ord(letter) - ord("A") + 1
        if column > MAX_COLUMNS:
            return True
    return int(match[2]) > MAX_ROWS

"""Hostile workbooks: decompression bombs and far rows, generated here (a few lines of zip
writing each, nothing stored), each refused with its message, the bombs within a bounded
peak of memory (the ``kg load`` process's own ``VmHWM``)."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pytest

from kg.errors import ResourceError
from kg.loaders import check_memory, dataset_bytes
from kg.loaders.xlsx_bounds import MAX_SHARED_STRINGS, PART_LIMITS, SHEET, STRINGS

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
MiB = 2**20

HEADER = b"".join(
    f'<c r="{column}1" t="inlineStr"><is><t>{name}</t></is></c>'.encode()
    for column, name in zip("ABC", ["id", "name", "kind"], strict=True)
)
ROW = b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>' \
      b'<c r="C2" t="inlineStr"><is><t>government</t></is></c></row>'
STRINGS_OK = b"<si><t>a-1</t></si><si><t>Dinas Perindustrian</t></si>"

Body = bytes | Iterable[bytes]


def workbook(path: Path, rows: Body = ROW, strings: Body | None = STRINGS_OK) -> Path:
    """A workbook with one sheet, ``actors``: a header row, then ``rows`` (the XML inside
    ``<sheetData>``, streamed when given in pieces), and the shared strings ``strings``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", (
            f'<Types xmlns="{TYPES}"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook'
            f'.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/><Override PartName="/xl/'
            f'worksheets/sheet1.xml" ContentType="{SHEET_TYPE}.worksheet+xml"/><Override '
            f'PartName="/xl/sharedStrings.xml" ContentType="{SHEET_TYPE}.sharedStrings+xml"/>'
            "</Types>"))
        book.writestr("_rels/.rels", f'<Relationships xmlns="{PKG}"><Relationship Id="r1" '
                      f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        book.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                      '<sheet name="actors" sheetId="1" r:id="r1"/></sheets></workbook>')
        book.writestr("xl/_rels/workbook.xml.rels", (
            f'<Relationships xmlns="{PKG}"><Relationship Id="r1" Type="{REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/>' + (
                f'<Relationship Id="r2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                if strings is not None else "") + "</Relationships>"))
        _stream(book, "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}"><sheetData>'
                f'<row r="1">'.encode() + HEADER + b"</row>", rows,
                b"</sheetData></worksheet>")
        if strings is not None:
            _stream(book, "xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">'.encode(), strings,
                    b"</sst>")
    return path


def _stream(book: zipfile.ZipFile, name: str, head: bytes, body: Body, tail: bytes) -> None:
    with book.open(name, "w", force_zip64=True) as part:
        part.write(head)
        for piece in [body] if isinstance(body, bytes) else body:
            part.write(piece)
        part.write(tail)


def blanks(mib: int) -> Iterable[bytes]:
    return (b" " * MiB for _ in range(mib))


def lying(path: Path, part: str, declared: int) -> Path:
    """``path`` with its zip directory stating ``declared`` bytes for ``part``."""
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory's entries
    while data[entry + 46:entry + 46 + len(part)] != part.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", data, entry + 24, declared)  # its uncompressed size
    path.write_bytes(bytes(data))
    return path


PEAK = """
import runpy, sys
sys.argv = ["kg", *sys.argv[1:]]
try:
    runpy.run_module("kg", run_name="__main__")
finally:
    peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0]
    sys.stderr.write(f"\\npeak {int(peak.split()[1]) // 1024} MiB\\n")
"""


def load_measured(store: Path, book: Path) -> tuple[int, str, int]:
    """``kg load book`` in a process of its own: (exit code, stderr, its peak RSS in MiB).
    The process prints its own VmHWM: ``ru_maxrss`` of a child includes its parent's."""
    done = subprocess.run([sys.executable, "-c", PEAK, "--store", str(store), "load", str(book)],
                          capture_output=True, text=True, timeout=300, check=False)
    peak = re.search(r"peak (\d+) MiB", done.stderr)
    assert peak is not None, done.stderr
    return done.returncode, done.stderr, int(peak[1])


BOMBS = {
    "blank-sheet": (lambda path: workbook(path, rows=blanks(1024)),
                    "part xl/worksheets/sheet1.xml: expands to 1,024 MiB (at most 256 MiB "
                    "for a sheet)"),
    "ten-million-strings": (lambda path: workbook(path, strings=(
        b"<si><t>x</t></si>" * 100_000 for _ in range(100))),
        "part xl/sharedStrings.xml: expands to 162 MiB (at most 64 MiB for the shared "
        "strings)"),
    "strings-within-size": (lambda path: workbook(path, strings=(
        b"<si><t>x</t></si>" * 100_000 for _ in range(MAX_SHARED_STRINGS // 100_000 + 1))),
        f"part xl/sharedStrings.xml: holds more than {MAX_SHARED_STRINGS:,} shared strings"),
    "one-long-blank-cell": (lambda path: workbook(path, rows=[
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>', *blanks(200), b"</t></is></c></row>"]),
        "part xl/worksheets/sheet1.xml: holds a stretch of more than 1 MiB without markup"),
    "row-of-empty-cells": (lambda path: workbook(path, rows=[
        b'<row r="2">', *(b"<c/>" * 2**18 for _ in range(20)), b"</row>"]),
        "part xl/worksheets/sheet1.xml: holds more than 100,000 XML tags in one row"),
    "rows-without-numbers": (lambda path: workbook(path, rows=(
        b"<row/>" * 2**20 for _ in range(2))),
        "part xl/worksheets/sheet1.xml: holds more than 1,048,576 rows, Excel's limit"),
    "directory-understates-the-sheet": (lambda path: lying(
        workbook(path, rows=blanks(300)), "xl/worksheets/sheet1.xml", 4096),
        "not a readable .xlsx workbook (Bad CRC-32 for file 'xl/worksheets/sheet1.xml')"),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BOMBS), ids=list(BOMBS))
def test_a_workbook_bomb_is_refused_within_512_mib(tmp_path: Path, case: str) -> None:
    make, expected = BOMBS[case]
    book = make(tmp_path / f"{case}.xlsx")
    code, errors, peak = load_measured(tmp_path / "store", book)
    assert code == 2, errors
    assert f"{book}: {expected}" in errors
    assert "Traceback" not in errors
    assert peak < 512, f"peak {peak} MiB"


@pytest.mark.parametrize(("rows", "cell"), [
    (b'<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row>',
     "A99999999999"),
    (b'<row r="99999999999"/>', "99999999999:99999999999"),
    (b'<row r="1e10"/>', "1e10:1e10"),
    (b'<row r="1048577"><c r="B1048577" t="inlineStr"><is><t>x</t></is></c></row>',
     "B1048577"),
    (b'<row r="2"><c r="XFE2" t="inlineStr"><is><t>x</t></is></c></row>', "XFE2"),
], ids=["far-cell", "far-row", "row-as-float", "first-row-beyond", "column-beyond-xfd"])
def test_a_cell_beyond_excel_is_refused_by_name(kg, tmp_path: Path, rows: bytes,
                                                cell: str) -> None:
    book = workbook(tmp_path / "far.xlsx", rows=rows)
    result = kg("load", str(book))
    assert result.exit_code == 2
    assert (f"{book}[actors]!{cell}: beyond Excel's last row (1,048,576) or column (XFD): "
            "not a sheet Excel wrote; the sheet is not read") in result.output


def test_a_workbook_within_the_limits_loads(kg, tmp_path: Path) -> None:
    result = kg("load", str(workbook(tmp_path / "fine.xlsx")))
    assert result.exit_code == 0, result.output
    assert "1 nodes" in result.output


def test_the_memory_check_counts_what_a_workbook_expands_to(tmp_path: Path) -> None:
    cell = b'<row><c t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>"
    book = workbook(tmp_path / "big.xlsx", rows=(cell for _ in range(100_000)))
    assert book.stat().st_size < MiB
    expanded = dataset_bytes(book)
    assert 30 * MiB < expanded <= PART_LIMITS[SHEET] + PART_LIMITS[STRINGS]
    with pytest.raises(ResourceError, match="too large to load here"):
        check_memory([book], available=512 * MiB)


def test_the_last_row_of_excel_is_read_without_the_empty_rows_before_it(kg, tmp_path: Path
                                                                         ) -> None:
    last = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>a-2</t></is></c>' \
           b'<c r="B1048576" t="inlineStr"><is><t>Bappeda</t></is></c>' \
           b'<c r="C1048576" t="inlineStr"><is><t>pemerintah?</t></is></c></row>'
    book = workbook(tmp_path / "last.xlsx", rows=ROW + last)
    result = kg("load", str(book))
    assert result.exit_code == 2
    assert "Error: 1 problem in the dataset" in result.output
    assert f"{book}[actors]!C1048576: kind: " in result.output

"""Reading a large sheet against the same table as CSV: time and peak memory.

    python benchmarks/workbook.py [--rows 100000] [--runs 3]

Writes an activities table of ``--rows`` rows (seven columns: text, a date cell, a number
cell in the workbook) under ``benchmarks/data/workbook/`` as ``activities.csv`` and as the
sheet ``kegiatan`` of two workbooks: ``excel.xlsx`` as Excel and LibreOffice write one
(text in the shared-strings table, the sheet's size in ``<dimension>``) and
``openpyxl.xlsx`` as openpyxl writes one (text inline in each cell, no ``<dimension>``,
so openpyxl parses the whole sheet once more to size it). Then reads each in a fresh
process (``read_csv`` and ``read_workbook``, the table stage alone): the best wall time
of ``--runs`` runs, and in one more run the peak of Python's allocations (tracemalloc,
which slows the run, so it is timed apart) and the process's peak RSS (``VmHWM``; not
``ru_maxrss``, which a child inherits from the parent that forked it).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl

OUT = Path(__file__).parent / "data" / "workbook"
COLUMNS = ["id", "name", "category", "topic", "phase", "due", "budget"]

MEASURE = """
import json, sys, time, tracemalloc
from pathlib import Path
from kg.loaders.csv_table import read_csv
from kg.loaders.xlsx_tables import read_workbook
path, traced = Path(sys.argv[1]), sys.argv[2] == "1"
tables, problems = [], []
if traced:
    tracemalloc.start()
start = time.perf_counter()
if path.suffix == ".csv":
    tables.append(read_csv(path, problems))
else:
    read_workbook(path, lambda name, table: tables.append(table), problems)
seconds = time.perf_counter() - start
peak = tracemalloc.get_traced_memory()[1] if traced else 0
assert not problems, problems[:3]
status = Path("/proc/self/status").read_text()
hwm = int(status.split("VmHWM:")[1].split()[0]) * 1024
print(json.dumps({"seconds": seconds, "rows": len(tables[0].rows), "traced_peak": peak,
                  "max_rss": hwm}))
"""


def rows(count: int) -> list[list[object]]:
    first = date(2025, 1, 1)
    return [
        [f"act-{n}", f"Pelatihan pemasaran sentra nomor {n}", "training", "marketing",
         "2025-2029", first + timedelta(days=n % 1000), 1_500_000 + n]
        for n in range(count)
    ]


def write(count: int) -> list[Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    data = rows(count)
    csv_path = OUT / "activities.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        writer.writerows([[*r[:5], r[5].isoformat(), r[6]] for r in data])
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("kegiatan")
    sheet.append(COLUMNS)
    for row in data:
        sheet.append(row)
    book.save(OUT / "openpyxl.xlsx")
    write_as_excel(OUT / "excel.xlsx", [COLUMNS, *data])
    return [csv_path, OUT / "excel.xlsx", OUT / "openpyxl.xlsx"]


PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="/xl/{part}.xml" ContentType="application/vnd.'
            f'openxmlformats-officedocument.spreadsheetml.{kind}+xml"/>'
            for part, kind in [("workbook", "sheet.main"), ("worksheets/sheet1", "worksheet"),
                               ("sharedStrings", "sharedStrings"), ("styles", "styles")])
        + "</Types>"),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="kegiatan" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/{kind}" Target="{target}"/>'
            for n, kind, target in [(1, "worksheet", "worksheets/sheet1.xml"),
                                    (2, "sharedStrings", "sharedStrings.xml"),
                                    (3, "styles", "styles.xml")])
        + "</Relationships>"),
    "xl/styles.xml": (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"),
}


def write_as_excel(path: Path, table: list[list[object]]) -> None:
    """One sheet as Excel saves it: text in the shared-strings table, dates as serial
    numbers with a date style, the sheet's size in ``<dimension>``."""
    strings: dict[str, int] = {}
    epoch = date(1899, 12, 30)
    lines = []
    for number, row in enumerate(table, start=1):
        cells = []
        for column, value in zip("ABCDEFG", row, strict=True):
            where = f"{column}{number}"
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{where}" t="s"><v>{index}</v></c>')
            elif isinstance(value, date):
                cells.append(f'<c r="{where}" s="1"><v>{(value - epoch).days}</v></c>')
            else:
                cells.append(f'<c r="{where}"><v>{value}</v></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="A1:G{len(table)}"/><sheetData>{"".join(lines)}</sheetData>'
             "</worksheet>")
    shared = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              f'count="{len(strings)}" uniqueCount="{len(strings)}">'
              + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings) + "</sst>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in [*PARTS.items(), ("xl/worksheets/sheet1.xml", sheet),
                           ("xl/sharedStrings.xml", shared)]:
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>\n' + text)


def measure(path: Path, traced: bool) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), "1" if traced else "0"],
                          capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    paths = write(args.rows)
    print("| file | size | rows | best time | peak RSS | tracemalloc peak |")
    print("|---|---|---|---|---|---|")
    for path in paths:
        timed = [measure(path, traced=False) for _ in range(args.runs)]
        traced = measure(path, traced=True)
        best = min(timed, key=lambda r: r["seconds"])
        print(f"| {path.name} | {path.stat().st_size / 2**20:.1f} MiB | {best['rows']:,} "
              f"| {best['seconds']:.2f} s | {best['max_rss'] / 2**20:.0f} MiB "
              f"| {traced['traced_peak'] / 2**20:.1f} MiB |")


if __name__ == "__main__":
    main()

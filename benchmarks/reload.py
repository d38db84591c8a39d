"""Reloads against first loads: ``kg load`` of a dataset the store already holds.

    python benchmarks/reload.py [--scale 1] [--rounds 2] [--kg PATH ...]
    python benchmarks/reload.py --data /work/bench/x10-data --rounds 1

Each round, for each ``kg`` executable given (``--kg``, default the one beside this
Python; give two to interleave two versions of the code), in a fresh store in /tmp:

1. ``kg load --replace`` of the dataset (the first load);
2. ``kg load`` of the same dataset again (a reload that changes nothing);
3. ``kg load`` of a copy with one sentra's occupied kiosks changed and one funding row
   removed (a reload that finds one change of each kind);
4. ``kg load`` of the first dataset again (a reload that puts both back);
5. ``kg audit --check kecamatan.unzoned`` (opening the store: time to a first answer).

The dataset is generated at ``--scale`` beside this script, or given (``--data``: read
only; the changed copy and the store are made in /tmp and removed at the end). Each step
is a process, timed from start to exit: wall time, CPU of the whole process tree, and of
it the engine's ``redis-server`` (sampled from /proc every 20 ms: its last sample before
it stops, so a little under), the peak resident memory of ``kg`` and of the engine (each
process's own high-water mark, ``VmHWM``), the load average when it started, and the
change counts it printed (checked against what was changed). Results are printed and
saved as JSON beside the data, or in ``--out``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import DATA, children_cpu, say  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
CHANGES = re.compile(r"(nodes|relationships): ([\d,]+) added, ([\d,]+) changed, ([\d,]+) removed")


class TreeCpu:
    """Samples the CPU time of every descendant of a process, by command name, and the
    peak resident memory of the process and of each descendant."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.seen: dict[int, tuple[str, float]] = {}
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def by_name(self) -> dict[str, float]:
        result: dict[str, float] = {}
        for name, seconds in self.seen.values():
            result[name] = result.get(name, 0.0) + seconds
        return result

    def peak_of(self, name: str | None = None) -> int:
        """The highest peak resident bytes of a process named ``name`` (None: the
        process itself)."""
        if name is None:
            return self.peaks.get(self.pid, ("", 0))[1]
        return max((peak for n, peak in self.peaks.values() if n == name), default=0)

    def _run(self) -> None:
        while not self._stop.is_set():
            for pid in descendants(self.pid):
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text()
                except OSError:
                    continue
                name = stat[stat.index("(") + 1 : stat.rindex(")")]
                fields = stat[stat.rindex(")") + 2 :].split()
                self.seen[pid] = (name, (int(fields[11]) + int(fields[12])) / TICK)
                self._peak(pid, name)
            self._peak(self.pid, "")
            self._stop.wait(self.interval)

    def _peak(self, pid: int, name: str) -> None:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if found:
            self.peaks[pid] = (name, int(found.group(1)) * 1024)


def descendants(root: int) -> list[int]:
    children = Path(f"/proc/{root}/task/{root}/children")
    try:
        direct = [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []
    return [pid for child in direct for pid in (child, *descendants(child))]


def timed(command: list[str]) -> dict[str, Any]:
    """Run ``command``: wall time, CPU of its tree and of its engine, load average."""
    load_average = os.getloadavg()[0]
    cpu = children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    with TreeCpu(process.pid) as tree:
        stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    total = children_cpu() - cpu
    engine = tree.by_name().get("redis-server", 0.0)
    changes = {kind: [int(n.replace(",", "")) for n in counts]
               for kind, *counts in CHANGES.findall(stdout)}
    return {"wall": wall, "cpu": total, "engine_cpu": engine, "kg_cpu": total - engine,
            "kg_peak_mib": tree.peak_of() / 2**20,
            "engine_peak_mib": tree.peak_of("redis-server") / 2**20,
            "load_average": load_average, "changes": changes}


def changed_copy(dataset: Path, out: Path) -> Path:
    """``dataset`` with the first sentra's occupied kiosks changed and the first funding
    row removed: one node changed, one relationship removed."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(dataset, out)
    with (dataset / "sentra.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    column = rows[0].index("kiosks_occupied")
    rows[1][column] = str(int(rows[1][column] or 0) + 1)
    with (out / "sentra.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)
    lines = (dataset / "funding.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (out / "funding.csv").write_text(lines[0] + "".join(lines[2:]), encoding="utf-8")
    return out


EXPECTED = {
    "first load": None,
    "reload, unchanged": {"nodes": [0, 0, 0], "relationships": [0, 0, 0]},
    "reload, one change": {"nodes": [0, 1, 0], "relationships": [0, 0, 1]},
    "reload, back": {"nodes": [0, 1, 0], "relationships": [1, 0, 0]},
    "open (one audit check)": None,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--kg", action="append", help="kg executables to compare")
    parser.add_argument("--data", "--dataset", dest="dataset", type=Path,
                        help="a generated dataset to use (read only)")
    parser.add_argument("--out", type=Path, help="where to save the results (JSON)")
    options = parser.parse_args()
    executables = options.kg or [str(Path(sys.executable).with_name("kg"))]
    dataset = options.dataset or DATA / f"x{options.scale:g}"
    if not (dataset / "dataset.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--scale",
                        f"{options.scale:g}", "--out", str(dataset)], check=True,
                       stdout=subprocess.DEVNULL)
    work = Path(tempfile.mkdtemp(prefix="kg-reload-"))
    changed = changed_copy(dataset, work / "changed")
    steps: dict[str, tuple[str, ...]] = {
        "first load": ("load", str(dataset), "--replace"),
        "reload, unchanged": ("load", str(dataset)),
        "reload, one change": ("load", str(changed)),
        "reload, back": ("load", str(dataset)),
        "open (one audit check)": ("audit", "--check", "kecamatan.unzoned"),
    }
    results: list[dict[str, Any]] = []
    try:
        for round_ in range(options.rounds):
            for kg in executables:
                store = work / "store"
                shutil.rmtree(store, ignore_errors=True)
                for step, command in steps.items():
                    done = timed([kg, "--store", str(store), *command])
                    done.update(round=round_ + 1, kg=kg, step=step)
                    expected = EXPECTED[step]
                    done["changes_as_expected"] = expected is None or done["changes"] == expected
                    results.append(done)
                    say(f"round {round_ + 1} {kg}: {step} {done['wall']:.1f} s (kg CPU "
                        f"{done['kg_cpu']:.1f} s, engine {done['engine_cpu']:.1f} s, peak "
                        f"{done['kg_peak_mib']:,.0f} + {done['engine_peak_mib']:,.0f} MiB, "
                        f"load {done['load_average']:.1f}) {done['changes']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    keys = ("wall", "kg_cpu", "engine_cpu", "kg_peak_mib", "engine_peak_mib", "load_average")
    print("| kg | step | wall s | kg CPU s | engine CPU s | kg peak MiB | engine peak MiB "
          "| load average |")
    print("|---|---|---|---|---|---|---|---|")
    for kg in executables:
        for step in steps:
            runs = [r for r in results if r["kg"] == kg and r["step"] == step]
            print(f"| {kg} | {step} | " + " | ".join(
                ", ".join(f"{r[key]:,.1f}" if "peak" not in key else f"{r[key]:,.0f}"
                          for r in runs) for key in keys) + " |")
    out = options.out or DATA / f"reload-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"saved {out}")
    if not all(r["changes_as_expected"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Reloads against first loads: ``kg load`` of a dataset the store already holds.

    python benchmarks/reload.py [--scale 1] [--rounds 2] [--kg PATH ...]

Each round, for each ``kg`` executable given (``--kg``, default the one beside this
Python; give two to interleave two versions of the code), in a fresh store in /tmp:

1. ``kg load --replace`` of the generated dataset (the first load);
2. ``kg load`` of the same dataset again (a reload that changes nothing);
3. ``kg load`` of a copy with one sentra's occupied kiosks changed and one funding row
   removed (a reload that finds one change of each kind);
4. ``kg load`` of the first dataset again (a reload that puts both back).

Each is a process, timed from start to exit: wall time, CPU of the whole process tree,
and of it the engine's ``redis-server`` (sampled from /proc every 20 ms: its last sample
before it stops, so a little under), the load average when it started, and the change
counts it printed (checked against what was changed). Results are printed and saved as
JSON beside the data.
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
    """Samples the CPU time of every descendant of a process, by command name."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.seen: dict[int, tuple[str, float]] = {}
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
            self._stop.wait(self.interval)


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
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--kg", action="append", help="kg executables to compare")
    parser.add_argument("--dataset", type=Path, help="a generated dataset to use")
    options = parser.parse_args()
    executables = options.kg or [str(Path(sys.executable).with_name("kg"))]
    dataset = options.dataset or DATA / f"x{options.scale:g}"
    if not (dataset / "dataset.yaml").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--scale",
                        f"{options.scale:g}", "--out", str(dataset)], check=True,
                       stdout=subprocess.DEVNULL)
    work = Path(tempfile.mkdtemp(prefix="kg-reload-"))
    changed = changed_copy(dataset, work / "changed")
    steps = {"first load": (dataset, "--replace"), "reload, unchanged": (dataset,),
             "reload, one change": (changed,), "reload, back": (dataset,)}
    results: list[dict[str, Any]] = []
    try:
        for round_ in range(options.rounds):
            for kg in executables:
                store = work / "store"
                shutil.rmtree(store, ignore_errors=True)
                for step, (path, *flags) in steps.items():
                    done = timed([kg, "--store", str(store), "load", str(path), *flags])
                    done.update(round=round_ + 1, kg=kg, step=step)
                    expected = EXPECTED[step]
                    done["changes_as_expected"] = expected is None or done["changes"] == expected
                    results.append(done)
                    say(f"round {round_ + 1} {kg}: {step} {done['wall']:.1f} s (kg CPU "
                        f"{done['kg_cpu']:.1f} s, engine {done['engine_cpu']:.1f} s, load "
                        f"{done['load_average']:.1f}) {done['changes']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| kg | step | wall s | kg CPU s | engine CPU s | load average |")
    print("|---|---|---|---|---|---|")
    for kg in executables:
        for step in steps:
            runs = [r for r in results if r["kg"] == kg and r["step"] == step]
            print(f"| {kg} | {step} | " + " | ".join(
                ", ".join(f"{r[key]:.1f}" for r in runs)
                for key in ("wall", "kg_cpu", "engine_cpu", "load_average")) + " |")
    out = DATA / f"reload-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"saved {out}")
    if not all(r["changes_as_expected"] for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()

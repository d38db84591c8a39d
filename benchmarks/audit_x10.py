"""The audit of one store, per check and whole: wall, engine CPU, Python CPU, findings.

    python benchmarks/audit_x10.py --store PATH --as-of 2026-06-30 --rounds 2 \\
        [--checks] [--dump FINDINGS.json] [--out RESULT.json]

Opens the store read-only through the library (``kg.store.open_store``) and runs
``kg.audit.run_audit`` as ``kg audit`` does: with ``--checks``, each check alone first
(per-check figures), then in every round the whole audit (the checks side by side,
``KG_AUDIT_THREADS`` threads, default 2). Never point it at a store another process may
open: copy the store first (``cp -r /work/bench/x10-store /tmp/NAME-x10``).

The figures of each run: wall seconds; the engine's CPU seconds (its ``redis-server``,
the child process the store started, user + system from ``/proc/PID/stat``); this
process's CPU seconds (every thread: reading replies, building findings); the load
average (1 min) before it; the findings' count and a digest of every finding (subject,
names, related, message, values, in the order returned), so that two versions of the
code can be compared run by run. ``--dump`` writes every finding of the last whole audit
as JSON, for a line-by-line comparison. After each whole audit every message is read
once, as output reads them, and the Python CPU that takes is given apart (``messages``:
worded there since messages are worded when first read, ``kg.audit.Finding``).

The engine is found as this process's child (``/proc``), not through the store's
attributes: a store attached to a warm engine (``kg engine start``) has no child, and the
script stops with a message then.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from watch import children_of, cpu_of  # noqa: E402


def engine_pid() -> int:
    """The ``redis-server`` this process started (the store's embedded engine)."""
    found = [pid for pid in children_of(os.getpid())
             if Path(f"/proc/{pid}/comm").read_text().strip() == "redis-server"]
    if len(found) != 1:
        sys.exit(f"expected one engine started by this process, found {found}: "
                 "is a warm engine serving the store (kg engine stop)?")
    return found[0]


def engine_cpu(pid: int) -> float:
    cpu = cpu_of(pid)
    if cpu is None:
        sys.exit(f"the engine {pid} stopped")
    return cpu


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def load_average() -> float:
    return os.getloadavg()[0]


def measured(engine: int, work: Callable[[], Any]) -> tuple[Any, dict[str, float]]:
    load = load_average()
    engine_before, python_before = engine_cpu(engine), own_cpu()
    started = time.perf_counter()
    result = work()
    wall = time.perf_counter() - started
    return result, {
        "wall": round(wall, 3),
        "engine_cpu": round(engine_cpu(engine) - engine_before, 2),
        "python_cpu": round(own_cpu() - python_before, 2),
        "load": round(load, 2),
    }


def finding_rows(results: list[Any]) -> list[dict[str, Any]]:
    """Every finding as plain data, in the order the audit returned them."""
    return [
        {"check": r.id, "subject": f.subject, "subject_name": f.subject_name,
         "related": f.related, "related_names": f.related_names, "message": f.message,
         "values": f.values}
        for r in results
        for f in r.findings
    ]


def digest(rows: list[dict[str, Any]]) -> str:
    text = json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--checks", action="store_true", help="each check alone first")
    parser.add_argument("--dump", type=Path, help="write every finding as JSON")
    parser.add_argument("--out", type=Path, help="save the figures as JSON")
    parser.add_argument("--label", default="", help="a name for this run in the JSON")
    args = parser.parse_args()

    from kg.audit import check_ids, run_audit
    from kg.store import StoreConfig, open_store

    started = time.perf_counter()
    store = open_store(StoreConfig(path=args.store))
    opened = time.perf_counter() - started
    run: dict[str, Any] = {
        "label": args.label, "store": str(args.store), "as_of": args.as_of,
        "lang": args.lang, "open": round(opened, 2), "python": platform.python_version(),
        "audit_threads": os.environ.get("KG_AUDIT_THREADS", ""), "checks": {},
        "rounds": [],
    }
    try:
        engine = engine_pid()
        if args.checks:
            for check in check_ids():
                (result,), figures = measured(
                    engine, lambda c=check: run_audit(store, [c], lang=args.lang,
                                                      as_of=args.as_of))
                figures["findings"] = result.count
                run["checks"][check] = figures
                print(f"{check:32} {result.count:>8} findings  {figures['wall']:6.2f} s wall "
                      f"{figures['engine_cpu']:6.2f} s engine {figures['python_cpu']:6.2f} s "
                      f"Python", flush=True)
        for number in range(1, args.rounds + 1):
            results, figures = measured(
                engine, lambda: run_audit(store, lang=args.lang, as_of=args.as_of))
            _, shown = measured(engine, lambda r=results: [f.message for c in r
                                                          for f in c.findings])
            figures["messages"] = shown["python_cpu"]
            rows = finding_rows(results)
            figures["findings"] = len(rows)
            figures["digest"] = digest(rows)
            run["rounds"].append(figures)
            print(f"round {number}: whole audit {figures['wall']:.2f} s wall, "
                  f"{figures['engine_cpu']:.2f} s engine CPU, {figures['python_cpu']:.2f} s "
                  f"Python CPU (then {figures['messages']:.2f} s reading the messages), "
                  f"{figures['findings']} findings ({figures['digest']}), "
                  f"load {figures['load']}", flush=True)
            if args.dump and number == args.rounds:
                args.dump.write_text(json.dumps(rows, ensure_ascii=False, default=str))
            del results, rows
    finally:
        store.close()
    if args.out:
        args.out.write_text(json.dumps(run, indent=1) + "\n")


if __name__ == "__main__":
    main()

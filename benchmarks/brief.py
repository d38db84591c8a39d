"""A brief of named sentra on a national store: the whole command, and its parts.

    python benchmarks/brief.py --store STORE --sentra sentra-1 --rounds 3 \
        --kg .venv/bin/kg --kg before=/tmp/old/.venv/bin/kg --out results.json
    python benchmarks/brief.py --store STORE --sentra sentra-1 --parts [--whole]

Commands: ``kg report --sentra ... --as-of ...`` (and ``--pdf`` with ``--pdf``) run as a
user runs them, the embedded engine started by the command, each ``--kg`` executable once
per round, interleaved. Per run: wall seconds, CPU seconds of the ``kg`` process and of
its ``redis-server`` child (read from /proc until they exit), the CPU of the process tree
as ``wait4`` reports it, that of the store's warm engine when one runs (``kg engine
start`` beforehand), and the load average (1 minute) before and after.

``--parts`` times, in this process on one open store, each read ``build_brief`` makes
(wall seconds, CPU seconds of this process and of the engine): the counts, the
neighbourhoods, the audit, the stakeholder grid on the neighbourhoods, each sentra's own
queries, the whole area's indicators, the page (``render_brief``) and, with ``--pdf``,
its printing; ``--whole`` adds what the brief read before (the whole graph into
networkx, the grid measured on it).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from watch import children_of, cpu_of, watched


def command(kg: str, store: Path, sentra: list[str], as_of: str, pdf: bool) -> dict[str, Any]:
    """Run ``kg report`` once; its times (see the module docstring)."""
    with tempfile.TemporaryDirectory(prefix="brief-bench-") as tmp:
        output = Path(tmp) / ("brief.pdf" if pdf else "brief.html")
        args = [kg, "--store", str(store), "report", "--as-of", as_of, "-o", str(output)]
        args += [a for s in sentra for a in ("--sentra", s)] + (["--pdf"] if pdf else [])
        found = watched(args, store)
        found.pop("stderr")
        return found | {"said": found.pop("stdout").strip(), "bytes": output.stat().st_size}


def parts(store_path: Path, sentra: list[str], as_of: str, pdf: bool, whole: bool
          ) -> dict[str, Any]:
    """Time each read of a brief of `sentra` on one open store."""
    from kg import audit, report
    from kg.graph import to_networkx
    from kg.indicators import indicator_series
    from kg.report.brief import neighbourhoods
    from kg.stakeholders import assess_stakeholders
    from kg.stats import graph_counts
    from kg.store import StoreConfig, open_store

    day = datetime.date.fromisoformat(as_of)
    times: dict[str, Any] = {"load_before": round(os.getloadavg()[0], 2)}

    def engine_cpu() -> float:
        return sum(cpu_of(pid) or 0.0 for pid in children_of(os.getpid())
                   if Path(f"/proc/{pid}/comm").read_text().strip() == "redis-server")

    def timed(name: str, run: Callable[[], Any]) -> Any:
        wall, cpu, engine = time.perf_counter(), time.process_time(), engine_cpu()
        result = run()
        times[name] = {"wall_s": round(time.perf_counter() - wall, 3),
                       "cpu_s": round(time.process_time() - cpu, 3),
                       "engine_cpu_s": round(engine_cpu() - engine, 3)}
        print(f"{name}: {times[name]['wall_s']} s wall, {times[name]['cpu_s']} s CPU, "
              f"engine {times[name]['engine_cpu_s']} s CPU", flush=True)
        return result

    store = timed("open", lambda: open_store(StoreConfig(path=store_path)))
    with store:
        timed("counts", lambda: graph_counts(store))
        graph = timed("neighbourhoods", lambda: neighbourhoods(store, sentra))
        times["neighbourhood_size"] = [graph.number_of_nodes(), graph.number_of_edges()]
        timed("audit", lambda: audit.run_audit(store, as_of=day))
        timed("grid_on_neighbourhood", lambda: assess_stakeholders(store, graph=graph))
        for one in sentra:
            sentra_parts(timed, store, one, day, graph)
        timed("area_indicators", lambda: indicator_series(store, day))
        brief = timed("build_brief", lambda: report.build_brief(store, sentra=sentra,
                                                                 as_of=day))
        page = timed("render_brief", lambda: report.render_brief(brief))
        if pdf:
            timed("print_pdf", lambda: report.print_pdf(page))
        if whole:
            timed("before: to_networkx (whole graph)", lambda: to_networkx(store))
            timed("before: grid on the whole graph", lambda: assess_stakeholders(store))
    times["load_after"] = round(os.getloadavg()[0], 2)
    return times


def sentra_parts(timed: Callable[[str, Callable[[], Any]], Any], store: Any, one: str,
                 day: datetime.date, graph: Any) -> None:
    """Time the queries a brief makes for the sentra `one`."""
    from kg import queries
    from kg.chain import supply_chain
    from kg.followup import commitments, engagements, planned_activities, since_day
    from kg.indicators import indicator_series
    from kg.raci_chart import raci_chart

    timed(f"{one}: place", lambda: queries.run(store, "sentra_place", {"sentra": one}))
    timed(f"{one}: actors", lambda: queries.run(store, "sentra_actors", {"sentra": one}))
    timed(f"{one}: raci_chart", lambda: raci_chart(store, one))
    timed(f"{one}: plan", lambda: planned_activities(store, day, one))
    timed(f"{one}: engagements", lambda: engagements(store, day, one, since_day(day, "12m")))
    timed(f"{one}: commitments", lambda: commitments(store, day, one, open_only=True))
    timed(f"{one}: indicators", lambda: indicator_series(store, day, one))
    products = [c for _, c, kind in graph.out_edges(one, data="type") if kind == "PRODUCES"]
    timed(f"{one}: chains", lambda: [(supply_chain(store, c, downstream=False),
                                      supply_chain(store, c, downstream=True))
                                     for c in products])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--sentra", action="append", required=True)
    parser.add_argument("--as-of", default="2026-06-30")
    parser.add_argument("--kg", action="append", default=[],
                        help="a kg executable, or NAME=PATH (repeatable; runs interleave)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--pdf", action="store_true")
    parser.add_argument("--parts", action="store_true")
    parser.add_argument("--whole", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result: dict[str, Any] = {"store": str(args.store), "sentra": args.sentra,
                              "as_of": args.as_of, "cores": os.cpu_count()}
    if args.parts:
        result["parts"] = parts(args.store, args.sentra, args.as_of, args.pdf, args.whole)
    runs: list[dict[str, Any]] = []
    for round_number in range(1, args.rounds + 1 if args.kg else 1):
        for given in args.kg:
            name, _, path = given.rpartition("=")
            run = {"round": round_number, "kg": name or path,
                   **command(path, args.store, args.sentra, args.as_of, args.pdf)}
            print(json.dumps(run), flush=True)
            runs.append(run)
    if runs:
        result["pdf"] = args.pdf
        result["runs"] = runs
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

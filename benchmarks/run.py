"""National-size benchmark: load, audit, chain and 2-hop times against planted gaps.

    python benchmarks/run.py [--scale 1 10 ...] [--no-networkx]

For each scale, in one run: generate the dataset (``generate.py``, cached under
``benchmarks/data/``), then in separate processes, so that each has its own peak memory:

1. parse and validate only (``read_dataset``): the floor for any load;
2. ``kg load --replace`` into a fresh embedded store, the command a user runs: wall time,
   rate in nodes+relationships per second, CPU of the whole process tree, peak memory of
   the tree (the ``kg`` process and its ``redis-server`` child, sampled from /proc), and
   the progress lines it printed;
3. on the loaded store: each audit check alone, the whole audit (``run_audit``), ``kg
   chain`` (``supply_chain``) from a raw commodity, and a 2-hop neighbourhood query;
4. whole ``kg`` commands from the shell (``stats``, ``query node_neighbours``, ``chain``,
   ``audit``), each without a warm engine (cold) and with one (``kg engine start``),
   their outputs compared;
5. the same audit in plain Python/networkx on the same validated data (the baseline).

The audit's finding counts are compared with the numbers the generator planted and with
the baseline's. Results are printed as Markdown tables and saved as JSON beside the data.
The machine is shared and noisy: read the ratios, and the CPU seconds beside wall times.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

DATA = HERE / "data"
PAGE = os.sysconf("SC_PAGE_SIZE")
TWO_HOP = "MATCH (s:Sentra {id: $id})-[*1..2]-(n) RETURN count(DISTINCT n) AS n"


# -- measuring a process tree --------------------------------------------------------


class TreeMemory:
    """Samples the resident memory of a process and all its descendants (Linux /proc)."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak = 0
        self.peak_parts: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            parts = tree_rss(self.pid)
            total = sum(parts.values())
            if total > self.peak:
                self.peak, self.peak_parts = total, parts
            self._stop.wait(self.interval)


def tree_rss(root: int) -> dict[str, int]:
    """Resident bytes of ``root`` and its descendants, summed per command name."""
    children: dict[int, list[int]] = defaultdict(list)
    names: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children[ppid].append(int(entry))
        names[int(entry)] = name
    result: dict[str, int] = defaultdict(int)
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError):
            continue
        result[names.get(pid, "?")] += pages * PAGE
        stack.extend(children.get(pid, ()))
    return dict(result)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(command: list[str], **kwargs: Any) -> dict[str, Any]:
    """Run ``command``; its wall time, CPU of its tree, peak tree memory and output."""
    cpu = children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, **kwargs)
    with TreeMemory(process.pid) as memory:
        stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    return {
        "wall": wall,
        "cpu": children_cpu() - cpu,
        "peak_bytes": memory.peak,
        "peak_parts": memory.peak_parts,
        "stdout": stdout,
        "stderr": stderr,
    }


def worker(phase: str, *args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--phase", phase, *args]


# -- phases run in child processes ---------------------------------------------------


def phase_parse(dataset: Path) -> dict[str, Any]:
    from kg.loaders import read_dataset

    started, cpu = time.perf_counter(), time.process_time()
    graph = read_dataset([dataset])
    return {"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
            "nodes": len(graph.nodes), "relationships": len(graph.relationships)}


def phase_query(store_path: Path, chain_from: str, sentra: str, as_of: str) -> dict[str, Any]:
    from kg.audit import check_ids, run_audit
    from kg.chain import supply_chain
    from kg.stats import graph_counts
    from kg.store import StoreConfig, open_store

    started = time.perf_counter()
    with open_store(StoreConfig(path=store_path)) as store:
        opened = time.perf_counter() - started
        started = time.perf_counter()
        graph_counts(store)
        stats_seconds = time.perf_counter() - started
        checks: dict[str, dict[str, Any]] = {}
        for check in check_ids():
            started = time.perf_counter()
            (result,) = run_audit(store, [check], as_of=as_of)
            checks[check] = {"seconds": time.perf_counter() - started, "count": result.count}
        started = time.perf_counter()
        results = run_audit(store, as_of=as_of)
        audit = time.perf_counter() - started
        started = time.perf_counter()
        chain = supply_chain(store, chain_from)
        chain_seconds = time.perf_counter() - started
        started = time.perf_counter()
        hop = store.run(TWO_HOP, {"id": sentra}).scalar()
        hop_seconds = time.perf_counter() - started
    return {
        "open": opened,
        "stats": stats_seconds,
        "checks": checks,
        "audit": audit,
        "audit_counts": {r.id: r.count for r in results},
        "chain": {"seconds": chain_seconds, "paths": len(chain.paths), "from": chain_from},
        "two_hop": {"seconds": hop_seconds, "nodes": hop, "from": sentra},
    }


def phase_networkx(dataset: Path) -> dict[str, Any]:
    from kg.loaders import read_dataset

    graph = read_dataset([dataset])
    started = time.perf_counter()
    g = nx_graph(graph)
    built = time.perf_counter() - started
    del graph
    checks: dict[str, dict[str, Any]] = {}
    total = 0.0
    for check, function in NX_CHECKS.items():
        started = time.perf_counter()
        found = function(g)
        seconds = time.perf_counter() - started
        total += seconds
        checks[check] = {"seconds": seconds, "count": len(found)}
    return {"build": built, "audit": total, "checks": checks,
            "nodes": g.number_of_nodes(), "edges": g.number_of_edges()}


# -- the audit in plain Python on networkx (the baseline) -----------------------------

RACI = ("RESPONSIBLE_FOR", "ACCOUNTABLE_FOR", "CONSULTED_ON", "INFORMED_OF")


def nx_graph(graph: Any) -> Any:
    """The dataset as kg.analytics expects it: MultiDiGraph, relationship type as key."""
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_nodes_from((n.id, {"label": n.label.value, **n.props}) for n in graph.nodes)
    g.add_edges_from((r.start, r.end, r.type.value, dict(r.props)) for r in graph.relationships)
    return g


def _of(g: Any, label: str) -> Iterable[str]:
    return (n for n, data in g.nodes(data=True) if data["label"] == label)


def _in(g: Any, node: str, rel: str) -> list[str]:
    return [u for u, keys in g.pred[node].items() if rel in keys]


def _out(g: Any, node: str, rel: str) -> list[str]:
    return [v for v, keys in g.succ[node].items() if rel in keys]


def nx_actor_unmapped(g: Any) -> list[str]:
    return [a for a in _of(g, "Actor")
            if not any(k in RACI for keys in g.succ[a].values() for k in keys)]


def nx_no_role(rel: str) -> Callable[[Any], list[str]]:
    def check(g: Any) -> list[str]:
        return [t for t in _of(g, "Activity") if not _in(g, t, rel)]

    return check


def nx_multiple_accountable(g: Any) -> list[str]:
    return [t for t in _of(g, "Activity")
            if sum(1 for u in _in(g, t, "ACCOUNTABLE_FOR") if g.nodes[u]["label"] == "Actor")
            >= 2]


def nx_unscheduled(g: Any) -> list[str]:
    return [t for t in _of(g, "Activity")
            if not g.nodes[t].get("phase") and not g.nodes[t].get("due")]


def nx_government_dependent(g: Any, share_at_least: float = 0.8) -> list[str]:
    found = []
    for s in _of(g, "Sentra"):
        funds = [data for u, keys in g.pred[s].items() for k, data in keys.items()
                 if k == "FUNDS"]
        if not funds:
            continue
        government = [f.get("sourceType") in ("APBD", "APBN") for f in funds]
        amounts = [f.get("amountIdr") for f in funds]
        total = sum(a or 0 for a in amounts)
        if all(a is not None for a in amounts) and total > 0:
            share = sum(a or 0 for a, gov in zip(amounts, government, strict=True) if gov) / total
        else:
            share = sum(government) / len(funds)
        if share >= share_at_least:
            found.append(s)
    return found


def nx_no_marketing_training(g: Any) -> list[str]:
    def training(t: str) -> bool:
        data = g.nodes[t]
        return data.get("category") == "training" and data.get("topic") in (
            "marketing", "communication")

    return [s for s in _of(g, "Sentra") if not any(training(t) for t in _in(g, s, "CONCERNS"))]


def nx_low_occupancy(g: Any, below: float = 0.7) -> list[str]:
    found = []
    for s in _of(g, "Sentra"):
        data = g.nodes[s]
        total, occupied = data.get("kiosksTotal"), data.get("kiosksOccupied")
        if total and total > 0 and occupied is not None and occupied / total < below:
            found.append(s)
    return found


def nx_no_sanction(g: Any) -> list[str]:
    return [r for r in _of(g, "Regulation") if not g.nodes[r].get("hasSanction")]


def _produced(g: Any) -> set[str]:
    return {c for s in _of(g, "Sentra") for c in _out(g, s, "PRODUCES")}


def nx_no_upstream(g: Any) -> list[str]:
    return [c for c in _produced(g)
            if g.nodes[c].get("stage") != "raw" and not _in(g, c, "SUPPLIES")]


def nx_no_market(g: Any) -> list[str]:
    reach = {c for c in _of(g, "Commodity") if _out(g, c, "SOLD_IN")}
    stack = list(reach)
    while stack:  # walk SUPPLIES backwards from every commodity that is sold somewhere
        for u in _in(g, stack.pop(), "SUPPLIES"):
            if u not in reach:
                reach.add(u)
                stack.append(u)
    return [c for c in _produced(g) if c not in reach]


def nx_focus_without_sentra(g: Any) -> list[tuple[str, str]]:
    found = []
    for z in _of(g, "Zone"):
        made = {c for k in _in(g, z, "IN_ZONE") for s in _in(g, k, "LOCATED_IN")
                for c in _out(g, s, "PRODUCES")}
        found += [(z, c) for c in _out(g, z, "FOCUSES_ON") if c not in made]
    return found


def nx_unzoned(g: Any) -> list[str]:
    return [k for k in _of(g, "Kecamatan") if not _out(g, k, "IN_ZONE")]


NX_CHECKS: dict[str, Callable[[Any], list[Any]]] = {
    "activity.multiple_accountable": nx_multiple_accountable,
    "activity.no_accountable": nx_no_role("ACCOUNTABLE_FOR"),
    "activity.no_responsible": nx_no_role("RESPONSIBLE_FOR"),
    "kecamatan.unzoned": nx_unzoned,
    "activity.unscheduled": nx_unscheduled,
    "actor.unmapped": nx_actor_unmapped,
    "regulation.no_sanction": nx_no_sanction,
    "sentra.government_dependent": nx_government_dependent,
    "sentra.low_occupancy": nx_low_occupancy,
    "sentra.no_marketing_training": nx_no_marketing_training,
    "supply.no_market": nx_no_market,
    "supply.no_upstream": nx_no_upstream,
    "zone.focus_without_sentra": nx_focus_without_sentra,
}


# -- one scale -----------------------------------------------------------------------


def bench(scale: float, *, networkx: bool, keep_store: bool) -> dict[str, Any]:
    started = time.perf_counter()
    dataset = generate.ensure(scale, DATA)
    generated = time.perf_counter() - started
    summary = json.loads((dataset / "expected.json").read_text(encoding="utf-8"))
    say(f"x{scale:g}: dataset {dataset} ({generated:.1f} s to generate or find)")

    parse = measured(worker("parse", str(dataset)))
    parse.update(json.loads(parse.pop("stdout")))
    entities = parse["nodes"] + parse["relationships"]
    say(f"x{scale:g}: parse+validate {parse['seconds']:.1f} s, "
        f"{entities / parse['seconds']:,.0f} rows/s, peak {mib(parse['peak_bytes'])}")

    store = DATA / f"store-x{scale:g}"
    shutil.rmtree(store, ignore_errors=True)
    kg = str(Path(sys.executable).with_name("kg"))
    load = measured([kg, "--store", str(store), "load", str(dataset), "--replace"])
    progress_lines = [line for line in load.pop("stderr").splitlines() if "writing" in line]
    load["progress_lines"] = len(progress_lines)
    load["progress_sample"] = progress_lines[:2] + progress_lines[-1:]
    load["summary"] = load.pop("stdout").splitlines()[0]
    load["store_bytes"] = (store / "graph.rdb").stat().st_size
    say(f"x{scale:g}: kg load {load['wall']:.1f} s, {entities / load['wall']:,.0f} "
        f"nodes+rels/s, peak {mib(load['peak_bytes'])} ({load['progress_lines']} progress "
        "lines)")

    # The planted counts of the follow-up checks hold as of the generator's day.
    as_of = summary["as_of"]
    query = measured(worker("query", str(store), "cmd-1-r0", "sentra-1", as_of))
    query.update(json.loads(query.pop("stdout")))
    say(f"x{scale:g}: open {query['open']:.2f} s, stats {query['stats']:.3f} s, "
        f"audit {query['audit']:.2f} s, chain {query['chain']['seconds']:.3f} s, "
        f"2-hop {query['two_hop']['seconds']:.3f} s")
    oneshot = one_shot(store, "cmd-1-r0", "sentra-1", as_of)
    say(f"x{scale:g}: one-shot cold/warm: " + ", ".join(
        f"{name} {min(times['cold']):.2f}/{min(times['warm']):.2f} s"
        for name, times in oneshot["commands"].items()))
    if not keep_store:
        shutil.rmtree(store, ignore_errors=True)

    baseline = None
    if networkx:
        baseline = measured(worker("networkx", str(dataset)))
        baseline.update(json.loads(baseline.pop("stdout")))
        say(f"x{scale:g}: networkx audit {baseline['audit']:.2f} s "
            f"(graph built in {baseline['build']:.1f} s)")
    return {"scale": scale, "summary": summary, "parse": parse, "load": load,
            "query": query, "networkx": baseline, "oneshot": oneshot}


ONE_SHOT_RUNS = 2


def one_shot(store: Path, chain_from: str, sentra: str, as_of: str) -> dict[str, Any]:
    """Wall time of whole ``kg`` commands as a user runs them, without and with a warm
    engine (``kg engine start``): Python start-up, opening the store, the answer."""
    kg = [str(Path(sys.executable).with_name("kg")), "--store", str(store)]
    commands = {
        "stats": ["stats"],
        "node_neighbours": ["query", "node_neighbours", "-p", f"id={sentra}"],
        "chain": ["chain", chain_from],
        "audit": ["audit", "--format", "json", "--as-of", as_of],
    }
    times: dict[str, dict[str, list[float]]] = {name: {"cold": [], "warm": []}
                                                for name in commands}
    outputs: dict[str, set[str]] = {name: set() for name in commands}

    def run_all(mode: str) -> None:
        for _ in range(ONE_SHOT_RUNS):
            for name, args in commands.items():
                done = measured(kg + args)
                times[name][mode].append(done["wall"])
                outputs[name].add(done["stdout"])

    run_all("cold")
    started = measured([*kg, "engine", "start", "--idle-timeout", "10m"])
    try:
        status = measured([*kg, "engine", "status"])["stdout"]
        run_all("warm")
    finally:
        measured([*kg, "engine", "stop"])
    return {"commands": times, "engine_start": started["wall"], "engine_status": status,
            "same_output": all(len(found) == 1 for found in outputs.values())}


# -- report --------------------------------------------------------------------------


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def machine() -> dict[str, str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               "?")
    memory = next(line.split(":", 1)[1].strip() for line in
                  Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    from kg.audit import audit_threads

    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": memory,
            "python": platform.python_version(), "load_average": str(os.getloadavg()),
            "audit_threads": str(audit_threads())}


def report(runs: list[dict[str, Any]]) -> str:
    lines = ["| scale | nodes | rels | parse+validate s | kg load s | load rate /s | "
             "load / parse | peak MiB (load) | audit s | networkx audit s | "
             "nx / audit | chain s | 2-hop s | open s | stats s |",
             "|---" * 15 + "|"]
    for run in runs:
        parse, load, query, nx = run["parse"], run["load"], run["query"], run["networkx"]
        entities = parse["nodes"] + parse["relationships"]
        nx_cells = (f"{nx['audit']:.2f} | {nx['audit'] / query['audit']:.1f}" if nx
                    else "- | -")
        lines.append(
            f"| x{run['scale']:g} | {parse['nodes']:,} | {parse['relationships']:,} | "
            f"{parse['seconds']:.1f} | {load['wall']:.1f} | {entities / load['wall']:,.0f} | "
            f"{load['wall'] / parse['seconds']:.2f} | {load['peak_bytes'] / 2**20:,.0f} | "
            f"{query['audit']:.2f} | {nx_cells} | {query['chain']['seconds']:.3f} | "
            f"{query['two_hop']['seconds']:.3f} | {query['open']:.2f} | "
            f"{query['stats']:.3f} |"
        )
    lines += ["", "One-shot commands, wall seconds from the shell (best of "
              f"{ONE_SHOT_RUNS}; cold: no warm engine, warm: after `kg engine start`):", "",
              "| scale | command | cold s | warm s | cold / warm |", "|---" * 5 + "|"]
    for run in runs:
        shots = run.get("oneshot")
        if not shots:
            continue
        for name, times in shots["commands"].items():
            cold, hot = min(times["cold"]), min(times["warm"])
            lines.append(f"| x{run['scale']:g} | {name} | {cold:.2f} | {hot:.2f} | "
                         f"{cold / hot:.1f} |")
        lines.append(f"| x{run['scale']:g} | (`kg engine start`) | {shots['engine_start']:.2f} "
                     f"| - | - |")
        if not shots["same_output"]:
            lines.append(f"| x{run['scale']:g} | OUTPUT DIFFERS warm/cold | | | |")
    lines += ["", "Per check (seconds; count found / planted / networkx):", ""]
    header = "| check | " + " | ".join(f"x{r['scale']:g} s | x{r['scale']:g} nx s | "
                                       f"x{r['scale']:g} found/planted/nx" for r in runs) + " |"
    lines += [header, "|---" * (1 + 3 * len(runs)) + "|"]
    for check in runs[0]["query"]["checks"]:
        cells = []
        for run in runs:
            mine = run["query"]["checks"][check]
            nx = (run["networkx"] or {}).get("checks", {}).get(check)
            planted = run["summary"]["expected"].get(check)
            cells.append(f"{mine['seconds']:.3f} | {nx['seconds']:.3f}" if nx
                         else f"{mine['seconds']:.3f} | -")
            cells.append(f"{mine['count']:,} / {'-' if planted is None else f'{planted:,}'} / "
                         + (f"{nx['count']:,}" if nx else "-"))
        lines.append(f"| {check} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def mismatches(run: dict[str, Any]) -> list[str]:
    problems = []
    if run.get("oneshot") and not run["oneshot"]["same_output"]:
        problems.append(f"x{run['scale']:g}: a one-shot command answered differently warm")
    planted = run["summary"]["expected"]
    for check, found in run["query"]["audit_counts"].items():
        if check not in planted:  # a check newer than the generator: nothing planted
            continue
        if found != planted.get(check):
            problems.append(f"x{run['scale']:g} {check}: audit {found}, planted "
                            f"{planted.get(check)}")
        nx = (run["networkx"] or {}).get("checks", {}).get(check)
        if nx and nx["count"] != found:
            problems.append(f"x{run['scale']:g} {check}: audit {found}, networkx {nx['count']}")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--no-networkx", dest="networkx", action="store_false",
                        help="Skip the networkx baseline.")
    parser.add_argument("--keep-store", action="store_true",
                        help="Keep the loaded stores under benchmarks/data/.")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase:
        phases: dict[str, Callable[..., dict[str, Any]]] = {
            "parse": lambda d: phase_parse(Path(d)),
            "query": lambda s, c, t, d: phase_query(Path(s), c, t, d),
            "networkx": lambda d: phase_networkx(Path(d)),
        }
        print(json.dumps(phases[options.phase](*options.args)))
        return
    runs = [bench(scale, networkx=options.networkx, keep_store=options.keep_store)
            for scale in options.scale]
    info = machine()
    print(f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']}, "
          f"Python {info['python']}, audit threads {info['audit_threads']}, "
          f"load average at the end {info['load_average']}\n")
    out = DATA / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps({"machine": info, "runs": runs}, indent=2), encoding="utf-8")
    print(report(runs))
    problems = [p for run in runs for p in mismatches(run)]
    print("\nFinding counts: " + ("all equal to the planted numbers" + (
        " and to networkx" if options.networkx else "") if not problems else "MISMATCH"))
    for problem in problems:
        print(f"  {problem}")
    print(f"\n(raw figures: {out})")
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()

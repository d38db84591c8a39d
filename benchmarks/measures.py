"""Network measures at national scale: time and memory of each part of ``kg analyze`` and
``kg stakeholders``, and the error of the estimate against exact figures.

    python benchmarks/measures.py --store STORE            # time every part on a store
    python benchmarks/measures.py --scale 0.1 --error      # generate, load, error table
    python benchmarks/measures.py --store STORE --save-network NET.pkl   # then, no engine:
    python benchmarks/measures.py --network NET.pkl        # the measures alone, again

``--scale`` generates a dataset (``generate.py``) and loads it into a temporary store that
is deleted afterwards; ``--store`` uses a store already loaded (build the x10 one once, it
takes minutes). Timing: reading what the measures use of the store
(``kg.graph.read_network``, as ``kg analyze`` and ``kg stakeholders`` do), the stakeholder
projection (as arrays above ``--exact-up-to``, ``kg.analytics.projection_arrays``), the
igraph graph, betweenness and brokerage side by side (the estimates' forked child
included: its CPU time and peak are columns of their own), Burt's constraint and
effective size (all as ``kg.centrality`` computes them), components, RACI coverage, then
the whole ``stakeholder_report`` and ``structural_influence``, with the process's CPU
time, resident memory after each and its peak, the load average, and the engine's CPU
time and memory while the store is read. ``--networkx`` reads the store into networkx
(``kg.graph.to_networkx``) instead, as the commands did before.

``--error`` compares the estimate with exact figures on the same graph, for each sample
size of ``--sizes`` and each seed of ``--seeds``: exact betweenness from igraph's exact
Brandes (equal to networkx's; the test suite checks ``kg.centrality`` against networkx on
small graphs), exact brokerage from ``kg.centrality``'s exact count. Per measure and
size: how many of the exact top 20 actors the estimate's top 20 holds, Spearman's rank
correlation over all actors, and the largest relative error among the exact top 20.
Results are printed as Markdown tables and saved as JSON (``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

import kg  # noqa: E402
from kg import analytics, centrality  # noqa: E402
from kg.graph import Network, read_network, to_networkx  # noqa: E402
from kg.schema.model import BUSINESS_KINDS, GOVERNMENT_KINDS  # noqa: E402
from kg.stakeholders import structural_influence  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")
TOP = 20


def rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE / 2**20


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def engine(session: Any) -> dict[str, float]:
    """CPU seconds and memory (MiB) of the embedded engine's process (the server the
    store started), from /proc."""
    pid = session.store._server.pid
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    status = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {"cpu_seconds": (int(stat[11]) + int(stat[12])) / TICK,
            "rss_mib": round(int(status["VmRSS"].split()[0]) / 1024),
            "peak_mib": round(int(status["VmHWM"].split()[0]) / 1024)}


def children_cpu() -> float:
    """CPU seconds of this process's ended children (the estimates' forked child)."""
    times = os.times()
    return times.children_user + times.children_system


def timed(name: str, results: list[dict[str, Any]], work: Callable[[], Any]) -> Any:
    start, cpu, child = time.perf_counter(), time.process_time(), children_cpu()
    value = work()
    row = {"part": name, "seconds": round(time.perf_counter() - start, 2),
           "cpu_seconds": round(time.process_time() - cpu, 2),
           "child_cpu_seconds": round(children_cpu() - child, 2),
           "rss_mib": round(rss_mib()), "peak_mib": round(peak_mib()),
           "child_peak_mib": round(
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
           "load_average": os.getloadavg()[0]}
    results.append(row)
    print(f"| {name} | {row['seconds']} | {row['cpu_seconds']} | {row['child_cpu_seconds']} | "
          f"{row['rss_mib']} | {row['peak_mib']} | {row['child_peak_mib']} | "
          f"{row['load_average']} |", flush=True)
    return value


def sides(graph: Network) -> tuple[list[str], list[str], list[str]]:
    """The actors, the government ones and the business ones (default kinds)."""
    actors = [node for node, label in zip(graph.nodes, graph.labels, strict=True)
              if label == "Actor"]
    return (actors, [a for a in actors if graph.kinds.get(a) in GOVERNMENT_KINDS],
            [a for a in actors if graph.kinds.get(a) in BUSINESS_KINDS])


def read(store: Path, networkx: bool, results: list[dict[str, Any]]) -> Network:
    """What the commands read of ``store``, timed, with the engine's share."""
    with kg.open(store) as session:
        before = engine(session)
        if networkx:
            graph = timed("read the store (to_networkx)", results,
                          lambda: Network.from_networkx(to_networkx(session.store)))
        else:
            graph = timed("read the store (read_network)", results,
                          lambda: read_network(session.store))
        after = engine(session)
    results.append({"part": "engine while reading", "engine_cpu_seconds":
                    round(after["cpu_seconds"] - before["cpu_seconds"], 2),
                    "engine_rss_mib": after["rss_mib"], "engine_peak_mib": after["peak_mib"]})
    print(f"\nengine: {results[-1]}")
    return graph


def timings(graph: Network, sampling: centrality.Sampling, results: list[dict[str, Any]]
            ) -> list[dict[str, Any]]:
    """Each part of the measures after the read, then the two commands' whole work (the
    parts' arrays freed before, as in a command)."""
    header = ("| part | wall s | CPU s | child CPU s | RSS after MiB | peak MiB | child peak MiB "
              "| load |\n|---|---|---|---|---|---|---|---|")
    print(header)
    parts(graph, sampling, results, header)
    timed("stakeholder_report (kg analyze, after reading)", results,
          lambda: analytics.stakeholder_report(graph, sampling=sampling))
    timed("structural_influence (kg stakeholders, after reading)", results,
          lambda: structural_influence(graph, sampling))
    return results


def parts(graph: Network, sampling: centrality.Sampling, results: list[dict[str, Any]],
          header: str) -> None:
    if sampling.exact(analytics.projection_size(graph)):
        simple = timed("stakeholder projection (networkx)", results,
                       lambda: analytics.stakeholder_projection(graph))
        prepared = centrality.indexed(simple)
    else:
        prepared = timed("stakeholder projection (arrays)", results,
                         lambda: analytics.projection_arrays(graph))
    actors, government, business = sides(graph)
    print(f"\nprojection: {len(prepared.ids):,} nodes, {len(prepared.neighbours) // 2:,} ties, "
          f"{len(actors):,} actors ({len(government):,} government, {len(business):,} "
          f"business); exact: {sampling.exact(len(prepared.ids))} (exact up to "
          f"{sampling.exact_up_to:,}, sample {sampling.size}, seed {sampling.seed})\n")
    print(header)
    timed("igraph graph (from the arrays)", results, lambda: prepared.graph)
    at = prepared.positions(actors)
    timed("constraint and effective size (alone)", results,
          lambda: centrality.burt(prepared, at))
    timed("estimates: all four, betweenness over two processes", results,
          lambda: centrality.estimates(prepared, at, government, business, sampling))
    timed("components (igraph)", results, lambda: prepared.graph.connected_components())
    timed("RACI coverage", results, lambda: analytics.raci_coverage(graph))


def ranks(values: np.ndarray) -> np.ndarray:
    """Average ranks (ties share the mean of their positions), as Spearman needs them."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.r_[0, np.flatnonzero(ordered[1:] != ordered[:-1]) + 1]
    ends = np.r_[starts[1:], len(values)]
    found = np.empty(len(values))
    for start, end in zip(starts, ends, strict=True):
        found[order[start:end]] = (start + end - 1) / 2
    return found


def compare(exact: dict[str, float], estimate: dict[str, float], actors: list[str]
            ) -> dict[str, float]:
    truth = np.array([exact[a] for a in actors], dtype=float)
    guess = np.array([estimate[a] for a in actors], dtype=float)
    best = sorted(actors, key=lambda a: (-exact[a], a))[:TOP]
    guessed = set(sorted(actors, key=lambda a: (-estimate[a], a))[:TOP])
    spearman = float(np.corrcoef(ranks(truth), ranks(guess))[0, 1])
    relative = max(abs(estimate[a] - exact[a]) / exact[a] for a in best if exact[a])
    return {"top20_overlap": len(guessed & set(best)), "spearman": round(spearman, 4),
            "max_relative_error_top20": round(relative, 4)}


def errors(store: Path, sizes: list[int], seeds: list[int]) -> list[dict[str, Any]]:
    with kg.open(store) as session:
        graph = read_network(session.store)
    simple = analytics.stakeholder_projection(graph)
    actors, government, business = sides(graph)
    n = simple.number_of_nodes()
    print(f"\nprojection: {n:,} nodes, {simple.number_of_edges():,} ties, {len(actors):,} "
          f"actors ({len(government):,} government, {len(business):,} business)")
    ids = sorted(simple)
    start = time.perf_counter()
    full = centrality.indexed(simple).graph
    exact_betweenness = {node: value * 2 / ((n - 1) * (n - 2))
                         for node, value in zip(ids, full.betweenness(directed=False),
                                                strict=True)}
    betweenness_seconds = time.perf_counter() - start
    start = time.perf_counter()
    everything = centrality.Sampling(exact_up_to=n)
    exact_brokerage = centrality.brokerage(simple, actors, government, business, everything)
    brokerage_seconds = time.perf_counter() - start
    print(f"exact betweenness (igraph) {betweenness_seconds:.1f} s, exact brokerage "
          f"(kg.centrality) {brokerage_seconds:.1f} s\n")
    print("| measure | sample | seed | seconds | top-20 overlap | Spearman | max rel. error, "
          "top 20 |\n|---|---|---|---|---|---|---|")
    rows: list[dict[str, Any]] = []
    for size in sizes:
        for seed in seeds:
            sampling = centrality.Sampling(exact_up_to=0, size=size, seed=seed)
            for measure, exact, work in (
                ("betweenness", exact_betweenness,
                 lambda s=sampling: centrality.betweenness(simple, s)),
                ("brokerage", exact_brokerage,
                 lambda s=sampling: centrality.brokerage(simple, actors, government, business,
                                                         s)),
            ):
                start = time.perf_counter()
                estimate = work()
                seconds = round(time.perf_counter() - start, 2)
                row = {"measure": measure, "sample": size, "seed": seed, "seconds": seconds,
                       **compare(exact, estimate, actors)}
                rows.append(row)
                print(f"| {measure} | {size} | {seed} | {seconds} | {row['top20_overlap']} | "
                      f"{row['spearman']} | {row['max_relative_error_top20']} |", flush=True)
    return [{"nodes": n, "ties": simple.number_of_edges(), "actors": len(actors),
             "government": len(government), "business": len(business),
             "exact_betweenness_seconds": round(betweenness_seconds, 1),
             "exact_brokerage_seconds": round(brokerage_seconds, 1)}, *rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--store", type=Path, help="A loaded store.")
    where.add_argument("--scale", type=float, help="Generate and load this scale.")
    where.add_argument("--network", type=Path,
                       help="Time the measures on a Network saved by --save-network (no "
                            "engine, no read: to iterate on the measures alone).")
    parser.add_argument("--save-network", type=Path,
                        help="After reading the store, save its Network here (pickle).")
    parser.add_argument("--error", action="store_true", help="The error table, not timings.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 32, 64, 128, 256])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--exact-up-to", type=int, default=centrality.EXACT_UP_TO)
    parser.add_argument("--sample", type=int, default=centrality.SAMPLE_SIZE)
    parser.add_argument("--out", type=Path, help="Write the results as JSON here.")
    parser.add_argument("--networkx", action="store_true",
                        help="Time reading the store into networkx (as before read_network).")
    args = parser.parse_args()
    load = [os.getloadavg()]
    print(f"load average {load[0]}, {os.cpu_count()} CPUs")
    sampling = centrality.Sampling(args.exact_up_to, args.sample)
    results: list[dict[str, Any]] = []
    if args.network is not None:
        with args.network.open("rb") as file:
            timings(pickle.load(file), sampling, results)
    else:
        with tempfile.TemporaryDirectory(prefix="kg-measures-") as tmp:
            store = args.store
            if store is None:
                dataset = generate.ensure(args.scale, Path(tmp))
                store = Path(tmp) / "store"
                subprocess.run([str(Path(sys.executable).parent / "kg"), "--store",
                                str(store), "load", str(dataset)],
                               check=True, stdout=subprocess.DEVNULL)
            if args.error:
                results = errors(store, args.sizes, args.seeds)
            else:
                graph = read(store, args.networkx, results)
                if args.save_network:
                    with args.save_network.open("wb") as file:
                        pickle.dump(graph, file, protocol=5)
                timings(graph, sampling, results)
    load.append(os.getloadavg())
    print(f"\nload average {load[-1]}")
    if args.out:
        args.out.write_text(json.dumps({"args": sys.argv[1:], "load_average": load,
                                        "results": results}, indent=1))


if __name__ == "__main__":
    main()

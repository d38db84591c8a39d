"""kg serve's latencies: start, search as one types, expansion, and the canvas's frame time.

Runs ``kg serve`` as a user does (a process on a free port of 127.0.0.1) over a loaded
store, opens it in Debian's chromium (Playwright), and times, in the page, what a user
waits for (each request fetched by the page and read as JSON, one after the other):

* start: from launch until the address is printed (the store opened, the node index read,
  the search index built);
* the search index alone (``kg.resolve.Suggester``), built here from the same node index:
  its time (wall and CPU) and the memory it holds (tracemalloc, a second build);
* first audit: the first ``/api/node`` (it runs the audit once; later ones reuse it), and
  the first expansion (it gathers the findings' severities once);
* search: ``/api/search`` for names drawn at random from the store, each asked three ways
  (its first five letters, the whole name, the name with one letter dropped: a misspelling);
* expansion: ``/api/neighbours`` for the same nodes (the request a double-click makes);
* round trip: ``/api/meta``, which reads nothing, for what the browser and the server add;
* frame time: the canvas filled with N nodes and 1.5 N
  edges, the camera zoomed for two seconds; the gaps between animation frames, with the
  nodes' labels drawn and without. Headless
  chromium here draws WebGL in software (SwiftShader): a desktop with a GPU does better.

    .venv/bin/python benchmarks/serve.py --store benchmarks/data/serve-store-0.1 \\
        --frame-nodes 2000 10000

With a warm engine serving the store (``kg engine start``), kg serve uses it; the CPU
seconds of the kg serve process and of the engine (redis-server) over the searches and the
expansions are given too, and the load average, as wall times are noisy on a busy machine.

Figures go to stdout as JSON; docs/performance.md records them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from kg.resolve import Suggester, node_index
from kg.store import StoreConfig, open_store

FETCH_SCRIPT = """async (paths) => {
    const times = [];
    for (const path of paths) {
        const began = performance.now();
        const response = await fetch(path);
        await response.json();
        if (!response.ok) throw new Error(`${path}: ${response.status}`);
        times.push(performance.now() - began);
    }
    return times;
}"""

FRAME_SCRIPT = """async ([count, seconds, labels]) => {
    const graph = window.kgServe.graph();
    const sigma = window.kgServe.sigma();
    sigma.setSetting("renderLabels", labels);
    graph.clear();
    for (let i = 0; i < count; i++) {
        graph.addNode(`n${i}`, { x: Math.random() * 100, y: Math.random() * 100, size: 4,
            label: `node ${i}`, kind: "Actor", color: "#4e79a7", borderColor: "#2c4a6e" });
    }
    for (let i = 0; i < count * 1.5; i++) {
        const pick = () => `n${Math.floor(Math.random() * count)}`;
        graph.addEdge(pick(), pick(), { kind: "MEMBER_OF", color: "#999", size: 1 });
    }
    sigma.getCamera().setState({ ratio: 1, x: 0.5, y: 0.5, angle: 0 });
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const gaps = [];
    let last = performance.now();
    const end = last + seconds * 1000;
    sigma.getCamera().animate({ ratio: 0.3, x: 0.4, y: 0.6 }, { duration: seconds * 1000 });
    await new Promise((done) => {
        const frame = (now) => {
            gaps.push(now - last);
            last = now;
            if (now < end) requestAnimationFrame(frame); else done();
        };
        requestAnimationFrame(frame);
    });
    return gaps;
}"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p95_ms": round(percentile(ms, 0.95), 1), "max_ms": round(max(ms), 1)}


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def engine_pid(store: Path) -> int | None:
    """The pid of the warm engine (redis-server) serving ``store``, if one does."""
    done = subprocess.run([sys.executable, "-m", "kg", "--store", str(store), "engine", "status"],
                          capture_output=True, text=True)
    found = re.search(r"\(engine (\d+)\)", done.stdout)
    return int(found.group(1)) if found else None


def index_build(nodes: list[tuple[str, str, str | None]]) -> dict[str, float]:
    """Build the search index twice: timed, then traced for the memory it holds."""
    began, cpu = time.perf_counter(), time.process_time()
    Suggester(nodes)
    built = {"wall_s": round(time.perf_counter() - began, 2),
             "cpu_s": round(time.process_time() - cpu, 2)}
    tracemalloc.start()
    index = Suggester(nodes)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del index
    return {**built, "held_mib": round(held / 2**20), "peak_mib": round(peak / 2**20)}


def misspelt(name: str, rng: random.Random) -> str:
    at = rng.randrange(1, max(2, len(name) - 1))
    return name[:at] + name[at + 1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--frame-nodes", type=int, nargs="*", default=[2000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    with open_store(StoreConfig(path=args.store)) as store:
        nodes = node_index(store)
    named = [node for node in nodes if node[2]]
    sample = rng.sample(named, min(args.samples, len(named)))
    results: dict[str, Any] = {"nodes": len(nodes), "load_average_before": os.getloadavg()}
    results["search_index"] = index_build(nodes)
    engine = engine_pid(args.store)
    results["warm_engine"] = engine is not None

    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "--store", str(args.store), "serve", "--no-browser"],
        stdout=subprocess.PIPE, text=True, cwd=args.store.parent,
    )
    try:
        assert process.stdout is not None
        match = re.search(r"http://\S+", process.stdout.readline())
        assert match, "kg serve printed no address"
        results["start_s"] = round(time.monotonic() - started, 2)
        address = match.group(0)
        with browsing(address) as page:
            began = time.perf_counter()
            fetched(page, [f"/api/node?{urlencode({'id': sample[0][0]})}"])
            results["first_node_page_with_audit_s"] = round(time.perf_counter() - began, 2)
            results["first_expansion_s"] = round(
                fetched(page, [f"/api/neighbours?{urlencode({'id': sample[0][0]})}"])[0] / 1000, 2)
            asked: dict[str, list[str]] = {
                "round_trip": ["/api/meta"] * len(sample),
                **{f"search_{kind}": [f"/api/search?{urlencode({'q': text(name)})}"
                                      for _, _, name in sample]
                   for kind, text in (("prefix", lambda n: n[:5]), ("whole", lambda n: n),
                                      ("misspelt", lambda n: misspelt(n, rng)))},
                "expansion": [f"/api/neighbours?{urlencode({'id': i})}" for i, _, _ in sample],
            }
            for what, paths in asked.items():
                cpu = cpu_seconds(process.pid), engine and cpu_seconds(engine)
                results[what] = summary([ms / 1000 for ms in fetched(page, paths)])
                results[what]["cpu_s"] = spent(cpu, process.pid, engine)
            results["frames"] = frames(page, args.frame_nodes)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    results["load_average_after"] = os.getloadavg()
    print(json.dumps(results, indent=2))


def spent(before: tuple[float, float | None], serve: int, engine: int | None) -> dict[str, float]:
    """CPU seconds the kg serve process and the engine spent since ``before``."""
    found = {"kg_serve": round(cpu_seconds(serve) - before[0], 2)}
    if engine is not None and before[1] is not None:
        found["engine"] = round(cpu_seconds(engine) - before[1], 2)
    return found


@contextmanager
def browsing(address: str) -> Iterator[Any]:
    """Debian's chromium on kg serve's canvas, holding its cookie."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(address)
        page.goto(address.split("/?", 1)[0] + "/#/canvas")
        page.locator("#stage canvas").first.wait_for()
        try:
            yield page
        finally:
            browser.close()


def fetched(page: Any, paths: list[str]) -> list[float]:
    """Milliseconds the page waited for each of ``paths`` (fetched and read as JSON, one
    after the other, as the page's search box and double-click do)."""
    times: list[float] = page.evaluate(FETCH_SCRIPT, paths)
    return times


def frames(page: Any, counts: list[int]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for count in counts:
        for labels in (True, False):
            gaps = page.evaluate(FRAME_SCRIPT, [count, 2, labels])
            found[f"{count} nodes, labels {'on' if labels else 'off'}"] = {
                "frames": len(gaps),
                "median_ms": round(statistics.median(gaps), 1),
                "p95_ms": round(percentile(gaps, 0.95), 1),
            }
    return found


if __name__ == "__main__":
    main()

"""The time slider of a `kg viz` page at its size limit: how long one move takes.

    python benchmarks/viz_slider.py [--nodes 2000] [--moves 20]

Draws a made-up graph of ``--nodes`` nodes (the default is `kg viz`'s ``--max-nodes``):
a quarter actors, a quarter sentra, half engagements dated over two years, each held at
one sentra with two participants, and a commitment for every tenth engagement, done
half a year later. Opens the page offline in Debian's chromium (every request to another
origin aborted, and counted), physics off so the page is drawn at once, then moves the
slider to ``--moves`` days spread over the range and times each move in the page, from
the input event to the end of the redraw it asks for (the next animation frame after
vis-network drew). Prints the page's size, the time to draw it, and the median and
slowest move.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
from playwright.sync_api import sync_playwright

from kg.viz import render_html

MOVE = """async (index) => {
    const range = document.getElementById("kg-day");
    const drawn = new Promise((resolve) =>
        window.kgViz.network.once("afterDrawing", () => requestAnimationFrame(resolve)));
    const start = performance.now();
    range.value = String(index);
    range.dispatchEvent(new Event("input"));
    window.kgViz.network.redraw();
    await drawn;
    return performance.now() - start;
}"""


def graph(size: int) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    actors, sentra = size // 4, size // 4
    engagements = (size - actors - sentra) * 10 // 11  # and one commitment for every tenth
    first = date(2023, 1, 1)
    for i in range(actors):
        g.add_node(f"a{i}", label="Actor", name=f"Aktor {i}")
    for i in range(sentra):
        g.add_node(f"s{i}", label="Sentra", name=f"Sentra {i}")
    for i in range(engagements):
        day = first + timedelta(days=(i * 730) // engagements)
        node = f"e{i}"
        g.add_node(node, label="Engagement", name=f"Kunjungan {i}", date=day.isoformat())
        g.add_edge(node, f"s{i % sentra}", key="AT_SENTRA", type="AT_SENTRA")
        for j in (i, i * 7 + 3):
            g.add_edge(f"a{j % actors}", node, key=f"TOOK_PART_IN {j}", type="TOOK_PART_IN")
        if i % 10 == 0:
            promise = f"c{i}"
            g.add_node(promise, label="Commitment", name=f"Janji {i}", madeOn=day.isoformat(),
                       status="done", doneOn=(day + timedelta(days=182)).isoformat())
            g.add_edge(f"a{i % actors}", promise, key="COMMITTED", type="COMMITTED")
    return g


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--moves", type=int, default=20)
    args = parser.parse_args()
    drawn = graph(args.nodes)
    page = render_html(drawn, physics=False, max_nodes=args.nodes)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        path = Path(folder) / "slider.html"
        path.write_text(page.html, encoding="utf-8")
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        tab = browser.new_page(viewport={"width": 1280, "height": 800})
        url, blocked = path.as_uri(), []

        def route(route: Any) -> None:
            if route.request.url == url:
                route.continue_()
            else:
                blocked.append(route.request.url)
                route.abort()

        tab.route("**/*", route)
        tab.goto(url)
        tab.locator("body[data-kg-state=ready]").wait_for(state="attached", timeout=120_000)
        loaded = tab.evaluate("performance.now()")
        last = int(tab.get_attribute("#kg-day", "max") or 0)
        days = [last * k // max(args.moves - 1, 1) for k in range(args.moves)][::-1]
        times = [tab.evaluate(MOVE, day) for day in days]
        shown = tab.evaluate("window.kgViz.nodes.get({filter: (n) => !n.hidden}).length")
        browser.close()
    print(f"{page.nodes:,} nodes, {page.relationships:,} relationships, "
          f"{len(page.html) / 1e6:.1f} MB page; drawn {loaded / 1000:.1f} s after opening")
    print(f"{len(times)} moves over {last + 1} days: median {statistics.median(times):.0f} ms, "
          f"slowest {max(times):.0f} ms; {shown} nodes shown on the first day; "
          f"{len(blocked)} requests blocked")


if __name__ == "__main__":
    main()

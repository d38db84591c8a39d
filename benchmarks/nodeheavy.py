"""Node-heavy and relationship-heavy loads: ``kg load`` against a plain UNWIND-and-MATCH
loader, both shapes in one run.

    python benchmarks/nodeheavy.py [--scale 1] [--runs 2] [--shape node-heavy ...]
        [--kg PATH ...]

The national benchmark graph has about three relationships per node; a single large city
has fewer (issue 21's planted city: 144,000 nodes and 252,000 relationships, 1.75 per
node: 30,000 actors, 28,000 activities, 24,000 kecamatan, 20,000 sentra, 20,000
commodities, 17,200 markets, 4,800 zones). ``city`` writes such a dataset (``--scale``
multiplies every count), and with ``shape="relationship-heavy"`` the same nodes with
about 5.4 relationships per node (16 RACI roles per activity, four producers, three
markets and two downstream commodities per commodity, four grants per sentra). Then each
run, for each shape, alternating, in fresh processes and fresh stores:

- ``kg load --replace`` as a user runs it (``--kg``: each executable given, in turn, to
  compare versions of the code against the same plain loads; default the one beside this
  Python);
- the plain loader (``--phase plain``): the same ``read_dataset``, then per label
  ``UNWIND $rows AS r CREATE (n:Label) SET n = r`` and per relationship type and end labels
  ``UNWIND $rows AS r MATCH (a:A {id: r.a}) MATCH (b:B {id: r.b}) CREATE (a)-[t:T]->(b)
  SET t = r.p`` in batches of 10,000 rows through ``Store.write``, after the indexes on
  ``id``, then ``SAVE``: what one would write without the bulk loader.

Both are timed from process start to exit (wall), with the CPU of the process tree; the
rate is nodes+relationships per second of wall time. The two stores' counts are compared.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import measured, mib, say  # noqa: E402

DATA = HERE / "data"
BATCH = 10_000
CITY = {  # per scale unit
    "zones": 4_800, "kecamatan": 24_000, "actors": 30_000, "commodities": 20_000,
    "markets": 17_200, "sentra": 20_000, "activities": 28_000,
}  # fmt: skip


SHAPES = ("node-heavy", "relationship-heavy")


def city(scale: float, out: Path, seed: int = 7, shape: str = "node-heavy") -> Path:
    """Write the city dataset of ``shape`` into ``out`` (kept if already there)."""
    if (out / "dataset.yaml").exists():
        return out
    rng = random.Random(seed)
    dense = shape == "relationship-heavy"
    n = {name: max(1, round(count * scale)) for name, count in CITY.items()}
    tables: dict[str, tuple[list[str], list[list[str]]]] = {}
    zones = [f"zone-{i}" for i in range(n["zones"])]
    tables["zones"] = (["id", "name"], [[z, f"Wilayah {i}"] for i, z in enumerate(zones)])
    kecamatan = [f"{10 + i // 9801}.{i // 99 % 99 + 1:02d}.{i % 99 + 1:02d}"
                 for i in range(n["kecamatan"])]  # fmt: skip
    tables["kecamatan"] = (["id", "name", "zone"], [
        [k, f"Kecamatan {i}", zones[i % len(zones)]] for i, k in enumerate(kecamatan)])
    actors = [f"actor-{i}" for i in range(n["actors"])]
    kinds = ("business", "government", "community", "association", "finance", "education")
    tables["actors"] = (["id", "name", "kind"], [
        [a, f"Pelaku {i}", kinds[i % len(kinds)]] for i, a in enumerate(actors)])
    commodities = [f"cmd-{i}" for i in range(n["commodities"])]
    stages = ("raw", "intermediate", "product")
    tables["commodities"] = (["id", "name", "stage"], [
        [c, f"Komoditas {i}", stages[i % 3]] for i, c in enumerate(commodities)])
    markets = [f"mkt-{i}" for i in range(n["markets"])]
    tables["markets"] = (["id", "name", "kind"], [
        [m, f"Pasar {i}", "local"] for i, m in enumerate(markets)])
    sentra = [f"sentra-{i}" for i in range(n["sentra"])]
    tables["sentra"] = (["id", "name", "status", "kecamatan", "kiosks_total", "kiosks_occupied"], [
        [s, f"Sentra {i}", "active", rng.choice(kecamatan), "20", str(rng.randint(5, 20))]
        for i, s in enumerate(sentra)])
    activities = [f"act-{i}" for i in range(n["activities"])]
    tables["activities"] = (["id", "name", "category", "concerns"], [
        [t, f"Kegiatan {i}", "training", sentra[i % len(sentra)]]
        for i, t in enumerate(activities)])
    roles = []
    for t in activities:
        if dense:
            holders = rng.sample(actors, 16)
            roles += [[t, a, role] for a, role in zip(holders, "ARRCCCCCCIIIIIII", strict=True)]
            continue
        holders = rng.sample(actors, 4)
        roles += [[t, holders[0], "A"], [t, holders[1], "R"], [t, holders[2], "C"]]
        if rng.random() < 0.57:
            roles.append([t, holders[3], "I"])
    tables["responsibilities"] = (["activity", "actor", "role"], roles)
    links = []
    for i, c in enumerate(commodities):
        links += [[sentra[(i + k * 7) % len(sentra)], "PRODUCES", c]
                  for k in range(4 if dense else 1)]
        links += [[c, "SOLD_IN", markets[(i + k * 11) % len(markets)]]
                  for k in range(3 if dense else 1)]
        if dense:
            links += [[c, "SUPPLIES", commodities[(i + k) % len(commodities)]] for k in (1, 2)]
        elif i % 3 != 2:
            links.append([c, "SUPPLIES", commodities[i + 1] if i + 1 < len(commodities) else
                          commodities[0]])
    tables["links"] = (["from", "type", "to"], links)
    tables["funding"] = (["funder", "target", "source_type", "amount_idr", "year"], [
        [funder, s, "GRANT", str(rng.randint(1, 900) * 1_000_000), "2024"]
        for s in sentra
        for funder in (rng.sample(actors, 4) if dense else [rng.choice(actors)])])
    out.mkdir(parents=True, exist_ok=True)
    for name, (columns, rows) in tables.items():
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(rows)
    (out / "dataset.yaml").write_text(
        f"name: {shape}-city-x{scale:g}\ntitle: Synthetic {shape} city (benchmark)\n"
        "license: synthetic\n", encoding="utf-8")
    return out


def phase_plain(dataset: Path, store_path: Path) -> dict[str, Any]:
    """The plain loader (see the module docstring), in this process."""
    from kg.loaders import read_dataset
    from kg.store import Statement, StoreConfig, open_store

    started = time.perf_counter()
    graph = read_dataset([dataset])
    parsed = time.perf_counter() - started
    label_of = {node.id: node.label.value for node in graph.nodes}
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in graph.nodes:
        nodes[node.label.value].append({"id": node.id, **node.props})
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for rel in graph.relationships:
        key = (rel.type.value, label_of[rel.start], label_of[rel.end])
        rels[key].append({"a": rel.start, "b": rel.end, "p": rel.props})
    statements = []
    for label, rows in nodes.items():
        for i in range(0, len(rows), BATCH):
            statements.append(Statement(
                f"UNWIND $rows AS r CREATE (n:{label}) SET n = r", rows[i:i + BATCH]))
    for (kind, start, end), rows in rels.items():
        for i in range(0, len(rows), BATCH):
            statements.append(Statement(
                f"UNWIND $rows AS r MATCH (a:{start} {{id: r.a}}) MATCH (b:{end} {{id: r.b}}) "
                f"CREATE (a)-[t:{kind}]->(b) SET t = r.p", rows[i:i + BATCH]))
    written = time.perf_counter()
    with open_store(StoreConfig(path=store_path), write=True) as store:
        store.write(statements)
    return {"parse": parsed, "write_and_save": time.perf_counter() - written,
            "nodes": len(graph.nodes), "relationships": len(graph.relationships)}


def counts(store: Path) -> dict[str, int]:
    from kg.stats import graph_counts
    from kg.store import StoreConfig, open_store

    with open_store(StoreConfig(path=store)) as opened:
        labels, types = graph_counts(opened)
    return {**labels, **types}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--shape", action="append", choices=SHAPES,
                        help="shapes to load (default: both)")
    parser.add_argument("--kg", action="append", help="kg executables to compare")
    parser.add_argument("--out", type=Path, help="where to save the results (JSON)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase == "plain":
        print(json.dumps(phase_plain(Path(options.args[0]), Path(options.args[1]))))
        return
    shapes = options.shape or list(SHAPES)
    datasets = {shape: city(options.scale, DATA / f"{shape}-x{options.scale:g}", shape=shape)
                for shape in shapes}
    executables = options.kg or [str(Path(sys.executable).with_name("kg"))]
    loaders = {("kg load" if len(executables) == 1 else f"kg load ({kg})"): kg
               for kg in executables}
    results: dict[str, dict[str, list[dict[str, Any]]]] = {
        shape: {**{name: [] for name in loaders}, "plain": []} for shape in shapes}
    entities: dict[str, int] = {}
    for run in range(options.runs):
        for shape, dataset in datasets.items():
            for position, name in enumerate([*loaders, "plain"]):
                store = DATA / f"store-{shape}-{position}"
                shutil.rmtree(store, ignore_errors=True)
                load_average = os.getloadavg()[0]
                if name in loaders:
                    done = measured([loaders[name], "--store", str(store), "load",
                                     str(dataset), "--replace"])
                else:
                    done = measured([sys.executable, __file__, "--phase", "plain",
                                     str(dataset), str(store)])
                    done.update(json.loads(done["stdout"]))
                    entities[shape] = done["nodes"] + done["relationships"]
                done.pop("stdout"), done.pop("stderr")
                done["load_average"] = load_average
                done["counts"] = counts(store)
                shutil.rmtree(store, ignore_errors=True)
                results[shape][name].append(done)
                say(f"run {run + 1}: {shape} {name} {done['wall']:.1f} s (CPU "
                    f"{done['cpu']:.1f} s, load average {load_average:.1f}), peak "
                    f"{mib(done['peak_bytes'])}")
    same = True
    for shape, by_loader in results.items():
        equal = all(r["counts"] == by_loader["plain"][0]["counts"]
                    for runs in by_loader.values() for r in runs)
        same = same and equal
        print(f"\n{shape} city x{options.scale:g}: {entities[shape]:,} nodes+relationships; "
              "counts " + ("equal" if equal else "DIFFER"))
        print("| loader | wall s (runs) | rate /s (best) | CPU s | peak MiB |")
        print("|---|---|---|---|---|")
        for name, runs in by_loader.items():
            best = min(r["wall"] for r in runs)
            print(f"| {name} | {', '.join(f'{r['wall']:.1f}' for r in runs)} | "
                  f"{entities[shape] / best:,.0f} | "
                  f"{', '.join(f'{r['cpu']:.1f}' for r in runs)} | "
                  f"{max(r['peak_bytes'] for r in runs) / 2**20:,.0f} |")
        for name in loaders:
            ratios = [plain["wall"] / ours["wall"] for ours, plain in
                      zip(by_loader[name], by_loader["plain"], strict=True)]
            cpu = [plain["cpu"] / ours["cpu"] for ours, plain in
                   zip(by_loader[name], by_loader["plain"], strict=True)]
            print(f"{name} against plain, run by run: wall "
                  f"{', '.join(f'{r:.2f}x' for r in ratios)}; CPU "
                  f"{', '.join(f'{r:.2f}x' for r in cpu)}")
    out = options.out or DATA / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"saved {out}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Node-heavy loads: ``kg load`` against a plain UNWIND-and-MATCH loader, in one run.

    python benchmarks/nodeheavy.py [--scale 1] [--runs 2]

The national benchmark graph has about three relationships per node; a single large city
has fewer (issue 21's planted city: 144,000 nodes and 252,000 relationships, 1.75 per
node: 30,000 actors, 28,000 activities, 24,000 kecamatan, 20,000 sentra, 20,000
commodities, 17,200 markets, 4,800 zones). ``city`` writes such a dataset (``--scale``
multiplies every count), then each run, alternating, in fresh processes and fresh stores:

- ``kg load --replace`` as a user runs it;
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


def city(scale: float, out: Path, seed: int = 7) -> Path:
    """Write the node-heavy city dataset into ``out`` (kept if already there)."""
    if (out / "dataset.yaml").exists():
        return out
    rng = random.Random(seed)
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
        holders = rng.sample(actors, 4)
        roles += [[t, holders[0], "A"], [t, holders[1], "R"], [t, holders[2], "C"]]
        if rng.random() < 0.57:
            roles.append([t, holders[3], "I"])
    tables["responsibilities"] = (["activity", "actor", "role"], roles)
    links = []
    for i, c in enumerate(commodities):
        links.append([sentra[i % len(sentra)], "PRODUCES", c])
        links.append([c, "SOLD_IN", markets[i % len(markets)]])
        if i % 3 != 2:
            links.append([c, "SUPPLIES", commodities[i + 1] if i + 1 < len(commodities) else
                          commodities[0]])
    tables["links"] = (["from", "type", "to"], links)
    tables["funding"] = (["funder", "target", "source_type", "amount_idr", "year"], [
        [rng.choice(actors), s, "GRANT", str(rng.randint(1, 900) * 1_000_000), "2024"]
        for s in sentra])
    out.mkdir(parents=True, exist_ok=True)
    for name, (columns, rows) in tables.items():
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(rows)
    (out / "dataset.yaml").write_text(
        f"name: nodeheavy-city-x{scale:g}\ntitle: Synthetic node-heavy city (benchmark)\n"
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
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase == "plain":
        print(json.dumps(phase_plain(Path(options.args[0]), Path(options.args[1]))))
        return
    dataset = city(options.scale, DATA / f"nodeheavy-x{options.scale:g}")
    kg = str(Path(sys.executable).with_name("kg"))
    results: dict[str, list[dict[str, Any]]] = {"kg load": [], "plain": []}
    entities = 0
    for run in range(options.runs):
        for name in ("kg load", "plain"):
            store = DATA / f"store-nodeheavy-{name.replace(' ', '-')}"
            shutil.rmtree(store, ignore_errors=True)
            if name == "kg load":
                done = measured([kg, "--store", str(store), "load", str(dataset), "--replace"])
            else:
                done = measured([sys.executable, __file__, "--phase", "plain", str(dataset),
                                 str(store)])
                done.update(json.loads(done["stdout"]))
                entities = done["nodes"] + done["relationships"]
            done.pop("stdout"), done.pop("stderr")
            done["counts"] = counts(store)
            shutil.rmtree(store, ignore_errors=True)
            results[name].append(done)
            say(f"run {run + 1}: {name} {done['wall']:.1f} s (CPU {done['cpu']:.1f} s), "
                f"peak {mib(done['peak_bytes'])}")
    same = all(r["counts"] == results["plain"][0]["counts"]
               for r in results["kg load"] + results["plain"])
    print(f"node-heavy city x{options.scale:g}: {entities:,} nodes+relationships; counts "
          + ("equal" if same else "DIFFER"))
    print("| loader | wall s (runs) | rate /s (best) | CPU s | peak MiB |")
    print("|---|---|---|---|---|")
    for name, runs in results.items():
        best = min(r["wall"] for r in runs)
        print(f"| {name} | {', '.join(f'{r['wall']:.1f}' for r in runs)} | "
              f"{entities / best:,.0f} | {', '.join(f'{r['cpu']:.1f}' for r in runs)} | "
              f"{max(r['peak_bytes'] for r in runs) / 2**20:,.0f} |")
    best = {name: min(r["wall"] for r in runs) for name, runs in results.items()}
    print(f"kg load / plain rate: {best['plain'] / best['kg load']:.2f}x")
    out = DATA / f"nodeheavy-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()

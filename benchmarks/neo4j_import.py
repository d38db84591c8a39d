"""Write a validated dataset as CSV files for ``neo4j-admin database import full``.

For a national dataset loaded into an empty Neo4j database, the offline importer is far
faster than any transactional load (``kg --uri ... load``). This writes one file per label
and one per relationship type, each with Neo4j's import header (``id:ID(Actor)``,
``:START_ID(Actor)``, ``:END_ID(Activity)``, ``:LABEL``, ``:TYPE``, typed properties such
as ``kiosksTotal:long``), holding exactly the nodes, relationships and properties that
``kg load`` would write::

    python benchmarks/neo4j_import.py DATASET_DIR OUT_DIR

prints the ``neo4j-admin database import full`` command to run (see docs/performance.md).
The dataset is validated first, as by ``kg load``: any problem stops it with the list.
"""

from __future__ import annotations

import argparse
import csv
import shlex
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kg.errors import DatasetError
from kg.loaders import read_dataset
from kg.schema.graph import GraphData
from kg.schema.model import RelType, endpoints
from kg.store.cypher_writes import rel_row

ARRAY_DELIMITER = ";"
"""neo4j-admin's default ``--array-delimiter``."""


def write_import_files(graph: GraphData, out: Path) -> list[str]:
    """Write ``graph`` under ``out``; return the importer's ``--nodes``/``--relationships``.

    Every label is its own id space (``id:ID(Actor)``); relationship files name the id
    space of each end (``:START_ID(Actor)``). Empty cells are properties left unset, as
    ``kg load`` leaves unknown values out.
    """
    out.mkdir(parents=True, exist_ok=True)
    options: list[str] = []
    nodes: dict[str, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
    for node in graph.nodes:
        nodes[node.label.value].append((node.id, node.props))
    for label, rows in sorted(nodes.items()):
        keys, types = _columns(props for _, props in rows)
        path = out / f"nodes-{label}.csv"
        header = [f"id:ID({label})", *(_typed(k, types[k]) for k in keys), ":LABEL"]
        _write(path, header, ([node_id, *(_cell(p.get(k)) for k in keys), label]
                              for node_id, p in rows))
        options.append(f"--nodes={path}")
    rels: dict[str, list[tuple[str, str, Mapping[str, Any]]]] = defaultdict(list)
    for rel in graph.relationships:
        rels[rel.type.value].append((rel.start, rel.end, rel_row(rel)["props"]))
    for rel_type, rel_rows in sorted(rels.items()):
        start, end = endpoints(RelType(rel_type))
        keys, types = _columns(props for _, _, props in rel_rows)
        path = out / f"relationships-{rel_type}.csv"
        header = [f":START_ID({start})", f":END_ID({end})",
                  *(_typed(k, types[k]) for k in keys), ":TYPE"]
        _write(path, header, ([a, b, *(_cell(p.get(k)) for k in keys), rel_type]
                              for a, b, p in rel_rows))
        options.append(f"--relationships={path}")
    return options


def _columns(maps: Iterable[Mapping[str, Any]]) -> tuple[list[str], dict[str, str]]:
    """Property keys in order of appearance, and the import type of each."""
    seen: dict[str, set[type]] = {}
    for props in maps:
        for key, value in props.items():
            seen.setdefault(key, set()).add(type(value))
    types = {}
    for key, kinds in seen.items():
        if kinds == {bool}:
            types[key] = "boolean"
        elif kinds == {int}:
            types[key] = "long"
        elif kinds == {list}:
            types[key] = "string[]"
        elif kinds == {str}:
            types[key] = "string"
        else:
            raise ValueError(f"property {key!r} mixes types {sorted(k.__name__ for k in kinds)}")
    return list(seen), types


def _typed(key: str, kind: str) -> str:
    return key if kind == "string" else f"{key}:{kind}"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if any(ARRAY_DELIMITER in str(v) for v in value):
            raise ValueError(f"a list item holds the array delimiter {ARRAY_DELIMITER!r}: "
                             f"{value!r}")
        return ARRAY_DELIMITER.join(str(v) for v in value)
    return str(value)


def _write(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def import_command(options: list[str], database: str = "neo4j") -> str:
    """The ``neo4j-admin`` command line for the files ``write_import_files`` wrote."""
    return shlex.join(["neo4j-admin", "database", "import", "full", database,
                       "--multiline-fields=true", *options])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, nargs="+", help="dataset directories")
    parser.add_argument("out", type=Path, help="folder for the import files")
    parser.add_argument("--database", default="neo4j")
    args = parser.parse_args()
    try:
        graph = read_dataset(args.dataset)
    except DatasetError as exc:
        print(f"{len(exc.problems)} problems in the dataset; nothing was written:",
              file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        sys.exit(2)
    options = write_import_files(graph, args.out)
    print(import_command(options, args.database))


if __name__ == "__main__":
    main()

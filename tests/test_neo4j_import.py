"""benchmarks/neo4j_import.py writes files in neo4j-admin's import format.

No Neo4j server runs here, so these tests check the files against the format's rules:
typed headers, one id space per label, relationship ends naming those id spaces, and the
same nodes, relationships and properties that ``kg load`` writes.
"""

from __future__ import annotations

import csv
import importlib.util
import shlex
from pathlib import Path
from types import ModuleType

import pytest

from kg.loaders import read_dataset

ROOT = Path(__file__).resolve().parent.parent
TINY = Path(__file__).parent / "data" / "tiny"


@pytest.fixture(scope="module")
def neo4j_import() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "neo4j_import", ROOT / "benchmarks" / "neo4j_import.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def written(neo4j_import: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("import")
    neo4j_import.write_import_files(read_dataset([TINY]), out)
    return out


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


@pytest.mark.parametrize(
    ("file", "header"),
    [
        ("nodes-Actor.csv", ["id:ID(Actor)", "name", "kind", ":LABEL"]),
        ("nodes-Sentra.csv", ["id:ID(Sentra)", "name", "sources:string[]", "status",
                              "kiosksTotal:long", "kiosksOccupied:long", ":LABEL"]),
        ("relationships-LOCATED_IN.csv", [":START_ID(Sentra)", ":END_ID(Kecamatan)",
                                          ":TYPE"]),
        ("relationships-FUNDS.csv", [":START_ID(Actor)", ":END_ID(Sentra)", "sourceType",
                                     "key", ":TYPE"]),
        ("relationships-ACCOUNTABLE_FOR.csv", [":START_ID(Actor)", ":END_ID(Activity)",
                                               ":TYPE"]),
    ],
    ids=["actor", "sentra-typed", "located-in", "funds-with-merge-key", "raci-role"],
)
def test_each_file_starts_with_the_import_header(written: Path, file: str,
                                                  header: list[str]) -> None:
    assert rows(written / file)[0] == header


def test_every_node_and_relationship_is_written_once(written: Path) -> None:
    graph = read_dataset([TINY])
    nodes = sum(len(rows(p)) - 1 for p in written.glob("nodes-*.csv"))
    relationships = sum(len(rows(p)) - 1 for p in written.glob("relationships-*.csv"))
    assert (nodes, relationships) == (len(graph.nodes), len(graph.relationships))


def test_values_are_written_in_the_import_syntax(written: Path) -> None:
    (_, sentra) = rows(written / "nodes-Sentra.csv")
    assert sentra == ["s-logam", "Sentra Logam", "src-test", "active", "74", "44", "Sentra"]


def test_unknown_values_are_empty_cells(written: Path) -> None:
    header, *data = rows(written / "nodes-Kecamatan.csv")
    assert header == ["id:ID(Kecamatan)", "name", ":LABEL"]
    assert ["33.74.99", "Nowhere", "Kecamatan"] in data


def test_booleans_and_lists_use_the_import_syntax(neo4j_import: ModuleType,
                                                  tmp_path: Path) -> None:
    from kg.schema.graph import GraphData, NodeRow
    from kg.schema.model import Label

    graph = GraphData(nodes=[
        NodeRow(Label.REGULATION, "r-1", {"name": "Perda", "hasSanction": True,
                                          "sources": ["s-1", "s-2"]}, "x:2"),
        NodeRow(Label.REGULATION, "r-2", {"name": "Perwal", "hasSanction": False}, "x:3"),
    ])
    neo4j_import.write_import_files(graph, tmp_path)
    assert rows(tmp_path / "nodes-Regulation.csv") == [
        ["id:ID(Regulation)", "name", "hasSanction:boolean", "sources:string[]", ":LABEL"],
        ["r-1", "Perda", "true", "s-1;s-2", "Regulation"],
        ["r-2", "Perwal", "false", "", "Regulation"],
    ]


def test_the_command_names_every_file(neo4j_import: ModuleType, written: Path) -> None:
    options = [f"--nodes={p}" for p in sorted(written.glob("nodes-*.csv"))]
    command = shlex.split(neo4j_import.import_command(options, "sentra"))
    assert command[:6] == ["neo4j-admin", "database", "import", "full", "sentra",
                           "--multiline-fields=true"]
    assert command[6:] == options

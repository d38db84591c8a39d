"""No command writes into a store directory but the store itself: every output path is
resolved (symlinks too) and refused with exit 2 when it lies in a store, the configured
one or any other; the store stays byte-identical. Directory exports keep existing files
unless --overwrite."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click
import pytest

from kg.cli import cli
from kg.cli.app import OutputPath

from .conftest import Kg

WRITERS = {
    "audit": ["audit", "-o"],
    "audit-xlsx": ["audit", "--format", "xlsx", "-o"],
    "export-json": ["export", "--format", "json", "-o"],
    "export-graphml": ["export", "--format", "graphml", "-o"],
    "export-cypher": ["export", "--format", "cypher", "-o"],
    "export-xlsx": ["export", "--format", "xlsx", "-o"],
    "export-csv": ["export", "--format", "csv", "-o"],
    "template": ["template", "-o"],
    "viz": ["viz", "-o"],
    "viz-grid": ["viz", "--view", "grid", "-o"],
    "report": ["report", "-o"],
    "shell-history": ["shell", "--history"],
}
"""Every command option that names a file to write, and how to reach it."""


def fingerprint(store: Path) -> dict[str, str]:
    """Every file of the store and the SHA-256 of its bytes."""
    return {str(path.relative_to(store)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(store.rglob("*")) if path.is_file()}


def test_every_option_naming_a_file_to_write_is_an_output_path() -> None:
    written = [
        (name, param.name)
        for name, command in cli.commands.items()
        for param in command.params
        if isinstance(param.type, click.Path) and not param.type.exists
    ]
    assert written, "no output options found"
    for name, param in written:
        option = next(p for p in cli.commands[name].params if p.name == param)
        assert isinstance(option.type, OutputPath), f"kg {name} {param}"
    assert {name for name, _ in written} == {args[0] for args in WRITERS.values()}


@pytest.mark.parametrize("where", ["graph.rdb", "page.html", ".", "run/x", "link/graph.rdb"],
                         ids=["the-graph-file", "a-new-file", "the-store-itself",
                              "a-subdirectory", "through-a-symlink"])
@pytest.mark.parametrize("writer", list(WRITERS), ids=list(WRITERS))
def test_an_output_into_the_store_is_refused(tiny_kg: Kg, tmp_path: Path, writer: str,
                                             where: str) -> None:
    store = tiny_kg.store
    (tmp_path / "link").symlink_to(store)
    target = (tmp_path / where) if where.startswith("link") else store / where
    before = fingerprint(store)
    result = tiny_kg(*WRITERS[writer], str(target))
    assert result.exit_code == 2, result.output
    assert f"refusing to write {target}: it lies in the store {store.resolve()}" in result.output
    assert "Traceback" not in result.output
    assert fingerprint(store) == before
    assert tiny_kg("stats").exit_code == 0


def test_an_output_into_another_store_is_refused(tiny_kg: Kg, tmp_path: Path) -> None:
    other = Kg(tmp_path / "other")
    assert other("load", str(Path(__file__).parent / "data" / "tiny")).exit_code == 0
    before = fingerprint(other.store)
    result = tiny_kg("export", "--format", "json", "-o", str(other.store / "graph.rdb"))
    assert result.exit_code == 2
    assert f"it lies in the store {other.store.resolve()}" in result.output
    assert fingerprint(other.store) == before


def test_an_output_beside_the_store_is_written(tiny_kg: Kg, tmp_path: Path) -> None:
    result = tiny_kg("export", "--format", "json", "-o", str(tmp_path / "graph.json"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "graph.json").is_file()


def test_a_directory_export_keeps_existing_files_unless_overwrite(tiny_kg: Kg,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "actors.csv").write_text("mine\n", encoding="utf-8")
    (out / "notes.txt").write_text("kept\n", encoding="utf-8")
    refused = tiny_kg("export", "--format", "csv", "-o", str(out))
    assert refused.exit_code == 2
    assert f"Error: {out} already holds actors.csv; choose an empty directory, or pass " \
           "--overwrite to replace them" in refused.output
    assert sorted(p.name for p in out.iterdir()) == ["actors.csv", "notes.txt"]
    assert (out / "actors.csv").read_text(encoding="utf-8") == "mine\n"
    written = tiny_kg("export", "--format", "csv", "-o", str(out), "--overwrite")
    assert written.exit_code == 0, written.output
    assert (out / "actors.csv").read_text(encoding="utf-8").startswith("id,")
    assert (out / "notes.txt").read_text(encoding="utf-8") == "kept\n"

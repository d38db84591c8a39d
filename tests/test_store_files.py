"""The embedded store's own files: a graph file of another engine version, reads that
leave every file as it was, and writes on a full disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.store.layout import StoreLayout

from .conftest import TINY
from .helpers import TINY_COUNTS, stats


def kg(store: Path, *args: str) -> tuple[int, str]:
    """``kg --store STORE ARGS`` in this process: exit code and output."""
    result = CliRunner().invoke(cli, ["--store", str(store), *args])
    return result.exit_code, result.output


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def saved_by_another_engine(tmp_path: Path) -> Path:
    """A store whose graph file claims an RDB format this engine cannot read (99), as
    one saved by a newer redis does."""
    store = tmp_path / "store"
    assert kg(store, "load", str(TINY))[0] == 0
    graph = StoreLayout(store).graph_file
    data = graph.read_bytes()
    assert data[:5] == b"REDIS"
    graph.write_bytes(b"REDIS0099" + data[9:])
    return store


def test_store_of_another_engine_is_refused_naming_it_and_the_rebuild(tmp_path: Path) -> None:
    store = saved_by_another_engine(tmp_path)
    before = digest(StoreLayout(store).graph_file)

    code, output = kg(store, "stats")

    assert code == 2
    assert output.startswith(f"Error: cannot open the store {store}: its graph file was saved ")
    assert "(RDB format version 99, written by redis " in output
    assert output.rstrip().endswith(f"kg --store {store} load --replace DATASET")
    assert "Traceback" not in output
    assert digest(StoreLayout(store).graph_file) == before


def test_plain_load_into_a_store_of_another_engine_is_refused(tmp_path: Path) -> None:
    store = saved_by_another_engine(tmp_path)
    before = digest(StoreLayout(store).graph_file)

    code, output = kg(store, "load", str(TINY))

    assert code == 2
    assert "load --replace DATASET" in output
    assert digest(StoreLayout(store).graph_file) == before


def test_replacing_load_rebuilds_a_store_of_another_engine(tmp_path: Path) -> None:
    store = saved_by_another_engine(tmp_path)

    code, output = kg(store, "load", "--replace", str(TINY))

    assert code == 0, output
    assert stats(store) == TINY_COUNTS

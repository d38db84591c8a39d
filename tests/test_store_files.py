"""The embedded store's own files: a graph file of another engine version, reads that
leave every file as it was, and writes on a full disk."""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import StoreError
from kg.store import StoreConfig, open_store
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


def test_the_library_honours_kg_lock_timeout_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    assert kg(store, "load", str(TINY))[0] == 0
    monkeypatch.setenv("KG_LOCK_TIMEOUT", "0.2")
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "42")
    config = StoreConfig(path=store)
    assert (config.lock_timeout, config.query_timeout) == (0.2, 42.0)
    writer = os.open(StoreLayout(store).lock_file, os.O_RDWR)
    fcntl.flock(writer, fcntl.LOCK_EX)  # as a load would hold it
    try:
        with pytest.raises(StoreError, match=r"waited 0.2 s \(set KG_LOCK_TIMEOUT to wait"):
            open_store(config)
    finally:
        os.close(writer)

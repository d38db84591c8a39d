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
from kg.store import StoreConfig, open_store, warm
from kg.store.layout import StoreLayout

from .conftest import TINY
from .helpers import TINY_COUNTS, engines_in, fill, stats


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


def test_warm_engine_of_a_store_of_another_engine_is_refused_alike(tmp_path: Path) -> None:
    store = saved_by_another_engine(tmp_path)

    code, output = kg(store, "engine", "start")

    assert code == 2
    assert output.startswith("Error: the warm engine stopped at start: cannot open the store ")
    assert output.rstrip().endswith("load --replace DATASET")
    assert warm.find(store) is None


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


# -- a full disk ------------------------------------------------------------------------


@pytest.fixture
def tiny_on_disk(disk: Path) -> Path:
    """A store on ``disk`` holding the tiny dataset."""
    store = disk / "store"
    assert kg(store, "load", str(TINY))[0] == 0
    return store


def test_a_read_on_a_full_disk_answers(disk: Path, tiny_on_disk: Path) -> None:
    store = tiny_on_disk
    fill(disk)

    assert stats(store) == TINY_COUNTS
    assert list(StoreLayout(store).run_dir.iterdir()) == []


def test_a_load_on_a_full_disk_exits_2_naming_the_reason_and_keeps_the_store(
    disk: Path, tiny_on_disk: Path
) -> None:
    store = tiny_on_disk
    before = digest(StoreLayout(store).graph_file)
    fill(disk)

    code, output = kg(store, "load", "--replace")

    assert (code, output.count("\n")) == (2, 1), output
    assert output.startswith("Error: cannot write the run file ")
    assert output.rstrip().endswith(": No space left on device")
    assert digest(StoreLayout(store).graph_file) == before
    assert list(StoreLayout(store).run_dir.iterdir()) == []
    assert engines_in(disk) == []
    assert stats(store) == TINY_COUNTS


def test_a_save_without_room_exits_2_with_the_engines_reason_and_keeps_the_store(
    disk: Path, tiny_on_disk: Path
) -> None:
    store = tiny_on_disk
    before = digest(StoreLayout(store).graph_file)
    fill(disk, leave_blocks=2)  # room for a run file, not for the bundled dataset's graph

    code, output = kg(store, "load", "--replace")

    assert code == 2, output
    last = output.splitlines()[-1]
    assert last.startswith(f"Error: could not save the store {store}: ")
    assert last.endswith("No space left on device")
    assert digest(StoreLayout(store).graph_file) == before
    assert StoreLayout(store).partial_saves() == []
    assert engines_in(disk) == []
    assert stats(store) == TINY_COUNTS


def test_a_new_store_on_a_full_disk_exits_2_naming_the_reason(disk: Path) -> None:
    fill(disk)

    code, output = kg(disk / "store", "load", str(TINY))

    assert (code, output.count("\n")) == (2, 1), output
    assert output.startswith("Error: cannot ")
    assert output.endswith(": No space left on device\n")
    assert not StoreLayout(disk / "store").graph_file.exists()
    assert engines_in(disk) == []

"""Crash safety of the embedded engine: a load killed with SIGKILL, two loads at once, and
engines left behind by a killed process.

A store is durable only through the SAVE at the end of a successful write (see
``kg.store.embedded``): whatever a killed load had written lives in the engine's memory only,
and the engine dies with its parent. These tests kill real ``python -m kg`` processes.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg.store import engine_process

from .conftest import TINY
from .helpers import (
    LARGE,
    PROGRESS,
    TIMEOUT,
    TINY_COUNTS,
    Spawn,
    engines_in,
    kill_at_progress,
    load_in_process,
    open_to_write,
    running,
    stats,
    wait_until,
    write_large_dataset,
)


def replace_tiny_with_large(
    tmp_path: Path, spawn: Spawn
) -> tuple[Path, dict[str, int], subprocess.Popen[str]]:
    """Store the tiny dataset, then start a `kg load --replace` of a 40,000-sentra one.

    Large enough that the bulk write, after a second of reading, reports progress.

    Returns the store, the large dataset's counts and the running load.
    """
    store = tmp_path / "store"
    load_in_process(store, TINY)
    big = tmp_path / "big"
    full = write_large_dataset(big, LARGE)
    return store, full, spawn("--store", store, "load", "--replace", big)


@pytest.mark.slow
def test_load_killed_halfway_leaves_the_store_as_before(tmp_path: Path, spawn: Spawn) -> None:
    store, _full, process = replace_tiny_with_large(tmp_path, spawn)
    kill_at_progress(process, 20, 80)

    assert process.returncode == -signal.SIGKILL
    assert wait_until(lambda: not engines_in(tmp_path)), "the engine outlived its killed load"
    assert stats(store) == TINY_COUNTS


@pytest.mark.slow
def test_load_killed_while_saving_leaves_the_store_before_or_after(
    tmp_path: Path, spawn: Spawn
) -> None:
    store, full, process = replace_tiny_with_large(tmp_path, spawn)
    kill_at_progress(process, 100, 100)  # every row sent: the process is saving

    assert process.returncode == -signal.SIGKILL
    assert wait_until(lambda: not engines_in(tmp_path))
    assert stats(store) in (TINY_COUNTS, full)
    open_to_write(store)
    assert list(store.glob("temp-*")) == []


def test_file_of_a_save_cut_short_is_removed_by_the_next_writer(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_in_process(store, TINY)
    partial = store / "temp-4242.rdb"  # what the engine leaves when killed mid-SAVE
    partial.write_bytes((store / "graph.rdb").read_bytes()[:100])

    assert stats(store) == TINY_COUNTS
    open_to_write(store)
    assert not partial.exists()


@pytest.mark.slow
def test_store_works_for_the_next_load_after_a_killed_one(tmp_path: Path, spawn: Spawn) -> None:
    store = tmp_path / "store"
    big = tmp_path / "big"
    full = write_large_dataset(big, LARGE)
    process = spawn("--store", store, "load", big)
    kill_at_progress(process, 20, 80)

    again = spawn("--store", store, "load", big)
    output = again.communicate()  # waits, and closes its pipes
    assert again.returncode == 0, output
    assert stats(store) == full


@pytest.mark.slow
def test_two_loads_at_once_both_finish_and_the_second_waited(
    tmp_path: Path, spawn: Spawn
) -> None:
    store = tmp_path / "store"
    big = tmp_path / "big"
    full = write_large_dataset(big, 20_000)  # the first holds the lock for seconds

    first = spawn("--store", store, "load", big)
    assert wait_until(lambda: any((store / "run").glob("*.pid")), TIMEOUT), "no engine started"
    second = spawn("--store", store, "load", TINY)
    _, second_err = second.communicate()
    _, first_err = first.communicate()

    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert "waiting for another kg process" in second_err
    assert stats(store) == {k: full.get(k, 0) + TINY_COUNTS.get(k, 0)
                            for k in full.keys() | TINY_COUNTS.keys()}


def test_second_load_gives_up_clearly_when_the_wait_is_too_long(
    tmp_path: Path, spawn: Spawn
) -> None:
    store = tmp_path / "store"
    load_in_process(store, TINY)
    holder = os.open(store / "lock", os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)  # as a running load holds it
        second = spawn("--store", store, "--lock-timeout", "0.5", "load", "--replace", TINY)
        _, second_err = second.communicate()
    finally:
        os.close(holder)

    assert second.returncode == 2
    assert second_err.endswith(
        f"Error: store {store} is busy: another kg process is using it; waited 0.5 s "
        "(set KG_LOCK_TIMEOUT to wait longer)\n"
    ), second_err
    assert stats(store) == TINY_COUNTS


@pytest.mark.slow
def test_reader_during_a_load_sees_the_whole_load_not_half(
    tmp_path: Path, spawn: Spawn
) -> None:
    store, full, writer = replace_tiny_with_large(tmp_path, spawn)
    assert writer.stderr is not None
    for line in writer.stderr:  # wait until rows are being written
        if PROGRESS.search(line) and not line.rstrip().endswith("(100%)"):
            break
    else:
        pytest.fail("the load ended before it was seen writing")
    reader = spawn("--store", store, "stats", "--format", "json")
    out, err = reader.communicate()
    assert writer.wait() == 0

    assert reader.returncode == 0, err
    assert {row["name"]: row["count"] for row in json.loads(out)} == full


ORPHAN_MAKER = """
import sys, time
from pathlib import Path
import kg.store.embedded as embedded
import kg.store.engine_process as engine_process
from kg.store import StoreConfig

engine_process._die_with_parent = lambda parent: None  # as without PR_SET_PDEATHSIG
store = embedded.EmbeddedStore(StoreConfig(path=Path(sys.argv[1])), write=True)
store.execute("MATCH (n) DETACH DELETE n")  # half-done work, in the engine's memory only
print(store._server.pid, flush=True)
time.sleep(600)
"""


def test_orphan_engine_of_a_killed_process_is_reaped_by_the_next_writer(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_in_process(store, TINY)
    maker = subprocess.Popen([sys.executable, "-c", ORPHAN_MAKER, str(store)],
                             stdout=subprocess.PIPE, text=True)
    orphan = 0
    try:
        assert maker.stdout is not None
        orphan = int(maker.stdout.readline())
        maker.kill()
        maker.wait()
        assert running(orphan), "precondition: the engine outlives its killed client"

        open_to_write(store)
        assert stats(store) == TINY_COUNTS

        assert wait_until(lambda: not running(orphan)), "the orphan engine was not reaped"
        assert list((store / "run").iterdir()) == []
    finally:
        maker.kill()
        maker.communicate()  # waits, and closes its pipe
        if orphan and running(orphan):
            os.kill(orphan, signal.SIGKILL)


def test_stale_run_file_never_kills_a_process_that_is_not_the_stores_engine(
    tmp_path: Path,
) -> None:
    # The pid in a stale run file may since belong to another process, even another
    # redis-server: only an engine working in this store's directory may be killed.
    store = tmp_path / "store"
    load_in_process(store, TINY)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    other = subprocess.Popen(
        [engine_process.binaries().server, "--port", "0", "--save", "", "--dir", str(elsewhere),
         "--unixsocket", str(elsewhere / "sock")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        gone = subprocess.Popen(["true"])
        gone.wait()  # a client pid that no longer runs
        (store / "run" / f"{gone.pid}.pid").write_text(str(other.pid))
        assert wait_until(lambda: (elsewhere / "sock").exists())

        open_to_write(store)
        assert stats(store) == TINY_COUNTS

        assert other.poll() is None, "an unrelated redis-server was killed"
        assert list((store / "run").iterdir()) == []
    finally:
        other.kill()
        other.wait()

"""Shared fixtures: temporary stores, the CLI runner, and a guard against leaked engines."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.loaders import load
from kg.store import StoreConfig, open_store

from .helpers import TIMEOUT, Spawn, engines_in

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny"


def engine_pids() -> set[int]:
    """Pids of embedded engines (redis-server) that are children of this test process."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"redis-server" in command and " Z " not in stat[-200:]:
            pids.add(int(entry.name))
    return pids


@pytest.fixture(autouse=True)
def no_leaked_engine() -> Iterator[None]:
    """Fail any test that leaves an embedded engine running (and stop it)."""
    before = engine_pids()
    yield
    leaked = engine_pids() - before
    for pid in leaked:
        os.kill(pid, signal.SIGKILL)
    assert not leaked, f"the test left {len(leaked)} embedded engine(s) running"


class Kg:
    """Runs ``kg --store STORE ...`` in-process and returns click's result."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.runner = CliRunner()

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> Result:
        return self.runner.invoke(
            cli, ["--store", str(self.store), *args], env=env, catch_exceptions=False
        )


@pytest.fixture
def kg(tmp_path: Path) -> Kg:
    return Kg(tmp_path / "store")


@pytest.fixture
def tiny_kg(kg: Kg) -> Kg:
    """A store holding the tiny dataset."""
    result = kg("load", str(TINY))
    assert result.exit_code == 0, result.output
    return kg


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Spawn]:
    """Start ``python -m kg ...``; every process and engine is killed after the test."""
    started: list[subprocess.Popen[str]] = []
    watchdogs: list[threading.Timer] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_"))}

    def start(*args: str | Path) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg", *map(str, args)], env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        started.append(process)
        watchdog = threading.Timer(TIMEOUT, process.kill)  # a hung process fails, not hangs
        watchdog.daemon = True
        watchdog.start()
        watchdogs.append(watchdog)
        return process

    try:
        yield start
    finally:
        for watchdog in watchdogs:
            watchdog.cancel()
        for process in started:
            if process.poll() is None:
                process.kill()
            process.communicate()
        leftover = engines_in(tmp_path)
        for pid in leftover:
            os.kill(pid, signal.SIGKILL)
        assert not leftover, f"engines left running: {leftover}"


@pytest.fixture(scope="module")
def timeline_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding tests/data/timeline (tests/test_timeline.py describes it)."""
    path = tmp_path_factory.mktemp("timeline") / "store"
    with open_store(StoreConfig(path=path), write=True) as store:
        load(store, [DATA / "timeline"])
    return path


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs of its own, unmounted afterwards (mounting needs root)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip() or 'not root'}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)

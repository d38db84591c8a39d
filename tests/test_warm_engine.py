"""The warm engine (``kg engine start|stop|status``, ``kg.store.warm``).

A warm engine keeps one store's saved graph loaded; read-only opens of that store use it,
writes never do. These tests run real processes: the supervisor is not a child of the
CLI that started it, so the ``warm_stores`` fixture stops every warm engine a test
started, kills whatever is left, and fails the test if anything was.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.store import StoreConfig, open_store, warm
from kg.store.layout import StoreLayout

from .conftest import TINY
from .helpers import (
    LARGE,
    TIMEOUT,
    TINY_COUNTS,
    Spawn,
    kill_at_progress,
    open_to_write,
    running,
    running_a_query,
    stats,
    wait_until,
    write_large_dataset,
)

STATE_FILE = StoreLayout(Path()).warm_state.name

SLOW_READ = "UNWIND range(1, 8000000) AS x RETURN count(x) AS n"
"""A read that keeps the engine busy for a few seconds."""


def kg(store: Path, *args: str) -> str:
    """``kg --store STORE ARGS`` in this process; its output (it must succeed)."""
    result = CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def supervisors() -> dict[int, str]:
    """Warm-engine supervisors running on this machine: pid -> command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if "kg.store.warm" in command and running(int(entry.name)):
                found[int(entry.name)] = command
    return found


class WarmStores:
    """Starts warm engines and remembers everything they ran, to check it is all gone."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.stores: list[Path] = []
        self.pids: set[int] = set()
        self.dirs: set[Path] = set()

    def start(self, store: Path, *args: str) -> warm.WarmEngine:
        self.stores.append(store)
        kg(store, "engine", "start", *args)
        return self.seen(store)

    def seen(self, store: Path) -> warm.WarmEngine:
        engine = warm.find(store)
        assert engine is not None, "no warm engine serves the store"
        self.pids |= {engine.supervisor, engine.engine}
        self.dirs.add(Path(engine.socket).parent)
        return engine

    def left(self) -> list[str]:
        """What still runs or lies around of the engines this test started."""
        alive = [f"pid {pid}" for pid in self.pids if running(pid)]
        ours = [pid for pid, command in supervisors().items() if str(self.root) in command]
        files = [str(d) for d in self.dirs if d.exists()]
        files += [str(s / "run" / STATE_FILE) for s in self.stores
                  if (s / "run" / STATE_FILE).exists()]  # fmt: skip
        return alive + [f"supervisor {pid}" for pid in ours] + files


@pytest.fixture
def warm_stores(tmp_path: Path) -> Iterator[WarmStores]:
    """Every warm engine of the test stopped afterwards; fails if one had to be killed."""
    stores = WarmStores(tmp_path)
    try:
        yield stores
    finally:
        for store in stores.stores:
            if store.exists():
                warm.stop(store)
        wait_until(lambda: not stores.left(), 5.0)
        leftover = stores.left()
        for pid in stores.pids | {p for p, c in supervisors().items() if str(tmp_path) in c}:
            if running(pid):
                os.kill(pid, signal.SIGKILL)
        for directory in stores.dirs:
            shutil.rmtree(directory, ignore_errors=True)
    assert not leftover, f"the warm engine left: {leftover}"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store holding the tiny dataset."""
    path = tmp_path / "store"
    kg(path, "load", str(TINY))
    return path


def uses_warm(store: Path) -> bool:
    """Whether a read-only open of ``store`` now uses the warm engine."""
    with open_store(StoreConfig(path=store)) as opened:
        return bool(opened._warm)  # type: ignore[attr-defined]


READS = [
    ("stats",),
    ("stats", "--format", "json"),
    ("query", "node_neighbours", "-p", "id=s-logam"),
    ("chain", "Besi"),
    ("audit", "--format", "json"),
    ("audit",),
]


def test_reads_answer_the_same_warm_and_cold(store: Path, warm_stores: WarmStores) -> None:
    cold = [kg(store, *args) for args in READS]
    warm_stores.start(store)

    assert uses_warm(store)
    assert [kg(store, *args) for args in READS] == cold


def files_of(store: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and directory in ``store`` (``run/`` included): its bytes (a directory:
    none) and modification time (a directory's changes when a file is made or removed)."""
    return {
        str(path.relative_to(store)): (
            path.read_bytes() if path.is_file() else b"",
            path.stat().st_mtime_ns,
        )
        for path in [store, *sorted(store.rglob("*"))]
    }


def test_reads_leave_every_file_of_the_store_as_it_was(
    store: Path, warm_stores: WarmStores
) -> None:
    warm_stores.start(store)
    before = files_of(store)
    assert {"lock", "graph.rdb", "run/warm.json", "run/warm.lock"} <= set(before)

    assert uses_warm(store)
    for args in READS:
        kg(store, *args)
    kg(store, "engine", "status")

    assert files_of(store) == before


def test_a_read_while_the_warm_engine_reloads_leaves_every_file_as_it_was(
    store: Path, warm_stores: WarmStores
) -> None:
    engine = warm_stores.start(store)
    os.kill(engine.supervisor, signal.SIGSTOP)  # it cannot reload for now
    try:
        kg(store, "load", "--replace", str(TINY))  # a new graph.rdb: the engine's is old
        before = files_of(store)

        assert not uses_warm(store)  # read cold, by an engine of its own
        assert stats(store) == TINY_COUNTS
        assert files_of(store) == before
    finally:
        os.kill(engine.supervisor, signal.SIGCONT)


def test_status_names_the_store_since_when_and_its_memory(
    store: Path, warm_stores: WarmStores
) -> None:
    engine = warm_stores.start(store, "--idle-timeout", "2h")
    lines = dict(line.split(None, 1) for line in kg(store, "engine", "status").splitlines())

    assert lines["store"] == str(store.resolve())
    assert lines["since"].startswith(time.strftime("%Y-%m-%d", time.gmtime(engine.started)))
    assert lines["memory"].endswith("MiB (engine and supervisor, resident)")
    assert 10 < int(lines["memory"].split()[0].replace(",", "")) < 2000
    assert lines["idle"] == "stops after 2 h 0 min without a client"


def test_start_twice_keeps_the_first_engine(store: Path, warm_stores: WarmStores) -> None:
    first = warm_stores.start(store)

    assert "already serves" in kg(store, "engine", "start")
    assert warm_stores.seen(store).supervisor == first.supervisor


def test_two_starts_at_once_give_one_engine(store: Path, warm_stores: WarmStores) -> None:
    warm_stores.stores.append(store)
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: warm.start(store, 600), range(2)))

    assert sorted(started for _, started in results) == [False, True]
    assert len({engine.supervisor for engine, _ in results}) == 1
    assert [str(store) in c for c in supervisors().values()].count(True) == 1
    warm_stores.seen(store)


def test_stop_leaves_nothing_running_and_reads_go_on_cold(
    store: Path, warm_stores: WarmStores
) -> None:
    warm_stores.start(store)

    assert "stopped" in kg(store, "engine", "stop")
    assert warm_stores.left() == []
    assert not uses_warm(store)
    assert stats(store) == TINY_COUNTS
    result = CliRunner().invoke(cli, ["--store", str(store), "engine", "status"])
    assert (result.exit_code, result.output.startswith("no warm engine serves")) == (1, True)


def test_idle_timeout_stops_the_engine(store: Path, warm_stores: WarmStores) -> None:
    warm_stores.start(store, "--idle-timeout", "1s")

    assert wait_until(lambda: warm_stores.left() == [], 10.0), warm_stores.left()


def test_use_keeps_an_idle_timeout_from_expiring(store: Path, warm_stores: WarmStores) -> None:
    warm_stores.start(store, "--idle-timeout", "3s")
    for _ in range(5):  # 5 s of use, a read each second
        assert uses_warm(store)
        time.sleep(1)

    assert warm.find(store) is not None


def test_a_saved_write_is_served_after_reload_never_before(
    tmp_path: Path, store: Path, warm_stores: WarmStores
) -> None:
    warm_stores.start(store)
    big = tmp_path / "big"
    full = write_large_dataset(big, 50)
    kg(store, "load", "--replace", str(big))

    assert stats(store) == full  # at once: cold if the engine is still reloading
    assert wait_until(lambda: uses_warm(store), 20.0)
    assert stats(store) == full
    assert warm_stores.seen(store).graph_file == warm.file_identity(store / "graph.rdb")


def test_a_write_nobody_announced_is_noticed(store: Path, warm_stores: WarmStores) -> None:
    """A write killed between its SAVE and its message: the changed file is seen."""
    engine = warm_stores.start(store)
    os.kill(engine.supervisor, signal.SIGSTOP)  # cannot reload for now
    try:
        kg(store, "load", "--replace", str(TINY))  # a new graph.rdb (same content)

        assert not uses_warm(store)
    finally:
        os.kill(engine.supervisor, signal.SIGCONT)
    assert wait_until(lambda: uses_warm(store), 20.0)


def test_cli_killed_during_a_write_leaves_the_old_graph_served(
    tmp_path: Path,
    store: Path,
    warm_stores: WarmStores,
    spawn: Spawn,
) -> None:
    warm_stores.start(store)
    big = tmp_path / "big"
    write_large_dataset(big, LARGE)
    process = spawn("--store", store, "load", "--replace", big)
    kill_at_progress(process, 20, 80)

    assert uses_warm(store)
    assert stats(store) == TINY_COUNTS
    assert warm.find(store) is not None


def test_engine_killed_during_a_write_the_write_completes_and_is_read_cold(
    tmp_path: Path,
    store: Path,
    warm_stores: WarmStores,
    spawn: Spawn,
) -> None:
    engine = warm_stores.start(store)
    big = tmp_path / "big"
    full = write_large_dataset(big, LARGE)
    process = spawn("--store", store, "load", "--replace", big)
    assert process.stderr is not None
    next(process.stderr)  # the load has begun
    os.kill(engine.engine, signal.SIGKILL)
    process.communicate()

    assert process.returncode == 0
    assert wait_until(lambda: warm_stores.left() == [], 10.0), warm_stores.left()
    assert stats(store) == full


def test_cli_killed_during_a_read_leaves_the_engine_serving(
    store: Path,
    warm_stores: WarmStores,
    spawn: Spawn,
) -> None:
    engine = warm_stores.start(store)
    process = spawn("--store", store, "cypher", SLOW_READ)
    assert wait_until(lambda: running_a_query(engine.socket), TIMEOUT)
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert warm_stores.seen(store).engine == engine.engine
    assert uses_warm(store)
    assert stats(store) == TINY_COUNTS


def test_engine_killed_during_a_read_the_read_is_answered_cold_and_all_cleaned(
    store: Path,
    warm_stores: WarmStores,
    spawn: Spawn,
) -> None:
    engine = warm_stores.start(store)
    process = spawn("--store", store, "cypher", SLOW_READ, "--format", "json")
    assert wait_until(lambda: running_a_query(engine.socket), TIMEOUT)
    os.kill(engine.engine, signal.SIGKILL)
    output, errors = process.communicate()

    assert process.returncode == 0, errors
    assert json.loads(output) == [{"n": 8000000}]
    assert wait_until(lambda: warm_stores.left() == [], 10.0), warm_stores.left()


def test_scratch_copy_of_a_killed_process_is_dropped_from_the_warm_engine(
    store: Path, warm_stores: WarmStores
) -> None:
    import redis

    engine = warm_stores.start(store)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\n"
         "from pathlib import Path\n"
         "from kg.store import StoreConfig, open_store\n"
         "with open_store(StoreConfig(path=Path(sys.argv[1]))) as s, s.scratch():\n"
         "    print(s._warm, flush=True); time.sleep(60)\n",
         str(store)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "True"  # the copy is in the warm engine
        client = redis.Redis(unix_socket_path=engine.socket)
        assert len(list(client.scan_iter(match="*-scratch-*"))) == 1
        holder.kill()
        holder.wait()

        assert wait_until(lambda: not list(client.scan_iter(match="*-scratch-*")), 10.0)
        client.close()
    finally:
        holder.kill()
        holder.communicate()


def test_killed_supervisor_takes_its_engine_and_is_cleaned_up_later(
    store: Path, warm_stores: WarmStores
) -> None:
    engine = warm_stores.start(store)
    os.kill(engine.supervisor, signal.SIGKILL)

    assert wait_until(lambda: not running(engine.engine)), "the engine outlived its supervisor"
    assert (store / "run" / STATE_FILE).exists()  # stale until a writer cleans it
    assert stats(store) == TINY_COUNTS
    assert (store / "run" / STATE_FILE).exists()  # a read only looks
    open_to_write(store)
    assert warm_stores.left() == []


def test_stale_description_with_a_reused_pid_is_not_trusted(
    store: Path, warm_stores: WarmStores
) -> None:
    engine = warm_stores.start(store)
    kg(store, "engine", "stop")
    state = {**json.loads(json.dumps(engine.__dict__)), "supervisor": os.getpid()}
    (store / "run" / STATE_FILE).write_text(json.dumps(state))

    assert warm.find(store) is None
    open_to_write(store)
    assert not (store / "run" / STATE_FILE).exists()
    assert running(os.getpid())


@pytest.mark.parametrize("how", ["moved", "deleted"])
def test_store_moved_or_deleted_stops_the_engine(
    tmp_path: Path, store: Path, warm_stores: WarmStores, how: str
) -> None:
    warm_stores.start(store)
    if how == "moved":
        moved = tmp_path / "elsewhere"
        store.rename(moved)
        warm_stores.stores.append(moved)
    else:
        shutil.rmtree(store)

    assert wait_until(lambda: warm_stores.left() == [], 10.0), warm_stores.left()
    if how == "moved":
        assert stats(moved) == TINY_COUNTS


def test_serves_only_its_own_store_not_a_copy(
    tmp_path: Path, store: Path, warm_stores: WarmStores
) -> None:
    warm_stores.start(store)
    copy = tmp_path / "copy"
    shutil.copytree(store, copy)  # warm.json and all
    kg(
        copy,
        "load",
        "--replace",
        str(write_large_dataset(tmp_path / "big", 50) and tmp_path / "big"),
    )

    assert not uses_warm(copy)
    assert stats(copy)["Sentra"] == 50
    assert stats(store) == TINY_COUNTS


def test_no_tcp_port_and_a_private_socket(store: Path, warm_stores: WarmStores) -> None:
    engine = warm_stores.start(store)
    directory = Path(engine.socket).parent

    assert directory.stat().st_mode & 0o777 == 0o700
    assert Path(engine.socket).stat().st_mode & 0o077 == 0
    listening = Path("/proc/net/tcp").read_text() + Path("/proc/net/tcp6").read_text()
    inodes = {os.readlink(f"/proc/{engine.engine}/fd/{fd}") for fd in
              os.listdir(f"/proc/{engine.engine}/fd")}  # fmt: skip
    sockets = {link[len("socket:[") : -1] for link in inodes if link.startswith("socket:[")}
    tcp = {line.split()[9] for line in listening.splitlines()[1:] if line.split()[3] == "0A"}
    assert not sockets & tcp, "the engine listens on a TCP port"


@pytest.fixture
def other_user() -> Iterator[str]:
    """A second local user, made for the test and removed after it (needs root)."""
    if os.geteuid() != 0:
        pytest.skip("making a second local user needs root (CI runs as root)")
    if shutil.which("useradd") is None or shutil.which("runuser") is None:
        pytest.skip("useradd and runuser are needed to make and act as a second user")
    name = f"kgw{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/sh", name], check=True)
    try:
        yield name
    finally:
        subprocess.run(["userdel", name], check=False)


def python_for(user: str) -> str:
    """A Python interpreter ``user`` may run (this one may sit in root's home)."""
    for python in (sys.executable, "/usr/bin/python3", "/usr/local/bin/python3"):
        tried = subprocess.run(["runuser", "-u", user, "--", python, "-c", "print(1)"],
                               capture_output=True, text=True, check=False, cwd="/")  # fmt: skip
        if tried.stdout.strip() == "1":
            return python
    pytest.skip("no Python interpreter the second user may run, to try the socket with")


def test_a_second_local_user_cannot_connect(
    tmp_path: Path, store: Path, warm_stores: WarmStores, other_user: str
) -> None:
    engine = warm_stores.start(store)
    tmp_path.chmod(0o755)  # let them reach the store itself, as on a shared machine
    store.chmod(0o755)
    probe = (
        "import socket, sys\n"
        "s = socket.socket(socket.AF_UNIX)\n"
        "try:\n"
        "    s.connect(sys.argv[1])\n"
        "except OSError as e:\n"
        "    print(type(e).__name__)\n"
        "else:\n"
        "    s.sendall(b'PING\\r\\n'); print(s.recv(10))\n"
    )
    python = python_for(other_user)
    as_other: Callable[[str], str] = lambda socket: subprocess.run(  # noqa: E731
        ["runuser", "-u", other_user, "--", python, "-c", probe, socket],
        capture_output=True, text=True, check=True, cwd="/",
    ).stdout.strip()  # fmt: skip

    assert as_other(engine.socket) == "PermissionError"
    assert uses_warm(store)  # its owner still can


def test_durations() -> None:
    from kg.cli.engine import parse_duration

    assert [parse_duration(t) for t in ("90", "90s", "30m", "2h", "1d", "0")] == [
        90, 90, 1800, 7200, 86400, 0,
    ]  # fmt: skip


def test_a_neo4j_store_has_no_warm_engine() -> None:
    result = CliRunner().invoke(cli, ["--uri", "bolt://localhost:1", "engine", "status"])

    assert result.exit_code == 2
    assert "Neo4j server stays up itself" in result.output


def test_start_without_a_store_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "none"), "engine", "start"])

    assert result.exit_code == 2
    assert "no store at" in result.output
    assert sys.executable  # the supervisor would run with this interpreter

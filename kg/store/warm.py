"""The warm engine: one embedded store's graph kept loaded between commands.

``kg engine start`` runs a small supervisor (``python -m kg.store.warm STORE SECONDS``) in
its own session. The supervisor starts the engine (redis-server with FalkorDB) as its
child, which the kernel kills when the supervisor dies (``PR_SET_PDEATHSIG``), and
describes it in ``STORE/run/warm.json``. Read-only opens of that store connect to it
instead of starting an engine of their own (``EmbeddedStore``); writes never do.

Why a reader may trust it. Every open of a store holds the store's ``lock`` (shared to
read, exclusive to write) for its whole life, and ``graph.rdb`` changes only by a write's
``SAVE``, which renames a complete file over it. The supervisor loads the engine while it
holds the shared lock, and records the identity of the file it loaded (device, inode,
size, modification time). A reader, under its own shared lock, uses the warm engine only
if ``graph.rdb`` still has that identity: then the engine holds exactly the saved graph,
and no write can change the file while the reader works. After a write, the identity
differs: readers start their own engine (as without a warm one) until the supervisor has
reloaded, which it does when the write tells it (``SIGHUP``, sent after a successful
``SAVE``) or when its own check of the file (every ``POLL`` seconds) sees the change, so
a write killed between its ``SAVE`` and the message is noticed too. A killed write never
saves, so the file, and what the warm engine serves, stay as they were.

The engine never writes the store: it works in a private directory (mode 0700, under the
system's temporary directory) and reads ``graph.rdb`` through a symbolic link removed
once it is loaded; autosave and the append-only file are off. It listens on no TCP port
(``--port 0``), only on a unix socket in that private directory (``--unixsocketperm
700``), so only the store's owner (and root) can connect; it holds only the graph of the
store it was started for.

The supervisor stops the engine, removes its directory and ``warm.json``, and exits on
``kg engine stop`` (``SIGTERM``), after ``idle_timeout`` seconds without a client, when
the engine dies, or when the store directory is moved or deleted. ``warm.lock`` (flock,
held by the supervisor for its life) tells a live supervisor from a stale ``warm.json``
left by a killed one, which any later command then removes.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kg.errors import StoreError

STATE_FILE = "warm.json"
LOCK_FILE = "warm.lock"
DB_FILE = "graph.rdb"
POLL = 0.5
START_TIMEOUT = 600.0
STOP_TIMEOUT = 10.0
SOCKET_PREFIX = "kg-warm-"
DEFAULT_IDLE_TIMEOUT = 30 * 60.0


@dataclass(frozen=True)
class WarmEngine:
    """What ``warm.json`` says about a running warm engine."""

    store: str
    """The store directory, resolved."""
    store_id: tuple[int, int]
    """Device and inode of the store directory when started."""
    supervisor: int
    engine: int
    socket: str
    started: float
    """When the supervisor started (seconds since the epoch)."""
    loaded: float
    """When the engine finished loading the graph it serves."""
    graph_file: tuple[int, int, int, int] | None
    """Identity of the ``graph.rdb`` it loaded (see ``file_identity``), None if none."""
    idle_timeout: float
    """Seconds without a client before it stops; 0: never."""
    ready: bool

    @property
    def memory(self) -> int | None:
        """Resident memory of the engine and its supervisor in bytes (None if gone)."""
        total = 0
        for pid in (self.engine, self.supervisor):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                return None
            for line in status.splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        return total


def file_identity(path: Path) -> tuple[int, int, int, int] | None:
    """Device, inode, size and modification time (ns) of ``path``; None if absent.

    A ``SAVE`` writes a new file and renames it over the old one, so every save gives
    ``graph.rdb`` a new inode.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _dir_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


# -- what clients ask -------------------------------------------------------------------


def find(store: Path) -> WarmEngine | None:
    """The warm engine serving ``store``, if one runs; a stale description is removed."""
    run = store / "run"
    state = _read_state(run)
    if state is None:
        return None
    if not _supervisor_alive(run):
        _clean(run, state)
        return None
    if not _is_supervisor(state.supervisor):
        return None  # a killed supervisor's description; its successor is starting
    if state.store != str(store.resolve()) or tuple(state.store_id) != _dir_identity(store):
        return None  # a copy of another store's run directory: not ours
    return state


def serving(store: Path) -> str | None:
    """The socket of a warm engine holding exactly ``store``'s saved graph, else None.

    Call it holding the store's shared lock (see the module docstring). When the graph
    file changed since the engine loaded it, the supervisor is asked to reload and None
    is returned: the caller starts its own engine this time.
    """
    state = find(store)
    if state is None or not state.ready:
        return None
    if state.graph_file is None or tuple(state.graph_file) != file_identity(store / DB_FILE):
        notify(store)
        return None
    if not os.path.exists(state.socket):
        return None
    return state.socket


def notify(store: Path) -> None:
    """Tell the warm engine of ``store`` (if any) that ``graph.rdb`` was saved anew."""
    state = find(store)
    if state is not None:
        with contextlib.suppress(OSError):
            os.kill(state.supervisor, signal.SIGHUP)


def start(store: Path, idle_timeout: float) -> tuple[WarmEngine, bool]:
    """Start a warm engine for ``store`` and wait until it serves; (engine, started).

    ``started`` is False when one was running already (it is left as it was).
    """
    if not (store / DB_FILE).is_file():
        raise StoreError(f"no store at {store}: `kg load` creates one")
    existing = find(store)
    if existing is not None:
        return existing, False
    log_dir = tempfile.mkdtemp(prefix="kg-warm-start-")
    log = Path(log_dir) / "supervisor.log"
    try:
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "kg.store.warm", str(store.resolve()), str(idle_timeout)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                start_new_session=True,
                close_fds=True,
                cwd="/",  # hold no directory of the caller's
            )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            code = process.poll()
            state = _read_state(store / "run")
            if state is not None and state.supervisor == process.pid and state.ready:
                return state, True
            if code is not None:
                existing = find(store)
                if existing is not None and existing.ready:  # another start won the race
                    return existing, False
                if _supervisor_alive(store / "run") and time.monotonic() < deadline:
                    time.sleep(0.05)  # ... and is still loading
                    continue
                reason = log.read_text(errors="replace").strip().splitlines()
                raise StoreError(
                    "the warm engine stopped at start: " + (reason[-1] if reason else "no log")
                )
            if time.monotonic() > deadline:
                process.kill()
                raise StoreError(f"the warm engine did not start within {START_TIMEOUT:.0f} s")
            time.sleep(0.05)
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)


def stop(store: Path) -> WarmEngine | None:
    """Stop the warm engine of ``store``; what it was, or None if none ran."""
    state = find(store)
    if state is None:
        return None
    with contextlib.suppress(OSError):
        os.kill(state.supervisor, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while _supervisor_alive(store / "run") and time.monotonic() < deadline:
        time.sleep(0.05)
    if _supervisor_alive(store / "run"):
        for pid in (state.supervisor, state.engine):  # the engine would die with it anyway
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        while _supervisor_alive(store / "run"):
            time.sleep(0.05)
    while _running(state.supervisor) and time.monotonic() < deadline + STOP_TIMEOUT:
        time.sleep(0.02)  # it let go of its lock: finishing its exit
    _clean(store / "run", state)
    return state


def _running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, exited but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


# -- state files ------------------------------------------------------------------------


def _read_state(run: Path) -> WarmEngine | None:
    try:
        data: dict[str, Any] = json.loads((run / STATE_FILE).read_text())
        data["store_id"] = tuple(data["store_id"])
        if data["graph_file"] is not None:
            data["graph_file"] = tuple(data["graph_file"])
        return WarmEngine(**data)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _supervisor_alive(run: Path) -> bool:
    """Whether a supervisor holds ``warm.lock`` (a lock dies with its process)."""
    try:
        fd = os.open(run / LOCK_FILE, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _is_supervisor(pid: int) -> bool:
    """Whether ``pid`` runs this module (not a pid reused by another program)."""
    try:
        return b"kg.store.warm" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return not sys.platform.startswith("linux") and _running(pid)


def _clean(run: Path, state: WarmEngine) -> None:
    """Remove what a dead supervisor left: its description and its private directory."""
    current = _read_state(run)
    if current is not None and current.supervisor == state.supervisor:
        (run / STATE_FILE).unlink(missing_ok=True)
    _remove_socket_dir(state.socket)


def _remove_socket_dir(socket: str) -> None:
    directory = Path(socket).parent
    if directory.name.startswith(SOCKET_PREFIX) and directory.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(directory, ignore_errors=True)


# -- the supervisor ---------------------------------------------------------------------


class _Supervisor:
    """Runs one engine for one store; see the module docstring."""

    def __init__(self, store: Path, idle_timeout: float) -> None:
        self.store = store
        self.idle_timeout = idle_timeout
        self.store_id = _dir_identity(store)
        self.run_fd = os.open(store / "run", os.O_RDONLY | os.O_DIRECTORY)
        self.dir = tempfile.mkdtemp(prefix=SOCKET_PREFIX)
        os.chmod(self.dir, 0o700)
        self.socket = os.path.join(self.dir, "engine.sock")
        self.started = time.time()
        self.engine: subprocess.Popen[bytes] | None = None
        self.client: Any = None
        self.graph_file: tuple[int, int, int, int] | None = None
        self.loaded: float | None = None
        self.reload = False
        self.stopping = False

    def serve(self) -> None:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGHUP, self._reload)
        try:
            if not self._load():
                return
            last_used = time.monotonic()
            connections = self._connections()
            while not self.stopping:
                time.sleep(POLL)
                if self.stopping or self._gone():
                    return
                if self.engine is not None and self.engine.poll() is not None:
                    return  # the engine died: clean up and go
                if self.reload or file_identity(self.store / DB_FILE) != self.graph_file:
                    self.reload = False
                    if not self._load():
                        return
                    last_used = time.monotonic()
                    connections = self._connections()
                    continue
                now_connections = self._connections()
                if now_connections is None:
                    return
                if now_connections != connections or now_connections[0] > 1:
                    last_used = time.monotonic()
                    connections = now_connections
                elif self.idle_timeout and time.monotonic() - last_used > self.idle_timeout:
                    return
                self._drop_orphan_scratch()
        finally:
            self._shutdown()

    def _stop(self, *_: object) -> None:
        self.stopping = True

    def _reload(self, *_: object) -> None:
        self.reload = True

    def _gone(self) -> bool:
        """Whether the store directory was moved or deleted."""
        return _dir_identity(self.store) != self.store_id

    def _connections(self) -> tuple[int, int] | None:
        """Clients connected and connections ever received, besides our own."""
        import redis

        try:
            clients = self.client.info("clients")["connected_clients"]
            received = self.client.info("stats")["total_connections_received"]
        except redis.RedisError:
            return None
        return (int(clients), int(received))

    def _load(self) -> bool:
        """(Re)start the engine on the saved graph, holding the store's shared lock."""
        self._write_state(ready=False)
        self._kill_engine()
        lock = self._shared_lock()
        if lock is None:
            return False
        try:
            self.graph_file = file_identity(self.store / DB_FILE)
            if self.graph_file is None:
                return False
            link = os.path.join(self.dir, DB_FILE)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(link)
            os.symlink(self.store / DB_FILE, link)
            try:
                self._start_engine()
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(link)
        finally:
            os.close(lock)
        if self.engine is None:
            return False
        self.loaded = time.time()
        self._write_state(ready=True)
        return True

    def _shared_lock(self) -> int | None:
        fd = os.open(self.store / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        while not self.stopping and not self._gone():
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                time.sleep(0.1)
        os.close(fd)
        return None

    def _start_engine(self) -> None:
        import redis

        from kg.store.embedded import spawn_engine

        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.socket)
        self.engine = spawn_engine(self.socket, self.dir, os.path.join(self.dir, "engine.log"))
        deadline = time.monotonic() + START_TIMEOUT
        while not self.stopping:
            if self.engine.poll() is not None:
                print("the engine stopped while loading the graph", file=sys.stderr)
                self.engine = None
                return
            try:
                if os.path.exists(self.socket):
                    client = redis.Redis(unix_socket_path=self.socket)
                    client.ping()
                    self.client = client
                    return
            except (redis.ConnectionError, redis.BusyLoadingError):
                pass
            if time.monotonic() > deadline:
                break
            time.sleep(0.02)
        self._kill_engine()

    def _kill_engine(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
            self.client = None
        if self.engine is not None:
            self.engine.kill()
            self.engine.wait()
            self.engine = None

    def _drop_orphan_scratch(self) -> None:
        """Drop scratch copies (``Store.scratch``) whose process was killed mid-way."""
        import redis

        from kg.store.embedded import _alive

        with contextlib.suppress(redis.RedisError):
            for key in self.client.scan_iter(match="*-scratch-*"):
                pid = key.split(b"-scratch-", 1)[1].split(b"-", 1)[0]  # see Store.scratch
                if pid.isdigit() and not _alive(int(pid)):
                    self.client.delete(key)

    def _write_state(self, *, ready: bool) -> None:
        if self.loaded is None:
            return  # nothing described yet
        state = WarmEngine(
            store=str(self.store),
            store_id=self.store_id or (0, 0),
            supervisor=os.getpid(),
            engine=self.engine.pid if self.engine is not None else 0,
            socket=self.socket,
            started=self.started,
            loaded=self.loaded,
            graph_file=self.graph_file if ready else None,
            idle_timeout=self.idle_timeout,
            ready=ready,
        )
        temporary = f".{STATE_FILE}.{os.getpid()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600, dir_fd=self.run_fd)
        with os.fdopen(fd, "w") as out:
            json.dump(asdict(state), out)
        os.replace(temporary, STATE_FILE, src_dir_fd=self.run_fd, dst_dir_fd=self.run_fd)

    def _shutdown(self) -> None:
        self._kill_engine()
        with contextlib.suppress(OSError):
            text = os.open(STATE_FILE, os.O_RDONLY, dir_fd=self.run_fd)
            with os.fdopen(text) as state:
                mine = json.load(state).get("supervisor") == os.getpid()
            if mine:
                os.unlink(STATE_FILE, dir_fd=self.run_fd)
        with contextlib.suppress(OSError):
            os.unlink(f".{STATE_FILE}.{os.getpid()}", dir_fd=self.run_fd)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.close(self.run_fd)


@contextlib.contextmanager
def _exclusive(run: Path) -> Iterator[int | None]:
    """``warm.lock`` held for the supervisor's life; None if another supervisor holds it."""
    fd = os.open(run / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        yield None
        return
    try:
        yield fd
    finally:
        os.close(fd)


def main(argv: list[str]) -> int:
    """The supervisor: ``python -m kg.store.warm STORE IDLE_SECONDS``."""
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # until serve() handles it
    store, idle = Path(argv[0]), float(argv[1])
    (store / "run").mkdir(exist_ok=True)
    with _exclusive(store / "run") as held:
        if held is None:
            print("a warm engine already serves this store", file=sys.stderr)
            return 1
        stale = _read_state(store / "run")  # a killed supervisor's, since we hold the lock
        if stale is not None:
            _clean(store / "run", stale)
        _Supervisor(store, idle).serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

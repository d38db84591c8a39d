"""The warm engine's supervisor: a program of its own, ``python -m kg.store.warm_supervisor
STORE IDLE_SECONDS``, which ``kg.store.warm.start`` runs in a session of its own.

It holds ``warm.lock`` for its life, starts the engine on the store's saved graph (under
the store's shared lock), describes it in ``warm.json`` and reloads it when ``graph.rdb``
is saved anew (``SIGHUP``, or its own check every ``POLL`` seconds); see ``kg.store.warm``
for why readers may trust what it serves.

The engine never writes the store: it works in a private directory (mode 0700, under the
system's temporary directory) and reads ``graph.rdb`` through a symbolic link removed
once it is loaded; autosave and the append-only file are off. It listens on no TCP port,
only on a unix socket in that private directory, so only the store's owner (and root)
can connect; it holds only the graph of the store it was started for.

The supervisor stops the engine, removes its directory and ``warm.json``, and exits on
``kg engine stop`` (``SIGTERM``), after ``idle_timeout`` seconds without a client, when
the engine dies, or when the store directory is moved or deleted.
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
from dataclasses import asdict
from pathlib import Path

import redis

from kg.catalogue import say
from kg.errors import StoreError
from kg.store import engine_process
from kg.store.layout import SCRATCH_PATTERN, StoreLayout, scratch_owner
from kg.store.reasons import os_reason
from kg.store.warm import (
    SOCKET_PREFIX,
    WarmEngine,
    dir_identity,
    file_identity,
    forget,
    read_state,
    report,
)

POLL = 0.5
"""Seconds between two looks at the store's graph file, the engine and its clients."""


class Supervisor:
    """Runs one engine for one store; see the module docstring."""

    def __init__(self, store: Path, idle_timeout: float) -> None:
        self.store = store
        self.layout = StoreLayout(store)
        self.idle_timeout = idle_timeout
        self.store_id = dir_identity(store)
        self.run_fd = os.open(self.layout.run_dir, os.O_RDONLY | os.O_DIRECTORY)
        self.dir = tempfile.mkdtemp(prefix=SOCKET_PREFIX)
        os.chmod(self.dir, 0o700)
        self.socket = os.path.join(self.dir, "engine.sock")
        self.log = os.path.join(self.dir, "engine.log")
        self.started = time.time()
        self.engine: subprocess.Popen[bytes] | None = None
        self.client: redis.Redis | None = None
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
                if self.reload or file_identity(self.layout.graph_file) != self.graph_file:
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
        return dir_identity(self.store) != self.store_id

    def _connections(self) -> tuple[int, int] | None:
        """Clients connected and connections ever received, besides our own."""
        if self.client is None:
            return None
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
            self.graph_file = file_identity(self.layout.graph_file)
            if self.graph_file is None:
                return False
            link = os.path.join(self.dir, StoreLayout.DB_FILE)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(link)
            os.symlink(self.layout.graph_file, link)
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
        fd = os.open(self.layout.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        while not self.stopping and not self._gone():
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                time.sleep(0.1)
        os.close(fd)
        return None

    def _start_engine(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.socket)
        self.engine = engine_process.spawn(self.socket, self.dir, StoreLayout.DB_FILE, self.log)
        try:
            db = engine_process.wait_ready(
                self.engine, self.socket, self.log, stopping=lambda: self.stopping
            )
        except StoreError as exc:
            reason = engine_process.unreadable_file(self.log, self.layout.graph_file)
            if reason is not None:
                print(report(engine_process.refusal(self.store, reason)), file=sys.stderr)
            else:
                print(report(say("store.warm_engine_stopped", reason=exc.args[0])),
                      file=sys.stderr)
            self.engine = None
            return
        if db is None:
            self._kill_engine()
            return
        self.client = db.connection

    def _kill_engine(self) -> None:
        if self.client is not None:
            with contextlib.suppress(redis.RedisError):
                self.client.close()
            self.client = None
        if self.engine is not None:
            engine_process.stop(self.engine)
            self.engine = None

    def _drop_orphan_scratch(self) -> None:
        """Drop scratch copies (``Store.scratch``) whose process was killed mid-way."""
        if self.client is None:
            return
        with contextlib.suppress(redis.RedisError):
            for key in self.client.scan_iter(match=SCRATCH_PATTERN):
                owner = scratch_owner(key)
                if owner is not None and not engine_process.running(owner):
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
        name = self.layout.warm_state.name
        temporary = f".{name}.{os.getpid()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600, dir_fd=self.run_fd)
        with os.fdopen(fd, "w") as out:
            json.dump(asdict(state), out)
        os.replace(temporary, name, src_dir_fd=self.run_fd, dst_dir_fd=self.run_fd)

    def _shutdown(self) -> None:
        self._kill_engine()
        name = self.layout.warm_state.name
        with contextlib.suppress(OSError):
            text = os.open(name, os.O_RDONLY, dir_fd=self.run_fd)
            with os.fdopen(text) as state:
                mine = json.load(state).get("supervisor") == os.getpid()
            if mine:
                os.unlink(name, dir_fd=self.run_fd)
        with contextlib.suppress(OSError):
            os.unlink(f".{name}.{os.getpid()}", dir_fd=self.run_fd)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.close(self.run_fd)


@contextlib.contextmanager
def _exclusive(layout: StoreLayout) -> Iterator[int | None]:
    """``warm.lock`` held for the supervisor's life; None if another supervisor holds it."""
    fd = os.open(layout.warm_lock, os.O_RDWR | os.O_CREAT, 0o600)
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
    """The supervisor: ``python -m kg.store.warm_supervisor STORE IDLE_SECONDS``."""
    signal.signal(signal.SIGHUP, signal.SIG_IGN)  # until serve() handles it
    store, idle = Path(argv[0]), float(argv[1])
    layout = StoreLayout(store)
    try:
        layout.run_dir.mkdir(exist_ok=True)
        with _exclusive(layout) as held:
            if held is None:
                print(report(say("store.warm_already")), file=sys.stderr)
                return 1
            stale = read_state(layout)  # a killed supervisor's, since we hold the lock
            if stale is not None:
                forget(layout, stale)
            Supervisor(store, idle).serve()
    except OSError as exc:  # the last line is what `kg engine start` reports
        print(report(say("store.cannot_write", path=exc.filename or layout.run_dir,
                         reason=os_reason(exc))), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

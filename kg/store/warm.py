"""The warm engine, seen from its clients: one embedded store's graph kept loaded between
commands, and how to find, use, notify, start and stop it.

``kg engine start`` runs a small supervisor (``python -m kg.store.warm_supervisor STORE
SECONDS``, ``kg.store.warm_supervisor``) in its own session. The supervisor starts the
engine (redis-server with FalkorDB) as its child, which the kernel kills when the
supervisor dies (``PR_SET_PDEATHSIG``), and describes it in ``STORE/run/warm.json``.
Read-only opens of that store connect to it instead of starting an engine of their own
(``EmbeddedStore``); writes never do.

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

A reader only looks: it changes no file of the store and signals nobody. ``warm.lock``
(flock, held by the supervisor for its life) tells a live supervisor from a stale
``warm.json`` left by a killed one; a stale one is removed by whoever holds the store's
write lock (``clean_stale``), by the next supervisor, or by ``kg engine stop``.
"""

from __future__ import annotations

import atexit
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.catalogue import LANGUAGES, by_language, in_language, numeral, say
from kg.errors import StoreError
from kg.store import engine_process
from kg.store.engine_process import START_TIMEOUT, STOP_TIMEOUT, running
from kg.store.layout import StoreLayout

SUPERVISOR_MODULE = "kg.store.warm_supervisor"
SOCKET_PREFIX = "kg-warm-"
DEFAULT_IDLE_TIMEOUT = 30 * 60.0
_WAIT = 0.05
"""Seconds between two looks at a starting or stopping supervisor."""


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



_SUPERVISORS: list[subprocess.Popen[bytes]] = []
"""The supervisors this process started, kept for its lifetime: a supervisor is meant to
outlive the command that started it, and a ``Popen`` collected while its process runs
warns (ResourceWarning). Those that have stopped by then are reaped at exit."""


@atexit.register
def _reap_supervisors() -> None:
    for process in _SUPERVISORS:
        process.poll()

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


def dir_identity(path: Path) -> tuple[int, int] | None:
    """Device and inode of the directory ``path``; None if it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


# -- what clients ask -------------------------------------------------------------------


def find(store: Path) -> WarmEngine | None:
    """The warm engine serving ``store``, if one runs. Only looks (see the module
    docstring): a stale description is left for ``clean_stale``."""
    layout = StoreLayout(store)
    state = read_state(layout)
    if state is None or not _supervisor_alive(layout):
        return None
    if not _is_supervisor(state.supervisor):
        return None  # a killed supervisor's description; its successor is starting
    if state.store != str(store.resolve()) or tuple(state.store_id) != dir_identity(store):
        return None  # a copy of another store's run directory: not ours
    return state


def serving(store: Path) -> str | None:
    """The socket of a warm engine holding exactly ``store``'s saved graph, else None.

    Call it holding the store's shared lock (see the module docstring). When the graph
    file changed since the engine loaded it, None: the caller starts its own engine this
    time, and the supervisor reloads (told by the write, or by its own check).
    """
    state = find(store)
    if state is None or not state.ready:
        return None
    graph = StoreLayout(store).graph_file
    if state.graph_file is None or tuple(state.graph_file) != file_identity(graph):
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


def clean_stale(store: Path) -> None:
    """Remove what a killed supervisor left (its ``warm.json`` and private directory).

    Called by whoever holds the store's write lock, and by the next supervisor.
    """
    layout = StoreLayout(store)
    state = read_state(layout)
    if state is not None and not _supervisor_alive(layout):
        forget(layout, state)


def start(store: Path, idle_timeout: float) -> tuple[WarmEngine, bool]:
    """Start a warm engine for ``store`` and wait until it serves; (engine, started).

    ``started`` is False when one was running already (it is left as it was).
    """
    layout = StoreLayout(store)
    if not layout.graph_file.is_file():
        raise StoreError(say("store.no_warm_store", path=store))
    existing = find(store)
    if existing is not None:
        return existing, False
    log_dir = tempfile.mkdtemp(prefix="kg-warm-start-")
    log = Path(log_dir) / "supervisor.log"
    try:
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", SUPERVISOR_MODULE, str(store.resolve()), str(idle_timeout)],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                start_new_session=True,
                close_fds=True,
                cwd="/",  # hold no directory of the caller's
            )
        _SUPERVISORS.append(process)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            code = process.poll()
            state = read_state(layout)
            if state is not None and state.supervisor == process.pid and state.ready:
                return state, True
            if code is not None:
                existing = find(store)
                if existing is not None and existing.ready:  # another start won the race
                    return existing, False
                if _supervisor_alive(layout) and time.monotonic() < deadline:
                    time.sleep(_WAIT)  # ... and is still loading
                    continue
                reason = log.read_text(errors="replace").strip().splitlines()
                raise StoreError(say("store.warm_stopped_at_start",
                                     reason=heard(reason[-1]) if reason else say("store.no_log")))
            if time.monotonic() > deadline:
                process.kill()
                raise StoreError(say("store.warm_start_timeout", seconds=numeral(START_TIMEOUT)))
            time.sleep(_WAIT)
    finally:
        shutil.rmtree(log_dir, ignore_errors=True)


def report(message: str) -> str:
    """A line for the supervisor's log saying ``message`` in every language (JSON), so that
    ``start`` can word it in its caller's (``heard``).

    >>> heard(report(say("store.no_log")))
    'no log'
    """
    return json.dumps({lang: in_language(message, lang) for lang in LANGUAGES},
                      ensure_ascii=False)


def heard(line: str) -> str:
    """A line of the supervisor's log: its message (``report``) in every language, or the
    line itself (a Python error, say)."""
    with contextlib.suppress(ValueError):
        said = json.loads(line)
        if isinstance(said, dict) and set(said) == set(LANGUAGES):
            return by_language(**{lang: str(said[lang]) for lang in LANGUAGES})
    return line


def stop(store: Path) -> WarmEngine | None:
    """Stop the warm engine of ``store``; what it was, or None if none ran."""
    layout = StoreLayout(store)
    state = find(store)
    if state is None:
        clean_stale(store)
        return None
    with contextlib.suppress(OSError):
        os.kill(state.supervisor, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    while _supervisor_alive(layout) and time.monotonic() < deadline:
        time.sleep(_WAIT)
    if _supervisor_alive(layout):
        for pid in (state.supervisor, state.engine):  # the engine would die with it anyway
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        while _supervisor_alive(layout):
            time.sleep(_WAIT)
    while running(state.supervisor) and time.monotonic() < deadline + STOP_TIMEOUT:
        time.sleep(_WAIT)  # it let go of its lock: finishing its exit
    forget(layout, state)
    return state


# -- state files ------------------------------------------------------------------------


def read_state(layout: StoreLayout) -> WarmEngine | None:
    """What ``warm.json`` says, None if it is absent or unreadable."""
    try:
        data: dict[str, Any] = json.loads(layout.warm_state.read_text())
        data["store_id"] = tuple(data["store_id"])
        if data["graph_file"] is not None:
            data["graph_file"] = tuple(data["graph_file"])
        return WarmEngine(**data)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _supervisor_alive(layout: StoreLayout) -> bool:
    """Whether a supervisor holds ``warm.lock`` (a lock dies with its process)."""
    try:
        fd = os.open(layout.warm_lock, os.O_RDONLY)
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
    """Whether ``pid`` runs the supervisor (not a pid reused by another program)."""
    command = engine_process.command_line(pid)
    if command is None:
        return not sys.platform.startswith("linux") and running(pid)
    return SUPERVISOR_MODULE.encode() in command


def forget(layout: StoreLayout, state: WarmEngine) -> None:
    """Remove what the dead supervisor ``state`` left: its description (if still its
    own) and its private directory."""
    current = read_state(layout)
    if current is not None and current.supervisor == state.supervisor:
        with contextlib.suppress(OSError):
            layout.warm_state.unlink(missing_ok=True)
    directory = Path(state.socket).parent
    if directory.name.startswith(SOCKET_PREFIX) and directory.parent == Path(tempfile.gettempdir()):
        shutil.rmtree(directory, ignore_errors=True)

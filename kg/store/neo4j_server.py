"""The Neo4j 5 engine, through the official driver and managed transactions.

Each ``write`` call is one managed transaction (``execute_write``): the driver retries
it on transient failures, and every statement MERGEs on ``id``, so a retried or
repeated load is idempotent. Reads use ``execute_read``, which Neo4j runs in READ
access mode: a write clause there is refused by the server itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import ClientError, DriverError, Neo4jError, ServiceUnavailable

from kg.catalogue import say
from kg.errors import QueryError, StoreError
from kg.schema.graph import GraphCounts
from kg.store import cypher_writes, values
from kg.store.config import StoreConfig, redact
from kg.store.protocol import GraphReader, Progress, QueryResult, Statement, node_index_labels
from kg.store.scratch import Scratch


class Neo4jStore:
    """A graph in a Neo4j 5 database (single server, cluster or Aura)."""

    engine = "neo4j"

    def __init__(self, config: StoreConfig) -> None:
        assert config.uri is not None
        self.location = redact(config.uri)
        self._database = config.database
        scheme, _, rest = config.uri.partition("://")
        if "@" in rest:
            # The driver refuses user info in URIs and repeats the whole URI in its error.
            raise StoreError(say("store.neo4j_user_in_uri",
                                 uri=f"{scheme}://{rest.rpartition('@')[2]}"))
        auth = (config.user or "neo4j", config.password or "") if config.password else None
        self._driver = _connect(config.uri, auth, self.location)
        try:
            self._ensure_schema()
        except (DriverError, Neo4jError) as exc:
            self._driver.close()
            detail = exc.message if isinstance(exc, Neo4jError) else type(exc).__name__
            raise StoreError(say("store.neo4j_setup_refused", location=self.location,
                                 reason=detail)) from None

    def _session(self) -> neo4j.Session:
        return self._driver.session(database=self._database)

    def _ensure_schema(self) -> None:
        with self._session() as session:
            for label in node_index_labels():
                session.run(
                    f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                    f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
                ).consume()

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        def work(tx: ManagedTransaction) -> QueryResult:
            return _result(tx.run(query, dict(params or {})))

        return self._call("read", work)

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        def work(tx: ManagedTransaction) -> QueryResult:
            return _result(tx.run(query, dict(params or {})))

        return self._call("write", work)

    def write(self, statements: Sequence[Statement], progress: Progress | None = None) -> None:
        total = sum(max(len(s.rows), 1) for s in statements)

        def work(tx: ManagedTransaction) -> None:
            done = 0
            for statement in statements:
                params = dict(statement.params)
                if statement.rows:
                    params["rows"] = list(statement.rows)
                tx.run(statement.query, params).consume()
                done += max(len(statement.rows), 1)
                if progress is not None:
                    progress(done, total)

        self._call("write", work)

    def write_graph(
        self,
        read: GraphReader,
        *,
        create: bool,
        clear: bool = False,
        progress: Progress | None = None,
        then: Sequence[Statement] = (),
    ) -> GraphCounts:
        """Write the graph ``read`` returns, then ``then``, in one transaction, as
        batched statements."""
        graph = read(None)
        self.write([*cypher_writes.statements(graph, fresh=create, clear=clear), *then], progress)
        return graph.counts()

    def _call[T](self, mode: str, work: Callable[[ManagedTransaction], T]) -> T:
        try:
            with self._session() as session:
                if mode == "read":
                    return session.execute_read(work)
                return session.execute_write(work)
        except ClientError as exc:
            if exc.code and "AccessMode" in exc.code:
                raise QueryError(say("store.write_refused")) from None
            raise QueryError(say("store.neo4j_rejected", reason=exc.message)) from None
        except ServiceUnavailable:
            raise StoreError(say("store.neo4j_lost", location=self.location)) from None
        except (DriverError, Neo4jError) as exc:
            raise StoreError(say("store.neo4j_failed", location=self.location,
                                 reason=type(exc).__name__)) from None

    @contextmanager
    def scratch(self) -> Iterator[Neo4jScratch]:
        """The graph inside one transaction that is always rolled back: what is written
        through it is seen by its own reads and never committed (the server rolls back
        the transaction of a client that dies)."""
        try:
            session = self._session()
            transaction = session.begin_transaction()
        except (DriverError, Neo4jError) as exc:
            raise StoreError(say("store.neo4j_failed", location=self.location,
                                 reason=type(exc).__name__)) from None
        try:
            yield Neo4jScratch(transaction, self.location)
        finally:
            try:
                transaction.rollback()
            finally:
                session.close()

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class Neo4jScratch(Scratch):
    """A Neo4j graph seen through a transaction that is rolled back (``Neo4jStore.scratch``)."""

    engine = "neo4j"

    def __init__(self, transaction: neo4j.Transaction, location: str) -> None:
        self.location = f"{location} (transaction rolled back)"
        self._transaction = transaction
        # One transaction answers one query at a time; the audit asks from several threads.
        self._turn = threading.Lock()

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        try:
            with self._turn:
                return _result(self._transaction.run(query, dict(params or {})))
        except ClientError as exc:
            raise QueryError(say("store.neo4j_rejected", reason=exc.message)) from None
        except (DriverError, Neo4jError) as exc:
            raise StoreError(say("store.neo4j_failed", location=self.location,
                                 reason=type(exc).__name__)) from None

    execute = run


def _connect(uri: str, auth: tuple[str, str] | None, location: str) -> neo4j.Driver:
    """A driver that reached the server; the error names ``location``, never the password."""
    driver = None
    try:
        driver = GraphDatabase.driver(uri, auth=auth)
        driver.verify_connectivity()
        return driver
    except (DriverError, Neo4jError, ValueError, OSError) as exc:
        failure = type(exc).__name__
    if driver is not None:
        driver.close()
    # Raised outside the handler, so no __context__ keeps the driver's own report.
    raise StoreError(say("store.neo4j_unreachable", location=location, reason=failure))


def _result(result: neo4j.Result) -> QueryResult:
    columns = list(result.keys())
    return QueryResult(
        columns, [[values.plain(value, _unwrap) for value in record.values()] for record in result]
    )


def _unwrap(value: Any) -> values.Node | values.Relationship | values.Path | str | None:
    """The driver's graph objects taken apart (see ``kg.store.values``)."""
    if isinstance(value, neo4j.graph.Node):
        return values.Node(value.labels, dict(value))
    if isinstance(value, neo4j.graph.Relationship):
        return values.Relationship(value.type, dict(value))
    if isinstance(value, neo4j.graph.Path):
        return values.Path(value.nodes)
    if hasattr(value, "iso_format"):  # neo4j.time values
        return str(value.iso_format())
    return None

"""What a scratch copy of a graph (``Store.scratch``) does alike on every engine.

An engine's scratch store answers ``run`` and ``execute`` on its copy (a ``GRAPH.COPY``
on the embedded engine, a transaction rolled back on Neo4j); the rest is shared: writes
go one statement at a time, a whole graph as merging statements, a scratch copy is not
copied again, and closing it does nothing, since the engine drops the copy, or rolls the
transaction back, where it was made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, Self

from kg.catalogue import say
from kg.errors import StoreError
from kg.schema.graph import GraphCounts
from kg.store.cypher_writes import statements
from kg.store.protocol import GraphReader, Progress, QueryResult, Statement


class Scratch:
    """The part of a scratch store every engine shares; subclasses answer ``execute``."""

    location: str

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        raise NotImplementedError

    def write(self, statements: Sequence[Statement], progress: Progress | None = None) -> None:
        for statement in statements:
            rows = {"rows": list(statement.rows)} if statement.rows else {}
            self.execute(statement.query, {**statement.params, **rows})

    def write_graph(
        self,
        read: GraphReader,
        *,
        create: bool,
        clear: bool = False,
        progress: Progress | None = None,
        then: Sequence[Statement] = (),
    ) -> GraphCounts:
        graph = read(None)
        self.write([*statements(graph, fresh=False, clear=clear), *then], progress)
        return graph.counts()

    def scratch(self) -> AbstractContextManager[Self]:
        raise StoreError(say("store.scratch_copy"))

    def close(self) -> None:
        """Nothing: the engine drops the copy where it was made."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

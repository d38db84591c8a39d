"""What every engine offers: the ``Store`` protocol and the values it passes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

from kg.schema.graph import GraphCounts, GraphData
from kg.schema.model import Label

GRAPH_NAME = "sentra"

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while rows are written."""

NodesRead = Callable[[GraphData], None]
"""Called with the graph being read once its nodes are complete and valid."""

GraphReader = Callable[[NodesRead | None], GraphData]
"""Reads a graph; calls its argument, if any, once the nodes are read (see ``write_graph``)."""


@dataclass(frozen=True)
class Statement:
    """One parameterised query, run once per batch of ``rows`` (as ``$rows``)."""

    query: str
    rows: Sequence[Mapping[str, Any]] = ()
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class QueryResult:
    """Columns and rows of plain Python values (nodes and relationships as dicts)."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None


class Store(Protocol):
    """What every engine offers. Use it as a context manager."""

    engine: str
    location: str

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        """Run a read-only query; the engine refuses writes."""
        ...

    def write(self, statements: Sequence[Statement], progress: Progress | None = None) -> None:
        """Run ``statements`` as one unit of work; each runs once per batch of rows."""
        ...

    def execute(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        """Run one query that may write (``kg cypher --write``)."""
        ...

    def write_graph(
        self,
        read: GraphReader,
        *,
        create: bool,
        clear: bool = False,
        progress: Progress | None = None,
        then: Sequence[Statement] = (),
    ) -> GraphCounts:
        """Write the graph ``read`` returns, and then the statements ``then`` (a load's
        dataset record), as one unit of work; return what was written.

        ``create``: the store holds none of its nodes (new, or ``clear`` empties it
        first), so nodes are created rather than merged by id. The store calls ``read``
        once; an engine that can start writing the nodes while the relationships are
        still read passes it a ``NodesRead`` (and undoes that if ``read`` then raises).
        """
        ...

    def scratch(self) -> AbstractContextManager[Store]:
        """A copy of the graph to change and query that is never saved, gone when the
        block ends (also when the process is killed): ``kg whatif``'s scenarios."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


@runtime_checkable
class RecordKeeper(Protocol):
    """A store that keeps, beside its saved graph, a record of what was loaded into it
    (``kg.loaders.reload`` writes and reads it; to the store it is opaque bytes).

    The record is tied to the graph file it was written with: any other change to the
    graph (``kg cypher --write``, the shell, another tool, a save cut short) makes
    ``recorded`` answer None, so a reader never trusts a record of another graph.
    """

    def recorded(self) -> bytes | None:
        """The record kept with the graph as it is now saved, or None (none kept, or
        the graph changed since)."""
        ...

    def keep_record(self, make: Callable[[], bytes]) -> None:
        """Save ``make()``'s bytes as the record of the graph this store saves when it
        closes after its writes; ``make`` may run while the engine saves."""
        ...


@runtime_checkable
class ListsAsText(Protocol):
    """A store that can answer with each list as one text rather than a value per element.

    FalkorDB's compact reply, which ``run`` reads, holds a type and a value per element of
    a list: the ids of the national graph's 4.7 million relationships are 19 million
    small replies to read. Its other reply writes a list as one text, the elements'
    texts joined by ``", "`` between brackets (``[a, b, c]``), which a reader splits
    again when no element holds ``", "`` (``kg.graph`` checks the count of pieces).
    """

    def run_lists_as_text(
        self, query: str, params: Mapping[str, Any] | None = None
    ) -> QueryResult:
        """``run``, but a list comes as one text (see the class); numbers, text and null
        come as ``run`` gives them."""
        ...


def node_index_labels() -> list[str]:
    """Labels whose ``id`` is indexed (unique) on every engine: all of them."""
    return [label.value for label in Label]

"""Where the graph lives: one ``Store`` protocol, two engines.

* embedded (default): FalkorDB in a directory (``--store``, ``KG_STORE``, ``./.sentra-kg``);
* Neo4j 5: ``--uri`` / ``NEO4J_URI`` with ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
  ``NEO4J_DATABASE``.

Both run the same query files. A store is a context manager: ``write`` calls made inside
``with open_store(config, write=True) as store:`` become durable only when the block
ends without an exception (embedded), or each ``write`` call is one transaction (Neo4j).

Modules: ``embedded`` (the FalkorDB engine), ``embedded_bulk`` and ``embedded_writes``
(how it writes a whole graph), ``neo4j_server`` (the Neo4j engine), ``cypher_writes``
(batched statements, for any engine), ``values`` (engine values as plain Python).
Engines are imported only when a store of theirs is opened.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

from kg.schema.graph import GraphCounts, GraphData
from kg.schema.model import Label

DEFAULT_STORE = Path(".sentra-kg")
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
    ) -> GraphCounts:
        """Write the graph ``read`` returns as one unit of work; return what was written.

        ``create``: the store holds none of its nodes (new, or ``clear`` empties it
        first), so nodes are created rather than merged by id. The store calls ``read``
        once; an engine that can start writing the nodes while the relationships are
        still read passes it a ``NodesRead`` (and undoes that if ``read`` then raises).
        """
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


@dataclass(frozen=True)
class StoreConfig:
    """Where the graph lives. ``uri`` set means Neo4j, else the embedded store at ``path``."""

    path: Path = DEFAULT_STORE
    uri: str | None = field(default=None, repr=False)
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    database: str | None = None
    lock_timeout: float = 60.0
    bulk_load: bool = True
    """Embedded: build a new graph with the engine's binary bulk loader (False: Cypher)."""
    on_wait: Callable[[str], None] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_env(cls, **overrides: Any) -> StoreConfig:
        """Read ``KG_STORE`` and the ``NEO4J_*`` variables; ``overrides`` win when not None."""
        values: dict[str, Any] = {
            "path": Path(os.environ.get("KG_STORE") or DEFAULT_STORE),
            "uri": os.environ.get("NEO4J_URI") or None,
            "user": os.environ.get("NEO4J_USERNAME") or None,
            "password": os.environ.get("NEO4J_PASSWORD") or None,
            "database": os.environ.get("NEO4J_DATABASE") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def display(self) -> str:
        """Where the store is, safe to print: never a password."""
        return redact(self.uri) if self.uri else str(self.path)


def redact(uri: str) -> str:
    """Drop any ``user:password@`` from a URI before it is shown."""
    return re.sub(r"(?<=://)[^/]*@", "", uri)


def open_store(config: StoreConfig, *, write: bool = False) -> Store:
    """Open the store ``config`` names; ``write`` asks for exclusive access."""
    if config.uri:
        from kg.store.neo4j_server import Neo4jStore

        return Neo4jStore(config)
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(config, write=write)


def node_index_labels() -> list[str]:
    """Labels whose ``id`` is indexed (unique) on every engine: all of them."""
    return [label.value for label in Label]

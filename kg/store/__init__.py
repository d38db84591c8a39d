"""Where the graph lives: one ``Store`` protocol, two engines.

* embedded (default): FalkorDB in a directory (``--store``, ``KG_STORE``, ``./.sentra-kg``);
* Neo4j 5: ``--uri`` / ``NEO4J_URI`` with ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``,
  ``NEO4J_DATABASE``.

Both run the same query files. A store is a context manager: ``write`` calls made inside
``with open_store(config, write=True) as store:`` become durable only when the block
ends without an exception (embedded), or each ``write`` call is one transaction (Neo4j).

Modules: ``protocol`` (what every engine offers), ``config`` (where the graph lives, and
its settings), ``embedded`` (the FalkorDB engine), ``layout`` (the files of its store
directory), ``engine_process`` (starting, waiting for and checking its processes),
``warm`` and ``warm_supervisor`` (a store kept loaded between commands),
``embedded_bulk`` and ``embedded_writes`` (how it writes a whole graph), ``neo4j_server``
(the Neo4j engine), ``cypher_writes`` (batched statements, for any engine), ``scratch``
(throwaway copies), ``values`` (engine values as plain Python).
Engines are imported only when a store of theirs is opened.
"""

from __future__ import annotations

from pathlib import Path

from kg.catalogue import say
from kg.errors import ExportError
from kg.store.config import DEFAULT_STORE, StoreConfig, redact
from kg.store.layout import StoreLayout
from kg.store.protocol import (
    GRAPH_NAME,
    GraphReader,
    ListsAsText,
    NodesRead,
    Progress,
    QueryResult,
    RecordKeeper,
    Statement,
    Store,
)

__all__ = [
    "DEFAULT_STORE",
    "GRAPH_NAME",
    "GraphReader",
    "ListsAsText",
    "NodesRead",
    "Progress",
    "QueryResult",
    "RecordKeeper",
    "Statement",
    "Store",
    "StoreConfig",
    "open_store",
    "redact",
    "refuse_store_path",
    "store_around",
]


def open_store(config: StoreConfig, *, write: bool = False) -> Store:
    """Open the store ``config`` names; ``write`` asks for exclusive access."""
    if config.uri:
        from kg.store.neo4j_server import Neo4jStore

        return Neo4jStore(config)
    from kg.store.embedded import EmbeddedStore

    return EmbeddedStore(config, write=write)


def store_around(path: Path, config: StoreConfig | None = None) -> Path | None:
    """The store directory ``path`` lies in (or is), symlinks resolved, else None.

    A store is the embedded store ``config`` names (whether or not it exists yet), or any
    directory holding an embedded store's graph file. No command but the store itself
    may write there: a mistyped ``-o STORE/graph.rdb`` would destroy the store.
    """
    target = path.expanduser().resolve()
    configured = None if config is None or config.uri else config.path.expanduser().resolve()
    for directory in (target, *target.parents):
        if directory == configured or (directory / StoreLayout.DB_FILE).is_file():
            return directory
    return None


def refuse_store_path(path: Path, config: StoreConfig | None = None) -> None:
    """Refuse (``ExportError``) to write ``path`` when it lies in a store (``store_around``).

    Every writer of files other than the store's own (the CLI's ``-o``, a notebook's
    ``Drawing.save``) asks this first.
    """
    store = store_around(path, config)
    if store is not None:
        raise ExportError(say("refusals.store_path", path=path, store=store))

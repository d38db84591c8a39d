"""A validated graph in the embedded engine's binary bulk format (``GRAPH.BULK``).

FalkorDB builds a new graph from binary blobs far faster than from Cypher: no query to
parse, no plan, no commit per batch. A blob holds entities of one label or relationship
type::

    header  name NUL, property count (uint32), property names (each NUL-terminated)
    node    its properties, in header order
    edge    start and end as internal node ids (2 x uint64), then its properties
    value   one type byte, then: NULL nothing; BOOL 1 byte; DOUBLE 8 bytes; LONG 8 bytes;
            STRING UTF-8 text and NUL; ARRAY int64 length and the values

(all little-endian; FalkorDB's ``src/bulk_insert/bulk_insert.c``). A null property is
not stored, as with ``SET n = map``. Nodes get internal ids 0, 1, 2, ... in the order
they are sent, which is how relationships name their ends: so this only builds a graph
from nothing. Text holding a NUL character, or a value of another type, cannot be
written in this format: ``NotBulkable`` then tells the caller to use Cypher instead.
"""

from __future__ import annotations

import struct
import sys
import threading
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from types import TracebackType
from typing import Any, Protocol, Self

import redis

from kg.catalogue import say
from kg.errors import StoreError
from kg.schema.graph import GraphData, NodeRow, RelRow
from kg.schema.model import Label, RelType
from kg.store.protocol import GRAPH_NAME, Progress

CHUNK_BYTES = 16 * 2**20
"""Bytes per blob (one engine call each): progress every few hundred thousand rows, and
far below the engine's 512 MiB limit on one argument."""

_NULL, _BOOL, _DOUBLE, _STRING, _LONG, _ARRAY = range(6)
_pack_tagged_int64 = struct.Struct("<bq").pack
"""A type byte and a signed 64-bit integer: a LONG's value, or an ARRAY's length."""
_pack_double = struct.Struct("<bd").pack
_pack_ends = struct.Struct("<QQ").pack
_pack_count = struct.Struct("<I").pack
_TRUE = bytes([_BOOL, 1])
_FALSE = bytes([_BOOL, 0])
_NONE = bytes([_NULL])
_STRING_TAG = bytes([_STRING])
_START = attrgetter("start")
_END = attrgetter("end")
_PROPS = attrgetter("props")


class NotBulkable(ValueError):
    """A value the binary format cannot carry; write this graph with Cypher instead."""


@dataclass(frozen=True)
class Chunk:
    """One blob: ``nodes`` nodes or ``relationships`` relationships of one label or type."""

    nodes: int
    relationships: int
    blob: bytes


@dataclass(frozen=True)
class BulkPlan:
    """A graph's nodes grouped by label, and the internal id each node will get."""

    graph: GraphData
    groups: dict[str, list[NodeRow]]
    internal: dict[str, int]
    sent: dict[str, int] = field(default_factory=dict)
    """Relationships per type, counted as ``relationship_chunks`` groups them."""

    def chunks(self, limit: int = CHUNK_BYTES) -> Iterator[Chunk]:
        """Encode the graph lazily: nodes first, label by label, then relationships."""
        yield from self.node_chunks(limit)
        yield from self.relationship_chunks(limit)

    def node_chunks(self, limit: int = CHUNK_BYTES) -> Iterator[Chunk]:
        """The nodes, label by label (what the plan numbered)."""
        return _node_chunks(self.groups, limit)

    def relationship_chunks(self, limit: int = CHUNK_BYTES) -> Iterator[Chunk]:
        """The graph's relationships, type by type, as they are when this is called (a
        plan made once the nodes are read may send them before the relationships are)."""
        return _relationship_chunks(self.graph, self.internal, limit, self.sent)

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per label and relationships per type, once the relationships are sent
        (counted on the way: counting 4.5M rows again took ~2 s at national scale)."""
        return {label: len(nodes) for label, nodes in self.groups.items()}, dict(self.sent)

    def first_and_last(self) -> dict[int, str]:
        """Internal id -> node id of the first and last node of each label (a check)."""
        ends = (nodes[index] for nodes in self.groups.values() for index in (0, -1))
        return {self.internal[node.id]: node.id for node in ends}


def plan(graph: GraphData) -> BulkPlan:
    """Group the nodes by label and number them in the order they will be sent."""
    by_label: dict[Label, list[NodeRow]] = {}
    for node in graph.nodes:
        by_label.setdefault(node.label, []).append(node)  # not .value: a slow property
    groups = {label.value: nodes for label, nodes in by_label.items()}
    ordered = chain.from_iterable(groups.values())
    return BulkPlan(graph, groups, {node.id: number for number, node in enumerate(ordered)})


def _node_chunks(groups: Mapping[str, list[NodeRow]], limit: int) -> Iterator[Chunk]:
    for label, nodes in groups.items():
        keys = _keys(map(_PROPS, nodes))
        keys = [key for key in keys if key != "id"]
        header = _header(label, ["id", *keys])
        blob = bytearray(header)
        count = 0
        for node in nodes:
            blob += _text(node.id)
            props = node.props
            for key in keys:
                blob += value(props.get(key))
            count += 1
            if len(blob) >= limit:
                yield Chunk(count, 0, bytes(blob))
                blob = bytearray(header)
                count = 0
        if count:
            yield Chunk(count, 0, bytes(blob))


def _relationship_chunks(
    graph: GraphData, internal: Mapping[str, int], limit: int, counts: dict[str, int]
) -> Iterator[Chunk]:
    groups: dict[RelType, list[RelRow]] = {}
    for rel in graph.relationships:
        groups.setdefault(rel.type, []).append(rel)
    counts.clear()
    counts.update((rel_type.value, len(rels)) for rel_type, rels in groups.items())
    for rel_type, rels in groups.items():
        keys = _keys(map(_PROPS, rels))
        header = _header(rel_type.value, keys)
        step = max(1, limit // (16 + 10 * len(keys)))
        for start in range(0, len(rels), step):
            batch = rels[start : start + step]
            if not keys:  # only the ends: one array of start, end, start, end, ...
                blob = header + _ends(batch, internal)
            else:
                parts = [header]
                for rel in batch:
                    props = rel.props
                    parts.append(_pack_ends(internal[rel.start], internal[rel.end]))
                    parts.extend([value(props.get(key)) for key in keys])
                blob = b"".join(parts)
            yield Chunk(0, len(batch), blob)


def _ends(rels: Sequence[RelRow], internal: Mapping[str, int]) -> bytes:
    number = internal.__getitem__
    starts = map(number, map(_START, rels))
    ends = map(number, map(_END, rels))
    pairs = array("Q", chain.from_iterable(zip(starts, ends, strict=True)))
    if sys.byteorder == "big":
        pairs.byteswap()
    return pairs.tobytes()


def _keys(maps: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every key of ``maps`` that holds a value somewhere, in order of first appearance."""
    keys = list(dict.fromkeys(chain.from_iterable(maps)))
    for key in keys:
        if "\0" in key:
            raise NotBulkable(f"property name {key!r} holds a NUL character")
    return keys


def _header(name: str, keys: Sequence[str]) -> bytes:
    names = b"".join(key.encode() + b"\0" for key in keys)
    return name.encode() + b"\0" + _pack_count(len(keys)) + names


def _text(text: str) -> bytes:
    if "\0" in text:
        raise NotBulkable(f"text {text[:40]!r} holds a NUL character")
    return _STRING_TAG + text.encode() + b"\0"


def value(item: Any) -> bytes:
    """One property value in the binary format (raises ``NotBulkable``)."""
    kind = type(item)
    if kind is str:
        return _text(item)
    if item is None:
        return _NONE
    if kind is bool:
        return _TRUE if item else _FALSE
    if kind is int:
        try:
            return _pack_tagged_int64(_LONG, item)
        except struct.error:
            raise NotBulkable(f"integer {item} does not fit in 64 bits") from None
    if kind is float:
        return _pack_double(_DOUBLE, item)
    if kind is list or kind is tuple:
        return _pack_tagged_int64(_ARRAY, len(item)) + b"".join([value(v) for v in item])
    if isinstance(item, str):
        return _text(str.__str__(item))
    raise NotBulkable(f"a value of type {kind.__name__} ({item!r:.40})")


BULK_CHUNKS_AHEAD = 4
"""Bulk chunks encoded ahead of the engine: it takes nodes more slowly than Python encodes
them, relationships faster, so encoding runs on through the nodes' backlog (4 x 16 MiB)."""


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

    def __init__(
        self,
        connection: Any,
        ensure_schema: Callable[[], None],
        total: int,
        progress: Progress | None,
    ) -> None:
        self.total = total
        self._connection = connection
        self._ensure_schema = ensure_schema
        self._progress = progress
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
            self._ensure_schema()

    def abort(self) -> None:
        """Stop sending and leave the graph empty, with its indexes."""
        self._stopped.set()
        self._sender.shutdown(wait=True, cancel_futures=True)
        self._pending.clear()
        self._connection.delete(GRAPH_NAME)
        self._ensure_schema()

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
            self._ensure_schema()
        return chunk.nodes + chunk.relationships

    def _collect(self) -> None:
        try:
            self._done += self._pending.popleft().result()
        except redis.RedisError as exc:
            raise StoreError(say("store.bulk_failed", reason=str(exc))) from exc
        if self._progress is not None:
            self._progress(self._done, self.total)

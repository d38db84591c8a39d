"""The record kept beside an embedded store's graph file: bytes a load leaves for the
next one (``kg.loaders.reload``), valid only with the graph file they were saved with.

The file ``graph.record`` (``StoreLayout.record_file``) holds a header, then the
record::

    kg-record 1\\n            format
    8 bytes                  size of graph.rdb when the record was written (big-endian)
    32 bytes                 BLAKE2b of graph.rdb's bytes then
    32 bytes                 BLAKE2b of the record
    the record

``read_record`` returns the record only when ``graph.rdb`` is still the file it was
written with, byte for byte, and the record is whole: a graph changed since in any way
(a write that saved without a record, another tool, a restored file), a record cut short
or damaged, or one of another format all read as no record. Hashing graph.rdb costs
about 0.1 s per 100 MB (measured in docs/performance.md).

``write_record`` writes it after a ``SAVE``, to a temporary file renamed into place. A
process killed at any moment leaves either the old graph with its old record, or a new
graph with the old record (which no longer matches), or both new: never a record that
reads as valid for a graph it does not describe.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from kg.store.layout import StoreLayout

_MAGIC = b"kg-record 1\n"
_SIZE = 8
_DIGEST = 32
_HEADER = len(_MAGIC) + _SIZE + 2 * _DIGEST


def read_record(layout: StoreLayout) -> bytes | None:
    """The record kept with ``layout``'s graph file as it is now, or None."""
    try:
        data = layout.record_file.read_bytes()
        size = layout.graph_file.stat().st_size
    except OSError:
        return None
    if len(data) < _HEADER or not data.startswith(_MAGIC):
        return None
    start = len(_MAGIC)
    recorded_size = int.from_bytes(data[start : start + _SIZE], "big")
    graph_digest = data[start + _SIZE : start + _SIZE + _DIGEST]
    record_digest = data[start + _SIZE + _DIGEST : _HEADER]
    record = data[_HEADER:]
    if recorded_size != size or _digest(record) != record_digest:
        return None
    try:
        same = _file_digest(layout.graph_file) == graph_digest
    except OSError:
        return None
    return record if same else None


def write_record(layout: StoreLayout, record: bytes) -> None:
    """Keep ``record`` with ``layout``'s graph file as it is now saved.

    Raises ``OSError`` (a full disk), leaving no record: the graph file stays saved and
    the next reader reads none.
    """
    temp = layout.record_temp(os.getpid())
    try:
        size = layout.graph_file.stat().st_size
        graph_digest = _file_digest(layout.graph_file)
        header = _MAGIC + size.to_bytes(_SIZE, "big") + graph_digest + _digest(record)
        with temp.open("wb") as file:
            file.write(header)
            file.write(record)
        os.replace(temp, layout.record_file)
    except OSError:
        drop_record(layout)
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise


def drop_record(layout: StoreLayout) -> None:
    """Remove the record (the graph was saved without one)."""
    with contextlib.suppress(OSError):
        layout.record_file.unlink(missing_ok=True)


def _file_digest(path: Path) -> bytes:
    with path.open("rb") as file:
        return hashlib.file_digest(file, _blake2b).digest()


def _blake2b() -> hashlib.blake2b:
    return hashlib.blake2b(digest_size=_DIGEST)


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST).digest()

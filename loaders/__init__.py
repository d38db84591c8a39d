"""Dataset readers, validation and batched writes (installed as ``kg.loaders``)."""

from __future__ import annotations

from kg.loaders.dataset import GraphData, KnownNode, NodeRow, RelRow, read_dataset
from kg.loaders.write import LoadReport, counts, load

__all__ = [
    "GraphData",
    "KnownNode",
    "LoadReport",
    "NodeRow",
    "RelRow",
    "counts",
    "load",
    "read_dataset",
]

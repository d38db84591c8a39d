"""Engine values as plain Python: the one shape both engines' results take.

A node becomes ``{"_labels": [labels, sorted], **properties}``, a relationship
``{"_type": type, **properties}``, a path the list of its nodes; lists and maps are
converted item by item, and text, numbers, booleans and None stay as they are. Each
engine says how to take its own objects apart (an ``Unwrap``); the shapes are made here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Node:
    labels: Iterable[str]
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class Relationship:
    type: str
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class Path:
    nodes: Iterable[Any]


Unwrap = Callable[[Any], Node | Relationship | Path | str | None]
"""An engine's own object taken apart (text for a date or time), or None for any other
value."""


def plain(value: Any, unwrap: Unwrap) -> Any:
    """``value``, as the engine ``unwrap`` belongs to returned it, in plain Python."""
    if isinstance(value, list):
        return [plain(item, unwrap) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item, unwrap) for key, item in value.items()}
    match unwrap(value):
        case Node(labels, properties):
            return {"_labels": sorted(labels), **_properties(properties, unwrap)}
        case Relationship(rel_type, properties):
            return {"_type": rel_type, **_properties(properties, unwrap)}
        case Path(nodes):
            return [plain(node, unwrap) for node in nodes]
        case str() as text:
            return text
    return value


def _properties(properties: Mapping[str, Any], unwrap: Unwrap) -> dict[str, Any]:
    return {str(key): plain(item, unwrap) for key, item in properties.items()}

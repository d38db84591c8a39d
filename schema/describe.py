"""The schema as a table: each label and relationship type with its properties' types."""

from __future__ import annotations

from datetime import date
from types import NoneType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from kg.schema.model import (
    ALLOWED,
    DERIVED_PROPERTIES,
    GRANT_KEY,
    NAMED_TYPES,
    NODE_MODELS,
    RELATIONSHIP_ROLES,
    Assessment,
    Funding,
    Id,
    Link,
    RelType,
    Responsibility,
)

_STORED_AS: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),  # before int: a bool is an int
    (int, "integer"),
    (float, "number"),
    (date, "date as text"),  # ISO 8601, as the loader writes it
    (str, "text"),  # enums too: they are StrEnums
)
"""The word for each Python type a field may hold, by how the graph stores it."""


def schema_table() -> tuple[list[str], list[list[str]]]:
    """A row per label, then a row per allowed ``(Start)-[:TYPE]->(End)`` relationship,
    each with its properties as stored and their types: ``name (type)``, comma-separated.

    Properties and types come from the pydantic models (camelCase, as the graph stores
    them); a node's references are relationships, not properties, and are left out. An
    assessment has an id (from its actor and day) but no name, and its ``ASSESSES`` no
    properties (``kg.loaders.assessments``); the follow-up tables' names come from another
    column (``Node.name_from``), and their relationships have no properties.
    """
    rows = []
    for label, model in NODE_MODELS.items():
        left_out = set(model.references) | set(model.named)
        if model is Assessment:
            left_out |= Assessment.not_given - {"id"}
        if model.name_from is not None:
            left_out.add(model.name_from)
        properties = _properties(model, left_out) + list(DERIVED_PROPERTIES.get(label, {}).items())
        rows.append(["node", label.value, "", _listed(properties)])
    for start, rel, end in sorted(ALLOWED):
        row_model = _relationship_model(rel)
        properties = _properties(row_model, row_model.not_properties)
        if rel is RelType.ASSESSES or rel in NAMED_TYPES:
            properties = []
        if row_model is Funding:
            properties.insert(0, (GRANT_KEY, "text, the grant's key"))
        pattern = f"({start})-[:{rel}]->({end})"
        rows.append(["relationship", rel.value, pattern, _listed(properties)])
    return ["kind", "name", "pattern", "properties"], rows


def _relationship_model(rel: RelType) -> type[Link | Funding | Responsibility]:
    """The dataset row that makes a relationship of type ``rel``."""
    if rel is RelType.FUNDS:
        return Funding
    return Responsibility if rel in RELATIONSHIP_ROLES else Link


def _properties(
    model: type[BaseModel], left_out: set[str] | frozenset[str]
) -> list[tuple[str, str]]:
    """(property name, type) of each field of ``model`` not in ``left_out``, in order."""
    return [
        (info.serialization_alias or name, _property_type(info))
        for name, info in model.model_fields.items()
        if name not in left_out
    ]


def _listed(properties: list[tuple[str, str]]) -> str:
    return ", ".join(f"{name} ({kind})" for name, kind in properties)


def _property_type(info: FieldInfo) -> str:
    """How a field is stored: text, integer, boolean, date as text or list of ids, with
    the field's description after a comma (``integer, rupiah``)."""
    kind = _stored_as(info.annotation)
    return f"{kind}, {info.description}" if info.description else kind


def _stored_as(annotation: Any) -> str:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _stored_as(args[0])
    if origin in (Union, UnionType):
        (inner,) = [arg for arg in args if arg is not NoneType]
        return _stored_as(inner)
    if origin is list and args == (Id,):
        return "list of ids"
    if origin is tuple:  # a period: its text (the last day is a property of its own)
        return "text"
    if isinstance(annotation, type):
        for kind, word in _STORED_AS:
            if issubclass(annotation, kind):
                return word
    raise TypeError(f"no stored type for the annotation {annotation!r}")

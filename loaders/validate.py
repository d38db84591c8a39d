"""Validate rows against the models of ``kg.schema``, reporting every problem found.

The pydantic models hold every rule a row must follow. ``Validator`` judges a row of
cells by its model and words each problem with its file, row and column. Most rows of
a large dataset are plainly valid, and building a model for each costs ten times what
reading them does: ``_Shortcut`` takes those rows by checking each cell against its
field's own annotation (with quick checks for the commonest kinds) and the model's
``rules``, and leaves every other row to the model.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import Enum, StrEnum
from functools import cache
from operator import itemgetter
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic.alias_generators import to_camel
from pydantic.fields import FieldInfo

from kg.catalogue import by_language, say
from kg.errors import Message, Problem
from kg.loaders.csv_table import Table
from kg.schema import model as schema_model
from kg.schema import values
from kg.schema.model import (
    ID_PATTERN,
    Count,
    Funding,
    Id,
    IdList,
    Name,
    Node,
    OptionalText,
    Record,
    Text,
)
from kg.schema.names import choices_in

_EXTRA_COLUMN = re.compile(r"[a-z][a-z0-9_]*")


class Validator:
    """Validates the rows of one table against one model.

    ``quick`` lets plainly valid rows skip the model (see ``_Shortcut``); the result is
    the same either way, which tests/test_fast_validation.py checks.
    """

    def __init__(
        self, table: Table, model: type[BaseModel], problems: list[Problem], *, quick: bool = True
    ) -> None:
        self._table = table
        self._model = model
        self._problems = problems
        fields = _columns(model)
        self._model_columns = [(i, c) for i, c in enumerate(table.columns) if c in fields]
        self.extra_columns = [(i, c) for i, c in enumerate(table.columns) if c not in fields]
        """(position, name) of the table's columns the model does not have."""
        shortcut = _shortcut(model) if quick else None
        self._judge = _cells_judge(shortcut, table.columns) if shortcut is not None else None
        self._derive = model.derive if issubclass(model, Node) else None

    def row(self, number: int, cells: list[str]) -> Validated | None:
        """Validate one row; return (field values, properties, extra columns) or None after
        adding problems.

        Field values are what the record's attributes hold; properties are what a node's
        ``properties()`` or a funding row's dump give. A plainly valid row takes the
        ``_Shortcut``; every other row is judged, and its problems worded, by
        ``model_validate``.
        """
        extra = {c: cells[i] for i, c in self.extra_columns} if self.extra_columns else {}
        if self._judge is not None and (accepted := self._judge(cells)) is not None:
            fields, props = accepted
            if self._derive is not None:
                props = self._derive(props)
            return fields, props, extra
        values = {c: cells[i] for i, c in self._model_columns}
        try:
            record = self._model.model_validate(values)
        except ValidationError as exc:
            for error in exc.errors():
                name = _column_name(self._model, error["loc"])
                self._problems.append(Problem(self._table.name, number, name,
                                              _message(self._model, error, values)))
            return None
        return dict(record), _properties(record), extra


Validated = tuple[dict[str, Any], dict[str, Any], dict[str, str]]
"""(field values, properties, extra columns) of a valid row."""


def _properties(record: BaseModel) -> dict[str, Any]:
    if isinstance(record, Node):
        return record.properties()
    if isinstance(record, Funding):
        return record.model_dump(
            by_alias=True, exclude=set(Funding.not_properties), exclude_none=True, mode="json"
        )
    return {}


@cache
def _columns(model: type[BaseModel]) -> dict[str, str]:
    """Column name -> field name (``from`` -> ``from_`` for links); read once per model."""
    return {(info.alias or name): name for name, info in model.model_fields.items()}


def _column_name(model: type[BaseModel], loc: tuple[int | str, ...]) -> str | None:
    if not loc:
        return None
    info = model.model_fields.get(str(loc[0]))
    return (info.alias or str(loc[0])) if info is not None else str(loc[0])


_VALUE_KINDS: dict[Callable[..., Any], str] = {
    values.parse_date: "date",
    values.parse_int: "number",
    values.parse_rupiah: "rupiah",
    values.parse_number: "decimal",
    values.parse_period: "period",
    values.parse_bool: "flag",
    schema_model.parse_scale: "scale",
    schema_model.check_id: "id",
    schema_model.check_optional_id: "id",
    schema_model.not_blank: "empty",
    schema_model.required_day: "empty",
    schema_model.kiosks_within_total: "kiosks_within_total",
    schema_model.done_on_known: "done_on",
}
"""The parser or check behind a field's ``value_error`` -> the catalogue's words for it
(``[validation]``): what the cell is not, and what is accepted."""


def _message(model: type[BaseModel], error: Any, cells: Mapping[str, str]) -> Message:
    """Our own words for a pydantic error of a row (``[validation]``): the problem, the
    value given, and what the field accepts."""
    kind, given = error["type"], error.get("input")
    value = given if len(repr(given)) <= 60 else f"{str(given)[:54]}..."
    empty = given is None or (isinstance(given, str) and not given.strip())
    if kind == "missing" or (empty and kind in {"string_type", "enum", "int_type"}):
        return say("validation.required")
    if kind == "value_error":
        english = error["msg"].removeprefix("Value error, ")
        check = "empty" if empty else _value_check(model, error["loc"])
        if check == "kiosks_within_total":
            return say("validation.kiosks_within_total", text=english, value=given,
                       total=cells.get("kiosks_total", "").strip())
        return say(f"validation.{check or 'value'}", text=english, value=given)
    got = repr(value)
    english = f"{error['msg']} (got {got})"
    ctx = error.get("ctx") or {}
    if kind == "enum":
        return say("validation.enum", text=english, value=value,
                   choices=_choices(model, error["loc"]))
    if kind in _LIMITS:
        return say(f"validation.{kind}", text=english, value=value, **ctx)
    return say("validation.other", text=english, value=value)


_LIMITS = frozenset({"greater_than_equal", "less_than_equal", "string_too_long",
                     "string_pattern_mismatch", "too_long"})
"""pydantic's errors of a bound: the catalogue words each, with the bound."""


def _field(model: type[BaseModel], loc: tuple[int | str, ...]) -> FieldInfo | None:
    return model.model_fields.get(str(loc[0])) if loc else None


def _value_check(model: type[BaseModel], loc: tuple[int | str, ...]) -> str | None:
    """The kind of the parser or check whose ``ValueError`` the error at ``loc`` is: an
    item of a list of ids, a rule of the model on the field, else the field's own."""
    info = _field(model, loc)
    if info is None:
        return None
    if len(loc) > 1:
        return "id"
    rules = model.rules if issubclass(model, Record) else ()
    for rule in rules:
        if rule.field == loc[0] and rule.check in _VALUE_KINDS:
            return _VALUE_KINDS[rule.check]
    for validator in info.metadata:
        check = getattr(validator, "func", None)
        if check in _VALUE_KINDS:
            return _VALUE_KINDS[check]
    return None


def _choices(model: type[BaseModel], loc: tuple[int | str, ...]) -> Message:
    """The values the enum field at ``loc`` allows, in each language."""
    info = _field(model, loc)
    kinds = [a for a in typing.get_args(info.annotation) or (info.annotation,)
             if isinstance(a, type) and issubclass(a, StrEnum)] if info is not None else []
    if not kinds:
        return by_language(en="", id="")
    return by_language(en=", ".join(choices_in(kinds[0], "en")),
                       id=", ".join(choices_in(kinds[0], "id")))


_Parsed = tuple[Any, Any] | None
"""A cell as (the record's value, the property's value), or None: not plainly valid."""

_Cells = Callable[[str], _Parsed]
"""Validates the cells of one field."""

_REMEMBERED_CELLS = 4096
"""Distinct cells remembered per field: enum, year, flag and date cells repeat a lot."""
_REMEMBERED_LENGTH = 64
"""Longest cell remembered: the ones that repeat are short, and memory stays small."""


class _Shortcut:
    """Validates the rows of one model as ``model_validate`` would, without building it.

    Each field's cell takes a quick check when the field is one of the common kinds (an id
    that is already an id, trimmed text, a plain number), else the field's own annotation
    as a ``TypeAdapter``, whose answers are remembered per distinct cell. A row with a cell
    that fails either is not judged here: ``None`` sends it to ``model_validate``, which
    words its problems. tests/test_fast_validation.py checks that the two agree.
    """

    def __init__(
        self, model: type[BaseModel], within: Callable[[dict[str, Any]], bool] | None
    ) -> None:
        # Which fields become properties, as ``_properties`` dumps them.
        if issubclass(model, Node):
            hidden = set(model.references) | set(model.named) | {"id"}
        elif model is Funding:
            hidden = set(Funding.not_properties)
        else:
            hidden = set(model.model_fields)
        self._drop_empty_lists = issubclass(model, Node)
        self._within = within
        self._fields = [
            (
                info.alias or name,
                name,
                None if name in hidden else (info.serialization_alias or name),
                _cells(info, model.model_config),
                info.is_required(),
                _default(info),
            )
            for name, info in model.model_fields.items()
        ]
        self.columns = [field[0] for field in self._fields]
        """The columns ``judge`` takes the cells of, in order."""

    def accept(self, values: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """(field values, properties) of a plainly valid row, else None."""
        return self.judge(map(values.get, self.columns))

    def judge(
        self, row: Iterable[str | None]
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """As ``accept``, given the row's cells in the order of ``columns`` (None where
        the table has no such column)."""
        fields: dict[str, Any] = {}
        props: dict[str, Any] = {}
        value: Any
        json: Any
        drop_empty_lists = self._drop_empty_lists
        for (_column, name, key, cells, required, default), cell in zip(
            self._fields, row, strict=True
        ):
            if cell is None:
                if required:
                    return None
                value, json = ([], []) if default is _EMPTY_LIST else default
            else:
                parsed = cells(cell)
                if parsed is None:
                    return None
                value, json = parsed
            fields[name] = value
            if key is not None and json is not None and not (drop_empty_lists and json == []):
                props[key] = json
        if self._within is not None and not self._within(fields):
            return None
        return fields, props


_EMPTY_LIST: tuple[list[Any], list[Any]] = ([], [])
"""A field whose default is an empty list: a new list for each row."""


def _default(info: FieldInfo) -> tuple[Any, Any]:
    """A field's default as (the record's value, the property's value)."""
    default = info.get_default(call_default_factory=True)
    if default == []:
        return _EMPTY_LIST
    return default, default.value if isinstance(default, Enum) else default


_Accepted = tuple[dict[str, Any], dict[str, Any]] | None
"""(field values, properties) of a row the shortcut takes, or None."""


def _cells_judge(shortcut: _Shortcut, columns: list[str]) -> Callable[[list[str]], _Accepted]:
    """``shortcut.judge`` for rows as lists of cells in the order of ``columns``."""
    missing = len(columns)  # the position of a None put after the row's cells
    pick = itemgetter(*[columns.index(c) if c in columns else missing
                        for c in shortcut.columns])
    judge = shortcut.judge
    if all(c in columns for c in shortcut.columns):
        return lambda cells: judge(pick(cells))
    return lambda cells: judge(pick([*cells, None]))


@cache
def _shortcut(model: type[BaseModel]) -> _Shortcut | None:
    """The model's shortcut; None for a model it cannot follow: one with validators or
    serializers of its own (other than ``_apply_rules``, whose ``Record.rules`` it
    applies itself), or a default other than None, an empty list or an enum's value."""
    decorators = model.__pydantic_decorators__
    custom = {
        *decorators.validators, *decorators.field_validators, *decorators.root_validators,
        *decorators.model_validators, *decorators.field_serializers,
        *decorators.model_serializers, *decorators.computed_fields,
    } - {"_apply_rules"}
    defaults = [
        info.get_default(call_default_factory=True)
        for info in model.model_fields.values() if not info.is_required()
    ]
    if custom or any(default is not None and default != [] and not isinstance(default, Enum)
                     for default in defaults):
        return None
    rules = model.rules if issubclass(model, Record) else ()
    if not rules:
        return _Shortcut(model, None)
    return _Shortcut(model, lambda fields: not any(rule.check(fields) for rule in rules))


def _cells(info: FieldInfo, config: ConfigDict) -> _Cells:
    """Validate one field's cells: a quick check for the common kinds, else pydantic."""
    annotation: Any = (
        Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    )
    adapter = _Remembered(TypeAdapter(annotation, config=config)).cells
    shape = (info.annotation, info.metadata)
    for kind, quick in _QUICK:
        reference = FieldInfo.from_annotation(kind)
        if shape == (reference.annotation, reference.metadata):
            return quick(adapter)
    return adapter


class _Remembered:
    """A field's ``TypeAdapter``; its answers for immutable values remembered per cell."""

    def __init__(self, adapter: TypeAdapter[Any]) -> None:
        self._adapter = adapter
        self._seen: dict[str, _Parsed] = {}

    def cells(self, cell: str) -> _Parsed:
        try:
            return self._seen[cell]
        except KeyError:
            pass
        parsed: _Parsed
        try:
            value = self._adapter.validate_python(cell)
        except ValidationError:
            parsed = None
        else:
            parsed = value, self._adapter.dump_python(value, mode="json")
        # Only immutable values are shared between rows: a row's lists are its own.
        if (len(self._seen) < _REMEMBERED_CELLS and len(cell) <= _REMEMBERED_LENGTH and (
            parsed is None or parsed[0] is None or isinstance(parsed[0], str | int | date)
        )):
            self._seen[cell] = parsed
        return parsed


def _quick_id(adapter: _Cells) -> _Cells:
    match = ID_PATTERN.fullmatch

    def cells(cell: str) -> _Parsed:
        # An id has no blanks, so a cell that matches is its own trimmed text.
        return (cell, cell) if match(cell) else adapter(cell)

    return cells


def _quick_text(adapter: _Cells) -> _Cells:
    def cells(cell: str) -> _Parsed:
        text = cell.strip()
        return (text, text) if text else adapter(cell)

    return cells


def _quick_name(adapter: _Cells) -> _Cells:
    def cells(cell: str) -> _Parsed:
        # ASCII holds no invisible format characters and is already NFC.
        text = cell.strip()
        return (text, text) if text and text.isascii() else adapter(cell)

    return cells


def _quick_optional_text(adapter: _Cells) -> _Cells:
    def cells(cell: str) -> _Parsed:
        # Any text is valid: trimmed, and None when nothing is left.
        text = cell.strip() or None
        return text, text

    return cells


def _quick_ids(adapter: _Cells) -> _Cells:
    match = ID_PATTERN.fullmatch

    def cells(cell: str) -> _Parsed:
        if not cell:
            ids: list[str] = []
            return ids, ids
        if "|" not in cell and match(cell):
            ids = [cell]
            return ids, ids
        return adapter(cell)

    return cells


def _quick_count(adapter: _Cells) -> _Cells:
    def cells(cell: str) -> _Parsed:
        # Up to 18 ASCII digits: a whole number within 64 bits, no sign, no grouping.
        if len(cell) <= 18 and cell.isascii() and cell.isdigit():
            number = int(cell)
            return number, number
        return adapter(cell)

    return cells


_QUICK: tuple[tuple[Any, Callable[[_Cells], _Cells]], ...] = (
    (Id, _quick_id),
    (Name, _quick_name),
    (Text, _quick_text),
    (OptionalText, _quick_optional_text),
    (IdList, _quick_ids),
    (Count, _quick_count),
)
"""Field kinds of ``kg.schema.model`` with a quick check, and the check."""


def missing_columns(table: Table, model: type[BaseModel], problems: list[Problem]) -> bool:
    """Add a problem for each column ``model`` requires that ``table`` lacks; any?"""
    required = [
        (info.alias or name)
        for name, info in model.model_fields.items()
        if info.is_required()
    ]
    missing = [c for c in required if c not in table.columns]
    for column in missing:
        problems.append(Problem(table.name, 1, column, say("loading.missing_column")))
    return bool(missing)


def columns_refused(
    table: Table, model: type[Node], validator: Validator, problems: list[Problem], given: str
) -> bool:
    """Check the header of a table whose rows are named by their other columns
    (``Node.not_given``): a problem for each column it lacks, each extra column that cannot
    be a property, and each column it may not give (saying ``given``); any?"""
    not_given = [c for c in table.columns if c in model.not_given]
    for column in not_given:
        problems.append(Problem(table.name, 1, column, given))
    return (missing_columns(table, model, problems)
            | check_extra_columns(table, validator, problems)) or bool(not_given)


def check_extra_columns(table: Table, validator: Validator, problems: list[Problem]) -> bool:
    """Add a problem for each extra column whose name cannot be a property; any?"""
    bad = [c for _, c in validator.extra_columns
           if not _EXTRA_COLUMN.fullmatch(c) or c in {"label", "type"}]
    for column in bad:
        problems.append(Problem(table.name, 1, column, say("loading.extra_column")))
    return bool(bad)


def extra_properties(extra: Mapping[str, str]) -> dict[str, str]:
    """An extra column's non-empty cells as properties (``kiosk_fee`` -> ``kioskFee``)."""
    return {to_camel(column): value.strip() for column, value in extra.items() if value.strip()}


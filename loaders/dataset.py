"""Read and validate a whole dataset before anything is written.

``read_dataset`` reads every table, validates every row against ``kg.schema``, resolves
every reference, and either returns the complete ``GraphData`` or raises one
``DatasetError`` listing every problem found. Nothing here touches a store, so a bad
dataset can never leave a half-written graph.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from operator import attrgetter, itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic.alias_generators import to_camel
from pydantic.fields import FieldInfo

from kg.errors import DatasetError, Problem
from kg.loaders.raci import read_raci
from kg.loaders.table import Table, read_csv, shown, yaml_table
from kg.memory import paused_gc
from kg.schema.model import (
    ID_PATTERN,
    LINK_TYPES,
    Activity,
    Actor,
    Commodity,
    Count,
    Funding,
    Id,
    IdList,
    Kecamatan,
    Label,
    Link,
    Market,
    Name,
    Node,
    OptionalText,
    Regulation,
    RelType,
    Responsibility,
    Role,
    Sentra,
    Source,
    Text,
    Zone,
    endpoints,
)

NODE_TABLES: dict[str, type[Node]] = {
    "zones": Zone,
    "kecamatan": Kecamatan,
    "commodities": Commodity,
    "sentra": Sentra,
    "actors": Actor,
    "markets": Market,
    "regulations": Regulation,
    "activities": Activity,
}
"""Dataset file stem -> the node model its rows follow."""

RELATIONSHIP_TABLES = ("links", "funding", "responsibilities", "raci")
DATASET_FILE = "dataset.yaml"
_DATASET_KEYS = {"name", "title", "description", "license", "sources"}
_EXTRA_COLUMN = re.compile(r"[a-z][a-z0-9_]*")
_CELL_TABLES = frozenset({"links", "responsibilities", *NODE_TABLES})
"""Tables read as lists of cells (``Table.cells``), with a quick path for plain rows."""
_FUNDING_ENDPOINTS = ("funder", "target")
"""Funding fields that become the relationship's ends, not its properties."""


@dataclass(slots=True)
class NodeRow:
    """A node to write: its label, id, properties, and where it came from.

    Not frozen, like ``RelRow``: a frozen dataclass costs three times as much to create,
    a tenth of the time to read a national dataset of five million rows.
    """

    label: Label
    id: str
    props: dict[str, Any]
    origin: str


@dataclass(slots=True)
class RelRow:
    """A relationship to write, between two node ids."""

    type: RelType
    start: str
    end: str
    props: dict[str, Any]
    origin: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What makes it unique: FUNDS may repeat per budget type and year."""
        extra = ""
        if self.type is RelType.FUNDS:
            extra = f"{self.props['sourceType']}:{self.props.get('year', '')}"
        return (self.start, self.type, self.end, extra)

    @property
    def stored_props(self) -> dict[str, Any]:
        """The properties written to the store: FUNDS also carries its ``key``.

        FUNDS may repeat between one funder and one sentra (per budget and year); ``key``
        lets MERGE tell them apart, since MERGE cannot match on a null year.
        """
        if self.type is RelType.FUNDS:
            return {**self.props, "key": self.key[3]}
        return dict(self.props)


@dataclass
class GraphData:
    """A validated dataset, ready to be written."""

    nodes: list[NodeRow] = field(default_factory=list)
    relationships: list[RelRow] = field(default_factory=list)

    def label_counts(self) -> Counter[str]:
        # Counted by member, named after: an enum's ``.value`` is a slow property, and
        # read per row it took ~4 s on the national benchmark.
        counts = Counter(map(attrgetter("label"), self.nodes))
        return Counter({label.value: count for label, count in counts.items()})

    def type_counts(self) -> Counter[str]:
        counts = Counter(map(attrgetter("type"), self.relationships))
        return Counter({rel_type.value: count for rel_type, count in counts.items()})


@dataclass(frozen=True)
class KnownNode:
    """A node already in the store that a dataset may refer to."""

    label: Label
    name: str | None


@dataclass
class _Tables:
    by_kind: dict[str, list[Table]] = field(default_factory=dict)
    sources: list[Table] = field(default_factory=list)

    def add(self, kind: str, table: Table | None) -> None:
        if table is not None:
            self.by_kind.setdefault(kind, []).append(table)


def read_dataset(
    paths: Sequence[Path],
    known: Mapping[str, KnownNode] | None = None,
    *,
    nodes_read: Callable[[GraphData], None] | None = None,
) -> GraphData:
    """Read, validate and resolve the datasets at ``paths`` as one dataset.

    ``known`` holds nodes already in the store, which rows may refer to. Raises
    ``DatasetError`` with every problem found; returns the graph only when there is none.
    ``nodes_read`` is called with the graph once its nodes are complete and valid, before
    the relationships are read (they are added to the same graph): a caller may start
    writing the nodes, and must undo that if this then raises.
    """
    with paused_gc():
        return _read_dataset(paths, known, nodes_read)


def _read_dataset(
    paths: Sequence[Path],
    known: Mapping[str, KnownNode] | None,
    nodes_read: Callable[[GraphData], None] | None,
) -> GraphData:
    problems: list[Problem] = []
    tables = _Tables()
    for path in paths:
        _collect(path, tables, problems)
    graph = GraphData()
    index = _Index(dict(known or {}), graph.nodes)
    for table in tables.sources:
        _read_nodes(table, Source, graph, index, problems)
    made: list[tuple[Table, type[Node], list[NodeRow | None]]] = []
    for kind, model in NODE_TABLES.items():
        for table in tables.by_kind.get(kind, []):
            made.append((table, model, _read_nodes(table, model, graph, index, problems)))
    for node in graph.nodes:
        if "sources" in node.props:
            _check_sources(node.props["sources"], node.origin, index, problems)
    if nodes_read is not None and not problems:
        nodes_read(graph)
    relationships = _References(graph, index, problems)
    relationships.from_columns(made)
    # Rows are let go once read (relationship tables row by row, see ``_consume``): on a
    # national dataset they take as much memory as the graph built from them.
    for kind in NODE_TABLES:
        _release(tables.by_kind.get(kind, []))
    for table in tables.by_kind.get("links", []):
        relationships.links(table)
    for table in tables.by_kind.get("funding", []):
        relationships.funding(table)
    for table in tables.by_kind.get("responsibilities", []):
        relationships.responsibilities(table)
    for table in tables.by_kind.get("raci", []):
        for activity, actor, role, origin in read_raci(table, problems):
            file, _, row = origin.rpartition(":")
            relationships.role(activity, actor, role, [], file, int(row))
        _release([table])
    if problems:
        raise DatasetError(problems)
    return graph


def _release(tables: Iterable[Table]) -> None:
    for table in tables:
        table.rows.clear()
        table.cells = None


def _consume(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    """The table's rows in order, each dropped from the table as it is handed out."""
    rows = table.rows
    rows.reverse()
    while rows:
        yield rows.pop()


def _collect(path: Path, tables: _Tables, problems: list[Problem]) -> None:
    if path.is_dir():
        yaml_path = path / DATASET_FILE
        if yaml_path.is_file():
            _collect_yaml(yaml_path, tables, problems)
        known_stems = set(NODE_TABLES) | set(RELATIONSHIP_TABLES)
        for csv_path in sorted(path.glob("*.csv")):
            stem = csv_path.stem.lower()
            if stem not in known_stems:
                problems.append(
                    Problem(
                        str(csv_path), None, None,
                        "unknown dataset file; expected one of "
                        + ", ".join(f"{s}.csv" for s in sorted(known_stems)),
                    )
                )
                continue
            tables.add(stem, read_csv(csv_path, problems, keep_cells=stem in _CELL_TABLES))
    elif path.is_file() and path.suffix.lower() in {".yaml", ".yml"}:
        _collect_yaml(path, tables, problems)
    elif path.exists():
        problems.append(
            Problem(str(path), None, None, "expected a dataset directory or a .yaml file")
        )
    else:
        problems.append(Problem(str(path), None, None, "no such file or directory"))


def _collect_yaml(path: Path, tables: _Tables, problems: list[Problem]) -> None:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        problems.append(Problem(str(path), None, None, "not UTF-8; save the file as UTF-8"))
        return
    except yaml.YAMLError as exc:
        problems.append(_yaml_problem(path, exc))
        return
    except RecursionError:
        problems.append(Problem(str(path), None, None, "invalid YAML: nested too deeply"))
        return
    if document is None:
        return
    if not isinstance(document, dict):
        problems.append(Problem(str(path), None, None, "expected a mapping at the top level"))
        return
    allowed = _DATASET_KEYS | set(NODE_TABLES) | set(RELATIONSHIP_TABLES) - {"raci"}
    for key, value in document.items():
        if key not in allowed:
            problems.append(
                Problem(str(path), None, shown(str(key)), "unknown key; expected one of "
                        + ", ".join(sorted(allowed)))
            )
        elif key == "sources":
            table = yaml_table(str(path), key, value, problems)
            if table is not None:
                tables.sources.append(table)
        elif key in NODE_TABLES or key in RELATIONSHIP_TABLES:
            tables.add(key, yaml_table(str(path), key, value, problems))


def _yaml_problem(path: Path, exc: yaml.YAMLError) -> Problem:
    """One line naming the line and column, not PyYAML's multi-line report."""
    mark = getattr(exc, "problem_mark", None)
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    what = ", ".join(str(p) for p in parts if p) or str(exc).splitlines()[0]
    where = f" (column {mark.column + 1})" if mark is not None else ""
    return Problem(str(path), mark.line + 1 if mark is not None else None, None,
                   f"invalid YAML: {what}{where}")


class _Index:
    """Ids and names seen so far, in the dataset and in the store."""

    def __init__(self, known: dict[str, KnownNode], nodes: Sequence[NodeRow]) -> None:
        self.labels: dict[str, Label] = {k: v.label for k, v in known.items()}
        self.origins: dict[str, str] = {}
        self._known = known
        self._nodes = nodes
        self._other_names: list[tuple[int, Label, str, str]] = []
        self._names: dict[tuple[Label, str], list[str]] | None = None
        self._ids_valid: bool | None = None

    @property
    def ids_valid(self) -> bool:
        """Whether every id known is a valid one (a store written by other means might
        hold others); the dataset's own ids are all checked."""
        if self._ids_valid is None:
            match = ID_PATTERN.fullmatch
            self._ids_valid = all(match(node_id) for node_id in self._known)
        return self._ids_valid

    def add(self, label: Label, node_id: str, name: str | None, origin: str,
            *, accepted: bool = True) -> str | None:
        """Register a node; return a problem message if the id is taken.

        An accepted node's name is read from the node when names are first needed; a
        rejected row's (``accepted=False``) is kept here, in its place among them.
        """
        if node_id in self.origins:
            return f"duplicate id {node_id!r}: already used at {self.origins[node_id]}"
        stored = self.labels.get(node_id)
        if stored is not None and stored is not label:
            return f"id {node_id!r} is already a {stored} in the store"
        self.labels[node_id] = label
        self.origins[node_id] = origin
        if name and not accepted:
            self._other_names.append((len(self._nodes), label, name, node_id))
        return None

    @property
    def names(self) -> dict[tuple[Label, str], list[str]]:
        """Ids by (label, name), in the order the nodes came: built on first use.

        Names are needed only after every node is read, and only when a reference is not
        an id; generated and exported datasets refer by id, and on a national one the
        table would hold 250 MB for nothing.
        """
        if self._names is None:
            self._names = {}
            for node_id, known in self._known.items():
                if known.name:
                    self._add_name(known.label, known.name, node_id)
            others = iter(self._other_names)
            other = next(others, None)
            for position, node in enumerate([*self._nodes, None]):
                while other is not None and other[0] == position:
                    self._add_name(other[1], other[2], other[3])
                    other = next(others, None)
                if node is not None and (name := node.props.get("name")):
                    self._add_name(node.label, name, node.id)
        return self._names

    def _add_name(self, label: Label, name: str, node_id: str) -> None:
        assert self._names is not None
        ids = self._names.setdefault((label, name.strip().casefold()), [])
        if node_id not in ids:
            ids.append(node_id)

    def resolve(self, reference: str, label: Label) -> tuple[str | None, str | None]:
        """Find a ``label`` node by id or exact name; return (id, problem)."""
        reference = reference.strip()
        if self.labels.get(reference) is label:
            return reference, None
        ids = self.names.get((label, reference.casefold()), [])
        if len(ids) == 1:
            return ids[0], None
        if len(ids) > 1:
            return None, (f"{reference!r} is ambiguous: {len(ids)} {label}s have that name "
                          f"({', '.join(ids)}); use the id")
        if reference in self.labels:
            return None, f"{reference!r} is a {self.labels[reference]}, not a {label}"
        return None, f"unknown {label} {reference!r}"


class _Validator:
    """Validates the rows of one table against one model."""

    def __init__(self, table: Table, model: type[BaseModel], problems: list[Problem]) -> None:
        self._table = table
        self._model = model
        self._problems = problems
        self._columns = _columns(model)
        # A row's columns are the table's (a Source row may gain "name", a model column).
        self._no_extra = self._columns.keys() >= set(table.columns)
        shortcut = _shortcut(model) if FAST_PATH else None
        self._accept = shortcut.accept if shortcut is not None else None
        self._judge_cells: Callable[[list[str]], _Accepted] | None = None
        if shortcut is not None and table.cells is not None and self._no_extra:
            self._judge_cells = _cells_judge(shortcut, table.columns)

    def validated_rows(
        self,
    ) -> Iterator[tuple[int, Mapping[str, str], _Validated | None]]:
        """Each row of the table with what ``row`` makes of it. A row of ``Table.cells``
        that the shortcut takes is not made into a dict (an empty mapping stands for it)."""
        table = self._table
        if table.cells is None:
            for number, row in table.rows:
                yield number, row, self.row(number, row)
            return
        columns, judge = table.columns, self._judge_cells
        for number, cells in table.cells:
            if judge is not None and (accepted := judge(cells)) is not None:
                yield number, _NO_ROW, (accepted[0], accepted[1], {})
            else:
                row = dict(zip(columns, cells, strict=True))
                yield number, row, self.row(number, row)

    def row(
        self, number: int, row: dict[str, str]
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]] | None:
        """Validate one row; return (field values, properties, extra columns) or None after
        adding problems.

        Field values are what the record's attributes hold; properties are what a node's
        ``properties()`` or a funding row's dump give. A plainly valid row takes the
        ``_Shortcut``; every other row is judged, and its problems worded, by
        ``model_validate``.
        """
        columns = self._columns
        if self._no_extra or row.keys() <= columns.keys():
            values, extra = row, {}
        else:
            values = {c: v for c, v in row.items() if c in columns}
            extra = {c: v for c, v in row.items() if c not in columns}
        if self._accept is not None and (accepted := self._accept(values)) is not None:
            return accepted[0], accepted[1], extra
        try:
            record = self._model.model_validate(values)
        except ValidationError as exc:
            for error in exc.errors():
                name = _column_name(self._model, error["loc"])
                self._problems.append(Problem(self._table.name, number, name, _message(error)))
            return None
        return dict(record), _properties(record), extra


def _properties(record: BaseModel) -> dict[str, Any]:
    if isinstance(record, Node):
        return record.properties()
    if isinstance(record, Funding):
        return record.model_dump(
            by_alias=True, exclude=set(_FUNDING_ENDPOINTS), exclude_none=True, mode="json"
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


def _message(error: Any) -> str:
    if error["type"] == "missing" or (
        error.get("input") in (None, "") and error["type"] in {"string_type", "enum", "int_type"}
    ):
        return "required, but empty"
    message: str = error["msg"]
    if error["type"] == "value_error":
        return message.removeprefix("Value error, ")
    got = repr(error.get("input"))
    return f"{message} (got {got if len(got) <= 60 else got[:57] + '...'})"


FAST_PATH = True
"""Accept plainly valid rows through ``_Shortcut`` instead of ``model_validate`` (a tenth of
the cost); the tests turn it off to check that both give the same graph and problems."""

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
            hidden = set(model.references) | {"id"}
        elif model is Funding:
            hidden = set(_FUNDING_ENDPOINTS)
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
                info.get_default(call_default_factory=True) == [],
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
        for (_column, name, key, cells, required, empty_list), cell in zip(
            self._fields, row, strict=True
        ):
            if cell is None:
                if required:
                    return None
                value = json = [] if empty_list else None
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


_Accepted = tuple[dict[str, Any], dict[str, Any]] | None
"""(field values, properties) of a row the shortcut takes, or None."""
_Validated = tuple[dict[str, Any], dict[str, Any], dict[str, str]]
"""(field values, properties, extra columns) of a valid row."""
_NO_ROW: Mapping[str, str] = MappingProxyType({})


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
    serializers of its own, or a default other than None or an empty list."""
    decorators = model.__pydantic_decorators__
    custom = {
        *decorators.validators, *decorators.field_validators, *decorators.root_validators,
        *decorators.model_validators, *decorators.field_serializers,
        *decorators.model_serializers, *decorators.computed_fields,
    }
    defaults = [
        info.get_default(call_default_factory=True)
        for info in model.model_fields.values() if not info.is_required()
    ]
    if any(default is not None and default != [] for default in defaults):
        return None
    if model is Sentra and custom == {"_occupied_within_total"}:
        return _Shortcut(model, _occupied_within_total)
    return None if custom else _Shortcut(model, None)


def _occupied_within_total(fields: dict[str, Any]) -> bool:
    """What ``Sentra._occupied_within_total`` accepts; a row it refuses takes the long way."""
    total, occupied = fields["kiosks_total"], fields["kiosks_occupied"]
    return total is None or occupied is None or occupied <= total


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
    (Name, _quick_text),
    (Text, _quick_text),
    (OptionalText, _quick_optional_text),
    (IdList, _quick_ids),
    (Count, _quick_count),
)
"""Field kinds of ``kg.schema.model`` with a quick check, and the check."""


def _missing_columns(table: Table, model: type[BaseModel], problems: list[Problem]) -> bool:
    required = [
        (info.alias or name)
        for name, info in model.model_fields.items()
        if info.is_required()
    ]
    missing = [c for c in required if c not in table.columns]
    for column in missing:
        problems.append(Problem(table.name, 1, column, "missing column"))
    return bool(missing)


def _extra_properties(
    table: Table, number: int, extra: Mapping[str, str], problems: list[Problem]
) -> dict[str, str]:
    props: dict[str, str] = {}
    for column, value in extra.items():
        if not _EXTRA_COLUMN.fullmatch(column) or column in {"label", "type"}:
            problems.append(
                Problem(table.name, number, column,
                        "extra column names must be lower_snake_case words and not "
                        "'label' or 'type'")
            )
        elif value.strip():
            props[to_camel(column)] = value.strip()
    return props


def _read_nodes(
    table: Table, model: type[Node], graph: GraphData, index: _Index, problems: list[Problem]
) -> list[NodeRow | None]:
    """Validate the table's rows into nodes; return the node each row became (None for a
    row refused), in the order of the rows."""
    made: list[NodeRow | None] = []
    if _missing_columns(table, model, problems):
        return [None] * len(table.rows if table.cells is None else table.cells)
    if model is Source:
        for _number, source in table.rows:
            if not source.get("name"):
                source["name"] = source.get("title", "")
    name, label, add_node = table.name, model.label, graph.nodes.append
    for number, row, validated in _Validator(table, model, problems).validated_rows():
        origin = f"{name}:{number}"
        if validated is None:
            _reserve(label, row, origin, index)
            made.append(None)
            continue
        node, props, extra = validated
        node_id = node["id"]
        problem = index.add(label, node_id, node["name"], origin)
        if problem:
            problems.append(Problem(name, number, "id", problem))
            made.append(None)
            continue
        if extra:
            props = {**_extra_properties(table, number, extra, problems), **props}
        made.append(new := NodeRow(label, node_id, props, origin))
        add_node(new)
    return made


def _reserve(label: Label, row: Mapping[str, str], origin: str, index: _Index) -> None:
    """Keep a rejected row's id known, so rows referring to it add no second problem."""
    node_id = row.get("id", "").strip()
    if ID_PATTERN.fullmatch(node_id):
        index.add(label, node_id, row.get("name"), origin, accepted=False)


def _check_sources(
    sources: Iterable[str], origin: str, index: _Index, problems: list[Problem]
) -> None:
    file, _, row = origin.rpartition(":")
    for source in sources:
        if index.labels.get(source) is not Label.SOURCE:
            problems.append(
                Problem(file, int(row), "sources",
                        f"unknown source {source!r}; declare it under 'sources' in "
                        f"{DATASET_FILE}")
            )


class _References:
    """Turns reference columns and relationship tables into ``RelRow``s."""

    def __init__(self, graph: GraphData, index: _Index, problems: list[Problem]) -> None:
        self.graph = graph
        self.index = index
        self.problems = problems
        self.labels = index.labels
        self.seen: dict[tuple[str, str, str, str], str] = {}

    def add(self, rel: RelRow, file: str, row: int) -> None:
        seen = self.seen
        before = len(seen)
        first = seen.setdefault(rel.key, rel.origin)  # one lookup of the key, not two
        if len(seen) == before:
            self.problems.append(
                Problem(file, row, None,
                        f"duplicate relationship {rel.start} -[{rel.type}]-> {rel.end}: "
                        f"already given at {first}")
            )
            return
        self.graph.relationships.append(rel)

    def plain(self, rel_type: RelType, start: str, end: str, origin: str) -> bool:
        """Record a relationship without properties (not FUNDS) between two resolved ids,
        unless it repeats one: then False, and the caller takes the long way, whose
        ``add`` reports the duplicate. A quick path's ``add``, without building a row
        first; its key is what ``RelRow.key`` gives."""
        before = len(self.seen)
        self.seen.setdefault((start, rel_type, end, ""), origin)
        if len(self.seen) == before:
            return False
        self.graph.relationships.append(RelRow(rel_type, start, end, {}, origin))
        return True

    def endpoint(
        self, reference: str, label: Label, file: str, row: int, column: str
    ) -> str | None:
        """The id ``reference`` resolves to, or None after adding a problem."""
        if self.labels.get(reference) is label:  # nearly every reference: a trimmed id
            return reference
        node_id, problem = self.index.resolve(reference, label)
        if problem:
            self.problems.append(Problem(file, row, column, problem))
        return node_id

    def from_columns(self, made: list[tuple[Table, type[Node], list[NodeRow | None]]]) -> None:
        """Reference columns such as ``sentra.kecamatan`` become relationships; ``made``
        holds each node table with its model and the node each of its rows became."""
        labels, plain, quick = self.labels, self.plain, FAST_PATH
        for table, model, nodes in made:
            references = list(model.references.items())
            if not references:
                continue
            name = table.name
            rows = _reference_cells(table, [column for column, _ in references])
            for (number, cells), node in zip(rows, nodes, strict=True):
                if node is None:
                    continue
                for cell, (column, (rel_type, target)) in zip(cells, references, strict=True):
                    if (quick and labels.get(cell) is target  # the usual: one id, rightly
                            and plain(rel_type, node.id, cell, node.origin)):
                        continue
                    for reference in _split(cell):
                        end = self.endpoint(reference, target, name, number, column)
                        if end is not None:
                            self.add(RelRow(rel_type, node.id, end, {}, node.origin),
                                     name, number)

    def links(self, table: Table) -> None:
        if _missing_columns(table, Link, self.problems):
            return
        validate = _Validator(table, Link, self.problems).row
        for number, row in self._rows(table, self._quick_link(table)):
            validated = validate(number, row)
            if validated is None:
                continue
            link, _props, extra = validated
            link_type: RelType = link["type"]
            if link_type not in LINK_TYPES:
                self.problems.append(
                    Problem(table.name, number, "type",
                            f"{link_type} does not belong in links.csv; "
                            + ("use funding.csv" if link_type is RelType.FUNDS
                               else "use raci.csv or responsibilities.csv"))
                )
                continue
            start_label, end_label = endpoints(link_type)
            start = self.endpoint(link["from_"], start_label, table.name, number, "from")
            end = self.endpoint(link["to"], end_label, table.name, number, "to")
            if start is None or end is None:
                continue
            props = _extra_properties(table, number, extra, self.problems) if extra else {}
            sources = link["sources"]
            if sources:
                props["sources"] = sources
                self._cite(sources, table.name, number)
            self.add(RelRow(link_type, start, end, props, f"{table.name}:{number}"),
                     table.name, number)

    def funding(self, table: Table) -> None:
        if _missing_columns(table, Funding, self.problems):
            return
        validate = _Validator(table, Funding, self.problems).row
        for number, row in _consume(table):
            validated = validate(number, row)
            if validated is None:
                continue
            funding, props, extra = validated
            funder = self.endpoint(funding["funder"], Label.ACTOR, table.name, number, "funder")
            target = self.endpoint(funding["target"], Label.SENTRA, table.name, number, "target")
            if funder is None or target is None:
                continue
            if funding["sources"]:
                self._cite(funding["sources"], table.name, number)
            if extra:
                props = {**_extra_properties(table, number, extra, self.problems), **props}
            if not props.get("sources"):
                props.pop("sources", None)
            self.add(RelRow(RelType.FUNDS, funder, target, props, f"{table.name}:{number}"),
                     table.name, number)

    def responsibilities(self, table: Table) -> None:
        if _missing_columns(table, Responsibility, self.problems):
            return
        validate = _Validator(table, Responsibility, self.problems).row
        for number, row in self._rows(table, self._quick_role(table)):
            validated = validate(number, row)
            if validated is None:
                continue
            entry, _props, _extra = validated
            sources = entry["sources"]
            if sources:
                self._cite(sources, table.name, number)
            self.role(entry["activity"], entry["actor"], entry["role"], sources,
                      table.name, number)

    def role(
        self, activity: str, actor: str, role: Role, sources: list[str], file: str, row: int
    ) -> None:
        activity_id = self.endpoint(activity, Label.ACTIVITY, file, row, "activity")
        actor_id = self.endpoint(actor, Label.ACTOR, file, row, "actor")
        if activity_id is None or actor_id is None:
            return
        props: dict[str, Any] = {"sources": sources} if sources else {}
        self.add(RelRow(role.rel_type, actor_id, activity_id, props, f"{file}:{row}"), file, row)

    def _cite(self, sources: list[str], file: str, row: int) -> None:
        _check_sources(sources, f"{file}:{row}", self.index, self.problems)

    @staticmethod
    def _rows(
        table: Table, quick: Callable[[int, list[str]], bool] | None
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """The rows that ``quick`` does not take, as dicts, in order, each let go once read.

        ``quick`` takes a plain row of ``Table.cells`` that it can turn into a
        relationship exactly as the long way would (or returns False); a table read as
        dicts, or with no ``quick``, goes the long way whole.
        """
        if table.cells is None:
            yield from _consume(table)
            return
        columns, rows = table.columns, table.cells
        table.cells = None
        rows.reverse()
        while rows:
            number, cells = rows.pop()
            if quick is None or not quick(number, cells):
                yield number, dict(zip(columns, cells, strict=True))

    def _quick_role(self, table: Table) -> Callable[[int, list[str]], bool] | None:
        """Takes a row of ``responsibilities.csv`` naming an activity and an actor by id,
        with a role in capitals and no sources."""
        columns = table.columns
        if not FAST_PATH or not set(columns) <= {"activity", "actor", "role", "sources"}:
            return None
        activity_at, actor_at, role_at = map(columns.index, ("activity", "actor", "role"))
        sources_at = columns.index("sources") if "sources" in columns else None
        types = {role.value: role.rel_type for role in Role}
        labels, name, plain = self.labels, table.name, self.plain
        activity_label, actor_label = Label.ACTIVITY, Label.ACTOR

        def quick(number: int, cells: list[str]) -> bool:
            rel_type = types.get(cells[role_at])
            activity, actor = cells[activity_at], cells[actor_at]
            if (rel_type is None or (sources_at is not None and cells[sources_at])
                    or labels.get(activity) is not activity_label
                    or labels.get(actor) is not actor_label):
                return False
            return plain(rel_type, actor, activity, f"{name}:{number}")

        return quick

    def _quick_link(self, table: Table) -> Callable[[int, list[str]], bool] | None:
        """Takes a row of ``links.csv`` with a type in capitals, ends of the right labels
        by id, and no sources."""
        columns = table.columns
        if (not FAST_PATH or not set(columns) <= {"from", "type", "to", "sources"}
                or not self.index.ids_valid):
            return None
        from_at, type_at, to_at = map(columns.index, ("from", "type", "to"))
        sources_at = columns.index("sources") if "sources" in columns else None
        types = {rel_type.value: (rel_type, *endpoints(rel_type)) for rel_type in LINK_TYPES}
        labels, name, plain = self.labels, table.name, self.plain

        def quick(number: int, cells: list[str]) -> bool:
            found = types.get(cells[type_at])
            if found is None or (sources_at is not None and cells[sources_at]):
                return False
            rel_type, start_label, end_label = found
            start, end = cells[from_at], cells[to_at]
            if labels.get(start) is not start_label or labels.get(end) is not end_label:
                return False
            return plain(rel_type, start, end, f"{name}:{number}")

        return quick


def _reference_cells(table: Table, columns: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Each row's cells in ``columns`` ("" where the table has no such column)."""
    if table.cells is None:
        for number, row in table.rows:
            yield number, [row.get(column, "") for column in columns]
        return
    positions = [table.columns.index(c) if c in table.columns else None for c in columns]
    for number, cells in table.cells:
        yield number, [cells[p] if p is not None else "" for p in positions]


def _split(cell: str) -> list[str]:
    if "|" not in cell:  # the usual one reference
        cell = cell.strip()
        return [cell] if cell else []
    return [part.strip() for part in cell.split("|") if part.strip()]


__all__ = ["GraphData", "KnownNode", "NodeRow", "RelRow", "read_dataset"]

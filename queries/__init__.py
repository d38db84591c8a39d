"""Named Cypher queries, one ``.cypher`` file each (installed as ``kg.queries``).

Every file starts with a header of ``//`` comment lines, in the manner of aiosql::

    // name: sentra_low_occupancy
    // description: Sentra whose kiosks are mostly empty.
    // param: occupancy_below: float = 0.7 -- occupied/total below this is reported
    // columns: subject, subject_name, related, related_names, occupied, total
    // check: sentra.low_occupancy
    // severity: warning

``description`` may continue on further ``//`` lines. A building block of the library
or the loader, rather than a query for analysts, says so and why in an ``internal:``
line (``// internal: used by kg/chain.py (kg chain)``); ``kg queries`` lists it only
with ``--all``, ``kg query`` runs it all the same. A query's ``$parameters`` must be
exactly its declared ``param`` lines: the registry refuses a file that uses an
undeclared parameter or declares one it never uses. A parameter typed by a label
(``sentra: Sentra``) names a node of that label, one typed ``Node`` a node of any label:
a string, which callers that take it from a person resolve from an id or a name
(``kg.resolve``). Adding a query means adding a file.

A query that finds a node by its id in any label (``MATCH (n {id: $id})``) scans every
node: labels cannot be parameters in Cypher, and only a label's index knows ids. A
``label: n`` line names the node, of the first ``MATCH`` line, whose label a caller that
knows it may fix: ``query.for_label(Label.SENTRA)`` is the same query with ``(n:Sentra``,
one fixed text per label of ``kg.schema.model.Label``, never a user's value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Any

from kg.catalogue import say
from kg.errors import QueryError
from kg.schema.model import Label
from kg.store import QueryResult, Store

_HEADER_LINE = re.compile(r"//\s*(?:(?P<key>[a-z]+):\s*)?(?P<value>.*)")
_PARAM = re.compile(
    r"(?P<name>[a-z_][a-z0-9_]*):\s*(?P<type>str|int|float|bool|list|[A-Z][A-Za-z]*)"
    r"(?:\s*=\s*(?P<default>\S+))?(?:\s*--\s*(?P<help>.*))?"
)
_STRINGS_AND_COMMENTS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*")
_PARAMETER_USE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_KEYS = {
    "name", "description", "param", "columns", "check", "severity", "internal", "label",
}
ANY_NODE = "Node"
"""The parameter type of a node of any label."""


class Severity(StrEnum):
    """How bad an audit check's findings are; a check's header names one."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1}[self.value]


@dataclass(frozen=True)
class Param:
    """A declared parameter: its type, its default (None = required), and help.

    ``node`` is the label of the node a parameter typed by a label names, or
    ``ANY_NODE`` (its type is then ``str``).
    """

    name: str
    type: str
    default: Any
    help: str
    required: bool
    node: Label | str | None = None

    def convert(self, value: Any) -> Any:
        """Turn a CLI string (or a Python value) into this parameter's type."""
        if not isinstance(value, str):
            return value
        try:
            match self.type:
                case "int":
                    return int(value)
                case "float":
                    return float(value)
                case "bool":
                    lowered = value.strip().lower()
                    if lowered not in {"true", "false", "1", "0", "yes", "no"}:
                        raise ValueError(value)
                    return lowered in {"true", "1", "yes"}
                case "list":
                    return [part.strip() for part in value.split("|") if part.strip()]
        except ValueError:
            raise QueryError(say("queries.bad_value", name=self.name, type=self.type,
                                 value=value)) from None
        return value


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its header fields and its text (header included: it is Cypher too)."""

    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    text: str
    check: str | None = None
    severity: Severity | None = None
    internal: str | None = None
    """What uses the query if it is the library's or the loader's own; None for analysts' ones."""
    label: str | None = None
    """The variable of the node whose label ``for_label`` fixes (its ``label:`` line), if any."""

    def bind(self, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Parameters for a run: ``values`` converted, defaults filled, unknowns refused."""
        values = dict(values or {})
        declared = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(declared))
        if unknown:
            raise QueryError(say(
                "queries.unknown_parameter", query=self.name, unknown=", ".join(unknown),
                takes=", ".join(declared) if declared else say("queries.none"),
            ))
        bound: dict[str, Any] = {}
        for name, param in declared.items():
            if name in values:
                bound[name] = param.convert(values[name])
            elif param.required:
                raise QueryError(say("queries.needs", query=self.name, name=name,
                                     help=param.help))
            else:
                bound[name] = param.default
        return bound

    def run(self, store: Store, values: Mapping[str, Any] | None = None) -> QueryResult:
        """Run the query on ``store`` with ``values`` bound as ``bind`` does."""
        return store.run(self.text, self.bind(values))

    def for_label(self, label: Label) -> NamedQuery:
        """This query with its ``label:`` node of ``label``, which the engine then finds
        through the label's index (``(n {id: $id})`` becomes ``(n:Sentra {id: $id})``).

        >>> get("node_properties").for_label(Label.SENTRA).text.splitlines()[-2]
        'MATCH (n:Sentra {id: $id})'
        """
        if self.label is None:
            raise QueryError(f"{self.name}.cypher: no 'label:' line; its nodes take no label")
        return replace(self, text=_first_match(self.label).sub(
            rf"\g<0>:{Label(label).value}", self.text, count=1))


def parse(name: str, text: str) -> NamedQuery:
    """Parse one query file; raise ``QueryError`` naming the file on any header problem."""
    fields: dict[str, list[str]] = {key: [] for key in _KEYS}
    last = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.lstrip().startswith("//"):
            break
        match = _HEADER_LINE.match(line.strip())
        assert match is not None
        key, value = match.group("key"), match.group("value").strip()
        if key in _KEYS:
            fields[key].append(value)
            last = key
        elif last == "description":  # all of it: "activity: a key..." is not a key
            fields["description"].append(line.strip().removeprefix("//").strip())
        elif value:
            raise QueryError(f"{name}.cypher: unknown header line {line.strip()!r}")
    file = f"{name}.cypher"
    if fields["name"] != [name]:
        raise QueryError(f"{file}: header 'name:' must be {name!r}")
    if not fields["description"] or not fields["columns"]:
        raise QueryError(f"{file}: header needs 'description:' and 'columns:'")
    params = tuple(_param(file, spec) for spec in fields["param"])
    _check_parameters(file, text, {p.name for p in params})
    check = fields["check"][0] if fields["check"] else None
    severity = fields["severity"][0] if fields["severity"] else None
    if (check is None) != (severity is None) or (
        severity and severity not in Severity
    ):
        raise QueryError(f"{file}: a check needs both 'check:' and 'severity:' (error|warning)")
    label = fields["label"][0] if fields["label"] else None
    if label is not None and not _first_match(label).search(text):
        raise QueryError(f"{file}: 'label: {label}' needs a line 'MATCH ({label}' to label")
    if fields["internal"] and not all(fields["internal"]):
        raise QueryError(f"{file}: 'internal:' needs a reason (what uses the query)")
    return NamedQuery(
        name=name,
        description=" ".join(fields["description"]),
        params=params,
        columns=tuple(c.strip() for c in ",".join(fields["columns"]).split(",") if c.strip()),
        text=text,
        check=check,
        severity=Severity(severity) if severity else None,
        internal=" ".join(fields["internal"]) or None,
        label=label,
    )


def _first_match(variable: str) -> re.Pattern[str]:
    """The start of a line ``MATCH (variable`` whose node has no label yet."""
    return re.compile(rf"^MATCH \({re.escape(variable)}(?![\w:])", re.MULTILINE)


def _param(file: str, spec: str) -> Param:
    match = _PARAM.fullmatch(spec)
    if match is None:
        raise QueryError(
            f"{file}: bad param line {spec!r}; expected 'name: type [= default] -- help'"
        )
    name, kind, default = match.group("name"), match.group("type"), match.group("default")
    node: Label | str | None = None
    if kind[0].isupper():
        if kind != ANY_NODE and kind not in Label:
            raise QueryError(
                f"{file}: param {name}: unknown type {kind!r}; a label names a node: "
                + ", ".join([*Label, ANY_NODE])
            )
        kind, node = "str", ANY_NODE if kind == ANY_NODE else Label(kind)
    param = Param(name, kind, None, (match.group("help") or "").strip(), default is None, node)
    if default is None or default == "null":
        return Param(name, kind, None, param.help, default is None, node)
    return Param(name, kind, param.convert(default), param.help, False, node)


def _check_parameters(file: str, text: str, declared: set[str]) -> None:
    used = set(_PARAMETER_USE.findall(_STRINGS_AND_COMMENTS.sub("", text)))
    if undeclared := sorted(used - declared):
        raise QueryError(f"{file}: uses undeclared parameter(s) {', '.join(undeclared)}")
    if unused := sorted(declared - used):
        raise QueryError(f"{file}: declares unused parameter(s) {', '.join(unused)}")


@cache
def all_queries() -> dict[str, NamedQuery]:
    """Every named query shipped with sentra-kg, by name."""
    root = files(__name__)
    found = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            name = entry.name.removesuffix(".cypher")
            found[name] = parse(name, entry.read_text(encoding="utf-8"))
    return found


def get(name: str) -> NamedQuery:
    """The query called ``name``; a ``QueryError`` listing the names if there is none."""
    queries = all_queries()
    if name not in queries:
        raise QueryError(say("queries.no_query", name=name))
    return queries[name]


def run(store: Store, name: str, values: Mapping[str, Any] | None = None) -> QueryResult:
    """Run the query called ``name`` on ``store``; see ``NamedQuery.bind`` for ``values``."""
    return get(name).run(store, values)


def checks() -> dict[str, NamedQuery]:
    """The audit checks, by check id, in file order."""
    return {q.check: q for q in all_queries().values() if q.check is not None}


def query_table(include_internal: bool = False) -> tuple[list[str], list[list[str]]]:
    """The analysts' named queries as rows: name, check id, description, and parameters.

    With ``include_internal``, the library's and the loader's own queries too, and a last
    column saying what uses each (empty for the analysts' queries).
    """
    rows = []
    for q in all_queries().values():
        if q.internal is not None and not include_internal:
            continue
        params = ", ".join(
            f"{p.name}: {p.node or p.type}" + ("" if p.required else f" = {p.default}")
            for p in q.params
        )
        row = [q.name, q.check or "", q.description, params]
        rows.append([*row, q.internal or ""] if include_internal else row)
    columns = ["name", "check", "description", "params"]
    return [*columns, "internal"] if include_internal else columns, rows

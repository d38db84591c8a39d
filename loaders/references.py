"""Resolve references: ids and names of nodes, and the rows that become relationships.

``Index`` knows every node id and name seen (in the dataset and in the store);
``References`` turns reference columns (``sentra.kecamatan``) and the relationship
tables (``links``, ``funding``, ``responsibilities``, the RACI chart) into ``RelRow``s,
with a problem for every reference that names no node, or the wrong kind of node.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from difflib import SequenceMatcher, get_close_matches
from typing import Any

from kg.catalogue import joined, say
from kg.errors import Message, Problem
from kg.loaders.csv_table import Table, shown
from kg.loaders.raci_table import matrix_actors, read_raci
from kg.loaders.validate import (
    Validated,
    Validator,
    check_extra_columns,
    extra_properties,
    missing_columns,
)
from kg.schema.graph import GraphData, KnownNode, NodeRow, RelRow
from kg.schema.model import (
    GRANT_KEY,
    ID_PATTERN,
    LINK_TYPES,
    Funding,
    Label,
    Link,
    Node,
    RelType,
    Responsibility,
    Role,
    endpoints,
    grant_key,
)
from kg.schema.values import visible

HINT_COMPARISONS = 500_000
"""Names compared, in all, to find "did you mean" hints for unknown references: a
dataset whose references all miss (a wrong kecamatan file) is still reported in seconds."""


def name_key(name: str) -> str:
    """How names are matched: trimmed, inner blanks collapsed, in any case, without
    invisible format characters, in NFC.

    >>> name_key("  Dinas   KOPERASI\u200b ")
    'dinas koperasi'
    """
    key = " ".join(visible(name).split()).casefold()
    return key if key.isascii() else unicodedata.normalize("NFC", key)


def listed_names(names: Sequence[tuple[str, Sequence[str]]]) -> str:
    """Names with their ids, as hints list them.

    >>> listed_names([("Dinas Koperasi", ["a-dinkop"]), ("Disperin", ["a-1", "a-2"])])
    "'Dinas Koperasi' (a-dinkop) or 'Disperin' (a-1, a-2)"
    """
    shown = [f"{name!r} ({', '.join(ids)})" for name, ids in names]
    if not shown[1:]:
        return shown[0]
    return say("names.listed", names=", ".join(shown[:-1]), last=shown[-1])


def label_word(label: str) -> Message:
    """A label as the catalogue names it (``[labels]``: ``Actor`` -> ``Aktor``)."""
    return say(f"labels.{label}")


def close_names(key: str, names: Sequence[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    """The names (``name_key``s) closest to ``key``, best first: close as a whole (by
    difflib's ratio, at least ``cutoff``), else with one of their words close to one of
    its words (``ligoo`` -> ``kampung ligu``).

    >>> close_names("ligoo", ["kampung ligu", "kampung batik malon", "sentra logam"])
    ['kampung ligu']
    >>> close_names("kampung batk", ["kampung batik malon", "kampung ligu"], n=1)
    ['kampung batik malon']
    """
    whole = get_close_matches(key, names, n=n, cutoff=cutoff)
    if whole or (" " not in key and not any(" " in name for name in names)):
        return whole  # one word against words: their words were just compared
    words = [w for w in key.split() if len(w) >= 3]
    scored: list[tuple[float, str]] = []
    for name in names:
        best = max((SequenceMatcher(None, word, part).ratio()
                    for word in words for part in name.split() if len(part) >= 3), default=0.0)
        if best >= WORD_CUTOFF:
            scored.append((best, name))
    scored.sort(key=lambda found: -found[0])
    return [name for _, name in scored[:n]]


WORD_CUTOFF = 0.6
"""How close one word of a name must be to one word of a miss to suggest the name."""


class Index:
    """Ids and names seen so far, in the dataset and in the store."""

    def __init__(self, known: dict[str, KnownNode], nodes: Sequence[NodeRow]) -> None:
        self.labels: dict[str, Label] = {k: v.label for k, v in known.items()}
        self.origins: dict[str, str] = {}
        self._known = known
        self._nodes = nodes
        self._other_names: list[tuple[int, Label, str, str]] = []
        self._names: dict[tuple[Label, str], list[str]] | None = None
        self._spellings: dict[tuple[Label, str], str] = {}
        self._keys: dict[Label, list[str]] = {}
        self._hints: dict[tuple[Label, str], str] = {}
        self.uncited: dict[str, dict[str, list[int]]] = {}
        """Each unknown source a row cites -> file -> the rows citing it."""
        self._comparisons_left = HINT_COMPARISONS
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
            *, accepted: bool = True) -> Message | None:
        """Register a node; return a problem message if the id is taken.

        An accepted node's name is read from the node when names are first needed; a
        rejected row's (``accepted=False``) is kept here, in its place among them.
        """
        if node_id in self.origins:
            return say("loading.duplicate_id", id=node_id, origin=self.origins[node_id])
        stored = self.labels.get(node_id)
        if stored is not None and stored is not label:
            return say("loading.id_taken", id=node_id, label=label_word(stored))
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
        key = (label, name_key(name))
        ids = self._names.setdefault(key, [])
        if node_id not in ids:
            ids.append(node_id)
        self._spellings.setdefault(key, " ".join(name.split()))

    def resolve(self, reference: str, label: Label) -> tuple[str | None, Message | None]:
        """Find a ``label`` node by id or name (see ``name_key``); return (id, problem).

        An unknown reference's problem names the closest names of that label, if any.
        """
        reference = reference.strip()
        if self.labels.get(reference) is label:
            return reference, None
        key = name_key(reference)
        ids = self.names.get((label, key), [])
        if len(ids) == 1:
            return ids[0], None
        if len(ids) > 1:
            return None, say("loading.ambiguous", reference=reference, count=len(ids),
                             label=label_word(label), ids=", ".join(ids))
        if reference in self.labels:
            return None, say("loading.wrong_label", reference=reference,
                             other=label_word(self.labels[reference]), label=label_word(label))
        return None, say("loading.unknown_reference", label=label_word(label),
                         reference=reference, hint=self._hint(label, key))

    def _hint(self, label: Label, key: str) -> str:
        """``; did you mean 'Dinas Koperasi' (a-dinkop)?``, or "" when no name is close."""
        if (label, key) in self._hints:
            return self._hints[(label, key)]
        if label not in self._keys:
            self._keys[label] = [name for kind, name in self.names if kind is label]
        keys = self._keys[label]
        hint = ""
        if len(keys) <= self._comparisons_left:
            self._comparisons_left -= len(keys)
            close = [(self._spellings[(label, name)], self.names[(label, name)])
                     for name in close_names(key, keys)]
            if close:
                hint = say("loading.hint", names=listed_names(close))
        self._hints[(label, key)] = hint
        return hint


def check_sources(
    sources: Iterable[str], origin: str, index: Index, problems: list[Problem]
) -> None:
    """Note each source of ``sources`` the index does not know, with the row citing it;
    ``unknown_sources`` reports them."""
    file, _, row = origin.rpartition(":")
    for source in sources:
        if index.labels.get(source) is not Label.SOURCE:
            index.uncited.setdefault(source, {}).setdefault(file, []).append(int(row))


SHOWN_ROWS = 10
"""Rows listed at most per file in a problem about an unknown source."""


def unknown_sources(index: Index, problems: list[Problem], *, optional: bool) -> Message | None:
    """One problem per unknown source, listing the rows that cite it; with ``optional``
    (a dataset without its sources table) none, but one warning naming them all."""
    if not index.uncited:
        return None
    if optional:
        rows = sum(len(found) for files in index.uncited.values() for found in files.values())
        return say("loading.uncited_sources", rows=rows, count=len(index.uncited),
                   sources=", ".join(sorted(index.uncited)))
    for source, files in index.uncited.items():
        places = joined([_rows_of(file, rows) for file, rows in files.items()], "; ")
        first_file, first_rows = next(iter(files.items()))
        problems.append(Problem(first_file, first_rows[0], "sources",
                                say("loading.unknown_source", source=source, places=places,
                                    declare=say("loading.declare_source"))))
    return None


def _rows_of(file: str, rows: list[int]) -> Message:
    shown = ", ".join(map(str, rows[:SHOWN_ROWS]))
    if len(rows) > SHOWN_ROWS:
        shown = say("loading.and_more", shown=shown, more=len(rows) - SHOWN_ROWS)
    return say("loading.rows_of_many" if len(rows) > 1 else "loading.rows_of",
               file=file, rows=shown)


class References:
    """Turns reference columns and relationship tables into ``RelRow``s."""

    def __init__(
        self, graph: GraphData, index: Index, problems: list[Problem], *, quick: bool = True
    ) -> None:
        self.graph = graph
        self.quick = quick
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
                Problem(file, row, None, say("loading.duplicate_relationship", start=rel.start,
                                             type=rel.type, end=rel.end, first=first))
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
        labels, plain, quick = self.labels, self.plain, self.quick
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
        for number, (link, _props, extra) in self._valid_rows(table, Link,
                                                               self._quick_link(table)):
            link_type: RelType = link["type"]
            if link_type not in LINK_TYPES:
                wrong = ("loading.wrong_link_funds" if link_type is RelType.FUNDS
                         else "loading.wrong_link_role")
                self.problems.append(Problem(table.name, number, "type",
                                             say(wrong, type=link_type.value)))
                continue
            start_label, end_label = endpoints(link_type)
            start = self.endpoint(link["from_"], start_label, table.name, number, "from")
            end = self.endpoint(link["to"], end_label, table.name, number, "to")
            if start is None or end is None:
                continue
            props = extra_properties(extra) if extra else {}
            sources = link["sources"]
            if sources:
                props["sources"] = sources
                self._cite(sources, table.name, number)
            self.add(RelRow(link_type, start, end, props, f"{table.name}:{number}"),
                     table.name, number)

    def funding(self, table: Table) -> None:
        for number, (funding, props, extra) in self._valid_rows(table, Funding, None):
            funder = self.endpoint(funding["funder"], Label.ACTOR, table.name, number, "funder")
            target = self.endpoint(funding["target"], Label.SENTRA, table.name, number, "target")
            if funder is None or target is None:
                continue
            if funding["sources"]:
                self._cite(funding["sources"], table.name, number)
            if extra:
                props = {**extra_properties(extra), **props}
            if not props.get("sources"):
                props.pop("sources", None)
            props[GRANT_KEY] = grant_key(funding["id"], props)
            self.add(RelRow(RelType.FUNDS, funder, target, props, f"{table.name}:{number}"),
                     table.name, number)

    def responsibilities(self, table: Table) -> None:
        for number, (entry, _props, _extra) in self._valid_rows(table, Responsibility,
                                                                 self._quick_role(table)):
            sources = entry["sources"]
            if sources:
                self._cite(sources, table.name, number)
            self.role(entry["activity"], entry["actor"], entry["role"], sources,
                      table.name, number)

    def raci(self, table: Table) -> None:
        """The chart's roles become relationships (see ``kg.loaders.raci_table``).

        A matrix names each actor once, in its header: an actor it names that is not
        found is reported there (row 1, the header as the field), once, not on every row.
        """
        name = table.name
        header_ids = {actor: self.endpoint(actor, Label.ACTOR, name, 1, shown(actor))
                      for actor in matrix_actors(table)}
        for activity, actor, role, number in read_raci(table, self.problems):
            if actor not in header_ids:  # a chart of role columns: the cell names the actor
                self.role(activity, actor, role, [], name, number)
                continue
            activity_id = self.endpoint(activity, Label.ACTIVITY, name, number, "activity")
            self._assign(activity_id, header_ids[actor], role, [], name, number)

    def role(
        self, activity: str, actor: str, role: Role, sources: list[str], file: str, row: int
    ) -> None:
        activity_id = self.endpoint(activity, Label.ACTIVITY, file, row, "activity")
        actor_id = self.endpoint(actor, Label.ACTOR, file, row, "actor")
        self._assign(activity_id, actor_id, role, sources, file, row)

    def _assign(
        self, activity_id: str | None, actor_id: str | None, role: Role, sources: list[str],
        file: str, row: int,
    ) -> None:
        if activity_id is None or actor_id is None:
            return
        props: dict[str, Any] = {"sources": sources} if sources else {}
        self.add(RelRow(role.rel_type, actor_id, activity_id, props, f"{file}:{row}"), file, row)

    def _cite(self, sources: list[str], file: str, row: int) -> None:
        check_sources(sources, f"{file}:{row}", self.index, self.problems)

    def _valid_rows(
        self,
        table: Table,
        model: type[Link | Funding | Responsibility],
        quick: Callable[[int, list[str]], bool] | None,
    ) -> Iterator[tuple[int, Validated]]:
        """The valid rows that ``quick`` does not take, in order, each let go once read.

        ``quick`` takes a plain row that it can turn into a relationship exactly as the
        long way would (or returns False). Nothing, if the table lacks a column it needs
        or has an extra column that cannot be a property.
        """
        validator = Validator(table, model, self.problems, quick=self.quick)
        if missing_columns(table, model, self.problems) | (
            model is not Responsibility and check_extra_columns(table, validator, self.problems)
        ):
            return
        for number, cells in table.consume():
            if quick is not None and quick(number, cells):
                continue
            if (validated := validator.row(number, cells)) is not None:
                yield number, validated

    def _quick_role(self, table: Table) -> Callable[[int, list[str]], bool] | None:
        """Takes a row of ``responsibilities.csv`` naming an activity and an actor by id,
        with a role in capitals and no sources."""
        columns = table.columns
        needed = {"activity", "actor", "role"}
        if not self.quick or not needed <= set(columns) <= needed | {"sources"}:
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
        needed = {"from", "type", "to"}
        if (not self.quick or not needed <= set(columns) <= needed | {"sources"}
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
    positions = [table.columns.index(c) if c in table.columns else None for c in columns]
    for number, cells in table.rows:
        yield number, [cells[p] if p is not None else "" for p in positions]


def _split(cell: str) -> list[str]:
    if "|" not in cell:  # the usual one reference
        cell = cell.strip()
        return [cell] if cell else []
    return [part.strip() for part in cell.split("|") if part.strip()]

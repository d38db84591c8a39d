"""Nodes named as people name them: by id, by name, or by a part of a name.

Wherever a command or a function asks for a node of some label (``--sentra``, a commodity,
an actor, a query parameter typed by a label), ``resolve`` accepts, in this order:

1. the node's exact id;
2. its exact name, in any case and spacing (``name_key``, as the loaders match names);
3. a part of one name only (``batik malon``).

Several names matching -> a ``QueryError`` listing them with their ids ("did you mean");
none -> one naming the closest names, if any are close as a whole or by one word
(``Ligoo`` -> ``Kampung Ligu``, ``kg.loaders.references.close_names``). The messages come
from the catalogues (``[names]``).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from difflib import get_close_matches
from typing import Any

from kg import queries
from kg.catalogue import say
from kg.errors import Message, QueryError
from kg.loaders.references import close_names, label_word, listed_names, name_key
from kg.schema.model import Label
from kg.store import Store

SHOWN = 8
"""Names listed at most in one "did you mean"."""

NodeEntry = tuple[str, str, str | None]
"""A node as ``node_index`` returns it: id, label, name."""


def node_index(store: Store) -> list[NodeEntry]:
    """Every node's id, label and name (the ``node_index`` query)."""
    return [(str(i), str(label), name) for i, label, name in queries.run(store, "node_index").rows]


def resolve(
    store: Store, reference: str, label: Label | None, nodes: Sequence[NodeEntry] | None = None
) -> str:
    """The id of the ``label`` node (any node if None) that ``reference`` names (see the
    module docstring).

    An exact id is looked up alone; names are read from ``nodes`` when given (a session
    keeps them), else from the store's ``node_index``.

    Raises
    ------
    QueryError
        If no ``label`` node, or several, answer to ``reference``.
    """
    reference = reference.strip()
    found = queries.run(store, "node_properties", {"id": reference}).rows
    if found and label in (None, found[0][0]):
        return reference
    other = str(found[0][0]) if found else None
    return resolve_in(node_index(store) if nodes is None else nodes, reference, label, other)


def resolve_in(
    nodes: Iterable[NodeEntry], reference: str, label: Label | None, other: str | None = None
) -> str:
    """``resolve`` over ``nodes``; ``other`` is the label of a node whose id is ``reference``.

    Example
    -------
    >>> nodes = [("s-1", "Sentra", "Kampung Batik Malon"), ("s-2", "Sentra", "Kampung Ligu"),
    ...          ("a-1", "Actor", "Dinas Perindustrian")]
    >>> resolve_in(nodes, "s-2", Label.SENTRA), resolve_in(nodes, "kampung  LIGU", Label.SENTRA)
    ('s-2', 's-2')
    >>> resolve_in(nodes, "malon", Label.SENTRA)
    's-1'
    >>> resolve_in(nodes, "kampung", Label.SENTRA)
    Traceback (most recent call last):
    ...
    kg.errors.QueryError: 'kampung' matches 2 Sentra nodes; did you mean 'Kampung Batik Malon' (s-1) or 'Kampung Ligu' (s-2)? Give the id or more of the name
    """  # noqa: E501
    reference = reference.strip()
    key = name_key(reference)
    names: dict[str, list[str]] = {}
    spellings: dict[str, str] = {}
    for node_id, node_label, name in nodes:
        if label is not None and node_label != label:
            continue
        if node_id == reference:
            return node_id
        if name:
            names.setdefault(name_key(name), []).append(node_id)
            spellings.setdefault(name_key(name), " ".join(name.split()))
    exact = names.get(key, [])
    if len(exact) == 1:
        return exact[0]
    if exact:
        choices = [(spellings[key], exact)]
    else:
        parts = [name for name in names if key and key in name]
        if len(parts) == 1 and len(names[parts[0]]) == 1:
            return names[parts[0]][0]
        choices = [(spellings[name], names[name]) for name in parts]
    if choices:
        more = say("names.more", count=len(choices) - SHOWN) if len(choices) > SHOWN else ""
        count = sum(len(ids) for _, ids in choices)
        raise QueryError(say(
            "names.matches", reference=reference, count=count,
            label=say("names.label_of", label=label_word(label)) if label else "",
            names=listed_names(choices[:SHOWN]), more=more,
        ))
    if other is not None and label is not None:
        raise QueryError(say("names.wrong_kind", reference=reference, other=_a(other),
                             label=_a(label)))
    close = [(spellings[k], names[k]) for k in close_names(key, list(names))]
    hint = say("loading.hint", names=listed_names(close)) if close else ""
    raise QueryError(say("names.none", label=label_word(label) if label else say("names.node"),
                         reference=reference, hint=hint))


def _a(label: str) -> Message:
    return say("names.an" if label[0] in "AEIOU" else "names.a", label=label_word(label))


def resolve_params(
    store: Store,
    query: queries.NamedQuery,
    values: Mapping[str, Any] | None,
    nodes: Sequence[NodeEntry] | None = None,
) -> dict[str, Any]:
    """``query.bind(values)`` with every parameter typed by a label resolved to an id."""
    bound = query.bind(values)
    for param in query.params:
        value = bound.get(param.name)
        if param.node is not None and isinstance(value, str):
            label = None if param.node == queries.ANY_NODE else Label(param.node)
            bound[param.name] = resolve(store, value, label, nodes)
    return bound



class Suggester:
    """The nodes a text may mean, best first, as one types (``kg serve``'s search).

    In order: an exact id; names equal to the text; names that start with it; names or
    ids that hold it. When fewer than asked are found, each word of the text that no name
    holds is replaced by the closest word that names hold (``batk`` -> ``batik``) and the
    names holding the corrected text follow. Names are matched by ``name_key``.

    Example
    -------
    >>> nodes = [("s-1", "Sentra", "Kampung Batik Malon"), ("s-2", "Sentra", "Kampung Ligu"),
    ...          ("a-1", "Actor", "Dinas Perindustrian")]
    >>> names = Suggester(nodes)
    >>> [node_id for node_id, _, _ in names.suggest("kampung")]
    ['s-1', 's-2']
    >>> names.suggest("a-1"), [node_id for node_id, _, _ in names.suggest("batk malon")]
    ([('a-1', 'Actor', 'Dinas Perindustrian')], ['s-1'])
    """

    def __init__(self, nodes: Sequence[NodeEntry]) -> None:
        self.nodes = list(nodes)
        self.keys = [name_key(name or "") for _, _, name in self.nodes]
        # Words of letters only: a number or a code is not misspelt, and leaving them out
        # keeps the words to compare few (a national store's names share their words).
        self.words = sorted({word for key in self.keys for word in key.split() if word.isalpha()})
        self.known = set(self.words)

    def suggest(self, text: str, limit: int = 10) -> list[NodeEntry]:
        text = text.strip()
        key = name_key(text)
        if not key:
            return []
        found = self._matching(key, text, limit)
        if len(found) < limit:
            corrected = " ".join(
                word if word in self.known
                else next(iter(get_close_matches(word, self.words, n=1, cutoff=0.7)), word)
                for word in key.split()
            )
            if corrected != key:
                taken = {node[0] for node in found}
                found += [node for node in self._matching(corrected, text, limit)
                          if node[0] not in taken]
        return found[:limit]

    def _matching(self, key: str, text: str, limit: int) -> list[NodeEntry]:
        ranked: list[tuple[int, str, NodeEntry]] = []
        for node, name in zip(self.nodes, self.keys, strict=True):
            if node[0] == text:
                rank = 0
            elif name == key:
                rank = 1
            elif name.startswith(key):
                rank = 2
            elif key in name or key in node[0].casefold():
                rank = 3
            else:
                continue
            ranked.append((rank, name, node))
        best = heapq.nsmallest(limit, ranked, key=lambda entry: (entry[0], entry[1], entry[2][0]))
        return [node for _, _, node in best]

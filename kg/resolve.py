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

from collections.abc import Iterable, Mapping, Sequence
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

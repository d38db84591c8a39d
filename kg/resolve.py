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

import bisect
import heapq
import itertools
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
    lookup = queries.get("node_properties")
    if label is not None:  # through the label's index of ids
        lookup = lookup.for_label(label)
    if lookup.run(store, {"id": reference}).rows:
        return reference
    return resolve_in(node_index(store) if nodes is None else nodes, reference, label)


def resolve_in(nodes: Iterable[NodeEntry], reference: str, label: Label | None) -> str:
    """``resolve`` over ``nodes``.

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
    other = None  # the label of the node whose id is ``reference``, when not ``label``
    for node_id, node_label, name in nodes:
        if node_id == reference:
            if label in (None, node_label):
                return node_id
            other = node_label
        if label is not None and node_label != label:
            continue
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



SPELLING = 0.7
"""How close (difflib's ratio) a word of the names must be to a word of a search that no
name has, to replace it."""

ANCHOR_WORDS = 2_000
"""Words of the index one search reads at most to find the names holding a text; beyond,
it reads the names in order (a fragment as short as ``a`` is in most words)."""


class Suggester:
    """The nodes a text may mean, best first, as one types (``kg serve``'s search).

    In order: an exact id; names equal to the text; names that start with it; names or
    ids that hold it (each group by name, then id). When fewer than asked are found, each
    word of the text that no name holds is replaced by the closest word that names hold
    (``batk`` -> ``batik``, ``kg.loaders.references.close_names``; a number is not
    misspelt) and the names holding the corrected text follow. Names are matched by
    ``name_key``.

    Built once, it answers without reading every name. The nodes are kept sorted by name
    (then id), the order of the answers: names equal to the text or starting with it are
    one binary search away. Names holding it are found through an index of words, each
    with the nodes whose name has it: a text ``w1 w2 w3`` is in a name whose words are
    ``..w1``, ``w2``, ``w3..`` in a row, so the nodes of the rarest of these words are the
    only ones read. Ids are one text, in the same order, searched by ``str.find``.

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

    def __init__(self, nodes: Iterable[NodeEntry]) -> None:
        ranked = sorted((name_key(node[2] or ""), node[0], node) for node in nodes)
        self.nodes = [node for _, _, node in ranked]
        """The nodes by name, then id: the order of the answers."""
        self.keys = [key for key, _, _ in ranked]
        self.by_id = {node[0]: node for node in self.nodes}
        self.ids = _Parts([node[0].casefold() for node in self.nodes])
        self.id_letters = frozenset(self.ids.text)
        """What ids are written with: a text with anything else (a blank) is in no id."""
        holders: dict[str, list[int]] = defaultdict(list)
        for at, key in enumerate(self.keys):
            for word in key.split():
                holders[word].append(at)
        self.vocabulary = sorted(holders)
        """Every word of the names, sorted."""
        self.spelt = _Parts(self.vocabulary)
        self.first = array("I", itertools.accumulate(
            (len(holders[word]) for word in self.vocabulary), initial=0))
        """Where each word's nodes start in ``holders``."""
        self.holders = array("I", itertools.chain.from_iterable(
            holders[word] for word in self.vocabulary))
        """The nodes (positions in ``nodes``) whose name has each word, word after word."""
        # Words of letters only: a number or a code is not misspelt, and leaving them out
        # keeps the words to compare few (a national store's names share their words).
        self.words = [word for word in self.vocabulary if word.isalpha()]
        self.known = set(self.words)

    def suggest(self, text: str, limit: int = 10) -> list[NodeEntry]:
        text = text.strip()
        key = name_key(text)
        if not key:
            return []
        found = self._matching(key, text, limit)
        if len(found) < limit:
            corrected = " ".join(
                word if word in self.known or word.isdigit()
                else next(iter(close_names(word, self.words, n=1, cutoff=SPELLING)), word)
                for word in key.split()
            )
            if corrected != key:
                found += [at for at in self._matching(corrected, text, limit) if at not in found]
        return [self.nodes[at] for at in found[:limit]]

    def _matching(self, key: str, text: str, limit: int) -> list[int]:
        """The first ``limit`` nodes (positions in ``nodes``) ``key`` matches, best first."""
        exact = self._position(text)
        found = [] if exact is None else [exact]
        at = bisect.bisect_left(self.keys, key)
        while len(found) < limit and at < len(self.keys) and self.keys[at].startswith(key):
            if at != exact:
                found.append(at)
            at += 1
        if len(found) < limit:
            ids = self.ids.holding(key) if self.id_letters.issuperset(key) else iter(())
            for at in heapq.merge(self._names_holding(key), ids):
                if at not in found:
                    found.append(at)
                    if len(found) == limit:
                        break
        return found

    def _position(self, node_id: str) -> int | None:
        """Where the node ``node_id`` is in ``nodes``, if there is one."""
        node = self.by_id.get(node_id)
        if node is None:
            return None
        return bisect.bisect_left(range(len(self.nodes)), (name_key(node[2] or ""), node_id),
                                  key=lambda at: (self.keys[at], self.nodes[at][0]))

    def _names_holding(self, key: str) -> Iterator[int]:
        """The nodes whose name holds ``key``, in order."""
        words = key.split()
        if len(words) == 1:
            choices = [self._holding(words[0], lambda word: True)]
        else:
            ends, inside, starts = words[0], words[1:-1], words[-1]
            choices = [
                self._holding(ends, lambda word: word.endswith(ends)),
                *([self._word(word)] for word in inside),
                self._starting(starts),
            ]
        known = [choice for choice in choices if choice is not None]
        if not known:  # each word of the text is in too many words of the names
            yield from (at for at, name in enumerate(self.keys) if key in name)
            return
        rarest = min(known, key=lambda spans: sum(len(span) for span in spans))
        last = -1
        for at in heapq.merge(*(self.holders[span.start:span.stop] for span in rarest)):
            if at != last and key in self.keys[at]:
                yield at
            last = at

    def _word(self, word: str) -> range:
        """The nodes (a span of ``holders``) whose name has ``word``; empty if none."""
        at = bisect.bisect_left(self.vocabulary, word)
        if at < len(self.vocabulary) and self.vocabulary[at] == word:
            return range(self.first[at], self.first[at + 1])
        return range(0)

    def _starting(self, part: str) -> list[range] | None:
        """The nodes whose name has a word starting with ``part`` (a span of ``holders``:
        such words are together in the sorted vocabulary), or None if too many words do."""
        low = bisect.bisect_left(self.vocabulary, part)
        high = low
        while high < len(self.vocabulary) and self.vocabulary[high].startswith(part):
            if high - low == ANCHOR_WORDS:
                return None
            high += 1
        return [range(self.first[low], self.first[high])]

    def _holding(self, part: str, keep: Callable[[str], bool]) -> list[range] | None:
        """The nodes whose name has a word holding ``part`` that ``keep`` keeps, a span of
        ``holders`` per word, or None if too many words hold it."""
        spans = []
        for seen, at in enumerate(self.spelt.holding(part)):
            if seen == ANCHOR_WORDS:
                return None
            if keep(self.vocabulary[at]):
                spans.append(range(self.first[at], self.first[at + 1]))
        return spans


class _Parts:
    """Strings joined into one text (by a newline, which a ``name_key`` never holds), to
    find those holding a key at C speed."""

    def __init__(self, parts: Sequence[str]) -> None:
        self.text = "\n".join(parts)
        self.starts = array("I", itertools.accumulate((len(part) + 1 for part in parts[:-1]),
                                                      initial=0))

    def holding(self, key: str) -> Iterator[int]:
        """The positions of the parts holding ``key``, in order."""
        at = self.text.find(key)
        while at >= 0:
            part = bisect.bisect_right(self.starts, at) - 1
            yield part
            if part + 1 == len(self.starts):
                return
            at = self.text.find(key, self.starts[part + 1])

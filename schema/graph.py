"""The graph a dataset becomes: rows of nodes and relationships, ready to be written.

The loaders build a ``GraphData`` from validated rows; the stores write it. It lives in
``kg.schema`` so that both can use it without one importing the other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from kg.schema.model import GRANT_KEY, Label, RelType


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
        """What makes it unique: its ends and type, and for FUNDS (several grants between
        one funder and one sentra) the grant's ``key`` property (``grant_key``), which
        also lets MERGE tell grants apart."""
        grant = self.props[GRANT_KEY] if self.type is RelType.FUNDS else ""
        return (self.start, self.type, self.end, grant)


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

    def counts(self) -> GraphCounts:
        """Nodes per label and relationships per type."""
        return dict(self.label_counts()), dict(self.type_counts())


GraphCounts = tuple[dict[str, int], dict[str, int]]
"""Nodes per label and relationships per type."""


DATASET_LABEL = "KgDataset"
"""Label of the store's record of each dataset loaded into it (``name``, ``base``): not
a label of the data model, and left out of every query that reads the data."""

DATASETS_PROPERTY = "kgDatasets"
"""Bookkeeping on a node or relationship: the names of the datasets that state it.

Written only where that is not just the store's first (base) dataset, so a store loaded
from one dataset, the common case and the national one, carries none of it
(``kg.loaders.reload``)."""


@dataclass(frozen=True)
class KnownNode:
    """A node already in the store that a dataset may refer to."""

    label: Label
    name: str | None

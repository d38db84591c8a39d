"""How each node label and relationship type is drawn.

Labels, relationship types and RACI letters come from :mod:`kg.schema.model`; this module
only decides their look. vis-network draws ``dot``, ``square``, ``hexagon``, ``triangle``,
``diamond``, ``triangleDown`` and ``star`` with the label below the shape, at the size given
(by degree here); ``box`` holds the label inside and is sized by it, which marks markets, the
end of every chain. Sources share the dot with actors, told apart by colour. The follow-up
(engagements, commitments, indicators, assessments) takes shapes of the place it joins,
told apart by colour; a commitment's fill says whether it is open.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.schema.model import CommitmentStatus, Label, RelType


@dataclass(frozen=True)
class NodeStyle:
    """Fill colour, border colour and vis-network shape of one node label."""

    color: str
    border: str
    shape: str


NODE_STYLES: dict[str, NodeStyle] = {
    Label.ACTOR: NodeStyle("#4e79a7", "#2c4a6e", "dot"),
    Label.SENTRA: NodeStyle("#f28e2b", "#a85a10", "square"),
    Label.ZONE: NodeStyle("#59a14f", "#356b2e", "hexagon"),
    Label.KECAMATAN: NodeStyle("#8cd17d", "#4f8f42", "triangle"),
    Label.COMMODITY: NodeStyle("#b07aa1", "#74476a", "diamond"),
    Label.ACTIVITY: NodeStyle("#76b7b2", "#3f7a75", "triangleDown"),
    Label.REGULATION: NodeStyle("#9c755f", "#624634", "star"),
    Label.MARKET: NodeStyle("#edc948", "#a88a1c", "box"),
    Label.SOURCE: NodeStyle("#bab0ac", "#7a716d", "dot"),
    Label.ENGAGEMENT: NodeStyle("#d37295", "#8f3d5c", "triangle"),
    Label.COMMITMENT: NodeStyle("#ff9da7", "#b8505d", "diamond"),
    Label.INDICATOR: NodeStyle("#a0cbe8", "#4f7fa3", "hexagon"),
    Label.ASSESSMENT: NodeStyle("#d4a6c8", "#8c5f80", "triangleDown"),
}
"""Style per node label, in legend order."""

OTHER_STYLE = NodeStyle("#d3d3d3", "#808080", "dot")
"""Style of a node whose label is missing or not one of :data:`NODE_STYLES`."""

COMMITMENT_FILLS: dict[str, str] = {
    CommitmentStatus.OPEN: NODE_STYLES[Label.COMMITMENT].color,
    CommitmentStatus.DONE: "#ffffff",
    CommitmentStatus.DROPPED: "#d9d9d9",
}
"""Fill of a commitment by its status: open in its colour, done hollow, dropped grey."""

WARNING_COLOR = "#d62728"
"""Border of nodes with audit findings and of activities without an accountable actor."""


@dataclass(frozen=True)
class EdgeStyle:
    """Colour, width and dash pattern (empty = solid) of one kind of edge."""

    color: str
    width: float
    dashes: tuple[int, ...] = ()


EDGE_STYLES: dict[str, EdgeStyle] = {
    RelType.RESPONSIBLE_FOR: EdgeStyle("#333333", 2),
    RelType.ACCOUNTABLE_FOR: EdgeStyle("#1f3b73", 3.5),
    RelType.CONSULTED_ON: EdgeStyle("#666666", 1.5, (6, 4)),
    RelType.INFORMED_OF: EdgeStyle("#999999", 1, (2, 4)),
    # The others take the colour of the label they lead to or from, so the legend tells
    # a funding line from a chain link at a glance.
    RelType.CONCERNS: EdgeStyle("#76b7b2", 1.5),
    RelType.FUNDS: EdgeStyle("#2e7d32", 2.5),
    RelType.MANAGES: EdgeStyle("#e8732a", 2, (8, 3)),
    RelType.MEMBER_OF: EdgeStyle("#4e79a7", 1.5, (4, 3)),
    RelType.PRODUCES: EdgeStyle("#f28e2b", 2),
    RelType.SUPPLIES: EdgeStyle("#b07aa1", 2),
    RelType.SOLD_IN: EdgeStyle("#a88a1c", 2),
    RelType.FOCUSES_ON: EdgeStyle("#59a14f", 1.5, (6, 4)),
    RelType.IN_ZONE: EdgeStyle("#59a14f", 1),
    RelType.LOCATED_IN: EdgeStyle("#8cd17d", 1),
    RelType.ENFORCES: EdgeStyle("#9c755f", 1.5),
    RelType.GOVERNS: EdgeStyle("#9c755f", 1.5, (6, 4)),
    RelType.ASSESSES: EdgeStyle("#8c5f80", 1),
    RelType.AT_SENTRA: EdgeStyle("#d37295", 1.5),
    RelType.TOOK_PART_IN: EdgeStyle("#d37295", 1.5, (4, 3)),
    RelType.CARRIES_OUT: EdgeStyle("#d37295", 1.5, (8, 3)),
    RelType.COMMITTED: EdgeStyle("#e05a6a", 2),
    RelType.TO_ACTOR: EdgeStyle("#e05a6a", 1.5, (6, 4)),
    RelType.TO_SENTRA: EdgeStyle("#e05a6a", 1.5, (2, 4)),
    RelType.MADE_AT: EdgeStyle("#e05a6a", 1, (4, 3)),
    RelType.FOR_ACTIVITY: EdgeStyle("#e05a6a", 1.5, (8, 3)),
    RelType.OF_SENTRA: EdgeStyle("#4f7fa3", 1.5),
    RelType.OF_ZONE: EdgeStyle("#4f7fa3", 1.5, (6, 4)),
    RelType.OF_KECAMATAN: EdgeStyle("#4f7fa3", 1.5, (2, 4)),
    RelType.OF_ACTOR: EdgeStyle("#4f7fa3", 1.5, (4, 3)),
}
"""Style per relationship type, in legend order after the chart's four; a type not listed
(one a user wrote by hand) gets :data:`OTHER_EDGE_STYLE`."""

OTHER_EDGE_STYLE = EdgeStyle("#9a9a9a", 1)

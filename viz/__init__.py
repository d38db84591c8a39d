"""Draw the stakeholder graph as one self-contained, offline HTML page.

>>> import networkx as nx
>>> from kg.viz import render_html, subgraph
>>> graph = nx.MultiDiGraph()
>>> graph.add_node("s-malon", label="Sentra", name="Kampung Batik Malon")
>>> graph.add_node("a-1", label="Actor", name="Dinas Koperasi")
>>> graph.add_edge("a-1", "s-malon", type="MANAGES")
0
>>> page = render_html(subgraph(graph, sentra="s-malon"), view="network")
>>> page.nodes, page.relationships
(2, 1)

`subgraph` chooses what to draw, `render_html` returns the `Page`: its HTML and how many
nodes and relationships the view draws. Both raise `VizError`.
"""

from __future__ import annotations

from kg.errors import VizError

from .page import Page, View, render_html
from .selection import subgraph

__all__ = ["Page", "View", "VizError", "render_html", "subgraph"]

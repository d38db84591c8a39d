"""Draw the stakeholder graph as one self-contained, offline HTML page.

>>> from kg.viz import render_html, subgraph
>>> page = render_html(subgraph(graph, sentra="malon"), view="network")  # doctest: +SKIP

`subgraph` chooses what to draw, `render_html` returns the `Page`: its HTML and how many
nodes and relationships the view draws. Both raise `VizError`.
"""

from __future__ import annotations

from kg.errors import VizError

from .page import Page, View, render_html
from .selection import subgraph

__all__ = ["Page", "View", "VizError", "render_html", "subgraph"]

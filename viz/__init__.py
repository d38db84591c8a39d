"""Draw the stakeholder graph as one self-contained, offline HTML page.

>>> from kg.viz import render_html, subgraph
>>> page = render_html(subgraph(graph, sentra="malon"), view="network")  # doctest: +SKIP

`subgraph` chooses what to draw, `render_html` returns the page; both raise `VizError`.
"""

from __future__ import annotations

from kg.errors import VizError

from .page import View, render_html
from .selection import subgraph

__all__ = ["View", "VizError", "render_html", "subgraph"]

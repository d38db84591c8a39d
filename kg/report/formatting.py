"""How the brief writes a value: as text, escaped for the page, shortened to fit a
picture, a percentage as the reader's language writes it (numbers: ``kg.catalogue.number``),
a node by its name."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from kg.catalogue import number
from kg.output import cell

if TYPE_CHECKING:
    import networkx as nx


def as_text(value: Any) -> str:
    return "" if value is None else str(value)


def node_name(graph: nx.MultiDiGraph, node: str) -> str:
    return as_text(graph.nodes[node].get("name")) or node


def esc(value: Any) -> str:
    return html.escape(cell(value), quote=True)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def percent(share: float, lang: str) -> str:
    """A share as the reader's language writes a percentage.

    >>> percent(0.7, "en"), percent(0.125, "id")
    ('70%', '12%')
    """
    return f"{number(share * 100, lang)}%"

"""How the brief writes a value: as text, escaped for the page, shortened to fit a
picture, in rupiah or percent as the reader's language writes them, a node by its name."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from kg.output import cell

if TYPE_CHECKING:
    import networkx as nx


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _name(graph: nx.MultiDiGraph, node: str) -> str:
    return _text(graph.nodes[node].get("name")) or node


def _esc(value: Any) -> str:
    return html.escape(cell(value), quote=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _rupiah(amount: int, lang: str) -> str:
    grouped = f"{amount:,}"
    return grouped.replace(",", ".") if lang == "id" else grouped


def _percent(share: float, lang: str) -> str:
    text = f"{share:.0%}"
    return text.replace(".", ",") if lang == "id" else text


def number(value: float, lang: str) -> str:
    """A measured value as the reader's language writes it: whole numbers grouped, others
    to at most two decimals.

    >>> number(27.92, "en"), number(27.92, "id"), number(1500000.0, "id"), number(60.0, "en")
    ('27.92', '27,92', '1.500.000', '60')
    """
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")
    return text.translate(str.maketrans(",.", ".,")) if lang == "id" else text

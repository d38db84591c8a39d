"""One view of the graph drawn from a store: what ``kg viz`` writes and ``Session.viz`` shows.

The part drawn is chosen by node references (an id, a name, or a part of one, as
``kg.resolve`` reads them), and nodes with audit findings of a severity or worse are
marked; the page itself is ``kg.viz.render_html``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kg import audit
from kg.graph import to_networkx
from kg.queries import Severity
from kg.resolve import NodeEntry, resolve
from kg.schema.model import Label
from kg.store import Store
from kg.viz import Page, View, render_html, subgraph


def draw(
    store: Store,
    view: View = "network",
    *,
    around: str | None = None,
    depth: int = 1,
    zone: str | None = None,
    sentra: str | None = None,
    labels: Sequence[str] = (),
    highlight: Severity | None = None,
    physics: bool = True,
    max_nodes: int = 2000,
    lang: str = "en",
    as_of: date | None = None,
    nodes: Sequence[NodeEntry] | None = None,
) -> Page:
    """Draw ``view`` of the graph in ``store`` as one offline page (see ``kg.viz``).

    ``around`` (with ``depth`` hops), ``zone`` and ``sentra`` name nodes as ``kg.resolve``
    reads them and keep only their neighbourhood; ``labels`` keeps only nodes with those
    labels. ``highlight`` marks the nodes with audit findings of that severity or worse,
    the findings in their tooltips (in ``lang``, as the page). ``nodes`` is an index made
    by ``kg.resolve.node_index`` to reuse. Raises ``QueryError`` for a reference that
    names no node or several, ``VizError`` for a view too big to draw.
    """
    around, zone, sentra = (
        None if reference is None else resolve(store, reference, label, nodes)
        for reference, label in ((around, None), (zone, Label.ZONE), (sentra, Label.SENTRA))
    )
    graph = to_networkx(store)
    findings = None
    if highlight is not None:
        results = audit.run_audit(store, lang=lang)
        findings = audit.findings_by_node(
            [result for result in results if result.severity.rank >= highlight.rank]
        )
    part = subgraph(
        graph, around=around, depth=depth, labels=labels or None, zone=zone, sentra=sentra
    )
    return render_html(
        part,
        view=view,
        physics=physics,
        findings=findings,
        max_nodes=max_nodes,
        lang=lang,
        as_of=as_of,
    )

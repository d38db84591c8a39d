"""Issue 25's follow-up facts around Kampung Batik Malon, as a graph for kg.viz's tests.

Dated (the slider's days): the 2023 kiosk occupancy actual (known from 2023-12-31), a visit
and the promise made there (2024-03-05; done 2024-08-01, so open before that day), an
assessment of Disperin (2024-06-01), an engagement with a hostile title (2024-06-20), the
Temu Bisnis meeting and the regulation promised there (2024-09-12). Undated, so there on
every day: the 2024 occupancy target and a promise with no day.
"""

from __future__ import annotations

import networkx as nx

HOSTILE_TITLE = "<img src=x onerror=alert(2)><a href=x>Rapat</a>"

DATED = {
    "ind-malon-2023": "2023-12-31",
    "eng-visit": "2024-03-05",
    "com-promo": "2024-03-05",
    "assessment:disperin:2024-06-01": "2024-06-01",
    "eng-hostile": "2024-06-20",
    "eng-temu": "2024-09-12",
    "com-perwal": "2024-09-12",
}
"""Each dated node and the day from which it exists."""

UNDATED = {"ind-malon-2024-target", "com-undated"}


def add_followup(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Add the follow-up to a graph holding ``malon``, ``disperin`` and ``koperasi``."""
    nodes = {
        "eng-visit": {"label": "Engagement", "name": "Kunjungan ke Kampung Batik Malon",
                      "date": "2024-03-05", "kind": "visit"},
        "eng-hostile": {"label": "Engagement", "name": HOSTILE_TITLE, "date": "2024-06-20",
                        "kind": "meeting"},
        "eng-temu": {"label": "Engagement", "name": "Temu Bisnis batik Semarang",
                     "date": "2024-09-12", "kind": "matchmaking", "outcome": "3 kontrak"},
        "com-promo": {"label": "Commitment", "name": "Promosi batik Malon di Pasar Johar",
                      "madeOn": "2024-03-05", "due": "2024-06-30", "status": "done",
                      "doneOn": "2024-08-01"},
        "com-perwal": {"label": "Commitment", "name": "Menyusun perwal pengelolaan KIW",
                       "madeOn": "2024-09-12", "status": "open"},
        "com-undated": {"label": "Commitment", "name": "Pendampingan koperasi",
                        "status": "open"},
        "ind-malon-2023": {"label": "Indicator", "name": "kiosk_occupancy_pct",
                           "indicator": "kiosk_occupancy_pct", "period": "2023",
                           "periodEnd": "2023-12-31", "value": 60.0, "unit": "%",
                           "kind": "actual", "direction": "up"},
        "ind-malon-2024-target": {"label": "Indicator", "name": "kiosk_occupancy_pct",
                                  "indicator": "kiosk_occupancy_pct", "period": "2024",
                                  "periodEnd": "2024-12-31", "value": 75.0, "unit": "%",
                                  "kind": "target", "direction": "up"},
        "assessment:disperin:2024-06-01": {"label": "Assessment", "date": "2024-06-01",
                                           "influence": 5, "interest": 4},
    }
    for node, attrs in nodes.items():
        graph.add_node(node, **attrs)
    for source, kind, target in [
        ("eng-visit", "AT_SENTRA", "malon"),
        ("disperin", "TOOK_PART_IN", "eng-visit"),
        ("koperasi", "TOOK_PART_IN", "eng-visit"),
        ("eng-hostile", "AT_SENTRA", "malon"),
        ("eng-temu", "AT_SENTRA", "malon"),
        ("disperin", "TOOK_PART_IN", "eng-temu"),
        ("disperin", "COMMITTED", "com-promo"),
        ("com-promo", "TO_SENTRA", "malon"),
        ("com-promo", "MADE_AT", "eng-visit"),
        ("disperin", "COMMITTED", "com-perwal"),
        ("com-perwal", "MADE_AT", "eng-temu"),
        ("disperin", "COMMITTED", "com-undated"),
        ("com-undated", "TO_ACTOR", "koperasi"),
        ("ind-malon-2023", "OF_SENTRA", "malon"),
        ("ind-malon-2024-target", "OF_SENTRA", "malon"),
        ("assessment:disperin:2024-06-01", "ASSESSES", "disperin"),
    ]:
        graph.add_edge(source, target, key=kind, type=kind)
    return graph

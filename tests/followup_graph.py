"""tests/data/viz-followup, issue 25's follow-up around Kampung Batik Malon, as the graph
kg.viz draws: loaded by ``kg load`` and read back with ``to_networkx``.

Dated (the slider's days): the 2023 kiosk occupancy actual (known from 2023-12-31), a visit
and the promise made there (2024-03-05; done 2024-08-01, so open before that day), an
assessment of Disperin (2024-06-01), an engagement with a hostile title (2024-06-20), the
Temu Bisnis meeting and the regulation promised there (2024-09-12). Undated, so there on
every day: the 2024 occupancy target and a promise with no day (due ``Des 2024``).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.graph import to_networkx
from kg.store import StoreConfig, open_store

from .conftest import DATA, Kg

FOLLOWUP = DATA / "viz-followup"

HOSTILE_TITLE = "<img src=x onerror=alert(2)><a href=x>Rapat</a>"

ACTUAL_2023 = "indicator:malon:kiosk_occupancy_pct:2023:actual"
TARGET_2024 = "indicator:malon:kiosk_occupancy_pct:2024:target"

DATED = {
    ACTUAL_2023: "2023-12-31",
    "eng-visit": "2024-03-05",
    "com-promo": "2024-03-05",
    "assessment:disperin:2024-06-01": "2024-06-01",
    "eng-hostile": "2024-06-20",
    "eng-temu": "2024-09-12",
    "com-perwal": "2024-09-12",
}
"""Each dated node and the day from which it exists."""


def load_followup(store: Path) -> nx.MultiDiGraph:
    """Load the dataset into a new store at `store` and return its graph."""
    result = Kg(store)("load", str(FOLLOWUP))
    assert result.exit_code == 0, result.output
    with open_store(StoreConfig(path=store)) as opened:
        return to_networkx(opened)

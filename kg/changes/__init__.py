"""Change over time (issue 18), one job a module:

* ``baseline``: an audit against an earlier one (``kg audit --baseline OLD.json``), each
  finding new, unchanged or resolved (``AuditDelta``);
* ``graph_diff``: the difference between two graphs, datasets or stores (``kg diff``:
  ``GraphDiff``);
* ``what_if``: what a scenario would change, tried on a scratch copy of the store's graph
  (``kg whatif``: ``Scenario``, ``WhatIf``);
* ``critical``: the single points of failure (``kg analyze --critical``:
  ``CriticalActors``).

``graph_diff`` and ``what_if`` compare two audits through ``baseline``; ``critical``
stands alone. The names other modules import are re-exported here.
"""

from __future__ import annotations

from kg.changes.baseline import AuditDelta, Baseline, compare, read_baseline
from kg.changes.critical import WITHDRAWAL_CHECKS, CriticalActors, critical_actors
from kg.changes.graph_diff import GraphDiff, diff
from kg.changes.what_if import Scenario, WhatIf, parse_link, whatif

__all__ = [
    "WITHDRAWAL_CHECKS",
    "AuditDelta",
    "Baseline",
    "CriticalActors",
    "GraphDiff",
    "Scenario",
    "WhatIf",
    "compare",
    "critical_actors",
    "diff",
    "parse_link",
    "read_baseline",
    "whatif",
]

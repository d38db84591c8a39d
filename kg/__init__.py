"""sentra-kg: a stakeholder-graph knowledge base for the Sentra IKM of Kota Semarang.

The public API: every ``kg`` command is one of these functions, and the same function
serves from Python (a notebook, a script)::

    from pathlib import Path
    import kg

    config = kg.StoreConfig(path=Path("my-store"))
    with kg.open_store(config, write=True) as store:
        kg.load(store, [Path("my-dataset")])
    with kg.open_store(config) as store:
        for check in kg.run_audit(store, params={"occupancy_below": 0.5}):
            print(check.id, check.count)

In a notebook, ``kg.open`` keeps one store open for many questions (``kg.session``)::

    with kg.open("my-store") as kb:
        kb.raci(sentra="batik malon")

Names load on first use, so ``import kg`` stays cheap (networkx and pyvis load only
for the functions that need them).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from kg.analytics import StakeholderReport, stakeholder_report
    from kg.audit import AuditReport, CheckResult, Finding, run_audit
    from kg.chain import Chain, supply_chain
    from kg.changes.baseline import AuditDelta, read_baseline
    from kg.changes.baseline import compare as compare_audit
    from kg.changes.critical import CriticalActors, critical_actors
    from kg.changes.graph_diff import GraphDiff, diff
    from kg.changes.what_if import Scenario, WhatIf, whatif
    from kg.errors import (
        DatasetError,
        ExportError,
        KgError,
        Problem,
        QueryError,
        ResourceError,
        StoreError,
        VizError,
    )
    from kg.export import ExportResult, export_graph
    from kg.followup import Timeline, timeline
    from kg.graph import read_network, to_networkx
    from kg.loaders import LoadReport, load, read_dataset
    from kg.matchmaking import Suggestion, suggestions
    from kg.queries import query_table
    from kg.queries import run as run_query
    from kg.raci_chart import Chart, raci_chart
    from kg.report.brief import Brief, build_brief
    from kg.report.page import render_brief
    from kg.report.pdf import print_pdf
    from kg.schema.describe import schema_table
    from kg.session import Session, open
    from kg.stakeholders import StakeholderAssessment, assess_stakeholders
    from kg.stats import graph_counts
    from kg.store import QueryResult, Store, StoreConfig, open_store
    from kg.viz import Page, render_html, subgraph

_SOURCES: dict[str, tuple[str, str]] = {
    "AuditDelta": ("kg.changes.baseline", "AuditDelta"),
    "AuditReport": ("kg.audit", "AuditReport"),
    "Brief": ("kg.report.brief", "Brief"),
    "Chain": ("kg.chain", "Chain"),
    "Chart": ("kg.raci_chart", "Chart"),
    "CheckResult": ("kg.audit", "CheckResult"),
    "CriticalActors": ("kg.changes.critical", "CriticalActors"),
    "DatasetError": ("kg.errors", "DatasetError"),
    "ExportError": ("kg.errors", "ExportError"),
    "ExportResult": ("kg.export", "ExportResult"),
    "Finding": ("kg.audit", "Finding"),
    "GraphDiff": ("kg.changes.graph_diff", "GraphDiff"),
    "KgError": ("kg.errors", "KgError"),
    "LoadReport": ("kg.loaders", "LoadReport"),
    "Page": ("kg.viz", "Page"),
    "Problem": ("kg.errors", "Problem"),
    "QueryError": ("kg.errors", "QueryError"),
    "QueryResult": ("kg.store", "QueryResult"),
    "ResourceError": ("kg.errors", "ResourceError"),
    "Scenario": ("kg.changes.what_if", "Scenario"),
    "Session": ("kg.session", "Session"),
    "StakeholderAssessment": ("kg.stakeholders", "StakeholderAssessment"),
    "StakeholderReport": ("kg.analytics", "StakeholderReport"),
    "Store": ("kg.store", "Store"),
    "StoreConfig": ("kg.store", "StoreConfig"),
    "StoreError": ("kg.errors", "StoreError"),
    "Suggestion": ("kg.matchmaking", "Suggestion"),
    "Timeline": ("kg.followup", "Timeline"),
    "VizError": ("kg.errors", "VizError"),
    "WhatIf": ("kg.changes.what_if", "WhatIf"),
    "assess_stakeholders": ("kg.stakeholders", "assess_stakeholders"),
    "build_brief": ("kg.report.brief", "build_brief"),
    "compare_audit": ("kg.changes.baseline", "compare"),
    "critical_actors": ("kg.changes.critical", "critical_actors"),
    "diff": ("kg.changes.graph_diff", "diff"),
    "export_graph": ("kg.export", "export_graph"),
    "graph_counts": ("kg.stats", "graph_counts"),
    "load": ("kg.loaders", "load"),
    "open": ("kg.session", "open"),
    "open_store": ("kg.store", "open_store"),
    "print_pdf": ("kg.report.pdf", "print_pdf"),
    "render_brief": ("kg.report.page", "render_brief"),
    "query_table": ("kg.queries", "query_table"),
    "raci_chart": ("kg.raci_chart", "raci_chart"),
    "read_baseline": ("kg.changes.baseline", "read_baseline"),
    "read_dataset": ("kg.loaders", "read_dataset"),
    "render_html": ("kg.viz", "render_html"),
    "run_audit": ("kg.audit", "run_audit"),
    "read_network": ("kg.graph", "read_network"),
    "run_query": ("kg.queries", "run"),
    "schema_table": ("kg.schema.describe", "schema_table"),
    "stakeholder_report": ("kg.analytics", "stakeholder_report"),
    "subgraph": ("kg.viz", "subgraph"),
    "suggestions": ("kg.matchmaking", "suggestions"),
    "supply_chain": ("kg.chain", "supply_chain"),
    "timeline": ("kg.followup", "timeline"),
    "to_networkx": ("kg.graph", "to_networkx"),
    "whatif": ("kg.changes.what_if", "whatif"),
}
"""Public name -> (module, attribute): where each name of ``__all__`` is defined."""

__all__ = [
    "AuditDelta",
    "AuditReport",
    "Brief",
    "Chain",
    "Chart",
    "CheckResult",
    "CriticalActors",
    "DatasetError",
    "ExportError",
    "ExportResult",
    "Finding",
    "GraphDiff",
    "KgError",
    "LoadReport",
    "Page",
    "Problem",
    "QueryError",
    "QueryResult",
    "ResourceError",
    "Scenario",
    "Session",
    "StakeholderAssessment",
    "StakeholderReport",
    "Store",
    "StoreConfig",
    "StoreError",
    "Suggestion",
    "Timeline",
    "VizError",
    "WhatIf",
    "__version__",
    "assess_stakeholders",
    "build_brief",
    "compare_audit",
    "critical_actors",
    "diff",
    "export_graph",
    "graph_counts",
    "load",
    "open",
    "open_store",
    "print_pdf",
    "query_table",
    "raci_chart",
    "read_baseline",
    "read_dataset",
    "read_network",
    "render_brief",
    "render_html",
    "run_audit",
    "run_query",
    "schema_table",
    "stakeholder_report",
    "subgraph",
    "suggestions",
    "supply_chain",
    "timeline",
    "to_networkx",
    "whatif",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use (PEP 562)."""
    if name not in _SOURCES:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    module, attribute = _SOURCES[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

"""The knowledge base in a notebook or a script: one open store, every command a method.

::

    import kg

    with kg.open("my-store") as kb:          # or kg.open("neo4j+s://...")
        kb.query("sentra_actors", sentra="batik malon")
        kb.raci(sentra="KIW")
        kb.audit(occupancy_below=0.5)
        kb.viz(sentra="KIW")                 # the offline page, inline

The engine starts once, when the session opens, and stops when it closes (the end of the
``with`` block, or ``kb.close()``), so every question after the first is answered at
once. Nodes are named as in the CLI: an id, a name, or a part of one (``kg.resolve``).

Results are ``Result``s: in Jupyter they show as HTML tables (every value escaped), in a
terminal as text tables; ``to_pandas()`` makes a DataFrame (``pip install
'sentra-kg[notebook]'``), ``to_json()`` plain data. ``kb.viz()`` returns a ``Drawing``
that shows the page in an ``<iframe srcdoc>`` and saves it with ``save(path)``.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from kg import audit, bundled, queries
from kg.chain import supply_chain
from kg.errors import QueryError
from kg.followup import timeline
from kg.loaders import LoadReport, load
from kg.output import Report, Section, cell, render_report
from kg.queries import Severity
from kg.raci_chart import chart_table, raci_chart
from kg.resolve import NodeEntry, node_index, resolve, resolve_params
from kg.schema.model import Label
from kg.store import Store, StoreConfig, open_store, refuse_store_path

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from kg.viz import Page

NEO4J_SCHEMES = ("bolt://", "bolt+s://", "bolt+ssc://", "neo4j://", "neo4j+s://", "neo4j+ssc://")

ROWS_SHOWN = 200
"""Rows an HTML table shows at most; the rest are counted below it."""


class Table:
    """Rows under columns: what a query returns, as a ``Report`` of one table."""

    def __init__(self, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        self.columns = list(columns)
        self.rows = [list(row) for row in rows]

    def records(self) -> list[dict[str, Any]]:
        """The rows as dictionaries keyed by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_json(self) -> list[dict[str, Any]]:
        return self.records()

    def table(self) -> tuple[list[str], list[list[Any]]]:
        return self.columns, self.rows

    def sections(self) -> list[Section]:
        return [Section(columns=self.columns, rows=self.rows)]


class Result:
    """A command's result shown the way the place asks: HTML in Jupyter, text elsewhere.

    Attributes not defined here are the wrapped report's (``.rows``, ``.checks``,
    ``.paths``...).
    """

    def __init__(self, report: Report) -> None:
        self.report = report

    def __getattr__(self, name: str) -> Any:
        if name == "report":  # not set yet (a copy being made): no report to ask
            raise AttributeError(name)
        return getattr(self.report, name)

    def __repr__(self) -> str:
        return render_report(self.report, "table")

    def __len__(self) -> int:
        return len(self.report.table()[1])

    def to_json(self) -> Any:
        """Plain data, as ``--format json`` prints it."""
        return self.report.to_json()

    def to_pandas(self) -> pd.DataFrame:
        """The flat table (as ``--format csv`` writes it) as a pandas DataFrame."""
        try:
            import pandas as pd
        except ImportError as exc:
            raise ImportError("to_pandas needs pandas: pip install 'sentra-kg[notebook]'") from exc
        columns, rows = self.report.table()
        return pd.DataFrame([list(row) for row in rows], columns=list(columns))

    def _repr_html_(self) -> str:
        return "\n".join(_section_html(section) for section in self.report.sections())


def _section_html(section: Section) -> str:
    parts = []
    if section.title:
        parts.append(f"<h4>{html.escape(section.title)}</h4>")
    if section.columns:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in section.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell(v))}</td>" for v in row) + "</tr>"
            for row in section.rows[:ROWS_SHOWN]
        )
        parts.append(
            f'<table class="sentra-kg"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        )
        if len(section.rows) > ROWS_SHOWN:
            more = len(section.rows) - ROWS_SHOWN
            parts.append(f"<p>… {more:,} more rows (to_pandas() or to_json() has them all)</p>")
        elif not section.rows:
            parts.append("<p>(no rows)</p>")
    if section.items:
        parts.append(
            "<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in section.items) + "</ul>"
        )
    parts.extend(f"<p>{html.escape(note)}</p>" for note in section.notes if note)
    return "\n".join(parts)


class Drawing:
    """An offline page drawing part of the graph; shown inline in Jupyter."""

    def __init__(self, page: Page, height: int = 600, store: StoreConfig | None = None) -> None:
        self.page = page
        self.html = page.html
        self.height = height
        self.store = store
        """The store drawn from: ``save`` refuses to write into it."""

    def __repr__(self) -> str:
        return f"<Drawing: {self.page.nodes:,} nodes, {self.page.relationships:,} relationships>"

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8) and return the path.

        Raises ``ExportError`` when ``path`` lies in a store directory (this one or any
        other), as ``kg viz -o`` does: a page saved over ``graph.rdb`` would destroy it.
        """
        path = Path(path)
        refuse_store_path(path, self.store)
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        # srcdoc holds the whole page, escaped as an attribute value: nothing is fetched,
        # and the sandbox keeps the page's scripts away from the notebook's own page.
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
            f'style="width: 100%; height: {self.height}px; border: 0"></iframe>'
        )


class Session:
    """An open knowledge base; see the module docstring. Make one with ``kg.open``."""

    def __init__(self, config: StoreConfig, *, write: bool = False) -> None:
        self.config = config
        self.writable = write
        self._store: Store | None = open_store(config, write=write).__enter__()
        self._nodes: list[NodeEntry] | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "open" if self._store is not None else "closed"
        return f"<sentra-kg session on {self.config.display} ({state})>"

    def close(self) -> None:
        """Stop the engine (an embedded store's server) and release the store."""
        if self._store is not None:
            store, self._store = self._store, None
            store.__exit__(None, None, None)

    @property
    def store(self) -> Store:
        """The open store, for the library's functions (``kg.run_audit(kb.store)``)."""
        if self._store is None:
            raise QueryError("this session is closed: open another with kg.open(...)")
        return self._store

    def nodes(self) -> list[NodeEntry]:
        """Every node's id, label and name, read once per session (and after writes)."""
        if self._nodes is None:
            self._nodes = node_index(self.store)
        return self._nodes

    def resolve(self, reference: str, label: Label | str | None = None) -> str:
        """The id of the node ``reference`` names: an id, a name, or a part of one."""
        return resolve(self.store, reference, None if label is None else Label(label), self.nodes())

    def load(self, *paths: str | Path, replace: bool = False) -> LoadReport:
        """Validate and load a dataset (``kg load``); no ``paths``: the bundled one.

        Needs a session opened with ``write=True``; the data is saved when it closes.
        """
        if not self.writable:
            raise QueryError("this session is read-only: open it with kg.open(..., write=True)")
        with bundled.dataset_paths(tuple(str(path) for path in paths)) as resolved:
            report = load(self.store, resolved, replace=replace)
        self._nodes = None
        return report

    def query(self, name: str, **params: Any) -> Result:
        """Run the named query ``name``; parameters typed by a label take names too."""
        query = queries.get(name)
        result = self.store.run(query.text, resolve_params(self.store, query, params, self.nodes()))
        return Result(Table(result.columns, result.rows))

    def cypher(self, text: str, **params: Any) -> Result:
        """Run Cypher ``text`` with ``params`` (as ``$name``); a change needs ``write=True``."""
        if self.writable:
            result = self.store.execute(text, params)
            self._nodes = None
        else:
            result = self.store.run(text, params)
        return Result(Table(result.columns, result.rows))

    def audit(
        self,
        checks: Sequence[str] = (),
        *,
        lang: str = "en",
        as_of: datetime.date | str | None = None,
        **thresholds: Any,
    ) -> Result:
        """Run the audit (``checks`` only, if given) as of a day (a date or
        ``"2025-06-30"``; default today); thresholds by name, as ``occupancy_below=0.5``."""
        return Result(audit.audit_report(self.store, checks, thresholds, lang, as_of))

    def chain(self, commodity: str, *, up: bool = False, max_depth: int = 10) -> Result:
        """The supply-chain paths from ``commodity``, downstream (or ``up``stream)."""
        start = self.resolve(commodity, Label.COMMODITY)
        return Result(supply_chain(self.store, start, downstream=not up, max_depth=max_depth))

    def raci(self, sentra: str | None = None) -> Result:
        """The responsibility chart (activities by actors), of one sentra if given."""
        if sentra is not None:
            sentra = self.resolve(sentra, Label.SENTRA)
        return Result(Table(*chart_table(raci_chart(self.store, sentra), by_id=False)))

    def timeline(
        self, sentra: str | None = None, *, as_of: datetime.date | None = None, lang: str = "en"
    ) -> Result:
        """The plan by phase, then engagements and commitments by month, as of a day
        (today if not given), of one sentra if given."""
        if sentra is not None:
            sentra = self.resolve(sentra, Label.SENTRA)
        return Result(timeline(self.store, sentra, as_of, lang))

    def match(self, sentra: str | None = None) -> Result:
        """Business matchmaking suggestions, for one sentra if given."""
        from kg import matchmaking

        if sentra is not None:
            sentra = self.resolve(sentra, Label.SENTRA)
        return Result(matchmaking.MatchReport(matchmaking.suggestions(self.store, sentra)))

    def analyze(self, top: int = 10) -> Result:
        """The stakeholder analysis (``kg analyze``): brokers, structural holes, isolates."""
        from kg.analytics import stakeholder_report
        from kg.graph import read_network

        return Result(stakeholder_report(read_network(self.store), top))

    def critical(self, top: int = 10, lang: str = "en") -> Result:
        """The single points of failure (``kg analyze --critical``)."""
        from kg.changes import critical_actors

        return Result(critical_actors(self.store, top, lang))

    def graph(self) -> nx.MultiDiGraph:
        """The whole graph as a networkx ``MultiDiGraph`` (see ``kg.graph``)."""
        from kg.graph import to_networkx

        return to_networkx(self.store)

    def viz(
        self,
        view: str = "network",
        *,
        around: str | None = None,
        depth: int = 1,
        zone: str | None = None,
        sentra: str | None = None,
        labels: Sequence[str] = (),
        highlight_gaps: bool | str = False,
        physics: bool = True,
        max_nodes: int = 2000,
        height: int = 600,
        as_of: date | None = None,
        lang: str = "en",
    ) -> Drawing:
        """Draw the graph (or the part chosen as ``kg viz`` chooses it) as an offline page;
        with dated facts, its time slider starts on ``as_of`` (default: their last day).

        ``highlight_gaps`` is ``kg viz --highlight-gaps``: a severity (``"warning"``) marks
        the nodes with findings of that severity or worse, ``True`` those with errors.
        """
        from kg.views import draw

        highlight = (
            None
            if highlight_gaps is False
            else Severity.ERROR
            if highlight_gaps is True
            else Severity(highlight_gaps)
        )
        page = draw(
            self.store,
            view,  # type: ignore[arg-type]  # render_html refuses an unknown view
            around=around,
            depth=depth,
            zone=zone,
            sentra=sentra,
            labels=labels,
            highlight=highlight,
            physics=physics,
            max_nodes=max_nodes,
            lang=lang,
            as_of=as_of,
            nodes=self.nodes(),
        )
        return Drawing(page, height, self.config)


def open(
    target: str | Path | None = None,
    *,
    write: bool = False,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
) -> Session:
    """Open the knowledge base at ``target``: a store directory, or a Neo4j URI.

    Without ``target``, ``KG_STORE`` or ``NEO4J_URI`` (as the CLI reads them). Neo4j
    credentials default to ``NEO4J_USERNAME`` and ``NEO4J_PASSWORD``. ``write=True``
    lets ``cypher`` change the graph (and holds the embedded store exclusively).

    Use it as a context manager, or call ``close()``: the engine runs until then.
    """
    text = str(target) if target is not None else None
    if text is not None and text.startswith(NEO4J_SCHEMES):
        config = StoreConfig.from_env(uri=text, user=user, password=password, database=database)
    else:
        config = StoreConfig.from_env(
            path=Path(text) if text is not None else None,
            user=user,
            password=password,
            database=database,
        )
        if text is not None:  # a directory named here wins over NEO4J_URI
            config = dataclasses.replace(config, uri=None)
    return Session(config, write=write)

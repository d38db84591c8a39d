"""Supply chains: the paths from raw materials to products and markets, and back."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from kg import queries
from kg.catalogue import say, words
from kg.errors import QueryError
from kg.output import Section
from kg.resolve import resolve
from kg.schema.model import Label
from kg.store import Store

MAX_PATHS = 1000
"""Paths listed at most; a dense supply web can have more than anyone can read."""


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    stage: str | None
    producers: list[str]
    markets: list[str]


@dataclass(frozen=True)
class Chain:
    """The simple paths from ``start``; ``truncated`` when ``MAX_PATHS`` cut the list."""

    start: str
    downstream: bool
    paths: list[list[str]]
    steps: dict[str, Step]
    truncated: bool
    lang: str = "en"
    """The language of ``sections`` (``kg.catalogue``); JSON and CSV keep the data's words."""

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "direction": "downstream" if self.downstream else "upstream",
            "paths": self.paths,
            "truncated": self.truncated,
            "steps": {k: asdict(v) for k, v in sorted(self.steps.items())},
        }

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """One row per step of every path."""
        columns = ["path", "step", "commodity", "name", "stage", "producers", "markets"]
        rows = []
        for number, path in enumerate(self.paths, start=1):
            for position, node in enumerate(path, start=1):
                step = self.steps[node]
                rows.append(
                    [number, position, step.id, step.name, step.stage, step.producers,
                     step.markets]
                )
        return columns, rows

    def sections(self) -> list[Section]:
        """The paths by name, numbered (for the terminal only), then the table."""
        arrow = " -> " if self.downstream else " <- "
        drawn = [
            f"{number}. " + arrow.join(self.steps[n].name for n in path)
            for number, path in enumerate(self.paths, start=1)
        ]
        columns, rows = self.table()
        stages = words(self.lang, "stages")
        stage = columns.index("stage")
        for row in rows:
            row[stage] = stages.get(row[stage], row[stage])
        return [Section(notes=drawn, text_only=True), Section(columns=columns, rows=rows)]


def supply_chain(
    store: Store,
    commodity: str,
    *,
    downstream: bool = True,
    max_depth: int = 10,
    lang: str = "en",
) -> Chain:
    """Follow SUPPLIES from ``commodity`` (an id or a name; see ``kg.resolve``),
    downstream or upstream, up to ``max_depth``; ``lang`` words the text report.

    Links are fetched one level at a time and every path is kept simple (no commodity
    twice), so cycles in SUPPLIES end a path instead of looping.
    """
    if max_depth < 0:
        raise QueryError(say("refusals.negative_depth", option="--max-depth"))
    commodity = resolve(store, commodity, Label.COMMODITY)
    query = queries.get("supply_downstream" if downstream else "supply_upstream")
    nexts: dict[str, list[str]] = {}
    frontier, seen = [commodity], {commodity}
    for _ in range(max_depth):
        if not frontier:
            break
        rows = query.run(store, {"ids": frontier}).rows
        frontier = []
        for upstream, downstream_id in rows:
            here, there = (upstream, downstream_id) if downstream else (downstream_id, upstream)
            nexts.setdefault(here, []).append(there)
            if there not in seen:
                seen.add(there)
                frontier.append(there)
    steps = {
        row["id"]: Step(
            row["id"], row["name"], row["stage"], sorted(row["producers"]), sorted(row["markets"])
        )
        for row in queries.run(store, "commodity_context", {"ids": sorted(seen)}).records()
    }
    paths, truncated = _simple_paths(commodity, nexts, max_depth)
    return Chain(commodity, downstream, paths, steps, truncated, lang)


def _simple_paths(
    start: str, nexts: dict[str, list[str]], max_depth: int
) -> tuple[list[list[str]], bool]:
    paths: list[list[str]] = []
    stack: list[list[str]] = [[start]]
    while stack:
        path = stack.pop()
        options = [n for n in nexts.get(path[-1], []) if n not in path]
        if not options or len(path) > max_depth:
            paths.append(path)
            if len(paths) >= MAX_PATHS:
                return sorted(paths), bool(stack)
            continue
        stack.extend([*path, n] for n in sorted(options, reverse=True))
    return sorted(paths), False


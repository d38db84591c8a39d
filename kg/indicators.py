"""Indicators over time: each indicator's actual values beside its targets, as known on a
day (an actual counts from the end of its period; a target is a plan, known all along)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from kg import queries
from kg.store import Store


@dataclass(frozen=True)
class IndicatorPoint:
    """A value of an indicator for one period (a year ``2023`` or a day)."""

    period: str
    period_end: str
    value: float


@dataclass(frozen=True)
class IndicatorSeries:
    """One indicator of one subject: its actuals and its targets, by period."""

    indicator: str
    unit: str | None
    direction: str
    """``up``: higher is better; ``down``: lower is."""
    actuals: list[IndicatorPoint] = field(default_factory=list)
    targets: list[IndicatorPoint] = field(default_factory=list)

    def missed(self, actual: IndicatorPoint) -> bool | None:
        """Whether ``actual`` falls short of the target for its period (worse in the
        series' direction); None when that period has no target.

        >>> series = IndicatorSeries("share", "%", "up", [IndicatorPoint("2023", "2023-12-31",
        ...     27.9)], [IndicatorPoint("2023", "2023-12-31", 28.7)])
        >>> series.missed(series.actuals[0])
        True
        """
        for target in self.targets:
            if target.period_end == actual.period_end:
                worse = actual.value > target.value if self.direction == "down" else (
                    actual.value < target.value)
                return worse
        return None


def indicator_series(
    store: Store, as_of: datetime.date, subject: str | None = None
) -> list[IndicatorSeries]:
    """The indicators of the node whose id is ``subject``, or of the whole area (those
    naming no subject) when None, as known on ``as_of``; by indicator key."""
    rows: dict[str, list[dict[str, Any]]] = {}
    params = {"as_of": as_of.isoformat(), "subject": subject}
    for row in queries.run(store, "indicator_series", params).records():
        rows.setdefault(row["indicator"], []).append(row)
    return [
        IndicatorSeries(
            indicator=key,
            unit=next((row["unit"] for row in given if row["unit"]), None),
            direction=given[0]["direction"],
            actuals=[_point(row) for row in given if row["kind"] != "target"],
            targets=[_point(row) for row in given if row["kind"] == "target"],
        )
        for key, given in rows.items()
    ]


def _point(row: dict[str, Any]) -> IndicatorPoint:
    return IndicatorPoint(str(row["period"]), row["period_end"], float(row["value"]))

"""The days behind the time sliders, of ``kg viz``'s pages and of ``kg serve``'s network
canvas (the one rule both read): from when each drawn fact exists, and until when a
closed commitment was still open.

An engagement exists from its ``date``, a commitment from the day it was made
(``madeOn``), an assessment from its ``date``, an indicator's actual from the last day of
its period (``periodEnd``); every other node (a target, an undated commitment, an actor)
exists on every day. A commitment ``done`` or ``dropped`` on ``doneOn`` was still open
before that day (issue 25, "as of a day D").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kg.schema.model import CommitmentStatus, IndicatorKind, Label

DATED_BY: dict[str, str] = {
    Label.ENGAGEMENT: "date",
    Label.COMMITMENT: "madeOn",
    Label.ASSESSMENT: "date",
    Label.INDICATOR: "periodEnd",
}
"""The property holding the day from which a node of each label exists."""


def known_from(attrs: Mapping[str, Any]) -> str | None:
    """The day (ISO) from which the node with these attributes exists; None for every day.

    >>> known_from({"label": "Engagement", "date": "2024-05-14"})
    '2024-05-14'
    >>> known_from({"label": "Indicator", "kind": "target", "periodEnd": "2023-12-31"}) is None
    True
    """
    label = attrs.get("label")
    if label not in DATED_BY:
        return None
    if label == Label.INDICATOR and attrs.get("kind") != IndicatorKind.ACTUAL:
        return None  # a target is a plan, known before its period ends
    return iso_day(attrs.get(DATED_BY[label]))


def closed_on(attrs: Mapping[str, Any]) -> str | None:
    """The day a commitment was done or dropped, before which it was open; else None.

    >>> closed_on({"label": "Commitment", "status": "done", "doneOn": "2024-07-01"})
    '2024-07-01'
    >>> closed_on({"label": "Commitment", "status": "open"}) is None
    True
    """
    if attrs.get("label") != Label.COMMITMENT or attrs.get("status") == CommitmentStatus.OPEN:
        return None
    return iso_day(attrs.get("doneOn"))


def iso_day(value: Any) -> str | None:
    """A day as ``YYYY-MM-DD``, from ISO text or a ``date``; None for anything else."""
    if isinstance(value, date):
        return date(value.year, value.month, value.day).isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Timeline:
    """The slider's range: the days the dated facts span, and where it starts."""

    first: str
    last: str
    start: str
    days: list[str]
    """Each day some drawn fact is dated, in order (the slider's tick marks)."""

    def to_json(self) -> dict[str, Any]:
        return {"first": self.first, "last": self.last, "start": self.start, "days": self.days}


def timeline(days: Iterable[str | None], as_of: date | None = None) -> Timeline | None:
    """The slider over `days` (None = undated), starting at `as_of` or else the last day.

    The range grows to hold `as_of` when it lies outside the facts' span. No dated fact,
    no slider (None).

    >>> slider = timeline(["2024-05-14", None, "2023-01-02"])
    >>> slider.first, slider.last, slider.start, slider.days
    ('2023-01-02', '2024-05-14', '2024-05-14', ['2023-01-02', '2024-05-14'])
    >>> timeline([None], date(2024, 1, 1)) is None
    True
    """
    dated = sorted({day for day in days if day is not None})
    if not dated:
        return None
    start = as_of.isoformat() if as_of is not None else dated[-1]
    return Timeline(min(dated[0], start), max(dated[-1], start), start, dated)

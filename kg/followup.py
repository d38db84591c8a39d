"""The plan and the follow-up as of a day: what ``kg timeline`` shows (``timeline``), and
the parts of it the meeting brief reads (``planned_activities``, ``engagements``,
``commitments``).

The plan is the activities, grouped by phase (phases naming years in order, then the
others, then activities without a phase), each with its status on the day, its dates,
its accountable actors and whether it is overdue. The follow-up is the engagements held
up to the day and the commitments made up to it, by month: an engagement by the month it
was held, a commitment by the month it is due (those without a due date last).

"As of a day" follows the data's rules (the queries ``timeline_activities``,
``timeline_engagements`` and ``timeline_commitments`` apply them): what happened after the
day has not happened yet, so an activity completed later was not done, a commitment done
later was open, and a later engagement or commitment is not there at all.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from kg import queries
from kg.catalogue import catalogue, say
from kg.errors import QueryError
from kg.output import Section
from kg.resolve import resolve
from kg.schema.model import Label
from kg.store import Store

Named = tuple[str, str]
"""A node as the timeline names it: its id and its name (the id when it has none)."""


@dataclass(frozen=True)
class TimelineActivity:
    """An activity of the plan as it stood on the day."""

    id: str
    name: str
    phase: str | None
    phase_years: tuple[int, int] | None
    """The first and last year its phase names, when it names any."""
    started: str | None
    due: str | None
    completed: str | None
    """When it was done or cancelled, if it was by the day."""
    status: str | None
    """planned, ongoing, done or cancelled on the day; None: unknown."""
    overdue: bool
    accountable: list[Named]
    sentra: list[str]
    """Names of the sentra it concerns."""


@dataclass(frozen=True)
class TimelineEngagement:
    """An engagement held by the day."""

    id: str
    name: str
    date: str
    kind: str | None
    outcome: str | None
    sentra: list[str]
    actors: list[str]
    """Names of the participants."""
    activity: Named | None


@dataclass(frozen=True)
class TimelineCommitment:
    """A commitment made by the day, as it stood then."""

    id: str
    name: str
    made_on: str | None
    due: str | None
    status: str
    """open, done or dropped on the day."""
    done_on: str | None
    overdue: bool
    by: Named
    to: Named | None
    engagement: str | None
    activity: Named | None


@dataclass(frozen=True)
class Timeline:
    """The plan and the follow-up of every sentra, or of one, as of a day."""

    as_of: datetime.date
    sentra: Named | None
    activities: list[TimelineActivity]
    """Grouped by phase (``phases``), in the groups by due date."""
    engagements: list[TimelineEngagement]
    commitments: list[TimelineCommitment]
    lang: str = "en"
    """The language of ``sections``; JSON and CSV keep the data's words."""

    def phases(self) -> list[tuple[str | None, list[TimelineActivity]]]:
        """The activities grouped by phase, in order (None: no phase)."""
        groups: dict[str | None, list[TimelineActivity]] = {}
        for activity in self.activities:
            groups.setdefault(activity.phase, []).append(activity)
        return list(groups.items())

    def months(self) -> list[tuple[str | None, list[TimelineEngagement],
                                   list[TimelineCommitment]]]:
        """Per month (``YYYY-MM``) its engagements and the commitments due in it, months in
        order; last (None) the commitments without a due date."""
        months: dict[str | None, tuple[list[TimelineEngagement], list[TimelineCommitment]]] = {}
        for engagement in self.engagements:
            months.setdefault(engagement.date[:7], ([], []))[0].append(engagement)
        for commitment in self.commitments:
            month = commitment.due[:7] if commitment.due else None
            months.setdefault(month, ([], []))[1].append(commitment)
        return [
            (month, *months[month])
            for month in sorted(months, key=lambda m: (m is None, m or ""))
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "sentra": None if self.sentra is None else _named(self.sentra),
            "activities": [
                {**asdict(a), "accountable": [_named(n) for n in a.accountable],
                 "phase_years": None if a.phase_years is None else list(a.phase_years)}
                for a in self.activities
            ],
            "engagements": [
                {**asdict(e), "activity": _named(e.activity) if e.activity else None}
                for e in self.engagements
            ],
            "commitments": [
                {**asdict(c), "by": _named(c.by), "to": _named(c.to) if c.to else None,
                 "activity": _named(c.activity) if c.activity else None}
                for c in self.commitments
            ],
        }

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """One row per activity, engagement and commitment, told apart by ``item``."""
        columns = ["item", "id", "name", "phase", "month", "kind", "date", "started", "due",
                   "completed", "status", "overdue", "actors", "to", "sentra"]
        rows: list[list[Any]] = [
            ["activity", a.id, a.name, a.phase, None, None, None, a.started, a.due,
             a.completed, a.status, a.overdue, [name for _, name in a.accountable], None,
             a.sentra]
            for a in self.activities
        ]
        for month, engagements, commitments in self.months():
            rows.extend(
                ["engagement", e.id, e.name, None, month, e.kind, e.date, None, None, None,
                 None, None, e.actors, None, e.sentra]
                for e in engagements
            )
            rows.extend(
                ["commitment", c.id, c.name, None, month, None, c.made_on, None, c.due,
                 c.done_on, c.status, c.overdue, [c.by[1]], c.to[1] if c.to else None, None]
                for c in commitments
            )
        return columns, rows

    def sections(self) -> list[Section]:
        """A title, a section per phase, a section per month; words in ``lang``."""
        words = catalogue(self.lang)
        w = words["timeline"]
        day = self.as_of.isoformat()
        title = (w["title_sentra"].format(sentra=self.sentra[1], as_of=day)
                 if self.sentra else w["title"].format(as_of=day))
        found = [Section(title=title, document=True), Section(title=title, text_only=True)]
        if not (self.activities or self.engagements or self.commitments):
            return [*found, Section(notes=[w["nothing"].format(as_of=day)])]
        found.extend(self._phase(phase, activities, words)
                     for phase, activities in self.phases())
        if not self.activities:
            found.append(Section(notes=[w["no_activities"]]))
        found.extend(self._month(month, e, c, words) for month, e, c in self.months())
        if not (self.engagements or self.commitments):
            found.append(Section(notes=[w["no_follow_up"].format(as_of=day)]))
        return found

    def _phase(self, phase: str | None, activities: list[TimelineActivity],
               words: Mapping[str, Any]) -> Section:
        w, statuses = words["timeline"], words["activity_statuses"]
        overdue = sum(a.overdue for a in activities)
        count = w["activities"][0 if len(activities) == 1 else 1].format(n=len(activities))
        if overdue:
            count += ", " + w["overdue_count"].format(n=overdue)
        name = w["phase"].format(phase=phase) if phase else w["no_phase"]
        return Section(
            title=f"{name}: {count}",
            columns=[w["columns"][c] for c in ("activity", "status", "started", "due",
                                               "completed", "accountable", "overdue")],
            rows=[
                [a.name, statuses.get(a.status or "unknown", a.status), a.started, a.due,
                 a.completed, ", ".join(name for _, name in a.accountable) or w["nobody"],
                 w["overdue"] if a.overdue else ""]
                for a in activities
            ],
        )

    def _month(self, month: str | None, engagements: list[TimelineEngagement],
               commitments: list[TimelineCommitment], words: Mapping[str, Any]) -> Section:
        w = words["timeline"]
        rows: list[list[Any]] = [
            [e.date, words["engagement_kinds"].get(e.kind or "", e.kind or ""), e.name,
             ", ".join(e.actors), ", ".join(e.sentra), "", ""]
            for e in engagements
        ]
        rows.extend(
            [c.due or "", w["commitment_due" if c.due else "commitment"], c.name,
             c.by[1], c.to[1] if c.to else "", words["commitment_statuses"][c.status],
             w["overdue"] if c.overdue else ""]
            for c in commitments
        )
        return Section(
            title=month_name(month, self.lang) if month else w["undated"],
            columns=[w["columns"][c] for c in ("date", "item", "name", "who", "for",
                                               "status", "overdue")],
            rows=rows,
        )


def _named(node: Named) -> dict[str, str]:
    return {"id": node[0], "name": node[1]}


def month_name(month: str, lang: str) -> str:
    """``YYYY-MM`` as the reader's language writes a month.

    >>> month_name("2025-03", "en"), month_name("2025-03", "id")
    ('March 2025', 'Maret 2025')
    """
    year, number = month.split("-")
    return f"{catalogue(lang)['timeline']['months'][int(number) - 1]} {year}"


def timeline(
    store: Store,
    sentra: str | None = None,
    as_of: datetime.date | None = None,
    lang: str = "en",
) -> Timeline:
    """The plan and the follow-up of every sentra, or of ``sentra``, as of a day.

    Parameters
    ----------
    store : Store
        The store to read.
    sentra : str, optional
        A sentra, by id or name (``kg.resolve``): only the activities concerning it, the
        engagements at it, and the commitments promised to it, made at an engagement there
        or for an activity concerning it.
    as_of : datetime.date, optional
        The day; today when not given.
    lang : {"en", "id"}
        The language of the text and Markdown report.

    Raises
    ------
    QueryError
        If ``sentra`` names no sentra, or several.
    """
    day = as_of or datetime.date.today()
    scope = None if sentra is None else resolve(store, sentra, Label.SENTRA)
    return Timeline(
        as_of=day,
        sentra=None if scope is None else (scope, _sentra_name(store, scope)),
        activities=planned_activities(store, day, scope),
        engagements=engagements(store, day, scope),
        commitments=commitments(store, day, scope),
        lang=lang,
    )


def _sentra_name(store: Store, sentra: str) -> str:
    properties = queries.run(store, "node_properties", {"id": sentra}).rows
    name = dict(properties[0][1]).get("name") if properties else None
    return str(name or sentra)


def planned_activities(
    store: Store, as_of: datetime.date, sentra: str | None = None
) -> list[TimelineActivity]:
    """The activities (those concerning the sentra whose id is ``sentra``) as they stood
    on ``as_of``, grouped by phase as ``Timeline.activities`` are."""
    found = [
        TimelineActivity(
            id=row["activity"],
            name=row["name"] or row["activity"],
            phase=row["phase"],
            phase_years=(None if row["phase_from"] is None
                         else (int(row["phase_from"]), int(row["phase_to"]))),
            started=row["started"],
            due=row["due"],
            completed=row["completed"],
            status=row["status"],
            overdue=bool(row["overdue"]),
            accountable=sorted(zip(row["accountable"], _names(row["accountable_names"],
                                                             row["accountable"]), strict=True),
                               key=lambda actor: actor[1].casefold()),
            sentra=sorted(row["sentra_names"]),
        )
        for row in queries.run(
            store, "timeline_activities", {"as_of": as_of.isoformat(), "sentra": sentra}
        ).records()
    ]
    return sorted(found, key=_plan_order)


def _plan_order(activity: TimelineActivity) -> tuple[Any, ...]:
    years = activity.phase_years
    return (
        activity.phase is None, years is None, years or (0, 0), activity.phase or "",
        activity.due is None, activity.due or "", activity.name.casefold(), activity.id,
    )


def _names(names: list[str | None], ids: list[str]) -> list[str]:
    return [name or node for name, node in zip(names, ids, strict=True)]


def _node(node: str | None, name: str | None) -> Named | None:
    """A node a row names by id and name, if it names one."""
    return None if node is None else (node, name or node)


def engagements(
    store: Store, as_of: datetime.date, sentra: str | None = None,
    since: datetime.date | None = None,
) -> list[TimelineEngagement]:
    """The engagements held on or before ``as_of`` (and on or after ``since``), at the
    sentra whose id is ``sentra`` or anywhere, earliest first."""
    params = {"as_of": as_of.isoformat(), "sentra": sentra,
              "since": None if since is None else since.isoformat()}
    return [
        TimelineEngagement(
            id=row["engagement"],
            name=row["name"] or row["engagement"],
            date=row["date"],
            kind=row["kind"],
            outcome=row["outcome"],
            sentra=sorted(row["sentra_names"]),
            actors=sorted(row["actor_names"], key=str.casefold),
            activity=_node(row["activity"], row["activity_name"]),
        )
        for row in queries.run(store, "timeline_engagements", params).records()
    ]


def commitments(
    store: Store, as_of: datetime.date, sentra: str | None = None, *, open_only: bool = False
) -> list[TimelineCommitment]:
    """The commitments made on or before ``as_of`` (or undated) as they stood then,
    concerning the sentra whose id is ``sentra`` or any; ``open_only``: those still open.
    By due date, those without one last."""
    params = {"as_of": as_of.isoformat(), "sentra": sentra, "open_only": open_only}
    return [
        TimelineCommitment(
            id=row["commitment"],
            name=row["name"] or row["commitment"],
            made_on=row["made_on"],
            due=row["due"],
            status=row["status"],
            done_on=row["done_on"],
            overdue=bool(row["overdue"]),
            by=(row["by"], row["by_name"] or row["by"]),
            to=_node(row["to"], row["to_name"]),
            engagement=row["engagement"],
            activity=_node(row["activity"], row["activity_name"]),
        )
        for row in queries.run(store, "timeline_commitments", params).records()
    ]


_PERIOD = re.compile(r"\s*(?P<n>\d+)\s*(?P<unit>[dwmy])\s*", re.IGNORECASE)
_DAYS = {"d": 1, "w": 7}
_MONTHS = {"m": 1, "y": 12}


def since_day(as_of: datetime.date, period: str) -> datetime.date:
    """The first day of the ``period`` ending on ``as_of``: ``180d``, ``8w``, ``12m``
    or ``2y`` back (a month back from the 31st lands on the month's last day).

    >>> day = datetime.date(2026, 3, 31)
    >>> since_day(day, "12m"), since_day(day, "1m"), since_day(day, "180d")
    (datetime.date(2025, 3, 31), datetime.date(2026, 2, 28), datetime.date(2025, 10, 2))

    Raises
    ------
    QueryError
        If ``period`` is not a number followed by d, w, m or y.
    """
    match = _PERIOD.fullmatch(period)
    if match is None:
        raise QueryError(
            f"period {period!r}: expected a number and d, w, m or y (180d, 8w, 12m, 2y)"
        )
    n, unit = int(match.group("n")), match.group("unit").lower()
    if unit in _DAYS:
        return as_of - datetime.timedelta(days=n * _DAYS[unit])
    months = as_of.year * 12 + as_of.month - 1 - n * _MONTHS[unit]
    year, month = divmod(months, 12)
    if year < datetime.MINYEAR:
        raise QueryError(say("refusals.before_year_one", period=period))
    last = (datetime.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
            - datetime.timedelta(days=1)).day
    return datetime.date(year, month + 1, min(as_of.day, last))

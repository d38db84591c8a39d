"""The Linear Responsibility Chart (RACI) read back from the graph."""

from __future__ import annotations

from dataclasses import dataclass

from kg import queries
from kg.catalogue import numeral, say
from kg.errors import QueryError
from kg.output import Section
from kg.resolve import resolve
from kg.schema.model import RELATIONSHIP_ROLES, Label, Role
from kg.store import Store

_ORDER = list(Role)

MAX_CELLS = 10_000_000
"""The largest chart written as a matrix (activities x actors). The national benchmark's
chart would be 600,000 activities by 219,000 actors: `kg raci` grew past 4.6 GiB in ten
minutes without finishing; one sentra's chart is a few dozen cells."""


@dataclass(frozen=True)
class Chart:
    """Rows are activities, columns actors, cells the roles (``"R/A"``)."""

    activities: list[tuple[str, str]]
    actors: list[tuple[str, str]]
    cells: dict[tuple[str, str], list[Role]]

    def cell(self, activity: str, actor: str) -> str:
        return "/".join(role.value for role in self.cells.get((activity, actor), []))


def raci_chart(store: Store, sentra: str | None = None) -> Chart:
    """The chart of every activity (or those concerning ``sentra``, an id or a name)."""
    if sentra is not None:
        sentra = resolve(store, sentra, Label.SENTRA)
    activities: dict[str, str] = {}
    actors: dict[str, str] = {}
    cells: dict[tuple[str, str], list[Role]] = {}
    for row in queries.run(store, "raci_chart", {"sentra": sentra}).records():
        activities[row["activity"]] = row["activity_name"]
        if row["actor"] is None:
            continue
        actors[row["actor"]] = row["actor_name"]
        roles = cells.setdefault((row["activity"], row["actor"]), [])
        roles.append(RELATIONSHIP_ROLES[row["relation"]])
        roles.sort(key=_ORDER.index)
    return Chart(sorted(activities.items()), sorted(actors.items()), cells)


def chart_table(chart: Chart, *, by_id: bool) -> tuple[list[str], list[list[str]]]:
    """The chart in ``raci.csv``'s matrix shape; ``by_id`` heads columns with ids.
    Raises ``QueryError`` for a chart of more than ``MAX_CELLS`` cells."""
    cells = len(chart.activities) * len(chart.actors)
    if cells > MAX_CELLS:
        raise QueryError(say("refusals.chart_too_large", activities=numeral(len(chart.activities)),
                             actors=numeral(len(chart.actors)), cells=numeral(cells),
                             most=numeral(MAX_CELLS)))
    columns = ["activity", *(a if by_id else name for a, name in chart.actors)]
    rows = [
        [t if by_id else name, *(chart.cell(t, a) for a, _ in chart.actors)]
        for t, name in chart.activities
    ]
    return columns, rows


def numbered_chart(chart: Chart) -> Section:
    """The chart for a terminal: actors' columns headed by numbers, a legend below.

    Example
    -------
    >>> chart = Chart([("t-1", "Relokasi")], [("a-1", "Disperin"), ("a-2", "LPPSP")],
    ...               {("t-1", "a-1"): [Role.R, Role.A]})
    >>> section = numbered_chart(chart)
    >>> section.columns, section.rows
    (['activity', '1', '2'], [['Relokasi', 'R/A', '']])
    >>> section.notes
    ['', '1  Disperin (a-1)', '2  LPPSP (a-2)']
    """
    columns, rows = chart_table(chart, by_id=False)
    numbers = [str(number) for number in range(1, len(chart.actors) + 1)]
    legend = [
        f"{number.rjust(len(numbers[-1]))}  {name} ({actor})"
        for number, (actor, name) in zip(numbers, chart.actors, strict=True)
    ]
    return Section(columns=[columns[0], *numbers], rows=rows, notes=["", *legend])

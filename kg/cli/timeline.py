"""``kg timeline``: the plan by phase, then engagements and commitments by month."""

from __future__ import annotations

import datetime

import click

from kg.cli.app import (
    as_of_option,
    cli,
    echo,
    fitted_tables,
    lang_option,
    output_format,
    store_for,
    table_width,
)
from kg.followup import timeline
from kg.output import render_report


@cli.command("timeline")
@click.option("--sentra", help="Only this sentra (an id or a name).")
@as_of_option("The day the timeline is read as of (default: today): later engagements and "
              "commitments are left out, later completions not yet counted.")
@output_format()
@lang_option("Language of the headings, statuses and kinds.")
@fitted_tables
@click.pass_context
def timeline_command(
    ctx: click.Context, sentra: str | None, as_of: datetime.date | None, fmt: str, lang: str
) -> None:
    """Show the plan and the follow-up as of a day.

    \b
    First the activities grouped by phase, each with its status on the day, its dates,
    its accountable actors, and OVERDUE when its due date has passed and it was not
    done or cancelled; then, month by month, the engagements held and the commitments
    due, each commitment with who owes it, its status on the day and OVERDUE when still
    open after its due date. JSON and CSV keep the data's words and English keys.
    """
    with store_for(ctx) as store:
        report = timeline(store, sentra, as_of, lang)
    echo(render_report(report, fmt, table_width(), lang))

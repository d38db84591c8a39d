"""``kg stakeholders``: the power/interest grid, salience and structural influence."""

from __future__ import annotations

from datetime import date

import click

from kg import audit
from kg.cli.app import as_of_option, cli, echo, lang_option, output_format, store_for
from kg.output import render_report


@cli.command("stakeholders")
@as_of_option(
    "Use each actor's latest assessment made on or before this day (default: its latest)."
)
@click.option(
    "--high-from",
    type=click.IntRange(1, 5),
    default=audit.thresholds()["high_from"].default,
    show_default=True,
    help="A rating (1-5) at least this is high.",
)
@output_format("table", "json", "csv", "markdown")
@lang_option("Language of strategies, classes and the text report.")
@click.pass_context
def stakeholders_command(
    ctx: click.Context, as_of: date | None, high_from: int, fmt: str, lang: str
) -> None:
    """Stakeholder assessment: per actor its influence and interest (latest assessment),
    quadrant and engagement strategy, salience class (Mitchell, Agle & Wood 1997),
    structural influence on the graph with its rank, and where the two disagree.

    \b
    Quadrants (high = rating >= --high-from): manage_closely (influence and interest
    high), keep_satisfied (influence high), keep_informed (interest high), monitor
    (both low), unknown (not assessed). Salience from power, legitimacy, urgency:
    dormant, discretionary, demanding, dominant, dangerous, dependent, definitive;
    none (no attribute), unknown (one not given). Mismatch: rated_low_but_central
    (influence low, structural rank in the top tenth) or rated_high_but_isolated
    (influence high, no tie at all).
    """
    # networkx loads slowly; only the commands that analyse import it.
    from kg.stakeholders import assess_stakeholders

    with store_for(ctx) as store:
        report = assess_stakeholders(store, as_of, high_from, lang)
    echo(render_report(report, fmt, lang=lang))

"""Change over time: ``kg diff`` (two graphs) and ``kg whatif`` (a scenario on a copy)."""

from __future__ import annotations

import click

from kg import changes
from kg.catalogue import say, words
from kg.cli.app import cli, echo, fail_on_option, lang_option, output_format, store_for
from kg.output import render_report


@cli.command("diff")
@click.argument("a")
@click.argument("b")
@output_format("table", "json", "markdown")
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when A and B differ (as `git diff --exit-code`)."
)
@lang_option("Language of the report's words and the audit's messages.")
@click.pass_context
def diff_command(ctx: click.Context, a: str, b: str, fmt: str, exit_code: bool, lang: str) -> None:
    """Compare two graphs: nodes, properties and relationships added, removed and changed,
    the responsibility chart's changes in words, and B's audit against A's.

    A and B are each a dataset (a folder, a workbook or a bundled dataset's name),
    read into a throwaway store, or an embedded store directory, opened read-only.
    """
    result = changes.diff(a, b, lang)
    for warning in result.audit.warnings:
        echo(words(lang, "changes")["warning"].format(text=warning), err=True)
    echo(render_report(result, fmt, lang=lang))
    if exit_code and result.differ:
        ctx.exit(1)


@cli.command("whatif")
@click.option(
    "--without",
    "without",
    multiple=True,
    metavar="ID",
    help="Remove this node and its relationships (repeatable).",
)
@click.option(
    "--without-link",
    "without_links",
    multiple=True,
    metavar="FROM,TYPE,TO",
    help="Remove this relationship (repeatable; for FUNDS every grant between the two).",
)
@click.option(
    "--with-link",
    "with_links",
    multiple=True,
    metavar="FROM,TYPE,TO",
    help="Add this relationship, checked as a row of links.csv (repeatable).",
)
@click.option(
    "--with-role",
    "with_roles",
    multiple=True,
    metavar="ACTIVITY,ACTOR,LETTER",
    help="Give ACTOR the role LETTER (R, A, C or I) for ACTIVITY, checked as a row "
    "of responsibilities.csv (repeatable).",
)
@click.option(
    "--analyze",
    is_flag=True,
    help="Also show the components the scenario splits and the brokers it loses.",
)
@output_format("table", "json", "markdown", "csv")
@fail_on_option("Exit 1 when the scenario causes a new finding of this severity or worse.")
@lang_option("Language of titles and messages.")
@click.pass_context
def whatif_command(
    ctx: click.Context,
    without: tuple[str, ...],
    without_links: tuple[str, ...],
    with_links: tuple[str, ...],
    with_roles: tuple[str, ...],
    analyze: bool,
    fmt: str,
    fail_on: str,
    lang: str,
) -> None:
    """Try a scenario on a copy of the graph, never saved, and show the audit it would
    give against the store's: findings new, unchanged or resolved.

    The embedded engine works on a copy of the graph in its memory (dropped at the
    end, and never written to the store); Neo4j inside a transaction that is rolled back.
    """
    scenario = changes.Scenario(
        without=without,
        without_links=tuple(changes.parse_link(t, "--without-link") for t in without_links),
        with_links=tuple(changes.parse_link(t, "--with-link") for t in with_links),
        with_roles=tuple(changes.parse_link(t, "--with-role") for t in with_roles),
    )
    if scenario == changes.Scenario():
        raise click.UsageError(say("refusals.name_a_change"))
    with store_for(ctx) as store:
        result = changes.whatif(store, scenario, analyze=analyze, lang=lang)
    echo(render_report(result, fmt, lang=lang))
    if result.audit.failed(fail_on):
        ctx.exit(1)

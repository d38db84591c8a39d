"""The analysts' commands: each parses, calls one library function, renders the result."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from kg import audit, bundled, changes, export, queries, stats
from kg.catalogue import in_language, number, numeral, say, words
from kg.chain import supply_chain
from kg.cli.app import (
    OutputPath,
    ProgressPrinter,
    as_of_option,
    cli,
    echo,
    fail_on_option,
    fitted_tables,
    lang_option,
    output_format,
    parse_params,
    query_params,
    store_for,
    table_width,
    workbook_lang_option,
)
from kg.loaders import dataset_bytes, load
from kg.output import Report, render, render_report
from kg.queries import Severity
from kg.raci_chart import chart_table, numbered_chart, raci_chart
from kg.resolve import resolve_params
from kg.schema import model as schema_model
from kg.schema.describe import schema_table


@cli.command("load")
@click.argument("paths", nargs=-1)
@click.option(
    "--merge",
    is_flag=True,
    help="Keep the dataset's earlier content beside the new (default: a dataset the "
    "store already holds is replaced by its new content).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Empty the whole store first, every dataset in it.",
)
@click.option(
    "--sources-optional",
    is_flag=True,
    help="Load rows citing sources the dataset does not declare (a dataset without its "
    "sources table): one warning names them, instead of a problem per source.",
)
@lang_option("Language of the problems reported and of the summary.")
@click.pass_context
def load_command(
    ctx: click.Context, paths: tuple[str, ...], merge: bool, replace: bool,
    sources_optional: bool, lang: str,
) -> None:
    """Validate and load a dataset (folders of CSV files, YAML files, .xlsx workbooks,
    CSV files of one table each, named after the table in English or Indonesian:
    actors.csv or aktor.csv).

    PATHS default to the bundled dataset 'semarang'; several PATHS form one dataset.
    Every file is validated first; any problem is reported with its file, row and
    field, and nothing is written. Headers and values may be English or Indonesian
    (kg template --lang id writes the Indonesian form).

    \b
    A dataset is known by its name (dataset.yaml's name, else the folder's or
    workbook's name). Loading one the store already holds replaces its earlier
    content: changed rows replace the old ones, deleted rows' relationships go, and
    nodes no other dataset states go. Other datasets in the store stay.
    """
    if merge and replace:
        raise click.UsageError(in_language(say("cli.merge_and_replace"), lang))
    progress = ProgressPrinter(lang)
    started = time.monotonic()
    with bundled.dataset_paths(paths) as resolved, store_for(ctx, write=True) as store:
        size = sum(dataset_bytes(path) for path in resolved)
        if size > 10 * 2**20:  # validation alone takes a while: say so before it starts
            echo(in_language(say("cli.validating", size=numeral(size / 2**20)), lang),
                 err=True)
        report = load(store, resolved, replace=replace, merge=merge, progress=progress,
                      sources_optional=sources_optional)
        location = store.location
    progress.finish()
    seconds = time.monotonic() - started
    for warning in report.warnings:
        echo(in_language(say("cli.warning", message=warning), lang), err=True)
    echo(in_language(say(
        "cli.loaded", dataset=report.dataset, location=location,
        replaced=say("cli.replaced") if replace else "", nodes=numeral(report.nodes),
        relationships=numeral(report.relationships), seconds=numeral(seconds, 1, fixed=True),
    ), lang))
    for key, done in (("cli.node_changes", report.node_changes),
                      ("cli.relationship_changes", report.relationship_changes)):
        echo(in_language(say(key, added=numeral(done.added), changed=numeral(done.changed),
                             removed=numeral(done.removed)), lang))
    echo(render(*counts_for_people(report.labels, report.types, "table", lang), "table",
                lang=lang))


@cli.command("stats")
@output_format()
@lang_option("Language of the table's headings and of errors.")
@fitted_tables
@click.pass_context
def stats_command(ctx: click.Context, fmt: str, lang: str) -> None:
    """Count nodes per label and relationships per type."""
    with store_for(ctx) as store:
        labels, types = stats.graph_counts(store)
    echo(render(*counts_for_people(labels, types, fmt, lang), fmt, table_width(), lang))


PEOPLE_FORMATS = frozenset({"table", "markdown"})
"""Formats people read: their words are in the command's language (JSON and CSV keep the
English names, which scripts rely on)."""


def counts_for_people(
    labels: dict[str, int], types: dict[str, int], fmt: str, lang: str
) -> tuple[list[str], list[list[Any]]]:
    """``stats.count_table`` with, in a format people read, each kind, label and type
    named in ``lang`` (the catalogue's ``[cli]``, ``[labels]`` and ``[relations]``)."""
    columns, rows = stats.count_table((labels, types))
    if fmt not in PEOPLE_FORMATS or lang == "en":
        return columns, rows
    names = {"node": words(lang, "labels"), "relationship": words(lang, "relations")}
    kinds = words(lang, "cli")
    return columns, [[kinds[kind], names[kind].get(name, name), count]
                     for kind, name, count in rows]


@cli.command("schema")
@output_format()
@lang_option("Language of the table's headings.")
@fitted_tables
def schema_command(fmt: str, lang: str) -> None:
    """Show the labels, their properties, and the allowed relationships."""
    echo(render(*schema_table(), fmt, table_width(), lang))


@cli.command("queries")
@click.option(
    "--all",
    "include_internal",
    is_flag=True,
    help="Also list the queries the library and the loader use internally.",
)
@output_format()
@lang_option("Language of the table's headings.")
@fitted_tables
def queries_command(include_internal: bool, fmt: str, lang: str) -> None:
    """List the analysts' named queries with their parameters."""
    echo(render(*queries.query_table(include_internal), fmt, table_width(), lang))


@cli.command("query")
@click.argument("name")
@query_params
@output_format()
@lang_option("Language of errors, such as a name not found and the names it suggests.")
@fitted_tables
@click.pass_context
def query_command(
    ctx: click.Context, name: str, params: tuple[str, ...], fmt: str, lang: str
) -> None:
    """Run the named query NAME (any that `kg queries --all` lists).

    A parameter typed by a label (`kg queries` shows `sentra: Sentra`) takes an id or a name.
    """
    query = queries.get(name)
    values = parse_params(params)
    query.bind(values)  # a wrong parameter is refused before the store opens
    with store_for(ctx) as store:
        result = store.run(query.text, resolve_params(store, query, values))
    echo(render(result.columns, result.rows, fmt, table_width()))


@cli.command("cypher")
@click.argument("text")
@query_params
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
@output_format()
@lang_option("Language of errors.")
@fitted_tables
@click.pass_context
def cypher_command(
    ctx: click.Context, text: str, params: tuple[str, ...], write: bool, fmt: str, lang: str
) -> None:
    """Run raw Cypher TEXT, read-only unless --write.

    Pass values as parameters (-p name=value, used as $name), never inside TEXT.
    """
    with store_for(ctx, write=write) as store:
        bound = parse_params(params)
        result = store.execute(text, bound) if write else store.run(text, bound)
    echo(render(result.columns, result.rows, fmt, table_width()))


def threshold_option[G: Callable[..., Any]](
    param: str, flag: str, kind: click.ParamType[Any] | type, text: str
) -> Callable[[G], G]:
    """An audit threshold: ``flag`` sets the checks' parameter ``param``, whose default
    its query header declares (``audit.thresholds``)."""
    return click.option(
        flag,
        param,
        type=kind,
        default=None,
        help=f"{text}  [default: {audit.thresholds()[param].default}]",
    )


@cli.command("audit")
@click.option(
    "--check",
    "only",
    multiple=True,
    metavar="ID",
    help="Run only this check (repeatable); ids: " + ", ".join(audit.check_ids()),
)
@output_format("table", "json", "markdown", "csv", "xlsx")
@fitted_tables
@click.option(
    "-o",
    "--output",
    type=OutputPath(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of the screen (required for xlsx: a "
    "findings sheet with filters and a summary sheet).",
)
@fail_on_option("Exit 1 when a finding of this severity or worse is found.")
@threshold_option("occupancy_below", "--occupancy-below", float,
                  "Report sentra whose kiosk occupancy is below this.")
@threshold_option("government_share", "--government-share-at-least", float,
                  "Report sentra whose APBD+APBN funding share is at least this.")
@threshold_option("high_from", "--high-from", click.IntRange(1, 5),
                  "A rating (1-5) at least this is high: actor.key_not_engaged reports actors "
                  "rated high on influence and interest.")
@threshold_option("max_accountable", "--max-accountable", click.IntRange(0),
                  "Report actors Accountable (A) for more activities than this.")
@threshold_option("max_responsible", "--max-responsible", click.IntRange(0),
                  "Report actors Responsible (R) for more activities than this.")
@threshold_option("max_responsible_per_activity", "--max-responsible-per-activity",
                  click.IntRange(0),
                  "Report activities with more Responsible (R) actors than this.")
@threshold_option("max_consulted", "--max-consulted", click.IntRange(0),
                  "Report activities with more Consulted (C) actors than this.")
@threshold_option("engaged_within_days", "--engaged-within-days", click.IntRange(0),
                  "sentra.not_engaged and actor.key_not_met report sentra and key actors "
                  "with no engagement in this many days up to the day audited.")
@as_of_option("Audit as of this day: facts dated after it (engagements, commitments, "
              "assessments, actuals) do not count yet; due dates before it are past.  "
              "[default: today]")
@lang_option("Language of titles and messages.")
@click.option(
    "--baseline",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An earlier `kg audit --format json`: mark each finding new or unchanged, list "
    "those no longer found as resolved; --fail-on then counts only new findings.",
)
@click.pass_context
def audit_command(
    ctx: click.Context,
    /,
    only: tuple[str, ...],
    fmt: str,
    output: Path | None,
    fail_on: str,
    lang: str,
    baseline: Path | None,
    as_of: date | None,
    **thresholds: float | None,
) -> None:
    """Find gaps in the management of the sentra (checks listed in `kg queries`).

    Checks run side by side, one per CPU core (at least two); KG_AUDIT_THREADS sets
    how many.
    """
    if fmt == "xlsx" and output is None:
        raise click.UsageError(say("refusals.xlsx_needs_output"))
    if fmt == "xlsx" and baseline is not None:
        raise click.UsageError(say("refusals.baseline_formats"))
    past = changes.read_baseline(baseline) if baseline is not None else None
    params = {name: value for name, value in thresholds.items() if value is not None}
    with store_for(ctx) as store:
        report = audit.audit_report(store, only, params, lang, as_of)
    delta = (
        changes.compare(past, report.checks, lang, report.as_of) if past is not None else None
    )
    for warning in delta.warnings if delta is not None else []:
        echo(words(lang, "changes")["warning"].format(text=warning), err=True)
    shown: Report = report if delta is None else delta
    if fmt == "xlsx":
        from kg.audit_workbook import write_audit_workbook

        assert output is not None  # checked above
        write_audit_workbook(report.checks, output, lang)
        echo(words(lang, "written")["audit_workbook"].format(
            path=output,
            findings=number(sum(check.count for check in report.checks), lang),
            checks=number(len(report.checks), lang),
        ))
    elif output is not None:
        try:
            output.write_text(render_report(shown, fmt, lang=lang) + "\n", encoding="utf-8")
        except OSError as exc:
            raise export.cannot_write(output, exc) from exc
    else:
        echo(render_report(shown, fmt, table_width(), lang))
    if delta.failed(fail_on) if delta is not None else audit.failed(report.checks, fail_on):
        ctx.exit(1)


@cli.command("chain")
@click.argument("commodity")
@click.option("--up", "upstream", is_flag=True, help="Follow the chain upstream (to inputs).")
@click.option("--down", "downstream", is_flag=True, help="Follow it downstream (default).")
@click.option(
    "--max-depth",
    type=click.IntRange(0, 100),
    default=10,
    show_default=True,
    help="Longest path, in SUPPLIES steps.",
)
@output_format()
@lang_option("Language of the table's headings and stages.")
@fitted_tables
@click.pass_context
def chain_command(
    ctx: click.Context,
    commodity: str,
    upstream: bool,
    downstream: bool,
    max_depth: int,
    fmt: str,
    lang: str,
) -> None:
    """List supply-chain paths from COMMODITY (an id or a name), with producers, zones and
    markets."""
    if upstream and downstream:
        raise click.UsageError(say("refusals.up_or_down"))
    with store_for(ctx) as store:
        chain = supply_chain(
            store, commodity, downstream=not upstream, max_depth=max_depth, lang=lang
        )
    echo(render_report(chain, fmt, table_width(), lang))
    if chain.truncated and fmt != "json":  # the JSON document says so itself
        echo(words(lang, "chain")["truncated"], err=True)


@cli.command("raci")
@click.option("--sentra", help="Only activities concerning this sentra (an id or a name).")
@output_format("table", "csv", "markdown")
@lang_option("Language of the table's headings.")
@fitted_tables
@click.pass_context
def raci_command(ctx: click.Context, sentra: str | None, fmt: str, lang: str) -> None:
    """Print the responsibility chart (rows: activities, columns: actors).

    On a terminal the actors' columns are numbered, with a legend below; piped, with
    --wide and in Markdown they are headed by the actors' names. CSV output uses ids
    and is the matrix shape `kg load` reads as raci.csv.
    """
    with store_for(ctx) as store:
        chart = raci_chart(store, sentra)
    width = table_width()
    if fmt == "table" and width is not None:
        section = numbered_chart(chart)
        echo(render(section.columns, section.rows, fmt, width, lang))
        echo("\n".join(section.notes))
        return
    columns, rows = chart_table(chart, by_id=fmt == "csv")
    echo(render(columns, rows, fmt, lang=lang))


@cli.command("analyze")
@click.option(
    "--critical",
    is_flag=True,
    help="Instead: the single points of failure, the --top actors ranked by the new error "
    "findings their withdrawal would cause (kg whatif --without ID shows them one by one).",
)
@click.option(
    "--top",
    type=click.IntRange(1),
    default=10,
    show_default=True,
    help="Actors listed, by betweenness.",
)
@click.option(
    "--business",
    "business_kinds",
    multiple=True,
    type=click.Choice([kind.value for kind in schema_model.ActorKind]),
    metavar="KIND",
    help="Actor kind counted as business in brokerage (repeatable).  [default: "
    + ", ".join(sorted(schema_model.BUSINESS_KINDS)) + "]",
)
@output_format("table", "json", "csv")
@lang_option("Language of the report's text.")
@fitted_tables
@click.pass_context
def analyze_command(
    ctx: click.Context,
    top: int,
    business_kinds: tuple[str, ...],
    fmt: str,
    lang: str,
    critical: bool,
) -> None:
    """Stakeholder analysis: brokers, structural holes, isolates, RACI coverage.

    Per actor: degree, betweenness, Burt's constraint and effective size (networkx),
    and brokerage between government actors (kinds government, legislature) and
    business actors (by default kinds business, association and finance: firms and
    those standing with them; --business sets others), with the pairs each broker lies
    between; then connected components, isolated nodes, and per sentra how many actors
    hold each RACI role.
    """
    if critical:
        with store_for(ctx) as store:
            ranked = changes.critical_actors(store, top, lang=lang)
        echo(render_report(ranked, fmt, table_width(), lang))
        return
    # networkx and pyvis load slowly; only the commands that draw or analyse import them.
    from kg import analytics
    from kg.graph import read_network

    with store_for(ctx) as store:
        network = read_network(store)
    report = analytics.stakeholder_report(
        network, top, business_kinds or schema_model.BUSINESS_KINDS, lang
    )
    echo(render_report(report, fmt, table_width(), lang))


@cli.command("match")
@click.option("--sentra", help="Only suggestions for this sentra (an id or a name).")
@output_format()
@lang_option("Language of the kinds of partner and the reasons.")
@fitted_tables
@click.pass_context
def match_command(ctx: click.Context, sentra: str | None, fmt: str, lang: str) -> None:
    """Business matchmaking (Temu Bisnis): partners each sentra is not yet linked to.

    Suppliers of its inputs, buyers of its products, markets its products reach
    downstream, trainers and funders active at other sentra, and finance actors for
    sentra funded only by the government; each with the path that justifies it and a
    score (weight x number of justifying paths).
    """
    from kg import matchmaking

    with store_for(ctx) as store:
        report = matchmaking.MatchReport(matchmaking.suggestions(store, sentra), lang)
    echo(render_report(report, fmt, table_width(), lang))


@cli.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(export.FORMATS)),
    required=True,
    help="; ".join(f"{name}: {text}" for name, text in export.FORMATS.items()) + ".",
)
@click.option(
    "-o",
    "--output",
    type=OutputPath(path_type=Path),
    required=True,
    help="File to write (a directory for csv; FILE.xlsx for xlsx).",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="Let a directory export (csv) replace files already in the directory.",
)
@workbook_lang_option(
    "Language of the messages, and of an xlsx workbook's sheets, headers and values "
    "(default: messages in English, the workbook in Indonesian; either form loads)."
)
@click.pass_context
def export_command(
    ctx: click.Context, fmt: str, output: Path, overwrite: bool, lang: str | None
) -> None:
    """Export the whole graph for other tools, or as a dataset to load elsewhere."""
    from kg.graph import to_networkx

    with store_for(ctx) as store:
        graph = to_networkx(store)
    result = export.export_graph(graph, fmt, output, lang or "id", overwrite=overwrite)
    message = (say("cli.wrote_files", count=len(result.files), path=output)
               if fmt in export.DIRECTORY_FORMATS else
               say("cli.wrote_graph", nodes=numeral(result.nodes),
                   relationships=numeral(result.relationships), path=output))
    echo(in_language(message, lang or "en"))


@cli.command("template")
@click.option(
    "-o",
    "--output",
    type=OutputPath(dir_okay=False, path_type=Path),
    required=True,
    help="Workbook to write (FILE.xlsx).",
)
@workbook_lang_option(
    "Language of the workbook's sheet names, column headers, drop-down values, notes and "
    "instructions (default: Indonesian), and of what the command says (default: English). "
    "Either form loads."
)
@click.option("--example", is_flag=True, help="Fill the sheets with the bundled Semarang data.")
def template_command(output: Path, lang: str | None, example: bool) -> None:
    """Write an Excel workbook to fill in, then load with `kg load FILE.xlsx`.

    One sheet per table with notes on every column and drop-down lists, and an
    instructions sheet. Loaded unchanged it gives an empty graph.
    """
    with bundled.dataset_paths(()) as paths:
        result = export.write_template(output, lang or "id", paths if example else ())
    message = (say("cli.wrote_example", path=output, nodes=numeral(result.nodes),
                   relationships=numeral(result.relationships))
               if example else say("cli.wrote_template", path=output))
    echo(in_language(message, lang or "en"))


@cli.command("viz")
@click.option(
    "-o",
    "--output",
    type=OutputPath(dir_okay=False, path_type=Path),
    default=Path("sentra-kg.html"),
    show_default=True,
    help="HTML file to write.",
)
@click.option(
    "--view",
    type=click.Choice(["network", "chain", "raci", "grid"]),
    default="network",
    show_default=True,
    help="network: everything; chain: supply chains left to "
    "right; raci: actors and activities with R/A/C/I edges; grid: the power/interest "
    "grid of the latest stakeholder assessments (kg stakeholders), the filters aside.",
)
@click.option(
    "--around", metavar="NODE", help="Only nodes within --depth hops of this node (id or name)."
)
@click.option(
    "--depth", type=click.IntRange(0), default=1, show_default=True, help="Hops from --around."
)
@click.option("--zone", metavar="ZONE", help="Only this zone, its kecamatan and sentra.")
@click.option("--sentra", metavar="SENTRA", help="Only this sentra and its neighbourhood.")
@click.option(
    "--label",
    "labels",
    multiple=True,
    metavar="LABEL",
    help="Only nodes with this label (repeatable).",
)
@click.option(
    "--highlight-gaps",
    "highlight",
    type=click.Choice([severity.value for severity in Severity]),
    is_flag=False,
    flag_value=Severity.ERROR.value,
    default=None,
    help="Draw nodes with audit findings of this severity or worse in a warning style, "
    "the findings in their tooltips; alone it means error (warnings mark most nodes).",
)
@click.option("--no-physics", is_flag=True, help="Place nodes at once, without simulation.")
@as_of_option(
    "Start the time slider on this day (when the graph holds dated engagements, "
    "commitments, assessments or indicator actuals; default: the last of their days); "
    "with --view grid, place each actor by its latest assessment on or before it."
)
@click.option(
    "--max-nodes",
    type=click.IntRange(1),
    default=2000,
    show_default=True,
    help="Refuse to draw more nodes than this (filter instead).",
)
@lang_option(
    "Language of the page: en or id (Bahasa Indonesia)."
)
@click.pass_context
def viz_command(
    ctx: click.Context,
    output: Path,
    view: str,
    around: str | None,
    depth: int,
    zone: str | None,
    sentra: str | None,
    labels: tuple[str, ...],
    highlight: str | None,
    no_physics: bool,
    as_of: date | None,
    max_nodes: int,
    lang: str,
) -> None:
    """Draw the network as one self-contained HTML page that works offline."""
    if view == "grid":
        from kg.stakeholders import assess_stakeholders, grid_page

        with store_for(ctx) as store:
            assessment = assess_stakeholders(store, as_of, lang=lang)
        grid = grid_page(assessment)
        output.write_text(grid.html, encoding="utf-8")
        echo(words(lang, "written")["grid"].format(
            path=output, placed=number(grid.nodes, lang),
            unassessed=number(len(assessment.rows) - grid.nodes, lang),
        ))
        return
    from kg.views import draw

    with store_for(ctx) as store:
        page = draw(
            store,
            view,  # type: ignore[arg-type]  # click.Choice has checked it
            around=around,
            depth=depth,
            zone=zone,
            sentra=sentra,
            labels=labels,
            highlight=None if highlight is None else Severity(highlight),
            physics=not no_physics,
            max_nodes=max_nodes,
            lang=lang,
            as_of=as_of,
        )
    output.write_text(page.html, encoding="utf-8")
    written = words(lang, "written")
    marked = (
        written["marked"].format(
            marked=number(page.marked, lang), severity=words(lang, "report")[highlight]
        )
        if highlight is not None
        else ""
    )
    echo(
        written["view"].format(
            path=output,
            view=view,
            view_name=words(lang, "viz.views")[view],
            nodes=number(page.nodes, lang),
            relationships=number(page.relationships, lang),
        )
        + marked
    )

"""``kg report``: the meeting brief as one printable HTML page, or a PDF."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from kg.catalogue import number, words
from kg.cli.app import OutputPath, as_of_option, cli, echo, lang_option, store_for
from kg.export import cannot_write


@cli.command("report")
@click.option(
    "-o",
    "--output",
    type=OutputPath(dir_okay=False, path_type=Path),
    required=True,
    help="File to write: brief.html, or brief.pdf with --pdf.",
)
@lang_option(
    "Language of the brief: en or id (Bahasa Indonesia)."
)
@click.option(
    "--sentra",
    "sentra",
    multiple=True,
    metavar="ID",
    help="Describe only this sentra, by id or name (repeatable); default: every sentra.",
)
@click.option("--title", help="Title of the brief (default: the catalogue's).")
@as_of_option("The day the brief is for (default: today): its findings, plan, open "
              "commitments and indicators as they stood then.")
@click.option(
    "--since",
    default="12m",
    show_default=True,
    metavar="PERIOD",
    help="List the engagements of this period before --as-of: a number and d, w, m or y "
    "(180d, 8w, 12m, 2y).",
)
@click.option(
    "--max-sentra",
    type=click.IntRange(1),
    default=50,
    show_default=True,
    help="Refuse to describe more sentra than this unless --sentra names them.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="An earlier `kg audit --format json` output: the brief adds which findings are "
    "new, unchanged and resolved since.",
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Print the brief to PDF with the system's Chromium (package 'chromium').",
)
@click.pass_context
def report_command(
    ctx: click.Context,
    output: Path,
    lang: str,
    sentra: tuple[str, ...],
    title: str | None,
    as_of: datetime.date | None,
    since: str,
    max_sentra: int,
    baseline: Path | None,
    pdf: bool,
) -> None:
    """Write the meeting brief: sources, findings, and per sentra its actors, RACI chart,
    plan on a time line, recent engagements, open commitments, funding, kiosks, indicators,
    supply chain and neighbourhood, with a recommended action per check.

    One self-contained HTML page (A4 print styles, pictures as inline SVG, no script, no
    network request), or a PDF printed from it by Chromium with --pdf.
    """
    from kg import report  # draws with kg.viz's styles: networkx and pyvis load slowly
    from kg.changes import read_baseline

    earlier = None if baseline is None else read_baseline(baseline)
    with store_for(ctx) as store:
        brief = report.build_brief(
            store, lang=lang, sentra=sentra, title=title, as_of=as_of, since=since,
            baseline=earlier, max_sentra=max_sentra,
        )
    document = report.render_brief(brief)
    content = report.print_pdf(document) if pdf else document.encode("utf-8")
    try:
        output.write_bytes(content)
    except OSError as exc:
        raise cannot_write(output, exc) from exc
    echo(words(lang, "written")["brief"].format(
        path=output,
        sentra=number(len(brief.sentra), lang),
        findings=number(sum(check.count for check in brief.checks), lang),
    ))

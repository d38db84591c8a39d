"""``kg serve``: the knowledge base in a browser (``kg.serve``)."""

from __future__ import annotations

from datetime import date

import click

from kg.catalogue import words
from kg.cli.app import as_of_option, cli, config_for, lang_option


@cli.command("serve")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port on 127.0.0.1 to listen on (0: a free one).",
)
@click.option("--no-browser", is_flag=True, help="Print the address only; open no browser.")
@lang_option("First language of the pages (each page has a switch).")
@as_of_option("The pages' day: the audit's findings, the timeline and the canvas's time "
              "slider are as of it (default: today; each page picks another).")
@click.pass_context
def serve_command(
    ctx: click.Context, port: int, no_browser: bool, lang: str, as_of: date | None
) -> None:
    """Explore the store in a browser: search, node pages, a network canvas that grows
    on double-click with a time slider, the responsibility chart, the timeline, the
    audit, the stakeholder grid, and the brief and exports as downloads.

    \b
    Read-only, on 127.0.0.1 only. The address printed holds a one-time token that the
    browser exchanges for a cookie; any request without it is refused. Ctrl-C stops the
    server and any engine it started. While it runs, writes to an embedded store
    (kg load) wait for it to stop.
    """
    # uvicorn and starlette load only for this command.
    from kg.serve import serve

    text = words(lang, "serve")

    def started(address: str) -> None:
        click.echo(text["started"].format(address=address))

    serve(config_for(ctx), port=port, lang=lang, as_of=as_of, open_browser=not no_browser,
          on_start=started)

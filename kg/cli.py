"""The ``kg`` command line: each command parses, calls one library function, formats."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kg import __version__, audit, datasets, queries
from kg.chain import chain_rows, supply_chain
from kg.errors import DatasetError, KgError
from kg.loaders import counts, load
from kg.output import FORMATS, render
from kg.raci import chart_table, raci_chart
from kg.schema.model import ALLOWED, NODE_MODELS
from kg.store import Store, StoreConfig, open_store

F = TypeVar("F", bound=Callable[..., Any])


class KgGroup(click.Group):
    """Turns every ``KgError`` into a one-line-per-problem message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DatasetError as exc:
            count = len(exc.problems)
            click.echo(f"Error: {count} problem{'s' if count != 1 else ''} in the dataset; "
                       "nothing was written:", err=True)
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            ctx.exit(2)
        except KgError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)


def output_format(*choices: str, default: str = "table") -> Callable[[F], F]:
    """The shared ``--format`` option."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices or FORMATS), default=default,
        show_default=True, help="Output format.",
    )


def query_params(func: F) -> F:
    return click.option(
        "-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
        help="A query parameter (repeatable). KEY:=JSON passes a typed value "
             "(number, list, null).",
    )(func)


def _parse_params(pairs: tuple[str, ...]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        if ":=" in pair and pair.index(":=") < pair.index("=") + 1:
            key, _, raw = pair.partition(":=")
            try:
                params[key] = json.loads(raw)
            except json.JSONDecodeError:
                raise click.BadParameter(f"{pair!r}: the value after := is not JSON",
                                         param_hint="-p") from None
        elif "=" in pair:
            key, _, value = pair.partition("=")
            params[key] = value
        else:
            raise click.BadParameter(f"{pair!r}: expected KEY=VALUE", param_hint="-p")
    return params


def _config(ctx: click.Context) -> StoreConfig:
    config: StoreConfig = ctx.obj
    return config


def _store(ctx: click.Context, *, write: bool = False) -> Store:
    return open_store(_config(ctx), write=write)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sentra-kg")
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), envvar="KG_STORE",
              help="Embedded store directory.  [env: KG_STORE; default: ./.sentra-kg]")
@click.option("--uri", envvar="NEO4J_URI",
              help="Use Neo4j at this bolt://, neo4j:// or neo4j+s:// URI instead of the "
                   "embedded store.  [env: NEO4J_URI]")
@click.option("--user", envvar="NEO4J_USERNAME", help="Neo4j user.  [env: NEO4J_USERNAME]")
@click.option("--password", envvar="NEO4J_PASSWORD",
              help="Neo4j password; prefer the env variable.  [env: NEO4J_PASSWORD]")
@click.option("--database", envvar="NEO4J_DATABASE",
              help="Neo4j database name.  [env: NEO4J_DATABASE]")
@click.option("--lock-timeout", type=float, default=60.0, envvar="KG_LOCK_TIMEOUT",
              show_default=True,
              help="Seconds to wait while another kg process uses the embedded store.")
@click.pass_context
def cli(ctx: click.Context, store: Path | None, uri: str | None, user: str | None,
        password: str | None, database: str | None, lock_timeout: float) -> None:
    """sentra-kg: the stakeholder graph of the Sentra IKM of Kota Semarang.

    Load datasets, query relationships, audit the management of each sentra for gaps
    (unmapped roles, missing accountability, no time plan, budget dependence, ...),
    and draw the network.

    \b
    Start with the bundled Semarang data:
      kg load && kg audit
    """
    ctx.obj = StoreConfig.from_env(
        path=store, uri=uri, user=user, password=password, database=database,
        lock_timeout=lock_timeout, on_wait=lambda message: click.echo(message, err=True),
    )


class _ProgressPrinter:
    """Progress on stderr, for writes that take more than a second."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.shown = -1
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.started < 1.0 or total == 0:
            return
        percent = done * 100 // total
        if self.tty:
            click.echo(f"\rwriting {done:,}/{total:,} rows ({percent}%)", err=True, nl=False)
        elif percent // 10 > self.shown:
            self.shown = percent // 10
            click.echo(f"writing {done:,}/{total:,} rows ({percent}%)", err=True)

    def finish(self) -> None:
        if self.tty and self.shown != -1 or (self.tty and time.monotonic() - self.started >= 1):
            click.echo("", err=True)


@cli.command("load")
@click.argument("paths", nargs=-1)
@click.option("--replace", is_flag=True,
              help="Empty the store first (default: merge into it, nodes matched by id).")
@click.pass_context
def load_command(ctx: click.Context, paths: tuple[str, ...], replace: bool) -> None:
    """Validate and load datasets (directories of CSV files, or YAML).

    PATHS default to the bundled dataset 'semarang'. Every file is validated first;
    any problem is reported with its file, row and field, and nothing is written.
    """
    progress = _ProgressPrinter()
    started = time.monotonic()
    with datasets.resolve(paths) as resolved, _store(ctx, write=True) as store:
        report = load(store, resolved, replace=replace, progress=progress)
        location = store.location
    progress.finish()
    seconds = time.monotonic() - started
    names = ", ".join(paths) or datasets.DEFAULT
    click.echo(f"Loaded {names} into {location}{' (replaced)' if replace else ''}: "
               f"{report.nodes:,} nodes, {report.relationships:,} relationships "
               f"in {seconds:.1f} s")
    rows = [["node", k, v] for k, v in sorted(report.labels.items())]
    rows += [["relationship", k, v] for k, v in sorted(report.types.items())]
    click.echo(render(["kind", "name", "count"], rows, "table"))


@cli.command("stats")
@output_format()
@click.pass_context
def stats_command(ctx: click.Context, fmt: str) -> None:
    """Count nodes per label and relationships per type."""
    with _store(ctx) as store:
        labels, types = counts(store)
    rows = [["node", k, v] for k, v in labels.items()]
    rows += [["relationship", k, v] for k, v in types.items()]
    click.echo(render(["kind", "name", "count"], rows, fmt))


@cli.command("schema")
@output_format()
def schema_command(fmt: str) -> None:
    """Show the labels, their properties, and the allowed relationships."""
    rows: list[list[Any]] = []
    for label, model in NODE_MODELS.items():
        props = [
            info.serialization_alias or name
            for name, info in model.model_fields.items()
            if name not in model.references
        ]
        rows.append(["node", label.value, ", ".join(props)])
    for start, rel, end in sorted(ALLOWED):
        rows.append(["relationship", rel.value, f"({start})-[:{rel}]->({end})"])
    click.echo(render(["kind", "name", "properties / pattern"], rows, fmt))


@cli.command("queries")
@output_format()
def queries_command(fmt: str) -> None:
    """List the named queries with their parameters."""
    rows = [
        [q.name, q.check or "", q.description,
         ", ".join(f"{p.name}: {p.type}" + ("" if p.required else f" = {p.default}")
                   for p in q.params)]
        for q in queries.all_queries().values()
    ]
    click.echo(render(["name", "check", "description", "params"], rows, fmt))


@cli.command("query")
@click.argument("name")
@query_params
@output_format()
@click.pass_context
def query_command(ctx: click.Context, name: str, params: tuple[str, ...], fmt: str) -> None:
    """Run the named query NAME (see `kg queries`)."""
    query = queries.get(name)
    bound = query.bind(_parse_params(params))
    with _store(ctx) as store:
        result = store.run(query.text, bound)
    click.echo(render(result.columns, result.rows, fmt))


@cli.command("cypher")
@click.argument("text")
@query_params
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
@output_format()
@click.pass_context
def cypher_command(ctx: click.Context, text: str, params: tuple[str, ...], write: bool,
                   fmt: str) -> None:
    """Run raw Cypher TEXT, read-only unless --write.

    Pass values as parameters (-p name=value, used as $name), never inside TEXT.
    """
    with _store(ctx, write=write) as store:
        bound = _parse_params(params)
        result = store.execute(text, bound) if write else store.run(text, bound)
    click.echo(render(result.columns, result.rows, fmt))


@cli.command("audit")
@click.option("--check", "only", multiple=True, metavar="ID",
              help="Run only this check (repeatable); ids: " + ", ".join(audit.check_ids()))
@output_format("table", "json", "markdown", "csv")
@click.option("--fail-on", type=click.Choice(audit.FAIL_ON), default="never", show_default=True,
              help="Exit 1 when a finding of this severity or worse is found.")
@click.option("--occupancy-below", type=float, default=None,
              help="Report sentra whose kiosk occupancy is below this.  [default: 0.7]")
@click.option("--government-share-at-least", type=float, default=None,
              help="Report sentra whose APBD+APBN funding share is at least this.  "
                   "[default: 0.8]")
@click.option("--lang", type=click.Choice(audit.LANGUAGES), default="en", show_default=True,
              help="Language of titles and messages.")
@click.pass_context
def audit_command(ctx: click.Context, only: tuple[str, ...], fmt: str, fail_on: str,
                  occupancy_below: float | None, government_share_at_least: float | None,
                  lang: str) -> None:
    """Find gaps in the management of the sentra (checks listed in `kg queries`)."""
    params = {
        name: value
        for name, value in (("occupancy_below", occupancy_below),
                            ("government_share", government_share_at_least))
        if value is not None
    }
    with _store(ctx) as store:
        results = audit.run_audit(store, only, params, lang)
    click.echo(_audit_text(results, fmt))
    if audit.failed(results, fail_on):
        ctx.exit(1)


def _audit_text(results: list[audit.CheckResult], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(audit.to_json(results), ensure_ascii=False, indent=2)
    columns = ["check", "severity", "subject", "related", "message"]
    rows = [[r.id, r.severity.value, f.subject, f.related, f.message]
            for r in results for f in r.findings]
    if fmt == "csv":
        return render(columns, rows, "csv")
    lines = []
    for result in results:
        header = f"{result.title} [{result.id}, {result.severity}]: {result.count}"
        lines.append(f"## {header}" if fmt == "markdown" else header)
        for finding in result.findings:
            lines.append(f"- {finding.message}" if fmt == "markdown" else f"  - {finding.message}")
        lines.append("")
    total = sum(r.count for r in results)
    errors = sum(r.count for r in results if r.severity == audit.Severity.ERROR)
    lines.append(f"{total} findings ({errors} errors, {total - errors} warnings) "
                 f"from {len(results)} checks")
    return "\n".join(lines)


@cli.command("chain")
@click.argument("commodity")
@click.option("--up", "upstream", is_flag=True, help="Follow the chain upstream (to inputs).")
@click.option("--down", "downstream", is_flag=True, help="Follow it downstream (default).")
@click.option("--max-depth", type=click.IntRange(0, 100), default=10, show_default=True,
              help="Longest path, in SUPPLIES steps.")
@output_format()
@click.pass_context
def chain_command(ctx: click.Context, commodity: str, upstream: bool, downstream: bool,
                  max_depth: int, fmt: str) -> None:
    """List supply-chain paths from COMMODITY (an id), with producers, zones and markets."""
    if upstream and downstream:
        raise click.UsageError("choose one of --up and --down")
    with _store(ctx) as store:
        chain = supply_chain(store, commodity, downstream=not upstream, max_depth=max_depth)
    if fmt == "json":
        payload = {
            "start": chain.start,
            "direction": "downstream" if chain.downstream else "upstream",
            "paths": chain.paths,
            "truncated": chain.truncated,
            "steps": {k: vars(v) for k, v in sorted(chain.steps.items())},
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    columns, rows = chain_rows(chain)
    if fmt == "table":
        arrow = " -> " if chain.downstream else " <- "
        for number, path in enumerate(chain.paths, start=1):
            click.echo(f"{number}. " + arrow.join(chain.steps[n].name for n in path))
        click.echo("")
    click.echo(render(columns, rows, fmt))
    if chain.truncated:
        click.echo("(more paths exist; lower --max-depth to see fewer)", err=True)


@cli.command("raci")
@click.option("--sentra", help="Only activities concerning this sentra id.")
@output_format("table", "csv", "markdown")
@click.pass_context
def raci_command(ctx: click.Context, sentra: str | None, fmt: str) -> None:
    """Print the responsibility chart (rows: activities, columns: actors).

    CSV output uses ids and is the matrix shape `kg load` reads as raci.csv.
    """
    with _store(ctx) as store:
        chart = raci_chart(store, sentra)
    columns, rows = chart_table(chart, by_id=fmt == "csv")
    click.echo(render(columns, rows, fmt))


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")



"""The ``kg`` group and what its commands share: options, error handling, the store, progress."""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from kg import __version__, audit
from kg.catalogue import LANG_VARIABLE, LANGUAGES, in_language, numeral, recognised, say
from kg.errors import DatasetError, KgError, Message
from kg.loaders import problem_text
from kg.output import FORMATS, printable
from kg.store import Store, StoreConfig, open_store, refuse_store_path


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print ``message`` as ``click.echo`` does; on a terminal through
    ``kg.output.printable``, so that no text from a store or a dataset (a name, a
    message quoting one) reaches the terminal as control characters. Every line the CLI
    prints goes through here; to a pipe or a file it goes unchanged, as data."""
    stream = sys.stderr if err else sys.stdout
    click.echo(printable(message) if stream.isatty() else message, err=err, nl=nl)


class KgGroup(click.Group):
    """Turns every ``KgError`` into a one-line-per-problem message and exit code 2, in the
    command's language (``--lang``, else ``KG_LANG``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # A usage error (a mistyped option) stops click before it reads --lang: the
        # language asked for on the command line is kept for its message.
        asked = asked_lang(args)
        if asked is not None:
            ctx.meta[ASKED_LANG_KEY] = asked
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DatasetError as exc:
            lang = current_lang(ctx)
            count = len(exc.problems)
            head = say("cli.problem") if count == 1 else say("cli.problems", count=count)
            echo(in_language(head, lang), err=True)
            for problem in exc.problems:
                echo(f"  {problem_text(problem, lang)}", err=True)
            ctx.exit(2)
        except KgError as exc:
            echo(in_language(say("cli.error", message=error_text(exc)), current_lang(ctx)),
                 err=True)
            ctx.exit(2)
        except click.UsageError as exc:
            lang = current_lang(ctx)
            if lang == "en":  # click's own words, as ever
                raise
            where = exc.ctx.command_path if exc.ctx is not None else ctx.command_path
            message = click_message(exc.format_message())
            if isinstance(exc, click.BadParameter) and isinstance(exc.message, Message):
                name = (exc.param.get_error_hint(exc.ctx) if exc.param and exc.ctx
                        else str(exc.param_hint or ""))
                message = (say("click.invalid_value", name=name, detail=exc.message) if name
                           else exc.message)
            echo(in_language(say("cli.error", message=message), lang), err=True)
            echo(in_language(say("cli.try_help", command=where), lang), err=True)
            ctx.exit(exc.exit_code)
        except MemoryError:
            # Worded as check_memory's ResourceError, the refusal made before a load starts:
            # one line about memory, and what to do instead.
            echo(in_language(say("cli.out_of_memory"), current_lang(ctx)), err=True)
            ctx.exit(2)


_ENV_VAR = r"(?: \(env var: (?P<envvar>'[^']*')\))?"
"""How click names the variable an option is read from, after the option's name."""

_CLICK_MESSAGES = (
    (re.compile(r"Missing option (?P<name>.+?)\.?"), "click.missing_option"),
    (re.compile(r"Missing argument (?P<name>.+?)\.?"), "click.missing_argument"),
    (re.compile(r"No such option:? (?P<name>\S+?)\.?(?: Did you mean (?P<close>\S+?)\?)?"),
     "click.no_such_option"),
    (re.compile(r"No such command (?P<name>.+?)\.?"), "click.no_such_command"),
    (re.compile(r"Got unexpected extra arguments? \((?P<extra>.+)\)"), "click.extra_arguments"),
    (re.compile(rf"Invalid value for (?P<name>.+?){_ENV_VAR}: (?P<value>.+) is not one of "
                r"(?P<choices>.+?)\.?"), "click.not_a_choice"),
    (re.compile(rf"Invalid value for (?P<name>.+?){_ENV_VAR}: (?P<detail>.+)"),
     "click.invalid_value"),
)
"""click's own usage errors (English, from click) and the catalogue's words for each."""

_CLICK_DETAILS = (
    (re.compile(r"'(?P<value>.*)' does not match the formats? (?P<formats>.+?)\.?"),
     "click.not_a_date"),
)
"""What click says is wrong with a value (after ``Invalid value for ...:``), likewise."""


def click_message(text: str) -> str:
    """A usage error of click's as a catalogue message (``[click]``), so that it can be
    worded in another language; our own, and click's others, as they are."""
    if isinstance(text, Message):
        return text
    found = recognised(text.strip(), _CLICK_MESSAGES)
    if found is None:
        return text
    params = dict(found.params)
    if params.get("close"):
        params["close"] = say("click.did_you_mean", close=params["close"])
    if params.pop("envvar", None):
        params["name"] = say("click.env_var", name=params["name"],
                             envvar=found.params["envvar"])
    if params.get("detail"):
        params["detail"] = recognised(params["detail"], _CLICK_DETAILS) or params["detail"]
    return say(found.key, **params)


def error_text(exc: BaseException) -> str:
    """What an error says: the catalogue's message it carries (``kg.errors.Message``),
    kept whole so it can be worded in any language, else its text."""
    if len(exc.args) == 1 and isinstance(exc.args[0], str):
        return exc.args[0]
    return str(exc)


LANG_KEY = "kg.lang"
"""Where ``--lang`` leaves the command's language, for the error handler (``ctx.meta``)."""


ASKED_LANG_KEY = "kg.asked_lang"
"""Where ``KgGroup`` leaves the ``--lang`` of the command line before click reads it."""


def current_lang(ctx: click.Context) -> str:
    """The language of the command running: its ``--lang`` (as click read it, else as
    the command line has it), else ``KG_LANG``, else English."""
    lang = (ctx.meta.get(LANG_KEY) or ctx.meta.get(ASKED_LANG_KEY)
            or os.environ.get(LANG_VARIABLE, "en"))
    return lang if lang in LANGUAGES else "en"


def asked_lang(args: list[str]) -> str | None:
    """The last language of the catalogues a ``--lang`` in ``args`` names, if any.

    >>> asked_lang(["load", "--merg", "--lang", "id"]), asked_lang(["audit", "--lang=en"])
    ('id', 'en')
    >>> asked_lang(["audit", "--lang", "xx"]) is None
    True
    """
    found = None
    for arg, following in zip(args, [*args[1:], ""], strict=True):
        value = following if arg == "--lang" else arg.removeprefix("--lang=")
        if value != arg and value in LANGUAGES:
            found = value
    return found


def _keep_lang(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    ctx.meta[LANG_KEY] = value
    return value


class OutputPath(click.Path):
    """A path a command writes to: refused (``ExportError``, exit 2) when it lies inside a
    store directory (``kg.store.store_around``), whatever the options; no command but the
    store writes there."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        # Before click's own checks: "STORE is a directory" would hide what is wrong.
        path = Path(os.fsdecode(value))
        config = ctx.find_root().obj if ctx is not None else None
        refuse_store_path(path, config if isinstance(config, StoreConfig) else None)
        return super().convert(value, param, ctx)


def output_format[G: Callable[..., Any]](*choices: str, default: str = "table") -> Callable[[G], G]:
    """The shared ``--format`` option."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices or FORMATS),
        default=default,
        show_default=True,
        help="Output format.",
    )


def lang_option[G: Callable[..., Any]](text: str) -> Callable[[G], G]:
    """The shared ``--lang`` option: a language with a catalogue (``kg.catalogue``),
    ``KG_LANG`` by default, else English; ``text`` is its help (what the language is of)."""
    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        envvar=LANG_VARIABLE,
        default="en",
        show_default=True,
        show_envvar=True,
        callback=_keep_lang,
        is_eager=True,  # known before other options are checked (OutputPath's refusal)
        help=text,
    )


def workbook_lang_option[G: Callable[..., Any]](text: str) -> Callable[[G], G]:
    """``--lang`` of a command writing a workbook: no default, as the workbook's own is
    Indonesian (the office's) and the messages' English; ``text`` is its help."""
    return click.option(
        "--lang",
        type=click.Choice(LANGUAGES),
        envvar=LANG_VARIABLE,
        show_envvar=True,
        callback=_keep_lang,
        is_eager=True,  # known before other options are checked (OutputPath's refusal)
        help=text,
    )


def fail_on_option[G: Callable[..., Any]](text: str) -> Callable[[G], G]:
    """The shared ``--fail-on`` option: a severity (``audit.FAIL_ON``), or never by default;
    ``text`` is its help (which findings count)."""
    return click.option(
        "--fail-on",
        type=click.Choice(audit.FAIL_ON),
        default="never",
        show_default=True,
        help=text,
    )


AS_OF_VARIABLE = "KG_AS_OF"
"""The environment variable that sets ``--as-of`` (docs/regenerate.py fixes the day so)."""


def as_of_option[G: Callable[..., Any]](text: str) -> Callable[[G], G]:
    """The shared ``--as-of`` option: a day written YYYY-MM-DD, ``KG_AS_OF`` by default,
    passed on as a ``datetime.date`` (None when neither is given); ``text`` is its help."""

    def day(ctx: click.Context, param: click.Parameter, value: datetime | None) -> date | None:
        return None if value is None else value.date()

    return click.option(
        "--as-of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        metavar="YYYY-MM-DD",
        envvar=AS_OF_VARIABLE,
        show_envvar=True,
        callback=day,
        help=text,
    )


def fitted_tables[G: Callable[..., Any]](func: G) -> G:
    """The shared ``--wide`` and ``--width`` options; ``table_width`` reads them."""

    def keep(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        ctx.meta[f"kg.{param.name}"] = value
        return value

    func = click.option(
        "--width",
        type=click.IntRange(20),
        expose_value=False,
        callback=keep,
        help="Fit tables in this many characters (default: the terminal's width; output "
        "to a pipe or a file is not fitted).",
    )(func)
    return click.option(
        "--wide",
        is_flag=True,
        expose_value=False,
        callback=keep,
        help="Show every table cell in full on one line, however wide.",
    )(func)


def table_width() -> int | None:
    """The width text tables fit in: ``--width``, else the terminal's; None with ``--wide``
    or when the output goes to a pipe or a file (kept whole for other programs)."""
    meta = click.get_current_context().meta
    if meta.get("kg.wide"):
        return None
    if meta.get("kg.width") is not None:
        return int(meta["kg.width"])
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def query_params[G: Callable[..., Any]](func: G) -> G:
    return click.option(
        "-p",
        "--param",
        "params",
        multiple=True,
        metavar="KEY=VALUE",
        help="A query parameter (repeatable). KEY:=JSON passes a typed value (number, list, null).",
    )(func)


def parse_params(pairs: tuple[str, ...]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for pair in pairs:
        if ":=" in pair and pair.index(":=") < pair.index("=") + 1:
            key, _, raw = pair.partition(":=")
            try:
                params[key] = json.loads(raw)
            except json.JSONDecodeError:
                raise click.BadParameter(
                    say("refusals.not_json_value", pair=pair), param_hint="-p"
                ) from None
        elif "=" in pair:
            key, _, value = pair.partition("=")
            params[key] = value
        else:
            raise click.BadParameter(say("refusals.not_key_value", pair=pair), param_hint="-p")
    return params


def config_for(ctx: click.Context) -> StoreConfig:
    config: StoreConfig = ctx.obj
    return config


def store_for(ctx: click.Context, *, write: bool = False) -> Store:
    return open_store(config_for(ctx), write=write)


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sentra-kg")
@click.option(
    "--store",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="KG_STORE",
    help="Embedded store directory.  [env: KG_STORE; default: ./.sentra-kg]",
)
@click.option(
    "--uri",
    envvar="NEO4J_URI",
    help="Use Neo4j at this bolt://, neo4j:// or neo4j+s:// URI instead of the "
    "embedded store.  [env: NEO4J_URI]",
)
@click.option("--user", envvar="NEO4J_USERNAME", help="Neo4j user.  [env: NEO4J_USERNAME]")
@click.option(
    "--password",
    envvar="NEO4J_PASSWORD",
    help="Neo4j password; prefer the env variable.  [env: NEO4J_PASSWORD]",
)
@click.option(
    "--database", envvar="NEO4J_DATABASE", help="Neo4j database name.  [env: NEO4J_DATABASE]"
)
@click.option(
    "--lock-timeout",
    type=float,
    help="Seconds to wait while another kg process uses the embedded store.  "
    "[env: KG_LOCK_TIMEOUT; default: 60]",
)
@click.pass_context
def cli(
    ctx: click.Context,
    store: Path | None,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    lock_timeout: float | None,
) -> None:
    """sentra-kg: the stakeholder graph of the Sentra IKM of Kota Semarang.

    Load datasets, query relationships, audit the management of each sentra for gaps
    (unmapped roles, missing accountability, no time plan, budget dependence, ...),
    and draw the network.

    \b
    Start with the bundled Semarang data:
      kg load && kg audit
    """
    ctx.obj = StoreConfig.from_env(
        path=store,
        uri=uri,
        user=user,
        password=password,
        database=database,
        lock_timeout=lock_timeout,
        on_wait=lambda message: echo(in_language(message, current_lang(ctx)), err=True),
    )


class ProgressPrinter:
    """Progress on stderr, in ``lang``, for writes that take more than a second."""

    def __init__(self, lang: str = "en") -> None:
        self.started = time.monotonic()
        self.shown = -1
        self.tty = sys.stderr.isatty()
        self.lang = lang

    def _line(self, done: int, total: int, percent: int) -> str:
        return in_language(say("cli.writing", done=numeral(done), total=numeral(total),
                               percent=percent), self.lang)

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.started < 1.0 or total == 0:
            return
        percent = done * 100 // total
        if self.tty:
            click.echo("\r", err=True, nl=False)  # back to the line's start: ours, not data
            echo(self._line(done, total, percent), err=True, nl=False)
        elif percent // 10 > self.shown:
            self.shown = percent // 10
            echo(self._line(done, total, percent), err=True)

    def finish(self) -> None:
        if (self.tty and self.shown != -1) or (self.tty and time.monotonic() - self.started >= 1):
            echo("", err=True)


def main() -> None:
    """Entry point of the ``kg`` console script."""
    cli(prog_name="kg")

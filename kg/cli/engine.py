"""``kg engine start|stop|status``: keep an embedded store loaded between commands."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import click

from kg.catalogue import in_language, numeral, say
from kg.cli.app import cli, config_for, echo, lang_option
from kg.errors import StoreError
from kg.store import StoreConfig, warm

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``text``: ``90``, ``90s``, ``30m``, ``2h``, ``1d``; ``0`` means never."""
    match = _DURATION.match(text.lower())
    if match is None:
        raise click.BadParameter(say("engine.bad_duration", text=text))
    return float(match.group(1)) * _UNIT[match.group(2)]


def _embedded(config: StoreConfig) -> StoreConfig:
    if config.uri:
        raise StoreError(say("engine.not_embedded"))
    return config


def _when(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _span(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def describe(engine: warm.WarmEngine, lang: str = "en") -> list[tuple[str, str]]:
    """What ``kg engine status`` shows, as (field, value) lines, in ``lang``."""
    memory = engine.memory

    def word(key: str, **params: object) -> str:
        return in_language(say(f"engine.{key}", **params), lang)

    idle = (word("idle_after", span=_span(engine.idle_timeout)) if engine.idle_timeout
            else word("idle_never"))
    return [
        (word("store"), engine.store),
        (word("since"), word("since_value", started=_when(engine.started),
                             up=_span(time.time() - engine.started))),
        (word("graph"), word("graph_value", saved=_when(engine.graph_file[3] / 1e9),
                             loaded=_when(engine.loaded or engine.started))
         if engine.graph_file else word("reloading")),
        (word("memory"), word("memory_value", mib=numeral(memory / 2**20))
         if memory is not None else word("unknown")),
        (word("idle"), idle),
        (word("pid"), word("pid_value", supervisor=engine.supervisor, engine=engine.engine)),
    ]  # fmt: skip


def _show(lines: list[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in lines)
    for name, value in lines:
        echo(f"{name:<{width}}  {value}")


@cli.group("engine")
def engine_group() -> None:
    """Keep an embedded store loaded so that read commands answer at once.

    Without a warm engine every command loads the store's file (seconds on a national
    graph). Read commands use the warm engine while it runs; writes (kg load) run as
    always, and the warm engine then reloads the saved graph.
    """


@engine_group.command("start")
@click.option(
    "--idle-timeout",
    default="30m",
    show_default=True,
    metavar="DURATION",
    help="Stop after this long without a command (90s, 30m, 2h; 0: never).",
)
@lang_option("Language of what the command says.")
@click.pass_context
def start_command(ctx: click.Context, idle_timeout: str, lang: str) -> None:
    """Load the store into a background engine that read commands use."""
    config = _embedded(config_for(ctx))
    seconds = parse_duration(idle_timeout)
    began = time.monotonic()
    engine, started = warm.start(config.path, seconds)
    if started:
        said = say("engine.started", store=engine.store,
                   seconds=numeral(time.monotonic() - began, 1, fixed=True))
    else:
        said = say("engine.already", store=engine.store)
    echo(in_language(said, lang))


@engine_group.command("stop")
@lang_option("Language of what the command says.")
@click.pass_context
def stop_command(ctx: click.Context, lang: str) -> None:
    """Stop the store's warm engine (read commands then load the store themselves)."""
    config = _embedded(config_for(ctx))
    engine = warm.stop(config.path)
    if engine is None:
        said = say("engine.none", store=config.path)
    else:
        said = say("engine.stopped", store=engine.store)
    echo(in_language(said, lang))


@engine_group.command("status")
@lang_option("Language of the status lines.")
@click.pass_context
def status_command(ctx: click.Context, lang: str) -> None:
    """Which store the warm engine holds, since when, and its memory.

    Exits with 1 when no warm engine serves the store.
    """
    config = _embedded(config_for(ctx))
    engine = warm.find(config.path)
    if engine is None:
        echo(in_language(say("engine.none", store=config.path), lang))
        ctx.exit(1)
    _show(describe(engine, lang))

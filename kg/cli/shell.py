"""``kg shell``: an interactive prompt on one open store (``kg.session``).

Cypher ends with ``;`` and may span lines; commands start with ``:`` (``:help``). The
engine starts once and stops when the shell ends: Ctrl-D, ``:quit``, SIGTERM or SIGHUP
(and SIGKILL: the engine dies with its parent). Ctrl-C at the prompt clears the line;
during a query it gives the prompt back at once, the query's answer discarded.
"""

from __future__ import annotations

import re
import shlex
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from kg import queries
from kg.catalogue import in_language, say
from kg.cli.app import (
    OutputPath,
    as_of_option,
    cli,
    config_for,
    echo,
    error_text,
    lang_option,
    parse_params,
)
from kg.errors import KgError
from kg.loaders.references import close_names, name_key
from kg.output import FORMATS, render, render_report
from kg.schema.model import Label, RelType
from kg.session import Result, Session, Table

if TYPE_CHECKING:
    from prompt_toolkit import PromptSession

HISTORY = Path("~/.sentra-kg-history")


KEYWORDS = (
    "MATCH", "OPTIONAL MATCH", "WHERE", "RETURN", "WITH", "ORDER BY", "LIMIT", "SKIP",
    "DISTINCT", "UNWIND", "COUNT", "COLLECT", "AS", "AND", "OR", "NOT", "IN", "IS NULL",
    "IS NOT NULL", "CONTAINS", "STARTS WITH", "CREATE", "MERGE", "SET", "DELETE",
    "DETACH DELETE", "CALL",
)  # fmt: skip
COMMANDS = (":q", ":queries", ":audit", ":raci", ":chain", ":param", ":format", ":help", ":quit")


Choice = tuple[str, int, str]
"""A completion: the text, where it starts (negative: characters before the cursor), a note."""


class Completions:
    """What Tab offers: commands, query names and their parameters, labels and
    relationship types (after ``:``), node names (inside quotes and as node parameters,
    any case) and Cypher words. Works without prompt_toolkit; ``shell_command`` adapts it."""

    def __init__(self, nodes: Callable[[], list[tuple[str, str, str | None]]]) -> None:
        self.nodes = nodes

    def __call__(self, text: str) -> list[Choice]:
        """The completions of ``text``, the line before the cursor."""
        if text.startswith(":"):
            return self._command(text)
        quoted = re.search(r"['\"]([^'\"]*)$", text)
        if quoted:
            names = [name for _, _, name in self.nodes() if name]
            return _starting(quoted.group(1), names, "node", loose=True, parts=True)
        word = re.search(r"(:?)(\w*)$", text)
        assert word is not None
        if word.group(1):
            return _starting(word.group(2), [*Label, *RelType], "label or type")
        return _starting(word.group(2), KEYWORDS, "", loose=True)

    def _command(self, text: str) -> list[Choice]:
        words = _words(text)
        command, current = words[0], words[-1]
        if len(words) == 1:
            return _starting(current, COMMANDS, "")
        if command == ":q" and len(words) == 2:
            return _starting(current, queries.all_queries(), "query")
        if command == ":q":
            query = queries.all_queries().get(words[1])
            key, equals, value = current.partition("=")
            if query is None:
                return []
            if not equals:
                return _starting(current, [f"{p.name}=" for p in query.params], "parameter")
            param = next((p for p in query.params if p.name == key), None)
            if param is None or param.node is None:
                return []
            names = self._names(param.node)
            return _starting(value, names, str(param.node), loose=True, parts=True)
        if command == ":audit":
            return _starting(current, queries.checks(), "check")
        if command == ":format":
            return _starting(current, FORMATS, "")
        if command in (":raci", ":chain"):
            label = Label.SENTRA if command == ":raci" else Label.COMMODITY
            return _starting(current, self._names(label), str(label), loose=True, parts=True)
        return []

    def _names(self, label: str) -> list[str]:
        """Names of ``label`` nodes (any, for ``ANY_NODE``), quoted when they hold blanks."""
        return [
            shlex.quote(name) if " " in name else name
            for _, kind, name in self.nodes()
            if label in (kind, queries.ANY_NODE) and name
        ]


def _words(text: str) -> list[str]:
    """``text`` split at blanks outside quotes, each word as typed (quotes kept); a
    trailing blank starts an empty last word.

    >>> _words(":raci 'kampung b")
    [':raci', "'kampung b"]
    """
    words, word, quote = [], "", ""
    for char in text:
        if char == " " and not quote:
            words.append(word)
            word = ""
            continue
        if char in "'\"" and quote in ("", char):
            quote = "" if quote else char
        word += char
    return [*words, word]


def _starting(
    prefix: str, choices: Iterable[str], note: str, *, loose: bool = False, parts: bool = False
) -> list[Choice]:
    """The ``choices`` that start with ``prefix``, each replacing it; ``loose``: in any
    case, quotes aside; ``parts`` (node names): also those holding it after a blank, as
    ``kg.resolve`` takes a part of a name."""
    choices = list(choices)
    wanted = prefix.strip("'\"").casefold() if loose else prefix
    found = []
    for choice in sorted(set(choices)):
        have = choice.strip("'\"").casefold() if loose else choice
        if have.startswith(wanted) or (parts and f" {wanted}" in have):
            found.append((choice, -len(prefix), note))
    if not found and parts and wanted:  # a misspelt name: the close ones, by word too
        keys = {name_key(choice.strip("'\"")): choice for choice in choices}
        found = [(keys[key], -len(prefix), note) for key in close_names(name_key(wanted),
                                                                         list(keys))]
    return found


class Shell:
    """The prompt's state: the session, the output format and Cypher's parameters."""

    def __init__(
        self,
        session: Session,
        echo: Callable[[str], None],
        lang: str = "en",
        as_of: date | None = None,
    ) -> None:
        self.session = session
        self.echo = echo
        self.lang = lang
        self.as_of = as_of
        self.fmt = "table"
        self.params: dict[str, Any] = {}

    def say(self, key: str, **params: Any) -> str:
        """The catalogue's ``[shell]`` message ``key`` in the shell's language."""
        return in_language(say(f"shell.{key}", **params), self.lang)

    def handle(self, text: str) -> bool:
        """Answer one input (a command or a whole Cypher statement); False to leave."""
        text = text.strip()
        if not text:
            return True
        if not text.startswith(":"):
            self.show(self.timed(lambda: self.session.cypher(text.rstrip(";"), **self.params)))
            return True
        try:
            words = shlex.split(text)
        except ValueError:  # an unclosed quote
            raise click.UsageError(self.say("unclosed_quote")) from None
        command, args = words[0], words[1:]
        if command in (":quit", ":exit"):
            return False
        if command == ":help":
            self.echo(self.say("help"))
        elif command == ":format":
            if len(args) != 1 or args[0] not in FORMATS:
                raise click.UsageError(self.say("usage_format", formats="|".join(FORMATS)))
            self.fmt = args[0]
        elif command == ":param":
            self.params.update(parse_params(tuple(args)))
            self.echo(", ".join(f"{k}={v!r}" for k, v in self.params.items()) or "(none)")
        elif command == ":q":
            if not args:
                raise click.UsageError(self.say("usage_q"))
            values = parse_params(tuple(args[1:]))
            self.show(self.timed(lambda: self.session.query(args[0], **values)))
        elif command == ":queries":
            self.echo(render(*queries.query_table(), self.fmt, self.width(), self.lang))
        elif command == ":audit":
            checks = [a for a in args if "=" not in a]
            thresholds = parse_params(tuple(a for a in args if "=" in a))
            self.show(self.timed(lambda: self.session.audit(
                checks, lang=self.lang, as_of=self.as_of, **thresholds)))
        elif command == ":raci":
            sentra = " ".join(args) or None
            self.show(self.timed(lambda: self.session.raci(sentra)))
        elif command == ":chain":
            up = bool(args) and args[-1] == "up"
            commodity = " ".join(args[:-1] if up else args)
            self.show(self.timed(lambda: self.session.chain(commodity, up=up)))
        else:
            raise click.UsageError(self.say("unknown_command", command=command))
        return True

    def timed(self, run: Callable[[], Result]) -> tuple[Result, float] | None:
        """``run()`` in a worker thread, so that Ctrl-C gives the prompt back at once.

        The engine cannot be told to stop a query: a cancelled one runs on in the
        background and its answer is dropped (the session stops it at the end).
        """
        answer: list[Any] = []

        def work() -> None:
            try:
                answer.append(run())
            except BaseException as exc:  # handed to the prompt's thread as it is
                answer.append(exc)

        started = time.perf_counter()
        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.05)
        except KeyboardInterrupt:
            self.echo(self.say("cancelled"))
            return None
        if isinstance(answer[0], BaseException):
            raise answer[0]
        result: Result = answer[0]
        return result, time.perf_counter() - started

    def show(self, timed: tuple[Result, float] | None) -> None:
        if timed is None:
            return
        result, seconds = timed
        self.echo(render_report(result.report, self.fmt, self.width(), self.lang))
        if self.fmt != "table":
            return
        ms = f"{seconds * 1000:.0f}"
        if isinstance(result.report, Table):
            rows = len(result)
            self.echo(self.say("row" if rows == 1 else "rows", rows=rows, ms=ms))
        else:
            self.echo(self.say("took", ms=ms))

    def width(self) -> int | None:
        return shutil.get_terminal_size().columns if self.fmt == "table" else None


@cli.command("shell")
@click.option("--write", is_flag=True, help="Allow Cypher that changes the graph.")
@click.option(
    "--history",
    type=OutputPath(dir_okay=False, path_type=Path),
    default=HISTORY,
    envvar="KG_HISTORY",
    show_default=True,
    help="File that keeps the lines typed, across shells.  [env: KG_HISTORY]",
)
@lang_option("Language of the shell's messages, help, reports and table headings.")
@as_of_option("The day :audit reads the follow-up as of (default: today).")
@click.pass_context
def shell_command(
    ctx: click.Context, write: bool, history: Path, lang: str, as_of: date | None
) -> None:
    """An interactive prompt: Cypher ending with ';', named queries (:q), the audit.

    The store stays open for the session, so answers come at once; read-only unless
    --write. Tab completes query names, parameters, labels, relationship types and node
    names. :help lists the commands; Ctrl-D leaves.
    """
    from prompt_toolkit import PromptSession  # here: loading it takes a while
    from prompt_toolkit.completion import CompleteEvent, Completer, Completion
    from prompt_toolkit.document import Document
    from prompt_toolkit.history import FileHistory

    class Adapter(Completer):
        def __init__(self, completions: Completions) -> None:
            self.completions = completions

        def get_completions(self, document: Document, event: CompleteEvent) -> Iterator[Completion]:
            for text, start, note in self.completions(document.text_before_cursor):
                yield Completion(text, start_position=start, display_meta=note)

    session = Session(config_for(ctx), write=write)  # in this thread: the engine dies with it

    def leave(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, leave)
    try:
        history = history.expanduser()
        prompt: PromptSession[str] = PromptSession(
            history=FileHistory(str(history)),
            completer=Adapter(Completions(session.nodes)),
            complete_while_typing=False,
        )
        shell = Shell(session, echo, lang, as_of)
        echo(shell.say("banner", store=session.config.display,
                       mode=shell.say("read_write" if write else "read_only")))
        _loop(prompt, shell)
    finally:
        session.close()


def _loop(prompt: PromptSession[str], shell: Shell) -> None:
    lines: list[str] = []
    while True:
        try:
            line = prompt.prompt("...> " if lines else "kg> ")
        except KeyboardInterrupt:
            lines = []
            continue
        except EOFError:
            echo("")
            return
        lines.append(line)
        text = "\n".join(lines).strip()
        if text and not text.startswith(":") and not text.endswith(";"):
            continue  # Cypher goes on until a ';'
        lines = []
        try:
            if not shell.handle(text):
                return
        except KgError as exc:
            echo(in_language(say("cli.error", message=error_text(exc)), shell.lang), err=True)
        except click.UsageError as exc:
            echo(in_language(say("cli.error", message=exc.message), shell.lang), err=True)

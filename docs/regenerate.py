"""Regenerate the console examples of README.md and docs/*.md by running their commands.

    python docs/regenerate.py            # rewrite every example that differs
    python docs/regenerate.py --check    # print the differences, exit 1 if any

Every ```console block of those files is an example: `$ kg ...` lines, each followed by
what it prints. A comment right above the block says where it runs and may prepare it:

    <!-- console: tour -->

    <!-- console: changes
    $ cp -r "$REPO/tests/data/changes/." .
    $ kg --store before.kg load before
    -->

``tour`` names a workspace: a directory under one temporary folder, made on first use,
holding a link ``tests`` to the repository's tests (so `kg load tests/data/assessments`
works) and kept for every later block naming it, in document order (README.md, then
docs/*.md by name): a store loaded once serves every block after it. The comment's `$`
lines run first, unshown: `kg ...` in-process, anything else with ``sh`` (``$REPO`` is the
repository). The block's `$ kg ...` lines run in-process (click's test runner), stdout
and stderr together as a terminal shows them, though not to a terminal: tables are not
fitted to a width unless the line says `--width N`. The block's other lines are replaced
by what each printed. Also understood in a block: `A && B`, `| head -n N` (the
first N lines: how an example shows the start of a long output), `> FILE`, `echo $?`, and
`$ kg shell` followed by the lines typed at its prompt (`kg> `, `...> `), which are fed to
it one by one and shown after their prompt, as a terminal shows them.

Every command sees the same fixed surroundings: ``KG_AS_OF`` = :data:`AS_OF` (the day
taken as today, for commands that read it), a 100-column terminal size, no ``KG_*`` or
``NEO4J_*`` variable of the caller's. What may legitimately differ from run to run is
normalised (:data:`VARYING`): a block is rewritten, and ``--check`` complains, only when
the outputs differ once durations, clock times, memory sizes and process ids are masked,
so regenerating leaves unchanged examples byte-identical. Progress lines (`writing 96/190
rows (50%)`, shown after a second on a busy machine) are dropped, and the workspace's
temporary folder is shown as ``/tmp`` (``/tmp/tour/.sentra-kg``).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import click
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = ("README.md", "docs/*.md")
"""The files whose console blocks are examples, in the order they run."""

AS_OF = "2026-12-01"
"""The day every example takes as today (``KG_AS_OF``)."""

COLUMNS = 100
"""The terminal width the examples see (``COLUMNS``; `kg shell` fits its tables to it)."""

VARYING = (
    (re.compile(r"\b\d+(?:[.,]\d+)? (?:ms|s|detik)\b"), "<duration>"),  # 1.2 s, 1,2 detik
    (re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\b"), "<clock time>"),
    (re.compile(r"\b\d[\d.,]* MiB\b"), "<memory>"),
    (re.compile(r"\bpid(\s+)\d+ \(engine \d+\)"), r"pid\1<pids>"),
)
"""What may differ between two runs of one example, and the mask it is compared under."""

PROGRESS = re.compile(r"^(?:\r?(?:writing|menulis) [\d.,]+/[\d.,]+ (?:rows|baris) \(\d+%\))+\r?$")
PROMPTS = ("kg> ", "...> ")

DIRECTIVE = re.compile(r"^<!-- console: ([\w.-]+)\s*(?:-->)?$")


class ExampleError(Exception):
    """An example that cannot be run as written (named by file and line)."""


@dataclass
class Block:
    """One console block: where it is, where it runs, and its lines."""

    path: str
    line: int
    """1-based line of its opening fence."""
    body: list[str]
    workspace: str | None
    setup: list[str] = field(default_factory=list)

    def commands(self) -> list[tuple[str, list[str]]]:
        """Each `$` line without its `$ `, with the lines after it (its output)."""
        found: list[tuple[str, list[str]]] = []
        for text in self.body:
            if text.startswith("$ "):
                found.append((text[2:], []))
            elif found:
                found[-1][1].append(text)
            else:
                raise ExampleError(f"{self.path}:{self.line}: output before the first `$` line")
        return found


def blocks(path: str, text: str) -> Iterator[tuple[int, int, Block]]:
    """The console blocks of a document, each with the indexes of its body's first line and
    of its closing fence."""
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```console":
            index += 1
            continue
        end = next((i for i in range(index + 1, len(lines)) if lines[i].startswith("```")), None)
        if end is None:
            raise ExampleError(f"{path}:{index + 1}: the console block is not closed")
        workspace, setup = _directive(lines, index)
        yield index + 1, end, Block(path, index + 1, lines[index + 1 : end], workspace, setup)
        index = end + 1


def _directive(lines: list[str], fence: int) -> tuple[str | None, list[str]]:
    """The workspace and setup of the `<!-- console: ... -->` comment ending right above."""
    if fence == 0 or not lines[fence - 1].rstrip().endswith("-->"):
        return None, []
    start = fence - 1
    while start > 0 and not lines[start].startswith("<!--"):
        start -= 1
    found = DIRECTIVE.match(lines[start].rstrip())
    if found is None:
        return None, []
    setup = [line[2:] for line in lines[start + 1 : fence - 1] if line.startswith("$ ")]
    return found.group(1), setup


class Workspaces:
    """The temporary folder the examples run in, one directory per named workspace."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[str, Path] = {}
        self.status = 0

    def __call__(self, name: str) -> Path:
        if name not in self.made:
            folder = self.root / name
            folder.mkdir()
            (folder / "tests").symlink_to(REPO / "tests")
            self.made[name] = folder
        return self.made[name]

    def env(self) -> dict[str, str | None]:
        env: dict[str, str | None] = {
            key: None for key in os.environ if key.startswith(("KG_", "NEO4J_"))
        }
        env.update(KG_AS_OF=AS_OF, KG_HISTORY=str(self.root / "history"), REPO=str(REPO),
                   COLUMNS=str(COLUMNS), LINES="40")  # fmt: skip
        return env

    def shown(self, output: str) -> str:
        """Output as the example shows it: the folder as /tmp, no blank lines at the end."""
        for folder in {str(self.root), str(self.root.resolve())}:
            output = output.replace(folder, "/tmp")
        return output.rstrip()

    def stop_engines(self) -> None:
        """Stop the warm engines examples started (`kg engine start`)."""
        for state in self.root.glob("**/run/warm.json"):
            store = state.parent.parent
            self.kg(["--store", str(store), "engine", "stop"], store.parent)

    def kg(self, args: list[str], cwd: Path, typed: list[str] | None = None) -> str:
        """Run `kg ARGS` in-process in ``cwd``; its output (stdout and stderr, without the
        progress lines)."""
        with _in(cwd), _typed_at_prompt(typed):
            from kg.cli import cli

            result = CliRunner().invoke(cli, args, env=self.env(), prog_name="kg")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise ExampleError(f"kg {shlex.join(args)} failed: {result.exception!r}") from (
                result.exception
            )
        self.status = result.exit_code
        return "".join(line for line in result.output.splitlines(keepends=True)
                       if not PROGRESS.match(line.rstrip("\n")))  # fmt: skip

    def run(self, line: str, cwd: Path, shown: bool, typed: list[str] | None = None) -> str:
        """Run one `$` line; what it prints as the example shows it."""
        if not shown and not line.startswith("kg "):
            done = subprocess.run(["sh", "-c", line], cwd=cwd, env=_environ(self.env()),
                                  capture_output=True, text=True, check=False)  # fmt: skip
            if done.returncode != 0:
                raise ExampleError(f"{line!r} failed: {done.stderr.strip()}")
            return ""
        printed: list[str] = []
        for part in _split(shlex.split(line, comments=True), "&&"):
            printed.append(self._pipeline(part, cwd, typed))
            if self.status != 0:
                break
        return self.shown("".join(printed))

    def _pipeline(self, words: list[str], cwd: Path, typed: list[str] | None) -> str:
        words, target = _take(words, ">")
        words, head = _take(words, "|")
        if words == ["echo", "$?"]:
            output = f"{self.status}\n"
        elif words[:1] == ["kg"]:
            output = self.kg(words[1:], cwd, typed)
        else:
            raise ExampleError(f"an example runs kg, not {shlex.join(words)!r}")
        if head:
            if len(head) != 3 or head[:2] != ["head", "-n"] or not head[2].isdigit():
                raise ExampleError(f"only `| head -n N` may follow a command, not {head!r}")
            output = "".join(output.splitlines(keepends=True)[: int(head[2])])
        if target:
            (cwd / target[0]).write_text(output, encoding="utf-8")
            return ""
        return output


def _split(words: list[str], operator: str) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for word in words:
        if word == operator:
            parts.append([])
        else:
            parts[-1].append(word)
    return parts


def _take(words: list[str], operator: str) -> tuple[list[str], list[str]]:
    """``words`` up to ``operator``, and those after it."""
    if operator not in words:
        return words, []
    at = words.index(operator)
    return words[:at], words[at + 1 :]


def _environ(changes: dict[str, str | None]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if changes.get(key, "") is not None}
    env.update({key: value for key, value in changes.items() if value is not None})
    return env


@contextlib.contextmanager
def _in(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _typed_at_prompt(typed: list[str] | None) -> Iterator[None]:
    """With ``typed``, `kg shell`'s prompt reads those lines, each shown after its prompt."""
    if typed is None:
        yield
        return
    waiting = list(typed)

    class TypedPrompt:
        def __init__(self, **options: object) -> None:
            pass

        def prompt(self, message: str) -> str:
            if not waiting:
                raise EOFError
            line = waiting.pop(0)
            click.echo(message + line)
            return line

    with mock.patch("prompt_toolkit.PromptSession", TypedPrompt):
        yield


def masked(text: str) -> str:
    """``text`` with what varies between runs (:data:`VARYING`) masked."""
    for pattern, mask in VARYING:
        text = pattern.sub(mask, text)
    return text


def render_block(block: Block, workspaces: Workspaces) -> list[str]:
    """The block's body regenerated: each `$` line, then what it prints now."""
    assert block.workspace is not None, "render checks every block has one"
    folder = workspaces(block.workspace)
    try:
        for line in block.setup:
            workspaces.run(line, folder, shown=False)
        body: list[str] = []
        for line, output in block.commands():
            typed = None
            if shlex.split(line, comments=True)[:2] == ["kg", "shell"]:
                typed = [text.split("> ", 1)[1] for text in output if text.startswith(PROMPTS)]
            body.append(f"$ {line}")
            printed = workspaces.run(line, folder, shown=True, typed=typed)
            body.extend(printed.split("\n") if printed else [])
    except ExampleError as exc:
        raise ExampleError(f"{block.path}:{block.line}: {exc}") from exc
    return body


def render(root: Path, workspaces: Workspaces) -> dict[str, tuple[str, str, list[str]]]:
    """Each document (relative path) with its text, its regenerated text, and the diffs of
    its blocks that differ beyond what varies (:func:`masked`)."""
    documents = {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for pattern in DOCUMENTS
        for path in sorted(root.glob(pattern))
    }
    found = {name: list(blocks(name, text)) for name, text in documents.items()}
    unnamed = [f"{block.path}:{block.line}" for each in found.values() for _, _, block in each
               if block.workspace is None]  # fmt: skip
    if unnamed:
        raise ExampleError(
            f"{', '.join(unnamed)}: a console block needs a `<!-- console: WORKSPACE -->` "
            "comment right above it (docs/regenerate.py)"
        )
    rendered: dict[str, tuple[str, str, list[str]]] = {}
    for name, text in documents.items():
        lines = text.split("\n")
        diffs: list[str] = []
        changes = []
        for start, end, block in found[name]:
            new = render_block(block, workspaces)
            if masked("\n".join(new)) == masked("\n".join(block.body)):
                continue
            diffs.append("\n".join(difflib.unified_diff(
                block.body, new, f"{name}:{block.line} (the example)",
                f"{name}:{block.line} (what the commands print now)", lineterm="",
            )))  # fmt: skip
            changes.append((start, end, new))
        for start, end, new in reversed(changes):  # from the end: the indexes stay valid
            lines[start:end] = new
        rendered[name] = (text, "\n".join(lines), diffs)
    return rendered


def regenerated(root: Path = REPO) -> dict[str, tuple[str, str, list[str]]]:
    """:func:`render` of the documents under ``root``, in a temporary folder removed after,
    with every warm engine an example started stopped."""
    with tempfile.TemporaryDirectory(prefix="kg-examples-") as folder:
        workspaces = Workspaces(Path(folder))
        try:
            return render(root, workspaces)
        finally:
            workspaces.stop_engines()


def check(root: Path = REPO) -> list[str]:
    """The diff of every example under ``root`` that differs from what its commands print
    now; empty when all agree."""
    return [diff for _, _, diffs in regenerated(root).values() for diff in diffs]


def update(root: Path = REPO) -> list[str]:
    """Rewrite the examples under ``root`` that differ; the documents rewritten."""
    changed = []
    for name, (old, new, _) in regenerated(root).items():
        if new != old:
            (root / name).write_text(new, encoding="utf-8")
            changed.append(name)
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true",
                        help="Print the examples that differ and exit 1; change nothing.")
    arguments = parser.parse_args()
    started = time.monotonic()
    try:
        if arguments.check:
            diffs = check()
            print("\n\n".join(diffs) or "every example prints what its commands print now")
        else:
            diffs = []
            print("\n".join(f"rewrote {name}" for name in update()) or "nothing to rewrite")
    except ExampleError as exc:
        sys.exit(f"error: {exc}")
    print(f"({time.monotonic() - started:.1f} s)", file=sys.stderr)
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()

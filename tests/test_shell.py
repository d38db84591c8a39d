"""``kg shell`` through a pseudo-terminal (pexpect), as a person at a keyboard uses it.

The store holds tests/data/names (see tests/test_resolve.py): three sentra, LPPSP and two
actors named 'Dinas Koperasi', one activity on Kampung Batik Malon.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.cli.shell import Completions

from .helpers import engine_socket, engines_in, running_a_query, wait_until

pexpect = pytest.importorskip("pexpect")

NAMES = Path(__file__).parent / "data" / "names"
KG = shutil.which("kg", path=str(Path(sys.executable).parent))
PROMPT = "kg>"
LONG_QUERY = "UNWIND range(1, 400000000) AS x RETURN sum(x) AS s;"
"""Several seconds on the embedded engine, whatever the data."""


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shell") / "store"
    result = CliRunner().invoke(cli, ["--store", str(path), "load", str(NAMES)])
    assert result.exit_code == 0, result.output
    return path


class Shell:
    """A ``kg shell`` in a 120-column pseudo-terminal."""

    def __init__(self, store: Path, history: Path, *args: str) -> None:
        assert KG is not None
        env = {
            "PATH": os.environ["PATH"],
            "TERM": "xterm",
            "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect does not answer cursor-position queries
            "KG_HISTORY": str(history),
        }
        self.store = store
        self.child = pexpect.spawn(
            KG, ["--store", str(store), "shell", *args], dimensions=(40, 120),
            encoding="utf-8", timeout=30, env=env,
        )  # fmt: skip
        self.child.expect(PROMPT)

    def ask(self, line: str, *answers: str) -> str:
        """Type ``line`` and Enter, wait for each of ``answers`` and the next prompt."""
        self.child.sendline(line)
        for answer in answers:
            self.child.expect_exact(answer)
        self.child.expect(PROMPT)
        return str(self.child.before)

    def engine_socket(self) -> str:
        """The socket of the shell's engine (started with the shell)."""
        [engine] = engines_in(self.store)
        return engine_socket(engine)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture
def shell(store_path: Path, tmp_path: Path) -> Iterator[Shell]:
    opened = Shell(store_path, tmp_path / "history")
    yield opened
    opened.close()


def test_a_named_query_answers_with_names_for_ids(shell: Shell) -> None:
    shell.ask(":q sentra_actors sentra=malon", "LPPSP", "(2 rows,")


def test_cypher_goes_on_over_lines_until_a_semicolon(shell: Shell) -> None:
    shell.child.sendline("MATCH (s:Sentra)")
    shell.child.expect_exact("...>")
    shell.ask("RETURN count(s) AS sentra;", "sentra", "3", "(1 row,")


def test_audit_answers_in_the_shell(shell: Shell) -> None:
    shell.ask(
        ":audit actor.unmapped",
        "Dinas Koperasi holds no R, A, C or I on any activity",
        "1 finding (0 errors, 1 warning) from 1 check",
    )


def test_audit_in_the_shell_reads_the_day_of_as_of(store_path: Path, tmp_path: Path) -> None:
    shell = Shell(store_path, tmp_path / "history", "--as-of", "2024-03-05")
    try:
        shell.ask(":audit actor.unmapped", "As of 2024-03-05", "1 finding")
    finally:
        shell.close()


def test_format_json_prints_json(shell: Shell) -> None:
    shell.ask(":format json")
    shell.ask("MATCH (z:Zone) RETURN z.name AS zone;", '"zone": "Wilayah Satu"')


def test_tab_completes_a_query_name(shell: Shell) -> None:
    shell.child.send(":q sentra_ac\t")
    shell.child.expect_exact("tors")  # drawn after "sentra_ac"
    shell.ask(" sentra=malon", "LPPSP")  # the line ran as ":q sentra_actors sentra=malon"


def test_ctrl_c_cancels_a_long_query_and_the_shell_goes_on(shell: Shell) -> None:
    socket = shell.engine_socket()
    shell.child.sendline(LONG_QUERY)
    assert wait_until(lambda: running_a_query(socket), 30.0)
    shell.child.sendintr()
    shell.child.expect_exact("cancelled")
    shell.child.expect(PROMPT)
    assert running_a_query(socket)  # the prompt came back before the query ended
    shell.ask(":q zone_sentra", "Wilayah Satu", "(3 rows,")


def test_ctrl_c_at_the_prompt_drops_the_lines_typed(shell: Shell) -> None:
    shell.child.sendline("MATCH (n)")
    shell.child.expect_exact("...>")
    shell.child.sendintr()
    shell.child.expect(PROMPT)
    shell.ask("RETURN 1 AS one;", "(1 row,")  # not one row per node of MATCH (n)


def test_the_shell_is_read_only_unless_started_with_write(store_path: Path, tmp_path: Path) -> None:
    shell = Shell(store_path, tmp_path / "history")
    try:
        shell.ask("CREATE (:Zone {id: 'z-9'});", "Error: this query writes to the graph")
    finally:
        shell.close()
    copy = tmp_path / "copy"
    assert CliRunner().invoke(cli, ["--store", str(copy), "load", str(NAMES)]).exit_code == 0
    shell = Shell(copy, tmp_path / "history", "--write")
    try:
        shell.ask("CREATE (:Zone {id: 'z-9', name: 'Sembilan'});")
        shell.ask("MATCH (z:Zone) RETURN count(z) AS zones;", "2", "(1 row,")
    finally:
        shell.close()


def test_ctrl_d_leaves_stops_the_engine_and_keeps_the_history(shell: Shell, tmp_path: Path) -> None:
    shell.ask(":q zone_sentra", "Wilayah Satu")
    assert engines_in(shell.store) != []
    shell.child.sendeof()
    shell.child.expect(pexpect.EOF)
    shell.child.close()
    assert shell.child.exitstatus == 0
    assert engines_in(shell.store) == []
    assert ":q zone_sentra" in (tmp_path / "history").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=["SIGTERM", "SIGHUP", "SIGKILL"]
)
def test_a_killed_shell_leaves_no_engine_running(shell: Shell, signum: int) -> None:
    socket = shell.engine_socket()
    shell.child.sendline(LONG_QUERY)
    assert wait_until(lambda: running_a_query(socket), 30.0)
    os.kill(shell.child.pid, signum)
    shell.child.expect(pexpect.EOF)
    assert wait_until(lambda: not engines_in(shell.store), 5.0), engines_in(shell.store)


# -- completion (no terminal needed) --------------------------------------------------------

NODES = [
    ("s-malon", "Sentra", "Kampung Batik Malon"),
    ("s-ligu", "Sentra", "Kampung Ligu"),
    ("a-1", "Actor", "LPPSP"),
]


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        (":au", [":audit"]),
        (":q sentra_ac", ["sentra_actors"]),
        (":q sentra_actors se", ["sentra="]),
        (":q sentra_actors sentra=kampung", ["'Kampung Batik Malon'", "'Kampung Ligu'"]),
        (":q actor_path source=lp", ["LPPSP"]),
        (":q node_neighbours id=lig", ["'Kampung Ligu'"]),
        (":audit kecamatan.un", ["kecamatan.unzoned"]),
        (":format j", ["json"]),
        (":raci 'kampung b", ["'Kampung Batik Malon'"]),
        (":q sentra_actors sentra=\"batik m", ["'Kampung Batik Malon'"]),
        ("MATCH (s:Sen", ["Sentra"]),
        ("MATCH (a)-[:FU", ["FUNDS"]),
        ("mat", ["MATCH"]),
        ("MATCH (s) WHERE s.name = 'kampung l", ["Kampung Ligu"]),
    ],
    ids=[
        "command", "query-name", "parameter", "node-parameter-by-name", "actor-parameter",
        "any-node-parameter",
        "check-id", "format", "raci-sentra", "quoted-value-with-blanks", "label",
        "relationship-type", "cypher-word",
        "node-name-in-quotes",
    ],
)  # fmt: skip
def test_tab_offers(typed: str, offered: list[str]) -> None:
    completions = Completions(lambda: NODES)(typed)
    assert [text for text, _, _ in completions] == offered


def test_a_quoted_name_is_replaced_whole() -> None:
    assert Completions(lambda: NODES)(":raci 'kampung b") == [
        ("'Kampung Batik Malon'", -len("'kampung b"), "Sentra")
    ]


def test_a_node_name_is_offered_for_a_part_of_it_and_replaces_that_part() -> None:
    assert Completions(lambda: NODES)(":q sentra_actors sentra=malo") == [
        ("'Kampung Batik Malon'", -4, "Sentra")
    ]

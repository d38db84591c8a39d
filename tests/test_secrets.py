"""Secrets: a Neo4j password never shows, and a failed connection says where and what to check.

Every test points at ``127.0.0.1:1``: loopback, where nothing listens, so the connection
is refused at once and no other address is ever contacted.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from neo4j.exceptions import Neo4jError

from kg.cli import cli
from kg.errors import StoreError
from kg.store import StoreConfig, open_store
from kg.store import neo4j_server as neo4j_store

from .conftest import TINY

SECRET = "s3cret-Sentra-pw"
URI = "bolt://127.0.0.1:1"

CONNECTING = {
    "analyze": ["analyze"],
    "audit": ["audit"],
    "chain": ["chain", "c-besi"],
    "cypher": ["cypher", "RETURN 1"],
    "export": ["export", "--format", "json", "-o", "{tmp}/graph.json"],
    "load": ["load", str(TINY)],
    "match": ["match"],
    "query": ["query", "actor_unmapped"],
    "raci": ["raci"],
    "report": ["report", "-o", "{tmp}/brief.html"],
    "shell": ["shell"],
    "stakeholders": ["stakeholders"],
    "stats": ["stats"],
    "timeline": ["timeline"],
    "viz": ["viz", "-o", "{tmp}/graph.html"],
    "whatif": ["whatif", "--without", "a-x"],
}
"""An invocation of every command that opens the store."""

OFFLINE = {"queries", "schema", "template", "diff", "engine"}
"""Commands that never open the configured store: ``diff`` reads the datasets or store
directories it is given; ``engine`` serves embedded stores only and refuses --uri."""

ENV = {"NEO4J_URI": URI, "NEO4J_USERNAME": "neo4j", "NEO4J_PASSWORD": SECRET,
       "NEO4J_DATABASE": None, "KG_STORE": None}


def invoke(args: list[str], tmp_path: Path, env: dict[str, str | None] = ENV) -> Result:
    return CliRunner().invoke(cli, [a.format(tmp=tmp_path) for a in args], env=env)


def assert_refused_without_secret(result: Result, shown_uri: str = URI) -> None:
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert SECRET not in result.output and SECRET not in result.stderr
    assert "Traceback" not in result.output
    assert result.stderr.startswith(f"Error: cannot connect to Neo4j at {shown_uri} ")
    assert "check NEO4J_URI/--uri" in result.stderr and "NEO4J_PASSWORD" in result.stderr


def test_every_command_is_covered() -> None:
    # A new command that opens the store must be added to CONNECTING.
    assert set(cli.commands) == CONNECTING.keys() | OFFLINE


@pytest.mark.parametrize("name", sorted(CONNECTING), ids=sorted(CONNECTING))
def test_unreachable_neo4j_fails_clearly_without_the_password(
    tmp_path: Path, name: str
) -> None:
    assert_refused_without_secret(invoke(CONNECTING[name], tmp_path))


def test_password_given_as_an_option_is_not_shown(tmp_path: Path) -> None:
    env = {**ENV, "NEO4J_PASSWORD": None}
    result = invoke(["--uri", URI, "--user", "neo4j", "--password", SECRET, "stats"], tmp_path,
                    env)
    assert_refused_without_secret(result)


@pytest.mark.parametrize(
    "uri, shown",
    [(f"bolt://neo4j:{SECRET}@127.0.0.1:1", "bolt://127.0.0.1:1"),
     (f"neo4j://neo4j:{SECRET}@127.0.0.1:1", "neo4j://127.0.0.1:1"),
     (f"bolt://neo4j:{SECRET}/@x@127.0.0.1:1", "bolt://127.0.0.1:1")],
    ids=["bolt", "neo4j-routing", "password-with-slash-and-at"],
)
def test_credentials_inside_the_uri_are_refused_without_showing_them(
    tmp_path: Path, uri: str, shown: str
) -> None:
    result = invoke(["stats"], tmp_path, {**ENV, "NEO4J_URI": uri, "NEO4J_PASSWORD": None})
    assert result.exit_code == 2, result.output
    assert SECRET not in result.output
    assert result.stderr == (
        f"Error: the Neo4j URI {shown} holds a user name or password (before '@'); give them "
        "as NEO4J_USERNAME / NEO4J_PASSWORD (or --user / --password) instead\n"
    )


def chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and every exception it was caused by or raised during, groups included."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
        if isinstance(current, BaseExceptionGroup):
            pending += list(current.exceptions)


@pytest.mark.parametrize(
    "config",
    [StoreConfig(uri=URI, user="neo4j", password=SECRET),
     StoreConfig(uri=f"bolt://neo4j:{SECRET}@127.0.0.1:1"),
     StoreConfig(uri="neo4j://127.0.0.1:1", user="neo4j", password=SECRET)],
    ids=["password", "uri-credentials", "routing"],
)
def test_exception_chain_never_holds_the_password(config: StoreConfig) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(config)
    for error in chain(caught.value):
        assert SECRET not in f"{error!s} {error!r} {error.args!r}", type(error)
    assert SECRET not in "".join(traceback.format_exception(caught.value))


def test_driver_logs_never_hold_the_password(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG), pytest.raises(StoreError):
        open_store(StoreConfig(uri=URI, user="neo4j", password=SECRET))
    assert caplog.records, "precondition: the driver logged its attempt"
    assert SECRET not in caplog.text


def test_config_repr_never_shows_the_password() -> None:
    assert SECRET not in repr(StoreConfig(uri=URI, user="neo4j", password=SECRET))


class _RefusingSession:
    """A session on a server that has no such database."""

    def __enter__(self) -> _RefusingSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, query: str) -> None:
        raise Neo4jError._hydrate_neo4j(
            code="Neo.ClientError.Database.DatabaseNotFound",
            message="Database does not exist. Database name: 'sentra'.",
        )


class _ReachableDriver:
    closed = False

    def verify_connectivity(self) -> None:
        return None

    def session(self, database: str | None = None) -> _RefusingSession:
        return _RefusingSession()

    def close(self) -> None:
        self.closed = True


def test_missing_database_fails_clearly_and_closes_the_driver(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = _ReachableDriver()
    monkeypatch.setattr(neo4j_store.GraphDatabase, "driver", lambda uri, auth: driver)
    result = invoke(["stats"], tmp_path, {**ENV, "NEO4J_DATABASE": "sentra"})
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: Neo4j at {URI} refused to set up the store (Database does not exist. "
        "Database name: 'sentra'.); check NEO4J_DATABASE/--database and that the user may "
        "create constraints\n"
    )
    assert driver.closed

"""The same load, queries and audit on a live Neo4j 5 (opt-in: set NEO4J_URI).

The tests load into the configured database, so they refuse to run on one that is not
empty. NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE are read as the CLI reads them.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import audit, queries
from kg.cli import cli
from kg.errors import QueryError
from kg.loaders import load
from kg.stats import graph_counts as counts
from kg.store import Store, StoreConfig, open_store

from .conftest import TINY

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI is not set"),
]


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    config = StoreConfig.from_env()
    with open_store(config, write=True) as neo4j:
        if neo4j.run("MATCH (n) RETURN count(n) AS n").scalar():
            pytest.skip(f"{config.display} is not empty; use an empty database for these tests")
        load(neo4j, [TINY])
        try:
            yield neo4j
        finally:
            neo4j.execute("MATCH (n) DETACH DELETE n")


def test_counts_match_the_embedded_engine(store: Store, tmp_path: Path) -> None:
    with open_store(StoreConfig(path=tmp_path / "embedded"), write=True) as embedded:
        load(embedded, [TINY])
        assert counts(store) == counts(embedded)


@pytest.mark.parametrize("name", sorted(queries.all_queries()))
def test_every_query_runs(store: Store, name: str) -> None:
    query = queries.get(name)
    sample = {"str": "s-logam", "list": ["c-besi"], "int": 1, "float": 0.5, "bool": True}
    params = {p.name: sample[p.type] for p in query.params if p.required}
    assert tuple(store.run(query.text, query.bind(params)).columns) == query.columns


def test_audit_matches_the_embedded_engine(store: Store, tmp_path: Path) -> None:
    with open_store(StoreConfig(path=tmp_path / "embedded"), write=True) as embedded:
        load(embedded, [TINY])
        expected = audit.to_json(audit.run_audit(embedded))
    assert audit.to_json(audit.run_audit(store)) == expected


def test_reads_cannot_write(store: Store) -> None:
    with pytest.raises(QueryError, match="--write"):
        store.run("CREATE (:Actor {id: 'intruder'})")


def test_reloading_is_idempotent(store: Store) -> None:
    before = counts(store)
    load(store, [TINY])
    assert counts(store) == before


def test_cli_stats_against_neo4j(store: Store) -> None:
    result = CliRunner().invoke(cli, ["stats", "--format", "json"])
    assert result.exit_code == 0
    assert {r["name"]: r["count"] for r in json.loads(result.output)}["Actor"] == 3

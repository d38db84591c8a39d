"""Injection: values that look like Cypher stay data, and read-only means read-only.

Names and extra columns full of quotes, backslashes, ``$params`` and Cypher load as plain
text and are found again through parameters; no query text is ever built from a value;
``kg cypher`` without ``--write`` cannot change the graph.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.loaders import load, read_dataset
from kg.store import StoreConfig, open_store
from kg.store.embedded import EmbeddedStore
from kg.store.layout import StoreLayout

from .conftest import TINY

NASTY = {
    "a-quote-brace": "'}) DETACH DELETE n //",
    "a-double-quote": '"}) DETACH DELETE n //',
    "a-match-delete": "x'}) WITH 1 AS x MATCH (m) DETACH DELETE m RETURN 1 //",
    "a-backslashes": "C:\\Users\\sentra\\",
    "a-escaped-quote": "\\'}) RETURN 1 //",
    "a-escaped-double": '\\"}) RETURN 1 //',
    "a-param": "$name $rows {id: $id}",
    "a-backtick": "`}) DETACH DELETE n //`",
    "a-newline": "Baris satu\n}) DETACH DELETE n //\nBaris dua",
    "a-comment": "/* */ RETURN 1; CREATE (x) //",
    "a-call": "CALL db.idx.fulltext.createNodeIndex('Actor', 'name')",
    "a-emoji": "Batik 🧵🇮🇩 \u201ckutip\u201d \u2018tunggal\u2019",
    "a-escapes": "\\n \\t \\u0041 \\\\ \\b",
}
"""Actor id -> a name that would break a query built by pasting text."""

ACTORS_CSV = TINY / "actors.csv"


def kg(store: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", str(store), *args])


def cypher_json(store: Path, text: str, *params: str) -> list[dict[str, object]]:
    args = [arg for param in params for arg in ("-p", param)]
    result = kg(store, "cypher", text, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    records: list[dict[str, object]] = json.loads(result.output)
    return records


def fingerprint(store: Path) -> tuple[str, str, str]:
    """Counts, indexes, and the saved graph file's hash."""
    stats = kg(store, "stats", "--format", "json")
    indexes = kg(store, "cypher", "CALL db.indexes() YIELD label, properties "
                 "RETURN label, properties ORDER BY label", "--format", "json")
    assert stats.exit_code == 0 and indexes.exit_code == 0, stats.output + indexes.output
    digest = hashlib.sha256((store / "graph.rdb").read_bytes()).hexdigest()
    return stats.output, indexes.output, digest


def nasty_dataset(root: Path) -> Path:
    """tiny, plus one actor per nasty name, each with the name again in an extra column."""
    dataset = root / "nasty"
    shutil.copytree(TINY, dataset)
    lines = ACTORS_CSV.read_text(encoding="utf-8").splitlines()
    rows = [lines[0] + ",note", *(line + "," for line in lines[1:])]
    for actor_id, name in NASTY.items():
        quoted = '"' + name.replace('"', '""') + '"'
        rows.append(f"{actor_id},{quoted},community,{quoted}")
    (dataset / "actors.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return dataset


@pytest.fixture(scope="module")
def nasty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("injection")
    store = root / "store"
    result = kg(store, "load", str(nasty_dataset(root)))
    assert result.exit_code == 0, result.output
    return store


def test_nasty_names_load_as_plain_text_and_nothing_is_lost(nasty_store: Path) -> None:
    rows = cypher_json(nasty_store, "MATCH (a:Actor) RETURN a.id AS id, a.name AS name, "
                                    "a.note AS note ORDER BY id")
    stored = {row["id"]: (row["name"], row["note"]) for row in rows}
    assert {k: stored[k] for k in NASTY} == {k: (v, v) for k, v in NASTY.items()}
    assert len(rows) == 3 + len(NASTY)
    data = "MATCH (n) WHERE NOT n:KgDataset RETURN count(n) AS n"
    assert cypher_json(nasty_store, data) == [{"n": 14 + len(NASTY)}]


@pytest.mark.parametrize("actor_id", sorted(NASTY), ids=sorted(NASTY))
def test_nasty_name_is_found_through_a_parameter(nasty_store: Path, actor_id: str) -> None:
    found = cypher_json(nasty_store, "MATCH (n {name: $name}) RETURN n.id AS id",
                        f"name={NASTY[actor_id]}")
    assert found == [{"id": actor_id}]


def test_named_query_finds_a_node_by_id_beside_nasty_names(nasty_store: Path) -> None:
    result = kg(nasty_store, "query", "node_properties", "-p", "id=a-quote-brace",
                "--format", "json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["properties"]["name"] == NASTY["a-quote-brace"]


@pytest.mark.parametrize("actor_id", ["a-quote-brace", "a-double-quote", "a-backslashes"],
                         ids=["quote-brace", "double-quote", "backslashes"])
def test_nasty_text_as_a_named_query_parameter_matches_nothing_and_changes_nothing(
    nasty_store: Path, actor_id: str
) -> None:
    before = fingerprint(nasty_store)
    result = kg(nasty_store, "query", "node_properties", "-p", f"id={NASTY[actor_id]}",
                "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []
    assert fingerprint(nasty_store) == before


def test_no_query_text_holds_a_value_from_the_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every text the loader sends, fresh load and merge alike, apart from its parameters.
    sent: list[str] = []
    run, query = EmbeddedStore.run, EmbeddedStore._query

    def spy_run(self: EmbeddedStore, text: str, params: Any = None) -> Any:
        sent.append(text)
        return run(self, text, params)

    def spy_query(self: EmbeddedStore, text: str, params: Any) -> Any:
        sent.append(text)
        return query(self, text, params)

    monkeypatch.setattr(EmbeddedStore, "run", spy_run)
    monkeypatch.setattr(EmbeddedStore, "_query", spy_query)
    dataset = nasty_dataset(tmp_path)
    for _ in ("fresh", "merge"):
        # Without the record of the last load, the reload reads the store back and plans
        # from it (with the record it would send no query at all: nothing changed).
        StoreLayout(tmp_path / "store").record_file.unlink(missing_ok=True)
        with open_store(StoreConfig(path=tmp_path / "store"), write=True) as store:
            load(store, [dataset])

    values = [*NASTY.values(), *(node.id for node in read_dataset([dataset]).nodes)]
    assert len(sent) > 10
    assert [(v, t) for v in values for t in sent if v in t] == []


WRITES = {
    "create": "CREATE (:Actor {id: 'x', name: 'X', kind: 'business'})",
    "merge": "MERGE (:Actor {id: 'a-disperin'})-[:MEMBER_OF]->(:Actor {id: 'a-lppsp'})",
    "set": "MATCH (a:Actor) SET a.name = 'hacked'",
    "remove": "MATCH (a:Actor) REMOVE a.name",
    "delete-relationships": "MATCH ()-[r]->() DELETE r",
    "detach-delete": "MATCH (n) DETACH DELETE n",
    "write-in-subquery": "MATCH (n) CALL { WITH n SET n.x = 1 } RETURN count(n)",
    "create-index": "CREATE INDEX FOR (n:Market) ON (n.name)",
    "drop-index": "DROP INDEX FOR (n:Actor) ON (n.id)",
    "fulltext-index": "CALL db.idx.fulltext.createNodeIndex('Actor', 'name')",
    "vector-index": "CREATE VECTOR INDEX FOR (n:Actor) ON (n.embedding) "
                    "OPTIONS {dimension: 2, similarityFunction: 'euclidean'}",
}


@pytest.mark.parametrize("query", list(WRITES.values()), ids=list(WRITES))
def test_cypher_without_write_cannot_change_the_graph(nasty_store: Path, query: str) -> None:
    before = fingerprint(nasty_store)
    result = kg(nasty_store, "cypher", query)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "Error: this query writes to the graph; rerun with --write to allow it\n"
    )
    assert fingerprint(nasty_store) == before


def test_cypher_with_write_does_change_the_graph(tmp_path: Path) -> None:
    # The same kind of text as above, to show that the refusal is what kept it unchanged.
    store = tmp_path / "store"
    assert kg(store, "load", str(TINY)).exit_code == 0
    result = kg(store, "cypher", "--write", WRITES["set"])
    assert result.exit_code == 0, result.output
    names = cypher_json(store, "MATCH (a:Actor) RETURN DISTINCT a.name AS name")
    assert names == [{"name": "hacked"}]


@pytest.mark.parametrize("param", ["=x", "a`b=1"], ids=["empty-name", "backtick-name"])
def test_parameter_names_the_engine_cannot_take_are_refused_cleanly(
    nasty_store: Path, param: str
) -> None:
    result = kg(nasty_store, "cypher", "RETURN 1", "-p", param)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: cannot pass these parameters to the engine: ")
    assert "Traceback" not in result.output


def test_parameter_that_is_not_unicode_text_is_refused_cleanly(nasty_store: Path) -> None:
    # A command-line argument that is not UTF-8 reaches Python as lone surrogates.
    value = os.fsdecode(b"\xff\xfe")
    result = kg(nasty_store, "cypher", "RETURN $x AS x", "-p", f"x={value}")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: cannot pass these parameters to the engine: ")


@pytest.mark.neo4j
@pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI is not set")
@pytest.mark.parametrize("query", [WRITES["create"], WRITES["create-index"]],
                         ids=["create", "create-index"])
def test_neo4j_read_without_write_cannot_change_the_graph(query: str) -> None:
    config = StoreConfig.from_env()
    with open_store(config) as store:
        before = store.run("MATCH (n) RETURN count(n) AS n").scalar()
    result = CliRunner().invoke(cli, ["cypher", query])
    assert result.exit_code == 2, result.output
    assert "rerun with --write" in result.stderr
    with open_store(config) as store:
        assert store.run("MATCH (n) RETURN count(n) AS n").scalar() == before

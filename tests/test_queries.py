"""Every query file: its header parses, it runs on the engine, Neo4j's linter accepts it."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from kg import queries
from kg.errors import QueryError
from kg.store import StoreConfig, open_store

from .conftest import TINY

QUERIES = sorted(queries.all_queries())
LINTER = Path(__file__).parent / "cypher_lint"
UNDECLARED_PARAMETER = re.compile(r"^Parameter \$.+ is not defined\.$")
SAMPLE = {"str": "s-logam", "list": ["c-besi"], "int": 1, "float": 0.5, "bool": True}
SAMPLE_BY_NAME = {"as_of": "2025-06-30"}
"""Samples for parameters whose name says more than their type (the day audited)."""


def names_in_code() -> set[str]:
    """Every string literal of the library and the loader (kg/, loaders/): a query they
    run is named by one (``queries.run(store, "node_index")``, ``QUERIES = (...)``)."""
    root = Path(__file__).resolve().parents[1]
    return {
        node.value
        for folder in ("kg", "loaders")
        for path in (root / folder).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def query_file(name: str) -> Path:
    return Path(str(files("kg.queries").joinpath(f"{name}.cypher")))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from kg.loaders import load

    config = StoreConfig(path=tmp_path_factory.mktemp("queries") / "store")
    with open_store(config, write=True) as writable:
        load(writable, [TINY])
    with open_store(config) as readable:
        yield readable


@pytest.fixture(scope="module")
def lint_report() -> dict[str, list[dict[str, Any]]]:
    node = shutil.which("node")
    if node is None or not (LINTER / "node_modules").is_dir():
        if os.environ.get("CI"):
            pytest.fail("Neo4j's linter is not installed: run npm ci --prefix tests/cypher_lint")
        pytest.skip("Neo4j's linter is not installed (npm ci --prefix tests/cypher_lint)")
    paths = [str(query_file(name)) for name in QUERIES]
    done = subprocess.run(
        [node, str(LINTER / "lint.mjs"), *paths],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    report = json.loads(done.stdout)
    return {Path(f["path"]).stem: f["diagnostics"] for f in report["files"]}


def test_there_are_twenty_seven_checks() -> None:
    # The 13 of DESIGN.md's table, the six of stakeholder assessment (issue 17), and the
    # eight of the follow-up audited as of a day (issue 25).
    assert len(queries.checks()) == 27


@pytest.mark.parametrize("name", QUERIES, ids=QUERIES)
def test_header_declares_name_description_and_columns(name: str) -> None:
    query = queries.get(name)
    assert query.name == name
    assert query.description and query.columns
    assert query.text == query_file(name).read_text(encoding="utf-8")


def test_a_query_is_internal_exactly_when_only_the_library_or_the_loader_uses_it() -> None:
    """Internal: named by the code and not one of the analysts' queries. A query the
    library also builds on (the brief runs sentra_actors) stays listed when the README
    shows analysts running it."""
    named = names_in_code() & set(QUERIES)
    internal = {name for name, query in queries.all_queries().items() if query.internal}
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for_analysts = {name for name in QUERIES if f"kg query {name}" in readme}
    assert internal == named - for_analysts


@pytest.mark.parametrize("name", QUERIES, ids=QUERIES)
def test_query_runs_on_the_embedded_engine_with_declared_columns(store: Any, name: str) -> None:
    query = queries.get(name)
    params = {
        p.name: SAMPLE_BY_NAME.get(p.name, SAMPLE[p.type]) for p in query.params if p.required
    }
    result = store.run(query.text, query.bind(params))
    assert tuple(result.columns) == query.columns


@pytest.mark.parametrize("name", QUERIES, ids=QUERIES)
def test_neo4j_linter_accepts_the_query(lint_report: dict[str, Any], name: str) -> None:
    diagnostics = [d for d in lint_report[name] if not UNDECLARED_PARAMETER.match(d["message"])]
    assert diagnostics == []


def test_linter_is_not_silently_passing(lint_report: dict[str, Any], tmp_path: Path) -> None:
    bad = tmp_path / "bad.cypher"
    bad.write_text("MATCH (n) WHERE size((n)-->()) > 1 RETURN id(n)\n")
    done = subprocess.run(
        ["node", str(LINTER / "lint.mjs"), str(bad)], capture_output=True, text=True, check=True
    )
    messages = [d["message"] for d in json.loads(done.stdout)["files"][0]["diagnostics"]]
    assert len(messages) >= 2


def test_undeclared_parameter_is_refused() -> None:
    text = "// name: q\n// description: d\n// columns: x\nRETURN $x AS x\n"
    with pytest.raises(QueryError, match="undeclared parameter"):
        queries.parse("q", text)


def test_unused_parameter_is_refused() -> None:
    text = "// name: q\n// description: d\n// param: x: int\n// columns: x\nRETURN 1 AS x\n"
    with pytest.raises(QueryError, match="unused parameter"):
        queries.parse("q", text)


def test_parameter_inside_a_string_literal_is_not_a_use() -> None:
    text = "// name: q\n// description: d\n// columns: x\nRETURN '$x' AS x\n"
    assert queries.parse("q", text).params == ()


def test_check_needs_a_severity() -> None:
    text = "// name: q\n// description: d\n// columns: x\n// check: a.b\nRETURN 1 AS x\n"
    with pytest.raises(QueryError, match="needs both"):
        queries.parse("q", text)


def test_internal_needs_a_reason() -> None:
    text = "// name: q\n// description: d\n// columns: x\n// internal:\nRETURN 1 AS x\n"
    with pytest.raises(QueryError, match="'internal:' needs a reason"):
        queries.parse("q", text)


def test_internal_gives_its_reason() -> None:
    text = "// name: q\n// description: d\n// columns: x\n// internal: used by x\nRETURN 1 AS x\n"
    assert queries.parse("q", text).internal == "used by x"


def test_defaults_and_conversion() -> None:
    query = queries.get("sentra_low_occupancy")
    assert query.bind() == {"occupancy_below": 0.7}
    assert query.bind({"occupancy_below": "0.25"}) == {"occupancy_below": 0.25}

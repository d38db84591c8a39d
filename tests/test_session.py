"""The notebook API: ``kg.open`` keeps one store open; results show as HTML or text.

Most tests read tests/data/names (see tests/test_resolve.py for what it holds); the tour
notebook, docs/tour.ipynb, runs through a real Jupyter kernel on the bundled data.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.errors import ExportError, QueryError
from kg.session import Result, Session, Table

from .conftest import engine_pids

ROOT = Path(__file__).resolve().parents[1]
NAMES = Path(__file__).parent / "data" / "names"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("session") / "store"
    result = CliRunner().invoke(cli, ["--store", str(path), "load", str(NAMES)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def kb(store_path: Path) -> Iterator[Session]:
    with kg.open(store_path) as session:
        yield session


def test_a_named_query_takes_names_for_its_node_parameters(kb: Session) -> None:
    result = kb.query("sentra_actors", sentra="malon")
    assert [row[0] for row in result.rows] == ["a-1", "a-3"]


def test_cypher_takes_parameters(kb: Session) -> None:
    result = kb.cypher("MATCH (s:Sentra {id: $id}) RETURN s.name AS name", id="s-logam")
    assert result.records() == [{"name": "Sentra Logam"}]


def test_a_read_only_session_refuses_a_write(kb: Session) -> None:
    with pytest.raises(QueryError, match="writes to the graph"):
        kb.cypher("CREATE (:Zone {id: 'z-new'})")


def test_audit_chain_raci_and_match_answer_as_the_commands_do(kb: Session) -> None:
    unmapped = kb.audit(["actor.unmapped"]).checks[0]
    assert [f.subject for f in unmapped.findings] == ["a-2"]
    assert kb.chain("kain").paths == [["c-kain", "c-batik"]]
    assert kb.chain("batik tulis", up=True).paths == [["c-batik", "c-kain"]]
    assert kb.raci("malon").columns == ["activity", "Dinas Koperasi", "LPPSP"]
    assert kb.raci("malon").rows == [["Pelatihan pemasaran", "A", "R"]]
    assert kb.match("meteseh").to_json() == kb.match("s-meteseh").to_json()


def test_analyze_and_critical_answer_as_kg_analyze_does(kb: Session) -> None:
    actors = kb.analyze(top=2).table()[1]
    assert [row[0] for row in actors] == ["a-1", "a-2"]
    critical = kb.critical().to_json()["actors"]
    assert [(a["id"], a["errors"]) for a in critical] == [("a-1", 1), ("a-3", 1)]


def test_an_ambiguous_name_says_which_nodes_it_could_be(kb: Session) -> None:
    with pytest.raises(QueryError, match=r"did you mean 'Kampung Batik Malon' \(s-malon\)"):
        kb.raci("batik")


def test_graph_is_the_whole_graph_in_networkx(kb: Session) -> None:
    graph = kb.graph()
    assert graph.number_of_nodes() == 11
    assert graph.nodes["s-malon"]["label"] == "Sentra"


def test_a_result_shows_as_an_escaped_html_table() -> None:
    result = Result(Table(["name", "tags"], [["<b>Batik</b> & co", ["a", "b"]]]))
    assert result._repr_html_() == (
        '<table class="sentra-kg"><thead><tr><th>name</th><th>tags</th></tr></thead>'
        "<tbody><tr><td>&lt;b&gt;Batik&lt;/b&gt; &amp; co</td><td>a|b</td></tr></tbody></table>"
    )


def test_a_result_shows_as_a_text_table_outside_jupyter() -> None:
    assert repr(Result(Table(["id"], [["s-1"]]))) == "id\n---\ns-1"


def test_a_long_result_shows_its_first_rows_and_counts_the_rest() -> None:
    shown = Result(Table(["n"], [[n] for n in range(250)]))._repr_html_()
    assert shown.count("<tr>") == 1 + 200
    assert "… 50 more rows" in shown


def test_a_report_shows_its_titles_and_items(kb: Session) -> None:
    shown = kb.audit(["actor.unmapped"])._repr_html_()
    assert "<h4>" in shown and "<li>" in shown


def test_the_audit_names_what_it_audited_as_kg_audit_does(kb: Session) -> None:
    from kg.output import render_report

    report = kb.audit(["actor.unmapped"], as_of="2025-06-30").report
    title = render_report(report, "markdown").splitlines()[0]
    assert title == "# sentra-kg audit of names as of 2025-06-30"


def test_to_pandas_makes_a_data_frame(kb: Session) -> None:
    pytest.importorskip("pandas")
    frame = kb.raci("malon").to_pandas()
    assert list(frame.columns) == ["activity", "Dinas Koperasi", "LPPSP"]
    assert frame.iloc[0].tolist() == ["Pelatihan pemasaran", "A", "R"]


def test_viz_shows_the_offline_page_in_an_escaped_srcdoc(kb: Session, tmp_path: Path) -> None:
    drawing = kb.viz(sentra="malon", physics=False)
    shown = drawing._repr_html_()
    assert shown.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    srcdoc = re.fullmatch(r'<iframe srcdoc="([^"]*)" sandbox="allow-scripts" .*', shown, re.S)
    assert srcdoc is not None
    assert "<" not in srcdoc.group(1)
    assert html.unescape(srcdoc.group(1)) == drawing.html
    assert "Kampung Batik Malon" in drawing.html
    assert drawing.save(tmp_path / "malon.html").read_text(encoding="utf-8") == drawing.html


def test_a_drawing_is_never_saved_into_a_store(kb: Session, store_path: Path) -> None:
    graph_file = store_path / "graph.rdb"
    before = graph_file.read_bytes()
    drawing = kb.viz(sentra="malon", physics=False)
    for target in (graph_file, store_path / "page.html"):
        with pytest.raises(ExportError, match="lies in the store"):
            drawing.save(target)
    assert graph_file.read_bytes() == before
    assert not (store_path / "page.html").exists()


@pytest.mark.parametrize(
    ("options", "arguments"),
    [
        ({}, []),
        (
            {"view": "raci", "highlight_gaps": "warning", "lang": "id"},
            ["--view", "raci", "--highlight-gaps", "warning", "--lang", "id"],
        ),
        ({"sentra": "malon", "highlight_gaps": True}, ["--sentra", "malon", "--highlight-gaps"]),
    ],
    ids=["network", "raci-warnings-in-indonesian", "sentra-errors"],
)
def test_viz_draws_the_page_kg_viz_writes(
    store_path: Path, tmp_path: Path, options: dict[str, object], arguments: list[str]
) -> None:
    """Title, language and the severities marked included: one function draws both."""
    out = tmp_path / "page.html"
    command = ["--store", str(store_path), "viz", "--no-physics", "-o", str(out), *arguments]
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 0, result.output
    with kg.open(store_path) as kb:
        drawing = kb.viz(physics=False, **options)  # type: ignore[arg-type]
    assert drawing.html == out.read_text(encoding="utf-8")


def test_viz_starts_its_time_slider_on_as_of(tmp_path: Path) -> None:
    """The assessments are dated (2024-01-10, 2025-02-01): the page has the slider."""
    store = tmp_path / "store"
    dataset = NAMES.parent / "assessments"
    loaded = CliRunner().invoke(cli, ["--store", str(store), "load", str(dataset)])
    assert loaded.exit_code == 0, loaded.output
    with kg.open(store) as kb:
        drawing = kb.viz(physics=False, as_of=date(2024, 6, 1))
    data = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', drawing.html)
    assert data is not None
    assert json.loads(data.group(1))["timeline"] == {
        "first": "2024-01-10", "last": "2025-02-01", "start": "2024-06-01",
        "days": ["2024-01-10", "2025-02-01"],
    }


def test_the_engine_runs_for_the_session_and_stops_when_it_closes(store_path: Path) -> None:
    before = engine_pids()
    kb = kg.open(store_path)
    assert len(engine_pids() - before) == 1
    kb.query("zone_sentra")
    kb.raci()
    assert len(engine_pids() - before) == 1  # the same engine answered both
    kb.close()
    assert engine_pids() - before == set()
    with pytest.raises(QueryError, match="this session is closed"):
        kb.raci()


def test_a_write_session_loads_and_reads_in_one(tmp_path: Path) -> None:
    with kg.open(tmp_path / "store", write=True) as kb:
        report = kb.load(NAMES)
        assert report.nodes == 11
        assert kb.resolve("lppsp", "Actor") == "a-3"
    with kg.open(tmp_path / "store") as kb, pytest.raises(QueryError, match="read-only"):
        kb.load(NAMES)


def test_a_directory_named_wins_over_neo4j_uri(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j://nowhere.invalid:7687")
    with kg.open(store_path) as kb:
        assert kb.config.uri is None
        assert kb.cypher("RETURN 1 AS one").rows == [[1]]


@pytest.mark.slow
def test_the_tour_notebook_runs_in_a_jupyter_kernel_and_stops_its_engine(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.read(ROOT / "docs" / "tour.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook, kernel_name="python3", timeout=120, resources={"metadata": {"path": tmp_path}}
    )
    # The kernel's temporary files (the store, the engine's socket) go under tmp_path.
    client.execute(env={**os.environ, "TMPDIR": str(tmp_path)})
    shown = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    assert not [o for o in shown if o.output_type == "error"]
    htmls = [o["data"]["text/html"] for o in shown if "text/html" in o.get("data", {})]
    tables = [h for h in htmls if '<table class="sentra-kg">' in h]
    assert len(tables) == 4  # sentra_actors, raci, chain, cypher
    assert "Pengurus IKM Logam" in tables[0]
    (drawing,) = [h for h in htmls if h.startswith("<iframe srcdoc=")]
    assert "Sentra IKM Logam Kawasan Industri Wijaya Kusuma (KIW)" in html.unescape(drawing)
    printed = "".join(o.get("text", "") for o in shown)
    assert "'batik' matches 2 Sentra nodes; did you mean" in printed
    assert engines_in(tmp_path) == []
    assert list(tmp_path.iterdir()) == []  # the tour removed its store


def engines_in(folder: Path) -> list[int]:
    """Pids of processes working in ``folder`` (an embedded engine works in its store)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(folder) in os.readlink(entry / "cwd"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found

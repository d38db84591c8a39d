"""kg serve's pages over days and words, through Starlette's TestClient: the canvas's time
slider (the days of kg viz's slider, the findings of the slider's day), the timeline
(what kg timeline shows), the stakeholder grid drawn, and a node's properties named in
the page's language."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib.resources import files
from typing import Any

import pytest
from pydantic.alias_generators import to_snake
from starlette.testclient import TestClient

from kg.audit import run_audit
from kg.catalogue import catalogue
from kg.followup import timeline
from kg.graph import to_networkx
from kg.indicators import indicator_series
from kg.schema.names import COLUMN_WORDS
from kg.serve.app import IDS, Knowledge, create_app
from kg.store import StoreConfig, open_store
from kg.viz.days import DATED_BY, closed_on, known_from
from kg.viz.grid import GRID_STYLE

from .serve_support import HOSTILE, HOSTILE_ID, hostile_store

TOKEN = "test-token-pages"
AS_OF = datetime.date(2026, 12, 1)
"""The server's day (``kg serve --as-of``)."""
PORT = 8124
COMMITMENT = "kom-regulasi-pusat-ikm"
"""A commitment of the bundled data, made on 2022-05-12 and still open."""


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Knowledge]:
    store_path = hostile_store(tmp_path_factory.mktemp("serve-pages"))
    with open_store(StoreConfig(path=store_path)) as store:
        yield Knowledge(store, "en", AS_OF)


@pytest.fixture
def client(knowledge: Knowledge) -> TestClient:
    client = TestClient(create_app(knowledge, token=TOKEN, port=PORT),
                        base_url=f"http://127.0.0.1:{PORT}")
    client.get(f"/?token={TOKEN}")
    return client


def ids_query(ids: list[str], **params: str) -> list[tuple[str, str]]:
    return [*params.items(), *(("id", node) for node in ids)]


# -- the time slider ---------------------------------------------------------------------------


def test_the_slider_dates_each_node_by_kg_vizs_rule(
    client: TestClient, knowledge: Knowledge
) -> None:
    graph = to_networkx(knowledge.store)
    expected = {
        node: {"from": known_from(attrs), "closed": closed_on(attrs)}
        for node, attrs in graph.nodes(data=True) if attrs["label"] in DATED_BY
    }
    assert expected[COMMITMENT] == {"from": "2022-05-12", "closed": None}
    assert any(day["from"] is None for day in expected.values())  # a target: every day
    ids = sorted(graph.nodes)
    found: dict[str, Any] = {}
    for start in range(0, len(ids), IDS):
        answer = client.get("/api/days", params=ids_query(ids[start:start + IDS]))
        assert answer.status_code == 200
        found |= answer.json()
    assert found == expected


def test_the_query_of_dated_nodes_reads_every_label_kg_viz_dates() -> None:
    text = files("kg.queries").joinpath("dated_nodes.cypher").read_text(encoding="utf-8")
    assert set(re.findall(r"MATCH \(n:(\w+) ", text)) == set(DATED_BY)


@pytest.mark.parametrize(("ids", "reason"), [
    ([], "missing parameter 'id'"),
    ([f"n{i}" for i in range(IDS + 1)], f"more than {IDS}"),
    (["x" * 201], "longer than"),
], ids=["none", "too-many", "too-long"])
def test_days_and_gaps_refuse_no_or_too_many_ids(
    client: TestClient, ids: list[str], reason: str
) -> None:
    for path in ("/api/days", "/api/gaps"):
        answer = client.get(path, params=ids_query(ids))
        assert answer.status_code == 400
        assert reason in answer.json()["error"]


@pytest.mark.parametrize("day", ["2022-05-11", AS_OF.isoformat()])
def test_the_rings_of_the_sliders_day_are_that_days_findings(
    client: TestClient, knowledge: Knowledge, day: str
) -> None:
    about: dict[str, set[str]] = {}
    for check in run_audit(knowledge.store, as_of=day):
        for finding in check.findings:
            for node in (finding.subject, *finding.related):
                about.setdefault(node, set()).add(check.severity.value)
    ids = [COMMITMENT, "sentra-logam-kiw", "act-relocation-kiw", HOSTILE_ID, "33.74.16"]
    found = client.get("/api/gaps", params=ids_query(ids, as_of=day)).json()
    assert found == {
        node: "error" if "error" in about[node] else "warning" for node in ids if node in about
    }
    assert (COMMITMENT in found) == (day == AS_OF.isoformat())  # not made yet on the 11th


# -- the timeline ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "sentra", "day"), [
    ("en", None, "2026-06-30"), ("id", "sentra-logam-kiw", "2026-06-30"),
    ("id", "Sentra IKM Logam Kawasan Industri Wijaya Kusuma (KIW)", "2022-01-01"),
], ids=["en-all", "id-sentra", "id-named-before"])
def test_the_timeline_is_kg_timelines_with_the_indicators_of_the_day(
    client: TestClient, knowledge: Knowledge, lang: str, sentra: str | None, day: str
) -> None:
    params = {"lang": lang, "as_of": day, **({"sentra": sentra} if sentra else {})}
    found = client.get("/api/timeline", params=params).json()
    as_of = datetime.date.fromisoformat(day)
    scope = None if sentra is None else "sentra-logam-kiw"
    expected = timeline(knowledge.store, scope, as_of, lang)
    assert found["as_of"] == day
    assert [(s["title"], s["columns"], s["rows"]) for s in found["sections"]] == [
        (s.title, list(s.columns), [["" if c is None else str(c) for c in row] for row in s.rows])
        for s in expected.sections() if not s.text_only
    ]
    series = indicator_series(knowledge.store, as_of, scope)
    assert [i["indicator"] for i in found["indicators"]] == [s.indicator for s in series]
    assert all(i["svg"].startswith("<svg") for i in found["indicators"])
    if scope:
        assert found["sentra"]["id"] == scope
        made = [row for s in found["sections"] for row in s["rows"] if COMMITMENT_TEXT in row]
        assert bool(made) == (day >= "2022-05-12")


COMMITMENT_TEXT = ("Menyusun regulasi pusat IKM, termasuk pengelolaan rencana kunjungan agar "
                   "wisatawan tidak menumpuk")


def test_the_timeline_refuses_a_bad_day_or_sentra(client: TestClient) -> None:
    assert client.get("/api/timeline", params={"as_of": "2026-02-30"}).status_code == 400
    answer = client.get("/api/timeline", params={"sentra": "nowhere-such"})
    assert answer.status_code == 400 and "no Sentra" in answer.json()["error"]


# -- the stakeholder grid -------------------------------------------------------------------------


class Elements(HTMLParser):
    """Every element and attribute name of a piece of markup."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_grid_is_drawn_with_every_name_escaped(client: TestClient, lang: str) -> None:
    found = client.get("/api/grid/picture", params={"lang": lang}).json()
    assert [(p["id"], p["name"]) for p in found["points"]] == [
        ("actor-disperin", "Dinas Perindustrian Kota Semarang (Disperin)"),
        (HOSTILE_ID, HOSTILE),
    ]
    svg = found["svg"]
    assert HOSTILE not in svg and html.escape(HOSTILE) in svg
    elements = Elements()
    elements.feed(svg)
    assert elements.tags <= {"svg", "rect", "text", "circle", "title"}
    assert not any(name.startswith("on") or name.endswith("href") for name in elements.attributes)
    for index, point in enumerate(found["points"]):
        assert f'data-index="{index}" data-actor="{point["id"]}"' in svg
    assert catalogue(lang)["stakeholders"]["quadrant"]["manage_closely"] in svg
    assert "actor-pemkot" in {actor["id"] for actor in found["unplaced"]}
    assert found["rows"] == client.get("/api/grid", params={"lang": lang}).json()


# -- a node's properties in the page's language ----------------------------------------------------


def test_a_node_names_its_properties_and_values_in_the_language(client: TestClient) -> None:
    english = client.get("/api/node", params={"id": "sentra-logam-kiw"}).json()
    assert all(key == name for key, name, _ in english["rows"])
    rows = {key: (name, value) for key, name, value in client.get(
        "/api/node", params={"id": "sentra-logam-kiw", "lang": "id"}).json()["rows"]}
    assert rows["kiosksTotal"] == ("jumlah_kios", "74")
    assert rows["status"] == ("status", "aktif")
    assert rows["sources"][0] == "sumber" and ", " in rows["sources"][1]
    commitment = {key: (name, value) for key, name, value in client.get(
        "/api/node", params={"id": COMMITMENT, "lang": "id"}).json()["rows"]}
    assert commitment["madeOn"] == ("tanggal_janji", "2022-05-12")
    assert commitment["status"] == ("status", "terbuka")


def test_no_property_of_any_node_keeps_an_english_name_in_indonesian(
    client: TestClient, knowledge: Knowledge
) -> None:
    derived = catalogue("id")["serve"]["derived"]
    renamed = set()
    for node, _, _ in knowledge.nodes:
        page = client.get("/api/node", params={"id": node, "lang": "id"}).json()
        for key, name, _ in page["rows"]:
            column = to_snake(key)
            # a column of the dataset, a property a load derives, or an extra column (as
            # the dataset wrote it: sentra.csv's kelurahan)
            expected = derived.get(key) or COLUMN_WORDS.get(column, key)
            assert name == expected, (node, key)
            if name != key:
                renamed.add(key)
    assert {"kiosksTotal", "madeOn", "periodEnd", "hasSanction", "name", "note"} <= renamed


def test_a_long_timeline_section_is_cut_and_counted(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = client.get("/api/timeline", params={"as_of": "2026-06-30"}).json()["sections"]
    longest = max(len(section["rows"]) for section in whole)
    assert longest > 2
    monkeypatch.setattr("kg.serve.app.TIMELINE_ROWS", 2)
    cut = client.get("/api/timeline", params={"as_of": "2026-06-30"}).json()["sections"]
    assert [(s["rows"], s["more"]) for s in cut] == [
        (s["rows"][:2], max(0, len(s["rows"]) - 2)) for s in whole
    ]


# -- the rules of every route hold for these -----------------------------------------------

ROUTES = ["/api/days?id=sentra-logam-kiw", "/api/gaps?id=sentra-logam-kiw", "/style/grid.css",
          "/api/timeline", "/api/grid/picture"]


@pytest.mark.parametrize("path", ROUTES)
def test_without_the_token_they_are_refused(knowledge: Knowledge, path: str) -> None:
    anonymous = TestClient(create_app(knowledge, token=TOKEN, port=PORT),
                           base_url=f"http://127.0.0.1:{PORT}")
    answer = anonymous.get(path)
    assert answer.status_code == 403 and "Malon" not in answer.text


CYPHER = "MATCH (n) DETACH DELETE n"


def test_cypher_in_their_parameters_is_a_value_and_the_graph_stays(
    client: TestClient, knowledge: Knowledge
) -> None:
    everything = "MATCH (n) RETURN labels(n)[0] + ':' + coalesce(n.id, '')"
    before = sorted(row[0] for row in knowledge.store.run(everything).rows)
    assert len(before) > 100
    for path, params in [
        ("/api/days", [("id", CYPHER), ("id", "x' OR 1=1 //")]),
        ("/api/gaps", [("id", CYPHER), ("as_of", CYPHER)]),
        ("/api/timeline", [("sentra", CYPHER)]),
        ("/api/timeline", [("as_of", CYPHER)]),
        ("/api/grid/picture", [("query", CYPHER), ("lang", "id")]),
    ]:
        answer = client.get(path, params=params)
        assert answer.status_code in (200, 400), path
        if path == "/api/days":
            assert answer.json() == {}
    assert sorted(row[0] for row in knowledge.store.run(everything).rows) == before


def test_the_grids_style_is_served_from_where_it_is_defined(client: TestClient) -> None:
    answer = client.get("/style/grid.css")
    assert answer.status_code == 200 and answer.text == GRID_STYLE
    assert answer.headers["content-type"].startswith("text/css")
    assert 'href="/style/grid.css"' in client.get("/").text

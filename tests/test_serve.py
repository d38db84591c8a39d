"""kg serve's rules, through Starlette's TestClient and as a process: the host and token
checks, the cookie, the Content-Security-Policy, read-only, the JSON routes, and a server
that listens on loopback only and leaves nothing behind after SIGTERM."""

from __future__ import annotations

import datetime
import hashlib
import json
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from kg.audit import run_audit
from kg.serve.app import Knowledge, create_app
from kg.serve.security import COOKIE, CSP
from kg.store import StoreConfig, open_store

from .serve_support import (
    HOSTILE,
    HOSTILE_ID,
    children,
    hostile_store,
    listening_ports,
    running_server,
)
from .test_warm_engine import WarmStores, running
from .test_warm_engine import warm_stores as warm_stores  # the fixture

TOKEN = "test-token-0123456789"
AS_OF = datetime.date(2026, 12, 1)
"""The server's day (``kg serve --as-of``)."""
PORT = 8123
ORIGIN = f"http://127.0.0.1:{PORT}"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_store(tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="module")
def knowledge(store_path: Path) -> Iterator[Knowledge]:
    with open_store(StoreConfig(path=store_path)) as store:
        yield Knowledge(store, "en", AS_OF)


@pytest.fixture
def anonymous(knowledge: Knowledge) -> TestClient:
    """A client that has not been given the token."""
    return TestClient(create_app(knowledge, token=TOKEN, port=PORT), base_url=ORIGIN,
                      follow_redirects=False)


@pytest.fixture
def client(anonymous: TestClient) -> TestClient:
    """A client that opened the printed address and holds the cookie."""
    assert anonymous.get(f"/?token={TOKEN}").status_code == 303
    return anonymous


# -- the token and the cookie ---------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/", "/api/meta", "/api/search?q=malon", "/api/node?id=sentra-batik-malon",
    "/static/app.js", "/static/vendor/graph.js", "/download/brief", "/nowhere",
])
def test_every_request_without_the_token_is_refused(anonymous: TestClient, path: str) -> None:
    response = anonymous.get(path)
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    assert HOSTILE not in response.text and "Malon" not in response.text


def test_a_wrong_token_or_cookie_is_refused(anonymous: TestClient) -> None:
    assert anonymous.get("/?token=wrong").status_code == 403
    assert "set-cookie" not in anonymous.get("/?token=wrong").headers
    anonymous.cookies.set(COOKIE, TOKEN[:-1] + "x")
    assert anonymous.get("/api/meta").status_code == 403


def test_the_token_becomes_a_strict_httponly_cookie_and_leaves_the_address(
    anonymous: TestClient,
) -> None:
    response = anonymous.get(f"/api/meta?lang=id&token={TOKEN}")
    assert response.status_code == 303
    assert response.headers["location"] == "/api/meta?lang=id"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={TOKEN};")
    assert {"HttpOnly", "SameSite=Strict", "Path=/"} <= {part.strip() for part in cookie.split(";")}
    followed = anonymous.get(response.headers["location"])
    assert followed.status_code == 200
    assert followed.json()["lang"] == "id"


# -- the host (DNS rebinding) -----------------------------------------------------------------


@pytest.mark.parametrize("host", [
    "evil.example", f"evil.example:{PORT}", "127.0.0.1", f"127.0.0.1:{PORT + 1}",
    f"localhost.evil.example:{PORT}", f"192.168.1.5:{PORT}", "",
])
def test_a_foreign_host_is_refused_even_with_the_cookie(client: TestClient, host: str) -> None:
    response = client.get("/api/meta", headers={"host": host})
    assert response.status_code == 403
    assert "unknown host" in response.text


@pytest.mark.parametrize("host", [f"127.0.0.1:{PORT}", f"localhost:{PORT}", f"LOCALHOST:{PORT}"])
def test_the_loopback_host_is_served(client: TestClient, host: str) -> None:
    assert client.get("/api/meta", headers={"host": host}).status_code == 200


# -- what a page may do ------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/static/app.js", "/api/meta", "/api/node?id=nothing-such",
                                  "/nowhere", "/?token=wrong"])
def test_every_response_carries_the_content_security_policy(client: TestClient, path: str) -> None:
    response = client.get(path)
    policy = response.headers["content-security-policy"]
    assert policy == CSP
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert "unsafe" not in policy and "*" not in policy and "http" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_page_has_no_inline_script_or_style(client: TestClient) -> None:
    page = client.get("/").text
    assert "<script>" not in page and "<style" not in page and "style=" not in page
    assert 'src="/static/app.js"' in page


# -- read-only, no Cypher ------------------------------------------------------------------------


CYPHER = "MATCH (n) DETACH DELETE n"


def test_no_route_runs_cypher_and_a_session_leaves_the_store_byte_identical(
    tmp_path: Path,
) -> None:
    # A store of its own: one process opening a store twice stops the first open's engine
    # (kg.store.embedded reaps the engines its own pid left), and the module's is open.
    store_path = hostile_store(tmp_path)
    before = hashlib.sha256((store_path / "graph.rdb").read_bytes()).hexdigest()
    with open_store(StoreConfig(path=store_path)) as store:
        client = TestClient(create_app(Knowledge(store, "en"), token=TOKEN, port=PORT),
                            base_url=ORIGIN)
        client.get(f"/?token={TOKEN}")
        for path in [
            f"/api/search?q={CYPHER}", f"/api/node?id={CYPHER}", f"/api/neighbours?id={CYPHER}",
            f"/api/raci?sentra={CYPHER}", f"/api/meta?query={CYPHER}",
            f"/api/audit?cypher={CYPHER}",
            "/api/search?q=malon", "/api/node?id=sentra-batik-malon", "/api/grid",
            "/api/neighbours?id=sentra-batik-malon", "/api/raci", "/api/audit?lang=id",
            "/download/brief", "/download/export?format=json", "/download/export?format=graphml",
        ]:
            assert client.get(path).status_code in (200, 400), path
        assert client.get("/api/search?q=malon").json()  # the graph is still there
        assert client.post("/api/search", data={"q": CYPHER}).status_code == 405
    after = hashlib.sha256((store_path / "graph.rdb").read_bytes()).hexdigest()
    assert after == before


# -- the JSON routes ------------------------------------------------------------------------------


def test_search_suggests_a_misspelt_name(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "batk malon"}).json()
    assert found[0]["id"] == "sentra-batik-malon"
    assert all("malon" in (node["name"] or "").casefold() for node in found)


def test_a_node_with_its_properties_sources_and_findings(
    client: TestClient, knowledge: Knowledge
) -> None:
    node = client.get("/api/node", params={"id": "act-relocation-kiw"}).json()
    assert node["label"] == "Activity" and node["properties"]["id"] == "act-relocation-kiw"
    assert [source["id"] for source in node["sources"]] == node["properties"]["sources"]
    expected = {
        (check.id, finding.message)
        for check in run_audit(knowledge.store, as_of=AS_OF)
        for finding in check.findings
        if "act-relocation-kiw" in (finding.subject, *finding.related)
    }
    assert expected
    assert {(found["check"], found["message"]) for found in node["findings"]} == expected
    hostile = client.get("/api/node", params={"id": HOSTILE_ID}).json()
    assert hostile["name"] == HOSTILE  # text in JSON; the page writes it as text


def test_a_node_named_by_its_name_and_an_unknown_one(client: TestClient) -> None:
    named = "kampung batik MALON  (sentra ikm batik warna alami)"
    assert client.get("/api/node", params={"id": named}).json()["id"] == (
        "sentra-batik-malon"
    )
    response = client.get("/api/node", params={"id": "kampung nowhere at all"})
    assert response.status_code == 400
    assert "no node" in response.json()["error"]


def test_neighbours_join_the_centre_to_nodes_it_returns(client: TestClient) -> None:
    found = client.get("/api/neighbours", params={"id": "act-relocation-kiw"}).json()
    ids = {node["id"] for node in found["nodes"]}
    assert found["centre"] == "act-relocation-kiw" and HOSTILE_ID in ids
    assert found["total"] == len(found["edges"]) >= len(ids) - 1
    for edge in found["edges"]:
        assert {edge["source"], edge["target"]} <= ids
        assert found["centre"] in (edge["source"], edge["target"])
    gaps = {node["id"]: node["gap"] for node in found["nodes"]}
    assert gaps["act-relocation-kiw"] == "error"  # nobody is accountable for it


def test_the_raci_gaps_are_the_audits(client: TestClient, knowledge: Knowledge) -> None:
    chart = client.get("/api/raci").json()
    no_a = {row["id"] for row in chart["activities"] if "no_accountable" in row["gaps"]}
    audited = {c.id: {f.subject for f in c.findings}
               for c in run_audit(knowledge.store, as_of=AS_OF)}
    assert no_a == audited["activity.no_accountable"]
    one = client.get("/api/raci", params={"sentra": "batik malon"}).json()
    assert one["sentra"]["id"] == "sentra-batik-malon"
    assert {row["id"] for row in one["activities"]} < {row["id"] for row in chart["activities"]}


def test_the_audit_in_both_languages_as_of_the_servers_day_or_another(
    client: TestClient, knowledge: Knowledge
) -> None:
    for lang, day in (("en", None), ("id", None), ("en", "2023-06-30"), ("id", "2026-01-01")):
        found = client.get("/api/audit", params={"lang": lang, **({"as_of": day} if day else {})})
        assert found.json()["as_of"] == (day or AS_OF.isoformat())
        expected = run_audit(knowledge.store, lang=lang, as_of=day or AS_OF)
        checks = found.json()["checks"]
        assert [(c["id"], [f["message"] for f in c["findings"]]) for c in checks] == [
            (c.id, [f.message for f in c.findings]) for c in expected
        ]
    early = run_audit(knowledge.store, as_of="2023-06-30")
    assert early != run_audit(knowledge.store, as_of=AS_OF)  # the day matters in this data
    assert client.get("/api/audit", params={"as_of": "2023-13-45"}).status_code == 400


def test_the_grid(client: TestClient) -> None:
    grid = client.get("/api/grid").json()
    assert {row["actor"] for row in grid} >= {HOSTILE_ID, "actor-disperin"}


@pytest.mark.parametrize(("path", "word"), [
    ("/api/search", "missing parameter 'q'"),
    ("/api/search?q=" + "x" * 201, "longer than"),
    ("/api/meta?lang=fr", "unknown language"),
    ("/download/export?format=csv", "unknown format"),
    ("/api/raci?sentra=nowhere-such", "no Sentra"),
])
def test_a_bad_parameter_is_a_400_with_its_reason(client: TestClient, path: str, word: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert word in response.json()["error"]


def test_the_brief_and_an_export_download(client: TestClient) -> None:
    brief = client.get("/download/brief", params={"lang": "id"})
    assert brief.headers["content-disposition"] == 'attachment; filename="brief-id.html"'
    assert brief.text.startswith("<!DOCTYPE html>") and 'lang="id"' in brief.text
    exported = client.get("/download/export", params={"format": "json"})
    assert "attachment" in exported.headers["content-disposition"]
    graph = json.loads(exported.content)
    assert HOSTILE_ID in {node["id"] for node in graph["nodes"]}


# -- the process -----------------------------------------------------------------------------------


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl-c"])
def test_the_server_listens_on_loopback_only_and_stops_with_its_engine(
    store_path: Path, stop: signal.Signals
) -> None:
    with running_server(store_path, stop=stop) as server:
        assert listening_ports(server.process.pid) == {f"127.0.0.1:{server.port}"}
        assert httpx.get(f"{server.origin}/api/meta").status_code == 403
        with httpx.Client() as browser:
            assert browser.get(server.address, follow_redirects=True).status_code == 200
            assert browser.get(f"{server.origin}/api/search?q=malon").json()
    assert server.process.returncode == 0
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", server.port), timeout=2):
        pass


def test_a_busy_port_or_a_missing_store_is_a_clear_error(tmp_path: Path, store_path: Path) -> None:
    from .conftest import Kg

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = Kg(store_path)("serve", "--no-browser", "--port", str(port))
    assert busy.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in busy.output
    missing = Kg(tmp_path / "nothing-here")("serve", "--no-browser")
    assert missing.exit_code == 2
    assert "no store at" in missing.output


def test_the_canvas_may_start_from_every_sentra_and_zone(
    client: TestClient, knowledge: Knowledge
) -> None:
    starts = client.get("/api/starts").json()
    for label in ("Sentra", "Zone"):
        expected = {i for i, found, _ in knowledge.nodes if found == label}
        assert expected and {entry["id"] for entry in starts[label]} == expected


def test_over_a_warm_engine_it_starts_no_engine_and_leaves_the_warm_one_serving(
    tmp_path: Path, warm_stores: WarmStores
) -> None:
    store = hostile_store(tmp_path)
    engine = warm_stores.start(store)
    with running_server(store) as server:
        with httpx.Client() as browser:
            browser.get(server.address, follow_redirects=True)
            assert browser.get(f"{server.origin}/api/search?q=malon").json()
        assert [command for _, command in children(server.process.pid)
                if "redis-server" in command] == []
    assert running(engine.engine)

"""The embedded engine's binary bulk load (``kg.store.embedded_bulk``): what it builds must be
exactly what the Cypher writer builds, and a failure must leave nothing behind."""

from __future__ import annotations

import shutil
import struct
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.bundled import dataset_paths
from kg.errors import DatasetError, QueryError
from kg.loaders import load, read_dataset
from kg.loaders.references import References
from kg.schema.graph import GraphData, NodeRow, RelRow
from kg.schema.model import Label, RelType
from kg.store import StoreConfig
from kg.store import embedded_bulk as bulk
from kg.store.embedded import EmbeddedStore
from kg.store.embedded_bulk import BulkLoad
from kg.store.embedded_writes import create_by_internal_id, create_in_bulk

from .conftest import DATA, TINY, Kg

AUDIT = sorted((DATA / "audit").iterdir())


def dump(store: EmbeddedStore) -> tuple[list[Any], list[Any]]:
    """Every node and relationship with its labels, type and properties, in a fixed order."""
    nodes = store.run("MATCH (n) RETURN n.id, labels(n), properties(n) ORDER BY n.id").rows
    rels = store.run(
        "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r) "
        "ORDER BY a.id, type(r), b.id, r.key"
    ).rows
    return nodes, rels


def schema(store: EmbeddedStore) -> tuple[list[Any], list[Any]]:
    indexes = store.run("CALL db.indexes() YIELD label, status RETURN label, status ORDER BY label")
    constraints = store.run(
        "CALL db.constraints() YIELD label, status RETURN label, status ORDER BY label"
    )
    return indexes.rows, constraints.rows


def loaded(path: Path, paths: list[Path], *, use_bulk: bool) -> tuple[Any, Any]:
    with EmbeddedStore(StoreConfig(path=path, bulk_load=use_bulk), write=True) as store:
        load(store, paths, replace=True)
    with EmbeddedStore(StoreConfig(path=path)) as store:  # what was saved
        return dump(store), schema(store)


@pytest.mark.parametrize(
    "dataset",
    ["semarang", TINY, DATA / "match", *AUDIT],
    ids=["semarang", "tiny", "match", *(p.name for p in AUDIT)],
)
def test_bulk_builds_what_cypher_builds(tmp_path: Path, dataset: str | Path) -> None:
    with dataset_paths((str(dataset),)) as paths:
        by_bulk = loaded(tmp_path / "bulk", paths, use_bulk=True)
        by_cypher = loaded(tmp_path / "cypher", paths, use_bulk=False)

    assert by_bulk[0] == by_cypher[0]
    assert by_bulk[0][0], "the dataset wrote no node"
    indexes, constraints = by_bulk[1]
    assert by_bulk[1] == by_cypher[1]
    assert {label for label, _ in indexes} == set(Label)
    assert {status for _, status in indexes + constraints} == {"OPERATIONAL"}


def test_a_bulk_built_store_takes_merging_loads(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(TINY)).exit_code == 0  # a new store: the bulk path
    again = kg("load", str(TINY))  # a reload merges by id: uses the index and the constraint

    assert again.exit_code == 0, again.output
    with EmbeddedStore(StoreConfig(path=tmp_path / "store")) as store:
        once = dump(store)
    with EmbeddedStore(StoreConfig(path=tmp_path / "cypher", bulk_load=False), write=True) as store:
        load(store, [TINY])
        assert dump(store) == once


def test_small_chunks_build_the_same_graph_and_report_progress(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = read_dataset([DATA / "match"])
    total = len(graph.nodes) + len(graph.relationships)
    monkeypatch.setattr(bulk, "CHUNK_BYTES", 200)
    progress: list[tuple[int, int]] = []
    with EmbeddedStore(StoreConfig(path=tmp_path / "a"), write=True) as store:
        plan = bulk.plan(graph)
        assert len(list(plan.chunks(200))) > 10
        assert create_in_bulk(store, graph, lambda done, of: progress.append((done, of)))
        chunked = dump(store)
    with EmbeddedStore(StoreConfig(path=tmp_path / "b"), write=True) as store:
        create_by_internal_id(store, graph)
        assert dump(store) == chunked

    dones = [done for done, _ in progress]
    assert dones == sorted(dones) and len(dones) > 10
    assert progress[-1] == (total, total)


PLAIN = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
)
VALUES = st.one_of(PLAIN, st.lists(st.text(st.characters(blacklist_categories=("Cs",),
                                                         blacklist_characters="\x00")),
                                   max_size=4))


def test_every_value_the_format_carries_reads_back_unchanged(tmp_path: Path) -> None:
    with EmbeddedStore(StoreConfig(path=tmp_path / "s"), write=True) as store:

        @settings(max_examples=40, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])
        @given(st.lists(st.dictionaries(st.sampled_from(["a", "b", "c", "dA"]), VALUES),
                        min_size=1, max_size=5))
        def round_trip(maps: list[dict[str, Any]]) -> None:
            nodes = [NodeRow(Label.ZONE, f"z{i}", props, "t") for i, props in enumerate(maps)]
            rels = [RelRow(RelType.SUPPLIES, "z0", f"z{i}", props, "t")
                    for i, props in enumerate(maps)]
            assert create_in_bulk(store, GraphData(nodes, rels), None)
            # Compared by the engine: its replies print doubles with 15 digits only.
            expected = [{"id": f"z{i}", "props": {"id": f"z{i}", **stored(p)},
                         "rel": stored(p)} for i, p in enumerate(maps)]
            same = store.run(
                "UNWIND $expected AS e MATCH (n:Zone {id: e.id}) "
                "MATCH (:Zone {id: 'z0'})-[r:SUPPLIES]->(n) "
                "RETURN e.id, properties(n) = e.props, properties(r) = e.rel, count(r)",
                {"expected": expected},
            )
            assert sorted(same.rows) == sorted([e["id"], True, True, 1] for e in expected)

        round_trip()


def stored(props: dict[str, Any]) -> dict[str, Any]:
    """What the engine keeps of ``props``: nulls are not stored."""
    return {k: v for k, v in props.items() if v is not None}


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (None, b"\x00"),
        (True, b"\x01\x01"),
        (False, b"\x01\x00"),
        (1.5, b"\x02" + struct.pack("<d", 1.5)),
        ("Sentra IKM Logam é'\"", b"\x03" + "Sentra IKM Logam é'\"".encode() + b"\x00"),
        (-2, b"\x04" + struct.pack("<q", -2)),
        (["a", 7], b"\x05" + struct.pack("<q", 2) + b"\x03a\x00\x04" + struct.pack("<q", 7)),
    ],
    ids=["null", "true", "false", "double", "text", "long", "array"],
)
def test_values_follow_the_engine_format(value: Any, encoded: bytes) -> None:
    assert bulk.value(value) == encoded


@pytest.mark.parametrize(
    "value",
    ["a\x00b", 2**63, -(2**63) - 1, Decimal("1.5"), object(), [["nested", "\x00"]]],
    ids=["nul-text", "too-large", "too-small", "decimal", "object", "nul-in-list"],
)
def test_values_the_format_cannot_carry_are_refused(value: Any) -> None:
    with pytest.raises(bulk.NotBulkable):
        bulk.value(value)


def test_graph_the_format_cannot_carry_is_left_empty_for_cypher(tmp_path: Path) -> None:
    graph = read_dataset([TINY])
    last = graph.nodes[-1]
    graph.nodes[-1] = NodeRow(last.label, last.id, {**last.props, "share": Decimal("0.5")},
                              last.origin)
    with EmbeddedStore(StoreConfig(path=tmp_path / "s"), write=True) as store:
        assert not create_in_bulk(store, graph, None)
        assert dump(store) == ([], [])
        indexes, constraints = schema(store)
        assert {label for label, _ in indexes} == set(Label) and len(constraints) == len(Label)

        create_by_internal_id(store, graph)  # what load() does next
        nodes, rels = dump(store)
    assert len(nodes) == len(graph.nodes) and len(rels) == len(graph.relationships)
    assert [props.get("share") for node_id, _, props in nodes if node_id == last.id] == [0.5]


def test_a_miscounted_bulk_load_fails_and_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(DATA / "match")).exit_code == 0
    saved = (tmp_path / "store" / "graph.rdb").read_bytes()

    def shifted(self: bulk.BulkPlan) -> dict[int, str]:
        return {number + 1: node_id for number, node_id in original(self).items()}

    original = bulk.BulkPlan.first_and_last
    monkeypatch.setattr(bulk.BulkPlan, "first_and_last", shifted)
    result = kg("load", "--replace", str(TINY))

    assert result.exit_code == 2, result.output
    assert "numbered the nodes otherwise" in result.output
    assert "nothing was saved" in result.output
    assert (tmp_path / "store" / "graph.rdb").read_bytes() == saved


def test_a_failing_chunk_source_leaves_an_empty_graph(tmp_path: Path) -> None:
    def chunks() -> Iterator[bulk.Chunk]:
        yield from bulk.plan(read_dataset([TINY])).chunks()
        raise RuntimeError("cut short")

    with EmbeddedStore(StoreConfig(path=tmp_path / "s"), write=True) as store:
        with pytest.raises(RuntimeError, match="cut short"):
            store.bulk_create(chunks(), 1)
        assert dump(store) == ([], [])
        assert store.run("MATCH (n) RETURN count(n)").scalar() == 0
        assert len(schema(store)[0]) == len(Label)



def test_indexes_cover_every_node_sent_after_they_were_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The indexes are built after the first chunk and kept up by the engine as the rest
    # arrives; small chunks put most nodes of every label after that point.
    monkeypatch.setattr(bulk, "CHUNK_BYTES", 100)
    graph = read_dataset([DATA / "match"])
    with EmbeddedStore(StoreConfig(path=tmp_path / "s"), write=True) as store:
        assert create_in_bulk(store, graph, None)
        indexed = store.run(
            "CALL db.indexes() YIELD label, info RETURN label, info.numDocuments ORDER BY label"
        ).rows
        counted = store.run("MATCH (n) RETURN labels(n)[0] AS l, count(n) ORDER BY l").rows
        assert [row for row in indexed if row[1]] == counted
        last = graph.nodes[-1]
        with pytest.raises(QueryError, match="unique constraint"):
            store.execute(f"CREATE (:{last.label} {{id: $id}})", {"id": last.id})


# Into an empty store, ``load`` sends the nodes to the engine as soon as they are valid,
# while the relationships are read (``stream_in_bulk``).


def sending_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("kg-bulk")]


class Events:
    """When the node chunks were handed over and when the relationships were read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[str] = []
        send_later, links = BulkLoad.send_later, References.links

        def spied_send_later(load: Any, chunks: Any) -> None:
            self.seen.append("nodes sent")
            send_later(load, chunks)

        def spied_links(references: Any, table: Any) -> None:
            self.seen.append("links read")
            links(references, table)

        monkeypatch.setattr(BulkLoad, "send_later", spied_send_later)
        monkeypatch.setattr(References, "links", spied_links)


def test_into_an_empty_store_the_nodes_are_sent_before_the_relationships_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = Events(monkeypatch)
    with EmbeddedStore(StoreConfig(path=tmp_path / "s"), write=True) as store:
        load(store, [DATA / "match"])
        streamed = dump(store)
    assert events.seen == ["nodes sent", "links read"]
    with EmbeddedStore(StoreConfig(path=tmp_path / "c", bulk_load=False), write=True) as store:
        load(store, [DATA / "match"])
        assert dump(store) == streamed
    assert sending_threads() == []


def bad_link(tmp_path: Path) -> Path:
    """The tiny dataset with a last link to a commodity that does not exist."""
    bad = tmp_path / "bad"
    shutil.copytree(TINY, bad)
    with (bad / "links.csv").open("a", encoding="utf-8") as links:
        links.write("c-besi,SUPPLIES,c-nowhere\n")
    return bad


def test_a_replace_streams_only_into_a_graph_that_holds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = bad_link(tmp_path)
    events = Events(monkeypatch)
    with EmbeddedStore(StoreConfig(path=tmp_path / "s"), write=True) as store:
        load(store, [DATA / "match"], replace=True)
        assert events.seen == ["nodes sent", "links read"]
        loaded = dump(store)
        events.seen.clear()
        with pytest.raises(DatasetError, match="c-nowhere"):
            load(store, [bad], replace=True)
        assert events.seen == ["links read"]  # read whole: the graph it holds stays
        assert dump(store) == loaded
    assert sending_threads() == []


def test_a_bad_relationship_after_the_nodes_were_sent_leaves_the_store_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = bad_link(tmp_path)
    events = Events(monkeypatch)
    with EmbeddedStore(StoreConfig(path=tmp_path / "s"), write=True) as store:
        with pytest.raises(DatasetError, match="c-nowhere"):
            load(store, [bad])
        assert events.seen == ["nodes sent", "links read"]
        assert dump(store) == ([], [])
        indexes, constraints = schema(store)
        assert {label for label, _ in indexes} == set(Label) and len(constraints) == len(Label)
        load(store, [TINY])  # the store takes the next load as a new one
        data = store.run("MATCH (n) WHERE NOT n:KgDataset RETURN count(n)").scalar()
        assert data == len(read_dataset([TINY]).nodes)
    assert sending_threads() == []


def test_an_interrupt_while_relationships_are_read_leaves_the_store_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(references: Any, table: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(bulk, "CHUNK_BYTES", 100)
    monkeypatch.setattr(References, "funding", interrupted)
    with EmbeddedStore(StoreConfig(path=tmp_path / "s"), write=True) as store:
        with pytest.raises(KeyboardInterrupt):
            load(store, [DATA / "match"])
        assert dump(store) == ([], [])
    assert sending_threads() == []


def test_nodes_the_format_cannot_carry_are_written_with_cypher_when_streamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(groups: Any, limit: int) -> Iterator[bulk.Chunk]:
        yield from node_chunks({label: nodes[:1] for label, nodes in groups.items()}, limit)
        raise bulk.NotBulkable("a value of type Decimal")

    node_chunks = bulk._node_chunks

    with EmbeddedStore(StoreConfig(path=tmp_path / "c", bulk_load=False), write=True) as store:
        load(store, [TINY])
        by_cypher = dump(store)
    monkeypatch.setattr(bulk, "_node_chunks", refused)
    with EmbeddedStore(StoreConfig(path=tmp_path / "s"), write=True) as store:
        load(store, [TINY])
        assert dump(store) == by_cypher
    assert sending_threads() == []

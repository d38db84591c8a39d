"""What the network measures read of a store (kg.graph.read_network) is the graph the
store holds: the same nodes, labels, names, kinds and relationships as networkx's copy of
it, whether the store answers lists as text or not, and whatever was written by hand."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from kg.bundled import dataset_paths
from kg.graph import Network, read_network, to_networkx
from kg.loaders import load
from kg.store import QueryResult, Store, StoreConfig, open_store

DATA = Path(__file__).parent / "data"


def plain(network: Network) -> tuple[Any, ...]:
    """A network as plain data: what a ``Network`` holds, in the order it promises (the
    nodes in order; per start node its ends in the order they first appear), without
    what it leaves open (the order of type codes, and of relationships between the same
    two nodes)."""
    ends: dict[str, list[str]] = {}
    for start, _, end in network.relationships():
        if end not in ends.setdefault(start, []):
            ends[start].append(end)
    return (network.nodes, network.labels, network.names, network.kinds,
            sorted(network.relationships()), ends)


def same(one: Network, other: Network) -> bool:
    """Whether two networks are equal, arrays included."""
    return (plain(one) == plain(other) and one.type_names == other.type_names
            and all((getattr(one, f) == getattr(other, f)).all()
                    for f in ("starts", "types", "ends")))


class RowsOnly:
    """A store that answers ``run`` only, as a store without lists as text does."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        return self._store.run(query, params)


@pytest.fixture
def loaded(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """A writable store holding the dataset the test names."""
    with dataset_paths(request.param) as paths, open_store(
        StoreConfig(path=tmp_path / "store"), write=True
    ) as store:
        load(store, paths)
        yield store


DATASETS = [("semarang",), (str(DATA / "tiny"),), (str(DATA / "timeline"),),
            (str(DATA / "followup"),), (str(DATA / "grants"),)]


@pytest.mark.parametrize("loaded", DATASETS, indirect=True, ids=lambda d: Path(d[0]).name)
def test_read_equals_the_networkx_copy(loaded: Store) -> None:
    found = read_network(loaded)
    assert plain(found) == plain(Network.from_networkx(to_networkx(loaded)))
    assert same(read_network(RowsOnly(loaded)), found)  # type: ignore[arg-type]
    assert len(found.relationships()) > 0


HAND_WRITTEN = {
    "a type the schema does not know": (
        "MATCH (a:Actor), (s:Sentra) WITH a, s ORDER BY a.id, s.id LIMIT 1 "
        "CREATE (a)-[:ADVISES]->(s)", "ADVISES"),
    "a pattern the schema does not know": (
        "MATCH (a:Sentra), (b:Actor) WITH a, b ORDER BY a.id, b.id LIMIT 1 "
        "CREATE (a)-[:FUNDS]->(b)", "FUNDS"),
    "an id holding the lists' separator": (
        "MATCH (s:Sentra) WITH s ORDER BY s.id LIMIT 1 "
        "CREATE (:Actor {id: 'cv, batik', name: 'CV, Batik', kind: 'business'})"
        "-[:MANAGES]->(s)", "MANAGES"),
    "a node of two labels": (
        "MATCH (a:Actor) WITH a ORDER BY a.id LIMIT 1 SET a:Market", None),
}


@pytest.mark.parametrize("loaded", [(str(DATA / "tiny"),)], indirect=True, ids=["tiny"])
@pytest.mark.parametrize("change", list(HAND_WRITTEN), ids=list(HAND_WRITTEN))
def test_a_graph_written_by_hand_is_read_whole(loaded: Store, change: str) -> None:
    query, rel_type = HAND_WRITTEN[change]
    before = read_network(loaded)
    loaded.execute(query)
    found = read_network(loaded)
    assert plain(found) == plain(Network.from_networkx(to_networkx(loaded)))
    if rel_type is not None:  # the new relationship is there
        assert len(found.relationships()) == len(before.relationships()) + 1
        assert rel_type in found.type_names


@pytest.mark.parametrize("loaded", [(str(DATA / "tiny"),)], indirect=True, ids=["tiny"])
def test_an_empty_graph_reads_empty(loaded: Store) -> None:
    loaded.execute("MATCH (n) DETACH DELETE n")
    found = read_network(loaded)
    assert (found.nodes, found.names, found.relationships()) == ([], {}, [])

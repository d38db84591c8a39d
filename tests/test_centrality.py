"""Network measures at any size (kg.centrality): the exact ones equal the brute force and
networkx they replace; the estimate is seeded, and exact when its sample holds everything."""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg as kb
from kg import analytics, centrality
from kg.output import render_report
from kg.stakeholders import assess_stakeholders, structural_influence

from .conftest import DATA, TINY, Kg

KINDS = ["government", "legislature", "business", "finance", "research", "community"]


def brute_force_pairs(
    simple: nx.Graph, government: list[str], business: list[str]
) -> dict[str, list[tuple[str, str]]]:
    """The brokerage of kg.analytics before kg.centrality: every government x business
    pair tested against every actor."""
    actors = list(simple)
    distance = {end: nx.single_source_shortest_path_length(simple, end)
                for end in government + business}
    pairs: dict[str, list[tuple[str, str]]] = {actor: [] for actor in actors}
    for g in government:
        for b in business:
            between = distance[g].get(b)
            if between is None or g == b:
                continue
            for actor in actors:
                to_g, to_b = distance[g].get(actor), distance[b].get(actor)
                if (actor not in (g, b) and to_g is not None and to_b is not None
                        and to_g + to_b == between):
                    pairs[actor].append((g, b))
    return {actor: sorted(found) for actor, found in pairs.items()}


@st.composite
def graphs(draw: st.DrawFn) -> tuple[nx.Graph, list[str], list[str]]:
    """A small simple graph with a kind per node, and its two sides (which may overlap)."""
    n = draw(st.integers(min_value=1, max_value=14))
    nodes = [f"n{i}" for i in range(n)]
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    possible = [(u, v) for i, u in enumerate(nodes) for v in nodes[i + 1:]]
    graph.add_edges_from(draw(st.lists(st.sampled_from(possible), max_size=30))
                         if possible else [])
    kinds = {node: draw(st.sampled_from(KINDS)) for node in nodes}
    both = draw(st.booleans())  # --business government: an actor on both sides
    government = [node for node in nodes if kinds[node] in ("government", "legislature")]
    business = [node for node in nodes
                if kinds[node] in ("business", "finance") or (both and kinds[node] == "government")]
    return graph, government, business


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_brokerage_equals_the_brute_force(case: tuple[nx.Graph, list[str], list[str]]) -> None:
    graph, government, business = case
    expected = brute_force_pairs(graph, government, business)
    assert centrality.brokered_pairs(graph, government, business) == expected
    counts = centrality.brokerage(graph, list(graph), government, business)
    assert counts == {node: len(found) for node, found in expected.items()}


def same_floats(found: dict[str, float], expected: dict[str, float]) -> bool:
    return found.keys() == expected.keys() and all(
        found[k] == expected[k] or (math.isnan(found[k]) and math.isnan(expected[k]))
        for k in found
    )


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_burt_measures_are_networkx_s_own_floats(
    case: tuple[nx.Graph, list[str], list[str]],
) -> None:
    graph, _, _ = case
    nodes = list(graph)
    assert same_floats(centrality.constraint(graph, nodes), nx.constraint(graph, nodes=nodes))
    assert same_floats(centrality.effective_size(graph, nodes),
                       nx.effective_size(graph, nodes=nodes))


def test_burt_measures_on_a_hub_with_overlapping_contacts() -> None:
    graph = nx.gnm_random_graph(300, 2_000, seed=3)
    graph.add_edges_from((999, node) for node in range(0, 300, 2))
    nodes = list(graph)
    assert same_floats(centrality.constraint(graph, nodes), nx.constraint(graph, nodes=nodes))
    assert same_floats(centrality.effective_size(graph, nodes),
                       nx.effective_size(graph, nodes=nodes))


def national_like(seed: int = 1) -> tuple[nx.Graph, list[str], list[str]]:
    """A few hundred nodes with a government and a business side."""
    base = nx.connected_watts_strogatz_graph(300, 4, 0.2, seed=seed)
    graph = nx.relabel_nodes(base, {i: f"v{i:03d}" for i in base})
    graph.add_edge("lone-a", "lone-b")  # a second component
    government = [f"v{i:03d}" for i in range(0, 300, 7)] + ["lone-a"]
    business = [f"v{i:03d}" for i in range(3, 300, 11)] + ["lone-b"]
    return graph, government, business


def test_an_estimate_from_every_node_is_the_exact_value() -> None:
    graph, government, business = national_like()
    everything = centrality.Sampling(exact_up_to=0, size=len(graph))
    exact = nx.betweenness_centrality(graph)
    estimated = centrality.betweenness(graph, everything)
    assert estimated == pytest.approx(exact, abs=1e-12)
    assert centrality.brokerage(graph, list(graph), government, business, everything) == (
        centrality.brokerage(graph, list(graph), government, business))


def test_the_estimate_depends_on_its_seed_not_on_the_graph_s_order() -> None:
    graph, government, business = national_like()
    backwards = nx.Graph()
    backwards.add_nodes_from(reversed(list(graph)))
    backwards.add_edges_from(reversed(list(graph.edges())))
    sample = centrality.Sampling(exact_up_to=10, size=20, seed=5)
    nodes = list(graph)
    first = (centrality.betweenness(graph, sample),
             centrality.brokerage(graph, nodes, government, business, sample))
    again = (centrality.betweenness(backwards, sample),
             centrality.brokerage(backwards, nodes, government, business, sample))
    assert first[0] == pytest.approx(again[0], abs=1e-15)
    assert first[1] == again[1]
    other = centrality.Sampling(exact_up_to=10, size=20, seed=6)
    assert centrality.brokerage(graph, nodes, government, business, other) != first[1]


def test_the_estimate_is_close_to_the_exact_value() -> None:
    graph, _, _ = national_like()
    exact = nx.betweenness_centrality(graph)
    estimated = centrality.betweenness(graph, centrality.Sampling(exact_up_to=0, size=150))
    top = sorted(exact, key=exact.__getitem__, reverse=True)[:10]
    assert all(estimated[node] == pytest.approx(exact[node], rel=0.5) for node in top)


def test_the_threshold_decides_exact_or_estimated() -> None:
    graph, _, _ = national_like()
    size = graph.number_of_nodes()
    assert centrality.Sampling(exact_up_to=size).exact(size)
    assert not centrality.Sampling(exact_up_to=size - 1).exact(size)
    assert centrality.DEFAULT.exact_up_to == centrality.EXACT_UP_TO


def test_an_estimated_report_says_so_and_lists_no_pairs() -> None:
    graph, government, business = national_like()
    knowledge = nx.MultiDiGraph()
    for node in graph:
        kind = ("government" if node in government else "business" if node in business
                else "research")
        knowledge.add_node(node, label="Actor", name=node.upper(), kind=kind)
    for u, v in graph.edges():
        knowledge.add_edge(u, v, key="MEMBER_OF", type="MEMBER_OF")
    sample = centrality.Sampling(exact_up_to=100, size=16, seed=2)
    report = analytics.stakeholder_report(knowledge, top=3, sampling=sample)
    document = report.to_json()
    assert document["estimate"] == {"exact_up_to": 100, "sample_size": 16, "seed": 2}
    assert document["brokers"] and all(not b["pairs"] for b in document["brokers"])
    for lang, word in (("en", "estimates"), ("id", "perkiraan")):
        text = render_report(analytics.stakeholder_report(knowledge, top=3, lang=lang,
                                                          sampling=sample), "table")
        assert word in text and "(seed 2)" in text if lang == "en" else "benih acak 2" in text
    exact = analytics.stakeholder_report(knowledge, top=3)
    assert "estimate" not in exact.to_json() and all(exact.broker_pairs.values())


DATASETS = [[], [str(TINY)], *([str(DATA / name)] for name in (
    "assessments", "brief", "match", "names", "grants", "changes/before", "changes/critical",
    "audit/raci_chart"))]


@pytest.mark.parametrize("dataset", DATASETS, ids=lambda d: Path(d[0]).name if d else "bundled")
def test_measures_on_the_datasets_are_today_s(kg: Kg, dataset: list[str]) -> None:
    """The measures before kg.centrality: networkx's betweenness, constraint and effective
    size, and the brute-force brokerage; ``kg analyze`` and ``kg stakeholders`` print only
    these (and what did not change)."""
    assert kg("load", *dataset).exit_code == 0
    with kb.open(kg.store) as session:
        graph = session.graph()
    simple = analytics.stakeholder_projection(graph)
    actors = [n for n in simple if graph.nodes[n]["label"] == "Actor"]
    kinds = dict(graph.nodes(data="kind"))
    government = [a for a in actors if kinds[a] in analytics.GOVERNMENT_KINDS]
    business = [a for a in actors if kinds[a] in analytics.BUSINESS_KINDS]
    pairs = brute_force_pairs(simple, government, business)
    betweenness = nx.betweenness_centrality(simple)
    constraint = nx.constraint(simple, nodes=actors)
    effective = nx.effective_size(simple, nodes=actors)

    def defined(value: float) -> float | None:
        return None if math.isnan(value) else value

    expected = {
        actor: {"name": graph.nodes[actor].get("name", actor), "kind": kinds[actor],
                "degree": simple.degree(actor), "betweenness": betweenness[actor],
                "constraint": defined(constraint[actor]),
                "effective_size": defined(effective[actor]),
                "brokerage": len(pairs[actor])}
        for actor in actors
    }
    found = analytics.actor_measures(graph)
    assert json.dumps(found) == json.dumps(expected)
    assert analytics.brokered_pairs(graph) == {a: pairs[a] for a in actors}
    structure = structural_influence(graph)
    assert {a: s.betweenness for a, s in structure.items()} == {
        a: m["betweenness"] for a, m in expected.items()}


def test_an_estimated_stakeholder_assessment_says_so(tiny_kg: Kg) -> None:
    with kb.open(tiny_kg.store) as session:
        nodes = analytics.projection_size(session.graph())
        assert nodes == len(analytics.stakeholder_projection(session.graph()))
        for lang, word in (("en", "estimated"), ("id", "perkiraan")):
            estimated = assess_stakeholders(
                session.store, lang=lang, sampling=centrality.Sampling(exact_up_to=nodes - 1))
            exact = assess_stakeholders(
                session.store, lang=lang, sampling=centrality.Sampling(exact_up_to=nodes))
            assert word in render_report(estimated, "table")
            assert word not in render_report(exact, "table")


def test_an_estimate_on_a_graph_too_small_to_have_a_middle_is_zero() -> None:
    sample = centrality.Sampling(exact_up_to=0, size=1)
    assert centrality.betweenness(nx.path_graph(["a", "b"]), sample) == {"a": 0.0, "b": 0.0}
    with pytest.raises(ValueError, match="at least one"):
        centrality.Sampling(size=0)


def array_burt(graph: nx.Graph, nodes: list[str]) -> tuple[dict[str, float], dict[str, float]]:
    """``centrality.burt`` on ``graph`` made arrays, keyed by node."""
    prepared = centrality.indexed(graph)
    constraint, effective = centrality.burt(prepared, prepared.positions(nodes))
    return (dict(zip(nodes, constraint.tolist(), strict=True)),
            dict(zip(nodes, effective.tolist(), strict=True)))


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_burt_measures_on_arrays_are_networkx_s_own_floats(
    case: tuple[nx.Graph, list[str], list[str]],
) -> None:
    graph, _, _ = case
    nodes = list(graph)
    constraint, effective = array_burt(graph, nodes)
    assert same_floats(constraint, nx.constraint(graph, nodes=nodes))
    assert same_floats(effective, nx.effective_size(graph, nodes=nodes))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_burt_measures_on_arrays_with_hubs(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hubs tied to each other and to a third of the graph: many common neighbours per
    tie, long compensated sums, neighbour look-ups over many chunks. Compared with
    ``centrality.constraint`` and ``effective_size`` (networkx's floats, tested above;
    networkx itself takes a minute here)."""
    monkeypatch.setattr(centrality, "_CHUNK", 500)
    base = nx.gnm_random_graph(600, 3_000, seed=seed)
    graph = nx.relabel_nodes(base, {i: f"v{i:03d}" for i in base})
    for hub in ("hub-a", "hub-b", "hub-c"):
        graph.add_edges_from((hub, f"v{i:03d}") for i in range(seed, 600, 3))
    graph.add_edges_from([("hub-a", "hub-b"), ("hub-b", "hub-c"), ("lone", "lone-2")])
    graph.add_node("isolated")
    nodes = sorted(graph, reverse=True)
    constraint, effective = array_burt(graph, nodes)
    assert same_floats(constraint, centrality.constraint(graph, nodes))
    assert same_floats(effective, centrality.effective_size(graph, nodes))


@st.composite
def knowledge_graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    """A knowledge graph with nodes of every kind of label (some not ties), parallel
    relationships, both directions and self-loops."""
    n = draw(st.integers(min_value=1, max_value=16))
    graph = nx.MultiDiGraph()
    for i in draw(st.permutations(range(n))):
        label = draw(st.sampled_from(["Actor", "Actor", "Sentra", "Activity", "Source",
                                      "Assessment"]))
        graph.add_node(f"n{i:02d}", label=label, name=f"N{i}",
                       **({"kind": draw(st.sampled_from(KINDS))} if label == "Actor" else {}))
    nodes = list(graph)
    for u, v, rel in draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes),
                                             st.sampled_from(["MEMBER_OF", "FUNDS"])),
                                   max_size=40)):
        graph.add_edge(u, v, type=rel)
    return graph


@settings(max_examples=200, deadline=None)
@given(knowledge_graphs())
def test_the_array_projection_is_networkx_s(graph: nx.MultiDiGraph) -> None:
    """``kg analyze`` above the threshold builds the projection as arrays, never as
    networkx's graph: the same nodes and ties, and the same measures as on networkx's."""
    simple = analytics.stakeholder_projection(graph)
    prepared = centrality.indexed(simple)
    assert prepared.ids == sorted(simple)
    ties = {(prepared.ids[i], prepared.ids[j])
            for i in range(len(prepared.ids))
            for j in prepared.neighbours[prepared.offsets[i]:prepared.offsets[i + 1]]}
    assert ties == {(u, v) for u, v in simple.edges()} | {(v, u) for u, v in simple.edges()}
    assert prepared.graph.vcount() == len(simple)
    assert prepared.graph.ecount() == simple.number_of_edges()
    everything = centrality.Sampling(exact_up_to=0, size=max(1, len(simple)))
    estimated = analytics.actor_measures(graph, sampling=everything)
    actors = [node for node, label in graph.nodes(data="label") if label == "Actor"]
    government = [a for a in actors if graph.nodes[a]["kind"] in analytics.GOVERNMENT_KINDS]
    business = [a for a in actors if graph.nodes[a]["kind"] in analytics.BUSINESS_KINDS]
    betweenness = centrality.betweenness(simple, everything)
    brokerage = centrality.brokerage(simple, actors, government, business)
    assert list(estimated) == actors
    for actor, m in estimated.items():
        assert m["degree"] == simple.degree(actor)
        assert m["betweenness"] == pytest.approx(betweenness[actor], rel=1e-12, abs=1e-15)
        assert m["brokerage"] == brokerage[actor]
    exact = analytics.actor_measures(graph)
    assert json.dumps({a: (m["constraint"], m["effective_size"]) for a, m in estimated.items()}
                      ) == json.dumps({a: (m["constraint"], m["effective_size"])
                                       for a, m in exact.items()})


@pytest.mark.parametrize("fork", [True, False])
def test_two_processes_give_one_process_s_estimates(
    fork: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The estimates split over a forked child (or, without fork, run one after the other)
    equal betweenness in one igraph call up to the last bits, and brokerage exactly."""
    if not fork:
        monkeypatch.delattr("os.fork")
    graph, government, business = national_like()
    sample = centrality.Sampling(exact_up_to=10, size=40, seed=4)
    prepared = centrality.indexed(graph)
    at = prepared.positions(list(graph))
    found = centrality.estimates(prepared, at, government, business, sample)
    nodes = list(graph)
    expected = centrality.betweenness(graph, sample)
    assert dict(zip(nodes, found.betweenness.tolist(), strict=True)) == pytest.approx(
        expected, rel=1e-14, abs=1e-16)
    assert dict(zip(nodes, found.brokerage.tolist(), strict=True)) == centrality.brokerage(
        graph, nodes, government, business, sample)
    assert same_floats(dict(zip(nodes, found.constraint.tolist(), strict=True)),
                       centrality.constraint(graph, nodes))
    assert same_floats(dict(zip(nodes, found.effective_size.tolist(), strict=True)),
                       centrality.effective_size(graph, nodes))

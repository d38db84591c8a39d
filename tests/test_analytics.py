"""Stakeholder measures on small graphs whose values can be worked out by hand."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.analytics import (
    MEASURE_HELP,
    ActorMeasures,
    actor_measures,
    components,
    isolates,
    raci_coverage,
    stakeholder_report,
)
from kg.output import render_report

Node = tuple[str, str, str | None]  # id, label, actor kind


def graph_of(nodes: list[Node], edges: list[tuple[str, str, str]]) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for node, label, kind in nodes:
        graph.add_node(node, label=label, name=node.title(), kind=kind)
    for u, v, relationship in edges:
        graph.add_edge(u, v, key=relationship, type=relationship)
    return graph


def star(leaves: int) -> nx.MultiDiGraph:
    """One government actor managing `leaves` sentra, which share no other tie."""
    sentra = [f"s{i}" for i in range(leaves)]
    return graph_of(
        [("dinas", "Actor", "government")] + [(s, "Sentra", None) for s in sentra],
        [("dinas", s, "MANAGES") for s in sentra],
    )


def test_star_hub_lies_on_every_path_between_its_leaves() -> None:
    # 4 leaves: C(4,2) = 6 leaf pairs, each joined only through the hub. Normalised by the
    # (5-1)(5-2)/2 = 6 pairs not involving the hub: 6 / 6 = 1.0.
    assert actor_measures(star(4))["dinas"]["betweenness"] == 1.0


@pytest.mark.parametrize("leaves", [1, 2, 4, 5], ids=["1-leaf", "2-leaves", "4-leaves", "5-leaves"])
def test_star_hub_constraint_is_one_over_its_ties(leaves: int) -> None:
    # Each leaf takes p = 1/n of the hub's ties, and no leaf is tied to another (no indirect
    # term), so each local constraint is (1/n)^2 and their sum n * (1/n)^2 = 1/n.
    assert actor_measures(star(leaves))["dinas"]["constraint"] == pytest.approx(1 / leaves)


def test_star_leaf_with_a_single_tie_is_fully_constrained() -> None:
    # The leaf's only tie takes p = 1; (1 + 0)^2 = 1.
    graph = star(3)
    graph.add_node("koperasi", label="Actor", name="Koperasi", kind="association")
    graph.add_edge("koperasi", "s0", key="MANAGES", type="MANAGES")
    assert actor_measures(graph)["koperasi"]["constraint"] == 1.0


@pytest.mark.parametrize("leaves", [1, 3, 5], ids=["1-leaf", "3-leaves", "5-leaves"])
def test_star_hub_effective_size_is_its_number_of_ties(leaves: int) -> None:
    # Borgatti: n - 2t/n with t = 0 ties among the leaves gives n.
    assert actor_measures(star(leaves))["dinas"]["effective_size"] == leaves


def test_ties_among_contacts_lower_effective_size() -> None:
    # Hub with 3 contacts, 1 tie among them: 3 - 2*1/3 = 7/3.
    graph = star(3)
    graph.add_edge("s0", "s1", key="SUPPLIES", type="SUPPLIES")
    assert actor_measures(graph)["dinas"]["effective_size"] == pytest.approx(7 / 3)


def test_parallel_relationships_are_one_tie() -> None:
    graph = star(2)
    graph.add_edge("dinas", "s0", key="FUNDS", type="FUNDS", sourceType="APBD")
    measures = actor_measures(graph)["dinas"]
    assert (measures["degree"], measures["constraint"]) == (2, 0.5)


def test_an_actor_only_pointed_at_is_measured_like_any_other() -> None:
    # networkx's pure-Python constraint on a directed graph calls a node with only incoming
    # edges isolated (NaN); the undirected projection must not.
    graph = graph_of(
        [("asosiasi", "Actor", "association"), ("umkm", "Actor", "business")],
        [("umkm", "asosiasi", "MEMBER_OF")],
    )
    assert actor_measures(graph)["asosiasi"]["constraint"] == 1.0


def bridge() -> nx.MultiDiGraph:
    """Two government actors on t1, a business and a bank on t2, a university on both."""
    return graph_of(
        [
            ("dinas", "Actor", "government"),
            ("dprd", "Actor", "legislature"),
            ("undip", "Actor", "academia"),
            ("cv-batik", "Actor", "business"),
            ("bank-jateng", "Actor", "finance"),
            ("t1", "Activity", None),
            ("t2", "Activity", None),
        ],
        [
            ("dinas", "t1", "RESPONSIBLE_FOR"),
            ("dprd", "t1", "INFORMED_OF"),
            ("undip", "t1", "CONSULTED_ON"),
            ("undip", "t2", "CONSULTED_ON"),
            ("cv-batik", "t2", "RESPONSIBLE_FOR"),
            ("bank-jateng", "t2", "INFORMED_OF"),
        ],
    )


def test_bridge_actor_brokers_every_government_business_pair() -> None:
    # {dinas, dprd} x {cv-batik, bank-jateng}: 4 pairs, every shortest path t1-undip-t2.
    assert actor_measures(bridge())["undip"]["brokerage"] == 4


def test_actors_beside_the_bridge_broker_nothing() -> None:
    # dinas is on no shortest dprd-cv-batik path (dprd-t1-undip-t2-cv-batik), nor an end.
    brokerage = {actor: m["brokerage"] for actor, m in actor_measures(bridge()).items()}
    assert brokerage == {"dinas": 0, "dprd": 0, "undip": 4, "cv-batik": 0, "bank-jateng": 0}


def test_each_broker_on_an_equally_short_route_counts_the_pair() -> None:
    graph = bridge()
    graph.add_node("unnes", label="Actor", name="Unnes", kind="academia")
    graph.add_edge("unnes", "t1", key="CONSULTED_ON", type="CONSULTED_ON")
    graph.add_edge("unnes", "t2", key="CONSULTED_ON", type="CONSULTED_ON")
    measures = actor_measures(graph)
    assert (measures["undip"]["brokerage"], measures["unnes"]["brokerage"]) == (4, 4)


def test_pairs_without_a_government_end_are_not_brokered() -> None:
    graph = bridge()
    graph.remove_nodes_from(["dinas", "dprd"])
    graph.add_node("lsm", label="Actor", name="LSM", kind="community")
    graph.add_edge("lsm", "t1", key="CONSULTED_ON", type="CONSULTED_ON")
    assert actor_measures(graph)["undip"]["brokerage"] == 0


def test_unconnected_pairs_are_brokered_by_nobody() -> None:
    graph = bridge()
    graph.remove_node("undip")
    assert all(m["brokerage"] == 0 for m in actor_measures(graph).values())


def test_betweenness_counts_paths_between_all_nodes_but_reports_actors() -> None:
    # dinas - t1 - s1: t1 is the only go-between, and it is not an actor.
    graph = graph_of(
        [("dinas", "Actor", "government"), ("t1", "Activity", None), ("s1", "Sentra", None)],
        [("dinas", "t1", "RESPONSIBLE_FOR"), ("t1", "s1", "CONCERNS")],
    )
    assert actor_measures(graph) == {
        "dinas": ActorMeasures(
            name="Dinas",
            kind="government",
            degree=1,
            betweenness=0.0,
            constraint=1.0,
            effective_size=1.0,
            brokerage=0,
        )
    }


def test_isolated_actor_has_no_constraint_or_effective_size() -> None:
    graph = graph_of([("camat", "Actor", "government")], [])
    assert actor_measures(graph)["camat"] == ActorMeasures(
        name="Camat",
        kind="government",
        degree=0,
        betweenness=0.0,
        constraint=None,
        effective_size=None,
        brokerage=0,
    )


def test_a_tie_to_itself_leaves_an_actor_isolated() -> None:
    # Left in, networkx's pure-Python constraint reports 4.0 for a self-loop-only node.
    graph = graph_of([("forum", "Actor", "community")], [("forum", "forum", "MEMBER_OF")])
    assert actor_measures(graph)["forum"]["constraint"] is None


def test_citing_the_same_source_does_not_tie_actors() -> None:
    graph = graph_of(
        [("dinas", "Actor", "government"), ("kadin", "Actor", "association")],
        [],
    )
    graph.add_node("bps-2023", label="Source", title="Kota Semarang dalam Angka 2023")
    for actor in ("dinas", "kadin"):
        graph.add_edge(actor, "bps-2023", key="CITES", type="CITES")
    assert isolates(graph) == ["dinas", "kadin"]


def test_isolates_are_sorted_and_of_any_label() -> None:
    graph = star(1)
    graph.add_node("s-tutup", label="Sentra", name="Sentra Tutup")
    graph.add_node("bappeda", label="Actor", name="Bappeda", kind="government")
    assert isolates(graph) == ["bappeda", "s-tutup"]


def test_components_come_largest_first_with_sorted_ids() -> None:
    graph = graph_of(
        [
            ("z-dinas", "Actor", "government"),
            ("a-sentra", "Sentra", None),
            ("m-kec", "Kecamatan", None),
            ("b-solo", "Actor", "community"),
        ],
        [("z-dinas", "a-sentra", "MANAGES"), ("a-sentra", "m-kec", "LOCATED_IN")],
    )
    assert components(graph) == [["a-sentra", "m-kec", "z-dinas"], ["b-solo"]]


def test_components_of_equal_size_come_by_smallest_id() -> None:
    graph = graph_of(
        [(node, "Actor", None) for node in ("d", "c", "b", "a")],
        [("d", "c", "MEMBER_OF"), ("b", "a", "MEMBER_OF")],
    )
    assert components(graph) == [["a", "b"], ["c", "d"]]


def two_sentra() -> nx.MultiDiGraph:
    """s1: t1, t2; s2: t3; s3: no activity; t4 concerns no sentra."""
    return graph_of(
        [
            ("s1", "Sentra", None),
            ("s2", "Sentra", None),
            ("s3", "Sentra", None),
            ("t1", "Activity", None),
            ("t2", "Activity", None),
            ("t3", "Activity", None),
            ("t4", "Activity", None),
            ("dinas", "Actor", "government"),
            ("koperasi", "Actor", "association"),
            ("camat", "Actor", "government"),
            ("undip", "Actor", "academia"),
            ("bank", "Actor", "finance"),
        ],
        [
            ("t1", "s1", "CONCERNS"),
            ("t2", "s1", "CONCERNS"),
            ("t3", "s2", "CONCERNS"),
            ("dinas", "t1", "RESPONSIBLE_FOR"),
            ("dinas", "t1", "ACCOUNTABLE_FOR"),
            ("dinas", "t2", "RESPONSIBLE_FOR"),
            ("koperasi", "t2", "RESPONSIBLE_FOR"),
            ("camat", "t2", "ACCOUNTABLE_FOR"),
            ("undip", "t1", "CONSULTED_ON"),
            ("dinas", "t3", "RESPONSIBLE_FOR"),
            ("bank", "t3", "INFORMED_OF"),
            ("koperasi", "t4", "ACCOUNTABLE_FOR"),
        ],
    )


@pytest.mark.parametrize(
    ("sentra", "expected"),
    [
        # R: dinas (t1, t2: once) + koperasi; A: dinas (also R) + camat; C: undip.
        ("s1", {"R": 2, "A": 2, "C": 1, "I": 0}),
        # koperasi's A on t4 belongs to no sentra.
        ("s2", {"R": 1, "A": 0, "C": 0, "I": 1}),
        ("s3", {"R": 0, "A": 0, "C": 0, "I": 0}),
    ],
    ids=["two-activities", "one-activity", "no-activity"],
)
def test_raci_coverage_counts_distinct_actors_per_role(
    sentra: str, expected: dict[str, int]
) -> None:
    assert raci_coverage(two_sentra())[sentra] == expected


def test_raci_coverage_covers_every_sentra_and_nothing_else() -> None:
    assert list(raci_coverage(two_sentra())) == ["s1", "s2", "s3"]


def test_every_measure_has_one_line_of_help() -> None:
    measures = set(ActorMeasures.__annotations__) - {"name", "kind"}
    expected = measures | {"components", "isolates", "raci_coverage"}
    assert set(MEASURE_HELP) == expected
    assert all(help_text and "\n" not in help_text for help_text in MEASURE_HELP.values())


# -- the report of `kg analyze` ---------------------------------------------------------


def test_report_ranks_the_top_actors_by_betweenness_then_id() -> None:
    # undip is the only go-between; the four others tie at 0 and come by id.
    assert list(stakeholder_report(bridge(), top=3).actors) == ["undip", "bank-jateng", "cv-batik"]


def test_report_lists_every_broker_also_below_the_top() -> None:
    graph = bridge()
    graph.add_node("unnes", label="Actor", name="Unnes", kind="academia")
    graph.add_edge("unnes", "t1", key="CONSULTED_ON", type="CONSULTED_ON")
    graph.add_edge("unnes", "t2", key="CONSULTED_ON", type="CONSULTED_ON")
    report = stakeholder_report(graph, top=1)
    assert (list(report.actors), list(report.brokers)) == (["undip"], ["undip", "unnes"])


def test_report_text_names_brokers_components_isolates_and_coverage() -> None:
    graph = bridge()
    graph.add_node("s1", label="Sentra", name="Sentra Satu")
    graph.add_edge("t2", "s1", key="CONCERNS", type="CONCERNS")
    graph.add_node("kiw", label="Zone", name="KIW")
    lines = render_report(stakeholder_report(graph, top=2), "table").splitlines()
    assert lines[0] == "Actors, top 2 by betweenness"
    assert lines[-9:] == [
        "Brokers between government and business actors (government: government, "
        "legislature; business: association, business, finance), with the pairs each lies "
        "between: Undip (4: Dinas - Bank-Jateng, Dinas - Cv-Batik, Dprd - Bank-Jateng, "
        "Dprd - Cv-Batik)",
        "",
        f"Components: 2 (sizes 8, 1); {MEASURE_HELP['components']}",
        "Isolated nodes: 1 (kiw)",
        "",
        f"RACI coverage per sentra: {MEASURE_HELP['raci_coverage']}",
        "sentra  name         R  A  C  I",
        "------  -----------  -  -  -  -",
        "s1      Sentra Satu  1  0  1  1",
    ]


def test_report_text_cuts_long_lists_of_components_and_isolates() -> None:
    graph = graph_of([(f"z{i:02}", "Zone", None) for i in range(16)], [])
    lines = render_report(stakeholder_report(graph), "table").splitlines()
    assert lines[-5].startswith("Components: 16 (sizes 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ...); ")
    assert lines[-4] == "Isolated nodes: 16 (" + ", ".join(f"z{i:02}" for i in range(15)) + ", ...)"


def test_report_csv_is_the_ranked_actors() -> None:
    # undip is on every shortest path between {dinas, dprd, t1} and {cv-batik,
    # bank-jateng, t2}: 9 of the 6 * 5 / 2 = 15 pairs of other nodes.
    assert render_report(stakeholder_report(bridge(), top=1), "csv").splitlines() == [
        "actor,name,kind,degree,betweenness,constraint,effective_size,brokerage",
        "undip,Undip,academia,2,0.6,0.5,2,4",
    ]

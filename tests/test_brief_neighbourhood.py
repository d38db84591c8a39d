"""kg report --sentra: a brief of named sentra reads their neighbourhoods, not the whole graph.

tests/data/neighbourhood holds two sentra in one kecamatan (citing src-kec): Sentra A
(citing src-a) with a training whose A is Dinas and R Koperasi, funded by Bank (one BANK
grant citing src-grant) and by Dinas (two APBD grants); Sentra B (citing src-b) with a
training whose A is Dinas and R Kelompok Jauh, funded by Bank (citing src-grant). Dinas is
a member of Pemkot, and so is DPRD (two MEMBER_OF hops from Dinas). Dinas, Pemkot, DPRD
and Kelompok Jauh are assessed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg import report
from kg.cli import cli
from kg.report.brief import neighbourhoods
from kg.store import Store, StoreConfig, open_store

from .conftest import DATA

DAY = datetime.date(2026, 3, 2)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Stores holding tests/data/neighbourhood and the bundled Semarang data."""
    paths = {}
    for name, dataset in (("neighbourhood", [str(DATA / "neighbourhood")]), ("semarang", [])):
        path = tmp_path_factory.mktemp(name) / "store"
        result = CliRunner().invoke(cli, ["--store", str(path), "load", *dataset])
        assert result.exit_code == 0, result.output
        paths[name] = path
    return paths


@pytest.fixture(scope="module")
def store(stores: dict[str, Path]) -> Iterator[Store]:
    with open_store(StoreConfig(path=stores["neighbourhood"])) as opened:
        yield opened


@pytest.fixture(scope="module")
def brief_of(stores: dict[str, Path]) -> Callable[..., report.Brief]:
    def build(name: str, **options: Any) -> report.Brief:
        with open_store(StoreConfig(path=stores[name])) as opened:
            return report.build_brief(opened, as_of=DAY, **options)

    return build


def grid_ranks(brief: report.Brief) -> dict[str, int]:
    (grid,) = [part for part in brief.extra if part.svg]
    return {row[0]: row[7] for section in grid.sections for row in section.rows}


def test_neighbourhood_is_the_sentra_its_links_its_activities_actors_and_their_memberships(
    store: Store,
) -> None:
    graph = neighbourhoods(store, ["s-a"])
    # not Sentra B, its training or its actor; not the zone (two hops); not DPRD (a member
    # of Pemkot, which Dinas is a member of)
    assert sorted(graph) == ["33.74.01", "a-bank", "a-dinas", "a-kop", "a-pemkot", "s-a", "t-a"]
    assert sorted((a, b, kind) for a, b, kind in graph.edges(data="type")) == [
        ("a-bank", "s-a", "FUNDS"), ("a-dinas", "a-pemkot", "MEMBER_OF"),
        ("a-dinas", "s-a", "FUNDS"), ("a-dinas", "s-a", "FUNDS"),
        ("a-dinas", "t-a", "ACCOUNTABLE_FOR"), ("a-kop", "t-a", "RESPONSIBLE_FOR"),
        ("s-a", "33.74.01", "LOCATED_IN"), ("t-a", "s-a", "CONCERNS"),
    ]
    assert graph.nodes["s-a"]["kiosksOccupied"] == 9 and graph.nodes["t-a"]["label"] == "Activity"
    assert "id" not in graph.nodes["s-a"]


def test_neighbourhoods_of_several_sentra_hold_each_shared_relationship_once(
    store: Store,
) -> None:
    graph = neighbourhoods(store, ["s-a", "s-b"])
    assert graph.number_of_edges("a-dinas", "a-pemkot") == 1
    assert graph.number_of_edges("a-dinas", "s-a") == 2  # two grants stay two
    assert graph.number_of_edges("s-b", "33.74.01") == 1


def test_picture_of_a_named_sentra_leaves_out_the_organisations_of_its_actors(
    brief_of: Callable[..., report.Brief],
) -> None:
    (sentra,) = brief_of("neighbourhood", sentra=["s-a"]).sentra
    assert sorted(sentra.neighbourhood) == ["33.74.01", "a-bank", "a-dinas", "a-kop", "s-a",
                                            "t-a"]


def test_named_sentra_read_the_same_as_in_the_whole_area_brief(
    brief_of: Callable[..., report.Brief],
) -> None:
    whole = {s.id: s for s in brief_of("neighbourhood").sentra}
    for one in ("s-a", "s-b"):
        (alone,) = brief_of("neighbourhood", sentra=[one]).sentra
        assert alone.funding == whole[one].funding
        assert (alone.kecamatan, alone.zone) == (whole[one].kecamatan, whole[one].zone)
        assert sorted(alone.neighbourhood.edges) == sorted(whole[one].neighbourhood.edges)
    a = whole["s-a"]
    assert [(f.source_type, f.grants, f.amount_idr, f.without_amount) for f in a.funding] == [
        ("APBD", 2, 500_000_000, 1), ("BANK", 1, 100_000_000, 0)]
    assert (a.kecamatan, a.zone) == ("Kecamatan Satu", "Wilayah Uji")


@pytest.mark.parametrize("sentra", ["sentra-logam-kiw", "sentra-batik-malon",
                                    "sentra-batik-meteseh", "sentra-ligu"])
def test_each_bundled_sentra_alone_reads_as_in_the_whole_area_brief(
    brief_of: Callable[..., report.Brief], sentra: str,
) -> None:
    whole = report.render_brief(brief_of("semarang"))
    alone = report.render_brief(brief_of("semarang", sentra=[sentra]))
    number = [s.id for s in brief_of("semarang").sentra].index(sentra) + 1
    section = whole.split(f'<section id="sentra-{number}">')[1].split("</section>")[0]
    assert section == alone.split('<section id="sentra-1">')[1].split("</section>")[0]
    for kept in ("summary", "findings"):
        assert (whole.split(f'<section id="{kept}">')[1].split("</section>")[0]
                == alone.split(f'<section id="{kept}">')[1].split("</section>")[0])


def test_whole_area_brief_lists_every_source_with_all_its_citations(
    brief_of: Callable[..., report.Brief],
) -> None:
    brief = brief_of("neighbourhood")
    assert [(s.id, s.cited_by) for s in brief.sources] == [
        ("src-a", 1), ("src-b", 1), ("src-grant", 2), ("src-kec", 1)]
    assert not brief.described


def test_named_sentra_list_the_sources_cited_in_their_neighbourhood(
    brief_of: Callable[..., report.Brief],
) -> None:
    brief = brief_of("neighbourhood", sentra=["s-a"])
    assert [(s.id, s.cited_by) for s in brief.sources] == [
        ("src-a", 1), ("src-grant", 1), ("src-kec", 1)]
    both = brief_of("neighbourhood", sentra=["s-a", "s-b"])  # the kecamatan counted once
    assert [(s.id, s.cited_by) for s in both.sources] == [
        ("src-a", 1), ("src-b", 1), ("src-grant", 2), ("src-kec", 1)]
    page = report.render_brief(brief)
    assert "The parts of the graph this brief describes" in page
    assert "Every row of the data cites" not in page


def test_whole_area_grid_ranks_every_actor_on_the_whole_graph(
    brief_of: Callable[..., report.Brief],
) -> None:
    brief = brief_of("neighbourhood")
    assert grid_ranks(brief) == {"a-dinas": 1, "a-bank": 2, "a-pemkot": 3, "a-far": 4,
                                 "a-kop": 4, "a-dprd": 6}
    assert "<h2>Stakeholder grid</h2>" in report.render_brief(brief)


def test_grid_of_a_named_sentra_ranks_its_stakeholders_on_its_neighbourhood(
    brief_of: Callable[..., report.Brief],
) -> None:
    brief = brief_of("neighbourhood", sentra=["s-a"])
    # DPRD and Kelompok Jauh are not linked to Sentra A; Pemkot (Dinas's organisation) is
    assert grid_ranks(brief) == {"a-dinas": 1, "a-kop": 2, "a-bank": 3, "a-pemkot": 4}
    page = report.render_brief(brief)
    grid = page.split('<section id="extra-1">')[1].split("</section>")[0]
    assert grid.startswith("<h2>Stakeholder grid of the sentra described</h2>")
    assert "Measured on the stakeholder neighbourhood of the sentra described" in grid
    indonesian = report.render_brief(brief_of("neighbourhood", sentra=["s-a"], lang="id"))
    assert re.search(r"<h2>Peta pemangku kepentingan sentra yang diuraikan</h2>", indonesian)
    assert "Diukur pada lingkungan pemangku kepentingan" in indonesian

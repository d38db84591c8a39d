"""kg report: the meeting brief, one printable offline HTML page (and a PDF by Chromium).

tests/data/brief holds two sentra in one kecamatan: Sentra Logam (hostile name, 6 of 10
kiosks occupied, two APBD grants of Rp 1.5 and 0.5 billion and a BANK grant without an
amount, producing pagar besi in the chain besi tua -> pelat logam -> pagar besi -> kanopi
-> pasar lokal, managed by a koperasi) and Sentra Batik (planned, nothing else); a
marketing training with R and A (Dinas, hostile name) and C (koperasi); a relocation
with only an I: no R, no A, no time plan. Its source has a web address.
"""

from __future__ import annotations

import datetime
import html
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kg import audit, report
from kg.catalogue import LANGUAGES
from kg.changes import read_baseline
from kg.cli import cli
from kg.errors import ExportError, QueryError
from kg.output import Section
from kg.report.brief import neighbourhoods
from kg.store import Store, StoreConfig, open_store

from .conftest import DATA
from .helpers import ENGLISH_PROBES, Page

BRIEF = DATA / "brief"
DAY = datetime.date(2026, 3, 2)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Stores holding tests/data/brief, the bundled Semarang data, tests/data/assessments
    (an invented dataset with stakeholder assessments) and tests/data/neighbourhood (see
    "Briefs of named sentra" below)."""
    paths = {}
    for name, dataset in (("brief", [str(BRIEF)]), ("semarang", []),
                          ("assessments", [str(DATA / "assessments")]),
                          ("neighbourhood", [str(DATA / "neighbourhood")])):
        path = tmp_path_factory.mktemp(name) / "store"
        result = CliRunner().invoke(cli, ["--store", str(path), "load", *dataset])
        assert result.exit_code == 0, result.output
        paths[name] = path
    return paths


@pytest.fixture(scope="module")
def brief_of(stores: dict[str, Path]) -> Callable[..., report.Brief]:
    def build(name: str, **options: Any) -> report.Brief:
        with open_store(StoreConfig(path=stores[name])) as store:
            return report.build_brief(store, as_of=DAY, **options)

    return build


@pytest.fixture(scope="module")
def kg_on(stores: dict[str, Path]) -> Callable[..., Result]:
    return lambda name, *args: CliRunner().invoke(cli, ["--store", str(stores[name]), *args])


@pytest.fixture(scope="module")
def english(brief_of: Callable[..., report.Brief]) -> str:
    return report.render_brief(brief_of("brief"))


@pytest.fixture(scope="module")
def indonesian(brief_of: Callable[..., report.Brief]) -> str:
    return report.render_brief(brief_of("brief", lang="id"))


def sentra_section(document: str, number: int) -> str:
    return document.split(f'<section id="sentra-{number}">')[1].split("</section>")[0]


# -- what the page is --------------------------------------------------------------------


def test_brief_has_title_date_dataset_summary_each_sentra_and_findings(english: str) -> None:
    page = Page(english)
    assert page.sections == ["title", "dataset", "summary", "sentra-1", "sentra-2", "findings"]
    assert "<h1>Sentra IKM: meeting brief</h1>" in english
    assert "Date: 2026-03-02" in english
    # sentra in id order: s-batik, s-logam
    assert "<h2>Sentra: Sentra Batik</h2>" in english
    assert "<p>Status: planned; kecamatan: Tugu; industry zone: Wilayah Uji.</p>" in english


def test_each_sentra_section_has_its_parts_in_order(english: str) -> None:
    logam = sentra_section(english, 2)
    titles = re.findall(r"<h3>(.*?)</h3>", logam)
    assert titles == [
        "Actors and their roles", "Responsibility chart (RACI)", "Plan on a time line",
        "Engagements from 2025-03-02 to 2026-03-02", "Open commitments",
        "Funding by source type", "Kiosk occupancy", "Indicators against their targets",
        "Supply chain, upstream to downstream", "Neighbourhood in the graph",
    ]


def test_page_makes_no_network_request_and_names_no_web_address(english: str) -> None:
    page = Page(english)
    assert not re.search(r"https?:", english, re.IGNORECASE)
    assert {"script", "link", "img", "iframe", "object", "embed"}.isdisjoint(page.tags)
    assert [v for _, name, v in page.attributes if name in {"src", "srcset"}] == []
    assert all(v.startswith("#") for _, name, v in page.attributes if name == "href")
    (policy,) = [v for tag, name, v in page.attributes if name == "content" and "src" in v]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy  # no script at all, so none may run


def test_source_address_is_printed_as_text_without_its_scheme(english: str) -> None:
    assert "<code>example.org/profil</code>" in english


def test_hostile_names_stay_text(english: str) -> None:
    page = Page(english)
    assert "Dinas <script>alert('x')</script> Perindustrian" in " ".join(page.text)
    assert "Sentra <img src=x onerror=alert(1)> Logam" in " ".join(page.text)
    assert "&lt;img src=x onerror=alert(1)&gt;" in english
    assert "<img" not in english and "<script" not in english


def test_source_title_markup_stays_text(english: str) -> None:
    assert "Profil &lt;b&gt;Sentra&lt;/b&gt; uji" in english


def test_print_styles_put_each_section_on_a_new_a4_page(english: str) -> None:
    assert "@page { size: A4;" in english
    assert "section + section { page-break-before: always; break-before: page; }" in english


def test_print_styles_keep_a_heading_with_what_follows_it_and_a_figure_whole(
    english: str,
) -> None:
    assert "h2, h3, h3 + p { page-break-after: avoid; break-after: avoid; }" in english
    assert "tr, figure, .check { page-break-inside: avoid; break-inside: avoid; }" in english
    assert "@media print { body { padding: 0; }" in english  # @page's margins suffice


def test_names_in_pictures_wrap_whole_or_end_in_a_note_that_gives_them_whole(
    brief_of: Callable[..., report.Brief],
) -> None:
    document = report.render_brief(brief_of("semarang"))
    wrapped = shortened = 0
    for figure in re.findall(r"<figure>(.*?)</figure>", document, re.DOTALL):
        caption = figure.split("<figcaption", 1)[-1] if "<figcaption" in figure else ""
        notes = dict(re.findall(r"\[(\d+)\] ([^<]+)", caption))
        nodes = re.findall(r"<g><title>([^<]*)</title>.*?<text [^>]*>((?:<tspan [^>]*>[^<]*"
                           r"</tspan>)+)</text>", figure)
        for title, spans in nodes:
            lines = re.findall(r">([^<]*)</tspan>", spans)
            assert all(len(html.unescape(line)) <= 30 for line in lines), lines
            shown = " ".join(lines)
            if shown != title:
                note = re.fullmatch(r".+\u2026 \[(\d+)\]", shown)
                assert note is not None and notes.get(note.group(1)) == title, (shown, title)
                shortened += 1
            wrapped += len(lines) > 1
    assert wrapped > 10 and shortened >= 2  # the regulation, the tourists' market, ...


# -- the parts -------------------------------------------------------------------------


def test_dataset_section_counts_nodes_and_lists_sources_with_their_citations(
    english: str,
) -> None:
    dataset = english.split('<section id="dataset">')[1].split("</section>")[0]
    assert "The graph holds 15 nodes and 18 relationships" in dataset
    assert "<li>Sentra: 2</li>" in dataset
    # both sentra cite src-profil
    assert re.search(r"<code>src-profil</code>.*<td class=\"num\">2</td>", dataset)


def test_summary_counts_findings_by_severity_and_draws_a_bar_per_check_found(
    english: str,
) -> None:
    summary = english.split('<section id="summary">')[1].split("</section>")[0]
    # sentra.not_engaged counts the one active sentra: the dataset records no engagement.
    assert "8 findings (2 errors, 6 warnings) from 27 checks" in summary
    bars = re.findall(r'<rect x="330" y="\d+" width="[\d.]+" height="14" fill="(#\w+)"', summary)
    assert sorted(bars) == ["#c62828"] * 2 + ["#ef8f00"] * 6


def test_actors_table_words_each_role_with_its_activity(english: str) -> None:
    logam = sentra_section(english, 2)
    assert "accountable (A): Pelatihan pemasaran<br>funds<br>responsible (R): Pelatihan" in logam
    assert "funds" in logam and "Bank Jateng" in logam
    assert "manages<br>" in logam or "manages</td>" in logam


def test_raci_chart_is_colour_coded_and_marks_rows_with_gaps(english: str) -> None:
    logam = sentra_section(english, 2)
    assert '<td class="role role-A">R/A</td>' in logam
    assert '<td class="role role-C">C</td>' in logam
    gap = re.search(r'<tr class="gap"><th>\u26a0 Relokasi(.*?)</th>', logam)
    assert gap is not None
    assert "Activities nobody is accountable for" in gap.group(1)
    assert "Activities nobody is responsible for" in gap.group(1)
    assert "Activities without a time plan" in gap.group(1)
    assert '<tr><th>Pelatihan pemasaran</th>' in logam


def test_funding_sums_known_amounts_per_source_type(english: str, indonesian: str) -> None:
    assert "<td>APBD</td><td class=\"num\">2</td><td class=\"num\">2,000,000,000</td>" in (
        sentra_section(english, 2)
    )
    assert "<td>BANK</td><td class=\"num\">1</td><td class=\"num\">unknown</td>" in (
        sentra_section(english, 2)
    )
    assert "2.000.000.000" in sentra_section(indonesian, 2)


def test_kiosk_occupancy_against_the_audit_threshold(english: str) -> None:
    logam = sentra_section(english, 2)
    assert "6 of 10 kiosks occupied (60%). The audit reports occupancy below 70%." in logam
    assert 'aria-label="6/10"' in logam


def test_sentra_without_data_says_so(english: str) -> None:
    batik = sentra_section(english, 1)
    for sentence in ("No actor is linked", "No activity concerns", "No funding is recorded",
                     "no kiosk counts", "no product for this sentra"):
        assert sentence in batik


def test_supply_chain_runs_left_to_right_from_raw_to_market(english: str) -> None:
    chain = sentra_section(english, 2).split("Supply chain")[1].split("Neighbourhood")[0]
    positions = {
        name: float(x)
        for x, name in re.findall(
            r'<rect x="(\d+)" y="\d+" width="150".*?<text [^>]*><tspan [^>]*>([^<]+)<', chain
        )
    }
    order = sorted(positions, key=positions.__getitem__)
    assert order == ["Besi tua", "Pelat logam", "Pagar besi", "Kanopi", "Pasar lokal"]


def test_neighbourhood_draws_the_sentra_its_links_and_the_actors_of_its_activities(
    english: str,
) -> None:
    picture = sentra_section(english, 2).split("Neighbourhood in the graph")[1]
    names = set(re.findall(r"<title>([^<]+)</title>", picture))
    assert names == {
        "Sentra &lt;img src=x onerror=alert(1)&gt; Logam", "Tugu", "Pagar besi",
        "Pelatihan pemasaran", "Relokasi", "Bank Jateng", "Koperasi Logam",
        "Dinas &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Perindustrian",
    }
    for word in ("funds", "manages", "produces", "concerns", "located in", "responsible (R)"):
        assert word in picture.split("<figcaption")[1]


def test_findings_carry_the_recommended_action_of_their_check(english: str) -> None:
    findings = english.split('<section id="findings">')[1]
    block = findings.split("Sentra with low kiosk occupancy")[1].split("</div>")[0]
    assert "Recommended action:</strong> Fill the empty kiosks" in block
    assert "6 of 10 kiosks occupied (60%)" in block
    assert "Checks that found nothing: " in findings


def test_every_check_has_a_recommendation_in_both_languages() -> None:
    for lang in LANGUAGES:
        recommendations = audit.catalogue(lang)["recommendations"]
        assert sorted(recommendations) == sorted(audit.check_ids()), lang


def test_catalogues_hold_the_same_keys_at_every_depth() -> None:
    def keys(table: dict[str, Any], prefix: str = "") -> set[str]:
        found = set()
        for key, value in table.items():
            found.add(prefix + key)
            if isinstance(value, dict):
                found |= keys(value, f"{prefix}{key}.")
        return found

    assert keys(audit.catalogue("en")) == keys(audit.catalogue("id"))


def test_parts_other_features_add_are_printed_before_the_findings(
    brief_of: Callable[..., report.Brief],
) -> None:
    grid = Section(title="Kuadran <tinggi>", columns=["aktor", "minat"],
                   rows=[["<b>Bank</b>", "tinggi"]], notes=["catatan"])
    extra = [report.Part("Peta <pemangku>", [grid])]
    document = report.render_brief(brief_of("brief", extra=extra))
    assert Page(document).sections[-2:] == ["extra-1", "findings"]
    assert "<h2>Peta &lt;pemangku&gt;</h2><h3>Kuadran &lt;tinggi&gt;</h3>" in document
    assert "<td>&lt;b&gt;Bank&lt;/b&gt;</td><td>tinggi</td>" in document


def test_stakeholder_grid_is_drawn_when_assessments_exist(
    brief_of: Callable[..., report.Brief],
) -> None:
    document = report.render_brief(brief_of("assessments", lang="id"))
    grid = document.split('<section id="extra-1"><h2>Peta pemangku kepentingan</h2>')[1]
    grid = grid.split("</section>")[0]
    picture = grid.split("</figure>")[0]
    names = re.findall(r"<title>([^<]+)</title>", picture)
    # every actor with influence and interest, not the one never assessed
    assert "Dinas Contoh" in names and "Warga Contoh" in names
    assert "CV Contoh" not in names and "CV Contoh" in grid
    assert "kelola secara dekat" in picture and "Kepentingan \u2192" in picture
    # Dinas (influence 5, interest 5) in the top right cell, Warga (1, 2) low on the left
    assert '<text x="525.0" y="60.0" font-size="10"' in picture.split("Dinas Contoh</title>")[0]
    assert '<text x="195.0" y="396.0" font-size="10"' in picture.split("Warga Contoh</title>")[0]


def test_no_stakeholder_grid_without_assessments(english: str) -> None:
    assert "Stakeholder grid" not in english


def test_baseline_adds_the_changes_since_an_earlier_audit(
    brief_of: Callable[..., report.Brief], tmp_path: Path
) -> None:
    earlier = tmp_path / "old.json"
    earlier.write_text(
        '{"checks": [{"id": "sentra.low_occupancy", "title": "t", "severity": "warning", '
        '"count": 1, "findings": [{"subject": "s-gone", "related": [], '
        '"message": "Sentra Lama: 1 of 10 kiosks occupied"}]}]}',
        encoding="utf-8",
    )
    document = report.render_brief(brief_of("brief", baseline=read_baseline(earlier)))
    changes = document.split('<section id="extra-1"><h2>Changes since the baseline</h2>')[1]
    changes = changes.split("</section>")[0]
    assert "Sentra Lama: 1 of 10 kiosks occupied" in changes  # resolved since
    assert "6 of 10 kiosks occupied (60%)" in changes  # new


def test_sentra_option_keeps_only_those_sentra_named_by_id_or_name(
    brief_of: Callable[..., report.Brief],
) -> None:
    assert [s.id for s in brief_of("brief", sentra=["s-logam"]).sentra] == ["s-logam"]
    assert [s.id for s in brief_of("brief", sentra=["sentra batik"]).sentra] == ["s-batik"]


def test_more_sentra_than_max_sentra_are_refused_unless_named(
    brief_of: Callable[..., report.Brief],
) -> None:
    with pytest.raises(QueryError, match=r"holds 2 sentra, more than the 1 .*--sentra"):
        brief_of("brief", max_sentra=1)
    assert len(brief_of("brief", max_sentra=1, sentra=["s-logam", "s-batik"]).sentra) == 2


def test_a_node_that_is_no_sentra_is_refused(brief_of: Callable[..., report.Brief]) -> None:
    with pytest.raises(QueryError, match="'c-besi' is a Commodity, not a Sentra"):
        brief_of("brief", sentra=["c-besi"])


# -- Bahasa Indonesia --------------------------------------------------------------------


def own_words(brief: report.Brief) -> set[str]:
    """The words of the brief's text, less the store's path and the sources' titles and
    publishers: data, which may be in any language (the bundled idn-area-data source is
    published "from Kementerian Dalam Negeri codes")."""
    text = " ".join(Page(report.render_brief(brief)).text).replace(brief.store, " ")
    for source in brief.sources:
        text = text.replace(source.title, " ").replace(source.publisher, " ")
    return set(re.findall(r"[a-z]+", text.lower()))


@pytest.mark.parametrize("name", ["brief", "semarang"])
def test_indonesian_brief_holds_no_english_probe_word(
    brief_of: Callable[..., report.Brief], name: str
) -> None:
    brief = brief_of(name, lang="id")
    assert own_words(brief) & ENGLISH_PROBES == set()
    assert '<html lang="id">' in report.render_brief(brief)


def test_english_brief_holds_the_probe_words(brief_of: Callable[..., report.Brief]) -> None:
    """The probe finds English where there is some."""
    assert len(own_words(brief_of("brief")) & ENGLISH_PROBES) > 20


def test_bundled_data_gives_every_section_with_svg_pictures(
    brief_of: Callable[..., report.Brief],
) -> None:
    document = report.render_brief(brief_of("semarang", lang="id"))
    page = Page(document)
    assert page.sections == [
        "title", "dataset", "summary", "sentra-1", "sentra-2", "sentra-3", "sentra-4",
        "indicators", "findings",
    ]
    assert "80 temuan (19 kesalahan, 61 peringatan) dari 27 pemeriksaan" in document
    # the bar chart, then per sentra at least its neighbourhood (and a chain where it has
    # a product, kiosks and funding for the KIW metal sentra)
    assert page.tags.count("svg") >= 1 + 4 + 4


# -- the command -------------------------------------------------------------------------


def test_cli_writes_the_html_brief(kg_on: Callable[..., Result], tmp_path: Path) -> None:
    output = tmp_path / "brief.html"
    result = kg_on("brief", "report", "-o", str(output), "--title", "Rapat <Bappeda>")
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {output}: 2 sentra, 8 findings\n"
    assert "<h1>Rapat &lt;Bappeda&gt;</h1>" in output.read_text(encoding="utf-8")


def test_cli_language_comes_from_kg_lang(kg_on: Callable[..., Result], tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_LANG", "id")
    output = tmp_path / "brief.html"
    assert kg_on("brief", "report", "-o", str(output)).exit_code == 0
    assert "<h2>Ringkasan</h2>" in output.read_text(encoding="utf-8")


def test_cli_refuses_an_unknown_sentra(kg_on: Callable[..., Result], tmp_path: Path) -> None:
    result = kg_on("brief", "report", "-o", str(tmp_path / "b.html"), "--sentra", "nope")
    assert result.exit_code == 2
    assert result.output == "Error: no Sentra with the id or name 'nope'\n"


@pytest.fixture
def no_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    yield


@pytest.mark.usefixtures("no_chromium")
def test_pdf_without_chromium_names_the_package_to_install() -> None:
    with pytest.raises(ExportError, match="install the package 'chromium'"):
        report.print_pdf("<p>x</p>")


@pytest.mark.usefixtures("no_chromium")
def test_cli_pdf_without_chromium_is_a_clear_error(
    kg_on: Callable[..., Result], tmp_path: Path
) -> None:
    output = tmp_path / "brief.pdf"
    result = kg_on("brief", "report", "--pdf", "-o", str(output))
    assert result.exit_code == 2
    assert "install the package 'chromium'" in result.output
    assert not output.exists()


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_pdf_is_printed_by_chromium(kg_on: Callable[..., Result], tmp_path: Path) -> None:
    output = tmp_path / "brief.pdf"
    result = kg_on("brief", "report", "--pdf", "--lang", "id", "-o", str(output))
    assert result.exit_code == 0, result.output
    content = output.read_bytes()
    assert content.startswith(b"%PDF-")
    assert b"%%EOF" in content[-64:]
    if shutil.which("pdftotext"):  # poppler-utils: the PDF's text, as a reader finds it
        done = subprocess.run(["pdftotext", str(output), "-"], capture_output=True, text=True,
                              check=True)
        for title in ("Data dan sumbernya", "Ringkasan", "Bagan tanggung jawab (RACI)",
                      "Temuan dan tindakan yang direkomendasikan"):
            assert title in done.stdout


# -- briefs of named sentra: their neighbourhoods, not the whole graph ------------------
#
# tests/data/neighbourhood holds two sentra in one kecamatan (citing src-kec): Sentra A
# (citing src-a) with a training whose A is Dinas and R Koperasi, funded by Bank (one BANK
# grant citing src-grant) and by Dinas (two APBD grants); Sentra B (citing src-b) with a
# training whose A is Dinas and R Kelompok Jauh, funded by Bank (citing src-grant). Dinas is
# a member of Pemkot, and so is DPRD (two MEMBER_OF hops from Dinas). Dinas, Pemkot, DPRD
# and Kelompok Jauh are assessed.


@pytest.fixture(scope="module")
def neighbourhood_store(stores: dict[str, Path]) -> Iterator[Store]:
    with open_store(StoreConfig(path=stores["neighbourhood"])) as opened:
        yield opened


def grid_ranks(brief: report.Brief) -> dict[str, int]:
    (grid,) = [part for part in brief.extra if part.svg]
    return {row[0]: row[7] for section in grid.sections for row in section.rows}


def test_neighbourhood_is_the_sentra_its_links_its_activities_actors_and_their_memberships(
    neighbourhood_store: Store,
) -> None:
    graph = neighbourhoods(neighbourhood_store, ["s-a"])
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
    neighbourhood_store: Store,
) -> None:
    graph = neighbourhoods(neighbourhood_store, ["s-a", "s-b"])
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


def test_indonesian_brief_of_named_sentra_holds_no_english_probe_word(
    brief_of: Callable[..., report.Brief],
) -> None:
    assert own_words(brief_of("neighbourhood", sentra=["s-a"], lang="id")) & ENGLISH_PROBES == set()

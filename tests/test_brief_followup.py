"""kg report's follow-up sections: per sentra its plan on a time line, the engagements of
the last --since period, its open commitments and its indicators against their targets;
the whole area's indicators once. On tests/data/timeline (its story: test_timeline.py)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg import report
from kg.cli import cli
from kg.store import StoreConfig, open_store

from .test_report import ENGLISH_PROBES, Page
from .test_timeline import store_path as store_path  # tests/data/timeline in a store

DAY = datetime.date(2026, 3, 2)


@pytest.fixture(scope="module")
def brief_of(store_path: Path) -> Callable[..., str]:
    def build(**options: Any) -> str:
        options.setdefault("as_of", DAY)
        with open_store(StoreConfig(path=store_path)) as store:
            return report.build_brief(store, **options).html()

    return build


@pytest.fixture(scope="module")
def english(brief_of: Callable[..., str]) -> str:
    return brief_of()


@pytest.fixture(scope="module")
def indonesian(brief_of: Callable[..., str]) -> str:
    return brief_of(lang="id")


def part(document: str, sentra: int, heading: str) -> str:
    """The HTML under one ``<h3>`` of one sentra's section, up to the next heading."""
    section = document.split(f'<section id="sentra-{sentra}">')[1].split("</section>")[0]
    return section.split(f"<h3>{heading}</h3>")[1].split("<h3>")[0]


LOGAM, BATIK = 2, 1  # sentra in id order: s-batik, s-logam


def test_the_plan_draws_phases_as_bands_and_the_overdue_activity_in_red(english: str) -> None:
    plan = part(english, LOGAM, "Plan on a time line")
    assert ">2025-2029</text>" in plan and ">2030-2034</text>" in plan
    assert "as of 2026-03-02" in plan
    # Penataan kios: started 2025-07-01, due Des 2025, still ongoing: its name and bar red
    name, bar = plan.split("<title>Penataan kios</title>")[1].split("</g>")[:2]
    assert "<title>Penataan kios: started 2025-07-01, due 2025-12-31</title>" in bar
    assert 'fill="#c62828"><tspan x="22" dy="0">Penataan kios</tspan>' in name
    assert "<rect" in bar and 'fill="#c62828"' in bar
    # Promosi wisata: no start, cancelled: a grey diamond
    bar = plan.split("<title>Promosi wisata industri</title>")[1].split("</g>")[1]
    assert "<polygon" in bar and 'fill="#9e9e9e"' in bar
    # Penyusunan regulasi: no date at all
    assert "no date" in plan.split("<title>Penyusunan regulasi pusat IKM</title>")[1]


def test_on_an_earlier_day_nothing_is_overdue_yet(brief_of: Callable[..., str]) -> None:
    plan = part(brief_of(as_of=datetime.date(2025, 6, 30)), LOGAM, "Plan on a time line")
    picture = plan.split("<figcaption")[0]  # the legend shows the red too
    assert "Penataan kios" in picture and 'fill="#c62828"' not in picture


def test_engagements_are_those_of_the_last_twelve_months(english: str) -> None:
    engagements = part(english, LOGAM, "Engagements from 2025-03-02 to 2026-03-02")
    titles = re.findall(r"<tr><td>.*?</td><td>.*?</td><td>(.*?)</td>", engagements)
    assert titles == ["Temu Bisnis &lt;b&gt;logam&lt;/b&gt;", "Pelatihan pemasaran lanjutan"]
    assert "matchmaking (Temu Bisnis)" in engagements


@pytest.mark.parametrize(
    ("options", "heading", "expected"),
    [
        ({"since": "180d"}, "Engagements from 2025-09-03 to 2026-03-02",
         ["Pelatihan pemasaran lanjutan"]),
        ({"as_of": datetime.date(2025, 6, 30)}, "Engagements from 2024-06-30 to 2025-06-30",
         ["Rapat koordinasi awal", "Kunjungan pembinaan", "Temu Bisnis &lt;b&gt;logam&lt;/b&gt;"]),
    ],
    ids=["180 days", "an earlier day"],
)
def test_since_and_as_of_choose_the_period(
    brief_of: Callable[..., str], options: dict[str, Any], heading: str, expected: list[str]
) -> None:
    engagements = part(brief_of(**options), LOGAM, heading)
    assert re.findall(r"<tr><td>.*?</td><td>.*?</td><td>(.*?)</td>", engagements) == expected


def test_open_commitments_overdue_first_with_who_owes_them(english: str) -> None:
    commitments = part(english, LOGAM, "Open commitments")
    rows = re.findall(r"<tr( class=\"overdue\")?><td>(.*?)</td><td>(.*?)</td>", commitments)
    assert rows == [
        (' class="overdue"', "Mengirim data anggota",
         "Koperasi &lt;img src=x onerror=alert(1)&gt;"),
        ("", "Pendampingan tiga sentra", "LPPSP"),
    ]
    assert 'class="overdue-mark">OVERDUE</span>' in commitments
    assert "no due date" in commitments


def test_a_commitment_dropped_later_was_open_on_an_earlier_day(
    brief_of: Callable[..., str],
) -> None:
    commitments = part(brief_of(as_of=datetime.date(2026, 1, 20)), LOGAM, "Open commitments")
    assert "Membuka pameran" in commitments


def test_indicators_show_actuals_known_by_the_day_against_targets(
    english: str, brief_of: Callable[..., str]
) -> None:
    charts = part(english, LOGAM, "Indicators against their targets")
    assert "<strong>kiosk_occupancy_pct</strong> (%), higher is better" in charts
    assert "<title>actual 2023: 60</title>" in charts and "<title>target 2023: 70</title>" in charts
    assert "<title>actual 2025: 65</title>" in charts
    # 2023 fell short of its target (red), 2024 met it (green)
    assert re.search(r"actual 2023: 60</title><circle [^>]*fill=\"#c62828\"", charts)
    assert re.search(r"actual 2024: 72</title><circle [^>]*fill=\"#2e7d32\"", charts)
    earlier = part(brief_of(as_of=datetime.date(2025, 6, 30)), LOGAM,
                   "Indicators against their targets")
    assert "actual 2024: 72" in earlier and "actual 2025" not in earlier


def test_the_whole_area_s_indicators_have_a_section_of_their_own(
    english: str, indonesian: str
) -> None:
    assert Page(english).sections[-2:] == ["indicators", "findings"]
    area = english.split('<section id="indicators">')[1].split("</section>")[0]
    assert "<h2>Indicators of the whole area</h2>" in area
    assert "manufacturing_share_pdrb_pct" in area and ">27.92</text>" in area
    assert "kiosk_occupancy_pct" not in area
    assert ">27,92</text>" in indonesian and ">28,7</text>" in indonesian


def test_a_sentra_without_follow_up_says_so(english: str) -> None:
    assert "No engagement at this sentra is recorded in this period." in part(
        english, BATIK, "Engagements from 2025-03-02 to 2026-03-02")
    assert "No commitment concerning this sentra is open." in part(
        english, BATIK, "Open commitments")
    assert "No indicator is recorded for this sentra." in part(
        english, BATIK, "Indicators against their targets")


def test_hostile_names_stay_text_and_the_page_stays_offline(english: str) -> None:
    page = Page(english)
    assert "Koperasi <img src=x onerror=alert(1)>" in " ".join(page.text)
    assert "Temu Bisnis <b>logam</b>" in " ".join(page.text)
    assert "<img" not in english and "<b>logam" not in english
    assert {"script", "img", "link", "b"}.isdisjoint(page.tags)


def test_in_indonesian_no_word_of_the_page_is_english(indonesian: str, store_path: Path) -> None:
    headings = ("Rencana pada linimasa", "Interaksi dari 2025-03-02 sampai 2026-03-02",
                "Komitmen terbuka", "Indikator terhadap targetnya")
    assert all(f"<h3>{heading}</h3>" in indonesian for heading in headings)
    text = " ".join(Page(indonesian).text).replace(str(store_path), "")
    words = set(re.findall(r"[a-z]+", text.lower()))
    probes = ENGLISH_PROBES | {"overdue", "ongoing", "planned", "commitment", "engagement",
                               "actual", "higher", "better", "due", "phase", "matchmaking"}
    assert words & probes == set()
    assert "TERLAMBAT" in indonesian and "per 2026-03-02" in indonesian
    assert "temu bisnis" in indonesian


def test_the_command_takes_as_of_and_since(store_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    args = ["--store", str(store_path), "report", "-o", str(out), "--sentra", "logam"]
    result = CliRunner().invoke(cli, [*args, "--as-of", "2026-03-02", "--since", "8w"])
    assert result.exit_code == 0, result.output
    assert "<h3>Engagements from 2026-01-05 to 2026-03-02</h3>" in out.read_text("utf-8")
    bad = CliRunner().invoke(cli, [*args, "--since", "12"])
    assert bad.exit_code == 2
    assert "period '12': expected a number and d, w, m or y" in bad.output


def test_the_neighbourhood_leaves_out_what_the_sections_list(english: str) -> None:
    section = english.split('<section id="sentra-2">')[1].split("</section>")[0]
    picture = section.split("Neighbourhood in the graph")[1]
    assert "Penataan kios" in picture and "LPPSP" in picture
    for listed in ("kiosk_occupancy_pct", "Kunjungan pembinaan", "Mengirim data anggota"):
        assert listed not in picture


def test_on_the_bundled_data_each_sentra_has_the_sections(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert CliRunner().invoke(cli, ["--store", str(store), "load"]).exit_code == 0
    with open_store(StoreConfig(path=store)) as opened:
        document = report.build_brief(opened, as_of=DAY, lang="id").html()
    sentra = [key for key in Page(document).sections if key.startswith("sentra-")]
    assert len(sentra) == 4
    for key in sentra:
        section = document.split(f'<section id="{key}">')[1].split("</section>")[0]
        for heading in ("Rencana pada linimasa", "Interaksi dari 2025-03-02 sampai 2026-03-02",
                        "Komitmen terbuka", "Indikator terhadap targetnya"):
            assert f"<h3>{heading}</h3>" in section

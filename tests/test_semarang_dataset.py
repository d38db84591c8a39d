"""Key facts of the bundled Semarang dataset, read straight from its CSV and YAML files.

The expected values come from the source documents (seeds 000-004, see
docs/semarang.md) and the official Kemendagri codes of Kota Semarang (regency 33.74).
"""

from __future__ import annotations

import csv
import importlib.resources
from functools import cache
from importlib.resources.abc import Traversable

import pytest
import yaml

DATASET: Traversable = importlib.resources.files("kg") / "datasets" / "semarang"

NODE_FILES = (
    "zones.csv",
    "kecamatan.csv",
    "commodities.csv",
    "sentra.csv",
    "actors.csv",
    "markets.csv",
    "regulations.csv",
    "activities.csv",
)
RELATIONSHIP_FILES = ("funding.csv", "responsibilities.csv", "links.csv")
CSV_FILES = NODE_FILES + RELATIONSHIP_FILES

# Seed 001's zoning article, zone by zone, with the official code of each kecamatan.
KECAMATAN = {
    "33.74.01": ("Semarang Tengah", "zone-i"),
    "33.74.02": ("Semarang Utara", "zone-iii"),
    "33.74.03": ("Semarang Timur", "zone-i"),
    "33.74.04": ("Gayamsari", "zone-v"),
    "33.74.05": ("Genuk", "zone-iv"),
    "33.74.06": ("Pedurungan", "zone-v"),
    "33.74.07": ("Semarang Selatan", "zone-i"),
    "33.74.08": ("Candisari", "zone-ii"),
    "33.74.09": ("Gajahmungkur", "zone-ii"),
    "33.74.10": ("Tembalang", "zone-vi"),
    "33.74.11": ("Banyumanik", "zone-vii"),
    "33.74.12": ("Gunungpati", "zone-viii"),
    "33.74.13": ("Semarang Barat", "zone-iii"),
    "33.74.14": ("Mijen", "zone-ix"),
    "33.74.15": ("Ngaliyan", "zone-x"),
    "33.74.16": ("Tugu", "zone-x"),
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

# Which node file each reference column must point into.
REFERENCES = [
    ("kecamatan.csv", "zone", "zones.csv"),
    ("sentra.csv", "kecamatan", "kecamatan.csv"),
    ("activities.csv", "concerns", "sentra.csv"),
    ("funding.csv", "funder", "actors.csv"),
    ("funding.csv", "target", "sentra.csv"),
    ("responsibilities.csv", "activity", "activities.csv"),
    ("responsibilities.csv", "actor", "actors.csv"),
]
# links.csv: relationship type -> (file of the start node, file of the end node).
LINK_ENDS = {
    "PRODUCES": ("sentra.csv", "commodities.csv"),
    "SUPPLIES": ("commodities.csv", "commodities.csv"),
    "FOCUSES_ON": ("zones.csv", "commodities.csv"),
    "SOLD_IN": ("commodities.csv", "markets.csv"),
    "MANAGES": ("actors.csv", "sentra.csv"),
    "MEMBER_OF": ("actors.csv", "actors.csv"),
    "ENFORCES": ("actors.csv", "regulations.csv"),
    "GOVERNS": ("regulations.csv", "sentra.csv"),
}
ENUMS = [
    ("commodities.csv", "stage", {"raw", "intermediate", "product"}),
    ("sentra.csv", "status", {"active", "potential", "planned", "inactive"}),
    (
        "actors.csv",
        "kind",
        {
            "government",
            "legislature",
            "research",
            "association",
            "business",
            "finance",
            "education",
            "community",
        },
    ),
    (
        "actors.csv",
        "level",
        {"national", "province", "city", "kecamatan", "kelurahan", "sentra", ""},
    ),
    (
        "markets.csv",
        "kind",
        {
            "local",
            "regional",
            "national",
            "export",
            "tourism",
            "exhibition",
            "industrial",
            "online",
        },
    ),
    ("regulations.csv", "has_sanction", {"true", "false", ""}),
    (
        "activities.csv",
        "category",
        {
            "planning",
            "mapping",
            "relocation",
            "financing",
            "training",
            "promotion",
            "matchmaking",
            "regulation",
            "enforcement",
            "infrastructure",
            "coordination",
            "research",
        },
    ),
    (
        "activities.csv",
        "topic",
        {
            "marketing",
            "communication",
            "management",
            "finance",
            "production",
            "quality",
            "design",
            "legal",
            "tourism",
            "infrastructure",
            "digital",
            "other",
            "",
        },
    ),
    (
        "funding.csv",
        "source_type",
        {"APBD", "APBN", "PRIVATE", "BANK", "CSR", "GRANT", "COMMUNITY"},
    ),
    ("responsibilities.csv", "role", {"R", "A", "C", "I"}),
    ("links.csv", "type", set(LINK_ENDS)),
]


@cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    with (DATASET / name).open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@cache
def header(name: str) -> tuple[str, ...]:
    with (DATASET / name).open(encoding="utf-8", newline="") as fh:
        return tuple(next(csv.reader(fh)))


def by_id(name: str) -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in rows(name)}


def ids(name: str) -> set[str]:
    return set(by_id(name))


@cache
def manifest() -> dict[str, object]:
    loaded = yaml.safe_load((DATASET / "dataset.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def source_ids() -> set[str]:
    sources = manifest()["sources"]
    assert isinstance(sources, list)
    return {source["id"] for source in sources}


def test_manifest_names_the_dataset_semarang() -> None:
    assert manifest()["name"] == "semarang"


def test_manifest_declares_one_source_per_seed_document_and_one_for_the_codes() -> None:
    sources = manifest()["sources"]
    assert isinstance(sources, list)
    files = sorted(source["file"] for source in sources if source.get("file"))
    assert files == [
        "000_2831ca09d55bc5cc.txt",
        "001_c625aa8c9e99bdd1.txt",
        "002_fbfed046f925ce80.txt",
        "003_a86de51fb1350d4e.txt",
        "004_43943d992f4a7b6d.txt",
    ]
    assert "src-idn-area-data" in source_ids()
    assert len(source_ids()) == len(sources) == 6


@pytest.mark.parametrize("name", CSV_FILES, ids=CSV_FILES)
def test_sources_is_the_last_column(name: str) -> None:
    assert header(name)[-1] == "sources"


@pytest.mark.parametrize("name", CSV_FILES, ids=CSV_FILES)
def test_every_row_cites_a_declared_source(name: str) -> None:
    declared = source_ids()
    for number, row in enumerate(rows(name), start=2):
        cited = [s for s in row["sources"].split("|") if s]
        assert cited, f"{name} line {number} cites no source"
        assert set(cited) <= declared, f"{name} line {number}: {cited}"


def test_ids_are_unique_across_all_node_files() -> None:
    all_ids = [row["id"] for name in NODE_FILES for row in rows(name)]
    duplicates = {i for i in all_ids if all_ids.count(i) > 1}
    assert not duplicates


@pytest.mark.parametrize(
    ("name", "column", "target"),
    REFERENCES,
    ids=[f"{name}:{column}" for name, column, _ in REFERENCES],
)
def test_reference_column_points_at_existing_nodes(name: str, column: str, target: str) -> None:
    known = ids(target)
    missing = {row[column] for row in rows(name) if row[column] and row[column] not in known}
    assert not missing


@pytest.mark.parametrize("link_type", sorted(LINK_ENDS), ids=sorted(LINK_ENDS))
def test_link_ends_exist_with_the_labels_the_type_allows(link_type: str) -> None:
    start_file, end_file = LINK_ENDS[link_type]
    starts, ends = ids(start_file), ids(end_file)
    for row in rows("links.csv"):
        if row["type"] == link_type:
            assert row["from"] in starts, row
            assert row["to"] in ends, row


@pytest.mark.parametrize(
    ("name", "column", "allowed"),
    ENUMS,
    ids=[f"{name}:{column}" for name, column, _ in ENUMS],
)
def test_enumerated_column_holds_only_allowed_values(
    name: str, column: str, allowed: set[str]
) -> None:
    assert {row[column] for row in rows(name)} <= allowed


def test_there_are_ten_zones_wilayah_i_to_x() -> None:
    expected = {f"zone-{r.lower()}": f"Wilayah {r}" for r in ROMAN}
    assert {z: row["name"] for z, row in by_id("zones.csv").items()} == expected


def test_kota_semarang_has_exactly_its_sixteen_official_kecamatan() -> None:
    assert ids("kecamatan.csv") == set(KECAMATAN)


@pytest.mark.parametrize("code", sorted(KECAMATAN), ids=[n for n, _ in KECAMATAN.values()])
def test_kecamatan_has_its_official_name(code: str) -> None:
    assert by_id("kecamatan.csv")[code]["name"] == KECAMATAN[code][0]


@pytest.mark.parametrize("code", sorted(KECAMATAN), ids=[n for n, _ in KECAMATAN.values()])
def test_kecamatan_sits_in_exactly_the_zone_the_zoning_article_lists(code: str) -> None:
    zones = [row["zone"] for row in rows("kecamatan.csv") if row["id"] == code]
    assert zones == [KECAMATAN[code][1]]


def test_kiw_metal_sentra_has_74_kiosks_about_60_percent_occupied() -> None:
    kiw = by_id("sentra.csv")["sentra-logam-kiw"]
    assert (kiw["kiosks_total"], kiw["kiosks_occupied"]) == ("74", "44")
    assert "sekitar 60 persen dari 74 kios" in kiw["note"]


def test_kiw_metal_sentra_is_in_tugu_with_the_disagreement_noted() -> None:
    kiw = by_id("sentra.csv")["sentra-logam-kiw"]
    assert kiw["kecamatan"] == "33.74.16"
    assert "Semarang Timur" in kiw["note"]


def test_kiw_metal_sentra_produces_processed_metal_in_a_zone_focused_on_it() -> None:
    links = {(r["from"], r["type"], r["to"]) for r in rows("links.csv")}
    assert ("sentra-logam-kiw", "PRODUCES", "com-olahan-logam") in links
    assert ("zone-x", "FOCUSES_ON", "com-olahan-logam") in links


def test_kampung_ligu_is_a_potential_cluster_in_sarirejo() -> None:
    ligu = by_id("sentra.csv")["sentra-ligu"]
    assert (ligu["status"], ligu["kelurahan"]) == ("potential", "Sarirejo")


def test_zone_iv_has_no_focus_commodity_but_a_note_on_large_scale_industry() -> None:
    focus = [r for r in rows("links.csv") if r["type"] == "FOCUSES_ON" and r["from"] == "zone-iv"]
    assert not focus
    assert "industri skala besar" in by_id("zones.csv")["zone-iv"]["note"]


def test_perda_6_2025_has_four_phases_and_unknown_sanction() -> None:
    perda = by_id("regulations.csv")["reg-perda-6-2025"]
    phases = [p.split(":")[0] for p in perda["phases"].split("|")]
    assert phases == ["2025-2029", "2030-2034", "2035-2039", "2040-2045"]
    assert perda["has_sanction"] == ""


def test_no_regulation_is_recorded_as_carrying_sanctions() -> None:
    assert all(row["has_sanction"] != "true" for row in rows("regulations.csv"))


def test_no_marketing_or_communication_training_is_recorded() -> None:
    training_topics = {r["topic"] for r in rows("activities.csv") if r["category"] == "training"}
    assert not training_topics & {"marketing", "communication"}


def test_no_activity_has_an_accountable_actor() -> None:
    assert all(row["role"] != "A" for row in rows("responsibilities.csv"))


def test_funding_records_no_amounts_or_years_the_sources_do_not_give() -> None:
    assert all(row["amount_idr"] == row["year"] == "" for row in rows("funding.csv"))


def test_funding_of_kiw_comes_only_from_government_budgets() -> None:
    kiw_types = {r["source_type"] for r in rows("funding.csv") if r["target"] == "sentra-logam-kiw"}
    assert kiw_types == {"APBD", "APBN"}


# --- the audit of the bundled data shows the gaps the study reports (seed 000) ---------


@pytest.fixture(scope="module")
def semarang_audit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    import json

    from click.testing import CliRunner

    from kg.cli import cli

    store = str(tmp_path_factory.mktemp("semarang") / "store")
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", store, "load"]).exit_code == 0
    result = runner.invoke(cli, ["--store", store, "audit", "--format", "json"])
    assert result.exit_code == 0, result.output
    return {
        c["id"]: [f["subject"] for f in c["findings"]] for c in json.loads(result.output)["checks"]
    }


@pytest.mark.parametrize(
    "check, subjects",
    [
        ("sentra.low_occupancy", ["sentra-logam-kiw"]),
        ("sentra.government_dependent", ["sentra-logam-kiw"]),
        (
            "sentra.no_marketing_training",
            ["sentra-batik-malon", "sentra-batik-meteseh", "sentra-ligu", "sentra-logam-kiw"],
        ),
        ("regulation.no_sanction", ["reg-kiw-visit-rules", "reg-perda-6-2025"]),
        ("kecamatan.unzoned", []),
        ("activity.multiple_accountable", []),
    ],
    ids=[
        "kiosks-60-percent-of-74",
        "government-budget",
        "no-marketing-training",
        "no-sanctions",
        "every-kecamatan-zoned",
        "no-double-accountability",
    ],
)
def test_audit_reports_the_study_gap(
    semarang_audit: dict[str, list[str]], check: str, subjects: list[str]
) -> None:
    assert semarang_audit[check] == subjects


@pytest.mark.parametrize(
    "check, at_least",
    [
        ("actor.unmapped", 10),
        ("activity.no_accountable", 14),
        ("activity.no_responsible", 5),
        ("activity.unscheduled", 13),
    ],
    ids=["unmapped-roles", "no-accountable", "no-responsible", "no-time-plan"],
)
def test_audit_reports_unmapped_roles_and_no_time_plan(
    semarang_audit: dict[str, list[str]], check: str, at_least: int
) -> None:
    assert len(semarang_audit[check]) >= at_least

"""Values as Indonesian officials type them in Excel: rupiah amounts (``.`` groups
thousands, ``,`` marks the decimals, ``juta``/``M``/``T`` multiply) and due dates given as
a month. What the loader refuses, it explains with the forms it accepts."""

from __future__ import annotations

import doctest
from datetime import date
from pathlib import Path

import pytest

from kg.errors import DatasetError
from kg.loaders import read_dataset
from kg.schema import values
from kg.schema.graph import GraphData
from kg.schema.model import RelType
from kg.schema.values import parse_date, parse_rupiah

EXAMPLES = ("expected an amount in rupiah such as 1500000, Rp 1.500.000, 1.500.000,00, 1,5 juta "
            "or 2 M")

AMOUNTS = {
    "plain-digits": ("1500000", 1_500_000),
    "leading-zeros": ("007", 7),
    "rp-and-thousands-dots": ("Rp 1.500.000", 1_500_000),
    "rp-without-space": ("Rp1.500.000", 1_500_000),
    "rp-with-dot": ("Rp. 1.500.000", 1_500_000),
    "rp-no-break-space": ("Rp\u00a01.500.000", 1_500_000),
    "idr": ("IDR 1.500.000", 1_500_000),
    "thousands-dots": ("1.500.000", 1_500_000),
    "one-group": ("1.500", 1_500),
    "zero-decimals": ("1.500.000,00", 1_500_000),
    "zero-decimals-ungrouped": ("1500000,00", 1_500_000),
    "dash-for-no-decimals": ("Rp 1.500.000,-", 1_500_000),
    "rb": ("500 rb", 500_000),
    "ribu": ("1,5 ribu", 1_500),
    "jt": ("250 jt", 250_000_000),
    "jt-with-dot": ("250 jt.", 250_000_000),
    "juta-with-decimal-comma": ("Rp1,5 juta", 1_500_000),
    "juta-under-one": ("0,75 juta", 750_000),
    "m": ("1,5 M", 1_500_000_000),
    "miliar": ("1,5 miliar", 1_500_000_000),
    "milyar": ("3 milyar", 3_000_000_000),
    "t": ("2 T", 2_000_000_000_000),
    "triliun": ("2 triliun", 2_000_000_000_000),
    "any-case": ("RP 2 JUTA", 2_000_000),
    "padded": ("  Rp 5.000  ", 5_000),
}


@pytest.mark.parametrize(("cell", "amount"), AMOUNTS.values(), ids=list(AMOUNTS))
def test_an_amount_written_the_indonesian_way_is_whole_rupiah(cell: str, amount: int) -> None:
    assert parse_rupiah(cell) == amount


def test_an_empty_amount_is_unknown() -> None:
    assert parse_rupiah("  ") is None


def funding_dataset(folder: Path, amount: str) -> Path:
    files = {
        "actors.csv": "id,name,kind\na-dinkop,Dinas Koperasi,government\n",
        "sentra.csv": "id,name,status\ns-logam,Sentra Logam,active\n",
        "funding.csv": f'funder,target,source_type,amount_idr\na-dinkop,s-logam,APBD,"{amount}"\n',
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("quick", [True, False], ids=["quick-path", "model"])
def test_the_loader_stores_an_amount_in_juta_as_whole_rupiah(tmp_path: Path, quick: bool) -> None:
    graph = read_dataset([funding_dataset(tmp_path, "Rp1,5 juta")], quick=quick)
    (funds,) = [r for r in graph.relationships if r.type is RelType.FUNDS]
    assert funds.props["amountIdr"] == 1_500_000


REFUSED = {
    "comma-then-three-digits": ("1,500", "(1,5 or 1.500?)"),
    "comma-then-three-digits-in-juta": ("1,500 juta", "(1,5 juta or 1.500 juta?)"),
    "comma-then-zeros": ("1,000", "(1 or 1.000?)"),
    "english-decimal-point": ("1.5", "(1,5?)"),
    "english-decimal-point-in-m": ("1.5 M", "(1,5 M?)"),
    "english-thousands-commas": ("1,500,000", "(1.500.000?)"),
    "english-both": ("1,500,000.50", "(1.500.000,50?)"),
    "fraction-of-a-rupiah": ("1,5", "(not a whole number of rupiah)"),
    "fraction-of-a-rupiah-in-ribu": ("1,2345 rb", "(not a whole number of rupiah)"),
    "words": ("seratus juta", ""),
    "unknown-multiplier": ("1,5 kg", ""),
    "spaces-as-groups": ("1 500 000", ""),
    "rp-alone": ("Rp", ""),
}


def loaded_problems(folder: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        read_dataset([folder])
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(("cell", "hint"), REFUSED.values(), ids=list(REFUSED))
def test_an_amount_that_is_not_clear_rupiah_is_refused_showing_the_accepted_forms(
    tmp_path: Path, cell: str, hint: str
) -> None:
    folder = funding_dataset(tmp_path, cell)
    suffix = f" {hint}" if hint else ""
    assert loaded_problems(folder) == [
        f"{folder / 'funding.csv'}:2: amount_idr: {EXAMPLES}, got {cell!r}{suffix}"
    ]


def test_a_negative_amount_is_refused(tmp_path: Path) -> None:
    folder = funding_dataset(tmp_path, "-1,5 juta")
    assert loaded_problems(folder) == [
        f"{folder / 'funding.csv'}:2: amount_idr: "
        "Input should be greater than or equal to 0 (got -1500000)"
    ]


def test_an_amount_beyond_64_bits_is_refused(tmp_path: Path) -> None:
    folder = funding_dataset(tmp_path, "9.999.999 T")
    assert loaded_problems(folder) == [
        f"{folder / 'funding.csv'}:2: amount_idr: "
        "'9.999.999 T' is too large (at most 9,223,372,036,854,775,807)"
    ]


def sentra_dataset(folder: Path, kiosks: str) -> Path:
    (folder / "sentra.csv").write_text(
        f'id,name,status,kiosks_total\ns-logam,Sentra Logam,active,"{kiosks}"\n', encoding="utf-8"
    )
    return folder


def sentra_kiosks(graph: GraphData) -> object:
    (sentra,) = graph.nodes
    return sentra.props["kiosksTotal"]


def test_a_kiosk_count_may_group_thousands(tmp_path: Path) -> None:
    assert sentra_kiosks(read_dataset([sentra_dataset(tmp_path, "1.500")])) == 1_500


@pytest.mark.parametrize("cell", ["74,5", "Rp 5", "2 juta"], ids=["fraction", "rupiah", "juta"])
def test_a_kiosk_count_is_a_whole_number_not_an_amount(tmp_path: Path, cell: str) -> None:
    folder = sentra_dataset(tmp_path, cell)
    assert loaded_problems(folder) == [
        f"{folder / 'sentra.csv'}:2: kiosks_total: expected a whole number, got {cell!r}"
    ]


MONTHS = {
    "short-indonesian": ("Des 2025", date(2025, 12, 31)),
    "long-indonesian": ("Desember 2025", date(2025, 12, 31)),
    "english": ("Dec 2025", date(2025, 12, 31)),
    "abbreviation-with-dot": ("Des. 2025", date(2025, 12, 31)),
    "lower-case": ("juni 2025", date(2025, 6, 30)),
    "slash": ("12/2025", date(2025, 12, 31)),
    "dash": ("12-2025", date(2025, 12, 31)),
    "one-digit-month": ("4/2025", date(2025, 4, 30)),
    "leap-february": ("Feb 2024", date(2024, 2, 29)),
    "common-february": ("2/2025", date(2025, 2, 28)),
}


@pytest.mark.parametrize(("cell", "day"), MONTHS.values(), ids=list(MONTHS))
def test_a_due_month_means_its_last_day(cell: str, day: date) -> None:
    assert parse_date(cell) == day


@pytest.mark.parametrize("cell", ["13/2025", "0/2025", "Mai 2025"],
                         ids=["month-13", "month-0", "unknown-month-name"])
def test_a_due_date_that_is_no_date_or_month_is_refused_showing_the_accepted_forms(
    tmp_path: Path, cell: str
) -> None:
    (tmp_path / "activities.csv").write_text(
        f"id,name,category,due\nt-1,Pelatihan,training,{cell}\n", encoding="utf-8"
    )
    assert loaded_problems(tmp_path) == [
        f"{tmp_path / 'activities.csv'}:2: due: expected a date such as 2025-05-12, "
        "12/05/2025 or 12 Mei 2025, or a month (its last day) such as Des 2025 or 12/2025, "
        f"got {cell!r}"
    ]


def test_the_parsers_docstring_examples_give_what_they_show() -> None:
    assert doctest.testmod(values) == doctest.TestResults(failed=0, attempted=6)

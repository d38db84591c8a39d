"""Funding rows are grants: a funder may fund one sentra several times in one year and
budget; every grant counts, and its key travels into the store and back out."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.errors import DatasetError
from kg.loaders import read_dataset
from kg.schema.model import RelType

from .conftest import DATA, Kg

GRANTS = DATA / "grants"


def dataset(tmp_path: Path, funding: str) -> Path:
    """The grants dataset (one funder, one sentra) with ``funding`` as funding.csv."""
    path = tmp_path / "dataset"
    shutil.copytree(GRANTS, path)
    (path / "funding.csv").write_text(funding, encoding="utf-8")
    return path


def grants(path: Path) -> list[tuple[str, int | None]]:
    graph = read_dataset([path])
    return sorted((r.props["key"], r.props.get("amountIdr"))
                  for r in graph.relationships if r.type is RelType.FUNDS)


def test_two_allocations_in_one_year_and_budget_are_two_grants(tmp_path: Path) -> None:
    path = dataset(tmp_path, "funder,target,source_type,amount_idr,year\n"
                             "a-dinkop,s-bandeng,APBD,150000000,2023\n"
                             "a-dinkop,s-bandeng,APBD,75000000,2023\n")
    assert grants(path) == [("APBD:2023:150000000", 150_000_000),
                            ("APBD:2023:75000000", 75_000_000)]


def test_a_row_repeated_whole_is_a_duplicate_naming_both_rows(tmp_path: Path) -> None:
    path = dataset(tmp_path, "funder,target,source_type,amount_idr,year\n"
                             "a-dinkop,s-bandeng,APBD,150000000,2023\n"
                             "a-dinkop,s-bandeng,APBD,150000000,2023\n")
    with pytest.raises(DatasetError) as caught:
        read_dataset([path])
    (problem,) = caught.value.problems
    assert (problem.file, problem.row) == (str(path / "funding.csv"), 3)
    assert problem.message == (
        "duplicate relationship a-dinkop -[FUNDS]-> s-bandeng: already given at "
        f"{path / 'funding.csv'}:2"
    )


def test_citing_one_grant_twice_does_not_make_two(tmp_path: Path) -> None:
    path = dataset(tmp_path, "funder,target,source_type,year,sources\n"
                             "a-dinkop,s-bandeng,APBD,2023,src-apbd\n"
                             "a-dinkop,s-bandeng,APBD,2023,\n")
    with pytest.raises(DatasetError, match="duplicate relationship"):
        read_dataset([path])


def test_an_extra_column_that_differs_makes_another_grant(tmp_path: Path) -> None:
    path = dataset(tmp_path, "funder,target,source_type,year,program\n"
                             "a-dinkop,s-bandeng,APBD,2023,pelatihan\n"
                             "a-dinkop,s-bandeng,APBD,2023,peralatan\n")
    keys = [key for key, _ in grants(path)]
    assert len(keys) == 2 and all(key.startswith("APBD:2023::g") for key in keys)


def test_a_grant_id_names_the_grant(tmp_path: Path) -> None:
    path = dataset(tmp_path, "id,funder,target,source_type,amount_idr,year\n"
                             "sp2d-0041,a-dinkop,s-bandeng,APBD,150000000,2023\n"
                             "sp2d-0042,a-dinkop,s-bandeng,APBD,150000000,2023\n")
    assert grants(path) == [("sp2d-0041", 150_000_000), ("sp2d-0042", 150_000_000)]


def test_a_grant_id_follows_the_id_rules(tmp_path: Path) -> None:
    path = dataset(tmp_path, "id,funder,target,source_type\n"
                             "sp2d 41,a-dinkop,s-bandeng,APBD\n")
    with pytest.raises(DatasetError) as caught:
        read_dataset([path])
    (problem,) = caught.value.problems
    assert (problem.row, problem.field) == (2, "id")


def test_every_grant_counts_in_the_audit(tmp_path: Path) -> None:
    # Two APBD allocations and one bank loan, all with amounts: the share is by rupiah,
    # 225 of 325 million from the government budget (69%, at least 0.65); had one APBD
    # allocation been lost, it would be 150 of 250 (60%) and no finding.
    path = dataset(tmp_path, "funder,target,source_type,amount_idr,year\n"
                             "a-dinkop,s-bandeng,APBD,150000000,2023\n"
                             "a-dinkop,s-bandeng,APBD,75000000,2023\n"
                             "a-dinkop,s-bandeng,BANK,100000000,2023\n")
    kg = Kg(tmp_path / "store")
    assert kg("load", str(path)).exit_code == 0
    result = kg("audit", "--check", "sentra.government_dependent", "--format", "json",
                "--government-share-at-least", "0.65")
    (check,) = json.loads(result.output)["checks"]
    assert check["count"] == 1
    assert "69%" in check["findings"][0]["message"]


def test_named_grants_keep_their_ids_through_export_and_load(tmp_path: Path) -> None:
    path = dataset(tmp_path, "id,funder,target,source_type,amount_idr,year\n"
                             "sp2d-0041,a-dinkop,s-bandeng,APBD,150000000,2023\n"
                             "sp2d-0042,a-dinkop,s-bandeng,APBD,150000000,2023\n"
                             ",a-dinkop,s-bandeng,APBN,250000000,2023\n")
    first, second = Kg(tmp_path / "first"), Kg(tmp_path / "second")
    assert first("load", str(path)).exit_code == 0
    assert first("export", "--format", "csv", "-o", str(tmp_path / "out")).exit_code == 0
    written = (tmp_path / "out" / "funding.csv").read_text(encoding="utf-8").splitlines()
    assert written[0] == "funder,target,source_type,amount_idr,year,id"
    assert sorted(line.rsplit(",", 1)[1] for line in written[1:]) == [
        "", "sp2d-0041", "sp2d-0042"]
    assert second("load", str(tmp_path / "out")).exit_code == 0
    assert second("export", "--format", "csv", "-o", str(tmp_path / "again")).exit_code == 0
    again = (tmp_path / "again" / "funding.csv").read_text(encoding="utf-8").splitlines()
    assert again == written

"""Reloads replace what they restate: loading a dataset the store already holds replaces
its earlier content, and leaves other datasets' content where it is."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from kg.loaders.files import dataset_name

from .conftest import TINY, Kg

PARTNER_FILES = {
    "dataset.yaml": "name: partner\nsources:\n  - id: src-partner\n    title: A partner's list\n",
    "actors.csv": "id,name,kind\na-koperasi,Koperasi Logam,association\na-lppsp,LPPSP,research\n",
    "links.csv": "from,type,to\na-koperasi,MEMBER_OF,a-lppsp\n",
    "funding.csv": "funder,target,source_type,amount_idr,year\n"
    "a-koperasi,s-logam,PRIVATE,50000000,2025\n",
}


def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny"
    shutil.copytree(TINY, path)
    return path


def partner(tmp_path: Path, **files: str) -> Path:
    path = tmp_path / "partner"
    path.mkdir()
    for name, text in {**PARTNER_FILES, **files}.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def load(kg: Kg, *args: str | Path) -> str:
    result = kg("load", *map(str, args))
    assert result.exit_code == 0, result.output
    return result.output


def rows(kg: Kg, cypher: str) -> list[list[object]]:
    result = kg("cypher", cypher, "--format", "json")
    assert result.exit_code == 0, result.output
    return [list(record.values()) for record in json.loads(result.output)]


def funds(kg: Kg) -> list[list[object]]:
    found = rows(kg, "MATCH (a)-[r:FUNDS]->(s) RETURN a.id, r.year, r.amountIdr")
    return sorted(found, key=lambda row: (str(row[0]), row[1] or 0))


def store_hash(kg: Kg) -> str:
    return hashlib.sha256((kg.store / "graph.rdb").read_bytes()).hexdigest()


def test_reloading_an_unchanged_dataset_changes_nothing(kg: Kg, tmp_path: Path) -> None:
    path = tiny(tmp_path)
    first = load(kg, path)
    assert "nodes: 14 added, 0 changed, 0 removed" in first
    again = load(kg, path)
    assert "nodes: 0 added, 0 changed, 0 removed" in again
    assert "relationships: 0 added, 0 changed, 0 removed" in again


def test_a_corrected_funding_row_replaces_the_old_one(kg: Kg, tmp_path: Path) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    (path / "funding.csv").write_text(
        "funder,target,source_type,amount_idr,year\na-disperin,s-logam,apbd,,2024\n"
    )
    output = load(kg, path)
    assert "relationships: 1 added, 0 changed, 1 removed" in output
    assert funds(kg) == [["a-disperin", 2024, None]]


def test_merge_keeps_the_earlier_row_beside_the_new(kg: Kg, tmp_path: Path) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    (path / "funding.csv").write_text(
        "funder,target,source_type,amount_idr,year\na-disperin,s-logam,apbd,,2024\n"
    )
    load(kg, "--merge", path)
    assert funds(kg) == [["a-disperin", None, None], ["a-disperin", 2024, None]]


def test_a_changed_row_replaces_every_property_and_an_emptied_cell_removes_one(
    kg: Kg, tmp_path: Path
) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    (path / "sentra.csv").write_text(
        "id,name,status,kecamatan,kiosks_total,kiosks_occupied,sources\n"
        "s-logam,Sentra Logam KIW,active,33.74.16,74,,src-test\n"
    )
    output = load(kg, path)
    assert "nodes: 0 added, 1 changed, 0 removed" in output
    assert rows(kg, "MATCH (s:Sentra) RETURN s.name, s.kiosksTotal, s.kiosksOccupied") == [
        ["Sentra Logam KIW", 74, None]
    ]


def test_a_deleted_row_takes_its_node_and_relationships_with_it(
    kg: Kg, tmp_path: Path
) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    (path / "commodities.csv").write_text(
        "id,name,name_en,stage\nc-logam,Olahan logam,Metal products,product\n"
    )
    (path / "links.csv").write_text("from,type,to\ns-logam,PRODUCES,c-logam\n")
    output = load(kg, path)
    assert "nodes: 0 added, 0 changed, 1 removed" in output
    assert "relationships: 0 added, 0 changed, 1 removed" in output
    assert rows(kg, "MATCH (c:Commodity) RETURN c.id ORDER BY c.id") == [["c-logam"]]
    assert rows(kg, "MATCH ()-[r:SUPPLIES]->() RETURN count(r)") == [[0]]


def test_a_reload_leaves_other_datasets_content_in_place(kg: Kg, tmp_path: Path) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    added = load(kg, partner(tmp_path))
    assert "Loaded partner" in added
    assert "nodes: 2 added, 0 changed, 0 removed" in added  # a-lppsp restated as it was
    # tiny no longer states a-lppsp; partner still does, so it stays
    (path / "actors.csv").write_text(
        "id,name,kind\na-disperin,Dinas Perindustrian,government\na-idle,Idle Actor,business\n"
    )
    (path / "raci.csv").write_text("activity,Dinas Perindustrian\nRelokasi,A/R\nt-train,R\n")
    output = load(kg, path)
    assert "nodes: 0 added, 0 changed, 0 removed" in output
    assert "relationships: 0 added, 0 changed, 1 removed" in output  # a-lppsp's C
    assert rows(kg, "MATCH (a:Actor {id: 'a-lppsp'})<-[:MEMBER_OF]-(k) RETURN k.id") == [
        ["a-koperasi"]
    ]
    assert funds(kg) == [["a-disperin", None, None], ["a-koperasi", 2025, 50_000_000]]


def test_reloading_the_second_dataset_removes_only_what_it_alone_stated(
    kg: Kg, tmp_path: Path
) -> None:
    load(kg, tiny(tmp_path))
    load(kg, partner(tmp_path))
    path = tmp_path / "partner"
    (path / "actors.csv").write_text("id,name,kind\na-koperasi,Koperasi Logam,association\n")
    (path / "links.csv").unlink()
    (path / "funding.csv").unlink()
    output = load(kg, path)
    # a-lppsp stays (tiny states it); the link and the grant go
    assert "nodes: 0 added, 0 changed, 0 removed" in output
    assert "relationships: 0 added, 0 changed, 2 removed" in output
    assert rows(kg, "MATCH (a:Actor) RETURN a.id ORDER BY a.id") == [
        ["a-disperin"], ["a-idle"], ["a-koperasi"], ["a-lppsp"]
    ]
    assert funds(kg) == [["a-disperin", None, None]]


def test_replace_empties_every_dataset(kg: Kg, tmp_path: Path) -> None:
    load(kg, tiny(tmp_path))
    load(kg, partner(tmp_path))
    load(kg, "--replace", tmp_path / "tiny")
    assert rows(kg, "MATCH (a:Actor {id: 'a-koperasi'}) RETURN count(a)") == [[0]]
    assert "nodes: 0 added" in load(kg, tmp_path / "tiny")


def test_merge_and_replace_exclude_each_other(kg: Kg) -> None:
    result = kg("load", "--merge", "--replace", str(TINY))
    assert result.exit_code == 2
    assert "--merge and --replace exclude each other" in result.output


def test_a_bad_reload_writes_nothing(kg: Kg, tmp_path: Path) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    load(kg, partner(tmp_path))
    before = store_hash(kg)
    (path / "funding.csv").write_text(
        "funder,target,source_type,amount_idr,year\na-disperin,s-logam,taxes,,2024\n"
    )
    result = kg("load", str(path))
    assert result.exit_code == 2
    assert "funding.csv:2: source_type" in result.output
    assert store_hash(kg) == before


def test_the_bookkeeping_stays_out_of_exports(kg: Kg, tmp_path: Path) -> None:
    load(kg, tiny(tmp_path))
    load(kg, partner(tmp_path))
    assert rows(kg, "MATCH (a:Actor {id: 'a-lppsp'}) RETURN a.kgDatasets") == [
        [["partner", "tiny"]]
    ]
    for fmt in ("json", "graphml", "cypher"):
        out = tmp_path / f"export.{fmt}"
        assert kg("export", "--format", fmt, "-o", str(out)).exit_code == 0
        text = out.read_text(encoding="utf-8")
        assert "kgDatasets" not in text and "KgDataset" not in text


def test_a_store_from_before_datasets_were_recorded_is_adopted(
    kg: Kg, tmp_path: Path
) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    assert kg("cypher", "--write", "MATCH (d:KgDataset) DELETE d").exit_code == 0
    (path / "funding.csv").write_text(
        "funder,target,source_type,amount_idr,year\na-disperin,s-logam,apbd,,2024\n"
    )
    assert "relationships: 1 added, 0 changed, 1 removed" in load(kg, path)
    assert rows(kg, "MATCH (d:KgDataset) RETURN d.name, d.base") == [["tiny", True]]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"dataset.yaml": "name: semarang-2026\n"}, "semarang-2026"),
        ({"dataset.yaml": "title: no name\n", "actors.csv": "id\n"}, "folder"),
        ({"actors.csv": "id\n"}, "folder"),
    ],
    ids=["yaml name", "yaml without name", "no yaml"],
)
def test_a_folder_dataset_is_named_by_its_yaml_else_its_folder(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    assert dataset_name([folder]) == expected


def test_a_workbook_is_named_by_its_file_and_several_paths_together(tmp_path: Path) -> None:
    book = tmp_path / "Data Sentra 2026.xlsx"
    book.write_bytes(b"")
    assert dataset_name([book]) == "Data Sentra 2026"
    assert dataset_name([TINY, book]) == "tiny+Data Sentra 2026"


def test_the_bookkeeping_is_no_difference_between_stores(kg: Kg, tmp_path: Path) -> None:
    """One store holding tiny and partner, another holding the same rows as one dataset:
    kg diff sees the same graph."""
    load(kg, tiny(tmp_path))
    load(kg, partner(tmp_path))
    other = Kg(tmp_path / "other")
    combined = tmp_path / "combined"
    shutil.copytree(tmp_path / "tiny", combined)
    for name in ("actors.csv", "links.csv", "funding.csv"):
        extra = [line for line in (tmp_path / "partner" / name).read_text().splitlines()[1:]
                 if not line.startswith("a-lppsp,")]
        with (combined / name).open("a", encoding="utf-8") as table:
            table.write("\n".join(extra) + "\n")
    (combined / "dataset.yaml").write_text(
        (TINY / "dataset.yaml").read_text()
        + "  - id: src-partner\n    title: A partner's list\n"
    )
    load(other, combined)
    result = kg("diff", str(kg.store), str(other.store), "--format", "json")
    assert result.exit_code == 0, result.output
    diff = json.loads(result.output)
    assert diff["nodes"] == {"added": [], "removed": [], "changed": []}
    assert diff["relationships"] == {"added": [], "removed": []}

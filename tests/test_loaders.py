"""Reading datasets: shapes spreadsheets produce, and every kind of problem, all at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import DatasetError, Problem
from kg.loaders import read_dataset
from kg.loaders.csv_table import guard, read_csv, unguard
from kg.schema.model import Label, RelType
from kg.store import QueryResult
from kg.store.cypher_writes import statements
from kg.store.embedded_writes import create_by_internal_id

from .conftest import TINY


def copy_tiny(tmp_path: Path) -> Path:
    target = tmp_path / "ds"
    shutil.copytree(TINY, target)
    return target


def problems(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        read_dataset([path])
    return [str(p) for p in caught.value.problems]


def relationships(path: Path, rel_type: RelType) -> set[tuple[str, str]]:
    graph = read_dataset([path])
    return {(r.start, r.end) for r in graph.relationships if r.type is rel_type}


def test_tiny_dataset_counts_every_label_and_type() -> None:
    graph = read_dataset([TINY])
    assert graph.label_counts() == {
        "Source": 1,
        "Zone": 2,
        "Kecamatan": 3,
        "Commodity": 2,
        "Sentra": 1,
        "Actor": 3,
        "Activity": 2,
    }
    assert graph.type_counts() == {
        "IN_ZONE": 2,
        "LOCATED_IN": 1,
        "CONCERNS": 2,
        "PRODUCES": 1,
        "SUPPLIES": 1,
        "FUNDS": 1,
        "ACCOUNTABLE_FOR": 1,
        "RESPONSIBLE_FOR": 2,
        "CONSULTED_ON": 1,
    }


def test_bom_and_semicolon_separator_are_read(tmp_path: Path) -> None:
    path = copy_tiny(tmp_path)
    raw = (path / "zones.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw  # the fixture is such a file
    graph = read_dataset([path])
    zones = {n.id: n.props["name"] for n in graph.nodes if n.label is Label.ZONE}
    assert zones == {"zone-1": "Wilayah Satu", "zone-2": "Wilayah Dua"}


def test_properties_are_camel_case_and_typed() -> None:
    graph = read_dataset([TINY])
    (sentra,) = [n for n in graph.nodes if n.label is Label.SENTRA]
    assert sentra.props == {
        "name": "Sentra Logam",
        "status": "active",
        "kiosksTotal": 74,
        "kiosksOccupied": 44,
        "sources": ["src-test"],
    }


@pytest.mark.parametrize(
    "cell, roles",
    [
        ("A/R", {"A", "R"}),
        ("R,A", {"A", "R"}),
        ("ar", {"A", "R"}),
        ("R; A", {"A", "R"}),
        ("C", {"C"}),
        ("", set()),
    ],
    ids=["slash", "comma", "joined-lowercase", "semicolon-space", "single", "blank"],
)
def test_raci_matrix_cells_may_join_letters(tmp_path: Path, cell: str, roles: set[str]) -> None:
    path = copy_tiny(tmp_path)
    (path / "raci.csv").write_text(f'activity,Dinas Perindustrian\nt-train,"{cell}"\n')
    graph = read_dataset([path])
    held = {r.type for r in graph.relationships if r.start == "a-disperin" and r.end == "t-train"}
    letters = {
        "RESPONSIBLE_FOR": "R",
        "ACCOUNTABLE_FOR": "A",
        "CONSULTED_ON": "C",
        "INFORMED_OF": "I",
    }
    assert {letters[t] for t in held} == roles


def test_raci_role_columns_shape_with_indonesian_headers(tmp_path: Path) -> None:
    path = copy_tiny(tmp_path)
    (path / "raci.csv").write_text(
        "kegiatan,pelaksana,penanggung_jawab,konsultasi,informasi\n"
        "Relokasi,Dinas Perindustrian|a-lppsp,a-disperin,,Idle Actor\n"
    )
    graph = read_dataset([path])
    got = {
        (r.type.value, r.start)
        for r in graph.relationships
        if r.end == "t-relocate" and r.type is not RelType.CONCERNS
    }
    assert got == {
        ("RESPONSIBLE_FOR", "a-disperin"),
        ("RESPONSIBLE_FOR", "a-lppsp"),
        ("ACCOUNTABLE_FOR", "a-disperin"),
        ("INFORMED_OF", "a-idle"),
    }


def test_responsibilities_long_form_is_read(tmp_path: Path) -> None:
    path = copy_tiny(tmp_path)
    (path / "raci.csv").unlink()
    (path / "responsibilities.csv").write_text("activity,actor,role\nt-train,a-lppsp,i\n")
    assert relationships(path, RelType.INFORMED_OF) == {("a-lppsp", "t-train")}


def test_yaml_alternative_holds_tables(tmp_path: Path) -> None:
    path = tmp_path / "ds.yaml"
    path.write_text(
        "sources: [{id: s1, title: Notes}]\n"
        "zones: [{id: z1, name: Wilayah I, sources: [s1]}]\n"
        "kecamatan: [{id: '33.74.01', name: Semarang Tengah, zone: z1}]\n"
    )
    assert relationships(path, RelType.IN_ZONE) == {("33.74.01", "z1")}


def test_a_sources_csv_declares_the_sources_rows_cite(tmp_path: Path) -> None:
    path = copy_tiny(tmp_path)
    (path / "dataset.yaml").write_text("name: tiny\n", encoding="utf-8")
    (path / "sources.csv").write_text("id,title,date\nsrc-test,Hand-made test data,2025\n",
                                      encoding="utf-8")
    graph = read_dataset([path])
    (source,) = [n for n in graph.nodes if n.label is Label.SOURCE]
    assert (source.id, source.props) == (
        "src-test", {"name": "Hand-made test data", "title": "Hand-made test data",
                     "date": "2025"})


def test_extra_columns_become_properties(tmp_path: Path) -> None:
    path = copy_tiny(tmp_path)
    actors = (path / "actors.csv").read_text().splitlines()
    rows = [
        actors[0] + ",contact_person",
        *(line + "," for line in actors[1:]),
        "a-x,X,business,Bu Sri",
    ]
    (path / "actors.csv").write_text("\n".join(rows) + "\n")
    graph = read_dataset([path])
    (actor,) = [n for n in graph.nodes if n.id == "a-x"]
    assert actor.props["contactPerson"] == "Bu Sri"


@pytest.mark.parametrize(
    "file, content, expected",
    [
        (
            "sentra.csv",
            "id,name,status,kecamatan\ns-x,X,booming,33.74.01\n",
            "sentra.csv:2: status: Input should be 'active', 'potential', 'planned' or 'inactive'",
        ),
        (
            "sentra.csv",
            "id,name,status,kiosks_total,kiosks_occupied\ns-x,X,active,10,11\n",
            "sentra.csv:2: kiosks_occupied: 11 is larger than kiosks_total (10)",
        ),
        (
            "sentra.csv",
            "id,name,status,kiosks_total\ns-x,X,active,banyak\n",
            "sentra.csv:2: kiosks_total: expected a whole number, got 'banyak'",
        ),
        (
            "sentra.csv",
            "id,name,status,kecamatan\ns-x,X,active,33.74.42\n",
            "sentra.csv:2: kecamatan: unknown Kecamatan '33.74.42'",
        ),
        ("sentra.csv", "id,name\ns-x,X\n", "sentra.csv:1: status: missing column"),
        (
            "markets.csv",
            "id,name,kind\nzone-1,Dup,local\n",
            "markets.csv:2: id: duplicate id 'zone-1': already used at",
        ),
        (
            "actors.csv",
            "id,name,kind\nactor satu,X,government\n",
            "actors.csv:2: id: an id is 1-200 ASCII letters",
        ),
        (
            "actors.csv",
            "id,name,kind\na-y,,government\n",
            "actors.csv:2: name: required, but empty",
        ),
        (
            "links.csv",
            "from,type,to\nc-besi,PRODUCES,c-logam\n",
            "links.csv:2: from: 'c-besi' is a Commodity, not a Sentra",
        ),
        (
            "links.csv",
            "from,type,to\na-disperin,FUNDS,s-logam\n",
            "links.csv:2: type: FUNDS does not belong in links.csv; use funding.csv",
        ),
        (
            "funding.csv",
            "funder,target,source_type,amount_idr\na-disperin,s-logam,APBD,-5\n",
            "funding.csv:2: amount_idr: Input should be greater than or equal to 0",
        ),
        (
            "activities.csv",
            "id,name,category,due\nt-z,Z,training,31 Februari 2025\n",
            "activities.csv:2: due: expected a date",
        ),
        (
            "raci.csv",
            "activity,Dinas Perindustrian\nt-train,X\n",
            "raci.csv:2: Dinas Perindustrian: unknown RACI letter 'X'",
        ),
        (
            "raci.csv",
            "activity,Nobody Known\nt-train,R\n",
            "raci.csv:1: Nobody Known: unknown Actor 'Nobody Known'",
        ),
        ("zone.csv", "id,name\nz,Z\n", "zone.csv: unknown dataset file"),
    ],
    ids=[
        "bad-enum",
        "occupied-over-total",
        "not-a-number",
        "unknown-reference",
        "missing-column",
        "duplicate-id",
        "id-with-space",
        "empty-name",
        "wrong-endpoint-label",
        "funds-in-links",
        "negative-amount",
        "impossible-date",
        "unknown-raci-letter",
        "unknown-raci-actor",
        "misnamed-file",
    ],
)
def test_problem_names_file_row_and_field(
    tmp_path: Path, file: str, content: str, expected: str
) -> None:
    path = copy_tiny(tmp_path)
    (path / file).write_text(content, encoding="utf-8")
    found = problems(path)
    assert any(expected.replace("( ", "(") in p for p in found), found


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    path = copy_tiny(tmp_path)
    (path / "actors.csv").write_text("id,name,kind\na 1,,alien\n")
    (path / "zones.csv").write_text("id,name\nzone-1,\n")
    found = problems(path)
    assert len([p for p in found if "actors.csv:2" in p]) == 3  # id, name, kind
    assert any("zones.csv:2: name" in p for p in found)


def test_non_utf8_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = copy_tiny(tmp_path)
    (path / "zones.csv").write_bytes("id,name\nz-3,Kopérasi\n".encode("cp1252"))
    assert any("zones.csv:2: not UTF-8" in p for p in problems(path))


def test_ragged_row_is_refused(tmp_path: Path) -> None:
    path = copy_tiny(tmp_path)
    (path / "zones.csv").write_text("id,name\nz-3,Tiga,extra\n")
    assert any("zones.csv:2: has 3 cells but the header has 2" in p for p in problems(path))


def test_formula_cell_is_refused_but_guarded_text_is_kept(tmp_path: Path) -> None:
    path = copy_tiny(tmp_path)
    (path / "zones.csv").write_text('id,name\nz-3,"=HYPERLINK(""x"")"\nz-4,\'-Minus\n')
    assert any("zones.csv:2: name: looks like a spreadsheet formula" in p for p in problems(path))
    (path / "zones.csv").write_text("id,name\nzone-1,'-Minus\nzone-2,'plain\n")
    graph = read_dataset([path])
    names = {n.id: n.props["name"] for n in graph.nodes if n.label is Label.ZONE}
    assert names == {"zone-1": "-Minus", "zone-2": "'plain"}


@pytest.mark.parametrize(
    "text, iso",
    [
        ("12 Mei 2025", "2025-05-12"),
        ("12/05/2025", "2025-05-12"),
        ("2025-05-12", "2025-05-12"),
        ("1 Agustus 2030", "2030-08-01"),
    ],
    ids=["indonesian-month", "day-first", "iso", "agustus"],
)
def test_due_dates_accept_indonesian_formats(tmp_path: Path, text: str, iso: str) -> None:
    path = copy_tiny(tmp_path)
    (path / "activities.csv").write_text(
        f"id,name,category,due\nt-train,Latih,training,{text}\nt-relocate,Relokasi,relocation,\n"
    )
    graph = read_dataset([path])
    (activity,) = [n for n in graph.nodes if n.id == "t-train"]
    assert activity.props["due"] == iso


@pytest.mark.parametrize(
    "text, value",
    [("ya", True), ("Tidak", False), ("1", True), ("", None)],
    ids=["ya", "tidak", "one", "empty-is-unknown"],
)
def test_booleans_accept_indonesian_words(tmp_path: Path, text: str, value: bool | None) -> None:
    path = copy_tiny(tmp_path)
    (path / "regulations.csv").write_text(f"id,name,has_sanction\nr-1,Perda,{text}\n")
    graph = read_dataset([path])
    (regulation,) = [n for n in graph.nodes if n.id == "r-1"]
    assert regulation.props.get("hasSanction") == value


@given(st.text())
def test_formula_guard_round_trips_any_text(text: str) -> None:
    assert unguard(guard(text)) == text
    assert not guard(text).startswith(("=", "+", "-", "@", "\t", "\r"))


class RecordingStore:
    """A fake embedded store that records every query text it is sent."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def execute(self, query: str, params: dict[str, list[object]]) -> QueryResult:
        self.texts.append(query)
        return QueryResult(["ids"], [[list(range(len(params["rows"])))]])


@pytest.mark.parametrize("path_taken", ["create-by-internal-id", "create", "merge"])
def test_extra_column_names_never_enter_query_text(tmp_path: Path, path_taken: str) -> None:
    path = copy_tiny(tmp_path)
    actors = (path / "actors.csv").read_text().splitlines()
    rows = [actors[0] + ",contact_person", *(line + ",Bu Sri" for line in actors[1:])]
    (path / "actors.csv").write_text("\n".join(rows) + "\n")
    (path / "links.csv").write_text("from,type,to,why_linked\ns-logam,PRODUCES,c-logam,x\n")
    graph = read_dataset([path])
    if path_taken == "create-by-internal-id":
        store = RecordingStore()
        create_by_internal_id(store, graph)  # type: ignore[arg-type]
        texts = store.texts
    else:
        texts = [s.query for s in statements(graph, fresh=path_taken == "create")]
    assert texts
    assert not [t for t in texts if "contactPerson" in t or "whyLinked" in t]


def test_a_table_keeps_its_rows_as_cells_in_order_with_guards_removed(
    tmp_path: Path,
) -> None:
    path = tmp_path / "links.csv"
    path.write_text("from,type,to\na,SUPPLIES,b\n\nc,SUPPLIES,'=d\ne,SOLD_IN,f\n", encoding="utf-8")
    problems: list[Problem] = []
    table = read_csv(path, problems)
    assert table is not None and problems == []
    assert table.rows == [(2, ["a", "SUPPLIES", "b"]), (4, ["c", "SUPPLIES", "=d"]),
                          (5, ["e", "SOLD_IN", "f"])]
    assert table.record(table.rows[1][1]) == {"from": "c", "type": "SUPPLIES", "to": "=d"}


def test_a_directory_without_dataset_files_is_refused_naming_what_was_expected(
    tmp_path: Path,
) -> None:
    (tmp_path / "notes.txt").write_text("not a table\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset([tmp_path])
    (problem,) = caught.value.problems
    assert problem.file == str(tmp_path) and problem.row is None
    assert "no dataset here" in problem.message
    assert "dataset.yaml" in problem.message and "actors.csv" in problem.message


def test_a_directory_with_only_dataset_yaml_is_a_dataset(tmp_path: Path) -> None:
    (tmp_path / "dataset.yaml").write_text("name: kosong\n", encoding="utf-8")
    assert read_dataset([tmp_path]).nodes == []


@pytest.mark.parametrize(
    ("name", "header", "missing"),
    [("links.csv", "type,to", "from"), ("responsibilities.csv", "activity,role", "actor")],
)
def test_a_relationship_table_missing_a_column_says_so(
    tmp_path: Path, name: str, header: str, missing: str
) -> None:
    path = copy_tiny(tmp_path)
    (path / name).write_text(f"{header}\nx,y\n", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        read_dataset([path])
    assert [str(p) for p in caught.value.problems] == [
        f"{path / name}:1: {missing}: missing column"
    ]

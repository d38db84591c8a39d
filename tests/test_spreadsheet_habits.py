"""Habits of spreadsheets and of the people filling them: a column left behind after its
header was cleared, names typed with a doubled space, an actor's name misspelt in the
RACI chart's header. Each is accepted, or explained once, where it is."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from kg.errors import DatasetError, Problem
from kg.loaders import read_dataset, references
from kg.loaders.csv_table import column_letter, read_csv
from kg.schema.model import RelType

LETTERS = {0: "A", 1: "B", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"}


@pytest.mark.parametrize(("position", "letter"), LETTERS.items(), ids=list(LETTERS.values()))
def test_a_column_is_named_by_its_spreadsheet_letter(position: int, letter: str) -> None:
    assert column_letter(position) == letter


def header_problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "markets.csv"
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    assert read_csv(path, problems) is None
    return [str(problem) for problem in problems]


def test_a_trailing_column_without_header_is_named_to_be_deleted(tmp_path: Path) -> None:
    assert header_problems(tmp_path, "id,name,kind,\nm-1,Pasar Johar,local,\n") == [
        f"{tmp_path / 'markets.csv'}:1: column D has no header: delete the empty column"
    ]


def test_each_trailing_column_without_header_is_named(tmp_path: Path) -> None:
    assert header_problems(tmp_path, "id,name,kind,,\nm-1,Pasar Johar,local,,\n") == [
        f"{tmp_path / 'markets.csv'}:1: column D has no header: delete the empty column",
        f"{tmp_path / 'markets.csv'}:1: column E has no header: delete the empty column",
    ]


def test_a_column_without_header_between_named_ones_is_named(tmp_path: Path) -> None:
    assert header_problems(tmp_path, "id,,name,kind\nm-1,,Pasar Johar,local\n") == [
        f"{tmp_path / 'markets.csv'}:1: column B has no header: "
        "name it, or delete the empty column"
    ]


ACTORS = """\
id,name,kind
a-dinkop,Dinas Koperasi,government
a-disperin,Dinas Perindustrian,government
"""


def chart_dataset(folder: Path, files: dict[str, str]) -> Path:
    base = {"actors.csv": ACTORS,
            "activities.csv": "id,name,category\nt-1,Pelatihan,training\nt-2,Pameran,promotion\n"}
    for name, text in {**base, **files}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


HEADERS = {
    "doubled-inner-space": "Dinas  Koperasi",
    "other-case": "DINAS KOPERASI",
    "padded": "  Dinas Koperasi ",
    "no-break-space": "Dinas\u00a0Koperasi",
}


@pytest.mark.parametrize("header", HEADERS.values(), ids=list(HEADERS))
def test_a_matrix_header_finds_its_actor_by_a_name_typed_loosely(
    tmp_path: Path, header: str
) -> None:
    folder = chart_dataset(tmp_path, {"raci.csv": f'activity,"{header}"\nt-1,R\n'})
    graph = read_dataset([folder])
    assert [(r.type, r.start, r.end) for r in graph.relationships] == [
        (RelType.RESPONSIBLE_FOR, "a-dinkop", "t-1")]


def test_name_keys_docstring_example_gives_what_it_shows() -> None:
    assert doctest.testmod(references) == doctest.TestResults(failed=0, attempted=4)


def test_a_data_cell_finds_its_actor_by_a_name_typed_loosely(tmp_path: Path) -> None:
    folder = chart_dataset(
        tmp_path, {"responsibilities.csv": "activity,actor,role\nt-1, dinas  koperasi ,A\n"})
    graph = read_dataset([folder])
    assert [(r.type, r.start, r.end) for r in graph.relationships] == [
        (RelType.ACCOUNTABLE_FOR, "a-dinkop", "t-1")]


def loaded_problems(folder: Path) -> list[str]:
    with pytest.raises(DatasetError) as caught:
        read_dataset([folder])
    return [str(problem) for problem in caught.value.problems]


def test_an_unknown_actor_in_a_matrix_header_is_reported_once_at_its_header_cell(
    tmp_path: Path,
) -> None:
    folder = chart_dataset(tmp_path, {"raci.csv": "activity,Dinas Koprasi\nt-1,R\nt-2,A/C\n"})
    assert loaded_problems(folder) == [
        f"{folder / 'raci.csv'}:1: Dinas Koprasi: unknown Actor 'Dinas Koprasi'; "
        "did you mean 'Dinas Koperasi' (a-dinkop)?"
    ]


def test_an_unknown_actor_in_a_matrix_header_is_reported_even_with_an_empty_column(
    tmp_path: Path,
) -> None:
    folder = chart_dataset(tmp_path, {"raci.csv": "activity,a-disperin,Bappeda\nt-1,R,\n"})
    assert loaded_problems(folder) == [
        f"{folder / 'raci.csv'}:1: Bappeda: unknown Actor 'Bappeda'"]


def test_an_unknown_name_is_hinted_with_every_close_name_and_its_id(tmp_path: Path) -> None:
    actors = ACTORS + "a-dinkop-ukm,Dinas Koperasi dan UKM,government\n"
    folder = chart_dataset(tmp_path, {"actors.csv": actors,
                                      "raci.csv": "activity,Dinas Koperasi UKM\nt-1,R\n"})
    assert loaded_problems(folder) == [
        f"{folder / 'raci.csv'}:1: Dinas Koperasi UKM: unknown Actor 'Dinas Koperasi UKM'; "
        "did you mean 'Dinas Koperasi dan UKM' (a-dinkop-ukm) or 'Dinas Koperasi' (a-dinkop)?"
    ]


DATA_CELLS = {
    "responsibilities": ("responsibilities.csv",
                         "activity,actor,role\nt-1,Dinas Koprasi,R\nt-2,Dinas Koprasi,A\n"),
    "raci-role-columns": ("raci.csv", "activity,responsible\nt-1,Dinas Koprasi\n"
                                      "t-2,Dinas Koprasi\n"),
}


@pytest.mark.parametrize(("file", "text"), DATA_CELLS.values(), ids=list(DATA_CELLS))
def test_an_unknown_actor_in_a_data_cell_is_reported_on_its_row_with_a_hint(
    tmp_path: Path, file: str, text: str
) -> None:
    folder = chart_dataset(tmp_path, {file: text})
    assert loaded_problems(folder) == [
        f"{folder / file}:{row}: actor: unknown Actor 'Dinas Koprasi'; "
        "did you mean 'Dinas Koperasi' (a-dinkop)?"
        for row in (2, 3)
    ]


def test_a_hint_lists_every_id_of_a_shared_name(tmp_path: Path) -> None:
    actors = ACTORS + "a-dinkop-2,Dinas Koperasi,government\n"
    folder = chart_dataset(tmp_path, {"actors.csv": actors,
                                      "raci.csv": "activity,Dinas Koprasi\nt-1,R\n",
                                      "dataset.yaml": "distinct_names: [actors]\n"})
    assert loaded_problems(folder) == [
        f"{folder / 'raci.csv'}:1: Dinas Koprasi: unknown Actor 'Dinas Koprasi'; "
        "did you mean 'Dinas Koperasi' (a-dinkop, a-dinkop-2)?"
    ]


def test_no_hint_once_the_names_to_compare_are_spent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(references, "HINT_COMPARISONS", 1)
    folder = chart_dataset(tmp_path, {"raci.csv": "activity,Dinas Koprasi\nt-1,R\n"})
    assert loaded_problems(folder) == [
        f"{folder / 'raci.csv'}:1: Dinas Koprasi: unknown Actor 'Dinas Koprasi'"]

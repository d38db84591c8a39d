"""Bad input: every broken dataset is refused with exit 2, names where it is broken, and
leaves the store exactly as it was.

The corpus lives in ``tests/data/bad/<case>/``: each case is a copy of ``tests/data/tiny``
with ONE defect. Its ``expected.txt`` says what the defect is (a ``#`` line) and lists
every problem the load must report, one per line, relative to the case directory; `` ... ``
separates parts that must appear, in order, on that one line.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kg.cli import cli
from kg.loaders.csv_table import MAX_CELL_CHARS

from .conftest import DATA, TINY

BAD = DATA / "bad"
CASES = sorted(path for path in BAD.iterdir() if path.is_dir())


def kg(store: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", str(store), *args])


def expected_problems(case: Path) -> list[list[str]]:
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line.split(" ... ") for line in lines if line and not line.startswith("#")]


def reported(result: Result) -> list[str]:
    """The problem lines under the CLI's ``Error: N problems ...`` heading."""
    return [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]


def fingerprint(store: Path) -> tuple[str, str]:
    """``kg stats --format json`` and a hash of the saved graph file."""
    stats = kg(store, "stats", "--format", "json")
    assert stats.exit_code == 0, stats.output
    return stats.output, hashlib.sha256((store / "graph.rdb").read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def loaded_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[str, str]]:
    """A store holding the tiny dataset, and its fingerprint."""
    store = tmp_path_factory.mktemp("bad-input") / "store"
    result = kg(store, "load", str(TINY))
    assert result.exit_code == 0, result.output
    return store, fingerprint(store)


def test_corpus_has_a_case_for_every_defect_kind() -> None:
    assert len(CASES) >= 45
    for case in CASES:
        assert expected_problems(case), f"{case.name}/expected.txt lists no problem"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_dataset_is_refused_naming_file_row_and_field_and_changes_nothing(
    case: Path, loaded_store: tuple[Path, tuple[str, str]]
) -> None:
    store, before = loaded_store
    result = kg(store, "load", "--replace", str(case))

    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    expected = expected_problems(case)
    count = len(expected)
    assert result.stderr.startswith(
        f"Error: {count} problem{'s' if count != 1 else ''} in the dataset; nothing was written"
    ), result.stderr
    lines = reported(result)
    for first, *rest in expected:
        where = f"{case}/{first}"
        assert any(
            line.startswith(where) and _in_order(line[len(where):], rest) for line in lines
        ), f"missing {' ... '.join([first, *rest])!r} in:\n" + "\n".join(lines)
    assert fingerprint(store) == before


def _in_order(text: str, parts: list[str]) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


@pytest.mark.parametrize(
    "text, iso",
    [("12 Mei 2025", "2025-05-12"), ("12/05/2025", "2025-05-12"), ("12-05-2025", "2025-05-12"),
     ("1 Agustus 2025", "2025-08-01"), ("3 Okt. 2025", "2025-10-03"),
     ("29 Februari 2028", "2028-02-29")],
    ids=["mei", "slashes", "dashes", "agustus", "abbreviated-okt", "leap-day"],
)
def test_valid_indonesian_dates_load(tmp_path: Path, text: str, iso: str) -> None:
    dataset = tmp_path / "ds"
    shutil.copytree(TINY, dataset)
    (dataset / "activities.csv").write_text(
        "id,name,category,topic,phase,due,concerns\n"
        f"t-relocate,Relokasi,relocation,,,{text},s-logam\n"
        "t-train,Pelatihan,training,production,2025-2029,,s-logam\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert kg(store, "load", str(dataset)).exit_code == 0
    result = kg(store, "cypher", "MATCH (t:Activity {id: 't-relocate'}) RETURN t.due",
                "--format", "json")
    assert json.loads(result.output) == [{"t.due": iso}]


def test_cell_beyond_the_csv_field_limit_is_refused_clearly(tmp_path: Path) -> None:
    dataset = tmp_path / "ds"
    shutil.copytree(TINY, dataset)
    huge = "x" * (csv.field_size_limit() + 1)
    (dataset / "markets.csv").write_text(f"id,name,kind\nm-1,{huge},local\n", encoding="utf-8")
    result = kg(tmp_path / "store", "load", str(dataset))
    assert result.exit_code == 2
    assert reported(result) == [
        f"{dataset}/markets.csv:2: a cell has more than {csv.field_size_limit():,} characters "
        f"(at most {MAX_CELL_CHARS:,})"
    ]


def test_very_many_columns_are_refused_clearly(tmp_path: Path) -> None:
    dataset = tmp_path / "ds"
    shutil.copytree(TINY, dataset)
    header = ",".join(["id", "name", "kind", *(f"c{i}" for i in range(20_000))])
    (dataset / "markets.csv").write_text(header + "\n", encoding="utf-8")
    result = kg(tmp_path / "store", "load", str(dataset))
    assert result.exit_code == 2
    assert reported(result) == [
        f"{dataset}/markets.csv:1: has 20,003 columns (at most 1,000): not a dataset table"
    ]


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@"], ids=["equals", "plus", "minus", "at"])
def test_guarded_formula_text_loads_without_its_guard(tmp_path: Path, trigger: str) -> None:
    # `kg export` writes "'" before such text so spreadsheets show it; load strips it again.
    dataset = tmp_path / "ds"
    shutil.copytree(TINY, dataset)
    name = f"{trigger}SUM(A1:A9) Idle"
    (dataset / "actors.csv").write_text(
        "id,name,kind\na-disperin,Dinas Perindustrian,government\na-lppsp,LPPSP,research\n"
        f"a-idle,'{name},business\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert kg(store, "load", str(dataset)).exit_code == 0
    result = kg(store, "cypher", "MATCH (a:Actor {id: 'a-idle'}) RETURN a.name", "--format", "json")
    assert json.loads(result.output) == [{"a.name": name}]


def test_apostrophe_before_ordinary_text_is_kept(tmp_path: Path) -> None:
    dataset = tmp_path / "ds"
    shutil.copytree(TINY, dataset)
    (dataset / "actors.csv").write_text(
        "id,name,kind\na-disperin,Dinas Perindustrian,government\na-lppsp,LPPSP,research\n"
        "a-idle,'Idle' Actor,business\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    assert kg(store, "load", str(dataset)).exit_code == 0
    result = kg(store, "cypher", "MATCH (a:Actor {id: 'a-idle'}) RETURN a.name", "--format", "json")
    assert json.loads(result.output) == [{"a.name": "'Idle' Actor"}]

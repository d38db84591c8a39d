"""The loader's shortcut for plainly valid rows changes nothing: with it or without it
(``quick=True`` or ``quick=False``), every row gives the same field values, properties and
problems, and every dataset the same graph or the same problems.

The pydantic models stay the single source of truth; the shortcut only skips building
them for rows they would accept.
"""

from __future__ import annotations

import importlib.resources
import itertools
import subprocess
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, field_validator

from kg.errors import DatasetError, Problem
from kg.loaders import read_dataset, validate
from kg.loaders.csv_table import Table
from kg.loaders.validate import Validator
from kg.schema.model import (
    ActivityCategory,
    ActivityStatus,
    ActorKind,
    ActorLevel,
    CommitmentStatus,
    Direction,
    EngagementKind,
    Funding,
    FundingSource,
    IndicatorKind,
    Link,
    MarketKind,
    OptionalText,
    RelType,
    Responsibility,
    Role,
    SentraStatus,
    Source,
    Stage,
    Topic,
    Zone,
)
from kg.schema.tables import FOLLOWUP_TABLES, NODE_TABLES

from .conftest import DATA

ROOT = Path(__file__).resolve().parents[1]
GENERATE = ROOT / "benchmarks" / "generate.py"
AREA_DATA = ROOT / "benchmarks" / "node_modules" / "idn-area-data" / "data"

MODELS: dict[str, type[BaseModel]] = {
    **{model.__name__: model for model in NODE_TABLES.values()},
    **{model.__name__: model for model in FOLLOWUP_TABLES.values()},
    "Link": Link,
    "Funding": Funding,
    "Responsibility": Responsibility,
}

PROPERTY_TEST = settings(max_examples=100, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow])

IDS = ["a-1", "A.b:c_d-9", "src-1", "7", " a-1", "a-1 ", "\ta-1\n", "", " ", "-a", "a b",
       "é", "a" * 200, "a" * 201, "a|b", "'a"]
TEXTS = ["Sentra Batik", " padded ", "", " ", "\u00a0", "Ma'rif", "é", "x" * 61, "a|b",
         "\u2028", "=1+1", "None"]
ID_LISTS = ["", " ", "a-1", "src-1", " a-1", "a-1 ", "a-1|a-2", " a-1 | a-2 ", "|", "a-1||",
            "|a-1", "bad id", "a-1|bad id", "a-1|a-1", "é"]
NUMBERS = ["", " ", "0", "7", "007", " 42 ", "+4", "-3", "1.234", "1,234,567", "1.234.567",
           "12.5", "Rp 5.000", "rp.5000", "RP 1,000", "Rp", "12a", "9" * 18, "9" * 19,
           "9" * 25, "\uff11\uff12", "1e3", "1899", "1900", "2024", "2100", "2101", "150"]
AMOUNTS = [*NUMBERS, "Rp 1.500.000", "Rp1.500.000", "rp. 1.500.000,-", "Rp\u00a01.500.000",
           "1.500.000", "1.500.000,00", "1500000,00", "Rp1,5 juta", "250 jt", "250 JT.",
           "1,5 M", "1,5 miliar", "2 T", "2 triliun", "5 rb", "0,5 ribu", "1,500", "1,500 juta",
           "1.5", "1,5", "1,2345 rb", "1,5 kg", "9.999.999 T", "-1,5 juta", "IDR 5000"]
DATES = ["", " ", "2025-05-12", " 2025-05-12 ", "12/05/2025", "1.5.2025", "12-05-2025",
         "12 Mei 2025", "12 mei. 2025", "3 Agt 2024", "31/02/2025", "2025-5-1", "12 Foo 2025",
         "20250512", "2025-13-01", "May 12 2025", "Des 2025", "desember 2025", "Dec. 2025",
         "12/2025", "2-2024", "13/2025", "Mai 2025"]
FLAGS = ["", " ", "true", "FALSE", "Ya", "tidak", "y", "N", "1", "0", " yes ", "maybe", "t"]
NAME_LISTS = [*ID_LISTS, "Sentra Batik; a-1", "a-1;a-1", ";"]
PERIODS = ["2023", "", " ", " 2024 ", "23", "2023-06-30", "30/06/2023", "Des 2025", "2023-13",
           "tahun 2023"]
ENUMS = {
    "kind": [*ActorKind, *MarketKind, *EngagementKind, *IndicatorKind],
    "level": list(ActorLevel),
    "status": [*SentraStatus, *ActivityStatus, *CommitmentStatus],
    "direction": list(Direction),
    "stage": list(Stage),
    "category": list(ActivityCategory),
    "topic": list(Topic),
    "type": list(RelType),
    "source_type": list(FundingSource),
    "role": list(Role),
}
"""Enum columns: a value of another enum sharing the column name is a wrong value here."""

KINDS: dict[str, list[str]] = {
    **dict.fromkeys(["id", "from", "to", "funder", "target"], IDS),
    **dict.fromkeys(["name", "title", "name_en", "phase", "publisher", "url", "file",
                     "note", "activity", "actor"], TEXTS),
    "date": ["2025-05-12", *TEXTS, *DATES],
    **dict.fromkeys(["sources", "kecamatan", "zone", "concerns"], ID_LISTS),
    **dict.fromkeys(["kiosks_total", "kiosks_occupied", "year"], NUMBERS),
    "amount_idr": AMOUNTS,
    **dict.fromkeys(["due", "started", "completed", "made_on", "done_on"], DATES),
    "value": ["60", *AMOUNTS, "27,92", "28.7", "-0,5", "1.500"],
    "period": PERIODS,
    **dict.fromkeys(["sentra", "actors"], NAME_LISTS),
    **dict.fromkeys(["by", "what", "outcome", "unit", "engagement", "subject"], TEXTS),
    "indicator": IDS,
    "has_sanction": FLAGS,
    **{
        column: ["", *sorted({cell for value in values
                              for cell in (value.value, value.upper(), value.title(),
                                           f" {value} ")} | {" ", "unknown"})]
        for column, values in ENUMS.items()
    },
}
"""Cells people write in each column, valid and not, by column name; the first is valid
in any column but a required enum's."""

ANY_CELL = st.one_of(st.sampled_from(sorted({c for cells in KINDS.values() for c in cells})),
                     st.text(max_size=8))


def cells(column: str) -> st.SearchStrategy[str]:
    own = st.sampled_from(KINDS[column])
    return st.one_of(own, own, own, ANY_CELL)  # mostly cells of the column's own kind


def columns(model: type[BaseModel]) -> dict[str, bool]:
    """Column name -> required."""
    return {(info.alias or name): info.is_required() for name, info in model.model_fields.items()}


def rows(model: type[BaseModel]) -> st.SearchStrategy[dict[str, str]]:
    """A row of the model's table: optional columns may be missing (and now and then a
    required one, as in ``dataset.yaml``), extra ones present."""
    wanted = columns(model)
    fields = st.one_of(
        st.fixed_dictionaries(
            {column: cells(column) for column, required in wanted.items() if required},
            optional={column: cells(column) for column, required in wanted.items()
                      if not required},
        ),
        st.fixed_dictionaries({}, optional={column: cells(column) for column in wanted}),
    )
    extra = st.dictionaries(st.sampled_from(["remark", "Bad-Column", "label"]), ANY_CELL,
                            max_size=1)
    return st.builds(lambda f, e: {**e, **f}, fields, extra)


def exact(value: Any) -> Any:
    """``value`` with the type of every part, so that an enum is not equal to its text."""
    if isinstance(value, dict):
        return [(exact(k), exact(v)) for k, v in value.items()]
    if isinstance(value, list | tuple):
        return (type(value).__name__, [exact(v) for v in value])
    return type(value).__name__, value


def validated(model: type[BaseModel], row: dict[str, str], fast: bool) -> Any:
    """What the loader makes of one row: (field values, properties, extra) and problems."""
    table = Table("t.csv", list(row))
    problems: list[Problem] = []
    result = Validator(table, model, problems, quick=fast).row(2, list(row.values()))
    return exact(result), [str(problem) for problem in problems]


def test_every_column_has_cells_to_try() -> None:
    for model in MODELS.values():
        assert set(columns(model)) <= set(KINDS), model.__name__


def plain_row(model: type[BaseModel]) -> dict[str, str]:
    """A valid row with every column of the model."""
    row = {}
    for field, info in model.model_fields.items():
        column = info.alias or field
        required_enum = isinstance(info.annotation, type) and issubclass(info.annotation, Enum)
        row[column] = next(iter(info.annotation)).value if required_enum else KINDS[column][0]
    return row


@pytest.mark.parametrize("name", MODELS, ids=list(MODELS))
def test_the_shortcut_takes_plainly_valid_rows(name: str) -> None:
    model = MODELS[name]
    shortcut = validate._shortcut(model)
    assert shortcut is not None
    row = plain_row(model)
    assert shortcut.accept(row) is not None
    required = {column: cell for column, cell in row.items() if columns(model)[column]}
    assert shortcut.accept(required) is not None


def test_a_model_with_a_validator_of_its_own_takes_the_long_way() -> None:
    class Shouted(Zone):
        @field_validator("name")
        @classmethod
        def _shout(cls, name: str) -> str:
            return name.upper()

    assert validate._shortcut(Shouted) is None


def test_a_source_takes_the_long_way_to_be_named_by_its_title() -> None:
    assert validate._shortcut(Source) is None
    problems: list[Problem] = []
    table = Table("dataset.yaml#sources", ["id", "title"])
    validated = Validator(table, Source, problems).row(1, ["src-1", "Kajian"])
    assert problems == [] and validated is not None
    fields, props, _extra = validated
    assert fields["name"] == props["name"] == "Kajian"


def test_a_model_with_a_default_of_its_own_takes_the_long_way() -> None:
    class Noted(Zone):
        note: OptionalText = "none given"

    assert validate._shortcut(Noted) is None


@pytest.mark.parametrize("name", MODELS, ids=list(MODELS))
def test_every_pair_of_cells_gives_the_same_outcome_with_and_without_the_shortcut(
    name: str,
) -> None:
    model = MODELS[name]
    plain = plain_row(model)
    for first, second in itertools.combinations(plain, 2):
        for one, other in itertools.product(KINDS[first], KINDS[second]):
            row = {**plain, first: one, second: other}
            assert validated(model, row, fast=True) == validated(model, row, fast=False), row


@pytest.mark.parametrize("name", MODELS, ids=list(MODELS))
@PROPERTY_TEST
@given(data=st.data())
def test_a_row_gives_the_same_values_and_problems_with_and_without_the_shortcut(
    name: str, data: st.DataObject
) -> None:
    model = MODELS[name]
    row = data.draw(rows(model))
    assert validated(model, row, fast=True) == validated(model, row, fast=False)


@pytest.mark.parametrize("cell", ID_LISTS, ids=repr)
def test_rows_never_share_a_list(cell: str) -> None:
    shortcut = validate._shortcut(Link)
    assert shortcut is not None
    row = {**plain_row(Link), "sources": cell}
    first, second = shortcut.accept(row), shortcut.accept(row)
    if first is not None and second is not None:
        assert first[0]["sources"] is not second[0]["sources"]


def graph_or_problems(paths: list[Path], fast: bool) -> Any:
    try:
        graph = read_dataset(paths, quick=fast)
    except DatasetError as exc:
        return [str(problem) for problem in exc.problems]
    return (
        [(exact(n.label), n.id, exact(n.props), n.origin) for n in graph.nodes],
        [(exact(r.type), r.start, r.end, exact(r.props), r.origin) for r in graph.relationships],
    )


def assert_same_with_and_without_the_shortcut(paths: list[Path]) -> Any:
    outcome = graph_or_problems(paths, fast=True)
    assert outcome == graph_or_problems(paths, fast=False)
    return outcome


def test_the_bundled_dataset_gives_the_same_graph_with_and_without_the_shortcut() -> None:
    semarang = importlib.resources.files("kg") / "datasets" / "semarang"
    with importlib.resources.as_file(semarang) as path:
        nodes, _relationships = assert_same_with_and_without_the_shortcut([path])
    assert nodes


TEST_DATASETS = sorted(
    folder for folder in DATA.rglob("*")
    if folder.is_dir() and any(f.suffix in {".csv", ".yaml"} for f in folder.iterdir())
)


@pytest.mark.parametrize("path", TEST_DATASETS,
                         ids=[str(p.relative_to(DATA)) for p in TEST_DATASETS])
def test_a_test_dataset_gives_the_same_graph_or_problems_with_and_without_the_shortcut(
    path: Path,
) -> None:
    assert_same_with_and_without_the_shortcut([path])


@pytest.mark.slow
def test_a_generated_national_dataset_gives_the_same_graph_with_and_without_the_shortcut(
    tmp_path: Path,
) -> None:
    if not AREA_DATA.is_dir():
        pytest.skip("benchmarks/node_modules is missing: run npm ci in benchmarks/")
    out = tmp_path / "national"
    subprocess.run([sys.executable, str(GENERATE), "--scale", "0.02", "--out", str(out)],
                   check=True, capture_output=True)
    nodes, _relationships = assert_same_with_and_without_the_shortcut([out])
    assert len(nodes) > 10_000


# Relationship tables: their plain rows become
# relationships without a dict or a record; every other row, and every table with columns
# the quick path does not know, takes the long way.

QUICK_NODES = """\
id,name,kind
act-1,Kegiatan 1,
act-2,Kegiatan 2,
"""
QUICK_ACTORS = "id,name,kind\nact-9,Dinas,government\npgy-1,Paguyuban,association\n"
QUICK_COMMODITIES = "id,name,stage\ncmd-r,Besi,raw\ncmd-p,Pagar,product\n"
QUICK_MARKETS = "id,name,kind\nmkt-1,Pasar Johar,domestic\n"
REFERENCES = ["act-1", "act-2", "act-9", "pgy-1", "cmd-r", "cmd-p", "mkt-1", "src-1", " act-1",
              "act-1 ", "Kegiatan 1", "Dinas", "nope", "", "a b", "'act-1", "=1"]
ROLES = ["R", "A", "C", "I", "r", " A", "X", ""]
TYPES = ["SUPPLIES", "SOLD_IN", "supplies", " SOLD_IN", "FUNDS", "RESPONSIBLE_FOR", "NOPE", ""]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    quoted = ['"' + cell.replace('"', '""') + '"' if cell != cell.strip() or "," in cell
              else cell for row in rows for cell in row]
    width = len(header)
    lines = [",".join(quoted[i : i + width]) for i in range(0, len(quoted), width)]
    return "\n".join([",".join(header), *lines]) + "\n"


@st.composite
def quick_dataset(draw: st.DrawFn) -> dict[str, str]:
    role_header = draw(st.sampled_from([["activity", "actor", "role"],
                                        ["role", "actor", "activity"],
                                        ["activity", "actor", "role", "sources"],
                                        ["activity", "actor", "role", "note"]]))
    link_header = draw(st.sampled_from([["from", "type", "to"], ["to", "from", "type"],
                                        ["from", "type", "to", "sources"],
                                        ["from", "type", "to", "weight"]]))

    def table(header: list[str]) -> list[list[str]]:
        # Mostly cells the quick path takes (so that rows repeat, too), now and then any.
        valid = {"activity": ["act-1", "act-2"], "actor": ["act-9", "pgy-1"],
                 "role": ["R", "A"], "from": ["cmd-r", "cmd-p", "act-1"],
                 "to": ["cmd-p", "mkt-1", "sentra-1"], "type": ["SUPPLIES", "SOLD_IN", "CONCERNS"]}
        other = {"role": ROLES, "type": TYPES, "sources": ["", "", "src-1", "nope"],
                 "note": ["", "x"], "weight": ["", "3"]}
        row = st.tuples(*[
            st.one_of(*[st.sampled_from(valid.get(column) or other[column])] * 4,
                      st.sampled_from(other.get(column, REFERENCES)))
            for column in header
        ])
        return [list(r) for r in draw(st.lists(row, max_size=12))]

    concerns = st.sampled_from(["sentra-1", "sentra-1", "sentra-2", " sentra-1", "", "act-1",
                                "sentra-1|sentra-1", "sentra-1|nope", "nope"])
    activities = [f"act-{n},Kegiatan {n},training,{draw(concerns)}" for n in (1, 2)]
    if draw(st.booleans()):  # the same activity twice: the second row is refused
        activities.append(f"act-1,Kegiatan lagi,training,{draw(concerns)}")
    return {
        "sentra.csv": "id,name,status\nsentra-1,Sentra Logam,active\nsentra-2,Sentra B,active\n",
        "activities.csv": csv_text(["id", "name", "category", "concerns"],
                                   [row.split(",") for row in activities]),
        "actors.csv": QUICK_ACTORS,
        "commodities.csv": QUICK_COMMODITIES,
        "markets.csv": QUICK_MARKETS,
        "dataset.yaml": "sources:\n  - id: src-1\n    title: Kajian\n",
        "responsibilities.csv": csv_text(role_header, table(role_header)),
        "links.csv": csv_text(link_header, table(link_header)),
    }


@PROPERTY_TEST
@given(files=quick_dataset())
def test_relationship_tables_read_as_cells_give_the_same_graph_or_problems(
    tmp_path_factory: pytest.TempPathFactory, files: dict[str, str]
) -> None:
    folder = tmp_path_factory.mktemp("quick")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    assert_same_with_and_without_the_shortcut([folder])


def test_plain_relationship_rows_take_the_quick_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, text in {"activities.csv": "id,name,category\nact-1,K,training\n",
                       "actors.csv": QUICK_ACTORS, "commodities.csv": QUICK_COMMODITIES,
                       "responsibilities.csv": "activity,actor,role\nact-1,act-9,A\n",
                       "links.csv": "from,type,to\ncmd-r,SUPPLIES,cmd-p\n"}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    long_way: list[int] = []
    row = Validator.row

    def counted(self: Any, number: int, cells: list[str]) -> Any:
        if self._model in (Link, Responsibility):
            long_way.append(number)
        return row(self, number, cells)

    monkeypatch.setattr(Validator, "row", counted)
    graph = read_dataset([tmp_path])
    assert {(r.type, r.start, r.end) for r in graph.relationships} == {
        (RelType.ACCOUNTABLE_FOR, "act-9", "act-1"), (RelType.SUPPLIES, "cmd-r", "cmd-p")}
    assert long_way == []
    read_dataset([tmp_path], quick=False)
    assert long_way == [2, 2]


@st.composite
def cell_table(draw: st.DrawFn, model: type[BaseModel]) -> Table:
    """A table with some of the model's columns, in any order, now and then an extra
    one, and rows of cells people write in them."""
    wanted = columns(model)
    chosen = [c for c, required in wanted.items() if required or draw(st.booleans())]
    if draw(st.integers(0, 4)) == 0:
        chosen.append("remark")
    order = draw(st.permutations(chosen))
    row = st.tuples(*[cells(c) if c in KINDS else ANY_CELL for c in order])
    rows = draw(st.lists(row, min_size=1, max_size=5))
    return Table("t.csv", list(order), [(n, list(r)) for n, r in enumerate(rows, 2)])


def judged(model: type[BaseModel], table: Table, fast: bool) -> Any:
    problems: list[Problem] = []
    validator = Validator(table, model, problems, quick=fast)
    rows = [(number, exact(validator.row(number, cells))) for number, cells in table.rows]
    return rows, [str(problem) for problem in problems]


@pytest.mark.parametrize("name", list(NODE_TABLES), ids=list(NODE_TABLES))
@PROPERTY_TEST
@given(data=st.data())
def test_node_rows_read_as_cells_give_the_same_values_and_problems(
    name: str, data: st.DataObject
) -> None:
    model = NODE_TABLES[name]
    table = data.draw(cell_table(model))
    assert judged(model, table, fast=True) == judged(model, table, fast=False)


def test_a_reference_column_and_a_link_giving_one_relationship_are_a_duplicate(
    tmp_path: Path,
) -> None:
    files = {
        "sentra.csv": "id,name,status\nsentra-1,Sentra Logam,active\n",
        "activities.csv": "id,name,category,concerns\nact-1,Pelatihan,training,sentra-1\n",
        "links.csv": "from,type,to\nact-1,CONCERNS,sentra-1\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    problems = assert_same_with_and_without_the_shortcut([tmp_path])
    assert any("links.csv:2" in p and "duplicate relationship act-1 -[CONCERNS]-> sentra-1"
               in p and "activities.csv:2" in p for p in problems), problems

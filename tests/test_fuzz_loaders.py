"""Property-based tests of the loaders: whatever the cells hold, ``read_dataset`` returns a
graph or raises ``DatasetError`` (never another exception), every problem is one line that
names a file of the dataset, and text that is accepted is stored as written (composed, trimmed,
and names without invisible characters).
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import DatasetError, Problem
from kg.loaders import read_dataset
from kg.loaders.csv_table import MAX_CELL_CHARS, unguard
from kg.schema.graph import GraphData

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TRICKY = ["", " ", ",", ";", "|", '"', "'", "\n", "\r\n", "\r", "\t", "=", "+", "-", "@",
          "'=", "\ufeff", "\u2028", "\x85", "\\", "é", "🇮🇩", "R", "A/R", "x" * 50]
"""Fragments spreadsheets and people put in cells, mixed with arbitrary text."""

cells = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=8)), max_size=4).map("".join)
separators = st.sampled_from([",", ";"])
boms = st.booleans()
line_ends = st.sampled_from(["\n", "\r\n"])

HEADERS = {
    "actors.csv": ["id", "name", "kind", "level"],
    "sentra.csv": ["id", "name", "status", "kecamatan", "kiosks_total", "kiosks_occupied"],
    "activities.csv": ["id", "name", "category", "topic", "phase", "due", "concerns"],
    "funding.csv": ["funder", "target", "source_type", "amount_idr", "year"],
    "links.csv": ["from", "type", "to"],
    "responsibilities.csv": ["activity", "actor", "role"],
    "raci.csv": ["activity", "a-1", "Actor Two"],
    "regulations.csv": ["id", "name", "has_sanction"],
}


def to_csv(header: list[str], rows: list[list[str]], separator: str, bom: bool,
           line_end: str) -> bytes:
    """Write as spreadsheets do: quote a cell holding the separator, a quote, CR or LF.

    (``csv.writer`` leaves a lone CR unquoted when the line end is LF.)
    """

    def field(cell: str) -> str:
        if any(c in cell for c in (separator, '"', "\r", "\n")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    text = "".join(separator.join(map(field, row)) + line_end for row in [header, *rows])
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


@contextmanager
def dataset(files: dict[str, bytes]) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, content in files.items():
            (root / name).write_bytes(content)
        yield root


def outcome(root: Path) -> GraphData | list[Problem]:
    """The graph, or the problems; any other exception fails the test."""
    try:
        return read_dataset([root])
    except DatasetError as exc:
        assert exc.problems, "a DatasetError must carry at least one problem"
        return exc.problems


def assert_well_formed(problems: list[Problem], root: Path) -> None:
    for problem in problems:
        assert "\n" not in str(problem) and "\r" not in str(problem), problem
        assert problem.file.startswith(str(root)), problem


@FUZZ
@given(
    file=st.sampled_from(sorted(HEADERS)),
    extra=st.lists(cells, max_size=2),
    rows=st.lists(st.lists(cells, min_size=1, max_size=8), max_size=5),
    separator=separators, bom=boms, line_end=line_ends,
)
def test_any_cells_give_a_graph_or_dataset_error(
    file: str, extra: list[str], rows: list[list[str]], separator: str, bom: bool, line_end: str
) -> None:
    header = HEADERS[file] + extra  # extra columns: properties, or actors in raci.csv
    actors = to_csv(["id", "name", "kind"], [["a-1", "Actor One", "business"],
                                             ["a-2", "Actor Two", "community"]],
                    separator, bom, line_end)
    files = {"actors.csv": actors} if file != "actors.csv" else {}
    files[file] = to_csv(header, rows, separator, bom, line_end)
    with dataset(files) as root:
        result = outcome(root)
        if isinstance(result, list):
            assert_well_formed(result, root)


def expected_name(cell: str) -> str | None:
    """What ``name`` holds after loading ``cell``, or None when the cell must be refused:
    composed (NFC), trimmed, without invisible format characters (Unicode's Cf)."""
    cell = unicodedata.normalize("NFC", cell)
    if (len(cell) > MAX_CELL_CHARS or cell.lstrip().startswith("=")
            or re.search("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)", cell)):
        return None
    text = unguard(cell).strip()
    shown = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return unicodedata.normalize("NFC", shown).strip() or None


def expected_names(names: list[str]) -> list[str | None]:
    """``expected_name`` of each, and None for one that looks like an accepted name before
    it (equal once blanks are collapsed and case folded)."""
    seen: set[str] = set()
    expected = []
    for cell in names:
        name = expected_name(cell)
        key = None if name is None else unicodedata.normalize(
            "NFC", " ".join(name.split()).casefold())
        expected.append(None if key in seen else name)
        if key is not None:
            seen.add(key)
    return expected


@FUZZ
@given(names=st.lists(cells, min_size=1, max_size=6), separator=separators, bom=boms,
       line_end=line_ends)
def test_accepted_names_round_trip_and_refused_ones_are_named(
    names: list[str], separator: str, bom: bool, line_end: str
) -> None:
    rows = [[f"a-{i}", name, "business"] for i, name in enumerate(names)]
    content = to_csv(["id", "name", "kind"], rows, separator, bom, line_end)
    with dataset({"actors.csv": content}) as root:
        result = outcome(root)
        if "\x00" in "".join(names):
            assert isinstance(result, list)
            assert [p.message for p in result] == ["contains NUL bytes: not a text CSV file"]
            return
        expected = expected_names(names)
        refused = {i + 2 for i, name in enumerate(expected) if name is None}
        if isinstance(result, list):
            assert_well_formed(result, root)
            assert {(p.row, p.field) for p in result} == {(row, "name") for row in refused}
        else:
            assert not refused
            stored = {node.id: node.props["name"] for node in result.nodes}
            assert stored == {f"a-{i}": name for i, name in enumerate(expected)}


raci_cells = st.lists(st.sampled_from(["R", "A", "C", "I", "r", "a", "/", ",", ";", " ", "+",
                                       "&", "X", "Q", "1", "é", "\n"]), max_size=4).map("".join)


@FUZZ
@given(cell=raci_cells, separator=separators)
def test_raci_cells_give_their_letters_or_a_problem_naming_the_cell(
    cell: str, separator: str
) -> None:
    actors = to_csv(["id", "name", "kind"], [["a-1", "Actor One", "business"]], separator,
                    False, "\n")
    activities = to_csv(["id", "name", "category"], [["t-1", "Task", "training"]], separator,
                        False, "\n")
    raci = to_csv(["activity", "Actor One"], [["t-1", cell]], separator, False, "\n")
    files = {"actors.csv": actors, "activities.csv": activities, "raci.csv": raci}
    letters = {c for c in cell.upper() if not c.isspace() and c not in "/,;+&"}
    with dataset(files) as root:
        result = outcome(root)
        if letters <= set("RACI"):
            assert isinstance(result, GraphData), result
            roles = {rel.type.value[0] for rel in result.relationships}
            assert roles == letters
        else:
            assert isinstance(result, list)
            assert [(p.row, p.field) for p in result] == [(2, "Actor One")]
            assert "unknown RACI letter" in result[0].message


@FUZZ
@given(content=st.binary(max_size=300), file=st.sampled_from(["actors.csv", "raci.csv",
                                                             "links.csv"]))
def test_arbitrary_bytes_give_a_graph_or_dataset_error(content: bytes, file: str) -> None:
    with dataset({file: content}) as root:
        result = outcome(root)
        if isinstance(result, list):
            assert_well_formed(result, root)


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                         st.text(max_size=12), st.dates())
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=12,
)
yaml_documents = st.dictionaries(
    st.one_of(st.sampled_from(["name", "sources", "actors", "zones", "links", "funding",
                               "raci", "markets"]), st.text(max_size=6)),
    st.one_of(yaml_values, st.lists(st.dictionaries(
        st.sampled_from(["id", "name", "kind", "title", "from", "type", "to", "zone"]),
        yaml_values, max_size=4), max_size=3)),
    max_size=4,
)


@FUZZ
@given(document=yaml_documents)
def test_any_yaml_document_gives_a_graph_or_dataset_error(document: object) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    with dataset({"dataset.yaml": text.encode("utf-8")}) as root:
        result = outcome(root)
        if isinstance(result, list):
            assert_well_formed(result, root)


@FUZZ
@given(text=st.text(max_size=200))
def test_any_yaml_text_gives_a_graph_or_dataset_error(text: str) -> None:
    with dataset({"dataset.yaml": text.encode("utf-8", errors="surrogatepass")}) as root:
        result = outcome(root)
        if isinstance(result, list):
            assert_well_formed(result, root)

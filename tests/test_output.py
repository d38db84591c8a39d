"""The shared renderer: one report, every format."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from kg import queries
from kg.cli import cli
from kg.output import Section, render, render_report, table


class Visits:
    """A report of two sections: a drawing for the terminal, then a titled table."""

    def to_json(self) -> dict[str, Any]:
        return {"visits": [{"sentra": "s-logam", "count": 2}]}

    def table(self) -> tuple[Sequence[str], Sequence[Sequence[Any]]]:
        return ["sentra", "count"], [["s-logam", 2]]

    def sections(self) -> list[Section]:
        columns, rows = self.table()
        return [
            Section(notes=["KIW -> Pasar Johar"], text_only=True),
            Section(
                title="Visits", columns=columns, rows=rows, items=["one by bus"], notes=["2 visits"]
            ),
        ]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            "table",
            "KIW -> Pasar Johar\n\nVisits\nsentra   count\n-------  -----\n"
            "s-logam  2\n  - one by bus\n2 visits",
        ),
        (
            "markdown",
            "## Visits\n| sentra | count |\n| --- | --- |\n| s-logam | 2 |\n- one by bus\n2 visits",
        ),
        ("csv", "sentra,count\ns-logam,2"),
        (
            "json",
            '{\n  "visits": [\n    {\n      "sentra": "s-logam",\n      "count": 2\n    }\n  ]\n}',
        ),
    ],
    ids=["table", "markdown", "csv", "json"],
)
def test_a_report_renders_in_each_format(fmt: str, expected: str) -> None:
    assert render_report(Visits(), fmt) == expected


# -- tables that fit the terminal -----------------------------------------------------------

QUERIES = [
    [
        "sentra_low_occupancy",
        "sentra.low_occupancy",
        "Sentra whose kiosks are mostly empty: occupied over total below the threshold.",
    ],
    ["zone_sentra", "", "The sentra of each zone."],
]


def test_a_table_given_a_width_fits_in_it_and_wraps_long_text_at_blanks() -> None:
    text = render(["name", "check", "description"], QUERIES, "table", width=60)
    assert max(len(line) for line in text.splitlines()) <= 60
    assert text.splitlines()[:4] == [
        "name                  check                 description",
        "--------------------  --------------------  ----------------",
        "sentra_low_occupancy  sentra.low_occupancy  Sentra whose",
        "                                            kiosks are",
    ]


def test_ids_stay_whole_while_descriptions_wrap() -> None:
    text = render(["name", "check", "description"], QUERIES, "table", width=60)
    assert "sentra_low_occupancy  sentra.low_occupancy" in text
    assert text.splitlines()[-2:] == [
        "zone_sentra                                 The sentra of",
        "                                            each zone.",
    ]


def test_a_table_that_fits_is_as_without_a_width() -> None:
    rows = [["s-logam", 2]]
    assert render(["sentra", "count"], rows, "table", width=80) == render(
        ["sentra", "count"], rows, "table"
    )


def test_without_a_width_every_row_stays_on_one_line() -> None:
    text = render(["name", "check", "description"], QUERIES, "table")
    assert len(text.splitlines()) == 2 + len(QUERIES)


def test_a_word_longer_than_its_column_is_cut_across_lines() -> None:
    text = table(["id"], [["a" * 30]], width=20)
    assert text.splitlines() == ["id", "-" * 20, "a" * 20, "a" * 10]


def test_a_fitted_report_fits_every_table_it_holds() -> None:
    class Long(Visits):
        def sections(self) -> list[Section]:
            return [Section(columns=["name", "description"], rows=[["x", "word " * 40]])]

    assert max(len(line) for line in render_report(Long(), "table", 50).splitlines()) <= 50


def test_titles_items_and_notes_wrap_with_their_continuations_indented() -> None:
    class Prose(Visits):
        def sections(self) -> list[Section]:
            return [
                Section(
                    title="Sentra with low kiosk occupancy",
                    items=["Sentra IKM Logam: 44 of 74 kiosks occupied"],
                    notes=["  degree: number of distinct nodes"],
                )
            ]

    assert render_report(Prose(), "table", 24).splitlines() == [
        "Sentra with low kiosk",
        "  occupancy",
        "  - Sentra IKM Logam: 44",
        "    of 74 kiosks",
        "    occupied",
        "  degree: number of",
        "    distinct nodes",
    ]
    assert render_report(Prose(), "table").splitlines()[0] == "Sentra with low kiosk occupancy"


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_other_formats_ignore_the_width(fmt: str) -> None:
    assert render(["name", "check", "description"], QUERIES, fmt, width=30) == render(
        ["name", "check", "description"], QUERIES, fmt
    )


# -- the commands ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def semarang(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the bundled Semarang data."""
    path = tmp_path_factory.mktemp("semarang") / "store"
    result = CliRunner().invoke(cli, ["--store", str(path), "load"])
    assert result.exit_code == 0, result.output
    return path


def kg(store: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--store", str(store), *args], catch_exceptions=False)


def test_kg_raci_of_the_bundled_data_fits_in_120_columns(semarang: Path) -> None:
    result = kg(semarang, "raci", "--width", "120")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 120
    assert lines[0].split() == ["activity", "1", "2", "3", "4", "5", "6"]
    assert "1  Dinas Perindustrian Kota Semarang (Disperin) (actor-disperin)" in lines


def test_kg_raci_piped_heads_columns_with_names_on_one_line_each(semarang: Path) -> None:
    result = kg(semarang, "raci")
    lines = result.output.splitlines()
    assert "Dinas Perindustrian Kota Semarang (Disperin)" in lines[0]
    assert len(lines) == 2 + 14  # header, rule, one line per activity; no legend


@pytest.mark.parametrize(
    "command",
    [
        ["queries"],
        ["queries", "--all"],
        ["schema"],
        ["match"],
        ["chain", "com-kedelai"],
        ["audit"],
        ["analyze"],
    ],
    ids=["queries", "queries-all", "schema", "match", "chain", "audit", "analyze"],
)
def test_wide_tables_fit_a_forced_width(semarang: Path, command: list[str]) -> None:
    result = kg(semarang, *command, "--width", "100")
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 100


def test_wide_shows_every_cell_whole_as_piped_output_does(semarang: Path) -> None:
    piped = kg(semarang, "queries").output
    assert kg(semarang, "queries", "--width", "60", "--wide").output == piped
    assert len(piped.splitlines()) == 2 + len(queries.query_table()[1])

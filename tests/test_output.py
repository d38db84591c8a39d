"""The shared renderer: one report, every format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from kg.output import Section, render_report


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
            Section(title="Visits", columns=columns, rows=rows, items=["one by bus"],
                    notes=["2 visits"]),
        ]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("table", "KIW -> Pasar Johar\n\nVisits\nsentra   count\n-------  -----\n"
                  "s-logam  2\n  - one by bus\n2 visits"),
        ("markdown", "## Visits\n| sentra | count |\n| --- | --- |\n| s-logam | 2 |\n"
                     "- one by bus\n2 visits"),
        ("csv", "sentra,count\ns-logam,2"),
        ("json", '{\n  "visits": [\n    {\n      "sentra": "s-logam",\n      "count": 2\n'
                 "    }\n  ]\n}"),
    ],
    ids=["table", "markdown", "csv", "json"],
)
def test_a_report_renders_in_each_format(fmt: str, expected: str) -> None:
    assert render_report(Visits(), fmt) == expected


"""How the audit turns a check's rows into findings: messages worded when first read,
related nodes sorted, findings ordered; and how the embedded engine's replies are read.

A national audit makes half a million findings; their messages are worded only when
output reads them (``kg.audit.Finding``), and a check's rows already in order are not
sorted again. These tests hold that what is read is what eager wording and sorting gave.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from kg.audit import Finding, Wording, run_audit
from kg.store import QueryResult, Store, StoreConfig, open_store

COLUMNS = ["subject", "subject_name", "related", "related_names", "letters"]


class Rows:
    """A store whose every read answers the same rows (a check's, in the order given)."""

    engine = "rows"
    location = "rows"

    def __init__(self, columns: list[str], rows: list[list[Any]]) -> None:
        self.result = QueryResult(columns, rows)
        self.reads = 0

    def run(self, query: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        self.reads += 1
        return QueryResult(self.result.columns, [list(row) for row in self.result.rows])


def split_role(rows: list[list[Any]], lang: str = "en") -> list[Finding]:
    store: Any = Rows(COLUMNS, rows)
    (result,) = run_audit(store, ["activity.split_role"], lang=lang, as_of="2026-03-02")
    assert store.reads == 1
    return result.findings


def test_message_is_worded_when_read_with_values_related_and_numbers() -> None:
    wording = Wording("{subject_name}: {share:.0%} of {total:,} ({basis}); {related_list} "
                      "[{related_count}], {small}", {"rupiah": "rupiah (id)"}, "id")
    finding = Finding("s-1", None, ["a-1", "a-2"], ["Dinas", "a-2"], wording,
                      {"share": 0.8125, "total": 12345, "basis": "rupiah", "small": 7})
    assert finding.message == "s-1: 81% of 12.345 (rupiah (id)); Dinas, a-2 [2], 7"
    assert finding.message is finding.message  # worded once
    english = Finding("s-1", "Sentra", [], [], Wording(wording.template, {}, "en"),
                      {"share": 0.8125, "total": 12345, "basis": "rupiah", "small": 7})
    assert english.message == "Sentra: 81% of 12,345 (rupiah); - [0], 7"


def test_a_finding_given_its_message_as_text_keeps_it() -> None:
    finding = Finding("s-1", "Sentra", [], [], "as given")
    assert finding.message == "as given"
    assert finding.values == {}
    assert finding == Finding("s-1", "Sentra", [], [], "as given", {})
    assert finding != Finding("s-1", "Sentra", [], [], "other")
    assert "message='as given'" in repr(finding)


def test_findings_compare_by_their_worded_message() -> None:
    lazy = Finding("s-1", "Sentra", [], [], Wording("{subject_name} ({subject})", {}, "en"))
    assert lazy == Finding("s-1", "Sentra", [], [], "Sentra (s-1)")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_rows_of_one_subject_are_ordered_by_related(lang: str) -> None:
    findings = split_role([
        ["t-1", "Kegiatan 1", ["a-2"], ["Dua"], "CI"],
        ["t-1", "Kegiatan 1", ["a-1"], [None], "RC"],
        ["t-0", "Kegiatan 0", ["a-3"], ["Tiga"], "AI"],
    ], lang)
    assert [(f.subject, f.related, f.related_names) for f in findings] == [
        ("t-0", ["a-3"], ["Tiga"]), ("t-1", ["a-1"], ["a-1"]), ("t-1", ["a-2"], ["Dua"]),
    ]
    assert "a-1" in findings[1].message and "Kegiatan 1" in findings[1].message
    assert findings[1].values == {"letters": "RC"}


def test_rows_in_order_stay_in_order_and_related_nodes_are_sorted_by_id() -> None:
    findings = split_role([
        ["t-1", "Kegiatan 1", ["a-9", "a-1", "a-5"], ["Sembilan", None, "Lima"], "CI"],
        ["t-2", None, [], [], "RC"],
    ])
    assert [(f.subject, f.related, f.related_names) for f in findings] == [
        ("t-1", ["a-1", "a-5", "a-9"], ["a-1", "Lima", "Sembilan"]), ("t-2", [], []),
    ]
    assert findings[0].message.startswith("a-1, Lima, Sembilan holds CI on 'Kegiatan 1'")
    assert findings[1].subject_name is None and "'t-2'" in findings[1].message


def test_related_ids_and_names_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="2 related ids but 1 names"):
        split_role([["t-1", "Kegiatan 1", ["a-1", "a-2"], ["Satu"], "CI"]])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(StoreConfig(path=tmp_path / "store"), write=True)
    try:
        yield opened
    finally:
        opened.close(commit=False)


def test_reply_values_are_read_as_plain_python_values(store: Store) -> None:
    result = store.run(
        "RETURN 'teks' AS text, 12 AS whole, 1.5 AS half, null AS nothing, true AS yes, "
        "false AS no, ['a', 'b'] AS texts, [1, 'a', null, [2.5, 'z', []], true] AS mixed, "
        "[] AS empty, {k: 'v', n: [1]} AS map"
    )
    assert result.rows == [[
        "teks", 12, 1.5, None, True, False, ["a", "b"], [1, "a", None, [2.5, "z", []], True],
        [], {"k": "v", "n": [1]},
    ]]
    assert [type(value) for value in result.rows[0][:6]] == [str, int, float, type(None),
                                                            bool, bool]

"""Indonesian everywhere: every report command words its text in Bahasa Indonesia under
``--lang id`` or ``KG_LANG=id``, and keeps JSON and CSV keys English for scripts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.catalogue import LANGUAGES, catalogue, column_names

from .conftest import Kg

ENGLISH = re.compile(
    r"\b(the|of|and|actors?|brokers?|components|isolated|coverage|findings?|errors?|"
    r"warnings?|checks?|name|kind|score|reason|stage|step|path|none|unknown|nobody|holds|"
    r"between|top|not|with|from|new|resolved|unchanged|added|removed|changed|partner|"
    r"supplier|buyer|funder|trainer|raw material|product|activity|activities|actor)\b",
    re.IGNORECASE,
)
"""Words that give away English text; ids (``actor-pemkot``, ``activity.no_responsible``)
are taken out before looking."""

IDENTIFIER = re.compile(r"[\w.]*[-.:_][\w.:-]*")

COMMANDS = {
    "audit": ["audit"],
    "audit markdown": ["audit", "--format", "markdown"],
    "analyze": ["analyze"],
    "analyze critical": ["analyze", "--critical"],
    "raci markdown": ["raci", "--format", "markdown"],
    "raci on a terminal": ["raci", "--width", "120"],
    "match": ["match"],
    "chain": ["chain", "com-bahan-logam"],
    "chain upstream": ["chain", "com-olahan-logam", "--up"],
    "stakeholders": ["stakeholders"],
    "whatif": ["whatif", "--without", "actor-pemkot"],
    "timeline": ["timeline", "--as-of", "2026-03-02"],
    "timeline markdown": ["timeline", "--as-of", "2026-03-02", "--format", "markdown"],
}


@pytest.fixture(scope="module")
def semarang(tmp_path_factory: pytest.TempPathFactory) -> Kg:
    kg = Kg(tmp_path_factory.mktemp("language") / "store")
    assert kg("load").exit_code == 0
    return kg


def english_words(text: str) -> list[str]:
    return ENGLISH.findall(IDENTIFIER.sub(" ", text))


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_under_lang_id_a_command_words_nothing_in_english(semarang: Kg, args: list[str]) -> None:
    result = semarang(*args, "--lang", "id")
    assert result.exit_code in (0, 1), result.output
    assert english_words(result.stdout) == []


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_kg_lang_sets_the_language_and_lang_wins(semarang: Kg, args: list[str]) -> None:
    by_option = semarang(*args, "--lang", "id").stdout
    assert semarang(*args, env={"KG_LANG": "id"}).stdout == by_option
    english = semarang(*args, "--lang", "en", env={"KG_LANG": "id"}).stdout
    assert english != by_option
    assert english_words(english)


def test_the_probe_finds_english_in_the_english_output(semarang: Kg) -> None:
    assert {"name", "kind"} <= {word.lower() for word in english_words(
        semarang("analyze", "--lang", "en").stdout)}


def test_json_keeps_its_keys_in_english_under_lang_id(semarang: Kg) -> None:
    english = json.loads(semarang("match", "--format", "json").stdout)
    indonesian = json.loads(semarang("match", "--format", "json", "--lang", "id").stdout)
    assert english == indonesian
    assert {"sentra", "kind", "partner", "reason"} <= set(english[0])


def test_csv_keeps_the_chart_loadable_under_lang_id(semarang: Kg) -> None:
    header = semarang("raci", "--format", "csv", "--lang", "id").stdout.splitlines()[0]
    assert header.startswith("activity,")


def test_both_catalogues_name_the_same_columns() -> None:
    columns = [set(catalogue(lang)["columns"]) for lang in LANGUAGES]
    assert all(names == columns[0] for names in columns)


def test_a_column_without_a_name_keeps_its_own() -> None:
    assert column_names(["name", "kiosksTotal"], "id") == ["nama", "kiosksTotal"]


@pytest.mark.parametrize(
    "args",
    [["viz", "--highlight-gaps", "--sentra", "logam"], ["viz", "--view", "raci"],
     ["report", "--sentra", "logam"]],
    ids=["viz network", "viz raci", "report"],
)
def test_what_a_command_says_it_wrote_is_in_indonesian_too(
    semarang: Kg, args: list[str], tmp_path: Path
) -> None:
    result = semarang(*args, "-o", str(tmp_path / "out.html"), "--lang", "id")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Menulis ")
    assert english_words(result.stdout.replace(str(tmp_path), "")) == []

"""Hostile text: control characters are refused on load and never reach a terminal from a
store; names are composed (NFC) and stripped of invisible characters, and two names of one
table that look alike are refused naming both rows."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import openpyxl
import pexpect
import pytest

from kg.output import printable

from .conftest import Kg

ACTORS = "id,name,kind\na-1,Dinas Perindustrian,government\n"

CONTROLS = {
    "osc-0-window-title": ("\x1b]0;owned\x07", "U+001B"),
    "osc-52-clipboard": ("\x1b]52;c;Y3VybCBldmlsfHNo\x07", "U+001B"),
    "csi-colour": ("\x1b[31mred", "U+001B"),
    "carriage-return": ("Dinas\rEvil", "U+000D"),
    "backspace": ("Dinas\x08\x08Evil", "U+0008"),
    "bell": ("Dinas\x07", "U+0007"),
    "delete": ("Dinas\x7f", "U+007F"),
    "c1-csi": ("Dinas\x9b31m", "U+009B"),
    "c1-next-line": ("Dinas\x85", "U+0085"),
}


def control_message(code: str) -> str:
    return f"contains the control character {code}, which a terminal would obey rather " \
           "than show; remove it"


def workbook(path: Path, title: str, rows: list[list[str]]) -> Path:
    """A workbook of one sheet, ``title``, holding ``rows``."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.mark.parametrize(("text", "code"), CONTROLS.values(), ids=list(CONTROLS))
def test_a_control_character_in_a_name_is_refused_by_its_code(kg: Kg, tmp_path: Path,
                                                              text: str, code: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    quoted = '"' + text.replace('"', '""') + '"'
    (data / "actors.csv").write_text(ACTORS + f"a-2,{quoted},business\n", encoding="utf-8")
    result = kg("load", str(data))
    assert result.exit_code == 2
    assert f"{data / 'actors.csv'}:3: name: {control_message(code)}" in result.output
    assert not (kg.store / "graph.rdb").exists()


def test_a_control_character_is_refused_in_every_table_format(kg: Kg, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "actors.csv").write_text("id,name,kind,note\na-1,Dinas,government,\x1b[2J\n",
                                      encoding="utf-8")
    # XML holds no C0 control: a workbook can hold a C1 one.
    book = workbook(tmp_path / "book.xlsx", "aktor",
                    [["id", "name", "kind"], ["a-1", "Dinas\x9b31m", "government"]])
    document = tmp_path / "data.yaml"
    document.write_text('actors:\n  - {id: a-1, name: "Dinas\\e[31m", kind: government}\n',
                        encoding="utf-8")
    for path, where, code in [(extra, f"{extra / 'actors.csv'}:2: note", "U+001B"),
                              (book, f"{book}[aktor]!B2: name", "U+009B"),
                              (document, f"{document}#actors:1: name", "U+001B")]:
        result = kg("load", str(path))
        assert result.exit_code == 2, result.output
        assert f"{where}: {control_message(code)}" in result.output


def test_tabs_and_line_breaks_are_kept(kg: Kg, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "actors.csv").write_text(ACTORS + 'a-2,"Koperasi\tMaju\nBersama\r\nJaya",business\n',
                                     encoding="utf-8")
    assert kg("load", str(data)).exit_code == 0
    result = kg("cypher", "MATCH (a:Actor {id: 'a-2'}) RETURN a.name AS name", "--format", "json")
    assert '"name": "Koperasi\\tMaju\\nBersama\\r\\nJaya"' in result.output


def terminal(store: Path, *args: str) -> str:
    """What ``kg --store STORE ARGS`` prints on a terminal (a pseudo-terminal), as text."""
    child = pexpect.spawn(sys.executable, ["-m", "kg", "--store", str(store), *args],
                          env={**os.environ, "COLUMNS": "200", "KG_LANG": "en"},
                          encoding="utf-8", codec_errors="strict", timeout=120)
    output = child.read()
    child.close()
    assert child.exitstatus in (0, 1), output
    return output


HOSTILE_NAME = "Dinas\x1b]0;owned\x07 \x1b]52;c;ZXZpbA==\x07\x1b[31mX\rY\x08\x9b1m\u202eZ"


def test_a_name_already_in_a_store_reaches_a_terminal_escaped(tiny_kg: Kg) -> None:
    written = tiny_kg("cypher", "--write", "CREATE (:Actor {id: 'a-evil', name: $name, "
                      "kind: 'business'})", "-p", f"name={HOSTILE_NAME}")
    assert written.exit_code == 0, written.output
    shown = printable(HOSTILE_NAME)
    assert shown == ("Dinas\\x1b]0;owned\\x07 \\x1b]52;c;ZXZpbA==\\x07\\x1b[31mX\\x0dY\\x08"
                     "\\x9b1m\\u202eZ")
    for args in [("cypher", "MATCH (a:Actor {id: 'a-evil'}) RETURN a.name AS name"),
                 ("audit", "--check", "actor.unmapped", "--wide"),
                 ("query", "node_properties", "-p", "id=a-evil")]:
        output = terminal(tiny_kg.store, *args)
        # node_properties shows the properties as JSON, which writes C0 controls as \u001b
        assert shown in output or args[0] == "query", (args, output)
        raw = output.replace("\r\n", "\n")
        for control in "\x1b\x07\x08\x9b\u202e\r":
            assert control not in raw, (args, repr(control))


LOOK_ALIKES = {
    "nfc-and-nfd": ("Perajin Tahu Caf\u00e9", "Perajin Tahu Cafe\u0301"),
    "zero-width-space": ("Dinas Koperasi", "Dinas\u200b Koperasi"),
    "bidi-isolates": ("Dinas Koperasi", "\u2066Dinas Koperasi\u2069"),
    "case-and-spacing": ("Dinas Koperasi", "DINAS  koperasi"),
}


@pytest.mark.parametrize(("first", "second"), LOOK_ALIKES.values(), ids=list(LOOK_ALIKES))
def test_two_names_that_look_alike_are_refused_naming_both_rows(
    kg: Kg, tmp_path: Path, first: str, second: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    actors = data / "actors.csv"
    actors.write_text(f"id,name,kind\na-1,{first},government\na-2,{second},government\n",
                      encoding="utf-8")
    result = kg("load", str(data))
    assert result.exit_code == 2
    assert "Error: 1 problem in the dataset" in result.output
    assert f"{actors}:3: name: " in result.output
    assert f", the name at {actors}:2 (the same once case, spacing, Unicode forms and " \
           "invisible characters are set aside); rename one, or if they are different " \
           "things of one name, state it in dataset.yaml: distinct_names: [actors]" \
           in result.output


def test_names_stated_distinct_may_look_alike(kg: Kg, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "actors.csv").write_text(
        "id,name,kind\na-1,Perajin Tahu Caf\u00e9,business\na-2,Perajin Tahu Cafe\u0301,business\n",
        encoding="utf-8")
    (data / "dataset.yaml").write_text("distinct_names: [actors]\n", encoding="utf-8")
    assert kg("load", str(data)).exit_code == 0
    result = kg("cypher", "MATCH (a:Actor) RETURN a.name AS name ORDER BY a.id",
                "--format", "csv")
    assert result.output == "name\nPerajin Tahu Caf\u00e9\nPerajin Tahu Caf\u00e9\n"


def test_a_statement_naming_no_node_table_is_refused(kg: Kg, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (data / "dataset.yaml").write_text("distinct_names: [aktors]\n", encoding="utf-8")
    result = kg("load", str(data))
    assert result.exit_code == 2
    assert f"{data / 'dataset.yaml'}: distinct_names: expected a list of node tables, of " \
           "zones, kecamatan, commodities, sentra, actors, markets, regulations, activities" \
           in result.output


def test_names_are_stored_composed_and_without_invisible_characters(kg: Kg,
                                                                    tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "actors.csv").write_text(
        "id,name,kind\na-1,Perajin Tahu Cafe\u0301,business\n"
        "a-2,\u202eDinas\u200b Koperasi\u00ad,government\n", encoding="utf-8")
    (data / "raci.csv").write_text("activity,Dinas Koperasi\nt-1,A/R\n", encoding="utf-8")
    (data / "activities.csv").write_text("id,name,category\nt-1,Pelatihan,training\n",
                                         encoding="utf-8")
    assert kg("load", str(data)).exit_code == 0
    result = kg("cypher", "MATCH (a:Actor) RETURN a.name AS name ORDER BY a.id",
                "--format", "csv")
    assert result.output == "name\nPerajin Tahu Caf\u00e9\nDinas Koperasi\n"


@pytest.mark.parametrize("name", ["\u200b", "\u202e\u200b\u2066", "\ufeff \u200d"],
                         ids=["zero-width-space", "override-space-isolate", "bom-and-joiner"])
def test_a_name_of_invisible_characters_only_is_refused(kg: Kg, tmp_path: Path,
                                                        name: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "actors.csv").write_text(ACTORS + f"a-2,{name},business\n", encoding="utf-8")
    result = kg("load", str(data))
    assert result.exit_code == 2
    codes = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in name.strip()))
    assert f"{data / 'actors.csv'}:3: name: holds only invisible characters ({codes}): " \
           "not a name" in result.output


def test_a_workbook_states_distinct_names_in_a_yaml_file_loaded_with_it(
    kg: Kg, tmp_path: Path
) -> None:
    book = workbook(tmp_path / "book.xlsx", "kegiatan", [
        ["id", "name", "category"], ["t-1", "Rapat koordinasi", "coordination"],
        ["t-2", "Rapat Koordinasi", "coordination"]])
    refused = kg("load", str(book))
    assert refused.exit_code == 2
    assert f"{book}[kegiatan]!B3: name: 'Rapat Koordinasi' looks like 'Rapat koordinasi', " \
           f"the name at {book}[kegiatan]!A2" in refused.output
    statement = tmp_path / "dataset.yaml"
    statement.write_text("distinct_names: [activities]\n", encoding="utf-8")
    assert kg("load", str(book), str(statement)).exit_code == 0

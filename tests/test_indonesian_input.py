"""Indonesian all the way in: a dataset named in Indonesian (files, sheets, headers, values)
loads to the same graph as its English twin, a table saved alone as CSV loads, and every
command run under ``--lang id`` or ``KG_LANG=id`` on bad input says what is wrong in
Indonesian, naming the file, row and column (or sheet and cell), exits 2 and leaves the
store as it was."""

from __future__ import annotations

import copy
import csv
import hashlib
import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result

from kg.loaders.csv_table import column_letter
from kg.schema.columns import TABLE_MODELS, own_columns
from kg.schema.model import ActorKind
from kg.schema.names import (
    COLUMN_WORDS,
    TABLE_WORDS,
    VALUE_SYNONYMS,
    VALUE_WORDS,
    english_value,
)
from kg.schema.tables import TABLE_NAMES

from .conftest import Kg
from .helpers import english_words, save
from .test_export_roundtrip import edges, graph_of

Tables = dict[str, list[list[str]]]

INDONESIAN: Tables = {
    "wilayah": [["id", "nama"], ["z-1", "Wilayah Satu"]],
    "kecamatan": [["id", "nama", "wilayah"], ["33.74.01", "Tugu", "z-1"]],
    "komoditas": [["id", "nama", "tahap"], ["c-kain", "Kain", "bahan_baku"],
                  ["c-batik", "Batik", "produk"]],
    "sentra": [["id", "nama", "status", "kecamatan", "jumlah_kios", "kios_terisi"],
               ["s-ligu", "Kampung Ligu", "aktif", "33.74.01", "10", "5"],
               ["s-malon", "Kampung Batik Malon", "tidak aktif", "33.74.01", "", ""]],
    "aktor": [["id", "nama", "jenis", "tingkat"],
              ["a-dinkop", "Dinas Koperasi", "pemerintah", "kota"],
              ["a-asosiasi", "Asosiasi Batik", "asosiasi", ""]],
    "pasar": [["id", "nama", "jenis"], ["m-daring", "Toko daring", "daring"]],
    "kegiatan": [["id", "nama", "kategori", "topik", "tenggat", "menyangkut"],
                 ["k-latih", "Pelatihan pemasaran", "pelatihan", "pemasaran", "Des 2025",
                  "s-ligu"]],
    "tautan": [["dari", "jenis", "ke"], ["s-ligu", "PRODUCES", "c-batik"],
               ["c-kain", "SUPPLIES", "c-batik"], ["c-batik", "SOLD_IN", "m-daring"]],
    "pendanaan": [["pemberi_dana", "penerima", "asal_anggaran", "jumlah_rupiah", "tahun"],
                  ["a-dinkop", "s-ligu", "HIBAH", "Rp 1.500.000", "2024"]],
    "tanggung_jawab": [["kegiatan", "aktor", "peran"], ["k-latih", "a-dinkop", "A"],
                       ["k-latih", "Asosiasi Batik", "R"]],
}
"""A small dataset as an Indonesian office writes it."""

ENGLISH: Tables = {
    "zones": [["id", "name"], ["z-1", "Wilayah Satu"]],
    "kecamatan": [["id", "name", "zone"], ["33.74.01", "Tugu", "z-1"]],
    "commodities": [["id", "name", "stage"], ["c-kain", "Kain", "raw"],
                    ["c-batik", "Batik", "product"]],
    "sentra": [["id", "name", "status", "kecamatan", "kiosks_total", "kiosks_occupied"],
               ["s-ligu", "Kampung Ligu", "active", "33.74.01", "10", "5"],
               ["s-malon", "Kampung Batik Malon", "inactive", "33.74.01", "", ""]],
    "actors": [["id", "name", "kind", "level"],
               ["a-dinkop", "Dinas Koperasi", "government", "city"],
               ["a-asosiasi", "Asosiasi Batik", "association", ""]],
    "markets": [["id", "name", "kind"], ["m-daring", "Toko daring", "online"]],
    "activities": [["id", "name", "category", "topic", "due", "concerns"],
                   ["k-latih", "Pelatihan pemasaran", "training", "marketing", "2025-12-31",
                    "s-ligu"]],
    "links": [["from", "type", "to"], ["s-ligu", "PRODUCES", "c-batik"],
              ["c-kain", "SUPPLIES", "c-batik"], ["c-batik", "SOLD_IN", "m-daring"]],
    "funding": [["funder", "target", "source_type", "amount_idr", "year"],
                ["a-dinkop", "s-ligu", "GRANT", "1500000", "2024"]],
    "responsibilities": [["activity", "actor", "role"], ["k-latih", "a-dinkop", "A"],
                         ["k-latih", "Asosiasi Batik", "R"]],
}
"""The same dataset in English."""

def write_csv(folder: Path, tables: Tables) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as file:
            csv.writer(file).writerows(rows)
    return folder


def fingerprint(kg: Kg) -> tuple[str, str]:
    stats = kg("stats", "--format", "json")
    assert stats.exit_code == 0, stats.output
    return stats.output, hashlib.sha256((kg.store / "graph.rdb").read_bytes()).hexdigest()


def problems(result: Result) -> list[str]:
    return [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]


# --- the table of names ----------------------------------------------------------------


def test_every_table_column_and_value_has_one_indonesian_name() -> None:
    assert set(TABLE_NAMES) <= set(TABLE_WORDS)
    for table in TABLE_MODELS:
        own = own_columns(table)
        assert set(own) <= set(COLUMN_WORDS), table
        words = [COLUMN_WORDS[column] for column in own]
        assert len(set(words)) == len(words), f"two columns of {table} share a name"
    for kind in (ActorKind,):
        assert [english_value(kind, VALUE_WORDS[kind.__name__][v]) for v in kind] == list(kind)
    for name, words in VALUE_WORDS.items():
        assert len(set(words.values())) == len(words), name
        assert all(re.fullmatch(r"[A-Za-z_]+", word) for word in words.values()), name
    for name, synonyms in VALUE_SYNONYMS.items():
        assert set(synonyms.values()) <= set(VALUE_WORDS[name]), name
        assert not set(synonyms) & {*VALUE_WORDS[name].values(), *VALUE_WORDS[name]}, name


# --- the same graph in either language -------------------------------------------------


def test_an_indonesian_dataset_loads_to_the_same_graph_as_its_english_twin(
    tmp_path: Path,
) -> None:
    indonesian, english = Kg(tmp_path / "id"), Kg(tmp_path / "en")
    assert indonesian("load", str(write_csv(tmp_path / "data-id", INDONESIAN))).exit_code == 0
    assert english("load", str(write_csv(tmp_path / "data-en", ENGLISH))).exit_code == 0
    a, b = graph_of(indonesian.store), graph_of(english.store)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert edges(a) == edges(b)
    assert a.nodes["a-asosiasi"]["kind"] == "association"  # stored in English


def fill_template(kg: Kg, path: Path, lang: str, tables: Tables) -> Path:
    """``kg template --lang LANG`` filled in as a person would: each value under the header
    the template wrote (a header the template lacks fails the test)."""
    assert kg("template", "--lang", lang, "-o", str(path)).exit_code == 0
    book = openpyxl.load_workbook(path)
    for name, (header, *rows) in tables.items():
        sheet = book[name]
        written = [cell.value for cell in sheet[1]]
        for number, row in enumerate(rows, start=2):
            for column, value in zip(header, row, strict=True):
                sheet.cell(number, written.index(column) + 1, value)
    book.save(path)
    return path


def test_an_indonesian_template_filled_in_indonesian_loads_as_its_english_twin(
    tmp_path: Path,
) -> None:
    indonesian, english = Kg(tmp_path / "id"), Kg(tmp_path / "en")
    book_id = fill_template(indonesian, tmp_path / "templat.xlsx", "id", INDONESIAN)
    book_en = fill_template(english, tmp_path / "template.xlsx", "en", ENGLISH)
    assert [c.value for c in openpyxl.load_workbook(book_id)["aktor"][1]][:3] == [
        "id", "nama", "sumber"]
    loaded = indonesian("load", str(book_id), "--lang", "id")
    assert loaded.exit_code == 0, loaded.output
    assert english("load", str(book_en)).exit_code == 0
    a, b = graph_of(indonesian.store), graph_of(english.store)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert edges(a) == edges(b)


def test_the_indonesian_template_offers_indonesian_values(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("template", "--lang", "id", "-o", str(tmp_path / "t.xlsx")).exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    lists = {str(v.sqref).split(":")[0]: v.formula1
             for v in book["aktor"].data_validations.dataValidation}
    assert lists["D2"].startswith('"pemerintah,legislatif,penelitian,asosiasi,')
    assert "jenis: Jenis aktor (wajib)." in book["aktor"]["D1"].comment.text


def test_an_indonesian_xlsx_export_loads_to_the_same_graph(tmp_path: Path) -> None:
    first = Kg(tmp_path / "first")
    assert first("load", str(write_csv(tmp_path / "data", ENGLISH))).exit_code == 0
    exported = first("export", "--format", "xlsx", "--lang", "id", "-o", str(tmp_path / "e.xlsx"))
    assert exported.exit_code == 0, exported.output
    assert "Menulis" in exported.output
    book = openpyxl.load_workbook(tmp_path / "e.xlsx")
    header = [cell.value for cell in book["aktor"][1]]
    assert "jenis" in header and "asosiasi" in [c.value for c in book["aktor"]["D"]]
    second = Kg(tmp_path / "second")
    assert second("load", str(tmp_path / "e.xlsx")).exit_code == 0
    a, b = graph_of(first.store), graph_of(second.store)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert edges(a) == edges(b)


# --- a table saved alone as CSV --------------------------------------------------------


def test_a_table_saved_alone_as_csv_loads_by_its_indonesian_name(tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "data", {"AKTOR": INDONESIAN["aktor"]})
    kg = Kg(tmp_path / "store")
    loaded = kg("load", str(folder / "AKTOR.csv"))
    assert loaded.exit_code == 0, loaded.output
    assert ": 2 nodes, 0 relationships" in loaded.output
    more = write_csv(tmp_path / "more", {"sentra": INDONESIAN["sentra"][:2],
                                         "kecamatan": INDONESIAN["kecamatan"],
                                         "wilayah": INDONESIAN["wilayah"]})
    both = Kg(tmp_path / "both")("load", str(folder / "AKTOR.csv"), *(
        str(more / f"{t}.csv") for t in ("sentra", "kecamatan", "wilayah")))
    assert both.exit_code == 0, both.output
    assert ": 5 nodes, 2 relationships" in both.output


def cited(tmp_path: Path) -> Path:
    rows = [["id", "nama", "jenis", "sumber"]] + [
        [f"a-{n}", f"Aktor {n}", "pemerintah", "src-rapat" if n % 2 else "src-perda|src-rapat"]
        for n in range(20)]
    return write_csv(tmp_path / "cited", {"aktor": rows}) / "aktor.csv"


def test_rows_citing_an_undeclared_source_make_one_problem_per_source(tmp_path: Path) -> None:
    result = Kg(tmp_path / "store")("load", str(cited(tmp_path)))
    assert result.exit_code == 2
    found = problems(result)
    assert len(found) == 2, found
    (perda,) = [p for p in found if "'src-perda'" in p]
    assert perda.startswith(f"{tmp_path / 'cited' / 'aktor.csv'}:2: sources: unknown source "
                            "'src-perda', cited at ")
    assert "rows 2, 4, 6, 8, 10, 12, 14, 16, 18, 20;" in perda


def test_sources_optional_loads_and_warns_once(tmp_path: Path) -> None:
    result = Kg(tmp_path / "store")("load", str(cited(tmp_path)), "--sources-optional",
                                    "--lang", "id")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Peringatan")]
    assert warnings == ["Peringatan: 30 baris merujuk 2 sumber yang tidak dicantumkan dataset "
                        "(src-perda, src-rapat); dimuat dengan rujukan itu apa adanya "
                        "(--sources-optional)"]


# --- bad input, in Indonesian ----------------------------------------------------------


def _wrong_enum(tables: Tables) -> None:
    tables["aktor"][1][2] = "pemkot"


def _bad_number(tables: Tables) -> None:
    tables["sentra"][1][4] = "sepuluh"


def _bad_date(tables: Tables) -> None:
    tables["kegiatan"][1][4] = "kemarin"


def _missing_column(tables: Tables) -> None:
    tables["aktor"] = [row[:2] + row[3:] for row in tables["aktor"]]


def _unknown_reference(tables: Tables) -> None:
    tables["pendanaan"][1][1] = "s-lama"


def _duplicate_id(tables: Tables) -> None:
    tables["aktor"].append(["a-dinkop", "Dinas Lain", "pemerintah", "kota"])


DEFECTS = {
    "wrong-enum": (_wrong_enum, "aktor", 2, "jenis", "'pemkot' bukan salah satu pilihan: "
                   "pemerintah, legislatif,"),
    "bad-number": (_bad_number, "sentra", 2, "jumlah_kios", "bukan bilangan bulat: 'sepuluh'"),
    "bad-date": (_bad_date, "kegiatan", 2, "tenggat", "bukan tanggal: 'kemarin'; tulis"),
    "missing-column": (_missing_column, "aktor", 1, "jenis", "kolom ini tidak ada"),
    "unknown-reference": (_unknown_reference, "pendanaan", 2, "penerima",
                          "Sentra 's-lama' tidak dikenal"),
    "duplicate-id": (_duplicate_id, "aktor", 4, "id", "id 'a-dinkop' ganda: sudah dipakai di "),
}
"""Each defect: how it breaks the Indonesian dataset, the table, row and column where it
is reported, and the start of what is said there."""


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Kg, tuple[str, str], Path]:
    """A store holding the Indonesian dataset, its fingerprint, and a place for files."""
    where = tmp_path_factory.mktemp("indonesian-input")
    kg = Kg(where / "store")
    result = kg("load", str(write_csv(where / "good", INDONESIAN)))
    assert result.exit_code == 0, result.output
    return kg, fingerprint(kg), where


@pytest.mark.parametrize("form", ["csv", "xlsx"])
@pytest.mark.parametrize("defect", DEFECTS, ids=list(DEFECTS))
def test_bad_input_is_refused_in_indonesian_naming_where_and_changes_nothing(
    loaded: tuple[Kg, tuple[str, str], Path], defect: str, form: str
) -> None:
    kg, before, where = loaded
    breaks, table, row, column, said = DEFECTS[defect]
    tables = copy.deepcopy(INDONESIAN)
    breaks(tables)
    if form == "csv":
        path = write_csv(where / f"{defect}-csv", tables)
        result = kg("load", "--replace", str(path), "--lang", "id")
        place = f"{path / table}.csv:{row}"
    else:
        path = where / f"{defect}.xlsx"
        save(path, tables)
        result = kg("load", "--replace", str(path), env={"KG_LANG": "id"})
        header = tables[table][0]
        cell = f"{column_letter(header.index(column))}{row}" if column in header else f"{row}:{row}"
        place = f"{path}[{table}]!{cell}"
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert re.match(r"Kesalahan: \d+ masalah dalam dataset; tidak ada yang ditulis:\n",
                    result.stderr)
    assert [p for p in problems(result) if p.startswith(f"{place}: {column}: {said}")], \
        result.stderr
    assert english_words(result.stderr, where) == []
    assert fingerprint(kg) == before


NAMED = {
    "raci": (["raci", "--sentra", "Ligoo"], "'Kampung Ligu' (s-ligu)"),
    "match": (["match", "--sentra", "kampong batik"], "'Kampung Batik Malon' (s-malon)"),
    "chain": (["chain", "Batk"], "'Batik' (c-batik)"),
    "query": (["query", "sentra_actors", "-p", "sentra=Ligoo"], "'Kampung Ligu' (s-ligu)"),
    "viz": (["viz", "--around", "Koprasi", "-o", "x.html"], "'Dinas Koperasi' (a-dinkop)"),
}
"""A command given a misspelt name, and the suggestion it must make."""


@pytest.mark.parametrize("name", NAMED, ids=list(NAMED))
def test_a_misspelt_name_gets_its_suggestion_in_indonesian(
    loaded: tuple[Kg, tuple[str, str], Path], name: str
) -> None:
    kg, before, where = loaded
    args, suggestion = NAMED[name]
    result = kg(*args, env={"KG_LANG": "id"})
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Kesalahan: tidak ada "), result.stderr
    assert f"mungkin maksudnya {suggestion}" in result.stderr
    assert english_words(result.stderr, where) == []
    assert fingerprint(kg) == before


def test_a_misspelt_name_gets_its_suggestion_in_english(
    loaded: tuple[Kg, tuple[str, str], Path],
) -> None:
    result = loaded[0]("raci", "--sentra", "Ligoo")
    assert result.exit_code == 2
    assert result.stderr == ("Error: no Sentra with the id or name 'Ligoo'; did you mean "
                             "'Kampung Ligu' (s-ligu)?\n")


def test_a_usage_error_is_worded_in_indonesian(loaded: tuple[Kg, tuple[str, str], Path]) -> None:
    kg, before, _ = loaded
    result = kg("load", "--merge", "--replace", "--lang", "id")
    assert result.exit_code == 2
    # (the runner calls the program "cli"; installed, it is "kg")
    assert result.stderr == ("Kesalahan: --merge dan --replace tidak dapat dipakai bersama\n"
                             "Coba 'cli load -h' untuk bantuan.\n")
    assert fingerprint(kg) == before


def test_the_english_word_probe_finds_english(tmp_path: Path) -> None:
    result = Kg(tmp_path / "store")("load", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert english_words(result.stderr, tmp_path)


def test_a_description_line_starting_with_a_word_and_a_colon_is_kept_whole() -> None:
    from kg import queries

    assert "on any activity: a key stakeholder left out" in queries.get(
        "actor_key_not_engaged").description


def test_docs_list_every_indonesian_name() -> None:
    page = (Path(__file__).parents[1] / "docs" / "indonesian.md").read_text(encoding="utf-8")
    for table in TABLE_NAMES:
        assert f"| `{table}` | `{TABLE_WORDS[table]}` |" in page
    for table in TABLE_MODELS:
        for column in own_columns(table):
            assert f"| `{table}` | `{column}` | `{COLUMN_WORDS[column]}` |" in page
    for kind, words in VALUE_WORDS.items():
        for value, word in words.items():
            assert f"| {kind} | `{value}` | `{word}` |" in page
    for kind, synonyms in VALUE_SYNONYMS.items():
        for word, value in synonyms.items():
            assert f"`{word}` for `{value}` ({kind})" in page


def test_tab_offers_the_close_name_for_a_misspelt_word() -> None:
    from kg.cli.shell import Completions

    nodes = [("s-ligu", "Sentra", "Kampung Ligu"), ("s-malon", "Sentra", "Kampung Batik Malon")]
    assert Completions(lambda: nodes)(":raci ligoo") == [("'Kampung Ligu'", -5, "Sentra")]


def test_a_yaml_file_names_its_tables_in_indonesian_too(tmp_path: Path) -> None:
    (tmp_path / "data.yaml").write_text(
        "name: kecil\naktor:\n  - {id: a-1, nama: Dinas Koperasi, jenis: pemerintah}\n"
        "sumber:\n  - {id: src-1, judul: Rapat}\n", encoding="utf-8")
    result = Kg(tmp_path / "store")("load", str(tmp_path / "data.yaml"))
    assert result.exit_code == 0, result.output
    assert ": 2 nodes, 0 relationships" in result.output


CLICK_ERRORS = {
    "missing-option": (["template"], "Kesalahan: Opsi '-o' / '--output' belum diberikan."),
    "missing-argument": (["chain"], "Kesalahan: Argumen 'COMMODITY' belum diberikan."),
    "no-such-option": (["load", "--merg"], "Kesalahan: Tidak ada opsi '--merg'. Mungkin "
                       "maksudnya '--merge'?"),
    "not-a-choice": (["audit", "--format", "xyz"], "Kesalahan: Nilai '--format' tidak sah: "
                     "'xyz' bukan salah satu dari 'table', 'json', 'markdown', 'csv', 'xlsx'."),
    "no-such-command": (["bogus"], "Kesalahan: Tidak ada perintah 'bogus'."),
    "not-a-day": (["audit", "--as-of", "2026-13-01"], "Kesalahan: Nilai '--as-of' (variabel "
                  "lingkungan 'KG_AS_OF') tidak sah: '2026-13-01' tidak sesuai format "
                  "'%Y-%m-%d'."),
}


@pytest.mark.parametrize("case", CLICK_ERRORS, ids=list(CLICK_ERRORS))
def test_clicks_own_usage_errors_are_worded_in_indonesian(tmp_path: Path, case: str) -> None:
    args, said = CLICK_ERRORS[case]
    result = Kg(tmp_path / "store")(*args, env={"KG_LANG": "id"})
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == said
    assert english_words(result.stderr) == []


@pytest.mark.parametrize("args", [["load", "--merg", "--lang", "id"],
                                  ["load", "--lang=id", "--merg"]], ids=["after", "before"])
def test_a_usage_error_before_lang_is_read_is_worded_in_the_language_asked(
    tmp_path: Path, args: list[str]
) -> None:
    # click stops at --merg before it reads --lang; the command line still says which.
    result = Kg(tmp_path / "store")(*args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == CLICK_ERRORS["no-such-option"][1]
    in_english = [arg.replace("id", "en") if "lang" in arg or arg == "id" else arg
                  for arg in args]
    english = Kg(tmp_path / "store")(*in_english, env={"KG_LANG": "id"})
    assert english.exit_code == 2 and english.stderr.startswith("Usage:")


def test_load_and_stats_under_lang_id_name_kinds_labels_and_types_in_indonesian(
    loaded: tuple[Kg, tuple[str, str], Path],
) -> None:
    kg = loaded[0]
    shown = kg("stats", "--lang", "id")
    assert shown.exit_code == 0
    assert "simpul  Aktor" in shown.stdout and "relasi  memproduksi" in shown.stdout
    assert english_words(shown.stdout) == []
    assert '"kind": "node"' in kg("stats", "--format", "json", "--lang", "id").stdout

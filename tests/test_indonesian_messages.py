"""Indonesian all the way in, the rest of it: the store's errors (the engine, the lock, a
full disk, a store of another engine), the commands' own refusals, a broken YAML or CSV
file, and numbers, each run as a command under ``--lang id`` or ``KG_LANG=id``: the
Indonesian words appear and no English sentence is left. English stays as it was."""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path

import pytest

from kg.store import engine_process, warm
from kg.store.engine_process import Binaries
from kg.store.layout import StoreLayout

from .conftest import TINY, Kg
from .helpers import english_words, fill


def _error(result_text: str) -> str:
    """The one error line a command printed."""
    lines = result_text.splitlines()
    assert len(lines) == 1, result_text
    return lines[0]


@pytest.fixture
def tiny(tmp_path: Path) -> Kg:
    kg = Kg(tmp_path / "store")
    assert kg("load", str(TINY)).exit_code == 0
    return kg


# --- the store --------------------------------------------------------------------------


def test_a_busy_store_is_said_in_indonesian(tiny: Kg, tmp_path: Path) -> None:
    holder = os.open(StoreLayout(tiny.store).lock_file, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)  # as a running load holds it
        result = tiny("--lock-timeout", "0.5", "load", "--replace", str(TINY), "--lang", "id")
    finally:
        os.close(holder)

    assert result.exit_code == 2
    assert result.stderr == (
        f"menunggu proses kg lain melepaskan {tiny.store} ...\n"
        f"Kesalahan: penyimpanan {tiny.store} sedang sibuk: proses kg lain sedang memakainya; "
        "sudah menunggu 0,5 detik (atur KG_LOCK_TIMEOUT untuk menunggu lebih lama)\n"
    )
    assert english_words(result.stderr, tmp_path) == []


def test_a_store_of_another_engine_is_refused_in_indonesian_naming_both_and_the_rebuild(
    tiny: Kg, tmp_path: Path
) -> None:
    graph = StoreLayout(tiny.store).graph_file
    graph.write_bytes(b"REDIS0099" + graph.read_bytes()[9:])

    result = tiny("stats", env={"KG_LANG": "id"})

    assert result.exit_code == 2
    line = _error(result.stderr)
    assert line.startswith(f"Kesalahan: tidak dapat membuka penyimpanan {tiny.store}: berkas "
                           "grafnya disimpan oleh versi lain mesin tertanam (format RDB versi "
                           "99, ditulis oleh redis ")
    package = engine_process.binaries().package
    assert f"mesin ini ({package}, redis " in line
    assert line.endswith(f"Penyimpanan dibangun ulang dari datasetnya: kg --store {tiny.store} "
                         "load --replace DATASET")
    assert english_words(line, tmp_path) == []


def test_the_warm_engine_of_a_store_of_another_engine_is_refused_in_indonesian_too(
    tiny: Kg, tmp_path: Path
) -> None:
    graph = StoreLayout(tiny.store).graph_file
    graph.write_bytes(b"REDIS0099" + graph.read_bytes()[9:])

    result = tiny("engine", "start", "--lang", "id")

    assert result.exit_code == 2
    line = _error(result.stderr)
    assert line.startswith("Kesalahan: mesin hangat berhenti saat menyala: tidak dapat membuka "
                           f"penyimpanan {tiny.store.resolve()}: berkas grafnya disimpan oleh ")
    assert line.endswith("load --replace DATASET")
    assert english_words(line, tmp_path) == []
    assert warm.find(tiny.store) is None


def test_an_engine_that_cannot_start_is_said_in_indonesian(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = engine_process.binaries()
    monkeypatch.setattr(engine_process, "binaries",
                        lambda: Binaries(str(tmp_path / "no-server"), real.module, real.package))

    result = Kg(tmp_path / "store")("load", str(TINY), "--lang", "id")

    assert result.exit_code == 2
    assert _error(result.stderr) == ("Kesalahan: tidak dapat menyalakan mesin tertanam: berkas "
                                     "atau direktori tidak ada")


def test_an_engine_that_stops_at_start_is_said_in_indonesian(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = engine_process.binaries()
    monkeypatch.setattr(engine_process, "binaries",
                        lambda: Binaries("/bin/false", real.module, real.package))

    result = Kg(tmp_path / "store")("load", str(TINY), "--lang", "id")

    assert result.exit_code == 2
    assert _error(result.stderr) == ("Kesalahan: mesin tertanam berhenti saat menyala: lognya "
                                     "tidak menyebut alasan")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_an_engine_that_never_answers_is_given_up_on_naming_the_end_of_its_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    # A server that writes one line to its log as the engine does, then never listens.
    server = tmp_path / "silent-server"
    server.write_text(
        "#!/bin/sh\n"
        'while [ "$1" != --logfile ]; do shift; done\n'
        'echo "4242:M 07 Dec 2026 21:00:00.000 # Loading the module took long" > "$2"\n'
        "exec sleep 60\n"
    )
    server.chmod(0o755)
    real = engine_process.binaries()
    monkeypatch.setattr(engine_process, "binaries",
                        lambda: Binaries(str(server), real.module, real.package))
    monkeypatch.setattr(engine_process, "START_TIMEOUT", 1.0)

    result = Kg(tmp_path / "store")("load", str(TINY), "--lang", lang)

    assert result.exit_code == 2
    assert _error(result.stderr) == {
        "en": "Error: the embedded engine did not start within 1 s (its log ends: Loading "
              "the module took long)",
        "id": "Kesalahan: mesin tertanam tidak menyala dalam 1 detik (akhir lognya: Loading "
              "the module took long)",
    }[lang]


def test_a_load_on_a_full_disk_is_said_in_indonesian(disk: Path) -> None:
    kg = Kg(disk / "store")
    assert kg("load", str(TINY)).exit_code == 0
    fill(disk)

    result = kg("load", "--replace", str(TINY), "--lang", "id")

    assert result.exit_code == 2
    line = _error(result.stderr)
    assert line.startswith("Kesalahan: tidak dapat menulis berkas jalan ")
    assert line.endswith(": ruang disk habis")
    assert english_words(line, disk) == []


def test_a_save_on_a_full_disk_is_said_in_indonesian(disk: Path) -> None:
    kg = Kg(disk / "store")
    assert kg("load", str(TINY)).exit_code == 0
    fill(disk, leave_blocks=2)  # room for a run file, not for the bundled dataset's graph

    result = kg("load", "--replace", env={"KG_LANG": "id"})

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Kesalahan: penyimpanan {kg.store} tidak dapat disimpan: ruang disk habis")


# --- the commands' own refusals ---------------------------------------------------------


def test_an_output_in_the_store_is_refused_in_indonesian(tiny: Kg, tmp_path: Path) -> None:
    target = tiny.store / "page.html"

    result = tiny("viz", "-o", str(target), "--lang", "id")

    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"Kesalahan: menolak menulis {target}: letaknya di dalam penyimpanan "
        f"{tiny.store.resolve()}, yang hanya diubah oleh kg load dan kg cypher --write; tulis "
        "di tempat lain")
    assert english_words(result.stderr, tmp_path) == []
    assert not target.exists()


def test_a_brief_of_too_many_sentra_is_refused_in_indonesian(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")
    assert kg("load").exit_code == 0  # the bundled data: four sentra

    result = kg("report", "-o", str(tmp_path / "brief.html"), "--max-sentra", "2",
                "--lang", "id")

    assert result.exit_code == 2
    assert _error(result.stderr) == (
        "Kesalahan: penyimpanan memuat 4 sentra, lebih dari 2 yang paling banyak diuraikan satu "
        "ringkasan; sebut yang hendak diuraikan dengan --sentra (boleh berulang) atau naikkan "
        "--max-sentra")


# --- a broken YAML or CSV file ----------------------------------------------------------


BROKEN = {
    "yaml-tab": ("dataset.yaml", "name: kecil\naktor:\n\t- {id: a-1, nama: Dinas}\n",
                 "dataset.yaml:3: YAML tidak sah: karakter tab: indentasikan dengan spasi "
                 "(kolom 1)",
                 "dataset.yaml:3: invalid YAML: a tab: indent with spaces (column 1)"),
    "yaml-quote": ("dataset.yaml", "name: kecil\naktor:\n  - {id: a-1, nama: 'Dinas}\n",
                   "dataset.yaml:3: YAML tidak sah: tanda kutip yang dibuka di sini tidak "
                   "pernah ditutup (kolom 21)",
                   "dataset.yaml:3: invalid YAML: a quote opened here is never closed "
                   "(column 21)"),
    "csv-quote": ("aktor.csv", 'id,nama,jenis\na-1,"Dinas" Kota,pemerintah\n',
                  "aktor.csv:2: CSV rusak: sel berkutip berlanjut sesudah tanda kutip "
                  'penutupnya; tulis tanda kutip di dalam sel sebagai dua ("")',
                  "aktor.csv:2: malformed CSV: a quoted cell goes on after its closing quote; "
                  'write a quote inside a cell as two ("")'),
    "csv-open-quote": ("aktor.csv", 'id,nama,jenis\na-1,"Dinas Kota,pemerintah\n',
                       "aktor.csv:2: CSV rusak: tanda kutip yang dibuka di baris ini tidak "
                       "pernah ditutup",
                       "aktor.csv:2: malformed CSV: a quote opened in this row is never closed"),
    "csv-nul": ("aktor.csv", "id,nama,jenis\na-1,Dinas\x00,pemerintah\n",
                "aktor.csv: berisi bait NUL: bukan berkas teks CSV",
                "aktor.csv: contains NUL bytes: not a text CSV file"),
    "csv-width": ("aktor.csv", "id,nama,jenis\na-1,Dinas,Kota,pemerintah\n",
                  "aktor.csv:2: memiliki 4 sel",
                  "aktor.csv:2: has 4 cells but the header has 3"),
}
"""A file broken one way: its name, its text, and the start of the problem reported in
Indonesian and in English (after the folder)."""


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_file_is_said_in_our_words_in_both_languages(tmp_path: Path, case: str) -> None:
    name, text, indonesian, english = BROKEN[case]
    data = tmp_path / "data"
    data.mkdir()
    (data / name).write_bytes(text.encode("utf-8"))
    kg = Kg(tmp_path / "store")

    said = kg("load", str(data), "--lang", "id")
    plain = kg("load", str(data))

    assert (said.exit_code, plain.exit_code) == (2, 2)
    assert f"  {data}/{indonesian}" in said.stderr, said.stderr
    assert english_words(said.stderr, tmp_path) == []
    assert f"  {data}/{english}" in plain.stderr, plain.stderr


TAGGED = {
    "unlisted": ("aktor: !!binary x\n",
                 "data.yaml:1: YAML tidak sah: kata pengurai: 'failed to decode base64 data"),
    "not-its-type": ("aktor: !!int x\n",
                     "data.yaml: YAML tidak sah: nilai tidak sesuai dengan tag-nya (!!...): "),
}
"""A YAML value tagged with a type: a problem PyYAML words in a way not listed (quoted
after ours), and a value that is not its tag's type (once a traceback)."""


@pytest.mark.parametrize("case", TAGGED, ids=list(TAGGED))
def test_a_tagged_value_is_a_problem_quoted_after_our_words(tmp_path: Path, case: str) -> None:
    text, said = TAGGED[case]
    (tmp_path / "data.yaml").write_text(text, encoding="utf-8")

    result = Kg(tmp_path / "store")("load", str(tmp_path / "data.yaml"), "--lang", "id")

    assert result.exit_code == 2
    assert f"  {tmp_path}/{said}" in result.stderr, result.stderr
    assert english_words(result.stderr, tmp_path) == []


# --- numbers ----------------------------------------------------------------------------


def test_numbers_are_grouped_the_indonesian_way(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "aktor.csv").write_text(f"id,nama\na-1,{'x' * 10_001}\n", encoding="utf-8")
    kg = Kg(tmp_path / "store")

    said = kg("load", str(data), "--lang", "id")
    plain = kg("load", str(data))

    assert "nama: sel berisi 10.001 karakter (paling banyak 10.000)" in said.stderr
    assert "nama: cell has 10,001 characters (at most 10,000)" in plain.stderr


def test_the_load_summary_writes_seconds_with_a_decimal_comma(tmp_path: Path) -> None:
    kg = Kg(tmp_path / "store")

    said = kg("load", str(TINY), "--lang", "id")
    plain = kg("load", "--replace", str(TINY))

    assert re.search(r" relasi dalam \d+,\d detik", said.stdout), said.stdout
    assert re.search(r" relationships in \d+\.\d s", plain.stdout), plain.stdout

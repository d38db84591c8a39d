"""The record a load keeps beside the store: a reload plans from it instead of reading the
whole store back, finds exactly the changes a full read finds, and reads the store
whenever the record does not match the graph file (changed by another writer, damaged,
of another format, or left behind by a process killed between the two files)."""

from __future__ import annotations

import marshal
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.loaders import load as load_dataset
from kg.loaders import reload
from kg.store import StoreConfig, open_store, record
from kg.store.layout import StoreLayout

from .conftest import TINY, Kg
from .helpers import (
    LARGE,
    Spawn,
    engines_in,
    kill_at_progress,
    open_to_write,
    wait_until,
    write_large_dataset,
)
from .test_reload import load, partner, rows, tiny


@pytest.fixture
def full_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The stores each load read whole (``read_content``), in order."""
    reads: list[str] = []
    read_content = reload.read_content

    def counted(store: Any, dataset: str) -> reload.StoreContent:
        reads.append(dataset)
        return read_content(store, dataset)

    monkeypatch.setattr(reload, "read_content", counted)
    yield reads


def changes(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if "added," in line]


def graph(kg: Kg) -> tuple[list[list[object]], list[list[object]]]:
    """Every node and relationship with every property, bookkeeping included."""
    nodes = rows(kg, "MATCH (n) RETURN labels(n)[0], n.id, properties(n)")
    rels = rows(kg, "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, properties(r)")
    return sorted(nodes, key=repr), sorted(rels, key=repr)


def record_file(kg: Kg) -> Path:
    return StoreLayout(kg.store).record_file


def test_a_load_keeps_a_record_and_the_next_reload_reads_no_store(
    kg: Kg, tmp_path: Path, full_reads: list[str]
) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    assert record_file(kg).is_file()
    again = load(kg, path)
    assert changes(again) == ["nodes: 0 added, 0 changed, 0 removed",
                              "relationships: 0 added, 0 changed, 0 removed"]
    assert full_reads == []


# Each edit changes the dataset folders (tiny, partner) between two loads.
def unchanged(tmp_path: Path) -> None:
    pass


def node_changed(tmp_path: Path) -> None:
    (tmp_path / "tiny" / "sentra.csv").write_text(
        "id,name,status,kecamatan,kiosks_total,kiosks_occupied,sources\n"
        "s-logam,Sentra Logam KIW,active,33.74.16,74,45,src-test\n"
    )


def property_removed(tmp_path: Path) -> None:
    (tmp_path / "tiny" / "sentra.csv").write_text(
        "id,name,status,kecamatan,kiosks_total,kiosks_occupied,sources\n"
        "s-logam,Sentra Logam,active,33.74.16,74,,src-test\n"
    )


def relationship_removed(tmp_path: Path) -> None:
    (tmp_path / "tiny" / "links.csv").write_text("from,type,to\ns-logam,PRODUCES,c-logam\n")


def relationship_changed(tmp_path: Path) -> None:
    (tmp_path / "tiny" / "funding.csv").write_text(
        "funder,target,source_type,amount_idr,year\na-disperin,s-logam,apbn,,\n"
    )


def node_removed(tmp_path: Path) -> None:
    (tmp_path / "tiny" / "commodities.csv").write_text(
        "id,name,name_en,stage\nc-logam,Olahan logam,Metal products,product\n"
    )
    relationship_removed(tmp_path)


def node_added(tmp_path: Path) -> None:
    with (tmp_path / "tiny" / "actors.csv").open("a") as table:
        table.write("a-baru,Pelaku Baru,business\n")


def partner_reduced(tmp_path: Path) -> None:
    path = tmp_path / "partner"
    (path / "actors.csv").write_text("id,name,kind\na-koperasi,Koperasi Logam,association\n")
    (path / "links.csv").unlink()


EDITS = [unchanged, node_changed, property_removed, relationship_removed,
         relationship_changed, node_removed, node_added, partner_reduced]

# What is loaded, in order: the edit runs before the last step.
SEQUENCES: dict[str, list[tuple[str, ...]]] = {
    "reload": [("tiny",), ("tiny",)],
    "reload of the first of two datasets": [("tiny",), ("partner",), ("tiny",)],
    "reload of the second of two datasets": [("tiny",), ("partner",), ("partner",)],
    "merge": [("tiny",), ("--merge", "tiny")],
    "replace, then reload": [("tiny",), ("partner",), ("--replace", "tiny"), ("tiny",)],
}


@pytest.mark.parametrize("edit", EDITS, ids=lambda edit: edit.__name__)
@pytest.mark.parametrize("sequence", list(SEQUENCES), ids=list(SEQUENCES))
def test_a_reload_from_the_record_finds_what_a_full_read_finds(
    tmp_path: Path, edit: Callable[[Path], None], sequence: str, full_reads: list[str]
) -> None:
    tiny(tmp_path)
    partner(tmp_path)
    recorded, read = Kg(tmp_path / "recorded"), Kg(tmp_path / "read")
    steps = SEQUENCES[sequence]
    for number, (*flags, name) in enumerate(steps):
        if number == len(steps) - 1:
            edit(tmp_path)
        full_reads.clear()
        with_record = load(recorded, *flags, tmp_path / name)
        assert full_reads == []
        record_file(read).unlink(missing_ok=True)
        without = load(read, *flags, tmp_path / name)
        fresh = number == 0 or "--replace" in flags
        assert full_reads == ([] if fresh else [name])
        assert changes(with_record) == changes(without)
    assert graph(recorded) == graph(read)


def test_a_write_between_loads_makes_the_reload_read_the_store(
    kg: Kg, tmp_path: Path, full_reads: list[str]
) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    result = kg("cypher", "--write", "MATCH (s:Sentra) SET s.kiosksTotal = 1")
    assert result.exit_code == 0, result.output
    assert not record_file(kg).exists()  # a save without a record drops the old one
    output = load(kg, path)
    assert full_reads == ["tiny"]
    assert "nodes: 0 added, 1 changed, 0 removed" in output
    assert rows(kg, "MATCH (s:Sentra) RETURN s.kiosksTotal") == [[74]]
    full_reads.clear()
    load(kg, path)
    assert full_reads == []  # that reload kept a record again


def flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def flip_graph_digest(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(b"kg-record 1\n") + 8] ^= 0xFF
    path.write_bytes(bytes(data))


def empty(path: Path) -> None:
    path.write_bytes(b"")


def other_format(path: Path) -> None:
    """A record whose header and checksum are right, of another layout."""
    layout = StoreLayout(path.parent)
    record.write_record(layout, marshal.dumps((reload.RECORD_FORMAT + 1, {}, {})))


def graph_file_of_another_store(path: Path) -> None:
    """graph.rdb replaced by another tool: the tiny graph with one property changed."""
    other = path.parent.parent / "other"
    shutil.copytree(TINY, other / "tiny")
    node_changed(other)
    kg = Kg(other / "store")
    load(kg, other / "tiny")
    shutil.copy(kg.store / "graph.rdb", path.parent / "graph.rdb")


@pytest.mark.parametrize(
    "damage",
    [flip_last_byte, truncate, flip_graph_digest, empty, other_format,
     graph_file_of_another_store],
    ids=lambda damage: damage.__name__,
)
def test_a_record_that_does_not_match_is_not_used(
    kg: Kg, tmp_path: Path, damage: Callable[[Path], None], full_reads: list[str]
) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    relationship_changed(tmp_path)
    damage(record_file(kg))
    output = load(kg, path)
    assert full_reads == ["tiny"]
    assert changes(output)[1] == "relationships: 1 added, 0 changed, 1 removed"


def test_a_process_stopped_between_the_save_and_its_record_leaves_a_record_not_used(
    kg: Kg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_reads: list[str]
) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    kept = record_file(kg).read_bytes()
    node_changed(tmp_path)
    with monkeypatch.context() as stopped:  # the graph saved, the record never written
        stopped.setattr(record, "write_record", lambda layout, data: None)
        assert "nodes: 0 added, 1 changed, 0 removed" in load(kg, path)
    assert record_file(kg).read_bytes() == kept  # the old record, of the old graph
    assert record.read_record(StoreLayout(kg.store)) is None
    again = load(kg, path)
    assert full_reads == ["tiny"]
    assert "nodes: 0 added, 0 changed, 0 removed" in again


def test_a_record_that_cannot_be_written_leaves_the_load_saved_and_no_record(
    kg: Kg, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    node_changed(tmp_path)

    def full_disk(layout: StoreLayout, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(record, "write_record", full_disk)
    output = load(kg, path)
    assert "nodes: 0 added, 1 changed, 0 removed" in output
    assert rows(kg, "MATCH (s:Sentra) RETURN s.kiosksOccupied") == [[45]]


def test_a_failed_reload_keeps_the_old_pair(kg: Kg, tmp_path: Path, full_reads: list[str]) -> None:
    path = tiny(tmp_path)
    load(kg, path)
    before = (record_file(kg).read_bytes(), (kg.store / "graph.rdb").read_bytes())
    (path / "funding.csv").write_text(
        "funder,target,source_type,amount_idr,year\na-disperin,s-logam,taxes,,2024\n"
    )
    assert kg("load", str(path)).exit_code == 2
    assert (record_file(kg).read_bytes(), (kg.store / "graph.rdb").read_bytes()) == before
    (path / "funding.csv").write_text(
        "funder,target,source_type,amount_idr,year\na-disperin,s-logam,apbd,,\n"
    )
    assert "relationships: 0 added, 0 changed, 0 removed" in load(kg, path)
    assert full_reads == []


def test_a_store_opened_to_write_and_closed_unchanged_keeps_its_record(
    kg: Kg, tmp_path: Path
) -> None:
    load(kg, tiny(tmp_path))
    kept = record_file(kg).read_bytes()
    open_to_write(kg.store)
    assert record_file(kg).read_bytes() == kept
    assert record.read_record(StoreLayout(kg.store)) is not None


def test_the_record_of_a_load_without_the_bulk_loader_is_the_same(
    tmp_path: Path
) -> None:
    """Both ways of writing into an empty store keep a record of the same content."""
    kept = []
    for bulk in (True, False):
        store = tmp_path / f"bulk-{bulk}"
        with open_store(StoreConfig(path=store, bulk_load=bulk), write=True) as opened:
            load_dataset(opened, [TINY])
        data = record.read_record(StoreLayout(store))
        assert data is not None
        kept.append(marshal.loads(data))
    assert kept[0] == kept[1]


@pytest.mark.slow
@pytest.mark.parametrize("seconds", [0.5, 2.0, None], ids=["0.5 s", "2 s", "saving"])
def test_a_reload_killed_at_any_moment_leaves_a_store_whose_next_reload_is_right(
    tmp_path: Path, spawn: Spawn, seconds: float | None
) -> None:
    """Kill a reload that changes rows at a moment (None: once every row is written,
    while it saves and writes its record); then a reload from the record (if one
    matches) and one from a full read of a copy find the same changes."""
    big = tmp_path / "big"
    write_large_dataset(big, LARGE)
    store = tmp_path / "store"
    done = spawn("--store", store, "load", big)
    assert done.wait() == 0
    done.communicate()
    with (big / "sentra.csv").open("a", encoding="utf-8") as table:
        table.write(f"s{LARGE},Sentra Baru,active,k1,10,5\n")
    (big / "links.csv").write_text("from,type,to\n")
    process = spawn("--store", store, "load", big)
    if seconds is None:
        kill_at_progress(process, 100, 100)
    else:
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
        process.communicate()
    assert wait_until(lambda: not engines_in(tmp_path))
    copy = tmp_path / "copy"
    shutil.copytree(store, copy)
    StoreLayout(copy).record_file.unlink(missing_ok=True)
    outputs = []
    for each in (store, copy):
        again = spawn("--store", each, "load", big)
        stdout, stderr = again.communicate()
        assert again.returncode == 0, stderr
        outputs.append(changes(stdout))
    assert outputs[0] == outputs[1]
    assert not list(store.glob("graph.record.*.tmp"))


def test_a_record_left_half_written_by_a_killed_process_is_removed_by_the_next_writer(
    kg: Kg, tmp_path: Path
) -> None:
    load(kg, tiny(tmp_path))
    partial = StoreLayout(kg.store).record_temp(4242)
    partial.write_bytes(b"kg-record 1\n")
    open_to_write(kg.store)
    assert not partial.exists()


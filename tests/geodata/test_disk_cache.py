"""The disk cache of checked event files: exact round trips, damaged entries, concurrent writers, the budget."""

from __future__ import annotations

import multiprocessing
import os
import time

import pandas as pd
import pyarrow as pa
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from geodata import check_events
from geodata.disk_cache import DiskCache, code_version, file_digest, library_versions
from geodata.store.files import FilesStore
from tests.geodata.conftest import make_row


@pytest.fixture(scope="module")
def checked():
    """A small file's events: good rows, a row with an error (reported, left out), a missing fatalities cell."""
    rows = [make_row(id="a"), make_row(id="b", lat="x"), make_row(id="c", fatalities="", actors="BLA; Police"),
            make_row(id="d", event_type="border_crossing", title="Mand–Pishin border crossing opened")]
    return check_events(pd.DataFrame(rows))


def _same(events, report, loaded) -> None:
    assert loaded is not None
    assert_geodataframe_equal(loaded[0], events, check_dtype=True, check_index_type=True, check_column_type=True,
                              check_frame_type=True, check_crs=True)
    assert list(loaded[0].columns) == list(events.columns)
    assert loaded[1] == report


def test_a_round_trip_gives_the_same_frame_dtypes_and_report(tmp_path, checked):
    cache = DiskCache(tmp_path, 1 << 30)
    assert cache.load_events("k1") is None
    assert cache.save_events("k1", *checked)
    _same(*checked, cache.load_events("k1"))
    assert not checked[1].ok  # the report's row error travelled too


def test_the_curated_data_round_trips(tmp_path):
    store = FilesStore()
    cache = DiskCache(tmp_path, 1 << 30)
    assert cache.save_events("curated", store.load(), store.report)
    _same(store.load(), store.report, cache.load_events("curated"))


def test_geometry_other_than_the_lon_lat_points_is_not_cached(tmp_path, checked):
    events = checked[0].copy()
    events.loc[events.index[0], "geometry"] = shapely.Point(0, 0)
    cache = DiskCache(tmp_path, 1 << 30)
    assert not cache.save_events("moved", events, checked[1])
    assert cache.load_events("moved") is None


@pytest.mark.parametrize("damage", ["garbage", "half", "empty"])
def test_a_damaged_entry_is_a_miss_and_is_written_again(tmp_path, checked, damage):
    cache = DiskCache(tmp_path, 1 << 30)
    cache.save_events("k", *checked)
    cache.save_bytes("k", "dataset", b'{"v": 2}' * 1000)
    for path in tmp_path.glob("k.*.arrow"):
        data = path.read_bytes()
        path.write_bytes({"garbage": b"not arrow at all" * 50, "half": data[: len(data) // 2], "empty": b""}[damage])
    assert cache.load_events("k") is None
    assert cache.load_bytes("k", "dataset") is None
    assert not list(tmp_path.glob("k.*.arrow"))  # removed, so the next run writes it again
    cache.save_events("k", *checked)
    _same(*checked, cache.load_events("k"))


def test_bytes_whose_checksum_does_not_match_are_a_miss(tmp_path):
    cache = DiskCache(tmp_path, 1 << 30)
    cache.save_bytes("k", "dataset", b"one")
    table = pa.ipc.open_file(pa.memory_map(str(tmp_path / "k.dataset.arrow"))).read_all()
    forged = table.replace_schema_metadata({b"sha256": b"0" * 64})
    with pa.OSFile(str(tmp_path / "k.dataset.arrow"), "wb") as f, pa.ipc.new_file(f, forged.schema) as writer:
        writer.write_table(forged)
    assert cache.load_bytes("k", "dataset") is None


def test_a_temporary_file_of_a_dead_writer_is_never_read(tmp_path, checked):
    cache = DiskCache(tmp_path, 1 << 30)
    (tmp_path / ".k.events.arrow.999.x.tmp").write_bytes(b"half")
    assert cache.load_events("k") is None


def _writer(root: str, rounds: int) -> None:
    events, report = check_events(pd.DataFrame([make_row(id=f"r{i}") for i in range(300)]))
    cache = DiskCache(root, 1 << 30)
    for _ in range(rounds):
        cache.save_events("same", events, report)
        cache.save_bytes("same", "dataset", b"x" * 200_000)


def test_two_processes_writing_the_same_key_leave_a_whole_entry(tmp_path):
    context = multiprocessing.get_context("fork")
    writers = [context.Process(target=_writer, args=(str(tmp_path), 15)) for _ in range(2)]
    for process in writers:
        process.start()
    cache, seen = DiskCache(tmp_path, 1 << 30), 0
    while any(p.is_alive() for p in writers):  # a reader meanwhile sees a whole entry or none
        loaded = cache.load_events("same")
        if loaded is not None:
            assert len(loaded[0]) == 300
            seen += 1
        assert cache.load_bytes("same", "dataset") in (None, b"x" * 200_000)
    for process in writers:
        process.join()
        assert process.exitcode == 0
    assert len(cache.load_events("same")[0]) == 300
    assert cache.load_bytes("same", "dataset") == b"x" * 200_000
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_least_recently_used_entries_go_over_the_budget(tmp_path):
    cache = DiskCache(tmp_path, 1 << 30)
    cache.save_bytes("a", "dataset", os.urandom(10_000))
    size = cache.size()
    cache.budget_bytes = int(size * 2.5)
    cache.save_bytes("b", "dataset", os.urandom(10_000))
    past = time.time() - 100
    os.utime(tmp_path / "a.dataset.arrow", (past, past))
    os.utime(tmp_path / "b.dataset.arrow", (past + 1, past + 1))
    assert cache.load_bytes("a", "dataset") is not None  # a hit: "a" is now the most recently used
    cache.save_bytes("c", "dataset", os.urandom(10_000))
    assert {p.name.split(".")[0] for p in tmp_path.glob("*.arrow")} == {"a", "c"}
    assert cache.size() <= cache.budget_bytes


def test_an_entry_larger_than_the_budget_stays_until_the_next_write(tmp_path):
    cache = DiskCache(tmp_path, 10)
    cache.save_bytes("big", "dataset", b"y" * 1000)
    assert cache.load_bytes("big", "dataset") == b"y" * 1000


def test_a_changed_file_or_code_version_misses(tmp_path, checked):
    events_file = tmp_path / "events.csv"
    events_file.write_text("id\nfirst\n")
    source = tmp_path / "code"
    source.mkdir()
    (source / "module.py").write_text("A = 1\n")
    version = code_version([source], library_versions())
    cache = DiskCache(tmp_path / "cache", 1 << 30)
    key = DiskCache.key(file_digest(events_file), version)
    cache.save_events(key, *checked)
    assert cache.load_events(DiskCache.key(file_digest(events_file), version)) is not None

    events_file.write_text("id\nsecond\n")
    assert cache.load_events(DiskCache.key(file_digest(events_file), version)) is None
    events_file.write_text("id\nfirst\n")
    (source / "module.py").write_text("A = 2\n")
    assert code_version([source], library_versions()) != version
    assert cache.load_events(DiskCache.key(file_digest(events_file), code_version([source]))) is None
    assert code_version([source], ["pandas 0"]) != code_version([source], ["pandas 1"])


def test_entry_names_are_plain(tmp_path):
    with pytest.raises(ValueError):
        DiskCache(tmp_path, 1).load_bytes("../x", "dataset")

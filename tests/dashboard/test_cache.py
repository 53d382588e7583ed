"""dashboard/cache.py over the disk cache: a seen event file, and its map dataset, come from disk in a new process."""

from __future__ import annotations

import pytest
import streamlit as st
from geopandas.testing import assert_geodataframe_equal

from dashboard import cache, events_payload
from dashboard.settings import CACHE_DIR_ENV
from tests.geodata.conftest import make_row, table


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """A process-like start: no cached resources, the disk cache in ``tmp_path / "cache"``."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    st.cache_resource.clear()
    yield tmp_path / "cache"
    st.cache_resource.clear()  # later tests read the test session's own cache directory again


def test_a_seen_event_file_and_its_map_data_come_from_the_disk_cache(fresh, tmp_path, monkeypatch):
    path = tmp_path / "events.csv"
    table(make_row(id="one"), make_row(id="bad", lat="x"), make_row(id="two")).to_csv(path, index=False)
    events, report = cache._events(str(path))
    cache.map_dataset("first", events)
    assert len(list(fresh.glob("*.events.arrow"))) == 1 and len(list(fresh.glob("*.dataset.arrow"))) == 1

    st.cache_resource.clear()  # as in a new server process

    def no_reading(*args, **kwargs):
        raise AssertionError("read and checked the file again")

    monkeypatch.setattr(cache, "FilesStore", no_reading)
    monkeypatch.setattr(events_payload, "encode_dataset", no_reading)
    again, report_again = cache._events(str(path))
    assert_geodataframe_equal(again, events, check_dtype=True)
    assert report_again == report and not report.ok
    cache.map_dataset("second", again)


def test_off_keeps_nothing_on_disk(monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_DIR_ENV, "off")
    st.cache_resource.clear()
    try:
        path = tmp_path / "events.csv"
        table(make_row(id="one")).to_csv(path, index=False)
        assert len(cache._events(str(path))[0]) == 1
        assert cache._disk() is None
    finally:
        st.cache_resource.clear()


def test_the_page_modules_import_neither_matplotlib_nor_folium_nor_altair():
    """A new server's first page imports what the page lays out; the briefing figure's matplotlib (~0.7 s) and
    the standalone export's folium (~0.5 s) wait until they are used, and altair (~0.6 s) until the first chart,
    which the page draws after the map (issue 25: the cold start)."""
    from tests.fresh_interpreter import imported_after

    assert imported_after("page", {"matplotlib", "folium", "altair"}) == []


def _counting(calls: list):
    def compute(frame, *args):
        calls.append(args)
        return len(frame), args
    return compute


def test_per_frame_computes_once_per_frame_and_arguments():
    import pandas as pd

    calls: list = []
    compute = _counting(calls)
    one, other = pd.DataFrame({"a": [1, 2]}), pd.DataFrame({"a": [1, 2]})
    status = pd.DataFrame({"b": [1]})
    assert cache.per_frame(one, compute, "month") == (2, ("month",))
    assert cache.per_frame(one, compute, "month") == (2, ("month",))  # another session's page: no new work
    cache.per_frame(one, compute, "week")
    cache.per_frame(other, compute, "month")  # equal content, another dataset object: computed for it
    cache.per_frame(one, compute, status)
    cache.per_frame(one, compute, status)
    cache.per_frame(one, compute, pd.DataFrame({"b": [1]}))  # an unhashable argument counts by identity
    assert [c[0] if isinstance(c[0], str) else "status" for c in calls] == ["month", "week", "month", "status",
                                                                            "status"]
    import datetime as dt

    calls.clear()
    day = dt.date(2024, 1, 16)
    cache.per_frame(one, compute, day)
    cache.per_frame(one, compute, dt.date.fromisoformat("2024-01-16"))  # the next run's equal day: no new work
    assert len(calls) == 1


def test_per_frame_forgets_a_frame_that_is_gone_and_stays_bounded():
    import gc

    import pandas as pd

    calls: list = []
    compute = _counting(calls)
    frame = pd.DataFrame({"a": [1]})
    for n in range(cache.PER_FRAME_ENTRIES + 5):
        cache.per_frame(frame, compute, n)
    assert len(cache._memo[id(frame)][1]) == cache.PER_FRAME_ENTRIES
    cache.per_frame(frame, compute, 0)  # the oldest was dropped: computed again
    assert len(calls) == cache.PER_FRAME_ENTRIES + 6
    key = id(frame)
    del frame
    gc.collect()
    assert key not in cache._memo

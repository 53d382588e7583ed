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


def test_the_page_modules_import_neither_matplotlib_nor_folium():
    """A new server's first page imports what the page lays out; the briefing figure's matplotlib (~0.7 s) and
    the standalone export's folium (~0.5 s) wait until they are used (issue 25: the cold start)."""
    from tests.fresh_interpreter import imported_after

    assert imported_after("page", {"matplotlib", "folium"}) == []

"""dashboard/warmup.py: the page's once-per-process work, done at server start by dashboard/serve.py (issue 25)."""

from __future__ import annotations

import logging

import pytest
import streamlit as st

import geodata
from dashboard import cache, event_source, warmup
from dashboard.settings import CACHE_DIR_ENV, Settings
from tests.geodata.conftest import make_row, table


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """A process-like start: no cached resources, the disk cache in ``tmp_path / "cache"``."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    st.cache_resource.clear()
    yield tmp_path / "cache"
    st.cache_resource.clear()


def test_the_page_modules_are_what_the_page_script_imports(tmp_path):
    script = tmp_path / "page.py"
    script.write_text("from __future__ import annotations\nimport json, sys\nimport numpy as np\n"
                      "from dashboard import cache, map_view\nfrom dashboard.events_layer import layer_config\n"
                      "from geodata import filter_mask\nfrom . import nothing\nimport json\n"
                      "def later():\n    import matplotlib\n")
    assert warmup.page_modules(script) == ["json", "sys", "numpy", "dashboard.cache", "dashboard.map_view",
                                           "dashboard.events_layer", "geodata"]
    shipped = warmup.page_modules()
    assert {"streamlit", "dashboard.cache", "dashboard.map_component", "geodata"} <= set(shipped)


def test_warm_fills_what_the_first_page_reads(fresh, tmp_path, monkeypatch):
    path = tmp_path / "events.csv"
    table(make_row(id="one"), make_row(id="two")).to_csv(path, index=False)
    as_of_calls = []

    def data_as_of(frame):
        as_of_calls.append(len(frame))
        return geodata_as_of(frame)

    geodata_as_of = geodata.data_as_of
    monkeypatch.setattr(geodata, "data_as_of", data_as_of)
    warmup.warm(Settings(events_path=str(path), cache_dir=str(fresh)))
    assert len(list(fresh.glob("*.events.arrow"))) == 1  # read, checked and kept for the next process
    assert as_of_calls == [2]

    def no_work(*args, **kwargs):
        raise AssertionError("the page did the work again")

    monkeypatch.setattr(cache, "FilesStore", no_work)
    monkeypatch.setattr(cache.geodata, "load_border", no_work)
    monkeypatch.setattr(cache.geodata, "load_place_status", no_work)
    monkeypatch.setattr(cache.geodata, "load_key_dates", no_work)
    monkeypatch.setattr(cache.map_view, "boundaries_payload", no_work)
    files = cache.files_store(str(path))
    assert sorted(files.load()["id"]) == ["one", "two"]
    cache.basemap_layers(), cache.map_boundaries(), cache.place_status(), cache.key_dates()
    monkeypatch.setattr(files, "summary", no_work)
    monkeypatch.setattr(files, "place_status", no_work)
    source = event_source.load(files, None)  # as the page: the store's summary and status periods are there
    source.place_status()
    cache.per_frame(source.events, geodata.data_as_of)
    assert as_of_calls == [2]


def test_an_unusable_event_file_warms_the_curated_data_as_the_page_shows_it(fresh, tmp_path):
    warmup.warm(Settings(events_path=str(tmp_path / "missing.csv"), cache_dir=str(fresh)))
    assert cache.events_problem(str(tmp_path / "missing.csv")).startswith("The event file")
    assert len(cache.files_store(str(tmp_path / "missing.csv")).load()) > 0


def test_a_failed_warm_up_is_logged_and_still_ends(monkeypatch, caplog):
    def broken(settings=None):
        raise OSError("disk gone")

    monkeypatch.setattr(warmup, "warm", broken)
    with caplog.at_level(logging.ERROR, logger=warmup.__name__):
        done = warmup.start()
        assert done.wait(60)
    assert "warm-up failed" in caplog.text and "disk gone" in caplog.text


def test_the_launcher_serves_the_page_script():
    """``streamlit run dashboard/serve.py`` serves an st.App of dashboard/app.py (tests/e2e/test_browser.py starts
    one and draws the map)."""
    from dashboard import serve

    assert serve.app.script_path == warmup.PAGE

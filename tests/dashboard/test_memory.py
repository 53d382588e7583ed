"""Memory of a let-go upload is handed back once its frames are garbage."""

import threading

import geopandas as gpd

from dashboard import memory


def test_memory_is_handed_back_after_a_watched_frame_is_collected(monkeypatch):
    handed_back = threading.Event()
    monkeypatch.setattr(memory, "_AFTER_SESSION_END", 0.0)
    monkeypatch.setattr(memory, "give_back", handed_back.set)
    frame = gpd.GeoDataFrame({"id": ["a", "b"]})
    memory.when_collected(frame)
    assert not handed_back.is_set()  # nothing happens while the frame is in use
    del frame
    assert handed_back.wait(timeout=10)


def test_give_back_runs_where_the_allocator_cannot_trim(monkeypatch):
    monkeypatch.setattr(memory, "_malloc_trim", lambda: None)
    memory.give_back()  # no glibc: collects garbage and releases Arrow's pool only, without failing


def test_the_c_library_trim_is_found_on_this_linux():
    assert memory._malloc_trim() is not None

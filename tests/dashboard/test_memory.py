"""Memory of a let-go upload is handed back once its frames are garbage."""

import platform
import threading

import geopandas as gpd
import pytest

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


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc",
                    reason="malloc_trim is glibc's: macOS, Windows and musl have no such call (give_back skips it)")
def test_the_c_library_trim_is_found_on_this_linux():
    assert memory._malloc_trim() is not None


def test_what_must_follow_a_collection_runs_before_memory_is_handed_back(monkeypatch):
    steps, done = [], threading.Event()
    monkeypatch.setattr(memory, "_AFTER_SESSION_END", 0.0)
    monkeypatch.setattr(memory, "give_back", lambda: (steps.append("give back"), done.set()))

    class SessionLife:
        pass

    life = SessionLife()
    memory.when_collected(life, lambda: steps.append("forget the session's files"))
    del life
    assert done.wait(timeout=10)
    assert steps == ["forget the session's files", "give back"]


def _uploaded(data: bytes):
    from streamlit.proto.Common_pb2 import FileURLs
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

    return UploadedFile(UploadedFileRec("f-1", "events.gpkg", "application/geopackage+sqlite3", data),
                        FileURLs(file_id="f-1", upload_url="/u", delete_url="/d"))


def test_a_copy_of_an_uploaded_file_shares_its_bytes_and_behaves_the_same():
    import copy
    import pickle

    memory.share_uploaded_bytes()
    data = bytes(range(256)) * 4_000
    original = _uploaded(data)
    original.read(10)
    twin = copy.deepcopy(original)  # what Streamlit does with a widget's value on every run
    assert twin is not original and twin.getvalue() is data  # the same bytes object: no copy of the file
    assert (twin.name, twin.file_id, twin.type, twin.size, twin.tell()) == ("events.gpkg", "f-1",
                                                                           "application/geopackage+sqlite3",
                                                                           len(data), 10)
    assert twin == original and twin._file_urls == original._file_urls
    twin.write(b"xx")  # a write makes the copy's own buffer; the upload itself never changes
    assert original.getvalue() is data and twin.getvalue()[10:12] == b"xx"
    assert pickle.loads(pickle.dumps(original)).getvalue() == data


def test_glibc_is_told_to_map_large_blocks_on_their_own_and_keep_one_heap(monkeypatch):
    calls = []
    monkeypatch.setattr(memory, "_mallopt", lambda: lambda param, value: calls.append((param, value)))
    memory._map_large_blocks()
    assert calls == [(-3, 256 * 1024), (-8, 1)]  # M_MMAP_THRESHOLD, M_ARENA_MAX (glibc's malloc.h)
    monkeypatch.setattr(memory, "_mallopt", lambda: None)
    memory._map_large_blocks()  # not glibc: nothing to tune, no error


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_mallopt_is_found_on_this_linux():
    assert memory._mallopt() is not None

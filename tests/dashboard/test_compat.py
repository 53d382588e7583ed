"""Contract tests for dashboard._compat: one per touch-point, each against the installed library's private symbol.

Each test imports what the compat function relies on and checks the fields, signatures or behaviour it uses, so
an upgrade that renames or changes them fails here, in milliseconds, instead of as a page that silently stops
cleaning up, copying less or finding its map.
"""

from __future__ import annotations

import copy
import copyreg
import dataclasses
import inspect
import re
from importlib import resources
from pathlib import Path
from types import SimpleNamespace

import pytest

from dashboard import _compat


def _params(function) -> list[str]:
    return list(inspect.signature(function).parameters)


# 1. session_files_forgetter: the run context's session id and the runtime singleton.
def test_the_session_id_comes_from_the_script_run_context():
    import streamlit.runtime as runtime
    from streamlit.runtime.scriptrunner import ScriptRunContext, get_script_run_ctx

    assert "suppress_warning" in _params(get_script_run_ctx)
    assert "session_id" in {field.name for field in dataclasses.fields(ScriptRunContext)}
    assert callable(runtime.exists) and callable(runtime.get_instance)
    assert _compat.session_files_forgetter() is None  # no session here: nothing to forget, no error


# 2. forget_session_files: the same clean-up as AppSession.shutdown, on the runtime's managers.
_MANAGER_CALL = re.compile(r"_?(\w+_mgr)\.(\w+)\(")


def test_forgetting_a_session_does_what_its_shutdown_does_with_files():
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession

    shutdown = set(_MANAGER_CALL.findall(inspect.getsource(AppSession.shutdown)))
    ours = set(_MANAGER_CALL.findall(inspect.getsource(_compat.forget_session_files)))
    assert shutdown == ours, "AppSession.shutdown's file clean-up changed: mirror it in forget_session_files"
    for manager, _ in ours:  # each is reachable on the runtime under that name
        assert isinstance(getattr(Runtime, manager), property), manager


def test_forgetting_a_session_removes_its_upload_and_its_media_files(monkeypatch):
    import streamlit.runtime.media_file_manager as media
    from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
    from streamlit.runtime.media_file_storage import MediaFileStorageError
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    monkeypatch.setattr(media, "_get_session_id", lambda: "s-1")  # as if added during the session's run
    storage = MemoryMediaFileStorage("/media")
    server = SimpleNamespace(uploaded_file_mgr=MemoryUploadedFileManager("/upload"),
                             media_file_mgr=media.MediaFileManager(storage),
                             dataframe_source_mgr=DataframeSourceManager())
    server.uploaded_file_mgr.add_file("s-1", UploadedFileRec("f-1", "a.csv", "text/csv", b"id\n1\n"))
    urls = [server.media_file_mgr.add(b"{}", "application/json", "bd.map.dataset", file_name="events.json",
                                      is_for_static_download=True),
            server.media_file_mgr.add(b"x", "text/javascript", "bd.map.asset.map_scripts", file_name="map.js")]
    _compat.forget_session_files(server, "s-1")
    assert server.uploaded_file_mgr.get_files("s-1", ["f-1"]) == []
    _compat.forget_session_files(server, "s-1")  # a download goes one orphan sweep after the media files
    for url in urls:
        with pytest.raises(MediaFileStorageError):
            storage.get_file(url.rsplit("/", 1)[1])


# 4. uploaded_file_reduction: UploadedFile(record, file_urls), its record's fields and its private _file_urls.
def test_an_uploaded_file_is_rebuilt_from_the_fields_the_copy_rule_reads():
    from streamlit.proto.Common_pb2 import FileURLs
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

    assert _params(UploadedFile.__init__) == ["self", "record", "file_urls"]
    assert UploadedFileRec._fields == ("file_id", "name", "type", "data")  # a NamedTuple, built positionally
    urls = FileURLs(file_id="f-1", upload_url="/u", delete_url="/d")
    file = UploadedFile(UploadedFileRec("f-1", "a.gpkg", "application/geopackage+sqlite3", b"data"), urls)
    assert file._file_urls is urls and (file.file_id, file.name, file.type) == ("f-1", "a.gpkg",
                                                                                  "application/geopackage+sqlite3")
    # deepcopy consults copyreg only when the class has no __deepcopy__ of its own.
    assert not hasattr(UploadedFile, "__deepcopy__")
    cls, reduce = _compat.uploaded_file_reduction()
    assert cls is UploadedFile
    file.read(2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(copyreg.dispatch_table, UploadedFile, reduce)
        twin = copy.deepcopy(file)
    assert twin.getvalue() is file.getvalue() and twin.tell() == 2 and twin._file_urls == urls



# 11. session_closer: a session-scoped resource is released on the event loop when its session disconnects (before
# the session is stored for reconnection), and Runtime.close_session shuts a stored session down.
def test_a_disconnection_releases_session_resources_before_storing_the_session():
    from streamlit.runtime import caching
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

    disconnect = inspect.getsource(WebsocketSessionManager.disconnect_session)
    assert disconnect.index("session.clear_session_caches()") < disconnect.index("self._session_storage.save(")
    assert "caching.clear_session_resource_cache(self.id)" in inspect.getsource(AppSession.clear_session_caches)
    assert callable(caching.clear_session_resource_cache)
    runtime_disconnect = inspect.getsource(_runtime().disconnect_session)
    assert "Must be called on the eventloop thread" in runtime_disconnect  # where on_release then runs


def _runtime():
    from streamlit.runtime import Runtime

    return Runtime


def test_closing_a_stored_session_shuts_it_down():
    from streamlit.runtime.memory_session_storage import MemorySessionStorage
    from streamlit.runtime.session_manager import SessionInfo
    from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

    assert _params(_runtime().close_session) == ["self", "session_id"]
    assert _params(_runtime().is_active_session) == ["self", "session_id"]
    assert "self._session_mgr.close_session(session_id)" in inspect.getsource(_runtime().close_session)
    shut_down = []
    session = SimpleNamespace(id="s-1", shutdown=lambda: shut_down.append("s-1"))
    storage = MemorySessionStorage(ttl_seconds=60)
    manager = WebsocketSessionManager(storage, None, SimpleNamespace(clear=lambda: None), None)
    storage.save(SessionInfo(client=None, session=session))  # as disconnect_session stores a closed tab's session
    assert not manager.is_active_session("s-1")
    manager.close_session("s-1")
    assert shut_down == ["s-1"] and storage.get("s-1") is None


def test_a_closed_session_is_shut_down_after_the_delay_unless_it_reconnected():
    import asyncio

    closed, then = [], []
    active = {"s-2"}
    server = SimpleNamespace(is_active_session=lambda sid: sid in active, close_session=closed.append)

    async def disconnect_and_wait():
        for sid in ("s-1", "s-2", "s-3", "s-3"):  # s-3 disconnects twice: only the later close acts
            _compat._close_in(server, sid, 0.0, lambda: then.append("give back"))
        later = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_later(0.001, later.set_result, None)  # due after the closes: runs after them
        await later

    asyncio.run(disconnect_and_wait())
    assert closed == ["s-1", "s-3"] and then == ["give back", "give back"]
    assert _compat._CLOSINGS == {}
    _compat._close_in(server, "s-4", 0.0, lambda: then.append("x"))  # off the event loop: nothing scheduled
    assert "s-4" not in _compat._CLOSINGS
    assert _compat.session_closer(lambda: None) is None  # no served session here


def test_emptying_a_session_drops_its_values_widget_values_and_fragments():
    from streamlit.runtime.fragment import MemoryFragmentStorage
    from streamlit.runtime.scriptrunner import ScriptRunContext
    from streamlit.runtime.state import SafeSessionState, SessionState

    assert {"session_state", "fragment_storage"} <= {field.name for field in dataclasses.fields(ScriptRunContext)}
    state = SafeSessionState(SessionState(), lambda: None)
    state["_upload_held"] = b"x" * 1_000
    state._state._new_widget_state.set_from_value("w_upload", b"file")  # as a widget value sits
    fragments = MemoryFragmentStorage()
    fragments.register("f-1", lambda: None)  # a fragment's function holds its page run's globals
    _compat._empty(state, fragments)
    assert "_upload_held" not in state and state.filtered_state == {}
    assert not list(state._state._new_widget_state.keys())
    assert not fragments.contains("f-1")

# 5. request_has_browser: AppTest sends no request headers (so no User-Agent).
def _page_reporting_headers():
    import streamlit as st

    from dashboard import _compat

    st.session_state["headers"] = dict(st.context.headers)
    st.session_state["browser"] = _compat.request_has_browser()


def test_apptest_sends_no_user_agent():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_page_reporting_headers).run()
    assert not at.exception
    assert at.session_state["headers"] == {} and at.session_state["browser"] is False


# 6. leaflet_heat_script: folium's wheel ships leaflet.heat at templates/leaflet_heat.min.js.
def test_folium_ships_leaflet_heat_where_we_read_it():
    assert (resources.files("folium") / "templates" / "leaflet_heat.min.js").is_file()
    script = _compat.leaflet_heat_script()
    assert b"heatLayer" in script  # static/events.js calls L.heatLayer


# 7. element_parent: branca records an element's parent in _parent when it is added.
def test_branca_keeps_an_added_elements_parent():
    import folium
    from branca.element import MacroElement

    m = folium.Map()
    group = folium.FeatureGroup().add_to(m)
    child = MacroElement()
    group.add_child(child)
    assert child._parent is group and _compat.element_parent(child) is group
    assert _compat.element_parent(_compat.element_parent(child)) is m


# 9. streamlit_selector: the data-testid attributes and class our CSS names are in Streamlit's frontend.
@pytest.fixture(scope="module")
def streamlit_frontend() -> str:
    import streamlit

    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    return "".join(path.read_text("utf-8", errors="replace") for path in js.glob("*.js"))


@pytest.mark.parametrize("part", ["sidebar", "header", "toolbar", "main block"])
def test_streamlit_draws_the_page_parts_our_css_names(part, streamlit_frontend):
    selector = _compat.streamlit_selector(part)
    testid = re.search(r'data-testid="(\w+)"', selector)
    if testid:
        assert re.search(rf"[\"'`]data-testid[\"'`]:[\"'`]{testid[1]}[\"'`]", streamlit_frontend), selector
    else:
        assert re.search(rf"className:[\"'`][^\"'`]*\b{selector.lstrip('.')}\b", streamlit_frontend), selector


# 10. static/compat.js: the private field of Leaflet our browser code reads, checked in Leaflet as we ship it
# (xstatic-leaflet); and leaflet.heat's pane option (the folium wheel's build).
def test_leaflet_heat_draws_in_the_pane_its_options_name():
    """Not a private field, but not in leaflet.heat's documentation either: events.js puts the heat in its own pane
    with Leaflet's ``pane`` layer option, which this build of leaflet.heat honours when adding and removing."""
    script = _compat.leaflet_heat_script().decode("utf-8")
    assert "this.options.pane?this.getPane().appendChild(this._canvas)" in script
    assert "this.options.pane?this.getPane().removeChild(this._canvas)" in script


def test_leaflet_flags_a_zoom_animation_in_the_field_compat_js_reads():
    import xstatic.pkg.leaflet as xs_leaflet

    leaflet = (Path(xs_leaflet.BASE_DIR) / "leaflet-src.js").read_text("utf-8")
    assert "this._animatingZoom = true;" in leaflet and "this._animatingZoom = false;" in leaflet


def test_our_browser_code_reads_private_fields_only_in_compat_js():
    static = Path(_compat.__file__).parent / "static"
    touches = {path.name: re.findall(r"\.(_[A-Za-z]\w*)", path.read_text("utf-8")) for path in static.glob("*.js")}
    assert touches.pop("compat.js") == ["_animatingZoom"]
    assert {name: found for name, found in touches.items() if found} == {}

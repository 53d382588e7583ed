"""Every touch of another library's private or undocumented internals, in one place.

Nothing else under ``dashboard/`` or ``geodata/`` may import ``streamlit.runtime``, ``streamlit.web``,
``streamlit.elements.lib``, ``streamlit.components.lib`` or ``streamlit.proto``, or read a ``_private`` attribute of
a third-party object (tests/test_private_apis.py). Each touch-point below is one small function, and
tests/dashboard/test_compat.py holds one contract test per touch-point that imports the private symbol and checks
what we rely on, so an upgrade that changes it fails a fast unit test instead of silently breaking the page.

Streamlit is imported inside the functions only: this module is imported by modules that must not load Streamlit
at import time (page_style, the export builders).

The map's browser code has its own such module, ``dashboard/static/compat.js`` (Leaflet's ``_animatingZoom``),
checked by the same contract tests (touch-point 10). Touch-points 3 (the media store as the map's data route) and 8
(Leaflet's private bounds fields through streamlit-folium) went with the map's own component
(dashboard/map_component.py).

Touch-points (why, and what public API would replace it):

1. :func:`session_files_forgetter` — ``streamlit.runtime.get_instance()``, ``get_script_run_ctx().session_id``.
   Why: Streamlit drops a closed tab's session after ``server.disconnectedSessionTTL`` without shutting it down,
   and only ``AppSession.shutdown`` removes the session's files, so each expired session kept its last upload
   until the server stopped. Replace by: a public "on session end" hook (none in Streamlit 1.67).
2. :func:`forget_session_files` — ``Runtime.uploaded_file_mgr.remove_session_files``,
   ``Runtime.media_file_mgr.clear_session_refs`` / ``remove_orphaned_files``,
   ``Runtime.dataframe_source_mgr.clear_all_for_session``: a copy of what ``AppSession.shutdown`` does with a
   session's files. Replace by: the same public session-end hook, or Streamlit cleaning up expired sessions.
4. :func:`uploaded_file_reduction` — ``streamlit.runtime.uploaded_file_manager.UploadedFile`` /
   ``UploadedFileRec`` and the private ``UploadedFile._file_urls``. Why: Streamlit deep-copies every widget value
   on every run, which copied a whole uploaded file (100 MB for a 100 MB GeoPackage) per rerun; the copy rule
   rebuilds the file around the same bytes. Replace by: Streamlit not copying uploader values (no public API).
5. :func:`request_has_browser` — relies on ``AppTest`` sending no request headers (undocumented), so a missing
   ``User-Agent`` in the public ``st.context.headers`` means "no browser will report the map back". Replace by: a
   public way to tell an AppTest run (none) — or no need for it once the two-run "map alone" layout is gone.
6. :func:`leaflet_heat_script` — leaflet.heat as shipped inside the folium wheel at ``folium/templates/
   leaflet_heat.min.js`` (an undocumented file layout). Replace by: a packaged copy of leaflet.heat (an
   ``xstatic``-style package, or the file vendored in dashboard/static with its BSD-2 licence).
7. :func:`element_parent` — branca's ``Element._parent`` (set by ``add_child``; folium's own templates read it as
   ``this._parent``). Why: our browser calls name the map they draw on. Replace by: none in branca; goes with
   the folium transport once the map is our own component (folium stays for the standalone export).
9. :func:`streamlit_selector` — Streamlit's ``data-testid`` attributes and ``.block-container`` class in the page's
   CSS (presentation mode hides the sidebar, header and toolbar). Replace by: a public page-chrome option (e.g.
   ``client.toolbarMode`` covers the toolbar only) or ``st.navigation(position="hidden")`` plus no sidebar.
11. :func:`session_closer` — ``Runtime.is_active_session`` / ``Runtime.close_session`` (public methods of the
   undocumented ``Runtime``); that a session-scoped ``st.cache_resource``'s ``on_release`` runs on Streamlit's
   event loop when the session disconnects (``WebsocketSessionManager.disconnect_session``); the run context's
   ``session_state`` (``SafeSessionState``, its private ``_state`` and ``_lock``) and ``fragment_storage``. Why:
   Streamlit keeps a closed tab's session in a store that drops expired sessions only when it next changes
   (another tab closing), so the last tab's session, its upload and its state stayed until then (1.3 GB held
   420 s after a 195 MB upload's tab closed); and its message loop keeps the last session it flushed in a loop
   variable until its next flush, so a shut-down session's state and fragments (whose functions hold the page's
   last run) are emptied (``SessionState.clear``, ``FragmentStorage.clear``). Replace by: Streamlit expiring
   closed sessions on a timer and letting go of a closed session, or a public session-end hook.
"""

from __future__ import annotations

import asyncio
from typing import Callable


def session_files_forgetter() -> Callable[[], None] | None:
    """A function that forgets this session's files as its shutdown would, or None outside a served session.

    It holds the runtime and the session id, never the script run context (which holds the session, and would
    keep it alive). None in a bare script run or an AppTest run: there are no file managers to clean.
    """
    from streamlit import runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not runtime.exists():
        return None
    server, session_id = runtime.get_instance(), ctx.session_id
    return lambda: forget_session_files(server, session_id)


def session_closer(then: Callable[[], None]) -> Callable[[float], None] | None:
    """A function ``close_in(delay)`` that shuts this session down ``delay`` seconds later unless a tab has
    reconnected to it by then, empties its state and its fragments, and calls ``then()``; None outside a served session.

    ``close_in`` must be called on Streamlit's event loop (where a session-scoped ``st.cache_resource``'s
    ``on_release`` runs when the session disconnects); called elsewhere (a cache cleared during a page run) it
    does nothing. A later call for the same session replaces the earlier one (a tab that reconnected and
    closed again gets the whole delay again). The state is emptied because a shut-down session object can stay
    referenced after its shutdown: the runtime's message loop keeps the last session it flushed in a loop
    variable until its next flush, and with it the session's upload and what the page made of it.
    """
    from streamlit import runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not runtime.exists():
        return None
    server, session_id = runtime.get_instance(), ctx.session_id
    state, fragments = ctx.session_state, ctx.fragment_storage
    return lambda delay: _close_in(server, session_id, delay, lambda: (_empty(state, fragments), then()))


_CLOSINGS: dict[str, object] = {}  # session id -> its latest scheduled close (touched on the event loop only)


def _close_in(server, session_id: str, delay: float, then: Callable[[], None]) -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not on the event loop: the session is not disconnecting
        return
    token = _CLOSINGS[session_id] = object()
    loop.call_later(delay, _close_if_gone, server, session_id, token, then)


def _close_if_gone(server, session_id: str, token: object, then: Callable[[], None]) -> None:
    if _CLOSINGS.get(session_id) is not token:  # disconnected again since: that close decides
        return
    del _CLOSINGS[session_id]
    if server.is_active_session(session_id):  # a tab reconnected to it
        return
    server.close_session(session_id)  # shuts down a stored session (its files, caches); a no-op if gone
    then()


def _empty(state, fragments) -> None:
    """Empty a session's ``SafeSessionState`` (``SessionState.clear``: every value, widget values included) and
    its ``FragmentStorage`` (a fragment defined in the page script holds the last run's globals: the whole page)."""
    with state._lock:
        state._state.clear()
    fragments.clear()
    fragments.clear_outside_wrappers()


def forget_session_files(server, session_id: str) -> None:
    """What ``AppSession.shutdown`` does with a session's files: uploads, media files, lazy dataframe sources.

    ``server`` is the Streamlit ``Runtime``. The page uses no lazy dataframes today; their sources are cleared too
    so that this stays the whole of shutdown's file clean-up (the contract test compares the two).
    """
    server.uploaded_file_mgr.remove_session_files(session_id)
    server.media_file_mgr.clear_session_refs(session_id)
    server.media_file_mgr.remove_orphaned_files()
    if hasattr(server, "dataframe_source_mgr"):  # came with st.dataframe(lazy=...); without it, nothing to clear
        server.dataframe_source_mgr.clear_all_for_session(session_id)


def uploaded_file_reduction() -> tuple[type, Callable] | None:
    """``(UploadedFile, reduce)`` for ``copyreg.pickle``: a copy of an uploaded file that shares its bytes.

    ``reduce`` rebuilds the file from its record and URLs (as Streamlit does when it reads the widget's value) at
    the same read position; a ``BytesIO`` made from bytes copies them only if written to. None when this
    Streamlit has no such class (its copies then stay as they are).
    """
    try:
        from streamlit.runtime.uploaded_file_manager import UploadedFile
    except ImportError:
        return None
    return UploadedFile, _uploaded_file_parts


def _uploaded_file_parts(file):
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    record = UploadedFileRec(file.file_id, file.name, file.type, file.getvalue())  # getvalue(): the same bytes
    return _uploaded_file, (record, file._file_urls, file.tell())  # _file_urls: as UploadedFile keeps them


def _uploaded_file(record, file_urls, position: int):
    from streamlit.runtime.uploaded_file_manager import UploadedFile

    file = UploadedFile(record, file_urls)
    file.seek(position)
    return file


def request_has_browser() -> bool:
    """A browser is on the other end (it sent its User-Agent); AppTest and bare script runs send no headers."""
    import streamlit as st

    try:
        return bool(st.context.headers.get("User-Agent"))
    except Exception:  # no request context at all
        return False


def leaflet_heat_script() -> bytes:
    """leaflet.heat (BSD-2), minified, as the folium wheel ships it for its HeatMap plugin."""
    from importlib.util import find_spec
    from pathlib import Path

    # Found without importing folium (its templates take ~0.5 s to compile): the map's script is built once per
    # server process, before the first page's map.
    (package,) = find_spec("folium").submodule_search_locations
    return (Path(package) / "templates" / "leaflet_heat.min.js").read_bytes()


def element_parent(element):
    """The branca element ``element`` was added to (a folium map, or a feature group on it)."""
    return element._parent


#: Streamlit's page parts by our name: the ``data-testid`` (or class) its frontend gives them.
_STREAMLIT_PARTS = {
    "sidebar": '[data-testid="stSidebar"]',
    "header": 'header[data-testid="stHeader"]',
    "toolbar": '[data-testid="stToolbar"]',
    "main block": ".block-container",
}


def streamlit_selector(part: str) -> str:
    """CSS selector of one of Streamlit's page parts: ``sidebar``, ``header``, ``toolbar`` or ``main block``."""
    return _STREAMLIT_PARTS[part]

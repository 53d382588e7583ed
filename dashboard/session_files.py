"""What a session holds of the analyst's uploaded files: which files are in the uploader (and their identities),
which are switched on, what the session made of them (dashboard/user_data.py), and that Streamlit forgets the
session's files when the session ends. Split from dashboard/state.py (one concern a module).
"""

from __future__ import annotations

import streamlit as st

from dashboard import _compat, memory

UPLOAD = "w_upload"  # the uploader's widget key


def uploaded_files() -> list:
    """The analyst's uploaded files (Streamlit's UploadedFile objects), in the uploader's order; [] when none."""
    value = st.session_state.get(UPLOAD)
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def file_token(uploaded) -> str:
    """Identity of one uploaded file (a new upload of the same name is a new dataset)."""
    return str(getattr(uploaded, "file_id", "") or id(uploaded))


def upload_token() -> str | None:
    """Identity of the analyst's uploaded files together (the map's dataset changes with it), if any."""
    files = uploaded_files()
    return ",".join(file_token(f) for f in files) if files else None


_UPLOAD_SHOWN_PREFIX = "w_upload_on_"


def upload_shown_key(token: str) -> str:
    """The key of the on/off toggle of one uploaded file."""
    return _UPLOAD_SHOWN_PREFIX + token


def upload_shown(token: str) -> bool:
    """Whether the analyst shows the rows of the uploaded file ``token`` (its toggle; on until switched off)."""
    return bool(st.session_state.setdefault(upload_shown_key(token), True))


# What this session made of its uploaded files (dashboard/user_data.py). Held here, per session, not in a cache
# shared by every session: a file's rows go when it is removed or the session ends.
_UPLOAD_HELD = "_upload_held"


def held_upload():
    """What the session holds for its upload (any object), or None."""
    return st.session_state.get(_UPLOAD_HELD)


def hold_upload(value, *frames) -> None:
    """Hold ``value`` for this session. Memory goes back to the system once each of ``frames`` is garbage: after
    the file is removed or replaced, or the session ends (and the last run's download buttons let go of them)."""
    st.session_state[_UPLOAD_HELD] = value
    for frame in frames:
        memory.when_collected(frame)


class _SessionLife:
    """Kept in a session's state, so that it is garbage exactly when Streamlit drops the session."""


_SESSION_LIFE = "_session_life"


def files_end_with_session(page_globals: dict) -> None:
    """Have a closed tab's session end when Streamlit stops offering it for reconnection, and its files go with it.

    Streamlit keeps a closed tab's session for ``server.disconnectedSessionTTL`` in a store that drops expired
    sessions only when it next changes (another tab closing): the last closed tab kept its session, its upload
    and what the page made of it until then (1.3 GB 420 s after a 195 MB upload's tab closed). The session is
    shut down one second before its reconnection window ends (:func:`_closing`), unless a tab has reconnected.
    ``page_globals`` (the page script's ``globals()``) are emptied then: Streamlit keeps the latest page run's
    module as ``sys.modules["__main__"]`` whichever session ran it, so a closed tab's last run (its upload's
    merged frame, the page's view of it) stayed until another tab ran the page.

    A dropped session is not shut down either, and only a shutdown removes the session's files from Streamlit's
    upload and media managers: each such session kept its last upload and its map dataset until the server
    stopped. They are forgotten once the session's state is collected. Called on every run; the first run of a
    session (and the first after a reconnection) sets the watches.
    """
    if _SESSION_LIFE not in st.session_state:
        forget_files = _compat.session_files_forgetter()  # what the session's shutdown would do with its files
        if forget_files is None:  # a bare script run or a test: no file managers to clean, no session to close
            return
        life = _SessionLife()
        memory.when_collected(life, forget_files)
        st.session_state[_SESSION_LIFE] = life
    _disconnect_watch().page = page_globals  # this run's: the session's last run when it closes


def release_upload() -> None:
    """Let go of the uploads' frames (when the last file is removed, or before the merged frame is rebuilt)."""
    st.session_state.pop(_UPLOAD_HELD, None)


class _Closer:
    """What a session's disconnection calls: ``close_in(delay)`` (dashboard._compat.session_closer), or None;
    and the globals of the session's latest page run."""

    def __init__(self):
        self.close_in = None
        self.page: dict = {}

    def ended(self) -> None:
        """After the session is shut down: its last page run goes, and memory is handed back."""
        self.page.clear()
        memory.give_back_soon()


def _closing(closer: _Closer) -> None:
    """On a session's disconnection (Streamlit's event loop): shut the session down at the end of its
    reconnection window (Streamlit's TTL less a second, so that its store still holds the session)."""
    if closer.close_in is not None:
        closer.close_in(max(0.0, float(st.get_option("server.disconnectedSessionTTL")) - 1.0))


@st.cache_resource(scope="session", on_release=_closing, show_spinner=False)
def _disconnect_watch() -> _Closer:
    """One per session: a session-scoped resource is released when its session disconnects."""
    closer = _Closer()
    closer.close_in = _compat.session_closer(closer.ended)
    return closer

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


def files_end_with_session() -> None:
    """Have Streamlit forget this session's files (uploads, the map's dataset) once the session is gone.

    Streamlit drops a closed tab's session after ``server.disconnectedSessionTTL`` without shutting it down, and
    only a shutdown removes the session's files from its upload and media managers: each expired session would
    keep its last upload (100 MB for a 100 MB file) and its map dataset until the server stops. Called on every
    run; the first one sets the watch.
    """
    if _SESSION_LIFE in st.session_state:
        return
    forget_files = _compat.session_files_forgetter()  # what the session's shutdown would do with its files
    if forget_files is None:  # a bare script run or a test: no file managers to clean
        return
    life = _SessionLife()
    memory.when_collected(life, forget_files)
    st.session_state[_SESSION_LIFE] = life


def release_upload() -> None:
    """Let go of the uploads' frames (when the last file is removed, or before the merged frame is rebuilt)."""
    st.session_state.pop(_UPLOAD_HELD, None)

"""What a session keeps of its team edits (dashboard/team_data.py): who edits, which version each edit started
from, and a message that outlives the rerun a write makes.

Every function reads and writes ``session``: Streamlit's session state by default, any mutable mapping (a plain
dict in tests) when given.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import streamlit as st

TEAM_AUTHOR = "w_team_author"  #: the "your name" widget's key
_EDIT_BASE = "_team_edit_base"
_TEAM_FLASH = "_team_flash"


def _session(session: MutableMapping | None) -> MutableMapping:
    return st.session_state if session is None else session


def edit_base(event_id: str, version: int, session: MutableMapping | None = None) -> int:
    """The version this session started editing ``event_id`` from: remembered the first time, so a newer version
    saved meanwhile by someone else is detected as a conflict instead of being overwritten."""
    bases = _session(session).setdefault(_EDIT_BASE, {})
    return bases.setdefault(event_id, int(version))


def forget_edit_base(event_id: str, session: MutableMapping | None = None) -> None:
    """End the edit of ``event_id`` (saved, retired or restarted): the next edit starts from the stored version."""
    _session(session).setdefault(_EDIT_BASE, {}).pop(event_id, None)


def flash(message: str | None = None, session: MutableMapping | None = None) -> str | None:
    """Keep ``message`` for the next run (a write reruns the page to show the new data); without one, take it."""
    ss = _session(session)
    if message is not None:
        ss[_TEAM_FLASH] = message
        return None
    return ss.pop(_TEAM_FLASH, None)

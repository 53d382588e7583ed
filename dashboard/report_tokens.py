"""What a session remembers of the reports it has acted on: the map repeats its last click and playback frame on
every rerun, and the table its last selection, so each is acted on once (dashboard/map_reports.py).

Every function reads and writes ``session``: Streamlit's session state by default, any mutable mapping (a plain
dict in tests) when given.
"""

from __future__ import annotations

from collections.abc import MutableMapping

import streamlit as st

from dashboard import playback

#: The playback step the page shows (its URL form): set by the map's report here, by the page in url_view.
PLAY_STEP = "_play"
_LAST_PLAY = "_last_play_report"
_LAST_CLICK = "_last_click"
_LAST_TABLE = "_last_table_selection"
_FOCUS = "_focus_request"


def _session(session: MutableMapping | None) -> MutableMapping:
    return st.session_state if session is None else session


def take_play_report(report, session: MutableMapping | None = None) -> bool:
    """Adopt the playback frame the map reported (once per report); True when it changed the state."""
    ss = _session(session)
    if not isinstance(report, dict) or report.get("token") in (None, ss.get(_LAST_PLAY)):
        return False
    ss[_LAST_PLAY] = report.get("token")
    play = playback.from_report(report)
    ss[PLAY_STEP] = play.to_param() if play else None
    return True


def new_click(token, session: MutableMapping | None = None) -> bool:
    """True when the map reports a click not seen before (its value repeats the last one on every rerun)."""
    ss = _session(session)
    if token is None or token == ss.get(_LAST_CLICK):
        return False
    ss[_LAST_CLICK] = token
    return True


def new_table_selection(rows: tuple, session: MutableMapping | None = None) -> bool:
    """True when the table reports rows other than those it reported (or was given) last."""
    ss = _session(session)
    if rows == ss.get(_LAST_TABLE, ()):
        return False
    ss[_LAST_TABLE] = rows
    return True


def adopt_table_selection(rows: tuple, session: MutableMapping | None = None) -> None:
    """The table shows ``rows`` as selected because the app marked them: not a new pick by the user."""
    _session(session)[_LAST_TABLE] = rows


def request_focus(focus: bool, session: MutableMapping | None = None) -> None:
    """Ask (or stop asking) the map to fly to the selected event on the next run."""
    _session(session)[_FOCUS] = bool(focus)


def take_focus_request(session: MutableMapping | None = None) -> bool:
    """True once after a table selection asked the map to fly to the selected event."""
    return bool(_session(session).pop(_FOCUS, False))

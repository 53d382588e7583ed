"""A closed tab's session is shut down at the end of its reconnection window (dashboard/session_files.py)."""

from dashboard import session_files


def test_a_disconnected_session_is_closed_a_second_before_streamlit_stops_offering_it(monkeypatch):
    options = {"server.disconnectedSessionTTL": 30}
    monkeypatch.setattr(session_files.st, "get_option", options.__getitem__)
    delays = []
    session_files._closing(session_files._Closer(delays.append))
    options["server.disconnectedSessionTTL"] = 0  # no window at all: closed at once, never a negative delay
    session_files._closing(session_files._Closer(delays.append))
    assert delays == [29.0, 0.0]


def test_outside_a_served_session_a_disconnection_closes_nothing():
    session_files._closing(session_files._Closer(None))  # AppTest or a bare run: no runtime, no error

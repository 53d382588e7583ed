"""A closed tab's session is shut down at the end of its reconnection window (dashboard/session_files.py)."""

from dashboard import session_files


def test_a_disconnected_session_is_closed_a_second_before_streamlit_stops_offering_it(monkeypatch):
    options = {"server.disconnectedSessionTTL": 30}
    monkeypatch.setattr(session_files.st, "get_option", options.__getitem__)
    delays = []
    session_files._closing(_closer(delays.append))
    options["server.disconnectedSessionTTL"] = 0  # no window at all: closed at once, never a negative delay
    session_files._closing(_closer(delays.append))
    assert delays == [29.0, 0.0]


def test_outside_a_served_session_a_disconnection_closes_nothing():
    session_files._closing(session_files._Closer())  # AppTest or a bare run: no runtime, no error


def _closer(close_in):
    closer = session_files._Closer()
    closer.close_in = close_in
    return closer


def test_when_the_session_has_ended_its_last_page_run_goes_and_memory_is_handed_back(monkeypatch):
    handed_back = []
    monkeypatch.setattr(session_files.memory, "give_back_soon", lambda: handed_back.append(True))
    closer = session_files._Closer()
    page = {"events": object(), "st": session_files.st}  # a page run's globals, as sys.modules["__main__"] keeps
    closer.page = page
    closer.ended()
    assert page == {} and handed_back == [True]

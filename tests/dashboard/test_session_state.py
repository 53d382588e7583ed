"""The session's holdings by concern, each over a plain dict instead of Streamlit's session state: the view and
its link (url_view), the reports acted on (report_tokens), team edits (team_edits)."""

import datetime as dt

from dashboard import playback, query_codec, report_tokens, state, team_edits, url_view
from geodata import EventFilter

SPAN = (dt.date(2015, 1, 1), dt.date(2026, 12, 1))
BASEMAPS = ("light", "satellite")


def test_an_edit_starts_from_the_first_version_seen_until_it_is_forgotten():
    ss = {}
    assert team_edits.edit_base("ev-1", 3, ss) == 3
    assert team_edits.edit_base("ev-1", 5, ss) == 3  # someone saved version 5 meanwhile: still editing 3
    assert team_edits.edit_base("ev-2", 1, ss) == 1
    team_edits.forget_edit_base("ev-1", ss)
    assert team_edits.edit_base("ev-1", 5, ss) == 5
    team_edits.forget_edit_base("never-edited", ss)  # nothing to forget is fine


def test_a_flash_message_is_taken_once():
    ss = {}
    assert team_edits.flash(session=ss) is None
    assert team_edits.flash("Saved.", ss) is None
    assert team_edits.flash(session=ss) == "Saved."
    assert team_edits.flash(session=ss) is None


def test_a_map_click_is_acted_on_once_per_token():
    ss = {}
    assert not report_tokens.new_click(None, ss)
    assert report_tokens.new_click("t1", ss)
    assert not report_tokens.new_click("t1", ss)  # the map repeats its last value on every rerun
    assert report_tokens.new_click("t2", ss)


def test_a_playback_report_sets_the_step_once_per_token():
    ss = {}
    unit, mode = playback.UNITS[0], playback.MODES[0]
    report = {"token": 1, "unit": unit, "mode": mode, "step": 2}
    assert report_tokens.take_play_report(report, ss)
    assert ss[report_tokens.PLAY_STEP] == playback.Play(unit, mode, 2).to_param()
    assert not report_tokens.take_play_report(report, ss)
    assert not report_tokens.take_play_report("not a report", ss)
    assert report_tokens.take_play_report({"token": 2, "off": True}, ss)
    assert ss[report_tokens.PLAY_STEP] is None


def test_a_table_selection_the_app_marked_is_not_a_new_pick():
    ss = {}
    assert not report_tokens.new_table_selection((), ss)
    report_tokens.adopt_table_selection((4,), ss)
    assert not report_tokens.new_table_selection((4,), ss)
    assert report_tokens.new_table_selection((5,), ss)
    assert not report_tokens.new_table_selection((5,), ss)


def test_a_focus_request_is_taken_once():
    ss = {}
    assert not report_tokens.take_focus_request(ss)
    url_view.select("ev-1", focus=True, session=ss)
    assert report_tokens.take_focus_request(ss)
    assert not report_tokens.take_focus_request(ss)
    url_view.select(None, focus=True, session=ss)  # nothing selected: nowhere to fly
    assert not report_tokens.take_focus_request(ss)


def test_the_link_seeds_the_widgets_once_and_is_written_back_unchanged():
    flt = EventFilter(start=dt.date(2024, 1, 1), event_types=("attack", "clash"), min_fatalities=2, text="port")
    view = query_codec.ViewState(flt=flt, basemap="satellite", center=(27.1, 61.9), zoom=9, selected="ev-1")
    params = query_codec.encode(view, default_basemap="light")
    ss, written = {}, dict(params)
    url_view.seed_from_url(SPAN, BASEMAPS, "light", session=ss, params=params)
    assert url_view.current_filter(SPAN, ss) == flt
    assert url_view.view_state(SPAN, ss) == view
    assert url_view.notices(ss) == []
    url_view.write_url(url_view.view_state(SPAN, ss), "light", params=written)
    assert written == params
    ss[state.TEXT] = "market"  # the user types: the next seeding keeps what they typed
    url_view.seed_from_url(SPAN, BASEMAPS, "light", session=ss, params=params)
    assert url_view.current_filter(SPAN, ss).text == "market"
    url_view.write_url(url_view.view_state(SPAN, ss), "light", params=written)
    assert written == query_codec.encode(
        query_codec.ViewState(**{**view.__dict__, "flt": EventFilter(**{**flt.__dict__, "text": "market"})}),
        default_basemap="light")


def test_a_basemap_not_configured_here_falls_back_with_a_notice():
    params = query_codec.encode(query_codec.ViewState(basemap="satellite"), default_basemap="light")
    ss = {}
    url_view.seed_from_url(SPAN, ("light",), "light", session=ss, params=params)
    assert url_view.view_state(SPAN, ss).basemap == "light"
    [notice] = url_view.notices(ss)
    assert "satellite" in notice


def test_the_map_is_asked_to_move_only_by_a_request_or_a_new_basemap():
    ss = {}
    url_view.seed_from_url(SPAN, BASEMAPS, "light", session=ss, params={})
    opening = url_view.requested_view("light", ss)
    url_view.take_map_report(ss | {url_view.MAP: {}})  # no report yet: nothing adopted
    ss[url_view.MAP] = {"center": {"lat": 26.5, "lng": 63.0}, "zoom": 8, "bounds": [[1, 2], [3, 4]]}
    url_view.take_map_report(ss)
    assert url_view.view_state(SPAN, ss).center == (26.5, 63.0) and url_view.bounds(ss) == [[1, 2], [3, 4]]
    assert url_view.requested_view("light", ss) == opening  # the reported view is never sent back
    assert url_view.requested_view("satellite", ss) == ((26.5, 63.0), 8)  # a new map opens where the user was
    url_view.request_view((25.123456, 60.5), 10, ss)
    assert url_view.requested_view("satellite", ss) == ((25.1235, 60.5), 10)


def test_a_selection_from_outside_the_table_gives_the_table_a_new_identity():
    ss = {}
    key = url_view.table_key(ss)
    url_view.select("ev-1", session=ss)  # picked in the table: the table keeps its identity
    assert url_view.table_key(ss) == key
    url_view.select("ev-2", from_map=True, session=ss)
    assert url_view.table_key(ss) != key
    assert url_view.view_state(SPAN, ss).selected == "ev-2"

"""One view of the page per run: a paused playback step narrows everything the page shows, and a selection the
page no longer shows is found (issue 19: "one view state drives everything")."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import geodata
from dashboard import actors_panel, page_view, panels, playback, timeline_panel
from dashboard.playback import Play
from geodata import EventFilter

YEAR = EventFilter(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))


@pytest.fixture(scope="module")
def events():
    return geodata.load_events()


def test_without_playback_the_page_is_the_filter(events):
    view = page_view.compute(events, YEAR, None)
    assert view.page_flt == YEAR and view.play is None and view.play_words() == ""
    assert np.array_equal(view.in_page, geodata.filter_mask(events, YEAR))
    assert list(view.shown["id"]) == list(geodata.filter_events(events, YEAR)["id"])


def test_a_paused_step_narrows_the_page_but_not_the_maps_selection(events):
    view = page_view.compute(events, YEAR, Play("month", "cumulative", 6))
    assert view.page_flt.end == dt.date(2024, 7, 31) and view.page_flt.start == dt.date(2024, 1, 1)
    assert np.array_equal(view.keep, geodata.filter_mask(events, YEAR))  # the map can step on without the server
    up_to_july = geodata.filter_events(events, EventFilter(start=dt.date(2024, 1, 1), end=dt.date(2024, 7, 31)))
    assert set(view.shown["id"]) == set(up_to_july["id"]) and 0 < len(view.shown) < view.keep.sum()
    assert view.play_words().startswith("playback step 7 of 12: up to 31 Jul 2024")


def test_a_step_past_a_narrower_period_is_clamped(events):
    view = page_view.compute(events, YEAR, Play("month", "sliding", 40))
    assert view.play == Play("month", "sliding", 11) and view.play_param() == "month-sliding-11"
    assert view.page_flt.start == dt.date(2024, 12, 1)


def test_nothing_dated_to_play_turns_playback_off(events):
    nothing = EventFilter(event_types=())
    view = page_view.compute(events, nothing, Play())
    assert view.play is None and view.map_config() == playback.config(None, None) and len(view.shown) == 0


def test_a_selection_outside_the_page_is_named(events):
    jan_2026 = events[(events["date"] >= "2026-01-01") & ~events["event_type"].isin(["border_crossing", "border_market"])]
    picked = jan_2026.iloc[0]
    view = page_view.compute(events, YEAR, None)
    assert page_view.selection_outside(events, view.in_page, picked["id"]) == picked["title"]
    inside = view.shown.iloc[0]["id"]
    assert page_view.selection_outside(events, view.in_page, inside) is None
    assert page_view.selection_outside(events, view.in_page, None) is None
    assert page_view.selection_outside(events, view.in_page, "no-such-event") == "no-such-event"


def test_hidden_rows_leave_the_page_and_the_maps_selection(events):
    hidden = np.zeros(len(events), dtype=bool)
    hidden[:5] = True  # an uploaded file switched off
    view = page_view.compute(events, EventFilter(), None, hidden=hidden)
    assert not view.keep[:5].any() and view.keep[5:].all()
    assert len(view.shown) == len(events) - 5


PANEL_FILTERS = [EventFilter(), YEAR, EventFilter(event_types=("attack", "clash"), countries=("PK",)),
                 EventFilter(text="border"), EventFilter(event_types=())]


@pytest.mark.parametrize("flt", PANEL_FILTERS, ids=str)
def test_the_panels_from_the_index_equal_the_panels_of_the_shown_rows(events, flt):
    view = page_view.compute(events, flt, None)
    shown, index, rows = view.shown, view.index, view.in_page
    assert view.count == len(shown) == int(rows.sum())
    assert panels.metric_values_of(index, rows) == panels.metric_values(shown)
    pd.testing.assert_frame_equal(panels.table_frame_of(index, rows, 7), panels.table_frame(shown, 7))
    pd.testing.assert_frame_equal(panels.table_frame_of(index, rows, None), panels.table_frame(shown, None))
    for unit in timeline_panel.UNITS:
        pd.testing.assert_frame_equal(timeline_panel.buckets_of(index, rows, unit),
                                      timeline_panel.buckets(shown.copy(), unit))
    pd.testing.assert_frame_equal(actors_panel.top_frame_of(index, rows), actors_panel.top_frame(shown.copy()))

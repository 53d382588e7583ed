"""Playback steps: the URL form, the map's report, and the windows the timeline marks."""

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from dashboard import playback
from dashboard.playback import Play
from geodata import EventFilter


@pytest.mark.parametrize("text, expected", [
    ("month-cumulative-12", Play("month", "cumulative", 12)),
    ("week-sliding-0", Play("week", "sliding", 0)),
    ("year-cumulative-1", None), ("month-cumulative--1", None), ("month-cumulative-99999", None), ("", None),
    ("month-cumulative-1; drop", None),
])
def test_parse(text, expected):
    assert playback.parse(text) == expected
    if expected:
        assert playback.parse(expected.to_param()) == expected


@pytest.mark.parametrize("report, expected", [
    ({"unit": "week", "mode": "sliding", "step": 3, "token": "x"}, Play("week", "sliding", 3)),
    ({"off": True}, None), ({"unit": "week", "mode": "sliding", "step": "3"}, None), (None, None), ("x", None),
])
def test_from_report(report, expected):
    assert playback.from_report(report) == expected


def test_weeks_run_monday_to_sunday_and_months_follow_the_calendar():
    weeks = playback.steps("week", dt.date(2024, 1, 3), dt.date(2024, 1, 20))  # a Wednesday to a Saturday
    assert weeks == [(dt.date(2024, 1, 3), dt.date(2024, 1, 7)), (dt.date(2024, 1, 8), dt.date(2024, 1, 14)),
                     (dt.date(2024, 1, 15), dt.date(2024, 1, 20))]
    months = playback.steps("month", dt.date(2023, 11, 15), dt.date(2024, 2, 2))
    assert [m[0] for m in months] == [dt.date(2023, 11, 15), dt.date(2023, 12, 1), dt.date(2024, 1, 1), dt.date(2024, 2, 1)]
    assert months[1][1] == dt.date(2023, 12, 31) and months[-1][1] == dt.date(2024, 2, 2)


def _rows(*periods) -> pd.DataFrame:
    """Rows with the period columns the date filter reads (None: open)."""
    return pd.DataFrame({"period_start": pd.to_datetime([p[0] for p in periods]),
                         "period_end": pd.to_datetime([p[1] for p in periods])})


def test_the_period_is_the_filters_dates_or_the_rows_first_and_last():
    rows = _rows(("2024-01-16", "2024-01-16"), ("2024-03-05", "2024-03-05"), (None, None), ("2024-01-18", "2024-01-31"))
    assert playback.period(EventFilter(), rows) == (dt.date(2024, 1, 16), dt.date(2024, 3, 5))
    # "2024" plays to December even when its last event is in March (issue 19 item 5).
    year = EventFilter(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert playback.period(year, rows) == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert playback.steps("month", *playback.period(year, rows))[-1] == (dt.date(2024, 12, 1), dt.date(2024, 12, 31))
    assert playback.period(EventFilter(start=dt.date(2024, 2, 1)), rows) == (dt.date(2024, 2, 1), dt.date(2024, 3, 5))
    assert playback.period(EventFilter(), _rows((None, None))) is None


def test_window_cumulative_and_sliding():
    span = (dt.date(2024, 1, 16), dt.date(2024, 3, 5))
    assert playback.window(Play("month", "cumulative", 1), span) == (dt.date(2024, 1, 16), dt.date(2024, 2, 29))
    assert playback.window(Play("month", "sliding", 2), span) == (dt.date(2024, 3, 1), dt.date(2024, 3, 5))
    assert playback.window(Play("month", "sliding", 99), span) == (dt.date(2024, 3, 1), dt.date(2024, 3, 5))


def test_a_step_past_the_end_is_clamped_and_nothing_to_play_ends_playback():
    span = (dt.date(2024, 1, 16), dt.date(2024, 3, 5))
    assert playback.clamp(Play("month", "sliding", 99), span) == Play("month", "sliding", 2)
    assert playback.clamp(Play("week", "cumulative", 3), span) == Play("week", "cumulative", 3)
    assert playback.clamp(Play(), None) is None and playback.clamp(None, span) is None


def test_a_steps_filter_narrows_only_the_dates():
    flt = EventFilter(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), event_types=("attack",), text="x")
    step = playback.frame_filter(flt, Play("month", "sliding", 6), (flt.start, flt.end))
    assert step == replace(flt, start=dt.date(2024, 7, 1), end=dt.date(2024, 7, 31))
    cumulative = playback.frame_filter(flt, Play("month", "cumulative", 6), (flt.start, flt.end))
    assert (cumulative.start, cumulative.end) == (dt.date(2024, 1, 1), dt.date(2024, 7, 31))


def test_the_map_gets_both_units_steps_as_days():
    span = (dt.date(2024, 1, 1), dt.date(2024, 2, 10))
    config = playback.config(Play("week", "cumulative", 2), span)
    day = (dt.date(2024, 1, 1) - dt.date(1970, 1, 1)).days
    assert config["state"] == {"unit": "week", "mode": "cumulative", "step": 2} and config["first"] == day
    months = [(a - dt.date(1970, 1, 1)).days for pair in playback.steps("month", *span) for a in pair]
    assert config["steps"]["month"] == months == [day, day + 30, day + 31, day + 40]
    assert len(config["steps"]["week"]) == 2 * len(playback.steps("week", *span)) == 12
    assert playback.config(None, span)["state"] is None
    assert playback.config(None, None) == {"state": None, "first": None, "steps": {}}


def test_step_words():
    span = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert playback.step_words(Play("month", "cumulative", 6), span, str) == \
        "playback step 7 of 12: up to 2024-07-31"
    assert playback.step_words(Play("month", "sliding", 11), span, str) == \
        "playback step 12 of 12: 2024-12-01 – 2024-12-31"

"""Playback steps: the URL form, the map's report, and the windows the timeline marks."""

import datetime as dt

import pytest

from dashboard import playback
from dashboard.playback import Play


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


def test_window_cumulative_and_sliding():
    dates = [dt.date(2024, 1, 16), dt.date(2024, 3, 5), None, dt.date(2024, 1, 18)]
    assert playback.window(Play("month", "cumulative", 1), dates) == (dt.date(2024, 1, 16), dt.date(2024, 2, 29))
    assert playback.window(Play("month", "sliding", 2), dates) == (dt.date(2024, 3, 1), dt.date(2024, 3, 5))
    assert playback.window(Play("month", "sliding", 99), dates) == (dt.date(2024, 3, 1), dt.date(2024, 3, 5))
    assert playback.window(Play(), [None]) is None

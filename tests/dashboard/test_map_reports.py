"""dashboard.map_reports: the map's value taken into the page's state, over a plain mapping for session state."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard import map_reports, url_view

IDS = np.array(["a", "b", "c"])
VIEW = {"center": {"lat": 27.5, "lng": 62.25}, "zoom": 8,
        "bounds": {"west": 60.0, "south": 26.0, "east": 64.5, "north": 29.0}}


@pytest.fixture
def session(monkeypatch):
    values = {}
    monkeypatch.setattr(url_view.st, "session_state", values)
    return values


def click(row, token="t1", dataset="k"):
    return {**VIEW, "bd_click": {"row": row, "dataset": dataset, "token": token}}


def test_a_view_alone_is_adopted_without_a_rerun(session):
    assert map_reports.handle(VIEW, "k", IDS) is False
    assert url_view.bounds() == VIEW["bounds"]
    assert (27.5, 62.25) in session.values() and 8 in session.values()  # the view, for the link


def test_a_click_selects_its_row_once(session, monkeypatch):
    chosen = []
    monkeypatch.setattr(url_view, "select", lambda event_id, **kw: chosen.append(event_id))
    assert map_reports.handle(click(1), "k", IDS) is True
    assert map_reports.handle(click(1), "k", IDS) is False  # the value repeats the last click on every rerun
    assert map_reports.handle(click(2, token="t2"), "k", IDS) is True
    assert chosen == ["b", "c"]


@pytest.mark.parametrize("report", [
    click(1, dataset="old"),  # a click on the dataset the map drew before this run
    click(3), click(-1), click("1"),  # not a row of this dataset
    {**VIEW, "bd_click": "b"},  # not a report at all
])
def test_clicks_that_do_not_name_a_row_of_this_dataset_are_ignored(session, report):
    assert map_reports.handle(report, "k", IDS) is False


def test_closing_the_popup_clears_the_selection(session, monkeypatch):
    chosen = []
    monkeypatch.setattr(url_view, "select", lambda event_id, **kw: chosen.append((event_id, kw)))
    assert map_reports.handle(click(0), "k", IDS) is True
    assert map_reports.handle(click(None, token="t2"), "k", IDS) is True
    assert chosen == [("a", {"from_map": True}), (None, {"from_map": True})]


def test_a_playback_stop_reruns_once(session):
    stop = {**VIEW, "bd_play": {"token": "p1", "unit": "month", "mode": "cumulative", "step": 2}}
    assert map_reports.handle(stop, "k", IDS) is True
    assert map_reports.handle(stop, "k", IDS) is False

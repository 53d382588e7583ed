"""Time playback on the map: stepping through the filtered period, the frame in the link, the timeline's mark."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

import geodata
from dashboard import playback
from tests.e2e.test_browser import CONTAINER, RERUN, expect_drawn, open_app, query, wait_for_script_end

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def strikes():
    return geodata.filter_events(geodata.load_events(), geodata.EventFilter(event_types=("cross_border_strike",)))


def frame_count(strikes, play: playback.Play) -> int:
    start, end = playback.window(play, strikes["date"])
    dates = strikes["date"].dt.date
    return int(((dates <= end) & ((dates >= start) | (play.mode == "cumulative"))).sum())


def test_stepping_through_months_draws_each_frame_and_puts_it_in_the_link(page, app_url, strikes):
    frame = open_app(page, app_url, "?basemap=none&types=cross_border_strike")
    expect_drawn(frame, len(strikes))
    wait_for_script_end(page)
    control = frame.locator(".bd-play")
    expect(control).to_contain_text("Play the filtered period through time")

    control.get_by_role("button", name="Next step").click()  # starts playback, paused on the first month
    first = playback.Play("month", "cumulative", 0)
    expect_drawn(frame, frame_count(strikes, first))
    expect(frame.locator(CONTAINER)).to_have_attribute("data-play-step", "0")
    expect(page).to_have_url(re.compile(r"[?&]play=month-cumulative-0(&|$)"), timeout=RERUN)

    control.get_by_role("button", name="Next step").click()
    expect(frame.locator(CONTAINER)).to_have_attribute("data-play-step", "1")
    expect_drawn(frame, frame_count(strikes, playback.Play("month", "cumulative", 1)))
    expect(page).to_have_url(re.compile(r"[?&]play=month-cumulative-1(&|$)"), timeout=RERUN)
    wait_for_script_end(page)
    expect(page.get_by_text("Shaded: the playback frame on the map")).to_be_visible()

    control.get_by_role("button", name="Stop playback, show all").click()
    expect_drawn(frame, len(strikes))
    expect(page).not_to_have_url(re.compile(r"[?&]play="), timeout=RERUN)


def test_a_shared_frame_opens_on_that_frame(page, app_url, strikes):
    last = max(strikes["date"]).date()
    first = min(strikes["date"]).date()
    steps = playback.steps("month", first, last)
    play = playback.Play("month", "sliding", len(steps) - 1)
    frame = open_app(page, app_url, f"?basemap=none&types=cross_border_strike&play={play.to_param()}")
    expect_drawn(frame, frame_count(strikes, play))
    expect(frame.locator(".bd-play-label")).to_contain_text(f"Step {len(steps)} of {len(steps)}")
    assert query(page)["play"] == [play.to_param()]
    assert frame_count(strikes, play) < len(strikes)
    assert isinstance(last, dt.date)

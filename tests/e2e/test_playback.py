"""Time playback: stepping through the filtered period moves the map AND the page (header, metrics, table), the
step goes in the link, and a period plays to the filter's end (issue 19 item 5)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from playwright.sync_api import expect

import geodata
from dashboard import page_view, playback
from tests.e2e.test_browser import CONTAINER, RERUN, expect_drawn, open_app, query, sidebar_caption, wait_for_script_end

pytestmark = pytest.mark.e2e

STRIKES = geodata.EventFilter(event_types=("cross_border_strike",))
YEAR_2024 = geodata.EventFilter(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))


@pytest.fixture(scope="module")
def events():
    return geodata.load_events()


def on_page(events, flt, play: playback.Play) -> int:
    """How many events the page shows at this step: counted by the date filter, independently of the map."""
    span = playback.period(flt, geodata.filter_events(events, flt))
    return len(geodata.filter_events(events, playback.frame_filter(flt, play, span)))


def header(page):
    """The caption under the page's title: "N of M events · filters in words"."""
    return page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first


def expect_page_shows(page, frame, events, n: int) -> None:
    """The map and the page's own count agree on ``n`` (the header and the sidebar say "n of N events")."""
    expect_drawn(frame, n)
    expect(sidebar_caption(page)).to_have_text(f"{n} of {len(events)} events", timeout=RERUN)
    expect(header(page)).to_contain_text(f"{n} of {len(events)} events")


def test_stepping_moves_the_map_and_the_whole_page_and_the_link(page, app_url, events):
    strikes = geodata.filter_events(events, STRIKES)
    frame = open_app(page, app_url, "?basemap=none&types=cross_border_strike")
    expect_drawn(frame, len(strikes))
    wait_for_script_end(page)
    control = frame.locator(".bd-play")
    expect(control).to_contain_text("Play the filtered period through time")

    control.get_by_role("button", name="Next step").click()  # starts playback, paused on the first month
    first = playback.Play("month", "cumulative", 0)
    expect(frame.locator(CONTAINER)).to_have_attribute("data-play-step", "0")
    expect(page).to_have_url(re.compile(r"[?&]play=month-cumulative-0(&|$)"), timeout=RERUN)
    expect_page_shows(page, frame, events, on_page(events, STRIKES, first))

    control.get_by_role("button", name="Next step").click()
    second = playback.Play("month", "cumulative", 1)
    expect(frame.locator(CONTAINER)).to_have_attribute("data-play-step", "1")
    expect(page).to_have_url(re.compile(r"[?&]play=month-cumulative-1(&|$)"), timeout=RERUN)
    expect_page_shows(page, frame, events, on_page(events, STRIKES, second))
    wait_for_script_end(page)
    expect(page.get_by_text("Shaded: the playback frame on the map")).to_be_visible()
    expect(header(page)).to_contain_text("playback step 2 of")

    control.get_by_role("button", name="Stop playback, show all").click()
    expect(page).not_to_have_url(re.compile(r"[?&]play="), timeout=RERUN)
    expect_page_shows(page, frame, events, len(strikes))


def test_a_paused_step_filters_the_metrics_and_table(page, app_url, events):
    play = playback.Play("month", "cumulative", 6)  # "Step 7 of 12: up to 31 Jul 2024"
    frame = open_app(page, app_url, f"?basemap=none&start=2024-01-01&end=2024-12-31&play={play.to_param()}")
    step = geodata.filter_events(events, page_view.compute(events, YEAR_2024, play).page_flt)
    assert 0 < len(step) < len(geodata.filter_events(events, YEAR_2024))
    expect_page_shows(page, frame, events, len(step))
    expect(frame.locator(".bd-play-label")).to_contain_text("Step 7 of 12: up to 31 Jul 2024")
    wait_for_script_end(page)
    incidents = int((~step["event_type"].isin(["border_crossing", "border_market"])).sum())
    metric = page.get_by_test_id("stMetric").filter(has_text="Incidents")
    expect(metric.get_by_test_id("stMetricValue")).to_have_text(str(incidents))
    newest = step.sort_values("date", ascending=False)["title"].iloc[0]
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    assert step["date"].max() <= dt.datetime(2024, 7, 31)
    # The table's first (newest) row is the step's newest event, not December's.
    expect(grid.locator("[role=gridcell]").filter(has_text=newest[:30]).first).to_be_attached(timeout=RERUN)
    # The downloads hold the step too: the CSV has the step's rows, the figure is named for the step's dates.
    with page.expect_download() as csv:
        page.get_by_role("button", name="Events as CSV").click()
    rows = pd.read_csv(csv.value.path(), dtype=str, keep_default_na=False)
    assert sorted(rows["id"]) == sorted(step["id"])
    with page.expect_download() as figure:
        page.get_by_role("button", name="Download briefing figure").click()
    assert "_2024-01-01_2024-07-31_" in figure.value.suggested_filename, figure.value.suggested_filename


def test_a_year_plays_to_its_last_month(page, app_url, events):
    """Playing 2024 has a December step, although the last event of 2024 is earlier."""
    last = playback.Play("month", "sliding", 11)
    frame = open_app(page, app_url, f"?basemap=none&start=2024-01-01&end=2024-12-31&play={last.to_param()}")
    expect(frame.locator(".bd-play-label")).to_contain_text("Step 12 of 12: 1 Dec 2024 – 31 Dec 2024")
    assert query(page)["play"] == [last.to_param()]
    expect_page_shows(page, frame, events, on_page(events, YEAR_2024, last))


def test_a_shared_step_past_the_end_opens_on_the_last_step(page, app_url, events):
    strikes = geodata.filter_events(events, STRIKES)
    span = playback.period(STRIKES, strikes)
    steps = playback.steps("month", *span)
    play = playback.Play("month", "sliding", len(steps) + 5)
    frame = open_app(page, app_url, f"?basemap=none&types=cross_border_strike&play={play.to_param()}")
    clamped = playback.Play("month", "sliding", len(steps) - 1)
    expect(frame.locator(".bd-play-label")).to_contain_text(f"Step {len(steps)} of {len(steps)}")
    expect(page).to_have_url(re.compile(rf"[?&]play={clamped.to_param()}(&|$)"), timeout=RERUN)
    expect_page_shows(page, frame, events, on_page(events, STRIKES, clamped))

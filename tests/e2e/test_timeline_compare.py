"""Browser: brushing the timeline sets the filter's dates in the link; a compared period draws its rings."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from playwright.sync_api import expect

import geodata
from geodata import EventFilter
from geodata.compare import compare_periods, period_a
from tests.e2e.test_browser import CONTAINER, FIRST_LOAD, RERUN, open_app, query, wait_for_script_end

pytestmark = pytest.mark.e2e


def test_brushing_the_timeline_sets_start_and_end(page, app_url):
    open_app(page, app_url, "?basemap=none&start=2024-01-01&end=2024-12-31")
    wait_for_script_end(page)
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.scroll_into_view_if_needed()
    expect(chart.locator("canvas, svg").first).to_be_visible(timeout=FIRST_LOAD)
    box = chart.bounding_box()
    assert box and box["width"] > 200
    y = box["y"] + 100  # inside the plot (title above, legend below)
    page.mouse.move(box["x"] + box["width"] * 0.35, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.55, y, steps=8)
    page.mouse.move(box["x"] + box["width"] * 0.65, y, steps=8)
    page.mouse.up()
    page.wait_for_function("() => !/start=2024-01-01&end=2024-12-31/.test(location.search)", timeout=RERUN)
    wait_for_script_end(page)
    got = query(page)
    start, end = dt.date.fromisoformat(got["start"][0]), dt.date.fromisoformat(got["end"][0])
    # Whole months (the default granularity), inside the year, narrower than it.
    assert start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    assert dt.date(2024, 1, 1) <= start < end <= dt.date(2024, 12, 31)
    assert (start, end) != (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    # The date field shows what the link says.
    fields = page.get_by_test_id("stSidebar").get_by_test_id("stDateInput").first.locator('input[type="date"]')
    expect(fields.first).to_have_value(start.isoformat(), timeout=RERUN)
    expect(fields.nth(1)).to_have_value(end.isoformat(), timeout=RERUN)


def test_compare_draws_period_a_as_rings_with_a_legend_line(page, app_url):
    events = geodata.load_events()
    b = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    expected = int(compare_periods(events, EventFilter(start=b[0], end=b[1]), period_a("year", b), b).a_mask.sum())
    frame = open_app(page, app_url, "?basemap=none&start=2024-01-01&end=2024-12-31&compare=year")
    expect(frame.locator(CONTAINER)).to_have_attribute("data-compare-drawn", str(expected), timeout=RERUN)
    expect(frame.locator(".bd-legend")).to_contain_text(f"{expected} in period A, 1 Jan 2023 – 31 Dec 2023")
    wait_for_script_end(page)
    expect(page.get_by_test_id("stMetricDelta").first).to_be_visible()

"""How the map behaves for a user: the page scrolls past it, popups stay inside it, the legend folds on a phone,
the offline land never ends in a rectangle, and failing tiles are said, not credited. Real Chromium, real app."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import geodata
from dashboard import panels
from scripts.browser import MAP_FRAME
from tests.e2e.test_browser import (
    CONTAINER,
    FIRST_LOAD,
    RERUN,
    click_table_row,
    map_frame,
    open_app,
    wait_for_script_end,
)

pytestmark = pytest.mark.e2e


def test_the_wheel_scrolls_the_page_until_the_map_is_clicked(page, app_url):
    open_app(page, app_url, "?basemap=none")
    wait_for_script_end(page)
    iframe = map_frame(page)
    zoom = iframe.evaluate("() => window.map.getZoom()")
    box = page.locator(MAP_FRAME).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    scrolled = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop")
    for _ in range(5):
        page.mouse.wheel(0, 300)
    page.wait_for_function(
        "(before) => document.querySelector('[data-testid=\"stMain\"]').scrollTop > before", arg=scrolled)
    assert iframe.evaluate("() => window.map.getZoom()") == zoom
    expect(page.frame_locator(MAP_FRAME).locator(CONTAINER)).to_have_attribute("data-wheel-zoom", "0")


def test_a_table_selection_opens_a_popup_that_fits_inside_the_map(page, app_url):
    strikes = geodata.filter_events(geodata.load_events(), geodata.EventFilter(event_types=("cross_border_strike",)))
    newest = panels.table_frame(strikes)["Title"].iloc[0]  # the table's first row
    frame = open_app(page, app_url, "?basemap=none&types=cross_border_strike")
    wait_for_script_end(page)
    click_table_row(page, 0)
    popup = frame.locator(".leaflet-popup").first
    expect(popup).to_contain_text(newest, timeout=RERUN)
    iframe = map_frame(page)
    # Wait until the map has flown to the event and the popup has panned into view.
    iframe.wait_for_function("() => window.map.getZoom() >= 8", timeout=RERUN)
    wait_for_script_end(page)
    # The popup's auto-pan animates: wait for it to come to rest fully inside the map.
    iframe.wait_for_function("""() => { const m = document.querySelector('.leaflet-container').getBoundingClientRect();
        const p = document.querySelector('.leaflet-popup').getBoundingClientRect();
        return !window.map._panAnim?._inProgress && p.top >= m.top && p.left >= m.left && p.bottom <= m.bottom
               && p.right <= m.right; }""", timeout=RERUN)


@pytest.mark.parametrize("sized_page", [(390, 844)], indirect=True)
def test_on_a_phone_the_legend_folds_and_covers_little_of_the_map(sized_page, app_url):
    frame = open_app(sized_page, app_url, "?basemap=none")
    legend = frame.locator(".bd-legend")
    expect(legend).to_have_class(re.compile(r"\bbd-collapsed\b"))

    def share() -> float:
        return map_frame(sized_page).evaluate("""() => { const m = document.querySelector('.leaflet-container').getBoundingClientRect();
            const l = document.querySelector('.bd-legend').getBoundingClientRect();
            return (l.width * l.height) / (m.width * m.height); }""")

    assert share() <= 0.4
    frame.locator(".bd-legend-toggle").click()
    expect(legend).not_to_have_class(re.compile(r"\bbd-collapsed\b"))
    expect(legend).to_contain_text("Attack")
    frame.locator(".bd-legend-toggle").click()
    expect(legend).to_have_class(re.compile(r"\bbd-collapsed\b"))
    assert share() <= 0.4


def test_the_offline_land_never_shows_its_edge(page, app_url):
    frame = open_app(page, app_url, "?basemap=none")
    expect(frame.locator(CONTAINER)).to_have_attribute("data-basemap-ready", "1", timeout=FIRST_LOAD)
    iframe = map_frame(page)
    iframe.evaluate("() => { window.map.setZoom(3, {animate: false}); }")
    iframe.wait_for_function("() => !window.map._animatingZoom")
    # The view stays inside the frame the land is drawn for, however far out the user zooms.
    inside = iframe.evaluate("""() => { const b = window.map.getBounds(), f = window.map.options.maxBounds;
        return !!f && f.pad(0.01).contains(b); }""")
    assert inside
    assert iframe.evaluate("() => window.map.getZoom()") >= 4


def test_province_names_only_where_they_do_not_overlap(page, app_url):
    frame = open_app(page, app_url)  # tiles: zooming out is not limited by the offline land's frame
    iframe = map_frame(page)
    expect(frame.locator(".bd-province-label")).to_have_count(2, timeout=RERUN)
    iframe.evaluate("() => { window.map.setZoom(5, {animate: false}); }")
    expect(frame.locator(".bd-province-label")).to_have_count(0)
    iframe.evaluate("() => { window.map.setZoom(7, {animate: false}); }")
    expect(frame.locator(".bd-province-label")).to_have_count(2)


def test_failing_tiles_are_said_not_credited(page, app_url):
    # Every tile request is aborted by the off-host guard, as on a network without internet.
    frame = open_app(page, app_url)
    container = frame.locator(CONTAINER)
    expect(container).to_have_attribute("data-tiles", "unavailable", timeout=RERUN)
    attribution = frame.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("Tiles unavailable")
    expect(attribution).not_to_contain_text("CARTO")
    expect(attribution).to_contain_text("Natural Earth")

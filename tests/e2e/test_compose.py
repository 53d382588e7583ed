"""Features used together, as analysts and briefers combine them (issue 19): heat on then off on every basemap, a
popup closed or filtered away, a selection made on the map and the table, a crossing's status source, stacks
while panning, the first click on a page that moved. Real Chromium against a real `streamlit run`, offline."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

import geodata
from dashboard import panels
from scripts.browser import MAP_FRAME
from tests.e2e.test_browser import (
    CONTAINER,
    RERUN,
    click_event,
    expect_drawn,
    map_frame,
    open_app,
    query,
    sidebar_caption,
    wait_for_script_end,
)

pytestmark = pytest.mark.e2e

_PLACES = ("border_crossing", "border_market")


@pytest.fixture(scope="module")
def events():
    return geodata.load_events()


@pytest.fixture
def page_errors(page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def close_popup(frame) -> None:
    """Close the open popup with its ×, as a user does."""
    frame.locator(".leaflet-popup-close-button").click()


def details(page):
    return page.get_by_test_id("stColumn").filter(has=page.get_by_role("heading", name="Details"))


@pytest.mark.parametrize("basemap", ["none", "light", "satellite"])
def test_heat_switched_on_then_off_leaves_a_working_map(page, app_url, events, page_errors, basemap):
    frame = open_app(page, app_url, f"?basemap={basemap}")
    wait_for_script_end(page)
    toggle = page.get_by_test_id("stSidebar").get_by_role("switch", name="Heatmap")
    toggle.check(force=True)
    expect(frame.locator(".leaflet-bdHeat-pane canvas")).to_have_count(1, timeout=RERUN)
    expect(frame.locator(".bd-legend")).to_contain_text("heat: density", timeout=RERUN)
    expect(page).to_have_url(re.compile(r"[?&]heat=1(&|$)"), timeout=RERUN)
    wait_for_script_end(page)

    toggle.uncheck(force=True)
    expect(page).not_to_have_url(re.compile(r"[?&]heat=1"), timeout=RERUN)
    expect(frame.locator(CONTAINER)).to_have_attribute("data-events-ready", "1", timeout=RERUN)
    expect(frame.locator(".bd-legend")).not_to_contain_text("heat: density", timeout=RERUN)
    expect(frame.locator("canvas.leaflet-heatmap-layer")).to_have_count(0)
    wait_for_script_end(page)

    # Later updates still draw what the page counts.
    page.get_by_test_id("stSidebar").locator(".st-key-date_presets").get_by_role("button", name="2024").click()
    year = geodata.filter_events(events, geodata.EventFilter(start=dt.date(2024, 1, 1),
                                                             end=dt.date(2024, 12, 31)))
    expect(sidebar_caption(page)).to_have_text(f"{len(year)} of {len(events)} events", timeout=RERUN)
    expect_drawn(frame, len(year))
    assert page_errors == []


def test_closing_a_popup_ends_the_selection_for_good(page, app_url, events):
    strikes = geodata.filter_events(events, geodata.EventFilter(event_types=("cross_border_strike",)))
    frame = open_app(page, app_url, "?basemap=none&types=cross_border_strike")
    wait_for_script_end(page)
    target = strikes.iloc[0]
    click_event(page, target["lat"], target["lon"])
    expect(page).to_have_url(re.compile(rf"[?&]sel={re.escape(target['id'])}(&|$)"), timeout=RERUN)
    expect(details(page).locator("h4")).to_have_text(target["title"], timeout=RERUN)
    wait_for_script_end(page)

    close_popup(frame)
    expect(page).not_to_have_url(re.compile(r"[?&]sel="), timeout=RERUN)
    expect(details(page)).to_contain_text("Click a point on the map", timeout=RERUN)
    wait_for_script_end(page)
    # Another rerun (a filter change) does not bring the popup back.
    page.get_by_test_id("stSidebar").get_by_role("switch", name="Cluster nearby points").check(force=True)
    expect(page).to_have_url(re.compile(r"[?&]cluster=1(&|$)"), timeout=RERUN)
    wait_for_script_end(page)
    expect(frame.locator(CONTAINER)).to_have_attribute("data-events-ready", "1")
    expect(frame.locator(".leaflet-popup")).to_have_count(0)


def test_a_selection_the_filter_leaves_out_is_cleared_with_a_word(page, app_url, events):
    recent = events[(events["date"] >= "2026-01-01") & ~events["event_type"].isin(_PLACES)].iloc[0]
    frame = open_app(page, app_url, f"?basemap=none&sel={recent['id']}")
    expect(frame.locator(".leaflet-popup-content", has_text=recent["title"])).to_be_visible(timeout=RERUN)
    wait_for_script_end(page)

    page.get_by_test_id("stSidebar").locator(".st-key-date_presets").get_by_role("button", name="2024").click()
    expect(page.get_by_test_id("stToast")).to_contain_text("Selection cleared", timeout=RERUN)
    expect(page.get_by_test_id("stToast")).to_contain_text(recent["title"][:40])
    expect(page).not_to_have_url(re.compile(r"[?&]sel="), timeout=RERUN)
    expect(frame.locator(".leaflet-popup")).to_have_count(0, timeout=RERUN)
    expect(details(page)).to_contain_text("Click a point on the map")
    expect(details(page)).not_to_contain_text("not in the data")


def test_a_selection_made_on_the_map_is_marked_in_the_table(page, app_url, events):
    strikes = geodata.filter_events(events, geodata.EventFilter(event_types=("cross_border_strike",)))
    table = panels.table_frame(strikes)
    target = strikes[strikes["id"] == table["id"].iloc[2]].iloc[0]  # the table's third row
    frame = open_app(page, app_url, "?basemap=none&types=cross_border_strike")
    wait_for_script_end(page)
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    expect(grid.locator('tr[role=row][aria-selected="true"]')).to_have_count(0)
    click_event(page, target["lat"], target["lon"])
    expect(page).to_have_url(re.compile(rf"[?&]sel={re.escape(target['id'])}(&|$)"), timeout=RERUN)
    marked = grid.locator('tr[role=row][aria-selected="true"]')
    expect(marked).to_have_count(1, timeout=RERUN)
    expect(marked).to_contain_text(target["title"][:40])
    wait_for_script_end(page)
    # The marked row is no new pick: the map is not sent flying to it (it stays at the user's zoom).
    assert map_frame(page).evaluate("() => window.map.getZoom()") < 8
    # Closing the popup unmarks it.
    close_popup(frame)
    expect(page).not_to_have_url(re.compile(r"[?&]sel="), timeout=RERUN)
    expect(marked).to_have_count(0, timeout=RERUN)


def test_a_crossings_popup_cites_the_source_of_its_status(page, app_url, events):
    status = geodata.load_place_status()
    day = "2025-06-20"
    raajay = events[events["id"] == "crossing-raajay-chagai"].iloc[0]
    on_day = geodata.periods_on(status, day).loc["crossing-raajay-chagai"]
    assert on_day["source_url"] != raajay["source_url"]
    frame = open_app(page, app_url, f"?basemap=none&types=border_crossing&end={day}")
    wait_for_script_end(page)
    click_event(page, raajay["lat"], raajay["lon"])
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(f"Status on 20 Jun 2025: {on_day['status']}", timeout=RERUN)
    status_link = popup.locator(".bd-source", has_text="Status source").locator("a")
    expect(status_link).to_have_attribute("href", on_day["source_url"])
    expect(status_link).to_have_text(on_day["source_title"])
    place_link = popup.locator(".bd-source", has_text="Place source").locator("a")
    expect(place_link).to_have_attribute("href", raajay["source_url"])


def test_a_stack_counts_the_same_wherever_the_map_is_panned(page, app_url, events):
    spot = events.groupby(["lat", "lon"]).size().idxmax()  # the spot with the most events (Turbat)
    expected = int(events.groupby(["lat", "lon"]).size().max())
    frame = open_app(page, app_url, "?basemap=none")
    wait_for_script_end(page)
    iframe = map_frame(page)
    seen = {}
    for zoom in (6, 7, 8, 9):
        iframe.evaluate("([lat, lon, z]) => { window.map.setView([lat, lon], z, {animate: false}); }", [*spot, zoom])
        for dx in range(0, 12):
            iframe.evaluate("([dx, dy]) => { window.map.panBy([dx, dy], {animate: false}); }", [dx % 5, dx // 3])
            seen.setdefault(zoom, set()).add(int(frame.locator(CONTAINER).get_attribute("data-events-largest-stack")))
    # One count at every offset (binned on the screen, Turbat read 25 or 26 a few pixels apart), and the stack
    # holds at least the events at exactly that spot.
    for zoom, counts in seen.items():
        assert len(counts) == 1 and min(counts) >= expected, (zoom, counts)


def test_the_first_click_on_a_page_that_moved_opens_the_event(page, app_url, events):
    """Notices above the map push it down, partly below the fold; the first click must land where it was aimed."""
    page.set_viewport_size({"width": 1280, "height": 720})
    frame = open_app(page, app_url, "?basemap=none&minfat=x&maxkm=y&zoom=99&country=ZZ")
    wait_for_script_end(page)
    iframe = map_frame(page)
    box = page.locator(MAP_FRAME).bounding_box()
    assert box["y"] + box["height"] > 720  # the map runs below the fold
    visible = []
    for _, row in events.iterrows():
        x, y = iframe.evaluate(
            "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
            [row["lat"], row["lon"]])
        alone = ((events["lat"] - row["lat"]).abs() + (events["lon"] - row["lon"]).abs() < 0.3).sum() == 1
        if alone and 60 < x < box["width"] - 260 and 60 < y and box["y"] + y < 700:
            visible.append((x, y, row["title"]))
    assert visible, "no lone event in the visible part of the map"
    x, y, title = visible[0]
    before = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop")
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(frame.locator(".leaflet-popup-content .bd-popup b").first).to_have_text(title, timeout=RERUN)
    assert page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop") == before
    expect(page).to_have_url(re.compile(r"[?&]sel="), timeout=RERUN)


def test_heat_on_survives_a_change_of_basemap(page, app_url, events, page_errors):
    """Found by the model-based test (seed 1): the replaced map, resized to nothing, made leaflet.heat throw."""
    frame = open_app(page, app_url, "?basemap=none&heat=1")
    wait_for_script_end(page)
    expect(frame.locator(".leaflet-bdHeat-pane canvas")).to_have_count(1, timeout=RERUN)
    page.get_by_test_id("stSidebar").get_by_text("Satellite (tiles)").click()
    expect(page).to_have_url(re.compile(r"[?&]basemap=satellite(&|$)"), timeout=RERUN)
    wait_for_script_end(page)
    expect_drawn(frame, len(events))
    expect(frame.locator(".leaflet-bdHeat-pane canvas")).to_have_count(1, timeout=RERUN)
    assert page_errors == []


def test_a_change_of_basemap_while_playing_stops_the_old_maps_timer(page, app_url, events, page_errors):
    """The map component builds the new basemap's map in the same frame: the old map's playback must not go on
    ticking (and throwing) once that map is gone."""
    frame = open_app(page, app_url, "?basemap=none")
    wait_for_script_end(page)
    frame.locator(".bd-play").get_by_role("button", name="Play through time").click()
    map_frame(page).wait_for_function("() => !!window.map.__bdEvents.playback.timer")
    old = map_frame(page).evaluate_handle("() => window.map")
    page.get_by_test_id("stSidebar").get_by_text("Satellite (tiles)").click()
    expect(page).to_have_url(re.compile(r"[?&]basemap=satellite(&|$)"), timeout=RERUN)
    map_frame(page).wait_for_function("(old) => window.map !== old", arg=old)
    assert old.evaluate("(m) => m.__bdEvents.playback.timer") is None
    expect(frame.locator(CONTAINER)).to_have_count(1)
    wait_for_script_end(page)
    assert page_errors == []


def test_a_change_of_basemap_keeps_the_selected_event(page, app_url, events):
    """Found by the model-based test: removing the old map closed its popup, and that closing was reported as the
    user ending the selection, so a new basemap lost the selected event (a moment after it had opened again)."""
    target = events[events["event_type"] == "cross_border_strike"].iloc[0]
    frame = open_app(page, app_url, f"?basemap=none&sel={target['id']}")
    expect(frame.locator(".leaflet-popup-content", has_text=target["title"])).to_be_visible(timeout=RERUN)
    wait_for_script_end(page)
    cluster = page.get_by_test_id("stSidebar").get_by_role("switch", name="Cluster nearby points")
    for label, on in (("Satellite (tiles)", True), ("Light (tiles)", False)):
        old = map_frame(page).evaluate_handle("() => window.map")
        page.get_by_test_id("stSidebar").get_by_text(label).click()
        map_frame(page).wait_for_function("(old) => window.map !== old", arg=old)
        wait_for_script_end(page)
        # A later rerun, asked after everything the new map said on being built, has seen those reports.
        cluster.check(force=True) if on else cluster.uncheck(force=True)
        expect(page).to_have_url(re.compile(r"[?&]cluster=1(&|$)" if on else r"^(?!.*[?&]cluster=)"),
                                 timeout=RERUN)
        wait_for_script_end(page)
        expect(page).to_have_url(re.compile(rf"[?&]sel={re.escape(target['id'])}(&|$)"))
        expect(frame.locator(".leaflet-popup-content", has_text=target["title"])).to_be_visible()
        expect(details(page).locator("h4")).to_have_text(target["title"])


def _download_name(page, button: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    return download.value.suggested_filename


def test_downloads_of_different_views_and_filters_never_share_a_name(page, app_url):
    """Issue 19 item 14: two figures (or two event files) of what the page showed at two moments must not overwrite
    each other in the downloads folder: another filter, or the same filter framed at another map view."""
    frame = open_app(page, app_url, "?basemap=none&start=2024-01-01&end=2024-12-31")
    wait_for_script_end(page)
    year_view = _download_name(page, "Download briefing figure")
    year_csv = _download_name(page, "Events as CSV")
    year_geojson = _download_name(page, "Events as GeoJSON")

    # The same filter, the map zoomed in on Turbat: the "Map view" figure frames something else.
    map_frame(page).evaluate("() => { window.map.setView([26.0, 63.05], 9, {animate: false}); }")
    expect(page).to_have_url(re.compile(r"[?&]zoom=9(&|$)"), timeout=RERUN)
    wait_for_script_end(page)
    expect(frame.locator(CONTAINER)).to_have_attribute("data-events-ready", "1")
    zoomed_view = _download_name(page, "Download briefing figure")

    # Another filter, same view.
    page.get_by_test_id("stSidebar").locator(".st-key-date_presets").get_by_role("button", name="2023").click()
    expect(page).to_have_url(re.compile(r"[?&]start=2023-01-01(&|$)"), timeout=RERUN)
    wait_for_script_end(page)
    other_csv = _download_name(page, "Events as CSV")
    other_geojson = _download_name(page, "Events as GeoJSON")

    assert year_view != zoomed_view, (year_view, zoomed_view)
    assert len({year_csv, other_csv}) == 2 and len({year_geojson, other_geojson}) == 2, (year_csv, other_csv)
    as_of = geodata.data_as_of(geodata.load_events()).as_of.isoformat()
    for name in (year_csv, year_geojson):  # the event files still carry the data's as-of date
        assert "2024-01-01_2024-12-31" in name and f"data-as-of-{as_of}" in name, name

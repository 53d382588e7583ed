"""Towns on the web map (issue 22): labels by zoom without overlaps, "Go to place", local names, nearest towns.
Real Chromium, real app."""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

import geodata
from dashboard.basemap import TOWNS_ATTRIBUTION
from geodata.towns import label_zooms, load_towns
from scripts.browser import MAP_FRAME
from tests.e2e.test_browser import CONTAINER, RERUN, click_event, hover_event, map_frame, open_app, wait_for_script_end

pytestmark = pytest.mark.e2e

#: Every town label's box (screen pixels), read after the labels were placed for the map's current zoom.
BOXES = """() => Array.from(document.querySelectorAll('.bd-town')).map(n => {
    const r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, n.textContent]; })"""


def _set_view(iframe, lat: float, lon: float, zoom: int) -> None:
    iframe.evaluate("([lat, lon, zoom]) => { window.map.setView([lat, lon], zoom, {animate: false}); }", [lat, lon, zoom])
    iframe.wait_for_function(
        "(z) => document.querySelector('.leaflet-container').getAttribute('data-towns-zoom') === String(z)",
        arg=zoom, timeout=RERUN)


def _overlapping(boxes) -> list:
    return [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def test_town_labels_are_text_without_overlaps_at_three_zooms(page, app_url):
    frame = open_app(page, app_url, "?basemap=none")
    iframe = map_frame(page)
    counts = {}
    for zoom in (6, 8, 10):
        _set_view(iframe, 27.4, 62.3, zoom)
        boxes = iframe.evaluate(BOXES)
        drawn = int(frame.locator(CONTAINER).get_attribute("data-towns-drawn"))
        assert len(boxes) == drawn > 0, zoom
        assert not _overlapping(boxes), zoom
        counts[zoom] = {text.strip() for *_, text in boxes}
    print("town labels per zoom:", {z: len(names) for z, names in counts.items()})
    # Smaller places join as the map zooms in: at 10, places first labelled at 9 or later show.
    towns = load_towns()
    first_zoom = dict(zip(towns["name"], label_zooms(towns["population"])))
    assert all(first_zoom[name] <= 6 for name in counts[6])
    assert any(first_zoom[name] >= 9 for name in counts[10])
    assert "Sarāvān" in iframe.evaluate("() => document.querySelector('.leaflet-container').innerText")
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("towns GeoNames (CC BY 4.0)")
    assert "GeoNames" in TOWNS_ATTRIBUTION


def test_town_labels_in_presentation_mode_and_on_tiles(page, app_url):
    frame = open_app(page, app_url, "?present=1&zoom=9&lat=27.0&lon=62.5")
    expect(frame.locator(".bd-town").first).to_be_attached(timeout=RERUN)
    assert not _overlapping(map_frame(page).evaluate(BOXES))


def test_go_to_place_moves_the_map_to_the_town(page, app_url):
    open_app(page, app_url, "?basemap=none")
    wait_for_script_end(page)
    town = load_towns().set_index("name").loc["Panjgur"]
    box = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Go to place")
    box.click()
    page.keyboard.type("Panjgur")
    page.get_by_role("option", name="Panjgur").first.click()
    iframe = map_frame(page)
    iframe.wait_for_function(
        """([lat, lon]) => { const c = window.map.getCenter();
            return Math.abs(c.lat - lat) < 0.01 && Math.abs(c.lng - lon) < 0.01 && window.map.getZoom() >= 10; }""",
        arg=[float(town["lat"]), float(town["lon"])], timeout=RERUN)
    # The town is labelled where the map landed (a place without a GeoNames population shows from zoom 9).
    expect(page.frame_locator(MAP_FRAME).locator(".bd-town", has_text="Panjgur")).to_have_count(1, timeout=RERUN)


def test_local_names_reach_the_page_as_text_nodes(page, app_url):
    frame = open_app(page, app_url, "?basemap=none&script=local&zoom=9&lat=27.37&lon=62.33")
    local = frame.locator(".bd-town .bd-local", has_text="سراوان")
    expect(local).to_have_count(1, timeout=RERUN)
    expect(local).to_have_attribute("dir", "rtl")
    expect(local).to_have_attribute("lang", "fa")
    # Text nodes, not markup: the span holds exactly one text node and no element.
    kinds = local.evaluate("n => Array.from(n.childNodes).map(c => c.nodeType)")
    assert kinds == [3]
    expect(page.get_by_test_id("stSidebar").get_by_role("switch", name="Local names (Urdu/Persian)")).to_be_checked()
    assert not _overlapping(map_frame(page).evaluate(BOXES))


def test_a_stack_says_where_and_an_approximate_event_names_its_nearest_town(page, app_url):
    events = geodata.load_events()
    # The biggest stack of events all placed at district level (every one of its popups names a nearest town).
    spots = events.groupby(["lat", "lon"])["location_precision"].agg(["size", lambda s: set(s) == {"district"}])
    spots = spots[spots.iloc[:, 1]].sort_values("size", ascending=False)
    (lat, lon), n = spots.index[0], int(spots["size"].iloc[0])
    assert n > 1
    frame = open_app(page, app_url, f"?basemap=none&zoom=9&lat={lat}&lon={lon}")
    wait_for_script_end(page)
    hover_event(page, lat, lon)
    tip = frame.locator(".bd-tooltip")
    expect(tip).to_contain_text(" events ", timeout=RERUN)
    towns = load_towns()
    d = [math.hypot(lat - a, (lon - b) * math.cos(math.radians(lat))) for a, b in zip(towns["lat"], towns["lon"])]
    nearest = towns["name"].iloc[d.index(min(d))]
    expect(tip).to_contain_text(nearest)
    click_event(page, lat, lon)
    popup = frame.locator(".leaflet-popup")
    expect(popup.locator(".bd-stack-where")).to_contain_text(f"{n} events ", timeout=RERUN)  # a list first
    expect(popup.locator(".bd-stack-where")).to_contain_text(nearest)
    popup.locator(".bd-stack-item").first.click()
    expect(popup.locator(".bd-near")).to_contain_text(f"Nearest town: {nearest}, ", timeout=RERUN)
    assert popup.locator(".bd-near").inner_text().endswith(" km")

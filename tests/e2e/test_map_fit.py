"""What the map shows fits the map at real screen sizes (1280×720 and 390×844): popups with their close button and
source link, the legend, the tiles notice, the province names; land reads as land when the tiles fail; and
presentation mode carries no controls. Real Chromium against a real `streamlit run`, tiles refused (offline)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

import geodata
from scripts.browser import MAP_FRAME
from tests.e2e.test_browser import CONTAINER, FIRST_LOAD, RERUN, click_event, map_frame, open_app, wait_for_script_end

pytestmark = pytest.mark.e2e

#: Turbat: the curated data's biggest stack of events at one spot.
TURBAT = (26.00, 63.05)
#: Inside Kerman province (a neighbour, not a focus province): far from every event and label.
KERMAN = (29.5, 57.0)
LAND = (0xF4, 0xF1, 0xEA)  # the offline land fill (dashboard/static/basemap.js)
SEA = (0xD6, 0xE6, 0xF2)  # the map's background (map.css)
SIZES = [(390, 844), (1280, 720)]


#: Boxes (in the map's frame) of the map container and the named parts; null for an absent or hidden part.
_BOXES_JS = """(parts) => { const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
      return r.width && r.height ? {left: r.left, top: r.top, right: r.right, bottom: r.bottom} : null; };
    const out = {map: box(document.querySelector('.leaflet-container'))};
    for (const [name, sel] of Object.entries(parts)) out[name] = box(document.querySelector(sel));
    return out; }"""

#: The popup is open alone (the one it replaced has faded out) and the map has stopped panning it into view.
_POPUP_SETTLED_JS = """(cls) => document.querySelectorAll('.leaflet-popup').length === 1
    && !!document.querySelector('.leaflet-popup.' + cls) && !window.map._panAnim?._inProgress"""


def _inside(part: dict, outer: dict) -> bool:
    return (part["left"] >= outer["left"] - 0.5 and part["top"] >= outer["top"] - 0.5
            and part["right"] <= outer["right"] + 0.5 and part["bottom"] <= outer["bottom"] + 0.5)


def _apart(a: dict | None, b: dict | None) -> bool:
    return (a is None or b is None or a["right"] <= b["left"] or b["right"] <= a["left"]
            or a["bottom"] <= b["top"] or b["bottom"] <= a["top"])


def _expect_popup_fits(page, cls: str) -> dict:
    iframe = map_frame(page)
    iframe.wait_for_function(_POPUP_SETTLED_JS, arg=cls, timeout=RERUN)
    boxes = iframe.evaluate(_BOXES_JS, {"popup": f".leaflet-popup.{cls}", "close": f".{cls} .leaflet-popup-close-button",
                                        "play": ".bd-play", "legend": ".bd-legend"})
    assert _inside(boxes["popup"], boxes["map"]), boxes
    assert boxes["close"] and _inside(boxes["close"], boxes["map"]), boxes
    assert _apart(boxes["popup"], boxes["play"]), boxes
    assert _apart(boxes["popup"], boxes["legend"]), boxes  # the legend (a control) would be drawn over the popup
    return boxes


# 1600x1000 too: there the popup needs no scrolling, and the back link must still sit in its place.
@pytest.mark.parametrize("sized_page", SIZES + [(1600, 1000)], indirect=True, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_stack_list_and_an_event_popup_fit_inside_the_map_clear_of_the_play_control(sized_page, app_url):
    page = sized_page
    frame = open_app(page, app_url, "?basemap=none")
    wait_for_script_end(page)
    click_event(page, *TURBAT)
    listing = frame.locator(".bd-stack-popup")
    expect(listing).to_be_visible(timeout=RERUN)
    _expect_popup_fits(page, "bd-stack-popup")
    # Its entries and its pager are reachable inside the list.
    for part in (listing.locator(".bd-stack-item").first, listing.locator(".bd-stack-nav")):
        part.scroll_into_view_if_needed()
        expect(part).to_be_in_viewport()

    # The newest event at Turbat has the longest text: its popup scrolls inside, the source link can be reached.
    listing.locator(".bd-stack-item").first.click()
    popup = frame.locator(".bd-event-popup")
    expect(popup.locator(".bd-back")).to_be_visible(timeout=RERUN)
    _expect_popup_fits(page, "bd-event-popup")
    # "← all N events here" has its own line above the title.
    back, title = popup.locator(".bd-back").bounding_box(), popup.locator(".bd-popup > b").first.bounding_box()
    assert back["y"] + back["height"] <= title["y"] + 0.5, (back, title)
    link = popup.locator(".bd-source a")
    link.scroll_into_view_if_needed()
    reachable = map_frame(page).evaluate("""() => { const a = document.querySelector('.bd-event-popup .bd-source a');
        const r = a.getClientRects()[0];  // its first line (a long title wraps)
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return a.contains(hit) || [r.toJSON(), hit && hit.outerHTML.slice(0, 80)]; }""")
    assert reachable is True, reachable  # on screen, and neither the legend, the play control nor the popup's edge covers it


@pytest.mark.parametrize("sized_page", [(390, 844)], indirect=True, ids=lambda s: f"{s[0]}x{s[1]}")
def test_on_a_phone_an_open_legend_makes_room_for_a_popup(sized_page, app_url):
    page = sized_page
    frame = open_app(page, app_url, "?basemap=none")
    legend = frame.locator(".bd-legend")
    frame.locator(".bd-legend-toggle").click()
    expect(legend).not_to_have_class(re.compile(r"\bbd-collapsed\b"))
    click_event(page, *TURBAT)
    expect(frame.locator(".bd-stack-popup")).to_be_visible(timeout=RERUN)
    _expect_popup_fits(page, "bd-stack-popup")  # inside the map, clear of the play control and of the legend
    expect(legend).to_have_class(re.compile(r"\bbd-collapsed\b"))  # folded: no room above it on a phone


def _pixel(page, lat: float, lon: float) -> tuple[int, int, int]:
    """The colour the page shows at a place on the map (the map centred there first)."""
    iframe = map_frame(page)
    iframe.evaluate("([lat, lon]) => { window.map.setView([lat, lon], 7, {animate: false}); }", [lat, lon])
    x, y = iframe.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }", [lat, lon])
    offset = page.locator(MAP_FRAME).bounding_box()
    shot = page.screenshot(clip={"x": offset["x"] + x, "y": offset["y"] + y, "width": 1, "height": 1})
    return Image.open(io.BytesIO(shot)).convert("RGB").getpixel((0, 0))


@pytest.mark.parametrize("query", ["", "?present=1"], ids=["page", "present"])
def test_neighbouring_land_reads_as_land_when_the_tiles_fail(page, app_url, query):
    frame = open_app(page, app_url, query)  # the default "Light (tiles)" basemap; every tile request is refused
    container = frame.locator(CONTAINER)
    expect(container).to_have_attribute("data-tiles", "unavailable", timeout=RERUN)
    expect(container).to_have_attribute("data-basemap-ready", "1", timeout=FIRST_LOAD)
    colour = _pixel(page, *KERMAN)
    assert max(abs(a - b) for a, b in zip(colour, LAND)) <= 3, (colour, LAND, SEA)


def test_presentation_mode_shows_no_play_control_and_no_click_hints(page, app_url):
    frame = open_app(page, app_url, "?present=1&basemap=none")
    legend = frame.locator(".bd-legend")
    expect(legend).to_contain_text("events at one spot")
    expect(frame.locator(".bd-play")).to_be_hidden()
    assert "click" not in legend.inner_text()


@pytest.mark.parametrize("query", ["", "?present=1"], ids=["page", "present"])
def test_the_tiles_notice_is_one_line_at_1280x720(page, app_url, query):
    page.set_viewport_size({"width": 1280, "height": 720})
    frame = open_app(page, app_url, query)
    attribution = frame.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("Tiles unavailable", timeout=RERUN)
    lines = attribution.evaluate("a => a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight)")
    assert lines < 1.5, lines


def test_the_open_legend_is_compact_at_1280x720_and_keeps_its_content(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 720})
    frame = open_app(page, app_url, "?basemap=none")
    wait_for_script_end(page)
    legend = frame.locator(".bd-legend")
    expect(legend).not_to_have_class(re.compile(r"\bbd-collapsed\b"))
    boxes = map_frame(page).evaluate(_BOXES_JS, {"legend": ".bd-legend"})
    width = boxes["map"]["right"] - boxes["map"]["left"]
    share = (boxes["legend"]["right"] - boxes["legend"]["left"]) / width
    assert share <= 0.16, (share, boxes)
    assert _inside(boxes["legend"], boxes["map"]), boxes
    # Every type with its count, the keys and the hints are still there, and no word is cut.
    for label in ("Border crossing", "Cross-border strike", "Smuggling shooting", "approximate", "killed",
                  "events at one spot: click to list", "Pakistan–Iran border"):
        expect(legend).to_contain_text(label)
    assert legend.locator(".bd-row .bd-n").count() == len(geodata.EventType)
    # Words only: a status key's cross or bar reaches past its box on purpose (and a restricted place is on the
    # map once the status day is the data's as-of date).
    cut = legend.evaluate("l => Array.from(l.querySelectorAll('*')).filter(e => e.textContent.trim() &&"
                          " e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)")
    assert cut == []


@pytest.mark.parametrize("query", ["?basemap=none", "?present=1&basemap=none"], ids=["page", "present"])
def test_province_names_sit_inside_the_map_clear_of_controls_and_under_the_events_at_1280x720(page, app_url, query):
    page.set_viewport_size({"width": 1280, "height": 720})
    frame = open_app(page, app_url, query)
    wait_for_script_end(page)
    labels = frame.locator(".bd-province-label")
    expect(labels).to_have_count(2, timeout=RERUN)
    found = map_frame(page).evaluate("""() => {
        const box = (el) => { const r = el.getBoundingClientRect();
          return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
        const controls = Array.from(document.querySelectorAll('.leaflet-control'))
          .filter(c => c.getBoundingClientRect().width).map(box);
        const events = getComputedStyle(window.map.getPane('bdEvents')).zIndex;
        return {map: box(document.querySelector('.leaflet-container')), controls,
                labels: Array.from(document.querySelectorAll('.bd-province-label')).map(l => ({
                  text: l.textContent, box: box(l), shown: getComputedStyle(l).visibility === 'visible',
                  under: +getComputedStyle(l.closest('.leaflet-pane')).zIndex < +events}))}; }""")
    for label in found["labels"]:
        assert label["shown"], label  # both names have room at this size
        assert _inside(label["box"], found["map"]), (label, found["map"])
        assert all(_apart(label["box"], c) for c in found["controls"]), (label, found["controls"])
        assert label["under"], label  # stack badges and symbols are drawn over the names, never hidden by them



@pytest.mark.parametrize("sized_page", [(390, 844)], indirect=True, ids=lambda s: f"{s[0]}x{s[1]}")
def test_an_open_popup_is_fitted_again_when_the_app_moves_the_map_to_it(sized_page, app_url):
    """The app centres the map on a place it is asked to go to (a table row, "Go to place"): a popup already open
    there is fitted into the map again, not left cut off at the top (soak seed 42 at 390x844, a table row)."""
    page = sized_page
    frame = open_app(page, app_url, "?basemap=none&sel=market-mirjaveh&zoom=11&lat=29.1&lon=61.6")
    wait_for_script_end(page)
    popup = frame.locator(".bd-event-popup")
    expect(popup).to_contain_text("Mirjaveh border market", timeout=RERUN)
    _expect_popup_fits(page, "bd-event-popup")
    sidebar = page.get_by_test_id("stSidebar")
    page.get_by_test_id("stExpandSidebarButton").click()  # folded away on a phone
    sidebar.get_by_role("combobox", name="Go to place").click()
    page.keyboard.type("Mirjaveh border market")
    page.get_by_role("option", name=re.compile("Mirjaveh border market")).first.click()
    sidebar.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    # The map goes to the market at the same zoom (11, where it is labelled: a pan), then as far as the popup needs.
    map_frame(page).wait_for_function(
        "() => { const c = window.map.getCenter(); return Math.abs(c.lng - 61.45) < 0.05 && window.map.getZoom() === 11; }",
        timeout=RERUN)
    wait_for_script_end(page)
    expect(popup).to_contain_text("Mirjaveh border market")
    _expect_popup_fits(page, "bd-event-popup")

"""The page at real screen sizes (#12) and its trust signals (#10), in Debian Chromium against a real streamlit run.

Sizes: 1600×1000 (desktop), 1280×720 (a laptop or a projector) and 390×844 (a phone).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from playwright.sync_api import Page, expect

import geodata
from dashboard import sidebar
from geodata import EventType
from scripts.browser import MAP_FRAME
from scripts.browser import map_frame as browser_map_frame
from tests.e2e.test_browser import FIRST_LOAD, RERUN, open_app, wait_for_script_end

pytestmark = pytest.mark.e2e



@pytest.fixture(scope="module")
def facts():
    return geodata.data_as_of(geodata.load_events())


def box(page: Page, selector: str) -> dict:
    found = page.locator(selector).bounding_box()
    assert found is not None, selector
    return found


def map_parts(page: Page) -> dict[str, dict]:
    """Page coordinates of the map's container and of its legend, scale bar and attribution."""
    frame = browser_map_frame(page)
    offset = box(page, MAP_FRAME)
    inner = frame.evaluate("""() => Object.fromEntries(
        [['map', '.leaflet-container'], ['legend', '.bd-legend'], ['scale', '.leaflet-control-scale'],
         ['attribution', '.leaflet-control-attribution']].map(([name, sel]) => {
           const r = document.querySelector(sel).getBoundingClientRect();
           return [name, {x: r.x, y: r.y, width: r.width, height: r.height}]; }))""")
    return {name: {**r, "x": r["x"] + offset["x"], "y": r["y"] + offset["y"]} for name, r in inner.items()}


def inside(part: dict, width: int, height: int) -> bool:
    return (part["x"] >= 0 and part["y"] >= 0
            and part["x"] + part["width"] <= width and part["y"] + part["height"] <= height)


@pytest.mark.parametrize("query", ["?present=1&basemap=none", "?basemap=none"], ids=["present", "normal"])
@pytest.mark.parametrize("size", [(1280, 720), (1600, 1000), (390, 844)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_map_iframe_fits_the_viewport_under_the_title_and_trust_line(page, app_url, facts, query, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_app(page, app_url, query)
    wait_for_script_end(page)
    frame_box = box(page, MAP_FRAME)
    title = box(page, "h1")
    assert title["y"] >= 0 and title["y"] + title["height"] <= frame_box["y"]  # under the header, above the map
    expect(page.get_by_text(facts.text(), exact=False).first).to_be_in_viewport(ratio=1)
    assert frame_box["y"] + frame_box["height"] <= size[1], (frame_box, size)
    # Not a fixed height: the map takes most of what the viewport leaves.
    assert frame_box["height"] >= size[1] - 240, (frame_box, size)


@pytest.mark.parametrize("query", ["?present=1&basemap=none", "?basemap=none"], ids=["present", "normal"])
def test_the_whole_map_with_legend_scale_and_attribution_fits_1280x720(page, app_url, query):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page, app_url, query)
    wait_for_script_end(page)
    parts = map_parts(page)
    frame_box = box(page, MAP_FRAME)
    assert abs(parts["map"]["height"] - frame_box["height"]) <= 1, (parts["map"], frame_box)
    for name, part in parts.items():
        assert inside(part, 1280, 720), (name, part)
    if "present" in query:
        expect(page.frame_locator(MAP_FRAME).locator(".leaflet-control-zoom")).to_have_count(0)


def test_on_a_phone_each_type_swatch_sits_beside_its_checkbox(page, app_url):
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, app_url, "?basemap=none")
    wait_for_script_end(page)  # measured while the page's run still lays out the sidebar, a row can be half-drawn
    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_be_in_viewport(ratio=1)
    for t in EventType:
        row = sidebar.locator(f".st-key-type_row_{t.value}")
        swatch = row.locator(".bd-swatch").bounding_box()
        checkbox = row.locator("label").bounding_box()  # the box and its words
        assert swatch and checkbox, t
        assert swatch["x"] + swatch["width"] <= checkbox["x"], (t, swatch, checkbox)  # to the left...
        swatch_mid = swatch["y"] + swatch["height"] / 2
        assert checkbox["y"] <= swatch_mid <= checkbox["y"] + checkbox["height"], (t, swatch, checkbox)  # ...same line


@pytest.mark.parametrize("size", [(1280, 720), (390, 844)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_date_presets_are_whole_and_the_active_one_shows(page, app_url, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_app(page, app_url, "?basemap=none")
    wait_for_script_end(page)  # a click during the page's own rerun can land on a button being replaced
    if size[0] < 640:
        page.get_by_test_id("stExpandSidebarButton").click()
    presets = page.get_by_test_id("stSidebar").locator(".st-key-date_presets")
    expect(presets).to_be_in_viewport()
    labels = presets.locator("button:visible p")
    offered = sidebar.presets(dt.date.today(), (dt.date(2015, 1, 1), dt.date.today()))
    expect(labels).to_have_count(len(offered))
    assert "2025" in offered and str(dt.date.today().year) in offered
    # A cut label ("Last 12 mon…") is wider than its box.
    cut = labels.evaluate_all("ps => ps.filter(p => p.scrollWidth > p.clientWidth).map(p => p.textContent)")
    assert cut == []
    active = presets.locator('button[kind="primary"]:visible')
    expect(active).to_have_text("All")
    presets.get_by_role("button", name="2024").click()
    expect(active).to_have_text("2024", timeout=RERUN)
    expect(page.get_by_text("All event types, 1 Jan 2024 – 31 Dec 2024").first).to_be_visible()


def test_the_page_and_presentation_mode_say_which_filters_are_active(page, app_url, facts):
    open_app(page, app_url, "?basemap=none&types=attack,clash&maxkm=50")
    expect(page.get_by_text("Attacks and clashes, all dates, within 50 km of the border")).to_be_visible()
    expect(page.get_by_text(facts.text(), exact=False).first).to_be_visible()
    open_app(page, app_url, "?present=1&basemap=none&country=IR")
    expect(page.get_by_text("All event types, all dates, in Iran")).to_be_visible()
    expect(page.get_by_text(facts.text(), exact=False).first).to_be_visible()


def test_details_name_the_nearest_crossing_and_list_a_crossings_status_periods(page, app_url):
    events = geodata.load_events()
    gabd = events[events["id"] == "crossing-gabd-rimdan"].iloc[0]
    assert gabd["nearest_crossing"] == "crossing-mand-pishin"
    open_app(page, app_url, "?basemap=none&sel=crossing-gabd-rimdan")
    expect(page.get_by_text(f"nearest crossing: Mand–Pishin ({gabd['nearest_crossing_km']:.0f} km)")).to_be_visible(
        timeout=FIRST_LOAD)
    expect(page.get_by_text("crossing-mand-pishin")).to_have_count(0)

    periods = geodata.periods_of(geodata.load_place_status(), "crossing-taftan-mirjaveh")
    open_app(page, app_url, "?basemap=none&sel=crossing-taftan-mirjaveh")
    expect(page.get_by_text(f"Status over time ({len(periods)} recorded periods)")).to_be_visible(timeout=FIRST_LOAD)
    listing = page.get_by_test_id("stMarkdownContainer").filter(has=page.locator("li")).filter(has_text="Closed")
    hrefs = listing.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs == list(periods["source_url"])


def test_the_timeline_shows_its_whole_title_and_axis_labels(page, app_url):
    open_app(page, app_url, "?basemap=none")
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.scroll_into_view_if_needed()
    expect(chart.locator("svg text", has_text="Incidents per month")).to_be_visible()
    cut = chart.evaluate("""c => { const svg = c.querySelector('svg').getBoundingClientRect();
        return Array.from(c.querySelectorAll('svg text')).filter(t => t.textContent.trim()).filter(t => {
          const r = t.getBoundingClientRect();
          return r.left < svg.left - 0.5 || r.top < svg.top - 0.5
              || r.right > svg.right + 0.5 || r.bottom > svg.bottom + 0.5;
        }).map(t => t.textContent); }""")
    assert cut == []
    plot = chart.evaluate("c => c.querySelector('svg .role-axis-grid').getBoundingClientRect().height")
    assert plot >= 150  # the bars get the chart's height, not what the legend left over


def test_downloads_carry_the_as_of_line(page, app_url, facts):
    open_app(page, app_url, "?basemap=none")
    wait_for_script_end(page)
    with page.expect_download() as geojson:
        page.get_by_role("button", name="Events as GeoJSON").click()
    collection = json.loads(geojson.value.path().read_bytes())
    assert collection["data_as_of"]["text"] == facts.text()
    assert geojson.value.suggested_filename == f"border-events_data-as-of-{facts.as_of:%Y-%m-%d}.geojson"
    with page.expect_download() as csv:
        page.get_by_role("button", name="Events as CSV").click()
    assert csv.value.suggested_filename == f"border-events_data-as-of-{facts.as_of:%Y-%m-%d}.csv"
    assert csv.value.path().read_text(encoding="utf-8").startswith("id,")  # plain rows: it imports again


def test_the_page_lays_out_the_map_first_then_everything_else_in_its_place(page, app_url):
    """The first run sends the title and the map alone; the map's report that it has drawn brings the rest, and
    the map keeps its place and size meanwhile (the sidebar is there from the start)."""
    page.goto(f"{app_url}/?basemap=none")
    container = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    expect(container).to_have_attribute("data-events-ready", "1", timeout=FIRST_LOAD)
    early = box(page, MAP_FRAME)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_test_id("stDateInput")).to_be_visible(timeout=FIRST_LOAD)
    expect(page.get_by_text("Events", exact=True)).to_be_visible(timeout=FIRST_LOAD)  # the table's heading
    wait_for_script_end(page)
    assert box(page, MAP_FRAME) == early


def test_the_page_is_laid_out_even_when_the_map_never_reports(page, app_url):
    """Without the map's report that it has drawn (its script blocked here), the rest of the page comes anyway,
    after two seconds. (A map whose data cannot be fetched reports too: it has finished, with nothing drawn.)"""
    blocked = []
    page.route("**/component/**/map.js", lambda route: (blocked.append(route.request.url), route.abort()))
    page.goto(f"{app_url}/?basemap=none")
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stDateInput")).to_be_visible(timeout=FIRST_LOAD)
    expect(page.get_by_text("Events", exact=True)).to_be_visible(timeout=FIRST_LOAD)
    assert blocked  # the map's own script was asked for and refused, so it never drew nor reported
    expect(page.frame_locator(MAP_FRAME).locator("[data-events-ready='1']")).to_have_count(0)


@pytest.mark.parametrize("size, basemap", [((390, 844), "none"), ((1280, 720), "none"), ((1280, 720), "light")],
                         ids=["390x844", "1280x720", "1280x720-tiles-unavailable"])
def test_the_attribution_never_covers_the_scale_bar_or_the_legend(page, app_url, size, basemap):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_app(page, app_url, f"?basemap={basemap}")
    wait_for_script_end(page)
    if basemap == "light":  # tiles are off-host, so refused here: the attribution grows a notice to say so
        expect(page.frame_locator(MAP_FRAME).locator(".leaflet-control-attribution")).to_contain_text(
            "Tiles unavailable", timeout=RERUN)
    parts = map_parts(page)

    def overlap(a, b):
        return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
                and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])

    assert not overlap(parts["attribution"], parts["scale"]), parts
    assert not overlap(parts["attribution"], parts["legend"]), parts
    assert inside(parts["attribution"], *size), parts

"""The standalone HTML download in real Chromium: its heading (title, filters in words, "Data as of") is written as
text in a header above the map, with the events drawn and nothing fetched. No server: the page is the file."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

import geodata
from dashboard import map_view
from scripts.browser import new_page
from tests.e2e.conftest import IMG_PAYLOAD, SCRIPT_PAYLOAD

pytestmark = pytest.mark.e2e


def test_standalone_page_shows_title_filters_and_as_of_as_text(browser, offhost_log):
    layers = map_view.BasemapLayers(border=geodata.load_border(), provinces=geodata.load_provinces(),
                                    countries=geodata.load_countries(), land=geodata.load_land())
    events = geodata.load_events()
    flt = geodata.EventFilter(event_types=["attack"], text=IMG_PAYLOAD)
    heading = map_view.PageHeading(title=f"{SCRIPT_PAYLOAD} weekly brief {{{{ 7*7 }}}}",
                                   filters=geodata.describe_filter(flt), as_of=geodata.data_as_of(events).text())
    attacks = events[events["event_type"] == "attack"]
    html = map_view.standalone_html(map_view.build_map(layers, attacks, basemap="none", heading=heading))
    page = new_page(browser, offhost_log)
    try:
        page.set_content(html)
        container = page.locator(".leaflet-container")
        expect(container).to_have_attribute("data-events-ready", "1")
        expect(container).to_have_attribute("data-events-drawn", str(len(attacks)))
        head = page.locator(".bd-page-heading")
        expect(head.locator(".bd-heading-title")).to_have_text(heading.title)
        expect(head.locator(".bd-heading-filters")).to_have_text(heading.filters)
        expect(head.locator(".bd-heading-as-of")).to_have_text(heading.as_of)
        assert head.locator("img, script, svg").count() == 0  # the payloads stayed text
        assert page.title() == heading.title
        assert page.evaluate("window.__pwned") is None
        # Above the map, not over it: the map fills the rest of the window.
        top, below = head.bounding_box(), container.bounding_box()
        assert top["y"] + top["height"] <= below["y"] + 1
        assert below["y"] + below["height"] == pytest.approx(page.viewport_size["height"], abs=1)
        assert not offhost_log.blocked
    finally:
        page.context.close()

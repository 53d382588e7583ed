"""The map's dataset comes as two files: the first draw's columns, then its text columns, read after the first
draw (dashboard/events_payload.py ``split_dataset``, static/dataset.js). A click on an event before the text has
arrived still opens that event's popup, once the text is there. Real Chromium, real app."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser import RERUN, click_event, expect_drawn, hover_event, open_app

pytestmark = pytest.mark.e2e


class TextHeld:
    """Lets every map file through except the dataset's text columns, which it holds until :meth:`release`."""

    def __init__(self, page):
        self.text_url = None
        self.held = []
        page.route(re.compile(r"/component/.*/data/[0-9a-f]+\.json$"), self._route)

    def _route(self, route):
        if self.text_url and route.request.url.endswith("/" + self.text_url):
            self.held.append(route)
            return
        response = route.fetch()
        body = response.body()
        if b'"textUrl"' in body:
            self.text_url = json.loads(body)["textUrl"]
        route.fulfill(response=response)

    def release(self):
        for route in self.held:
            route.continue_()


def test_a_click_before_the_text_arrives_opens_that_events_popup_when_it_does(page, app_url, shipped_events):
    events = shipped_events
    wanted = events[events["event_type"] == "cross_border_strike"]
    text = TextHeld(page)
    frame = open_app(page, app_url, "?basemap=none&types=cross_border_strike")
    expect_drawn(frame, len(wanted))  # drawn without the text columns
    assert text.text_url and len(text.held) == 1  # requested before the first draw, still held

    target = wanted.iloc[0]
    hover_event(page, target["lat"], target["lon"])
    click_event(page, target["lat"], target["lon"])
    popup_title = frame.locator(".leaflet-popup-content .bd-popup b")
    expect(popup_title).to_have_count(0)  # opened at once before this change: now it waits for the text

    text.release()
    expect(popup_title.first).to_have_text(target["title"], timeout=RERUN)
    expect(page).to_have_url(re.compile(rf"[?&]sel={re.escape(target['id'])}(&|$)"), timeout=RERUN)
    details = page.get_by_test_id("stColumn").filter(has=page.get_by_role("heading", name="Details"))
    expect(details.locator("h4")).to_have_text(target["title"], timeout=RERUN)

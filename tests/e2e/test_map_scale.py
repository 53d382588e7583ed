"""The map as analysts use it: every stacked event reachable, clustering and heat that work, filter changes that
draw exactly the filtered events and release what they replaced. Real Chromium against a real `streamlit run`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

import geodata
from tests.e2e.test_browser import (
    CONTAINER,
    FIRST_LOAD,
    RERUN,
    click_event,
    expect_drawn,
    map_frame,
    open_app,
    type_checkbox,
    wait_for_script_end,
)

pytestmark = pytest.mark.e2e

_DOM_NODES = "() => document.getElementsByTagName('*').length"


@pytest.fixture(scope="module")
def events():
    return geodata.load_events()


def test_every_member_of_the_largest_stack_is_reachable(page, app_url, events):
    sizes = events.groupby(["lat", "lon"]).size().sort_values(ascending=False)
    (lat, lon), size = sizes.index[0], int(sizes.iloc[0])
    members = events[(events["lat"] == lat) & (events["lon"] == lon)]
    assert size >= 5, "the curated data no longer has a big stack"
    frame = open_app(page, app_url, "?basemap=none")
    expect(frame.locator(CONTAINER)).not_to_have_attribute("data-events-stacks", "0")

    click_event(page, lat, lon)
    listing = frame.locator(".bd-stack")
    expect(listing).to_be_visible(timeout=RERUN)
    entries = listing.locator(".bd-stack-item")
    # Every member is listed, on this page or the next ones (a big stack is paged).
    titles, pages = [], 0
    while True:
        titles += [entries.nth(i).locator(".bd-stack-title").inner_text() for i in range(entries.count())]
        pages += 1
        following = frame.locator(".bd-stack-nav button", has_text="next")
        if not following.count() or following.is_disabled():
            break
        following.click()
        # The page before fades out (Leaflet removes a closed popup 0.2 s later): wait for the new one alone.
        expect(frame.locator(".bd-stack-nav")).to_have_count(1)
        expect(frame.locator(".bd-stack-nav")).to_contain_text(f"page {pages + 1} of")
    assert len(titles) >= size
    assert set(members["title"]) <= set(titles)

    # An entry opens that event; the app shows it below the map and puts it in the link.
    wanted = members.sort_values("date").iloc[0]
    if pages > 1:  # back to the page that lists it
        while not entries.filter(has_text=wanted["title"]).count():
            frame.locator(".bd-stack-nav button", has_text="previous").click()
            expect(frame.locator(".bd-stack-nav")).to_have_count(1)
    entries.filter(has_text=wanted["title"]).first.click()
    expect(frame.locator(".leaflet-popup-content .bd-popup b").first).to_have_text(wanted["title"])
    details = page.get_by_test_id("stColumn").filter(has=page.get_by_role("heading", name="Details"))
    expect(details.locator("h4")).to_have_text(wanted["title"], timeout=RERUN)
    expect(page).to_have_url(re.compile(rf"[?&]sel={re.escape(wanted['id'])}(&|$)"), timeout=RERUN)
    # ...and the way back to the whole stack is one click.
    frame.locator(".bd-back").first.click()
    expect(frame.locator(".bd-stack")).to_be_visible()


def test_clusters_on_the_offline_basemap_draw_every_event_and_zoom_in(page, app_url, events):
    frame = open_app(page, app_url, "?basemap=none&cluster=1")
    expect_drawn(frame, len(events))
    container = frame.locator(CONTAINER)
    expect(container).not_to_have_attribute("data-events-clusters", "0")
    iframe = map_frame(page)
    clusters = int(container.get_attribute("data-events-clusters"))
    assert 0 < clusters < len(events)
    expect(frame.locator(".bd-legend")).to_contain_text("cluster of nearby events")

    # Clicking the biggest bubble zooms in on its members.
    x, y, members = iframe.evaluate("() => window.map.__bdEvents.clusterPoints()[0]")
    assert members > 1
    before = iframe.evaluate("() => window.map.getZoom()")
    frame.locator(CONTAINER).click(position={"x": x, "y": y})
    iframe.wait_for_function(f"() => window.map.getZoom() > {before}", timeout=RERUN)
    expect_drawn(frame, len(events))


@pytest.mark.parametrize("query", ["?basemap=none", "?basemap=light"])
def test_heat_toggle_draws_above_the_land(page, app_url, events, query):
    frame = open_app(page, app_url, query)
    wait_for_script_end(page)
    toggle = page.get_by_test_id("stSidebar").get_by_role("switch", name="Heatmap")
    toggle.check(force=True)
    expect(toggle).to_be_checked()
    heat = frame.locator(".leaflet-bdHeat-pane canvas")
    expect(heat).to_have_count(1, timeout=RERUN)
    expect(frame.locator(".bd-legend")).to_contain_text("heat", timeout=RERUN)
    iframe = map_frame(page)
    painted = iframe.evaluate("""() => { const c = document.querySelector('.leaflet-bdHeat-pane canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }""")
    assert painted > 1000
    above = iframe.evaluate("""() => +getComputedStyle(document.querySelector('.leaflet-bdHeat-pane')).zIndex >
                                    +getComputedStyle(document.querySelector('.leaflet-overlay-pane')).zIndex""")
    assert above
    expect_drawn(frame, len(events))


def test_filter_changes_draw_the_filtered_count_and_release_what_they_replaced(page, app_url, events):
    frame = open_app(page, app_url, "?basemap=none")
    expect_drawn(frame, len(events), timeout=FIRST_LOAD)
    wait_for_script_end(page)
    iframe = map_frame(page)
    first = iframe.evaluate(_DOM_NODES)

    counts = events["event_type"].value_counts()
    remaining = len(events)
    for label, key in (("Attack", "attack"), ("Clash", "clash"), ("Unrest", "unrest")):
        type_checkbox(page, label).uncheck(force=True)
        remaining -= int(counts.get(key, 0))
        expect_drawn(frame, remaining)
    for label, key in (("Attack", "attack"), ("Clash", "clash"), ("Unrest", "unrest")):
        type_checkbox(page, label).check(force=True)
        remaining += int(counts.get(key, 0))
        expect_drawn(frame, remaining)
    wait_for_script_end(page)
    expect(frame.locator(CONTAINER)).to_have_attribute("data-events-drawn", str(len(events)))
    # Six updates later the page holds no more elements than after the first draw (a few for Leaflet's
    # transient state at most): old layers and listeners are released.
    assert iframe.evaluate(_DOM_NODES) <= first + 5
    assert iframe.evaluate("() => (window.feature_group || []).filter(g => window.map.hasLayer(g)).length") <= 1

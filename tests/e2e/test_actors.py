"""The actor filter in a real browser: typing an actor's name in the region's script into the sidebar's "Actors"
box filters the map and writes ``actors=`` into the link; a click in "Top actors" does the same."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from geodata.actors import top_actors
from tests.e2e.test_browser import (
    FIRST_LOAD,
    RERUN,
    events,  # noqa: F401  (a fixture)
    expect_drawn,
    open_app,
    query,
    sidebar_caption,
    wait_for_script_end,
)

pytestmark = pytest.mark.e2e


def _naming(events, actor_id: str) -> int:
    return int(events["actor_ids"].fillna("").map(lambda cell: actor_id in cell.split(";")).sum())


def test_choosing_an_actor_in_the_sidebar_filters_the_map_and_the_link(page, app_url, events):  # noqa: F811
    frame = open_app(page, app_url, "?basemap=none")
    total = len(events)
    expect_drawn(frame, total, timeout=FIRST_LOAD)
    wait_for_script_end(page)
    assert "actors" not in query(page)

    wanted = _naming(events, "jaish-al-adl")
    assert 0 < wanted < total
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Actors")
    box.locator("input").click()
    page.keyboard.type("جيش العدل")  # Arabic script finds the option: its label carries the name
    option = page.get_by_role("option").filter(has_text="Jaish al-Adl")
    expect(option).to_have_count(1)
    option.click()
    page.keyboard.press("Escape")

    expect(page).to_have_url(re.compile(r"[?&]actors=jaish-al-adl(&|$)"), timeout=RERUN)
    expect_drawn(frame, wanted)
    expect(sidebar_caption(page)).to_have_text(f"{wanted} of {total} events", timeout=RERUN)


def test_a_click_in_top_actors_filters_to_that_actor(page, app_url, events):  # noqa: F811
    frame = open_app(page, app_url, "?basemap=none")
    expect_drawn(frame, len(events), timeout=FIRST_LOAD)
    wait_for_script_end(page)
    first = top_actors(events)["actor_id"].iloc[0]  # the panel's first row
    wanted = _naming(events, first)

    panel = page.get_by_test_id("stDataFrame").filter(has_text="Fatalities").filter(has_text="Kind")
    panel.scroll_into_view_if_needed()
    # The grid is drawn on a canvas: the first data row sits one row below the header, left of the first column.
    box = panel.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)
    expect(page).to_have_url(re.compile(rf"[?&]actors={re.escape(first)}(&|$)"), timeout=RERUN)
    expect_drawn(frame, wanted)

"""An analyst's own file, uploaded in a real browser, appears next to ours with its problems listed."""

import re

import pytest
from playwright.sync_api import expect

from scripts.browser import MAP_FRAME
from tests.e2e.test_browser import click_event, map_frame, wait_for_script_end
from tests.geodata import import_fixtures as fx

pytestmark = pytest.mark.e2e


def test_uploaded_acled_export_is_mapped_and_its_bad_row_reported(page, app_url, offhost_log, shipped_events, tmp_path):
    total = len(shipped_events)
    path = tmp_path / "acled_export.csv"
    records = fx.acled_records("current")
    records.append({**records[0], "event_id_cnty": "PAK90007", "event_date": "31-Feb-20"})  # an impossible date
    path.write_bytes(fx.csv_bytes(records))
    page.goto(f"{app_url}/?basemap=none")
    frame = page.frame_locator(MAP_FRAME)
    expect(page.get_by_text(f"{total} of {total} events").first).to_be_visible(timeout=90_000)
    expect(frame.locator(".bd-legend")).to_be_visible(timeout=60_000)

    link_warning = page.get_by_text("This link does not include your uploaded file")
    expect(page.get_by_text("Link to this view", exact=True)).to_be_visible()
    expect(link_warning).to_have_count(0)

    page.get_by_test_id("stSidebar").locator("input[type=file]").set_input_files(str(path))

    # Three of seven rows are shown: one is outside the map, one in Afghanistan, one a Strategic development
    # (each summarised in one line), and one has an impossible date (listed by row and field).
    expect(page.get_by_text(f"{total + 3} of {total + 3} events").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Your data: 3 event(s) from acled_export.csv shown with ours")).to_be_visible()
    expect(page.get_by_text("1 row outside the map area")).to_be_visible()
    expect(page.get_by_text("1 row(s) of acled_export.csv have errors")).to_be_visible()
    page.get_by_text("Problems in acled_export.csv").click()
    expect(page.get_by_text("row 8 (id acled-pak90007), field 'date'", exact=False)).to_be_visible()
    expect(page.get_by_text("the header is row 1, so the first data row is row 2")).to_be_visible()
    # Uploaded events never pass for ours: the legend counts them apart (they are ringed on the map).
    expect(frame.locator(".bd-legend")).to_contain_text("3 from your data")
    # The map now counts the uploaded battle as a clash: the legend's Clash count rose by one.
    clashes = int((shipped_events.event_type == "clash").sum())
    expect(frame.locator(".bd-row", has_text="Clash")).to_contain_text(str(clashes + 1))
    # The shared link cannot carry the file: the page says so next to the link.
    expect(link_warning).to_contain_text("(acled_export.csv)")
    assert offhost_log.blocked == []


def test_a_file_name_reads_as_typed_in_the_notices(page, app_url, offhost_log, tmp_path):
    # Streamlit's markdown turns " -- " into "—" and " -> " into "→" even when escaped; the name must survive.
    name = "ged -- 2024 -> v2.csv"
    path = tmp_path / name
    path.write_bytes(fx.csv_bytes(fx.ucdp_records()))  # three rows in the map area, one outside
    page.goto(f"{app_url}/?basemap=none")
    uploader = page.get_by_test_id("stSidebar").locator("input[type=file]")
    expect(uploader).to_be_attached(timeout=90_000)
    uploader.set_input_files(str(path))
    notice = page.get_by_test_id("stAlert").filter(has_text="Your data: 3 event(s) from ged")
    expect(notice).to_be_visible(timeout=60_000)
    text = notice.inner_text().replace("\u2060", "")  # the invisible word joiner that keeps the dashes apart
    assert f"Your data: 3 event(s) from {name} shown with ours." in text, text
    assert offhost_log.blocked == []


def test_two_files_at_once_each_toggled_and_removed_one_at_a_time(page, app_url, offhost_log, shipped_events, tmp_path):
    total = len(shipped_events)
    acled, ged = tmp_path / "acled_2019.csv", tmp_path / "ged.csv"
    acled.write_bytes(fx.csv_bytes(fx.acled_records("2019")))  # three rows in the map area
    ged.write_bytes(fx.csv_bytes(fx.ucdp_records()))  # three rows in the map area
    page.goto(f"{app_url}/?basemap=none")
    frame = page.frame_locator(MAP_FRAME)
    container, legend, sidebar = frame.locator(".leaflet-container"), frame.locator(".bd-legend"), page.get_by_test_id("stSidebar")

    def drawn(count: int) -> None:
        expect(container).to_have_attribute("data-events-drawn", str(count), timeout=60_000)
        expect(container).to_have_attribute("data-events-ready", "1", timeout=60_000)

    drawn(total)
    sidebar.locator("input[type=file]").set_input_files([str(acled), str(ged)])
    drawn(total + 6)
    # Each file has its own legend line (its name, what is shown of it) and its own toggle; the page says that
    # uploaded files are not in the link.
    files = legend.locator(".bd-file")
    expect(files).to_have_count(2)
    expect(files.nth(0)).to_contain_text("acled_2019.csv3")
    expect(files.nth(1)).to_contain_text("ged.csv3")
    expect(sidebar.get_by_text("they are not in the link")).to_be_visible()
    expect(sidebar.get_by_role("button", name="Fit map to ged.csv")).to_be_visible()

    sidebar.get_by_text("acled_2019.csv (3)").click()  # off
    drawn(total + 3)
    expect(files.nth(0)).to_contain_text("hidden")
    sidebar.get_by_text("ged.csv (3)").click()  # off too
    drawn(total)
    sidebar.get_by_text("acled_2019.csv (3)").click()  # on again
    drawn(total + 3)
    sidebar.get_by_text("ged.csv (3)").click()
    drawn(total + 6)

    chips = sidebar.get_by_test_id("stFileChip")
    chips.filter(has_text="acled_2019.csv").get_by_test_id("stFileChipDeleteBtn").click()  # remove the first
    drawn(total + 3)
    expect(files).to_have_count(1)
    expect(files.first).to_contain_text("ged.csv")
    expect(sidebar.get_by_text("acled_2019.csv (3)")).to_have_count(0)
    chips.filter(has_text="ged.csv").get_by_test_id("stFileChipDeleteBtn").click()  # and the second
    drawn(total)
    expect(files).to_have_count(0)
    assert offhost_log.blocked == []


def test_removing_the_file_of_the_selected_event_ends_the_selection_with_a_word(page, app_url, shipped_events, tmp_path):
    """Issue 19 item 6: the selection ends with its event; Details never says 'The selected event is not in the
    data'."""
    path = tmp_path / "ged.csv"
    path.write_bytes(fx.csv_bytes(fx.ucdp_records()))  # three rows in the map area, one outside
    page.goto(f"{app_url}/?basemap=none")
    frame = page.frame_locator(MAP_FRAME)
    container = frame.locator(".leaflet-container")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.locator("input[type=file]")).to_be_attached(timeout=90_000)
    sidebar.locator("input[type=file]").set_input_files(str(path))
    expect(container).to_have_attribute("data-events-drawn", str(len(shipped_events) + 3), timeout=60_000)
    wait_for_script_end(page)

    rask = (26.24, 61.40)  # the file's first row, at a spot where the curated data has events too
    map_frame(page).evaluate("([lat, lon]) => { window.map.setView([lat, lon], 9, {animate: false}); }", list(rask))
    wait_for_script_end(page)
    click_event(page, *rask)
    frame.locator(".bd-stack-item", has_text="Test Government - Test Group A").first.click()
    details = page.get_by_test_id("stColumn").filter(has=page.get_by_role("heading", name="Details"))
    expect(details.locator("h4")).to_have_text("Test Government - Test Group A, Test place", timeout=60_000)
    expect(page).to_have_url(re.compile(r"[?&]sel=ucdp-990001(&|$)"), timeout=60_000)
    wait_for_script_end(page)

    sidebar.get_by_test_id("stFileChip").get_by_test_id("stFileChipDeleteBtn").click()
    expect(container).to_have_attribute("data-events-drawn", str(len(shipped_events)), timeout=60_000)
    expect(page.get_by_test_id("stToast")).to_contain_text("Selection cleared", timeout=60_000)
    expect(page).not_to_have_url(re.compile(r"[?&]sel="))
    expect(details).to_contain_text("Click a point on the map")
    expect(details).not_to_contain_text("not in the data")
    expect(frame.locator(".leaflet-popup")).to_have_count(0)

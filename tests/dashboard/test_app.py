"""AppTest: the Streamlit script on the shipped data, seeded from URLs and driven to every edge."""

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import state
from geodata.events import read_table, shipped_events_path
from geodata.models import PLACE_TYPES
from tests.geodata.conftest import make_row, table

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
_SHIPPED = read_table(shipped_events_path())
TOTAL = len(_SHIPPED)  # follows the curated file as it grows
#: Crossings and markets in the curated file, and those without an opening date (counted, not typed in).
PLACES = int(_SHIPPED["event_type"].isin(PLACE_TYPES).sum())
UNDATED_PLACES = int((_SHIPPED["event_type"].isin(PLACE_TYPES) & (_SHIPPED["date"].str.strip() == "")).sum())


def run(params=None, env=None, monkeypatch=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def caption_count(at) -> tuple[int, int]:
    text = " ".join(c.value for c in at.caption)
    import re

    shown, total = re.search(r"(\d+) of (\d+) events", text).groups()
    return int(shown), int(total)


def test_default_run():
    at = run()
    assert not at.exception
    assert "Pakistan–Iran" in at.title[0].value
    assert caption_count(at) == (TOTAL, TOTAL)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Crossings and markets"] == str(PLACES)
    assert int(metrics["Incidents"]) == TOTAL - PLACES
    assert not at.warning


def test_query_params_seed_the_filters():
    at = run({"types": "attack,clash", "start": "2023-01-01", "end": "2023-12-31", "basemap": "none"})
    assert not at.exception
    assert at.checkbox(key=state.type_key("attack")).value is True
    assert at.checkbox(key=state.type_key("border_crossing")).value is False
    assert at.date_input(key=state.DATES).value == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert at.radio(key=state.BASEMAP).value == "none"
    shown, _ = caption_count(at)
    assert 0 < shown < TOTAL


def test_malformed_params_show_a_notice_not_a_crash():
    at = run({"start": "not-a-date", "zoom": "999", "types": "bogus", "maxkm": "-5"})
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert notices.count("Ignored URL parameter") == 4
    assert caption_count(at) == (TOTAL, TOTAL)


def test_unticking_every_type_empties_the_map():
    at = run()
    from geodata import EventType

    for t in EventType:
        at.checkbox(key=state.type_key(t.value)).uncheck()
    at.run()
    assert not at.exception
    assert caption_count(at) == (0, TOTAL)
    assert at.query_params["types"] == "none"


def test_empty_date_window():
    at = run()
    at.date_input(key=state.DATES).set_value((dt.date(2018, 6, 1), dt.date(2018, 6, 2))).run()
    assert not at.exception
    shown, _ = caption_count(at)
    # Only places without an opening date can be "operating" in mid-2018.
    assert shown == UNDATED_PLACES > 0


@pytest.mark.parametrize(
    "drive",
    [
        lambda at: at.text_input(key=state.TEXT).input("no-such-thing-anywhere"),
        lambda at: at.number_input(key=state.MIN_FATALITIES).set_value(10_000),
        lambda at: at.multiselect(key=state.PRECISION).set_value(["province"]),
    ],
    ids=["search", "min-fatalities", "precision"],
)
def test_filters_driven_to_no_results(drive):
    at = run()
    drive(at)
    at.run()
    assert not at.exception
    assert caption_count(at) == (0, TOTAL)
    assert at.metric[0].value == "0"


def test_each_filter_narrows_and_writes_the_url():
    at = run()
    at.selectbox(key=state.MAX_DISTANCE).set_value("25").run()
    near, _ = caption_count(at)
    at.multiselect(key=state.COUNTRIES).set_value(["IR"]).run()
    iran_near, _ = caption_count(at)
    assert 0 < iran_near < near < TOTAL
    assert at.query_params["maxkm"] == "25" and at.query_params["country"] == "IR"


def test_presets_and_reset():
    at = run()
    at.button(key="preset_2024").click().run()
    assert at.date_input(key=state.DATES).value == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    in_2024, _ = caption_count(at)
    assert 0 < in_2024 < TOTAL
    assert at.query_params["start"] == "2024-01-01"
    [reset] = [b for b in at.button if b.label == "Reset filters"]
    reset.click().run()
    assert caption_count(at) == (TOTAL, TOTAL)
    assert "start" not in at.query_params


def test_presentation_mode_hides_panels():
    at = run({"present": "1"})
    assert not at.exception
    assert not at.metric  # map, title and count only
    [style] = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<style>")]
    assert "display: none" in style


def test_selected_event_from_url_shows_details():
    at = run({"sel": "market-mand-pishin"})
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Mand" in text and "opened 18 May 2023" in text


def test_bad_rows_in_a_custom_file_are_reported_and_the_rest_loaded(tmp_path, monkeypatch):
    path = tmp_path / "events.csv"
    table(make_row(id="ok-one"), make_row(id="bad-two", lat="x"), make_row(id="ok-three")).to_csv(path, index=False)
    monkeypatch.setenv("BORDER_DASHBOARD_EVENTS", str(path))
    at = run()
    assert not at.exception
    assert caption_count(at) == (2, 2)
    assert any("1 row(s)" in w.value for w in at.warning)
    assert any("row 3 (id bad-two), field 'lat'" in t.value for t in at.text)


def test_hostile_text_in_details_stays_text(tmp_path, monkeypatch):
    path = tmp_path / "events.csv"
    hostile = "[click](javascript:alert(1)) <img src=x onerror=alert(2)> **bold**"
    table(make_row(id="hostile", title=hostile, description=hostile, actors=hostile)).to_csv(path, index=False)
    monkeypatch.setenv("BORDER_DASHBOARD_EVENTS", str(path))
    at = run({"sel": "hostile"})
    assert not at.exception
    details = [m.value for m in at.markdown if "click" in m.value]
    assert details
    for value in details:
        assert "](javascript" not in value  # brackets and parentheses are escaped: no markdown link
        assert "\\<img" in value


# ----------------------------------------------------------------------------- hostile URLs and event files


def shown_text(markdown: str) -> str:
    """Markdown as the reader sees it: backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def warnings_text(at) -> str:
    return shown_text(" ".join(w.value for w in at.warning))


def test_overflowing_zoom_shows_a_notice_not_an_error_page():
    at = run({"zoom": "1e999", "lat": "nan", "lon": "inf"})
    assert not at.exception
    assert warnings_text(at).count("Ignored URL parameter") == 2
    assert caption_count(at) == (TOTAL, TOTAL)


def test_out_of_range_filters_are_adjusted_or_dropped_with_a_visible_notice():
    at = run({"minfat": "20000", "maxkm": "37", "province": "XX-99"})
    assert not at.exception
    notices = warnings_text(at)
    assert "'minfat=20000'" in notices and "using 10,000" in notices
    assert "'maxkm=37'" in notices and "using the nearest, 25 km" in notices
    assert "'province=XX-99'" in notices
    assert at.number_input(key=state.MIN_FATALITIES).value == 10_000
    assert at.selectbox(key=state.MAX_DISTANCE).value == "25"
    assert at.multiselect(key=state.PROVINCES).value == []


def test_a_province_with_events_is_kept_from_the_url():
    at = run({"province": "IR-13"})
    assert not at.exception and not at.warning
    assert at.multiselect(key=state.PROVINCES).value == ["IR-13"]


def test_a_link_inside_a_url_parameter_is_not_rendered_as_a_link():
    at = run({"start": "[here](https://evil.example/)"})
    assert not at.exception
    [notice] = [w.value for w in at.warning]
    assert "](" not in notice and "\\]\\(https" in notice


BAD_EVENT_FILES = {
    # The importer's reader reads the file (as `geodata validate` and an upload do), in its words.
    "malformed CSV": ("events.csv", b'id,title\n"never closed,x\n', "not a readable CSV"),
    "missing file": (None, b"", "no such file"),
    "binary file": ("events.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\xfd", "not a text file (CSV), an Excel .xlsx"),
    "directory": ("a-directory", None, "is a directory"),
    "empty file": ("events.csv", b"", "is empty"),
    "other columns": ("events.csv", b"name,when\nx,2024-01-01\n", "required column(s) missing"),
}


@pytest.mark.parametrize("case", list(BAD_EVENT_FILES))
def test_an_unusable_event_file_is_named_and_the_curated_data_shown(case, tmp_path, monkeypatch):
    name, content, problem = BAD_EVENT_FILES[case]
    path = tmp_path / (name or "does-not-exist.csv")
    if content is None:
        path.mkdir()
    elif name:
        path.write_bytes(content)
    monkeypatch.setenv("BORDER_DASHBOARD_EVENTS", str(path))
    at = run()
    assert not at.exception
    assert caption_count(at) == (TOTAL, TOTAL)
    [message] = [shown_text(e.value) for e in at.error]
    assert f"The event file {path} (BORDER_DASHBOARD_EVENTS) cannot be used: " in message
    assert problem in message and message.endswith("Showing the curated dataset.")


@pytest.mark.parametrize(
    "source_url, href",
    [
        ("https://evil.example/)x", "https://evil.example/)x"),
        ("https://example.org/wiki/Jaish_(group)", "https://example.org/wiki/Jaish_(group)"),
    ],
)
def test_source_link_in_details_is_exactly_the_url_or_no_link(source_url, href, tmp_path, monkeypatch):
    from markdown_it import MarkdownIt

    path = tmp_path / "events.csv"
    table(make_row(id="linked", source_url=source_url, source_title="Story [x](https://other.example/)")).to_csv(
        path, index=False)
    monkeypatch.setenv("BORDER_DASHBOARD_EVENTS", str(path))
    at = run({"sel": "linked"})
    assert not at.exception
    [details] = [m.value for m in at.markdown if "**Source:**" in m.value]
    tokens = [t for block in MarkdownIt("commonmark").parse(details) for t in (block.children or [])]
    assert [t.attrGet("href") for t in tokens if t.type == "link_open"] == ([href] if href else [])
    assert "Story [x](https://other.example/)" in shown_text(details)


@pytest.mark.parametrize("source_url", ["https://evil.example/){onclick}", "https://user:pass@evil.example/"])
def test_a_row_whose_link_the_page_would_hide_is_refused_by_validation(source_url, tmp_path, monkeypatch):
    """One rule for links (geodata.links): what the details panel would not link, the data may not hold."""
    path = tmp_path / "events.csv"
    table(make_row(id="linked", source_url=source_url), make_row(id="fine")).to_csv(path, index=False)
    monkeypatch.setenv("BORDER_DASHBOARD_EVENTS", str(path))
    at = run({"sel": "linked"})
    assert not at.exception
    assert caption_count(at) == (1, 1)
    assert not [m.value for m in at.markdown if "**Source:**" in m.value and "linked" in m.value]


URL_NAMES = ["start", "end", "types", "country", "province", "minfat", "maxkm", "precision", "q", "basemap", "lat",
             "lon", "zoom", "cluster", "heat", "sel", "present"]


@pytest.mark.parametrize("value", ["1e999", "nan", "-1", "0001-01-01", "9999-12-31", "[x](javascript:alert(1))",
                                   "9" * 400])
def test_every_parameter_set_to_one_hostile_value_still_shows_the_data(value):
    at = run(dict.fromkeys(URL_NAMES, value))
    assert not at.exception
    assert not at.error
    shown, total = caption_count(at)
    assert total == TOTAL
    for notice in (w.value for w in at.warning):
        assert notice.startswith(("Ignored URL parameter", "Adjusted URL parameter")) and "](" not in notice


# ----------------------------------------------------------------------------- words and trust signals (#10, #12)


def header_lines(at) -> list[str]:
    [caption] = [c.value for c in at.caption if c.value.startswith("**")
                 and ("Data as of" in c.value or "Sources reviewed to" in c.value)]
    return shown_text(caption).split("  \n")


def test_the_page_says_which_filters_are_active_and_how_current_the_data_is():
    import geodata

    at = run({"types": "attack,clash", "start": "2023-01-01", "end": "2024-12-31", "province": "IR-13"})
    assert not at.exception
    words, trust = header_lines(at)
    assert words.endswith("· Attacks and clashes, 1 Jan 2023 – 31 Dec 2024, in Sistan and Baluchestan")
    facts = geodata.data_as_of(geodata.load_events())
    assert trust.startswith(f"{facts.text()} · ") and f" · {TOTAL} events · {facts.sources} sources" in trust
    # The review date and the newest event, in the figure's words too (one wording: geodata.DataAsOf.text).
    assert trust.startswith(f"Sources reviewed to {geodata.format_day(facts.reviewed)}; newest reported event "
                            f"{geodata.format_day(facts.as_of)}")


@pytest.mark.parametrize("params", [{"types": "none"}, {"types": "attack", "start": "2024-01-01",
                                                        "end": "2024-12-31"}], ids=["nothing", "attacks-2024"])
def test_the_downloads_panel_counts_what_the_downloads_will_hold(params):
    import geodata

    at = run(params)
    assert not at.exception
    shown, _ = caption_count(at)
    assert (shown == 0) == (params["types"] == "none")  # nothing, or some of the 2024 attacks
    [caption] = [shown_text(c.value) for c in at.caption if "the downloads will hold" in c.value]
    rows = f"{shown} row" + "s" * (shown != 1)
    assert caption.startswith(f"**{shown} event{'s' * (shown != 1)} match{'es' * (shown == 1)} the filters: the "
                              f"downloads will hold {rows}.**")
    # The curated dataset's count is still there, labelled as such, so it is not taken for the download's.
    facts = geodata.data_as_of(geodata.load_events())
    assert f"{facts.text('Curated data')}" in caption and f" · {TOTAL} events · {facts.sources} sources" in caption


def test_presentation_mode_keeps_the_filters_and_the_as_of_line():
    at = run({"present": "1", "types": "unrest"})
    assert not at.exception
    words, trust = header_lines(at)
    assert words.endswith("· Unrest, all dates") and trust.startswith("Sources reviewed to ")


def test_the_active_date_preset_shows_as_active():
    at = run()
    assert at.button(key="preset_All").proto.type == "primary"
    assert at.button(key="preset_2024").proto.type == "secondary"
    at.button(key="preset_2024").click().run()
    assert at.button(key="preset_2024").proto.type == "primary"
    assert at.button(key="preset_All").proto.type == "secondary"


def test_tables_show_blanks_for_missing_values():
    at = run()
    for frame in at.dataframe:
        assert frame.proto.HasField("placeholder") and frame.proto.placeholder == ""


def test_details_name_the_nearest_crossing_not_its_id():
    import geodata

    events = geodata.load_events()
    gabd = events[events["id"] == "crossing-gabd-rimdan"].iloc[0]
    assert gabd["nearest_crossing"] == "crossing-mand-pishin"
    at = run({"sel": "crossing-gabd-rimdan"})
    assert not at.exception
    [details] = [shown_text(m.value) for m in at.markdown if "**Distance to border:**" in m.value]
    assert f"nearest crossing: Mand–Pishin ({gabd['nearest_crossing_km']:.0f} km)" in details
    assert "crossing-mand-pishin" not in details


def test_details_of_an_approximate_event_name_the_nearest_town_and_an_exact_one_do_not():
    import geodata
    from geodata.towns import nearest_town

    events = geodata.load_events()
    approximate = events[events["location_precision"] == "district"].iloc[0]
    exact = events[events["location_precision"] == "exact"].iloc[0]
    name, km = nearest_town(float(approximate["lat"]), float(approximate["lon"]))
    at = run({"sel": approximate["id"]})
    assert not at.exception
    [details] = [shown_text(m.value) for m in at.markdown if "**Distance to border:**" in m.value]
    assert f"Nearest town to the point shown:** {name}, {km:.0f} km" in details
    at = run({"sel": exact["id"]})
    [details] = [shown_text(m.value) for m in at.markdown if "**Distance to border:**" in m.value]
    assert "Nearest town" not in details


def test_details_of_a_crossing_list_its_status_periods_with_sources():
    import geodata

    at = run({"sel": "crossing-taftan-mirjaveh"})
    assert not at.exception
    periods = geodata.periods_of(geodata.load_place_status(), "crossing-taftan-mirjaveh")
    assert any(f"**Status over time** ({len(periods)} recorded periods)" in m.value for m in at.markdown)
    [listing] = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert listing.count("\n- **") == len(periods) - 1
    for url in periods["source_url"]:
        assert f"(<{url}>)" in listing


def test_a_place_without_recorded_periods_says_so():
    at = run({"sel": "market-gabd"})
    assert not at.exception
    assert any("no periods recorded for this place" in c.value for c in at.caption)


def test_the_map_claims_no_place_status_after_the_data():
    """Map legend and popups take the status day and its words from the figure's rule (geodata.status_day)."""
    import json

    import geodata

    as_of = geodata.data_as_of(geodata.load_events()).as_of
    later = as_of + dt.timedelta(days=90)
    at = run({"start": "2025-01-01", "end": later.isoformat(), "types": "border_crossing,border_market"})
    assert not at.exception
    [component] = at.get("component_instance")
    layer = json.loads(component.proto.json_args)["layer"]
    assert layer["statusDay"] == f"{geodata.format_day(as_of)}, the data's as-of date"
    recorded = geodata.status_on(geodata.load_place_status(), as_of)
    assert sorted(entry[1] for entry in layer["status"]) == sorted(recorded.values()) and recorded


def test_a_selection_deep_in_the_table_is_named_by_its_row():
    """Issue 19 item 7: the table marks a selection made on the map (or in a link); Streamlit's grid cannot be
    scrolled to it, so a row below the first screen is named by its number."""
    import geodata
    from dashboard import panels

    events = geodata.load_events()
    frame = panels.table_frame(events)
    at = run({"sel": frame["id"].iloc[11]})
    assert not at.exception
    assert f"Selected: row 12 of {len(frame)} (marked; scroll the table to see it)." in [c.value for c in at.caption]
    at = run({"sel": frame["id"].iloc[2]})  # on the first screen: nothing to say
    assert not [c.value for c in at.caption if c.value.startswith("Selected: row")]

"""The page's words: crossing names, status periods, the caption under the title, presets, the link warning and the
as-of facts that travel with the exports. Pure functions on tiny frames written here."""

from __future__ import annotations

import datetime as dt
import json
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from markdown_it import MarkdownIt

import geodata
from dashboard import exports, exports_panel, page_style, panels
from dashboard.sidebar import active_preset
from geodata import EventFilter


def crossings(*titles: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"id": [i for i, _ in titles], "title": [t for _, t in titles]})


@pytest.mark.parametrize(
    "title, name",
    [
        ("Taftan–Mirjaveh border crossing", "Taftan–Mirjaveh"),
        ("Mand–Pishin border crossing opened", "Mand–Pishin"),
        ("Kohak–Chedgi notified as fourth official crossing", "Kohak–Chedgi"),
        ("Pishin Iran–Mand crossing", "Pishin Iran–Mand"),
        ("New Raajay entry point opened in Chagai", "New Raajay entry point"),
        ("Rimdan crossing", "Rimdan crossing"),
    ],
)
def test_crossing_name_is_the_town_pair_or_the_title_before_opened(title, name):
    assert panels.crossing_name(crossings(("crossing-x", title)), "crossing-x") == name


@pytest.mark.parametrize("crossing_id, shown", [("crossing-gone", "crossing-gone"), (None, ""), (float("nan"), "")])
def test_crossing_name_of_an_unknown_or_missing_id(crossing_id, shown):
    assert panels.crossing_name(crossings(("crossing-x", "A–B border crossing")), crossing_id) == shown


def periods(**overrides) -> pd.DataFrame:
    row = {"place_id": "crossing-x", "status": "closed", "start": pd.Timestamp("2020-02-24"), "end": pd.NaT,
           "note": "All crossings shut.", "source_title": "Closure report", "source_url": "https://news.example/a"}
    row.update(overrides)
    return pd.DataFrame([row])


def links(markdown: str) -> list[str]:
    tokens = [t for block in MarkdownIt("commonmark").parse(markdown) for t in (block.children or [])]
    return [t.attrGet("href") for t in tokens if t.type == "link_open"]


def test_a_status_period_reads_status_dates_note_and_linked_source():
    [line] = panels.status_periods(periods(end=pd.Timestamp("2020-02-27")))
    assert line.startswith("- **Closed** 2020-02-24 to 2020-02-27 — All crossings shut")
    assert links(line) == ["https://news.example/a"]


def test_a_lasting_period_is_ongoing():
    [line] = panels.status_periods(periods(status="restricted"))
    assert "**Restricted** 2020-02-24 to ongoing" in line


def test_hostile_status_text_stays_text_and_bad_links_are_not_links():
    hostile = "[x](javascript:alert(1)) <img src=x onerror=alert(2)>"
    [line] = panels.status_periods(periods(note=hostile, source_title=hostile, source_url="javascript:alert(3)"))
    assert links(line) == []
    assert "\\<img" in line and "](javascript" not in line
    assert "no plain http(s) link" in line


def test_shipped_status_periods_of_a_crossing_all_have_their_source_link():
    status = geodata.load_place_status()
    taftan = geodata.periods_of(status, "crossing-taftan-mirjaveh")
    lines = panels.status_periods(taftan)
    assert len(lines) == len(taftan) > 0
    assert [href for line in lines for href in links(line)] == list(taftan["source_url"])


def events_with_dates(dates, urls, dataset=None) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"date": pd.to_datetime(dates), "source_url": urls},
        geometry=[shapely.Point(62, 27)] * len(dates), crs="EPSG:4326",
    )
    if dataset is not None:
        frame["dataset"] = dataset
    return frame


def test_header_caption_says_what_is_shown_why_and_how_current():
    events = events_with_dates(["2024-05-01", "2025-01-02"], ["https://a.example/1", "https://a.example/2"])
    flt = EventFilter(event_types=("attack", "clash"), start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31))
    text = panels.header_caption(1, 2, flt, {}, events, "curated dataset")
    first, second = text.split("  \n")
    assert first.startswith("**1 of 2 events** · Attacks and clashes, 1 Jan 2023 – 31 Dec 2024")
    assert second.replace("\\", "") == "Data as of 2 Jan 2025 · 2 events · 2 sources · data: curated dataset"


def test_header_caption_escapes_search_text_and_ignores_uploaded_rows_in_the_as_of_line():
    events = events_with_dates(["2024-05-01", "2030-01-01"], ["https://a.example/1", "https://b.example/"],
                               dataset=["curated", "upload.csv"])
    text = panels.header_caption(2, 2, EventFilter(text="[x](javascript:alert(1))"), {}, events, "curated dataset",
                                 "upload\\.csv")
    assert "](javascript" not in text and links(text) == []
    assert "Data as of 1 May 2024 · 1 event · 1 source" in text and text.endswith(" + upload\\.csv")


@pytest.mark.parametrize(
    "shown, window, active",
    [
        ((dt.date(2024, 1, 1), dt.date(2024, 12, 31)), (dt.date(2024, 1, 1), dt.date(2024, 12, 31)), True),
        ((dt.date(2024, 1, 1), dt.date(2024, 12, 30)), (dt.date(2024, 1, 1), dt.date(2024, 12, 31)), False),
        ((dt.date(2024, 1, 1),), (dt.date(2024, 1, 1), dt.date(2024, 12, 31)), False),  # mid-selection
        ((), (dt.date(2024, 1, 1), dt.date(2024, 12, 31)), False),
    ],
)
def test_active_preset(shown, window, active):
    assert active_preset(shown, window) is active


def test_link_warning_names_the_upload_only_when_there_is_one():
    assert exports_panel.link_warning(None) is None
    assert exports_panel.link_warning("") is None
    assert "does not include your uploaded file (mine\\.csv)" in exports_panel.link_warning("mine\\.csv")


def test_geojson_carries_the_as_of_line_as_a_foreign_member_and_still_reads_as_events():
    events = geodata.load_events()
    payload = exports.events_to_geojson(events.head(3), members=exports_panel.as_of_member(events))
    collection = json.loads(payload)
    facts = geodata.data_as_of(events)
    assert collection["data_as_of"] == {"date": facts.as_of.isoformat(), "events": facts.events,
                                        "sources": facts.sources, "reviewed": facts.reviewed.isoformat(),
                                        "text": facts.text()}
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 3
    back, report, kind = geodata.import_events(payload, "export.geojson")
    assert kind == "geojson" and report.ok and list(back["id"]) == list(events.head(3)["id"])


def test_foreign_members_cannot_replace_the_collection():
    payload = json.loads(exports.events_to_geojson(geodata.load_events().head(1),
                                                   members={"type": "x", "features": [], "note": "kept"}))
    assert payload["type"] == "FeatureCollection" and len(payload["features"]) == 1 and payload["note"] == "kept"


def test_download_names_carry_the_data_date():
    events = events_with_dates(["2024-05-01", "2025-01-02"], ["https://a.example/1", "https://a.example/2"])
    as_of = geodata.data_as_of(events).as_of
    assert exports.export_filename(EventFilter(), "csv", as_of=as_of) == "border-events_data-as-of-2025-01-02.csv"


@pytest.mark.parametrize("present", [False, True])
def test_the_map_height_comes_from_the_viewport(present):
    css = page_style.page_css(present)
    assert f"{page_style.MAP_IFRAME} {{ height: max(" in css and "calc(100dvh - " in css
    assert ("[data-testid=\"stSidebar\"]" in css and "display: none" in css) is present


def test_metrics_and_timeline_from_counts_equal_those_from_rows():
    import geodata
    from geodata.store import monthly_counts

    events = geodata.load_events()
    counts = monthly_counts(events)
    assert panels.metric_values(events, counts) == panels.metric_values(events)
    by_rows = panels.monthly_incidents(events)
    by_counts = panels.monthly_incidents(events.iloc[:0], counts)
    pd.testing.assert_frame_equal(by_counts.reset_index(drop=True), by_rows.reset_index(drop=True), check_dtype=False)


# ----------------------------------------------------------------------------- data text in Streamlit's markdown

_JS_SPACE = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
# The substitutions Streamlit's markdown applies to each text run after parsing (StreamlitMarkdown, 1.67).
_STREAMLIT_SYMBOLS = [("<->", "↔"), ("->", "→"), ("<-", "←"), ("--", "—"), (">=", "≥"), ("<=", "≤"), ("~=", "≈")]


def rendered_text(markdown: str) -> str:
    """The text a reader sees: CommonMark's text runs (escapes resolved), then Streamlit's symbol substitutions."""
    runs = [t.content for block in MarkdownIt("commonmark").parse(markdown) for t in (block.children or [])
            if t.type == "text"]
    out = []
    for run in runs:
        for token, symbol in _STREAMLIT_SYMBOLS:
            run = re.sub(rf"(^|{_JS_SPACE}){re.escape(token)}({_JS_SPACE}|$)", rf"\g<1>{symbol}\g<2>", run)
        out.append(run)
    return "".join(out).replace("\u2060", "")  # the invisible word joiner md_escape may insert


@pytest.mark.parametrize("name", ["report -- final.csv", "-- draft.csv", "ged--2024.csv", "a -> b <- c.csv",
                                  "x <-> y >= z <= w ~= v.csv", "two -- -- dashes", "*bold* [x](y) `c` :material/x:"])
def test_data_text_reads_as_typed_in_streamlit_markdown(name):
    assert rendered_text(f"Your data: 3 event(s) from {panels.md_escape(name)} shown with ours.") == (
        f"Your data: 3 event(s) from {name} shown with ours.")
    assert rendered_text(panels.md_escape(name)) == name


@pytest.mark.parametrize("count, words", [
    (0, "0 events match the filters: the downloads will hold 0 rows."),
    (1, "1 event matches the filters: the downloads will hold 1 row."),
    (12345, "12,345 events match the filters: the downloads will hold 12,345 rows."),
])
def test_the_downloads_say_what_they_will_hold(count, words):
    assert exports_panel.downloads_hold(count) == words


def test_the_as_of_line_can_name_its_subject():
    facts = geodata.DataAsOf(dt.date(2026, 3, 9), 1, 2)
    assert facts.text() == "Data as of 9 Mar 2026 · 1 event · 2 sources"
    assert facts.text("Curated data") == "Curated data as of 9 Mar 2026 · 1 event · 2 sources"
    reviewed = geodata.DataAsOf(dt.date(2026, 3, 9), 1, 2, reviewed=dt.date(2026, 12, 7))
    assert reviewed.text("Curated data") == ("Curated data: sources reviewed to 7 Dec 2026; newest reported event "
                                             "9 Mar 2026 · 1 event · 2 sources")


def test_presets_offer_every_year_of_the_data_and_the_current_one_to_date():
    from dashboard.sidebar import FIRST_PRESET_YEAR, presets

    today = dt.date(2026, 12, 7)
    span = (dt.date(2015, 1, 1), today)
    offered = presets(today, span)
    years = [name for name in offered if name.isdigit()]
    assert years == [str(y) for y in range(2026, FIRST_PRESET_YEAR - 1, -1)]  # 2026 and 2025 included (issue 19)
    assert offered["2025"] == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert offered["2026"] == (dt.date(2026, 1, 1), today)  # to date, inside the date widget's range
    assert list(offered)[0] == "Last 12 months" and list(offered)[-1] == "All" and offered["All"] == span

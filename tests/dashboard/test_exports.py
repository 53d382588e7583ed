"""CSV and GeoJSON downloads: exact columns, plain values, and a lossless round trip."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re

import geopandas as gpd
import pandas as pd
import pytest

import geodata
from dashboard.exports import (
    EXPORT_COLUMNS,
    EXPORT_DERIVED_COLUMNS,
    MAX_NAME,
    events_to_csv,
    events_to_geojson,
    export_filename,
)
from geodata import EVENT_COLUMNS, EventFilter


@pytest.fixture(scope="module")
def events():
    return geodata.load_events()


def read_csv_strings(payload: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(payload), dtype=str, keep_default_na=False)


# ----------------------------------------------------------------------------- CSV


def test_csv_has_the_curated_columns_then_the_derived_ones(events):
    header = events_to_csv(events).decode("utf-8").splitlines()[0].split(",")
    assert tuple(header) == EVENT_COLUMNS + EXPORT_DERIVED_COLUMNS == EXPORT_COLUMNS
    assert header[0] == "id" and header[len(EVENT_COLUMNS) - 2 : len(EVENT_COLUMNS)] == ["lat", "lon"]


def test_csv_values_are_plain(events):
    table = read_csv_strings(events_to_csv(events))
    assert len(table) == len(events)
    dated = table["date"][table["date"] != ""]
    assert dated.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    undated = table[table["id"] == "crossing-taftan-mirjaveh"].iloc[0]
    assert undated["date"] == "" and undated["fatalities"] == "" and undated["end_date"] == ""
    counts = table["fatalities"][table["fatalities"] != ""]
    assert counts.str.fullmatch(r"\d+").all()  # integers, not 5.0
    row = table[table["id"] == "2022-09-30-zahedan-bloody-friday"].iloc[0]
    assert (row["date"], row["fatalities"], row["lat"], row["lon"]) == ("2022-09-30", "100", "29.5", "60.86")
    assert row["side"] == "IR" and row["nearest_crossing"].startswith("crossing-")
    assert float(row["distance_to_border_km"]) >= 0
    assert "Taftan–Mirjaveh border crossing" in set(table["title"])  # UTF-8 text survives


def test_csv_round_trips_through_the_geodata_reader(events):
    payload = events_to_csv(events)
    back, report, _ = geodata.import_events(payload, "export.csv")
    assert report.ok, report.summary()
    assert list(back["id"]) == list(events["id"])
    for column in EVENT_COLUMNS:
        pd.testing.assert_series_equal(
            back[column].reset_index(drop=True), events[column].reset_index(drop=True), check_names=False,
            check_dtype=False, obj=column,
        )
    for column in EXPORT_DERIVED_COLUMNS:  # recomputed on reading, and equal
        pd.testing.assert_series_equal(
            back[column].reset_index(drop=True), events[column].reset_index(drop=True), check_names=False,
            check_dtype=False, obj=column,
        )
    assert events_to_csv(back) == payload  # a fixed point


def test_csv_of_a_filtered_view_has_only_its_rows(events):
    flt = EventFilter(event_types=["clash"], start=dt.date(2023, 1, 1))
    shown = geodata.filter_events(events, flt)
    table = read_csv_strings(events_to_csv(shown))
    assert list(table["id"]) == list(shown["id"]) and set(table["event_type"]) == {"clash"}


def test_csv_of_no_events_is_a_header():
    empty = geodata.load_events().iloc[0:0]
    assert events_to_csv(empty).decode("utf-8") == ",".join(EXPORT_COLUMNS) + "\r\n"


def test_csv_of_a_raw_table_writes_missing_derived_columns_blank():
    raw = pd.DataFrame({"id": ["a"], "event_type": ["attack"], "lat": ["27.1"], "lon": ["62.3"]})
    table = read_csv_strings(events_to_csv(raw))
    assert list(table.columns) == list(EXPORT_COLUMNS)
    assert table.loc[0, "lat"] == "27.1" and table.loc[0, "side"] == "" and table.loc[0, "title"] == ""


HOSTILE = [
    '=HYPERLINK("http://evil","x")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1",
    "'=already quoted", "''+twice", "'plain quote", "NA", "N/A", "NULL", "\tNULL", "-", "=", "@", "a=b", "100%",
]


@pytest.fixture(scope="module")
def hostile_events():
    """Events whose every free-text field is hostile, plus negative coordinates' worth of minus signs elsewhere."""
    from tests.geodata.conftest import make_row, table

    rows = [make_row(id=f"hostile-{i}", title=text, description=text, actors=text, district=text, source_title=text)
            for i, text in enumerate(HOSTILE)]
    events, report = geodata.check_events(table(*rows))
    assert report.ok, [str(p) for p in report.problems]
    return events


def test_csv_cells_that_spreadsheets_would_run_are_neutralised(hostile_events):
    table = read_csv_strings(events_to_csv(hostile_events))
    for column in ("title", "description", "actors", "district", "source_title"):
        for cell in table[column]:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    by_id = table.set_index("id")
    assert by_id.loc["hostile-0", "title"] == '\'=HYPERLINK("http://evil","x")'
    assert by_id.loc["hostile-3", "title"] == "'-2+3"
    assert by_id.loc["hostile-18", "title"] == "100%"  # harmless text is left alone


def test_csv_export_then_import_is_lossless_on_hostile_text(hostile_events):
    back, report, kind = geodata.import_events(events_to_csv(hostile_events), "export.csv")
    assert kind == "events" and report.ok, report.lines()
    for column in ("title", "description", "actors", "district", "source_title"):
        assert back[column].tolist() == hostile_events[column].tolist() == HOSTILE, column


def test_numbers_are_not_quoted_so_negative_values_stay_numbers():
    from tests.geodata.conftest import make_row, table

    raw = table(make_row(id="west", lat="-33.9", lon="-61.5", title="-2+3"))
    payload = events_to_csv(raw).decode("utf-8")
    row = read_csv_strings(payload.encode()).iloc[0]
    assert (row["lat"], row["lon"], row["title"]) == ("-33.9", "-61.5", "'-2+3")
    back = geodata.read_table(payload.encode())
    assert (back.loc[0, "lon"], back.loc[0, "title"]) == ("-61.5", "-2+3")


def test_geojson_stays_byte_faithful_to_hostile_text(hostile_events):
    doc = json.loads(events_to_geojson(hostile_events))
    assert [f["properties"]["title"] for f in doc["features"]] == HOSTILE


# ----------------------------------------------------------------------------- GeoJSON


def test_geojson_is_an_rfc7946_feature_collection(events):
    doc = json.loads(events_to_geojson(events))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert len(doc["features"]) == len(events)
    first = doc["features"][0]
    assert first["type"] == "Feature" and first["id"] == first["properties"]["id"]
    assert first["geometry"]["type"] == "Point"
    expected = set(EXPORT_COLUMNS) - {"lat", "lon"}
    assert all(set(f["properties"]) == expected for f in doc["features"])
    by_id = {f["id"]: f for f in doc["features"]}
    friday = by_id["2022-09-30-zahedan-bloody-friday"]
    assert friday["geometry"]["coordinates"] == [60.86, 29.5]  # lon, lat
    assert friday["properties"]["date"] == "2022-09-30" and friday["properties"]["fatalities"] == 100
    assert friday["properties"]["source_url"].startswith("http")
    crossing = by_id["crossing-taftan-mirjaveh"]["properties"]
    assert crossing["date"] is None and crossing["fatalities"] is None


def test_geojson_round_trips_through_geopandas(events):
    back = gpd.read_file(io.BytesIO(events_to_geojson(events)))
    assert back.crs.to_epsg() == 4326
    assert list(back["id"]) == list(events["id"])
    assert list(back.geometry.x) == list(events.geometry.x)
    assert list(back.geometry.y) == list(events.geometry.y)
    for column in ("title", "event_type", "source_title", "source_url", "location_precision", "side",
                   "nearest_crossing", "description", "actors"):
        assert list(back[column].astype(object).where(back[column].notna(), None)) == list(
            events[column].astype(object).where(events[column].notna(), None)), column
    for column in ("date", "end_date"):
        assert list(pd.to_datetime(back[column]).dt.strftime("%Y-%m-%d").fillna("")) == list(
            events[column].dt.strftime("%Y-%m-%d").fillna("")), column
    for column in ("fatalities", "distance_to_border_km", "nearest_crossing_km"):
        pd.testing.assert_series_equal(back[column].astype("Float64"), events[column].astype("Float64"),
                                       check_names=False, obj=column)


def test_geojson_of_no_events_is_an_empty_collection():
    empty = geodata.load_events().iloc[0:0]
    assert json.loads(events_to_geojson(empty)) == {"type": "FeatureCollection", "features": []}


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "flt, ext, expected",
    [
        (None, "csv", "border-events.csv"),
        (EventFilter(), "geojson", "border-events.geojson"),
        (EventFilter(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31)), "csv",
         "border-events_2023-01-01_2024-12-31.csv"),
        (EventFilter(start=dt.date(2023, 1, 1)), "png", "border-events_2023-01-01_latest.png"),
        (EventFilter(event_types=["clash", "attack"]), "csv", "border-events_attack-clash.csv"),
        (EventFilter(event_types=["a/../b"]), "c.s/v", "border-events_a-..-b.csv"),
    ],
)
def test_export_filename(flt, ext, expected):
    name = export_filename(flt, ext)
    assert name == expected
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", name) and "/" not in name


def test_figure_and_map_names_say_what_they_show():
    year = dict(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    assert (export_filename(EventFilter(**year, event_types=["clash", "attack"]), "png", stem="border-briefing",
                            view=True) == "border-briefing_2024-01-01_2024-12-31_attack-clash_view.png")
    every_type = [t.value for t in geodata.EventType]
    assert export_filename(EventFilter(**year, event_types=every_type), "png") == "border-events_2024-01-01_2024-12-31.png"
    assert (export_filename(EventFilter(provinces=["PK-BA"], min_fatalities=5, max_distance_km=20), "html",
                            stem="border-map") == "border-map_PK-BA_min-5-killed_within-20km.html")
    # Two figures of different filters (or of the view and of all events) never share a name.
    names = {export_filename(flt, "png", view=view)
             for flt in (EventFilter(), EventFilter(**year), EventFilter(event_types=["attack"]),
                         EventFilter(provinces=["IR-13"]), EventFilter(text="Turbat"), EventFilter(text="Gwadar"))
             for view in (False, True)}
    assert len(names) == 12
    # Latin letters carry over; what they lose (here the accent) is kept apart by a digest of the text.
    assert export_filename(EventFilter(text="Zahed\u00e1n"), "csv") == "border-events_search-Zahedan-{}.csv".format(
        hashlib.sha1("Zahed\u00e1n".encode()).hexdigest()[:8])



def test_a_view_figure_is_named_by_its_view_and_event_files_by_filter_and_as_of():
    """Issue 19 item 14: the same filter framed at two map views, or the event files of two filters, never share a
    name; the event files keep the data's as-of date (a plain CSV has nowhere else to carry it)."""
    year = EventFilter(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    turbat = export_filename(year, "png", stem="border-briefing", view=True, at=((26.0, 63.05), 9))
    assert turbat == "border-briefing_2024-01-01_2024-12-31_view-26.00N-63.05E-z9.png"
    assert turbat != export_filename(year, "png", stem="border-briefing", view=True, at=((26.0, 63.05), 8))
    assert export_filename(None, "png", view=True, at=((-33.9, -70.6), 5)) == "border-events_view-33.90S-70.60W-z5.png"
    assert export_filename(year, "png", view=False, at=((26.0, 63.05), 9)) == "border-events_2024-01-01_2024-12-31.png"
    as_of = dt.date(2026, 3, 9)
    assert export_filename(EventFilter(), "csv", as_of=as_of) == "border-events_data-as-of-2026-03-09.csv"
    assert export_filename(year, "csv", as_of=as_of) == "border-events_2024-01-01_2024-12-31_data-as-of-2026-03-09.csv"

HOSTILE_SEARCH = ["../../etc/passwd", '<script>alert(1)</script>"; rm -rf ~', "C:\\Windows\\con\x00.png",
                  "تربت میں حملہ", "a" * 500, "\u202eexe.txt", " ", "...", "Zahed\u00e1n"]


@pytest.mark.parametrize("text", HOSTILE_SEARCH)
def test_search_text_reaches_the_name_only_sanitised_and_bounded(text):
    flt = EventFilter(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), text=text, provinces=["PK-BA"])
    name = export_filename(flt, "png", stem="border-briefing", view=True)
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.png", name), name
    assert len(name) <= MAX_NAME
    assert name.startswith("border-briefing_2024-01-01_2024-12-31")
    for bad in ("/", "\\", "<", ">", '"', ";", "~", " ", "\x00", "\u202e"):
        assert bad not in name
    if flt.text:  # the search is in the name (as far as Latin letters carry it), and different searches differ
        assert "search" in name
        assert name != export_filename(EventFilter(start=flt.start, end=flt.end, provinces=["PK-BA"], text=text + "x"),
                                       "png", stem="border-briefing", view=True)


@pytest.mark.parametrize("reported, expected", [
    ({"west": 60.5, "south": 25.0, "east": 64.0, "north": 29.5}, (60.5, 25.0, 64.0, 29.5)),
    # zoomed out: Leaflet's view runs past the world's edges; the figure frames the world
    ({"west": -412.0, "south": -97.3, "east": 395.2, "north": 95.0}, (-180, -90, 180, 90)),
    ({"west": 190.0, "south": 20.0, "east": 230.0, "north": 30.0}, None),  # off the world
    ({"west": "nan", "south": 20.0, "east": 64.0, "north": 30.0}, None),
    ({"west": 64.0, "south": 20.0, "east": 60.0, "north": 30.0}, None),  # not a box
    (None, None), ({"west": 60.0}, None),
])
def test_the_figure_frames_only_a_view_inside_the_world(reported, expected):
    from dashboard.briefing.extent import check_extent
    from dashboard.exports_panel import view_extent

    box = view_extent(reported)
    assert box == expected
    if box is not None:
        assert check_extent(box) == box  # what render_briefing accepts

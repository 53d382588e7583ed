"""Analysts' own files: ACLED, UCDP GED, GeoJSON, GeoPackage and our CSV, all through the same validation."""

import io

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

import geodata
from geodata.importers import ImportFormatError, detect_format, import_events
from tests.geodata.conftest import make_row, table

ACLED = pd.DataFrame(
    {
        "event_id_cnty": ["PAK1001", "IRN2002", "PAK1003", "PAK1004"],
        "event_date": ["2024-01-16", "18 January 2024", "2024-02-01", "2024-03-01"],
        "time_precision": ["1", "1", "2", "1"],
        "event_type": ["Explosions/Remote violence", "Battles", "Protests", "Strategic developments"],
        "sub_event_type": ["Air/drone strike", "Armed clash", "Peaceful protest", "Looting"],
        "actor1": ["Military Forces of Iran", "Military Forces of Pakistan", "Protesters", "Unidentified"],
        "actor2": ["Civilians", "Jaish al-Adl", "", ""],
        "country": ["Pakistan", "Iran", "Pakistan", "Pakistan"],
        "admin1": ["Balochistan", "Sistan and Baluchestan", "Balochistan", "Balochistan"],
        "admin2": ["Panjgur", "Saravan", "Gwadar", "Kech"],
        "location": ["Panjgur", "Saravan", "Gwadar", "Turbat"],
        "latitude": ["26.97", "27.37", "25.12", "26.00"],
        "longitude": ["64.10", "62.33", "62.32", "63.05"],
        "geo_precision": ["1", "2", "1", "1"],
        "source": ["Dawn", "IRNA", "Dawn", "Dawn"],
        "notes": ["Strike reported.", "Clash reported.", "Sit-in.", "x"],
        "fatalities": ["2", "9", "0", "0"],
    }
)
UCDP = pd.DataFrame(
    {
        "id": ["501", "502"],
        "type_of_violence": ["3", "1"],
        "dyad_name": ["Jaish al-Adl - civilians", "Government of Iran - Jaish al-Adl"],
        "side_a": ["Jaish al-Adl", "Government of Iran"],
        "side_b": ["Civilians", "Jaish al-Adl"],
        "where_prec": ["2", "3"],
        "where_description": ["Rask town", ""],
        "adm_1": ["Sistan and Baluchestan province", "Sistan and Baluchestan province"],
        "adm_2": ["Rask", "Saravan"],
        "latitude": ["26.24", "27.37"],
        "longitude": ["61.40", "62.33"],
        "country": ["Iran", "Iran"],
        "date_prec": ["1", "4"],
        "date_start": ["2023-12-15 00:00:00.000", "2024-04-01"],
        "date_end": ["2023-12-15 00:00:00.000", "2024-04-30"],
        "best": ["11", "3"],
        "low": ["11", "2"],
        "high": ["13", "5"],
        "source_office": ["Reuters", "AFP"],
        "source_headline": ["Police station attacked", "Clashes"],
    }
)


def as_csv(frame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def test_acled_export_maps_types_dates_and_precision():
    events, report, kind = import_events(as_csv(ACLED), "acled.csv")
    assert kind == "acled"
    by_id = events.set_index("id")
    strike = by_id.loc["acled-pak1001"]
    assert (strike.event_type, strike.country, strike.province, strike.location_precision) == (
        "attack", "PK", "PK-BA", "town")
    assert strike.fatalities == 2 and "Military Forces of Iran; Civilians" == strike.actors
    assert by_id.loc["acled-irn2002"].date == pd.Timestamp("2024-01-18")  # the older "18 January 2024" style
    assert by_id.loc["acled-irn2002"].location_precision == "district"
    assert by_id.loc["acled-pak1003"].date_precision == "month"
    # Strategic developments have no equivalent: reported by row and field, not dropped silently.
    [error] = report.errors
    assert (error.row, error.field, error.event_id) == (5, "event_type", "acled-pak1004")
    assert len(events) == 3


def test_ucdp_ged_maps_best_low_high_and_dates():
    events, report, kind = import_events(as_csv(UCDP), "ged.csv")
    assert kind == "ucdp" and report.ok, [str(p) for p in report.problems]
    rask = events.set_index("id").loc["ucdp-501"]
    assert (rask.event_type, rask.fatalities, rask.fatalities_low, rask.fatalities_high) == ("attack", 11, 11, 13)
    assert rask.date == pd.Timestamp("2023-12-15") and pd.isna(rask.end_date)
    assert rask.province == "IR-13" and rask.location_precision == "town"
    month = events.set_index("id").loc["ucdp-502"]
    assert month.date_precision == "month" and month.end_date == pd.Timestamp("2024-04-30")


def test_our_csv_round_trips():
    data = as_csv(table(make_row(id="mine-1"), make_row(id="mine-2", lat="oops")))
    events, report, kind = import_events(data, "mine.csv")
    assert kind == "events" and list(events.id) == ["mine-1"]
    assert [(p.row, p.field) for p in report.errors] == [(3, "lat")]


def _points_frame():
    rows = table(make_row(id="geo-1"), make_row(id="geo-2", lat="27.37", lon="62.33", country="IR", province="IR-13"))
    geometry = [Point(float(r.lon), float(r.lat)) for r in rows.itertuples()]
    return gpd.GeoDataFrame(rows.drop(columns=["lat", "lon"]), geometry=geometry, crs="EPSG:4326")


def test_geojson_points():
    data = _points_frame().to_json().encode("utf-8")
    events, report, kind = import_events(data, "mine.geojson")
    assert kind == "geojson" and report.ok and list(events.id) == ["geo-1", "geo-2"]
    assert events.set_index("id").loc["geo-2"].side == "IR"


def test_geopackage_in_a_metric_crs_is_reprojected(tmp_path):
    path = tmp_path / "mine.gpkg"
    frame = _points_frame().to_crs("EPSG:32641")
    frame.loc[len(frame)] = {**frame.iloc[0].to_dict(), "id": "geo-line", "geometry": LineString([(0, 0), (1, 1)])}
    frame.to_file(path, driver="GPKG")
    events, report, kind = import_events(path.read_bytes(), "mine.gpkg")
    assert kind == "gpkg"
    assert set(events.id) == {"geo-1", "geo-2"}
    assert abs(events.set_index("id").loc["geo-1"].lon - 63.05) < 1e-6
    assert {(p.event_id, p.field) for p in report.errors} == {("geo-line", "lat"), ("geo-line", "lon")}


@pytest.mark.parametrize("data, name", [(b"\xff\xfe\x00junk", "x.csv"), (b"not json", "x.geojson"), (b"", "x.gpkg")])
def test_unreadable_files_raise_a_clear_error(data, name):
    with pytest.raises(ImportFormatError, match=name):
        import_events(data, name)


def test_detect_format():
    assert detect_format(ACLED.columns) == "acled"
    assert detect_format(UCDP.columns) == "ucdp"
    assert detect_format(["id", "event_type"]) == "events"


def test_combine_puts_their_rows_next_to_ours_and_reports_id_clashes(shipped):
    theirs, report, _ = import_events(as_csv(table(make_row(id="mine-1"), make_row(id="market-mand-pishin"))), "m.csv")
    assert report.ok
    both, left_out = geodata.combine_events(shipped, theirs, "m.csv")
    assert left_out == ["market-mand-pishin"]
    assert len(both) == len(shipped) + 1 and both.id.is_unique
    assert both.set_index("id").loc["mine-1", "dataset"] == "m.csv"
    assert (both.set_index("id").loc[list(shipped.id), "dataset"] == "curated").all()
    assert both.crs.to_epsg() == 4326

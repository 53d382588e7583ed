"""The map area is the shipped province polygons (the two focus provinces and their neighbours), not a box."""

import geopandas as gpd
import pytest
import shapely

import geodata
from geodata.boundaries import AREA_TOLERANCE_KM
from geodata.importers import import_events
from geodata.models import METRIC_CRS
from tests.geodata import import_fixtures as fx
from tests.geodata.conftest import make_row, table

# Real places (lon, lat).
SIBI = (68.0, 29.55)  # Balochistan, east of the old box's 67.5° E edge
KOHLU = (69.25, 29.9)  # Balochistan
BANDAR_ABBAS = (56.27, 27.18)  # Hormozgan's port, just off the 1:10m coastline
KARACHI = (67.01, 24.86)  # Sindh, a neighbour
TEHRAN = (51.39, 35.69)
GILGIT = (74.31, 35.92)  # Gilgit-Baltistan: Pakistan, but no shipped polygon
OFF_PASNI = (63.47, 24.3)  # Arabian Sea, ~100 km south of Pasni
MUSCAT = (58.41, 23.59)  # across the Gulf of Oman


@pytest.mark.parametrize("lon, lat", [SIBI, KOHLU, BANDAR_ABBAS, KARACHI, (62.32, 25.12), (60.64, 25.29)],
                         ids=["Sibi", "Kohlu", "Bandar Abbas", "Karachi", "Gwadar", "Chabahar"])
def test_places_in_the_provinces_and_on_their_coast_are_in(lon, lat):
    assert geodata.in_study_area([lon], [lat]).tolist() == [True]


@pytest.mark.parametrize("lon, lat", [TEHRAN, GILGIT, OFF_PASNI, MUSCAT],
                         ids=["Tehran", "Gilgit", "Arabian Sea off Pasni", "Muscat"])
def test_places_beyond_the_provinces_are_out(lon, lat):
    assert geodata.in_study_area([lon], [lat]).tolist() == [False]


def test_the_tolerance_is_what_keeps_a_port_on_the_shore():
    union = geodata.load_provinces().union_all()
    port = shapely.Point(BANDAR_ABBAS)
    assert not union.contains(port)  # the 1:10m coast leaves the harbour at sea...
    km = gpd.GeoSeries([port], crs=4326).to_crs(METRIC_CRS).distance(
        gpd.GeoSeries([union], crs=4326).to_crs(METRIC_CRS)).iloc[0] / 1000
    assert 0 < km < AREA_TOLERANCE_KM  # ...within the allowance


def test_missing_coordinates_are_not_in_the_area():
    assert geodata.in_study_area([float("nan"), SIBI[0]], [SIBI[1], float("nan")]).tolist() == [False, False]


def test_every_curated_event_is_in_the_area(shipped):
    assert geodata.in_study_area(shipped.lon, shipped.lat).all()


def test_the_area_is_built_once():
    assert geodata.study_area() is geodata.study_area()


def test_a_balochistan_row_east_of_67_5_validates():
    frame, report = geodata.check_events(table(make_row(
        id="sibi-1", district="Sibi", lon=str(SIBI[0]), lat=str(SIBI[1]))))
    assert report.ok, [str(p) for p in report.problems]
    assert frame.province_found.tolist() == ["PK-BA"]


def test_a_row_outside_is_named_with_row_field_and_the_area():
    _, report = geodata.check_events(table(make_row(), make_row(id="tehran-1", lon=str(TEHRAN[0]),
                                                                 lat=str(TEHRAN[1]))))
    [error] = report.errors
    assert (error.row, error.field) == (3, "lat")
    assert error.message == ("point (35.69, 51.39) is outside the map area "
                             "(Balochistan, Sistan and Baluchestan and their neighbours, within 5 km)")


def _ged(ident, place, adm_1, country):
    record = fx.ucdp_records()[0]
    record.update(id=ident, longitude=str(place[0]), latitude=str(place[1]), adm_1=adm_1, country=country)
    return record


def test_an_upload_keeps_balochistan_east_of_the_old_box_and_drops_the_rest_in_one_line():
    records = [_ged("1", SIBI, "Balochistan province", "Pakistan"),
               _ged("2", KOHLU, "Balochistan province", "Pakistan"),
               _ged("3", OFF_PASNI, "Balochistan province", "Pakistan"),
               _ged("4", TEHRAN, "Tehran province", "Iran")]
    events, report, _ = import_events(fx.csv_bytes(records), "ged.csv")
    assert sorted(events.id) == ["ucdp-1", "ucdp-2"]
    assert events.province_found.tolist() == ["PK-BA", "PK-BA"]
    assert report.lines()[1] == ("2 rows outside the map area (Balochistan, Sistan and Baluchestan and their "
                                 "neighbours), not shown")
    assert not any(p.row in (4, 5) for p in report.problems)  # never one error per dropped row

"""The shipped boundary files hold real geometry: Natural Earth provinces around OpenStreetMap's border."""

import subprocess
import sys

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
import shapely.ops
from shapely.geometry import Point

import geodata
from geodata.models import AREA_CRS, METRIC_CRS

GEOD = pyproj.Geod(ellps="WGS84")
AFGHAN_TRIPOINT = (60.87, 29.86)  # lon, lat
GWADAR_BAY = (61.60, 25.17)


def geodesic_km(a, b):
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000


@pytest.fixture(scope="module")
def provinces():
    return geodata.load_provinces()


@pytest.fixture(scope="module")
def border_line():
    border = geodata.load_border()
    assert len(border) == 1
    return border.geometry.iloc[0]


def _area_km2(provinces, code):
    row = provinces[provinces.iso_code == code]
    assert len(row) == 1, f"{code} missing"
    return row.to_crs(AREA_CRS).area.iloc[0] / 1e6


@pytest.mark.parametrize(
    "code, low, high",
    [("PK-BA", 340_000, 356_000), ("IR-13", 170_000, 190_000)],
)
def test_focus_province_area_is_real(provinces, code, low, high):
    assert low <= _area_km2(provinces, code) <= high


def test_border_length_is_real(border_line):
    assert border_line.geom_type == "LineString"
    km = GEOD.geometry_length(border_line) / 1000
    assert 780 <= km <= 1100


def test_border_ends_at_tripoint_and_gwadar_bay(border_line):
    north, south = border_line.coords[0], border_line.coords[-1]
    assert geodesic_km(north, AFGHAN_TRIPOINT) < 6
    assert geodesic_km(south, GWADAR_BAY) < 6


def test_focus_provinces_share_the_border(provinces, border_line):
    """Balochistan and Sistan and Baluchestan meet exactly along the shipped border line, end to end."""
    focus = provinces.set_index("iso_code").geometry
    pakistan, iran = focus["PK-BA"], focus["IR-13"]
    assert pakistan.geom_type == iran.geom_type == "Polygon"
    shared = shapely.line_merge(shapely.intersection(pakistan.boundary, iran.boundary))
    assert shared.geom_type == "LineString"
    assert shapely.equals(shared, border_line)
    assert shapely.area(shapely.intersection(pakistan, iran)) == 0


# Areas (km², ESRI:102025) of the Natural Earth focus provinces shipped before the border came from OSM
# (#14, commit 279e63f): conflation must move area across the border, not add or lose land.
NATURAL_EARTH_AREA_KM2 = {"PK-BA": 347_996, "IR-13": 174_613}


@pytest.mark.parametrize("code", sorted(NATURAL_EARTH_AREA_KM2))
def test_conflation_keeps_focus_areas_within_one_percent(provinces, code):
    before = NATURAL_EARTH_AREA_KM2[code]
    assert abs(_area_km2(provinces, code) - before) <= 0.01 * before


def test_basemap_countries_meet_along_the_border(border_line):
    """The vector basemap's Pakistan and Iran share an edge that follows the border line (no second border)."""
    countries = geodata.load_countries().set_index("iso_a2").to_crs(METRIC_CRS).geometry
    edge = shapely.line_merge(shapely.intersection(countries["PK"].boundary, countries["IR"].boundary))
    assert shapely.area(shapely.intersection(countries["PK"], countries["IR"])) == 0
    offsets = _distances(_samples(_metric(border_line)), edge)
    assert offsets.max() < 500  # the edge is thinned to 0.001° and written with 3 decimals


def test_provinces_have_todays_names_and_codes(provinces):
    names = dict(zip(provinces.iso_code, provinces.name))
    assert names["PK-BA"] == "Balochistan"
    assert names["IR-13"] == "Sistan and Baluchestan"
    assert names["PK-KP"] == "Khyber Pakhtunkhwa"
    assert names["PK-SD"] == "Sindh"
    assert "PK-TA" not in names  # former FATA merged into Khyber Pakhtunkhwa
    assert set(provinces.country) == {"PK", "IR", "AF"}
    assert list(provinces.columns[:3]) == ["iso_code", "name", "country"]
    assert set(provinces[provinces.focus].iso_code) == {"PK-BA", "IR-13"}


def test_former_fata_is_inside_khyber_pakhtunkhwa(provinces):
    kp = provinces.set_index("iso_code").geometry["PK-KP"]
    assert kp.contains(Point(69.9, 32.3))  # Wana, South Waziristan (ex-FATA)
    assert kp.contains(Point(71.55, 34.0))  # Peshawar


@pytest.mark.parametrize(
    "lon, lat, code",
    [
        (60.86, 29.50, "IR-13"),  # Zahedan
        (62.33, 25.14, "PK-BA"),  # Gwadar
        (63.07, 25.99, "PK-BA"),  # Turbat
        (60.63, 25.30, "IR-13"),  # Chabahar
        (67.02, 30.22, "PK-BA"),  # Quetta
    ],
)
def test_known_towns_fall_in_their_province(provinces, lon, lat, code):
    hits = provinces[provinces.contains(Point(lon, lat))].iso_code.tolist()
    assert hits == [code]


@pytest.mark.parametrize(
    "loader", [geodata.load_border, geodata.load_provinces, geodata.load_countries, geodata.load_land]
)
def test_all_geometries_valid_in_wgs84(loader):
    frame = loader()
    assert frame.crs.to_epsg() == 4326
    assert len(frame) > 0
    assert frame.geometry.is_valid.all()
    assert not frame.geometry.is_empty.any()
    assert frame.geom_type.isin(["LineString", "Polygon", "MultiPolygon"]).all()


def test_countries_include_the_neighbours():
    codes = set(geodata.load_countries().iso_a2)
    assert {"PK", "IR", "AF", "IN", "OM"} <= codes


def test_loaders_return_independent_copies():
    first = geodata.load_provinces()
    first.loc[0, "name"] = "changed"
    assert geodata.load_provinces().loc[0, "name"] != "changed"


def test_data_folder_is_small():
    from importlib import resources

    folder = resources.files("geodata") / "data"
    total = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
    assert total < 5 * 1024 * 1024


# --- The border against its OpenStreetMap source (timezonefinder-data, in the [test] extra) ---------------


@pytest.fixture(scope="module")
def osm_zones():
    """Pakistan's, Iran's and Afghanistan's timezone polygons as timezonefinder decodes them (full resolution)."""
    timezonefinder = pytest.importorskip("timezonefinder")
    finder = timezonefinder.TimezoneFinder()

    def zone(name):
        rings = finder.get_geometry(tz_name=name, coords_as_pairs=True)
        return shapely.MultiPolygon([shapely.Polygon(r[0], r[1:]) for r in rings])

    return {name: zone(name) for name in ("Asia/Karachi", "Asia/Tehran", "Asia/Kabul")}


@pytest.fixture(scope="module")
def osm_edge(osm_zones):
    """The source line: the edge the Karachi and Tehran zones share (it runs on out to sea), in UTM 41N."""
    edge = shapely.line_merge(osm_zones["Asia/Karachi"].boundary.intersection(osm_zones["Asia/Tehran"].boundary))
    assert edge.geom_type == "LineString"
    return _metric(edge)


def _metric(geom):
    return gpd.GeoSeries([geom], crs=4326).to_crs(METRIC_CRS).iloc[0]


def _samples(line, step_m=100):
    return shapely.points(shapely.get_coordinates(shapely.segmentize(line, step_m)))


def _distances(points, line):
    """``shapely.distance(points, line)``, exactly, from a tree of the line's segments: the distance to a line is
    the distance to its nearest segment, and the tree finds it without measuring every point to every vertex."""
    segments = []
    for part in shapely.get_parts(line):  # a multi-line's parts are not joined to each other
        coords = shapely.get_coordinates(part)
        segments += list(shapely.linestrings(np.stack([coords[:-1], coords[1:]], axis=1)))
    (which, _), found = shapely.STRtree(segments).query_nearest(points, return_distance=True, all_matches=False)
    offsets = np.full(len(points), np.nan)
    offsets[which] = found
    assert not np.isnan(offsets).any()
    spot = slice(None, None, 500)  # and the slow way agrees, on a few of them
    assert offsets[spot] == pytest.approx(shapely.distance(points[spot], line), abs=1e-6)
    return offsets


def test_border_lies_on_the_osm_line(border_line, osm_edge):
    """Within 1 km of the source on at least 95 % of its length (in fact within the 20 m simplification)."""
    offsets = _distances(_samples(_metric(border_line)), osm_edge)
    assert (offsets <= 1000).mean() >= 0.95
    assert offsets.max() <= 25  # 20 m Douglas–Peucker tolerance + the 1 m coordinate grid


def test_border_covers_the_osm_line_on_land(border_line, osm_edge):
    """The whole inland source is drawn: from the tripoint to the coast, nothing is cut short."""
    line = _metric(border_line)
    inland = shapely.ops.substring(osm_edge, 0, osm_edge.project(shapely.Point(line.coords[-1])))
    offsets = _distances(_samples(inland), line)
    assert (offsets <= 1000).mean() >= 0.95
    assert GEOD.geometry_length(border_line) / 1000 == pytest.approx(inland.length / 1000, rel=0.05)


def test_border_starts_on_the_osm_tripoint(border_line, osm_zones):
    edge = osm_zones["Asia/Karachi"].boundary.intersection(osm_zones["Asia/Tehran"].boundary)
    tripoints = shapely.get_parts(edge.intersection(osm_zones["Asia/Kabul"].boundary))
    assert len(tripoints) > 0
    north = border_line.coords[0]
    assert min(geodesic_km(north, p.coords[0]) for p in tripoints) < 0.005  # the 1 m grid, with room


def test_border_ends_on_the_coast(border_line, provinces, osm_edge):
    """The south end is on the provinces' outline, and beyond it the source runs only over the sea."""
    focus = provinces[provinces.focus]
    outline = shapely.union_all(focus.geometry.values)
    south = shapely.Point(border_line.coords[-1])
    assert shapely.distance(outline.boundary, south) < 1e-9
    land = shapely.union_all(provinces.to_crs(METRIC_CRS).geometry.values)
    end = osm_edge.project(_metric(south))
    offshore = shapely.ops.substring(osm_edge, end + 100, osm_edge.length)
    assert offshore.length > 20_000  # territorial waters
    assert not shapely.intersects(offshore, land)

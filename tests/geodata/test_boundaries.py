"""The shipped boundary files hold the real Natural Earth geometry of the border region."""

import subprocess
import sys

import pyproj
import pytest
import shapely
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
    """The common edge of Balochistan and Sistan and Baluchestan lies within 1 km of the border line."""
    metric = provinces.to_crs(METRIC_CRS).set_index("iso_code").geometry
    line = geodata.load_border().to_crs(METRIC_CRS).geometry.iloc[0]
    common = metric["PK-BA"].boundary.intersection(metric["IR-13"].buffer(1000))
    assert common.length > 700_000  # the shared edge runs the length of the border
    samples = shapely.get_coordinates(shapely.segmentize(common, 1000))
    assert shapely.distance(shapely.points(samples), line).max() < 1000
    # ... and the line is covered by that edge end to end, not just part of it.
    along = shapely.get_coordinates(shapely.segmentize(line, 1000))
    assert shapely.distance(shapely.points(along), common).max() < 1000


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


def test_core_does_not_import_ui():
    code = "import sys, geodata; geodata.load_provinces(); print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'folium')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

"""Shipped boundary layers, read from package data so an installed wheel works as well as a checkout."""

from __future__ import annotations

import functools
from importlib import resources

import geopandas as gpd
import numpy as np
import shapely

from .models import CRS, METRIC_CRS

#: How far outside the shipped province polygons a point still counts as inside the map area. The polygons are
#: Natural Earth 1:10m with a simplified coast: a port on the shoreline can fall just offshore (Bandar Abbas
#: at 27.18° N, 56.27° E lies 1 km outside Hormozgan's polygon), and neighbouring polygons leave thin slivers
#: between them. 5 km covers both (the allowance validation gives a province mismatch at the border, for the same
#: 1:10m reason) and stays short of open sea: a point 10 km off the coast is left out.
AREA_TOLERANCE_KM = 5.0
#: The map area in words, for messages.
AREA_WORDS = "Balochistan, Sistan and Baluchestan and their neighbours"


@functools.cache
def _read_layer(name: str) -> gpd.GeoDataFrame:
    resource = resources.files("geodata") / "data" / f"{name}.geojson"
    with resources.as_file(resource) as path:
        frame = gpd.read_file(path, engine="pyogrio")
    return frame.set_crs(CRS, allow_override=True)


def _layer(name: str) -> gpd.GeoDataFrame:
    # Callers get their own copy: the cached frame must never be mutated.
    return _read_layer(name).copy()


def load_border() -> gpd.GeoDataFrame:
    """Load the Pakistan–Iran international boundary as OpenStreetMap maps it (ODbL, © OSM contributors).

    Returns
    -------
    geopandas.GeoDataFrame
        One row, a LineString ordered from the Afghanistan tripoint (north) to the coast of Gwadar Bay
        (south), simplified within 20 m of the source, CRS EPSG:4326. Columns ``name``, ``left`` (``IR``),
        ``right`` (``PK``). It is exactly the common edge of the two focus provinces of
        :func:`load_provinces`.
    """
    return _layer("border")


def load_provinces() -> gpd.GeoDataFrame:
    """Load province polygons of the border region with today's names.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso_code`` (ISO 3166-2 as carried by Natural Earth, e.g. ``PK-BA``, ``IR-13``),
        ``name`` (today's English name), ``country`` (ISO 3166-1 alpha-2), ``focus`` (True for
        Balochistan and Sistan and Baluchestan, kept at full Natural Earth 10m detail, their common edge
        being the :func:`load_border` line), geometry; CRS EPSG:4326.
    """
    return _layer("provinces")


@functools.cache
def _province_names() -> tuple[tuple[str, str], ...]:
    provinces = _read_layer("provinces")
    return tuple(zip(provinces["iso_code"], provinces["name"]))


def province_names() -> dict[str, str]:
    """ISO code -> name of every province in the shipped boundaries (``{"PK-BA": "Balochistan", ...}``).

    Returns
    -------
    dict of str to str
        A new dict on each call; the page, the figure and the sidebar name provinces from it.
    """
    return dict(_province_names())


def load_countries() -> gpd.GeoDataFrame:
    """Load simplified country outlines around the region for an offline vector basemap.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``iso_a2``, ``name``, geometry (clipped to 44–80° E, 20–40° N), CRS EPSG:4326.
    """
    return _layer("countries")


def load_land() -> gpd.GeoDataFrame:
    """Load the land mass of the region (sea is everything else), simplified, for the vector basemap.

    Returns
    -------
    geopandas.GeoDataFrame
        One row, a (Multi)Polygon clipped to 44–80° E, 20–40° N, CRS EPSG:4326.
    """
    return _layer("land")


def load_towns() -> gpd.GeoDataFrame:
    """Load the major towns of the border region from Natural Earth populated places.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name``, ``country`` (alpha-2), ``capital`` (provincial capital), ``population``,
        geometry (Point), sorted by population, CRS EPSG:4326.
    """
    return _layer("towns")


@functools.cache
def study_area() -> shapely.Geometry:
    """The map area: the union of the shipped province polygons, widened by :data:`AREA_TOLERANCE_KM`.

    Returns
    -------
    shapely.Geometry
        A prepared (Multi)Polygon in lon/lat (EPSG:4326) covering every polygon of :func:`load_provinces` (the
        two focus provinces and their neighbours) and the land and sea within 5 km of them. Cached: the same
        object every call, never to be modified.
    """
    # Widened in metres (UTM 41N), not degrees: a degree of longitude is shorter than a degree of latitude here.
    metric = _read_layer("provinces").to_crs(METRIC_CRS).union_all()
    area = gpd.GeoSeries([metric.buffer(AREA_TOLERANCE_KM * 1000)], crs=METRIC_CRS).to_crs(CRS).iloc[0]
    shapely.prepare(area)
    return area


def in_study_area(lon, lat) -> np.ndarray:
    """Which points lie in the map area (:func:`study_area`), for whole columns at once.

    Parameters
    ----------
    lon, lat : array-like of float
        Longitudes and latitudes (degrees, EPSG:4326), of the same length; NaN where unknown.

    Returns
    -------
    numpy.ndarray of bool
        True where the point is inside; False where it is outside or a coordinate is missing.
    """
    return shapely.contains_xy(study_area(), np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64"))

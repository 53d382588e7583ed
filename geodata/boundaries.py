"""Shipped boundary layers, read from package data so an installed wheel works as well as a checkout."""

from __future__ import annotations

import functools
from importlib import resources

import geopandas as gpd

from .models import CRS


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

"""Pure map building: ``build_map(...) -> folium.Map``. No streamlit import."""

from __future__ import annotations

from dataclasses import dataclass

import folium
import geopandas as gpd

from dashboard import assets

BORDER_COLOUR = "#B2182B"
DEFAULT_CENTER = (27.6, 62.4)
DEFAULT_ZOOM = 6


@dataclass(frozen=True)
class BasemapLayers:
    border: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    land: gpd.GeoDataFrame


def _offline(m: folium.Map) -> folium.Map:
    m.default_js, m.default_css = assets.offline_js_css()
    return m


def build_map(layers: BasemapLayers, center=DEFAULT_CENTER, zoom=DEFAULT_ZOOM) -> folium.Map:
    """Base map: provinces and the border on an offline vector background."""
    m = _offline(folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=True))
    folium.GeoJson(
        layers.land.__geo_interface__,
        name="Land",
        style_function=lambda f: {"fillColor": "#f2efe9", "color": "#f2efe9", "weight": 0, "fillOpacity": 1},
    ).add_to(m)
    provinces = layers.provinces[["iso_code", "name", "focus", "geometry"]]
    folium.GeoJson(
        provinces.__geo_interface__,
        name="Provinces",
        style_function=lambda f: {
            "fillColor": "#fdd49e" if f["properties"]["focus"] else "#ffffff",
            "fillOpacity": 0.35 if f["properties"]["focus"] else 0.0,
            "color": "#666666",
            "weight": 1.5 if f["properties"]["focus"] else 0.7,
        },
    ).add_to(m)
    folium.GeoJson(
        layers.border.__geo_interface__,
        name="Pakistan–Iran border",
        style_function=lambda f: {"color": BORDER_COLOUR, "weight": 3.5},
    ).add_to(m)
    return m

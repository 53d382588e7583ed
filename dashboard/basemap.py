"""The stable part of the map: background (tiles or the offline vector land), provinces, border, labels, scale.

Pure folium building, no streamlit. The base map is built at the session's opening view and never changes while the
user filters, so streamlit-folium keeps the same map (and the user's view) across reruns; the events travel in
their own layer (dashboard/events_layer.py).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import folium
import geopandas as gpd
from branca.element import MacroElement
from jinja2 import Template

from dashboard import assets
from dashboard.embed import script_json
from dashboard.query_codec import DEFAULT_CENTER, DEFAULT_ZOOM
from dashboard.settings import TILES_ATTRIBUTION_ENV, TILES_URL_ENV, Settings

BORDER_COLOUR = "#B2182B"
FOCUS_FILL = "#FEE8C8"
LAND_COLOUR = "#F4F1EA"
NATURAL_EARTH = ('Boundaries: <a href="https://www.naturalearthdata.com/" target="_blank" rel="noopener noreferrer">Natural Earth</a>; '
                 'border &copy; <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener noreferrer">'
                 'OpenStreetMap</a> contributors (ODbL)')

TILES = {
    "light": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        '&copy; <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener noreferrer">'
        "OpenStreetMap</a> contributors &copy; CARTO",
    ),
    "satellite": (
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Imagery &copy; Esri, Maxar, Earthstar Geographics, and the GIS User Community",
    ),
}
BASEMAP_LABELS = {
    "light": "Light (tiles)",
    "satellite": "Satellite (tiles)",
    "none": "None (offline vector)",
    "custom": "Custom tile server",
}
CUSTOM_TILES_ENV = TILES_URL_ENV
CUSTOM_ATTRIBUTION_ENV = TILES_ATTRIBUTION_ENV


@dataclass(frozen=True)
class BasemapLayers:
    border: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    land: gpd.GeoDataFrame


def custom_tiles(settings: Settings) -> tuple[str, str] | None:
    """(url, attribution) of the internal XYZ tile server the settings name, if it is a usable http(s) URL."""
    url = settings.tiles_url.strip()
    if not url.lower().startswith(("http://", "https://")) or "{z}" not in url:
        return None
    attribution = settings.tiles_attribution.strip() or "Custom tiles"
    if any(mark in url for mark in ("{{", "{%", "{#")):  # template syntax: never let it reach branca
        return None
    return url, html.escape(attribution).replace("{", "&#123;").replace("}", "&#125;")


def available_basemaps(custom: tuple[str, str] | None = None) -> tuple[str, ...]:
    """Basemaps on offer; "custom" only with a custom tile server (from :func:`custom_tiles`)."""
    return ("light", "satellite", "none") + (("custom",) if custom else ())


#: Where the focus provinces' names sit: away from the border, where events cluster.
LABEL_ANCHORS = {"IR-13": (28.45, 59.35), "PK-BA": (28.75, 65.6)}


class _ProvinceLabels(MacroElement):
    """Permanent name labels for the focus provinces (divIcons created directly: no default-icon image fetch)."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
{{ this.labels_json }}.forEach(function (l) {
  L.marker([l[0], l[1]], {icon: L.divIcon({html: '<div class="bd-province-label">' + l[2] + '</div>',
    className: 'bd-place', iconSize: [0, 0], iconAnchor: [0, 0]}), interactive: false, keyboard: false})
   .addTo({{ this._parent.get_name() }});
});
{% endmacro %}
"""
    )

    def __init__(self, focus: gpd.GeoDataFrame):
        super().__init__()
        labels = []
        for _, row in focus.iterrows():
            point = row.geometry.representative_point()
            lat, lon = LABEL_ANCHORS.get(row["iso_code"], (point.y, point.x))
            labels.append([lat, lon, html.escape(f"{row['name']} ({row['iso_code']})")])
        self.labels_json = script_json(labels)


def build_base_map(layers: BasemapLayers, basemap: str = "light", *, center=DEFAULT_CENTER, zoom=DEFAULT_ZOOM,
                   custom: tuple[str, str] | None = None) -> folium.Map:
    """The stable part of the map: background, provinces, border, scale bar and attribution.

    ``custom`` is the (url, attribution) of the custom tile server (:func:`custom_tiles`), drawn for the "custom"
    basemap; without it "custom" falls back to the light tiles.

    The view (``center``, ``zoom``) is only the initial one; in the app it is driven through st_folium so that
    panning never changes this map's script.
    """
    m = folium.Map(
        location=list(center), zoom_start=zoom, tiles=None, control_scale=True, prefer_canvas=False,
        min_zoom=3, max_zoom=16,
    )
    m.default_js, m.default_css = assets.map_js_css()

    if basemap in TILES or basemap == "custom":
        url, attribution = TILES.get(basemap) or custom or TILES["light"]
        folium.TileLayer(tiles=url, attr=attribution, name=BASEMAP_LABELS.get(basemap, basemap), max_zoom=18).add_to(m)
    else:
        folium.GeoJson(
            layers.countries[["name", "geometry"]].__geo_interface__,
            name="Countries",
            style_function=lambda f: {"fillColor": LAND_COLOUR, "fillOpacity": 1, "color": "#9a9a9a", "weight": 0.8},
            interactive=False,
        ).add_to(m)

    context = layers.provinces[~layers.provinces["focus"]][["name", "geometry"]]
    focus = layers.provinces[layers.provinces["focus"]][["iso_code", "name", "geometry"]]
    folium.GeoJson(
        context.__geo_interface__,
        name="Neighbouring provinces",
        style_function=lambda f: {"fill": False, "color": "#8c8c8c", "weight": 0.8, "dashArray": "4 3"},
        interactive=False,
    ).add_to(m)
    folium.GeoJson(
        focus.__geo_interface__,
        name="Balochistan and Sistan and Baluchestan",
        style_function=lambda f: {"fillColor": FOCUS_FILL, "fillOpacity": 0.45, "color": "#7f4f24", "weight": 1.6},
        interactive=False,
    ).add_to(m)
    _ProvinceLabels(focus).add_to(m)
    border = layers.border[["name", "geometry"]].__geo_interface__
    folium.GeoJson(border, name="Border casing", style_function=lambda f: {"color": "#ffffff", "weight": 7, "opacity": 0.9},
                   interactive=False).add_to(m)
    folium.GeoJson(border, name="Pakistan–Iran border", style_function=lambda f: {"color": BORDER_COLOUR, "weight": 3.5},
                   interactive=False, attribution=NATURAL_EARTH).add_to(m)
    return m

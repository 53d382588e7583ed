"""The stable part of the map: background (tiles or the offline vector land), provinces, border, labels, scale.

Pure folium building, no streamlit. The base map is built at the session's opening view and never changes while the
user filters, so streamlit-folium keeps the same map (and the user's view) across reruns; the events travel in
their own layer (dashboard/events_layer.py).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import folium
import geopandas as gpd
from branca.element import Element

from dashboard import _compat, assets
from dashboard.embed import BrowserCall
from dashboard.query_codec import DEFAULT_CENTER, DEFAULT_ZOOM
from dashboard.settings import TILES_ATTRIBUTION_ENV, TILES_URL_ENV, Settings

# Re-exported by map_view (the lead is reworking it); the browser draws the border from static/basemap.js.
BORDER_COLOUR = "#B2182B"
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


#: Where the focus provinces' names may sit, preferred first: inside the province, away from the border and from
#: every event (stack badges are drawn over the names). The browser takes the first where the name fits inside the
#: map clear of its controls (the open legend covers the right of a 1280-px-wide map).
LABEL_ANCHORS = {
    "IR-13": ((28.45, 59.35), (27.6, 59.6), (26.5, 59.9)),
    "PK-BA": ((28.75, 65.6), (29.0, 64.5), (27.6, 65.9)),
}
#: The land is drawn under the tiles, so the map still reads without them: one short line says what is missing.
TILES_DOWN = "Tiles unavailable (offline?)"


def boundaries_payload(layers: BasemapLayers) -> bytes:
    """The base map's geometry as one JSON document for the browser (dashboard/static/basemap.js).

    ``countries`` (the offline land), ``context`` (neighbouring provinces), ``focus`` (the two provinces, with
    name and ISO code), ``border`` (the Pakistan–Iran line), ``labels`` ([lat, lon, text, [[lat, lon], ...]] per
    focus province: the preferred anchor, then alternatives) and ``frame`` (lon/lat box the land is drawn for).
    The land is drawn on every basemap, under the tiles.
    """
    focus = layers.provinces[layers.provinces["focus"]][["iso_code", "name", "geometry"]]
    labels = []
    for _, row in focus.iterrows():
        point = row.geometry.representative_point()
        (lat, lon), *others = LABEL_ANCHORS.get(row["iso_code"], ((point.y, point.x),))
        labels.append([lat, lon, f"{row['name']} ({row['iso_code']})", [list(a) for a in others]])
    document = {
        "countries": layers.countries[["name", "geometry"]].__geo_interface__,
        "context": layers.provinces[~layers.provinces["focus"]][["name", "geometry"]].__geo_interface__,
        "focus": focus.__geo_interface__,
        "border": layers.border[["name", "geometry"]].__geo_interface__,
        "labels": labels,
        "frame": [round(v, 3) for v in layers.countries.total_bounds],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _Boundaries(BrowserCall):
    """Hands the browser's base map code (static/basemap.js) where the boundaries are and how to show them."""

    def __init__(self, config: dict):
        super().__init__("Boundaries", config)

    def script_text(self) -> str:
        return self.call("basemap", _compat.element_parent(self).get_name())


def build_base_map(layers: BasemapLayers, basemap: str = "light", *, center=DEFAULT_CENTER, zoom=DEFAULT_ZOOM,
                   custom: tuple[str, str] | None = None, boundaries_url: str | None = None,
                   present: bool = False, asset_urls: dict[str, str] | None = None) -> folium.Map:
    """The stable part of the map: background, provinces, border, labels, scale bar and attribution.

    ``custom`` is the (url, attribution) of the custom tile server (:func:`custom_tiles`), drawn for the "custom"
    basemap; without it "custom" falls back to the light tiles.

    The view (``center``, ``zoom``) is only the initial one; in the app it is driven through st_folium so that
    panning never changes this map's script. The boundaries are fetched by the browser from ``boundaries_url``
    (the app serves them once; ``None`` inlines them as a data: URL, for standalone pages). ``present`` drops the
    zoom buttons (presentation mode). ``asset_urls`` are where the app serves the map's browser files
    (:func:`dashboard.assets.map_js_css`); without them they are inlined.
    """
    m = folium.Map(
        location=list(center), zoom_start=zoom, tiles=None, control_scale=True, prefer_canvas=False,
        min_zoom=3, max_zoom=16,
    )
    m.default_js, m.default_css = assets.map_js_css(asset_urls)
    m.get_root().header.add_child(Element(f"<style>{assets.frame_css()}</style>"), name="bd_frame_css")
    if basemap in TILES or basemap == "custom":
        url, attribution = TILES.get(basemap) or custom or TILES["light"]
        folium.TileLayer(tiles=url, attr=attribution, name=BASEMAP_LABELS.get(basemap, basemap), max_zoom=18).add_to(m)
    if boundaries_url is None:
        boundaries_url = assets.data_url(boundaries_payload(layers), "application/json")
    _Boundaries({
        "url": boundaries_url,
        "land": basemap not in TILES and basemap != "custom",
        "present": bool(present),
        "attribution": NATURAL_EARTH,
        "tilesDown": TILES_DOWN,
    }).add_to(m)
    return m

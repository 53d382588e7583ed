"""The stable part of the map: background (tiles or the offline vector land), provinces, border, labels, scale.

Pure folium building, no streamlit. The app's page draws this map through its own component
(dashboard/map_component.py) from :func:`tiles` and :func:`boundaries_config`; :func:`build_base_map` builds the same
map as a folium page for the standalone export. The events travel in their own layer (dashboard/events_layer.py).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd

from dashboard import _compat, assets
from dashboard.embed import BrowserCall
from dashboard.query_codec import DEFAULT_CENTER, DEFAULT_ZOOM
from dashboard.settings import TILES_ATTRIBUTION_ENV, TILES_URL_ENV, Settings

if TYPE_CHECKING:  # folium (~0.5 s to import) is imported where a standalone page is built
    import folium

# Re-exported by map_view (the lead is reworking it); the browser draws the border from static/basemap.js.
BORDER_COLOUR = "#B2182B"
# Short enough that with the tiles notice it stays on one line at 1280x720 (tests/e2e/test_map_fit.py).
NATURAL_EARTH = ('<a href="https://www.naturalearthdata.com/" target="_blank" rel="noopener noreferrer">Natural Earth</a>; '
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
TOWNS_ATTRIBUTION = ('towns <a href="https://www.geonames.org/" target="_blank" rel="noopener noreferrer">GeoNames</a> '
                     '(CC BY 4.0)')
#: The language of a place's local name by its country (GeoNames' alternate names carry no language tag; the
#: gazetteer's build picks Urdu spellings on the Pakistan side and Persian ones on the Iran side).
LOCAL_LANGUAGE = {"PK": "ur", "IR": "fa"}
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
    The land is drawn on every basemap, under the tiles. ``towns`` are the gazetteer's places, most populous
    first (:func:`towns_rows`).
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
        "towns": towns_rows(),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def towns_rows() -> list[list]:
    """The gazetteer for the browser (static/towns.js): ``[name, local name, lat, lon, zoom, language]`` per place,
    most populous first (the order labels are placed in), ``zoom`` the first map zoom it is labelled at
    (:func:`geodata.towns.label_zooms`), ``language`` the local name's BCP 47 tag ("" when unknown)."""
    from geodata.towns import label_zooms, load_towns

    towns = load_towns()
    zooms = label_zooms(towns["population"])
    return [[name, local, round(float(lat), 4), round(float(lon), 4), int(zoom), LOCAL_LANGUAGE.get(country, "")]
            for name, local, lat, lon, zoom, country in zip(towns["name"], towns["name_local"], towns["lat"],
                                                            towns["lon"], zooms, towns["country"])]


class _Boundaries(BrowserCall):
    """Hands the browser's base map code (static/basemap.js) where the boundaries are and how to show them."""

    def __init__(self, config: dict):
        super().__init__("Boundaries", config)

    def script_text(self) -> str:
        return self.call("basemap", _compat.element_parent(self).get_name())


def tiles(basemap: str, custom: tuple[str, str] | None = None) -> dict | None:
    """The tile layer a basemap draws ({url, attribution, label, maxZoom}), or None for the offline vector land.

    ``custom`` is the (url, attribution) of the custom tile server (:func:`custom_tiles`); without it "custom"
    falls back to the light tiles.
    """
    if basemap not in TILES and basemap != "custom":
        return None
    url, attribution = TILES.get(basemap) or custom or TILES["light"]
    return {"url": url, "attribution": attribution, "label": BASEMAP_LABELS.get(basemap, basemap), "maxZoom": 18}


def boundaries_config(basemap: str, boundaries_url: str, present: bool = False, local_names: bool = False) -> dict:
    """What ``BD.basemap`` (static/basemap.js) needs: where the boundaries are and how to show them.

    ``local_names``: town labels show the Urdu or Persian name beside the English one (URL ``script=local``).
    """
    return {
        "url": boundaries_url,
        "land": basemap not in TILES and basemap != "custom",
        "present": bool(present),
        "localNames": bool(local_names),
        "attribution": NATURAL_EARTH + "; " + TOWNS_ATTRIBUTION,
        "tilesDown": TILES_DOWN,
    }


def build_base_map(layers: BasemapLayers, basemap: str = "light", *, center=DEFAULT_CENTER, zoom=DEFAULT_ZOOM,
                   custom: tuple[str, str] | None = None, present: bool = False,
                   local_names: bool = False) -> folium.Map:
    """The stable part of a standalone map page: background, provinces, border, labels, scale bar, attribution.

    Everything is inlined (Leaflet, our browser code, the boundaries as a data: URL), so the page opens offline.
    The app's page draws the same map through its own component (dashboard/map_component.py) with the same
    browser code and the same :func:`tiles` and :func:`boundaries_config`. ``present`` drops the zoom buttons
    (presentation mode).
    """
    import folium

    m = folium.Map(
        location=list(center), zoom_start=zoom, tiles=None, control_scale=True, prefer_canvas=False,
        min_zoom=3, max_zoom=16,
    )
    m.default_js, m.default_css = assets.map_js_css()
    layer = tiles(basemap, custom)
    if layer:
        folium.TileLayer(tiles=layer["url"], attr=layer["attribution"], name=layer["label"],
                         max_zoom=layer["maxZoom"]).add_to(m)
    boundaries_url = assets.data_url(boundaries_payload(layers), "application/json")
    _Boundaries(boundaries_config(basemap, boundaries_url, present, local_names)).add_to(m)
    return m

"""Pure map building: the base map (tiles, boundaries) and one data layer of events. No streamlit import.

The base map is kept stable across filter changes; the filtered events travel as one JSON array drawn by a
small script (one Leaflet marker each, created in the browser), never as one folium object per event.
"""

from __future__ import annotations

import html
import json
import math
import os
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import CssLink, Element, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from dashboard import assets
from dashboard.text import escape_text, format_date, format_fatalities, format_period, place_name, safe_url  # noqa: F401
from dashboard.query_codec import DEFAULT_CENTER, DEFAULT_ZOOM
from geodata import EventType

BORDER_COLOUR = "#B2182B"
FOCUS_FILL = "#FEE8C8"
SEA_COLOUR = "#D6E6F2"
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
CUSTOM_TILES_ENV = "BORDER_DASHBOARD_TILES_URL"
CUSTOM_ATTRIBUTION_ENV = "BORDER_DASHBOARD_TILES_ATTRIBUTION"


@dataclass(frozen=True)
class BasemapLayers:
    border: gpd.GeoDataFrame
    provinces: gpd.GeoDataFrame
    countries: gpd.GeoDataFrame
    land: gpd.GeoDataFrame


def custom_tiles() -> tuple[str, str] | None:
    """(url, attribution) of an internal XYZ tile server from the environment, if configured."""
    url = os.environ.get(CUSTOM_TILES_ENV, "").strip()
    if not url.lower().startswith(("http://", "https://")) or "{z}" not in url:
        return None
    attribution = os.environ.get(CUSTOM_ATTRIBUTION_ENV, "").strip() or "Custom tiles"
    if any(mark in url for mark in ("{{", "{%", "{#")):  # template syntax: never let it reach branca
        return None
    return url, html.escape(attribution).replace("{", "&#123;").replace("}", "&#125;")


def available_basemaps() -> tuple[str, ...]:
    return ("light", "satellite", "none") + (("custom",) if custom_tiles() else ())


# ---------------------------------------------------------------------------------------------- text

def tooltip_html(row) -> str:
    """Short hover text; carries the event id (hidden) so a click can be traced back to its row."""
    label = EventType(row["event_type"]).label
    return (
        f"<b>{escape_text(row['title'])}</b><br>{escape_text(label)} · {escape_text(format_period(row))}"
        f'<span style="display:none">[id:{escape_text(row["id"])}]</span>'
    )


def popup_html(row) -> str:
    """Full details with the source link. Every piece of data text is escaped; links only if http(s)."""
    label = EventType(row["event_type"]).label
    lines = [
        f"<b>{escape_text(row['title'])}</b>",
        f"{escape_text(label)} · {escape_text(format_period(row))}",
        f"<i>{escape_text(place_name(row))}</i> · location: {escape_text(row.get('location_precision'))}",
    ]
    if not EventType(row["event_type"]).is_place:
        lines.append(f"Fatalities: {escape_text(format_fatalities(row))}")
    if isinstance(row.get("actors"), str) and row["actors"]:
        lines.append(f"Actors: {escape_text(row['actors'])}")
    if pd.notna(row.get("distance_to_border_km")):
        lines.append(f"{row['distance_to_border_km']:.0f} km from the border")
    if isinstance(row.get("description"), str) and row["description"]:
        lines.append(f'<span class="bd-desc">{escape_text(row["description"])}</span>')
    url = safe_url(row.get("source_url"))
    title = escape_text(row.get("source_title") or "Source")
    if url:
        lines.append(f'Source: <a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>')
    else:
        lines.append(f"Source: {title} (link not shown: not an http(s) URL)")
    return '<div class="bd-popup">' + "<br>".join(lines) + "</div>"


# ---------------------------------------------------------------------------------------------- events


def marker_radius(fatalities) -> float:
    """Symbol radius in px: area grows with fatalities (sqrt scale), capped so big events do not hide others."""
    value = 0.0 if fatalities is None or pd.isna(fatalities) else float(fatalities)
    return round(min(5.0 + 2.2 * math.sqrt(max(value, 0.0)), 26.0), 1)


_PRESENTATION = ("_tooltip", "_popup", "_radius")


def with_presentation(events: pd.DataFrame, dataset: str | None = None) -> pd.DataFrame:
    """A copy of ``events`` with each event's escaped tooltip and popup HTML and its symbol radius.

    Text for an event never changes while the app runs, so the app does this once per dataset (cached) and
    every filter change only selects rows.
    """
    out = events.copy()
    # Plain dicts, not iterrows(): a pandas row object per event cost most of the time at 10k events.
    records = events.drop(columns="geometry", errors="ignore").to_dict("records")
    out["_tooltip"] = [tooltip_html(r) for r in records]
    out["_popup"] = [popup_html(r) for r in records]
    if dataset:  # an analyst's own file: say so on every popup
        note = f'<div class="bd-dataset">Your data: {escape_text(dataset)}</div>'
        out["_popup"] = [p.replace('<div class="bd-popup">', '<div class="bd-popup">' + note, 1) for p in out["_popup"]]
    out["_radius"] = [marker_radius(r.get("fatalities")) for r in records]
    return out


def events_payload(events: pd.DataFrame, selected: str | None = None) -> list[list]:
    """Compact rows for the browser: [lat, lon, type, radius, approximate?, tooltip, popup, id, selected?]."""
    if events.empty:
        return []
    if not all(c in events for c in _PRESENTATION):
        events = with_presentation(events)
    # Biggest symbols first, so smaller ones are drawn on top and stay clickable.
    events = events.iloc[np.argsort(-events["_radius"].to_numpy(float), kind="stable")]
    approximate = events["location_precision"].isin(["district", "province"]).to_numpy()
    ids = events["id"].astype(str).to_numpy()
    return [
        [round(lat, 5), round(lon, 5), kind, radius, bool(approx), tooltip, popup, eid, eid == selected]
        for lat, lon, kind, radius, approx, tooltip, popup, eid in zip(
            events["lat"].to_numpy(float).tolist(), events["lon"].to_numpy(float).tolist(),
            events["event_type"].tolist(), events["_radius"].tolist(), approximate, events["_tooltip"].tolist(),
            events["_popup"].tolist(), ids,
        )
    ]


def _legend_html(types_present, counts) -> str:
    rows = []
    for t in EventType:
        if t.value not in types_present:
            continue
        shape = "border-radius:2px" if t.is_place else "border-radius:50%"
        rows.append(
            f'<div class="bd-row"><span class="bd-sw" style="background:{t.colour};{shape}"></span>'
            f"{html.escape(t.label)} <span class=\"bd-n\">{counts.get(t.value, 0)}</span></div>"
        )
    if not rows:
        rows.append('<div class="bd-row">No events match the filters</div>')
    key = (
        '<div class="bd-key"><span class="bd-sw bd-solid"></span>exact / town'
        '<span class="bd-sw bd-hollow"></span>approximate (district)</div>'
        '<div class="bd-key"><span class="bd-dot" style="width:10px;height:10px"></span>0–1'
        '<span class="bd-dot" style="width:20px;height:20px"></span>10'
        '<span class="bd-dot" style="width:34px;height:34px"></span>50 killed</div>'
        '<div class="bd-key"><span class="bd-line"></span>Pakistan–Iran border</div>'
    )
    return '<div class="bd-legend"><div class="bd-title">Legend</div>' + "".join(rows) + key + "</div>"


class EventLayer(JSCSSMixin, MacroElement):
    """All filtered events as one JSON array, drawn client-side; optional clustering and heatmap.

    Also (re)places the in-map legend so every screenshot carries it.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var map = {{ this._parent._parent.get_name() }};
  var rows = {{ this.rows_json }};
  var colours = {{ this.colours_json }};
  var places = {{ this.places_json }};
  var target = group;
  {% if this.cluster %}
  if (L.markerClusterGroup) {
    target = L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40, spiderfyOnMaxZoom: true});
    group.addLayer(target);
  }
  {% endif %}
  var selected = null;
  rows.forEach(function (d) {
    var colour = colours[d[2]] || '#777777';
    var edge = (d[2] === 'smuggling') ? '#333333' : (d[4] ? colour : '#ffffff');
    var marker;
    if (places.indexOf(d[2]) >= 0) {
      var size = 14;
      var fill = d[4] ? '#ffffff' : colour;
      var html = '<div style="width:' + size + 'px;height:' + size + 'px;background:' + fill +
                 ';border:2.5px solid ' + (d[4] ? colour : '#ffffff') + ';box-shadow:0 0 0 1px ' + colour +
                 ';border-radius:2px;box-sizing:border-box"></div>';
      marker = L.marker([d[0], d[1]], {icon: L.divIcon({html: html, className: 'bd-place', iconSize: [size, size]}),
                                       keyboard: false, riseOnHover: true});
    } else {
      marker = L.circleMarker([d[0], d[1]], {
        radius: d[3], color: edge, weight: d[4] ? 2.5 : 1.2, dashArray: d[4] ? '3 3' : null,
        fillColor: d[4] ? '#ffffff' : colour, fillOpacity: d[4] ? 0.35 : (d[3] > 14 ? 0.6 : 0.85), opacity: 1
      });
    }
    marker.bindTooltip(d[5], {sticky: false, direction: 'top'});
    marker.bindPopup(d[6], {maxWidth: 340});
    target.addLayer(marker);
    if (d[8]) { selected = d; }
  });
  {% if this.heat %}
  if (L.heatLayer && rows.length) {
    var pts = rows.map(function (d) { return [d[0], d[1], 0.4 + Math.min(d[3] / 26, 1)]; });
    group.addLayer(L.heatLayer(pts, {radius: 28, blur: 22, maxZoom: 9, minOpacity: 0.3}));
  }
  {% endif %}
  if (selected) {
    group.addLayer(L.circleMarker([selected[0], selected[1]], {
      radius: selected[3] + 7, color: '#111111', weight: 3, fill: false, interactive: false}));
    L.popup({maxWidth: 340, autoPan: true}).setLatLng([selected[0], selected[1]]).setContent(selected[6]).openOn(map);
  }
  if (window.__bdLegend) { try { window.__bdLegend.remove(); } catch (e) {} }
  var legend = L.control({position: 'bottomright'});
  legend.onAdd = function () {
    var div = L.DomUtil.create('div', 'bd-legend-wrap');
    div.innerHTML = {{ this.legend_json }};
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
  window.__bdLegend = legend;
})();
{% endmacro %}
"""
    )

    def __init__(self, events: pd.DataFrame, *, cluster=False, heat=False, selected=None):
        super().__init__()
        self._name = "EventLayer"
        rows = events_payload(events, selected)
        counts = events["event_type"].value_counts().to_dict() if len(events) else {}
        self.rows_json = _script_json(rows)
        self.colours_json = _script_json({t.value: t.colour for t in EventType})
        self.places_json = _script_json([t.value for t in EventType if t.is_place])
        self.legend_json = _script_json(_legend_html(set(counts), counts))
        self.cluster = bool(cluster)
        self.heat = bool(heat)
        js = []
        if cluster:
            js.append(("markercluster", assets.markercluster_js()))
        if heat:
            js.append(("leaflet_heat", assets.heat_js()))
        self.default_js = js
        self.default_css = (
            [("markercluster_css", assets.markercluster_css()[0]), ("markercluster_default_css", assets.markercluster_css()[1])]
            if cluster
            else []
        )

    def render(self, **kwargs):
        figure = self.get_root()
        for name, url in self.default_js:
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in self.default_css:
            figure.header.add_child(CssLink(url), name=name)
        # Like MacroElement.render, but the script goes in raw (see _RawScript).
        figure.script.add_child(_RawScript(self._template.module.script(self, kwargs)), name=self.get_name())


def _script_json(value) -> str:
    """JSON safe to embed inside a <script> block and to pass through branca.

    No '</script>' or '<!--' can close or confuse the block, and no '{{', '{%' or '{#' survives inside a string:
    branca re-parses every element's script output as a Jinja template, so data text with template syntax would
    otherwise be executed on the server.
    """
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        for raw, escaped in _SCRIPT_ESCAPES:
            text = text.replace(raw, escaped)
        return text
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_script_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_script_json(str(k))}:{_script_json(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


_SCRIPT_ESCAPES = (
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("{", "\\u007b"), ("}", "\\u007d"),
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
)


class _RawScript(Element):
    """Script text added to the page as is: never parsed as a template (and no 10 MB Jinja lexing per rerun)."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


def events_layer(events: pd.DataFrame, *, cluster=False, heat=False, selected=None) -> folium.FeatureGroup:
    """The dynamic layer: one FeatureGroup holding every filtered event (pass to st_folium's feature_group_to_add).

    Its script finds the map through the group's parent, so add the group to a map before rendering it.
    """
    group = folium.FeatureGroup(name="Events", control=False)
    EventLayer(events, cluster=cluster, heat=heat, selected=selected).add_to(group)
    return group


# ---------------------------------------------------------------------------------------------- base map

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
        self.labels_json = _script_json(labels)


_CSS = f"""
<style>
.leaflet-container {{ background: {SEA_COLOUR}; font: 13px/1.35 "Helvetica Neue", Arial, sans-serif; }}
.bd-legend {{ background: rgba(255,255,255,0.93); padding: 8px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); color: #222; min-width: 150px; }}
.bd-title {{ font-weight: 600; margin-bottom: 4px; }}
.bd-row {{ display: flex; align-items: center; gap: 6px; margin: 2px 0; }}
.bd-n {{ margin-left: auto; color: #666; padding-left: 8px; }}
.bd-sw {{ display: inline-block; width: 12px; height: 12px; border: 1px solid #555; flex: none; margin-right: 4px; }}
.bd-solid {{ background: #777; border-radius: 50%; }}
.bd-hollow {{ background: #fff; border: 2px dashed #777; border-radius: 50%; margin-left: 8px; }}
.bd-key {{ display: flex; align-items: center; gap: 4px; margin-top: 5px; font-size: 12px; color: #333; }}
.bd-dot {{ display: inline-block; border-radius: 50%; background: #bbb; border: 1px solid #777; flex: none; }}
.bd-line {{ display: inline-block; width: 26px; height: 0; border-top: 3.5px solid {BORDER_COLOUR}; margin-right: 4px; }}
.bd-popup {{ max-width: 330px; }}
.bd-dataset {{ font-size: 11px; color: #6a3d9a; font-weight: 600; margin-bottom: 3px; }}
.bd-desc {{ display: block; margin: 4px 0; color: #333; }}
.bd-province-label {{ font-weight: 700; font-size: 13px; color: #5a3a12; text-shadow: 0 0 3px #fff, 0 0 3px #fff;
  white-space: nowrap; pointer-events: none; }}
.bd-place {{ background: none; border: none; }}
</style>
"""


def build_base_map(layers: BasemapLayers, basemap: str = "light", *, center=DEFAULT_CENTER, zoom=DEFAULT_ZOOM) -> folium.Map:
    """The stable part of the map: background, provinces, border, scale bar and attribution.

    The view (``center``, ``zoom``) is only the initial one; in the app it is driven through st_folium so that
    panning never changes this map's script.
    """
    m = folium.Map(
        location=list(center), zoom_start=zoom, tiles=None, control_scale=True, prefer_canvas=False,
        min_zoom=3, max_zoom=16,
    )
    m.default_js, m.default_css = assets.offline_js_css()
    m.get_root().header.add_child(Element(_CSS), name="bd_css")

    if basemap in TILES or basemap == "custom":
        url, attribution = TILES.get(basemap) or custom_tiles() or TILES["light"]
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


def build_map(layers: BasemapLayers, events: pd.DataFrame | None = None, *, basemap="light", center=DEFAULT_CENTER,
              zoom=DEFAULT_ZOOM, cluster=False, heat=False, selected=None) -> folium.Map:
    """A complete, self-contained map (base + events) — for exports and tests; the app streams the two parts."""
    m = build_base_map(layers, basemap, center=center, zoom=zoom)
    if events is not None:
        group = events_layer(events, cluster=cluster, heat=heat, selected=selected)
        group.add_to(m)
    return m


def standalone_html(m: folium.Map) -> str:
    """The map as one HTML file that opens offline: Leaflet and plugins are inlined, nothing is fetched
    (except tiles, when a tile basemap was chosen)."""
    return m.get_root().render()


def bounds_of(events: pd.DataFrame) -> list[list[float]] | None:
    if events.empty:
        return None
    lat, lon = events["lat"].to_numpy(float), events["lon"].to_numpy(float)
    return [[float(np.nanmin(lat)), float(np.nanmin(lon))], [float(np.nanmax(lat)), float(np.nanmax(lon))]]

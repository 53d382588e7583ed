"""Static briefing figure of the filtered events (matplotlib), for slides and reports. No streamlit import.

``render_briefing(events, flt, ...)`` returns PNG, PDF or SVG bytes; ``python -m dashboard.briefing`` writes one
from the command line. Everything is drawn from the shipped vector data, so it works offline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
import textwrap
import threading
import unicodedata
from io import BytesIO
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from pyproj import Geod

import geodata
from dashboard import settings
from geodata import EventFilter, EventType

#: Environment variable giving the default handling line (e.g. "UNCLASSIFIED"), printed top and bottom.
HANDLING_ENV = settings.HANDLING_ENV
DEFAULT_TITLE = "Pakistan–Iran border region"
SIZES = ("slide", "a4")
FORMATS = ("png", "pdf", "svg")

BORDER_COLOUR = "#B2182B"
_SEA = "#d4e6f1"
_LAND = "#f2efe9"
_NEIGHBOUR = "#e4e0d8"  # countries other than PK and IR: muted
_FOCUS_FILL = "#fdd49e"
_FOCUS_EDGE = "#a0743a"
_FOCUS_TEXT = "#7a4f12"
_INK = "#222222"
_MUTED_INK = "#555555"
_DARK_EDGE = "#333333"
# A halo is drawn by a stroked copy underneath: text with path effects becomes outlines in SVG/PDF,
# so the real label must carry none to stay selectable, searchable text.
_HALO_ONLY = [patheffects.Stroke(linewidth=2.6, foreground="white")]
_APPROXIMATE = ("district", "province")
_COUNTRY_NAMES = {"PK": "Pakistan", "IR": "Iran", "AF": "Afghanistan"}
# Region shown when there is nothing to frame: the border with its neighbourhood (lon/lat).
_REGION = (59.3, 24.2, 64.9, 30.9)
_MIN_SPAN_DEG = 3.0
#: Figure sizes in inches: 16:9 slide; A4 landscape exactly (297 x 210 mm).
_PAGE_INCHES = {"slide": (16.0, 9.0), "a4": (297 / 25.4, 210 / 25.4)}
_GEOD = Geod(ellps="WGS84")
# Matplotlib's rcParams are process-global; a Streamlit server renders from several threads.
_RENDER_LOCK = threading.Lock()


# --------------------------------------------------------------------------- words

# The filter's words live next to EventFilter (geodata.describe_filter); kept importable from here.
describe_filter = geodata.describe_filter
format_day = geodata.format_day


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


# --------------------------------------------------------------------------- geometry helpers


def _check_extent(extent) -> tuple[float, float, float, float] | None:
    """None for "events", else a validated (minlon, minlat, maxlon, maxlat)."""
    if isinstance(extent, str):
        if extent == "events":
            return None
        raise ValueError(f"extent must be 'events' or (minlon, minlat, maxlon, maxlat), got {extent!r}")
    try:
        box = tuple(float(v) for v in extent)
    except (TypeError, ValueError):
        raise ValueError(f"extent must be 'events' or four numbers, got {extent!r}") from None
    if len(box) != 4 or not all(math.isfinite(v) for v in box):
        raise ValueError(f"extent must be four finite numbers (minlon, minlat, maxlon, maxlat), got {extent!r}")
    x0, y0, x1, y1 = box
    if not (-180 <= x0 < x1 <= 180 and -90 <= y0 < y1 <= 90):
        raise ValueError(
            f"extent {extent!r} is not a lon/lat box: "
            "need -180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90"
        )
    return box


def _events_extent(shown: pd.DataFrame) -> tuple[float, float, float, float]:
    """Bounds of the shown events, padded, at least ``_MIN_SPAN_DEG`` each way so one event keeps its context."""
    valid = shown.geometry[~shown.geometry.is_empty & shown.geometry.notna()] if len(shown) else shown.geometry
    if len(valid) == 0:
        return _REGION
    x0, y0, x1, y1 = valid.total_bounds
    pad_x, pad_y = max(0.5, 0.12 * (x1 - x0)), max(0.5, 0.12 * (y1 - y0))  # room for markers and fans
    x0, x1, y0, y1 = x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_x, half_y = max((x1 - x0) / 2, _MIN_SPAN_DEG / 2), max((y1 - y0) / 2, _MIN_SPAN_DEG / 2)
    return cx - half_x, max(cy - half_y, -89.0), cx + half_x, min(cy + half_y, 89.0)


def _fit_to_box(extent, box_w_in: float, box_h_in: float) -> tuple[float, float, float, float]:
    """Grow the extent (about its centre) so that, drawn with 1/cos(lat) aspect, it fills the axes box exactly."""
    x0, y0, x1, y1 = extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    k = math.cos(math.radians(cy))
    ground_w, ground_h = (x1 - x0) * k, y1 - y0
    target = box_w_in / box_h_in
    if ground_w / ground_h < target:
        ground_w = ground_h * target
    else:
        ground_h = ground_w / target
    half_x, half_y = ground_w / k / 2, ground_h / 2
    return cx - half_x, cy - half_y, cx + half_x, cy + half_y


def _km_per_degree_lon(lat: float) -> float:
    _, _, metres = _GEOD.inv(0.0, lat, 1.0, lat)
    return metres / 1000


def _nice_length(target_km: float) -> float:
    steps = (1, 2, 5, 10, 20, 25, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000)
    fitting = [s for s in steps if s <= target_km]
    return float(fitting[-1] if fitting else steps[0])


# --------------------------------------------------------------------------- event styling


def _marker_diameter(fatalities: pd.Series, is_place: pd.Series) -> np.ndarray:
    """Marker diameter in points: sqrt scale on fatalities (area ∝ deaths); unknown or 0 gets the minimum."""
    deaths = pd.to_numeric(fatalities, errors="coerce").astype("float64").fillna(0).clip(lower=0).to_numpy()
    size = 6.0 + 2.4 * np.sqrt(deaths)
    return np.where(is_place.to_numpy(dtype=bool), 9.0, size)


def _luminance(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _type_style(value: str) -> tuple[str, str, bool]:
    """(label, colour, is_place) of an event_type value; unknown values get grey circles."""
    try:
        kind = EventType(value)
    except ValueError:
        return str(value), "#999999", False
    return kind.label, kind.colour, kind.is_place


def _groups_within(x_pt: np.ndarray, y_pt: np.ndarray, reach: float) -> list[np.ndarray]:
    """Indices of points chained together by gaps under ``reach`` (single linkage on a hash grid)."""
    parent = list(range(len(x_pt)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    cells: dict[tuple[int, int], list[int]] = {}
    for i, (cx, cy) in enumerate(zip(np.floor(x_pt / reach).astype(int), np.floor(y_pt / reach).astype(int))):
        for nx in (cx - 1, cx, cx + 1):
            for ny in (cy - 1, cy, cy + 1):
                for j in cells.get((nx, ny), ()):
                    if math.hypot(x_pt[i] - x_pt[j], y_pt[i] - y_pt[j]) < reach:
                        parent[root(i)] = root(j)
        cells.setdefault((cx, cy), []).append(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(x_pt)):
        groups.setdefault(root(i), []).append(i)
    return [np.array(g) for g in groups.values()]


def _spread_coincident(x: np.ndarray, y: np.ndarray, diam: np.ndarray, deg_per_pt: tuple[float, float]):
    """Fan out events that would sit on top of each other, on a sunflower spiral round the biggest one.

    Cartographic displacement: many events share a town's coordinates, and stacked markers would hide all but
    one. Positions move by a few points on paper, never by a distance that matters at the map's scale.
    """
    x, y = x.copy(), y.copy()
    x_pt, y_pt = x / deg_per_pt[0], y / deg_per_pt[1]
    golden = math.pi * (3 - math.sqrt(5))
    for idx in _groups_within(x_pt, y_pt, reach=3.0):
        if len(idx) < 2:
            continue
        idx = idx[np.argsort(-diam[idx], kind="stable")]  # biggest at the true spot
        cx, cy = x[idx[0]], y[idx[0]]
        step = 0.85 * float(np.median(diam[idx])) + 2.0
        for i, j in enumerate(idx[1:], start=1):
            r, theta = step * math.sqrt(i), i * golden
            x[j] = cx + r * math.cos(theta) * deg_per_pt[0]
            y[j] = cy + r * math.sin(theta) * deg_per_pt[1]
    return x, y


# --------------------------------------------------------------------------- layout


_STYLE = {
    "slide": dict(margin=0.45, panel_w=3.9, gap=0.35, title=24, subtitle=14, panel=11, header=12, town=9,
                  label=11, country=12, footer=9.5, handling=12, row=0.27),
    "a4": dict(margin=0.4, panel_w=3.25, gap=0.3, title=18, subtitle=11, panel=9, header=10, town=7.5,
               label=9.5, country=10, footer=8, handling=10, row=0.225),
}


class _Labeller:
    """Place labels where they hide the fewest events, towns and lines.

    Obstacles are points in map inches (origin at the lower-left corner of the map frame), each with a weight:
    events count most, so labels give way to data.
    """

    EVENT, LINE, OTHER = 4.0, 1.0, 2.0

    def __init__(self, extent, box_w_in: float, box_h_in: float):
        self.extent = extent
        x0, y0, x1, y1 = extent
        self.w_in, self.h_in = box_w_in, box_h_in
        self.sx, self.sy = box_w_in / (x1 - x0), box_h_in / (y1 - y0)  # inches per degree
        self.points = np.empty((0, 2))
        self.weights = np.empty(0)

    def to_in(self, xy) -> np.ndarray:
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        return np.column_stack([(xy[:, 0] - self.extent[0]) * self.sx, (xy[:, 1] - self.extent[1]) * self.sy])

    def _add_in(self, pts: np.ndarray, weight: float) -> None:
        if len(pts):
            self.points = np.vstack([self.points, pts])
            self.weights = np.concatenate([self.weights, np.full(len(pts), weight)])

    def add(self, xy, weight: float = OTHER) -> None:
        self._add_in(self.to_in(xy), weight)

    def add_lines(self, geom, weight: float = LINE, spacing_deg: float = 0.05) -> None:
        if geom is not None and not geom.is_empty:
            self.add(shapely.get_coordinates(shapely.segmentize(geom, spacing_deg)), weight)

    def add_box_in(self, x0: float, y0: float, x1: float, y1: float, weight: float = OTHER) -> None:
        """Obstacle given in map inches (scale bar, north arrow, placed labels)."""
        nx, ny = max(2, int((x1 - x0) / 0.08) + 1), max(2, int((y1 - y0) / 0.08) + 1)
        gx, gy = np.meshgrid(np.linspace(x0, x1, nx), np.linspace(y0, y1, ny))
        self._add_in(np.column_stack([gx.ravel(), gy.ravel()]), weight)

    def place_area_label(self, area, half_w: float, half_h: float):
        """Best (lon, lat) for a centred label box of the given half size (inches) inside ``area``, or None."""
        if area is None or area.is_empty:
            return None
        x0, y0, x1, y1 = self.extent
        gx, gy = np.meshgrid(np.linspace(x0, x1, 60), np.linspace(y0, y1, 44))
        cand = np.column_stack([gx.ravel(), gy.ravel()])
        cand = cand[shapely.contains_xy(area, cand[:, 0], cand[:, 1])]
        if not len(cand):
            return None
        c_in = self.to_in(cand)
        # The whole label inside the map frame.
        ok = (c_in[:, 0] > half_w + 0.1) & (c_in[:, 0] < self.w_in - half_w - 0.1)
        ok &= (c_in[:, 1] > half_h + 0.1) & (c_in[:, 1] < self.h_in - half_h - 0.1)
        if not ok.any():
            return None
        cand, c_in = cand[ok], c_in[ok]
        # ... and inside its area: the area's outline is an obstacle too.
        outline = self.to_in(shapely.get_coordinates(shapely.segmentize(area.boundary, 0.05)))
        obstacles = np.vstack([self.points, outline])
        pad = 0.1
        dx = np.abs(c_in[:, None, 0] - obstacles[None, :, 0]) / (half_w + pad)
        dy = np.abs(c_in[:, None, 1] - obstacles[None, :, 1]) / (half_h + pad)
        clearance = np.maximum(dx, dy).min(axis=1)
        rep = area.representative_point()
        closeness = np.hypot(*(c_in - self.to_in([(rep.x, rep.y)])[0]).T)
        best = np.lexsort((closeness, -np.minimum(clearance, 1.5)))[0]
        return tuple(cand[best])

    # (dx, dy) in points, ha, va: right of the dot first, as map readers expect.
    _POINT_SPOTS = (
        ((5, 2), "left", "bottom"), ((5, -2), "left", "top"), ((-5, 2), "right", "bottom"),
        ((-5, -2), "right", "top"), ((0, 6), "center", "bottom"), ((0, -6), "center", "top"),
    )

    def place_point_label(self, x: float, y: float, text: str, fontsize: float):
        """Offset (points), ha, va of the candidate spot whose label box covers the least weight."""
        px, py = self.to_in([(x, y)])[0]
        half_w, half_h = _text_half_size(text, fontsize)
        best, best_score, best_box = None, math.inf, None
        for rank, ((dx, dy), ha, va) in enumerate(self._POINT_SPOTS):
            left = px + dx / 72 - {"left": 0, "right": 2 * half_w, "center": half_w}[ha]
            bottom = py + dy / 72 - {"bottom": 0, "top": 2 * half_h}[va]
            box = (left - 0.03, bottom - 0.03, left + 2 * half_w + 0.03, bottom + 2 * half_h + 0.03)
            inside = ((self.points[:, 0] > box[0]) & (self.points[:, 0] < box[2])
                      & (self.points[:, 1] > box[1]) & (self.points[:, 1] < box[3]))
            score = float(self.weights[inside].sum()) + 0.01 * rank
            if box[0] < 0.05 or box[1] < 0.05 or box[2] > self.w_in - 0.05 or box[3] > self.h_in - 0.05:
                score += 1000
            if score < best_score:
                best, best_score, best_box = ((dx, dy), ha, va), score, box
        self.add_box_in(*best_box)
        return best


def _text_half_size(text: str, fontsize: float) -> tuple[float, float]:
    """Rough half width/height in inches of a (multi-line) label in DejaVu Sans."""
    lines = text.split("\n")
    width = max(len(line) for line in lines) * fontsize * 0.6 / 72
    height = len(lines) * fontsize * 1.2 / 72
    return width / 2, height / 2


# --------------------------------------------------------------------------- drawing


def _draw_basemap(ax, style, labeller: _Labeller, view) -> None:
    land = geodata.load_land()
    countries = geodata.load_countries()
    provinces = geodata.load_provinces()
    border = geodata.load_border()

    ax.set_facecolor(_SEA)
    land.plot(ax=ax, color=_LAND, linewidth=0, zorder=1)
    neighbours = countries[~countries["iso_a2"].isin(["PK", "IR"])]
    neighbours.plot(ax=ax, color=_NEIGHBOUR, edgecolor="#b9b3a8", linewidth=0.6, zorder=1.5)
    provinces.plot(ax=ax, facecolor="none", edgecolor="#a39d92", linewidth=0.5, zorder=2)
    focus = provinces[provinces["focus"].astype(bool)]
    focus.plot(ax=ax, facecolor=_FOCUS_FILL, alpha=0.45, edgecolor="none", zorder=2.1)
    focus.plot(ax=ax, facecolor="none", edgecolor=_FOCUS_EDGE, linewidth=1.0, zorder=2.2)
    countries.plot(ax=ax, facecolor="none", edgecolor="#8f897e", linewidth=0.9, zorder=2.5)
    border.plot(ax=ax, color="white", linewidth=4.6, zorder=4)
    border.plot(ax=ax, color=BORDER_COLOUR, linewidth=2.6, zorder=4.1)
    labeller.add_lines(shapely.union_all(border.geometry.values))

    # Towns inside the (slightly inset) view only, so no name is cut by the frame; biggest placed first.
    # Names go on top of events (legible) at the spot that hides the fewest of them.
    x0, y0, x1, y1 = labeller.extent
    ix, iy = 0.02 * (x1 - x0), 0.02 * (y1 - y0)
    towns = geodata.load_towns()
    tx, ty = towns.geometry.x.to_numpy(), towns.geometry.y.to_numpy()
    keep = (tx > x0 + ix) & (tx < x1 - ix) & (ty > y0 + iy) & (ty < y1 - iy)
    towns, tx, ty = towns[keep], tx[keep], ty[keep]
    if len(towns):
        # A ringed dot: distinct from every event symbol (filled/hollow circles, squares).
        ax.scatter(tx, ty, s=36, marker="o", facecolor="white", edgecolor=_INK, linewidth=0.9, zorder=6)
        ax.scatter(tx, ty, s=4, marker="o", facecolor=_INK, edgecolor="none", zorder=6.1)
        labeller.add(np.column_stack([tx, ty]), _Labeller.OTHER)
    for name, x, y in zip(towns["name"], tx, ty):
        offset, ha, va = labeller.place_point_label(x, y, name, style["town"])
        for effects, z in ((_HALO_ONLY, 9.4), (None, 9.5)):
            ax.annotate(name, (x, y), xytext=offset, textcoords="offset points", ha=ha, va=va,
                        fontsize=style["town"], color=_INK, path_effects=effects, zorder=z)

    # Area labels: the two focus provinces (with their country), then neighbouring countries in view.
    labels = []
    for row in focus.itertuples():
        country = _COUNTRY_NAMES.get(row.country, row.country)
        labels.append((f"{row.name}\n({country})", row.geometry, dict(
            fontsize=style["label"], color=_FOCUS_TEXT, fontstyle="italic", fontweight="bold")))
    for row in neighbours.itertuples():
        if row.iso_a2 != "-1":  # Natural Earth's "-1": disputed areas without a country code
            labels.append((row.name.upper(), row.geometry, dict(fontsize=style["country"], color="#8a8479")))
    for text, geom, kwargs in labels:
        area = shapely.intersection(geom, view)
        if area.is_empty or area.area < 0.02 * view.area:
            continue
        half_w, half_h = _text_half_size(text, kwargs["fontsize"])
        spot = labeller.place_area_label(area, half_w, half_h)
        if spot is None:
            continue
        for effects, z in ((_HALO_ONLY, 2.9), (None, 3)):
            ax.text(*spot, text, ha="center", va="center", linespacing=1.15, path_effects=effects, zorder=z,
                    clip_on=True, **kwargs)
        cx, cy = labeller.to_in([spot])[0]
        labeller.add_box_in(cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def _event_symbols(shown: pd.DataFrame, labeller: _Labeller) -> dict:
    """Where and how each shown event is drawn (positions spread where events share a spot)."""
    info = [_type_style(v) for v in shown["event_type"]]
    colours = np.array([c for _, c, _ in info], dtype=object)
    is_place = np.array([p for _, _, p in info], dtype=bool)
    diam = _marker_diameter(shown["fatalities"], pd.Series(is_place))
    deg_per_pt = (1 / (labeller.sx * 72), 1 / (labeller.sy * 72))
    x, y = _spread_coincident(shown.geometry.x.to_numpy(), shown.geometry.y.to_numpy(), diam, deg_per_pt)
    hollow = shown["location_precision"].isin(_APPROXIMATE).to_numpy(dtype=bool)
    return dict(x=x, y=y, diam=diam, colours=colours, is_place=is_place, hollow=hollow)


def _draw_events(ax, sym: dict) -> None:
    x, y, diam, colours = sym["x"], sym["y"], sym["diam"], sym["colours"]
    hollow, place_arr = sym["hollow"], sym["is_place"]
    light = np.array([_luminance(c) > 0.7 for c in colours], dtype=bool)
    for place in (True, False):
        for halo in (False, True):  # light colours (yellow) drawn hollow need a dark outline to be seen
            sel = (place_arr == place) & ((hollow & light) == halo)
            if not sel.any():
                continue
            idx = np.flatnonzero(sel)
            idx = idx[np.argsort(-diam[idx], kind="stable")]  # small markers on top of big ones
            effects = [patheffects.Stroke(linewidth=3.4, foreground=_DARK_EDGE), patheffects.Normal()] if halo else None
            ax.scatter(
                x[idx], y[idx], s=diam[idx] ** 2, marker="s" if place else "o",
                facecolors=["white" if hollow[i] else colours[i] for i in idx],
                edgecolors=[colours[i] if hollow[i] else _DARK_EDGE for i in idx],
                linewidths=[1.9 if hollow[i] else 0.7 for i in idx],
                zorder=8 if place else 9, path_effects=effects,
            )


def _draw_scale_and_north(ax, style, labeller: _Labeller) -> None:
    x0, y0, x1, y1 = labeller.extent
    w_in, h_in = labeller.w_in, labeller.h_in
    # Scale bar in the lower left; its length is measured on the ellipsoid at the bar's own latitude.
    bar_x = x0 + 0.35 / labeller.sx
    bar_y = y0 + 0.3 / labeller.sy
    km_per_deg = _km_per_degree_lon(bar_y)
    length_km = _nice_length(0.2 * (x1 - x0) * km_per_deg)
    length_deg = length_km / km_per_deg
    bar_w_in = length_deg * labeller.sx
    bar_h = 0.07 / labeller.sy
    label_h_in = style["panel"] * 1.6 / 72
    ax.add_patch(Rectangle((x0 + 0.2 / labeller.sx, y0 + 0.15 / labeller.sy), (bar_w_in + 0.3) / labeller.sx,
                           (0.3 + label_h_in) / labeller.sy, facecolor="white", alpha=0.85, edgecolor="none",
                           zorder=10))
    half = length_deg / 2
    for i in range(2):
        ax.add_patch(Rectangle((bar_x + i * half, bar_y), half, bar_h, facecolor=_INK if i == 0 else "white",
                               edgecolor=_INK, linewidth=0.8, zorder=11))
    ax.text(bar_x + half, bar_y + bar_h + 0.05 / labeller.sy, f"{_number(length_km)} km", ha="center",
            va="bottom", fontsize=style["panel"], color=_INK, zorder=11)
    labeller.add_box_in(0.2, 0.15, 0.5 + bar_w_in, 0.45 + label_h_in)

    # North arrow in the upper right (the map is lon/lat, so north is straight up).
    ax_x, ax_top = 1 - 0.45 / w_in, 1 - 0.2 / h_in
    ax.annotate("", xy=(ax_x, ax_top - 0.36 / h_in), xytext=(ax_x, ax_top - 0.85 / h_in),
                xycoords="axes fraction",
                arrowprops=dict(arrowstyle="-|>,head_length=0.8,head_width=0.4", color=_INK, linewidth=1.6),
                zorder=11)
    ax.text(ax_x, ax_top - 0.32 / h_in, "N", transform=ax.transAxes, ha="center", va="bottom",
            fontsize=style["header"] + 2, fontweight="bold", color=_INK, zorder=11)
    labeller.add_box_in(w_in - 0.7, h_in - 0.95, w_in - 0.2, h_in - 0.15)


def _draw_panel(pax, shown: pd.DataFrame, style, panel_in) -> None:
    """Key beside the map: event types present (with counts), location precision, size key, map symbols."""
    pw, ph = panel_in
    pax.set_xlim(0, pw)
    pax.set_ylim(0, ph)
    pax.set_axis_off()
    fs, row = style["panel"], style["row"]
    wrap = max(16, int((pw - 0.45) * 72 / (fs * 0.6)))
    note_wrap = max(16, int((pw - 0.1) * 72 / ((fs - 1) * 0.56)))

    def marker(shape, face, edge, width=0.7, size=9.0):
        return lambda x, y: pax.scatter([x], [y], s=size**2, marker=shape, facecolor=face, edgecolor=edge,
                                        linewidth=width, clip_on=False)

    counts = shown["event_type"].value_counts() if len(shown) else pd.Series(dtype=int)
    order = [t.value for t in EventType] + sorted(set(counts.index) - {t.value for t in EventType})
    items: list[tuple] = []
    if len(counts):
        items.append(("header", "Event type"))
        for value in order:
            if counts.get(value, 0):
                label, colour, place = _type_style(value)
                items.append(("entry", f"{label} ({counts[value]})",
                              marker("s" if place else "o", colour, _DARK_EDGE, size=9.0 if place else 8.5)))
        items.append(("header", "Location"))
        items.append(("entry", "Exact or town", marker("o", "#8c8c8c", _DARK_EDGE)))
        items.append(("entry", "Approximate: district or province", marker("o", "white", "#8c8c8c", width=1.9)))
        items.append(("header", "Fatalities (best estimate)"))
        items.append(("sizekey",))
    items.append(("header", "Map"))
    items.append(("entry", "Pakistan–Iran border", lambda x, y: pax.add_line(Line2D(
        [x - 0.15, x + 0.15], [y, y], color=BORDER_COLOUR, linewidth=2.6, solid_capstyle="butt"))))
    items.append(("entry", "Focus province", lambda x, y: pax.add_patch(Rectangle(
        (x - 0.14, y - 0.075), 0.28, 0.15, facecolor=_FOCUS_FILL, edgecolor=_FOCUS_EDGE, linewidth=1.0))))
    items.append(("entry", "Major town", lambda x, y: (
        pax.scatter([x], [y], s=36, facecolor="white", edgecolor=_INK, linewidth=0.9, clip_on=False),
        pax.scatter([x], [y], s=4, facecolor=_INK, edgecolor="none", clip_on=False))))
    if len(counts):
        items.append(("note", "Squares are places, circles incidents. Events at the same spot are fanned "
                              "out around it."))

    key_values = [(0, "0 or\nunknown"), (5, "5"), (25, "25"), (100, "100")]
    key_diam = _marker_diameter(pd.Series([v for v, _ in key_values]), pd.Series([False] * len(key_values)))
    size_key_h = key_diam.max() / 72 + 0.08 + 2.3 * (fs - 1) / 72

    def height(item, k):
        """Height in inches: a fixed part (the ink) plus k times the spacing."""
        kind = item[0]
        if kind == "header":
            return k * (0.5 * row) + (style["header"] * 1.5 / 72)
        if kind == "entry":
            n = len(textwrap.wrap(item[1], wrap))
            ink = n * fs * 1.3 / 72
            return ink + k * max(row * (1 + 0.75 * (n - 1)) - ink, 0.0)
        if kind == "sizekey":
            return size_key_h + k * 0.15
        return k * 0.4 * row + len(textwrap.wrap(item[1], note_wrap)) * (fs - 1) * 1.3 / 72

    k = 1.0
    total = sum(height(i, k) for i in items)
    if total > ph:  # squeeze the spacing (not the text) when the key is long
        fixed = sum(height(i, 0) for i in items)
        k = max(0.3, (ph - fixed) / max(total - fixed, 1e-6))

    y = ph
    for item in items:
        h = height(item, k)
        kind = item[0]
        if kind == "header":
            pax.text(0, y - k * 0.5 * row, item[1], fontsize=style["header"], fontweight="bold", color=_INK,
                     va="top")
        elif kind == "entry":
            lines = textwrap.wrap(item[1], wrap)
            centre = y - height(("entry", lines[0]), k) / 2
            item[2](0.17, centre)
            if len(lines) == 1:
                pax.text(0.42, centre, lines[0], fontsize=fs, color=_INK, va="center")
            else:  # first line level with the symbol
                pax.text(0.42, centre + fs * 0.62 / 72, "\n".join(lines), fontsize=fs, color=_INK, va="top",
                         linespacing=1.15)
        elif kind == "sizekey":
            xs = 0.17 + np.array([0.0, 0.9, 1.55, 2.35]) * min(1.0, (pw - 0.3) / 2.7)
            centre = y - key_diam.max() / 72 / 2
            pax.scatter(xs, [centre] * len(xs), s=key_diam**2, facecolor="#bdbdbd", edgecolor=_DARK_EDGE,
                        linewidth=0.7, clip_on=False)
            for x, (_, text) in zip(xs, key_values):
                pax.text(x, y - key_diam.max() / 72 - 0.06, text, ha="center", va="top", fontsize=fs - 1,
                         color=_MUTED_INK, linespacing=1.0)
        else:
            pax.text(0, y - k * 0.4 * row, "\n".join(textwrap.wrap(item[1], note_wrap)), fontsize=fs - 1,
                     color=_MUTED_INK, va="top", linespacing=1.3)
        y -= h


def _as_utc(generated) -> dt.datetime:
    if generated is None:
        return dt.datetime.now(dt.timezone.utc)
    if generated.tzinfo is None:
        return generated.replace(tzinfo=dt.timezone.utc)
    return generated.astimezone(dt.timezone.utc)


def render_briefing(
    events,
    flt: EventFilter | None = None,
    *,
    title: str | None = None,
    size: str = "slide",
    fmt: str = "png",
    extent="events",
    generated: dt.datetime | None = None,
    handling: str | None = None,
    dpi: float | None = None,
) -> bytes:
    """Render the filtered events as a static briefing figure.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        The full enriched events from :func:`geodata.load_events`; ``flt`` is applied here so the subtitle,
        counts and map agree.
    flt : geodata.EventFilter, optional
        Which events to show; default all.
    title : str, optional
        Figure title; default ``"Pakistan–Iran border region"``.
    size : {"slide", "a4"}
        ``slide`` is 16:9 (16 x 9 in; 1920 x 1080 px PNG at the default 120 dpi), ``a4`` is A4 landscape
        (297 x 210 mm = 11.69 x 8.27 in; 1753 x 1240 px PNG at the default 150 dpi).
    fmt : {"png", "pdf", "svg"}
        Output format. PDF is one page with embedded TrueType text; SVG keeps text as ``<text>`` elements.
    extent : "events" or tuple of 4 floats
        ``"events"`` frames the shown events (padded, at least 3 degrees each way; the region around the border
        when there are none); a ``(minlon, minlat, maxlon, maxlat)`` box frames that view (e.g. the web map's).
        Either way the box grows to fill the map frame at the correct aspect.
    generated : datetime.datetime, optional
        Time stamp printed in the footer (naive values are taken as UTC); default now.
    handling : str, optional
        Handling line (e.g. ``"UNCLASSIFIED"``) printed at top and bottom. Defaults to the environment variable
        ``BORDER_DASHBOARD_HANDLING``; pass ``""`` for none.
    dpi : float, optional
        Raster resolution (PNG only matters); default 120 for slide, 150 for A4.

    Returns
    -------
    bytes
        The encoded figure.

    Raises
    ------
    ValueError
        If ``size``, ``fmt``, ``extent`` or ``dpi`` is not valid (the message names the argument).
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, got {size!r}")
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    box = _check_extent(extent)
    if dpi is not None and not (isinstance(dpi, (int, float)) and 10 <= dpi <= 1200):
        raise ValueError(f"dpi must be a number between 10 and 1200, got {dpi!r}")
    flt = flt or EventFilter()
    if handling is None:
        handling = settings.Settings.from_env().handling
    handling = handling.strip()
    title = DEFAULT_TITLE if title is None else str(title)
    stamp = _as_utc(generated)
    dpi = dpi or (120 if size == "slide" else 150)

    shown = geodata.filter_events(events, flt)
    provinces = geodata.load_provinces()
    subtitle = describe_filter(flt, dict(zip(provinces["iso_code"], provinces["name"])))
    newest = shown["date"].max() if len(shown) else pd.NaT
    if pd.isna(newest):  # nothing dated in view: say how current the data set is
        newest = events["date"].max() if len(events) else pd.NaT
    as_of = format_day(newest) if pd.notna(newest) else "unknown"
    sources = shown["source_url"].dropna().nunique() if len(shown) else 0
    attribution = ("Boundaries: Natural Earth (public domain); border © OpenStreetMap contributors (ODbL). "
                   f"{len(shown)} event{'' if len(shown) == 1 else 's'} "
                   f"from {sources} source{'' if sources == 1 else 's'}.")
    footer = f"Data as of {as_of} · generated {stamp:%Y-%m-%d %H:%M} UTC"

    rc = {
        "svg.fonttype": "none",
        "svg.hashsalt": "border-briefing",  # stable ids: same inputs, same SVG
        "pdf.fonttype": 42,
        "text.parse_math": False,  # titles and search text are data, never mathtext
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
        "axes.linewidth": 0.8,
    }
    style = _STYLE[size]
    with _RENDER_LOCK, matplotlib.rc_context(rc):
        fig = _compose(shown, style, size, title, subtitle, footer, attribution, handling, box)
        out = BytesIO()
        metadata = {
            "png": {"Title": title, "Description": subtitle},
            "pdf": {"Title": title, "Subject": subtitle, "CreationDate": stamp, "ModDate": stamp},
            "svg": {"Title": title, "Description": subtitle, "Date": stamp.strftime("%Y-%m-%dT%H:%M:%SZ")},
        }[fmt]
        fig.savefig(out, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    return out.getvalue()


def _summary(shown: pd.DataFrame) -> str:
    """One line of counts for under the subtitle."""
    def noun(n, one, many):
        return f"{n} {one if n == 1 else many}"

    if not len(shown):
        return "No events shown"
    places = int(shown["event_type"].map(lambda v: _type_style(v)[2]).astype(bool).sum())
    incidents = len(shown) - places
    deaths = pd.to_numeric(shown["fatalities"], errors="coerce")
    text = f"{noun(incidents, 'incident', 'incidents')} and {noun(places, 'place', 'places')} shown"
    if incidents:
        text += f" · {noun(int(deaths.sum(skipna=True)), 'fatality', 'fatalities')} (best estimates"
        unknown = int(deaths[~shown["event_type"].map(lambda v: _type_style(v)[2]).astype(bool)].isna().sum())
        text += f"; {unknown} {'incident' if unknown == 1 else 'incidents'} with no count)" if unknown else ")"
    return text


class _SaveOnlyCanvas(FigureCanvasAgg):
    """Agg canvas that ignores redraw requests: geopandas asks for one after every layer it plots, which would
    render the whole figure each time; a figure that is only ever saved needs the one draw ``savefig`` does."""

    def draw_idle(self, *args, **kwargs):
        pass


def _compose(shown, style, size, title, subtitle, footer, attribution, handling, box) -> Figure:
    W, H = _PAGE_INCHES[size]
    fig = Figure(figsize=(W, H))
    _SaveOnlyCanvas(fig)
    m = style["margin"]
    hand_h = 0.4 if handling else 0.0

    # Header: handling line, title, subtitle (wrapped to the page width), counts.
    top = H - 0.3 - hand_h
    if handling:
        for y, va in (((H - 0.25) / H, "top"), (0.15 / H, "bottom")):
            fig.text(0.5, y, handling, ha="center", va=va, fontsize=style["handling"], fontweight="bold",
                     color=_INK)
    fig.text(m / W, top / H, title, ha="left", va="top", fontsize=style["title"], fontweight="bold", color=_INK)
    top -= style["title"] * 1.45 / 72
    chars = int((W - 2 * m) * 72 / (style["subtitle"] * 0.6))
    sub_lines = textwrap.wrap(subtitle, chars) or [""]
    fig.text(m / W, top / H, "\n".join(sub_lines), ha="left", va="top", fontsize=style["subtitle"], color=_INK,
             linespacing=1.3)
    top -= len(sub_lines) * style["subtitle"] * 1.3 / 72 + 0.06
    fig.text(m / W, top / H, _summary(shown), ha="left", va="top", fontsize=style["subtitle"] - 2,
             color=_MUTED_INK)
    top -= (style["subtitle"] - 2) * 1.3 / 72 + 0.2

    # Footer.
    foot_y = hand_h + 0.28
    fig.text(m / W, foot_y / H, footer, ha="left", va="center", fontsize=style["footer"], color=_MUTED_INK)
    fig.text((W - m) / W, foot_y / H, attribution, ha="right", va="center", fontsize=style["footer"],
             color=_MUTED_INK)

    map_bottom = foot_y + 0.28
    map_w = W - 2 * m - style["panel_w"] - style["gap"]
    map_h = top - map_bottom
    ax = fig.add_axes((m / W, map_bottom / H, map_w / W, map_h / H))
    pax = fig.add_axes(((m + map_w + style["gap"]) / W, map_bottom / H, style["panel_w"] / W, map_h / H))

    extent = _fit_to_box(box or _events_extent(shown), map_w, map_h)
    view = shapely.box(*extent)
    labeller = _Labeller(extent, map_w, map_h)
    empty_note = "No events match these filters"
    if len(shown):
        symbols = _event_symbols(shown, labeller)
        labeller.add(np.column_stack([symbols["x"], symbols["y"]]), _Labeller.EVENT)
    else:  # keep area labels clear of the note in the middle
        half_w, half_h = _text_half_size(empty_note, style["subtitle"] + 2)
        labeller.add_box_in(map_w / 2 - half_w - 0.2, map_h / 2 - half_h - 0.2, map_w / 2 + half_w + 0.2,
                            map_h / 2 + half_h + 0.2, _Labeller.EVENT)
    _draw_scale_and_north(ax, style, labeller)
    _draw_basemap(ax, style, labeller, view)
    if len(shown):
        _draw_events(ax, symbols)
    else:
        ax.text(0.5, 0.5, empty_note, transform=ax.transAxes, ha="center", va="center",
                fontsize=style["subtitle"] + 2, color=_INK, zorder=12,
                bbox=dict(boxstyle="round,pad=0.6", facecolor="white", edgecolor="#999999", alpha=0.92))
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("auto")  # the extent was fitted to the frame with the 1/cos(lat) correction already
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#777777")
    _draw_panel(pax, shown, style, (style["panel_w"], map_h))
    return fig


# --------------------------------------------------------------------------- command line


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2; no usage dump, no traceback
        self.exit(2, f"{self.prog}: error: {message}\n")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _filter_words(field: str):
    """argparse type for a list field of EventFilter: geodata's one reader of filter words."""
    def parse(text: str) -> tuple[str, ...]:
        known = tuple(geodata.load_provinces()["iso_code"]) if field == "provinces" else None
        try:
            return geodata.parse_filter_words(field, text, known)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


# A box narrower than this draws nothing useful, and far narrower ones overflow the font rasteriser or take
# minutes; the web map at its deepest zoom still shows more. Wider than half the globe breaks the scale bar.
_MIN_EXTENT_DEG = 0.001
_MAX_EXTENT_LON_DEG = 180.0
_MAX_TITLE = 120  # as the app's title box
_MAX_TEXT = 200  # as the app's search box


def _extent_arg(text: str):
    if text == "events":
        return "events"
    try:
        box = _check_extent([float(v) for v in text.split(",")])
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not 'events' or MINLON,MINLAT,MAXLON,MAXLAT (a lon/lat box, min before max)") from None
    if min(box[2] - box[0], box[3] - box[1]) < _MIN_EXTENT_DEG * (1 - 1e-9):  # 62.001 - 62 < 0.001 in floats
        raise argparse.ArgumentTypeError(
            f"{text!r} is too small: the box must span at least {_MIN_EXTENT_DEG:g} degrees each way (about 100 m)")
    if box[2] - box[0] > _MAX_EXTENT_LON_DEG:
        raise argparse.ArgumentTypeError(
            f"{text!r} is too wide: at most {_MAX_EXTENT_LON_DEG:g} degrees of longitude")
    return box


def _plain_text(limit: int):
    """One line of printable text: no control characters, no undecodable bytes, at most ``limit`` characters."""
    def parse(text: str) -> str:
        if any(0xD800 <= ord(c) <= 0xDFFF for c in text):  # bytes that were not UTF-8 arrive as lone surrogates
            raise argparse.ArgumentTypeError("is not valid UTF-8 text")
        if any(unicodedata.category(c) == "Cc" for c in text):
            raise argparse.ArgumentTypeError("contains a control character (newline, tab, escape...)")
        if len(text) > limit:
            raise argparse.ArgumentTypeError(f"is {len(text)} characters long; at most {limit}")
        return text

    parse.__name__ = "text"  # argparse names the type in its message
    return parse


def _non_negative(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be a number >= 0")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m dashboard.briefing`` argument parser."""
    p = _Parser(prog="python -m dashboard.briefing",
                description="Render the filtered border-region events as a static briefing figure.")
    p.add_argument("--start", type=_date, help="first day of the window (YYYY-MM-DD)")
    p.add_argument("--end", type=_date, help="last day of the window (YYYY-MM-DD)")
    p.add_argument("--types", type=_filter_words("event_types"), help="comma-separated event types, e.g. attack,clash")
    p.add_argument("--countries", type=_filter_words("countries"), default=(), help="comma-separated: PK,IR")
    p.add_argument("--provinces", type=_filter_words("provinces"), default=(),
                   help="comma-separated ISO codes, e.g. PK-BA,IR-13")
    p.add_argument("--precision", type=_filter_words("location_precisions"), default=(),
                   help="location precisions to keep, e.g. exact,town")
    p.add_argument("--min-fatalities", type=_non_negative(int), default=0)
    p.add_argument("--max-distance-km", type=_non_negative(float), help="only events this close to the border")
    p.add_argument("--text", type=_plain_text(_MAX_TEXT), default="",
                   help="words that must all appear in title, description or actors")
    p.add_argument("--size", choices=SIZES, default="slide")
    p.add_argument("--title", type=_plain_text(_MAX_TITLE), help=f"default: {DEFAULT_TITLE!r}")
    p.add_argument("--extent", type=_extent_arg, default="events", help="events or MINLON,MINLAT,MAXLON,MAXLAT")
    p.add_argument("--handling", type=_plain_text(_MAX_TITLE),
                   help=f"handling line at top and bottom (default: ${HANDLING_ENV})")
    p.add_argument("--dpi", type=_non_negative(float), help="PNG resolution (default 120 slide, 150 A4)")
    p.add_argument("--events", help="CSV of events to use instead of the shipped data")
    p.add_argument("--format", dest="fmt", choices=FORMATS, required=True)
    p.add_argument("--out", required=True, help="file to write")
    return p


def _check_out(path: Path) -> str | None:
    if path.is_dir():
        return f"--out {str(path)!r} is a directory"
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        return f"--out {str(path)!r}: directory {str(parent)!r} does not exist"
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"--out {str(path)!r} is not writable"
    return None


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status (0 ok, 2 bad arguments or unwritable output)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.start and args.end and args.start > args.end:
        parser.error(f"--start {args.start} is after --end {args.end}")
    if args.dpi is not None and not 10 <= args.dpi <= 1200:
        parser.error(f"--dpi must be between 10 and 1200, got {args.dpi:g}")
    out = Path(args.out)
    problem = _check_out(out)
    if problem:
        parser.error(problem)
    flt = EventFilter(
        start=args.start, end=args.end, event_types=args.types, countries=args.countries,
        provinces=args.provinces, min_fatalities=args.min_fatalities, max_distance_km=args.max_distance_km,
        location_precisions=args.precision, text=args.text,
    )
    try:
        events = geodata.load_events(args.events)
    except (OSError, geodata.EventDataError, ValueError) as exc:
        parser.error(f"--events: {str(exc).splitlines()[0]}")
    try:
        payload = render_briefing(events, flt, title=args.title, size=args.size, fmt=args.fmt, extent=args.extent,
                                  handling=args.handling, dpi=args.dpi)
    except (ValueError, RuntimeError, OverflowError, MemoryError):
        # The arguments passed every check above, yet matplotlib or FreeType gave up: say so in one line; their
        # own message names C++ sources and array shapes, which help no one at a command line.
        parser.error("cannot draw a figure with these arguments (try the default --extent, --dpi or --title)")
    try:
        out.write_bytes(payload)
    except OSError as exc:
        parser.error(f"cannot write --out {str(out)!r}: {exc.strerror or exc}")
    shown = int(geodata.filter_mask(events, flt).sum())
    print(f"wrote {out} ({args.fmt}, {args.size}, {shown} events)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

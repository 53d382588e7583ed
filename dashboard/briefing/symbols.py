"""How each event is drawn: colour and shape by type, size by fatalities (the web map's scale), a dashed ring when the
location is approximate, a status mark on places, and the fan-out of events that share a spot."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from matplotlib.colors import to_rgb

from dashboard.symbology import SIZE_KEY, marker_radius, radii
from geodata import EventType

from .style import APPROXIMATE, DARK_EDGE

#: Points per CSS pixel (1/72 in per 1/96 in): the map's symbol sizes carried onto paper.
PT_PER_PX = 72 / 96
PLACE_DIAMETER_PT = 9.0
#: Mark drawn over a place's square for its status on the day: matplotlib marker, size factor, line width.
STATUS_MARKS = {"closed": ("x", 0.75, 2.0), "restricted": ("_", 0.95, 2.6), "open": ("o", 0.35, 1.0)}
STATUS_ORDER = ("closed", "restricted", "open")
#: An approximate location is drawn as on the web map (static/events.js ``drawSymbol``, and its key in map.css
#: ``.bd-hollow``): a dashed ring in the type's colour over a faint white fill. Line width and dash in points.
APPROX_FILL = (1.0, 1.0, 1.0, 0.35)
APPROX_WIDTH = 1.9
APPROX_DASH = 2.25  # the map's 3 px dashes and gaps
#: Farthest a fanned-out symbol may go, in sunflower steps per member of its group, before it stays put.
_TRIES_PER_MEMBER = 12


def marker_diameter(fatalities: pd.Series, is_place: pd.Series) -> np.ndarray:
    """Marker diameter in points: the web map's radius (sqrt scale on fatalities, capped) in print units.

    Unknown fatalities get the minimum, as on the map; places have one fixed size.
    """
    size = 2 * radii(fatalities) * PT_PER_PX
    return np.where(is_place.to_numpy(dtype=bool), PLACE_DIAMETER_PT, size)


def size_key() -> list[tuple[str, float]]:
    """(label, diameter in points) for the fatality values of the map's own size key."""
    return [(label, 2 * marker_radius(value) * PT_PER_PX) for label, value in SIZE_KEY]


def symbol_paint(colour: str, approximate: bool) -> dict:
    """Face, edge, line width and line style of an event symbol (map and key alike): filled in the type's colour
    with a dark edge, or, for an approximate location, a dashed ring in the type's colour."""
    if approximate:
        # Matplotlib scales dash lengths by the line width: given in widths, they come out in points.
        dash = APPROX_DASH / APPROX_WIDTH
        return dict(facecolor=APPROX_FILL, edgecolor=colour, linewidth=APPROX_WIDTH, linestyle=(0, (dash, dash)))
    return dict(facecolor=colour, edgecolor=DARK_EDGE, linewidth=0.7, linestyle="solid")


def luminance(colour: str) -> float:
    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def type_style(value: str) -> tuple[str, str, bool]:
    """(label, colour, is_place) of an event_type value; unknown values get grey circles."""
    try:
        kind = EventType(value)
    except ValueError:
        return str(value), "#999999", False
    return kind.label, kind.colour, kind.is_place


def groups_within(x_pt: np.ndarray, y_pt: np.ndarray, reach: float) -> list[np.ndarray]:
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


def spread_coincident(x: np.ndarray, y: np.ndarray, diam: np.ndarray, deg_per_pt: tuple[float, float],
                      land=None):
    """Fan out events that would sit on top of each other, on a sunflower spiral round the biggest one.

    Cartographic displacement: many events share a town's coordinates, and stacked markers would hide all but
    one. With ``land`` (a shapely geometry in lon/lat), a spot whose symbol would touch the sea is skipped, so a
    coastal town's events fan out inland; a member with no land spot within reach stays on its true point.

    Returns
    -------
    (x, y) : the drawn positions; a member whose position differs from its input is drawn with a leader line.
    """
    x, y = x.copy(), y.copy()
    x_pt, y_pt = x / deg_per_pt[0], y / deg_per_pt[1]
    golden = math.pi * (3 - math.sqrt(5))
    if land is not None:
        shapely.prepare(land)

    def on_land(px: float, py: float, radius_pt: float) -> bool:
        if land is None:
            return True
        rx, ry = radius_pt * deg_per_pt[0], radius_pt * deg_per_pt[1]
        xs = np.array([px, px - rx, px + rx, px, px])
        ys = np.array([py, py, py, py - ry, py + ry])
        return bool(shapely.contains_xy(land, xs, ys).all())

    for idx in groups_within(x_pt, y_pt, reach=3.0):
        if len(idx) < 2:
            continue
        idx = idx[np.argsort(-diam[idx], kind="stable")]  # biggest at the true spot
        cx, cy = x[idx[0]], y[idx[0]]
        step = 0.85 * float(np.median(diam[idx])) + 2.0
        k, last = 0, _TRIES_PER_MEMBER * len(idx)
        for j in idx[1:]:
            while k < last:
                k += 1
                r, theta = step * math.sqrt(k), k * golden
                px, py = cx + r * math.cos(theta) * deg_per_pt[0], cy + r * math.sin(theta) * deg_per_pt[1]
                if on_land(px, py, diam[j] / 2):
                    x[j], y[j] = px, py
                    break
    return x, y


def event_symbols(shown: pd.DataFrame, deg_per_pt: tuple[float, float], land=None,
                  status: dict[str, str] | None = None) -> dict:
    """Where and how each shown event is drawn.

    ``x``/``y`` are the drawn positions (spread where events share a spot), ``true_x``/``true_y`` the events' own
    points; ``status`` is each row's place status on the day (``""`` for incidents and places with no record).
    """
    info = [type_style(v) for v in shown["event_type"]]
    colours = np.array([c for _, c, _ in info], dtype=object)
    is_place = np.array([p for _, _, p in info], dtype=bool)
    diam = marker_diameter(shown["fatalities"], pd.Series(is_place))
    true_x, true_y = shown.geometry.x.to_numpy(), shown.geometry.y.to_numpy()
    x, y = spread_coincident(true_x, true_y, diam, deg_per_pt, land)
    hollow = shown["location_precision"].isin(APPROXIMATE).to_numpy(dtype=bool)
    known = status or {}
    states = np.array([known.get(str(i), "") if p else "" for i, p in zip(shown["id"], is_place)], dtype=object)
    return dict(x=x, y=y, true_x=true_x, true_y=true_y, diam=diam, colours=colours, is_place=is_place,
                hollow=hollow, status=states)

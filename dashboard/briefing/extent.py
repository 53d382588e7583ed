"""The map frame: which lon/lat box is drawn, at what aspect, and how long its scale bar is."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from pyproj import Geod

# Region shown when there is nothing to frame: the border with its neighbourhood (lon/lat).
REGION = (59.3, 24.2, 64.9, 30.9)
MIN_SPAN_DEG = 3.0
_GEOD = Geod(ellps="WGS84")


def check_extent(extent) -> tuple[float, float, float, float] | None:
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


def events_extent(shown: pd.DataFrame) -> tuple[float, float, float, float]:
    """Bounds of the shown events, padded, at least ``MIN_SPAN_DEG`` each way so one event keeps its context."""
    valid = shown.geometry[~shown.geometry.is_empty & shown.geometry.notna()] if len(shown) else shown.geometry
    if len(valid) == 0:
        return REGION
    x0, y0, x1, y1 = valid.total_bounds
    pad_x, pad_y = max(0.5, 0.12 * (x1 - x0)), max(0.5, 0.12 * (y1 - y0))  # room for markers and fans
    x0, x1, y0, y1 = x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_x, half_y = max((x1 - x0) / 2, MIN_SPAN_DEG / 2), max((y1 - y0) / 2, MIN_SPAN_DEG / 2)
    return cx - half_x, max(cy - half_y, -89.0), cx + half_x, min(cy + half_y, 89.0)


def in_frame(shown: pd.DataFrame, frame) -> np.ndarray:
    """Which rows' own points lie inside the ``(minlon, minlat, maxlon, maxlat)`` frame (edges included): the
    events a map of that frame draws, and so the ones its words and key may count."""
    if not len(shown):
        return np.zeros(0, dtype=bool)
    x0, y0, x1, y1 = frame
    geometry = shown.geometry
    lon, lat = geometry.x.to_numpy(dtype=float), geometry.y.to_numpy(dtype=float)  # NaN for empty points
    return (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)


def fit_to_box(extent, box_w_in: float, box_h_in: float) -> tuple[float, float, float, float]:
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


def km_per_degree_lon(lat: float) -> float:
    """Length of one degree of longitude at ``lat``, on the WGS84 ellipsoid."""
    _, _, metres = _GEOD.inv(0.0, lat, 1.0, lat)
    return metres / 1000


def nice_length(target_km: float) -> float:
    """The longest round scale-bar length not above ``target_km``."""
    steps = (1, 2, 5, 10, 20, 25, 50, 100, 150, 200, 250, 500, 1000, 2000, 5000)
    fitting = [s for s in steps if s <= target_km]
    return float(fitting[-1] if fitting else steps[0])

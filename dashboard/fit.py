"""The map view that shows a set of points: a centre and a whole zoom level, as Leaflet's ``fitBounds`` would
choose them on a map of a given size. Pure (numpy only), so it is unit tested without a browser."""

from __future__ import annotations

import math

import numpy as np

#: The map's size assumed for fitting (CSS pixels): the page's map is 620 px high and rarely narrower than this.
MAP_SIZE = (800, 560)
#: Pixels kept free around the points, so ringed symbols at the edge stay whole.
PADDING = 40
MIN_ZOOM, MAX_ZOOM = 4, 11
_TILE = 256


def _mercator_y(lat: np.ndarray) -> np.ndarray:
    lat = np.clip(lat, -85.0, 85.0)
    return np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def _latitude(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def fit_view(lat, lon, size: tuple[int, int] = MAP_SIZE, padding: int = PADDING,
             max_zoom: int = MAX_ZOOM) -> tuple[tuple[float, float], int] | None:
    """``((lat, lon), zoom)`` showing every point of ``lat``/``lon`` (degrees; missing values ignored) on a map of
    ``size`` (width, height) pixels, or None when there is no point. One point, or points closer than a street,
    get ``max_zoom``; the zoom never goes below :data:`MIN_ZOOM`."""
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    if not ok.any():
        return None
    lat, lon = lat[ok], lon[ok]
    y = _mercator_y(lat)
    y0, y1, x0, x1 = float(y.min()), float(y.max()), float(lon.min()), float(lon.max())
    width, height = max(size[0] - 2 * padding, 1), max(size[1] - 2 * padding, 1)
    zooms = [max_zoom]
    if x1 > x0:
        zooms.append(math.log2(width * 360.0 / (_TILE * (x1 - x0))))
    if y1 > y0:
        zooms.append(math.log2(height * 2 * math.pi / (_TILE * (y1 - y0))))
    zoom = int(min(max(math.floor(min(zooms)), MIN_ZOOM), max_zoom))
    center = (round(_latitude((y0 + y1) / 2), 4), round((x0 + x1) / 2, 4))
    return center, zoom

"""Label placement: put each label where it hides the fewest events, towns and lines."""

from __future__ import annotations

import math

import numpy as np
import shapely


class Labeller:
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
        clearance = capped_clearance(c_in, obstacles, half_w + pad, half_h + pad, _ENOUGH_CLEARANCE)
        rep = area.representative_point()
        closeness = np.hypot(*(c_in - self.to_in([(rep.x, rep.y)])[0]).T)
        best = np.lexsort((closeness, -clearance))[0]
        return tuple(cand[best])

    # (dx, dy) in points, ha, va: right of the dot first, as map readers expect.
    _POINT_SPOTS = (
        ((5, 2), "left", "bottom"), ((5, -2), "left", "top"), ((-5, 2), "right", "bottom"),
        ((-5, -2), "right", "top"), ((0, 6), "center", "bottom"), ((0, -6), "center", "top"),
    )

    def place_point_label(self, x: float, y: float, text: str, fontsize: float):
        """Offset (points), ha, va of the candidate spot whose label box covers the least weight."""
        px, py = self.to_in([(x, y)])[0]
        half_w, half_h = text_half_size(text, fontsize)
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


#: Clearance (in label half sizes, padded) beyond which an area label's spot counts as free: the nearer to the
#: area's representative point wins among those.
_ENOUGH_CLEARANCE = 1.5


def capped_clearance(spots: np.ndarray, obstacles: np.ndarray, scale_x: float, scale_y: float,
                     cap: float) -> np.ndarray:
    """For each spot, ``min(cap, min over obstacles of max(|dx| / scale_x, |dy| / scale_y))``.

    The same numbers as the all-pairs matrix, but an obstacle farther than ``cap * scale_x`` across cannot lower a
    capped value, so each column of spots (the candidates lie on a grid) is compared only with the obstacles in its
    own x window, found by bisection (a province's spots times the border's points was half a figure's drawing).
    """
    clearance = np.full(len(spots), float(cap))
    if not len(spots) or not len(obstacles):
        return clearance
    order = np.argsort(obstacles[:, 0], kind="stable")
    ox, oy = obstacles[order, 0], obstacles[order, 1]
    reach = cap * scale_x * (1 + 1e-9)  # a hair wide: an obstacle let in needlessly changes nothing
    columns, column_of = np.unique(spots[:, 0], return_inverse=True)
    starts = np.searchsorted(ox, columns - reach, side="left")
    stops = np.searchsorted(ox, columns + reach, side="right")
    for number, x in enumerate(columns):
        start, stop = starts[number], stops[number]
        if start == stop:
            continue
        rows = np.flatnonzero(column_of == number)
        dx = np.abs(x - ox[start:stop]) / scale_x
        dy = np.abs(spots[rows, 1][:, None] - oy[None, start:stop]) / scale_y
        clearance[rows] = np.minimum(np.maximum(dx[None, :], dy).min(axis=1), cap)
    return clearance


def text_half_size(text: str, fontsize: float) -> tuple[float, float]:
    """Rough half width/height in inches of a (multi-line) label in DejaVu Sans."""
    lines = text.split("\n")
    width = max(len(line) for line in lines) * fontsize * 0.6 / 72
    height = len(lines) * fontsize * 1.2 / 72
    return width / 2, height / 2

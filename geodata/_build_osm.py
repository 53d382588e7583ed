"""Build step: the Pakistan–Iran border from OpenStreetMap, and the focus provinces conflated to it.

The PyPI package ``timezonefinder-data`` carries the polygons of timezone-boundary-builder, which are built
from OpenStreetMap's administrative boundaries (ODbL, © OpenStreetMap contributors). Pakistan and Iran
each keep one timezone, so the edge shared by ``Asia/Karachi`` and ``Asia/Tehran`` is the international
border as OSM maps it; ``Asia/Kabul`` touches it at the Afghanistan tripoint. The package stores each ring
as integer degrees × 10^7, bit-packed as residuals against one frame per block of 128 vertices
(``data/boundaries/coordinates.bin`` with the block tables beside it); ``timezonefinder``'s
``get_geometry`` decodes that exactly, at full resolution. Both are build-time only, never imported at run
time.

The timezone polygons run on into territorial waters, so the line is cut where it leaves the land of the
focus provinces (Natural Earth's coast, the coast the shipped polygons have). The Natural Earth provinces
then take the new line as their common edge (see :func:`conflate`).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from shapely import ops

from .models import AREA_CRS, CRS, METRIC_CRS

PAKISTAN_ZONE, IRAN_ZONE, AFGHANISTAN_ZONE = "Asia/Karachi", "Asia/Tehran", "Asia/Kabul"
FOCUS = ("PK-BA", "IR-13")
#: Douglas–Peucker tolerance (metres) for the shipped line: about 1/7 of a pixel at zoom 10 and 2–3 px at
#: zoom 14 here, and it cuts the 16,874 source vertices to 3,743 (the line is stored and drawn three times).
SIMPLIFY_M = 20.0
#: Written precision of the focus geometry (5 decimals ≈ 1 m), so the line is snapped to the same grid.
DECIMALS = 5
#: Reach (degrees, ≈ 15 km) of the basemap countries' rework around the border: see conflate_countries.
CORRIDOR_DEG = 0.15
#: Simplification (degrees, ≈ 100 m) of the border edge in the basemap countries (written with 3 decimals).
COUNTRY_BORDER_TOLERANCE_DEG = 0.001
#: Parts smaller than this (deg², ≈ 1 km²) cut off from a country by the rework are dropped.
SPECK_DEG2 = 1e-4
#: Conflation may move a focus province's area by at most this fraction; more means something went wrong.
MAX_AREA_CHANGE = 0.01

_GEOD = pyproj.Geod(ellps="WGS84")


def _zone(finder, name: str):
    polygons = [shapely.Polygon(rings[0], rings[1:]) for rings in finder.get_geometry(tz_name=name, coords_as_pairs=True)]
    return shapely.MultiPolygon(polygons)


@dataclass(frozen=True)
class OsmBorder:
    """The OSM Pakistan–Iran edge at full resolution, north (tripoint) to south (out at sea)."""

    line: shapely.LineString
    data_version: str


def read_osm_border() -> OsmBorder:
    """Shared edge of the Karachi and Tehran timezones, ordered from the Kabul tripoint southwards."""
    try:
        from timezonefinder import TimezoneFinder
    except ImportError:
        raise SystemExit(
            "timezonefinder is not installed: pip install -e '.[build-data]' (build-time only)"
        ) from None
    finder = TimezoneFinder()
    pakistan, iran, afghanistan = (_zone(finder, z) for z in (PAKISTAN_ZONE, IRAN_ZONE, AFGHANISTAN_ZONE))
    shared = shapely.line_merge(shapely.intersection(pakistan.boundary, iran.boundary))
    if shared.geom_type != "LineString":
        raise SystemExit(f"the Karachi/Tehran edge did not merge into one line ({shared.geom_type})")
    ends = [shapely.Point(shared.coords[0]), shapely.Point(shared.coords[-1])]
    on_kabul = [shapely.intersects(afghanistan, p) for p in ends]
    if on_kabul.count(True) != 1:
        raise SystemExit("expected exactly one end of the Karachi/Tehran edge on the Kabul timezone")
    if on_kabul[1]:
        shared = shapely.reverse(shared)
    version = finder.data_version if isinstance(finder.data_version, str) else str(finder.data_version)
    return OsmBorder(shared, version)


def _on_grid(line: shapely.LineString) -> shapely.LineString:
    # Round ourselves (and drop repeats) so the polygons built from the line carry the very same vertices.
    coords = np.round(shapely.get_coordinates(line), DECIMALS)
    keep = np.ones(len(coords), bool)
    keep[1:] = np.any(np.diff(coords, axis=0) != 0, axis=1)
    return shapely.LineString(coords[keep])


def simplify_m(line: shapely.LineString, metres: float = SIMPLIFY_M) -> shapely.LineString:
    """Douglas–Peucker in metres (UTM 41N), returned in lon/lat on the 5-decimal grid."""
    to_metric = pyproj.Transformer.from_crs(CRS, METRIC_CRS, always_xy=True).transform
    to_lonlat = pyproj.Transformer.from_crs(METRIC_CRS, CRS, always_xy=True).transform
    simple = shapely.simplify(ops.transform(to_metric, line), metres, preserve_topology=True)
    return _on_grid(ops.transform(to_lonlat, simple))


def focus_outline(provinces: gpd.GeoDataFrame) -> shapely.Polygon:
    """Union of the two focus provinces: one polygon, its edge is the coast and the neighbours' edges."""
    focus = provinces.set_index("iso_code").geometry
    outline = shapely.union(focus[FOCUS[0]], focus[FOCUS[1]])
    if outline.geom_type != "Polygon" or len(outline.interiors):
        raise SystemExit(f"the focus provinces do not form one polygon without holes ({outline.geom_type})")
    return outline


def cut_at_coast(line: shapely.LineString, outline: shapely.Polygon) -> shapely.LineString:
    """The line from its start to where it leaves the land for good (its last crossing of ``outline``)."""
    crossings = shapely.get_parts(shapely.intersection(line, outline.boundary))
    if not len(crossings) or any(p.geom_type != "Point" for p in crossings):
        raise SystemExit("the OSM line does not cross the coast of the focus provinces at single points")
    last = max(line.project(p) for p in crossings)
    inland = ops.substring(line, 0, last)
    coast = np.round(shapely.get_coordinates(line.interpolate(last)), DECIMALS)[0]
    coords = np.vstack([shapely.get_coordinates(inland)[:-1], coast])
    return _on_grid(shapely.LineString(coords))


def inland_part(source: shapely.LineString, shipped: shapely.LineString) -> shapely.LineString:
    """The full-resolution source line from its start to the point nearest the shipped line's coastal end."""
    return ops.substring(source, 0, source.project(shapely.Point(shipped.coords[-1])))


def _extend_to(
    outline: shapely.Polygon, line: shapely.LineString, end: shapely.Point, old_end: shapely.Point
) -> shapely.Polygon:
    """Grow ``outline`` just enough that ``end`` lies on its edge and ``line`` runs inside it.

    Natural Earth and OSM put the Afghanistan tripoint ~3 km apart, and OSM's (``end``) lies outside Natural
    Earth's outline. The added piece is the convex hull of the OSM line up to where it enters the outline, the
    ends of the outline segment it enters through and Natural Earth's tripoint (``old_end``): a few km² at the
    tripoint; the outline is unchanged elsewhere.
    """
    if shapely.intersects(outline.boundary, end):
        return outline
    if shapely.contains(outline, end):
        raise SystemExit("the OSM tripoint lies inside the Natural Earth outline: conflation not written for that")
    entry = min(line.project(p) for p in shapely.get_parts(shapely.intersection(line, outline.boundary)))
    outside = ops.substring(line, 0, entry)
    ring = shapely.get_coordinates(outline.exterior)
    # Both ends of the outline segment the line enters through: without them the side of the line away from
    # ``old_end`` would get only a sliver between the line and the hull's chord, pinched off where it enters.
    segments = shapely.linestrings(np.stack([ring[:-1], ring[1:]], axis=1))
    through = int(np.argmin(shapely.distance(segments, line.interpolate(entry))))
    corners = np.vstack([shapely.get_coordinates(outside), shapely.get_coordinates(old_end), ring[through],
                         ring[through + 1]])
    wedge = shapely.convex_hull(shapely.MultiPoint(corners))
    grown = shapely.union(outline, wedge)
    if grown.geom_type != "Polygon" or not shapely.intersects(grown.boundary, end):
        raise SystemExit("could not extend the outline to the OSM tripoint")
    return grown


def _old_end_near(provinces: gpd.GeoDataFrame, outline: shapely.Polygon, point: shapely.Point) -> shapely.Point:
    """The end of the focus provinces' present common edge (where it meets ``outline``) nearest ``point``."""
    focus = provinces.set_index("iso_code").geometry
    common = shapely.intersection(focus[FOCUS[0]].boundary, focus[FOCUS[1]].boundary)
    ends = [p for p in shapely.points(shapely.get_coordinates(common)) if shapely.intersects(outline.boundary, p)]
    if not ends:
        raise SystemExit("the focus provinces' common edge does not reach their outline")
    return min(ends, key=lambda p: shapely.distance(p, point))


def _arc(ring: shapely.LineString, start: float, stop: float) -> np.ndarray:
    """Coordinates of the closed ``ring`` from distance ``start`` to ``stop``, wrapping past its origin."""
    if start <= stop:
        return shapely.get_coordinates(ops.substring(ring, start, stop))
    head = shapely.get_coordinates(ops.substring(ring, start, ring.length))
    tail = shapely.get_coordinates(ops.substring(ring, 0, stop))
    return np.vstack([head, tail[1:]])


def split_outline(outline: shapely.Polygon, line: shapely.LineString) -> tuple[shapely.Polygon, shapely.Polygon]:
    """Cut ``outline`` along ``line`` (both ends on its edge) into its east and west parts.

    The two parts are closed with the line's own coordinates, so their common edge is the line exactly.
    """
    ring = shapely.LineString(outline.exterior.coords)
    coords = shapely.get_coordinates(line)
    first, last = ring.project(shapely.Point(coords[0])), ring.project(shapely.Point(coords[-1]))
    parts = []
    for a, b, closing in ((first, last, coords[::-1]), (last, first, coords)):
        arc = _arc(ring, a, b)
        # The arc ends are interpolated; pin them to the line's ends so the edge is shared exactly.
        arc[0], arc[-1] = closing[-1], closing[0]
        parts.append(shapely.make_valid(shapely.Polygon(np.vstack([arc, closing[1:]]))))
    if any(p.geom_type != "Polygon" for p in parts):
        raise SystemExit("splitting the outline along the OSM line did not give two polygons")
    east, west = sorted(parts, key=lambda p: -p.centroid.x)
    return east, west


def conflate(provinces: gpd.GeoDataFrame, line: shapely.LineString) -> gpd.GeoDataFrame:
    """Give the focus provinces ``line`` as their common edge, keeping their other Natural Earth edges.

    Parameters
    ----------
    provinces : geopandas.GeoDataFrame
        The built provinces (``iso_code``, geometry; EPSG:4326) with Natural Earth's focus polygons.
    line : shapely.LineString
        The border from the tripoint to the coast, ordered north to south.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in which Balochistan is the outline east of the line and Sistan and Baluchestan the outline
        west of it; the outline is Natural Earth's except a few km² added at the tripoint.
    """
    outline = focus_outline(provinces)
    tripoint = shapely.Point(line.coords[0])
    outline = _extend_to(outline, line, tripoint, _old_end_near(provinces, outline, tripoint))
    if not shapely.covers(outline, line):
        raise SystemExit("the OSM border does not run inside the focus provinces' outline")
    east, west = split_outline(outline, line)
    out = provinces.copy()
    out.loc[out.iso_code == "PK-BA", "geometry"] = east
    out.loc[out.iso_code == "IR-13", "geometry"] = west
    return out


def conflate_countries(
    countries: gpd.GeoDataFrame, provinces: gpd.GeoDataFrame, line: shapely.LineString, reach: float = CORRIDOR_DEG
) -> gpd.GeoDataFrame:
    """Give the basemap's Pakistan and Iran the conflated focus provinces' shapes near the border.

    The country outlines are simplified at 0.02° (≈ 2 km) and follow Natural Earth's border, which drawn under
    the OSM line shows as a second border beside it. Within ``reach`` degrees of the line (more than the
    largest Natural Earth–OSM offset, 8.8 km) the two countries are replaced by the focus provinces, so their
    common edge is the border line; elsewhere they are unchanged.
    """
    focus = provinces.set_index("iso_code").geometry
    zone = shapely.intersection(shapely.buffer(line, reach), shapely.union(focus[FOCUS[0]], focus[FOCUS[1]]))
    pieces = [shapely.intersection(focus[code], zone) for code in FOCUS]
    if not hasattr(shapely, "coverage_simplify"):
        raise SystemExit("the build needs shapely >= 2.1 (coverage_simplify)")
    # A basemap does not need the 20 m line: thin only the edge the two pieces share, identically for both,
    # so they still meet exactly and join the untouched outline seamlessly.
    pieces = shapely.coverage_simplify(pieces, COUNTRY_BORDER_TOLERANCE_DEG, simplify_boundary=False)
    out = countries.copy()
    for country, piece in zip(("PK", "IR"), pieces):
        row = out.iso_a2 == country
        if row.sum() != 1:
            raise SystemExit(f"expected one {country} outline among the countries, found {row.sum()}")
        outline = out.loc[row, "geometry"].iloc[0]
        reworked = shapely.get_parts(shapely.union(shapely.difference(outline, zone), piece))
        # The coarse outline pokes past the focus outline near the tripoint; cutting it leaves specks there.
        # Keep the parts that were there before (islands) and everything bigger than a speck.
        before = shapely.get_parts(outline)
        kept = [g for g in reworked if g.area >= SPECK_DEG2 or any(shapely.equals(g, b) for b in before)]
        out.loc[row, "geometry"] = shapely.union_all(kept)
    return out


def _km2(geom) -> float:
    return gpd.GeoSeries([geom], crs=CRS).to_crs(AREA_CRS).area.iloc[0] / 1e6


def offsets_km(line: shapely.LineString, reference: shapely.LineString, step_m: float = 100.0) -> np.ndarray:
    """Distance (km) from points every ``step_m`` along ``line`` to ``reference`` (both lon/lat), in UTM 41N."""
    metric = gpd.GeoSeries([line, reference], crs=CRS).to_crs(METRIC_CRS).values
    samples = shapely.points(shapely.get_coordinates(shapely.segmentize(metric[0], step_m)))
    return shapely.distance(samples, metric[1]) / 1000


def shared_edge_problems(provinces: gpd.GeoDataFrame, line: shapely.LineString) -> list[str]:
    """What is wrong with the focus provinces as two valid polygons meeting exactly along ``line``."""
    focus = provinces.set_index("iso_code").geometry
    pakistan, iran = focus[FOCUS[0]], focus[FOCUS[1]]
    problems = [f"{code} is not one valid polygon" for code, g in zip(FOCUS, (pakistan, iran))
                if g.geom_type != "Polygon" or not shapely.is_valid(g)]
    shared = shapely.line_merge(shapely.intersection(pakistan.boundary, iran.boundary))
    if not shapely.equals(shared, line):
        problems.append("the provinces' shared edge is not the border line")
    if shapely.area(shapely.intersection(pakistan, iran)) > 0:
        problems.append("the focus provinces overlap")
    return problems


def check_and_describe(
    before: gpd.GeoDataFrame, after: gpd.GeoDataFrame, old_line, new_line, source_line
) -> str:
    """Check the conflated provinces against the line and say how much they moved; SystemExit on failure."""
    b, a = before.set_index("iso_code").geometry, after.set_index("iso_code").geometry
    problems = shared_edge_problems(after, new_line)
    rows = []
    for code in FOCUS:
        old, new = _km2(b[code]), _km2(a[code])
        if abs(new - old) > MAX_AREA_CHANGE * old:
            problems.append(f"{code} area changed by more than {MAX_AREA_CHANGE:.0%}")
        rows.append({"measure": f"{code} area (km²)", "before": round(old), "after": round(new),
                     "change": f"{(new - old) / old:+.2%}"})
    outer_before = shapely.union(b["PK-BA"], b["IR-13"])
    outer_after = shapely.union(a["PK-BA"], a["IR-13"])
    added = _km2(shapely.difference(outer_after, outer_before))
    removed = _km2(shapely.difference(outer_before, outer_after))
    away = offsets_km(source_line, new_line)
    old_off = offsets_km(old_line, source_line)
    rows += [
        {"measure": "border length (km)", "before": round(_GEOD.geometry_length(old_line) / 1000, 1),
         "after": round(_GEOD.geometry_length(new_line) / 1000, 1), "change": ""},
        {"measure": "border vertices", "before": len(old_line.coords), "after": len(new_line.coords), "change": ""},
        {"measure": "border to OSM source: mean / p95 / max (km)",
         "before": f"{old_off.mean():.2f} / {np.percentile(old_off, 95):.2f} / {old_off.max():.2f}",
         "after": f"{away.mean():.3f} / {np.percentile(away, 95):.3f} / {away.max():.3f}", "change": ""},
        {"measure": "tripoint end moved (km)", "before": "", "change": "",
         "after": round(_GEOD.line_length(*zip(old_line.coords[0], new_line.coords[0])) / 1000, 2)},
        {"measure": "coastal end moved (km)", "before": "", "change": "",
         "after": round(_GEOD.line_length(*zip(old_line.coords[-1], new_line.coords[-1])) / 1000, 2)},
        {"measure": "focus outline added / removed (km²)", "before": "", "change": "",
         "after": f"{added:.1f} / {removed:.1f}"},
    ]
    if problems:
        raise SystemExit("conflation check failed: " + "; ".join(problems))
    return pd.DataFrame(rows).to_string(index=False)

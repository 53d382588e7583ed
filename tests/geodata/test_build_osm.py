"""Conflation steps of the boundary build, on small synthetic shapes (no registry package needed)."""

import geopandas as gpd
import pytest
import shapely

from geodata import _build_osm

# Two provinces side by side, meeting along x = 0 (the "old" border); the coast is y = 0.
WEST = shapely.box(-2, 0, 0, 4)
EAST = shapely.box(0, 0, 2, 4)
# The "new" border: from the north edge, bending east and west, out into the sea south of y = 0.
NEW_LINE = shapely.LineString([(0.2, 4), (0.5, 3), (-0.4, 2), (0.3, 1), (0.1, -0.5)])


def _provinces(west=WEST, east=EAST):
    return gpd.GeoDataFrame(
        {"iso_code": ["IR-13", "PK-BA"], "country": ["IR", "PK"]}, geometry=[west, east], crs=4326
    )


def test_cut_at_coast_stops_where_the_line_leaves_the_land():
    cut = _build_osm.cut_at_coast(NEW_LINE, shapely.union(WEST, EAST))
    assert cut.coords[0] == (0.2, 4)
    # On y = 0, two thirds of the way from (0.3, 1) to (0.1, -0.5), on the 5-decimal grid.
    assert cut.coords[-1] == pytest.approx((0.3 - 0.2 * 2 / 3, 0.0), abs=1e-5)
    assert list(cut.coords[:-1]) == list(NEW_LINE.coords[:-1])


def test_cut_at_coast_refuses_a_line_that_never_reaches_the_coast():
    with pytest.raises(SystemExit, match="coast"):
        _build_osm.cut_at_coast(shapely.LineString([(0.5, 3), (0.5, 1)]), shapely.union(WEST, EAST))


def test_conflate_makes_the_line_the_shared_edge_and_keeps_the_outline():
    line = _build_osm.cut_at_coast(NEW_LINE, shapely.union(WEST, EAST))
    out = _build_osm.conflate(_provinces(), line).set_index("iso_code").geometry
    assert _build_osm.shared_edge_problems(out.reset_index(), line) == []
    assert shapely.equals(shapely.union(out["PK-BA"], out["IR-13"]), shapely.union(WEST, EAST))
    assert out["PK-BA"].contains(shapely.Point(1.5, 2)) and out["IR-13"].contains(shapely.Point(-1.5, 2))
    # The bend at (-0.4, 2) moves land west of the old border into the eastern province.
    assert out["PK-BA"].contains(shapely.Point(-0.2, 2))
    assert out["PK-BA"].area + out["IR-13"].area == pytest.approx(16)


def test_conflate_reaches_a_tripoint_outside_the_old_outline():
    """The new line starts 0.3 north of the outline: the outline grows just there to meet it."""
    line = shapely.LineString([(0.1, 4.3), (0.3, 3.6), (0.2, 0)])
    out = _build_osm.conflate(_provinces(), line).set_index("iso_code").geometry
    assert _build_osm.shared_edge_problems(out.reset_index(), line) == []
    grown = shapely.union(out["PK-BA"], out["IR-13"])
    assert shapely.covers(grown, shapely.union(WEST, EAST))
    assert 0 < grown.area - 16 < 1  # a small wedge at the tripoint, nothing else
    assert shapely.difference(grown, shapely.union(WEST, EAST)).bounds[1] >= 3.9


def test_shared_edge_problems_names_what_is_wrong():
    problems = _build_osm.shared_edge_problems(_provinces(), NEW_LINE)
    assert problems == ["the provinces' shared edge is not the border line"]
    overlapping = _provinces(west=shapely.box(-2, 0, 0.5, 4))
    assert "the focus provinces overlap" in _build_osm.shared_edge_problems(overlapping, NEW_LINE)


def test_basemap_countries_take_the_provinces_shapes_near_the_border():
    line = _build_osm.cut_at_coast(NEW_LINE, shapely.union(WEST, EAST))
    provinces = _build_osm.conflate(_provinces(), line)
    # Coarse countries that still follow the old border, reaching further than the provinces.
    countries = gpd.GeoDataFrame(
        {"iso_a2": ["IR", "PK"]}, geometry=[shapely.box(-6, 0, 0, 8), shapely.box(0, 0, 6, 8)], crs=4326
    )
    out = _build_osm.conflate_countries(countries, provinces, line, reach=1.0).set_index("iso_a2").geometry
    edge = shapely.intersection(out["PK"].boundary, out["IR"].boundary)
    along = shapely.points(shapely.get_coordinates(shapely.segmentize(line, 0.05)))
    assert shapely.distance(along, edge).max() < 0.01  # the new line, not the old x = 0
    assert not shapely.intersects(edge, shapely.LineString([(0, 1.6), (0, 2.2)]))
    assert shapely.area(shapely.intersection(out["PK"], out["IR"])) == 0
    assert out["PK"].area + out["IR"].area == pytest.approx(96)
    assert out["PK"].contains(shapely.Point(5, 7)) and out["IR"].contains(shapely.Point(-5, 7))

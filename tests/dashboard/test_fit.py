"""The view that fits a file's rows: centre in the middle of the points' box, the largest zoom that shows them."""

import math

import pytest

from dashboard.fit import MAX_ZOOM, MIN_ZOOM, fit_view


def test_no_point_has_no_view():
    assert fit_view([], []) is None
    assert fit_view([float("nan")], [61.0]) is None


def test_one_point_is_shown_close_up():
    assert fit_view([27.5], [62.3]) == ((27.5, 62.3), MAX_ZOOM)


@pytest.mark.parametrize(("lats", "lons", "zoom"), [
    ([25.0, 31.0], [60.0, 67.0], 6),  # the study area: about 7 degrees across
    ([27.0, 28.0], [62.0, 63.0], 9),  # one district: about 100 km
    ([27.0, 27.01], [62.0, 62.01], MAX_ZOOM),  # a few streets: no closer than the map's usual limit
    ([-60.0, 70.0], [-170.0, 170.0], MIN_ZOOM),  # a world-wide file: never further out than MIN_ZOOM
])
def test_zoom_is_the_largest_that_shows_every_point(lats, lons, zoom):
    (lat, lon), got = fit_view(lats, lons, size=(800, 560), padding=40)
    assert got == zoom
    assert lon == pytest.approx((min(lons) + max(lons)) / 2)
    assert min(lats) <= lat <= max(lats)
    if MIN_ZOOM < zoom < MAX_ZOOM:  # the box fits at this zoom and not at the next one
        width = (max(lons) - min(lons)) / 360 * 256 * 2 ** zoom
        assert width <= 720 and (width * 2 > 720 or _height(lats, zoom + 1) > 480)


def _height(lats, zoom):
    y = [math.log(math.tan(math.pi / 4 + math.radians(v) / 2)) for v in lats]
    return (max(y) - min(y)) / (2 * math.pi) * 256 * 2 ** zoom


def test_the_centre_is_the_middle_on_the_map_not_of_the_degrees():
    (lat, _lon), _ = fit_view([0.0, 60.0], [10.0, 10.0])
    assert lat > 30.0  # Mercator stretches the north: the middle of the box on screen is above 30°

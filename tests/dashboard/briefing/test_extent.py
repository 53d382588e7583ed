"""The map frame: extents checked, fitted with the latitude correction, scale bar lengths."""

import numpy as np
import pytest

import geodata
from dashboard.briefing import extent


def test_scale_uses_the_length_of_a_degree_at_the_latitude():
    assert extent.km_per_degree_lon(0) == pytest.approx(111.32, abs=0.01)
    assert extent.km_per_degree_lon(27) == pytest.approx(99.2, abs=0.2)
    assert extent.km_per_degree_lon(60) == pytest.approx(55.8, abs=0.1)
    assert extent.nice_length(180) == 150
    assert extent.nice_length(99) == 50
    assert extent.nice_length(0.3) == 1  # never shorter than the shortest step


def test_extent_fits_the_frame_with_the_latitude_correction():
    x0, y0, x1, y1 = extent.fit_to_box((60, 25, 64, 29), 10, 5)
    ground_w = (x1 - x0) * np.cos(np.radians((y0 + y1) / 2))
    assert ground_w / (y1 - y0) == pytest.approx(2.0)
    assert (x0 + x1) / 2 == pytest.approx(62) and (y0 + y1) / 2 == pytest.approx(27)
    assert x0 <= 60 and x1 >= 64 and y0 <= 25 and y1 >= 29  # only ever grows


def test_single_event_gets_context():
    events = geodata.load_events()
    one = events[events["id"] == "2025-11-30-nokkundi-fc-headquarters-attack"]
    x0, y0, x1, y1 = extent.events_extent(one)
    assert x1 - x0 >= 3 and y1 - y0 >= 3
    assert extent.events_extent(one.iloc[:0]) == extent.REGION


@pytest.mark.parametrize("bad", ["view", (64, 25, 60, 29), (60, 25, 64), (60, 25, float("nan"), 29), None])
def test_bad_extents_name_themselves(bad):
    with pytest.raises(ValueError, match="extent"):
        extent.check_extent(bad)


def test_good_extents_pass():
    assert extent.check_extent("events") is None
    assert extent.check_extent(["60", 25, 64, 29.5]) == (60.0, 25.0, 64.0, 29.5)

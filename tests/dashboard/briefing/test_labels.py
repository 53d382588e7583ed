"""Label placement: labels go where they hide the fewest events, inside the frame and their area."""

import numpy as np
import pytest
import shapely

from dashboard.briefing.labels import Labeller, capped_clearance, text_half_size


def test_a_point_label_moves_off_the_events_right_of_its_dot():
    labeller = Labeller((60.0, 25.0, 64.0, 29.0), 8.0, 8.0)  # 2 inches per degree
    free = labeller.place_point_label(62.0, 27.0, "Town", 9)
    assert free == ((5, 2), "left", "bottom")  # right of the dot when nothing is in the way
    crowded = Labeller((60.0, 25.0, 64.0, 29.0), 8.0, 8.0)
    crowded.add([(62.0 + dx / 20, 27.0 + dy / 40) for dx in range(1, 6) for dy in range(-2, 3)], Labeller.EVENT)
    offset, ha, va = crowded.place_point_label(62.0, 27.0, "Town", 9)
    assert ha != "left"  # the events to the right keep it away


def test_a_label_at_the_frame_edge_turns_inwards():
    labeller = Labeller((60.0, 25.0, 64.0, 29.0), 8.0, 8.0)
    _, ha, _ = labeller.place_point_label(63.98, 27.0, "Long town name", 9)
    assert ha == "right"


def test_an_area_label_sits_inside_its_area_and_clear_of_events():
    labeller = Labeller((60.0, 25.0, 64.0, 29.0), 8.0, 8.0)
    area = shapely.box(60.5, 25.5, 63.5, 28.5)
    labeller.add([(x / 10, 27.0) for x in range(605, 636)], Labeller.EVENT)  # a row of events across the middle
    half_w, half_h = text_half_size("Province\n(Country)", 10)
    lon, lat = labeller.place_area_label(area, half_w, half_h)
    assert area.contains(shapely.Point(lon, lat))
    assert abs(lat - 27.0) * 2 > half_h  # not on the row of events
    assert labeller.place_area_label(shapely.box(0, 0, 1, 1), half_w, half_h) is None  # out of view


def test_text_half_size_grows_with_lines_and_length():
    one = text_half_size("Zahedan", 10)
    two = text_half_size("Zahedan\nIran", 10)
    assert two[0] == one[0] and two[1] == 2 * one[1]
    assert text_half_size("Zahedan and more", 10)[0] > one[0]


@pytest.mark.parametrize("seed", range(4))
def test_capped_clearance_is_the_all_pairs_minimum_capped(seed):
    rng = np.random.default_rng(seed)
    gx, gy = np.meshgrid(np.linspace(0, 10, 60), np.linspace(0, 7, 44))
    spots = np.column_stack([gx.ravel(), gy.ravel()])[rng.random(60 * 44) < 0.6]
    # Clusters and a line of obstacles, some exactly on spot columns and some exactly a window's width away.
    obstacles = np.vstack([rng.normal(5, 2, (700, 2)), np.column_stack([np.linspace(-1, 11, 300), np.full(300, 3.5)]),
                           spots[:40] + [0.9, 0.0], spots[40:60]])
    scale_x, scale_y, cap = 0.6, 0.25, 1.5
    dx = np.abs(spots[:, None, 0] - obstacles[None, :, 0]) / scale_x
    dy = np.abs(spots[:, None, 1] - obstacles[None, :, 1]) / scale_y
    expected = np.minimum(np.maximum(dx, dy).min(axis=1), cap)
    got = capped_clearance(spots, obstacles, scale_x, scale_y, cap)
    assert np.array_equal(got, expected)
    assert (got < cap).any() and (got == cap).any()  # both kinds of spot are in the sample
    assert np.array_equal(capped_clearance(spots, np.empty((0, 2)), scale_x, scale_y, cap), np.full(len(spots), cap))

"""Event symbols: the web map's size scale, and events sharing a spot fanned out on land with leader lines."""

import numpy as np
import pandas as pd
import pytest
import shapely

import geodata
from dashboard import events_payload
from dashboard.briefing import symbols
from dashboard.briefing.drawing import land_in_view


def test_marker_size_is_the_web_map_radius_in_points():
    deaths = pd.Series([pd.NA, 0, 1, 4, 10, 50, 400], dtype="Int64")
    diam = symbols.marker_diameter(deaths, pd.Series([False] * 7))
    expected = [2 * events_payload.marker_radius(v) * 0.75 for v in [0, 0, 1, 4, 10, 50, 400]]
    assert list(diam) == pytest.approx(expected)
    assert diam[0] == diam[1] == diam.min()  # unknown and zero share the minimum, as on the map
    assert list(diam) == sorted(diam) and diam[5] > diam[4] > diam[3] > diam[2]
    growth = diam - diam[1]
    assert growth[3] / growth[2] == pytest.approx(np.sqrt(4))  # sqrt scale below the cap
    place = symbols.marker_diameter(pd.Series([50], dtype="Int64"), pd.Series([True]))
    assert place[0] == symbols.marker_diameter(pd.Series([pd.NA], dtype="Int64"), pd.Series([True]))[0]


def test_size_key_shows_the_map_key_values_at_the_drawn_sizes():
    key = symbols.size_key()
    assert [label for label, _ in key] == [label for label, _ in events_payload.SIZE_KEY] == ["0–1", "10", "50"]
    drawn = symbols.marker_diameter(pd.Series([0, 10, 50]), pd.Series([False] * 3))
    assert [d for _, d in key] == pytest.approx(list(drawn))


def test_events_at_one_spot_are_fanned_out_around_the_biggest():
    x, y = np.array([62.0, 62.0, 62.0, 63.0]), np.array([27.0, 27.0, 27.0, 27.0])
    diam = np.array([6.0, 20.0, 8.0, 6.0])
    nx, ny = symbols.spread_coincident(x, y, diam, (0.001, 0.001))
    assert (nx[1], ny[1]) == (62.0, 27.0)  # the biggest keeps the true spot
    assert len({(a, b) for a, b in zip(nx[:3], ny[:3])}) == 3
    assert np.hypot(nx[:3] - 62, ny[:3] - 27).max() < 0.05  # a few points on paper, no more
    assert (nx[3], ny[3]) == (63.0, 27.0)


def test_fan_out_skips_the_sea():
    # A coast running north-south at lon 62: land to the west only. Twelve events on the shoreline's edge.
    land = shapely.box(61.0, 26.0, 62.0, 28.0)
    x, y = np.full(12, 61.99), np.full(12, 27.0)
    diam = np.full(12, 8.0)
    deg_per_pt = (0.002, 0.002)
    free_x, free_y = symbols.spread_coincident(x, y, diam, deg_per_pt)
    assert (free_x > 62.0).any()  # without land, the spiral goes out to sea
    nx, ny = symbols.spread_coincident(x, y, diam, deg_per_pt, land)
    moved = (nx != x) | (ny != y)
    assert moved.sum() >= 10
    rim = diam / 2 * deg_per_pt[0]
    assert (nx[moved] + rim[moved] < 62.0).all()  # the whole symbol on land


def test_a_member_with_no_land_within_reach_stays_on_its_true_point():
    land = shapely.box(0, 0, 1, 1)  # nowhere near
    x, y = np.array([62.0, 62.0]), np.array([27.0, 27.0])
    nx, ny = symbols.spread_coincident(x, y, np.array([8.0, 8.0]), (0.001, 0.001), land)
    assert list(nx) == [62.0, 62.0] and list(ny) == [27.0, 27.0]


@pytest.mark.parametrize("box", [(61.6, 24.9, 62.6, 25.6), (59.3, 24.2, 64.9, 30.9)], ids=["gwadar", "region"])
def test_no_shipped_event_is_fanned_into_the_sea(box):
    events = geodata.load_events()
    view = shapely.box(*box)
    land = land_in_view(view)
    deg_per_pt = ((box[2] - box[0]) / (10 * 72), (box[3] - box[1]) / (7 * 72))  # a 10 x 7 in map
    sym = symbols.event_symbols(events, deg_per_pt, land)
    moved = (sym["x"] != sym["true_x"]) | (sym["y"] != sym["true_y"])
    assert moved.sum() > 5  # the data has stacks to fan out
    assert shapely.contains_xy(land, sym["x"][moved], sym["y"][moved]).all()


def test_place_status_is_carried_for_places_only():
    events = geodata.load_events()
    rows = events[events["id"].isin(["crossing-raajay-chagai", "market-gabd"])
                  | (events["event_type"] == "attack")].head(6)
    status = {"crossing-raajay-chagai": "closed", "market-gabd": "open", rows["id"].iloc[-1]: "closed"}
    sym = symbols.event_symbols(rows, (0.001, 0.001), None, status)
    expected = ["" if not p else status.get(i, "") for i, p in zip(rows["id"], sym["is_place"])]
    assert list(sym["status"]) == expected
    assert "closed" in expected


def dashed(collection) -> bool:
    return any(dashes is not None for _, dashes in collection.get_linestyle())


def test_approximate_locations_are_dashed_rings_in_the_type_colour_as_on_the_map():
    from matplotlib.colors import to_rgba
    from matplotlib.figure import Figure

    from dashboard.briefing.drawing import draw_events
    from dashboard.briefing.legend import draw_panel
    from dashboard.briefing.style import STYLE

    events = geodata.load_events()
    attacks = events[events["event_type"] == "attack"]
    rows = pd.concat([attacks[attacks["location_precision"] == "district"].head(1),
                      attacks[attacks["location_precision"] == "exact"].head(1)])
    assert list(rows["location_precision"]) == ["district", "exact"]
    ax = Figure().add_subplot()
    draw_events(ax, symbols.event_symbols(rows, (0.001, 0.001)))
    rings = [c for c in ax.collections if dashed(c)]
    filled = [c for c in ax.collections if not dashed(c)]
    assert len(rings) == 1 and len(filled) == 1
    assert rings[0].get_offsets().tolist() == [[rows["lon"].iloc[0], rows["lat"].iloc[0]]]
    attack = to_rgba(geodata.EventType.ATTACK.colour)
    assert tuple(rings[0].get_edgecolor()[0]) == pytest.approx(attack)  # the ring in the type's colour
    assert tuple(rings[0].get_facecolor()[0]) == pytest.approx((1, 1, 1, 0.35))  # a faint white fill, as the map
    assert tuple(filled[0].get_facecolor()[0]) == pytest.approx(attack)

    # The figure's key shows the same: one dashed ring, for "Approximate".
    pax = Figure().add_subplot()
    draw_panel(pax, rows, STYLE["slide"], (3.9, 6.0))
    keyed = [c for c in pax.collections if dashed(c)]
    assert len(keyed) == 1
    ring_y = keyed[0].get_offsets()[0][1]
    label = min(pax.texts, key=lambda t: abs(t.get_position()[1] - ring_y))
    assert label.get_text().startswith("Approximate")
    assert tuple(keyed[0].get_facecolor()[0])[3] == pytest.approx(0.35)


def test_the_figure_takes_symbol_sizes_from_symbology_not_the_web_transport():
    from pathlib import Path

    from dashboard import briefing, symbology

    sources = " ".join(p.read_text() for p in Path(briefing.__file__).parent.glob("*.py"))
    assert "events_payload" not in sources
    assert symbols.size_key() == [(label, 2 * r * symbols.PT_PER_PX) for label, r in symbology.size_key()]

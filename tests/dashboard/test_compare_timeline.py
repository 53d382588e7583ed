"""Pure parts of the compare, timeline and crossings panels: the link's compare=, the brush, the buckets."""

import datetime as dt

import pandas as pd
import pytest

import geodata
from dashboard import crossings_panel, query_codec, timeline_panel
from dashboard.query_codec import ViewState, decode, encode

D = dt.date


@pytest.mark.parametrize("value", ["prev", "year", "2023-01-01..2023-12-31"])
def test_compare_round_trips_through_the_link(value):
    state, notes = decode({"compare": value, "start": "2024-01-01", "end": "2024-12-31"})
    assert not notes and state.compare == value
    assert encode(state)["compare"] == value
    assert decode(encode(state))[0] == state


@pytest.mark.parametrize("value", ["lastyear", "2023-12-31..2023-01-01", "2023-01-01", "2023-13-01..2023-12-01"])
def test_a_bad_compare_is_dropped_with_a_notice(value):
    state, notes = decode({"compare": value})
    assert state.compare is None and len(notes) == 1 and "compare" in notes[0]
    assert "compare" not in encode(state)


def test_no_compare_leaves_the_link_alone():
    assert "compare" not in encode(ViewState())
    assert query_codec.decode({})[0].compare is None


MS = lambda day: int(pd.Timestamp(day, tz="UTC").timestamp() * 1000)  # noqa: E731


@pytest.mark.parametrize("unit, ends, window", [
    ("month", ("2024-02-10", "2024-07-01"), (D(2024, 2, 1), D(2024, 7, 31))),
    ("month", ("2024-07-01", "2024-02-10"), (D(2024, 2, 1), D(2024, 7, 31))),  # dragged right to left
    ("year", ("2023-06-01", "2024-01-05"), (D(2023, 1, 1), D(2024, 12, 31))),
    ("quarter", ("2024-05-01", "2024-05-02"), (D(2024, 4, 1), D(2024, 6, 30))),
    ("week", ("2024-05-01", "2024-05-08"), (D(2024, 4, 29), D(2024, 5, 12))),  # Monday to Sunday
])
def test_brush_widens_to_whole_bars(unit, ends, window):
    selection = {"selection": {"brush": {"start": [MS(ends[0]), MS(ends[1])]}}}
    assert timeline_panel.brushed_window(selection, unit) == window
    iso = {"selection": {"brush": {"start": list(ends)}}}
    assert timeline_panel.brushed_window(iso, unit) == window


@pytest.mark.parametrize("selection", [None, {}, {"selection": {}}, {"selection": {"brush": {}}},
                                       {"selection": {"brush": {"start": [1]}}},
                                       {"selection": {"brush": {"start": ["x", "y"]}}}])
def test_no_brush_no_window(selection):
    assert timeline_panel.brushed_window(selection, "month") is None


def test_buckets_count_every_dated_incident_once_per_unit():
    events = geodata.load_events()
    incidents = events[~events["event_type"].isin(["border_crossing", "border_market"]) & events["date"].notna()]
    for unit in timeline_panel.UNITS:
        frame = timeline_panel.buckets(events, unit)
        assert frame["events"].sum() == len(incidents)
        assert (pd.to_datetime(frame["start"]) <= pd.to_datetime(frame["end"])).all()
    years = timeline_panel.buckets(events, "year")
    in_2024 = incidents[incidents["date"].dt.year == 2024]
    assert years.loc[years["start"] == "2024-01-01", "events"].sum() == len(in_2024)


def test_crossings_counts_in_words():
    events, periods = geodata.load_events(), geodata.load_place_status()
    day = geodata.status_day(D(2025, 6, 20), D(2026, 12, 1), D(2026, 3, 9))
    table = geodata.places_on(events, periods, day.day)
    assert crossings_panel.counts_words(table, day) == (
        "On 20 Jun 2025: 1 closed, 1 restricted, 0 open; 8 with no status recorded that day.")
    shown = crossings_panel.table_frame(table, events, day.day)
    assert shown.loc[shown["Place"] == "Kohak–Chedgi", "Status on 20 Jun 2025"].item() == "No record"
    early = crossings_panel.table_frame(geodata.places_on(events, periods, D(2024, 6, 1)), events, D(2024, 6, 1))
    assert early.loc[early["Place"] == "Kohak–Chedgi", "Status on 1 Jun 2024"].item() == "Not open yet"


def test_comparison_figure_is_two_panels_with_the_numbers_in_the_subtitle():
    from dashboard import compare_panel
    from geodata import EventFilter
    from geodata.compare import compare_periods, period_a

    events = geodata.load_events()
    flt = EventFilter(start=D(2024, 1, 1), end=D(2024, 12, 31), event_types=("attack", "clash"))
    cmp = compare_periods(events, flt, period_a("year", (flt.start, flt.end)))
    svg = compare_panel.figure(events, flt, cmp, title="Compared", fmt="svg").decode()
    a, b = int(cmp.total("events_a")), int(cmp.total("events_b"))  # attacks and clashes only: no places to add
    assert f"A: 1 Jan 2023 – 31 Dec 2023 · {a} events" in svg and f"B: 1 Jan 2024 – 31 Dec 2024 · {b} events" in svg
    assert f"Period B 1 Jan 2024 – 31 Dec 2024: {b} incidents" in svg


def test_rows_of_a_file_switched_off_count_in_neither_period():
    """A hidden upload's rows leave the comparison as they leave the page; the masks still index the map's rows."""
    import numpy as np

    from dashboard import compare_panel

    events = geodata.load_events()
    flt = geodata.EventFilter(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
    full, _ = compare_panel.compute(None, events, flt, "year", from_store=False)
    hidden = (events["date"].dt.year.isin([2023, 2024]) & (events["event_type"] == "attack")).to_numpy()
    assert hidden.any()
    part, _ = compare_panel.compute(None, events, flt, "year", from_store=False, hidden=hidden)
    assert len(part.a_mask) == len(part.b_mask) == len(events)
    assert not (part.a_mask & hidden).any() and not (part.b_mask & hidden).any()
    assert np.array_equal(part.a_mask, full.a_mask & ~hidden) and np.array_equal(part.b_mask, full.b_mask & ~hidden)
    assert part.total("events_b") == full.total("events_b") - int((full.b_mask & hidden).sum())

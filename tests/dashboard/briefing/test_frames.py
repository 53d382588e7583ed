"""Playback frames and small multiples: the steps of a period, the PNGs written, and the counts they show."""

from __future__ import annotations

import csv
import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

import geodata
from dashboard.briefing import frames
from geodata import EventFilter
from tests.dashboard.briefing.cli_runner import run_main

D = dt.date




@pytest.fixture(scope="module")
def events():
    return geodata.load_events()


# ----------------------------------------------------------------------------- steps


def test_month_steps_are_calendar_months_clipped_to_the_period():
    cumulative = frames.frame_steps(D(2024, 1, 15), D(2024, 4, 10), "month")
    assert [(s.start, s.end) for s in cumulative] == [
        (D(2024, 1, 15), D(2024, 1, 31)), (D(2024, 1, 15), D(2024, 2, 29)), (D(2024, 1, 15), D(2024, 3, 31)),
        (D(2024, 1, 15), D(2024, 4, 10))]
    sliding = frames.frame_steps(D(2024, 1, 15), D(2024, 4, 10), "month", sliding=True)
    assert [(s.start, s.end) for s in sliding] == [
        (D(2024, 1, 15), D(2024, 1, 31)), (D(2024, 2, 1), D(2024, 2, 29)), (D(2024, 3, 1), D(2024, 3, 31)),
        (D(2024, 4, 1), D(2024, 4, 10))]
    assert [s.label for s in sliding] == [s.label for s in cumulative]
    assert sliding[1].label == "1 Feb 2024 – 29 Feb 2024"


def test_week_steps_run_monday_to_sunday():
    steps = frames.frame_steps(D(2024, 1, 3), D(2024, 1, 20), "week", sliding=True)  # a Wednesday to a Saturday
    assert [(s.start, s.end) for s in steps] == [
        (D(2024, 1, 3), D(2024, 1, 7)), (D(2024, 1, 8), D(2024, 1, 14)), (D(2024, 1, 15), D(2024, 1, 20))]
    one_day = frames.frame_steps(D(2024, 1, 3), D(2024, 1, 3), "week")
    assert [(s.start, s.end, s.label) for s in one_day] == [(D(2024, 1, 3), D(2024, 1, 3), "3 Jan 2024")]


@settings(max_examples=60, deadline=None)
@given(st.dates(D(2018, 1, 1), D(2027, 1, 1)), st.integers(0, 800), st.sampled_from(frames.UNITS))
def test_sliding_steps_tile_the_period(start, days, unit):
    end = start + dt.timedelta(days=days)
    steps = frames.frame_steps(start, end, unit, sliding=True)
    assert steps[0].start == start and steps[-1].end == end
    for a, b in zip(steps, steps[1:]):
        assert b.start == a.end + dt.timedelta(days=1)  # no gap, no overlap
    for s in steps:
        if unit == "week":
            assert s.start.isocalendar()[:2] == s.end.isocalendar()[:2]
        else:
            assert (s.start.year, s.start.month) == (s.end.year, s.end.month)
    cumulative = frames.frame_steps(start, end, unit)
    assert [s.end for s in cumulative] == [s.end for s in steps] and {s.start for s in cumulative} == {start}


@pytest.mark.parametrize("start, end, n", [(D(2024, 1, 1), D(2024, 12, 31), 4), (D(2024, 1, 1), D(2024, 1, 7), 7),
                                           (D(2020, 3, 1), D(2026, 2, 28), 12), (D(2024, 1, 1), D(2024, 1, 10), 3)])
def test_grid_steps_cut_the_period_into_equal_spans(start, end, n):
    steps = frames.grid_steps(start, end, n)
    assert len(steps) == n and steps[0].start == start and steps[-1].end == end
    for a, b in zip(steps, steps[1:]):
        assert b.start == a.end + dt.timedelta(days=1)
    lengths = [(s.end - s.start).days + 1 for s in steps]
    assert max(lengths) - min(lengths) <= 1


def test_grid_needs_a_day_per_panel():
    with pytest.raises(ValueError, match="n must be between 1 and the 3 days"):
        frames.grid_steps(D(2024, 1, 1), D(2024, 1, 3), 4)


def test_an_open_filter_takes_its_period_from_the_rows_it_shows(events):
    attacks = EventFilter(event_types=["attack"])
    shown = geodata.filter_events(events, attacks)
    start, end = frames.filtered_period(events, attacks)
    assert start == shown["period_start"].min().date() and end == shown["period_end"].max().date()
    assert frames.filtered_period(events, EventFilter(start=D(2020, 1, 1), end=D(2020, 2, 1))) == (
        D(2020, 1, 1), D(2020, 2, 1))
    assert frames.filtered_period(events, EventFilter(text="no-such-words-anywhere")) is None


# ----------------------------------------------------------------------------- command line


def read_index(folder):
    with open(folder / "frames.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("sliding", [False, True], ids=["cumulative", "sliding"])
def test_frames_are_written_one_png_per_month_with_the_filter_counts(events, tmp_path, sliding):
    out = tmp_path / "frames"
    args = ["--start", "2025-04-01", "--end", "2025-07-15", "--types", "attack,clash,unrest", "--frames", "month",
            "--dpi", "20", "--out", str(out)] + (["--sliding"] if sliding else [])
    code, stdout, stderr = run_main(args)
    assert code == 0, stderr
    pngs = sorted(out.glob("frame-*.png"))
    assert [p.name for p in pngs] == ["frame-001.png", "frame-002.png", "frame-003.png", "frame-004.png"]
    for path in pngs:
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size == (320, 180)  # 16 x 9 in at 20 dpi
    index = read_index(out)
    assert [row["file"] for row in index] == [p.name for p in pngs]
    base = EventFilter(event_types=["attack", "clash", "unrest"])
    firsts = [D(2025, 4, 1), D(2025, 5, 1), D(2025, 6, 1), D(2025, 7, 1)]
    lasts = [D(2025, 4, 30), D(2025, 5, 31), D(2025, 6, 30), D(2025, 7, 15)]
    for row, first, last in zip(index, firsts, lasts):
        start = first if sliding else D(2025, 4, 1)
        assert (row["start"], row["end"]) == (start.isoformat(), last.isoformat())
        narrowed = EventFilter(start=start, end=last, event_types=base.event_types)
        assert int(row["events"]) == len(geodata.filter_events(events, narrowed))
        assert f"{row['file']}  {row['start']} to {row['end']}  {row['events']} events" in stdout
    counts = [int(row["events"]) for row in index]
    if not sliding:
        assert counts == sorted(counts)  # cumulative frames only ever add
    assert sum(counts) > 0
    assert stdout.strip().endswith(f"wrote 4 frames to {out} (month, {'sliding' if sliding else 'cumulative'}, slide)")


def test_frames_differ_as_events_appear(tmp_path):
    out = tmp_path / "weeks"
    code, _, stderr = run_main(["--start", "2024-01-15", "--end", "2024-02-04", "--frames", "week", "--sliding",
                                "--dpi", "20", "--out", str(out)])
    assert code == 0, stderr
    index = read_index(out)
    assert len(index) == 3
    payloads = [(out / row["file"]).read_bytes() for row in index]
    # Frames with different counts must be different pictures (the subtitle dates differ in any case).
    assert len(set(payloads)) == 3


def test_frames_never_overwrite_an_earlier_playback(tmp_path):
    out = tmp_path / "frames"
    out.mkdir()
    (out / "frame-001.png").write_bytes(b"an earlier frame")
    code, stdout, stderr = run_main(["--frames", "month", "--start", "2024-01-01", "--end", "2024-02-01",
                                     "--out", str(out)])
    assert code == 2 and stdout == ""
    assert "already holds frames" in stderr and len(stderr.strip().splitlines()) == 1
    assert (out / "frame-001.png").read_bytes() == b"an earlier frame"


@pytest.mark.parametrize("args, words", [
    (["--sliding", "--format", "png"], "--sliding goes with --frames"),
    (["--frames", "week", "--text", "no-such-words-anywhere"], "no dated events match these filters"),
    (["--frames", "week", "--start", "2010-01-01", "--end", "2019-01-01"], "at most 420"),
    (["--grid", "5", "--start", "2024-01-01", "--end", "2024-01-03", "--format", "png"], "fewer days than panels"),
])
def test_bad_playback_arguments_exit_2_in_one_line(tmp_path, args, words):
    out = tmp_path / "out"
    code, stdout, stderr = run_main([*args, "--out", str(out)])
    assert code == 2 and stdout == ""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], stderr
    assert not out.exists()


def test_grid_draws_one_titled_panel_per_period_with_its_count(events, tmp_path):
    out = tmp_path / "grid.svg"
    code, stdout, stderr = run_main(["--grid", "4", "--start", "2024-01-01", "--end", "2025-12-31",
                                     "--types", "attack", "--format", "svg", "--out", str(out)])
    assert code == 0, stderr
    texts = ["".join(n.itertext()) for n in ET.parse(out).getroot().iter() if n.tag.endswith("}text")]
    titles = [t for t in texts if " · " in t and t.endswith(("event", "events"))]
    steps = frames.grid_steps(D(2024, 1, 1), D(2025, 12, 31), 4)
    expected = []
    for step in steps:
        n = len(geodata.filter_events(events, EventFilter(start=step.start, end=step.end, event_types=["attack"])))
        expected.append(f"{step.label} · {n} event{'' if n == 1 else 's'}")
    assert titles == expected
    assert "Attacks, 1 Jan 2024 – 31 Dec 2025" in texts
    assert "4 panels" in stdout


def test_grid_png_has_the_page_size(tmp_path):
    out = tmp_path / "grid.png"
    code, _, stderr = run_main(["--grid", "3", "--start", "2024-01-01", "--end", "2024-12-31", "--size", "a4",
                                "--dpi", "30", "--format", "png", "--out", str(out)])
    assert code == 0, stderr
    with Image.open(out) as image:
        assert image.size == (350, 248)  # A4 landscape (11.69 x 8.27 in) at 30 dpi, cut to whole pixels


def test_grid_panels_mark_place_status_on_their_own_end_date(tmp_path):
    status = geodata.load_place_status()
    steps = frames.grid_steps(D(2025, 5, 17), D(2025, 7, 15), 2)
    states = {state for step in steps for state in geodata.status_on(status, step.end).values()}
    assert {"closed", "restricted"} <= states  # June 2025 closures in the shipped periods
    out = tmp_path / "grid.svg"
    code, _, stderr = run_main(["--grid", "2", "--start", "2025-05-17", "--end", "2025-07-15", "--types",
                                "border_crossing", "--format", "svg", "--out", str(out)])
    assert code == 0, stderr
    texts = ["".join(n.itertext()) for n in ET.parse(out).getroot().iter() if n.tag.endswith("}text")]
    assert "Place status at each panel's end" in texts
    assert {s.capitalize() for s in states} <= set(texts)
    quiet = tmp_path / "quiet.svg"
    code, _, stderr = run_main(["--grid", "2", "--start", "2019-01-01", "--end", "2019-06-30", "--types",
                                "border_crossing", "--format", "svg", "--out", str(quiet)])
    assert code == 0, stderr
    assert "Place status at each panel's end" not in ET.parse(quiet).getroot().itertext()

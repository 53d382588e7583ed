"""The static briefing figure: words for the filter, every format and size, text kept as text, the CLI."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

import geodata
from dashboard import briefing
from dashboard.briefing import render_briefing
from geodata import EventFilter

ROOT = Path(__file__).resolve().parents[2]
GENERATED = dt.datetime(2025, 1, 2, 3, 4, tzinfo=dt.timezone.utc)
WINDOW = EventFilter(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31))
LOW_DPI = 30  # where pixel size is not under test


@pytest.fixture(scope="module")
def events():
    return geodata.load_events()


@pytest.fixture(autouse=True)
def _no_handling_env(monkeypatch):
    monkeypatch.delenv(briefing.HANDLING_ENV, raising=False)


def svg_texts(payload: bytes) -> list[str]:
    root = ET.fromstring(payload)
    return ["".join(node.itertext()) for node in root.iter() if node.tag.endswith("}text")]


# ----------------------------------------------------------------------------- words


def test_the_figure_uses_the_filter_words_of_geodata():
    # One wording for page, figure and CLI: the table of phrasings is in tests/geodata/test_filter_words.py.
    assert briefing.describe_filter is geodata.describe_filter


# ----------------------------------------------------------------------------- pure helpers


def test_scale_uses_the_length_of_a_degree_at_the_latitude():
    assert briefing._km_per_degree_lon(0) == pytest.approx(111.32, abs=0.01)
    assert briefing._km_per_degree_lon(27) == pytest.approx(99.2, abs=0.2)
    assert briefing._km_per_degree_lon(60) == pytest.approx(55.8, abs=0.1)
    assert briefing._nice_length(180) == 150
    assert briefing._nice_length(99) == 50


def test_marker_size_grows_with_fatalities_on_a_sqrt_scale():
    deaths = pd.Series([pd.NA, 0, 1, 4, 100], dtype="Int64")
    diam = briefing._marker_diameter(deaths, pd.Series([False] * 5))
    assert diam[0] == diam[1] == diam.min()  # unknown and zero share the minimum
    assert list(diam) == sorted(diam) and diam[4] > diam[3] > diam[2]
    growth = diam - diam[0]
    assert growth[4] / growth[3] == pytest.approx(np.sqrt(100 / 4))
    place = briefing._marker_diameter(pd.Series([50], dtype="Int64"), pd.Series([True]))
    assert place[0] == briefing._marker_diameter(pd.Series([pd.NA], dtype="Int64"), pd.Series([True]))[0]


def test_events_at_one_spot_are_fanned_out_around_the_biggest():
    x, y = np.array([62.0, 62.0, 62.0, 63.0]), np.array([27.0, 27.0, 27.0, 27.0])
    diam = np.array([6.0, 20.0, 8.0, 6.0])
    nx, ny = briefing._spread_coincident(x, y, diam, (0.001, 0.001))
    assert (nx[1], ny[1]) == (62.0, 27.0)  # the biggest keeps the true spot
    assert len({(a, b) for a, b in zip(nx[:3], ny[:3])}) == 3
    assert np.hypot(nx[:3] - 62, ny[:3] - 27).max() < 0.05  # a few points on paper, no more
    assert (nx[3], ny[3]) == (63.0, 27.0)


def test_extent_fits_the_frame_with_the_latitude_correction():
    x0, y0, x1, y1 = briefing._fit_to_box((60, 25, 64, 29), 10, 5)
    ground_w = (x1 - x0) * np.cos(np.radians((y0 + y1) / 2))
    assert ground_w / (y1 - y0) == pytest.approx(2.0)
    assert (x0 + x1) / 2 == pytest.approx(62) and (y0 + y1) / 2 == pytest.approx(27)
    assert x0 <= 60 and x1 >= 64 and y0 <= 25 and y1 >= 29  # only ever grows


def test_single_event_gets_context(events):
    one = events[events["id"] == "2025-11-30-nokkundi-fc-headquarters-attack"]
    x0, y0, x1, y1 = briefing._events_extent(one)
    assert x1 - x0 >= 3 and y1 - y0 >= 3


# ----------------------------------------------------------------------------- rendering


@pytest.mark.parametrize("size", ["slide", "a4"])
@pytest.mark.parametrize("fmt", ["png", "pdf", "svg"])
def test_every_format_and_size_renders(events, fmt, size):
    payload = render_briefing(events, WINDOW, fmt=fmt, size=size, dpi=LOW_DPI, generated=GENERATED)
    magic = {"png": b"\x89PNG", "pdf": b"%PDF", "svg": b"<?xml"}[fmt]
    assert payload.startswith(magic)
    if fmt == "pdf":
        pages = PdfReader(io.BytesIO(payload)).pages
        assert len(pages) == 1
        box = pages[0].mediabox
        expected = (1152, 648) if size == "slide" else (841.89, 595.28)  # 16x9 in; A4 landscape
        assert (float(box.width), float(box.height)) == pytest.approx(expected, abs=0.5)
        assert "Pakistan–Iran border region" in pages[0].extract_text()


@pytest.mark.parametrize("size, pixels", [("slide", (1920, 1080)), ("a4", (1753, 1240))])
def test_png_has_the_requested_pixel_size(events, size, pixels):
    payload = render_briefing(events, EventFilter(event_types=["cross_border_strike"]), size=size)
    image = Image.open(io.BytesIO(payload))
    assert image.size == pixels
    assert image.size[0] >= 1600


def test_svg_keeps_title_legend_scale_and_attribution_as_text(events):
    payload = render_briefing(events, WINDOW, fmt="svg", title="Weekly brief", generated=GENERATED)
    texts = svg_texts(payload)
    shown = geodata.filter_events(events, WINDOW)
    assert "Weekly brief" in texts
    assert "All event types, 1 Jan 2023 – 31 Dec 2024" in texts
    counts = shown["event_type"].value_counts()
    for value, n in counts.items():
        assert f"{geodata.EventType(value).label} ({n})" in texts
    absent = {t.label for t in geodata.EventType} - {geodata.EventType(v).label for v in counts.index}
    assert not [t for t in texts if any(t.startswith(label + " (") for label in absent)]
    assert any(re.fullmatch(r"\d+ km", t) for t in texts)
    assert "N" in texts
    sources = shown["source_url"].nunique()
    assert f"Boundaries: Natural Earth (public domain); border © OpenStreetMap contributors (ODbL). {len(shown)} events from {sources} sources." in texts
    newest = shown["date"].max()
    assert f"Data as of {briefing.format_day(newest)} · generated 2025-01-02 03:04 UTC" in texts
    assert "Data as of 13 Dec 2024 · generated 2025-01-02 03:04 UTC" in texts  # the curated data, spelled out
    assert {"Balochistan", "Sistan and Baluchestan", "Zahedan", "Gwadar"} <= set(texts)
    assert "Approximate: district or province" in texts


def test_default_title_and_handling_lines(events, monkeypatch):
    texts = svg_texts(render_briefing(events, WINDOW, fmt="svg", handling="UNCLASSIFIED"))
    assert briefing.DEFAULT_TITLE in texts
    assert texts.count("UNCLASSIFIED") == 2  # top and bottom
    monkeypatch.setenv(briefing.HANDLING_ENV, "OFFICIAL")
    assert svg_texts(render_briefing(events, WINDOW, fmt="svg")).count("OFFICIAL") == 2
    assert "OFFICIAL" not in svg_texts(render_briefing(events, WINDOW, fmt="svg", handling=""))


def test_different_filters_give_different_figures(events):
    kwargs = dict(fmt="png", dpi=LOW_DPI, generated=GENERATED)
    attacks = render_briefing(events, EventFilter(event_types=["attack"]), **kwargs)
    unrest = render_briefing(events, EventFilter(event_types=["unrest"]), **kwargs)
    assert attacks != unrest
    assert render_briefing(events, EventFilter(event_types=["attack"]), **kwargs) == attacks  # deterministic
    near = svg_texts(render_briefing(events, EventFilter(max_distance_km=20), fmt="svg", generated=GENERATED))
    assert "All event types, all dates, within 20 km of the border" in near
    assert "All event types, all dates" not in near


def test_no_events_still_draws_the_region_with_a_note(events):
    texts = svg_texts(render_briefing(events, EventFilter(text="no-such-words-anywhere"), fmt="svg",
                                      generated=GENERATED))
    assert "No events match these filters" in texts
    assert "Boundaries: Natural Earth (public domain); border © OpenStreetMap contributors (ODbL). 0 events from 0 sources." in texts
    assert "Pakistan–Iran border" in texts and "Event type" not in texts
    assert "Balochistan" in texts


def test_view_extent_is_honoured(events):
    # A box around Gwadar only: Zahedan is outside, so not labelled; Gwadar is.
    texts = svg_texts(render_briefing(events, EventFilter(), fmt="svg", extent=(61.5, 24.6, 63.2, 25.8)))
    assert "Gwadar" in texts and "Zahedan" not in texts


def test_data_text_is_not_mathtext(events):
    texts = svg_texts(render_briefing(events, EventFilter(text="$x$"), fmt="svg", title="Cost $5 – $10"))
    assert "Cost $5 – $10" in texts


@pytest.mark.parametrize(
    "kwargs, word",
    [
        (dict(size="a3"), "size"),
        (dict(fmt="jpg"), "fmt"),
        (dict(extent="view"), "extent"),
        (dict(extent=(64, 25, 60, 29)), "extent"),
        (dict(extent=(60, 25, 64)), "extent"),
        (dict(dpi=0), "dpi"),
    ],
)
def test_bad_arguments_name_themselves(events, kwargs, word):
    with pytest.raises(ValueError, match=word):
        render_briefing(events, EventFilter(), **kwargs)


def test_briefing_and_exports_never_import_the_ui():
    code = (
        "import sys, dashboard.briefing, dashboard.exports; "
        "bad = [m for m in ('streamlit', 'folium') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_pyplot_figures_are_left_behind(events):
    render_briefing(events, EventFilter(event_types=["clash"]), dpi=LOW_DPI)
    if "matplotlib.pyplot" in sys.modules:
        assert sys.modules["matplotlib.pyplot"].get_fignums() == []


# ----------------------------------------------------------------------------- command line


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "dashboard.briefing", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_cli_writes_the_figure(tmp_path):
    out = tmp_path / "brief.png"
    done = run_cli("--start", "2023-01-01", "--end", "2024-12-31", "--types", "attack,clash", "--dpi", "40",
                   "--format", "png", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert Image.open(out).size == (640, 360)
    assert "brief.png" in done.stdout


BAD_CLI = {
    "bad date": (["--start", "2023-13-01"], "'2023-13-01' is not a date"),
    "unknown type": (["--types", "attack,riot"], "unknown event type 'riot'"),
    "unknown province": (["--provinces", "PK-BA,PK-XX"], "unknown province 'PK-XX'"),
    "negative distance": (["--max-distance-km", "-5"], "must be a number >= 0"),
    "start after end": (["--start", "2024-02-01", "--end", "2024-01-01"],
                        "--start 2024-02-01 is after --end 2024-01-01"),
    "extent of three numbers": (["--extent", "60,25,64"], "is not 'events' or MINLON,MINLAT,MAXLON,MAXLAT"),
    "extent upside down": (["--extent", "64,25,60,29"], "is not 'events' or MINLON,MINLAT,MAXLON,MAXLAT"),
    "unknown size": (["--size", "a3"], "invalid choice: 'a3'"),
    "out in a missing directory": (["--out", "/nonexistent-dir/brief.png"], "does not exist"),
    "out is a directory": (["--out", "."], "is a directory"),
}


@pytest.fixture(scope="module")
def bad_cli_runs(tmp_path_factory):
    """Every bad command line, started at once (each is a fresh interpreter) and collected."""
    tmp = tmp_path_factory.mktemp("cli")
    running = {}
    for case, (args, _) in BAD_CLI.items():
        options = {"--format": "png", "--out": str(tmp / "x.png")}
        options.update(zip(args[::2], args[1::2]))
        argv = [item for pair in options.items() for item in pair]
        running[case] = subprocess.Popen([sys.executable, "-m", "dashboard.briefing", *argv], cwd=ROOT,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    running["no format"] = subprocess.Popen([sys.executable, "-m", "dashboard.briefing", "--out", "x.png"],
                                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    results = {}
    for case, proc in running.items():
        _, err = proc.communicate(timeout=120)
        results[case] = (proc.returncode, err)
    return tmp, results


@pytest.mark.parametrize("case", list(BAD_CLI))
def test_cli_rejects_bad_arguments_in_one_line(bad_cli_runs, case):
    tmp, results = bad_cli_runs
    code, stderr = results[case]
    assert code == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and BAD_CLI[case][1] in lines[0], stderr
    assert not (tmp / "x.png").exists()


def test_cli_requires_format(bad_cli_runs):
    code, stderr = bad_cli_runs[1]["no format"]
    assert code == 2 and "--format" in stderr and len(stderr.strip().splitlines()) == 1

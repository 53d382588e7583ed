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

ROOT = Path(__file__).resolve().parents[3]
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


@pytest.fixture(scope="module")
def window_texts(events):
    """The texts of the one SVG several tests read: WINDOW, the default title, GENERATED (drawn once)."""
    with pytest.MonkeyPatch.context() as patch:  # runs before the function-scoped _no_handling_env
        patch.delenv(briefing.HANDLING_ENV, raising=False)
        return svg_texts(render_briefing(events, WINDOW, fmt="svg", generated=GENERATED))


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
    assert f"Boundaries: Natural Earth (public domain); border © OpenStreetMap contributors (ODbL); towns: GeoNames (CC BY 4.0). {len(shown)} events from {sources} sources." in texts
    facts = geodata.data_as_of(events)
    # The page's trust line, word for word (geodata.DataAsOf.text), then when the figure was made.
    assert f"{facts.text()} · generated 2025-01-02 03:04 UTC" in texts
    assert geodata.format_day(facts.as_of) in facts.text()
    assert {"Balochistan", "Sistan and Baluchestan", "Zahedan", "Gwadar"} <= set(texts)
    assert "Approximate: district or province" in texts


def footer(texts):
    return next(t for t in texts if " · generated " in t)


def test_as_of_is_the_newest_curated_row_whatever_is_shown(events, window_texts):
    facts = geodata.data_as_of(events)
    assert facts.as_of is not None
    lines = {footer(window_texts)} | {footer(svg_texts(render_briefing(events, flt, fmt="svg", generated=GENERATED)))
                                      for flt in (EventFilter(end=dt.date(2019, 12, 31)),
                                                  EventFilter(text="no-such-words"))}
    assert lines == {f"{facts.text()} · generated 2025-01-02 03:04 UTC"}
    newest_shown = geodata.filter_events(events, WINDOW)["date"].max()
    assert newest_shown.date() < facts.as_of  # so the test tells the two rules apart
    # An analyst's rows (not curated) never move the line.
    later = events.iloc[:1].copy()
    later["id"], later["date"], later["dataset"] = "upload-1", pd.Timestamp("2030-01-01"), "mine.csv"
    both = pd.concat([events.assign(dataset="curated"), later], ignore_index=True)
    assert footer(svg_texts(render_briefing(both, WINDOW, fmt="svg", generated=GENERATED))) in lines


def test_size_key_has_the_map_values(window_texts):
    texts = window_texts
    assert {"10", "50"} <= set(texts) and any(t.startswith("0–1") for t in texts)
    assert not {"5", "25", "100"} & set(texts)  # the old figure-only key


def test_places_show_their_status_on_the_filter_end_date(events):
    status = geodata.load_place_status()
    day = dt.date(2025, 6, 30)
    on_day = geodata.status_on(status, day)
    flt = EventFilter(start=dt.date(2025, 6, 1), end=day, event_types=["border_crossing", "border_market"])
    shown = geodata.filter_events(events, flt)
    closed = [i for i in shown["id"] if on_day.get(i) == "closed"]
    assert closed  # Raajay was closed on that day in the shipped periods
    texts = svg_texts(render_briefing(events, flt, fmt="svg", generated=GENERATED, place_status=status))
    assert "Place status on 30 Jun 2025" in texts
    assert f"Closed ({len(closed)})" in texts
    unmarked = sum(1 for i in shown["id"] if i not in on_day)
    assert any(t.startswith(f"{unmarked} places without a mark") for t in texts)
    # A day with nothing recorded: no status entries, every place unmarked.
    quiet = EventFilter(end=dt.date(2019, 6, 1), event_types=["border_crossing"])
    texts = svg_texts(render_briefing(events, quiet, fmt="svg", generated=GENERATED, place_status=status))
    assert "Place status on 1 Jun 2019" in texts and not [t for t in texts if t.startswith("Closed (")]


def test_place_status_is_never_claimed_for_a_day_after_the_data(events):
    facts = geodata.data_as_of(events)
    status = geodata.load_place_status()
    later = facts.as_of + dt.timedelta(days=273)  # the filter (or today) nine months past the data
    flt = EventFilter(start=dt.date(2025, 1, 1), end=later, event_types=["border_crossing", "border_market"])
    texts = svg_texts(render_briefing(events, flt, fmt="svg", generated=GENERATED, place_status=status))
    as_of = geodata.format_day(facts.as_of)
    assert f"Place status on {geodata.format_day(later)}" not in texts
    assert f"Place status on {as_of}" in texts
    page_words = " ".join(texts).replace("\u00a0", " ")  # a wrapped note is one SVG text per line
    assert (f"{as_of} is the data's as-of date: nothing is recorded after it, so no status is claimed for "
            f"{geodata.format_day(later)}.") in page_words
    # The marks are those recorded on the as-of date (counted from the shipped periods, whatever they hold then).
    shown = geodata.filter_events(events, flt)
    on_as_of = geodata.status_on(status, facts.as_of)
    counts = {state: sum(on_as_of.get(i) == state for i in shown["id"]) for state in ("open", "closed", "restricted")}
    assert sum(counts.values())
    for state, count in counts.items():
        assert (f"{state.capitalize()} ({count})" in texts) == bool(count), state
    # A team store's page passes its own facts: the cap follows them.
    earlier = geodata.DataAsOf(as_of=dt.date(2025, 6, 30), events=1, sources=1)
    texts = svg_texts(render_briefing(events, flt, fmt="svg", generated=GENERATED, place_status=status,
                                      as_of=earlier))
    assert "Place status on 30 Jun 2025" in texts and "Closed (1)" in texts  # Raajay, shut from 16 Jun 2025


def test_status_marks_change_the_drawing(events):
    flt = EventFilter(start=dt.date(2025, 6, 1), end=dt.date(2025, 6, 30), event_types=["border_crossing"])
    kwargs = dict(fmt="png", dpi=LOW_DPI, generated=GENERATED)
    status = geodata.load_place_status()
    marked = render_briefing(events, flt, place_status=status, **kwargs)
    unmarked = render_briefing(events, flt, place_status=status.iloc[:0], **kwargs)
    assert marked != unmarked


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
    assert "Boundaries: Natural Earth (public domain); border © OpenStreetMap contributors (ODbL); towns: GeoNames (CC BY 4.0). 0 events from 0 sources." in texts
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


# ----------------------------------------------------------------------------- a zoomed view


def inside_box(events, box, pad=0.0):
    """The events whose own lon/lat lie in ``box`` (grown by ``pad`` degrees), counted from the columns."""
    x0, y0, x1, y1 = box
    return events[events["lon"].between(x0 - pad, x1 + pad) & events["lat"].between(y0 - pad, y1 + pad)]


def is_place(frame):
    return frame["event_type"].map(lambda v: geodata.EventType(v).is_place)


def test_a_zoomed_view_counts_only_the_events_inside_it(events):
    box = (62.6, 25.8, 63.6, 26.2)  # Turbat and around: a map view a briefer zoomed to
    inside = inside_box(events, box)
    # Nothing within 0.6 degrees outside the box either, so the frame grown to the page's aspect holds the same.
    assert len(inside_box(events, box, pad=0.6)) == len(inside)
    assert 10 < len(inside) < len(events) / 2
    texts = svg_texts(render_briefing(events, EventFilter(), fmt="svg", extent=box, generated=GENERATED))
    places, all_places = int(is_place(inside).sum()), int(is_place(events).sum())
    assert all_places and places < all_places
    words = (f"{len(inside) - places} of {len(events) - all_places} incidents and {places} of {all_places} places "
             "are inside this view")
    assert [t for t in texts if t.startswith(words)], [t for t in texts if "incident" in t]
    deaths = int(pd.to_numeric(inside["fatalities"], errors="coerce").sum())
    assert any(t.startswith(f"{words} · {deaths} fatalities") for t in texts)
    assert not [t for t in texts if "shown" in t and "incidents" in t]  # the old full-set claim
    # The key counts the same events, type by type, and says so.
    assert "Event type, inside this view" in texts
    counts = inside["event_type"].value_counts()
    for value, n in counts.items():
        assert f"{geodata.EventType(value).label} ({n})" in texts
    absent = {t.label for t in geodata.EventType} - {geodata.EventType(v).label for v in counts.index}
    assert not [t for t in texts if any(t.startswith(label + " (") for label in absent)]
    sources = inside["source_url"].nunique()
    assert any(t.endswith(f"{len(inside)} events from {sources} sources.") for t in texts)


def test_the_whole_filtered_set_in_frame_is_not_called_a_cut(events, window_texts):
    texts = window_texts
    shown = geodata.filter_events(events, WINDOW)
    places = int(is_place(shown).sum())
    assert any(t.startswith(f"{len(shown) - places} incidents and {places} places shown") for t in texts)
    assert "Event type" in texts and not [t for t in texts if "inside this view" in t]


def test_a_view_with_none_of_the_filtered_events_says_so(events):
    far = (58.0, 22.0, 59.0, 23.0)  # in Oman, a degree and more from every event
    assert inside_box(events, far, pad=1.0).empty
    texts = svg_texts(render_briefing(events, WINDOW, fmt="svg", extent=far, generated=GENERATED))
    n = len(geodata.filter_events(events, WINDOW))
    assert f"None of the {n} filtered events is inside this view" in texts
    assert "No events match these filters" not in texts and "Event type" not in texts


def test_fans_at_the_frame_edge_stay_inside_the_frame(events):
    from matplotlib.collections import PathCollection

    from dashboard.briefing.compose import draw_map, new_figure
    from dashboard.briefing.extent import fit_to_box, in_frame
    from dashboard.briefing.style import STYLE

    # Turbat's two dozen events sit 0.05 degrees inside the right edge of this view.
    w, h = 10.8, 6.2
    extent = fit_to_box((61.0, 25.7, 63.1, 26.3), w, h)
    assert extent[2] == pytest.approx(63.1) and len(inside_box(events, (63.0, 25.95, 63.1, 26.05))) > 20
    fig = new_figure("slide")
    ax = fig.add_axes((0.05, 0.1, w / 16, h / 9))
    sym = draw_map(ax, events[in_frame(events, extent)], extent, (w, h), STYLE["slide"], {})
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    assert (x0, y0, x1, y1) == pytest.approx(extent)
    moved = (sym["x"] != sym["true_x"]) | (sym["y"] != sym["true_y"])
    assert moved.sum() > 15
    rim_x, rim_y = sym["diam"] / 2 * (x1 - x0) / (w * 72), sym["diam"] / 2 * (y1 - y0) / (h * 72)
    x, y = sym["x"][moved], sym["y"][moved]
    assert ((x - rim_x[moved] >= x0) & (x + rim_x[moved] <= x1)).all()  # whole symbols, not only centres
    assert ((y - rim_y[moved] >= y0) & (y + rim_y[moved] <= y1)).all()
    # Nothing the map scatters (symbols, leader ends, status marks, towns) lies outside the axes.
    offsets = np.concatenate([c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)])
    assert ((offsets[:, 0] >= x0) & (offsets[:, 0] <= x1) & (offsets[:, 1] >= y0) & (offsets[:, 1] <= y1)).all()

"""Playback for briefers: the filtered period cut into steps, drawn as numbered frames or as small multiples.

A step is a date window. Frames step week by week or month by month (calendar weeks from Monday, calendar
months), each clipped to the period; cumulative frames show everything from the period's start to the step's
end, sliding frames only the step itself. Small multiples cut the period into N equal spans, one map each.
Every frame and panel shares one extent, so events stay put from one to the next.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, replace

import matplotlib
import pandas as pd

import geodata
from dashboard import playback
from geodata import EventFilter

from . import words
from .compose import (
    RENDER_LOCK,
    check_arguments,
    draw_map,
    encode,
    new_figure,
    page,
    page_defaults,
    page_room,
    province_names,
    render_briefing,
)
from .extent import events_extent, fit_to_box, in_frame
from .legend import draw_panel
from .style import INK, PAGE_INCHES, RC, STYLE

UNITS = playback.UNITS
#: Most frames one call draws (eight years of weeks); beyond that a briefer wants months.
MAX_FRAMES = 420
MAX_GRID = 12


@dataclass(frozen=True)
class Step:
    """One frame or panel: the window of dates it shows (inclusive) and a short name for it."""

    start: dt.date
    end: dt.date
    label: str


def filtered_period(events: pd.DataFrame, flt: EventFilter) -> tuple[dt.date, dt.date] | None:
    """The period the app's playback steps through (:func:`dashboard.playback.period`) for ``flt``."""
    if flt.start is not None and flt.end is not None:
        return playback.period(flt, events.iloc[:0])
    return playback.period(flt, geodata.filter_events(events, flt))


def _span_words(start: dt.date, end: dt.date) -> str:
    return geodata.format_day(start) if start == end else f"{geodata.format_day(start)} – {geodata.format_day(end)}"


def frame_steps(start: dt.date, end: dt.date, unit: str, *, sliding: bool = False) -> list[Step]:
    """The steps of a playback from ``start`` to ``end`` (inclusive), one per calendar week or month.

    Cumulative steps all begin at ``start``; sliding steps begin at their own week or month. Labels name the
    step's own week or month, clipped to the period.
    """
    if start > end:
        raise ValueError(f"start {start} is after end {end}")
    return [Step(first if sliding else start, last, _span_words(first, last))
            for first, last in playback.steps(unit, start, end)]


def grid_steps(start: dt.date, end: dt.date, n: int) -> list[Step]:
    """``n`` consecutive spans of (as near as whole days allow) equal length covering ``start`` to ``end``."""
    days = (end - start).days + 1
    if not 1 <= n <= days:
        raise ValueError(f"n must be between 1 and the {days} days of the period, got {n}")
    bounds = [start + dt.timedelta(days=round(i * days / n)) for i in range(n + 1)]
    return [Step(a, b - dt.timedelta(days=1), _span_words(a, b - dt.timedelta(days=1)))
            for a, b in zip(bounds, bounds[1:])]


def _shared_extent(events, flt, extent):
    """One box for every frame: the whole period's events (or the caller's box)."""
    if extent != "events":
        return extent
    return events_extent(geodata.filter_events(events, flt))


def render_frames(events, flt: EventFilter, steps: list[Step], *, title: str | None = None, size: str = "slide",
                  extent="events", dpi: float | None = None, handling: str | None = None,
                  generated: dt.datetime | None = None) -> Iterator[tuple[Step, int, bytes]]:
    """PNG frames, one per step: ``(step, events shown, png bytes)``, drawn lazily so frames can be written as
    they come. Each frame is :func:`render_briefing` of the filter narrowed to the step's dates."""
    check_arguments(size, "png", extent, dpi)
    box = _shared_extent(events, flt, extent)
    status = geodata.load_place_status()  # read once, not once per frame
    for step in steps:
        narrowed = replace(flt, start=step.start, end=step.end)
        shown = int(geodata.filter_mask(events, narrowed).sum())
        yield step, shown, render_briefing(events, narrowed, title=title, size=size, fmt="png", extent=box,
                                           generated=generated, handling=handling, dpi=dpi, place_status=status)


def _layout(n: int, size: str) -> tuple[int, int]:
    """(columns, rows) for ``n`` panels on the page: as square panels as the page allows."""
    if n == 4:
        return 2, 2
    best = None
    for rows in range(1, n + 1):
        cols = math.ceil(n / rows)
        waste = cols * rows - n
        score = (waste, abs(cols / rows - PAGE_INCHES[size][0] / PAGE_INCHES[size][1] * 1.2))
        if best is None or score < best[0]:
            best = (score, cols, rows)
    return best[1], best[2]


def render_grid(events, flt: EventFilter, steps: list[Step], *, title: str | None = None, size: str = "slide",
                fmt: str = "png", extent="events", dpi: float | None = None, handling: str | None = None,
                generated: dt.datetime | None = None, note: str = "") -> bytes:
    """Small multiples: one map per step on one page, each titled with its dates and event count, one shared
    key and extent; places are marked with their status on their panel's last day (at the latest the data's as-of
    date, :func:`geodata.status_day`). ``note`` is added to the subtitle (e.g. a comparison's numbers). Returns
    the encoded figure (PNG, PDF or SVG)."""
    if not 1 <= len(steps) <= MAX_GRID:
        raise ValueError(f"steps must hold 1 to {MAX_GRID} periods, got {len(steps)}")
    box = _shared_extent(events, flt, check_arguments(size, fmt, extent, dpi) or "events")
    handling, title, stamp, dpi = page_defaults(handling, title, generated, dpi, size)
    shown = geodata.filter_events(events, flt)
    subtitle = geodata.describe_filter(flt, province_names()) + (f" · {note}" if note else "")
    style = STYLE[size]
    cols, rows = _layout(len(steps), size)
    periods = geodata.load_place_status()
    as_of = geodata.data_as_of(events).as_of
    seen: dict[str, str] = {}  # every status marked on some panel, for the key
    with RENDER_LOCK, matplotlib.rc_context(RC):
        fig = new_figure(size)
        top, bottom, _ = page_room(size, subtitle, handling)
        W, H = PAGE_INCHES[size]
        m, gap = style["margin"], 0.18
        head = style["panel"] * 1.6 / 72  # each panel's title line
        area_w = W - 2 * m - style["panel_w"] - style["gap"]
        cell_w = (area_w - (cols - 1) * gap) / cols
        cell_h = (top - bottom - (rows - 1) * gap) / rows - head
        cell_extent = fit_to_box(box, cell_w, cell_h)
        drawn = shown[in_frame(shown, cell_extent)]  # a caller's box may leave filtered events out
        page(fig, size, title, subtitle, words.summary(drawn, shown), words.as_of_line(events, stamp),
             words.attribution(drawn), handling)
        for i, step in enumerate(steps):
            col, row = i % cols, i // cols
            left = m + col * (cell_w + gap)
            low = top - (row + 1) * (cell_h + head) - row * gap
            ax = fig.add_axes((left / W, low / H, cell_w / W, cell_h / H))
            narrowed = replace(flt, start=step.start, end=step.end)
            part = geodata.filter_events(events, narrowed)
            inside = part[in_frame(part, cell_extent)]
            count = f"{len(inside)} of {len(part)} events in view" if len(inside) < len(part) else (
                f"{len(part)} event{'' if len(part) == 1 else 's'}")
            ax.set_title(f"{step.label} · {count}", loc="left", fontsize=style["panel"], color=INK, pad=3)
            status = geodata.status_on(periods, geodata.status_day(step.end, stamp.date(), as_of).day)
            shown_places = set(inside["id"].astype(str))
            seen.update({f"{i}:{p}": s for p, s in status.items() if p in shown_places})
            draw_map(ax, inside, cell_extent, (cell_w, cell_h), style, status, names=False, note_size=style["panel"],
                     note=words.empty_note(part))
        pax = fig.add_axes(((m + area_w + style["gap"]) / W, bottom / H, style["panel_w"] / W, (top - bottom) / H))
        draw_panel(pax, drawn, style, (style["panel_w"], top - bottom), seen,
                   geodata.status_day(steps[-1].end, stamp.date(), as_of),  # the latest panel's
                   towns=False, per_panel=True, in_view=len(drawn) < len(shown))  # panels carry no towns
        return encode(fig, fmt, dpi, title, subtitle, stamp)

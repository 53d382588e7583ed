"""Time playback, computed once, here: the period a filter plays through, its week or month steps, and the
window a step shows. The map's play control (dashboard/static/playback.js) receives the steps from :func:`config`
and only moves between them; the page (header, metrics, table, timeline, figure, downloads) shows a paused step
through :func:`frame_filter`; the briefing's frames and small multiples use the same steps. Pure, no streamlit.

A playback state is ``unit`` (week: Monday to Sunday; month: calendar month), ``mode`` (cumulative: everything
from the start of the period up to the step; sliding: the step's own window) and ``step`` (0-based). The period
is the filter's dates; a side the filter leaves open is closed at the oldest or newest date of the rows it shows
(so playing "2024" ends with December even when the last event is in November). A step shows the rows whose
period overlaps its window, exactly as the date filter does (``geodata.filter_mask``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from geodata import EventFilter
from geodata.filtering import filter_dates

UNITS = ("month", "week")
MODES = ("cumulative", "sliding")
_PATTERN = re.compile(r"^(week|month)-(cumulative|sliding)-(\d{1,4})$")
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Play:
    unit: str = "month"
    mode: str = "cumulative"
    step: int = 0

    def to_param(self) -> str:
        return f"{self.unit}-{self.mode}-{self.step}"

    def to_config(self) -> dict:
        return {"unit": self.unit, "mode": self.mode, "step": self.step}


def parse(text: str) -> Play | None:
    """A playback state from its URL form (``month-cumulative-12``); None when malformed."""
    match = _PATTERN.match(str(text or "").strip())
    return Play(match.group(1), match.group(2), int(match.group(3))) if match else None


def from_report(report) -> Play | None:
    """A playback state from what the map reported (``{"unit", "mode", "step"}``); None for off or malformed."""
    if not isinstance(report, dict) or report.get("off"):
        return None
    unit, mode, step = report.get("unit"), report.get("mode"), report.get("step")
    if unit in UNITS and mode in MODES and isinstance(step, int) and 0 <= step < 10_000:
        return Play(unit, mode, step)
    return None


def period(flt: EventFilter, shown: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """The dates playback steps through for the rows ``shown`` by ``flt``: the filter's dates; an open side is
    closed at the oldest or newest date of those rows (their periods' starts and ends). None when an open side
    has no dated row to close it with."""
    return filter_dates(flt, shown)


def steps(unit: str, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Week (Monday to Sunday) or calendar-month windows covering ``first``..``last``, clipped to it."""
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, got {unit!r}")
    out = []
    if unit == "week":
        start = first - dt.timedelta(days=first.weekday())
        while start <= last:
            out.append((max(start, first), min(start + dt.timedelta(days=6), last)))
            start += dt.timedelta(days=7)
        return out
    year, month = first.year, first.month
    while (start := dt.date(year, month, 1)) <= last:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        out.append((max(start, first), min(dt.date(year, month, 1) - dt.timedelta(days=1), last)))
    return out


def clamp(play: Play | None, span: tuple[dt.date, dt.date] | None) -> Play | None:
    """``play`` with its step inside the period's steps (a narrower filter has fewer); None without a period."""
    if play is None or span is None:
        return None
    last = len(steps(play.unit, *span)) - 1
    return play if play.step <= last else replace(play, step=last)


def window(play: Play, span: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """The dates (inclusive) that step ``play`` of the period ``span`` shows."""
    frames = steps(play.unit, *span)
    start, end = frames[min(play.step, len(frames) - 1)]
    return (start if play.mode == "sliding" else span[0]), end


def frame_filter(flt: EventFilter, play: Play, span: tuple[dt.date, dt.date]) -> EventFilter:
    """``flt`` narrowed to what step ``play`` shows: the page, the figure and the downloads of a paused playback."""
    start, end = window(play, span)
    return replace(flt, start=start, end=end)


def _days(day: dt.date) -> int:
    return (day - _EPOCH).days


def config(play: Play | None, span: tuple[dt.date, dt.date] | None) -> dict:
    """What the map's play control needs: the period (days since 1970), both units' steps as flat
    [start, end, start, end, ...] day lists, and the state to show (None: playback off)."""
    if span is None:
        return {"state": None, "first": None, "steps": {}}
    flat = {unit: list(days) for unit, days in _flat_steps(tuple(span)).items()}
    return {"state": play.to_config() if play else None, "first": _days(span[0]), "steps": flat}


@functools.lru_cache(maxsize=64)
def _flat_steps(span: tuple[dt.date, dt.date]) -> dict[str, tuple[int, ...]]:
    """Both units' steps of ``span`` as flat day tuples (the same for every rerun of a period)."""
    return {unit: tuple(np.array([[_days(a), _days(b)] for a, b in steps(unit, *span)], dtype=np.int64).ravel().tolist())
            for unit in UNITS}


def step_words(play: Play, span: tuple[dt.date, dt.date], format_day) -> str:
    """"step 7 of 11: up to 31 Jul 2024" (cumulative) or "step 7 of 11: 1 Jul – 31 Jul 2024" (sliding)."""
    count = len(steps(play.unit, *span))
    start, end = window(play, span)
    shown = f"up to {format_day(end)}" if play.mode == "cumulative" else f"{format_day(start)} – {format_day(end)}"
    return f"playback step {min(play.step, count - 1) + 1} of {count}: {shown}"

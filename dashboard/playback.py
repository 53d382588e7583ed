"""Time playback's steps, as the map's play control computes them (dashboard/static/events.js), for the app: the
frame in a shared link, and the window the timeline marks. Pure, no streamlit.

A playback state is ``unit`` (week: Monday to Sunday; month: calendar month), ``mode`` (cumulative: everything
from the start of the period up to the step; sliding: the step's own window) and ``step`` (0-based). The period
is the span of the filtered events' dates; steps are clipped to it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

UNITS = ("month", "week")
MODES = ("cumulative", "sliding")
_PATTERN = re.compile(r"^(week|month)-(cumulative|sliding)-(\d{1,4})$")


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


def steps(unit: str, first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Week or calendar-month windows covering ``first``..``last``, clipped to it."""
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


def window(play: Play, dates) -> tuple[dt.date, dt.date] | None:
    """The dates a playback frame shows for the filtered events' ``dates`` (missing ones ignored), or None."""
    days = sorted(d.date() if hasattr(d, "date") else d for d in dates if d is not None and d == d)
    if not days:
        return None
    frames = steps(play.unit, days[0], days[-1])
    start, end = frames[min(play.step, len(frames) - 1)]
    return (start if play.mode == "sliding" else days[0]), end

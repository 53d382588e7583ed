"""What one page run shows, computed once from the view state: the map, header, metrics, table, timeline, figure
and downloads all read the same :class:`PageView`, so they can never disagree. Pure, no streamlit.

A paused playback step narrows the page to the step's window (``shown``); the map still receives every row of the
filter (``keep``) so that its play control can move on from the step without asking the server.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import playback
from geodata import EventFilter, format_day
from geodata.frame_index import FrameIndex


@dataclass(frozen=True)
class PageView:
    flt: EventFilter  #: the filter the widgets show
    period: tuple[dt.date, dt.date] | None  #: the dates playback steps through (None: nothing dated to play)
    play: playback.Play | None  #: the paused playback step, inside the period's steps; None when playback is off
    page_flt: EventFilter  #: what the page shows: ``flt``, narrowed to the playback step
    keep: np.ndarray  #: rows passing ``flt``: the map's selection (its play control steps within it)
    in_page: np.ndarray  #: rows the page shows
    index: FrameIndex  #: the dataset's index (``index.events`` are the rows ``keep`` and ``in_page`` refer to)

    @functools.cached_property
    def shown(self) -> pd.DataFrame:
        """The rows the page shows, taken when first asked for: the panels count from ``index`` and ``in_page``
        (a million-row page must not copy every column on each change); the loaded frame itself when nothing is
        left out."""
        events = self.index.events
        return events if self.count == len(events) else events[self.in_page]

    @functools.cached_property
    def count(self) -> int:
        """How many rows the page shows."""
        return int(np.count_nonzero(self.in_page))

    def play_words(self) -> str:
        """"playback step 7 of 11: up to 31 Jul 2024", or "" when playback is off."""
        return playback.step_words(self.play, self.period, format_day) if self.play else ""

    def play_param(self) -> str | None:
        return self.play.to_param() if self.play else None

    def map_config(self) -> dict:
        return playback.config(self.play, self.period)


def compute(events: pd.DataFrame, flt: EventFilter, play: playback.Play | None,
            hidden: np.ndarray | None = None, index: FrameIndex | None = None) -> PageView:
    """The page of ``events`` under ``flt`` and the playback step ``play`` (clamped to the period's steps);
    ``hidden`` rows (an uploaded file switched off) are left out of everything, like a filter. ``index``: the
    dataset's :class:`FrameIndex` when one is kept (a new one otherwise)."""
    index = index if index is not None else FrameIndex(events)
    keep = index.mask(flt)
    if hidden is not None:
        keep = keep & ~np.asarray(hidden, dtype=bool)
    # The period reads the passing rows' days only for a side the filter leaves open.
    open_side = flt.start is None or flt.end is None
    span = playback.period(flt, _date_bounds(index, keep) if open_side else events.iloc[:0])
    play = playback.clamp(play, span)
    if play is None:
        return PageView(flt, span, None, flt, keep, keep, index)
    page_flt = playback.frame_filter(flt, play, span)
    in_page = keep & index.mask(EventFilter(start=page_flt.start, end=page_flt.end))
    return PageView(flt, span, play, page_flt, keep, in_page, index)


def _date_bounds(index: FrameIndex, rows: np.ndarray) -> pd.DataFrame:
    """The oldest and newest ``period_start`` and ``period_end`` of ``rows`` as a two-row frame: all that
    ``playback.period`` reads of them (their oldest and newest days), without taking the rows."""
    bounds = {}
    for column in ("period_start", "period_end"):
        days, dated = index.derived(("days", column), lambda column=column: _days(index.events[column]))
        days = days[rows & dated]
        bounds[column] = pd.to_datetime([days.min(), days.max()] if len(days) else [pd.NaT, pd.NaT])
    return pd.DataFrame(bounds)


def _days(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    days = column.to_numpy("datetime64[ns]")
    return days, ~np.isnat(days)


def selection_outside(events: pd.DataFrame, in_page: np.ndarray, selected: str | None) -> str | None:
    """The title (or id) of the selected event when the page does not show it (``in_page`` is the mask of the
    rows of ``events`` it shows: the filter, the playback step or a removed upload left it out), else None."""
    if not selected:
        return None
    rows = np.flatnonzero(events["id"].astype(str).to_numpy() == selected)
    if len(rows) and in_page[rows[0]]:
        return None
    title = events["title"].iloc[rows[0]] if len(rows) else None
    return str(title) if isinstance(title, str) and title else selected


def row_ids(events: pd.DataFrame) -> np.ndarray:
    """The events' ids as text, row by row (kept per dataset by ``cache.per_frame``)."""
    return events["id"].astype(str).to_numpy()


def frame_index(events: pd.DataFrame) -> FrameIndex:
    """The dataset's index, for ``cache.per_frame``: it does not hold the frame, so both go with the frame."""
    return FrameIndex(events, hold=False)

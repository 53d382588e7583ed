"""The timeline that drives the page: incidents per week, month, quarter or year, stacked by type; dragging across
it sets the filter's dates (and so the link); a paused playback step is shaded with a rule at its last day.

The bucketing and the brush's reading are pure functions (tested directly); the chart is Altair, the brush an
interval selection that Streamlit reports through ``on_select``.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import cache, state
from geodata import EventType, format_day
from geodata.frame_index import FrameIndex
from geodata.models import PLACE_TYPES

if TYPE_CHECKING:
    import altair as alt

#: Granularities the control offers, and the pandas period each stands for (weeks run Monday to Sunday).
UNITS = {"week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}
DEFAULT_UNIT = "month"
_LABELS = {t.value: t.label for t in EventType}
BRUSH = "brush"


def buckets(shown: pd.DataFrame, unit: str, counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dated incidents per ``unit`` and type: columns ``start`` and ``end`` (the bucket's first and last day,
    ``YYYY-MM-DD`` text), ``type`` (label) and ``events``.

    ``counts`` (``geodata.store.monthly_counts``, a capped team-store page) are used for month, quarter and year;
    weeks need the rows themselves."""
    if counts is None or unit == "week":
        return buckets_of(FrameIndex(shown), None, unit)
    dated = counts[~counts["event_type"].isin(PLACE_TYPES) & counts["month"].notna()]
    periods = pd.to_datetime(dated["month"]).dt.to_period(UNITS[unit])
    period_codes, named = pd.factorize(periods, sort=True)
    type_codes, type_keys = pd.factorize(dated["event_type"].astype(str))
    counted = np.bincount(period_codes * max(len(type_keys), 1) + type_codes,
                          weights=dated["events"].to_numpy(dtype=int), minlength=len(named) * len(type_keys))
    return _named(counted.astype("int64"), _bounds(named), type_keys)


def buckets_of(index: FrameIndex, rows: np.ndarray | None, unit: str) -> pd.DataFrame:
    """:func:`buckets` of the rows of ``index.events`` picked by ``rows`` (None: all): each dated incident's
    period is found once per dataset and unit, a change counts codes."""
    cells, dated, bounds = index.derived(("timeline", unit), lambda: _cells(index, unit))
    types = index.codes("event_type")[1]
    counted = np.bincount(cells[dated if rows is None else rows & dated], minlength=len(bounds[0]) * len(types))
    return _named(counted, bounds, types["event_type"].astype(str))


def _cells(index: FrameIndex, unit: str) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Per row its (period, type) cell (period-major), whether it is a dated incident, and the periods' days."""
    period_codes, bounds = _periods(index.events, unit)
    type_codes, types = index.codes("event_type")
    dated = period_codes >= 0
    cells = np.where(dated, period_codes * max(len(types), 1) + type_codes, 0)
    return cells.astype(np.int32 if len(bounds[0]) * len(types) < 2**31 else np.int64), dated, bounds


def _buckets(index: FrameIndex, rows: np.ndarray, unit: str) -> pd.DataFrame:
    if np.count_nonzero(rows) == len(index):  # the whole dataset: once per loaded frame, for every session
        return cache.per_frame(index.events, buckets, unit)
    return buckets_of(index, rows, unit)


def _periods(events: pd.DataFrame, unit: str) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Each row's period code (-1: a place or undated) and the periods' first and last days as text."""
    dated = (~events["event_type"].isin(PLACE_TYPES) & events["date"].notna()).to_numpy()
    periods = pd.to_datetime(events["date"][dated]).dt.to_period(UNITS[unit])
    codes, named = pd.factorize(periods, sort=True)
    out = np.full(len(events), -1, dtype=np.int64)
    out[dated] = codes
    return out, _bounds(named)


def _bounds(named) -> tuple[np.ndarray, np.ndarray]:
    return named.start_time.strftime("%Y-%m-%d").to_numpy(), named.end_time.strftime("%Y-%m-%d").to_numpy()


def _named(counted: np.ndarray, bounds: tuple[np.ndarray, np.ndarray], type_keys) -> pd.DataFrame:
    """The non-empty (period, type) cells of ``counted`` (period-major) as the chart's rows."""
    cells = np.flatnonzero(counted)
    period, kind = np.divmod(cells, max(len(type_keys), 1))
    labels = pd.Series(type_keys).map(_LABELS).to_numpy()
    frame = pd.DataFrame({"start": bounds[0][period], "end": bounds[1][period], "type": labels[kind],
                          "events": counted[cells].astype("int64")})
    return frame.sort_values(["start", "end", "type"], ignore_index=True)


def _day(value) -> dt.date | None:
    """A day from a brush end: epoch milliseconds (UTC, as Vega reports a utc scale) or ISO text."""
    try:
        if isinstance(value, (int, float)):
            return pd.Timestamp(value, unit="ms", tz="UTC").date()
        return pd.Timestamp(str(value)).date()
    except (ValueError, OverflowError):
        return None


def brushed_window(selection, unit: str) -> tuple[dt.date, dt.date] | None:
    """The dates a brush covers, widened to whole buckets of ``unit`` (a bar touched is a bar taken), from
    Streamlit's selection state (``{"selection": {"brush": {"start": [a, b]}}}``); None without a brush."""
    try:
        brush = (selection or {}).get("selection", {}).get(BRUSH) or {}
    except AttributeError:
        return None
    ends = next((v for v in dict(brush).values() if isinstance(v, (list, tuple)) and len(v) == 2), None)
    if ends is None:
        return None
    days = [_day(v) for v in ends]
    if None in days:
        return None
    first, last = sorted(days)
    start = pd.Period(first, UNITS[unit]).start_time.date()
    end = pd.Period(last, UNITS[unit]).end_time.date()
    return start, end


def _brushed(key: str, unit: str, span: tuple[dt.date, dt.date]) -> None:
    window = brushed_window(state.widget_value(key), unit)
    if window is not None:
        state.set_dates_from_chart(window, span)


def chart(frame: pd.DataFrame, unit: str, window=None) -> alt.LayerChart | alt.Chart:
    """The stacked bars with the brush; ``window`` (start, end) marks a paused playback step."""
    import altair as alt  # with the first chart, not on the page's imports: ~0.6 s before a new server's first map

    types = [t for t in EventType if t.label in set(frame["type"])]
    x_scale = alt.Scale(type="utc")  # dates as UTC days, whatever the browser's time zone: the brush reads them so
    brush = alt.selection_interval(name=BRUSH, encodings=["x"])
    fmt = {"week": "%d %b %Y", "month": "%b %Y", "quarter": "%b %Y", "year": "%Y"}[unit]
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("start:T", title=None, scale=x_scale, axis=alt.Axis(format=fmt, formatType="utc")),
            x2="end:T",
            y=alt.Y("events:Q", title=None, stack=True, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color("type:N", scale=alt.Scale(domain=[t.label for t in types], range=[t.colour for t in types]),
                            legend=alt.Legend(title="Type", orient="bottom")),
            tooltip=[alt.Tooltip("start:T", title=unit.capitalize(), format="%d %b %Y", formatType="utc"),
                     "type:N", "events:Q"],
        )
        .add_params(brush)
    )
    layers = [bars]
    if window:
        step = pd.DataFrame({"start": [f"{window[0]:%Y-%m-%d}"], "end": [f"{window[1]:%Y-%m-%d}"],
                             "label": [f"Playback step: {format_day(window[0])} – {format_day(window[1])}"]})
        shade = alt.Chart(step).mark_rect(color="#111111", opacity=0.1).encode(
            x=alt.X("start:T", scale=x_scale), x2="end:T", tooltip=alt.Tooltip("label:N", title="Playback"))
        rule = alt.Chart(step).mark_rule(color="#111111", strokeWidth=2).encode(
            x=alt.X("end:T", scale=x_scale), tooltip=alt.Tooltip("label:N", title="Playback"))
        layers = [shade, bars, rule]
    out = alt.layer(*layers) if len(layers) > 1 else bars
    return out.properties(height=200, title=f"Incidents per {unit}",
                          autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
                          padding={"top": 6, "left": 5, "right": 5, "bottom": 5})


def render(index: FrameIndex, rows: np.ndarray, span: tuple[dt.date, dt.date], window=None,
           counts: pd.DataFrame | None = None) -> None:
    """The granularity control and the chart of the rows of ``index.events`` picked by ``rows``; a brush sets
    the filter's dates (clamped to ``span``)."""
    unit = st.segmented_control("Per", options=list(UNITS), key=state.GRANULARITY, default=DEFAULT_UNIT,
                                format_func=str.capitalize, label_visibility="collapsed") or DEFAULT_UNIT
    frame = buckets(index.events[rows], unit, counts) if counts is not None else _buckets(index, rows, unit)
    if frame.empty:
        st.caption("Timeline: no dated incidents match the filters.")
        return
    if window:
        st.caption(f"Shaded: the playback frame on the map, {format_day(window[0])} – {format_day(window[1])}; the "
                   "rule marks its last day.")
    key = state.timeline_key()
    st.altair_chart(chart(frame, unit, window), width="stretch", key=key,
                    on_select=functools.partial(_brushed, key, unit, span), selection_mode=BRUSH)
    st.caption("Drag across the timeline to set the dates (whole bars are taken); the date buttons in the sidebar "
               "widen them again.")

"""The figure's words beyond the filter's own (``geodata.describe_filter``): counts, as-of line, attribution."""

from __future__ import annotations

import datetime as dt

import pandas as pd

import geodata

from .symbols import type_style

ATTRIBUTION = "Boundaries: Natural Earth (public domain); border © OpenStreetMap contributors (ODbL)."


def number(value: float) -> str:
    """``50`` or ``12.5``: whole numbers without a decimal point."""
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _noun(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary(shown: pd.DataFrame) -> str:
    """One line of counts for under the subtitle."""
    if not len(shown):
        return "No events shown"
    is_place = shown["event_type"].map(lambda v: type_style(v)[2]).astype(bool)
    places = int(is_place.sum())
    incidents = len(shown) - places
    deaths = pd.to_numeric(shown["fatalities"], errors="coerce")
    text = f"{_noun(incidents, 'incident', 'incidents')} and {_noun(places, 'place', 'places')} shown"
    if incidents:
        text += f" · {_noun(int(deaths.sum(skipna=True)), 'fatality', 'fatalities')} (best estimates"
        unknown = int(deaths[~is_place].isna().sum())
        text += f"; {_noun(unknown, 'incident', 'incidents')} with no count)" if unknown else ")"
    return text


def attribution(shown: pd.DataFrame) -> str:
    """Boundary credits and how many events and distinct sources the figure shows."""
    sources = shown["source_url"].dropna().nunique() if len(shown) else 0
    return f"{ATTRIBUTION} {_noun(len(shown), 'event', 'events')} from {_noun(sources, 'source', 'sources')}."


def as_of_line(events: pd.DataFrame, stamp: dt.datetime, facts: geodata.DataAsOf | None = None) -> str:
    """``Data as of DATE · N events · M sources · generated ...``: the curated data, whatever the filter shows
    (``facts`` when given, else computed from ``events``)."""
    facts = facts or geodata.data_as_of(events)
    day = geodata.format_day(facts.as_of) if facts.as_of else "unknown"
    return (f"Data as of {day} · {_noun(facts.events, 'event', 'events')} · "
            f"{_noun(facts.sources, 'source', 'sources')} · generated {stamp:%Y-%m-%d %H:%M} UTC")


def status_day(flt: geodata.EventFilter, stamp: dt.datetime) -> dt.date:
    """The day place status is shown for: the filter's end date, else the day the figure is made."""
    return flt.end if flt.end is not None else stamp.date()

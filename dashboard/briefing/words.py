"""The figure's words beyond the filter's own (``geodata.describe_filter``): counts, as-of line, attribution."""

from __future__ import annotations

import datetime as dt

import pandas as pd

import geodata
from geodata.models import is_place

NO_MATCH = "No events match these filters"
ATTRIBUTION = ("Boundaries: Natural Earth (public domain); border © OpenStreetMap contributors (ODbL); "
               "towns: GeoNames (CC BY 4.0).")


def number(value: float) -> str:
    """``50`` or ``12.5``: whole numbers without a decimal point."""
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _noun(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _is_place(frame: pd.DataFrame) -> pd.Series:
    return is_place(frame["event_type"])


def _count_words(drawn: pd.DataFrame, shown: pd.DataFrame) -> str:
    """``"12 incidents and 3 places shown"``, or, when the frame leaves some filtered events out, ``"31 of 112
    incidents and 4 of 10 places are inside this view"`` (a kind the filter has none of is left out)."""
    places, all_places = int(_is_place(drawn).sum()), int(_is_place(shown).sum())
    incidents, all_incidents = len(drawn) - places, len(shown) - all_places
    if len(drawn) == len(shown):
        return f"{_noun(incidents, 'incident', 'incidents')} and {_noun(places, 'place', 'places')} shown"
    parts = [f"{n} of {_noun(total, one, many)}" for n, total, one, many in
             ((incidents, all_incidents, "incident", "incidents"), (places, all_places, "place", "places")) if total]
    verb = "is" if len(parts) == 1 and len(drawn) == 1 else "are"
    return f"{' and '.join(parts)} {verb} inside this view"


def summary(drawn: pd.DataFrame, shown: pd.DataFrame | None = None) -> str:
    """One line of counts for under the subtitle: the events drawn (``drawn``) out of those the filter shows
    (``shown``, default the same), with their fatalities."""
    shown = drawn if shown is None else shown
    if not len(shown):
        return "No events shown"
    text = _count_words(drawn, shown)
    is_place = _is_place(drawn)
    if (~is_place).any():
        deaths = pd.to_numeric(drawn["fatalities"], errors="coerce")
        text += f" · {_noun(int(deaths.sum(skipna=True)), 'fatality', 'fatalities')} (best estimates"
        unknown = int(deaths[~is_place].isna().sum())
        text += f"; {_noun(unknown, 'incident', 'incidents')} with no count)" if unknown else ")"
    return text


def empty_note(shown: pd.DataFrame) -> str:
    """What an empty map says: nothing matches, or the matching events are all outside the frame."""
    if not len(shown):
        return NO_MATCH
    if len(shown) == 1:
        return "The one filtered event is outside this view"
    return f"None of the {len(shown)} filtered events is inside this view"


def attribution(shown: pd.DataFrame) -> str:
    """Boundary credits and how many events and distinct sources the figure shows."""
    sources = shown["source_url"].dropna().nunique() if len(shown) else 0
    return f"{ATTRIBUTION} {_noun(len(shown), 'event', 'events')} from {_noun(sources, 'source', 'sources')}."


def as_of_line(events: pd.DataFrame, stamp: dt.datetime, facts: geodata.DataAsOf | None = None) -> str:
    """The page's trust line (:meth:`geodata.DataAsOf.text`, e.g. ``Sources reviewed to DATE; newest reported
    event DATE · N events · M sources``) and ``· generated ...``: the curated data, whatever the filter shows
    (``facts`` when given, else computed from ``events``)."""
    facts = facts or geodata.data_as_of(events)
    return f"{facts.text()} · generated {stamp:%Y-%m-%d %H:%M} UTC"

"""Pure, vectorised filtering of enriched events by an :class:`~geodata.models.EventFilter`."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .filter_fields import FIELDS
from .models import EventFilter


def filter_mask(events: pd.DataFrame, flt: EventFilter) -> np.ndarray:
    """Boolean mask of the rows of ``events`` that pass ``flt`` (see :func:`filter_events`).

    Each field of :data:`geodata.filter_fields.FIELDS` adds its own mask, column by column.
    """
    keep = np.ones(len(events), dtype=bool)
    for f in FIELDS:
        mask = f.mask(events, flt)
        if mask is not None:
            keep &= mask
    return keep


def filter_events(events: pd.DataFrame, flt: EventFilter) -> pd.DataFrame:
    """Return the events that pass a filter.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Enriched events, as returned by :func:`geodata.load_events`.
    flt : EventFilter
        Date window (a row shows when the period it covers overlaps the window: places from opening to
        closing, incidents over their date widened to its precision), event types, countries, provinces,
        minimum fatalities (rows with unknown fatalities drop out once the minimum is above 0), maximum
        distance to the border, location precision, and text (every word must appear in title,
        description or actors; case-insensitive).

    Returns
    -------
    geopandas.GeoDataFrame
        The matching rows, in their original order, index preserved.
    """
    return events[filter_mask(events, flt)]


def filter_dates(flt: EventFilter, rows: pd.DataFrame) -> tuple[dt.date, dt.date] | None:
    """The dates ``flt`` spans: its own, a side it leaves open closed at the oldest or newest day of ``rows``
    (their ``period_start`` and ``period_end``).

    Returns
    -------
    (datetime.date, datetime.date) or None
        None when an open side has no dated row to close it with, or the start is after the end.
    """
    start, end = flt.start, flt.end
    if start is None or end is None:
        days = pd.concat([rows["period_start"], rows["period_end"]]).dropna()
        if not len(days):
            return None
        start = start or days.min().date()
        end = end or days.max().date()
    return (start, end) if start <= end else None

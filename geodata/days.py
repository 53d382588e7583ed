"""Days in words: one format for every page, figure and message, whatever the locale."""

from __future__ import annotations

import pandas as pd

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(day) -> str:
    """A day as ``1 Jan 2023``, whatever the locale (``%b`` follows the locale; this never does).

    Parameters
    ----------
    day : datetime.date, pandas.Timestamp or str
        Anything :class:`pandas.Timestamp` accepts.

    Returns
    -------
    str
    """
    day = pd.Timestamp(day)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_month(day) -> str:
    """A month as ``Jan 2023``, whatever the locale."""
    day = pd.Timestamp(day)
    return f"{_MONTHS[day.month - 1]} {day.year}"

"""Days in words: one format for every page, figure and message, whatever the locale."""

from __future__ import annotations

import pandas as pd

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_MONTHS = tuple(name[:3] for name in _MONTH_NAMES)


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
    """The month of a day as ``January 2023``, whatever the locale (``%B`` follows the locale).

    Parameters
    ----------
    day : datetime.date, pandas.Timestamp or str
        Anything :class:`pandas.Timestamp` accepts.

    Returns
    -------
    str
    """
    day = pd.Timestamp(day)
    return f"{_MONTH_NAMES[day.month - 1]} {day.year}"

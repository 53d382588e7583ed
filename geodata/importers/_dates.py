"""Dates as analysts' files write them, turned into ``YYYY-MM-DD``.

Accepted: ISO dates (optionally with a time, as UCDP writes ``2023-12-15 00:00:00.000``), ACLED's ``9-May-20``,
``01-January-2015`` and ``15 January 2024``, and Excel serial day numbers. Day/month orders that cannot be told
apart (``05/06/2020``) are refused rather than guessed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Which strptime formats to try for a value of each shape. Shapes are checked with ASCII-only classes because
# Python's \d also matches other scripts' digits (full-width, Arabic-Indic), which no file here should carry.
_SHAPES = (
    (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$",
     ("%Y-%m-%d",)),
    (r"^[0-9]{1,2}-[A-Za-z]{3}-[0-9]{2}$", ("%d-%b-%y",)),
    (r"^[0-9]{1,2}-[A-Za-z]{3,9}-[0-9]{4}$", ("%d-%B-%Y", "%d-%b-%Y")),
    (r"^[0-9]{1,2} [A-Za-z]{3,9} [0-9]{4}$", ("%d %B %Y", "%d %b %Y")),
)
_SERIAL = r"^[0-9]{5}(?:\.0+)?$"
_AMBIGUOUS = r"^[0-9]{1,2}[/.][0-9]{1,2}[/.][0-9]{2,4}$"
# Excel's day 0 for serials after its 1900 leap-year bug (every serial a real file holds today).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_READABLE = "YYYY-MM-DD, 9-May-20, 01-January-2015, 15 January 2024 or an Excel day number"


def _parse_unique(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """ISO text and error text for distinct non-empty values (``""`` where not applicable)."""
    iso = np.full(len(values), "", dtype=object)
    error = np.full(len(values), "", dtype=object)
    done = np.zeros(len(values), dtype=bool)
    for pattern, formats in _SHAPES:
        shaped = values.str.match(pattern).to_numpy(dtype=bool) & ~done
        if not shaped.any():
            continue
        text = values[shaped]
        if formats == ("%Y-%m-%d",):
            text = text.str.slice(0, 10)  # the time of day is never more precise than our day
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[s]")
        for fmt in formats:
            todo = parsed.isna()
            if todo.any():
                parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        ok = parsed.notna().to_numpy()
        where = np.flatnonzero(shaped)
        iso[where[ok]] = parsed[ok].dt.strftime("%Y-%m-%d").to_numpy()
        done[where[ok]] = True
    serial = values.str.match(_SERIAL).to_numpy(dtype=bool) & ~done
    if serial.any():
        days = pd.to_numeric(values[serial]).to_numpy()
        iso[serial] = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")
        done |= serial
    ambiguous = values.str.match(_AMBIGUOUS).to_numpy(dtype=bool) & ~done
    for pos in np.flatnonzero(~done):
        value = values.iloc[pos]
        error[pos] = (f"{value!r} is ambiguous (day and month order unknown); write it as YYYY-MM-DD"
                      if ambiguous[pos] else f"{value!r} is not a date (expected {_READABLE})")
    return iso, error


def parse_dates(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Normalise a column of dates.

    Parameters
    ----------
    text : pandas.Series
        Dates as text; blanks mean "no date".

    Returns
    -------
    (pandas.Series, pandas.Series)
        ``YYYY-MM-DD`` text as a string column (blank where the input is blank or unreadable) and an error
        message per row (blank when the value was read or is blank). Each error names the value.
    """
    values = text.astype("string").fillna("").str.strip()
    # Files repeat the same few thousand dates over many rows: parse each distinct value once.
    codes, uniques = pd.factorize(values)
    iso = np.full(len(uniques), "", dtype=object)
    error = np.full(len(uniques), "", dtype=object)
    filled = np.asarray(uniques, dtype=object) != ""
    if filled.any():
        iso[filled], error[filled] = _parse_unique(pd.Series(uniques[filled], dtype="string"))
    # Spread the per-value answers over the rows with Arrow's take: the dates go into a string column, and
    # building one from 100k Python objects costs more than everything else here.
    iso_rows = pd.array(iso, dtype="string").take(codes) if len(codes) else pd.array([], dtype="string")
    return (pd.Series(iso_rows, index=text.index),
            pd.Series(error[codes] if len(codes) else [], index=text.index, dtype=object))

"""Events between their three shapes: the enriched frame, the CSV text of a row, and the database's columns."""

from __future__ import annotations

import io
import math

import geopandas as gpd
import numpy as np
import pandas as pd

from ..cell_rules import field_problems
from ..events import _typed, check_events
from ..models import CRS, DERIVED_COLUMNS, EVENT_COLUMNS, Problem
from .base import RowRejected

#: Columns geodata derives on write and the database stores, in the order ``enrich`` adds them, then the actor
#: ids (:func:`geodata.actors.actor_ids`, what the actor filter's SQL reads; a load derives them afresh).
DERIVED = DERIVED_COLUMNS + ("actor_ids",)
#: Every column the event table holds for a row's content (bookkeeping columns aside).
STORED = EVENT_COLUMNS + DERIVED
_DATES = ("date", "end_date", "period_start", "period_end")
_FLOATS = ("lat", "lon", "distance_to_border_km", "nearest_crossing_km")
_INTS = ("fatalities", "fatalities_low", "fatalities_high")
#: How :mod:`geodata.store._columnar` reads each stored column (``last_checked`` stays text, as a CSV holds it).
STORED_KINDS = {c: "date" if c in _DATES else "float8" if c in _FLOATS else "int4" if c in _INTS
                else "isodate" if c == "last_checked" else "text" for c in STORED}


def _text_value(column: str, value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if column in _DATES or column == "last_checked":
        return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)[:10]
    if isinstance(value, (float, np.floating)):
        # repr of a Python float is the shortest text that reads back as the same number: no coordinate drifts.
        value = float(value)
        return "" if math.isnan(value) else (str(int(value)) if column.startswith("fatalities") else repr(value))
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value).strip()


def row_text(row) -> dict[str, str]:
    """One event (a mapping or a frame row) as the strings of its CSV columns; missing values are ``""``."""
    return {column: _text_value(column, row.get(column)) for column in EVENT_COLUMNS}


def as_text(events: pd.DataFrame) -> pd.DataFrame:
    """The CSV columns of ``events`` as strings, the shape ``geodata.read_table`` gives and a CSV export holds."""
    out = pd.DataFrame(index=events.index)
    for column in EVENT_COLUMNS:
        values = events[column] if column in events else pd.Series(pd.NA, index=events.index)
        if column in ("date", "end_date"):
            text = pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m-%d")
        elif column in ("lat", "lon"):
            text = values.map(lambda v: "" if pd.isna(v) else repr(float(v)))
        else:
            text = values.astype("string")
        out[column] = text.astype("string").fillna("").str.strip().astype(str)  # the dtype read_table gives
    return out.reset_index(drop=True)


def to_copy_csv(events: pd.DataFrame) -> str:
    """The stored columns of enriched events as CSV for ``COPY ... FROM STDIN (FORMAT csv)``.

    Missing values are written as unquoted empty fields, which COPY reads as NULL: the table keeps no empty text.
    """
    frame = pd.DataFrame(index=events.index)
    text = as_text(events)
    for column in EVENT_COLUMNS:
        frame[column] = text[column].to_numpy()
    for column in DERIVED:
        values = events[column]
        if column in _DATES:
            frame[column] = pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m-%d").to_numpy()
        elif column in _FLOATS:
            frame[column] = values.map(lambda v: "" if pd.isna(v) else repr(float(v))).to_numpy()
        else:
            frame[column] = values.astype("string").fillna("").to_numpy()
    frame = frame.replace("", None)
    return frame.to_csv(index=False, header=False, na_rep="")


def from_copy_csv(data: bytes, extra: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """Enriched events from ``COPY (SELECT stored columns, extra...) TO STDOUT (FORMAT csv, HEADER)``.

    The frame has the columns and dtypes :func:`geodata.check_events` returns, then the ``extra`` columns.
    """
    raw = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, na_values=[])
    return from_columns(raw, extra)


def from_columns(raw: pd.DataFrame, extra: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """Enriched events from the stored columns, as text (a CSV read) or already typed (numbers, datetimes,
    strings: :mod:`geodata.store._columnar`); NULL or empty text is missing.

    The frame has the columns and dtypes :func:`geodata.check_events` returns, then the ``extra`` columns
    (``version`` as Int64).
    """
    lat = pd.to_numeric(raw["lat"], errors="coerce").astype("float64")
    lon = pd.to_numeric(raw["lon"], errors="coerce").astype("float64")
    events = gpd.GeoDataFrame(raw[list(EVENT_COLUMNS)].copy(), geometry=gpd.points_from_xy(lon, lat), crs=CRS)
    events["lat"], events["lon"] = lat, lon
    for column in DERIVED:
        values = raw[column]
        if column in _DATES:
            events[column] = pd.to_datetime(values, errors="coerce")
        elif column in _FLOATS:
            events[column] = pd.to_numeric(values, errors="coerce").astype("float64")
        else:  # plain Python strings (object dtype, NaN when missing), as ``enrich`` gives them
            events[column] = _plain_strings(values)
    events = _typed(events)
    for column in extra:
        values = raw[column]
        events[column] = pd.to_numeric(values, errors="coerce").astype("Int64") if column in ("version", "seq") \
            else values
    return events


def _plain_strings(values: pd.Series) -> pd.Series:
    """Text as an object column of Python strings, NaN for missing or empty (each distinct value made once)."""
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    table = np.array([v if v != "" else np.nan for v in uniques] + [np.nan], dtype=object)
    return pd.Series(table[codes], index=values.index, dtype=object)


def edited_row(event_id: str, before: dict[str, str], changes) -> tuple[dict[str, str], pd.Series | None]:
    """An edit checked by the rules every write path follows: the row's CSV text after ``changes``, and the row
    validated and enriched (None when nothing changes).

    The write rule of :mod:`geodata.cell_rules` (length, characters) runs on the typed fields first, so a NUL or a
    lone surrogate is named by field before anything else sees it; then the whole row is validated like an
    uploaded one (:func:`geodata.check_events`). Raises :class:`~geodata.store.RowRejected` naming every field.
    """
    if broken := field_problems(changes):
        raise RowRejected(event_id, [Problem(None, f, m, "error", event_id) for f, m in broken.items()])
    after = {**before, **{k: str(v if v is not None else "").strip() for k, v in changes.items()}}
    if after == before:
        return after, None
    valid, report = check_events(pd.DataFrame([after], columns=list(EVENT_COLUMNS)))
    if not report.ok:
        raise RowRejected(event_id, report.errors)
    return after, valid.iloc[0]

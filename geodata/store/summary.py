"""What a page needs besides the rows it draws: the store at a glance, and counts of the events a filter matches.

Both are small whatever the store holds, so a page over a million events asks for them instead of the rows:
:class:`StoreSummary` once per change of the store (how current, how many, which provinces the filter offers),
:func:`monthly_counts` once per filter (the metrics and the timeline when only the newest rows are loaded).
The PostGIS backend computes the same shapes in SQL; this module gives them for a frame in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..provenance import DataAsOf, data_as_of

#: Columns of :func:`monthly_counts`, in order.
COUNT_COLUMNS = ("event_type", "month", "events", "fatalities", "unknown_fatalities")


@dataclass(frozen=True)
class StoreSummary:
    """The active events of a store at a glance.

    ``as_of`` holds the "Data as of DATE · N events · M sources" facts of every active event; ``provinces`` the
    distinct province codes among them, sorted (the province filter's options); ``can_write`` whether this
    connection may change events (read once per revision with the rest, so the page hides its forms for a viewer).
    """

    as_of: DataAsOf
    provinces: tuple[str, ...]
    #: Whether the connected user may add, edit and retire events (False for a database viewer role).
    can_write: bool = True

    @property
    def events(self) -> int:
        """How many active events the store holds."""
        return self.as_of.events


def summarise(events: pd.DataFrame) -> StoreSummary:
    """The :class:`StoreSummary` of an enriched event frame.

    Parameters
    ----------
    events : pandas.DataFrame
        Enriched events (:func:`geodata.load_events`); an analyst's rows (``dataset`` other than ``"curated"``)
        are left out of ``as_of`` as in :func:`geodata.data_as_of`.

    Returns
    -------
    StoreSummary
    """
    provinces = events["province"].astype("string").str.strip()
    return StoreSummary(data_as_of(events), tuple(sorted(provinces[provinces.notna() & (provinces != "")].unique())))


def monthly_counts(events: pd.DataFrame) -> pd.DataFrame:
    """How many events of each type per month, with their reported fatalities.

    Parameters
    ----------
    events : pandas.DataFrame
        Enriched events (``event_type``, ``date`` as datetimes, ``fatalities``).

    Returns
    -------
    pandas.DataFrame
        One row per (``event_type``, ``month``) that has events, sorted by both: ``month`` is the first day of
        the month of ``date`` (NaT for undated rows, e.g. places with no opening date, sorted last), ``events``
        the number of rows, ``fatalities`` the sum of the reported best estimates (0 when none is reported) and
        ``unknown_fatalities`` the number of rows without one. Summing the columns gives the totals of
        ``events``; the PostGIS store answers the same question in SQL (``PostgisStore.monthly_counts``).
    """
    fatalities = pd.to_numeric(events["fatalities"], errors="coerce")
    frame = pd.DataFrame({
        "event_type": events["event_type"].astype(str).to_numpy(),
        "month": pd.to_datetime(events["date"]).dt.to_period("M").dt.to_timestamp().to_numpy(),
        "fatalities": fatalities.fillna(0).astype("int64").to_numpy(),
        "unknown_fatalities": fatalities.isna().astype("int64").to_numpy(),
    })
    grouped = frame.groupby(["event_type", "month"], dropna=False, sort=True)
    counts = grouped.agg(events=("fatalities", "size"), fatalities=("fatalities", "sum"),
                         unknown_fatalities=("unknown_fatalities", "sum")).reset_index()
    return typed_counts(counts)


def typed_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts in the column order and dtypes of :func:`monthly_counts` (whatever produced them)."""
    out = pd.DataFrame({
        "event_type": counts["event_type"].astype(str).to_numpy(dtype=object),
        "month": pd.to_datetime(counts["month"]).astype("datetime64[ns]").to_numpy(),
        "events": counts["events"].astype("int64").to_numpy(),
        "fatalities": counts["fatalities"].fillna(0).astype("int64").to_numpy(),
        "unknown_fatalities": counts["unknown_fatalities"].astype("int64").to_numpy(),
    })
    return out.sort_values(["event_type", "month"], kind="stable", na_position="last").reset_index(drop=True)


def page_of(store, flt=None, limit: int | None = 20_000) -> tuple:
    """What a page shows from ``store`` for ``flt``: the newest ``limit`` matching events and, when there may be
    more, every matching event counted by type and month.

    Parameters
    ----------
    store : EventStore
        Any backend (the filter runs where the data live).
    flt : EventFilter, optional
        The page's filter.
    limit : int or None
        The most rows to load; None loads every matching event (counts are then None).

    Returns
    -------
    (geopandas.GeoDataFrame, pandas.DataFrame or None)
        The rows (newest first) and :func:`monthly_counts` of all matching events, or None when fewer than
        ``limit`` match (the rows are then all of them).
    """
    rows = store.load(flt, limit=limit)
    return rows, (store.monthly_counts(flt) if limit is not None and len(rows) >= limit else None)

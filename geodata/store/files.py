"""The files backend: the shipped (or a given) event CSV, read-only. The embedded default store."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ..events import check_events, read_table, shipped_events_path
from ..filtering import filter_events
from ..models import EventFilter, ValidationReport
from ..status import load_place_status
from .base import AddResult, BBox, Change, ReadOnlyStore, Stamp
from .summary import StoreSummary, monthly_counts, summarise

_READ_ONLY = ("The shipped event files are read-only; to keep team data, set BORDER_DASHBOARD_DATABASE_URL "
              "to a PostGIS database (see 'Team data' in the README).")


class FilesStore:
    """Events from a CSV file (default: the curated ``geodata/data/events.csv``), validated and enriched once.

    Parameters
    ----------
    path : str or path-like, optional
        An event CSV with the curated columns. Rows with errors are left out and listed in :attr:`report`.
    checked : (GeoDataFrame, ValidationReport), optional
        The file's events and report as :func:`geodata.check_events` gave them (see :meth:`of`).
    label : str, optional
        What the page names the data (default: "curated dataset", or the path).
    """

    writable = False
    #: Every event is in memory: a page filters them in pandas (``geodata.filter_mask``) and sends the whole
    #: dataset to the map once, instead of asking the store for each filter's rows.
    in_memory = True

    def __init__(self, path=None, *, checked: tuple[gpd.GeoDataFrame, ValidationReport] | None = None,
                 label: str | None = None):
        self._path = None if path is None else Path(path)
        self.label = label or ("curated dataset" if path is None else str(path))
        self._events, self._report = checked if checked is not None else (None, None)
        self._status: pd.DataFrame | None = None

    @classmethod
    def of(cls, events: gpd.GeoDataFrame, report: ValidationReport, label: str) -> FilesStore:
        """A files store over events already read and checked (by :func:`geodata.check_events`, or a disk cache
        of its result), named ``label``: the app's store when no database is configured or reachable."""
        return cls(checked=(events, report), label=label)

    def _checked(self) -> gpd.GeoDataFrame:
        if self._events is None:  # read and enrich once per store: enrichment is the costly step
            table = read_table(shipped_events_path() if self._path is None else self._path)
            self._events, self._report = check_events(table)
        return self._events

    @property
    def report(self) -> ValidationReport:
        """Problems found in the file, row by row (the rows with errors are not loaded)."""
        self._checked()
        return self._report

    def load(self, flt: EventFilter | None = None, *, bbox: BBox | None = None,
             limit: int | None = None) -> gpd.GeoDataFrame:
        """The file's valid events passing ``flt`` and inside ``bbox``.

        Parameters
        ----------
        flt : EventFilter, optional
            As for :func:`geodata.filter_events`; ``None`` keeps every event.
        bbox : (min lon, min lat, max lon, max lat), optional
            Keep events inside this box (edges included).
        limit : int, optional
            Only the newest ``limit`` matching events (by date, undated last, then the last in the file first).

        Returns
        -------
        geopandas.GeoDataFrame
            Without a filter, box or limit, the very frame :func:`geodata.check_events` gives for the file
            (shared: do not mutate it); otherwise its matching rows, index preserved (newest first with
            ``limit``).
        """
        events = self._checked()
        if flt is not None and not flt.is_default():
            events = filter_events(events, flt)
        if bbox is not None:
            minx, miny, maxx, maxy = bbox
            events = events[events["lon"].between(minx, maxx) & events["lat"].between(miny, maxy)]
        if limit is not None:
            events = events.iloc[newest_first(events)[: max(0, int(limit))]]
        return events

    def monthly_counts(self, flt: EventFilter | None = None, *, bbox: BBox | None = None) -> pd.DataFrame:
        """The events passing ``flt`` counted by type and month (:func:`geodata.store.monthly_counts`)."""
        return monthly_counts(self.load(flt, bbox=bbox))

    def find(self, ids) -> gpd.GeoDataFrame:
        """The file's valid events with these ids, in file order."""
        events = self._checked()
        return events[events["id"].isin([str(i) for i in ids])]

    def summary(self) -> StoreSummary:
        """How many valid events, how current, how many sources, which provinces."""
        return summarise(self._checked())

    def place_status(self) -> pd.DataFrame:
        """The shipped status periods (``geodata/data/place_status.csv``), validated once per store."""
        if self._status is None:
            self._status = load_place_status()
        return self._status

    def revision(self) -> int:
        """Always 0: the files do not change while the app runs."""
        return 0

    def add(self, events: gpd.GeoDataFrame, stamp: Stamp) -> AddResult:
        raise ReadOnlyStore(_READ_ONLY)

    def update(self, event_id: str, changes, expected_version: int, stamp: Stamp) -> int:
        raise ReadOnlyStore(_READ_ONLY)

    def retire(self, event_id: str, expected_version: int, stamp: Stamp) -> int:
        raise ReadOnlyStore(_READ_ONLY)

    def replace_place_status(self, table: pd.DataFrame) -> int:
        raise ReadOnlyStore(_READ_ONLY)

    def history(self, event_id: str) -> list[Change]:
        """No audit trail: the files change only through the curation history in git."""
        return []


def newest_first(events: pd.DataFrame) -> np.ndarray:
    """Row positions of ``events`` newest first: by date (undated last), then the later row first.

    The order of ``PostgisStore.load(limit=...)``, where "later" is the order the rows were added.
    """
    dates = pd.to_datetime(events["date"])
    days = dates.to_numpy("datetime64[ns]").astype("int64")
    return np.lexsort((-np.arange(len(events)), dates.isna().to_numpy(), -np.where(dates.isna(), 0, days)))

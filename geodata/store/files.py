"""The files backend: the shipped (or a given) event CSV, read-only. The embedded default store."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from ..events import check_events, read_table, shipped_events_path
from ..filtering import filter_events
from ..models import EventFilter, ValidationReport
from .base import AddResult, BBox, Change, ReadOnlyStore, Stamp

_READ_ONLY = ("The shipped event files are read-only; to keep team data, set BORDER_DASHBOARD_DATABASE_URL "
              "to a PostGIS database (see 'Team data' in the README).")


class FilesStore:
    """Events from a CSV file (default: the curated ``geodata/data/events.csv``), validated and enriched once.

    Parameters
    ----------
    path : str or path-like, optional
        An event CSV with the curated columns. Rows with errors are left out and listed in :attr:`report`.
    """

    writable = False

    def __init__(self, path=None):
        self._path = None if path is None else Path(path)
        self.label = "curated dataset" if path is None else str(path)
        self._events: gpd.GeoDataFrame | None = None
        self._report: ValidationReport | None = None

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

    def load(self, flt: EventFilter | None = None, *, bbox: BBox | None = None) -> gpd.GeoDataFrame:
        """The file's valid events passing ``flt`` and inside ``bbox``.

        Parameters
        ----------
        flt : EventFilter, optional
            As for :func:`geodata.filter_events`; ``None`` keeps every event.
        bbox : (min lon, min lat, max lon, max lat), optional
            Keep events inside this box (edges included).

        Returns
        -------
        geopandas.GeoDataFrame
            Without a filter or box, the very frame :func:`geodata.check_events` gives for the file (shared:
            do not mutate it); otherwise its matching rows, index preserved.
        """
        events = self._checked()
        if flt is not None and not flt.is_default():
            events = filter_events(events, flt)
        if bbox is not None:
            minx, miny, maxx, maxy = bbox
            events = events[events["lon"].between(minx, maxx) & events["lat"].between(miny, maxy)]
        return events

    def revision(self) -> int:
        """Always 0: the files do not change while the app runs."""
        return 0

    def add(self, events: gpd.GeoDataFrame, stamp: Stamp) -> AddResult:
        raise ReadOnlyStore(_READ_ONLY)

    def update(self, event_id: str, changes, expected_version: int, stamp: Stamp) -> int:
        raise ReadOnlyStore(_READ_ONLY)

    def retire(self, event_id: str, expected_version: int, stamp: Stamp) -> int:
        raise ReadOnlyStore(_READ_ONLY)

    def history(self, event_id: str) -> list[Change]:
        """No audit trail: the files change only through the curation history in git."""
        return []

"""Where a page's events come from: the shipped files, or the team's PostGIS store with the filter pushed down.

* **Files** (no ``BORDER_DASHBOARD_DATABASE_URL``): the embedded default store, ``geodata.store.FilesStore``
  over the shipped or configured file. It holds every event in memory (``in_memory``), so the page loads them
  all, filters them with ``geodata.filter_mask`` and the map receives the whole dataset once, then a selection
  per filter change.
* **Team store**: while it holds at most :data:`ROWS_IN_MEMORY` events (``geodata.store.BROWSER_ROWS_MAX``),
  every active event is read once per store revision, column by column (``PostgisStore.load``: one COPY parsed
  by Arrow), and the page filters them in pandas as for the files: the map, table and downloads hold every
  matching event, and the map receives the dataset once per revision. A bigger store pushes the filter down to
  SQL and loads the newest :data:`PAGE_ROWS` matching rows, cached per (revision, filter); the count, totals
  and timeline (``monthly_counts``) then cover every match and the page says what it left out. The "Data as
  of" line and the province options come from ``summary``, once per revision. The selected event is fetched by
  id when a capped page leaves it out.

If the database cannot be reached (at start or mid-session), the page shows the files store with a message.
The bounding box is not pushed down from the page (panning must not reload the map); the store and
``python -m geodata`` take one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

import geodata
from dashboard import cache, team_edits
from dashboard.text import md_escape
from geodata import DataAsOf, EventFilter
from geodata.provenance import is_ours
from geodata.store import BROWSER_ROWS_MAX, EventStore, FilesStore, StoreError, StoreSummary, monthly_counts, open_store

#: Seconds to wait for the database on each page run before showing the shipped data.
CONNECT_TIMEOUT = 3
#: The most events a team store may hold for a page to read them all (once per revision) and filter in pandas.
ROWS_IN_MEMORY = BROWSER_ROWS_MAX
#: A bigger store's page: the newest this many rows matching the filter (pushed down to SQL).
PAGE_ROWS = BROWSER_ROWS_MAX
#: Rows of selected events remembered per server process, so an edit survives the database going away.
_REMEMBERED = 256


@dataclass(frozen=True)
class Notice:
    """A message for the page: ``kind`` names the Streamlit element (error, warning, success, info), ``text`` is
    markdown with data text escaped."""

    kind: str
    text: str
    icon: str


@dataclass
class Page:
    """The events one run shows: ``events`` are the rows loaded; ``key`` names them as the map's dataset.

    For the team store, ``matching`` and ``total`` count every matching and every active stored event (the
    loaded rows may be fewer), ``counts`` are the matching rows by type and month when the page is capped, and
    ``as_of`` the facts of the "Data as of" line for the whole store. For the files all are None: every event
    is loaded.
    """

    events: gpd.GeoDataFrame
    key: str
    matching: int | None = None
    total: int | None = None
    counts: pd.DataFrame | None = None
    as_of: DataAsOf | None = None

    @property
    def capped(self) -> bool:
        """True when more events match than the page loaded."""
        return self.matching is not None and self.matching > len(self.events)

    @property
    def unloaded_matching(self) -> int:
        """Matching events the page did not load (0 unless capped)."""
        return max(0, self.matching - len(self.events)) if self.matching is not None else 0

    @property
    def unloaded_total(self) -> int:
        """Stored events the page did not load (0 for the files)."""
        return max(0, self.total - len(self.events)) if self.total is not None else 0

    def cap_message(self) -> str | None:
        """What the page leaves out when capped, and what to do about it."""
        if not self.capped:
            return None
        return (f"Showing the newest {len(self.events):,} of {self.matching:,} matching events; narrow the filter "
                "to see the others. The counts, metrics and timeline cover all of them; the map, table and "
                "downloads hold the events shown (`python -m geodata db export` writes every event).")

    def counts_with(self, shown: pd.DataFrame) -> pd.DataFrame | None:
        """Counts by type and month of every matching event plus the shown rows of an upload (capped pages only:
        otherwise None, and the shown rows are all there is)."""
        if not self.capped:
            return None
        theirs = shown[~is_ours(shown)]
        return pd.concat([self.counts, monthly_counts(theirs)], ignore_index=True)


@dataclass
class Source:
    """This run's source of events: ``store`` is the team store, or ``files`` (a :class:`FilesStore`) without a
    database or when it cannot be reached. Every method asks ``store`` through the store protocol; only how much
    of it a page loads depends on the backend (``in_memory``: every event, filtered in pandas)."""

    store: EventStore
    files: FilesStore  # the shipped (or configured) files: the data without a database, and the fallback
    url: str | None = None
    problem: str | None = None
    revision: int = 0
    summary: StoreSummary | None = None
    last_seen: dict = field(default_factory=dict)

    @property
    def database(self) -> bool:
        """True when the events come from the team database (configured and reachable)."""
        return self.store is not self.files

    @property
    def loads_all(self) -> bool:
        """True when a page holds every event of the store (the files, or a team store of at most
        :data:`ROWS_IN_MEMORY` events) and filters them in pandas."""
        if _in_memory(self.store):
            return True
        return self.database and self.summary is not None and self.summary.events <= ROWS_IN_MEMORY

    @property
    def events(self) -> gpd.GeoDataFrame:
        """The files' events (shared: do not mutate)."""
        return self.files.load()

    @property
    def label(self) -> str:
        """What the caption names as the data: the store and its change number, or the files."""
        return f"{self.store.label} (change {self.revision})" if self.database else self.store.label

    @property
    def report(self) -> geodata.ValidationReport:
        """Problems of the shown data: the files' rows with errors; none for the store (checked on every write)."""
        return geodata.ValidationReport(rows=self.summary.events) if self.database else self.files.report

    @property
    def provinces(self) -> tuple[str, ...] | None:
        """The province codes of the store's events (the filter's options beyond an upload's), or None when the
        store was lost during this run."""
        return self.summary.provinces if self.summary is not None else None

    def notices(self) -> list[Notice]:
        """The database-unreachable message, and the outcome of the last write (kept across its rerun), for the
        page to show: this module draws nothing."""
        out = [Notice("error", md_escape(self.problem), "⚠️")] if self.problem else []
        if message := team_edits.flash():
            out.append(Notice("success", md_escape(message), "✅"))
        return out

    def page(self, flt: EventFilter) -> Page:
        """The events to show for ``flt``: every event of an in-memory store (the files), or the store's newest
        matching rows."""
        if _in_memory(self.store):  # the page filters them in pandas; the map gets the dataset once
            return Page(self.store.load(), key=self.label)
        try:
            if self.loads_all:  # every event, once per revision: filtered in pandas as the files are
                return Page(cache.team_events(*self._key(), self.store), key=self.label, as_of=self.summary.as_of)
            rows, counts = cache.team_page(*self._key(), flt, PAGE_ROWS, self.store)
        except StoreError as exc:  # lost since the revision was read: the shipped data, as at start
            self._lost(exc)
            return Page(self.store.load(), key=self.label)
        matching = int(counts["events"].sum()) if counts is not None else len(rows)
        digest = hashlib.sha256(repr(flt).encode("utf-8")).hexdigest()[:16]
        return Page(rows, key=f"{self.label}|{digest}", matching=matching, total=self.summary.events,
                    counts=counts, as_of=self.summary.as_of)

    def with_selected(self, events: gpd.GeoDataFrame, selected: str | None) -> gpd.GeoDataFrame:
        """``events`` plus, fetched by id when the filter left them out, the selected event and its nearest
        crossing (for the details panel and the edit form). An in-memory store's page holds every event."""
        if not selected or _in_memory(self.store):
            return events
        if self.loads_all:  # every stored event is here: the selected one only needs remembering
            row = events[events["id"] == selected]
            if len(row):
                self._remember(selected, row)
            return events
        fetched = []
        row = events[events["id"] == selected]
        if row.empty:
            row = self._rows((selected,))
            fetched.append(row)
        crossing = row["nearest_crossing"].iloc[0] if len(row) else None
        if isinstance(crossing, str) and crossing and not (events["id"] == crossing).any():
            fetched.append(self._rows((crossing,)))
        if len(row):
            self._remember(selected, row)
        fetched = [f for f in fetched if len(f)]
        if not fetched:
            return events
        combined = pd.concat([events, *fetched], ignore_index=True)
        return gpd.GeoDataFrame(combined, geometry="geometry", crs=events.crs)

    def remembered(self, event_id: str) -> gpd.GeoDataFrame | None:
        """The selected event's row as last seen in the store (for an edit while the database is away)."""
        return self.last_seen.get(event_id)

    def place_status(self) -> pd.DataFrame:
        """Status periods of crossings and markets: the store's, or the shipped file's when the store's cannot
        be read."""
        try:
            return cache.team_place_status(self._key()[0], self.store)
        except StoreError:
            return self.files.place_status()  # the events came through; a status table must not cost the page

    def _key(self) -> tuple[str, int]:
        """What names the store's state in the caches: the database URL and revision, or the files' label."""
        return (self.url, self.revision) if self.database else _files_key(self.files)

    def _rows(self, ids: tuple[str, ...]) -> gpd.GeoDataFrame:
        try:
            return cache.team_rows(*self._key(), ids, self.store)
        except StoreError:
            return self.files.load().iloc[:0]

    def _remember(self, event_id: str, row: gpd.GeoDataFrame) -> None:
        self.last_seen.pop(event_id, None)
        self.last_seen[event_id] = row.iloc[:1]
        while len(self.last_seen) > _REMEMBERED:
            self.last_seen.pop(next(iter(self.last_seen)))

    def _lost(self, exc: StoreError) -> None:
        self.store, self.summary = self.files, None
        self.problem = _unreachable(exc)


def _files_key(files: FilesStore) -> tuple[str, int]:
    return f"files|{files.label}", 0


def _in_memory(store: EventStore) -> bool:
    return bool(getattr(store, "in_memory", False))  # an optional capability of the protocol (FilesStore's)


def _unreachable(exc: StoreError) -> str:
    return f"{exc} Showing the shipped data; team data come back when the database does."


def load(files: FilesStore, url: str | None) -> Source:
    """The source for ``url`` (Settings.database_url): the team store when it is reachable (its revision and
    summary read), otherwise ``files`` (the shipped or configured events) with a message when a database is
    configured."""
    if url is None:
        return Source(files, files, summary=cache.team_summary(*_files_key(files), files))
    last_seen = cache.team_last_seen(url)
    try:
        store = open_store(url, connect_timeout=CONNECT_TIMEOUT)
        revision = store.revision()
        summary = cache.team_summary(url, revision, store)
    except StoreError as exc:
        return Source(files, files, url=url, problem=_unreachable(exc), last_seen=last_seen,
                      summary=cache.team_summary(*_files_key(files), files))
    return Source(store, files, url=url, revision=revision, summary=summary, last_seen=last_seen)

"""The event-store seam: what every backend offers, the stamps it records and the errors it raises.

Every error message here is meant for an analyst: it names the event and field, never SQL, a server's internal
path or a password.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import geopandas as gpd
import pandas as pd

from ..models import EventFilter, Problem
from .summary import StoreSummary

#: (min lon, min lat, max lon, max lat) in EPSG:4326; edges included.
BBox = tuple[float, float, float, float]


class StoreError(Exception):
    """A store action did not happen; the message says why in an analyst's words."""


class StoreUnavailable(StoreError):
    """The database cannot be reached (down, unreachable, refused the login). Nothing was changed."""


class ReadOnlyStore(StoreError):
    """The backend cannot be written (the shipped files)."""


class VersionConflict(StoreError):
    """Someone else changed the event since this editor read it; nothing was changed.

    Attributes name the event, the version the editor started from and the one now stored, and who changed it.
    """

    def __init__(self, event_id: str, expected: int, current: int, changed_by: str | None,
                 changed_at: dt.datetime | None, retired: bool = False):
        self.event_id, self.expected, self.current = event_id, expected, current
        self.changed_by, self.changed_at, self.retired = changed_by, changed_at, retired
        who = changed_by or "someone else"
        when = f" at {changed_at.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC" if changed_at else ""
        what = "retired" if retired else "changed"
        super().__init__(
            f"Event {event_id!r} was {what} by {who}{when} after you opened it (you started from version "
            f"{expected}, it is now version {current}). Your change was not saved; reload the event, "
            "then apply your change again."
        )


class RowRejected(StoreError):
    """The row breaks the event schema; ``problems`` names every field. Nothing was changed."""

    def __init__(self, event_id: str, problems: Sequence[Problem]):
        self.event_id, self.problems = event_id, list(problems)
        details = "; ".join(f"field '{p.field}': {p.message}" for p in self.problems[:10])
        super().__init__(f"Event {event_id!r} was not saved: {details}")


class UnknownEvent(StoreError):
    """No event with that id in the store."""


@dataclass(frozen=True)
class Stamp:
    """Who makes a change and from which file (``when`` is the database's clock at commit)."""

    who: str
    source_file: str | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        if not (self.who or "").strip():
            raise StoreError("Say who makes the change: a name is recorded with every change.")
        object.__setattr__(self, "who", self.who.strip())


@dataclass(frozen=True)
class AddResult:
    """Ids written, and ids left out because the store already holds an event with that id."""

    added: tuple[str, ...] = ()
    already_present: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    """One entry of an event's audit trail. ``before``/``after`` hold the CSV columns as text; ``changed_by`` is
    the name the app passed (its signed-in or typed user), else the database login, which ``db_role`` holds."""

    event_id: str
    version: int
    action: str  # "add" | "edit" | "retire"
    changed_by: str
    changed_at: dt.datetime
    source_file: str | None = None
    reason: str | None = None
    before: dict | None = None
    after: dict | None = None
    changed_fields: tuple[str, ...] = field(default=())
    db_role: str | None = None  # the database login that made the change (None before migration 0006)


@runtime_checkable
class EventStore(Protocol):
    """Where the events live. ``load`` returns frames shaped like :func:`geodata.load_events`.

    A backend holding every event in memory (:class:`~geodata.store.FilesStore`) also sets ``in_memory = True``:
    a page then takes all its events and filters them itself instead of asking for each filter's rows.
    """

    label: str
    writable: bool

    def load(self, flt: EventFilter | None = None, *, bbox: BBox | None = None,
             limit: int | None = None) -> gpd.GeoDataFrame:
        """Active events passing ``flt`` and inside ``bbox`` (the filter runs where the data live); with ``limit``,
        only the newest that many (by date, undated last, then the last added first), newest first."""

    def monthly_counts(self, flt: EventFilter | None = None, *, bbox: BBox | None = None) -> pd.DataFrame:
        """Events passing ``flt`` counted by type and month (the shape of :func:`geodata.store.monthly_counts`)."""

    def find(self, ids: Sequence[str]) -> gpd.GeoDataFrame:
        """The active events with these ids (those that exist), in the order they were added."""

    def summary(self) -> StoreSummary:
        """The active events at a glance: how current, how many, which provinces."""

    def place_status(self) -> pd.DataFrame:
        """Status periods of crossings and markets, shaped like :func:`geodata.load_place_status`."""

    def revision(self) -> int:
        """A number that changes whenever the stored events change (a cache key)."""

    def add(self, events: gpd.GeoDataFrame, stamp: Stamp) -> AddResult:
        """Write validated, enriched events (as from :func:`geodata.import_events`) in one transaction."""

    def update(self, event_id: str, changes: Mapping[str, str], expected_version: int, stamp: Stamp) -> int:
        """Change fields of one event if it is still at ``expected_version``; returns the new version."""

    def retire(self, event_id: str, expected_version: int, stamp: Stamp) -> int:
        """Take an event off the map (kept with its history); returns the new version."""

    def history(self, event_id: str) -> list[Change]:
        """The event's audit trail, oldest first."""

    def replace_place_status(self, table: pd.DataFrame) -> int:
        """Replace the status periods with ``table``'s (raw rows, checked like place_status.csv); returns how many."""

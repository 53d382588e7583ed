"""The event store: where the events live, behind one small protocol.

Two backends: :class:`FilesStore`, the shipped (or a given) CSV, read-only and the embedded default; and
:class:`~geodata.store.postgis.PostgisStore`, a team's shared PostGIS table chosen by the environment variable
``BORDER_DASHBOARD_DATABASE_URL`` (needs the ``postgis`` extra: psycopg). Filters run where the data live.
"""

from __future__ import annotations

from collections.abc import Mapping

from ._columnar import positions_of
from ._records import as_text as events_text
from ._records import row_text as event_text
from .base import (
    AddResult,
    BBox,
    Change,
    EventStore,
    ReadOnlyStore,
    RowRejected,
    Stamp,
    StoreError,
    StoreUnavailable,
    UnknownEvent,
    VersionConflict,
)
from .files import FilesStore
from .summary import StoreSummary, monthly_counts, page_of

#: The most events a page sends to one browser (the map's dataset, the table, the downloads). A team store with
#: more matching events than this has them counted and placed in SQL instead (``PostgisStore.grid_counts``), and
#: the page says so. Measured at 1,000,000 events: a 41 MB map dataset, a 638 MB frame (+1.1 GB RSS to load it).
BROWSER_ROWS_MAX = 2_000_000
#: Environment variable naming the team's PostGIS database (a libpq URL); unset means the shipped files.
DATABASE_URL_ENV = "BORDER_DASHBOARD_DATABASE_URL"


def database_url(environ: Mapping[str, str]) -> str | None:
    """The team database URL configured in ``environ`` (a process environment), or None for the shipped files."""
    value = str(environ.get(DATABASE_URL_ENV, "")).strip()
    return value or None


def open_store(url: str | None = None, **options) -> EventStore:
    """The store for ``url``: PostGIS for a ``postgresql://`` URL, the shipped files for None.

    Parameters
    ----------
    url : str, optional
        A libpq connection URL (``postgresql://user:password@host:port/dbname``); None gives the files backend.
    **options
        Passed to the PostGIS backend (``connect_timeout`` in seconds).

    Returns
    -------
    EventStore
        Opening never connects: the first action does, and reports an unreachable server as
        :class:`StoreUnavailable`.

    Raises
    ------
    StoreError
        If the URL is not a PostgreSQL one, or psycopg is not installed.
    """
    if url is None:
        return FilesStore()
    if not url.startswith(("postgresql://", "postgres://")):
        raise StoreError(f"{DATABASE_URL_ENV} must be a postgresql:// URL.")
    from .postgis import PostgisStore  # psycopg is optional: imported only when a database is configured

    return PostgisStore(url, **options)


__all__ = [
    "BROWSER_ROWS_MAX",
    "DATABASE_URL_ENV",
    "AddResult",
    "BBox",
    "Change",
    "EventStore",
    "FilesStore",
    "ReadOnlyStore",
    "RowRejected",
    "Stamp",
    "StoreError",
    "StoreSummary",
    "StoreUnavailable",
    "UnknownEvent",
    "VersionConflict",
    "database_url",
    "event_text",
    "events_text",
    "monthly_counts",
    "open_store",
    "page_of",
    "positions_of",
]

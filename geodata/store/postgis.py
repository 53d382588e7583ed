"""The PostGIS backend: a team's shared event table, with versions and an audit trail.

One connection per action and one transaction per write, so a failure (a refused row, a lost connection) leaves
the table as it was. Messages name events and fields in an analyst's words; SQL and server details stay here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from contextlib import contextmanager

import geopandas as gpd
import numpy as np
import pandas as pd

from ..models import EVENT_COLUMNS, EventFilter
from ..provenance import DataAsOf
from ._actor_ids import refresh_actor_ids
from ._columnar import read_columns, read_row_numbers
from ._grid import grid_counts
from ._records import STORED, edited_row, from_columns, row_text, to_copy_csv
from ._reference import fill_reference
from ._sql_filters import where_clause
from ._status_table import read_status, write_status
from ._wording import describe_url
from ._wording import reason as _reason
from .base import (
    AddResult,
    BBox,
    Change,
    Stamp,
    StoreError,
    StoreUnavailable,
    UnknownEvent,
    VersionConflict,
)
from .roles import CAN_WRITE_SQL, roles_sql
from .schema import migrate
from .summary import COUNT_COLUMNS, StoreSummary, typed_counts

try:
    import psycopg
    from psycopg.rows import dict_row
except ImportError:  # pragma: no cover - the optional extra is missing
    psycopg = None

_COLUMNS = ", ".join(STORED)
_EDITABLE = tuple(c for c in EVENT_COLUMNS if c != "id")
_CONSTRAINT_FIELD = re.compile(r"^events_(.+?)(?:_range|_needed)?_check$")


class PostgisStore:
    """Events in a PostGIS database (see ``python -m geodata db init``).

    Parameters
    ----------
    url : str
        A libpq connection string, e.g. ``postgresql://user:password@host:5432/dbname``.
    connect_timeout : float
        Seconds to wait for the server before reporting it unreachable.
    """

    writable = True

    def __init__(self, url: str, *, connect_timeout: float = 5):
        if psycopg is None:
            raise StoreError("The PostGIS store needs psycopg: pip install -e '.[postgis]'.")
        self._url = url
        self._timeout = connect_timeout
        self.label = f"team database {describe_url(url)}"

    # ------------------------------------------------------------------------------------------ plumbing

    @contextmanager
    def _session(self, action: str, rows: pd.DataFrame | None = None, *, writes: bool = True):
        """A connection for one action; every database error leaves here as a StoreError in plain words."""
        unchanged = " Nothing was changed." if writes else ""
        try:
            with psycopg.connect(self._url, connect_timeout=max(1, int(self._timeout)), autocommit=True,
                                 application_name="border-dashboard") as conn:
                yield conn
        except StoreError:
            raise
        except psycopg.OperationalError as exc:
            raise StoreUnavailable(
                f"The {self.label} cannot be reached: {_reason(exc, self._timeout)}.{unchanged}"
            ) from None
        except psycopg.errors.UndefinedTable:
            raise StoreError(f"The {self.label} has no event tables yet: run `python -m geodata db init`.") from None
        except psycopg.IntegrityError as exc:
            raise StoreError(self._refused(exc, action, rows)) from None
        except psycopg.errors.InsufficientPrivilege:  # a viewer's write, or an editor's migration
            raise StoreError(f"The {self.label} user may not {action}: its database role does not allow it "
                             f"(see docs/SECURITY.md, 'Database roles').{unchanged}") from None
        except psycopg.Error as exc:
            raise StoreError(f"The {self.label} could not {action} (error {exc.sqlstate or 'unknown'}).{unchanged}"
                             ) from None

    def _refused(self, exc, action: str, rows: pd.DataFrame | None) -> str:
        """Which row and field a constraint refused (our validation runs first, so this is a last line)."""
        diag = exc.diag
        match = _CONSTRAINT_FIELD.match(diag.constraint_name or "")
        field = match[1] if match else (diag.column_name or "a field")
        where = ""
        failing = re.search(r"Failing row contains \(([^,)]*)", diag.message_detail or "")
        if failing and rows is not None and "id" in rows:
            ids = rows["id"].astype(str).tolist()
            event_id = failing[1]
            where = f"row {ids.index(event_id) + 2} (id {event_id}), " if event_id in ids else f"id {event_id}, "
        return (f"The database refused to {action}: {where}field '{field}' breaks the schema's rule. "
                "Nothing was changed.")

    def migrate(self) -> list[str]:
        """Create or upgrade the schema (see :mod:`geodata.store.schema`); return the names of the steps applied."""
        with self._session("create the schema") as conn:
            try:
                applied = [f"{m.version:04d}_{m.name}" for m in migrate(conn)]
                fill_reference(conn)  # what the database's own rules measure against (migration 0006)
                return applied
            except psycopg.errors.InsufficientPrivilege:
                raise StoreError(
                    f"The {self.label} user may not create the schema or the 'postgis'/'pg_trgm' extensions; "
                    "a database administrator must add those extensions (or run db init as the owner)."
                ) from None
            except (psycopg.errors.FeatureNotSupported, psycopg.errors.UndefinedFile):  # no extension files
                raise StoreError(f"The server of the {self.label} has no PostGIS (or pg_trgm) installed; "
                                 "on Debian: apt-get install postgis.") from None

    def apply_roles(self) -> None:
        """Create the viewer, editor and owner roles if missing and grant their rights (:mod:`geodata.store.roles`).

        Raises StoreError if this user may not (no CREATEROLE, not the tables' owner): the message says to run
        ``python -m geodata db roles-sql`` as an administrator.
        """
        with self._session("set up the roles") as conn:
            try:
                with conn.transaction():
                    conn.execute(roles_sql())
            except psycopg.errors.InsufficientPrivilege:
                raise StoreError(f"The {self.label} user may not create roles or grant rights on the tables: "
                                 "an administrator can run the SQL of `python -m geodata db roles-sql`.") from None

    def refresh_actor_ids(self) -> int:
        """Derive every stored row's ``actor_ids`` again from its actors text and country (after migration 0005,
        or after ``actors.csv`` changed), as :func:`geodata.actors.actor_ids` does on load; return the rows changed.

        The actor filter's SQL reads this column, so it must agree with the ids a load computes. Retired rows are
        refreshed too.
        """
        with self._session("refresh the actor ids") as conn, conn.transaction(), conn.cursor() as cur:
            return refresh_actor_ids(cur)

    # ------------------------------------------------------------------------------------------ reads

    def load(self, flt: EventFilter | None = None, *, bbox: BBox | None = None,
             limit: int | None = None) -> gpd.GeoDataFrame:
        """Active events passing ``flt`` and inside ``bbox``, filtered by the database.

        Parameters
        ----------
        flt : EventFilter, optional
            Pushed down to SQL with the meaning of :func:`geodata.filter_events` (text search uses the
            database's lower-casing).
        bbox : (min lon, min lat, max lon, max lat), optional
            Keep events inside this box (edges included), answered from the spatial index.
        limit : int, optional
            Only the newest ``limit`` matching events (by date, undated last, then the last added first).

        Returns
        -------
        geopandas.GeoDataFrame
            The columns and dtypes of :func:`geodata.load_events`, plus ``version`` (for edits) and ``seq`` (the
            stored row number, for :meth:`matching_rows`): in the order the rows were added, or newest first with
            ``limit``. Read into columns (:mod:`geodata.store._columnar`): a million rows without a Python
            object per cell, so the page can hold every matching event.
        """
        where, params = where_clause(flt, bbox)
        if limit is not None:
            params["limit"] = max(0, int(limit))
        return self._columns_out(where, params, "load the events", newest=limit is not None)

    def find(self, ids) -> gpd.GeoDataFrame:
        """The active events with these ids (unknown or retired ids are left out), in the order they were added."""
        return self._columns_out("retired_at IS NULL AND id = ANY(%(ids)s)", {"ids": [str(i) for i in ids]},
                                 "load the events")

    def matching_rows(self, flt: EventFilter | None = None, *, bbox: BBox | None = None) -> np.ndarray:
        """The stored row numbers (the ``seq`` column of :meth:`load`'s frame) of the active events passing
        ``flt`` and inside ``bbox``, ascending: what a filter change asks of a page holding every event already
        (:func:`geodata.store.positions_of` turns them into positions). A binary COPY of one bigint column,
        viewed as an array without parsing: 14 bytes a match.
        """
        where, params = where_clause(flt, bbox)
        with self._session("find the matching events", writes=False) as conn, conn.cursor() as cur:
            return read_row_numbers(cur, where, params)

    def grid_counts(self, flt: EventFilter | None = None, *, cell_degrees: float = 0.1) -> pd.DataFrame:
        """Active events passing ``flt`` counted per grid cell by the database (:func:`geodata.store._grid.
        grid_counts`): the page's map when more events match than :data:`geodata.store.BROWSER_ROWS_MAX`."""
        where, params = where_clause(flt)
        with self._session("count the events by place", writes=False) as conn, conn.cursor() as cur:
            return grid_counts(cur, where, params, cell_degrees)

    def _columns_out(self, where: str, params: dict, action: str, *, newest: bool = False) -> gpd.GeoDataFrame:
        with self._session(action, writes=False) as conn, conn.cursor() as cur:
            frame = read_columns(cur, where, params, newest=newest)
        return from_columns(frame, extra=("version", "seq"))

    def monthly_counts(self, flt: EventFilter | None = None, *, bbox: BBox | None = None) -> pd.DataFrame:
        """Active events passing ``flt`` counted by type and month, with their fatalities, counted by the database.

        Returns the frame of :func:`geodata.store.monthly_counts` for the same rows (a few thousand rows at
        most, whatever the store holds): the page's totals and timeline when it loads only the newest rows.
        """
        where, params = where_clause(flt, bbox)
        with self._session("count the events", writes=False) as conn:
            rows = conn.execute(
                "SELECT event_type, date_trunc('month', date)::date, count(*), coalesce(sum(fatalities), 0), "
                f"count(*) FILTER (WHERE fatalities IS NULL) FROM events WHERE {where} GROUP BY 1, 2",
                params,
            ).fetchall()
        return typed_counts(pd.DataFrame(rows, columns=list(COUNT_COLUMNS)))

    def summary(self) -> StoreSummary:
        """How many active events, how current (the newest date or end date), how many sources, which provinces."""
        with self._session("summarise the events", writes=False) as conn:
            count, newest, sources, provinces, reviewed, can_write = conn.execute(
                "SELECT count(*), greatest(max(date), max(end_date)), "
                "count(DISTINCT btrim(source_url)) FILTER (WHERE btrim(source_url) <> ''), "
                "coalesce(array_agg(DISTINCT btrim(province)) FILTER (WHERE btrim(province) <> ''), '{}'), "
                f"max(last_checked), ({CAN_WRITE_SQL}) FROM events WHERE retired_at IS NULL"
            ).fetchone()
        return StoreSummary(DataAsOf(newest, int(count), int(sources), reviewed), tuple(sorted(provinces)),
                            can_write=bool(can_write))

    def place_status(self) -> pd.DataFrame:
        """The stored status periods of crossings and markets, shaped like :func:`geodata.load_place_status`."""
        with self._session("read the place status", writes=False) as conn:
            return read_status(conn)

    def replace_place_status(self, table: pd.DataFrame) -> int:
        """Replace every stored status period with those of ``table`` (raw text rows, as in place_status.csv).

        The rows are checked by :func:`geodata.status.validate_place_status` against the store's active
        crossings and markets, in the same transaction as the write. Returns the number of periods stored.

        Raises
        ------
        geodata.PlaceStatusError
            If any row has an error (its report names each row and field); nothing is changed.
        """
        with self._session("save the place status", rows=table) as conn, conn.transaction(), conn.cursor() as cur:
            return write_status(cur, table)

    def revision(self) -> int:
        """The number of the latest change: it grows with every add, edit and retirement."""
        with self._session("read the latest change", writes=False) as conn:
            return int(conn.execute("SELECT coalesce(max(change_id), 0) FROM event_history").fetchone()[0])

    def history(self, event_id: str) -> list[Change]:
        """Every change of one event, oldest first, with who, when, the file and the row before and after."""
        with self._session("read the history", writes=False) as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute("SELECT * FROM event_history WHERE event_id = %s ORDER BY change_id", (event_id,))
            rows = cur.fetchall()
        changes = []
        for row in rows:
            before = row_text(row["before"]) if row["before"] is not None else None
            after = row_text(row["after"]) if row["after"] is not None else None
            differ = tuple(c for c in EVENT_COLUMNS if before and after and before[c] != after[c])
            changes.append(Change(row["event_id"], row["version"], row["action"], row["changed_by"],
                                  row["changed_at"], row["source_file"], row["reason"], before, after, differ,
                                  row.get("db_role")))
        return changes

    # ------------------------------------------------------------------------------------------ writes

    def add(self, events: gpd.GeoDataFrame, stamp: Stamp) -> AddResult:
        """Write validated, enriched events in one transaction, stamped with who, when and which file.

        Events whose id the table already holds (active or retired) are left out and listed in the result;
        if the database refuses any row, nothing is written.
        """
        if len(events) == 0:
            return AddResult()
        data = to_copy_csv(events)
        params = {"who": stamp.who, "source": stamp.source_file}
        with self._session("add the events", rows=events) as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute(f"CREATE TEMP TABLE incoming ON COMMIT DROP AS SELECT {_COLUMNS} FROM events WITH NO DATA")
            cur.execute("ALTER TABLE incoming ADD COLUMN ord bigint GENERATED ALWAYS AS IDENTITY")
            with cur.copy(f"COPY incoming ({_COLUMNS}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(data)
            _stamp(cur, stamp)
            cur.execute(  # the table's triggers stamp each row and write its history (migration 0006)
                f"INSERT INTO events ({_COLUMNS}, added_by, source_file) "
                f"SELECT {_COLUMNS}, %(who)s, %(source)s FROM incoming ORDER BY ord "
                "ON CONFLICT (id) DO NOTHING RETURNING id",
                params,
            )
            added = {row[0] for row in cur.fetchall()}
        ids = events["id"].astype(str).tolist()
        return AddResult(tuple(i for i in ids if i in added), tuple(i for i in ids if i not in added))

    def _locked(self, cur, event_id: str, expected_version: int) -> dict:
        """The event's row, locked for this transaction, if nobody changed it since ``expected_version``."""
        cur.execute("SELECT * FROM events WHERE id = %s FOR UPDATE", (event_id,))
        row = cur.fetchone()
        if row is None:
            raise UnknownEvent(f"There is no event {event_id!r} in the {self.label}.")
        if row["retired_at"] is not None or row["version"] != expected_version:
            who = row["retired_by"] or row["changed_by"] or row["added_by"]
            when = row["retired_at"] or row["changed_at"] or row["added_at"]
            raise VersionConflict(event_id, expected_version, row["version"], who, when,
                                  retired=row["retired_at"] is not None)
        return row

    def update(self, event_id: str, changes: Mapping[str, str], expected_version: int, stamp: Stamp) -> int:
        """Change fields of one event if it is still at ``expected_version``.

        Parameters
        ----------
        event_id : str
            The event to change (its id cannot change).
        changes : mapping of column name to text
            New values as they would appear in the CSV (``""`` empties a field).
        expected_version : int
            The version the editor read; if the stored one differs, :class:`VersionConflict` is raised.
        stamp : Stamp
            Who makes the change (and an optional reason).

        Returns
        -------
        int
            The new version (unchanged if the values are the same as stored).

        Raises
        ------
        VersionConflict, RowRejected, UnknownEvent, StoreUnavailable
            Nothing is changed in any of these cases.
        """
        unknown = sorted(set(changes) - set(_EDITABLE))
        if unknown:
            raise StoreError(f"Event {event_id!r}: these fields cannot be edited: {', '.join(unknown)}.")
        with self._session("save the change") as conn, conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            row = self._locked(cur, event_id, expected_version)
            before = row_text(row)
            after, valid = edited_row(event_id, before, changes)
            if valid is None:
                return row["version"]
            values = _stored_values(valid, after)
            assignments = ", ".join(f"{c} = %({c})s" for c in STORED if c != "id")
            _stamp(cur, stamp)
            cur.execute(f"UPDATE events SET {assignments} WHERE id = %(id)s RETURNING version",
                        {**values, "id": event_id})
            return cur.fetchone()["version"]  # the new version and the history row: the table's triggers

    def retire(self, event_id: str, expected_version: int, stamp: Stamp) -> int:
        """Take an event off the map if it is still at ``expected_version``; it keeps its row and history.

        Returns the new version; raises :class:`VersionConflict` (nothing changed) otherwise.
        """
        with self._session("retire the event") as conn, conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            self._locked(cur, event_id, expected_version)
            _stamp(cur, stamp)
            cur.execute("UPDATE events SET retired_at = now(), retired_reason = %s WHERE id = %s RETURNING version",
                        (stamp.reason, event_id))
            return cur.fetchone()["version"]


def _stamp(cur, stamp: Stamp) -> None:
    """Tell the table's triggers who makes this transaction's change, from which file and why: they record it
    with the login role in ``event_history`` (settings local to the transaction)."""
    cur.execute("SELECT set_config('border.user', %s, true), set_config('border.source_file', %s, true), "
                "set_config('border.reason', %s, true)", (stamp.who, stamp.source_file or "", stamp.reason or ""))


def _stored_values(enriched: pd.Series, text: Mapping[str, str]) -> dict:
    """Parameters for every stored column: the CSV text (empty → NULL) and the freshly derived values."""
    values = {c: (text[c] or None) for c in EVENT_COLUMNS}
    for column in STORED[len(EVENT_COLUMNS):]:
        value = enriched[column]
        if pd.isna(value):
            values[column] = None
        elif hasattr(value, "date"):
            values[column] = value.date()
        else:
            values[column] = value.item() if hasattr(value, "item") else value
    return values

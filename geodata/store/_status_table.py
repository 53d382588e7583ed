"""The place-status table (migration 0003) in and out: the periods of place_status.csv, checked on the way in."""

from __future__ import annotations

import pandas as pd

from ..models import PLACE_TYPES
from ..status import STATUS_COLUMNS, PlaceStatusError, _dates, validate_place_status

_SELECT = ('SELECT place_id, status, start, "end", note, source_title, source_url FROM place_status '
           "ORDER BY place_id, start")
_INSERT = ('INSERT INTO place_status (place_id, status, start, "end", note, source_title, source_url) '
           "VALUES (%s, %s, %s, %s, %s, %s, %s)")


def read_status(conn) -> pd.DataFrame:
    """Every stored period, in the frame shape :func:`geodata.load_place_status` gives for the CSV."""
    rows = conn.execute(_SELECT).fetchall()
    frame = pd.DataFrame(rows, columns=list(STATUS_COLUMNS), dtype=object)
    for column in ("place_id", "status", "note", "source_title", "source_url"):
        # The CSV's empty cells are stored as NULL and read back as the empty text the file reader gives.
        frame[column] = frame[column].fillna("").astype("string")
    for column in ("start", "end"):  # through the CSV's text, so the dates get the file reader's dtype
        frame[column] = _dates(frame[column].map(lambda d: d.isoformat() if d is not None else "").astype("string"))
    return frame.reset_index(drop=True)


def _text(value) -> str | None:
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()
    return text or None


def write_status(cur, table: pd.DataFrame) -> int:
    """Replace the stored periods with ``table``'s (raw text rows) after checking them against the active places.

    Runs in the caller's transaction; raises :class:`geodata.PlaceStatusError` (nothing written) on bad rows.
    """
    cur.execute("SELECT id FROM events WHERE retired_at IS NULL AND event_type = ANY(%s)", (list(PLACE_TYPES),))
    places = [row[0] for row in cur.fetchall()]
    report = validate_place_status(table, places)
    if not report.ok:
        raise PlaceStatusError(report, source="the status periods")
    rows = []
    for _, row in table.reset_index(drop=True).iterrows():
        values = [_text(row.get(column)) for column in STATUS_COLUMNS]
        values[2] = pd.Timestamp(values[2]).date()  # validated: a YYYY-MM-DD date
        values[3] = pd.Timestamp(values[3]).date() if values[3] else None
        rows.append(values)
    cur.execute("DELETE FROM place_status")
    if rows:
        cur.executemany(_INSERT, rows)
    return len(rows)

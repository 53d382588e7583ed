"""Bring an analyst's own data in: ACLED, UCDP GED, GeoJSON, GeoPackage, or our columns as CSV, Excel or JSON.

Data flows one way, each step once: read (the container is told by the bytes, never the file name) → map onto
our columns (the source is told by its column names) → validate and enrich → one report. Files are parsed as
text, JSON, Excel XML or OGR vector data only; nothing is ever unpickled or executed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._csv import read_all_text
from ..actors import unrecognised_note
from ..boundaries import AREA_WORDS
from ..cell_rules import MAX_CELL_CHARS
from ..events import check_events
from ..models import EVENT_COLUMNS, PLACE_TYPES, Problem
from ..validation import INCIDENT_RANGE_KM, parse_numbers, place_in_area
from . import _acled, _ours, _ucdp
from ._common import Mapped, rows_text
from ._report import ImportReport, ImportResult
from ._sheets import is_geojson, is_xlsx, parse_json, read_xlsx, records_table
from ._text import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    MISSING_TOKENS,
    ImportFormatError,
    check_size,
    decode,
    delimiter_name,
    long_cells,
    mask_missing,
    read_csv_text,
    sniff_delimiter,
    tidy,
)
from ._vector import is_geopackage, read_vector

__all__ = [
    "MAX_CELL_CHARS", "MAX_FILE_BYTES", "MAX_ROWS", "MISSING_TOKENS", "ImportFormatError", "ImportReport",
    "ImportResult", "detect_format", "import_events", "read_event_table", "read_our_table", "read_source",
]

_LABELS = {"acled": "ACLED export", "ucdp": "UCDP GED", "events": "Our event columns"}


@dataclass
class _Source:
    table: pd.DataFrame  # strings, lower-case column names
    rows: np.ndarray  # each row's number as the user sees it (spreadsheet row, record or feature number)
    container: str  # "CSV", "xlsx", "API JSON", "GeoJSON", ...
    problems: list[tuple[str, pd.Series, str]] = field(default_factory=list)
    vector: str = ""  # "geojson" / "gpkg" for vector files


def _display_name(name: str) -> str:
    """Only the file's own name goes into messages, never the folder it came from."""
    return Path(str(name)).name or "upload"


def _read(data: bytes, name: str) -> _Source:
    if is_geopackage(data):
        table, rows, error = read_vector(data, name, "GeoPackage")
        return _Source(tidy(table, name), rows, "GeoPackage", [("geometry", error, "error")], "gpkg")
    if is_xlsx(data):
        table = tidy(read_xlsx(data, name), name)
        return _Source(table, np.arange(len(table)) + 2, "xlsx")
    if data.startswith(b"PK\x03\x04"):
        raise ImportFormatError(f"{name}: a zip archive, not an Excel workbook (.xlsx); unpack it first")
    fast = _read_utf8_csv(data, name)
    if fast is not None:
        return fast
    text, encoding = decode(data, name)
    if text[:4096].lstrip()[:1] in ("{", "["):  # a slice: lstrip() on the whole text would copy it
        doc = parse_json(text, name)
        if is_geojson(doc):
            del doc  # OGR reads the bytes again; do not hold two copies of a large file
            table, rows, error = read_vector(data, name, "GeoJSON")
            return _Source(tidy(table, name), rows, "GeoJSON", [("geometry", error, "error")], "geojson")
        table, container = records_table(doc, name)
        table = tidy(table, name)
        return _Source(table, np.arange(len(table)) + 1, container)
    utf8 = data[3:] if encoding == "utf-8-sig" else data if encoding == "utf-8" else None
    table, delimiter = read_csv_text(text, name, utf8)
    return _csv_source(table, delimiter, encoding, name)


def _read_utf8_csv(data: bytes, name: str) -> _Source | None:
    """The common case without decoding the whole file in Python: UTF-8 CSV straight into Arrow (which checks
    the UTF-8 itself). None when the file is something else, or anything about it needs the careful path."""
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    head = body[:65536]
    if b"\x00" in head or head.lstrip()[:1] in (b"{", b"[") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    delimiter = sniff_delimiter(head.decode("utf-8", "replace"))
    try:
        table = read_all_text(body, delimiter)
    except Exception:  # not UTF-8, ragged, oddly quoted: the careful path decodes and explains
        return None
    return _csv_source(table, delimiter, "utf-8", name)


def _csv_source(table: pd.DataFrame, delimiter: str, encoding: str, name: str) -> _Source:
    details = [f"{delimiter_name(delimiter)}-delimited"] if delimiter != "," else []
    if encoding not in ("utf-8", "utf-8-sig"):
        details.append(encoding)
    container = "CSV" + (f", {', '.join(details)}" if details else "")
    table = tidy(table, name)
    return _Source(table, np.arange(len(table)) + 2, container)


def detect_format(columns) -> str:
    """``"acled"``, ``"ucdp"``, ``"events"`` (our columns) or ``""`` (not recognised) from column names.

    Parameters
    ----------
    columns : iterable of str
        Column names as found in the file (any case, surrounding spaces ignored).
    """
    names = {str(c).strip().lower() for c in columns}
    if _acled.matches(names):
        return "acled"
    if _ucdp.matches(names):
        return "ucdp"
    if _ours.matches(names):
        return "events"
    return ""


def _describe(kind: str, source: _Source) -> str:
    if kind == "acled":
        return f"ACLED export ({_acled.layout(set(source.table.columns))}, {source.container})"
    if kind == "ucdp":
        return f"UCDP GED ({source.container})"
    return f"Our event columns ({source.container})"


def _unrecognised(name: str, source: _Source) -> ImportFormatError:
    shown = ", ".join(repr(c[:40])[1:-1] for c in list(source.table.columns)[:8])
    return ImportFormatError(f"{name}: {source.container} with columns not recognised as ACLED, UCDP GED or our "
                             f"event columns (found: {shown or 'none'}); see docs/IMPORTS.md")


def _problems(mapped: Mapped, source: _Source) -> tuple[list[Problem], np.ndarray]:
    """Problems found while reading and mapping, and which rows they refuse (errors) before validation."""
    ids = mapped.table["id"].astype("string").fillna("").to_numpy(dtype=object) if "id" in mapped.table else None
    refused = np.zeros(len(mapped.table), dtype=bool)
    problems = []
    for column, messages, severity in [*source.problems, *mapped.problems]:
        texts = messages.to_numpy(dtype=object)
        flagged = np.flatnonzero(texts != "")
        problems += [Problem(int(source.rows[p]), column, texts[p], severity, ids[p] if ids is not None else "")
                     for p in flagged]
        if severity == "error":
            refused[flagged] = True
    for pos, column, message in long_cells(source.table):
        problems.append(Problem(int(source.rows[pos]), column, message, "error", ids[pos] if ids is not None else ""))
        refused[pos] = True
    return problems, refused


def _outside(table: pd.DataFrame) -> np.ndarray:
    """Rows with valid coordinates outside the map area (swapped lat/lon are left for validation to name)."""
    if "lat" not in table or "lon" not in table:
        return np.zeros(len(table), dtype=bool)
    _, _, outside = place_in_area(parse_numbers(table["lat"]), parse_numbers(table["lon"]))
    return outside.to_numpy(dtype=bool)


def import_events(data: bytes, name: str = "upload", *,
                  progress: Callable[[float, str], None] | None = None) -> ImportResult:
    """Read an analyst's file into validated, enriched events.

    Parameters
    ----------
    data : bytes
        File contents: CSV (any of comma, semicolon, tab or pipe; UTF-8, UTF-16 with BOM, cp1252 or latin-1),
        Excel ``.xlsx``, JSON (ACLED's API response with or without its envelope), GeoJSON or GeoPackage. The
        container is told by the bytes and the source (ACLED of any layout since 2013, UCDP GED, or our columns)
        by the column names; the extension is not trusted.
    name : str
        File name, used in messages (only its last part).
    progress : callable, optional
        Called as ``progress(fraction, what)`` when each stage starts (reading, mapping, checking and placing
        the rows), with ``fraction`` in [0, 1) the share of a typical import's time already done, and once with
        1.0 at the end. For a progress bar on long imports; it must not raise.

    Returns
    -------
    ImportResult
        Unpacks as ``(events, report, kind)``: the valid rows (enriched like :func:`geodata.load_events`), an
        :class:`ImportReport` (headline naming the format, summary lines, every bad row and field), and the
        detected source (``acled``, ``ucdp``, ``events``, or ``geojson``/``gpkg`` for vector files in our columns).

    Raises
    ------
    ImportFormatError
        If nothing in the file can be read (empty, too large, not a supported format, unknown columns); the
        message names the file and the reason, never an internal path.
    """
    name = _display_name(name)
    report_progress = progress or (lambda fraction, what: None)
    check_size(data, name)
    size = f"{len(data) / 1e6:,.1f} MB" if len(data) >= 1e6 else f"{max(1, round(len(data) / 1e3))} KB"
    report_progress(0.0, f"Reading {name} ({size})")
    source = _read(data, name)
    kind = detect_format(source.table.columns)
    if not kind:
        raise _unrecognised(name, source)
    report_progress(0.35, f"Reading the columns of {rows_text(len(source.table))}")
    mapper, columns = {"acled": (_acled.map_acled, _acled.COLUMNS), "ucdp": (_ucdp.map_ucdp, _ucdp.COLUMNS),
                       "events": (_ours.map_ours, EVENT_COLUMNS)}[kind]
    mapped = mapper(mask_missing(source.table, columns))
    problems, refused = _problems(mapped, source)
    skipped = mapped.skipped if mapped.skipped is not None else np.zeros(len(refused), dtype=bool)
    # Rows left out on purpose (other countries, types with no equivalent) are not worth a complaint each.
    quiet = set(source.rows[skipped].tolist())
    problems = [p for p in problems if p.row not in quiet]
    outside = _outside(mapped.table) & ~refused & ~skipped
    notes = list(mapped.notes)
    if outside.any():
        notes.append(f"{rows_text(int(outside.sum()))} outside the map area ({AREA_WORDS}), not shown")
    keep = ~(refused | skipped | outside)
    table = mapped.table if keep.all() else mapped.table[keep]  # selecting rows copies every column
    report_progress(0.5, f"Checking and placing {rows_text(len(table))}")
    events, checked = check_events(table, row_numbers=source.rows[keep], range_warnings=False)
    incidents = ~events["event_type"].isin(PLACE_TYPES)
    far = int(((events["distance_to_border_km"] > INCIDENT_RANGE_KM) & incidents).sum())
    unknown_actors = unrecognised_note(events)
    if unknown_actors:
        notes.append(unknown_actors)
    if far:
        notes.append(f"{rows_text(far)} more than {INCIDENT_RANGE_KM:.0f} km from the border (shown; the curated "
                     "events stay within ~150 km)")
    report = ImportReport(
        problems=sorted([*problems, *checked.problems], key=lambda p: (p.row or 0, p.severity != "error")),
        rows=len(source.table), detected=_describe(kind, source), notes=notes, shown=len(events),
    )
    if kind == "events" and source.vector:
        kind = source.vector
    report_progress(1.0, f"Read {rows_text(len(source.table))}")
    return ImportResult(events, report, kind)


def read_event_table(data: bytes, name: str) -> tuple[pd.DataFrame, np.ndarray, str]:
    """A file in our columns as strings, as :func:`geodata.validate` expects it: no dates rewritten, no rows dropped.

    Returns the table, each row's number in the file, and what was read (e.g. ``"CSV, semicolon-delimited"``).
    Any container :func:`import_events` reads is accepted; the spreadsheet-safety quote of our export is removed.
    """
    name = _display_name(name)
    check_size(data, name)
    source = _read(data, name)
    kind = detect_format(source.table.columns)
    if kind in ("acled", "ucdp"):
        raise ImportFormatError(f"{name}: this is a {_LABELS[kind]}, not our event columns; convert it first: "
                                "python -m geodata convert FILE --out events.csv")
    if not kind:
        raise _unrecognised(name, source)
    table = _ours.restore_text_cells(mask_missing(source.table, EVENT_COLUMNS))
    return table, source.rows, source.container


def read_our_table(data: bytes, name: str) -> pd.DataFrame:
    """A table of ours (events, place status, key dates) as strings: the one reader of our files.

    Parameters
    ----------
    data : bytes
        The file: CSV of any delimiter and common encoding, ``.xlsx`` or JSON records (what an upload reads).
    name : str
        The file's name, for messages.

    Returns
    -------
    pandas.DataFrame
        Every cell as text, headers trimmed, the spreadsheet-safety quote of our export removed; in an event
        table, cells holding only a "missing" word (``NA``, ``null``...) are blank, as in an upload.

    Raises
    ------
    ImportFormatError
        For an empty, oversized or unreadable file; the message is one line naming the file.
    """
    name = _display_name(name)
    check_size(data, name)
    table = _read(data, name).table
    if detect_format(table.columns) == "events":
        table = mask_missing(table, EVENT_COLUMNS)
    return _ours.restore_text_cells(table)


def read_source(path) -> bytes:
    """The bytes of a file named on the command line, refusing what is not a regular file of bounded size.

    Raises
    ------
    ImportFormatError
        For an empty name, a missing file, a folder, a device or pipe (``/dev/zero`` would never end), an
        unreadable or oversized file; the message is one line naming the path given.
    """
    text = str(path)
    if not text.strip():
        raise ImportFormatError("no file name given")
    try:
        info = os.stat(text)
    except FileNotFoundError:
        raise ImportFormatError(f"no such file: {text}") from None
    except OSError as exc:
        raise ImportFormatError(f"cannot open {text}: {exc.strerror or 'not accessible'}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportFormatError(f"{text} is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise ImportFormatError(f"{text} is not a regular file (a device, pipe or socket)")
    if info.st_size > MAX_FILE_BYTES:
        raise ImportFormatError(f"{text}: {info.st_size / 1e6:,.0f} MB is over the {MAX_FILE_BYTES / 1e6:,.0f} MB "
                                "limit for one file")
    try:
        with open(text, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)  # bounded even if the file grows while we read
    except OSError as exc:
        raise ImportFormatError(f"cannot read {text}: {exc.strerror or 'read error'}") from None

"""Row-by-row checks of an event table. Every problem is reported with its row and field; nothing raises."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .boundaries import AREA_TOLERANCE_KM, AREA_WORDS, in_study_area
from .cell_rules import cell_problems
from .links import safe_url_text
from .models import (
    COUNTRIES,
    EVENT_COLUMNS,
    PLACE_TYPES,
    REQUIRED_COLUMNS,
    DatePrecision,
    EventType,
    LocationPrecision,
    Problem,
    ValidationReport,
)

#: Within this distance of the border a province mismatch is only a warning (boundary data are 1:10m).
BORDER_TOLERANCE_KM = 5.0
#: Incidents further from the border than this get a warning: the dataset is about the border region.
INCIDENT_RANGE_KM = 160.0
#: Dates outside this range are refused: nothing on this map happened before 1900, and a date past 2100 (or
#: 9999-12-31, a spreadsheet's "no end") is a placeholder, not an event.
DATE_RANGE = ("1900-01-01", "2100-12-31")
#: A fatality count above this is a typing or unit error (no single event in the region comes near it).
MAX_FATALITIES = 100_000

# Patterns are plain strings, matched whole with str.fullmatch: pandas hands those to Arrow's regex engine for the
# whole column at once (a compiled Python pattern runs cell by cell), and no "$" lets a trailing newline through.
_ID = r"[a-z0-9][a-z0-9-]*"
_TYPES = {t.value for t in EventType}
_DATE_PRECISIONS = {p.value for p in DatePrecision}
_LOCATION_PRECISIONS = {p.value for p in LocationPrecision}


def _blank(series: pd.Series) -> pd.Series:
    """Missing, empty or only whitespace (Unicode-aware), without building stripped copies of long text."""
    text = series.astype("string")
    try:
        arrow = pa.array(text.array)
        spaces = pc.or_(pc.equal(pc.binary_length(arrow), 0), pc.utf8_is_space(arrow))
        values = pc.fill_null(spaces, True).to_numpy(zero_copy_only=False)
        return pd.Series(values, index=series.index, dtype=bool)
    except (pa.ArrowException, TypeError):  # not Arrow-backed (no pyarrow string storage)
        return series.isna() | (text.str.strip() == "")


# ASCII digits only: Python's \d (and strptime) also accept full-width and other scripts' digits, and a leading
# sign ("-2024-01-01") is otherwise read as a year before the common era.
_ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def missing_columns(frame: pd.DataFrame, required) -> ValidationReport:
    """A report for ``frame`` naming each column of ``required`` it lacks (one file-level error each)."""
    report = ValidationReport(rows=len(frame))
    report.problems += [Problem(None, c, "required column is missing") for c in required if c not in frame.columns]
    return report


def parse_iso_dates(series: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` text (ASCII digits only) as datetimes; NaT for anything else. Datetimes pass through."""
    if pd.api.types.is_datetime64_dtype(series):
        return series
    # A file holds a few thousand distinct dates over many rows: parse each once.
    codes, uniques = pd.factorize(series.astype("string").str.strip(), use_na_sentinel=False)
    text = pd.Series(uniques, dtype="string")
    shaped = text.str.fullmatch(_ISO_DATE).fillna(False).astype(bool)
    parsed = pd.to_datetime(text.where(shaped), format="%Y-%m-%d", errors="coerce").to_numpy()
    return pd.Series(parsed[codes] if len(codes) else parsed[:0], index=series.index)


def parse_numbers(series: pd.Series) -> pd.Series:
    """Numbers from text as float64 (NaN where blank or not a number); numeric input passes through."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype("float64")
    text = series.astype("string").str.strip()
    try:
        # Arrow's cast parses a column of clean numbers ~7x faster than pandas.to_numeric; it refuses the whole
        # column if one cell is not a number, and then to_numeric sorts the cells out one by one.
        arrow = pa.array(text.array)
        arrow = pc.if_else(pc.equal(arrow, ""), pa.scalar(None, pa.string()), arrow)
        values = pc.cast(arrow, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError):
        values = pd.to_numeric(text, errors="coerce").astype("float64").to_numpy()
    return pd.Series(values, index=series.index, dtype="float64")



def place_in_area(lat: pd.Series, lon: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Where each point lies with respect to the map area (:func:`geodata.boundaries.study_area`).

    Parameters
    ----------
    lat, lon : pandas.Series of float
        Coordinates as numbers (NaN where missing or not a number), on the same index.

    Returns
    -------
    inside, swapped, outside : pandas.Series of bool
        ``inside``: the point is in the map area. ``swapped``: it is not, but would be with lat and lon
        exchanged (a mistake to name, not a row to drop). ``outside``: a valid lon/lat pair that is neither.
    """
    inside = pd.Series(in_study_area(lon, lat), index=lat.index)
    swapped = ~inside & pd.Series(in_study_area(lat, lon), index=lat.index)
    valid = lat.between(-90, 90) & lon.between(-180, 180)
    return inside, swapped, valid & ~inside & ~swapped


class _Collector:
    """Turns row masks into Problems; only flagged rows cost any Python-level work."""

    def __init__(self, frame: pd.DataFrame, row_numbers: np.ndarray):
        self.problems: list[Problem] = []
        self._ids = (frame["id"].astype("string").fillna("").to_numpy(dtype=object) if "id" in frame
                     else np.full(len(frame), "", dtype=object))
        self._rows = row_numbers

    def add_at(self, pos: int, field: str, message: str, severity: str = "error") -> None:
        self.problems.append(Problem(int(self._rows[pos]), field, message, severity, str(self._ids[pos])))

    def add(self, mask: pd.Series, field: str, message, severity: str = "error") -> None:
        if isinstance(mask, pd.Series):
            flags = mask.to_numpy(dtype=bool, na_value=False) if mask.dtype != bool else mask.to_numpy()
        else:
            flags = np.asarray(mask, dtype=bool)
        texts = message.to_numpy(dtype=object) if isinstance(message, pd.Series) else None
        for pos in np.flatnonzero(flags):
            text = texts[pos] if texts is not None else message(pos) if callable(message) else message
            self.problems.append(Problem(int(self._rows[pos]), field, text, severity, str(self._ids[pos])))


def validate(frame: pd.DataFrame, *, enriched: pd.DataFrame | None = None, row_offset: int = 2,
             row_numbers=None, range_warnings: bool = True) -> ValidationReport:
    """Check an event table and report every problem, row by row.

    Parameters
    ----------
    frame : pandas.DataFrame
        Raw event rows as read from a file (strings are fine), with the columns of
        :data:`geodata.models.EVENT_COLUMNS`.
    enriched : pandas.DataFrame, optional
        The same rows with ``province_found``, ``distance_to_border_km`` and ``side`` (from
        :func:`geodata.events.enrich`), in the same order; enables the spatial checks (province mismatch,
        wrong side, distance). Rows without usable coordinates may be missing (their checks are skipped).
    row_offset : int
        Number of the first data row in messages. 2 matches a spreadsheet or CSV with a header line.
    row_numbers : array-like of int, optional
        The row number of each row as the user sees it in their file (overrides ``row_offset``); used when
        rows were left out or split before validation.
    range_warnings : bool
        Warn about each incident further than :data:`INCIDENT_RANGE_KM` from the border (importers count
        them in one line instead).

    Returns
    -------
    ValidationReport
        ``report.ok`` is False when any row has an error; ``report.bad_rows()`` lists them.
    """
    report = missing_columns(frame, REQUIRED_COLUMNS)
    if not report.ok:
        return report
    frame = frame.reset_index(drop=True)
    rows = (np.arange(len(frame)) + row_offset if row_numbers is None
            else np.asarray(row_numbers, dtype="int64"))
    out = _Collector(frame, rows)
    text = {c: frame[c].astype("string") if c in frame else pd.Series(pd.NA, index=frame.index, dtype="string")
            for c in frame.columns}
    blanks: dict[str, pd.Series] = {}
    # The write rule (geodata.cell_rules): length and characters of every column, the same on every write path.
    for pos, column, message in cell_problems(frame, EVENT_COLUMNS):
        out.add_at(pos, column, message)

    def blank(column: str) -> pd.Series:  # each column's blanks are needed by several checks: find them once
        if column not in blanks:
            blanks[column] = _blank(frame[column])
        return blanks[column]

    for column in REQUIRED_COLUMNS:
        if column in ("lat", "lon", "date_precision"):
            continue
        out.add(blank(column), column, "is empty")

    ids = text["id"].str.strip()
    out.add(~blank("id") & ~ids.str.fullmatch(_ID).fillna(False), "id",
            lambda i: f"{ids[i]!r} is not a lowercase slug (a-z, 0-9, '-')")
    dup = ids.duplicated(keep="first") & ~blank("id")
    out.add(dup, "id", lambda i: f"duplicate id {ids[i]!r}")

    types = text["event_type"].str.strip()
    out.add(~blank("event_type") & ~types.isin(_TYPES), "event_type",
            lambda i: f"unknown type {types[i]!r}; expected one of {', '.join(sorted(_TYPES))}")
    is_place = types.isin(PLACE_TYPES)

    country = text["country"].str.strip()
    out.add(~blank("country") & ~country.isin(COUNTRIES), "country",
            lambda i: f"{country[i]!r} is not PK or IR")

    # Dates: incidents need one; places may be undated (long-established crossings), never wrongly dated.
    date_blank = blank("date") if "date" in frame else pd.Series(True, index=frame.index)
    date = parse_iso_dates(frame["date"]) if "date" in frame else pd.Series(pd.NaT, index=frame.index)
    out.add(date_blank & ~is_place, "date", "is empty (only border crossings and markets may be undated)")
    out.add(~date_blank & date.isna(), "date", lambda i: f"{text['date'][i]!r} is not a date (YYYY-MM-DD)")
    low_date, high_date = (pd.Timestamp(d) for d in DATE_RANGE)
    out.add(date.notna() & ((date < low_date) | (date > high_date)), "date",
            lambda i: f"{text['date'][i]!r} is outside {DATE_RANGE[0]}..{DATE_RANGE[1]}")
    precision = text["date_precision"].str.strip()
    out.add(~date_blank & blank("date_precision"), "date_precision", "is empty for a dated row")
    out.add(~blank("date_precision") & ~precision.isin(_DATE_PRECISIONS), "date_precision",
            lambda i: f"{precision[i]!r} is not one of day, month, year")
    if "end_date" in frame:
        end_blank = blank("end_date")
        end = parse_iso_dates(frame["end_date"])
        out.add(~end_blank & end.isna(), "end_date", lambda i: f"{text['end_date'][i]!r} is not a date (YYYY-MM-DD)")
        out.add(end.notna() & ((end < low_date) | (end > high_date)), "end_date",
                lambda i: f"{text['end_date'][i]!r} is outside {DATE_RANGE[0]}..{DATE_RANGE[1]}")
        out.add(end.notna() & date.notna() & (end < date), "end_date",
                lambda i: f"ends ({end[i]:%Y-%m-%d}) before it starts ({date[i]:%Y-%m-%d})")

    loc = text["location_precision"].str.strip()
    out.add(~blank("location_precision") & ~loc.isin(_LOCATION_PRECISIONS), "location_precision",
            lambda i: f"{loc[i]!r} is not one of {', '.join(p.value for p in LocationPrecision)}")

    numbers = {}
    for column in ("fatalities", "fatalities_low", "fatalities_high"):
        if column not in frame:
            numbers[column] = pd.Series(np.nan, index=frame.index)
            continue
        value = parse_numbers(frame[column])
        bad = ~blank(column) & (value.isna() | (value < 0) | (np.trunc(value) != value))
        out.add(bad, column, lambda i, c=column: f"{text[c][i]!r} is not a whole number >= 0")
        huge = ~bad & (value > MAX_FATALITIES)
        out.add(huge, column, lambda i, c=column: f"{text[c][i]!r} is more than {MAX_FATALITIES:,} (a typing error?)")
        bad = bad | huge
        numbers[column] = value.where(~bad)
    low, best, high = numbers["fatalities_low"], numbers["fatalities"], numbers["fatalities_high"]
    out.add(low.notna() & high.notna() & (low > high), "fatalities_low", "is greater than fatalities_high")
    out.add(best.notna() & low.notna() & (best < low), "fatalities", "is below fatalities_low")
    out.add(best.notna() & high.notna() & (best > high), "fatalities", "is above fatalities_high")

    if "last_checked" in frame:  # optional trust signal: a real past day, so a popup never shows a made-up date
        checked = parse_iso_dates(frame["last_checked"])
        checked_blank = blank("last_checked")
        out.add(~checked_blank & checked.isna(), "last_checked",
                lambda i: f"{text['last_checked'][i]!r} is not a date (YYYY-MM-DD)")
        out.add(checked.notna() & (checked > pd.Timestamp.today().normalize()), "last_checked",
                lambda i: f"{checked[i]:%Y-%m-%d} is in the future")

    url = text["source_url"].str.strip()
    # The same rule the page uses to show a link (geodata.links): a row whose link would be hidden is refused.
    link = safe_url_text(url).notna().to_numpy()
    out.add(~blank("source_url") & ~link,
            "source_url", lambda i: f"{url[i]!r} is not a plain http(s) link")

    lat, lon = parse_numbers(frame["lat"]), parse_numbers(frame["lon"])
    out.add(blank("lat"), "lat", "is empty")
    out.add(blank("lon"), "lon", "is empty")
    out.add(~blank("lat") & lat.isna(), "lat", lambda i: f"{text['lat'][i]!r} is not a number")
    out.add(~blank("lon") & lon.isna(), "lon", lambda i: f"{text['lon'][i]!r} is not a number")
    out.add(lat.notna() & ((lat < -90) | (lat > 90)), "lat", lambda i: f"{lat[i]} is outside -90..90")
    out.add(lon.notna() & ((lon < -180) | (lon > 180)), "lon", lambda i: f"{lon[i]} is outside -180..180")
    inside, swapped, outside = place_in_area(lat, lon)
    out.add(swapped, "lat", lambda i: f"lat {lat[i]} / lon {lon[i]} look swapped (lat is the north–south value)")
    out.add(outside, "lat", lambda i: f"point ({lat[i]}, {lon[i]}) is outside the map area "
                                      f"({AREA_WORDS}, within {AREA_TOLERANCE_KM:g} km)")

    if enriched is not None:
        _spatial_checks(out, frame, enriched.reset_index(drop=True), inside, is_place, range_warnings)

    report.problems = sorted(out.problems, key=lambda p: (p.row or 0, p.severity != "error"))
    return report


def _spatial_checks(out: _Collector, frame, enriched, inside, is_place, range_warnings) -> None:
    stated = frame["province"].astype("string").str.strip() if "province" in frame else None
    found = enriched["province_found"].astype("string")
    distance = enriched["distance_to_border_km"]
    near = distance <= BORDER_TOLERANCE_KM
    if stated is not None:
        differs = inside & ~_blank(frame["province"]) & (found.fillna("") != stated.fillna(""))
        message = lambda i: (f"stated {stated[i]!r} but the point lies in "
                             f"{found[i] if pd.notna(found[i]) else 'no province (at sea?)'}, "
                             f"{distance[i]:.1f} km from the border")
        out.add(differs & ~near, "province", message)
        out.add(differs & near, "province", message, severity="warning")
    country = frame["country"].astype("string").str.strip()
    side = enriched["side"].astype("string")
    wrong_side = inside & side.notna() & country.isin(COUNTRIES) & (side != country) & ~near
    out.add(wrong_side, "country",
            lambda i: f"stated {country[i]} but the point is on the {side[i]} side of the border")
    far = inside & ~is_place & (distance > INCIDENT_RANGE_KM) & range_warnings
    if far.any():  # can be most rows of a large file: the messages are formatted for the column at once
        km = distance.fillna(0).round(0).astype("int64").astype("string")
        out.add(far, "lat", km + " km from the border (the dataset covers ~150 km)", severity="warning")

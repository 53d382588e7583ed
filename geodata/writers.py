"""Our two file formats written out: CSV (the curated columns, then the derived ones) and GeoJSON.

CSV cells are made safe for spreadsheets the way OWASP recommends for CSV injection: a text cell that a
spreadsheet would run as a formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
written with a single quote in front (:func:`geodata.cell_rules.neutralise_cell`, the rule every CSV writer
uses). :func:`restore_text_cells` is the exact inverse, applied by every reader of our CSV, so export -> import
gives back the same text. GeoJSON is not opened by spreadsheets and stays
byte-faithful to the data.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math

import numpy as np
import pandas as pd
import shapely

from .cell_rules import ADDED_QUOTE as _ADDED_QUOTE
from .cell_rules import neutralise_cell
from .models import EVENT_COLUMNS

#: Columns computed on load that an export carries after the curated ones.
EXPORT_DERIVED_COLUMNS = ("distance_to_border_km", "side", "nearest_crossing", "nearest_crossing_km")
EXPORT_COLUMNS = (*EVENT_COLUMNS, *EXPORT_DERIVED_COLUMNS)
_DATE_COLUMNS = ("date", "end_date")
_INT_COLUMNS = ("fatalities", "fatalities_low", "fatalities_high")
_FLOAT_COLUMNS = ("lat", "lon", "distance_to_border_km", "nearest_crossing_km")

#: Text columns a spreadsheet user might open: every curated column that holds text, and the derived text ones.
#: Numbers (lat, lon, counts, distances) and dates are written by us as plain numbers, never as formulas.
TEXT_COLUMNS = tuple(c for c in EXPORT_COLUMNS if c not in (*_DATE_COLUMNS, *_INT_COLUMNS, *_FLOAT_COLUMNS))
def restore_text_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise_cell` on the text columns of a table read from our CSV (exactly one quote)."""
    frame = frame.copy()
    for column in TEXT_COLUMNS:
        if column in frame:
            values = frame[column].astype("string")
            quoted = values.str.startswith("'").fillna(False).to_numpy(dtype=bool)
            if quoted.any():  # the regex runs in Python per cell: only on the few cells that start with a quote
                values = values.copy()
                values[quoted] = values[quoted].str.replace(_ADDED_QUOTE, "", n=1, regex=True)
            frame[column] = values
    return frame


def _missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(column: str, value):
    """A JSON-ready Python value: None for missing, ``YYYY-MM-DD`` for dates, int/float/str otherwise."""
    if _missing(value):
        return None
    if column in (*_DATE_COLUMNS, *_INT_COLUMNS, *_FLOAT_COLUMNS) and isinstance(value, str):
        # A raw (unvalidated) table: blank is missing; anything unreadable is passed on as the text it is.
        if not value.strip():
            return None
        try:
            return _plain(column, pd.Timestamp(value) if column in _DATE_COLUMNS else float(value))
        except ValueError:
            return value
    if column in _DATE_COLUMNS:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    if column in _INT_COLUMNS:
        number = float(value)
        return int(number) if number.is_integer() else (number if math.isfinite(number) else None)
    if column in _FLOAT_COLUMNS:
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (pd.Timestamp, dt.date)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value)


def _cell(column: str, value) -> str:
    plain = _plain(column, value)
    if plain is None:
        return ""
    if isinstance(plain, float):
        return repr(plain)  # shortest text that reads back to the same float
    if isinstance(plain, int):
        return str(plain)
    return neutralise_cell(plain) if column in TEXT_COLUMNS else plain


def _coordinates(events: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """lat/lon columns, taken from the geometry when the frame has one (it is the truth after enrichment)."""
    if "geometry" in events and len(events):
        geom = events.geometry if hasattr(events, "geometry") else events["geometry"]
        points = np.asarray(geom.values)
        is_point = shapely.get_type_id(points) == 0
        lon = np.where(is_point, shapely.get_x(points), np.nan)
        lat = np.where(is_point, shapely.get_y(points), np.nan)
        lat_s = pd.Series(lat, index=events.index)
        lon_s = pd.Series(lon, index=events.index)
        if "lat" in events:
            lat_s = lat_s.fillna(pd.to_numeric(events["lat"], errors="coerce"))
            lon_s = lon_s.fillna(pd.to_numeric(events["lon"], errors="coerce"))
        return lat_s, lon_s
    return (pd.to_numeric(events.get("lat", pd.Series(np.nan, index=events.index)), errors="coerce"),
            pd.to_numeric(events.get("lon", pd.Series(np.nan, index=events.index)), errors="coerce"))


def events_to_csv(events: pd.DataFrame) -> bytes:
    """Encode events as a CSV that :func:`geodata.read_table` and :func:`geodata.import_events` read back.

    Parameters
    ----------
    events : pandas.DataFrame or geopandas.GeoDataFrame
        Events as returned by :func:`geodata.load_events` / :func:`geodata.filter_events`.

    Returns
    -------
    bytes
        UTF-8 CSV (CRLF line ends) with a header: the curated columns of :data:`geodata.EVENT_COLUMNS` (``id`` ... ``lat``,
        ``lon``) in file order, then ``distance_to_border_km``, ``side``, ``nearest_crossing``,
        ``nearest_crossing_km``. Dates are ``YYYY-MM-DD``, missing values are blank, counts are integers and
        coordinates keep full precision (a negative longitude is a number, written as such). Text cells that a
        spreadsheet would run as a formula get a leading ``'`` (see :func:`neutralise_cell`); our readers
        remove exactly that quote again. Columns the input lacks are written blank.
    """
    lat, lon = _coordinates(events)
    table = {}
    for column in EXPORT_COLUMNS:
        if column == "lat":
            values = lat
        elif column == "lon":
            values = lon
        elif column in events:
            values = events[column]
        else:
            values = pd.Series([None] * len(events), index=events.index, dtype=object)
        table[column] = [_cell(column, v) for v in values]
    frame = pd.DataFrame(table, columns=list(EXPORT_COLUMNS))
    buffer = io.StringIO()
    # CRLF as RFC 4180 says; it also makes the csv writer quote a cell holding a lone CR, which with "\n" it
    # writes bare and every reader then takes for the end of the row.
    frame.to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8")


def events_to_geojson(events: pd.DataFrame, *, members: dict | None = None) -> bytes:
    """Encode events as an RFC 7946 GeoJSON FeatureCollection.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        Events in EPSG:4326 (as from :func:`geodata.load_events`); a frame in another CRS is converted.

    Returns
    -------
    bytes
        UTF-8 JSON. One Point feature per event with ``id`` = the event id; ``properties`` hold every curated
        column except ``lat``/``lon`` (the geometry carries them) — including ``source_title`` and
        ``source_url`` — plus the derived ``distance_to_border_km``, ``side``, ``nearest_crossing`` and
        ``nearest_crossing_km``. Dates are ``YYYY-MM-DD`` strings, missing values ``null``. No ``crs`` member
        (RFC 7946 coordinates are always WGS 84 lon/lat). ``members`` are added to the collection as RFC 7946
        foreign members (e.g. ``data_as_of``); they cannot replace ``type`` or ``features``.
    """
    crs = getattr(events, "crs", None)
    if crs is not None and not crs.equals("EPSG:4326"):
        events = events.to_crs("EPSG:4326")
    lat, lon = _coordinates(events)
    columns = [c for c in EXPORT_COLUMNS if c not in ("lat", "lon")]
    features = []
    for pos, (_, row) in enumerate(events.iterrows()):
        properties = {c: _plain(c, row[c]) if c in events else None for c in columns}
        y, x = lat.iloc[pos], lon.iloc[pos]
        geometry = None if _missing(x) or _missing(y) else {"type": "Point", "coordinates": [float(x), float(y)]}
        feature = {"type": "Feature", "geometry": geometry, "properties": properties}
        if properties.get("id") is not None:
            feature["id"] = properties["id"]
        features.append(feature)
    extra = {k: v for k, v in (members or {}).items() if k not in ("type", "features")}
    collection = {"type": "FeatureCollection", **extra, "features": features}
    # allow_nan=False: NaN is not JSON; a stray one would be a bug here, not something to ship.
    return json.dumps(collection, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")

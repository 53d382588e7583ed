"""Bring an analyst's own data in: ACLED and UCDP GED exports, GeoJSON, GeoPackage, or CSV in our columns.

Every format is mapped onto the event columns and then goes through the same validation as the curated data,
so a bad row is reported by row and field and the good rows still load. Files are parsed as text or as OGR
vector data only; nothing is ever unpickled or executed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .events import check_events, read_table
from .models import EVENT_COLUMNS, ValidationReport

ACLED_URL = "https://acleddata.com/"
UCDP_URL = "https://ucdp.uu.se/"

_COUNTRY = {"pakistan": "PK", "iran": "IR", "iran (islamic republic of)": "IR", "pk": "PK", "ir": "IR"}
_PROVINCE = {
    "balochistan": "PK-BA", "baluchistan": "PK-BA", "sistan and baluchestan": "IR-13",
    "sistan and baluchistan": "IR-13", "sistan va baluchestan": "IR-13", "sistan-baluchestan": "IR-13",
    "sindh": "PK-SD", "khyber pakhtunkhwa": "PK-KP", "punjab": "PK-PB", "kerman": "IR-15", "hormozgan": "IR-23",
    "south khorasan": "IR-29",
}
_ACLED_TYPES = {
    "battles": "clash",
    "explosions/remote violence": "attack",
    "violence against civilians": "attack",
    "protests": "unrest",
    "riots": "unrest",
}
_ACLED_DATE_PRECISION = {"1": "day", "2": "month", "3": "month"}
_ACLED_GEO_PRECISION = {"1": "town", "2": "district", "3": "province"}
_UCDP_TYPES = {"1": "clash", "2": "clash", "3": "attack"}
_UCDP_DATE_PRECISION = {"1": "day", "2": "month", "3": "month", "4": "month", "5": "year"}
_UCDP_WHERE_PRECISION = {"1": "exact", "2": "town", "3": "district", "4": "province", "5": "province",
                         "6": "province", "7": "province"}
_SLUG = re.compile(r"[^a-z0-9]+")


class ImportFormatError(ValueError):
    """The file could not be read as any supported format; the message says why."""


def _slug(text: str) -> str:
    return _SLUG.sub("-", str(text).lower()).strip("-")


def _get(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].astype("string").fillna("").str.strip() if column in frame else pd.Series("", index=frame.index)


def _country(frame: pd.DataFrame) -> pd.Series:
    """ISO alpha-2 for the country names ACLED and UCDP use; anything else is kept for validation to report."""
    name = _get(frame, "country")
    return name.str.lower().map(_COUNTRY).fillna(name)


def _acled_date(text: pd.Series) -> pd.Series:
    # ACLED exports use ISO dates today and "15 January 2024" in older files; both become YYYY-MM-DD.
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    parsed = parsed.fillna(pd.to_datetime(text, format="%d %B %Y", errors="coerce"))
    return parsed.dt.strftime("%Y-%m-%d").fillna(text)


def from_acled(frame: pd.DataFrame) -> pd.DataFrame:
    """Map an ACLED export (one row per event) onto the event columns.

    Types: Battles → clash; Explosions/Remote violence and Violence against civilians → attack; Protests and
    Riots → unrest; Strategic developments have no equivalent and are reported as an unknown type. ACLED cites
    sources by name, so ``source_url`` is ACLED's own site and ``source_title`` names the original source.
    """
    kind = _get(frame, "event_type")
    out = pd.DataFrame(index=frame.index)
    out["id"] = "acled-" + _get(frame, "event_id_cnty").map(_slug)
    out["event_type"] = kind.str.lower().map(_ACLED_TYPES).fillna(kind)
    sub = _get(frame, "sub_event_type")
    out["title"] = (sub.where(sub != "", kind) + " in " + _get(frame, "location")).str.slice(0, 120)
    out["date"] = _acled_date(_get(frame, "event_date"))
    out["date_precision"] = _get(frame, "time_precision").map(_ACLED_DATE_PRECISION).fillna("day")
    out["country"] = _country(frame)
    out["province"] = _get(frame, "admin1").str.lower().map(_PROVINCE).fillna("")
    out["district"] = _get(frame, "admin2")
    out["location_precision"] = _get(frame, "geo_precision").map(_ACLED_GEO_PRECISION).fillna("district")
    out["fatalities"] = _get(frame, "fatalities")
    actors = _get(frame, "actor1") + "; " + _get(frame, "actor2")
    out["actors"] = actors.str.strip("; ")
    out["description"] = _get(frame, "notes")
    out["source_title"] = "ACLED: " + _get(frame, "source")
    out["source_url"] = ACLED_URL
    out["lat"] = _get(frame, "latitude")
    out["lon"] = _get(frame, "longitude")
    return out


def from_ucdp(frame: pd.DataFrame) -> pd.DataFrame:
    """Map a UCDP Georeferenced Event Dataset (GED) CSV onto the event columns.

    Types: state-based and non-state violence → clash; one-sided violence → attack. ``fatalities`` is UCDP's
    ``best`` estimate with ``low``/``high`` as the range.
    """
    out = pd.DataFrame(index=frame.index)
    out["id"] = "ucdp-" + _get(frame, "id").map(_slug)
    out["event_type"] = _get(frame, "type_of_violence").map(_UCDP_TYPES).fillna(_get(frame, "type_of_violence"))
    where = _get(frame, "where_description")
    out["title"] = (_get(frame, "dyad_name") + ", " + where.where(where != "", _get(frame, "adm_1"))).str.slice(0, 120)
    out["date"] = pd.to_datetime(_get(frame, "date_start"), format="ISO8601", errors="coerce").dt.strftime("%Y-%m-%d").fillna(
        _get(frame, "date_start"))
    end = pd.to_datetime(_get(frame, "date_end"), format="ISO8601", errors="coerce").dt.strftime("%Y-%m-%d").fillna("")
    out["end_date"] = end.where(end != out["date"], "")
    out["date_precision"] = _get(frame, "date_prec").map(_UCDP_DATE_PRECISION).fillna("day")
    out["country"] = _country(frame)
    out["province"] = _get(frame, "adm_1").str.lower().str.replace(" province", "", regex=False).map(_PROVINCE).fillna("")
    out["district"] = _get(frame, "adm_2").str.replace(" district", "", regex=False)
    out["location_precision"] = _get(frame, "where_prec").map(_UCDP_WHERE_PRECISION).fillna("district")
    out["fatalities"] = _get(frame, "best")
    out["fatalities_low"] = _get(frame, "low")
    out["fatalities_high"] = _get(frame, "high")
    out["actors"] = (_get(frame, "side_a") + "; " + _get(frame, "side_b")).str.strip("; ")
    out["description"] = _get(frame, "source_headline")
    out["source_title"] = "UCDP GED: " + _get(frame, "source_office")
    out["source_url"] = UCDP_URL
    out["lat"] = _get(frame, "latitude")
    out["lon"] = _get(frame, "longitude")
    return out


def _from_vector(data: bytes, name: str) -> pd.DataFrame:
    try:
        frame = gpd.read_file(io.BytesIO(data), engine="pyogrio")
    except Exception as exc:  # pyogrio raises its own error types for unreadable files
        raise ImportFormatError(f"{name}: not a readable GeoJSON/GeoPackage file ({exc})") from None
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    table = pd.DataFrame(frame.drop(columns="geometry")).astype("string").fillna("")
    # Only points can be events; other geometries get empty coordinates and are reported by validation.
    table["lat"] = [repr(g.y) if g is not None and g.geom_type == "Point" else "" for g in frame.geometry]
    table["lon"] = [repr(g.x) if g is not None and g.geom_type == "Point" else "" for g in frame.geometry]
    return table


def detect_format(columns) -> str:
    """``acled``, ``ucdp`` or ``events`` from a table's column names."""
    cols = {str(c).strip().lower() for c in columns}
    if {"event_id_cnty", "event_date", "sub_event_type"} <= cols:
        return "acled"
    if {"type_of_violence", "date_start", "where_prec"} <= cols:
        return "ucdp"
    return "events"


def import_events(data: bytes, name: str = "upload") -> tuple[gpd.GeoDataFrame, ValidationReport, str]:
    """Read an analyst's file into validated, enriched events.

    Parameters
    ----------
    data : bytes
        File contents: CSV (our columns, an ACLED export or a UCDP GED CSV — detected from the header),
        GeoJSON (``.geojson``/``.json``) or GeoPackage (``.gpkg``) with point features.
    name : str
        File name, used to pick the reader by extension and in messages.

    Returns
    -------
    (geopandas.GeoDataFrame, ValidationReport, str)
        Valid rows (enriched like :func:`geodata.load_events`), the report naming every bad row and field, and
        the detected format (``events``, ``acled``, ``ucdp``, ``geojson``, ``gpkg``).

    Raises
    ------
    ImportFormatError
        If the file cannot be parsed at all.
    """
    suffix = Path(name).suffix.lower()
    if suffix in (".geojson", ".json", ".gpkg"):
        table = _from_vector(data, name)
        kind = "gpkg" if suffix == ".gpkg" else "geojson"
    else:
        try:
            table = read_table(data)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise ImportFormatError(f"{name}: not a readable UTF-8 CSV ({exc.__class__.__name__})") from None
        kind = detect_format(table.columns)
        table.columns = [c.lower() if kind != "events" else c for c in table.columns]
    if kind == "acled":
        table = from_acled(table)
    elif kind == "ucdp":
        table = from_ucdp(table)
    table = table.reindex(columns=list(EVENT_COLUMNS)).astype("string").fillna("")
    events, report = check_events(table)
    return events, report, kind

"""The event table: reading, validation, enrichment (province, distance to the border, side, nearest crossing)."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from .actors import with_actor_ids
from .boundaries import load_border, load_provinces
from .models import CRS, EVENT_COLUMNS, METRIC_CRS, PLACE_TYPES, REQUIRED_COLUMNS, EventType, ValidationReport
from .provenance import CURATED, names_ours
from .validation import parse_iso_dates, parse_numbers, validate

_SHIPPED = "events.csv"
_INT_COLUMNS = ("fatalities", "fatalities_low", "fatalities_high")
#: Columns of prose written by people (the rest are codes, numbers, dates and links).
FREE_TEXT_COLUMNS = ("title", "district", "actors", "description", "source_title")
_CODE_COLUMNS = tuple(c for c in EVENT_COLUMNS
                      if c not in ("lat", "lon", "date", "end_date", *_INT_COLUMNS, *FREE_TEXT_COLUMNS))


class EventDataError(ValueError):
    """Raised when an event file has errors; ``report`` names every bad row and field."""

    def __init__(self, report: ValidationReport, source: str = "events"):
        self.report = report
        lines = [str(p) for p in report.errors[:20]]
        more = len(report.errors) - len(lines)
        tail = f"\n... and {more} more" if more > 0 else ""
        super().__init__(f"{source}: {report.summary()}\n" + "\n".join(lines) + tail)


def shipped_events_path():
    """Traversable of the curated ``events.csv`` inside the installed package."""
    return resources.files("geodata") / "data" / _SHIPPED


def read_table(source) -> pd.DataFrame:
    """Read a table of ours (events, place status, key dates) as strings, from a path, bytes or a file object.

    The importer's reader (:func:`geodata.importers.read_our_table`) does the reading, so the shipped data, an
    event file (``BORDER_DASHBOARD_EVENTS``, the briefing's ``--events``), both stores and ``geodata validate``
    accept the same files: CSV of any delimiter or common encoding, ``.xlsx``, JSON records.

    Raises
    ------
    OSError
        When a path cannot be read.
    geodata.ImportFormatError
        (a ValueError) When the bytes are not a table: empty, oversized, binary; one line naming the file.
    """
    name = "events"
    if isinstance(source, (str, Path)):
        data, name = Path(source).read_bytes(), str(source)
    elif isinstance(source, bytes):
        data = source
    elif hasattr(source, "read_bytes"):
        data, name = source.read_bytes(), getattr(source, "name", name)
    else:
        data = source.read()
        name = getattr(source, "name", name)
    from .importers import read_our_table  # the importers build on this module

    return read_our_table(data, str(name))


def _crossings_of(table: pd.DataFrame) -> tuple[tuple[str, str, float, float], ...]:
    """(id, title, lon, lat) of the border crossings of ``table`` placed at their own site (one plotted at a
    district town would mislead as the "nearest crossing")."""
    if not {"event_type", "location_precision", "lat", "lon", "id", "title"} <= set(table.columns):
        return ()
    rows = table[
        (table["event_type"].astype("string").str.strip() == EventType.BORDER_CROSSING.value).fillna(False)
        & table["location_precision"].astype("string").str.strip().isin(["exact", "town"]).fillna(False)
    ]
    lat, lon = parse_numbers(rows["lat"]), parse_numbers(rows["lon"])
    usable = (lat.notna() & lon.notna()).to_numpy()
    return tuple((str(i), str(t), float(x), float(y)) for i, t, x, y, ok
                 in zip(rows["id"], rows["title"], lon, lat, usable) if ok)


@functools.cache
def _shipped_crossings() -> tuple[tuple[str, str, float, float], ...]:
    """The shipped crossings: the reference for a table with none of its own (an upload of incidents)."""
    return _crossings_of(read_table(shipped_events_path()))


@functools.cache
def _crossing_points(crossings: tuple[tuple[str, str, float, float], ...]) -> np.ndarray:
    to_metric = pyproj.Transformer.from_crs(CRS, METRIC_CRS, always_xy=True)
    cx, cy = to_metric.transform([c[2] for c in crossings], [c[3] for c in crossings])
    return shapely.points(np.asarray(cx, dtype=float), np.asarray(cy, dtype=float))


@functools.cache
def _metric_reference():
    border = load_border().to_crs(METRIC_CRS).geometry.iloc[0]
    provinces = load_provinces()
    metric = provinces.to_crs(METRIC_CRS)
    return border, provinces, metric


def _segment_tree(line) -> shapely.STRtree:
    """The border as a tree of its straight segments: the distance from a point to the nearest segment is its
    distance to the line, found in O(log n) instead of walking every vertex for every place."""
    segments = []
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        segments.append(shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1)))
    return shapely.STRtree(np.concatenate(segments))


@functools.cache
def _place_reference():
    """Everything the per-place facts are measured against, prepared once per process."""
    border, provinces, metric = _metric_reference()
    polygons = np.asarray(provinces.geometry.values)
    shapely.prepare(polygons)  # point-in-polygon on prepared polygons is what makes 100k rows cheap
    ours = metric.country.isin(["PK", "IR"]).to_numpy()
    both_countries = shapely.STRtree(np.asarray(metric.geometry.values)[ours])
    to_metric = pyproj.Transformer.from_crs(CRS, METRIC_CRS, always_xy=True)
    return (_segment_tree(border), polygons, provinces["iso_code"].to_numpy(dtype=object),
            provinces["country"].to_numpy(dtype=object), both_countries, metric.country.to_numpy(dtype=object)[ours],
            to_metric)


def _place_facts(lon: np.ndarray, lat: np.ndarray, crossings) -> dict[str, np.ndarray]:
    """Province, side, distance to the border and nearest of ``crossings`` for each (lon, lat) place."""
    border_segments, polygons, iso_codes, countries, both_countries, both_country, to_metric = _place_reference()
    n = len(lon)
    x, y = to_metric.transform(lon, lat)
    points = shapely.points(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    usable = np.isfinite(lon) & np.isfinite(lat)
    distance = np.full(n, np.nan)
    measured, nearest_km = border_segments.query_nearest(points, return_distance=True, all_matches=False)
    distance[measured[0]] = nearest_km  # one nearest segment per place; places without coordinates stay NaN
    facts = {"distance_to_border_km": np.round(distance / 1000, 2)}

    province = np.full(n, None, dtype=object)
    country = np.full(n, None, dtype=object)
    for i, polygon in enumerate(polygons):  # first province containing the point wins, as sjoin did
        inside = usable & np.equal(province, None) & shapely.contains_xy(polygon, lon, lat)
        province[inside], country[inside] = iso_codes[i], countries[i]
    facts["province_found"] = province
    side = np.where(np.isin(country, ["PK", "IR"]), country, None)
    # Places outside both countries' provinces (at sea, in Afghanistan) take the side of the nearest one.
    away = np.flatnonzero(usable & np.equal(side, None))
    if len(away):
        found, nearest = both_countries.query_nearest(points[away], all_matches=False)
        side[away[found]] = both_country[nearest]
    facts["side"] = side

    if crossings:
        best, metres = _nearest(points, _crossing_points(crossings))
        ids = np.array([c[0] for c in crossings] + [None], dtype=object)  # best == -1 (no place): the None
        facts["nearest_crossing"] = np.where(usable, ids[best], None)
        facts["nearest_crossing_km"] = np.round(metres / 1000, 1)
    else:
        facts["nearest_crossing"], facts["nearest_crossing_km"] = np.full(n, None, dtype=object), np.full(n, np.nan)
    return facts


def _nearest(points: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest of ``targets`` to each point (the first of those equally near; -1 for a point without
    coordinates) and its distance (NaN there), through a tree: a matrix of every point against every target
    was rows x crossings (17 GB for 405,000 distinct places in a file with 2,000 crossings of its own)."""
    (place, target), metres = shapely.STRtree(targets).query_nearest(points, return_distance=True, all_matches=True)
    order = np.lexsort((target, place))
    place, target, metres = place[order], target[order], metres[order]
    first = np.r_[True, place[1:] != place[:-1]] if len(place) else np.zeros(0, dtype=bool)
    best, distance = np.full(len(points), -1), np.full(len(points), np.nan)
    best[place[first]], distance[place[first]] = target[first], metres[first]
    return best, distance


def _periods(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Start and end of the time each row covers.

    Incidents cover their date widened to its precision (a month-precision date covers the whole month);
    places cover opening → closing, open-ended where unknown (NaT).
    """
    date = parse_iso_dates(frame["date"])
    end_date = (parse_iso_dates(frame["end_date"]) if "end_date" in frame
                else pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]"))
    precision = frame["date_precision"].astype("string").str.strip()
    month_end = date + pd.offsets.MonthEnd(0)
    year_end = date + pd.offsets.YearEnd(0)
    widened = date.where(precision == "day", month_end.where(precision == "month", year_end))
    is_place = frame["event_type"].isin(PLACE_TYPES)
    end = end_date.fillna(widened.where(~is_place))
    return date, end


def enrich(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Add derived columns to rows with usable coordinates.

    Parameters
    ----------
    frame : pandas.DataFrame
        Event rows with numeric-looking ``lat``/``lon`` (strings accepted).

    Returns
    -------
    geopandas.GeoDataFrame
        The rows as points (EPSG:4326) with ``period_start``, ``period_end``, ``province_found``
        (ISO code of the province containing the point, or missing at sea), ``distance_to_border_km``
        (measured in UTM 41N), ``side`` (``PK``/``IR``: the country of the province containing or nearest the
        point), ``nearest_crossing`` (id) and ``nearest_crossing_km``: the nearest of the frame's own border
        crossings, or of the shipped ones when the frame has none (an analyst's file of incidents).
    """
    crossings = _crossings_of(frame) or _shipped_crossings()
    lat, lon = parse_numbers(frame["lat"]), parse_numbers(frame["lon"])
    # Many events share a place (sources code to a few thousand towns): measure each place once, and let the
    # events of one place share one (immutable) point object. A hash on lon + i*lat finds the places in O(n).
    where, keys = pd.factorize(lon.to_numpy() + 1j * lat.to_numpy(), use_na_sentinel=False)
    place_lon, place_lat = np.real(keys).astype("float64"), np.imag(keys).astype("float64")
    points = shapely.points(place_lon, place_lat)
    geometry = gpd.array.from_shapely(points[where] if len(where) else points[:0], crs=CRS)
    events = gpd.GeoDataFrame(frame.copy(), geometry=geometry, crs=CRS)
    events["lat"], events["lon"] = lat, lon
    events["period_start"], events["period_end"] = _periods(events)
    facts = _place_facts(place_lon, place_lat, crossings) if len(keys) else {}
    for column in ("province_found", "distance_to_border_km", "side", "nearest_crossing", "nearest_crossing_km"):
        values = facts[column][where] if len(keys) else np.array([], dtype=object)
        events[column] = pd.Series(values, index=events.index, dtype=None if values.dtype != object else object)
    return events


def _typed(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give validated string columns their real types."""
    for column in _INT_COLUMNS:
        events[column] = parse_numbers(events[column]).astype("Int64")
    # Validated rows hold ISO dates (or blanks): each distinct date is parsed once.
    events["date"] = parse_iso_dates(events["date"])
    events["end_date"] = parse_iso_dates(events["end_date"])
    for column in _CODE_COLUMNS:  # short values: trimming them outright is cheap
        text = events[column].astype("string").str.strip()
        events[column] = text.mask(text == "", pd.NA)
    for column in FREE_TEXT_COLUMNS:
        # Only spaces are trimmed from free text: a leading tab or CR is data (and part of what makes a cell a
        # spreadsheet formula), so it must survive a load -> export -> load round trip unchanged.
        events[column] = _space_trimmed(events[column])
    return with_actor_ids(events)  # derived from actors + country on every read (curated, uploads, the store)


def _space_trimmed(values: pd.Series) -> pd.Series:
    """Spaces trimmed, blanks missing; long text is copied only when some cell starts or ends with a space."""
    text = values.astype("string")
    edge = (text.str.startswith(" ") | text.str.endswith(" ")).to_numpy(dtype=bool, na_value=False)
    if edge.any():
        text = text.str.strip(" ")
    return text.mask(text == "", pd.NA)


def _complete(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in EVENT_COLUMNS:
        if column not in frame:
            frame[column] = ""
    extra = [c for c in frame.columns if c not in EVENT_COLUMNS]
    return frame[list(EVENT_COLUMNS) + extra]


def check_events(frame: pd.DataFrame, row_offset: int = 2, *, row_numbers=None,
                 range_warnings: bool = True) -> tuple[gpd.GeoDataFrame, ValidationReport]:
    """Validate and enrich a raw event table.

    Parameters
    ----------
    frame : pandas.DataFrame
        Raw event rows (strings are fine) with the columns of :data:`geodata.EVENT_COLUMNS`.
    row_offset : int
        Number of the first data row in messages (2: a header line, then data).
    row_numbers : array-like of int, optional
        Each row's number in the user's file, when rows were left out or split before (overrides ``row_offset``).
    range_warnings : bool
        Warn per incident far from the border (see :func:`geodata.validate`).

    Returns
    -------
    (geopandas.GeoDataFrame, ValidationReport)
        The valid rows, typed and enriched, and a report naming every problem (rows with errors are
        left out of the frame and listed in the report, never dropped silently).
    """
    if any(c not in frame.columns for c in REQUIRED_COLUMNS):  # a whole column is missing: nothing to enrich
        report = validate(frame, row_offset=row_offset, row_numbers=row_numbers)
        return _typed(enrich(_complete(frame.iloc[0:0]))), report
    frame = _complete(frame).reset_index(drop=True)
    rows = np.arange(len(frame)) + row_offset if row_numbers is None else np.asarray(row_numbers, dtype="int64")
    lat, lon = parse_numbers(frame["lat"]), parse_numbers(frame["lon"])
    usable = lat.between(-90, 90) & lon.between(-180, 180)
    enriched = enrich(frame if usable.all() else frame[usable])  # a copy of every column only when needed
    # One validation pass with the spatial facts at hand (it used to run twice, before and after enrichment).
    report = validate(frame, enriched=enriched if usable.all() else enriched.reindex(frame.index), row_numbers=rows,
                      range_warnings=range_warnings)
    bad = np.isin(rows, list(report.bad_rows()))
    if bad.any():
        enriched = enriched.loc[enriched.index[~bad[enriched.index.to_numpy()]]]
    return _typed(enriched).reset_index(drop=True), report


def combine_events(base: gpd.GeoDataFrame, extra: gpd.GeoDataFrame, label: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Put an analyst's events next to ours.

    Parameters
    ----------
    base, extra : geopandas.GeoDataFrame
        Enriched events (as from :func:`load_events` / :func:`geodata.import_events`).
    label : str
        Name of the extra dataset, stored in the ``dataset`` column (``base`` rows get :data:`geodata.provenance.CURATED`, so the
        label may not be that word, in any case).

    Returns
    -------
    (geopandas.GeoDataFrame, list of str)
        Both sets in one frame (index reset), and the ids of ``extra`` rows left out because ``base`` already
        has that id (reported to the user, never dropped silently).
    """
    if names_ours(label):
        raise ValueError(f"label {CURATED!r} names the shipped data; give the extra rows another label")
    clash = extra["id"].isin(set(base["id"])).to_numpy()
    left_out = extra.loc[clash, "id"].astype(str).tolist()
    added = extra[~clash] if clash.any() else extra
    # One copy of each frame (the concatenation), however large the file: no labelled copies before it.
    combined = pd.concat([base.drop(columns="dataset", errors="ignore"), added.drop(columns="dataset", errors="ignore")],
                         ignore_index=True)
    names = base["dataset"].to_numpy(dtype=object) if "dataset" in base else np.full(len(base), CURATED, dtype=object)
    combined["dataset"] = np.concatenate([names, np.full(len(added), label, dtype=object)])
    return gpd.GeoDataFrame(combined, geometry="geometry", crs=base.crs), left_out


def load_key_dates() -> pd.DataFrame:
    """Load the diplomatic key dates that happened away from the border (not mapped).

    Returns
    -------
    pandas.DataFrame
        Columns ``date`` (datetime), ``date_precision``, ``title``, ``place``, ``description``,
        ``source_title``, ``source_url``; sorted by date.
    """
    frame = read_table(resources.files("geodata") / "data" / "key_dates.csv")
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame.sort_values("date").reset_index(drop=True)


def load_events(path=None) -> gpd.GeoDataFrame:
    """Load the curated events, or a given CSV file, validated and enriched.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV with the event columns. Defaults to the shipped ``geodata/data/events.csv``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per place or incident, EPSG:4326, with the columns of the file plus the derived
        ``period_start``, ``period_end``, ``province_found``, ``distance_to_border_km``, ``side``,
        ``nearest_crossing`` and ``nearest_crossing_km``.

    Raises
    ------
    EventDataError
        If any row has an error; its ``report`` names every bad row and field.
    """
    source = shipped_events_path() if path is None else Path(path)
    events, report = check_events(read_table(source))
    if not report.ok:
        raise EventDataError(report, source=str(path or "geodata/data/events.csv"))
    return events

"""ACLED (Armed Conflict Location & Event Data) exports of every layout since 2013, onto our columns.

Column names are matched case-insensitively (files before 2019 are UPPERCASE). The mapping of event types is
documented in docs/IMPORTS.md and tested as a table.
"""

from __future__ import annotations

import pandas as pd

from ._common import Mapped, count_note, country_code, empty_table, get, joined, other_countries, province_code, slug
from ._dates import parse_dates

SOURCE_URL = "https://acleddata.com/"

#: ACLED event types (lower case, both the 2019 names and the earlier ones) → our event types. Strategic
#: developments (and the old non-violent types) have no equivalent on this map: those rows are summarised, not shown.
EVENT_TYPES = {
    "battles": "clash",
    "battle-no change of territory": "clash",
    "battle-government regains territory": "clash",
    "battle-non-state actor overtakes territory": "clash",
    "explosions/remote violence": "attack",
    "remote violence": "attack",
    "violence against civilians": "attack",
    "protests": "unrest",
    "riots": "unrest",
    "riots/protests": "unrest",
}
#: ACLED time_precision: 1 = the day is known, 2 = within about a week, 3 = only the month. Our precisions are
#: day, month and year, so a week-level date is shown as its month rather than claimed to the day.
DATE_PRECISION = {"1": "day", "2": "month", "3": "month"}
#: ACLED geo_precision: 1 = the town itself, 2 = near a town / part of a district, 3 = a larger region.
GEO_PRECISION = {"1": "town", "2": "district", "3": "province"}


#: Every column the mapping reads (missing-value words are looked for in these only).
COLUMNS = ("event_id_cnty", "data_id", "event_type", "sub_event_type", "location", "event_date", "time_precision",
           "country", "iso", "iso3", "admin1", "admin2", "geo_precision", "geo_precis", "fatalities", "actor1",
           "assoc_actor_1", "ally_actor_1", "actor2", "assoc_actor_2", "ally_actor_2", "notes", "source", "latitude",
           "longitude", "lat", "lon")


def matches(columns: set[str]) -> bool:
    has_id = bool(columns & {"event_id_cnty", "data_id", "event_id_no_cnty"})
    return has_id and {"event_date", "event_type", "latitude", "longitude"} <= columns


def layout(columns: set[str]) -> str:
    """Which generation of ACLED's column list a file follows, told by the columns only it has."""
    if "disorder_type" in columns:
        return "layout with disorder_type"
    if "sub_event_type" in columns:
        return "2019 layout"
    return "pre-2019 layout"


def _event_type(kind: pd.Series) -> pd.Series:
    # Older files write "Battle-No change of territory" with or without spaces around the hyphen. A file has a
    # handful of distinct types: normalise each once, not once per row.
    codes, uniques = pd.factorize(kind, use_na_sentinel=False)
    key = pd.Series(uniques, dtype="string").str.lower().str.replace(r"\s*-\s*", "-", regex=True)
    ours = pd.array(key.str.replace(r"\s+", " ", regex=True).map(EVENT_TYPES).astype("string"), dtype="string")
    return pd.Series(ours.take(codes) if len(codes) else ours[:0], index=kind.index)


def map_acled(frame: pd.DataFrame) -> Mapped:
    """Map an ACLED export (one row per event, lower-case column names) onto the event columns."""
    out = empty_table(frame.index)
    kind = get(frame, "event_type")
    ident = get(frame, "event_id_cnty")
    ident = ident.where(ident != "", get(frame, "data_id"))
    out["id"] = "acled-" + slug(ident)
    ours = _event_type(kind)
    out["event_type"] = ours.fillna("")
    sub = get(frame, "sub_event_type")
    out["title"] = (sub.where(sub != "", kind) + " in " + get(frame, "location")).str.slice(0, 120)
    out["date"], date_error = parse_dates(get(frame, "event_date"))
    precision = get(frame, "time_precision")
    out["date_precision"] = precision.map(DATE_PRECISION).fillna("day")
    source_country = get(frame, "country")
    country = country_code(source_country)
    iso = country_code(get(frame, "iso", "iso3"))  # numeric ISO in the 2019 layout, ISO3 in some exports
    out["country"] = country.where(country.isin(["PK", "IR"]) | ~iso.isin(["PK", "IR"]), iso)
    out["province"] = province_code(get(frame, "admin1"))
    out["district"] = get(frame, "admin2")
    out["location_precision"] = get(frame, "geo_precision", "geo_precis").map(GEO_PRECISION).fillna("district")
    out["fatalities"] = get(frame, "fatalities")
    # Associated actors (ally_actor_* before 2019) are named too: "; "-separated, as ACLED writes several in one cell.
    out["actors"] = joined(get(frame, "actor1"), get(frame, "assoc_actor_1", "ally_actor_1"), get(frame, "actor2"),
                           get(frame, "assoc_actor_2", "ally_actor_2"))
    out["description"] = get(frame, "notes", trim=False)  # long prose: edge spaces are trimmed once, later
    source = get(frame, "source")
    out["source_title"] = ("ACLED: " + source).where(source != "", "ACLED")
    out["source_url"] = SOURCE_URL
    out["lat"] = get(frame, "latitude", "lat")
    out["lon"] = get(frame, "longitude", "lon")

    other, notes = other_countries(out, source_country.where(source_country != "", out["country"]))
    unmapped = (ours.isna() & ~pd.Series(other, index=frame.index)).to_numpy(dtype=bool)
    if unmapped.any():
        notes.append(count_note(kind[unmapped].where(kind[unmapped] != "", "no type"),
                                "of ACLED types with no equivalent on this map"))
    return Mapped(out, problems=[("date", date_error, "error")], skipped=other | unmapped, notes=notes)

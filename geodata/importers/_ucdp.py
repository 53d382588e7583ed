"""UCDP Georeferenced Event Dataset (GED) CSV onto our columns.

The codes (type_of_violence, date_prec, where_prec) follow the GED codebook; docs/IMPORTS.md lists the mapping.
"""

from __future__ import annotations

import pandas as pd

from ._common import Mapped, country_code, empty_table, get, joined, other_countries, per_distinct, province_code, slug
from ._dates import parse_dates

SOURCE_URL = "https://ucdp.uu.se/"

#: type_of_violence: 1 state-based conflict, 2 non-state conflict, 3 one-sided violence (against civilians).
VIOLENCE_TYPES = {"1": "clash", "2": "clash", "3": "attack"}
#: date_prec: 1 exact day; 2 a 2–6 day range; 3 the week; 4 an 8–30 day range or the month; 5 up to a year.
#: Ranges keep UCDP's own date_start..date_end (start in ``date``, end in ``end_date``) rather than being widened.
DATE_PRECISION = {"1": "day", "2": "day", "3": "day", "4": "month", "5": "year"}
#: where_prec: 1 exact place; 2 within ~25 km of a known point; 3 second-order division (district); 4 first-order
#: division (province); 5 a linear feature or larger area; 6 only the country; 7 waters or airspace.
WHERE_PRECISION = {"1": "exact", "2": "town", "3": "district", "4": "province", "5": "province", "6": "province",
                   "7": "province"}


#: Every column the mapping reads (missing-value words are looked for in these only).
COLUMNS = ("id", "type_of_violence", "dyad_name", "where_description", "adm_1", "adm_2", "date_start", "date_end",
           "date_prec", "country", "where_prec", "best", "low", "high", "side_a", "side_b", "source_headline",
           "source_office", "latitude", "longitude", "lat", "lon")


def matches(columns: set[str]) -> bool:
    return {"type_of_violence", "date_start", "latitude", "longitude"} <= columns


def _number_text(values: pd.Series) -> str:
    return values.map(lambda v: "" if pd.isna(v) else str(int(v)) if float(v).is_integer() else str(v))


def _fatality_range(frame: pd.DataFrame, out: pd.DataFrame) -> list[tuple[str, pd.Series, str]]:
    """Keep UCDP's estimates even where they disagree; make low <= best <= high and say what changed."""
    raw = {c: get(frame, c) for c in ("low", "best", "high")}
    low, best, high = (pd.to_numeric(raw[c], errors="coerce") for c in ("low", "best", "high"))
    swapped = (low > high).fillna(False)
    low, high = low.where(~swapped, high), high.where(~swapped, low)
    widened = ((best < low) | (best > high)).fillna(False)
    low = low.where(~widened | (best >= low), best)
    high = high.where(~widened | (best <= high), best)
    changed = (swapped | widened).to_numpy(dtype=bool)
    for column, values, source in (("fatalities_low", low, "low"), ("fatalities_high", high, "high")):
        fixed = raw[source].copy()
        if changed.any():
            fixed[changed] = _number_text(values[changed]).astype("string")
        out[column] = fixed
    message = pd.Series("", index=frame.index, dtype=object)
    message[swapped] = ("UCDP low " + raw["low"][swapped] + " > high " + raw["high"][swapped]
                        + ": read as the range " + out["fatalities_low"][swapped] + "–" + out["fatalities_high"][swapped]
                        ).astype(object)
    only_widened = widened & ~swapped
    message[only_widened] = ("UCDP best " + raw["best"][only_widened] + " is outside low " + raw["low"][only_widened]
                             + " – high " + raw["high"][only_widened] + ": range widened to "
                             + out["fatalities_low"][only_widened] + "–" + out["fatalities_high"][only_widened]
                             ).astype(object)
    return [("fatalities_low", message, "warning")]


def map_ucdp(frame: pd.DataFrame) -> Mapped:
    """Map a UCDP GED table (lower-case column names) onto the event columns."""
    out = empty_table(frame.index)
    out["id"] = "ucdp-" + slug(get(frame, "id"))
    violence = get(frame, "type_of_violence")
    out["event_type"] = violence.map(VIOLENCE_TYPES).fillna(violence).astype("string")
    where = get(frame, "where_description")
    out["title"] = joined(get(frame, "dyad_name"), where.where(where != "", get(frame, "adm_1")), sep=", "
                          ).str.slice(0, 120)
    out["date"], start_error = parse_dates(get(frame, "date_start"))
    end, end_error = parse_dates(get(frame, "date_end"))
    out["end_date"] = end.where(end != out["date"], "").astype("string")
    out["date_precision"] = get(frame, "date_prec").map(DATE_PRECISION).fillna("day")
    source_country = get(frame, "country")
    out["country"] = country_code(source_country)
    out["province"] = province_code(get(frame, "adm_1"))
    out["district"] = per_distinct(get(frame, "adm_2"), lambda u: u.str.replace(r"\s+district$", "", regex=True))
    out["location_precision"] = get(frame, "where_prec").map(WHERE_PRECISION).fillna("district")
    out["fatalities"] = get(frame, "best")
    problems = _fatality_range(frame, out)
    out["actors"] = joined(get(frame, "side_a"), get(frame, "side_b"))
    out["description"] = get(frame, "source_headline", trim=False)
    office = get(frame, "source_office")
    out["source_title"] = ("UCDP GED: " + office).where(office != "", "UCDP GED")
    out["source_url"] = SOURCE_URL
    out["lat"] = get(frame, "latitude", "lat")
    out["lon"] = get(frame, "longitude", "lon")
    other, notes = other_countries(out, source_country.where(source_country != "", out["country"]))
    problems += [("date", start_error, "error"), ("end_date", end_error, "error")]
    return Mapped(out, problems=problems, skipped=other, notes=notes)

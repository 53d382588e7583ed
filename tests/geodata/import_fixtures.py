"""Small synthetic files in the layouts analysts hold, written for these tests from the published column lists.

Every row is fake (actors "Test Group A", notes "Synthetic test row"); places are real towns at rounded
coordinates so the spatial checks have something true to check against.
"""

from __future__ import annotations

import csv
import io
import json

# Column lists as documented in ACLED's codebooks and exports of each generation.
ACLED_PRE_2019 = ("GWNO EVENT_ID_CNTY EVENT_ID_NO_CNTY EVENT_DATE YEAR TIME_PRECISION EVENT_TYPE ACTOR1 ALLY_ACTOR_1 "
                  "INTER1 ACTOR2 ALLY_ACTOR_2 INTER2 INTERACTION COUNTRY ADMIN1 ADMIN2 ADMIN3 LOCATION LATITUDE "
                  "LONGITUDE GEO_PRECISION SOURCE NOTES FATALITIES").split()
ACLED_2019 = ("data_id iso event_id_cnty event_id_no_cnty event_date year time_precision event_type sub_event_type "
              "actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction region country admin1 admin2 "
              "admin3 location latitude longitude geo_precision source source_scale notes fatalities timestamp "
              "iso3").split()
ACLED_CURRENT = ("event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 "
                 "assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country "
                 "admin1 admin2 admin3 location latitude longitude geo_precision source source_scale notes "
                 "fatalities tags timestamp").split()
UCDP_GED = ("id relid year active_year code_status type_of_violence conflict_dset_id conflict_new_id conflict_name "
            "dyad_dset_id dyad_new_id dyad_name side_a_dset_id side_a_new_id side_a side_b_dset_id side_b_new_id "
            "side_b number_of_sources source_article source_office source_date source_headline source_original "
            "where_prec where_coordinates where_description adm_1 adm_2 latitude longitude geom_wkt priogrid_gid "
            "country country_id region event_clarity date_prec date_start date_end deaths_a deaths_b "
            "deaths_civilians deaths_unknown best high low gwnoa gwnob").split()

# (id, date, type, sub-type, country, admin1, admin2, location, lat, lon, fatalities)
_ACLED_EVENTS = [
    ("PAK90001", "2020-05-09", "Battles", "Armed clash", "Pakistan", "Balochistan", "Kech", "Turbat", "26.0", "63.05",
     "2"),
    ("IRN90002", "2020-06-15", "Explosions/Remote violence", "Remote explosive/landmine/IED", "Iran",
     "Sistan and Baluchestan", "Saravan", "Saravan", "27.37", "62.33", "1"),
    ("PAK90003", "2020-07-01", "Protests", "Peaceful protest", "Pakistan", "Balochistan", "Gwadar", "Gwadar", "25.12",
     "62.32", "0"),
    ("PAK90004", "2020-07-02", "Strategic developments", "Arrests", "Pakistan", "Balochistan", "Kech", "Turbat",
     "26.0", "63.05", "0"),
    ("PAK90005", "2020-07-03", "Violence against civilians", "Attack", "Pakistan", "Gilgit-Baltistan", "Gilgit",
     "Gilgit", "35.92", "74.31", "1"),  # outside the map area (Lahore, in Punjab, is inside)
    ("AFG90006", "2020-07-04", "Battles", "Armed clash", "Afghanistan", "Nimruz", "Zaranj", "Zaranj", "30.96", "61.86",
     "3"),  # another country inside the map area
]
_OLD_TYPES = {"Battles": "Battle-No change of territory", "Explosions/Remote violence": "Remote violence",
              "Protests": "Riots/Protests", "Strategic developments": "Strategic development"}
_MONTHS = "January February March April May June July August September October November December".split()


def _d_mon_yy(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d)}-{_MONTHS[int(m) - 1][:3]}-{y[2:]}"


def _dd_month_yyyy(iso: str, sep: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}{sep}{_MONTHS[int(m) - 1]}{sep}{y}"


def acled_records(layout: str) -> list[dict]:
    """The synthetic events in one ACLED layout: ``pre2019``, ``2019`` or ``current``."""
    columns = {"pre2019": ACLED_PRE_2019, "2019": ACLED_2019, "current": ACLED_CURRENT}[layout]
    records = []
    for n, (ident, date, kind, sub, country, admin1, admin2, place, lat, lon, dead) in enumerate(_ACLED_EVENTS):
        values = {
            "data_id": str(7000 + n), "iso": {"Pakistan": "586", "Iran": "364"}.get(country, "4"),
            "iso3": {"Pakistan": "PAK", "Iran": "IRN"}.get(country, "AFG"), "gwno": "770",
            "event_id_cnty": ident, "event_id_no_cnty": str(n + 1), "year": date[:4], "time_precision": "1",
            "event_type": _OLD_TYPES.get(kind, kind) if layout == "pre2019" else kind, "sub_event_type": sub,
            "disorder_type": "Political violence", "actor1": "Test Group A", "actor2": "Test Group B" if n % 2 else "",
            "ally_actor_1": "", "assoc_actor_1": "", "inter1": "3", "interaction": "30", "region": "Southern Asia",
            "country": country, "admin1": admin1, "admin2": admin2, "location": place, "latitude": lat,
            "longitude": lon, "geo_precision": "1", "source": "Test Wire", "source_scale": "National",
            "notes": "Synthetic test row.", "fatalities": dead, "timestamp": "1600000000", "tags": "",
            "civilian_targeting": "",
            "event_date": {"pre2019": _dd_month_yyyy(date, "-"), "2019": _d_mon_yy(date)}.get(layout, date),
        }
        if layout == "pre2019":
            values["notes"] = "Synthetic test row.\nSecond line of the note."  # old notes carry line breaks
        records.append({c: values.get(c.lower(), "") for c in columns})
    return records


def csv_bytes(records: list[dict], *, delimiter: str = ",", newline: str = "\n", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), delimiter=delimiter, lineterminator=newline)
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue().encode(encoding)


def acled_api_json(envelope: bool = True) -> bytes:
    records = acled_records("current")
    for record in records:  # the API sends numbers as JSON numbers in some fields
        record["fatalities"] = int(record["fatalities"])
    doc = {"status": 200, "success": True, "last_update": 1, "count": len(records), "data": records}
    return json.dumps(doc if envelope else records).encode("utf-8")


def xlsx_bytes(records: list[dict], *, dates_as_dates: bool = True) -> bytes:
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    columns = list(records[0])
    sheet.append(columns)
    for record in records:
        row = []
        for column in columns:
            value = record[column]
            if column.lower() == "event_date" and dates_as_dates:
                value = dt.datetime.strptime(value, "%Y-%m-%d")
            elif column.lower() in ("latitude", "longitude", "fatalities") and value:
                value = float(value)
            row.append(value)
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ucdp_records() -> list[dict]:
    rows = [
        # (id, type, best, low, high, date_prec, start, end, where_prec, adm_1, lat, lon, office)
        ("990001", "3", "11", "11", "13", "1", "2023-12-15 00:00:00.000", "2023-12-15 00:00:00.000", "2",
         "Sistan and Baluchestan province", "26.24", "61.40", "Test Wire"),
        ("990002", "1", "3", "5", "2", "2", "2024-04-01 00:00:00.000", "2024-04-05 00:00:00.000", "3",
         "Sistan and Baluchestan province", "27.37", "62.33", ""),  # low > high, as in real GED rows
        ("990003", "2", "9", "2", "4", "4", "2024-05-01", "2024-05-31", "1", "Balochistan province", "26.0", "63.05",
         "Test Daily"),  # best above high
        ("990004", "1", "1", "1", "1", "1", "2024-06-01", "2024-06-01", "1", "Gilgit-Baltistan territory", "35.92",
         "74.31", "Test Daily"),  # Gilgit: outside the map area
    ]
    records = []
    for ident, kind, best, low, high, prec, start, end, where, adm1, lat, lon, office in rows:
        values = {
            "id": ident, "relid": f"TST-{ident}", "year": start[:4], "type_of_violence": kind,
            "dyad_name": "Test Government - Test Group A", "side_a": "Test Government", "side_b": "Test Group A",
            "source_office": office, "source_headline": "Synthetic headline", "where_prec": where,
            "where_description": "Test place", "adm_1": adm1, "adm_2": "Test district", "latitude": lat,
            "longitude": lon, "country": "Pakistan" if "Iran" not in adm1 and "Sistan" not in adm1 else "Iran",
            "date_prec": prec, "date_start": start, "date_end": end, "best": best, "low": low, "high": high,
        }
        records.append({c: values.get(c, "") for c in UCDP_GED})
    return records

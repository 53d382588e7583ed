"""Synthetic event files for benchmarks: N rows in our CSV schema, every row valid, reproducible for a seed.

Rows look like an analyst's ACLED extract mapped to our columns: points spread over Balochistan and Sistan and
Baluchestan (province and country taken from the polygon each point falls in, so validation agrees), ACLED-style
generated titles ("Armed clash in Turbat") that repeat across rows, a long unique note per row, a handful of
sources, dates over 2000–2026 with their precision, fatalities with a long tail. Nothing here is real data and
nothing of it is shipped: it exists to load the app with 10k–1M events.

    python benchmarks/synthetic.py 100000 /tmp/events-100k.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import geodata
from geodata import EVENT_COLUMNS, EventType

SEED = 20261129
_SUB_EVENTS = {
    "attack": ("Remote explosive/landmine/IED", "Attack", "Suicide bomb", "Grenade"),
    "clash": ("Armed clash", "Government regains territory"),
    "cross_border_strike": ("Air/drone strike", "Shelling/artillery/missile attack"),
    "smuggling": ("Attack on fuel carriers",),
    "unrest": ("Peaceful protest", "Protest with intervention", "Violent demonstration"),
    "diplomatic": ("Agreement",),
    "border_crossing": ("Crossing point",),
    "border_market": ("Border market",),
}
_ACTORS = ("Jaish al-Adl", "BLA", "BLF", "Frontier Corps", "IRGC", "Police Forces of Pakistan", "Protesters",
           "Unidentified Armed Group", "Civilians", "Fuel couriers")
_SOURCES = (("Dawn", "https://www.dawn.com/"), ("The News", "https://www.thenews.com.pk/"),
            ("IRNA", "https://en.irna.ir/"), ("Balochistan Post", "https://thebalochistanpost.net/"),
            ("ACLED", "https://acleddata.com/"))


def _points_in(polygon, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` uniform random points inside ``polygon`` (rejection sampling in its bounding box)."""
    minx, miny, maxx, maxy = polygon.bounds
    shapely.prepare(polygon)
    out = np.empty((0, 2))
    while len(out) < n:
        xy = np.column_stack([rng.uniform(minx, maxx, 2 * n), rng.uniform(miny, maxy, 2 * n)])
        out = np.vstack([out, xy[shapely.contains_xy(polygon, xy[:, 0], xy[:, 1])]])
    return out[:n]


def synthetic_table(n: int, seed: int = SEED) -> pd.DataFrame:
    """``n`` valid event rows in our CSV schema (strings, as read from a file)."""
    rng = np.random.default_rng(seed)
    provinces = geodata.load_provinces()
    focus = provinces[provinces["iso_code"].isin(["PK-BA", "IR-13"])].reset_index(drop=True)
    # Both provinces, in proportion to their area, points kept 3 km inside so 1:10m edges never disagree.
    area = focus.to_crs("ESRI:102025").area.to_numpy()
    which = rng.choice(len(focus), size=n, p=area / area.sum())
    lat, lon = np.empty(n), np.empty(n)
    for k, row in focus.iterrows():
        mask = which == k
        pts = _points_in(row.geometry.buffer(-0.03), int(mask.sum()), rng)
        lon[mask], lat[mask] = pts[:, 0], pts[:, 1]
    iso = focus["iso_code"].to_numpy()[which]
    country = np.where(iso == "PK-BA", "PK", "IR")

    types = rng.choice([t.value for t in EventType], size=n, p=[0.01, 0.01, 0.45, 0.25, 0.02, 0.08, 0.16, 0.02])
    towns = geodata.load_towns()
    town_names = towns["name"].astype(str).to_numpy() if "name" in towns else np.array(["Turbat"])
    town = town_names[rng.integers(0, len(town_names), n)]
    sub = np.array([_SUB_EVENTS[t][rng.integers(0, len(_SUB_EVENTS[t]))] for t in types])
    days = rng.integers(0, (np.datetime64("2026-11-28") - np.datetime64("2000-01-01")).astype(int), n)
    dates = (np.datetime64("2000-01-01") + days.astype("timedelta64[D]")).astype(str)
    precision = rng.choice(["day", "month", "year"], size=n, p=[0.9, 0.08, 0.02])
    dates = np.where(precision == "month", np.char.add(np.char.ljust(dates.astype("U7"), 7), "-01"), dates)
    dates = np.where(precision == "year", np.char.add(dates.astype("U4"), "-01-01"), dates)
    best = rng.negative_binomial(1, 0.3, n)
    reported = (rng.random(n) > 0.15) & ~np.isin(types, ["border_crossing", "border_market"])
    source = rng.integers(0, len(_SOURCES), n)
    actor1, actor2 = rng.integers(0, len(_ACTORS), n), rng.integers(0, len(_ACTORS), n)
    frame = pd.DataFrame({
        "id": [f"synthetic-{i:07d}" for i in range(n)],
        "event_type": types,
        "title": np.char.add(np.char.add(sub, " in "), town),
        "date": dates,
        "date_precision": precision,
        "end_date": "",
        "country": country,
        "province": iso,
        "district": town,
        "location_precision": rng.choice(["exact", "town", "district", "province"], size=n, p=[0.1, 0.5, 0.35, 0.05]),
        "fatalities": np.where(reported, best.astype(str), ""),
        "fatalities_low": "",
        "fatalities_high": "",
        "actors": [f"{_ACTORS[a]}; {_ACTORS[b]}" for a, b in zip(actor1, actor2)],
        "description": [f"Synthetic benchmark row {i}: {s.lower()} reported near {t}; not a real event."
                        for i, (s, t) in enumerate(zip(sub, town))],
        "source_title": [_SOURCES[s][0] for s in source],
        "source_url": [_SOURCES[s][1] for s in source],
        "last_checked": "",
        "lat": np.round(lat, 5).astype(str),
        "lon": np.round(lon, 5).astype(str),
    })
    return frame[[c for c in EVENT_COLUMNS if c in frame]]


def write_events_csv(n: int, path: Path, seed: int = SEED) -> Path:
    """Write :func:`synthetic_table` to ``path`` (CSV with a header) and return the path."""
    synthetic_table(n, seed).to_csv(path, index=False)
    return path


if __name__ == "__main__":
    write_events_csv(int(sys.argv[1]), Path(sys.argv[2]))

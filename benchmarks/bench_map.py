"""Benchmark: what the server does for the map, per dataset and per filter change, against the JSON floor and
against one folium.CircleMarker per event.

Usage (from a checkout, no install needed)::

    python benchmarks/bench_map.py                       # sizes 10000 100000, best of 3 (1 at 100k)
    python benchmarks/bench_map.py --sizes 1000 10000 --repeat 5
    python benchmarks/bench_map.py --baseline-max 100000 # really run the slow baseline at 100k

For each N it builds N synthetic events shaped like ``geodata.load_events()`` (rows sampled from the real enriched
frame with a fixed seed, then given unique ids, jittered positions and random types, fatalities, precisions and
dates) and measures, in one process, for the same filter change (untick "Attack"):

(a) app, once per dataset: ``encode_dataset`` — the compact columns the browser fetches once;
    app, per rerun: ``filter_mask`` + the selection bitmask + rendering the page script of base map and events
    layer (what st_folium sends) — seconds, script size, tracemalloc peak;
(b) the JSON floor: ``json.dumps`` of the filtered rows' compact fields (lat, lon, type, radius, id);
(c) baseline: the same base map plus one ``folium.CircleMarker`` per filtered row with escaped tooltip and popup
    strings, rendered. Above ``--baseline-max`` it is extrapolated linearly (per-event cost measured at
    ``--baseline-max`` plus the fixed base-map cost) and marked.

Times are best-of-``--repeat`` wall clock (``time.perf_counter``); memory is measured in a separate, untimed pass
because tracemalloc slows allocation-heavy code. No assertions: it prints what it measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import argparse
import datetime as dt
import gc
import html as html_lib
import json
import os
import platform
import time
import tracemalloc

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

import geodata
from dashboard.events_layer import events_layer, layer_config
from dashboard.events_payload import encode_dataset
from dashboard.map_view import BasemapLayers, build_base_map
from dashboard.symbology import marker_radius
from dashboard.text import format_period, safe_url
from geodata import EventType
from geodata.models import METRIC_CRS

SEED = 20261128
#: Bounding box of Balochistan + Sistan and Baluchestan used for the synthetic positions.
LAT_RANGE = (24.9, 30.0)
LON_RANGE = (60.5, 66.5)
DATE_RANGE = (np.datetime64("2000-01-01"), np.datetime64("2026-11-28"))
MB = 1024 * 1024


# ---------------------------------------------------------------------------------------------- data


def load_layers() -> BasemapLayers:
    """The boundary layers, read once (the app caches them per server process the same way)."""
    return BasemapLayers(
        border=geodata.load_border(),
        provinces=geodata.load_provinces(),
        countries=geodata.load_countries(),
        land=geodata.load_land(),
    )


def synthetic_events(n: int, real: gpd.GeoDataFrame, seed: int = SEED) -> gpd.GeoDataFrame:
    """``n`` events with the columns and dtypes of ``geodata.load_events()``, reproducible for a given seed.

    Text columns (titles, descriptions, sources, actors, districts) come from real rows sampled with replacement,
    so popups carry realistically sized text; everything the map encodes is re-drawn at random.
    """
    rng = np.random.default_rng(seed)
    frame = real.iloc[rng.integers(0, len(real), n)].reset_index(drop=True).copy()
    dtypes = frame.dtypes.to_dict()

    frame["id"] = pd.array([f"synthetic-{i:07d}" for i in range(n)], dtype=dtypes["id"])

    # Position: jitter the sampled real point (σ ≈ 0.35°), then keep it inside the provinces' bbox.
    lat = np.clip(frame["lat"].to_numpy(float) + rng.normal(0, 0.35, n), *LAT_RANGE)
    lon = np.clip(frame["lon"].to_numpy(float) + rng.normal(0, 0.35, n), *LON_RANGE)
    frame["lat"], frame["lon"] = lat, lon
    frame = frame.set_geometry(gpd.points_from_xy(lon, lat), crs=real.crs)

    # Event types in the proportions of the curated data.
    counts = real["event_type"].value_counts()
    types = rng.choice(counts.index.to_numpy(str), size=n, p=(counts / counts.sum()).to_numpy(float))
    frame["event_type"] = pd.array(types, dtype=dtypes["event_type"])
    is_place = np.isin(types, [t.value for t in EventType if t.is_place])

    # Fatalities: most incidents 0–3, a long tail; ~15 % not reported; some with a reported range; none for places.
    best = rng.negative_binomial(1, 0.3, n).astype(float)
    best[(rng.random(n) < 0.15) | is_place] = np.nan
    ranged = ~np.isnan(best) & (rng.random(n) < 0.2)
    low = np.where(ranged, np.maximum(best - rng.integers(0, 3, n), 0), np.nan)
    high = np.where(ranged, best + rng.integers(1, 6, n), np.nan)
    for column, values in (("fatalities", best), ("fatalities_low", low), ("fatalities_high", high)):
        frame[column] = pd.array(np.where(np.isnan(values), None, values), dtype="Int64").astype(dtypes[column])

    frame["location_precision"] = pd.array(
        rng.choice(["exact", "town", "district", "province"], size=n, p=[0.1, 0.5, 0.35, 0.05]),
        dtype=dtypes["location_precision"],
    )
    precision = rng.choice(["day", "month", "year"], size=n, p=[0.9, 0.08, 0.02])
    days = (DATE_RANGE[1] - DATE_RANGE[0]).astype(int)
    date = (DATE_RANGE[0] + rng.integers(0, days, n).astype("timedelta64[D]")).astype("datetime64[us]")
    date = np.where(is_place & (rng.random(n) < 0.3), np.datetime64("NaT", "us"), date)
    end = np.where(~is_place & (rng.random(n) < 0.05), date + rng.integers(1, 30, n).astype("timedelta64[D]"),
                   np.datetime64("NaT", "us"))
    frame["date_precision"] = pd.array(np.where(np.isnat(date), None, precision), dtype=dtypes["date_precision"])
    frame["date"] = pd.Series(date, dtype=dtypes["date"])
    frame["end_date"] = pd.Series(end, dtype=dtypes["end_date"])

    # Derived columns, kept consistent with the new values (the loader's own rules, simplified).
    start = frame["date"]
    by_day = (frame["date_precision"] == "day").fillna(False).astype(bool)
    by_month = (frame["date_precision"] == "month").fillna(False).astype(bool)
    widened = start.where(by_day, (start + pd.offsets.MonthEnd(0)).where(by_month, start + pd.offsets.YearEnd(0)))
    frame["period_start"] = start.astype(dtypes["period_start"])
    frame["period_end"] = frame["end_date"].fillna(widened.where(~is_place)).astype(dtypes["period_end"])
    border = geodata.load_border().to_crs(METRIC_CRS).geometry.iloc[0]
    metric = frame.geometry.to_crs(METRIC_CRS).values
    frame["distance_to_border_km"] = (shapely.distance(metric, border) / 1000).round(2)

    return frame


# ---------------------------------------------------------------------------------------------- the two ways


#: The filter change both benchmarks time: untick "Attack".
CHANGE = geodata.EventFilter(event_types=tuple(t.value for t in EventType if t is not EventType.ATTACK))
#: In the app the map's files and boundaries are served by URL; these stand in for those URLs.
ASSETS = {name: f"../../media/{file_name}" for name, file_name, _, _ in __import__("dashboard.assets").assets.map_files()}


def app_first(events: pd.DataFrame) -> bytes:
    """(a) Once per dataset: the compact columnar dataset the browser fetches."""
    return encode_dataset(events)


def app_rerun(layers: BasemapLayers, events: pd.DataFrame) -> str:
    """(a) Every rerun (a filter change): filter, the selection bitmask, and the page script of base map + layer."""
    keep = geodata.filter_mask(events, CHANGE)
    m = build_base_map(layers, "none", boundaries_url="../../media/boundaries.json", asset_urls=ASSETS)
    events_layer(layer_config("../../media/events.json", "bench", len(events), np.flatnonzero(keep))).add_to(m)
    return m.get_root().render()


def json_floor(events: pd.DataFrame) -> str:
    """The floor the issue names: json.dumps of the filtered rows' compact fields (lat, lon, type, radius, id)."""
    shown = events[geodata.filter_mask(events, CHANGE)]
    rows = zip(shown["lat"].round(5).tolist(), shown["lon"].round(5).tolist(), shown["event_type"].tolist(),
               [marker_radius(v) for v in shown["fatalities"]], shown["id"].tolist())
    return json.dumps([list(r) for r in rows])


def _tooltip(row) -> str:
    return f"<b>{html_lib.escape(str(row['title']))}</b><br>{html_lib.escape(format_period(row))}"


def _popup(row) -> str:
    url = safe_url(row.get("source_url"))
    link = f'<a href="{html_lib.escape(url)}" target="_blank">{html_lib.escape(str(row["source_title"]))}</a>' if url else ""
    return f"{_tooltip(row)}<br>{html_lib.escape(str(row.get('description') or ''))}<br>{link}"


def baseline_map(layers: BasemapLayers, events: pd.DataFrame) -> folium.Map:
    """(b) The naive way: one folium.CircleMarker per row, with escaped tooltip and popup strings."""
    m = build_base_map(layers, "none", boundaries_url="../../media/boundaries.json", asset_urls=ASSETS)
    for _, row in events.iterrows():
        colour = EventType(row["event_type"]).colour
        folium.CircleMarker(
            location=[row["lat"], row["lon"]],
            radius=marker_radius(row["fatalities"]),
            color=colour,
            fill=True,
            fill_color=colour,
            fill_opacity=0.8,
            weight=1,
            tooltip=_tooltip(row),
            popup=_popup(row),
        ).add_to(m)
    return m


def baseline_html(layers: BasemapLayers, events: pd.DataFrame) -> str:
    """A filter change the naive way: the filtered rows as markers, rendered."""
    return baseline_map(layers, events[geodata.filter_mask(events, CHANGE)]).get_root().render()


# ---------------------------------------------------------------------------------------------- measuring


def best_time(fn, repeat: int) -> tuple[float, float, object]:
    """Best wall-clock time (perf_counter) of ``repeat`` calls, the process CPU time of that same call, and the
    last result. CPU time is reported alongside because wall time on a shared machine includes waiting."""
    best, best_cpu, result = float("inf"), float("nan"), None
    for _ in range(repeat):
        result = None
        gc.collect()
        cpu = time.process_time()
        start = time.perf_counter()
        result = fn()
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
        if wall < best:
            best, best_cpu = wall, cpu
    return best, best_cpu, result


def peak_mb(fn) -> float:
    """tracemalloc peak (MB) of one call, counted from just before it (input data excluded)."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak / MB


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # not available on this platform
        return "n/a"


def repeats_for(n: int, repeat: int, repeat_large: int, large: int) -> int:
    return repeat_large if n >= large else repeat


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000], help="event counts N")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many timed runs (default 3)")
    parser.add_argument("--repeat-large", type=int, default=1,
                        help="best of this many timed runs for N >= --large (default 1)")
    parser.add_argument("--large", type=int, default=100_000, help="threshold for --repeat-large (default 100000)")
    parser.add_argument("--baseline-max", type=int, default=10_000,
                        help="largest N the baseline is actually run at; above it, extrapolated (default 10000)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)

    import branca

    print(f"python {platform.python_version()}, folium {folium.__version__}, branca {branca.__version__}, "
          f"pandas {pd.__version__}, numpy {np.__version__}; {os.cpu_count()} CPUs; {dt.date.today()}")
    print(f"load average at start: {_load()} (other processes on the machine skew wall-clock times)")

    layers = load_layers()
    real = geodata.load_events()
    print(f"real events: {len(real)} rows x {real.shape[1]} columns; seed {args.seed}")

    # Warm-up: fills the asset caches and imports, so no size pays first-call costs.
    warm = synthetic_events(50, real, args.seed)
    app_first(warm), app_rerun(layers, warm), json_floor(warm), baseline_html(layers, warm)

    # Fixed cost of the shared base map (0 events), used to extrapolate the baseline affinely.
    base_s, base_cpu, _ = best_time(
        lambda: build_base_map(layers, "none", boundaries_url="b.json", asset_urls=ASSETS).get_root().render(),
        max(args.repeat, 3))

    sizes = sorted(set(args.sizes))
    baseline_runs: dict[int, tuple[float, float]] = {}  # n -> (wall s, cpu s)
    results = []
    for n in sizes:
        events = synthetic_events(n, real, args.seed)
        reps = repeats_for(n, args.repeat, args.repeat_large, args.large)
        print(f"\nN={n:,} (best of {reps}) ...", flush=True)
        first_s, _, payload = best_time(lambda: app_first(events), reps)
        rerun_s, rerun_cpu, script = best_time(lambda: app_rerun(layers, events), reps)
        floor_s, _, _ = best_time(lambda: json_floor(events), reps)
        mem = float("nan") if args.no_memory else peak_mb(lambda: app_rerun(layers, events))
        if n <= args.baseline_max:
            baseline_runs[n] = best_time(lambda: baseline_html(layers, events), reps)[:2]
            base_t, base_c = baseline_runs[n]
            label = "measured"
        else:
            ref = args.baseline_max
            if ref not in baseline_runs:
                ref_events = synthetic_events(ref, real, args.seed)
                baseline_runs[ref] = best_time(lambda: baseline_html(layers, ref_events), args.repeat)[:2]
            ref_wall, ref_cpu = baseline_runs[ref]
            base_t = base_s + (ref_wall - base_s) * n / ref
            label = f"extrapolated from {ref:,}"
        results.append((n, first_s, len(payload) / MB, rerun_s, len(script.encode()) / MB, floor_s, base_t, label, mem))
        print(f"  dataset {first_s:.3f} s ({len(payload) / MB:.2f} MB, once) · rerun {rerun_s:.3f} s "
              f"(CPU {rerun_cpu:.3f} s, script {len(script.encode()) / MB:.3f} MB incl. base map) · JSON floor "
              f"{floor_s:.3f} s · per-marker folium {base_t:.2f} s ({label}) · load {_load()}", flush=True)
        events = None  # let the frame go before the next size
        gc.collect()

    print(f"\nload average at end: {_load()}; base map alone (0 events): {base_s:.3f} s")
    print("\n| N | dataset s (once) | dataset MB | rerun s | rerun / JSON floor | per-marker folium s | "
          "folium / rerun | rerun script MB | rerun peak MB |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, first_s, payload_mb, rerun_s, script_mb, floor_s, base_t, label, mem in results:
        print(f"| {n:,} | {first_s:.2f} | {payload_mb:.2f} | {rerun_s:.3f} | {rerun_s / floor_s:.2f}x | "
              f"{base_t:.2f}{'*' if label != 'measured' else ''} | {base_t / rerun_s:.0f}x | {script_mb:.3f} | {mem:.0f} |")
    print("(* extrapolated)")


if __name__ == "__main__":
    main()

"""Benchmark: the app's map (one JSON events layer) against one folium.CircleMarker per event.

Usage (from a checkout, no install needed)::

    python benchmarks/bench_map.py                       # sizes 10000 100000, best of 3
    python benchmarks/bench_map.py --sizes 1000 10000 --repeat 5
    python benchmarks/bench_map.py --baseline-max 100000 # really run the slow baseline at 100k

For each N it builds N synthetic events shaped like ``geodata.load_events()`` (same columns and dtypes; rows
sampled from the real enriched frame with a fixed seed, then given unique ids, jittered positions inside the two
provinces' bounding box and random types, fatalities, precisions and dates) and measures, in one process:

(a) app:      ``build_map(layers, events)`` + ``m.get_root().render()`` — seconds, HTML size, tracemalloc peak;
(b) baseline: ``build_base_map(layers)`` (the same base: tiles, boundaries, labels) + one ``folium.CircleMarker``
              per event with a ``tooltip=`` and ``popup=`` string, rendered the same way. Above ``--baseline-max``
              it is not run but extrapolated linearly (per-event cost measured at ``--baseline-max``, plus the
              fixed base-map cost) and labelled "extrapolated".

Times are best-of-``--repeat`` wall clock (``time.perf_counter``); memory is measured in a separate, untimed pass
because tracemalloc slows allocation-heavy code. No assertions: it prints what it measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import gc  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import folium  # noqa: E402
import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402

import geodata  # noqa: E402
from dashboard.map_view import (  # noqa: E402
    BasemapLayers,
    build_base_map,
    build_map,
    marker_radius,
    popup_html,
    tooltip_html,
    with_presentation,
)
from geodata import EventType  # noqa: E402
from geodata.models import METRIC_CRS  # noqa: E402

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


def app_html(layers: BasemapLayers, events: pd.DataFrame) -> str:
    """(a) What the app does: base map + one EventLayer carrying every event as one JSON array."""
    m = build_map(layers, events)
    return m.get_root().render()


def baseline_map(layers: BasemapLayers, events: pd.DataFrame) -> folium.Map:
    """(b) The naive way: one folium.CircleMarker per row, with tooltip and popup strings.

    Same base map and the same tooltip/popup text as the app, so only the way events are carried differs.
    """
    m = build_base_map(layers)
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
            tooltip=tooltip_html(row),
            popup=popup_html(row),
        ).add_to(m)
    return m


def baseline_html(layers: BasemapLayers, events: pd.DataFrame) -> str:
    return baseline_map(layers, events).get_root().render()


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

    # Warm-up: fills the asset caches (inlined Leaflet) and imports, so no size pays first-call costs.
    warm = synthetic_events(50, real, args.seed)
    app_html(layers, warm)
    baseline_html(layers, warm)

    # Fixed cost of the shared base map (0 events), used to extrapolate the baseline affinely.
    base_s, base_cpu, _ = best_time(lambda: build_base_map(layers).get_root().render(), max(args.repeat, 3))

    sizes = sorted(set(args.sizes))
    baseline_runs: dict[int, tuple[float, float, float]] = {}  # n -> (wall s, cpu s, HTML MB)

    def run_baseline(n: int, events: pd.DataFrame, reps: int) -> None:
        wall, cpu, html_b = best_time(lambda: baseline_html(layers, events), reps)
        baseline_runs[n] = (wall, cpu, len(html_b.encode("utf-8")) / MB)

    results = []
    for n in sizes:
        events = synthetic_events(n, real, args.seed)
        reps = repeats_for(n, args.repeat, args.repeat_large, args.large)
        print(f"\nN={n:,}: app (best of {reps}) ...", flush=True)
        app_s, app_cpu, html_a = best_time(lambda: app_html(layers, events), reps)
        html_mb = len(html_a.encode("utf-8")) / MB
        del html_a
        mem = float("nan") if args.no_memory else peak_mb(lambda: app_html(layers, events))
        # A filter change in the app: popup/tooltip text was built once when the data loaded (cached).
        prepared = with_presentation(events)
        rerun_s, _, _ = best_time(lambda: app_html(layers, prepared), reps)
        del prepared
        print(f"  app {app_s:.3f} s (CPU {app_cpu:.3f} s), HTML {html_mb:.2f} MB, peak {mem:.0f} MB; "
              f"load average {_load()}", flush=True)

        if n <= args.baseline_max:
            print(f"  baseline (best of {reps}) ...", flush=True)
            run_baseline(n, events, reps)
            base_t, base_c, _ = baseline_runs[n]
            label = "measured"
        else:
            ref = args.baseline_max
            if ref not in baseline_runs:
                print(f"  baseline reference run at N={ref:,} (best of {args.repeat}) ...", flush=True)
                run_baseline(ref, synthetic_events(ref, real, args.seed), args.repeat)
            ref_wall, ref_cpu, _ = baseline_runs[ref]
            # Fixed base-map cost + per-event cost measured at the reference size, times n.
            base_t = base_s + (ref_wall - base_s) * n / ref
            base_c = base_cpu + (ref_cpu - base_cpu) * n / ref
            label = f"extrapolated from {ref:,}"
        print(f"  baseline {base_t:.2f} s (CPU {base_c:.2f} s, {label}); load average {_load()}", flush=True)
        results.append((n, app_s, base_t, label, html_mb, mem, app_cpu, base_c, rerun_s))
        del events
        gc.collect()

    print(f"\nload average at end: {_load()}")
    print(f"base map alone (0 events): {base_s:.3f} s")
    for n, (_, _, mb) in sorted(baseline_runs.items()):
        print(f"baseline HTML at N={n:,}: {mb:.2f} MB")
    header = (f"{'N':>9} | {'app s':>8} | {'rerun s':>8} | {'baseline s':>10} | {'baseline/app':>13} | "
              f"{'baseline/rerun':>14} | {'HTML MB':>8} | {'peak MB':>8} | {'CPU s app/baseline':>18} | baseline")
    print("\n" + header + "\n" + "-" * len(header))
    for n, app_s, base_t, label, html_mb, mem, app_cpu, base_c, rerun_s in results:
        ratio = f"{base_t / app_s:.1f}x faster"
        rerun_ratio = f"{base_t / rerun_s:.1f}x faster"
        cpu = f"{app_cpu:.2f} / {base_c:.2f}"
        print(f"{n:>9,} | {app_s:>8.3f} | {rerun_s:>8.3f} | {base_t:>10.2f} | {ratio:>13} | {rerun_ratio:>14} | "
              f"{html_mb:>8.2f} | {mem:>8.0f} | {cpu:>18} | {label}")

if __name__ == "__main__":
    main()

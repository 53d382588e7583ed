"""Benchmark: filters pushed down to PostGIS at 1M events against the in-memory path at 100k.

Usage (from a checkout; starts a throwaway PostgreSQL cluster unless --url is given)::

    python benchmarks/bench_store.py                              # 1,000,000 in PostGIS vs 100,000 in memory
    python benchmarks/bench_store.py --rows 50000 --memory-rows 10000   # a quick run
    python benchmarks/bench_store.py --url postgresql://.../scratch     # an existing, empty scratch database

Data: ``benchmarks/synthetic.py`` rows (valid, reproducible), validated and enriched by ``geodata.check_events``
in chunks of ``--memory-rows`` (chunk k uses seed SEED + k and ids ``synthetic-k-NNNNNNN``), written with
``PostgisStore.add`` (COPY, one transaction per chunk). The in-memory side is the first chunk.

For each filter it measures, best of ``--repeat`` (wall clock, ``time.perf_counter``):

* **postgis**: ``store.load(flt, bbox=...)`` (the query, the COPY out and the frame) + ``encode_dataset`` on the
  result (the map payload);
* **memory**: ``geodata.filter_events`` on the 100k frame already in memory (+ bbox) + ``encode_dataset`` on the
  result — what a deployment on files would do for the same view.

It also prints the one-off costs: the in-memory first load (read CSV + check_events), the PostGIS write rate and
``store.revision()`` (what the app asks on every rerun). No assertions: it prints what it measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

import geodata  # noqa: E402
from benchmarks.synthetic import SEED, synthetic_table  # noqa: E402
from dashboard.events_payload import encode_dataset  # noqa: E402
from geodata import EventFilter  # noqa: E402
from geodata.store import Stamp  # noqa: E402
from geodata.store.postgis import PostgisStore  # noqa: E402
from scripts.pg_cluster import throwaway_cluster  # noqa: E402

MB = 1024 * 1024
#: Views an analyst asks for, from narrow to the whole table. bbox: (min lon, min lat, max lon, max lat).
VIEWS = (
    ("one year, attacks and clashes", EventFilter(start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31),
                                                  event_types=("attack", "clash")), None),
    ("Kech/Turbat box, 2020 on", EventFilter(start=dt.date(2020, 1, 1)), (62.5, 25.8, 63.5, 26.3)),
    ("text 'grenade', IR only", EventFilter(text="grenade", countries=("IR",)), None),
    ("5+ fatalities within 50 km", EventFilter(min_fatalities=5, max_distance_km=50), None),
    ("everything", EventFilter(), None),
)


def best_of(repeat: int, action):
    """(best seconds, last result) over ``repeat`` runs."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def chunk(k: int, n: int):
    """``n`` valid, enriched synthetic events with ids unique across chunks."""
    table = synthetic_table(n, seed=SEED + k)
    table["id"] = table["id"].str.replace("synthetic-", f"synthetic-{k}-", regex=False)
    events, report = geodata.check_events(table)
    if not report.ok:
        raise SystemExit(f"synthetic chunk {k} has errors: {report.summary()}")
    return table, events


def in_memory(frame, flt, bbox):
    shown = geodata.filter_events(frame, flt)
    if bbox is not None:
        minx, miny, maxx, maxy = bbox
        shown = shown[shown["lon"].between(minx, maxx) & shown["lat"].between(miny, maxy)]
    return shown, encode_dataset(shown)


def in_postgis(store, flt, bbox):
    shown = store.load(flt, bbox=bbox)
    return shown, encode_dataset(shown)


def run(url: str, rows: int, memory_rows: int, repeat: int) -> None:
    store = PostgisStore(url)
    store.migrate()
    print(f"# bench_store: {rows:,} events in PostGIS vs {memory_rows:,} in memory; best of {repeat}")
    print(f"# {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")

    chunks = -(-rows // memory_rows)
    write_seconds = prepare_seconds = 0.0
    memory_table = memory_frame = None
    for k in range(chunks):
        n = min(memory_rows, rows - k * memory_rows)
        start = time.perf_counter()
        table, events = chunk(k, n)
        prepare_seconds += time.perf_counter() - start
        if k == 0:
            memory_table, memory_frame = table, events
        start = time.perf_counter()
        store.add(events, Stamp("bench_store", source_file=f"synthetic-{k}.csv"))
        write_seconds += time.perf_counter() - start
    print(f"prepare (synthetic + check_events): {prepare_seconds:.1f} s; "
          f"PostGIS add: {write_seconds:.1f} s ({rows / write_seconds:,.0f} rows/s)")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        memory_table.to_csv(path, index=False)
        first_load, _ = best_of(1, lambda: geodata.check_events(geodata.read_table(path)))
    revision_seconds, _ = best_of(max(repeat, 5), store.revision)
    print(f"in-memory first load at {memory_rows:,} (read CSV + check_events): {first_load:.2f} s")
    print(f"store.revision() per rerun: {revision_seconds * 1000:.1f} ms")
    print()
    print(f"| view | PostGIS rows | PostGIS s (query / payload) | memory rows | memory s (filter / payload) "
          f"| payload MB (PostGIS / memory) | PostGIS ÷ memory |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, flt, bbox in VIEWS:
        query, shown = best_of(repeat, lambda: store.load(flt, bbox=bbox))
        encode, payload = best_of(repeat, lambda: encode_dataset(shown))
        mem_filter, mem_shown = best_of(repeat, lambda: in_memory(memory_frame, flt, bbox)[0])
        mem_encode, mem_payload = best_of(repeat, lambda: encode_dataset(mem_shown))
        pg_total, mem_total = query + encode, mem_filter + mem_encode
        print(f"| {name} | {len(shown):,} | {pg_total:.2f} ({query:.2f} / {encode:.2f}) | {len(mem_shown):,} | "
              f"{mem_total:.2f} ({mem_filter:.2f} / {mem_encode:.2f}) | "
              f"{len(payload) / MB:.1f} / {len(mem_payload) / MB:.1f} | {pg_total / mem_total:.1f}× |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="events written to PostGIS")
    parser.add_argument("--memory-rows", type=int, default=100_000, help="events in the in-memory comparison")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", help="an existing scratch database (default: a throwaway local cluster)")
    args = parser.parse_args(argv)
    if args.url:
        run(args.url, args.rows, args.memory_rows, args.repeat)
        return 0
    with throwaway_cluster() as cluster:
        url = cluster.create_database("bench_store")
        run(url, args.rows, args.memory_rows, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())

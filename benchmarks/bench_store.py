"""Benchmark: filters pushed down to PostGIS at 1M events against the in-memory path at 100k.

Usage (from a checkout; starts a throwaway PostgreSQL cluster unless --url is given)::

    python benchmarks/bench_store.py                              # 1,000,000 in PostGIS vs 100,000 in memory
    python benchmarks/bench_store.py --rows 50000 --memory-rows 10000   # a quick run
    python benchmarks/bench_store.py --url postgresql://.../scratch     # an existing, empty scratch database

Data: ``benchmarks/synthetic.py`` rows (valid, reproducible), validated and enriched by ``geodata.check_events``
in chunks of ``--memory-rows`` (chunk k uses seed SEED + k and ids ``synthetic-k-NNNNNNN``), written with
``PostgisStore.add`` (COPY, one transaction per chunk). The in-memory side is the first chunk.

For each filter it measures, best of ``--repeat`` (wall clock, ``time.perf_counter``):

* **the page** (what the app does on a filter change): on the team store, ``geodata.store.page_of`` — the newest
  ``PAGE_ROWS`` matching rows, and the counts by month of every match when capped — + ``encode_dataset`` of the
  rows (the map's dataset); on the files, ``filter_mask`` on the 100k frame + ``selection_mask`` (the dataset is
  already in the browser);
* **every matching row**: ``store.load(flt, bbox=...)`` + ``encode_dataset`` against ``geodata.filter_events``
  on the 100k frame in memory (+ bbox) + ``encode_dataset`` (views matching more than 200,000 rows skipped).

It also prints the one-off costs: the files' first load (read CSV + check_events, and the dataset encoded once),
the PostGIS write rate, ``store.revision()`` (every rerun) and ``store.summary()`` (once per change of the
store). No assertions: it prints what it measured.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import argparse
import datetime as dt
import os
import platform
import tempfile
import time

import numpy as np

import geodata
from benchmarks.synthetic import SEED, synthetic_table
from dashboard.event_source import PAGE_ROWS
from dashboard.events_payload import encode_dataset, selection_mask
from geodata import EventFilter
from geodata.store import Stamp, page_of
from geodata.store.postgis import PostgisStore
from scripts.pg_cluster import throwaway_cluster

MB = 1024 * 1024
#: Above this many matching rows a view is not loaded whole (at 1M, "everything" would be ~1M rows of pandas).
FULL_LOAD_MAX = 200_000
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


def _ratio(a: float, b: float) -> str:
    if b <= 0:
        return "—"
    ratio = a / b
    return f"{ratio:,.0f}×" if ratio >= 10 else f"{ratio:.2f}×"


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
    first_encode, _ = best_of(1, lambda: encode_dataset(memory_frame))
    revision_seconds, _ = best_of(max(repeat, 5), store.revision)
    summary_seconds, summary = best_of(repeat, store.summary)
    print(f"files: first load at {memory_rows:,} (read CSV + check_events): {first_load:.2f} s; the map dataset "
          f"of all of them, encoded once: {first_encode:.2f} s")
    print(f"store.revision() per rerun: {revision_seconds * 1000:.1f} ms; store.summary() once per change of the "
          f"store ({summary.events:,} events, {len(summary.provinces)} provinces): {summary_seconds:.2f} s")
    print()
    print(f"The page on a filter change (app path, PAGE_ROWS = {PAGE_ROWS:,}): team store = page_of() (the newest "
          "rows matching + counts by month when capped) + encode_dataset of the rows; files = filter_mask + "
          "selection_mask on the dataset already in the browser.")
    print()
    print(f"| view | matching ({rows:,}) | loaded | team page s (rows / counts / payload) | payload MB | "
          f"files page s at {memory_rows:,} (mask / selection) | team ÷ files |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    matching = {}
    for name, flt, bbox in VIEWS:
        if bbox is not None:  # the page does not push a box down (panning must not reload): skip in this table
            continue
        load_s, page_rows = best_of(repeat, lambda: store.load(flt, limit=PAGE_ROWS))
        counts_s, counts = best_of(repeat, lambda: store.monthly_counts(flt)) if len(page_rows) >= PAGE_ROWS \
            else (0.0, None)
        encode_s, payload = best_of(repeat, lambda: encode_dataset(page_rows))
        rows_found, counts_found = page_of(store, flt, PAGE_ROWS)  # the very function the page uses, once
        assert len(rows_found) == len(page_rows) and (counts is None) == (counts_found is None)
        matching[name] = int(counts["events"].sum()) if counts is not None else len(page_rows)
        mask_s, keep = best_of(repeat, lambda: geodata.filter_mask(memory_frame, flt))
        select_s, _ = best_of(repeat, lambda: selection_mask(len(memory_frame), np.flatnonzero(keep)))
        team, files = load_s + counts_s + encode_s, mask_s + select_s
        print(f"| {name} | {matching[name]:,} | {len(page_rows):,} | {team:.2f} ({load_s:.2f} / {counts_s:.2f} / "
              f"{encode_s:.2f}) | {len(payload) / MB:.1f} | {files:.3f} ({mask_s:.3f} / {select_s:.3f}) | "
              f"{_ratio(team, files)} |")

    print()
    print("Every matching row (no cap): store.load(filter, bbox) + encode_dataset, against filter_events on the "
          f"{memory_rows:,} in memory + encode_dataset. Views matching more than {FULL_LOAD_MAX:,} rows are not "
          "loaded whole (the page never does).")
    print()
    print("| view | PostGIS rows | PostGIS s (query / payload) | memory rows | memory s (filter / payload) "
          "| payload MB (PostGIS / memory) | PostGIS ÷ memory |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, flt, bbox in VIEWS:
        if matching.get(name, 0) > FULL_LOAD_MAX:
            print(f"| {name} | {matching[name]:,} | not loaded whole | | | | |")
            continue
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

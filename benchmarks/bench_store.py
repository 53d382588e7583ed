"""Benchmark: every matching event from PostGIS at 1M rows against the in-memory files path at 100k.

Usage (from a checkout; starts a throwaway PostgreSQL cluster unless --url is given)::

    python benchmarks/bench_store.py                              # 1,000,000 in PostGIS vs 100,000 in memory
    python benchmarks/bench_store.py --rows 50000 --memory-rows 10000   # a quick run
    python benchmarks/bench_store.py --url postgresql://.../scratch     # a scratch database: seeded when it
                                                                        # holds fewer than --rows events

Data: ``benchmarks/synthetic.py`` rows (valid, reproducible), validated and enriched by ``geodata.check_events``
in chunks of ``--memory-rows`` (chunk k uses seed SEED + k and ids ``synthetic-k-NNNNNNN``), written with
``PostgisStore.add`` (COPY, one transaction per chunk). The in-memory side is the first chunk.

What a team page does without a cap (the wiring the dashboard takes): the map's dataset is every active event of
the store at its revision, read once per revision (``store.load()``, a column read) and encoded once; a filter
change finds the rows kept, sends the selection and takes the shown rows, as the files page does. Measured, best of
``--repeat`` (wall clock, ``time.perf_counter``), ratios from the same run:

1. the read itself, on the first ``--compare-rows`` stored rows: today's row-wise read (COPY as CSV parsed by
   pandas), the column read (COPY as CSV parsed by Arrow), psycopg's binary COPY with ``set_types`` (fetch to
   row tuples only) and the ADBC driver (binary COPY into Arrow in C++; fetch only, if installed);
2. the first map: files = read the CSV + ``check_events`` + ``encode_dataset`` at ``--memory-rows``; team =
   ``store.load()`` + ``encode_dataset`` at ``--rows``;
3. each filter change: what the page computes (``page_change``: the dataset's ``FrameIndex``, kept per loaded
   frame, answers the filter; the map's selection, the count, metrics, timeline buckets, the table's page and the
   top actors from the index and the mask), and as before the index: the rows kept, ``selection_mask`` and the
   shown rows taken, the rows kept found by ``filter_mask`` (files; team in memory), by ``matching_rows`` (team
   SQL), or the text term by ``matching_rows`` and the rest by ``filter_mask`` (team hybrid);
4. the aggregate a page shows beyond ``BROWSER_ROWS_MAX``: ``grid_counts`` of everything.

No assertions: it prints what it measured. The machine may be shared: compare ratios, not seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import argparse
import dataclasses
import datetime as dt
import os
import platform
import resource
import tempfile
import time

import numpy as np
import pandas as pd
import psycopg

import geodata
from benchmarks.synthetic import SEED, synthetic_table
from dashboard import actors_panel, page_view, panels, timeline_panel
from dashboard.events_payload import encode_dataset, selection_mask
from geodata import EventFilter
from geodata.frame_index import FrameIndex
from geodata.store import BROWSER_ROWS_MAX, Stamp, positions_of
from geodata.store._columnar import read_columns
from geodata.store._records import STORED, from_columns, from_copy_csv
from geodata.store.postgis import PostgisStore
from scripts.pg_cluster import throwaway_cluster

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


def _ratio(a: float, b: float) -> str:
    return "—" if b <= 0 else f"{a / b:.2f}×"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def chunk(k: int, n: int):
    """``n`` valid, enriched synthetic events with ids unique across chunks."""
    table = synthetic_table(n, seed=SEED + k)
    table["id"] = table["id"].str.replace("synthetic-", f"synthetic-{k}-", regex=False)
    events, report = geodata.check_events(table)
    if not report.ok:
        raise SystemExit(f"synthetic chunk {k} has errors: {report.summary()}")
    return table, events


def seed(store: PostgisStore, rows: int, per: int) -> None:
    """Write ``rows`` synthetic events in chunks of ``per`` unless the store holds that many already."""
    held = store.summary().events
    if held >= rows:
        print(f"store already holds {held:,} events: not seeded again")
        return
    prepare = write = 0.0
    before = _rss_mb()
    for k in range(-(-rows // per)):
        start = time.perf_counter()
        _, events = chunk(k, min(per, rows - k * per))
        prepare += time.perf_counter() - start
        start = time.perf_counter()
        store.add(events, Stamp("bench_store", source_file=f"synthetic-{k}.csv"))
        write += time.perf_counter() - start
    print(f"import of {rows:,}: prepare (synthetic + check_events) {prepare:.1f} s; PostGIS add {write:.1f} s "
          f"({rows / write:,.0f} rows/s); peak RSS of this process {_rss_mb():,.0f} MB (was {before:,.0f})")


def compare_reads(url: str, rows: int, repeat: int) -> None:
    """Section 1: the candidate reads on the first ``rows`` stored rows."""
    where = f"retired_at IS NULL AND seq <= {int(rows)}"
    columns = ", ".join(STORED) + ", version"

    def row_wise():
        buffer = bytearray()
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            with cur.copy(f"COPY (SELECT {columns} FROM events WHERE {where} ORDER BY seq) TO STDOUT "
                          "(FORMAT csv, HEADER true)") as copy:
                for part in copy:
                    buffer += part
        return from_copy_csv(bytes(buffer), extra=("version",))

    def column_fetch():
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            return read_columns(cur, where, {})

    def binary_rows():
        with psycopg.connect(url) as conn, conn.cursor() as cur:
            cur.execute(f"SELECT {columns} FROM events LIMIT 0")
            types = [d.type_code for d in cur.description]
            with cur.copy(f"COPY (SELECT {columns} FROM events WHERE {where} ORDER BY seq) TO STDOUT "
                          "(FORMAT binary)") as copy:
                copy.set_types(types)
                return list(copy.rows())

    results = [("today: COPY csv + pandas, typed", row_wise),
               ("column read: COPY csv + Arrow (fetch to columns)", column_fetch),
               ("column read + typed (store.load)", lambda: from_columns(column_fetch(), extra=("version", "seq"))),
               ("psycopg binary COPY + set_types (fetch to row tuples)", binary_rows)]
    try:
        import adbc_driver_postgresql.dbapi as adbc

        def adbc_fetch():
            with adbc.connect(url) as conn, conn.cursor() as cur:
                cur.execute(f"SELECT {columns} FROM events WHERE {where} ORDER BY seq")
                return cur.fetch_arrow_table()

        results.append(("ADBC PostgreSQL driver (fetch to an Arrow table)", adbc_fetch))
    except ImportError:
        print("(ADBC not installed: pip install adbc-driver-postgresql to compare it)")
    print(f"\n## 1. Reading {rows:,} stored rows\n")
    print("| read | s | ÷ today |")
    print("|---|---:|---:|")
    baseline = None
    for name, action in results:
        seconds, _ = best_of(repeat, action)
        baseline = baseline or seconds
        print(f"| {name} | {seconds:.2f} | {_ratio(seconds, baseline)} |")


def run(url: str, rows: int, memory_rows: int, repeat: int, compare_rows: int) -> None:
    store = PostgisStore(url)
    store.migrate()
    print(f"# bench_store: {rows:,} events in PostGIS vs {memory_rows:,} in memory; best of {repeat}")
    print(f"# {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; BROWSER_ROWS_MAX = {BROWSER_ROWS_MAX:,}")
    seed(store, rows, memory_rows)
    compare_reads(url, min(compare_rows, rows), repeat)

    memory_table, memory_frame = chunk(0, memory_rows)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.csv"
        memory_table.to_csv(path, index=False)
        files_first, _ = best_of(1, lambda: encode_dataset(geodata.check_events(geodata.read_table(path))[0]))
    before = _rss_mb()
    load_s, team = best_of(1, store.load)
    encode_s, payload = best_of(1, lambda: encode_dataset(team))
    print(f"\n## 2. First map\n\nfiles at {memory_rows:,} (read CSV + check_events + encode_dataset): "
          f"{files_first:.2f} s; team at {len(team):,} (store.load {load_s:.2f} s + encode_dataset {encode_s:.2f} s"
          f" = {load_s + encode_s:.2f} s, dataset {len(payload) / MB:.0f} MB): "
          f"{_ratio(load_s + encode_s, files_first)} the files; peak RSS {before:,.0f} → {_rss_mb():,.0f} MB")
    del payload

    print(f"\n## 3. A filter change (team at {len(team):,} rows, files at {memory_rows:,})\n")
    print("page = what the page computes on a change (dashboard/app.py): the dataset's FrameIndex, kept per "
          "loaded frame, answers the filter; the map's selection; the header's count, metrics, timeline buckets, "
          "the table's page and the top actors from the index and the mask (page_change below). rows taken = "
          "filter_mask + selection_mask + the shown rows taken (the page before the index). team SQL = "
          "matching_rows + positions_of + rows taken; team hybrid = the text term by matching_rows, the other "
          "fields by filter_mask, + rows taken.\n")
    files_index, team_index = FrameIndex(memory_frame), FrameIndex(team)
    for label, frame, index in (("files", memory_frame, files_index), ("team", team, team_index)):
        start = time.perf_counter()
        for _, flt, _ in VIEWS:  # the first change of each kind builds what it needs, once per dataset
            page_change(frame, index, flt)
        print(f"{label}: the index's first use by each view (once per dataset) {time.perf_counter() - start:.2f} s")
    print("\n| view | matching team / files | files page s | team page s (÷ files) | files rows taken s | "
          "team rows taken s (÷ files) | team SQL s (÷ files) | team hybrid s (÷ files) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    seq = team["seq"].to_numpy()

    def shown(frame, keep):
        return selection_mask(len(frame), np.flatnonzero(keep)), frame[keep]

    def by_sql(flt, bbox):
        keep = np.zeros(len(team), dtype=bool)
        keep[positions_of(seq, store.matching_rows(flt, bbox=bbox))] = True
        return keep

    def hybrid(flt, bbox):
        keep = _in_memory(team, dataclasses.replace(flt, text=""), bbox)
        return keep & by_sql(EventFilter(text=flt.text), None) if flt.text else keep

    for name, flt, bbox in VIEWS:
        if bbox is None:  # the page does not push the map's bounds down: no page for the box view
            files_page, files_count = best_of(repeat, lambda: page_change(memory_frame, files_index, flt))
            team_page, team_count = best_of(repeat, lambda: page_change(team, team_index, flt))
        files_s, (_, files_rows) = best_of(repeat, lambda: shown(memory_frame, _in_memory(memory_frame, flt, bbox)))
        memory_s, (_, rows) = best_of(repeat, lambda: shown(team, _in_memory(team, flt, bbox)))
        sql_s, (_, sql_rows) = best_of(repeat, lambda: shown(team, by_sql(flt, bbox)))
        hybrid_s, (_, hybrid_rows) = best_of(repeat, lambda: shown(team, hybrid(flt, bbox)))
        assert len(rows) == len(sql_rows) == len(hybrid_rows), name
        page = (f"{files_page:.3f} | {team_page:.3f} ({_ratio(team_page, files_page)})" if bbox is None
                else "— | —")
        if bbox is None:
            assert (team_count, files_count) == (len(rows), len(files_rows)), name
        print(f"| {name} | {len(rows):,} / {len(files_rows):,} | {page} | {files_s:.3f} | {memory_s:.3f} "
              f"({_ratio(memory_s, files_s)}) | {sql_s:.3f} ({_ratio(sql_s, files_s)}) | {hybrid_s:.3f} "
              f"({_ratio(hybrid_s, files_s)}) |")

    grid_s, cells = best_of(repeat, lambda: store.grid_counts(EventFilter(), cell_degrees=0.1))
    print(f"\n## 4. Beyond BROWSER_ROWS_MAX\n\ngrid_counts of every event (0.1° cells): {grid_s:.2f} s, "
          f"{len(cells):,} cells for {int(cells['events'].sum()):,} events")


def page_change(frame: pd.DataFrame, index: FrameIndex, flt: EventFilter) -> int:
    """What the page computes for its events on a filter change (``dashboard/app.py``, playback off): the rows
    kept and the map's selection, the count, metrics, timeline buckets, the table's rows and the top actors."""
    view = page_view.compute(frame, flt, None, index=index)
    selection_mask(len(frame), np.flatnonzero(view.keep))
    rows = view.in_page
    panels.metric_values_of(index, rows)
    timeline_panel.buckets_of(index, rows, timeline_panel.DEFAULT_UNIT)
    panels.table_frame_of(index, rows)
    actors_panel.top_frame_of(index, rows)
    return view.count


def _in_memory(frame: pd.DataFrame, flt: EventFilter, bbox) -> np.ndarray:
    keep = geodata.filter_mask(frame, flt)
    if bbox is not None:
        minx, miny, maxx, maxy = bbox
        keep = keep & (frame["lon"].between(minx, maxx) & frame["lat"].between(miny, maxy)).to_numpy()
    return keep


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="events written to PostGIS")
    parser.add_argument("--memory-rows", type=int, default=100_000, help="events in the in-memory comparison")
    parser.add_argument("--compare-rows", type=int, default=100_000, help="rows read by each candidate read")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--url", help="a scratch database (default: a throwaway local cluster)")
    args = parser.parse_args(argv)
    if args.url:
        run(args.url, args.rows, args.memory_rows, args.repeat, args.compare_rows)
        return 0
    with throwaway_cluster() as cluster:
        url = cluster.create_database("bench_store")
        run(url, args.rows, args.memory_rows, args.repeat, args.compare_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())

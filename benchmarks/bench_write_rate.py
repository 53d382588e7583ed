"""Write rate of ``PostgisStore.add`` (rows per second), here and in another checkout, in one run.

    python benchmarks/bench_write_rate.py --rows 20000 --against /path/to/an/older/checkout

Migration 0006 makes the database derive, stamp and record every row (triggers); this measures what that costs a
bulk add against a checkout from before it (or any other). Each checkout runs in its own process on its own
throwaway database of one cluster, with the same synthetic rows (``benchmarks/synthetic.py``), validated and
enriched before the clock starts. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from benchmarks.synthetic import synthetic_table
import geodata
from geodata.store import Stamp
from geodata.store.postgis import PostgisStore
events, _ = geodata.check_events(synthetic_table(int(sys.argv[3])))
store = PostgisStore(sys.argv[2])
store.migrate()
start = time.perf_counter()
store.add(events, Stamp("bench", "synthetic.csv"))
print(len(events), time.perf_counter() - start)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--against", type=Path, help="another checkout to measure in the same run")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))
    from scripts.pg_cluster import remove_cluster, start_cluster

    cluster = start_cluster()
    rates = {}
    try:
        for number, root in enumerate([REPO_ROOT, *([args.against.resolve()] if args.against else [])]):
            url = cluster.create_database(f"writes_{number}")
            done = subprocess.run([sys.executable, "-c", _CHILD, str(root), url, str(args.rows)], cwd=root,
                                  capture_output=True, text=True, check=True)
            rows, seconds = done.stdout.split()[-2:]
            rates[root] = int(rows) / float(seconds)
            print(f"{root}: {int(rows):,} rows in {float(seconds):.2f} s = {rates[root]:,.0f} rows/s")
    finally:
        remove_cluster(cluster)
    if len(rates) == 2:
        here, there = rates.values()
        print(f"this checkout writes at {here / there:.2f}x the rate of the other")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

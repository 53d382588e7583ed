"""Drawing the events' symbols in Chromium: traced paths (the baseline) against stamps (dashboard/static/symbols.js).

The same N symbols (sizes, colours and a fifth of them approximate, as the map draws them) on one canvas of a
map's size at the 1600x1000 page, traced and stamped in alternate rounds in one page; prints the median of each
and their ratio. No assertions.

    python benchmarks/bench_symbols.py --n 100000 --rounds 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from playwright.sync_api import sync_playwright

from scripts.browser import CHROMIUM, chromium

HERE = Path(__file__).resolve().parent


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="symbols per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", default="2000x930", help="canvas WxH: the 1600x1000 page's map and its margins")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    with sync_playwright() as p, chromium(p) as browser:
        page = browser.new_page()
        page.set_content("<!DOCTYPE html><html><body></body></html>")
        for script in (REPO_ROOT / "dashboard" / "static" / "symbols.js", HERE / "js" / "traced_symbols.js",
                       HERE / "js" / "symbols_bench.js"):
            page.add_script_tag(path=str(script))
        out = page.evaluate("([n, w, h, r]) => window.benchSymbols(n, w, h, r)", [args.n, width, height, args.rounds])
    traced, stamped = statistics.median(out["traced"]), statistics.median(out["stamped"])
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"# bench_symbols · {CHROMIUM} · {args.n:,} symbols on {width}x{height} · load average {load}")
    print(f"traced  {traced:8.0f} ms (rounds: {', '.join(f'{v:.0f}' for v in out['traced'])})")
    print(f"stamped {stamped:8.0f} ms (rounds: {', '.join(f'{v:.0f}' for v in out['stamped'])})")
    print(f"stamped / traced: {stamped / traced:.2f}x")


if __name__ == "__main__":
    main()

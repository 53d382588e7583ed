"""Cold start and server CPU per new session, in a real `streamlit run` and Chromium (issue 25).

For each size, a synthetic event file (`synthetic.py`) through `BORDER_DASHBOARD_EVENTS`:

1. a fresh server with an empty cache directory (`BORDER_DASHBOARD_CACHE_DIR`): time to the first map (the server
   reads, checks, enriches and encodes the file), then a second page on the same server (warm);
2. the server stopped, a fresh one on the filled cache directory: time to the first map, then a warm page;
3. on that server, N new sessions one after another (a browser context each, until the whole page has run;
   `--returning`: also as new tabs of one browser context whose HTTP cache holds Streamlit's scripts):
   the server process's CPU time (utime + stime from /proc/<pid>/stat) per session.

Times are from navigation (the server already answers its health check; its start is printed apart).
`--app-root DIR` runs another checkout's app (e.g. `git archive <commit> | tar -x -C DIR`) for a before/after.
`--entry app serve --rounds 2` measures both ways of starting the server in the same run, interleaved (each
entry its own cache directory): `streamlit run dashboard/app.py` (the first page imports the page's modules and
loads the file) and `streamlit run dashboard/serve.py` (the st.App whose start does that, dashboard/warmup.py).

    python benchmarks/bench_cold_start.py                     # 100,000 events
    python benchmarks/bench_cold_start.py --sizes 100000 1000000 --sessions 4
    python benchmarks/bench_cold_start.py --entry app serve --rounds 2 --sessions 1
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from playwright.sync_api import sync_playwright

import geodata
from benchmarks.bench_browser import LOAD_TIMEOUT, open_map, script_done
from benchmarks.synthetic import synthetic_table
from scripts.browser import CHROMIUM, OFFLINE_ARGS, OffHostLog, chromium, new_page, streamlit_process

_TICK = os.sysconf("SC_CLK_TCK")
#: What `streamlit run` starts (under dashboard/).
ENTRIES = {"app": "app.py", "serve": "serve.py"}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime (fields 14 and 15 of the whole line)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_page(browser, url: str, n: int) -> float:
    """Seconds to the first map of a new session; the page is then left to finish its run."""
    page = new_page(browser, OffHostLog())
    try:
        first, _whole = open_map(page, url, n)
        script_done(page)
    finally:
        page.context.close()
    return first


def returning_sessions(browser, url: str, n: int, pid: int, sessions: int) -> list[float]:
    """Server CPU per new session of a returning browser: one context (its HTTP cache on: no request
    interception, offline by ``OFFLINE_ARGS``) that has opened the page once; each session a new tab."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, device_scale_factor=1)
    per = []
    try:
        for attempt in range(sessions + 1):
            before = cpu_seconds(pid)
            page = context.new_page()
            open_map(page, url, n)
            page.close()
            if attempt:  # the first fills the browser's cache
                per.append(cpu_seconds(pid) - before)
    finally:
        context.close()
    return per


def server_run(browser, url_env: dict, n: int, script: Path | None, sessions: int = 0, returning=None) -> dict:
    start = time.perf_counter()
    with streamlit_process(env=url_env, timeout=LOAD_TIMEOUT / 1000, script=script) as (url, proc):
        healthy = time.perf_counter() - start
        cpu_start = cpu_seconds(proc.pid)
        first = one_page(browser, url, n)
        cpu_first = cpu_seconds(proc.pid) - cpu_start
        warm = one_page(browser, url, n)
        out = {"healthy_s": healthy, "first_s": first, "warm_s": warm, "cpu_first_s": cpu_first}
        if sessions:
            per: list[float] = []
            for _ in range(sessions):
                before = cpu_seconds(proc.pid)
                one_page(browser, url, n)
                per.append(cpu_seconds(proc.pid) - before)
            out.update(session_cpu_s=per, rss_mb=rss_mb(proc.pid))
            if returning is not None:
                out.update(returning_cpu_s=returning_sessions(returning, url, n, proc.pid, sessions))
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--sessions", type=int, default=4, help="new sessions whose server CPU is measured")
    parser.add_argument("--app-root", type=Path, help="another checkout whose dashboard/app.py to run")
    parser.add_argument("--entry", nargs="+", choices=ENTRIES, default=["app"],
                        help="which file `streamlit run` starts: app (the page) or serve (the warming launcher)")
    parser.add_argument("--rounds", type=int, default=1, help="times each entry is measured, interleaved")
    parser.add_argument("--curated", action="store_true", help="also the curated data (no event file set)")
    parser.add_argument("--cpu-only", action="store_true", help="only the server CPU per new session")
    parser.add_argument("--returning", action="store_true",
                        help="also the server CPU per new session of a returning browser (its HTTP cache filled)")
    args = parser.parse_args(argv)
    root = args.app_root or REPO_ROOT
    print(f"# bench_cold_start {time.strftime('%Y-%m-%d %H:%M')} · Python {platform.python_version()} · {CHROMIUM} · "
          f"app {args.app_root or 'this checkout'} · load average {Path('/proc/loadavg').read_text().split()[0]}")
    with (sync_playwright() as p, chromium(p) as browser, chromium(p, OFFLINE_ARGS) as offline,
          tempfile.TemporaryDirectory() as tmp):
        returning = offline if args.returning else None
        sizes = ([None] if args.curated else []) + list(args.sizes)
        for size in sizes:
            if size is None:
                path, n = None, len(geodata.load_events())
            else:
                path, n = Path(tmp) / f"events-{size}.csv", size
                synthetic_table(size).to_csv(path, index=False)
            for round_ in range(args.rounds):
                for entry in args.entry:
                    cache_dir = Path(tmp) / f"cache-{size}-{entry}-{round_}"
                    env = {"STREAMLIT_LOGGER_LEVEL": "error", "BORDER_DASHBOARD_CACHE_DIR": str(cache_dir)}
                    if path is not None:
                        env["BORDER_DASHBOARD_EVENTS"] = str(path)
                    measure(browser, env, n, path, cache_dir, root / "dashboard" / ENTRIES[entry], entry, args,
                            returning)


def measure(browser, env: dict, n: int, path: Path | None, cache_dir: Path, script: Path, entry: str, args,
            returning) -> None:
    what = f"{n:>9,} events ({path.stat().st_size / 1e6:.1f} MB CSV" if path else f"{n:>9,} curated events (file"
    if args.cpu_only:
        r = server_run(browser, env, n, script, sessions=args.sessions, returning=returning)
        print(f"{entry:>5} {n:>9,} events: first page {r['first_s']:.2f} s ({r['cpu_first_s']:.1f} s server CPU), "
              f"warm {r['warm_s']:.2f} s; server CPU per new session "
              f"{', '.join(f'{c:.2f}' for c in r['session_cpu_s'])} s "
              f"(median {sorted(r['session_cpu_s'])[len(r['session_cpu_s']) // 2]:.2f}); "
              f"RSS {r['rss_mb']:.0f} MB", flush=True)
        if returning is not None:
            cpu = sorted(r["returning_cpu_s"])
            print(f"{'':>15} returning browser (HTTP cache filled), server CPU per new session "
                  f"{', '.join(f'{c:.2f}' for c in cpu)} s (median {cpu[len(cpu) // 2]:.2f})", flush=True)
        return
    empty = server_run(browser, env, n, script)
    disk = sum(f.stat().st_size for f in cache_dir.glob("*")) / 1e6 if cache_dir.exists() else 0.0
    filled = server_run(browser, env, n, script, sessions=args.sessions, returning=returning)
    warm = min(empty["warm_s"], filled["warm_s"])
    cpu = sorted(filled["session_cpu_s"]) or [float("nan")]
    print(f"{entry:>5} {what}, cache {disk:.1f} MB): "
          f"cold, empty cache {empty['first_s']:.2f} s ({empty['first_s'] / warm:.2f}x warm) · "
          f"cold, filled cache {filled['first_s']:.2f} s ({filled['first_s'] / warm:.2f}x warm; "
          f"{filled['first_s'] / filled['warm_s']:.2f}x its own warm) · "
          f"warm {empty['warm_s']:.2f} / {filled['warm_s']:.2f} s · server start "
          f"{empty['healthy_s']:.1f} / {filled['healthy_s']:.1f} s · first page server CPU "
          f"{empty['cpu_first_s']:.1f} / {filled['cpu_first_s']:.1f} s · server CPU per new session "
          f"{', '.join(f'{c:.2f}' for c in filled['session_cpu_s'])} s (median {cpu[len(cpu) // 2]:.2f}) · "
          f"RSS {filled.get('rss_mb', float('nan')):.0f} MB · load average "
          f"{Path('/proc/loadavg').read_text().split()[0]}", flush=True)

if __name__ == "__main__":
    main()

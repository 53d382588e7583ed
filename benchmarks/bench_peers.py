"""The app beside the tools an analyst would pick instead, on the same data and the same change (issue 25).

One synthetic file (`synthetic.py`), one real `streamlit run` per app, Debian Chromium, every off-host request
aborted and counted. The peers are benchmarks/peer_app.py: `st.pydeck_chart` with a ScatterplotLayer, folium's
FastMarkerCluster through streamlit-folium, and one folium CircleMarker per event (the last one run per round and
given up after `--slow-timeout` seconds: "did not finish"). Each server is warmed with one page first (not the
per-marker peer, whose every run rebuilds its markers anyway); then rounds run the apps interleaved, each in a fresh
browser context:

* first map: navigation until the map has drawn. The project: its map says `data-events-ready="1"` with every event
  drawn. Peers publish nothing, so: the page's run has ended with the count in its caption, the map's element is
  there (deck.gl's canvas; a Leaflet container with a cluster or a circle), then two animation frames of its page;
* filter change: untick "Attack" in the sidebar, until the same holds for the new count (a streamlit-folium peer:
  a new Leaflet container; pydeck updates its canvas in place);
* websocket bytes received during the first load and the change; JS heap after a forced GC, after the change.

No assertions; the table prints medians (and ranges over rounds).

    python benchmarks/bench_peers.py                          # 100,000 events, one round
    python benchmarks/bench_peers.py --size 100000 --rounds 3 --skip circles
"""

from __future__ import annotations

import argparse
import contextlib
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

from benchmarks.bench_browser import BARE_FRAME, LOAD_TIMEOUT, MB, Wire, metrics, open_map, script_done
from benchmarks.synthetic import synthetic_table
from scripts.browser import CHROMIUM, MAP_FRAME, OffHostLog, chromium, new_page, streamlit_process

PEER_APP = REPO_ROOT / "benchmarks" / "peer_app.py"
APPS = {
    "project": "this project",
    "pydeck": "`st.pydeck_chart` ScatterplotLayer",
    "fastcluster": "folium + FastMarkerCluster via st_folium",
    "circles": "folium CircleMarker per event",
}
_TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
_WEBGL = "() => !!(document.createElement('canvas').getContext('webgl2') || " \
         "document.createElement('canvas').getContext('webgl'))"


def _project_drawn(page, n: int, timeout: float) -> None:
    container = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    expect(container).to_have_attribute("data-events-drawn", str(n), timeout=timeout)
    expect(container).to_have_attribute("data-events-ready", "1", timeout=timeout)


def _peer_drawn(app: str, page, n: int, timeout: float) -> None:
    """A peer's page has run for ``n`` events and its map element is there, then two frames have been painted."""
    expect(page.get_by_text(f"{n:,} events", exact=True)).to_be_visible(timeout=timeout)
    script_done(page, timeout)
    if app == "pydeck":
        expect(page.get_by_test_id("stDeckGlJsonChart").locator("canvas").first).to_be_attached(timeout=timeout)
        page.evaluate(_TWO_FRAMES)
        return
    marker = ".marker-cluster" if app == "fastcluster" else "path.leaflet-interactive"
    fresh = page.frame_locator(BARE_FRAME).locator(f".leaflet-container:not([data-bench-old]) {marker}")
    expect(fresh.first).to_be_attached(timeout=timeout)
    next(f for f in page.frames if "/component/" in f.url).evaluate(_TWO_FRAMES)


def _mark_old_map(page) -> None:
    """Marks a streamlit-folium peer's Leaflet container, so the change waits for the one drawn after it."""
    frame = next((f for f in page.frames if "/component/" in f.url), None)
    if frame is not None:
        frame.evaluate("() => document.querySelectorAll('.leaflet-container')"
                       ".forEach(e => e.setAttribute('data-bench-old', '1'))")


def measure(browser, app: str, url: str, n: int, attack: int, timeout: float) -> dict:
    """One fresh browser context: the first map and one change (untick Attack), or what stopped it."""
    log = OffHostLog()
    page = new_page(browser, log)
    wire = Wire(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    out: dict = {"blocked": 0}
    try:
        if app == "project":
            out["first_s"] = open_map(page, url, n)[0]
        else:
            start = time.perf_counter()
            page.goto(url)
            _peer_drawn(app, page, n, timeout)
            out["first_s"] = time.perf_counter() - start
            if app == "pydeck" and not page.evaluate(_WEBGL):
                out["note"] = "no WebGL in this headless Chromium: deck.gl draws nothing"
        script_done(page, timeout)
        out["ws_first_mb"] = wire.ws_bytes / MB
        _mark_old_map(page) if app != "project" else None
        before = wire.ws_bytes
        box = page.get_by_test_id("stSidebar").get_by_role("checkbox", name="Attack", exact=True)
        start = time.perf_counter()
        box.uncheck(force=True)
        (_project_drawn(page, n - attack, timeout) if app == "project"
         else _peer_drawn(app, page, n - attack, timeout))
        out["change_s"] = time.perf_counter() - start
        script_done(page, timeout)
        out["ws_change_mb"] = (wire.ws_bytes - before) / MB
        out["heap_mb"] = metrics(page, cdp)["heap_mb"]
    except (PlaywrightError, AssertionError, TimeoutError) as exc:  # a peer that gives up or runs past the timeout
        out["note"] = f"did not finish in {timeout / 1000:.0f} s ({type(exc).__name__})"
    finally:
        out["blocked"] = len(log.blocked)
        page.context.close()
    return out


def _cell(values: list[float], digits: int = 1) -> str:
    if not values:
        return "—"
    mid = statistics.median(values)
    spread = f" ({min(values):.{digits}f}–{max(values):.{digits}f})" if len(values) > 1 else ""
    return f"{mid:.{digits}f}{spread}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--skip", nargs="*", default=[], choices=list(APPS))
    parser.add_argument("--timeout", type=float, default=600, help="seconds before an app is given up")
    parser.add_argument("--slow-timeout", type=float, default=300, help="the same for the per-marker peer")
    args = parser.parse_args(argv)
    apps = [a for a in APPS if a not in args.skip]
    print(f"# bench_peers {time.strftime('%Y-%m-%d %H:%M')} · Python {platform.python_version()} · {CHROMIUM} · "
          f"{args.size:,} events · load average {Path('/proc/loadavg').read_text().split()[0]}", flush=True)
    with (sync_playwright() as p, chromium(p) as browser, tempfile.TemporaryDirectory() as tmp,
          contextlib.ExitStack() as servers):
        table = synthetic_table(args.size)
        path = Path(tmp) / "events.csv"
        table.to_csv(path, index=False)
        n, attack = len(table), int((table["event_type"] == "attack").sum())
        urls = {}
        for app in apps:
            env = {"STREAMLIT_LOGGER_LEVEL": "error"}
            if app == "project":
                env.update(BORDER_DASHBOARD_EVENTS=str(path), BORDER_DASHBOARD_CACHE_DIR=str(Path(tmp) / "cache"))
            else:
                env.update(BENCH_PEER=app, BENCH_EVENTS=str(path))
            url, _proc = servers.enter_context(streamlit_process(
                env=env, timeout=LOAD_TIMEOUT / 1000, script=None if app == "project" else PEER_APP))
            urls[app] = url
            if app != "circles":
                warm = measure(browser, app, url, n, attack, args.timeout * 1000)
                print(f"warm-up {app}: {warm}", flush=True)
        results = {app: [] for app in apps}
        for r in range(args.rounds):
            for app in apps:
                timeout = (args.slow_timeout if app == "circles" else args.timeout) * 1000
                out = measure(browser, app, urls[app], n, attack, timeout)
                results[app].append(out)
                print(f"round {r + 1} {app}: {out}", flush=True)
    print(f"\n| {args.size:,} events (median of {args.rounds}, range) | first map s | filter change s "
          "| websocket first / per change MB | JS heap MB | |")
    print("|---|---:|---:|---:|---:|---|")
    for app in apps:
        runs = results[app]

        def got(key, runs=runs):
            return [r[key] for r in runs if key in r]

        notes = sorted({r["note"] for r in runs if "note" in r} | {f"{r['blocked']} off-host requests blocked"
                                                                   for r in runs if r["blocked"]})
        ws = (f"{_cell(got('ws_first_mb'), 2)} / {_cell(got('ws_change_mb'), 2)}" if got("ws_change_mb")
              else _cell(got("ws_first_mb"), 2))
        print(f"| {APPS[app]} | {_cell(got('first_s'))} | {_cell(got('change_s'))} | {ws} | "
              f"{_cell(got('heap_mb'), 0)} | {'; '.join(notes)} |")


if __name__ == "__main__":
    main()

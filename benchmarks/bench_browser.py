"""Browser benchmark: the real app in Debian Chromium, read through the browser's own numbers.

For each dataset size it starts a real ``streamlit run`` (events from ``BORDER_DASHBOARD_EVENTS``: the curated
73, or a synthetic file from benchmarks/synthetic.py), warms the server's caches with one page load, then in a
fresh browser context measures:

* time to first map: navigation until the map container says ``data-events-ready="1"`` with every event drawn,
  and until the whole page is laid out (a browser's page lays out the map alone until it has drawn), read from the
  page's own clock on every animation frame (benchmarks/js/first_map_clock.js), for the bare map too; Playwright's
  waits poll every 500 ms after their first 270 ms, so the time they see is also printed, not compared;
* bytes: websocket frames received during the first load, and what the map fetched over HTTP from its component
  directory (dashboard/map_component.py; once per page: Leaflet and our browser code; once per dataset: the events
  and the boundaries);
* three type-filter changes (untick Attack, untick Clash, tick Attack): time from the click until the map has
  drawn the new count, and websocket bytes per change (the whole page rerun: map, table, timeline, metrics);
* JS heap (CDP Performance.getMetrics JSHeapUsedSize) and DOM nodes (the map frame's elements, and CDP's Nodes
  for the whole page) after the first draw and after the three changes.

The baseline, measured in the same run: a bare offline streamlit-folium map (benchmarks/bare_map_app.py). Ratios
are printed against it and against the 73-event page. No assertions.

    python benchmarks/bench_browser.py                      # 73, 10000, 100000
    python benchmarks/bench_browser.py --sizes 73 1000000   # the 1M case (minutes of server load time)
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import pandas as pd
from playwright.sync_api import expect, sync_playwright

import geodata
from benchmarks.synthetic import synthetic_table
from scripts.browser import CHROMIUM, MAP_FRAME, OffHostLog, chromium, new_page, streamlit_server

MB = 1e6
CLOCK = (REPO_ROOT / "benchmarks" / "js" / "first_map_clock.js").read_text("utf-8")
LOAD_TIMEOUT = 900_000
CHANGE_TIMEOUT = 300_000
CHANGES = (("Attack", "attack", False), ("Clash", "clash", False), ("Attack", "attack", True))
#: The baseline's frame: streamlit-folium keys its element itself, so it is found by the iframe's title.
BARE_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


class Wire:
    """Counts websocket bytes received and HTTP bytes the map component's files (``/component/``) and data took."""

    def __init__(self, page):
        self.ws_bytes = 0
        self.responses = []
        page.on("websocket", self._attach)
        page.on("response", lambda r: self.responses.append(r) if "/component/" in r.url else None)

    def _attach(self, ws):
        ws.on("framereceived", self._received)

    def _received(self, payload):
        self.ws_bytes += len(payload)

    def dataset_bytes(self) -> int:
        """The data files (events and boundaries)."""
        return sum(r.request.sizes()["responseBodySize"] for r in self.responses if "/data/" in r.url)

    def files_bytes(self) -> int:
        """Everything the map's frame fetched: its page, scripts, styles and data."""
        return sum(r.request.sizes()["responseBodySize"] for r in self.responses)


def metrics(page, cdp) -> dict:
    cdp.send("HeapProfiler.collectGarbage")  # count what is still referenced, not garbage awaiting collection
    values = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    frame = next((f for f in page.frames if "/component/" in f.url), None)  # ours or a streamlit-folium map
    return {"heap_mb": values["JSHeapUsedSize"] / MB, "nodes": int(values["Nodes"]),
            "map_nodes": frame.evaluate("() => document.getElementsByTagName('*').length") if frame else None}


def script_done(page, timeout=LOAD_TIMEOUT):
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(timeout=timeout)


def clocked_page(browser, n=None):
    """A fresh page whose own clock notes when a map first stood drawn (``n`` events for ours) and when the whole
    page was laid out (benchmarks/js/first_map_clock.js)."""
    page = new_page(browser, OffHostLog())
    page.context.add_init_script(f"window.__bdWant = {'null' if n is None else int(n)};")
    page.context.add_init_script(CLOCK)
    return page


def clock(page) -> dict:
    """Seconds since navigation, by the page's own clock: ``map`` (first drawn) and ``page`` (laid out)."""
    got = page.evaluate("() => window.__bdClock")
    return {k: (got[k] / 1000 if got[k] is not None else float("nan")) for k in ("map", "page")}


def open_map(page, url, n) -> tuple[float, float, float]:
    """Seconds from navigation until the map has drawn every event, and until the whole page is laid out (the
    sidebar's filters are there and the run has finished: the page lays out the map alone first), by the page's
    own clock; and the first map as Playwright's waits see it (they poll every 500 ms after the first 270 ms)."""
    start = time.perf_counter()
    page.goto(f"{url}/?basemap=none")
    container = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    expect(container).to_have_attribute("data-events-drawn", str(n), timeout=LOAD_TIMEOUT)
    expect(container).to_have_attribute("data-events-ready", "1", timeout=LOAD_TIMEOUT)
    polled = time.perf_counter() - start
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stDateInput")).to_be_visible(timeout=LOAD_TIMEOUT)
    script_done(page)
    page.wait_for_function("() => window.__bdClock.page !== null", timeout=LOAD_TIMEOUT)
    times = clock(page)
    return times["map"], times["page"], polled


def measure_app(browser, url, counts: pd.Series, repeat: int) -> dict:
    n = int(counts.sum())
    warm = clocked_page(browser, n)
    open_map(warm, url, n)
    script_done(warm)
    warm.context.close()

    firsts, pages, polls = [], [], []
    for attempt in range(repeat):
        page = clocked_page(browser, n)
        wire = Wire(page)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        first_map, whole_page, polled = open_map(page, url, n)
        firsts.append(first_map)
        pages.append(whole_page)
        polls.append(polled)
        if attempt < repeat - 1:
            page.context.close()
    out = {"n": n, "first_s": min(firsts), "page_s": min(pages), "polled_s": min(polls),
           "ws_first_mb": wire.ws_bytes / MB,
           "dataset_mb": wire.dataset_bytes() / MB, "files_mb": wire.files_bytes() / MB}
    out.update({f"{k}_first": v for k, v in metrics(page, cdp).items()})

    container = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    sidebar = page.get_by_test_id("stSidebar")
    shown, times, ws = n, [], []
    for label, key, tick in CHANGES:
        shown += int(counts.get(key, 0)) * (1 if tick else -1)
        before = wire.ws_bytes
        box = sidebar.get_by_role("checkbox", name=label, exact=True)
        start = time.perf_counter()
        box.check(force=True) if tick else box.uncheck(force=True)
        expect(container).to_have_attribute("data-events-drawn", str(shown), timeout=CHANGE_TIMEOUT)
        expect(container).to_have_attribute("data-events-ready", "1", timeout=CHANGE_TIMEOUT)
        times.append(time.perf_counter() - start)
        script_done(page, CHANGE_TIMEOUT)
        ws.append((wire.ws_bytes - before) / MB)
    out.update({"change_s": min(times), "change_s_all": times, "ws_change_mb": max(ws)})
    out.update({f"{k}_after": v for k, v in metrics(page, cdp).items()})
    page.context.close()
    return out


def measure_bare(browser, repeat: int) -> float:
    with streamlit_server(env={"STREAMLIT_LOGGER_LEVEL": "error"}, script=REPO_ROOT / "benchmarks" / "bare_map_app.py") as url:
        def once():
            page = clocked_page(browser)
            start = time.perf_counter()
            page.goto(url)
            frame = next_frame(page, BARE_FRAME)
            frame.wait_for_function("() => !!window.map && !!document.querySelector('.leaflet-container')",
                                    timeout=LOAD_TIMEOUT)
            polled = time.perf_counter() - start
            page.wait_for_function("() => window.__bdClock.map !== null", timeout=LOAD_TIMEOUT)
            elapsed = clock(page)["map"]
            page.context.close()
            return elapsed, polled

        once()  # warm
        runs = [once() for _ in range(repeat)]
        return min(r[0] for r in runs), min(r[1] for r in runs)


def next_frame(page, selector=MAP_FRAME):
    page.frame_locator(selector).locator(".leaflet-container").wait_for(state="attached", timeout=LOAD_TIMEOUT)
    return next(f for f in page.frames if "/component/" in f.url)  # our map or the bare streamlit-folium map


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[73, 10_000, 100_000],
                        help="73 = the curated data; other sizes are synthetic")
    parser.add_argument("--repeat", type=int, default=3, help="first-map loads per size (best is reported)")
    args = parser.parse_args(argv)
    print(f"# bench_browser {time.strftime('%Y-%m-%d %H:%M')} · Python {platform.python_version()} · "
          f"{CHROMIUM} · load average {Path('/proc/loadavg').read_text().split()[0]}")
    results = {}
    with sync_playwright() as p, chromium(p) as browser, tempfile.TemporaryDirectory() as tmp:
        bare, bare_polled = measure_bare(browser, args.repeat)
        print(f"bare offline streamlit-folium map: first map {bare:.2f} s (as Playwright's waits saw it: "
              f"{bare_polled:.2f} s)")
        for size in args.sizes:
            if size == 73:
                env, counts = {}, geodata.load_events()["event_type"].value_counts()
            else:
                table = synthetic_table(size)
                path = Path(tmp) / f"events-{size}.csv"
                table.to_csv(path, index=False)
                env, counts = {"BORDER_DASHBOARD_EVENTS": str(path)}, table["event_type"].value_counts()
            with streamlit_server(env={"STREAMLIT_LOGGER_LEVEL": "error", **env}, timeout=LOAD_TIMEOUT / 1000) as url:
                r = measure_app(browser, url, counts, args.repeat if size <= 10_000 else 1)
            results[size] = r
            print(f"{r['n']:>9,} events: first map {r['first_s']:.2f} s ({r['first_s'] / bare:.2f}x bare; as "
                  f"Playwright's waits saw it {r['polled_s']:.2f} s, {r['polled_s'] / bare_polled:.2f}x), whole page "
                  f"{r['page_s']:.2f} s ({r['page_s'] / bare:.2f}x bare) · "
                  f"filter change {r['change_s']:.2f} s · ws first {r['ws_first_mb']:.2f} MB + HTTP "
                  f"{r['dataset_mb']:.2f} MB (all map files {r['files_mb']:.2f} MB) · ws/change {r['ws_change_mb']:.3f} MB · heap {r['heap_mb_first']:.0f}"
                  f"→{r['heap_mb_after']:.0f} MB · map DOM {r['map_nodes_first']}→{r['map_nodes_after']} · "
                  f"page nodes {r['nodes_first']}→{r['nodes_after']}", flush=True)
    if 73 in results:
        base = results[73]["change_s"]
        print("\nfilter change vs the same change at 73 events:",
              ", ".join(f"{r['n']:,}: {r['change_s'] / base:.1f}x" for r in results.values()))
    print("\n| events | first map s | vs bare | whole page s | vs bare | filter change s | vs 73 | ws first MB | HTTP MB (data, boundaries, code; once) "
          "| ws per change MB | JS heap MB (first → after 3 changes) | map DOM nodes (first → after) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base = results.get(73, {}).get("change_s")
    for r in results.values():
        print(f"| {r['n']:,} | {r['first_s']:.2f} | {r['first_s'] / bare:.2f}x | {r['page_s']:.2f} | "
              f"{r['page_s'] / bare:.2f}x | {r['change_s']:.2f} | "
              f"{(r['change_s'] / base) if base else float('nan'):.1f}x | {r['ws_first_mb']:.2f} | {r['dataset_mb']:.2f} | "
              f"{r['ws_change_mb']:.3f} | {r['heap_mb_first']:.0f} → {r['heap_mb_after']:.0f} | "
              f"{r['map_nodes_first']} → {r['map_nodes_after']} |")


if __name__ == "__main__":
    main()

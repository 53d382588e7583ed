"""Where the first map's time goes: one page load's timeline, as the page and the map's frame saw it.

Starts a real ``streamlit run`` (the curated events, or N synthetic ones), loads ``?basemap=none`` in fresh
browser contexts (after one warm-up load) and prints, in ms since navigation, for the best of ``--repeat`` loads:

* the websocket: the first message of the server's answer, the message that carries the map's element, the end of
  the first run;
* the page: when the map's iframe was attached;
* the map's frame (its own resource timing, aligned on the page's clock): its page, ``early.js``, ``map.js``, the
  styles, the boundaries and the dataset (request start → response end), DOMContentLoaded, and
  ``data-events-ready="1"``;
* long tasks (≥ 50 ms) before the whole page was done (the frame runs on the page's thread).

    python benchmarks/trace_first.py                  # curated
    python benchmarks/trace_first.py --n 100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from playwright.sync_api import expect, sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

import geodata
from benchmarks.synthetic import synthetic_table
from scripts.browser import MAP_FRAME, OffHostLog, chromium, new_page, streamlit_server

TIMEOUT = 600_000
INIT = (REPO_ROOT / "benchmarks" / "js" / "first_trace.js").read_text("utf-8")
CLOCK = (REPO_ROOT / "benchmarks" / "js" / "first_map_clock.js").read_text("utf-8")
#: The map frame's own timing, read once the map has drawn (an init script does not reach the frame's document:
#: Chromium keeps the window of the frame's first about:blank document for it).
FRAME_TIMING = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  return {origin: performance.timeOrigin,
          marks: [['DOMContentLoaded', nav.domContentLoadedEventEnd], ['load', nav.loadEventEnd]],
          resources: performance.getEntriesByType('resource').map(e => [e.name.split('/').pop().slice(0, 28),
            e.startTime, e.requestStart || e.fetchStart, e.responseEnd, e.encodedBodySize])};
}"""


def load(browser, url, n) -> dict:
    page = new_page(browser, OffHostLog())
    page.context.add_init_script(f"window.__bdWant = {int(n)};")
    page.context.add_init_script(CLOCK)
    page.context.add_init_script(INIT)
    ws = {"first": None, "map": None, "finished": None}
    start = time.perf_counter()

    def received(payload):
        if isinstance(payload, str):
            return
        now = (time.perf_counter() - start) * 1000
        ws["first"] = ws["first"] or now
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "delta" and ws["map"] is None and b"bd_map" in payload:
            ws["map"] = now
        if kind == "script_finished" and ws["finished"] is None:
            ws["finished"] = now

    page.on("websocket", lambda w: w.on("framereceived", received))
    page.goto(f"{url}/?basemap=none")
    container = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    expect(container).to_have_attribute("data-events-drawn", str(n), timeout=TIMEOUT)
    expect(container).to_have_attribute("data-events-ready", "1", timeout=TIMEOUT)
    page.wait_for_function("() => window.__bdClock.page !== null", timeout=TIMEOUT)
    top = page.evaluate("() => window.__bdt")
    clock = page.evaluate("() => window.__bdClock")
    frame = next(f for f in page.frames if "/component/" in f.url)
    inner = frame.evaluate(FRAME_TIMING)
    inner["ready"] = clock["map"] - (inner["origin"] - top["origin"])
    wall = clock["map"]
    page_done = clock["page"]
    page.context.close()
    shift = inner["origin"] - top["origin"]  # the frame's clock starts later than the page's
    return {"wall": wall, "page": page_done, "ws": ws, "top": top, "inner": inner, "shift": shift}


def report(r: dict) -> None:
    s = r["shift"]
    print(f"  map drawn {r['wall']:.0f} ms, whole page {r['page']:.0f} ms (the page's clock)")
    print("  websocket: first message {first:.0f}, map element {map}, run finished {finished}".format(
        first=r["ws"]["first"] or -1, map=f"{r['ws']['map']:.0f}" if r["ws"]["map"] else "-",
        finished=f"{r['ws']['finished']:.0f}" if r["ws"]["finished"] else "-"))
    print(f"  page: DOMContentLoaded {dict(r['top']['marks']).get('DOMContentLoaded', -1):.0f}, iframe attached "
          f"{r['top'].get('iframe', -1):.0f}, frame's clock starts {s:.0f}")
    for name, begin, fetch_start, end, size in r["inner"]["resources"]:
        print(f"  frame {name:<28} {begin + s:7.0f} → {end + s:7.0f} ({end - fetch_start:5.0f} ms, {size / 1000:7.1f} KB)")
    for label, at in r["inner"]["marks"]:
        print(f"  frame {label:<28} {at + s:7.0f}")
    ready = r["inner"].get("ready")
    print(f"  frame data-events-ready=1    {ready + s if ready else -1:7.0f}")
    print("  long tasks (page and frame share a thread) before the page was done: "
          + ", ".join(f"{a:.0f}+{d:.0f}" for a, d in r["top"]["long"] if a < r["page"]))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=73, help="73 = the curated data; other sizes are synthetic")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"# trace_first {time.strftime('%Y-%m-%d %H:%M')} · load average "
          f"{Path('/proc/loadavg').read_text().split()[0]}")
    with sync_playwright() as p, chromium(p) as browser, tempfile.TemporaryDirectory() as tmp:
        env = {"STREAMLIT_LOGGER_LEVEL": "error"}
        if args.n != 73:
            path = Path(tmp) / "events.csv"
            synthetic_table(args.n).to_csv(path, index=False)
            env["BORDER_DASHBOARD_EVENTS"] = str(path)
        with streamlit_server(env=env, timeout=TIMEOUT / 1000) as url:
            n = int(len(geodata.load_events()) if args.n == 73 else args.n)
            load(browser, url, n)  # warm the server's caches
            runs = [load(browser, url, n) for _ in range(args.repeat)]
        for r in sorted(runs, key=lambda r: r["wall"]):
            print(f"load: ready at {r['wall']:.0f} ms")
            report(r)


if __name__ == "__main__":
    main()

"""Where the first map's time goes: one page load's timeline, as the page and the map's frame saw it.

Starts a real ``streamlit run`` (the curated events, or N synthetic ones), loads ``?basemap=none`` in fresh
browser contexts (after one warm-up load) and prints, in ms since navigation, for the best of ``--repeat`` loads:

* the websocket: the first message of the server's answer, the message that carries the map's element, the end of
  the first run;
* the page: when the map's iframe was attached;
* the map's frame (its own resource timing, aligned on the page's clock): its page, ``early.js``, ``map.js``, the
  styles, the boundaries and the dataset (request start → response end), DOMContentLoaded, and
  ``data-events-ready="1"``;
* long tasks (≥ 50 ms) of the page and of the frame before the map was ready.

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

from benchmarks.synthetic import synthetic_table
from scripts.browser import MAP_FRAME, OffHostLog, chromium, new_page, streamlit_server

TIMEOUT = 600_000
INIT = (REPO_ROOT / "benchmarks" / "js" / "first_trace.js").read_text("utf-8")


def load(browser, url) -> dict:
    page = new_page(browser, OffHostLog())
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
    expect(container).to_have_attribute("data-events-ready", "1", timeout=TIMEOUT)
    wall = (time.perf_counter() - start) * 1000
    top = page.evaluate("() => window.__bdt")
    frame = next(f for f in page.frames if "/component/" in f.url)
    inner = frame.evaluate("() => window.__bdt")
    page.context.close()
    shift = inner["origin"] - top["origin"]  # the frame's clock starts later than the page's
    return {"wall": wall, "ws": ws, "top": top, "inner": inner, "shift": shift}


def report(r: dict) -> None:
    s = r["shift"]
    print(f"  wall clock to ready {r['wall']:.0f} ms (python side)")
    print("  websocket: first message {first:.0f}, map element {map}, run finished {finished}".format(
        first=r["ws"]["first"] or -1, map=f"{r['ws']['map']:.0f}" if r["ws"]["map"] else "-",
        finished=f"{r['ws']['finished']:.0f}" if r["ws"]["finished"] else "-"))
    print(f"  page: iframe attached {r['top'].get('iframe', -1):.0f}, frame's clock starts {s:.0f}")
    for name, begin, fetch_start, end, size in r["inner"]["resources"]:
        print(f"  frame {name:<28} {begin + s:7.0f} → {end + s:7.0f} ({end - fetch_start:5.0f} ms, {size / 1000:7.1f} KB)")
    for label, at in r["inner"]["marks"]:
        print(f"  frame {label:<28} {at + s:7.0f}")
    ready = r["inner"].get("ready")
    print(f"  frame data-events-ready=1    {ready + s if ready else -1:7.0f}")
    for where, tasks, shift in (("page", r["top"]["long"], 0), ("frame", r["inner"]["long"], s)):
        before = [(a + shift, d) for a, d in tasks if not ready or a + shift < ready + s]
        print(f"  {where} long tasks before ready: " + ", ".join(f"{a:.0f}+{d:.0f}" for a, d in before))


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
            load(browser, url)  # warm the server's caches
            runs = [load(browser, url) for _ in range(args.repeat)]
        for r in sorted(runs, key=lambda r: r["wall"]):
            print(f"load: ready at {r['wall']:.0f} ms")
            report(r)


if __name__ == "__main__":
    main()

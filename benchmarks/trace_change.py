"""Where one filter change goes at N events: a trace from the click to the map's ``data-events-ready="1"``.

Starts a real ``streamlit run`` on N synthetic events (benchmarks/synthetic.py), opens the whole page in Chromium,
then unticks one type in the sidebar with the JS sampling profiler on, and prints:

* the change's timeline as the browser saw it: the click, the rerun request on the websocket, the first and last
  message of the server's answer (its run), the end of the run, the map's update and its ``data-events-ready``;
* the main thread's time by part of the page: the map (our map.js, by function: the update, drawing, hit grid,
  stacks), the table (Streamlit's data grid), the timeline chart (Vega), the rest of Streamlit's page (React),
  the browser's own work (style, layout, paint, garbage collection) and idle time.

    python benchmarks/trace_change.py --n 100000 --type Attack
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from playwright.sync_api import expect, sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.synthetic import synthetic_table
from scripts.browser import CHROMIUM, MAP_FRAME, OffHostLog, chromium, new_page, streamlit_server

TIMEOUT = 600_000
#: Streamlit's chunks by the part of the page they draw (file name prefixes of its lazily loaded scripts).
PARTS = (("table", ("DataFrame", "glide", "index.DormvYx")), ("timeline chart", ("vega", "Vega", "ArrowVegaLite")))


class Timeline:
    """Times (s since the click) of the websocket's messages: rerun requests sent, the answer's messages."""

    def __init__(self, page):
        self.start = None
        self.sent, self.received, self.finished = [], [], []
        page.on("websocket", lambda ws: (ws.on("framesent", self._sent), ws.on("framereceived", self._received)))

    def _now(self):
        return time.perf_counter() - self.start if self.start is not None else None

    def _sent(self, payload):
        if self.start is not None and not isinstance(payload, str):
            self.sent.append(self._now())

    def _received(self, payload):
        if self.start is None or isinstance(payload, str):
            return
        self.received.append(self._now())
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") == "script_finished":
            self.finished.append(self._now())


def part_of(frame: dict) -> str:
    url, name = frame["url"], frame["functionName"]
    if "/component/" in url:
        return f"map: {name or '(anonymous)'}"
    if not url:  # the profiler's own buckets, or a native call (DOM, canvas) or Playwright's injected script
        return f"browser: {name}" if name.startswith("(") else "browser: native calls and the test driver"
    file = url.rsplit("/", 1)[-1]
    for part, prefixes in PARTS:
        if file.startswith(prefixes):
            return part
    return "rest of Streamlit's page"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--type", default="Attack", help="the type to untick (its sidebar label)")
    parser.add_argument("--top", type=int, default=14, help="map functions to list")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p, chromium(p) as browser:
        table = synthetic_table(args.n)
        path = Path(tmp) / "events.csv"
        table.to_csv(path, index=False)
        label_counts = table["event_type"].value_counts()
        env = {"STREAMLIT_LOGGER_LEVEL": "error", "BORDER_DASHBOARD_EVENTS": str(path)}
        with streamlit_server(env=env, timeout=TIMEOUT / 1000) as url:
            page = new_page(browser, OffHostLog())
            timeline = Timeline(page)
            page.goto(f"{url}/?basemap=none")
            container = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
            expect(container).to_have_attribute("data-events-ready", "1", timeout=TIMEOUT)
            expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(
                timeout=TIMEOUT)
            expect(page.get_by_test_id("stSidebar").get_by_test_id("stDateInput")).to_be_visible(timeout=TIMEOUT)
            drawn = int(container.get_attribute("data-events-drawn"))
            key = args.type.lower().replace(" ", "_").replace("-", "_")
            expected = drawn - int(label_counts.get(key, 0))
            cdp = page.context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            # Found before the clock starts: finding it by its accessible name walks the whole page's tree.
            box = page.get_by_test_id("stSidebar").get_by_role("checkbox", name=args.type, exact=True).element_handle()
            cdp.send("Profiler.start")
            timeline.start = time.perf_counter()
            box.dispatch_event("click")
            expect(container).to_have_attribute("data-events-drawn", str(expected), timeout=TIMEOUT)
            expect(container).to_have_attribute("data-events-ready", "1", timeout=TIMEOUT)
            ready = time.perf_counter() - timeline.start
            expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(
                timeout=TIMEOUT)
            settled = time.perf_counter() - timeline.start
            profile = cdp.send("Profiler.stop")["profile"]

    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    by_part, by_map_function = collections.Counter(), collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
        part = part_of(nodes[sample])
        (by_map_function if part.startswith("map: ") else by_part)[part] += delta / 1000
    by_part["map (all of map.js)"] = sum(by_map_function.values())
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"# trace_change {time.strftime('%Y-%m-%d %H:%M')} · {CHROMIUM} · {args.n:,} events · untick "
          f"{args.type} ({drawn:,} → {expected:,} drawn) · load average {load}")
    first_answer = timeline.received[0] if timeline.received else float("nan")
    print("\n| moment | s after the click |\n|---|---:|")
    for what, at in (("rerun asked (websocket, first message sent)", timeline.sent[0] if timeline.sent else None),
                     ("the server's first answer", first_answer),
                     ("the server's run finished (script_finished received)",
                      timeline.finished[0] if timeline.finished else None),
                     ("the map: data-events-ready=\"1\" with the new count", ready),
                     ("the page: not running", settled)):
        print(f"| {what} | {at:.2f} |" if at is not None else f"| {what} | – |")
    print("\n| main thread (JS profile) | ms |\n|---|---:|")
    for part, ms in by_part.most_common():
        print(f"| {part} | {ms:,.0f} |")
    print(f"\n| map.js by function (top {args.top}) | ms |\n|---|---:|")
    for name, ms in by_map_function.most_common(args.top):
        print(f"| {name[5:]} | {ms:,.0f} |")


if __name__ == "__main__":
    main()

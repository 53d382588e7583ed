"""Upload benchmark: a large GeoPackage added in the real app (issue #9: <= 30 s, server growth <= 600 MB, released).

    python benchmarks/bench_upload.py                  # 400,000 points
    python benchmarks/bench_upload.py --rows 50000     # a quick run

The file is synthetic and generated here (``bench_import.our_schema_csv``: events at 3,000 places inside the two
border provinces, in our columns, with short titles and no descriptions, written by GeoPandas as a GeoPackage of
points). A real ``streamlit run`` on the curated data and Debian Chromium then do what an analyst does:

1. open the page and wait for the curated map (the server's memory after it is the baseline);
2. choose the file in the sidebar's uploader: the time runs from choosing it until the map has drawn every
   event (curated + uploaded) and the page has finished its run;
3. remove the file with the uploader's delete button, until the map is back to the curated events; then two
   more page runs (the "Last 12 months" date preset, then "All");
4. upload another file of the same size and close the tab; then another analyst opens and closes the page
   (Streamlit drops a closed tab's session after ``server.disconnectedSessionTTL``, set to 5 s here, when its
   store of closed sessions next changes).

The server's resident memory (``VmRSS`` of the ``streamlit run`` process, read from /proc) is sampled every 10 ms
throughout, so the peak is seen, and read after each step. The baseline for time is ``geodata.import_events`` of
the same bytes in this process, measured in the same run. No assertions: it prints what it measured.
"""

from __future__ import annotations

import argparse
import io
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import geopandas as gpd
import pandas as pd
from playwright.sync_api import expect, sync_playwright

import geodata
from benchmarks.bench_import import our_schema_csv
from scripts.browser import MAP_FRAME, OffHostLog, chromium, new_page, streamlit_process

MB = 1e6
TIMEOUT = 600_000
SESSION_TTL = 5


def geopackage(rows: int, path: Path) -> None:
    table = pd.read_csv(io.BytesIO(our_schema_csv(rows, 3_000)), dtype=str, keep_default_na=False)
    table["description"] = ""
    table["title"] = table["title"].str.slice(0, 20)
    points = gpd.points_from_xy(table.pop("lon").astype(float), table.pop("lat").astype(float))
    gpd.GeoDataFrame(table, geometry=points, crs=4326).to_file(path, driver="GPKG")


class Memory:
    """Samples a process's resident memory in the background; ``peak()`` since the last ``mark()``."""

    def __init__(self, pid: int):
        self.pid, self.samples, self._stop = pid, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def now(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / MB
        return float("nan")

    def _run(self):
        while not self._stop.wait(0.01):  # a sampling interval, not a wait on the page
            self.samples.append(self.now())

    def mark(self) -> None:
        self.samples = [self.now()]

    def peak(self) -> float:
        return max(self.samples) if self.samples else self.now()

    def stop(self):
        self._stop.set()
        self._thread.join()


def drawn(page, n: int) -> None:
    container = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    expect(container).to_have_attribute("data-events-drawn", str(n), timeout=TIMEOUT)
    expect(container).to_have_attribute("data-events-ready", "1", timeout=TIMEOUT)
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(timeout=TIMEOUT)


def settle(memory: Memory) -> float:
    """Memory once the server has finished with what the page asked (the last of a few readings 1 s apart)."""
    for _ in range(3):
        time.sleep(1)  # the server frees and collects after the run; let it, then read
    return memory.now()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=400_000)
    args = parser.parse_args(argv)
    print(f"# bench_upload {time.strftime('%Y-%m-%d %H:%M')} · Python {platform.python_version()} · "
          f"load average {Path('/proc/loadavg').read_text().split()[0]}")
    curated = len(geodata.load_events())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"events-{args.rows}.gpkg"
        geopackage(args.rows, path)
        data = path.read_bytes()
        geodata.events._place_reference()
        start = time.perf_counter()
        events, report, _ = geodata.import_events(data, path.name)
        baseline = time.perf_counter() - start
        total = curated + len(events)
        print(f"file: {len(data) / MB:.0f} MB GeoPackage, {args.rows:,} points; {report.headline()}; "
              f"import_events in this process {baseline:.2f} s")
        del events, report

        env = {"STREAMLIT_LOGGER_LEVEL": "error", "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL)}
        with streamlit_process(env=env, timeout=TIMEOUT / 1000) as (url, proc), \
                sync_playwright() as p, chromium(p) as browser:
            memory = Memory(proc.pid)
            page = new_page(browser, OffHostLog())
            page.goto(f"{url}/?basemap=none")
            drawn(page, curated)
            base = settle(memory)
            uploader = page.get_by_test_id("stSidebar").locator("input[type=file]")

            memory.mark()
            start = time.perf_counter()
            uploader.set_input_files(str(path))
            drawn(page, total)
            upload_s = time.perf_counter() - start
            peak = memory.peak()
            loaded = settle(memory)
            print(f"upload until the map drew {total:,} events: {upload_s:.1f} s ({upload_s / baseline:.1f}x "
                  f"import_events alone; target <= 30 s)", flush=True)

            print(f"server memory: curated page {base:.0f} MB · peak during upload {peak:.0f} MB (+{peak - base:.0f}; "
                  f"target growth <= 600) · loaded {loaded:.0f} MB (+{loaded - base:.0f})", flush=True)

            page.get_by_test_id("stFileChipDeleteBtn").locator("button").or_(
                page.get_by_test_id("stFileChipDeleteBtn")).first.click()
            drawn(page, curated)
            removed = settle(memory)
            print(f"file removed: {removed:.0f} MB (+{removed - base:.0f})", flush=True)
            # Streamlit keeps the last run's widget values (the removed file among them) until the next run.
            sidebar = page.get_by_test_id("stSidebar")
            all_shown = sidebar.get_by_text(f"{curated} of {curated} events", exact=True)
            page.get_by_role("button", name="Last 12 months").click()
            expect(all_shown).to_have_count(0, timeout=TIMEOUT)
            page.get_by_role("button", name="All", exact=True).click()
            expect(all_shown).to_have_count(1, timeout=TIMEOUT)
            drawn(page, curated)
            next_run = settle(memory)
            print(f"after the next two page runs (a date preset, then All): {next_run:.0f} MB "
                  f"(+{next_run - base:.0f})", flush=True)

            second = path.with_name("another-" + path.name)  # an analyst's next file
            second.write_bytes(data)
            uploader.set_input_files(str(second))
            drawn(page, total)
            again = settle(memory)
            print(f"another file of the same size loaded: {again:.0f} MB (+{again - base:.0f})", flush=True)
            page.context.close()
            # Streamlit keeps a closed tab's session for server.disconnectedSessionTTL (120 s by default; 5 s
            # here) so that it can reconnect, and drops it when its store of closed sessions next changes after
            # that: here when another analyst's tab is closed.
            time.sleep(SESSION_TTL + 1)  # the server's own expiry delay, not a wait on the page
            other = new_page(browser, OffHostLog())
            other.goto(f"{url}/?basemap=none")
            drawn(other, curated)
            other.context.close()
            closed = settle(memory)
            print(f"tab closed, its session expired: {closed:.0f} MB (+{closed - base:.0f})", flush=True)
            memory.stop()


if __name__ == "__main__":
    main()

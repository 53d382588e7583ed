"""The map's dataset before its first draw: one document against the first-draw part (issue 20).

Encodes N synthetic events (benchmarks/synthetic.py) as the app does (``events_payload.encode_dataset``), parts the
document as the app's map receives it (``split_dataset``: the first draw's columns, then the text columns), and
serves both forms from a Starlette server that gzips its answers as Streamlit's does (level 5). In Debian Chromium, with the
map's own code (static/fetch.js, static/dataset.js), it times alternately, in the page's clock:

* ``one document``: fetch, parse and prepare the whole document (what the first draw waited for before);
* ``first part``: fetch, parse and prepare the first-draw part (what the first draw waits for now), and the text
  columns' arrival after it (read once the "draw" is done, here at once).

No assertions; ratios against the one-document load measured in the same run.

    python benchmarks/bench_dataset_split.py --n 100000 --rounds 7
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

import uvicorn
from playwright.sync_api import sync_playwright
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

import geodata
from benchmarks.synthetic import synthetic_table
from dashboard import events_payload
from scripts.browser import OffHostLog, chromium, free_port, new_page

SCRIPTS = [REPO_ROOT / "dashboard" / "static" / name for name in ("fetch.js", "dataset.js")]
LOAD = """async ([url, split]) => {
  const t0 = performance.now();
  const ds = await BD.loadDataset(url + '?r=' + Math.random());  // a fresh request each round
  const prepared = performance.now() - t0;
  let text = prepared;
  if (split) {
    BD.datasetDrawn(ds);
    await ds.pendingText;
    text = performance.now() - t0;
  }
  if (!ds.text.title || !ds.n) { throw new Error('no text'); }
  return [prepared, text];
}"""


def serve(root: Path) -> tuple[str, callable]:
    """Serve ``root`` over HTTP, gzipped as Streamlit's server does; (base URL, stop)."""
    port = free_port()
    app = Starlette(routes=[Mount("/", StaticFiles(directory=str(root)))],
                    middleware=[Middleware(GZipMiddleware, minimum_size=500, compresslevel=5)])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)  # the server's own start, not the page under test

    def stop():
        server.should_exit = True
        thread.join(10)

    return f"http://127.0.0.1:{port}", stop


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="73 = the curated data; other sizes are synthetic")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    events = geodata.load_events() if args.n == 73 else geodata.check_events(synthetic_table(args.n))[0]
    payload = events_payload.encode_dataset(events)
    first, text = events_payload.split_dataset(payload)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "data").mkdir()
        (root / "data" / "whole.json").write_bytes(payload)
        (root / "data" / "text.json").write_bytes(text)
        (root / "data" / "first.json").write_bytes(events_payload.naming_text(first, "data/text.json"))
        (root / "index.html").write_text("<!DOCTYPE html><html><head>" + "".join(
            f"<script>{p.read_text('utf-8')}</script>" for p in SCRIPTS) + "</head><body></body></html>")
        url, stop = serve(root)
        print(f"# bench_dataset_split {time.strftime('%Y-%m-%d %H:%M')} · {len(events):,} events · load average "
              f"{Path('/proc/loadavg').read_text().split()[0]} · one document {len(payload) / 1e6:.2f} MB raw, first "
              f"part {len(first) / 1e6:.2f} MB, text {len(text) / 1e6:.2f} MB")
        whole, part, part_text = [], [], []
        try:
            with sync_playwright() as p, chromium(p) as browser:
                page = new_page(browser, OffHostLog())
                page.goto(f"{url}/index.html")
                page.evaluate(LOAD, ["data/whole.json", False])  # warm
                for _ in range(args.rounds):
                    whole.append(page.evaluate(LOAD, ["data/whole.json", False])[0])
                    prepared, with_text = page.evaluate(LOAD, ["data/first.json", True])
                    part.append(prepared)
                    part_text.append(with_text)
        finally:
            stop()
    median = statistics.median
    print(f"one document, fetched and prepared: median {median(whole):.0f} ms (min {min(whole):.0f})")
    print(f"first part, fetched and prepared:   median {median(part):.0f} ms (min {min(part):.0f}) = "
          f"{median(part) / median(whole):.2f}x the one document")
    print(f"first part, then its text columns:  median {median(part_text):.0f} ms (min {min(part_text):.0f}) = "
          f"{median(part_text) / median(whole):.2f}x")


if __name__ == "__main__":
    main()

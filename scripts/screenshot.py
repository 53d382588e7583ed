"""Screenshot the default view of the app with the browser setup of the end-to-end tests.

    python scripts/screenshot.py [--out docs/screenshot.png] [--query "basemap=none"] [--width 1600 --height 1000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import expect, sync_playwright

from scripts.browser import MAP_FRAME, OffHostLog, chromium, new_page, streamlit_server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="docs/screenshot.png")
    parser.add_argument("--query", default="basemap=none", help="query string for the view (default: offline basemap)")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args(argv)
    log = OffHostLog()
    with streamlit_server() as url, sync_playwright() as p, chromium(p) as browser:
        page = new_page(browser, log, args.width, args.height)
        page.goto(f"{url}/?{args.query}")
        frame = page.frame_locator(MAP_FRAME)
        container = frame.locator(".leaflet-container")
        expect(container).to_have_attribute("data-events-ready", "1", timeout=60_000)
        expect(container).to_have_attribute("data-basemap-ready", "1", timeout=60_000)
        expect(frame.locator(".bd-legend")).to_be_visible()
        expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(timeout=60_000)
        page.wait_for_load_state("networkidle")
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=args.out, full_page=args.full_page)
    print(f"wrote {args.out}; blocked off-host requests: {len(log.blocked)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

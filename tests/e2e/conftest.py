"""Fixtures for the browser tests: a real `streamlit run`, Debian Chromium, and an off-host request log per page.

The server and browser helpers come from scripts/browser.py (shared with scripts/screenshot.py), so the tests run
the app exactly as the screenshot does: every request not addressed to 127.0.0.1 is aborted and recorded.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

playwright_sync = pytest.importorskip("playwright.sync_api")

from scripts.browser import CHROMIUM, OffHostLog, chromium, new_page, streamlit_server

SHIPPED_EVENTS = ROOT / "geodata" / "data" / "events.csv"

#: Only errors are logged by the servers the browser tests start (their output goes to a temp file).
SERVER_ENV = {"STREAMLIT_LOGGER_LEVEL": "error"}

#: Text that would run script if any layer put data text into HTML (or markdown) unescaped.
SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'
SVG_PAYLOAD = '"><svg onload=window.__pwned=1>'
BREAKOUT_PAYLOAD = "</script><script>window.__pwned=1</script>"
ANCHOR_PAYLOAD = '<a href="javascript:window.__pwned=1">open</a>'
MARKDOWN_LINK_PAYLOAD = "[open](javascript:window.__pwned=1)"
JAVASCRIPT_URL = "javascript:window.__pwned=1"
REJECTED_ID = "hostile-javascript-link"

_PLACES = ("border_crossing", "border_market")


def hostile_events(shipped: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """``n`` valid incident rows from the shipped data, well apart on the map, with hostile text in every
    free-text field; plus one otherwise valid row whose source_url is a ``javascript:`` link (a validation error).
    """
    incidents = shipped[~shipped["event_type"].isin(_PLACES)]
    picked, seen = [], []
    for idx, row in incidents.iterrows():
        # At least ~0.6 degrees apart so that each circle can be clicked on its own at the default zoom.
        if all(abs(row["lat"] - a) + abs(row["lon"] - b) > 0.6 for a, b in seen):
            picked.append(idx)
            seen.append((row["lat"], row["lon"]))
        if len(picked) == n + 1:
            break
    assert len(picked) == n + 1, "the shipped data no longer has enough separate incident locations"
    rows = shipped.loc[picked].copy().reset_index(drop=True)
    rows["id"] = [f"hostile-{i}" for i in range(n)] + [REJECTED_ID]
    rows["title"] = [f"{SCRIPT_PAYLOAD} hostile {i} {IMG_PAYLOAD}" for i in range(n + 1)]
    rows["description"] = f"{BREAKOUT_PAYLOAD} {SVG_PAYLOAD} {MARKDOWN_LINK_PAYLOAD} {ANCHOR_PAYLOAD}"
    rows["actors"] = f"{SVG_PAYLOAD}; {IMG_PAYLOAD}"
    rows["source_title"] = f"{IMG_PAYLOAD} source"
    rows.loc[n, "source_url"] = JAVASCRIPT_URL
    return rows


@pytest.fixture(scope="session")
def shipped_events() -> pd.DataFrame:
    return pd.read_csv(SHIPPED_EVENTS, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def app_url():
    """The app on the shipped data, started once for the whole session."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with streamlit_server(env=SERVER_ENV) as url:
        yield url


@pytest.fixture(scope="session")
def hostile_csv(tmp_path_factory, shipped_events) -> Path:
    frame = shipped_events.copy()
    for column in ("lat", "lon"):
        frame[column] = frame[column].astype(float)
    path = tmp_path_factory.mktemp("hostile") / "events.csv"
    hostile_events(frame).to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def hostile_url(hostile_csv):
    """A second app process whose event file is the hostile dataset (started only if a test asks for it)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with streamlit_server(env={**SERVER_ENV, "BORDER_DASHBOARD_EVENTS": str(hostile_csv)}) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with playwright_sync.sync_playwright() as p, chromium(p) as b:
        yield b


@pytest.fixture
def offhost_log() -> OffHostLog:
    return OffHostLog()


@pytest.fixture
def page(browser, offhost_log):
    """A fresh browser context (so a fresh Streamlit session) whose off-host requests land in ``offhost_log``."""
    pg = new_page(browser, offhost_log)
    pg.set_default_timeout(30_000)
    try:
        yield pg
    finally:
        pg.context.close()


@pytest.fixture
def sized_page(browser, offhost_log, request):
    """As ``page``, at the viewport ``(width, height)`` given by indirect parametrisation."""
    width, height = request.param
    pg = new_page(browser, offhost_log, width=width, height=height)
    pg.set_default_timeout(30_000)
    try:
        yield pg
    finally:
        pg.context.close()

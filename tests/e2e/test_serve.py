"""``streamlit run dashboard/serve.py``: the page served by an st.App whose start does the first page's work."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from scripts.browser import CHROMIUM, streamlit_server
from tests.e2e.conftest import SERVER_ENV
from tests.e2e.test_browser import FIRST_LOAD, expect_drawn, open_app, sidebar_caption, wait_for_script_end

pytestmark = pytest.mark.e2e

SERVE = Path(__file__).resolve().parents[2] / "dashboard" / "serve.py"


def test_the_launcher_has_read_the_file_before_the_first_page_and_draws_it(page, shipped_events, tmp_path,
                                                                            offhost_log):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    events = shipped_events.head(40)
    path = tmp_path / "events.csv"
    events.to_csv(path, index=False)
    cache_dir = tmp_path / "cache"
    env = {**SERVER_ENV, "BORDER_DASHBOARD_EVENTS": str(path), "BORDER_DASHBOARD_CACHE_DIR": str(cache_dir)}
    with streamlit_server(env=env, script=SERVE) as url:
        # Healthy means warmed: the file was read, checked and kept on disk before any page asked for it.
        assert len(list(cache_dir.glob("*.events.arrow"))) == 1
        frame = open_app(page, url, "?basemap=none")
        expect_drawn(frame, len(events), timeout=FIRST_LOAD)
        expect(sidebar_caption(page)).to_have_text(f"{len(events)} of {len(events)} events")
        wait_for_script_end(page)
    assert offhost_log.blocked == []

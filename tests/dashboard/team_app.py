"""Running the app on a team PostGIS store under AppTest, and reading its messages (shared by the team tests)."""

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from geodata.events import read_table, shipped_events_path

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
SHIPPED = len(read_table(shipped_events_path()))


def run_on_store(monkeypatch, url, params=None) -> AppTest:
    """The app's first run with ``BORDER_DASHBOARD_DATABASE_URL`` set to ``url`` and the given query parameters."""
    monkeypatch.setenv("BORDER_DASHBOARD_DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def plain(elements) -> str:
    """The elements' markdown without the escaping backslashes (messages quote data, so they are escaped)."""
    return " ".join(re.sub(r"\\(.)", r"\1", str(e.value)) for e in elements)

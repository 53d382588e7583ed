"""Several app servers on one team database (issue #26, deliver 4): two `streamlit run` processes on one PostGIS
store; an edit saved on one server's page, and one made by another client, reach the other page without anyone
touching it, through the change-number check (BORDER_DASHBOARD_TEAM_REFRESH_SECONDS, dashboard/team_refresh.py).
"""

from __future__ import annotations

import psycopg
import pytest

from geodata.__main__ import main
from scripts.browser import new_page, streamlit_server
from tests.e2e.conftest import SERVER_ENV
from tests.geodata.store.conftest import pg_cluster

pytestmark = [pytest.mark.e2e, pytest.mark.postgis]
expect = pytest.importorskip("playwright.sync_api").expect

EVENT = "2019-05-11-gwadar-pearl-continental-hotel-attack"
TITLE = "BLA gunmen storm Pearl Continental hotel in Gwadar"
#: The check's interval in this test; the default (30 s) is what README's "Serving a team" states.
REFRESH_SECONDS = 2
#: How long a step may take on a loaded machine (a bound for failing, not a measured time).
WAIT = 90_000
NOT_RUNNING = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@pytest.fixture(scope="module")
def team_url(pg_cluster):
    """A database of the session's throwaway PostGIS cluster set up by `db init` (schema, curated events, roles)."""
    url = pg_cluster.create_database("team_servers")
    assert main(["db", "init", "--database-url", url]) == 0
    return url


def _open(browser, offhost_log, base: str):
    page = new_page(browser, offhost_log)
    page.set_default_timeout(60_000)
    page.goto(f"{base}/?sel={EVENT}")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible(timeout=WAIT)  # the details panel: the full page is there
    return page


def test_an_edit_on_one_app_server_is_on_the_other_servers_page(team_url, browser, offhost_log):
    env = {**SERVER_ENV, "BORDER_DASHBOARD_DATABASE_URL": team_url,
           "BORDER_DASHBOARD_TEAM_REFRESH_SECONDS": str(REFRESH_SECONDS)}
    with streamlit_server(env=env) as server_a, streamlit_server(env=env) as server_b:
        page_a = _open(browser, offhost_log, server_a)
        page_b = _open(browser, offhost_log, server_b)
        try:
            name = page_a.get_by_label("Your name (recorded with every change)")
            name.fill("Analyst on server A")
            name.press("Enter")
            save = page_a.get_by_role("button", name="Save changes", disabled=False)
            expect(save).to_have_count(1, timeout=WAIT)  # the rerun after the name has drawn the form anew
            expect(page_a.locator(NOT_RUNNING)).to_be_attached(timeout=WAIT)  # and removed the old one
            page_a.get_by_label("title", exact=True).fill("Edited on server A")
            save.click()
            expect(page_a.get_by_text(f"Saved your change to {EVENT} (version 2).")).to_be_visible(timeout=WAIT)

            # Page B is not touched: its check of the change number reruns it.
            expect(page_b.get_by_role("heading", name="Edited on server A")).to_be_visible(timeout=WAIT)

            # A change by another client (psql, QGIS) reaches both pages the same way.
            with psycopg.connect(team_url) as conn:
                conn.execute("UPDATE events SET title = 'Edited with psql' WHERE id = %s", (EVENT,))
            for page in (page_a, page_b):
                expect(page.get_by_role("heading", name="Edited with psql")).to_be_visible(timeout=WAIT)
        finally:
            page_a.context.close()
            page_b.context.close()

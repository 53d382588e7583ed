"""AppTest: the page on a team PostGIS store. A store of at most ``event_source.ROWS_IN_MEMORY`` events is read
whole once per revision and filtered in pandas (no cap); a bigger one (here: the limit set to 0) has the page ask
the database for the rows its filter matches, cap them with a message, count every match in SQL and fetch the
selected event by id. Place status comes from the store; the page falls back to the shipped data when the
database goes away."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import geodata
from dashboard import event_source, panels, state, team_edits
from geodata import EventFilter
from geodata.events import read_table
from geodata.store import Stamp, StoreUnavailable
from geodata.store.postgis import PostgisStore
from tests.dashboard.team_app import SHIPPED, plain, run_on_store
from tests.geodata.store.conftest import migrated_template, pg_cluster, store_url

pytestmark = pytest.mark.postgis

CAP = 10


@pytest.fixture(scope="module")
def curated():
    return geodata.load_events()


@pytest.fixture
def team_url(store_url, curated):
    store = PostgisStore(store_url)
    store.add(curated, Stamp("curator", source_file="events.csv"))
    store.replace_place_status(read_table(Path(geodata.__file__).parent / "data" / "place_status.csv"))
    return store_url


@pytest.fixture(autouse=True)
def pushed_down(monkeypatch):
    """This module's pages push their filter down to SQL: as on a store too big to read whole."""
    monkeypatch.setattr(event_source, "ROWS_IN_MEMORY", 0)


@pytest.fixture
def capped(monkeypatch):
    monkeypatch.setattr(event_source, "PAGE_ROWS", CAP)


def _counts(at) -> tuple[int, int]:
    shown, total = re.search(r"([\d,]+) of ([\d,]+) events", " ".join(c.value for c in at.caption)).groups()
    return int(shown.replace(",", "")), int(total.replace(",", ""))


def _layer(at) -> dict:
    """The map's per-rerun config (dataset key, row count, selection mask), as the browser receives it."""
    [component] = at.get("component_instance")
    return json.loads(component.proto.json_args)["layer"]


def _metrics(at) -> dict:
    return {m.label: int(m.value) for m in at.metric}


def test_a_store_the_page_can_hold_is_read_whole_once_per_revision(monkeypatch, team_url, curated):
    monkeypatch.setattr(event_source, "ROWS_IN_MEMORY", len(curated))  # exactly the store's size: still whole
    at = run_on_store(monkeypatch, team_url, {"types": "attack,clash"})
    assert not at.exception
    matching = int(geodata.filter_mask(curated, EventFilter(event_types=("attack", "clash"))).sum())
    assert _counts(at) == (matching, len(curated))
    layer = _layer(at)
    assert layer["n"] == len(curated)  # the map's dataset is every stored event, the filter a selection of it
    assert re.match(r"team database .* \(change \d+\)\|$", layer["datasetKey"])  # named by the revision only
    assert not any("Showing the newest" in i.value for i in at.info)
    at.checkbox(key=state.type_key("unrest")).check().run()
    assert _layer(at)["datasetKey"] == layer["datasetKey"]  # another filter: the same dataset, nothing reloaded
    assert _counts(at)[0] == int(geodata.filter_mask(
        curated, EventFilter(event_types=("attack", "clash", "unrest"))).sum())
    assert len(at.dataframe[0].value) == _counts(at)[0]  # the table holds every matching event


def test_the_page_loads_only_the_rows_its_filter_matches(monkeypatch, team_url, curated):
    flt = EventFilter(event_types=("attack", "clash"))
    at = run_on_store(monkeypatch, team_url, {"types": "attack,clash"})
    assert not at.exception
    matching = int(geodata.filter_mask(curated, flt).sum())
    assert _counts(at) == (matching, len(curated))
    layer = _layer(at)
    assert layer["n"] == matching  # the map's dataset is the matching rows, not the table
    assert re.match(r"team database .* \(change \d+\)\|[0-9a-f]+\|$", layer["datasetKey"])
    assert not any("Showing the newest" in i.value for i in at.info)
    # Another filter is another dataset: the key names the filter, the map fetches the new rows.
    at.checkbox(key=state.type_key("unrest")).check().run()
    assert _layer(at)["datasetKey"] != layer["datasetKey"]
    assert _layer(at)["n"] == _counts(at)[0] > matching


def test_a_capped_page_says_so_and_still_counts_every_match(monkeypatch, capped, team_url, curated):
    at = run_on_store(monkeypatch, team_url, {"start": "2020-01-01"})
    assert not at.exception
    flt = EventFilter(start=pd.Timestamp("2020-01-01").date())
    matching = curated[geodata.filter_mask(curated, flt)]
    assert _counts(at) == (len(matching), len(curated))
    assert f"Showing the newest {CAP} of {len(matching)} matching events; narrow the filter" in plain(at.info)
    assert _layer(at)["n"] == CAP
    table = next(d for d in at.dataframe if "Title" in d.value.columns).value  # the events table, not Top actors
    newest = matching.sort_values("date", ascending=False)["date"].iloc[CAP - 1]
    assert len(table) == CAP and (pd.to_datetime(table["Date"]) >= newest).all()
    incidents, fatalities, unknown, places = panels.metric_values(matching)
    assert _metrics(at) == {"Incidents": incidents, "Fatalities (reported)": fatalities,
                            "Crossings and markets": places}
    # The "Data as of" line is the whole store's, not the loaded rows'.
    assert geodata.data_as_of(curated).text() in " ".join(c.value for c in at.caption).replace("\\", "")
    # A narrow filter fits: no message.
    at.text_input(key=state.TEXT).input("Taftan").run()
    assert not any("Showing the newest" in i.value for i in at.info)
    assert _counts(at)[0] == int(geodata.filter_mask(curated, EventFilter(text="Taftan")).sum()) < CAP


def test_the_selected_event_is_fetched_by_id_when_the_page_left_it_out(monkeypatch, capped, team_url, curated):
    oldest = curated.dropna(subset=["date"]).sort_values("date").iloc[0]
    at = run_on_store(monkeypatch, team_url, {"sel": oldest["id"]})
    assert not at.exception
    assert _layer(at)["selected"] is None  # not among the newest rows on the map ...
    assert panels.md_escape(oldest["title"]) in " ".join(m.value for m in at.markdown)  # ... but in the details
    at.text_input(key=team_edits.TEAM_AUTHOR).input("Ann").run()
    assert at.text_input(key=f"team_edit_{oldest['id']}_1_title").value == oldest["title"]


def test_province_options_come_from_the_store_not_the_loaded_rows(monkeypatch, team_url):
    at = run_on_store(monkeypatch, team_url, {"country": "IR"})
    assert not at.exception
    assert set(at.multiselect(key=state.PROVINCES).options) >= {
        "Balochistan (PK-BA)", "Sistan and Baluchestan (IR-13)"}


def test_place_status_is_read_from_the_store(monkeypatch, team_url):
    place = "crossing-taftan-mirjaveh"
    store = PostgisStore(team_url)
    mine = read_table(Path(geodata.__file__).parent / "data" / "place_status.csv")
    mine = mine[mine["place_id"] == place].head(1).assign(note="Team note: closed for repairs")
    store.replace_place_status(mine)
    at = run_on_store(monkeypatch, team_url, {"sel": place})
    assert not at.exception
    text = plain(at.markdown)
    assert "Status over time** (1 recorded period)" in text and "Team note: closed for repairs" in text


def test_place_status_falls_back_to_the_shipped_file_when_the_store_cannot_read_it(monkeypatch, team_url):
    def unreadable(self):
        raise StoreUnavailable("The team database cannot be reached.")

    monkeypatch.setattr(PostgisStore, "place_status", unreadable)
    at = run_on_store(monkeypatch, team_url, {"sel": "crossing-taftan-mirjaveh"})
    assert not at.exception
    periods = geodata.periods_of(geodata.load_place_status(), "crossing-taftan-mirjaveh")
    assert f"Status over time** ({len(periods)} recorded periods)" in plain(at.markdown)


def test_connection_lost_between_the_revision_and_the_rows_shows_the_shipped_data(monkeypatch, team_url):
    at = run_on_store(monkeypatch, team_url)
    assert "team database" in " ".join(c.value for c in at.caption)

    def lost(self, *args, **kwargs):
        raise StoreUnavailable(f"The {self.label} cannot be reached: the server closed the connection.")

    monkeypatch.setattr(PostgisStore, "load", lost)
    at.checkbox(key=state.type_key("attack")).uncheck().run()  # a new filter: a query the cache cannot answer
    assert not at.exception
    errors = plain(at.error)
    assert "cannot be reached" in errors and "Showing the shipped data" in errors
    flt = EventFilter(event_types=tuple(t.value for t in geodata.EventType if t.value != "attack"))
    shipped = geodata.load_events()
    assert _counts(at) == (int(geodata.filter_mask(shipped, flt).sum()), SHIPPED)
    assert "team database" not in _layer(at)["datasetKey"]


def test_database_stopped_mid_session_shows_the_shipped_data(monkeypatch, pg_cluster, team_url):
    at = run_on_store(monkeypatch, team_url, {"types": "attack"})
    assert "team database" in " ".join(c.value for c in at.caption)
    pg_cluster.stop()
    try:
        at.run()
        assert not at.exception
        assert "Showing the shipped data" in plain(at.error)
        shipped = geodata.load_events()
        expected = int(geodata.filter_mask(shipped, EventFilter(event_types=("attack",))).sum())
        assert _counts(at) == (expected, SHIPPED)
    finally:
        pg_cluster.start()
    at.run()
    assert not at.error and "team database" in " ".join(c.value for c in at.caption)

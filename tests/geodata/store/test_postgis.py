"""The PostGIS backend against a real, throwaway server: schema, filters, writes, versions, audit trail, faults."""

import datetime as dt
import threading

import psycopg
import pytest
from geopandas.testing import assert_geodataframe_equal

import geodata
from geodata import EventFilter
from geodata.store import RowRejected, Stamp, StoreError, StoreUnavailable, UnknownEvent, VersionConflict
from geodata.store.postgis import PostgisStore
from tests.geodata.conftest import make_row, table

pytestmark = pytest.mark.postgis


@pytest.fixture(scope="module")
def curated():
    return geodata.load_events()


def _count(url, sql="SELECT count(*) FROM events"):
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchone()[0]


def _valid(*rows):
    events, report = geodata.check_events(table(*rows))
    assert report.ok, report.problems
    return events


# ------------------------------------------------------------------------------------------ schema


def test_migrations_run_up_from_an_empty_database(empty_url):
    store = PostgisStore(empty_url)
    assert store.migrate() == ["0001_events", "0002_text_search", "0003_place_status", "0004_newest_first",
                               "0005_actor_ids", "0006_rules_in_sql"]
    assert store.migrate() == []  # a second run finds nothing to do
    with psycopg.connect(empty_url) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
        columns = {r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'")}
        geometry = conn.execute("SELECT type, srid FROM geometry_columns WHERE f_table_name = 'events'").fetchone()
        spatial = conn.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'events_geom_idx'").fetchone()[0]
    assert versions == [1, 2, 3, 4, 5, 6]
    assert set(geodata.EVENT_COLUMNS) <= columns and {"version", "added_by", "added_at", "source_file",
                                                      "actor_ids"} <= columns
    assert geometry == ("POINT", 4326)
    assert "USING gist (geom)" in spatial
    assert store.load().empty and store.revision() == 0


@pytest.mark.parametrize("column, value", [
    ("country", "'XX'"), ("event_type", "'picnic'"), ("id", "'Not A Slug'"), ("lat", "95"),
    ("source_url", "'javascript:alert(1)'"), ("fatalities", "-1"),
])
def test_the_table_enforces_the_csv_rules(store_url, column, value):
    row = {"id": "'ok-id'", "event_type": "'attack'", "title": "'t'", "date": "'2023-01-01'",
           "date_precision": "'day'", "country": "'PK'", "location_precision": "'town'",
           "source_url": "'https://example.org/'", "lat": "26", "lon": "63", "added_by": "'ann'", column: value}
    with psycopg.connect(store_url) as conn, pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(f"INSERT INTO events ({', '.join(row)}) VALUES ({', '.join(row.values())})")


# ------------------------------------------------------------------------------------------ reads


@pytest.fixture(scope="module")
def seeded(pg_cluster, migrated_template, curated):
    store = PostgisStore(pg_cluster.create_database("seeded", template=migrated_template))
    store.add(curated, Stamp("tester", source_file="events.csv"))
    return store


def test_a_store_holding_the_curated_rows_loads_the_files_frame(seeded, curated):
    loaded = seeded.load()
    assert loaded["version"].tolist() == [1] * len(curated)
    assert loaded["seq"].is_monotonic_increasing and loaded["seq"].is_unique
    assert_geodataframe_equal(loaded.drop(columns=["version", "seq"]), curated)


@pytest.mark.parametrize("flt", [
    EventFilter(),
    EventFilter(event_types=("attack", "clash")),
    EventFilter(event_types=()),
    EventFilter(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)),
    EventFilter(end=dt.date(2019, 12, 31)),
    EventFilter(start=dt.date(2025, 6, 1)),
    EventFilter(countries=("IR",), min_fatalities=1),
    EventFilter(provinces=("PK-BA",), max_distance_km=20, location_precisions=("exact", "town")),
    EventFilter(text="Taftan"),
    EventFilter(text="jaish attack"),
    EventFilter(text="%"),
])
def test_filters_pushed_down_to_sql_match_filter_events(seeded, curated, flt):
    expected = geodata.filter_events(curated, flt)["id"].tolist()
    assert seeded.load(flt)["id"].tolist() == expected


def test_bbox_is_answered_by_the_database(seeded, curated):
    box = (61.0, 27.0, 63.0, 29.0)
    inside = curated["lon"].between(61.0, 63.0) & curated["lat"].between(27.0, 29.0)
    assert seeded.load(bbox=box)["id"].tolist() == curated.loc[inside, "id"].tolist()
    assert 0 < inside.sum() < len(curated)


# ------------------------------------------------------------------------------------------ writes


def test_add_stamps_rows_and_skips_ids_already_there(store, store_url):
    first = _valid(make_row(), make_row(id="second-row", title="Second"))
    result = store.add(first, Stamp("ann", source_file="upload.csv"))
    assert result.added == ("test-turbat-attack", "second-row") and result.already_present == ()
    again = store.add(_valid(make_row(id="third-row"), make_row()), Stamp("bob", source_file="other.csv"))
    assert again.added == ("third-row",) and again.already_present == ("test-turbat-attack",)
    assert store.load()["id"].tolist() == ["test-turbat-attack", "second-row", "third-row"]
    added = store.history("test-turbat-attack")
    assert [(c.action, c.changed_by, c.source_file, c.version) for c in added] == [("add", "ann", "upload.csv", 1)]
    assert added[0].after["title"] == "Test attack in Turbat" and added[0].before is None
    with psycopg.connect(store_url) as conn:
        stamps = conn.execute("SELECT added_by, source_file FROM events WHERE id = 'third-row'").fetchone()
    assert stamps == ("bob", "other.csv")


def test_a_row_the_database_refuses_leaves_nothing_written(store, store_url):
    events = _valid(make_row(id="first-row"), make_row(id="second-row"), make_row(id="third-row"))
    events.loc[2, "country"] = "XX"  # slipped past validation: the table's own rule is the last line
    with pytest.raises(StoreError) as caught:
        store.add(events, Stamp("ann", source_file="upload.csv"))
    message = str(caught.value)
    assert "row 4 (id third-row)" in message and "field 'country'" in message and "Nothing was changed" in message
    assert "INSERT" not in message and "events_country_check" not in message
    assert _count(store_url) == 0 and _count(store_url, "SELECT count(*) FROM event_history") == 0


def test_edit_keeps_an_audit_trail_and_rederives_columns(store):
    store.add(_valid(make_row()), Stamp("ann"))
    version = store.update("test-turbat-attack", {"title": "Attack near Turbat", "lat": "26.2", "lon": "63.1"}, 1,
                           Stamp("bob", reason="better location from the source"))
    assert version == 2
    row = store.load().iloc[0]
    assert (row["title"], row["version"], row["lat"]) == ("Attack near Turbat", 2, 26.2)
    fresh = geodata.check_events(table(make_row(title="Attack near Turbat", lat="26.2", lon="63.1")))[0].iloc[0]
    assert row["distance_to_border_km"] == fresh["distance_to_border_km"]
    edit = store.history("test-turbat-attack")[-1]
    assert (edit.action, edit.changed_by, edit.version) == ("edit", "bob", 2)
    assert edit.reason == "better location from the source"
    assert edit.changed_fields == ("title", "lat", "lon")
    assert (edit.before["title"], edit.after["title"]) == ("Test attack in Turbat", "Attack near Turbat")


def test_an_edit_that_breaks_the_schema_is_refused_by_field(store):
    store.add(_valid(make_row()), Stamp("ann"))
    with pytest.raises(RowRejected) as caught:
        store.update("test-turbat-attack", {"lat": "95", "source_url": "ftp://x"}, 1, Stamp("bob"))
    assert {p.field for p in caught.value.problems} >= {"lat", "source_url"}
    assert "field 'source_url'" in str(caught.value)
    assert store.load()["version"].tolist() == [1] and len(store.history("test-turbat-attack")) == 1
    with pytest.raises(StoreError, match="cannot be edited: id"):
        store.update("test-turbat-attack", {"id": "other"}, 1, Stamp("bob"))
    with pytest.raises(UnknownEvent, match="no event 'missing'"):
        store.update("missing", {"title": "x"}, 1, Stamp("bob"))


def test_two_editors_one_gets_a_clear_conflict(store_url):
    ann, bob = PostgisStore(store_url), PostgisStore(store_url)
    ann.add(_valid(make_row()), Stamp("ann"))
    seen_by_ann = int(ann.load()["version"].iloc[0])
    seen_by_bob = int(bob.load()["version"].iloc[0])
    ann.update("test-turbat-attack", {"fatalities": "3"}, seen_by_ann, Stamp("ann"))
    with pytest.raises(VersionConflict) as caught:
        bob.update("test-turbat-attack", {"fatalities": "5"}, seen_by_bob, Stamp("bob"))
    conflict = caught.value
    assert (conflict.expected, conflict.current, conflict.changed_by) == (1, 2, "ann")
    assert "changed by ann" in str(conflict) and "was not saved" in str(conflict)
    assert int(bob.load()["fatalities"].iloc[0]) == 3  # ann's update is not lost
    assert [c.changed_by for c in bob.history("test-turbat-attack")] == ["ann", "ann"]


def test_simultaneous_edits_from_the_same_version_never_both_land(store):
    store.add(_valid(make_row()), Stamp("ann"))
    start = threading.Barrier(2)
    outcomes = {}

    def edit(who, fatalities):
        start.wait()
        try:
            outcomes[who] = store.update("test-turbat-attack", {"fatalities": fatalities}, 1, Stamp(who))
        except VersionConflict as exc:
            outcomes[who] = exc

    threads = [threading.Thread(target=edit, args=a) for a in (("ann", "3"), ("bob", "5"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [who for who, outcome in outcomes.items() if outcome == 2]
    losers = [who for who, outcome in outcomes.items() if isinstance(outcome, VersionConflict)]
    assert len(winners) == 1 and len(losers) == 1
    assert int(store.load()["fatalities"].iloc[0]) == {"ann": 3, "bob": 5}[winners[0]]
    assert len(store.history("test-turbat-attack")) == 2


def test_retire_takes_an_event_off_the_map_and_keeps_its_history(store):
    store.add(_valid(make_row(), make_row(id="kept-row")), Stamp("ann"))
    assert store.retire("test-turbat-attack", 1, Stamp("bob", reason="duplicate of kept-row")) == 2
    assert store.load()["id"].tolist() == ["kept-row"]
    retired = store.history("test-turbat-attack")[-1]
    assert (retired.action, retired.changed_by, retired.reason) == ("retire", "bob", "duplicate of kept-row")
    with pytest.raises(VersionConflict, match="retired by bob"):
        store.update("test-turbat-attack", {"title": "x"}, 1, Stamp("ann"))
    assert store.add(_valid(make_row()), Stamp("ann")).already_present == ("test-turbat-attack",)


# ------------------------------------------------------------------------------------------ faults


def test_unreachable_database_is_a_clear_message():
    store = PostgisStore("postgresql://someone:secret@127.0.0.1:9/nowhere", connect_timeout=1)
    with pytest.raises(StoreUnavailable) as caught:
        store.load()
    message = str(caught.value)
    assert "'nowhere' on 127.0.0.1:9 cannot be reached" in message
    assert "secret" not in message and "someone" not in message


def test_missing_schema_says_to_run_db_init(empty_url):
    with pytest.raises(StoreError, match="run `python -m geodata db init`"):
        PostgisStore(empty_url).load()


def test_connection_loss_mid_session_loses_nothing_and_changes_nothing(pg_cluster, store):
    store.add(_valid(make_row(), make_row(id="second-row")), Stamp("ann"))
    before = store.load()
    pg_cluster.stop()
    try:
        for writes, action in ((False, store.load), (False, store.revision),
                               (True, lambda: store.update("test-turbat-attack", {"title": "Lost?"}, 1, Stamp("bob"))),
                               (True, lambda: store.add(_valid(make_row(id="third-row")), Stamp("bob"))),
                               (True, lambda: store.retire("second-row", 1, Stamp("bob")))):
            with pytest.raises(StoreUnavailable) as caught:
                action()
            message = str(caught.value)
            assert "cannot be reached" in message and ("Nothing was changed" in message) == writes
            assert "/tmp" not in message and "SELECT" not in message and "s.PGSQL" not in message
    finally:
        pg_cluster.start()
    assert_geodataframe_equal(store.load(), before)  # the same store works again, nothing half-written
    assert [len(store.history(i)) for i in ("test-turbat-attack", "second-row")] == [1, 1]
    assert store.update("test-turbat-attack", {"title": "Saved later"}, 1, Stamp("bob")) == 2

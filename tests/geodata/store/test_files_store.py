"""The files backend (the embedded default), the store seam and the pure helpers: no database needed."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

import geodata
from geodata import EventFilter
from geodata.events import read_table, shipped_events_path
from geodata.store import FilesStore, ReadOnlyStore, Stamp, StoreError, database_url, open_store
from geodata.store._records import STORED, as_text, from_copy_csv, row_text, to_copy_csv
from geodata.store._sql_filters import where_clause
from tests.geodata.conftest import make_row, table


@pytest.fixture(scope="module")
def app_frame():
    """What the app loads today: the shipped CSV through geodata.check_events."""
    return geodata.check_events(read_table(shipped_events_path()))[0]


def test_files_store_returns_the_frame_the_app_loads(app_frame):
    store = FilesStore()
    assert_geodataframe_equal(store.load(), app_frame)
    assert store.load() is store.load()  # enriched once per store, not per call
    assert store.report.ok and store.report.rows == len(app_frame)


@pytest.mark.parametrize("flt", [
    EventFilter(event_types=("attack", "clash")),
    EventFilter(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31)),
    EventFilter(text="taftan"),
    EventFilter(event_types=()),
])
def test_files_store_filters_like_filter_events(app_frame, flt):
    assert FilesStore().load(flt)["id"].tolist() == geodata.filter_events(app_frame, flt)["id"].tolist()


def test_files_store_bbox_keeps_points_inside_edges_included(app_frame):
    box = (61.0, 27.0, 63.0, 29.0)
    got = FilesStore().load(bbox=box)
    assert len(got) > 0
    assert got["lon"].between(61.0, 63.0).all() and got["lat"].between(27.0, 29.0).all()
    outside = app_frame[~app_frame["id"].isin(got["id"])]
    assert not (outside["lon"].between(61.0, 63.0) & outside["lat"].between(27.0, 29.0)).any()


def test_files_store_is_read_only_and_says_how_to_get_a_team_store(app_frame):
    store = FilesStore()
    for attempt in (lambda: store.add(app_frame.head(1), Stamp("ann")),
                    lambda: store.update("x", {"title": "t"}, 1, Stamp("ann")),
                    lambda: store.retire("x", 1, Stamp("ann"))):
        with pytest.raises(ReadOnlyStore, match="BORDER_DASHBOARD_DATABASE_URL"):
            attempt()
    assert store.history("x") == [] and store.revision() == 0


def test_files_store_on_another_file_lists_bad_rows(tmp_path):
    path = tmp_path / "events.csv"
    table(make_row(), make_row(id="bad-one", country="XX")).to_csv(path, index=False)
    store = FilesStore(path)
    assert store.load()["id"].tolist() == ["test-turbat-attack"]
    assert [(p.row, p.field) for p in store.report.errors] == [(3, "country")]


def test_a_stamp_needs_a_name():
    with pytest.raises(StoreError, match="name"):
        Stamp("   ")


def test_open_store_picks_the_backend_from_the_url():
    assert isinstance(open_store(None), FilesStore)
    with pytest.raises(StoreError, match="postgresql://"):
        open_store("mysql://somewhere/db")
    assert database_url({"BORDER_DASHBOARD_DATABASE_URL": "  "}) is None
    assert database_url({"BORDER_DASHBOARD_DATABASE_URL": "postgresql://h/db"}) == "postgresql://h/db"
    assert database_url({}) is None
    assert "os.environ" not in (Path(geodata.store.__file__)).read_text()  # only the command line reads it


def test_the_store_imports_neither_the_ui_nor_the_database_driver():
    from tests.fresh_interpreter import imported_after

    assert imported_after("store", {"streamlit", "folium", "psycopg"}) == []


def test_copy_records_round_trip_the_enriched_frame(app_frame):
    back = from_copy_csv((",".join(STORED) + "\n" + to_copy_csv(app_frame)).encode())
    assert_geodataframe_equal(back, app_frame)


def test_text_form_reads_back_as_the_same_events(app_frame):
    again, report = geodata.check_events(as_text(app_frame))
    assert report.ok
    assert_geodataframe_equal(again, app_frame)


@pytest.mark.parametrize("flt, expected_sql, expected_params", [
    (EventFilter(), "retired_at IS NULL", {}),
    (EventFilter(event_types=()), "retired_at IS NULL AND event_type = ANY(%(types)s)", {"types": []}),
    (EventFilter(min_fatalities=3), "retired_at IS NULL AND fatalities >= %(min_fatalities)s",
     {"min_fatalities": 3}),
    (EventFilter(countries=("PK",)), "retired_at IS NULL AND country = ANY(%(countries)s)", {"countries": ["PK"]}),
])
def test_where_clause_table(flt, expected_sql, expected_params):
    assert where_clause(flt) == (expected_sql, expected_params)


def test_where_clause_text_terms_are_parameters_with_wildcards_escaped():
    sql, params = where_clause(EventFilter(text="50%_off Robert'); drop"))
    assert "drop" not in sql.lower() and "robert" not in sql.lower()
    assert params == {"term0": "%50\\%\\_off%", "term1": "%robert');%", "term2": "%drop%"}


def test_where_clause_bbox_uses_the_spatial_index():
    sql, params = where_clause(None, (61, 27, 63.5, 29))
    assert "geom && ST_MakeEnvelope" in sql
    assert params == {"minx": 61.0, "miny": 27.0, "maxx": 63.5, "maxy": 29.0}


def test_migrations_ship_as_numbered_package_data():
    from geodata.store.schema import migrations

    found = migrations()
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert found[0].name == "events" and "CREATE TABLE events" in found[0].sql
    assert all(m.sql.strip() for m in found)


def test_row_text_of_a_loaded_event_reads_like_the_csv(app_frame):
    raw = read_table(shipped_events_path()).set_index("id")
    for _, row in app_frame.head(30).iterrows():
        text = row_text(row)
        expected = raw.loc[row["id"]]
        assert float(text["lat"]) == float(expected["lat"]) and float(text["lon"]) == float(expected["lon"])
        for column in ("title", "date", "fatalities", "end_date", "last_checked", "source_url"):
            assert text[column] == expected[column].strip(), column


# ------------------------------------------------------------------------------------------ what a page asks for


def test_files_store_newest_n_counts_find_and_summary(app_frame):
    store = FilesStore()
    newest = store.load(limit=5)
    dated = app_frame.dropna(subset=["date"])
    assert len(newest) == 5 and (newest["date"] >= dated["date"].nlargest(5).min()).all()
    assert newest["date"].is_monotonic_decreasing
    assert store.load(limit=0).empty and len(store.load(limit=10_000)) == len(app_frame)
    counts = store.monthly_counts(EventFilter(event_types=("attack",)))
    assert set(counts["event_type"]) == {"attack"}
    assert counts["events"].sum() == (app_frame["event_type"] == "attack").sum()
    assert counts["fatalities"].sum() == app_frame.loc[app_frame["event_type"] == "attack", "fatalities"].sum()
    assert store.find(["crossing-taftan-mirjaveh", "missing"])["id"].tolist() == ["crossing-taftan-mirjaveh"]
    summary = store.summary()
    assert summary.as_of == geodata.data_as_of(app_frame) and summary.provinces == ("IR-13", "PK-BA")
    assert summary.events == len(app_frame)


def test_monthly_counts_of_undated_rows_and_unknown_fatalities():
    from geodata.store import monthly_counts

    events, report = geodata.check_events(table(
        make_row(id="a-1", date="2024-03-05", fatalities="2"), make_row(id="a-2", date="2024-03-28", fatalities=""),
        make_row(id="m-1", event_type="border_market", title="Market", date="", date_precision="", fatalities=""),
    ))
    assert report.ok
    counts = monthly_counts(events)
    assert counts.to_dict("records") == [
        {"event_type": "attack", "month": pd.Timestamp("2024-03-01"), "events": 2, "fatalities": 2,
         "unknown_fatalities": 1},
        {"event_type": "border_market", "month": pd.NaT, "events": 1, "fatalities": 0, "unknown_fatalities": 1},
    ]

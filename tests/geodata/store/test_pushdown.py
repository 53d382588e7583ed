"""What a page asks a big store for, answered by PostGIS exactly as in memory: filtered rows (newest N), counts
by month, rows by id, the summary, and the place-status table."""

import datetime as dt

import pandas as pd
import psycopg
import pytest
from pandas.testing import assert_frame_equal

import geodata
from geodata import EventFilter
from geodata.events import read_table
from geodata.status import STATUS_COLUMNS
from geodata.store import FilesStore, Stamp, monthly_counts, page_of, positions_of
from geodata.store.files import newest_first
from geodata.store.postgis import PostgisStore
from tests.geodata.conftest import make_row, table

pytestmark = pytest.mark.postgis

#: Rows whose text and dates sit on the edges of the filters: LIKE's wildcards and escape in the searched text,
#: periods that end or start on a window's edge, a month-precision period, an undated and a closed place.
EDGES = (
    make_row(id="edge-percent", title="Shot at 100% range", date="2024-01-31"),
    make_row(id="edge-underscore", title="Post_office attack", date="2024-02-01", description="Snake_case note"),
    make_row(id="edge-backslash", title=r"Dir C:\temp attack", date="2024-02-01", fatalities=""),
    make_row(id="edge-month", title="Raid in March", date="2024-03-01", date_precision="month", actors="BLA"),
    make_row(id="edge-year", title="Year-long unrest", event_type="unrest", date="2022-01-01", date_precision="year",
             fatalities="0"),
    make_row(id="edge-place-undated", event_type="border_market", title="Undated market", date="", date_precision="",
             fatalities=""),
    make_row(id="edge-place-closed", event_type="border_crossing", title="Closed crossing", date="2019-05-01",
             end_date="2024-01-31", fatalities=""),
    # Upper case: ASCII here; the database lower-cases other letters by its locale (a C-locale server only A-Z).
    make_row(id="edge-case", title="SCHOOL attack in TURBAT", date="2025-07-15", fatalities="7"),
)

FILTERS = [
    EventFilter(),
    EventFilter(text="100%"),
    EventFilter(text="%"),
    EventFilter(text="_"),
    EventFilter(text="post_office"),
    EventFilter(text="postxoffice"),
    EventFilter(text="snake_case"),
    EventFilter(text=r"c:\temp"),
    EventFilter(text="\\"),
    EventFilter(text="School turbat"),
    EventFilter(text="bla raid"),
    EventFilter(start=dt.date(2024, 1, 31)),  # a period ending on the window's first day is in
    EventFilter(start=dt.date(2024, 2, 1)),   # ... and one ending the day before is out
    EventFilter(end=dt.date(2024, 2, 1)),     # a period starting on the window's last day is in
    EventFilter(start=dt.date(2024, 3, 31), end=dt.date(2024, 3, 31)),  # the last day of a month-precision period
    EventFilter(start=dt.date(2022, 12, 31), end=dt.date(2022, 12, 31)),  # ... and of a year-precision one
    EventFilter(end=dt.date(2018, 1, 1)),  # before anything: only the undated place stays
    EventFilter(event_types=("border_crossing", "border_market"), start=dt.date(2024, 2, 1)),
    EventFilter(event_types=()),
    EventFilter(min_fatalities=1),
    EventFilter(countries=("IR",), max_distance_km=100),
    EventFilter(provinces=("PK-BA",), location_precisions=("exact",), start=dt.date(2020, 1, 1)),
    EventFilter(actors=("jaish-al-adl",)),
    EventFilter(actors=("bla", "irgc")),  # "BLA" of an edge row resolves too
    EventFilter(actors=("bla",), start=dt.date(2024, 1, 1), min_fatalities=1),
    EventFilter(actors=("unidentified-pk", "civilians-ir")),  # names shared across countries, by country
    EventFilter(actors=("jundallah",)),  # in the table, named by no event: nothing
]


@pytest.fixture(scope="module")
def memory():
    curated = geodata.load_events()
    extra, report = geodata.check_events(table(*EDGES))
    assert report.ok, report.problems
    return pd.concat([curated, extra], ignore_index=True).pipe(lambda f: f.set_geometry("geometry"))


@pytest.fixture(scope="module")
def big(pg_cluster, migrated_template, memory):
    store = PostgisStore(pg_cluster.create_database("pushdown", template=migrated_template))
    store.add(memory, Stamp("tester", source_file="events.csv"))
    return store


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_pushdown_gives_the_rows_of_filter_mask(big, memory, flt):
    expected = memory.loc[geodata.filter_mask(memory, flt), "id"].tolist()
    assert big.load(flt)["id"].tolist() == expected


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_matching_rows_select_the_rows_of_filter_mask(big, memory, flt):
    loaded = big.load()
    rows = positions_of(loaded["seq"], big.matching_rows(flt))
    assert loaded["id"].iloc[rows].tolist() == memory.loc[geodata.filter_mask(memory, flt), "id"].tolist()


@pytest.mark.parametrize("flt", FILTERS[:1] + FILTERS[19:20], ids=repr)
def test_a_page_without_a_limit_holds_every_matching_event(big, memory, flt):
    rows, counts = page_of(big, flt, None)
    assert counts is None
    assert rows["id"].tolist() == memory.loc[geodata.filter_mask(memory, flt), "id"].tolist()


@pytest.mark.parametrize("flt", FILTERS[:1] + FILTERS[11:14] + FILTERS[19:20], ids=repr)
@pytest.mark.parametrize("limit", [0, 1, 7, 10_000])
def test_the_newest_n_are_the_same_rows_in_the_same_order(big, memory, flt, limit):
    matching = memory[geodata.filter_mask(memory, flt)]
    expected = matching["id"].iloc[newest_first(matching)[:limit]].tolist()
    assert big.load(flt, limit=limit)["id"].tolist() == expected
    assert len(expected) == min(limit, len(matching))


def test_the_actor_filter_has_rows_to_agree_on(memory):
    for flt in FILTERS:
        if flt.actors and flt.actors != ("jundallah",):
            assert geodata.filter_mask(memory, flt).sum() > 0, flt


def test_db_init_derives_stale_actor_ids_again(store):
    events, _ = geodata.check_events(table(make_row(actors="Jaish ul-Adl; Frontier Corps"),
                                           make_row(id="no-actors", actors="")))
    store.add(events, Stamp("ann"))
    flt = EventFilter(actors=("jaish-al-adl",))
    assert store.load(flt)["id"].tolist() == ["test-turbat-attack"]
    with psycopg.connect(store._url, autocommit=True) as conn:  # as rows stored before migration 0005 are
        conn.execute("UPDATE events SET actor_ids = NULL")
    assert store.load(flt).empty
    assert store.refresh_actor_ids() == 1 and store.refresh_actor_ids() == 0
    assert store.load(flt)["id"].tolist() == ["test-turbat-attack"]
    assert store.load(flt)["actor_ids"].tolist() == ["jaish-al-adl;frontier-corps"]


def test_newest_first_puts_undated_rows_last_and_later_rows_first():
    frame = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", None, "2025-01-01", "2024-01-01"])})
    assert newest_first(frame).tolist() == [2, 3, 0, 1]


@pytest.mark.parametrize("flt", FILTERS, ids=repr)
def test_counts_by_month_are_the_counts_in_memory(big, memory, flt):
    expected = monthly_counts(memory[geodata.filter_mask(memory, flt)])
    counted = big.monthly_counts(flt)
    assert_frame_equal(counted, expected)
    assert counted["events"].sum() == geodata.filter_mask(memory, flt).sum()


def test_bbox_pushdown_counts_and_newest_agree(big, memory):
    box = (61.0, 25.0, 64.0, 27.0)
    inside = memory[memory["lon"].between(61.0, 64.0) & memory["lat"].between(25.0, 27.0)]
    assert big.monthly_counts(bbox=box)["events"].sum() == len(inside) > 0
    assert big.load(bbox=box, limit=3)["id"].tolist() == inside["id"].iloc[newest_first(inside)[:3]].tolist()


def test_find_returns_active_rows_by_id(big, memory):
    found = big.find(["edge-month", "nope", "crossing-taftan-mirjaveh"])
    assert found["id"].tolist() == ["crossing-taftan-mirjaveh", "edge-month"]  # in the order they were added
    assert found["version"].tolist() == [1, 1]
    assert big.find([]).empty


def test_summary_is_data_as_of_and_the_provinces(big, memory):
    summary = big.summary()
    assert summary.as_of == geodata.data_as_of(memory)
    assert summary.events == len(memory)
    assert summary.provinces == ("IR-13", "PK-BA")


def test_an_empty_store_summarises_to_nothing(store):
    summary = store.summary()
    assert (summary.events, summary.as_of.as_of, summary.as_of.sources, summary.provinces) == (0, None, 0, ())
    assert store.monthly_counts().empty and list(store.monthly_counts().columns) == list(monthly_counts(
        geodata.load_events().iloc[:0]).columns)


def test_retired_rows_leave_every_answer(store):
    events, _ = geodata.check_events(table(make_row(), make_row(id="kept-row", province="")))
    store.add(events, Stamp("ann"))
    store.retire("test-turbat-attack", 1, Stamp("bob"))
    assert store.load(limit=5)["id"].tolist() == ["kept-row"]
    assert store.find(["test-turbat-attack"]).empty
    assert store.monthly_counts()["events"].sum() == 1
    assert store.summary().events == 1 and store.summary().provinces == ()


# ------------------------------------------------------------------------------------------ place status


def test_place_status_round_trip(big):
    shipped = geodata.load_place_status()
    assert big.place_status().empty
    assert big.replace_place_status(read_table(_shipped_status_path())) == len(shipped)
    assert_frame_equal(big.place_status(), shipped)
    assert_frame_equal(big.place_status(), FilesStore().place_status())


def test_bad_status_rows_are_listed_and_change_nothing(store_url):
    store = PostgisStore(store_url)
    store.add(geodata.load_events(), Stamp("curator"))
    store.replace_place_status(read_table(_shipped_status_path()))
    bad = read_table(_shipped_status_path()).head(2).copy()
    bad.loc[0, "place_id"] = "no-such-place"
    bad.loc[1, "status"] = "ajar"
    with pytest.raises(geodata.PlaceStatusError) as caught:
        store.replace_place_status(bad)
    assert [(p.row, p.field) for p in caught.value.report.errors] == [(2, "place_id"), (3, "status")]
    assert len(store.place_status()) == len(geodata.load_place_status())  # the old periods stay


def test_status_of_a_retired_place_is_refused(store_url):
    store = PostgisStore(store_url)
    store.add(geodata.load_events(), Stamp("curator"))
    store.retire("crossing-taftan-mirjaveh", 1, Stamp("curator"))
    with pytest.raises(geodata.PlaceStatusError, match="not a known border crossing or market"):
        store.replace_place_status(read_table(_shipped_status_path()))
    with psycopg.connect(store_url) as conn:
        assert conn.execute("SELECT count(*) FROM place_status").fetchone()[0] == 0


def test_status_columns_are_the_csv_columns():
    assert list(read_table(_shipped_status_path()).columns) == list(STATUS_COLUMNS)


def _shipped_status_path():
    from importlib import resources

    return resources.files("geodata") / "data" / "place_status.csv"

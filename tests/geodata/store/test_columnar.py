"""The column read of the PostGIS store (geodata/store/_columnar.py) gives exactly the frame of the row-wise read
(COPY as CSV parsed by pandas, the read it replaced), on rows written by the app and rows typed in psql."""

import struct

import numpy as np
import psycopg
import pytest
from pandas.testing import assert_frame_equal

import geodata
from geodata import EventFilter
from geodata.store import Stamp, positions_of
from geodata.store._columnar import numbers_of
from geodata.store._records import STORED, from_copy_csv
from tests.geodata.conftest import make_row, table

#: Text no parser may bend: CSV quoting and escapes, formula starts, NUL-free control characters, scripts,
#: characters outside the BMP, and words a careless reader takes for NULL.
HOSTILE = ('He said "go", then left', "line one\nline two\r\nline three", "tab\there", "=HYPERLINK(\"http://x\")",
           "back\\slash \\N", "NULL", "", "  spaced  ", "اردو فارسی", "🛰️ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", ";,|", "'quoted'")


def _row_wise(url: str):
    """The read this module replaced: COPY as CSV, parsed by pandas (``_records.from_copy_csv``)."""
    columns = ", ".join(STORED)
    buffer = bytearray()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy(f"COPY (SELECT {columns}, version FROM events WHERE retired_at IS NULL ORDER BY seq) "
                      "TO STDOUT (FORMAT csv, HEADER true)") as copy:
            for chunk in copy:
                buffer += chunk
    return from_copy_csv(bytes(buffer), extra=("version",))


@pytest.fixture
def hostile_store(store, store_url):
    rows = [make_row(id=f"hostile-{i}", title=f"Attack {i}: {text}" if text.strip() else "Attack",
                     description=text, actors=text, district=text, source_title=text, fatalities=str(i % 3) if i else "")
            for i, text in enumerate(HOSTILE)]
    events, report = geodata.check_events(table(*rows))
    assert report.ok, report.problems
    store.add(events, Stamp("tester"))
    store.add(geodata.load_events(), Stamp("tester", source_file="events.csv"))
    # As psql or QGIS would write them, past the app's write rules: '' next to NULL, untrimmed text, every
    # nullable column NULL, extreme numbers, dates PostgreSQL takes and a CSV read does not.
    with psycopg.connect(store_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO events (id, event_type, title, date, date_precision, end_date, country, province, "
            "district, location_precision, fatalities, fatalities_low, fatalities_high, actors, description, "
            "source_title, source_url, last_checked, lat, lon, period_start, period_end, province_found, "
            "distance_to_border_km, side, nearest_crossing, nearest_crossing_km, actor_ids, added_by) VALUES "
            "('psql-empty', 'attack', '  Typed in psql  ', '2024-02-29', 'day', NULL, 'PK', '', '', 'exact', "
            " 2147483647, 0, 2147483647, '', ' ', '', 'https://example.org/a,b\"c', '2025-01-31', "
            " 89.999999999999, -179.12345678901234, '2024-02-29', '2024-02-29', '', 1e-300, '', '', NULL, '', 'x'),"
            "('psql-null', 'border_market', 'Undated', NULL, NULL, NULL, 'IR', NULL, NULL, 'town', NULL, NULL, "
            " NULL, NULL, NULL, NULL, 'http://x.ir', NULL, -0.0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
            " NULL, 'x'),"
            "('psql-odd-dates', 'attack', 'Odd dates', 'infinity', 'day', 'infinity', 'IR', 'IR-13', 'Zahedan', "
            " 'town', 1, NULL, NULL, 'IRGC', 'x', 'y', 'http://x.ir', '0044-03-15 BC', 29.5, 60.8, "
            " '-infinity', 'infinity', 'IR-13', 12.5, 'IR', 'c', 3.25, 'irgc', 'x')"
        )
        conn.execute("UPDATE events SET retired_at = now(), retired_by = 'x' WHERE id = 'hostile-1'")
    return store


@pytest.mark.postgis
def test_the_column_read_is_the_row_wise_read(hostile_store, store_url):
    loaded = hostile_store.load()
    expected = _row_wise(store_url)
    assert len(loaded) == len(geodata.load_events()) + len(HOSTILE) - 1 + 3
    assert_frame_equal(loaded.drop(columns="seq"), expected)
    assert "hostile-1" not in set(loaded["id"])
    psql = loaded.set_index("id")
    assert psql.loc["psql-empty", "title"] == "Typed in psql"  # trimmed as every read trims
    assert psql.loc["psql-empty", "fatalities"] == 2147483647
    assert psql.loc["psql-empty", "lon"] == -179.12345678901234
    assert loaded.loc[geodata.filter_mask(loaded, EventFilter(text="=hyperlink")), "id"].tolist() == ["hostile-3"]


@pytest.mark.postgis
def test_matching_rows_are_the_positions_filter_mask_keeps(hostile_store):
    loaded = hostile_store.load()
    for flt in (EventFilter(), EventFilter(event_types=("attack",)), EventFilter(text="hyperlink"),
                EventFilter(countries=("IR",), min_fatalities=1), EventFilter(event_types=())):
        rows = positions_of(loaded["seq"], hostile_store.matching_rows(flt))
        assert rows.tolist() == np.flatnonzero(geodata.filter_mask(loaded, flt)).tolist(), flt


@pytest.mark.postgis
def test_the_newest_n_and_find_read_the_same_columns(hostile_store, store_url):
    expected = _row_wise(store_url)
    newest = hostile_store.load(limit=5)
    assert len(newest) == 5
    assert_frame_equal(newest.drop(columns="seq").set_index("id"),
                       expected.set_index("id").loc[newest["id"]], check_index_type=False)
    found = hostile_store.find(["psql-null", "hostile-2", "hostile-1"])
    assert found["id"].tolist() == ["hostile-2", "psql-null"]


def _binary_copy(values, *, width=8, fields=1) -> bytes:
    body = b"".join(struct.pack(">hiq", fields, width, v) for v in values)
    return b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0) + body + struct.pack(">h", -1)


def test_numbers_of_reads_a_binary_copy_of_one_bigint_column():
    assert numbers_of(_binary_copy([3, 1, 2**40, -5])).tolist() == [3, 1, 2**40, -5]
    assert numbers_of(_binary_copy([])).tolist() == []
    with pytest.raises(ValueError, match="layout"):
        numbers_of(_binary_copy([1, 2], fields=2))


def test_positions_of_leaves_out_rows_the_frame_lacks():
    assert positions_of([2, 5, 9, 12], [1, 5, 12, 13]).tolist() == [1, 3]
    assert positions_of([], [1]).tolist() == []


@pytest.mark.postgis
def test_grid_counts_are_the_matching_events_counted_per_cell(hostile_store):
    flt = EventFilter(event_types=("attack", "clash", "border_market"))
    loaded = hostile_store.load(flt)
    cells = hostile_store.grid_counts(flt, cell_degrees=0.5)
    assert cells["events"].sum() == len(loaded) > 0
    assert cells["unknown_fatalities"].sum() == loaded["fatalities"].isna().sum()
    assert cells["fatalities"].sum() == loaded["fatalities"].sum()
    expected = (loaded.assign(lon=(np.floor(loaded["lon"] / 0.5) + 0.5) * 0.5,
                              lat=(np.floor(loaded["lat"] / 0.5) + 0.5) * 0.5)
                .groupby(["lon", "lat"]).size().reset_index(name="events"))
    assert_frame_equal(cells[["lon", "lat", "events"]], expected)
    with pytest.raises(ValueError, match="positive"):
        hostile_store.grid_counts(flt, cell_degrees=0)

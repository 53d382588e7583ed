"""Reading events from PostgreSQL into columns without a Python object per row or per cell.

Two reads, chosen by measurement (``benchmarks/bench_store.py`` prints them side by side; 100,000 rows on a
shared 2-core machine, December 2026):

* **rows**: ``COPY (SELECT ...) TO STDOUT (FORMAT csv)`` parsed by Arrow's CSV reader straight into typed
  columns (floats, integers, dates, strings), each column handed to pandas without a Python object per cell.
  ``NULL`` and ``''`` stay apart (COPY writes NULL as an unquoted empty field, ``''`` quoted). Fetched to columns
  in 0.29x the time of the row-wise read it replaced (the same COPY parsed by pandas, 0.42x once typed).
  Measured against it: psycopg's binary COPY with ``set_types`` (0.35x only to fetch Python row tuples, before
  any frame is built), packing each column into one ``bytea`` per chunk of rows in SQL (``string_agg`` of the
  binary send forms: slower than the CSV read, the aggregate's per-value calls dominate) and the ADBC driver
  (binary COPY into Arrow in C++: 0.16x to fetch, so ~0.3x once typed; not used: a second database driver and
  dependency for a gain the typing, shared by every read, mostly absorbs).
* **row numbers**: ``COPY (SELECT seq ...) TO STDOUT (FORMAT binary)`` of one ``bigint`` column, whose rows all
  have the same width, so the stream is viewed as a numpy array: no parsing at all. For the filter terms the
  database answers faster than a million-row frame in memory: the text search, from its trigram index (at 1M
  rows, 2.4 s against 7.0 s for ``filter_mask``; every other term is faster in memory).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ._records import STORED_KINDS
from ._sql_filters import NEWEST_FIRST

#: Settings of the session that make COPY's text exact and readable here whatever the server's defaults:
#: ISO dates, floats written with every digit needed to read back the same number, UTF-8.
SESSION_SQL = "SET DateStyle TO ISO; SET extra_float_digits TO 3; SET client_encoding TO 'UTF8'"
_ARROW = {"date": pa.date32(), "float8": pa.float64(), "int4": pa.int32(), "int8": pa.int64(), "text": pa.string()}
#: Binary COPY: 11-byte signature, flags and header extension length (no extension), then per row the field
#: count (int16 = 1), the value's length (int32 = 8) and the big-endian bigint; -1 (int16) ends the stream.
_HEADER = 19
_ROW = np.dtype([("fields", ">i2"), ("length", ">i4"), ("value", ">i8")])


def select_list(columns: dict[str, str]) -> str:
    """The select list of ``columns`` (name -> kind: text, date, int4, int8, float8, or ``isodate``: a date kept
    as the text COPY writes, ``YYYY-MM-DD``)."""
    return ", ".join(_selected(c, k) for c, k in columns.items())


def _selected(column: str, kind: str) -> str:
    if kind == "isodate":
        return f"{column}::text AS {column}"  # as COPY writes it (DateStyle ISO: SESSION_SQL)
    if kind == "date":  # 'infinity' or a year outside 1-9999 (typed in psql) is no date here, as a CSV read says
        return f"CASE WHEN {column} BETWEEN DATE '0001-01-01' AND DATE '9999-12-31' THEN {column} END AS {column}"
    return column


def copy_csv_sql(query: str) -> str:
    """``query`` as the COPY statement whose output :func:`frame_of` reads."""
    return f"COPY ({query}) TO STDOUT (FORMAT csv, HEADER true)"


def frame_of(data: bytes, columns: dict[str, str]) -> pd.DataFrame:
    """The rows of :func:`copy_csv_sql`'s output as a frame: floats as float64 (NULL as NaN), integers as Int64,
    dates as datetime64 (NULL as NaT), text as Arrow-backed strings (NULL as missing, ``''`` as ``''``)."""
    kinds = {c: "text" if k == "isodate" else k for c, k in columns.items()}
    table = pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(data)),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types={c: _ARROW[k] for c, k in kinds.items()},
                                             null_values=[""], strings_can_be_null=True,
                                             quoted_strings_can_be_null=False),
    )
    frame = pd.DataFrame({c: _column(table.column(c), k) for c, k in kinds.items()})
    frame.index = pd.RangeIndex(table.num_rows)
    return frame


def _column(values: pa.ChunkedArray, kind: str):
    if kind == "text":
        return pd.arrays.ArrowStringArray(values.combine_chunks() if values.num_chunks != 1 else values.chunk(0))
    if kind == "float8":
        return values.to_numpy().astype("float64")
    missing = values.is_null().to_numpy(zero_copy_only=False)
    if kind == "date":
        days = values.cast(pa.int32()).fill_null(0).to_numpy().astype("datetime64[D]").astype("datetime64[us]")
        days[missing] = np.datetime64("NaT")
        # A column of text dates with none given parses to second resolution: the dtype the CSV read gives.
        return pd.array(days.astype("datetime64[s]") if missing.all() else days)
    return pd.arrays.IntegerArray(values.fill_null(0).to_numpy().astype("int64"), missing)


def copy_numbers_sql(query: str) -> str:
    """``query`` (one ``bigint`` column, never NULL) as the COPY statement :func:`numbers_of` reads."""
    return f"COPY ({query}) TO STDOUT (FORMAT binary)"


def numbers_of(data: bytes) -> np.ndarray:
    """The values of :func:`copy_numbers_sql`'s output as int64, in the order sent."""
    body = memoryview(data)[_HEADER:len(data) - 2]
    rows = np.frombuffer(body, _ROW)
    if len(rows) and not ((rows["fields"] == 1).all() and (rows["length"] == 8).all()):
        raise ValueError("unexpected binary COPY layout (a NULL or a non-bigint column)")
    return rows["value"].astype("int64")


def read_columns(cur, where: str, params: dict, *, newest: bool = False) -> pd.DataFrame:
    """The stored columns, ``version`` and ``seq`` of the events passing ``where`` (a condition of
    :func:`geodata.store._sql_filters.where_clause`) as a :func:`frame_of` frame: in the order they were added,
    or the newest ``params["limit"]`` first. ``cur`` is an open psycopg cursor."""
    kinds = {**STORED_KINDS, "version": "int4", "seq": "int8"}
    order = f"{NEWEST_FIRST} LIMIT %(limit)s" if newest else "seq"
    query = copy_csv_sql(f"SELECT {select_list(kinds)} FROM events WHERE {where} ORDER BY {order}")
    return frame_of(_copied(cur, query, params), kinds)


def read_row_numbers(cur, where: str, params: dict) -> np.ndarray:
    """The ``seq`` of the events passing ``where``, ascending (:func:`numbers_of`)."""
    return numbers_of(_copied(cur, copy_numbers_sql(f"SELECT seq FROM events WHERE {where} ORDER BY seq"), params))


def _copied(cur, query: str, params: dict) -> memoryview:
    buffer = io.BytesIO()
    cur.execute(SESSION_SQL)
    with cur.copy(query, params) as copy:
        for chunk in copy:
            buffer.write(chunk)
    return buffer.getbuffer()


def positions_of(seq, matching) -> np.ndarray:
    """Positions in a loaded frame (its ``seq`` column, ascending as :meth:`PostgisStore.load` gives it) of the
    row numbers ``matching`` (:meth:`PostgisStore.matching_rows`); numbers the frame lacks (rows added since it
    was loaded) are left out."""
    seq = np.asarray(seq, dtype="int64")
    matching = np.asarray(matching, dtype="int64")
    at = np.searchsorted(seq, matching)
    found = at < len(seq)
    found[found] = seq[at[found]] == matching[found]
    return at[found]

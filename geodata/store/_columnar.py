"""Reading events from PostgreSQL column by column: no Python object per row, whatever the rows hold.

The row-wise read (``COPY ... (FORMAT csv)`` parsed by pandas, then every cell typed) costs seconds per 100,000
rows. Here the database packs each column of a chunk of rows into one ``bytea`` (``string_agg`` of the values'
binary send form: big-endian floats and integers, dates as days since 1970, text as UTF-8 bytes plus one length
per row) and the client views those bytes as numpy arrays and Arrow string arrays without parsing a value. Chunks
hold at most ``2**CHUNK_BITS`` rows, so a text column's chunk stays far below PostgreSQL's 1 GB limit on one
value even with every field at the write rule's longest. The frame is then typed by the same rules as every
other read (:func:`geodata.events._typed`).

The rows of one chunk reach every aggregate of that chunk in the same order (no aggregate sorts its input), so
the columns line up; the ``ord`` column (insertion order, or the rank in "newest first") puts them in order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

#: log2 of the most rows packed into one value of one column.
CHUNK_BITS = 12
_NULL = -(2**31)  # stands for NULL in integer and date columns (no stored value can be this: see the CHECKs)


def select_list(columns: dict[str, str]) -> str:
    """The select list of ``columns`` for the inner query of :func:`select_sql` (dates meant as text, kind
    ``"isodate"``, are written ``YYYY-MM-DD`` whatever the server's DateStyle)."""
    return ", ".join(f"to_char({c}, 'YYYY-MM-DD') AS {c}" if k == "isodate" else c for c, k in columns.items())


def packed_kinds(columns: dict[str, str]) -> dict[str, str]:
    """``columns`` with the kinds :func:`select_sql` packs (an ``isodate`` travels as text)."""
    return {c: "text" if k == "isodate" else k for c, k in columns.items()}


def select_sql(columns: dict[str, str], source: str) -> str:
    """The query packing ``columns`` (name -> kind: text, date, int4, int8, float8) of ``source`` (a subquery
    with an ``ord`` bigint column, every value distinct) into one row per chunk of rows."""
    parts = ["string_agg(int8send(ord), ''::bytea)"]
    for name, kind in columns.items():
        if kind == "text":
            parts.append(f"string_agg(int4send(coalesce(octet_length({name}), {_NULL})), ''::bytea)")
            parts.append(f"string_agg(convert_to({name}, 'UTF8'), ''::bytea)")
        elif kind == "date":
            days = f"CASE WHEN isfinite({name}) THEN {name} - DATE '1970-01-01' END"
            parts.append(f"string_agg(int4send(coalesce({days}, {_NULL})), ''::bytea)")
        elif kind == "float8":
            parts.append(f"string_agg(float8send(coalesce({name}, 'NaN')), ''::bytea)")
        else:
            parts.append(f"string_agg({kind}send(coalesce({name}, {_NULL})), ''::bytea)")
    return (f"SELECT {', '.join(parts)} FROM ({source}) AS rows "
            f"GROUP BY ord >> {CHUNK_BITS} ORDER BY ord >> {CHUNK_BITS}")


def frame_of(chunks: list[tuple], columns: dict[str, str]) -> pd.DataFrame:
    """The rows of :func:`select_sql`'s chunks (as fetched in binary) as a frame in ``ord`` order: floats as
    float64 (NULL as NaN), integers as Int64, dates as datetime64 (NULL as NaT), text as Arrow-backed strings
    (NULL as missing)."""
    fields = list(zip(*chunks)) if chunks else [()] * (1 + sum(2 if k == "text" else 1 for k in columns.values()))
    ord_ = np.frombuffer(_joined(fields[0]), ">i8")
    order = None if np.all(ord_[1:] > ord_[:-1]) else np.argsort(ord_, kind="stable")
    out, at = {}, 1
    for name, kind in columns.items():
        if kind == "text":
            values = _strings(_joined(fields[at]), _joined(fields[at + 1]))
            at += 2
        else:
            values = _numbers(_joined(fields[at]), kind)
            at += 1
        out[name] = values if order is None else values.take(order)
    frame = pd.DataFrame(out)
    frame.index = pd.RangeIndex(len(ord_))
    return frame


def _joined(parts) -> bytes:
    return b"".join(bytes(p) for p in parts if p is not None)


def _numbers(data: bytes, kind: str):
    if kind == "float8":
        return pd.array(np.frombuffer(data, ">f8").astype("float64"))
    values = np.frombuffer(data, ">i8" if kind == "int8" else ">i4").astype("int64")
    missing = values == _NULL
    if kind == "date":
        days = values.astype("datetime64[D]").astype("datetime64[us]")
        days[missing] = np.datetime64("NaT")
        return pd.array(days)
    return pd.arrays.IntegerArray(values, missing)


def _strings(lengths: bytes, data: bytes):
    sizes = np.frombuffer(lengths, ">i4").astype("int64")
    valid = sizes >= 0
    offsets = np.zeros(len(sizes) + 1, dtype="int64")
    np.cumsum(np.where(valid, sizes, 0), out=offsets[1:])
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little").tobytes())
    array = pa.LargeStringArray.from_buffers(len(sizes), pa.py_buffer(offsets.tobytes()), pa.py_buffer(data), bitmap,
                                             int((~valid).sum()))
    return pd.array(array.cast(pa.string()) if len(data) < 2**31 else array, dtype=pd.ArrowDtype(array.type)
                    ).astype("string")

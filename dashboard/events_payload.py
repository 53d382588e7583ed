"""The events as the browser receives them: one compact, columnar dataset per dataset, and a selection per rerun.

Design (the map at analyst scale, 100k–1M events):

* ``encode_dataset(events)`` turns every event of the current data into one JSON document of columns, built once
  per dataset and cached by the app. Numbers are integer columns (coordinates in 1e-5 degrees, symbol radius in
  tenths of a pixel, dates as days since 1970), each sent :func:`packed` as base64 of the narrowest little-endian
  integer type, which the browser views as a typed array without parsing numbers; every text column is a lookup
  table (``values``) plus one integer code per row (``codes``, packed likewise, -1 for empty), so the text
  repeated across rows — event types, periods, places, source titles, ACLED-style generated titles — travels
  once. No HTML is built here: the browser makes popups and
  tooltips from these strings with text nodes, so data text can never become markup. Descriptions are included
  only while they stay under ``DESCRIPTION_BUDGET`` bytes (the curated data); above that the popup points to the
  details panel, which shows the row's description after a click.
* ``split_dataset(payload)`` parts that document for the app's map: what the first draw needs (positions, type and
  flag codes, sizes, dates) and the text columns, which the map fetches right after its first draw (the text is
  about half of the bytes at 100k events). :func:`naming_text` writes the text file's URL into the first part.
* ``selection_mask(n, rows)`` is what a filter change sends: one bit per dataset row (little-endian bit order,
  base64) — 17 KB for 100k events, whatever the filter.

The row order of the dataset is the order of the events frame; the browser reports a clicked row by that
position, and the app maps it back to the event id (never parsed from display text).
"""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd

import geodata
from dashboard.symbology import SIZE_KEY, marker_radius, radii, size_key  # SIZE_KEY, size_key: re-exported
from dashboard.text import format_fatalities, format_period, place_names, safe_url, safe_url_text
from geodata import EventType, format_day
from geodata.provenance import is_ours

SCALE = 100_000
DESCRIPTION_BUDGET = 1_500_000
_KINDS = list(EventType)
_KIND_CODE = {t.value: i for i, t in enumerate(_KINDS)}
_EPOCH = np.datetime64("1970-01-01", "D")
#: The bits of the ``flags`` column (static/events.js reads them): an approximate location, an analyst's row; the
#: bits from UPLOAD_SHIFT up number the uploaded file of an analyst's row (1, 2, …: ``user_data.Upload.slot``).
FLAG_APPROXIMATE = 1
FLAG_THEIRS = 2
UPLOAD_SHIFT = 2
MAX_UPLOAD = 31  # flags stay one byte


def packed(values) -> dict:
    """Integers as the browser reads them fastest: ``{"int8"|"int16"|"int32": base64}`` of the values as
    little-endian bytes of the narrowest type that holds them (the browser views them as a typed array)."""
    values = np.asarray(values, dtype=np.int64)
    low, high = (int(values.min()), int(values.max())) if len(values) else (0, 0)
    for name, dtype in (("int8", "<i1"), ("int16", "<i2"), ("int32", "<i4")):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return {name: base64.b64encode(values.astype(dtype).tobytes()).decode("ascii")}
    raise ValueError(f"integers out of the int32 range ({low}..{high})")


def unpacked(column: dict) -> np.ndarray:
    """The integers of a :func:`packed` column."""
    (name, text), = column.items()
    return np.frombuffer(base64.b64decode(text), dtype={"int8": "<i1", "int16": "<i2", "int32": "<i4"}[name])


def _lookup(values: pd.Series) -> dict:
    """Codes and a table of distinct values; empty and missing text become -1."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)  # hashing only: no per-row copy of the text
    return _table(codes, pd.Series(uniques))


def _table(codes: np.ndarray, values: pd.Series, *, trimmed: bool = False) -> dict:
    """:func:`_lookup` of rows given as codes into ``values``: the values are trimmed, blanks dropped and equal
    ones merged, all on the distinct values only (a column of 400,000 rows is never copied as text).
    ``trimmed`` says the values are already distinct, trimmed and never blank."""
    if not trimmed:
        text = values.astype("string").str.strip()
        merged, values = pd.factorize(text.where(text != "", pd.NA), use_na_sentinel=True)
        codes = np.append(np.asarray(merged, dtype=np.int64), -1)[codes]  # code -1 (missing) stays -1
    return {"codes": packed(codes), "values": _JsonStrings(pd.Series(values, dtype="string"))}


class _JsonStrings:
    """A list of strings written as JSON by Arrow kernels (a file's 400,000 distinct links would otherwise be
    400,000 Python strings, then their JSON text)."""

    def __init__(self, values: pd.Series):
        self.values = values

    def json(self) -> list:
        """The JSON text in pieces (bytes and an Arrow buffer, which is bytes-like: they join without a copy)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not len(self.values):
            return [b"[]"]
        text = pa.array(self.values.array).cast(pa.large_string())
        if pc.any(pc.match_substring_regex(text, "[\\x00-\\x1f]")).as_py():  # rare: let Python escape them
            return [_dumped(text.to_pylist())]
        text = pc.replace_substring(pc.replace_substring(text, "\\", "\\\\"), '"', '\\"')
        rows = pa.LargeListArray.from_arrays(pa.array([0, len(text)], pa.int64()), text)
        return [b'["', pc.binary_join(rows, pa.scalar('","', pa.large_string()))[0].as_buffer(), b'"]']


def _groups(events: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's combination of ``columns`` (numbered in order of first appearance, missing values included)
    and the first row of each combination."""
    key = np.zeros(len(events), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(events[column], use_na_sentinel=False)
        key, _ = pd.factorize(key * (len(uniques) + 1) + codes)  # renumbered: stays below n * n
    group, _ = pd.factorize(key)
    return group, np.unique(group, return_index=True)[1]


def _by_combination(events: pd.DataFrame, columns: list[str], render) -> dict:
    """The lookup of ``render(row)``, called once per distinct combination of ``columns``."""
    if not len(events):
        return _table(np.zeros(0, dtype=np.int64), pd.Series([], dtype=object))
    group, firsts = _groups(events, columns)
    rendered = [render(row) for row in events[columns].iloc[firsts].to_dict("records")]
    return _table(group, pd.Series(rendered, dtype=object))


def _days(dates: pd.Series) -> np.ndarray:
    values = pd.to_datetime(dates, errors="coerce").to_numpy("datetime64[D]")
    days = (values - _EPOCH).astype("int64")
    return np.where(np.isnat(values), -1, days)


def _per_value(values: pd.Series, render) -> dict:
    """The lookup of ``render(value)``, called once per distinct value (missing ones included)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return _table(codes, pd.Series([render(v) for v in uniques], dtype=object))


def _distance_text(km: pd.Series) -> dict:
    rounded = pd.to_numeric(km, errors="coerce").round(0)
    return _per_value(rounded, lambda v: "" if pd.isna(v) else f"{v:.0f} km from the border")


def _places(events: pd.DataFrame) -> dict:
    """The lookup of :func:`place_names`, built from each distinct (district, province) pair."""
    columns = [c for c in ("district", "province") if c in events]
    if not columns or not len(events):
        return _table(np.full(len(events), 0, dtype=np.int64), place_names(events.iloc[:1]))
    group, firsts = _groups(events, columns)
    return _table(group, place_names(events.iloc[firsts]).reset_index(drop=True))


def _source_links(urls: pd.Series) -> dict:
    """The lookup of the links :func:`~dashboard.text.safe_url` accepts (refused ones become missing)."""
    codes, links = pd.factorize(safe_url_text(urls), use_na_sentinel=True)  # a file's links are often all distinct
    return _table(codes, pd.Series(links), trimmed=True)


def upload_numbers(events: pd.DataFrame, slots: dict[str, int] | None = None) -> np.ndarray:
    """Each row's uploaded-file number: 0 for ours, ``slots[label]`` for a row of the file with that ``dataset``
    label (1 for an analyst's row of a label not in ``slots``)."""
    theirs = ~is_ours(events)
    numbers = np.where(theirs, 1, 0).astype(np.int64)
    if slots and "dataset" in events:
        mapped = events["dataset"].map({k: min(max(int(v), 1), MAX_UPLOAD) for k, v in slots.items()})
        numbers = np.where(theirs & mapped.notna().to_numpy(), mapped.fillna(0).to_numpy(np.int64), numbers)
    return numbers


def encode_dataset(events: pd.DataFrame, slots: dict[str, int] | None = None) -> bytes:
    """Every event of ``events`` as one compact JSON document of columns (see the module docstring).

    ``events`` is an enriched event frame (``geodata.load_events`` and friends); an optional ``dataset`` column
    names where a row came from (``geodata.provenance.CURATED`` for ours, a file name for an analyst's upload).
    ``slots`` numbers the uploaded files by their label (:func:`upload_numbers`), carried in the ``flags`` bits
    from :data:`UPLOAD_SHIFT` up: the browser rings each file's rows in its colour and counts them apart.
    """
    n = len(events)
    lat = np.round(events["lat"].to_numpy(float) * SCALE).astype(np.int64)
    lon = np.round(events["lon"].to_numpy(float) * SCALE).astype(np.int64)
    kind = events["event_type"].map(_KIND_CODE).fillna(-1).astype(int)
    approximate = events["location_precision"].isin(["district", "province"]).to_numpy()
    theirs = ~is_ours(events)
    dataset = events["dataset"].astype("string") if "dataset" in events else pd.Series(pd.NA, index=events.index,
                                                                                        dtype="string")
    flags = (approximate.astype(int) * FLAG_APPROXIMATE | theirs.astype(int) * FLAG_THEIRS
             | upload_numbers(events, slots) << UPLOAD_SHIFT)

    text = {
        "title": _lookup(events["title"]),
        "period": _by_combination(events, ["event_type", "date", "date_precision", "end_date"], format_period),
        "place": _places(events),
        "precision": _lookup(events["location_precision"]),
        "fatalities": _by_combination(events, ["fatalities", "fatalities_low", "fatalities_high"], format_fatalities),
        "actors": _lookup(events["actors"]) if "actors" in events else _lookup(pd.Series(pd.NA, index=events.index)),
        "distance": _distance_text(events["distance_to_border_km"]),
        "source_title": _lookup(events["source_title"]),
        "source_url": _source_links(events["source_url"]),
        "dataset": _lookup(dataset.where(theirs, pd.NA)),
    }
    if "last_checked" in events:
        checked = pd.to_datetime(events["last_checked"], errors="coerce")
        text["checked"] = _per_value(
            checked, lambda d: "" if pd.isna(d) else f"Checked against its source {format_day(d)}")
    if "description" in events:
        description = events["description"].astype("string").fillna("")
        if int(description.str.len().sum()) <= DESCRIPTION_BUDGET:
            text["description"] = _lookup(description)
    document = {
        "v": 2,
        "n": n,
        "scale": SCALE,
        "lat": packed(lat),
        "lon": packed(lon),
        "kind": packed(kind),
        "kinds": [{"key": t.value, "label": t.label, "colour": t.colour, "place": t.is_place} for t in _KINDS],
        "radius": packed(np.round(radii(events["fatalities"]) * 10)),
        "flags": packed(flags),
        "date": packed(_days(events["date"])),
        # The period each row covers, as the date filter reads it (geodata.filter_mask): playback steps in the
        # browser show exactly the rows the page's filter for that step shows.
        "start": packed(_days(events["period_start"])),
        "end": packed(_days(events["period_end"])),
        "text": text,
    }
    return _json_bytes(document)


def _json_bytes(document: dict) -> bytes:
    """``document`` as compact UTF-8 JSON, written in pieces joined once: the text of the whole document never
    exists as one Python string next to its bytes (that string alone is up to four times the payload for
    non-Latin text), and each text column's values are written by :class:`_JsonStrings`."""
    parts: list[bytes] = []

    def write(value) -> None:
        if isinstance(value, _JsonStrings):
            parts.extend(value.json())
        elif isinstance(value, dict):
            parts.append(b"{")
            for i, (key, item) in enumerate(value.items()):
                parts.append(_dumped(key) + b":" if i == 0 else b"," + _dumped(key) + b":")
                write(item)
            parts.append(b"}")
        else:
            parts.append(_dumped(value))

    write(document)
    return b"".join(parts)


def _dumped(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


#: The dataset document's last key (:func:`encode_dataset` writes it last): where :func:`split_dataset` parts it.
_TEXT_KEY = b',"text":'


def split_dataset(payload: bytes) -> tuple[bytes, memoryview]:
    """An :func:`encode_dataset` document as (the document without its text columns, the ``text`` object alone).

    The first draw needs only the first part; the map fetches the second after it has drawn (static/events.js).
    Parted on the bytes, not parsed: ``"text"`` is the document's last key, and every key and value before it
    is ours (base64 columns, the event types' words), so its first ``,"text":`` is that key. The text part is a
    view of ``payload`` (no copy of a large file's text)."""
    at = payload.find(_TEXT_KEY)
    if at < 0 or not payload.endswith(b"}"):
        raise ValueError("not a dataset document with text columns")
    return payload[:at] + b"}", memoryview(payload)[at + len(_TEXT_KEY):-1]


def naming_text(first: bytes, text_url: str) -> bytes:
    """The first part of :func:`split_dataset` with ``textUrl``: where the map fetches the text columns."""
    return first[:-1] + b',"textUrl":' + _dumped(text_url) + b"}"


def decode_dataset(payload: bytes, text: bytes | None = None) -> pd.DataFrame:
    """The rows of an encoded dataset as a frame of display values (for tests and tools; the browser does this);
    ``text``: the text columns of a document parted by :func:`split_dataset`."""
    document = json.loads(payload)
    if text is not None:
        document["text"] = json.loads(bytes(text))
    column = {name: unpacked(document[name]) for name in ("lat", "lon", "kind", "radius", "flags", "date", "start", "end")}
    frame = pd.DataFrame(
        {
            "lat": column["lat"] / document["scale"],
            "lon": column["lon"] / document["scale"],
            "event_type": [document["kinds"][k]["key"] if k >= 0 else None for k in column["kind"]],
            "radius": column["radius"] / 10,
            "approximate": [bool(f & FLAG_APPROXIMATE) for f in column["flags"]],
            "theirs": [bool(f & FLAG_THEIRS) for f in column["flags"]],
            "upload": column["flags"].astype(np.int64) >> UPLOAD_SHIFT,
            **{name: [None if d < 0 else _EPOCH + np.timedelta64(int(d), "D") for d in column[key]]
               for name, key in (("date", "date"), ("period_start", "start"), ("period_end", "end"))},
        }
    )
    for name, table in document.get("text", {}).items():
        frame[name] = pd.Series([None if c < 0 else table["values"][c] for c in unpacked(table["codes"])],
                                dtype=object)
    return frame


def place_status(events: pd.DataFrame, periods: pd.DataFrame, day) -> list[list]:
    """[row, status, period in words, note, source title, source link] for each place of ``events`` with a status
    period covering ``day``: the popup cites the source of that period, not the place's own row.

    ``periods`` are the status periods (``geodata.load_place_status``); rows are positions in ``events``; the link
    is empty when it is not a plain http(s) URL.
    """
    on_day = geodata.periods_on(periods, day)
    rows = []
    for row in np.flatnonzero(events["id"].astype(str).isin(on_day.index).to_numpy()):
        period = on_day.loc[str(events["id"].iloc[row])]
        since = f"since {format_day(period['start'])}"
        until = "" if pd.isna(period["end"]) else f", recorded until {format_day(period['end'])}"
        title = period.get("source_title")
        rows.append([int(row), str(period["status"]), since + until, str(period["note"] or ""),
                     str(title) if isinstance(title, str) and title else "Source of this status",
                     safe_url(period.get("source_url")) or ""])
    return rows


def selection_mask(n: int, rows) -> str:
    """Base64 bitmask of ``n`` bits with the bits of ``rows`` (positions in the dataset) set; little-endian bits."""
    bits = np.zeros(n, dtype=bool)
    bits[np.asarray(rows, dtype=np.int64)] = True
    return base64.b64encode(np.packbits(bits, bitorder="little").tobytes()).decode("ascii")


def decode_mask(mask: str, n: int) -> np.ndarray:
    """Positions set in a mask made by :func:`selection_mask`."""
    bits = np.unpackbits(np.frombuffer(base64.b64decode(mask), dtype=np.uint8), bitorder="little")[:n]
    return np.flatnonzero(bits)

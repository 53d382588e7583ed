"""Fields with one value: the date window, minimum fatalities, distance to the border, search text."""

from __future__ import annotations

import argparse
import datetime as dt
import unicodedata

import numpy as np
import pandas as pd

from ..days import format_day
from ..frame_index import WordIndex
from ._base import (
    DISTANCE_CHOICES_KM,
    MAX_FATALITIES,
    MAX_TEXT,
    FilterField,
    OneColumn,
    finite,
    nearest_distance,
    non_negative,
    number_words,
)

#: The text columns the text filter searches, and the same in SQL (indexed in migration 0002: keep them equal).
SEARCHED = ("title", "description", "actors")
SEARCH_SQL = "lower(coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(actors, ''))"


#: A searched column with more distinct texts than this has its words indexed (:class:`WordIndex`).
WORD_INDEX_FROM = 20_000


def _argparse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


class DateWindow(FilterField):
    """``start``/``end``: a row shows when the period it covers overlaps the window."""

    attrs = ("start", "end")
    params = ("start", "end")
    words_rank = -1

    def from_url(self, raw, notes, ctx):
        out = {}
        for name in ("start", "end"):
            if raw.get(name):
                try:
                    out[name] = dt.date.fromisoformat(raw[name])
                except ValueError:
                    notes.ignored(name, "not a date (YYYY-MM-DD)")
        if "start" in out and "end" in out and out["start"] > out["end"]:
            notes.ignored("end", "before start")
            del out["end"]
        return out

    def to_url(self, flt):
        return {name: getattr(flt, name).isoformat() for name in ("start", "end") if getattr(flt, name)}

    def mask(self, events, flt):
        if flt.start is None and flt.end is None:
            return None
        keep = np.ones(len(events), dtype=bool)
        for column, passes in self._parts(flt):
            keep &= passes(events[column])
        return keep

    def indexed_mask(self, index, flt):
        if flt.start is None and flt.end is None:
            return None
        keep = np.ones(len(index), dtype=bool)
        for column, passes in self._parts(flt):  # each part reads one column: answered on its distinct days
            keep &= index.per_value(column, lambda values, passes=passes, column=column: passes(values[column]))
        return keep

    @staticmethod
    def _parts(flt):
        """(column, its test) for each side of the window."""
        parts = []
        if flt.end is not None:
            # Undated places (NaT start) are taken as operating since before any window.
            end = pd.Timestamp(flt.end)
            parts.append(("period_start", lambda days: (days.isna() | (days <= end)).to_numpy(dtype=bool)))
        if flt.start is not None:
            # Open-ended places (NaT end) are still operating.
            start = pd.Timestamp(flt.start)
            parts.append(("period_end", lambda days: (days.isna() | (days >= start)).to_numpy(dtype=bool)))
        return parts

    def sql(self, flt, params):
        parts = []
        if flt.end is not None:
            parts.append("(period_start IS NULL OR period_start <= %(end)s)")
            params["end"] = flt.end
        if flt.start is not None:
            parts.append("(period_end IS NULL OR period_end >= %(start)s)")
            params["start"] = flt.start
        return parts

    def words(self, flt, ctx):
        start, end = flt.start, flt.end
        if start is None and end is None:
            return "all dates"
        if start is not None and end is not None:
            return format_day(start) if start == end else f"{format_day(start)} – {format_day(end)}"
        return f"from {format_day(start)}" if start is not None else f"up to {format_day(end)}"

    def add_flags(self, parser, ctx):
        parser.add_argument("--start", type=_argparse_date, help="first day of the window (YYYY-MM-DD)")
        parser.add_argument("--end", type=_argparse_date, help="last day of the window (YYYY-MM-DD)")


class MinFatalities(OneColumn, FilterField):
    """Rows with unknown fatalities drop out once the minimum is above 0."""

    column = "fatalities"
    attrs = ("min_fatalities",)
    params = ("minfat",)

    def from_url(self, raw, notes, ctx):
        if not raw.get("minfat"):
            return {}
        try:
            value = int(raw["minfat"])  # ValueError too for > 4300 digits (Python's int() limit)
            if value < 0:
                raise ValueError
        except ValueError:
            notes.ignored("minfat", "not a whole number >= 0")
            return {}
        if value > MAX_FATALITIES:
            notes.adjusted("minfat", f"above the largest minimum offered; using {MAX_FATALITIES:,}")
            value = MAX_FATALITIES
        return {"min_fatalities": value}

    def to_url(self, flt):
        return {"minfat": str(flt.min_fatalities)} if flt.min_fatalities else {}

    def mask(self, events, flt):
        if flt.min_fatalities <= 0:
            return None
        return (events[self.column].fillna(-1) >= flt.min_fatalities).to_numpy(dtype=bool)

    def sql(self, flt, params):
        if flt.min_fatalities <= 0:
            return []
        params["min_fatalities"] = int(flt.min_fatalities)
        return ["fatalities >= %(min_fatalities)s"]  # NULL drops out, as in the mask

    def words(self, flt, ctx):
        if flt.min_fatalities <= 0:
            return None
        return f"at least {flt.min_fatalities} {'fatality' if flt.min_fatalities == 1 else 'fatalities'}"

    def add_flags(self, parser, ctx):
        parser.add_argument("--min-fatalities", dest="min_fatalities", type=non_negative(int), default=0)


class MaxDistance(OneColumn, FilterField):
    column = "distance_to_border_km"
    attrs = ("max_distance_km",)
    params = ("maxkm",)

    def from_url(self, raw, notes, ctx):
        if not raw.get("maxkm"):
            return {}
        try:
            value = finite(raw["maxkm"])
            if value < 0:
                raise ValueError
        except ValueError:
            notes.ignored("maxkm", "not a distance >= 0")
            return {}
        if value not in DISTANCE_CHOICES_KM:
            # The sidebar offers fixed distances: snap rather than drop, so the link still narrows the map.
            value = nearest_distance(value)
            notes.adjusted("maxkm", f"not one of the offered distances; using the nearest, {value} km")
        return {"max_distance_km": float(value)}

    def to_url(self, flt):
        return {} if flt.max_distance_km is None else {"maxkm": f"{flt.max_distance_km:g}"}

    def mask(self, events, flt):
        if flt.max_distance_km is None:
            return None
        return (events[self.column] <= flt.max_distance_km).fillna(False).to_numpy(dtype=bool)

    def sql(self, flt, params):
        if flt.max_distance_km is None:
            return []
        params["max_distance_km"] = float(flt.max_distance_km)
        return ["distance_to_border_km <= %(max_distance_km)s"]

    def words(self, flt, ctx):
        if flt.max_distance_km is None:
            return None
        return f"within {number_words(flt.max_distance_km)} km of the border"

    def add_flags(self, parser, ctx):
        parser.add_argument("--max-distance-km", dest="max_distance_km", type=non_negative(float),
                            help="only events this close to the border")


def plain_text(limit: int):
    """argparse type: one line of printable text, no control characters or undecodable bytes, ``limit`` long."""
    def parse(text: str) -> str:
        if any(0xD800 <= ord(c) <= 0xDFFF for c in text):  # bytes that were not UTF-8 arrive as lone surrogates
            raise argparse.ArgumentTypeError("is not valid UTF-8 text")
        if any(unicodedata.category(c) == "Cc" for c in text):
            raise argparse.ArgumentTypeError("contains a control character (newline, tab, escape...)")
        if len(text) > limit:
            raise argparse.ArgumentTypeError(f"is {len(text)} characters long; at most {limit}")
        return text

    parse.__name__ = "text"  # argparse names the type in its message
    return parse


def _like_term(term: str) -> str:
    # LIKE treats % and _ as wildcards and \ as its escape: a searched word matches only itself.
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class TextField(FilterField):
    """Every word must appear in title, description or actors (case-insensitive)."""

    attrs = ("text",)
    params = ("q",)

    def from_url(self, raw, notes, ctx):
        return {"text": raw["q"][:MAX_TEXT]} if raw.get("q") else {}

    def to_url(self, flt):
        return {"q": flt.text} if flt.text else {}

    def mask(self, events, flt):
        if not flt.text:
            return None
        # A word has no spaces, so it is in the fields joined by spaces exactly when it is in one of them: each
        # field is searched on its own, column-wise (joining them row by row took seconds at 100,000 rows).
        return self._found(flt, [(events[c], None) for c in SEARCHED if c in events], len(events))

    def indexed_mask(self, index, flt):
        if not flt.text:
            return None
        # Each column's distinct values are searched (a few thousand titles, not every row), then spread by code.
        searched = [index.derived(("casefold", c), lambda c=c: self._folded(index, c)) for c in SEARCHED
                    if c in index.events]
        return self._found(flt, searched, len(index), folded=True)

    @staticmethod
    def _folded(index, column: str):
        codes, values = index.codes(column)
        folded = values[column].astype("string").fillna("").str.casefold()
        # Many distinct texts (a description per row): their words are indexed, so a search reads the words.
        return (WordIndex(folded) if len(folded) > WORD_INDEX_FROM else folded), codes

    @staticmethod
    def _found(flt, columns, n: int, folded: bool = False) -> np.ndarray:
        """Rows holding every word of ``flt.text`` in one of ``columns``: (values, codes of the rows in them, or
        None when the values are the rows); ``folded``: the values are already text, case-folded, or a
        :class:`~geodata.frame_index.WordIndex` of them."""
        texts = columns if folded else [(v.astype("string").fillna("").str.casefold(), c) for v, c in columns]
        keep = np.ones(n, dtype=bool)
        for term in flt.text.casefold().split():
            found = np.zeros(n, dtype=bool)
            for text, codes in texts:
                if isinstance(text, WordIndex):
                    hit = text.holding(term)
                else:
                    hit = text.str.contains(term, regex=False).to_numpy(dtype=bool, na_value=False)
                found |= hit if codes is None else hit[codes]
            keep &= found
        return keep

    def sql(self, flt, params):
        # Every word must appear; lower() here against casefold() in pandas differs only for a few letters (ß).
        parts = []
        for i, term in enumerate(flt.text.lower().split()):
            parts.append(f"{SEARCH_SQL} LIKE %(term{i})s")
            params[f"term{i}"] = _like_term(term)
        return parts

    def words(self, flt, ctx):
        return f"matching “{flt.text}”" if flt.text else None

    def add_flags(self, parser, ctx):
        parser.add_argument("--text", type=plain_text(MAX_TEXT), default="",
                            help="words that must all appear in title, description or actors")

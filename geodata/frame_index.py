"""Work done once per loaded dataset so that each filter change touches only what it needs.

A page filters the same frame again and again (every widget change is a rerun). :class:`FrameIndex` keeps, per
column a filter or a panel reads, the column factorised: an integer code per row and the distinct values. A field
whose mask reads one column runs its own mask (:mod:`geodata.filter_fields`) on the distinct values only and
spreads the answer to the rows by their codes, so the rule stays the field's and the cost is the number of
distinct values plus one gather (the text search: a few thousand titles instead of a million rows). Summaries of
the matching rows (counts per type, per period, per actor list) are bincounts of the same codes.

The frame must not change while its index is in use (the loaded datasets are shared, read-only objects).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import numpy as np
import pandas as pd

from .models import EventFilter


class FrameIndex:
    """Per-column codes of one frame, made when first asked for and kept.

    Parameters
    ----------
    events : pandas.DataFrame
        The frame (not copied; do not mutate it afterwards).
    hold : bool
        Keep the frame alive. False for an index kept beside its frame in a cache that lets both go when the
        frame is no longer used elsewhere (a cache keyed weakly by the frame must not have it held by the value).
    """

    def __init__(self, events: pd.DataFrame, *, hold: bool = True):
        self._held = events if hold else None
        self._frame = weakref.ref(events)
        self._codes: dict[str, tuple[np.ndarray, pd.DataFrame]] = {}
        self._order: np.ndarray | None = None
        self._derived: dict = {}

    @property
    def events(self) -> pd.DataFrame:
        """The indexed frame."""
        frame = self._frame()
        if frame is None:
            raise ReferenceError("the indexed frame is gone")
        return frame

    def __len__(self) -> int:
        return len(self.events)

    def codes(self, column: str) -> tuple[np.ndarray, pd.DataFrame]:
        """(code per row, one-column frame of the distinct values, missing included) of ``column``."""
        held = self._codes.get(column)
        if held is None:
            codes, uniques = pd.factorize(self.events[column], use_na_sentinel=False)
            dtype = np.int32 if len(uniques) < 2**31 else np.int64
            values = pd.DataFrame({column: uniques})
            held = self._codes[column] = (codes.astype(dtype, copy=False), values)
        return held

    def derived(self, key, make: Callable[[], object]):
        """``make()``, computed once per index and ``key`` (what a field derives from the codes, e.g. the
        distinct values case-folded)."""
        if key not in self._derived:
            self._derived[key] = make()
        return self._derived[key]

    def numbers(self, column: str) -> np.ndarray:
        """``column`` as floats, NaN where missing or not a number (kept)."""
        return self.derived(("numbers", column), lambda: pd.to_numeric(self.events[column], errors="coerce")
                            .to_numpy(dtype=float, na_value=np.nan))

    def figures(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(``column`` as floats with 0 where there is no figure, where there is no figure), kept: what sums of a
        reported count (fatalities) add and what they leave out."""
        def make():
            values = self.numbers(column)
            missing = np.isnan(values)
            return np.where(missing, 0.0, values), missing

        return self.derived(("figures", column), make)

    def per_value(self, column: str, mask: Callable[[pd.DataFrame], np.ndarray | None]) -> np.ndarray | None:
        """``mask`` (a row-wise mask of one column) answered on the distinct values and spread to the rows."""
        codes, values = self.codes(column)
        answer = mask(values)
        if answer is None:
            return None
        return np.asarray(answer, dtype=bool)[codes]

    def mask(self, flt: EventFilter) -> np.ndarray:
        """The rows passing ``flt``: equal to :func:`geodata.filter_mask` of the frame."""
        from .filter_fields import FIELDS  # the fields import this module's users, not this module

        keep = None
        for f in FIELDS:
            mask = f.indexed_mask(self, flt)
            if mask is not None:
                keep = mask if keep is None else keep & mask
        return np.ones(len(self.events), dtype=bool) if keep is None else keep

    def counts(self, column: str, rows: np.ndarray | None = None) -> pd.Series:
        """How many of ``rows`` (a boolean mask; None: every row) hold each distinct value of ``column`` (missing
        values included), indexed by the value; values with no row left out."""
        codes, values = self.codes(column)
        picked = codes if rows is None else codes[rows]
        counted = np.bincount(picked, minlength=len(values))
        present = np.flatnonzero(counted)
        return pd.Series(counted[present], index=pd.Index(values[column].to_numpy()[present]), dtype="int64")

    def newest_first(self) -> np.ndarray:
        """Row positions by ``date``, newest first, undated rows last, ties in row order."""
        if self._order is None:
            dates = self.events["date"]
            self._order = np.lexsort((np.arange(len(dates)), dates.isna().to_numpy(),
                                      -dates.fillna(pd.Timestamp(0)).to_numpy("datetime64[ns]").astype("int64")))
        return self._order

    def first_rows(self, rows: np.ndarray, limit: int | None) -> np.ndarray:
        """Positions of the first ``limit`` rows of ``rows`` (a boolean mask) in :meth:`newest_first` order."""
        order = self.newest_first()
        if limit is None:
            return order[rows[order]]
        # Walk the order in growing blocks: a wide filter fills the page from the first block.
        taken, start, block = [], 0, max(4 * limit, 1024)
        found = 0
        while start < len(order) and found < limit:
            part = order[start:start + block]
            hit = part[rows[part]]
            taken.append(hit[: limit - found])
            found += len(taken[-1])
            start += block
            block *= 4
        return np.concatenate(taken) if taken else np.zeros(0, dtype=np.int64)


class WordIndex:
    """The space-separated words of some texts (already case-folded), each with the texts holding it.

    A search word holds no space, so it occurs in a text exactly when it occurs inside one of the text's words:
    the words are searched (far fewer than a million descriptions: they repeat), then the texts holding a
    matching word are looked up.
    """

    def __init__(self, texts: pd.Series):
        import pyarrow as pa
        import pyarrow.compute as pc

        parts = pc.split_pattern(pa.array(texts.fillna("").to_numpy(dtype=object), type=pa.large_string()), " ")
        words = pc.dictionary_encode(pc.list_flatten(parts))
        codes = words.indices.to_numpy(zero_copy_only=False)
        order = np.argsort(codes, kind="stable")
        self.words = words.dictionary
        self.texts = pc.list_parent_indices(parts).to_numpy(zero_copy_only=False).astype(np.int32)[order]
        self.starts = np.searchsorted(codes[order], np.arange(len(self.words) + 1))
        self.size = len(texts)

    def holding(self, term: str) -> np.ndarray:
        """Boolean per text: does it contain ``term`` (which holds no space)?"""
        import pyarrow.compute as pc

        hit = np.flatnonzero(pc.match_substring(self.words, term).to_numpy(zero_copy_only=False))
        out = np.zeros(self.size, dtype=bool)
        if len(hit):
            lengths = self.starts[hit + 1] - self.starts[hit]
            first = np.repeat(self.starts[hit] - np.cumsum(lengths) + lengths, lengths)
            out[self.texts[first + np.arange(int(lengths.sum()))]] = True
        return out

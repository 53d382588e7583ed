"""The filter field protocol, the context some fields need, and the notices a URL decode leaves."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..frame_index import FrameIndex
from ..models import EventFilter

#: The longest search text the page, a link and the command line take.
MAX_TEXT = 200
#: The largest minimum-fatalities value the sidebar offers; a link asking for more is clamped to it.
MAX_FATALITIES = 10_000
#: The distances (km) the sidebar offers; a link with another distance is snapped to the nearest of these.
DISTANCE_CHOICES_KM = (10, 25, 50, 100, 150)


def join_words(words: list[str], conj: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conj} {words[-1]}"


def number_words(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _cut(text: str, limit: int = 40) -> str:
    """URL text quoted in a notice, cut short: a notice must stay a line, whatever the link holds."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _quoted(values: list[str], limit: int = 3) -> str:
    return _cut(", ".join(f"'{v}'" for v in values[:limit]) + (", ..." if len(values) > limit else ""))


def csv_values(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def finite(text: str) -> float:
    """A finite float, or ValueError (``inf``, ``nan`` and ``1e999`` included: they overflow int())."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def nearest_distance(km: float) -> int:
    """The offered distance closest to ``km``; a tie goes to the larger, which hides no event the link shows."""
    return min(DISTANCE_CHOICES_KM, key=lambda choice: (abs(choice - km), -choice))


@dataclass
class UrlNotes:
    """What a URL decode says about the parameters it dropped or adjusted; ``raw`` is the query, one value each."""

    raw: Mapping[str, str]
    notices: list[str] = field(default_factory=list)

    def shown(self, name: str) -> str:
        return _cut(self.raw.get(name, ""))

    def ignored(self, name: str, why: str) -> None:
        self.notices.append(f"Ignored URL parameter '{name}={self.shown(name)}': {why}.")

    def adjusted(self, name: str, why: str) -> None:
        self.notices.append(f"Adjusted URL parameter '{name}={self.shown(name)}': {why}.")

    def listed(self, name: str, values: list[str], known: Callable[[str], bool], noun: tuple[str, str],
               expected: str = "") -> list[str]:
        """The values of a list parameter the app knows; one notice names the others and, if any, what applies."""
        good = [v for v in values if known(v)]
        ignored = [v for v in values if not known(v)]
        if ignored:
            what = f"{noun[len(ignored) > 1]} {_quoted(ignored)}" + (f" ({expected})" if expected else "")
            if good:
                self.notices.append(f"Partly applied URL parameter '{name}={self.shown(name)}': ignored {what}; "
                                    f"showing {_cut(', '.join(sorted(set(good))))}.")  # as the filter holds them
            else:
                self.ignored(name, what)
        return good


@dataclass(frozen=True)
class Context:
    """What some fields need from the data: the province codes it knows and their names."""

    provinces: Collection[str] | None = None
    province_names: Mapping[str, str] = field(default_factory=dict)


class FilterField:
    """One filter field. Subclasses fill in each face; a face a field lacks does nothing."""

    #: The EventFilter attributes this field owns; their defaults mean "no constraint".
    attrs: tuple[str, ...] = ()
    #: URL query parameters, in the order links write them.
    params: tuple[str, ...] = ()
    #: Where the field's words go in :func:`geodata.describe_filter` (lower first; equal ranks keep table order).
    words_rank: int = 0

    def active(self, flt: EventFilter) -> bool:
        default = EventFilter()
        return any(getattr(flt, a) != getattr(default, a) for a in self.attrs)

    def from_url(self, raw: Mapping[str, str], notes: UrlNotes, ctx: Context) -> dict:
        """EventFilter keyword arguments read from the query parameters; bad values leave a notice."""
        return {}

    def to_url(self, flt: EventFilter) -> dict[str, str]:
        """Query parameters for the field; nothing at the default, so links stay short."""
        return {}

    def mask(self, events: pd.DataFrame, flt: EventFilter) -> np.ndarray | None:
        """Boolean mask of the rows that pass (None: the field is inactive)."""
        return None

    def indexed_mask(self, index: FrameIndex, flt: EventFilter) -> np.ndarray | None:
        """:meth:`mask` of ``index.events``, using the dataset's index where the field reads one column."""
        return self.mask(index.events, flt)

    def sql(self, flt: EventFilter, params: dict) -> list[str]:
        """SQL conditions (placeholders ``%(name)s``, values added to ``params``) with the meaning of :meth:`mask`."""
        return []

    def words(self, flt: EventFilter, ctx: Context) -> str | None:
        """The field's part of the one line describing the filter, or None when it says nothing."""
        return None

    def add_flags(self, parser: argparse.ArgumentParser, ctx: Callable[[], Context]) -> None:
        """Add the field's command-line flags (the briefing CLI)."""

    def from_flags(self, args: argparse.Namespace) -> dict:
        """EventFilter keyword arguments from parsed flags."""
        return {a: getattr(args, a) for a in self.attrs}


class OneColumn:
    """Mixin for a field whose mask reads one column (``column``) row by row: it is answered on the column's
    distinct values (:meth:`FrameIndex.per_value`)."""

    column: str

    def indexed_mask(self, index, flt):
        if not self.active(flt):
            return None
        if self.column not in index.events:
            return self.mask(index.events, flt)
        return index.per_value(self.column, lambda values: self.mask(values, flt))


def non_negative(kind):
    def parse(text: str):
        try:
            value = kind(text)
            finite = math.isfinite(value)  # OverflowError for an int beyond float's range (400 nines)
        except (ValueError, OverflowError):
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not finite or value < 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be a number >= 0")
        return value

    return parse

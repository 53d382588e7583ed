"""Trust signals for the curated data: how recent it is and how many sources stand behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Value of the ``dataset`` column (set by :func:`geodata.combine_events`) that marks our own rows.
CURATED = "curated"


def is_ours(events: pd.DataFrame) -> np.ndarray:
    """Which rows are ours (the curated or team data) rather than an analyst's upload.

    Parameters
    ----------
    events : pandas.DataFrame
        Events, with or without the ``dataset`` column :func:`geodata.combine_events` adds.

    Returns
    -------
    numpy.ndarray of bool
        True where there is no ``dataset`` column or the row's ``dataset`` is missing or :data:`CURATED`.
    """
    if "dataset" not in events:
        return np.ones(len(events), dtype=bool)
    label = events["dataset"].astype("string")
    return (label.isna() | (label == CURATED)).to_numpy(dtype=bool)


def names_ours(label: str) -> bool:
    """Whether a dataset label would pass for ours (:data:`CURATED` in any case or spacing)."""
    return str(label).strip().lower() == CURATED


@dataclass(frozen=True)
class DataAsOf:
    """The facts of the trust line: how current the curated data are, when they were reviewed, how well sourced.

    ``as_of`` is the date of the newest curated row (None when no row is dated), ``events`` the number of
    curated rows, ``sources`` the number of distinct source URLs among them and ``reviewed`` the newest
    ``last_checked`` day (None when no row carries one).
    """

    as_of: dt.date | None
    events: int
    sources: int
    reviewed: dt.date | None = None

    def text(self, subject: str = "Data") -> str:
        """The line in words, the one wording the page, the figure and the downloads use.

        With a review date: ``Sources reviewed to 7 Dec 2026; newest reported event 9 Mar 2026 · 122 events ·
        110 sources`` (so an old newest event reads as a quiet period, not as stale work); without one:
        ``Data as of 9 Mar 2026 · 99 events · 95 sources``. ``subject`` replaces "Data" (and leads the reviewed
        form as "Curated data: sources reviewed ..."), e.g. "Curated data" where other counts (a filter's, a
        download's) stand beside the line and must not be confused with it.
        """
        from .filter_words import format_day  # filter_words imports models only; here to keep this module light

        day = format_day(self.as_of) if self.as_of else "unknown date"
        counts = (f"{self.events} event{'s' * (self.events != 1)} · "
                  f"{self.sources} source{'s' * (self.sources != 1)}")
        if self.reviewed is None:
            return f"{subject} as of {day} · {counts}"
        reviewed = f"ources reviewed to {format_day(self.reviewed)}; newest reported event {day}"
        lead = "S" + reviewed if subject == "Data" else f"{subject}: s{reviewed}"
        return f"{lead} · {counts}"


def data_as_of(events: pd.DataFrame) -> DataAsOf:
    """Compute the "as of" facts from the curated events, whatever is currently shown.

    Parameters
    ----------
    events : pandas.DataFrame
        Events as loaded by :func:`geodata.load_events`, possibly combined with an analyst's rows by
        :func:`geodata.combine_events`; rows that are not ours (:func:`is_ours`) are ignored, so an
        upload or a filter never changes the line. Needs ``date`` and ``source_url``; ``end_date`` is used
        when present.

    Returns
    -------
    DataAsOf
        ``as_of``: the latest ``date`` or ``end_date`` of a curated row (a place's opening, an incident's day,
        the last day of a period); ``events``: the number of curated rows; ``sources``: distinct non-empty
        source URLs (compared after trimming spaces); ``reviewed``: the latest ``last_checked`` (None without
        that column or a value in it).
    """
    missing = [c for c in ("date", "source_url") if c not in events.columns]
    if missing:
        raise ValueError(f"events is missing column(s) {', '.join(missing)} needed for the 'as of' line")
    if "dataset" in events.columns:  # only the needed columns are filtered: an upload may add 400,000 rows
        needed = [c for c in ("date", "end_date", "source_url", "last_checked", "dataset") if c in events.columns]
        events = events[needed][is_ours(events)]
    # Dates may arrive typed (load_events) or as text (read_table): parse both the same way.
    days = [pd.to_datetime(events[c], errors="coerce") for c in ("date", "end_date") if c in events.columns]
    newest = pd.concat(days, ignore_index=True).max()  # skips NaT; NaT only when no row is dated
    urls = events["source_url"].astype("string").str.strip()
    checked = (pd.to_datetime(events["last_checked"], errors="coerce", format="mixed").max()
               if "last_checked" in events.columns and len(events) else pd.NaT)
    return DataAsOf(
        as_of=None if pd.isna(newest) else newest.date(),
        events=len(events),
        sources=int(urls[urls.notna() & (urls != "")].nunique()),
        reviewed=None if pd.isna(checked) else checked.date(),
    )

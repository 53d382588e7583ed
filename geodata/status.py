"""Status of border crossings and markets over time: open, closed or restricted, period by period.

A place's row in ``events.csv`` says when it opened (and closed for good, if it did); ``place_status.csv`` adds
the periods in between when it was shut or only partly working (pandemic closures, wars, unrest). A date
inside no period has no recorded status: the sources read say nothing about that day, which is not a claim
that the place was open.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from .days import format_day
from .links import safe_url_text
from .models import Problem, ValidationReport
from .models import is_place as models_is_place
from .validation import missing_columns

#: Columns of ``place_status.csv``, in file order.
STATUS_COLUMNS = ("place_id", "status", "start", "end", "note", "source_title", "source_url")
#: What a place can be during a period. ``restricted``: working for some traffic only (e.g. goods but not people).
STATUSES = ("open", "closed", "restricted")

_SHIPPED = "place_status.csv"
_REQUIRED = ("place_id", "status", "start", "source_title", "source_url")


class PlaceStatusError(ValueError):
    """Raised when a status file has errors; ``report`` names every bad row and field."""

    def __init__(self, report: ValidationReport, source: str = "place_status"):
        self.report = report
        lines = [str(p) for p in report.errors[:20]]
        super().__init__(f"{source}: {report.summary()}\n" + "\n".join(lines))


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[column].astype("string").fillna("").str.strip()


def _dates(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")


def validate_place_status(frame: pd.DataFrame, place_ids, *, row_offset: int = 2) -> ValidationReport:
    """Check status periods and report every problem, row by row.

    Parameters
    ----------
    frame : pandas.DataFrame
        Raw rows (strings) with the columns of :data:`STATUS_COLUMNS`.
    place_ids : iterable of str
        Ids of the known crossings and markets (``border_crossing``/``border_market`` rows of the events).
    row_offset : int
        Number of the first data row in messages; 2 matches a CSV with a header line.

    Returns
    -------
    ValidationReport
        An error for an unknown place, a status outside :data:`STATUSES`, a missing or malformed date, an end
        before its start, a period overlapping another of the same place, an empty source title, or a source
        that is not an http(s) link.
    """
    report = missing_columns(frame, _REQUIRED)
    if not report.ok:
        return report
    frame = frame.reset_index(drop=True)
    known = {str(p) for p in place_ids}
    place, status = _text(frame, "place_id"), _text(frame, "status")
    start_text, end_text = _text(frame, "start"), _text(frame, "end")
    start, end = _dates(start_text), _dates(end_text)
    url, title = _text(frame, "source_url"), _text(frame, "source_title")
    linked = safe_url_text(url).notna().to_numpy()  # one column-wide check (geodata.links), not one per row
    problems = []

    def add(i: int, field: str, message: str) -> None:
        problems.append(Problem(i + row_offset, field, message, "error", place[i]))

    for i in range(len(frame)):
        if place[i] == "":
            add(i, "place_id", "is empty")
        elif place[i] not in known:
            add(i, "place_id", f"{place[i]!r} is not a known border crossing or market id")
        if status[i] not in STATUSES:
            add(i, "status", f"{status[i]!r} is not one of {', '.join(STATUSES)}")
        if start_text[i] == "":
            add(i, "start", "is empty")
        elif pd.isna(start[i]):
            add(i, "start", f"{start_text[i]!r} is not a date (YYYY-MM-DD)")
        if end_text[i] != "" and pd.isna(end[i]):
            add(i, "end", f"{end_text[i]!r} is not a date (YYYY-MM-DD)")
        if pd.notna(start[i]) and pd.notna(end[i]) and end[i] < start[i]:
            add(i, "end", f"ends ({end[i]:%Y-%m-%d}) before it starts ({start[i]:%Y-%m-%d})")
        if title[i] == "":
            add(i, "source_title", "is empty")
        if not linked[i]:
            add(i, "source_url", f"{url[i]!r} is not a plain http(s) link" if url[i] else "is empty")

    # Overlaps: within a place, sorted by start, each period must begin after the previous one ends.
    # An empty end means "still lasting", so nothing may follow it.
    dated = pd.DataFrame({"place": place, "start": start, "end": end}).dropna(subset=["start"])
    dated = dated[~((dated["end"].notna()) & (dated["end"] < dated["start"]))]
    for _, periods in dated.sort_values(["place", "start"], kind="stable").groupby("place", sort=False):
        reach, reach_row = None, None  # latest day covered so far (NaT: open-ended) and the row reaching it
        for i, row in periods.iterrows():
            if reach_row is not None and (pd.isna(reach) or row["start"] <= reach):
                until = "open-ended" if pd.isna(reach) else f"to {reach:%Y-%m-%d}"
                add(i, "start", f"period overlaps the one on row {reach_row + row_offset} "
                                f"({periods.at[reach_row, 'start']:%Y-%m-%d} {until}) for the same place")
            if reach_row is None or (pd.notna(reach) and (pd.isna(row["end"]) or row["end"] > reach)):
                reach, reach_row = row["end"], i
    report.problems = sorted(problems, key=lambda p: p.row or 0)
    return report


def _shipped_place_ids() -> tuple[str, ...]:
    from .events import read_table, shipped_events_path

    events = read_table(shipped_events_path())
    is_place = models_is_place(events["event_type"])
    return tuple(events.loc[is_place, "id"].str.strip())


def load_place_status(path=None, place_ids=None) -> pd.DataFrame:
    """Load the status periods of crossings and markets, validated.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV with the columns of :data:`STATUS_COLUMNS`. Defaults to the shipped
        ``geodata/data/place_status.csv``.
    place_ids : iterable of str, optional
        The known place ids. Defaults to the crossings and markets of the shipped ``events.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per period, sorted by place and start: ``start`` and ``end`` as datetimes (``end`` NaT while the
        period lasts), the other columns as strings.

    Raises
    ------
    PlaceStatusError
        If any row has an error; its ``report`` names every bad row and field.
    """
    if path is None and place_ids is None:
        # Callers get their own copy: the cached frame must never be mutated.
        return _shipped_status().copy()
    return _read_place_status(path, place_ids)


@functools.cache
def _shipped_status() -> pd.DataFrame:
    """The shipped periods, read and checked once per process (each briefing figure and store asks again)."""
    return _read_place_status(None, None)


def _read_place_status(path, place_ids) -> pd.DataFrame:
    from .events import read_table

    source = resources.files("geodata") / "data" / _SHIPPED if path is None else path
    frame = read_table(source)
    ids = _shipped_place_ids() if place_ids is None else place_ids
    report = validate_place_status(frame, ids)
    if not report.ok:
        raise PlaceStatusError(report, source=str(path or f"geodata/data/{_SHIPPED}"))
    for column in STATUS_COLUMNS:
        if column not in frame:
            frame[column] = ""
    frame = frame[list(STATUS_COLUMNS)].copy()
    for column in ("place_id", "status", "note", "source_title", "source_url"):
        frame[column] = frame[column].astype("string").str.strip()
    frame["start"] = _dates(_text(frame, "start"))
    frame["end"] = _dates(_text(frame, "end"))
    return frame.sort_values(["place_id", "start"], kind="stable").reset_index(drop=True)


def periods_on(status: pd.DataFrame, date: dt.date | pd.Timestamp) -> pd.DataFrame:
    """The status periods in force on a date: at most one per place.

    Parameters
    ----------
    status : pandas.DataFrame
        Periods as returned by :func:`load_place_status`.
    date : datetime.date or pandas.Timestamp
        The day asked about; a period covers its ``start`` and ``end`` days inclusive.

    Returns
    -------
    pandas.DataFrame
        The rows of ``status`` covering ``date``, indexed by ``place_id``.
    """
    day = pd.Timestamp(date).normalize()
    covers = (status["start"] <= day) & (status["end"].isna() | (status["end"] >= day))
    return status[covers].set_index("place_id")


def status_on(status: pd.DataFrame, date: dt.date | pd.Timestamp) -> dict[str, str]:
    """Each place's recorded status on a date.

    Parameters
    ----------
    status : pandas.DataFrame
        Periods as returned by :func:`load_place_status`.
    date : datetime.date or pandas.Timestamp
        The day asked about (for the map, the filter's end date).

    Returns
    -------
    dict of str to str
        ``{place_id: "open" | "closed" | "restricted"}`` for the places with a period covering ``date``; a place
        missing from the dict has no recorded status that day.
    """
    return periods_on(status, date)["status"].astype(str).to_dict()


@dataclass(frozen=True)
class StatusDay:
    """The day places are marked with their status on (``day``), and the day that was asked for (``asked``)."""

    day: dt.date
    asked: dt.date

    @property
    def capped(self) -> bool:
        """The day asked for is after the data's as-of date, so the status shown is the one recorded then."""
        return self.day < self.asked

    def words(self) -> str:
        """``"30 Jun 2025"``, or ``"9 Mar 2026, the data's as-of date"`` when capped (map legend, popups, figure)."""
        return f"{format_day(self.day)}, the data's as-of date" if self.capped else format_day(self.day)


def status_day(end: dt.date | None, today: dt.date, as_of: dt.date | None) -> StatusDay:
    """The day place status is shown for: the filter's end date (``end``), else ``today`` -- but never after the
    data's as-of date.

    Nothing is recorded after the as-of date: a later day's status would be a guess presented as fact (a period
    "recorded until" the last report would simply have ended). So the status shown is the one of the as-of date,
    and its words say so.

    Parameters
    ----------
    end : datetime.date or None
        The filter's end date.
    today : datetime.date
        The day used when the filter has no end (the day the page or figure is made).
    as_of : datetime.date or None
        The data's as-of date (:func:`geodata.data_as_of`); None when unknown (no cap).

    Returns
    -------
    StatusDay
    """
    asked = end if end is not None else today
    return StatusDay(day=min(asked, as_of) if as_of is not None else asked, asked=asked)


def periods_of(status: pd.DataFrame, place_id: str) -> pd.DataFrame:
    """All recorded periods of one place, oldest first (for a details panel)."""
    return status[status["place_id"] == place_id].sort_values("start").reset_index(drop=True)


#: Columns of :func:`places_on`.
PLACES_ON_COLUMNS = ("place_id", "title", "event_type", "opened", "status", "since", "until", "note",
                     "source_title", "source_url")


def places_on(places: pd.DataFrame, status: pd.DataFrame, date: dt.date | pd.Timestamp) -> pd.DataFrame:
    """Every crossing and market with its recorded status on a date, since when, and that period's source.

    Parameters
    ----------
    places : pandas.DataFrame
        Events (:func:`geodata.load_events`); only the crossings and markets are used.
    status : pandas.DataFrame
        Periods as returned by :func:`load_place_status`.
    date : datetime.date or pandas.Timestamp
        The day asked about (cap it with :func:`status_day` first: nothing is recorded after the as-of date).

    Returns
    -------
    pandas.DataFrame
        One row per place, in the order of ``places``, with the columns of :data:`PLACES_ON_COLUMNS`: ``opened``
        is the place's own start date (NaT when undated), ``status`` is ``open``/``closed``/``restricted``, or
        ``""`` when no period covers the day; ``since`` and ``until`` are that period's start and end (``until``
        NaT while it lasts or when there is no period); ``note`` and the source are the period's.
    """
    rows = places[models_is_place(places["event_type"]).to_numpy()]
    on_day = periods_on(status, date)
    on_day = on_day[~on_day.index.duplicated()]
    ids = rows["id"].astype(str)
    found = on_day.reindex(ids.to_numpy())
    out = pd.DataFrame({
        "place_id": ids.to_numpy(),
        "title": rows["title"].astype("string").fillna("").to_numpy(),
        "event_type": rows["event_type"].astype(str).to_numpy(),
        "opened": pd.to_datetime(rows["period_start"]).to_numpy(),
        "status": found["status"].astype("string").fillna("").to_numpy(),
        "since": found["start"].to_numpy(),
        "until": found["end"].to_numpy(),
    })
    for column in ("note", "source_title", "source_url"):
        out[column] = found[column].astype("string").fillna("").to_numpy()
    return out[list(PLACES_ON_COLUMNS)]

"""Compare two periods: how many incidents and reported fatalities in period A against period B, overall and
broken down by type, province, side of the border, actor and place. Pure pandas, no UI.

Period B is the filter's date range; period A is chosen by a :data:`MODES` word or given outright:

* ``prev``: the period of the same length that ends the day before B starts;
* ``year``: the same dates a year earlier (29 February becomes 28 February);
* ``YYYY-MM-DD..YYYY-MM-DD``: those dates.

Both periods keep every other part of the filter (types, provinces, fatalities, ...). An incident belongs to a
period when its own dates overlap it, exactly as the date filter reads it (:func:`geodata.filter_mask`), so an
incident spanning the two periods' boundary counts in both. Crossings and markets are places, not incidents:
they are left out of every count here (their status on a date is :mod:`geodata.status`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .actors import load_actors
from .boundaries import province_names
from .days import format_day
from .filtering import filter_dates, filter_mask
from .models import PLACE_TYPES, EventFilter, EventType

#: Period A named by a word: the previous period of the same length, or the same dates a year earlier.
MODES = ("prev", "year")
_EXPLICIT = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
#: The breakdowns a :class:`Comparison` holds, in the order pages show them.
DIMENSIONS = ("type", "province", "side", "actor", "place")
#: The columns of every breakdown table.
TABLE_COLUMNS = ("key", "label", "events_a", "events_b", "events_change", "events_pct",
                 "fatalities_a", "fatalities_b", "fatalities_change", "fatalities_pct")

Period = tuple[dt.date, dt.date]


def parse_compare(text: str | None) -> str | Period | None:
    """Period A as a link writes it.

    Parameters
    ----------
    text : str or None
        ``"prev"``, ``"year"`` or ``"YYYY-MM-DD..YYYY-MM-DD"`` (start not after end).

    Returns
    -------
    str, tuple of two datetime.date, or None
        The mode word, the explicit dates, or None when ``text`` is empty or malformed.
    """
    text = str(text or "").strip().lower()
    if text in MODES:
        return text
    match = _EXPLICIT.match(text)
    if not match:
        return None
    try:
        start, end = dt.date.fromisoformat(match.group(1)), dt.date.fromisoformat(match.group(2))
    except ValueError:
        return None
    return (start, end) if start <= end else None


def compare_param(spec: str | Period | None) -> str | None:
    """The link's form of a spec from :func:`parse_compare` (its inverse); None for no comparison."""
    if spec is None:
        return None
    if isinstance(spec, str):
        return spec
    return f"{spec[0].isoformat()}..{spec[1].isoformat()}"


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_a(spec: str | Period, b: Period) -> Period:
    """Period A for the spec and period B.

    Parameters
    ----------
    spec : str or tuple of two datetime.date
        ``"prev"``, ``"year"`` or explicit dates (see :func:`parse_compare`).
    b : tuple of two datetime.date
        Period B, inclusive.

    Returns
    -------
    tuple of two datetime.date
        Inclusive. ``prev`` has as many days as B and ends the day before B starts.
    """
    if isinstance(spec, tuple):
        return spec
    if spec == "prev":
        days = (b[1] - b[0]).days + 1
        return b[0] - dt.timedelta(days=days), b[0] - dt.timedelta(days=1)
    if spec == "year":
        return _year_earlier(b[0]), _year_earlier(b[1])
    raise ValueError(f"compare must be one of {', '.join(MODES)} or two dates, got {spec!r}")


def period_b(events: pd.DataFrame, flt: EventFilter) -> Period | None:
    """Period B: the filter's dates, a side it leaves open closed at the oldest or newest day of the dated
    incidents of ``events`` (None when there is none to close it with)."""
    if flt.start is not None and flt.end is not None:  # no need to look at the rows
        return filter_dates(flt, events)
    return filter_dates(flt, events[~events["event_type"].isin(PLACE_TYPES)])


def period_words(period: Period) -> str:
    """"1 Jan 2024 – 31 Dec 2024"."""
    return f"{format_day(period[0])} – {format_day(period[1])}"


def _pct(a: pd.Series, b: pd.Series) -> pd.Series:
    a = a.astype(float)
    return ((b - a) / a.where(a > 0) * 100).round(1)


def _table(a_rows: pd.DataFrame, b_rows: pd.DataFrame, keys_a: pd.Series, keys_b: pd.Series,
           labels: dict | None = None) -> pd.DataFrame:
    # numpy bincounts over one factorisation of both periods' keys: a pandas groupby per table cost ~30 ms each.
    keys = np.concatenate([np.asarray(keys_a.astype("string").fillna(""), dtype=object),
                           np.asarray(keys_b.astype("string").fillna(""), dtype=object)])
    deaths = np.concatenate([a_rows["fatalities"].astype("Float64").fillna(0).to_numpy(dtype=float),
                             b_rows["fatalities"].astype("Float64").fillna(0).to_numpy(dtype=float)])
    in_b = np.arange(len(keys)) >= len(keys_a)
    codes, uniques = pd.factorize(keys)
    n = len(uniques)
    out = pd.DataFrame({"key": np.asarray(uniques, dtype=object).astype(str)})
    for what, weights in (("events", None), ("fatalities", deaths)):
        for suffix, part in (("a", ~in_b), ("b", in_b)):
            w = None if weights is None else weights[part]
            out[f"{what}_{suffix}"] = np.rint(np.bincount(codes[part], weights=w, minlength=n)).astype(int)
        out[f"{what}_change"] = out[f"{what}_b"] - out[f"{what}_a"]
        out[f"{what}_pct"] = _pct(out[f"{what}_a"], out[f"{what}_b"])
    out = out[out["key"] != ""]
    out["label"] = out["key"].map(lambda k: (labels or {}).get(k, k))
    order = np.lexsort((out["key"].to_numpy(), -out["events_b"].to_numpy(), -out["events_change"].abs().to_numpy()))
    return out.iloc[order].reset_index(drop=True)[list(TABLE_COLUMNS)]


def _actor_keys(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    ids = rows["actor_ids"].astype("string").fillna("").str.split(";")
    exploded = ids.explode()
    return rows.loc[exploded.index], exploded.str.strip()


def _place_keys(rows: pd.DataFrame) -> pd.Series:
    district = rows.get("district", pd.Series(pd.NA, index=rows.index)).astype("string").fillna("").str.strip()
    province = rows["province"].astype("string").fillna("").str.strip()
    return (district.where(district != "", "(no district)") + ", " + province.where(province != "", "?"))


@dataclass(frozen=True)
class Comparison:
    """Incidents and reported fatalities in period ``a`` against period ``b`` (the filter's dates).

    ``totals`` is one row (key ``all``) and ``tables`` one table per :data:`DIMENSIONS` entry, each with the
    columns of :data:`TABLE_COLUMNS`: counts in A and B, the change B − A and the change in per cent of A (NaN
    when A is 0). Fatalities are the sum of best estimates (an incident without a figure adds 0). In the actor
    table an incident counts once for each actor named in it, fatalities included; the ``actor`` table is empty
    when the events have no ``actor_ids`` column. ``a_mask`` and ``b_mask`` mark the incidents of ``events``
    in each period.
    """

    a: Period
    b: Period
    totals: pd.DataFrame
    tables: dict
    a_mask: np.ndarray
    b_mask: np.ndarray

    def table(self, dimension: str) -> pd.DataFrame:
        """The breakdown by ``dimension`` (one of :data:`DIMENSIONS`)."""
        return self.tables[dimension]

    def total(self, column: str) -> int | float:
        """One number of the overall row, e.g. ``total("events_b")``; NaN for an undefined per cent."""
        return self.totals[column].iloc[0]

    def words(self) -> str:
        """The comparison in one plain sentence (no markup), e.g. "1 Jan 2024 – 31 Dec 2024: 10 incidents, 65
        reported fatalities; 1 Jan 2023 – 31 Dec 2023: 6 incidents, 25 fatalities. Change: +4 incidents (+67%),
        +40 fatalities (+160%).", followed by the place with the largest change when there is one."""
        t = self.totals.iloc[0]
        text = (f"{period_words(self.b)}: {_n(t['events_b'], 'incident')}, {t['fatalities_b']} reported "
                f"fatalities; {period_words(self.a)}: {_n(t['events_a'], 'incident')}, {t['fatalities_a']} "
                f"fatalities. Change: {change_words(t['events_change'], t['events_pct'], 'incident')}, "
                f"{change_words(t['fatalities_change'], t['fatalities_pct'], 'fatality', 'fatalities')}.")
        places = self.tables["place"]
        if len(places) and places["events_change"].iloc[0] != 0:
            top = places.iloc[0]
            text += (f" Largest change: {top['label']}, {top['events_a']} → {top['events_b']} "
                     f"incident{'' if int(top['events_b']) == 1 else 's'}.")
        return text


def _n(count, noun: str) -> str:
    return f"{int(count)} {noun}{'' if int(count) == 1 else 's'}"


def change_words(change, pct, noun: str, plural: str | None = None) -> str:
    """"+4 incidents (+67%)", "−2 fatalities (−10%)", "no change in incidents", "+3 incidents (none before)"."""
    plural = plural or noun + "s"
    if change == 0:
        return f"no change in {plural}"
    sign = "+" if change > 0 else "−"
    rel = "none before" if pd.isna(pct) else f"{sign}{abs(pct):.0f}%"
    return f"{sign}{abs(int(change))} {noun if abs(change) == 1 else plural} ({rel})"


def compare_periods(events: pd.DataFrame, flt: EventFilter, a: Period, b: Period | None = None,
                    events_a: pd.DataFrame | None = None) -> Comparison:
    """Count the incidents passing ``flt`` in period A against period B.

    Parameters
    ----------
    events : pandas.DataFrame
        Enriched events (:func:`geodata.load_events`); crossings and markets are left out.
    flt : geodata.EventFilter
        The filter; its dates are replaced by each period's.
    a : tuple of two datetime.date
        Period A, inclusive (:func:`period_a`).
    b : tuple of two datetime.date, optional
        Period B, inclusive; default :func:`period_b` of ``events`` and ``flt``.
    events_a : pandas.DataFrame, optional
        Where to count period A when ``events`` do not hold its rows (a team store's page of period B); its
        rows' mask is then not part of ``a_mask``, which stays all False.

    Returns
    -------
    Comparison

    Raises
    ------
    ValueError
        When ``b`` is not given and ``events`` have no dated incident to close an open filter with.
    """
    if b is None:
        b = period_b(events, flt)
        if b is None:
            raise ValueError("no period B: the filter has open dates and no dated incident closes them")
    incident = ~events["event_type"].isin(PLACE_TYPES).to_numpy()
    b_mask = incident & filter_mask(events, replace(flt, start=b[0], end=b[1]))
    if events_a is None:
        a_mask = incident & filter_mask(events, replace(flt, start=a[0], end=a[1]))
        a_rows = events[a_mask]
    else:
        a_mask = np.zeros(len(events), dtype=bool)
        keep = ~events_a["event_type"].isin(PLACE_TYPES).to_numpy()
        a_rows = events_a[keep & filter_mask(events_a, replace(flt, start=a[0], end=a[1]))]
    b_rows = events[b_mask]
    everything = pd.Series("all", index=a_rows.index), pd.Series("all", index=b_rows.index)
    totals = _table(a_rows, b_rows, *everything)
    if totals.empty:
        totals = pd.DataFrame([{**dict.fromkeys(TABLE_COLUMNS, 0), "key": "all", "label": "all",
                                "events_pct": np.nan, "fatalities_pct": np.nan}])[list(TABLE_COLUMNS)]
    type_labels = {t.value: t.label for t in EventType}
    tables = {
        "type": _table(a_rows, b_rows, a_rows["event_type"].astype(str), b_rows["event_type"].astype(str),
                       type_labels),
        "province": _table(a_rows, b_rows, a_rows["province"].astype("string"), b_rows["province"].astype("string"),
                           {code: f"{name} ({code})" for code, name in province_names().items()}),
        "side": _table(a_rows, b_rows, a_rows["side"].astype("string"), b_rows["side"].astype("string"),
                       {"PK": "Pakistan side", "IR": "Iran side", "AF": "Afghanistan side"}),
        "place": _table(a_rows, b_rows, _place_keys(a_rows), _place_keys(b_rows)),
    }
    if "actor_ids" in a_rows and "actor_ids" in b_rows:
        (ra, ka), (rb, kb) = _actor_keys(a_rows), _actor_keys(b_rows)
        tables["actor"] = _table(ra, rb, ka, kb, load_actors()["name"].astype(str).to_dict())
    else:
        tables["actor"] = pd.DataFrame(columns=list(TABLE_COLUMNS))
    return Comparison(a=a, b=b, totals=totals, tables=tables, a_mask=a_mask, b_mask=b_mask)

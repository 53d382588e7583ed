"""Checks of curated rows against themselves and a gazetteer: the mistakes a fact-check found (issue #24).

These are warnings, never errors: each names a row and a field for a curator to look at. They run in
``python -m geodata validate`` and on the shipped data in the test suite, not on every import (an analyst's file is
not held to our curation rules). Every check works on the enriched, typed events of
:func:`geodata.check_events` / :func:`geodata.load_events`.

* a distance written in the description that disagrees with the point (to the border, or to a gazetteer town);
* two rows of the same type within :data:`NEAR_DAYS` days and :data:`NEAR_DEGREES` degrees;
* a ``town``-precision point more than :data:`TOWN_TOLERANCE_KM` from the town its title (else description) names;
* an incident dated before the stated scope (:data:`SCOPE_START`);
* a row whose description says no one died while ``fatalities`` is empty, or 0 without saying so;
* a source dated more than :data:`REPOST_DAYS` days after the event (a repost or a retrospective).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import numpy as np
import pandas as pd

from .models import EventType, Problem
from .towns import load_towns

#: The stated scope (SOURCES.md): incidents from this day. Places and diplomacy at the border are kept whatever
#: their date.
SCOPE_START = dt.date(2019, 1, 1)
#: A described distance may differ from the computed one by this much before a warning (sources round).
DISTANCE_TOLERANCE_KM = 10.0
#: Two rows of one type this close in days and in degrees (both lat and lon) may be one event entered twice; so may
#: two rows of any type on one day at one point (:data:`SAME_POINT_DEGREES`).
NEAR_DAYS = 3
NEAR_DEGREES = 0.2
SAME_POINT_DEGREES = 0.01
#: A ``town`` point stands on its town: further than this from the town it names is a warning.
TOWN_TOLERANCE_KM = 5.0
#: A name matched in the text whose nearest gazetteer place is further than this is another place of that name
#: (Pishin in Pishin District, ~700 km from the Pishin on the Iranian border): not the town meant.
HOMONYM_KM = 150.0
#: A source dated this many days after the event is probably a repost or a retrospective: read the original.
REPOST_DAYS = 365

_PLACES = {EventType.BORDER_CROSSING.value, EventType.BORDER_MARKET.value}
_EXEMPT_FROM_SCOPE = _PLACES | {EventType.DIPLOMATIC.value}
_NUMBER = r"(\d+(?:\.\d+)?)"
_BORDER_DISTANCE = re.compile(_NUMBER + r"\s*km\s+(?:from|of)\s+the\s+(?:[A-Z][a-z]+\s+)?border(?!\s+crossing)")
_TOWN_DISTANCE = re.compile(
    _NUMBER + r"\s*km\s+(?:(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+)?"
    r"(?:from|of)\s+([A-Z][A-Za-z-]+)")
#: Words that say nobody died (fatalities is then 0) and words that say the page gives no toll (it is then empty):
#: the SOURCES.md rule, so that "no death reported" is written one way.
_NONE_DIED = re.compile(
    r"\bno(?: one|body|-one) (?:died|was killed|were killed|is reported killed)\b|\bno deaths?\b|\bno casualties\b"
    r"|\bno death was reported\b|\bwithout casualties\b", re.IGNORECASE)
_NO_TOLL = re.compile(
    r"\b(?:gives|reports|mentions) no (?:toll|casualt|death)|\bno (?:toll|death toll)\b|\b(?:toll|count) is left empty\b"
    r"|\bno casualt(?:y|ies)(?: figures?)? (?:are|is|were) (?:reported|given|mentioned)", re.IGNORECASE)
_URL_DATE = re.compile(r"(?<!\d)(20\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?!\d)")


#: Spellings the curated descriptions use for gazetteer places that GeoNames writes otherwise.
TOWN_ALIASES = {"Rasak": ("Rask",), "Qasr-e Qand": ("Qasr-e-Qand",)}


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=1)
def load_gazetteer() -> pd.DataFrame:
    """The shipped town gazetteer (:func:`geodata.towns.load_towns`, GeoNames; see ``geodata/data/SOURCES.md``)
    as the checks read it.

    Returns
    -------
    pandas.DataFrame
        One row per place: ``name`` (ASCII), ``aliases`` ("|"-separated: :data:`TOWN_ALIASES`), ``country``,
        ``lat``, ``lon``.
    """
    towns = load_towns()
    names = towns["name"].map(_ascii)
    return pd.DataFrame({
        "name": names,
        "aliases": names.map(lambda n: "|".join(TOWN_ALIASES.get(n, ()))),
        "country": towns["country"], "lat": towns["lat"], "lon": towns["lon"],
    })


def town_names(gazetteer: pd.DataFrame) -> dict[str, list[tuple[float, float]]]:
    """Every name and alias of ``gazetteer`` (lower case) mapped to the (lat, lon) of each place so called."""
    names: dict[str, list[tuple[float, float]]] = {}
    for row in gazetteer.itertuples():
        for name in [row.name, *filter(None, str(row.aliases).split("|"))]:
            names.setdefault(name.lower(), []).append((float(row.lat), float(row.lon)))
    return names


def _km_to_named(lat: float, lon: float, places: list[tuple[float, float]]) -> float:
    """Distance from (lat, lon) to the nearest place of a name."""
    return min(float(km_between(lat, lon, *place)) for place in places)


def km_between(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (haversine on a 6,371 km sphere); works element-wise on arrays."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype="float64")) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


def source_date(url: str) -> dt.date | None:
    """The publication day written in a source address (``/2021/05/10/``, ``2021-05-10``, ``20210510``), if any."""
    match = _URL_DATE.search(str(url or ""))
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _named_towns(text: str, names: Mapping[str, list]) -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z-]*", text or "")
    found = [w.lower() for w in words if w.lower() in names]
    return list(dict.fromkeys(found))


def curation_warnings(events: pd.DataFrame, row_numbers: Mapping[str, int] | None = None,
                      gazetteer: pd.DataFrame | None = None) -> list[Problem]:
    """Warnings for the curation mistakes listed in this module's docstring.

    Parameters
    ----------
    events : pandas.DataFrame
        Enriched, typed events (:func:`geodata.check_events`): ``id``, ``event_type``, ``title``, ``date``,
        ``period_end``, ``location_precision``, ``fatalities``, ``description``, ``source_url``, ``lat``, ``lon``,
        ``distance_to_border_km``; a ``source_date`` column, when present, is used before a date in the address.
    row_numbers : mapping of str to int, optional
        Each id's row number in the user's file; by default position + 2 (a CSV with a header line).
    gazetteer : pandas.DataFrame, optional
        Towns as :func:`load_gazetteer` gives them (the default).

    Returns
    -------
    list of Problem
        Warnings, sorted by row.
    """
    frame = events.reset_index(drop=True)
    ids = frame["id"].astype(str).tolist()
    rows = [row_numbers.get(i, n + 2) if row_numbers else n + 2 for n, i in enumerate(ids)]
    names = town_names(load_gazetteer() if gazetteer is None else gazetteer)
    out: list[Problem] = []

    def warn(pos: int, field: str, message: str) -> None:
        out.append(Problem(rows[pos], field, message, "warning", ids[pos]))

    _distances(frame, names, warn)
    _near_duplicates(frame, rows, warn)
    _town_points(frame, names, warn)
    _scope_and_toll(frame, warn)
    _reposts(frame, warn)
    return sorted(out, key=lambda p: (p.row or 0, p.field, p.message))


def _text(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame:
        return [""] * len(frame)
    return frame[column].astype("string").fillna("").tolist()


def _distances(frame, names, warn) -> None:
    border = frame["distance_to_border_km"].to_numpy(dtype="float64", na_value=np.nan)
    lat, lon = frame["lat"].to_numpy(dtype="float64"), frame["lon"].to_numpy(dtype="float64")
    for pos, text in enumerate(_text(frame, "description")):
        for match in _BORDER_DISTANCE.finditer(text):
            said = float(match.group(1))
            if np.isfinite(border[pos]) and abs(said - border[pos]) > DISTANCE_TOLERANCE_KM:
                warn(pos, "description", f"says {said:g} km from the border but the point is "
                                         f"{border[pos]:.1f} km from it")
        for match in _TOWN_DISTANCE.finditer(text):
            places = names.get(match.group(2).lower())
            if places is None:
                continue
            said, actual = float(match.group(1)), _km_to_named(lat[pos], lon[pos], places)
            if actual <= HOMONYM_KM + said and abs(said - actual) > DISTANCE_TOLERANCE_KM:
                warn(pos, "description", f"says {said:g} km from {match.group(2)} but the point is "
                                         f"{actual:.1f} km from it")


def _near_duplicates(frame, rows, warn) -> None:
    dated = frame[frame["date"].notna()].sort_values("date", kind="stable")
    days = dated["date"].to_numpy(dtype="datetime64[D]")
    lat, lon = dated["lat"].to_numpy(), dated["lon"].to_numpy()
    types = dated["event_type"].astype(str).to_numpy()
    positions = dated.index.to_numpy()
    for a in range(len(dated)):  # rows sorted by day: only the next few can be within NEAR_DAYS
        b = a + 1
        while b < len(dated) and (days[b] - days[a]) <= np.timedelta64(NEAR_DAYS, "D"):
            gap = max(abs(lat[b] - lat[a]), abs(lon[b] - lon[a]))
            apart = int((days[b] - days[a]) / np.timedelta64(1, "D"))
            same_type = types[a] == types[b] and gap <= NEAR_DEGREES
            if same_type or (apart == 0 and gap <= SAME_POINT_DEGREES):
                first = positions[a]
                kind = "same type as" if same_type else "same day and point as"
                warn(positions[b], "date", f"{kind} row {rows[first]} (id {frame.at[first, 'id']}): {apart} day(s) "
                                           f"and {gap:.2f}° apart; one event entered twice?")
            b += 1


def _town_points(frame, names, warn) -> None:
    precision = _text(frame, "location_precision")
    titles, descriptions = _text(frame, "title"), _text(frame, "description")
    lat, lon = frame["lat"].to_numpy(dtype="float64"), frame["lon"].to_numpy(dtype="float64")
    types = _text(frame, "event_type")
    for pos in range(len(frame)):
        # A crossing or market is named after the towns on both sides and stands on one of them.
        if precision[pos] != "town" or types[pos] in _PLACES:
            continue
        gaps = {}
        for text in (titles[pos], descriptions[pos]):
            gaps = {town: _km_to_named(lat[pos], lon[pos], names[town]) for town in _named_towns(text, names)}
            gaps = {town: gap for town, gap in gaps.items() if gap <= HOMONYM_KM}
            if gaps:
                break
        if gaps and min(gaps.values()) > TOWN_TOLERANCE_KM:
            town, gap = min(gaps.items(), key=lambda item: item[1])
            warn(pos, "lat", f"town precision but {gap:.1f} km from {town.title()}, the nearest town it names "
                             f"(more than {TOWN_TOLERANCE_KM:g} km)")


def _scope_and_toll(frame, warn) -> None:
    types = _text(frame, "event_type")
    dates = frame["date"]
    fatalities = pd.to_numeric(frame["fatalities"], errors="coerce").astype("float64")
    for pos, text in enumerate(_text(frame, "description")):
        day = dates.iat[pos]
        if pd.notna(day) and types[pos] not in _EXEMPT_FROM_SCOPE and day.date() < SCOPE_START:
            warn(pos, "date", f"{day:%Y-%m-%d} is before the stated scope (incidents from "
                              f"{SCOPE_START:%d %B %Y})")
        says_none = bool(_NONE_DIED.search(text)) and not _NO_TOLL.search(text)
        toll = fatalities.iat[pos]
        if says_none and pd.isna(toll):
            warn(pos, "fatalities", "is empty but the description says no one died: write 0 (SOURCES.md)")
        elif toll == 0 and not says_none:
            warn(pos, "fatalities", "is 0 but the description does not say that no one died (empty means "
                                    "not reported)")


def _reposts(frame, warn) -> None:
    urls = _text(frame, "source_url")
    given = _text(frame, "source_date")
    ends = frame["period_end"] if "period_end" in frame else frame["date"]
    for pos, url in enumerate(urls):
        end = ends.iat[pos]
        if pd.isna(end):
            continue
        published = None
        if given[pos]:
            try:
                published = dt.date.fromisoformat(given[pos].strip())
            except ValueError:
                published = None
        published = published or source_date(url)
        if published is not None and (published - end.date()).days > REPOST_DAYS:
            warn(pos, "source_url", f"the source is dated {published:%Y-%m-%d}, {(published - end.date()).days} "
                                    f"days after the event: a repost or retrospective? cite the original report")

"""Downloads of the filtered events: CSV and GeoJSON (written by :mod:`geodata.writers`) and their file names.

No streamlit import: the app wraps these in download buttons, and anything else can call them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from geodata import EventFilter, EventType
from geodata.writers import (  # re-exported: the app and tests use them from here (F401 configured)
    EXPORT_COLUMNS,
    EXPORT_DERIVED_COLUMNS,
    events_to_csv,
    events_to_geojson,
)

#: Longest download name, extension included: far under any file system's limit, still readable in a list.
MAX_NAME = 100
#: Longest part of the name taken from the filter's search text.
MAX_SEARCH = 24
_ALL_TYPES = frozenset(t.value for t in EventType)
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def _safe(text: str) -> str:
    """``text`` in [A-Za-z0-9_.-]: accented letters keep their letter, any other run of characters is one ``-``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", ascii_text).strip("-._")


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _search_part(text: str) -> str:
    """``search-<words>``; text cut short or not in Latin letters also carries a digest of itself, so two
    different searches never share a name."""
    words = _safe(text)
    short = words[:MAX_SEARCH].strip("-._")
    exact = short == words and text.isascii()
    return "-".join(p for p in ("search", short, None if exact else _digest(text)) if p)


def _filter_parts(flt: EventFilter) -> list[str]:
    """One name part per active field of the filter."""
    parts = []
    if flt.start or flt.end:
        parts.append(f"{flt.start or 'start'}_{flt.end or 'latest'}")
    if flt.event_types is not None and set(flt.event_types) != _ALL_TYPES:
        parts.append("-".join(flt.event_types) or "no-types")
    parts += ["-".join(values) for values in (flt.countries, flt.provinces, flt.location_precisions) if values]
    if flt.min_fatalities:
        parts.append(f"min-{flt.min_fatalities}-killed")
    if flt.max_distance_km is not None:
        parts.append(f"within-{flt.max_distance_km:g}km")
    if flt.text:
        parts.append(_search_part(flt.text))
    if flt.actors:
        parts.append("actors-" + "-".join(flt.actors))
    return parts


def _view_part(center: tuple[float, float], zoom: int) -> str:
    lat, lon = (float(c) for c in center)
    return f"view-{abs(lat):.2f}{'N' if lat >= 0 else 'S'}-{abs(lon):.2f}{'E' if lon >= 0 else 'W'}-z{int(zoom)}"


def export_filename(flt: EventFilter | None, ext: str, *, stem: str = "border-events", view: bool = False,
                    at: tuple[tuple[float, float], int] | None = None, as_of: dt.date | None = None) -> str:
    """A download name that says what the file shows.

    E.g. ``border-briefing_2024-01-01_2024-12-31_attack-clash_view-26.00N-63.05E-z9.png`` or
    ``border-events_2024-01-01_2024-12-31_data-as-of-2026-03-09.csv``.

    The one rule for the names of every download: two different filters, or two different map views framed, give
    two different names, so one download never overwrites another.

    Parameters
    ----------
    flt : geodata.EventFilter or None
        The active filter: its dates, its types (when not all), countries, provinces, precision, fatality and
        distance limits and search text go into the name.
    ext : str
        Extension without the dot (``csv``, ``geojson``, ``png``, ...).
    stem : str
        Leading part of the name.
    view : bool
        The file frames the web map's view (not the whole filtered set): ``_view`` at the end.
    at : ((lat, lon), zoom), optional
        That view's centre and zoom, as the link carries them: ``_view-26.00N-63.05E-z9``.
    as_of : datetime.date, optional
        The data's as-of date (a plain CSV has no other place for it): ``_data-as-of-2026-03-09``.

    Returns
    -------
    str
        Only ``[A-Za-z0-9._-]``, at most :data:`MAX_NAME` characters; a name that had to be cut ends with a
        digest of the whole, so it stays distinct.
    """
    parts = [_safe(stem) or "border"] + [_safe(p) for p in (_filter_parts(flt) if flt is not None else [])]
    if view:
        parts.append("view" if at is None else _view_part(*at))
    if as_of is not None:
        parts.append(f"data-as-of-{as_of.isoformat()}")
    name = "_".join(p for p in parts if p)
    ext = re.sub(r"[^A-Za-z0-9]+", "", ext)[:8] or "dat"
    room = MAX_NAME - len(ext) - 1
    if len(name) > room:
        name = name[: room - 9].rstrip("-._") + "-" + _digest(name)
    return f"{name}.{ext}"

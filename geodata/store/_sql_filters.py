"""An EventFilter (and a bounding box) as a SQL condition, with the same meaning as geodata.filter_mask."""

from __future__ import annotations

from ..models import EventFilter, EventType
from .base import BBox

#: The text searched by the text filter; the same expression is indexed (migration 0002), so it must match it.
SEARCH_TEXT = "lower(coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(actors, ''))"
#: "The newest first": by date (undated rows last), then the last added first. Index events_newest_idx (0004)
#: holds the active rows in this order, so the newest N of everything is read without sorting the table.
NEWEST_FIRST = "date DESC NULLS LAST, seq DESC"
#: The event types that are places (crossings and markets) rather than incidents.
PLACE_TYPES = tuple(t.value for t in EventType if t.is_place)


def _like_term(term: str) -> str:
    # LIKE treats % and _ as wildcards and \ as its escape: a searched word matches only itself.
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"

def where_clause(flt: EventFilter | None, bbox: BBox | None = None) -> tuple[str, dict]:
    """The SQL condition (placeholders ``%(name)s``) and its parameters for active events passing the filter.

    Every value travels as a parameter; only fixed column names are written into the text.
    """
    parts = ["retired_at IS NULL"]
    params: dict = {}
    flt = flt or EventFilter()
    if flt.end is not None:
        # Undated places are taken as operating since before any window (as in filter_mask).
        parts.append("(period_start IS NULL OR period_start <= %(end)s)")
        params["end"] = flt.end
    if flt.start is not None:
        parts.append("(period_end IS NULL OR period_end >= %(start)s)")  # open-ended places still operate
        params["start"] = flt.start
    if flt.event_types is not None:
        parts.append("event_type = ANY(%(types)s)")
        params["types"] = list(flt.event_types)
    for name, column in (("countries", "country"), ("provinces", "province"),
                         ("location_precisions", "location_precision")):
        if getattr(flt, name):
            parts.append(f"{column} = ANY(%({name})s)")
            params[name] = list(getattr(flt, name))
    if flt.min_fatalities > 0:
        parts.append("fatalities >= %(min_fatalities)s")  # unknown fatalities drop out, as in filter_mask
        params["min_fatalities"] = int(flt.min_fatalities)
    if flt.max_distance_km is not None:
        parts.append("distance_to_border_km <= %(max_distance_km)s")
        params["max_distance_km"] = float(flt.max_distance_km)
    # Every word must appear; lower() here against casefold() in pandas differs only for a few letters (ß).
    for i, term in enumerate(flt.text.lower().split()):
        parts.append(f"{SEARCH_TEXT} LIKE %(term{i})s")
        params[f"term{i}"] = _like_term(term)
    if bbox is not None:
        minx, miny, maxx, maxy = (float(v) for v in bbox)
        parts.append("geom && ST_MakeEnvelope(%(minx)s, %(miny)s, %(maxx)s, %(maxy)s, 4326)")
        params.update(minx=minx, miny=miny, maxx=maxx, maxy=maxy)
    return " AND ".join(parts), params


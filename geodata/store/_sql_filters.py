"""An EventFilter (and a bounding box) as a SQL condition, with the same meaning as geodata.filter_mask.

Each field of :data:`geodata.filter_fields.FIELDS` writes its own clause next to its pandas mask.
"""

from __future__ import annotations

from ..filter_fields import FIELDS, SEARCH_SQL
from ..models import EventFilter
from .base import BBox

#: The text searched by the text filter; the same expression is indexed (migration 0002), so it must match it.
SEARCH_TEXT = SEARCH_SQL
#: "The newest first": by date (undated rows last), then the last added first. Index events_newest_idx (0004)
#: holds the active rows in this order, so the newest N of everything is read without sorting the table.
NEWEST_FIRST = "date DESC NULLS LAST, seq DESC"


def where_clause(flt: EventFilter | None, bbox: BBox | None = None) -> tuple[str, dict]:
    """The SQL condition (placeholders ``%(name)s``) and its parameters for active events passing the filter.

    Every value travels as a parameter; only fixed column names are written into the text.
    """
    parts = ["retired_at IS NULL"]
    params: dict = {}
    flt = flt or EventFilter()
    for f in FIELDS:
        parts += f.sql(flt, params)
    if bbox is not None:
        minx, miny, maxx, maxy = (float(v) for v in bbox)
        parts.append("geom && ST_MakeEnvelope(%(minx)s, %(miny)s, %(maxx)s, %(maxy)s, 4326)")
        params.update(minx=minx, miny=miny, maxx=maxx, maxy=maxy)
    return " AND ".join(parts), params

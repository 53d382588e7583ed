"""Downloads of the filtered events: CSV and GeoJSON (written by :mod:`geodata.writers`) and their file names.

No streamlit import: the app wraps these in download buttons, and anything else can call them.
"""

from __future__ import annotations

import re

from geodata import EventFilter
from geodata.writers import (  # noqa: F401  (re-exported: the app and tests use them from here)
    EXPORT_COLUMNS,
    EXPORT_DERIVED_COLUMNS,
    events_to_csv,
    events_to_geojson,
)


def export_filename(flt: EventFilter | None, ext: str, *, stem: str = "border-events") -> str:
    """A descriptive, filesystem-safe download name, e.g. ``border-events_2023-01-01_2024-12-31.csv``.

    Parameters
    ----------
    flt : geodata.EventFilter or None
        The active filter: its date window (and types, when few) go into the name.
    ext : str
        Extension without the dot (``csv``, ``geojson``, ``png``, ...).
    stem : str
        Leading part of the name.
    """
    parts = [stem]
    if flt is not None:
        if flt.start or flt.end:
            parts.append(f"{flt.start or 'start'}_{flt.end or 'latest'}")
        if flt.event_types is not None and 0 < len(flt.event_types) <= 3:
            parts.append("-".join(flt.event_types))
    name = "_".join(parts)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
    ext = re.sub(r"[^A-Za-z0-9]+", "", ext) or "dat"
    return f"{name}.{ext}"

"""Core of the Pakistan–Iran border-region dashboard: boundaries, curated events, validation, filters.

Pure Python on pandas/geopandas/shapely/pyproj. Never imports streamlit or folium.
"""

from .boundaries import load_border, load_countries, load_land, load_provinces, load_towns
from .events import EventDataError, check_events, combine_events, load_events, load_key_dates, read_table
from .filtering import filter_events, filter_mask
from .importers import ImportFormatError, ImportReport, import_events
from .models import (
    CRS,
    EVENT_COLUMNS,
    DatePrecision,
    EventFilter,
    EventType,
    LocationPrecision,
    Problem,
    ValidationReport,
)
from .validation import validate

__all__ = [
    "CRS",
    "EVENT_COLUMNS",
    "DatePrecision",
    "EventDataError",
    "EventFilter",
    "EventType",
    "ImportFormatError",
    "ImportReport",
    "LocationPrecision",
    "Problem",
    "ValidationReport",
    "check_events",
    "combine_events",
    "filter_events",
    "filter_mask",
    "import_events",
    "load_border",
    "load_countries",
    "load_events",
    "load_key_dates",
    "load_land",
    "load_provinces",
    "load_towns",
    "read_table",
    "validate",
]

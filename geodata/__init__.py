"""Core of the Pakistan–Iran border-region dashboard: boundaries, curated events, validation, filters.

Pure Python on pandas/geopandas/shapely/pyproj. Never imports streamlit or folium.
"""

from . import curation, filter_fields
from .boundaries import (
    in_study_area,
    load_border,
    load_countries,
    load_land,
    load_provinces,
    load_towns,
    province_names,
    study_area,
)
from .curation import curation_warnings
from .days import format_day, format_month
from .events import EventDataError, check_events, combine_events, load_events, load_key_dates, read_table
from .filter_words import describe_filter, parse_filter_words
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
from .provenance import DataAsOf, data_as_of
from .status import (
    PlaceStatusError,
    StatusDay,
    load_place_status,
    periods_of,
    periods_on,
    places_on,
    status_day,
    status_on,
)
from .validation import validate

__all__ = [
    "CRS",
    "EVENT_COLUMNS",
    "DataAsOf",
    "DatePrecision",
    "EventDataError",
    "EventFilter",
    "EventType",
    "ImportFormatError",
    "ImportReport",
    "LocationPrecision",
    "PlaceStatusError",
    "Problem",
    "StatusDay",
    "ValidationReport",
    "check_events",
    "combine_events",
    "curation_warnings",
    "data_as_of",
    "describe_filter",
    "filter_events",
    "filter_mask",
    "curation",
    "filter_fields",
    "format_day",
    "format_month",
    "import_events",
    "in_study_area",
    "load_border",
    "load_countries",
    "load_events",
    "load_key_dates",
    "load_land",
    "load_place_status",
    "load_provinces",
    "load_towns",
    "parse_filter_words",
    "periods_of",
    "province_names",
    "periods_on",
    "places_on",
    "read_table",
    "status_day",
    "status_on",
    "study_area",
    "validate",
]

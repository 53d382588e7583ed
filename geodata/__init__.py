"""Core of the Pakistan–Iran border-region dashboard: boundaries, curated events, validation, filters.

Pure Python on pandas/geopandas/shapely/pyproj. Never imports streamlit or folium.
"""

from .boundaries import load_border, load_countries, load_land, load_provinces, load_towns
from .models import CRS, EventFilter, EventType, Problem, ValidationReport

__all__ = [
    "CRS",
    "EventFilter",
    "EventType",
    "Problem",
    "ValidationReport",
    "load_border",
    "load_countries",
    "load_land",
    "load_provinces",
    "load_towns",
]

"""The only module with Streamlit caching: thin wrappers over the geodata loaders."""

from __future__ import annotations

import os

import geopandas as gpd
import pandas as pd
import streamlit as st

import geodata
from dashboard import map_view
from dashboard.map_view import BasemapLayers

#: Run the app on another event file (same columns as geodata/data/events.csv).
EVENTS_ENV = "BORDER_DASHBOARD_EVENTS"


@st.cache_resource(show_spinner=False)
def basemap_layers() -> BasemapLayers:
    """Boundary layers, read once per server process (they never change while it runs)."""
    return BasemapLayers(
        border=geodata.load_border(),
        provinces=geodata.load_provinces(),
        countries=geodata.load_countries(),
        land=geodata.load_land(),
    )


@st.cache_resource(show_spinner="Loading events…")
def _events(path: str | None) -> tuple[gpd.GeoDataFrame, geodata.ValidationReport]:
    table = geodata.read_table(geodata.events.shipped_events_path() if path is None else path)
    frame, report = geodata.check_events(table)
    # Escaped popup/tooltip HTML built once per dataset, not on every filter change.
    return map_view.with_presentation(frame), report


def events() -> tuple[gpd.GeoDataFrame, geodata.ValidationReport, str]:
    """(valid events, validation report, source label). Rows with errors are reported, never silently dropped.

    Shared across sessions: callers must not mutate the frame.
    """
    path = os.environ.get(EVENTS_ENV, "").strip() or None
    frame, report = _events(path)
    return frame, report, path or "curated dataset"


@st.cache_resource(show_spinner=False)
def key_dates() -> pd.DataFrame:
    return geodata.load_key_dates()


@st.cache_resource(show_spinner="Reading your file…", max_entries=8)
def imported(data: bytes, name: str) -> tuple[gpd.GeoDataFrame, geodata.ValidationReport, str]:
    """An uploaded file as validated events (keyed by its bytes). Raises geodata.ImportFormatError if unreadable."""
    frame, report, kind = geodata.import_events(data, name)
    return map_view.with_presentation(frame, dataset=name), report, kind

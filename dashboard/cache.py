"""The only module with Streamlit caching: thin wrappers over the geodata loaders."""

from __future__ import annotations

import streamlit as st

import geodata
from dashboard.map_view import BasemapLayers


@st.cache_resource(show_spinner=False)
def basemap_layers() -> BasemapLayers:
    """Boundary layers, read once per server process (they never change while it runs)."""
    return BasemapLayers(
        border=geodata.load_border(),
        provinces=geodata.load_provinces(),
        countries=geodata.load_countries(),
        land=geodata.load_land(),
    )

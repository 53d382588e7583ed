"""Entry point: ``streamlit run dashboard/app.py``. Page configuration and layout only."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard import cache, map_view  # noqa: E402

st.set_page_config(page_title="Pakistan–Iran border region", page_icon="🗺️", layout="wide")
st.title("Pakistan–Iran border region")
st.caption("Balochistan (PK-BA) and Sistan and Baluchestan (IR-13) on the Natural Earth 10m boundary.")

base = map_view.build_map(cache.basemap_layers())
st_folium(base, height=640, use_container_width=True, returned_objects=[])

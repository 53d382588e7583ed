"""The baseline page for the browser benchmark: a bare offline streamlit-folium map and nothing else.

Leaflet comes from the same registry package as in the app (as data: URLs), no tiles, no data: the least any
streamlit-folium page costs. ``streamlit run benchmarks/bare_map_app.py``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import folium
from streamlit_folium import st_folium

from dashboard import assets

m = folium.Map(location=[27.4, 62.3], zoom_start=7, tiles=None)
m.default_js = [("leaflet", assets.leaflet_js())]
m.default_css = [("leaflet_css", assets.leaflet_css())]
st_folium(m, key="map", height=620, width=None, returned_objects=["center", "zoom", "bounds"])

"""The peers of benchmarks/bench_peers.py: the smallest Streamlit page an analyst would write with another tool.

``BENCH_PEER`` chooses the map: ``pydeck`` (``st.pydeck_chart`` with a ScatterplotLayer, no base map), ``fastcluster``
(folium's FastMarkerCluster through streamlit-folium) or ``circles`` (one folium CircleMarker per event, with an
escaped tooltip). ``BENCH_EVENTS`` is the CSV (benchmarks/synthetic.py). The sidebar has one checkbox per event type,
labelled as in the app, so the benchmark makes the same change ("untick Attack"). Offline: Leaflet and
Leaflet.markercluster come from registry packages as data: URLs, no tiles; pydeck's deck.gl is Streamlit's own.

    BENCH_PEER=fastcluster BENCH_EVENTS=/tmp/events.csv streamlit run benchmarks/peer_app.py
"""

import html
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
import streamlit as st

from geodata import EventType

PEER = os.environ["BENCH_PEER"]
CENTER = (27.4, 62.3)


@st.cache_resource
def rows() -> pd.DataFrame:
    return pd.read_csv(os.environ["BENCH_EVENTS"], usecols=["id", "event_type", "lat", "lon", "title"])


events = rows()
st.sidebar.markdown("**Event types**")
ticked = [t.value for t in EventType if st.sidebar.checkbox(t.label, value=True, key=t.value)]
shown = events[events["event_type"].isin(ticked)]
st.caption(f"{len(shown):,} events")

if PEER == "pydeck":
    import pydeck as pdk

    layer = pdk.Layer("ScatterplotLayer", data=shown[["lon", "lat", "title"]], get_position=["lon", "lat"],
                      get_radius=1500, radius_min_pixels=2, get_fill_color=[200, 40, 30, 160], pickable=True)
    st.pydeck_chart(pdk.Deck(layers=[layer], map_style=None, tooltip={"text": "{title}"},
                             initial_view_state=pdk.ViewState(latitude=CENTER[0], longitude=CENTER[1], zoom=6)),
                    height=620)
else:
    import folium
    from folium.plugins import FastMarkerCluster
    from streamlit_folium import st_folium
    from xstatic.pkg import leaflet_markercluster

    from dashboard import assets

    m = folium.Map(location=CENTER, zoom_start=7, tiles=None)
    m.options["max_zoom"] = 18  # markercluster needs one, and without tiles the map has none
    m.default_js = [("leaflet", assets.leaflet_js())]
    m.default_css = [("leaflet_css", assets.leaflet_css())]
    if PEER == "fastcluster":
        base = Path(leaflet_markercluster.BASE_DIR)
        # Leaflet's own marker: folium's default callback uses Awesome Markers, which only a CDN serves.
        cluster = FastMarkerCluster(shown[["lat", "lon"]].to_numpy().tolist(),
                                    callback="function (row) { return L.marker(new L.LatLng(row[0], row[1])); }")
        cluster.default_js = [("markerclusterjs",
                               assets.data_url((base / "leaflet.markercluster.js").read_bytes(), "text/javascript"))]
        cluster.default_css = [(name, assets.data_url((base / name).read_bytes(), "text/css"))
                               for name in ("MarkerCluster.css", "MarkerCluster.Default.css")]
        cluster.add_to(m)
    else:
        for lat, lon, title in zip(shown["lat"], shown["lon"], shown["title"]):
            folium.CircleMarker((lat, lon), radius=4, weight=1, fill=True,
                                tooltip=html.escape(str(title))).add_to(m)
    st_folium(m, key="map", height=620, width=None, returned_objects=[])

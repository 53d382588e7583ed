"""The "Briefing and downloads" panel: report figure, filtered data, offline map, link to this view."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import briefing, exports, map_view, query_codec
from dashboard.query_codec import ViewState
from dashboard.settings import Settings

SIZES = {"slide": "Slide 16:9", "a4": "A4 landscape"}
FORMATS = {"png": "image/png", "pdf": "application/pdf", "svg": "image/svg+xml"}


def share_link(view: ViewState, default_basemap: str) -> str:
    """Absolute link that reproduces this view (filters, basemap, map centre and zoom, selection)."""
    base = (st.context.url or "").split("?", 1)[0] or "/"
    query = urlencode(query_codec.encode(view, default_basemap=default_basemap))
    return f"{base}?{query}" if query else base


def view_extent(bounds) -> tuple[float, float, float, float] | None:
    """(minlon, minlat, maxlon, maxlat) of the web map's last reported view, if known."""
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]
        box = (float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"]))
    except (KeyError, TypeError, ValueError):
        return None
    return box if box[0] < box[2] and box[1] < box[3] else None


def render(events, shown: pd.DataFrame, view: ViewState, layers, bounds, default_basemap: str) -> None:
    stamp = dt.date.today().isoformat()
    st.markdown("**Briefing figure** — title, filters in words, legend, scale bar, north arrow, attribution, as-of date.")
    a, b, c, d = st.columns([3, 2, 1, 2])
    title = a.text_input("Figure title", value=briefing.DEFAULT_TITLE, max_chars=120, key="fig_title")
    size = b.selectbox("Size", options=list(SIZES), format_func=SIZES.get, key="fig_size")
    fmt = c.selectbox("Format", options=list(FORMATS), format_func=str.upper, key="fig_format")
    extent_choice = d.radio("Extent", options=["view", "events"], key="fig_extent", horizontal=True,
                            format_func={"view": "Map view", "events": "Filtered events"}.get)
    extent = view_extent(bounds) if extent_choice == "view" else "events"
    if extent is None:
        extent = "events"
        st.caption("The map has not reported its view yet: the figure frames the filtered events.")

    def figure() -> bytes:
        return briefing.render_briefing(events, view.flt, title=title, size=size, fmt=fmt, extent=extent)

    st.download_button(
        "Download briefing figure", data=figure, file_name=f"border-briefing-{stamp}.{fmt}", mime=FORMATS[fmt],
        type="primary", key="dl_figure", on_click="ignore",
    )
    st.markdown("**Data and map** — the filtered events with every column and source.")
    e, f, g = st.columns(3)
    e.download_button("Events as CSV", data=lambda: exports.events_to_csv(shown), file_name=f"border-events-{stamp}.csv",
                      mime="text/csv", key="dl_csv", on_click="ignore")
    f.download_button("Events as GeoJSON", data=lambda: exports.events_to_geojson(shown),
                      file_name=f"border-events-{stamp}.geojson", mime="application/geo+json", key="dl_geojson",
                      on_click="ignore")

    def offline_map() -> bytes:
        m = map_view.build_map(layers, shown, basemap=view.basemap, center=view.center, zoom=view.zoom,
                               cluster=view.cluster, heat=view.heat, custom=map_view.custom_tiles(Settings.from_env()))
        return map_view.standalone_html(m).encode("utf-8")

    g.download_button("Map as standalone HTML", data=offline_map, file_name=f"border-map-{stamp}.html",
                      mime="text/html", key="dl_html", on_click="ignore")
    st.markdown("**Link to this view** (copy with the button at the right of the box)")
    st.code(share_link(view, default_basemap), language=None)

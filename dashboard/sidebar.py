"""Sidebar widgets → the current EventFilter and map options."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.map_view import BASEMAP_LABELS
from geodata import EventFilter, EventType, LocationPrecision

COUNTRY_NAMES = {"PK": "Pakistan", "IR": "Iran"}


def presets(today: dt.date, span: tuple[dt.date, dt.date]) -> dict[str, tuple[dt.date, dt.date]]:
    """Named date windows offered as one-click buttons."""
    last12 = (today - pd.DateOffset(months=12)).date() + dt.timedelta(days=1)
    return {
        "Last 12 months": (max(last12, span[0]), min(today, span[1])),
        "2023": (dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        "2024": (dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        "All": span,
    }


def _set_dates(window):
    st.session_state[state.DATES] = window


def _reset(span):
    state.apply_filter(EventFilter(), span)


def render(events: pd.DataFrame, span: tuple[dt.date, dt.date], basemaps: tuple[str, ...]) -> EventFilter:
    """Draw the filter widgets (values already seeded in session state) and return the filter they show."""
    sb = st.sidebar
    sb.header("Filters")
    sb.date_input("Date range", key=state.DATES, min_value=span[0], max_value=span[1], format="YYYY-MM-DD")
    cols = sb.columns(2) + sb.columns(2)
    for col, (name, window) in zip(cols, presets(dt.date.today(), span).items()):
        col.button(name, key=f"preset_{name}", on_click=_set_dates, args=(window,), width="stretch")

    sb.markdown("**Event types**")
    for t in EventType:
        swatch, box = sb.columns([1, 12], vertical_alignment="center")
        radius = "2px" if t.is_place else "50%"
        # Constant, trusted markup (our own palette): no data text reaches it.
        swatch.markdown(
            f'<div style="width:14px;height:14px;background:{t.colour};border:1px solid #444;'
            f'border-radius:{radius}"></div>',
            unsafe_allow_html=True,
        )
        box.checkbox(html.escape(t.label), key=state.type_key(t.value))

    sb.multiselect("Country", options=list(COUNTRY_NAMES), format_func=COUNTRY_NAMES.get, key=state.COUNTRIES,
                   placeholder="Both")
    names = events.dropna(subset=["province"]).drop_duplicates("province").set_index("province")
    codes = sorted(names.index)
    province_label = {"PK-BA": "Balochistan", "IR-13": "Sistan and Baluchestan"}
    sb.multiselect("Province", options=codes, format_func=lambda c: f"{province_label.get(c, c)} ({c})",
                   key=state.PROVINCES, placeholder="All")
    sb.number_input("Minimum fatalities", min_value=0, max_value=10_000, step=1, key=state.MIN_FATALITIES)
    sb.selectbox("Distance to the border", options=state.DISTANCE_CHOICES, key=state.MAX_DISTANCE,
                 format_func=lambda v: "Any distance" if v == state.ANY_DISTANCE else f"Within {v} km")
    sb.multiselect("Location precision", options=[p.value for p in LocationPrecision], key=state.PRECISION,
                   placeholder="Any")
    sb.text_input("Search title, description, actors", key=state.TEXT, max_chars=200,
                  placeholder="e.g. Jaish al-Adl, Saravan")
    sb.button("Reset filters", on_click=_reset, args=(span,), width="stretch")

    sb.header("Map")
    sb.radio("Basemap", options=list(basemaps), format_func=lambda b: BASEMAP_LABELS.get(b, b), key=state.BASEMAP)
    sb.toggle("Cluster nearby points", key=state.CLUSTER)
    sb.toggle("Heatmap", key=state.HEAT)
    return state.current_filter(span)


def upload():
    """File uploader for an analyst's own events; returns the uploaded file or None."""
    st.sidebar.header("Your data")
    return st.sidebar.file_uploader(
        "Add events (CSV or Excel in our columns, ACLED or UCDP GED export, GeoJSON, GeoPackage)",
        type=["csv", "tsv", "txt", "xlsx", "geojson", "json", "gpkg"], key=state.UPLOAD,
        help="Shown next to the curated data. Rows with problems are listed by row and field; the rest load.",
    )

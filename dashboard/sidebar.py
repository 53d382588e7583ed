"""Sidebar widgets → the current EventFilter and map options."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import streamlit as st

from dashboard import actors_panel, cache, places, session_files, state, url_view
from dashboard.map_view import BASEMAP_LABELS
from dashboard.text import md_escape
from geodata import EventFilter, EventType, filter_fields, province_names

#: The oldest year offered as a one-click preset: the curated data's scope starts in 2019.
FIRST_PRESET_YEAR = 2019


def presets(today: dt.date, span: tuple[dt.date, dt.date]) -> dict[str, tuple[dt.date, dt.date]]:
    """Named date windows offered as one-click buttons: the last 12 months, each year from the newest (to date)
    back to :data:`FIRST_PRESET_YEAR`, and everything."""
    last12 = (today - pd.DateOffset(months=12)).date() + dt.timedelta(days=1)
    years = {str(year): (max(dt.date(year, 1, 1), span[0]), min(dt.date(year, 12, 31), today, span[1]))
             for year in range(min(today.year, span[1].year), FIRST_PRESET_YEAR - 1, -1)}
    return {"Last 12 months": (max(last12, span[0]), min(today, span[1])), **years, "All": span}


def _reset(span):
    url_view.apply_filter(EventFilter(), span)


def active_preset(shown: tuple, window: tuple[dt.date, dt.date]) -> bool:
    """True when the date widget shows exactly this preset's window (so its button shows as the active one)."""
    return len(shown) == 2 and tuple(shown) == tuple(window)


def province_options(events: pd.DataFrame) -> list[str]:
    """The province codes the filter offers: those that have events."""
    return sorted(events["province"].dropna().unique())


def render(events: pd.DataFrame, span: tuple[dt.date, dt.date], basemaps: tuple[str, ...],
           provinces: tuple[str, ...] | None = None, actor_counts: bool = True) -> EventFilter:
    """Draw the filter widgets (values already seeded in session state) and return the filter they show.

    ``provinces``: codes the province filter offers beyond those of ``events`` (a store's, when ``events`` are
    only the rows of one filter); ``actor_counts``: ``events`` are the whole data, so the actor options count
    their events (see :mod:`dashboard.actors_panel`)."""
    sb = st.sidebar
    sb.header("Filters")
    # Streamlit's date field applies what is typed when its calendar closes, not on each keystroke: say so.
    sb.date_input("Date range", key=state.DATES, min_value=span[0], max_value=span[1], format="YYYY-MM-DD",
                  help="Pick two days in the calendar, or type them and press Esc (or click outside) to apply. "
                       "The buttons below set a whole year.")
    # Buttons as wide as their words (a grid of equal cells cut "Last 12 months"); they wrap as the sidebar narrows.
    shown = state.dates()
    with sb.container(horizontal=True, gap="small", key="date_presets"):
        for name, window in presets(dt.date.today(), span).items():
            st.button(name, key=f"preset_{name}", on_click=state.set_dates, args=(window,), width="content",
                      type="primary" if active_preset(shown, window) else "secondary",
                      help=f"{window[0]:%Y-%m-%d} to {window[1]:%Y-%m-%d}")

    sb.markdown("**Event types**")
    for t in EventType:
        # One row that never wraps: columns stack on a phone, which put each swatch above its checkbox.
        row = sb.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False,
                           key=f"type_row_{t.value}")
        radius = "2px" if t.is_place else "50%"
        # Constant, trusted markup (our own palette): no data text reaches it.
        row.html(
            f'<div class="bd-swatch" style="width:14px;height:14px;background:{t.colour};border:1px solid #444;'
            f'border-radius:{radius}"></div>',
            width="content",
        )
        row.checkbox(html.escape(t.label), key=state.type_key(t.value))
        row.button("only", key=f"only_{t.value}", on_click=state.only_type, args=(t.value,), type="tertiary",
                   width="content", help=f"Show only {t.label.lower()}; “All types” brings the others back.")
    sb.button("All types", key="all_types", on_click=state.only_type, args=(None,), width="content",
              icon=":material/select_all:")

    # Options and their names come from the filter fields (geodata.filter_fields): one vocabulary for all.
    country = filter_fields.COUNTRY
    sb.multiselect("Country", options=list(country.vocabulary), format_func=country.label, key=state.COUNTRIES,
                   placeholder="Both")
    codes = sorted(set(cache.per_frame(events, province_options)) | set(provinces or ()))
    names = province_names()
    sb.multiselect("Province", options=codes, format_func=lambda c: f"{names.get(c, c)} ({c})",
                   key=state.PROVINCES, placeholder="All")
    sb.number_input("Minimum fatalities", min_value=0, max_value=filter_fields.MAX_FATALITIES, step=1,
                    key=state.MIN_FATALITIES)
    sb.selectbox("Distance to the border", options=state.DISTANCE_CHOICES, key=state.MAX_DISTANCE,
                 format_func=lambda v: "Any distance" if v == state.ANY_DISTANCE else f"Within {v} km")
    sb.multiselect("Location precision", options=list(filter_fields.PRECISION.vocabulary), key=state.PRECISION,
                   placeholder="Any")
    actors_panel.filter_widget(sb, events, counted=actor_counts)
    sb.text_input("Search title, description, actors", key=state.TEXT, max_chars=filter_fields.MAX_TEXT,
                  placeholder="e.g. Jaish al-Adl, Saravan")
    sb.button("Reset filters", on_click=_reset, args=(span,), width="stretch")

    sb.header("Map")
    sb.radio("Basemap", options=list(basemaps), format_func=lambda b: BASEMAP_LABELS.get(b, b), key=state.BASEMAP)
    sb.toggle("Cluster nearby points", key=state.CLUSTER)
    sb.toggle("Heatmap", key=state.HEAT)
    sb.toggle("Local names (Urdu/Persian)", key=state.SCRIPT,
              help="Town names in Urdu (Pakistan side) or Persian (Iran side) script beside the English, on the map "
                   "and in the briefing figure. From GeoNames; some places have none.")
    options = cache.per_frame(events, places.place_options)
    sb.selectbox("Go to place", options=range(len(options)), format_func=lambda i: options[i].label, index=None,
                 key=state.PLACE, placeholder="Type a town or crossing, in either script", accept_new_options=False,
                 on_change=url_view.go_to_place, args=(options,),
                 help="Moves the map to the place. Towns are GeoNames populated places (CC BY 4.0).")
    return url_view.current_filter(span)


def upload(uploads=()) -> None:
    """File uploader for an analyst's own events (several files at once), then one line per file read
    (``user_data.Upload``): its ring colour, an on/off toggle with its name and count, and "Fit map to" it."""
    sb = st.sidebar
    sb.header("Your data")
    sb.file_uploader(
        "Add events (CSV or Excel in our columns, ACLED or UCDP GED export, GeoJSON, GeoPackage)",
        type=["csv", "tsv", "txt", "xlsx", "geojson", "json", "gpkg"], key=session_files.UPLOAD, accept_multiple_files=True,
        help="Shown next to the curated data, each file with its own ring colour. Rows with problems are listed by "
             "row and field; the rest load. Remove a file with its ✕.",
    )
    if uploads:
        sb.caption("Your files stay in this browser tab: they are not in the link to this view.")
    for number, upload in enumerate(uploads):
        row = sb.container(horizontal=True, vertical_alignment="center", gap="small", wrap=False,
                           key=f"upload_row_{number}")
        # Constant, trusted markup (a colour of our palette, user_data.UPLOAD_COLOURS): no data text reaches it.
        row.html(f'<div class="bd-swatch" style="width:12px;height:12px;border:3px solid {upload.colour};'
                 'border-radius:50%"></div>', width="content")
        session_files.upload_shown(upload.token)  # on until switched off
        row.toggle(md_escape(f"{upload.label} ({upload.added:,})"), key=session_files.upload_shown_key(upload.token),
                   help="Show or hide this file's events (map, table, counts). The ✕ in the uploader removes it.")
        if upload.view is not None:
            sb.button(f"Fit map to {md_escape(upload.label)}", key=f"upload_fit_{upload.token}",
                      on_click=url_view.request_view, args=upload.view, icon=":material/fit_screen:", type="tertiary")

"""Entry point: ``streamlit run dashboard/app.py``. Page configuration and layout only."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import streamlit as st

from dashboard import actors_panel, cache, exports_panel, map_component, map_view, page_style, panels, sidebar, state, team_data
from dashboard import map_reports, report_tokens, session_files, url_view, user_data
from dashboard import event_source, events_payload, memory, page_view, playback, team_refresh
from dashboard import compare_panel, crossings_panel, timeline_panel
from dashboard.events_layer import layer_config, upload_entries
from dashboard.query_codec import DEFAULT_BASEMAP
from dashboard.settings import Settings
import geodata
from geodata import filter_mask

memory.use_system_allocator()  # so that memory of a removed upload can be handed back (see dashboard.memory)
memory.share_uploaded_bytes()  # Streamlit copies the uploader's file on every run otherwise
st.set_page_config(page_title="Pakistan–Iran border region", page_icon="🗺️", layout="wide")

settings = Settings.from_env()
# The shipped files, or the team's PostGIS store when one is configured (dashboard/event_source.py).
source = event_source.load(cache.files_store(settings.events_path), settings.database_url)
layers = cache.basemap_layers()
# The date widget's full range means "no date limit", so its start is fixed (not taken from the data): an
# uploaded file with older events must not turn the default range into a filter.
span = (dt.date(2015, 1, 1), dt.date.today())
custom_tiles = map_view.custom_tiles(settings)
basemaps = map_view.available_basemaps(custom_tiles)
default_basemap = settings.default_basemap if settings.default_basemap in basemaps else DEFAULT_BASEMAP

provinces = source.provinces  # the store's (the files' or the database's), before any upload
url_view.seed_from_url(span, basemaps, default_basemap, provinces=provinces)
session_files.files_end_with_session(globals())  # a closed tab's session, files and last run go (see there)
url_view.take_map_report()
# The widgets' values are already in session state (seeded from the URL or set by the user), so the map is laid
# out before the sidebar: its element reaches the browser first and the first map appears sooner.
flt = url_view.current_filter(span)
view = url_view.view_state(span)
page = source.page(flt)  # every event (files, a team store of up to 2M), else the newest matching rows
report, source_label = source.report, source.label
# Always laid out, so the elements below keep their places; a progress bar while an uploaded file is read.
upload_progress = st.empty()
mine = user_data.merge(page.events, page.key, keep_rows=settings.database_url is not None,
                       progress_slot=upload_progress)
events = mine.events
# One view of the page for everything below: the filter's rows (the map's selection), narrowed to a paused
# playback step for the page (header, metrics, table, timeline, figure, downloads and the map's frame).
# The dataset's index (codes per column, kept per loaded frame): a filter change counts codes, copies no rows.
index = cache.per_frame(events, page_view.frame_index)
pv = page_view.compute(events, flt, playback.parse(view.play or ""), hidden=mine.hidden(),  # files switched off
                       index=index)
if pv.play_param() != view.play:  # a step past the end of a narrower period, or nothing left to play
    url_view.set_play(pv.play_param())
    view = url_view.view_state(span)
keep, in_page = pv.keep, pv.in_page
with_selected = source.with_selected(events, view.selected)  # fetched by id when the store's page left it out
outside = page_view.selection_outside(
    with_selected, pv.in_page if with_selected is events else filter_mask(with_selected, pv.page_flt), view.selected)
if outside is not None:  # a selection the page no longer shows ends, and the page says so
    url_view.select(None)
    view = url_view.view_state(span)
    with_selected = events
status_periods = source.place_status()
# Period B is what the page shows; period A comes from the link's `compare` (dashboard/compare_panel.py).
comparison, comparison_note = compare_panel.compute(source, events, pv.page_flt, view.compare,
                                                    from_store=settings.database_url is not None,
                                                    hidden=mine.hidden())
as_of = page.as_of or cache.per_frame(events, geodata.data_as_of)  # "Data as of": the curated rows' facts

st.html(page_style.page_css(view.present))  # constant CSS, no data in it; a style-only block takes no space

st.title("Pakistan–Iran border region")
province_names = dict(zip(layers.provinces["iso_code"], layers.provinces["name"]))
unloaded = page.unloaded_matching if pv.play is None else 0  # a store's unloaded rows: of the whole filter
st.caption(panels.header_caption(pv.count + unloaded, len(events) + page.unloaded_total, pv.page_flt,
                                 province_names, events, source_label, mine.label, as_of=as_of,
                                 playback=pv.play_words()))
if outside is not None:
    st.toast(f"Selection cleared: “{panels.md_escape(outside)}” is not among the events shown now.",
             icon=":material/deselect:")
# One container for every notice: the map keeps its place in the page whatever appears here, so a new
# message never remounts the map (which would lose the user's view).
with st.container():
    if problem := cache.events_problem(settings.events_path):
        st.error(panels.md_escape(problem), icon="⚠️")
    for notice in source.notices():
        getattr(st, notice.kind)(notice.text, icon=notice.icon)
    if cap := page.cap_message():
        st.info(cap, icon=":material/filter_alt:")
    for notice in url_view.notices():  # they quote URL text: escaped so a link in a URL is never rendered as one
        st.warning(panels.md_escape(notice), icon="⚠️")
    if not report.ok:
        st.warning(
            f"{len(report.bad_rows())} row(s) of the event data have errors and are not shown; "
            f"the other {len(page.events)} rows are loaded.",
            icon="⚠️",
        )
        with st.expander("Problems in the event data"):
            st.caption(panels.ROW_NUMBERS)
            st.text("\n".join(str(p) for p in report.problems[:200]))
    for upload in mine.uploads:  # one box a file (what it was read as, then what was left out): the map stays in view
        if upload.info:
            st.info("  \n".join(upload.info), icon=":material/attach_file:")
        for message in upload.warnings:
            st.warning(message, icon="⚠️")
    for upload in mine.uploads:
        if upload.problems:
            with st.expander(f"Problems in {panels.md_escape(upload.label)}"):
                st.caption(panels.ROW_NUMBERS)
                st.text("\n".join(upload.problems[:500]))

focus = report_tokens.take_focus_request()
# The map is the project's own component (dashboard/map_component.py): the base map (tiles, boundaries) is built
# once per basemap in the browser; the dataset travels once (by URL); each rerun sends only which of its rows to
# show. From the team store the dataset is the page's rows, so its key names the store's revision and the filter.
# Places show their status on the end date of what is shown (or today), at the latest the data's as-of date: the
# same rule and words as the briefing figure.
status_day = geodata.status_day(pv.page_flt.end, dt.date.today(), as_of.as_of)
dataset_key = f"{page.key}|{session_files.upload_token() or ''}"
ids = cache.per_frame(events, page_view.row_ids)
selected_rows = np.flatnonzero(ids == view.selected) if view.selected else []
layer = layer_config(
    cache.map_dataset(dataset_key, events, mine.slots()), dataset_key, len(events), np.flatnonzero(keep),
    selected_row=int(selected_rows[0]) if len(selected_rows) else None, cluster=view.cluster, heat=view.heat,
    status=cache.per_frame(events, events_payload.place_status, status_periods, status_day.day),
    status_day=status_day.words(), play=pv.map_config(),
    compare_rows=compare_panel.map_rows(comparison), compare_label=compare_panel.map_label(comparison),
    uploads=upload_entries((u, session_files.upload_shown(u.token)) for u in mine.uploads),
)
if focus and len(selected_rows):
    hit = events.iloc[int(selected_rows[0])]
    url_view.request_view((float(hit["lat"]), float(hit["lon"])), max(view.zoom, 8))
tiles = map_view.tiles(view.basemap, custom_tiles)
base = {
    "key": f"{view.basemap}|{int(view.present)}|{int(view.local_names)}|{tiles['url'] if tiles else ''}",
    "tiles": tiles,
    "options": {"zoomControl": True, "preferCanvas": False},
    "boundaries": map_view.boundaries_config(view.basemap, cache.map_boundaries(), view.present, view.local_names),
}
out = map_component.show(base=base, layer=layer, view=url_view.requested_view(view.basemap),
                         height=720 if view.present else 620)
if map_reports.handle(out, dataset_key, ids):  # a click, a closed popup or a playback stop: the link follows
    url_view.rerun_with_link(span, default_basemap)


@st.fragment(run_every=state.MAP_ALONE_AT_MOST)
def _rest_of_page_fallback() -> None:
    """Lays out the rest of the page if the map has not reported that it has drawn (never, in practice)."""
    if state.map_alone_overdue():
        st.rerun(scope="app")


# A browser session's page lays out the title and the map alone until the map reports that it has drawn its
# events: the sidebar's widgets, the table, the timeline and the download buttons make the browser fetch and
# compile ~4 MB of Streamlit's scripts on the map's thread, which delayed the first map by about 1.3 s.
if state.map_alone(bool(out.get("bd_drawn"))):
    if not view.present:
        st.sidebar.header("Filters")  # the sidebar is there from the start, so the map's width does not jump
    _rest_of_page_fallback()
    st.stop()

sidebar.render(events, span, basemaps, provinces=source.provinces, actor_counts=source.loads_all)
compare_panel.sidebar_control(span)
sidebar.upload(mine.uploads)
st.sidebar.caption(panels.count_caption(pv.count + unloaded, len(events) + page.unloaded_total))

if not view.present:
    # A capped page: the metrics and timeline of every matching event (of the whole filter: not during playback).
    counts = page.counts_with(pv.shown) if pv.play is None and page.capped else None
    if comparison is not None:
        compare_panel.metrics(comparison, panels.page_metrics(index, in_page, counts)[3])
        compare_panel.details(comparison)
        compare_panel.figure_button(events, pv.page_flt, comparison)
    else:
        panels.metrics(index, in_page, counts)
    if comparison_note:
        st.info(comparison_note, icon=":material/compare_arrows:")
    left, right = st.columns([2, 3])
    with left:
        st.subheader("Details")
        panels.details(with_selected, view.selected, status_periods)
        team_data.panel(source, view.selected, with_selected)
    with right:
        st.subheader("Timeline")
        timeline_panel.render(index, in_page, span, playback.window(pv.play, pv.period) if pv.play else None, counts)
    st.subheader("Events")
    picked = panels.table(index, in_page, view.selected)
    if picked:
        url_view.select(picked, focus=True)
        url_view.rerun_with_link(span, default_basemap)
    st.subheader("Top actors")  # below the events table: the page's first table stays the events
    actors_panel.top_panel(index, in_page, loaded_only=page.capped)
    with st.expander("Crossings and markets on a date"):
        crossings_panel.render(events, status_periods, pv.page_flt.end, as_of.as_of, span)
    with st.expander("Key dates away from the border (not mapped)"):
        panels.key_dates(cache.key_dates())
    with st.expander("Briefing figure, downloads and link to this view", expanded=True):
        exports_panel.render(events, url_view.view_state(span), layers, url_view.bounds(), default_basemap,
                             upload_name=mine.label or None, as_of=as_of, place_status=status_periods,
                             page_flt=pv.page_flt, shown_count=pv.count)
        st.caption("Presentation mode (no sidebar or controls, for clean screenshots): add `present=1` to the link.")

url_view.write_url(url_view.view_state(span), default_basemap)
# A change saved elsewhere (another app server, psql, QGIS) reruns the page within the setting's seconds.
team_refresh.watch(source, settings.team_refresh_seconds)

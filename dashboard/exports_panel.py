"""The "Briefing and downloads" panel: report figure, filtered data, offline map, link to this view."""

from __future__ import annotations

import weakref
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import geodata
from dashboard import exports, map_view, panels, query_codec
from dashboard.query_codec import ViewState
from dashboard.settings import Settings
from dashboard.text import REGION_TITLE

SIZES = {"slide": "Slide 16:9", "a4": "A4 landscape"}
FORMATS = {"png": "image/png", "pdf": "application/pdf", "svg": "image/svg+xml"}


def share_link(view: ViewState, default_basemap: str) -> str:
    """Absolute link that reproduces this view (filters, basemap, map centre and zoom, selection)."""
    base = (st.context.url or "").split("?", 1)[0] or "/"
    query = urlencode(query_codec.encode(view, default_basemap=default_basemap))
    return f"{base}?{query}" if query else base


def view_extent(bounds) -> tuple[float, float, float, float] | None:
    """(minlon, minlat, maxlon, maxlat) of the web map's last reported view, if known, within the world.

    ``bounds``: {west, south, east, north} as the map component reports them. The browser reports the view as it
    is drawn: zoomed out or panned, Leaflet's bounds run past ±180° and ±90°,
    which no figure can frame, so they are cut to the world (a view that is not a box at all is unknown).
    """
    try:
        x0, y0, x1, y1 = (float(bounds[side]) for side in ("west", "south", "east", "north"))
    except (KeyError, TypeError, ValueError):
        return None
    box = (max(x0, -180.0), max(y0, -90.0), min(x1, 180.0), min(y1, 90.0))  # NaN never passes the test below
    return box if box[0] < box[2] and box[1] < box[3] else None


def as_of_member(events: pd.DataFrame, as_of: geodata.DataAsOf | None = None) -> dict:
    """The GeoJSON foreign member ``data_as_of``: the trust line's facts (``as_of``, else from ``events``)."""
    facts = as_of or geodata.data_as_of(events)
    return {"data_as_of": {"date": facts.as_of.isoformat() if facts.as_of else None, "events": facts.events,
                           "sources": facts.sources,
                           "reviewed": facts.reviewed.isoformat() if facts.reviewed else None, "text": facts.text()}}


def downloads_hold(count: int) -> str:
    """What the downloads will contain, said beside the curated dataset's own count so neither is taken for the
    other: "0 events match the filters: the downloads will hold 0 rows."."""
    plural = count != 1
    return (f"{count:,} event{'s' * plural} match{'es' * (not plural)} the filters: the downloads will hold "
            f"{count:,} row{'s' * plural}.")


def _province_names(layers) -> dict[str, str]:
    return dict(zip(layers.provinces["iso_code"], layers.provinces["name"]))


def link_warning(upload_name: str | None) -> str | None:
    """What the shared link leaves out: an uploaded file never travels in a URL."""
    if not upload_name:
        return None
    return (f"This link does not include your uploaded file ({upload_name}): whoever opens it sees the curated "
            "data only, with the same filters and view.")


class _Later:
    """The page's events for a download made later (a deferred download runs when clicked).

    Streamlit keeps a session's download callables until the session is shut down, and a closed tab's session
    expires without being shut down, so whatever the callables hold would outlive it. An uploaded file's rows
    (held by the session, hundreds of MB for a large file) are therefore held weakly: they go with the session,
    and the filtered rows are selected again at click time rather than kept.
    """

    def __init__(self, events: pd.DataFrame, flt: geodata.EventFilter, weakly: bool):
        self._flt = flt
        self._events = weakref.ref(events) if weakly else (lambda: events)

    def events(self) -> pd.DataFrame:
        frame = self._events()
        if frame is None:
            raise RuntimeError("the page's data are no longer loaded; reload the page")
        return frame

    def shown(self) -> pd.DataFrame:
        frame = self.events()
        keep = geodata.filter_mask(frame, self._flt)
        return frame if keep.all() else frame[keep]


def render(events, view: ViewState, layers, bounds, default_basemap: str,
           upload_name: str | None = None, as_of: geodata.DataAsOf | None = None,
           place_status: pd.DataFrame | None = None, page_flt: geodata.EventFilter | None = None,
           shown_count: int | None = None) -> None:
    """The figure and downloads show the rows passing ``page_flt`` (what the page shows: ``view.flt`` narrowed to a
    paused playback step; default ``view.flt``); the link reproduces ``view``. ``upload_name``: the uploaded
    file's name, already markdown-escaped, if one is loaded (its rows are then held weakly by the downloads, see
    :class:`_Later`). ``as_of``: the "Data as of" facts when ``events`` are a page of a bigger store;
    ``place_status``: the periods to mark places with (default the shipped ones); ``shown_count``: how many of
    ``events`` pass ``page_flt`` (the page's count; counted here when not given)."""
    flt = page_flt or view.flt
    later = _Later(events, flt, weakly=bool(upload_name))
    if shown_count is None:
        shown_count = int(geodata.filter_mask(events, flt).sum())
    st.markdown("**Briefing figure** — title, filters in words, legend, scale bar, north arrow, attribution, as-of date.")
    a, b, c, d = st.columns([3, 2, 1, 2])
    title = a.text_input("Figure title", value=REGION_TITLE, max_chars=120, key="fig_title")
    size = b.selectbox("Size", options=list(SIZES), format_func=SIZES.get, key="fig_size")
    fmt = c.selectbox("Format", options=list(FORMATS), format_func=str.upper, key="fig_format")
    extent_choice = d.radio("Extent", options=["view", "events"], key="fig_extent", horizontal=True,
                            format_func={"view": "Map view", "events": "Filtered events"}.get)
    extent = view_extent(bounds) if extent_choice == "view" else "events"
    if extent is None:
        extent = "events"
        st.caption("The map has not reported its view yet: the figure frames the filtered events.")

    def figure() -> bytes:
        from dashboard import briefing  # matplotlib, imported on the first figure: not on a new server's first page

        return briefing.render_briefing(later.events(), flt, title=title, size=size, fmt=fmt, extent=extent,
                                        place_status=place_status, as_of=as_of, local_names=view.local_names)

    st.download_button(
        "Download briefing figure", data=figure, mime=FORMATS[fmt], type="primary", key="dl_figure", on_click="ignore",
        file_name=exports.export_filename(flt, fmt, stem="border-briefing", view=extent != "events",
                                          at=(view.center, view.zoom)),
    )
    st.markdown("**Data and map** — the filtered events with every column and source.")
    st.caption(f"**{downloads_hold(shown_count)}** "
               f"{panels.md_escape(panels.trust_line(events, as_of, subject='Curated data'))} (the curated dataset, "
               "whatever the filters): the GeoJSON carries these facts as its `data_as_of` member; the CSV stays plain "
               "rows (it imports again as is) and carries the date in its file name.")
    facts = as_of or geodata.data_as_of(events)  # the event files carry the data's as-of date in their names
    e, f, g = st.columns(3)
    e.download_button("Events as CSV", data=lambda: exports.events_to_csv(later.shown()),
                      file_name=exports.export_filename(flt, "csv", as_of=facts.as_of), mime="text/csv", key="dl_csv",
                      on_click="ignore")
    f.download_button("Events as GeoJSON",
                      data=lambda: exports.events_to_geojson(later.shown(),
                                                             members=as_of_member(later.events(), as_of)),
                      file_name=exports.export_filename(flt, "geojson", as_of=facts.as_of), mime="application/geo+json",
                      key="dl_geojson", on_click="ignore")

    def offline_map() -> bytes:
        heading = map_view.PageHeading(title, geodata.describe_filter(flt, _province_names(layers)),
                                       panels.trust_line(later.events(), as_of))
        m = map_view.build_map(layers, later.shown(), basemap=view.basemap, center=view.center, zoom=view.zoom,
                               cluster=view.cluster, heat=view.heat, custom=map_view.custom_tiles(Settings.from_env()),
                               heading=heading, local_names=view.local_names)
        return map_view.standalone_html(m).encode("utf-8")

    g.download_button("Map as standalone HTML", data=offline_map, mime="text/html", key="dl_html", on_click="ignore",
                      file_name=exports.export_filename(flt, "html", stem="border-map"))
    st.markdown("**Link to this view** (copy with the button at the right of the box)")
    if warning := link_warning(upload_name):
        st.warning(warning, icon=":material/link_off:")
    st.code(share_link(view, default_basemap), language=None)

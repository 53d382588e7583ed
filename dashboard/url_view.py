"""The view a session shows and the link that reproduces it: seeding the widgets from the URL once, the filter
and view the widgets hold, writing the URL back, the map's view (where it is, where it is asked to go) and the
selected event and playback step.

Every function reads and writes ``session``: Streamlit's session state by default, any mutable mapping (a plain
dict in tests) when given; the URL functions likewise take ``params`` (``st.query_params`` by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping

import streamlit as st

from dashboard import page_style, query_codec, report_tokens, state
from dashboard.query_codec import ViewState
from dashboard.state import (
    ACTORS,
    ANY_DISTANCE,
    BASEMAP,
    CLUSTER,
    COUNTRIES,
    DATES,
    DISTANCE_CHOICES,
    HEAT,
    MAX_DISTANCE,
    MIN_FATALITIES,
    PRECISION,
    PROVINCES,
    SCRIPT,
    TABLE,
    TEXT,
    type_key,
)
from geodata import EventFilter, EventType

_SEEDED = "_seeded_from_url"
_NOTICES = "_url_notices"
_CENTER = "_view_center"
_ZOOM = "_view_zoom"
_SELECTED = "_selected"
_PRESENT = "_present"
_PLAY = report_tokens.PLAY_STEP
_TABLE_GENERATION = "_table_generation"
_BOUNDS = "_view_bounds"
_OPENING_VIEW = "_opening_view"
_REQUESTED = "_requested_view"
_REQUESTED_FOR = "_requested_basemap"

MAP = page_style.MAP_KEY  # the map component's key: its latest report is here before each rerun


def _session(session: MutableMapping | None) -> MutableMapping:
    return st.session_state if session is None else session


def _params(params: MutableMapping | None) -> dict:
    return st.query_params.to_dict() if params is None else dict(params)


def seed_from_url(span: tuple[dt.date, dt.date], basemaps: tuple[str, ...], default_basemap: str,
                  provinces: tuple[str, ...] | None = None, *, session: MutableMapping | None = None,
                  params: MutableMapping | None = None) -> None:
    """Once per session: read the URL and put its values into the widgets' session state.

    ``provinces`` are the province widget's options: a code outside them gets a notice (the widget would drop it
    silently)."""
    ss = _session(session)
    if ss.get(_SEEDED):
        return
    view, notices = query_codec.decode(_params(params), default_basemap=default_basemap, provinces=provinces)
    if view.basemap not in basemaps:
        notices.append(f"Basemap '{view.basemap}' is not configured here; showing '{default_basemap}'.")
        view = ViewState(**{**view.__dict__, "basemap": default_basemap})
    apply_filter(view.flt, span, session=ss)
    ss[BASEMAP] = view.basemap
    ss[CLUSTER] = view.cluster
    ss[HEAT] = view.heat
    ss[SCRIPT] = view.local_names
    ss[_CENTER] = view.center
    ss[_ZOOM] = view.zoom
    ss[_OPENING_VIEW] = (view.center, view.zoom)
    ss[_REQUESTED] = (view.center, view.zoom)
    ss[_REQUESTED_FOR] = view.basemap
    ss[_SELECTED] = view.selected
    ss[_PRESENT] = view.present
    ss[_PLAY] = view.play
    state.seed_compare(view.compare, session=ss)
    ss[_NOTICES] = notices
    ss[_SEEDED] = True


def apply_filter(flt: EventFilter, span: tuple[dt.date, dt.date], *, session: MutableMapping | None = None) -> None:
    """Set every filter widget to show ``flt`` (used for URL seeding, presets and reset)."""
    ss = _session(session)
    start = flt.start or span[0]
    end = flt.end or span[1]
    ss[DATES] = (max(min(start, span[1]), span[0]), max(min(end, span[1]), span[0]))
    for t in EventType:
        ss[type_key(t.value)] = flt.event_types is None or t.value in flt.event_types
    ss[COUNTRIES] = list(flt.countries)
    ss[PROVINCES] = list(flt.provinces)
    ss[MIN_FATALITIES] = int(flt.min_fatalities)
    choice = ANY_DISTANCE if flt.max_distance_km is None else f"{flt.max_distance_km:g}"
    ss[MAX_DISTANCE] = choice if choice in DISTANCE_CHOICES else ANY_DISTANCE
    ss[PRECISION] = list(flt.location_precisions)
    ss[TEXT] = flt.text
    ss[ACTORS] = list(flt.actors)


def notices(session: MutableMapping | None = None) -> list[str]:
    """What the URL held that the page could not show (each says what was dropped)."""
    return list(_session(session).get(_NOTICES, []))


def current_filter(span: tuple[dt.date, dt.date], session: MutableMapping | None = None) -> EventFilter:
    """The filter the widgets show now. The full data span counts as "no date limit"."""
    ss = _session(session)
    dates = tuple(ss.get(DATES) or ())
    start = dates[0] if len(dates) >= 1 else None
    end = dates[1] if len(dates) >= 2 else None  # mid-selection of a range: open-ended until picked
    types = tuple(t.value for t in EventType if ss.get(type_key(t.value), True))
    return EventFilter(
        start=None if start is None or start <= span[0] else start,
        end=None if end is None or end >= span[1] else end,
        event_types=None if len(types) == len(EventType) else types,
        countries=tuple(ss.get(COUNTRIES) or ()),
        provinces=tuple(ss.get(PROVINCES) or ()),
        min_fatalities=int(ss.get(MIN_FATALITIES) or 0),
        max_distance_km=None if ss.get(MAX_DISTANCE, ANY_DISTANCE) == ANY_DISTANCE else float(ss[MAX_DISTANCE]),
        location_precisions=tuple(ss.get(PRECISION) or ()),
        text=str(ss.get(TEXT) or "")[: query_codec.MAX_TEXT],
        actors=tuple(ss.get(ACTORS) or ()),
    )


def view_state(span: tuple[dt.date, dt.date], session: MutableMapping | None = None) -> ViewState:
    """Everything the link reproduces, as the session holds it now."""
    ss = _session(session)
    return ViewState(
        flt=current_filter(span, ss),
        basemap=ss.get(BASEMAP, query_codec.DEFAULT_BASEMAP),
        center=tuple(ss.get(_CENTER, query_codec.DEFAULT_CENTER)),
        zoom=int(ss.get(_ZOOM, query_codec.DEFAULT_ZOOM)),
        cluster=bool(ss.get(CLUSTER, False)),
        heat=bool(ss.get(HEAT, False)),
        selected=ss.get(_SELECTED),
        present=bool(ss.get(_PRESENT, False)),
        play=ss.get(_PLAY),
        local_names=bool(ss.get(SCRIPT, False)),
        compare=state.compare_value(ss),
    )


def write_url(view: ViewState, default_basemap: str, params: MutableMapping | None = None) -> None:
    """Make the address bar reproduce ``view``; only touches it when something changed."""
    encoded = query_codec.encode(view, default_basemap=default_basemap)
    if encoded == _params(params):
        return
    if params is None:
        st.query_params.from_dict(encoded)
    else:
        params.clear()
        params.update(encoded)


def rerun_with_link(span: tuple[dt.date, dt.date], default_basemap: str) -> None:
    """After a change the page must show at once (a click, a table pick): write its link, then rerun."""
    write_url(view_state(span), default_basemap)
    st.rerun()


def set_view(center: tuple[float, float], zoom: int, session: MutableMapping | None = None) -> None:
    """Where the map is now (as it reported): goes to the link, never back to the map."""
    ss = _session(session)
    ss[_CENTER] = (round(float(center[0]), 4), round(float(center[1]), 4))
    ss[_ZOOM] = int(zoom)


def take_map_report(session: MutableMapping | None = None) -> None:
    """Adopt the view the map reported last (before the map component runs), so the app never sends the map back
    to an older view after the user panned."""
    ss = _session(session)
    report = ss.get(MAP) or {}
    center, zoom = report.get("center"), report.get("zoom")
    if center and zoom:
        set_view((center["lat"], center["lng"]), zoom, ss)
        set_bounds(report.get("bounds"), ss)


def request_view(center: tuple[float, float], zoom: int, session: MutableMapping | None = None) -> None:
    """Ask the map to move (a deep link, a table selection). Only this moves the map: the view the map reports
    goes to the URL but is never sent back, so a rerun can never pull the map away from where the user is."""
    _session(session)[_REQUESTED] = ((round(float(center[0]), 4), round(float(center[1]), 4)), int(zoom))


def go_to_place(places, session: MutableMapping | None = None) -> None:
    """The "Go to place" box's callback: ask the map to show the place chosen (``places``: the box's options,
    dashboard/places.py), then empty the box for the next search."""
    ss = _session(session)
    index = ss.get(state.PLACE)
    if isinstance(index, int) and 0 <= index < len(places):
        place = places[index]
        request_view((place.lat, place.lon), place.zoom, ss)
    ss[state.PLACE] = None


def requested_view(basemap: str, session: MutableMapping | None = None) -> tuple[tuple[float, float], int]:
    """The view to hand the map component. A new basemap builds a new map, so it is asked for where the user was."""
    ss = _session(session)
    if ss.get(_REQUESTED_FOR) != basemap:
        ss[_REQUESTED_FOR] = basemap
        request_view(ss.get(_CENTER, query_codec.DEFAULT_CENTER), ss.get(_ZOOM, query_codec.DEFAULT_ZOOM), ss)
    return ss.get(_REQUESTED, (query_codec.DEFAULT_CENTER, query_codec.DEFAULT_ZOOM))


def set_bounds(bounds, session: MutableMapping | None = None) -> None:
    _session(session)[_BOUNDS] = bounds


def bounds(session: MutableMapping | None = None):
    """The map's bounds as it last reported them (None before its first report)."""
    return _session(session).get(_BOUNDS)


def select(event_id: str | None, *, focus: bool = False, from_map: bool = False,
           session: MutableMapping | None = None) -> None:
    """Select an event (None: no selection). ``focus`` asks the map to fly to it (a table row was picked).

    Any selection not made in the table itself (the map, a cleared selection) gives the table a new identity, so
    that it marks the selected row (or none) instead of keeping the row the user last picked in it."""
    ss = _session(session)
    if from_map or event_id is None:
        ss[_TABLE_GENERATION] = ss.get(_TABLE_GENERATION, 0) + 1
    ss[_SELECTED] = event_id
    report_tokens.request_focus(bool(focus and event_id), ss)


def set_play(param: str | None, session: MutableMapping | None = None) -> None:
    """The playback step the page shows (``dashboard.playback`` URL form), or None for playback off."""
    _session(session)[_PLAY] = param


def table_key(session: MutableMapping | None = None) -> str:
    """The events table's widget key: changes whenever the selection changed outside the table."""
    return f"{TABLE}_{_session(session).get(_TABLE_GENERATION, 0)}"

"""The only module touching st.query_params and st.session_state. Widget keys live here as constants."""

from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from dashboard import _compat, page_style, playback, query_codec
from dashboard.query_codec import ViewState
from geodata import EventFilter, EventType

DATES = "w_dates"
TYPE_PREFIX = "w_type_"
COUNTRIES = "w_countries"
PROVINCES = "w_provinces"
MIN_FATALITIES = "w_minfat"
MAX_DISTANCE = "w_maxkm"
PRECISION = "w_precision"
TEXT = "w_text"
ACTORS = "w_actors"
BASEMAP = "w_basemap"
CLUSTER = "w_cluster"
HEAT = "w_heat"
SCRIPT = "w_script"
PLACE = "w_place"
TABLE = "w_table"

_SEEDED = "_seeded_from_url"
_NOTICES = "_url_notices"
_CENTER = "_view_center"
_ZOOM = "_view_zoom"
_SELECTED = "_selected"
_PRESENT = "_present"
_PLAY = "_play"
_LAST_PLAY = "_last_play_report"
_LAST_CLICK = "_last_click"
_LAST_TABLE = "_last_table_selection"
_FOCUS = "_focus_request"
_TABLE_GENERATION = "_table_generation"
_BOUNDS = "_view_bounds"
_OPENING_VIEW = "_opening_view"
_REQUESTED = "_requested_view"
_REQUESTED_FOR = "_requested_basemap"

ANY_DISTANCE = "any"
DISTANCE_CHOICES = (ANY_DISTANCE, *(str(km) for km in query_codec.DISTANCE_CHOICES_KM))


def type_key(event_type: str) -> str:
    return TYPE_PREFIX + event_type


def seed_from_url(span: tuple[dt.date, dt.date], basemaps: tuple[str, ...], default_basemap: str,
                  provinces: tuple[str, ...] | None = None) -> None:
    """Once per session: read the URL and put its values into the widgets' session state.

    ``provinces`` are the province widget's options: a code outside them gets a notice (the widget would drop it
    silently)."""
    if st.session_state.get(_SEEDED):
        return
    state, notices = query_codec.decode(st.query_params.to_dict(), default_basemap=default_basemap,
                                        provinces=provinces)
    if state.basemap not in basemaps:
        notices.append(f"Basemap '{state.basemap}' is not configured here; showing '{default_basemap}'.")
        state = ViewState(**{**state.__dict__, "basemap": default_basemap})
    apply_filter(state.flt, span)
    ss = st.session_state
    ss[BASEMAP] = state.basemap
    ss[CLUSTER] = state.cluster
    ss[HEAT] = state.heat
    ss[SCRIPT] = state.local_names
    ss[_CENTER] = state.center
    ss[_ZOOM] = state.zoom
    ss[_OPENING_VIEW] = (state.center, state.zoom)
    ss[_REQUESTED] = (state.center, state.zoom)
    ss[_REQUESTED_FOR] = state.basemap
    ss[_SELECTED] = state.selected
    ss[_PRESENT] = state.present
    ss[_PLAY] = state.play
    seed_compare(state.compare)
    ss[_NOTICES] = notices
    ss[_SEEDED] = True


def apply_filter(flt: EventFilter, span: tuple[dt.date, dt.date]) -> None:
    """Set every filter widget to show ``flt`` (used for URL seeding, presets and reset)."""
    ss = st.session_state
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


def actors() -> list[str]:
    """The actor ids the actor filter holds now."""
    return list(st.session_state.get(ACTORS) or ())


_TOP_ACTORS_GENERATION = "_top_actors_generation"


def filter_to_actor(actor_id: str) -> None:
    """Show only the events of one actor (a click in the "Top actors" panel, run as its callback). The panel gets
    a new identity, so the clicked row is not kept selected in the next table."""
    ss = st.session_state
    ss[ACTORS] = [actor_id]
    ss[_TOP_ACTORS_GENERATION] = ss.get(_TOP_ACTORS_GENERATION, 0) + 1


def top_actors_key() -> str:
    return f"w_top_actors_{st.session_state.get(_TOP_ACTORS_GENERATION, 0)}"


def table_rows(key: str) -> tuple[int, ...]:
    """The rows selected in the dataframe widget ``key`` (empty when none)."""
    event = st.session_state.get(key) or {}
    selection = event.get("selection") if hasattr(event, "get") else getattr(event, "selection", None)
    rows = (selection.get("rows") if hasattr(selection, "get") else getattr(selection, "rows", None)) or ()
    return tuple(int(r) for r in rows)


def dates() -> tuple:
    """The date window the date widget shows now (one date while a range is being picked)."""
    return tuple(st.session_state.get(DATES) or ())


def set_dates(window: tuple[dt.date, dt.date]) -> None:
    st.session_state[DATES] = window


def notices() -> list[str]:
    return list(st.session_state.get(_NOTICES, []))


def current_filter(span: tuple[dt.date, dt.date]) -> EventFilter:
    """The filter the widgets show now. The full data span counts as "no date limit"."""
    ss = st.session_state
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


def view_state(span: tuple[dt.date, dt.date]) -> ViewState:
    ss = st.session_state
    return ViewState(
        flt=current_filter(span),
        basemap=ss.get(BASEMAP, query_codec.DEFAULT_BASEMAP),
        center=tuple(ss.get(_CENTER, query_codec.DEFAULT_CENTER)),
        zoom=int(ss.get(_ZOOM, query_codec.DEFAULT_ZOOM)),
        cluster=bool(ss.get(CLUSTER, False)),
        heat=bool(ss.get(HEAT, False)),
        selected=ss.get(_SELECTED),
        present=bool(ss.get(_PRESENT, False)),
        play=ss.get(_PLAY),
        local_names=bool(ss.get(SCRIPT, False)),
        compare=compare_value(),
    )


def write_url(state: ViewState, default_basemap: str) -> None:
    """Make the address bar reproduce ``state``; only touches it when something changed."""
    params = query_codec.encode(state, default_basemap=default_basemap)
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)


def set_view(center: tuple[float, float], zoom: int) -> None:
    st.session_state[_CENTER] = (round(float(center[0]), 4), round(float(center[1]), 4))
    st.session_state[_ZOOM] = int(zoom)


MAP = page_style.MAP_KEY  # the map component's key: its latest report is here before each rerun


def take_map_report() -> None:
    """Adopt the view the map reported last (before the map component runs), so the app never sends the map back
    to an older view after the user panned."""
    report = st.session_state.get(MAP) or {}
    center, zoom = report.get("center"), report.get("zoom")
    if center and zoom:
        set_view((center["lat"], center["lng"]), zoom)
        set_bounds(report.get("bounds"))


def request_view(center: tuple[float, float], zoom: int) -> None:
    """Ask the map to move (a deep link, a table selection). Only this moves the map: the view the map reports
    goes to the URL but is never sent back, so a rerun can never pull the map away from where the user is."""
    st.session_state[_REQUESTED] = ((round(float(center[0]), 4), round(float(center[1]), 4)), int(zoom))


def go_to_place(places) -> None:
    """The "Go to place" box's callback: ask the map to show the place chosen (``places``: the box's options,
    dashboard/places.py), then empty the box for the next search."""
    index = st.session_state.get(PLACE)
    if isinstance(index, int) and 0 <= index < len(places):
        place = places[index]
        request_view((place.lat, place.lon), place.zoom)
    st.session_state[PLACE] = None


def requested_view(basemap: str) -> tuple[tuple[float, float], int]:
    """The view to hand the map component. A new basemap builds a new map, so it is asked for where the user was."""
    ss = st.session_state
    if ss.get(_REQUESTED_FOR) != basemap:
        ss[_REQUESTED_FOR] = basemap
        request_view(ss.get(_CENTER, query_codec.DEFAULT_CENTER), ss.get(_ZOOM, query_codec.DEFAULT_ZOOM))
    return ss.get(_REQUESTED, (query_codec.DEFAULT_CENTER, query_codec.DEFAULT_ZOOM))


def opening_view() -> tuple[tuple[float, float], int]:
    """The view the session opened with (from its URL). The base map is built at this view and never moved by
    rebuilding: a changing view would change the map's script and remount it. Later views travel through
    the map component's ``view`` argument instead."""
    return st.session_state.get(_OPENING_VIEW, (query_codec.DEFAULT_CENTER, query_codec.DEFAULT_ZOOM))


def set_bounds(bounds) -> None:
    st.session_state[_BOUNDS] = bounds


def bounds():
    return st.session_state.get(_BOUNDS)


def select(event_id: str | None, *, focus: bool = False, from_map: bool = False) -> None:
    """Select an event (None: no selection). ``focus`` asks the map to fly to it (a table row was picked).

    Any selection not made in the table itself (the map, a cleared selection) gives the table a new identity, so
    that it marks the selected row (or none) instead of keeping the row the user last picked in it."""
    ss = st.session_state
    if from_map or event_id is None:
        ss[_TABLE_GENERATION] = ss.get(_TABLE_GENERATION, 0) + 1
    ss[_SELECTED] = event_id
    ss[_FOCUS] = bool(focus and event_id)


def set_play(param: str | None) -> None:
    """The playback step the page shows (``dashboard.playback`` URL form), or None for playback off."""
    st.session_state[_PLAY] = param


def table_key() -> str:
    """The events table's widget key: changes whenever the selection changed outside the table."""
    return f"{TABLE}_{st.session_state.get(_TABLE_GENERATION, 0)}"


def adopt_table_selection(rows: tuple) -> None:
    """The table shows ``rows`` as selected because the app marked them: not a new pick by the user."""
    st.session_state[_LAST_TABLE] = rows


def take_focus_request() -> bool:
    """True once after a table selection asked the map to fly to the selected event."""
    return bool(st.session_state.pop(_FOCUS, False))


def take_play_report(report) -> bool:
    """Adopt the playback frame the map reported (once per report); True when it changed the state."""
    if not isinstance(report, dict) or report.get("token") in (None, st.session_state.get(_LAST_PLAY)):
        return False
    st.session_state[_LAST_PLAY] = report.get("token")
    play = playback.from_report(report)
    st.session_state[_PLAY] = play.to_param() if play else None
    return True


def new_click(token) -> bool:
    """True when the map reports a click not seen before (its value repeats the last one on every rerun)."""
    if token is None or token == st.session_state.get(_LAST_CLICK):
        return False
    st.session_state[_LAST_CLICK] = token
    return True


def new_table_selection(rows: tuple) -> bool:
    if rows == st.session_state.get(_LAST_TABLE, ()):
        return False
    st.session_state[_LAST_TABLE] = rows
    return True


# Team data (dashboard/team_data.py): who edits, which version each edit started from, a message across a rerun.
TEAM_AUTHOR = "w_team_author"
_EDIT_BASE = "_team_edit_base"
_TEAM_FLASH = "_team_flash"


_LAID_OUT = "_page_laid_out"
_ALONE_SINCE = "_map_alone_since"
#: Seconds a browser session's page waits for its map to draw before laying out the rest anyway.
MAP_ALONE_AT_MOST = 2.0


def map_alone(map_drawn: bool) -> bool:
    """Whether this run lays out the map alone: a browser session's runs until its map reports that it has drawn
    (``map_drawn``) or :data:`MAP_ALONE_AT_MOST` seconds have passed; every later run lays out the whole page.

    Without a browser (AppTest, a bare script run) there is no map to report back, so every run is a full one.
    """
    ss = st.session_state
    if ss.get(_LAID_OUT):
        return False
    ss.setdefault(_ALONE_SINCE, time.monotonic())
    if map_drawn or map_alone_overdue() or not _compat.request_has_browser():
        ss[_LAID_OUT] = True
        return False
    return True


def map_alone_overdue() -> bool:
    """The map has been alone for :data:`MAP_ALONE_AT_MOST` seconds without reporting that it has drawn."""
    since = st.session_state.get(_ALONE_SINCE)
    return (not st.session_state.get(_LAID_OUT) and since is not None
            and time.monotonic() - since >= MAP_ALONE_AT_MOST)


def edit_base(event_id: str, version: int) -> int:
    """The version this session started editing ``event_id`` from: remembered the first time, so a newer version
    saved meanwhile by someone else is detected as a conflict instead of being overwritten."""
    bases = st.session_state.setdefault(_EDIT_BASE, {})
    return bases.setdefault(event_id, int(version))


def forget_edit_base(event_id: str) -> None:
    st.session_state.setdefault(_EDIT_BASE, {}).pop(event_id, None)


def flash(message: str | None = None) -> str | None:
    """Keep ``message`` for the next run (a write reruns the page to show the new data); without one, take it."""
    if message is not None:
        st.session_state[_TEAM_FLASH] = message
        return None
    return st.session_state.pop(_TEAM_FLASH, None)


# Compare periods and the timeline (dashboard/compare_panel.py, dashboard/timeline_panel.py), the status date
# (dashboard/crossings_panel.py).
COMPARE = "w_compare"  #: "off", "prev", "year" or "custom"
COMPARE_DATES = "w_compare_dates"  #: period A when COMPARE is "custom"
COMPARE_CHOICES = ("off", "prev", "year", "custom")
GRANULARITY = "w_granularity"
STATUS_OWN_DAY = "w_status_own_day"
STATUS_DAY = "w_status_day"
_TIMELINE_GENERATION = "_timeline_generation"


def seed_compare(param: str | None) -> None:
    """Set the compare widgets from the link's ``compare`` (already checked by the codec)."""
    from geodata.compare import parse_compare

    spec = parse_compare(param)
    ss = st.session_state
    if isinstance(spec, tuple):
        ss[COMPARE], ss[COMPARE_DATES] = "custom", spec
    else:
        ss[COMPARE] = spec or "off"


def compare_choice() -> str:
    return st.session_state.get(COMPARE, "off")


def ensure_compare_dates(default: tuple[dt.date, dt.date]) -> None:
    st.session_state.setdefault(COMPARE_DATES, default)


def compare_value() -> str | None:
    """The compared period A in its link form (``prev``, ``year``, ``START..END``), or None when off. A custom
    period still being picked (one day) counts as off."""
    ss = st.session_state
    choice = ss.get(COMPARE, "off")
    if choice in ("prev", "year"):
        return choice
    dates = tuple(ss.get(COMPARE_DATES) or ())
    if choice == "custom" and len(dates) == 2 and dates[0] <= dates[1]:
        return f"{dates[0].isoformat()}..{dates[1].isoformat()}"
    return None


def only_type(event_type: str | None) -> None:
    """Tick one event type and untick every other (None: tick them all)."""
    for t in EventType:
        st.session_state[type_key(t.value)] = event_type is None or t.value == event_type


def set_dates_from_chart(window: tuple[dt.date, dt.date], span: tuple[dt.date, dt.date]) -> None:
    """The dates brushed on the timeline become the filter's (clamped to the date widget's range); the chart gets
    a new identity so its brush does not linger over the narrowed chart."""
    start = max(min(window[0], span[1]), span[0])
    end = max(min(window[1], span[1]), span[0])
    st.session_state[DATES] = (start, end)
    st.session_state[_TIMELINE_GENERATION] = st.session_state.get(_TIMELINE_GENERATION, 0) + 1


def widget_value(key: str):
    """What a widget (e.g. a chart's selection) holds now, or None."""
    return st.session_state.get(key)


def timeline_key() -> str:
    return f"w_timeline_{st.session_state.get(_TIMELINE_GENERATION, 0)}"


def status_own_day_on() -> bool:
    return bool(st.session_state.get(STATUS_OWN_DAY, False))


def ensure_status_day(default: dt.date) -> None:
    st.session_state.setdefault(STATUS_DAY, default)


def status_own_day() -> dt.date | None:
    """The analyst's own "status on" date, or None when it follows the filter."""
    day = st.session_state.get(STATUS_DAY) if status_own_day_on() else None
    return day if isinstance(day, dt.date) else None

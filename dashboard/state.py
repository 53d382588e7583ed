"""The widgets' keys (constants) and what the sidebar, timeline, comparison and status-date widgets hold; when the
page lays out the map alone.

The session's other holdings have a module per concern, each over an injectable mapping: the view and its link
(dashboard/url_view.py), the reports acted on (dashboard/report_tokens.py), team edits (dashboard/team_edits.py),
uploaded files (dashboard/session_files.py). Together with them, the only modules touching st.query_params and
st.session_state."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import MutableMapping

import streamlit as st

from dashboard import _compat, query_codec
from geodata import EventType

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

ANY_DISTANCE = "any"
DISTANCE_CHOICES = (ANY_DISTANCE, *(str(km) for km in query_codec.DISTANCE_CHOICES_KM))


def type_key(event_type: str) -> str:
    return TYPE_PREFIX + event_type


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


# Compare periods and the timeline (dashboard/compare_panel.py, dashboard/timeline_panel.py), the status date
# (dashboard/crossings_panel.py).
COMPARE = "w_compare"  #: "off", "prev", "year" or "custom"
COMPARE_DATES = "w_compare_dates"  #: period A when COMPARE is "custom"
COMPARE_CHOICES = ("off", "prev", "year", "custom")
GRANULARITY = "w_granularity"
STATUS_OWN_DAY = "w_status_own_day"
STATUS_DAY = "w_status_day"
_TIMELINE_GENERATION = "_timeline_generation"


def seed_compare(param: str | None, session: MutableMapping | None = None) -> None:
    """Set the compare widgets from the link's ``compare`` (already checked by the codec)."""
    from geodata.compare import parse_compare

    spec = parse_compare(param)
    ss = st.session_state if session is None else session
    if isinstance(spec, tuple):
        ss[COMPARE], ss[COMPARE_DATES] = "custom", spec
    else:
        ss[COMPARE] = spec or "off"


def compare_choice() -> str:
    return st.session_state.get(COMPARE, "off")


def ensure_compare_dates(default: tuple[dt.date, dt.date]) -> None:
    st.session_state.setdefault(COMPARE_DATES, default)


def compare_value(session: MutableMapping | None = None) -> str | None:
    """The compared period A in its link form (``prev``, ``year``, ``START..END``), or None when off. A custom
    period still being picked (one day) counts as off."""
    ss = st.session_state if session is None else session
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

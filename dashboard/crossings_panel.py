"""Crossings and markets on a date: every place with its recorded status that day, since when, until when, and the
source of that status period. The day follows the filter's end date unless the analyst sets one; it is never later
than the data's as-of date without the page saying so (:func:`geodata.status_day`)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import cache, state
from dashboard.panels import crossing_names
from dashboard.text import md_escape, safe_urls
from geodata import EventType, StatusDay, format_day, places_on, status_day

_TYPE_LABELS = {t.value: t.label for t in EventType}
STATUS_ORDER = ("closed", "restricted", "open", "")


def counts_words(table: pd.DataFrame, day: StatusDay) -> str:
    """"On 20 Jun 2025: 1 closed, 1 restricted, 0 open; 8 with no status recorded that day." (plain text)"""
    n = table["status"].value_counts()
    parts = ", ".join(f"{int(n.get(s, 0))} {s}" for s in STATUS_ORDER[:3])
    none = int(n.get("", 0))
    return f"On {day.words()}: {parts}; {none} with no status recorded that day."


def table_frame(table: pd.DataFrame, events: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """The table as shown: name, type, status (or why none), since, until, note, source."""
    opened = pd.to_datetime(table["opened"])
    not_yet = opened.notna() & (opened > pd.Timestamp(day))
    status = table["status"].str.capitalize().where(table["status"] != "", "No record")
    status = status.where(~not_yet, "Not open yet")
    return pd.DataFrame({
        "Place": [n or p for n, p in zip(crossing_names(events, table["place_id"]), table["place_id"])],
        "Type": table["event_type"].map(_TYPE_LABELS),
        f"Status on {format_day(day)}": status,
        "Since": pd.to_datetime(table["since"]).dt.date,
        "Until": pd.to_datetime(table["until"]).dt.date,
        "Opened": opened.dt.date,
        "Note": table["note"],
        "Status source": table["source_title"],
        "Link": safe_urls(table["source_url"]),
    })


def tables(events: pd.DataFrame, periods: pd.DataFrame, day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(:func:`geodata.places_on` of the day, :func:`table_frame` of it); the second is None when there are none."""
    table = places_on(events, periods, day)
    return table, None if table.empty else table_frame(table, events, day)


def asked_day(filter_end: dt.date | None, today: dt.date) -> dt.date:
    """The day asked for: the analyst's own date when set, else the filter's end date (else today)."""
    own = state.status_own_day()
    return own if own is not None else (filter_end or today)


def render(events: pd.DataFrame, periods: pd.DataFrame, filter_end: dt.date | None, as_of: dt.date | None,
           span: tuple[dt.date, dt.date]) -> None:
    """The date control, the counts in words and the table of every crossing and market."""
    today = dt.date.today()
    left, right = st.columns([1, 2])
    left.toggle("Set the status date", key=state.STATUS_OWN_DAY,
                help="Off: the status on the filter's end date (today without one), as on the map.")
    if state.status_own_day_on():
        state.ensure_status_day(min(filter_end or today, as_of or today))
        right.date_input("Status on", key=state.STATUS_DAY, min_value=span[0], max_value=span[1],
                         format="YYYY-MM-DD")
    day = status_day(asked_day(filter_end, today), today, as_of)
    table, frame = cache.per_frame(events, tables, periods, day.day)  # per dataset and day, not per session
    if table.empty:
        st.caption("No crossings or markets in the data.")
        return
    if day.capped:  # said in the counts line too; a date the analyst typed gets a warning
        words = (f"{format_day(day.asked)} is after the data's as-of date: the status shown is the one recorded on "
                 f"{format_day(day.day)}; nothing is recorded after it.")
        if state.status_own_day() is not None:
            st.warning(words, icon=":material/event_busy:")
        else:
            st.caption(words)
    st.markdown(md_escape(counts_words(table, day)))
    st.dataframe(
        frame, hide_index=True, placeholder="",
        column_config={"Link": st.column_config.LinkColumn("Link", display_text="open source")},
    )
    st.caption("A day inside no recorded period has no status: the sources read say nothing about it, which is not "
               "a claim that the place was open.")

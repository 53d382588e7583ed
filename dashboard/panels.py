"""Panels beside and below the map: counts, metrics, timeline, table, event details, key dates."""

from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.text import format_fatalities, format_period, place_name, safe_url
from geodata import EventType

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(value) -> str:
    """Plain text for st.markdown: every markdown/HTML control character escaped, so data text stays text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return _MD_SPECIAL.sub(r"\\\1", str(value)).replace("\n", " ")


def count_caption(shown: int, total: int) -> str:
    return f"{shown} of {total} events"


def metrics(shown: pd.DataFrame) -> None:
    places = shown["event_type"].isin([t.value for t in EventType if t.is_place])
    incidents = shown[~places]
    fatalities = incidents["fatalities"]
    unknown = int(fatalities.isna().sum())
    a, b, c = st.columns(3)
    a.metric("Incidents", len(incidents))
    b.metric(
        "Fatalities (reported)",
        int(fatalities.fillna(0).sum()),
        help=f"Sum of best estimates; {unknown} incident(s) have no reported figure." if unknown else "Sum of best estimates.",
    )
    c.metric("Crossings and markets", int(places.sum()))


def timeline(shown: pd.DataFrame, window=None) -> None:
    """Incidents per month by type; ``window`` (start, end) marks the time-playback frame on the map."""
    incidents = shown[~shown["event_type"].isin([t.value for t in EventType if t.is_place]) & shown["date"].notna()]
    if incidents.empty:
        st.caption("Timeline: no dated incidents match the filters.")
        return
    frame = pd.DataFrame(
        {
            "month": incidents["date"].dt.to_period("M").dt.to_timestamp(),
            "type": incidents["event_type"].map(lambda v: EventType(v).label),
        }
    )
    counts = frame.groupby(["month", "type"]).size().reset_index(name="events")
    types = [t for t in EventType if t.label in set(counts["type"])]
    chart = (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title="Month"),
            y=alt.Y("sum(events):Q", title="Events per month", stack=True),
            color=alt.Color(
                "type:N",
                scale=alt.Scale(domain=[t.label for t in types], range=[t.colour for t in types]),
                legend=alt.Legend(title="Type", orient="bottom"),
            ),
            tooltip=[alt.Tooltip("yearmonth(month):T", title="Month"), "type:N", "events:Q"],
        )
        .properties(height=220)
    )
    if window:
        frame = pd.DataFrame({"start": [pd.Timestamp(window[0])], "end": [pd.Timestamp(window[1]) + pd.Timedelta(days=1)],
                              "label": [f"On the map: {window[0]:%d %b %Y} – {window[1]:%d %b %Y}"]})
        marker = alt.Chart(frame).mark_rect(color="#111111", opacity=0.12).encode(
            x="start:T", x2="end:T", tooltip=alt.Tooltip("label:N", title="Playback"))
        chart = alt.layer(marker, chart)
        st.caption(f"Shaded: the playback frame on the map, {window[0]:%d %b %Y} – {window[1]:%d %b %Y}.")
    st.altair_chart(chart, width="stretch")


#: The table lists at most this many events (newest first): a 100k-row table cost ~23 MB of Arrow per rerun.
TABLE_ROWS = 1_000


def table_frame(shown: pd.DataFrame, limit: int | None = TABLE_ROWS) -> pd.DataFrame:
    """The filtered events as the table shows them: newest first (undated places last), at most ``limit`` rows."""
    dates = shown["date"]
    order = np.lexsort((np.arange(len(shown)), dates.isna().to_numpy(),
                        -dates.fillna(pd.Timestamp(0)).to_numpy("datetime64[ns]").astype("int64")))
    rows = shown.iloc[order[:limit] if limit else order]
    district = rows["district"].astype("string").fillna("")
    province = rows["province"].astype("string").fillna("")
    return pd.DataFrame(
        {
            "Date": rows["date"].dt.date,
            "Type": rows["event_type"].map(lambda v: EventType(v).label),
            "Title": rows["title"],
            "Place": (district + ", " + province).str.strip(", ").where((district != "") & (province != ""),
                                                                         district + province),
            "Fatalities": rows["fatalities"],
            "Border km": rows["distance_to_border_km"].round(0),
            "Precision": rows["location_precision"],
            "Source": [safe_url(u) for u in rows["source_url"]],
            "id": rows["id"],
        }
    ).reset_index(drop=True)


def table(shown: pd.DataFrame) -> str | None:
    """Sortable table; returns the id of a row the user just selected (None when unchanged)."""
    frame = table_frame(shown)
    if len(shown) > len(frame):
        st.caption(f"The {len(frame):,} newest of {len(shown):,} events; narrow the filters or download the CSV "
                   "below for all of them.")
    result = st.dataframe(
        frame,
        key=state.TABLE,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "Source": st.column_config.LinkColumn("Source", display_text="open source"),
            "Fatalities": st.column_config.NumberColumn(format="%d"),
            "Border km": st.column_config.NumberColumn(format="%d"),
            "id": None,
        },
        height=min(420, 38 + 35 * max(len(frame), 1)),
    )
    rows = tuple(getattr(getattr(result, "selection", None), "rows", ()) or ())
    if state.new_table_selection(rows) and rows and rows[0] < len(frame):
        return str(frame.loc[rows[0], "id"])
    return None


def details(events: pd.DataFrame, selected: str | None) -> None:
    if not selected:
        st.caption("Click a point on the map or a row in the table to see its details here.")
        return
    match = events[events["id"] == selected]
    if match.empty:
        st.caption("The selected event is not in the data.")
        return
    row = match.iloc[0]
    kind = EventType(row["event_type"])
    st.markdown(f"#### {md_escape(row['title'])}")
    st.markdown(f"**{md_escape(kind.label)}** · {md_escape(format_period(row))}")
    lines = [f"**Place:** {md_escape(place_name(row))} (location precision: {md_escape(row['location_precision'])})"]
    if not kind.is_place:
        lines.append(f"**Fatalities:** {md_escape(format_fatalities(row))}")
    if isinstance(row.get("actors"), str):
        lines.append(f"**Actors:** {md_escape(row['actors'])}")
    lines.append(
        f"**Distance to border:** {row['distance_to_border_km']:.0f} km, {md_escape(row['side'])} side · "
        f"nearest crossing: {md_escape(row.get('nearest_crossing'))} ({row.get('nearest_crossing_km', float('nan')):.0f} km)"
    )
    if isinstance(row.get("description"), str):
        lines.append(md_escape(row["description"]))
    url = safe_url(row.get("source_url"))
    source = md_escape(row.get("source_title") or "source")
    # <...> keeps the whole URL as the link target: a ")" in it cannot end the link early (CommonMark).
    lines.append(f"**Source:** [{source}](<{url}>)" if url else f"**Source:** {source} (no plain http(s) link)")
    st.markdown("  \n".join(lines))


def key_dates(frame: pd.DataFrame) -> None:
    shown = pd.DataFrame(
        {
            "Date": frame["date"].dt.date,
            "Event": frame["title"],
            "Where": frame["place"],
            "Source": [safe_url(u) for u in frame["source_url"]],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        column_config={"Source": st.column_config.LinkColumn("Source", display_text="open source")},
    )

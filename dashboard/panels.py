"""Panels beside and below the map: counts, metrics, timeline, table, event details, key dates."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import cache, report_tokens, url_view
from dashboard.text import (
    format_fatalities,
    format_period,
    md_escape,
    place_name,
    place_names,
    safe_url,
    safe_urls,
)
from geodata import (
    DataAsOf,
    EventFilter,
    EventType,
    PlaceStatusError,
    data_as_of,
    describe_filter,
    format_day,
    periods_of,
)
from geodata.actors import actor_names
from geodata.frame_index import FrameIndex
from geodata.models import PLACE_TYPES
from geodata.towns import nearest_town

#: How problem reports count rows (geodata.Problem): as a spreadsheet shows them, so "row 6" is the fifth data row.
ROW_NUMBERS = "Rows are numbered as in a spreadsheet: the header is row 1, so the first data row is row 2."

def count_caption(shown: int, total: int) -> str:
    return f"{shown} of {total} events"


def trust_line(events: pd.DataFrame, as_of: DataAsOf | None = None, subject: str = "Data") -> str:
    """The trust line for the curated rows, "Sources reviewed to DATE; newest reported event DATE · N events ·
    M sources" (:meth:`geodata.DataAsOf.text`; an upload or a filter never changes it);
    ``as_of`` gives the facts when ``events`` are not all of them (a page of the team store); ``subject`` replaces
    "Data" (see :meth:`geodata.DataAsOf.text`)."""
    return (as_of or data_as_of(events)).text(subject)


def header_caption(shown: int, total: int, flt: EventFilter, province_names: dict[str, str], events: pd.DataFrame,
                   source: str, upload_label: str = "", as_of: DataAsOf | None = None, playback: str = "") -> str:
    """The two lines under the title: what is shown and why, then how current and well sourced the data is.

    ``upload_label`` is the uploaded file's name, already markdown-escaped (as :mod:`dashboard.user_data` gives it);
    ``as_of`` as for :func:`trust_line`; ``playback`` the paused playback step in words, if any.
    """
    upload = f" + {upload_label}" if upload_label else ""
    step = f" · {md_escape(playback)}" if playback else ""
    return (f"**{count_caption(shown, total)}** · {md_escape(describe_filter(flt, province_names))}{step}  \n"
            f"{md_escape(trust_line(events, as_of))} · data: {md_escape(source)}{upload}")


_LABELS = {t.value: t.label for t in EventType}


def metric_values(shown: pd.DataFrame, counts: pd.DataFrame | None = None) -> tuple[int, int, int, int]:
    """(incidents, reported fatalities, incidents without a figure, crossings and markets) of the shown events,
    or of ``counts`` (``geodata.store.monthly_counts``) when given: a capped page's every matching event."""
    if counts is not None:
        place = counts["event_type"].isin(PLACE_TYPES)
        incidents = counts[~place]
        return (int(incidents["events"].sum()), int(incidents["fatalities"].sum()),
                int(incidents["unknown_fatalities"].sum()), int(counts.loc[place, "events"].sum()))
    return metric_values_of(FrameIndex(shown))


def metric_values_of(index: FrameIndex, rows: np.ndarray | None = None) -> tuple[int, int, int, int]:
    """:func:`metric_values` of the rows of ``index.events`` picked by ``rows`` (a boolean mask; None: all), from
    the dataset's codes (no copy of the rows)."""
    places, dead, unknown = index.derived("metrics", lambda: _metric_columns(index))
    incidents = ~places if rows is None else rows & ~places
    return (int(np.count_nonzero(incidents)), int(np.add.reduce(dead, where=incidents)),
            int(np.count_nonzero(incidents & unknown)), int(np.count_nonzero(places if rows is None else places & rows)))


def _metric_columns(index: FrameIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: a place?, reported fatalities (0 when none), no figure?"""
    places = index.per_value("event_type", lambda values: values["event_type"].isin(PLACE_TYPES).to_numpy())
    return places, *index.figures("fatalities")


def page_metrics(index: FrameIndex, rows: np.ndarray, counts: pd.DataFrame | None = None) -> tuple[int, int, int, int]:
    """:func:`metric_values` of the rows of ``index.events`` picked by ``rows``, or of ``counts`` when given."""
    return metric_values(index.events.iloc[:0], counts) if counts is not None else metric_values_of(index, rows)


def metrics(index: FrameIndex, rows: np.ndarray, counts: pd.DataFrame | None = None) -> None:
    """Incidents, fatalities and places of the rows shown (of ``counts`` when given, see metric_values)."""
    incidents, fatalities, unknown, places = page_metrics(index, rows, counts)
    a, b, c = st.columns(3)
    a.metric("Incidents", incidents)
    b.metric(
        "Fatalities (reported)",
        fatalities,
        help=f"Sum of best estimates; {unknown} incident(s) have no reported figure." if unknown else "Sum of best estimates.",
    )
    c.metric("Crossings and markets", places)


TIMELINE_TITLE = "Incidents per month"


def monthly_incidents(shown: pd.DataFrame, counts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dated incidents per month and type label (columns month, type, events): of the shown events, or of
    ``counts`` (``geodata.store.monthly_counts``) when given."""
    if counts is not None:
        dated = counts[~counts["event_type"].isin(PLACE_TYPES) & counts["month"].notna()]
        frame = pd.DataFrame({"month": dated["month"], "type": dated["event_type"].map(_LABELS),
                              "events": dated["events"]})
        return frame.groupby(["month", "type"])["events"].sum().reset_index()
    columns = shown[["event_type", "date"]]  # the rows of these two only: filtering every column copies them all
    incidents = columns[~columns["event_type"].isin(PLACE_TYPES) & columns["date"].notna()]
    frame = pd.DataFrame(
        {
            "month": incidents["date"].dt.to_period("M").dt.to_timestamp(),
            "type": incidents["event_type"].map(_LABELS),
        }
    )
    return frame.groupby(["month", "type"]).size().reset_index(name="events")


def timeline(shown: pd.DataFrame, window=None, counts: pd.DataFrame | None = None) -> None:
    """Incidents per month by type; ``window`` (start, end) marks the time-playback frame on the map; ``counts``
    as for :func:`monthly_incidents`."""
    counts = monthly_incidents(shown, counts)
    if counts.empty:
        st.caption("Timeline: no dated incidents match the filters.")
        return
    import altair as alt  # with the first chart, not on the page's imports: ~0.6 s before a new server's first map

    types = [t for t in EventType if t.label in set(counts["type"])]
    chart = (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title="Month"),
            # The unit goes in the chart's title: a vertical axis title longer than the plot is cut off.
            y=alt.Y("sum(events):Q", title=None, stack=True, axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "type:N",
                scale=alt.Scale(domain=[t.label for t in types], range=[t.colour for t in types]),
                legend=alt.Legend(title="Type", orient="bottom"),
            ),
            tooltip=[alt.Tooltip("yearmonth(month):T", title="Month"), "type:N", "events:Q"],
        )
    )
    if window:
        frame = pd.DataFrame({"start": [pd.Timestamp(window[0])], "end": [pd.Timestamp(window[1]) + pd.Timedelta(days=1)],
                              "label": [f"On the map: {format_day(window[0])} – {format_day(window[1])}"]})
        marker = alt.Chart(frame).mark_rect(color="#111111", opacity=0.12).encode(
            x="start:T", x2="end:T", tooltip=alt.Tooltip("label:N", title="Playback"))
        chart = alt.layer(marker, chart)
        st.caption(f"Shaded: the playback frame on the map, {format_day(window[0])} – {format_day(window[1])}.")
    # fit-x: the height is the plot's own; under Streamlit's default ("fit") the legend and axes shared it and
    # left a sliver of plot with its axis title cut.
    chart = chart.properties(height=200, title=TIMELINE_TITLE,
                             autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
                             padding={"top": 6, "left": 5, "right": 5, "bottom": 5})  # room for the title's ascenders
    st.altair_chart(chart, width="stretch")


#: The table lists at most this many events (newest first): a 100k-row table cost ~23 MB of Arrow per rerun.
TABLE_ROWS = 1_000


#: The columns the table reads (its own and those of place_names and actor_names).
_TABLE_READS = ("date", "event_type", "title", "district", "province", "actors", "actor_ids", "country", "fatalities",
                "distance_to_border_km", "location_precision", "source_url", "id")


def table_frame(shown: pd.DataFrame, limit: int | None = TABLE_ROWS) -> pd.DataFrame:
    """The filtered events as the table shows them: newest first (undated places last), at most ``limit`` rows."""
    return table_frame_of(FrameIndex(shown), None, limit)


def table_frame_of(index: FrameIndex, rows: np.ndarray | None, limit: int | None = TABLE_ROWS) -> pd.DataFrame:
    """:func:`table_frame` of the rows of ``index.events`` picked by ``rows`` (None: all): only the rows listed
    are taken."""
    every = np.ones(len(index), dtype=bool) if rows is None else rows
    events = index.events
    rows = events[[c for c in _TABLE_READS if c in events]].iloc[index.first_rows(every, limit)]
    return pd.DataFrame(
        {
            "Date": rows["date"].dt.date,
            "Type": rows["event_type"].map(_LABELS),
            "Title": rows["title"],
            "Place": place_names(rows),
            "Actors": actor_names(rows),
            "Fatalities": rows["fatalities"],
            "Border km": rows["distance_to_border_km"].round(0),
            "Precision": rows["location_precision"],
            "Source": safe_urls(rows["source_url"]),
            "id": rows["id"],
        }
    ).reset_index(drop=True)


#: Rows the table shows without scrolling; a selected row further down is named in a caption.
_TABLE_VISIBLE = 10


def table(index: FrameIndex, rows: np.ndarray, selected: str | None = None) -> str | None:
    """Sortable table of the rows of ``index.events`` picked by ``rows``, with the ``selected`` event's row
    marked; returns the id of a row the user just selected (None when unchanged)."""
    shown = int(np.count_nonzero(rows))
    frame = (cache.per_frame(index.events, table_frame) if shown == len(index)
             else table_frame_of(index, rows))  # a page of TABLE_ROWS rows: only they are taken
    if shown > len(frame):
        st.caption(f"The {len(frame):,} newest of {shown:,} events; narrow the filters or download the CSV "
                   "below for all of them.")
    marked = tuple(int(r) for r in np.flatnonzero(frame["id"].to_numpy() == selected)[:1]) if selected else ()
    key = url_view.table_key()
    if key not in st.session_state:  # a new table: it starts with the selected row marked, which is no new pick
        report_tokens.adopt_table_selection(marked)
    if marked and marked[0] >= _TABLE_VISIBLE:
        st.caption(f"Selected: row {marked[0] + 1:,} of {len(frame):,} (marked; scroll the table to see it).")
    elif selected and not marked and shown > len(frame):
        st.caption(f"The selected event is not among the table's {len(frame):,} newest rows.")
    result = st.dataframe(
        frame,
        key=key,
        selection_default={"selection": {"rows": list(marked)}} if marked else None,
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
        placeholder="",  # a missing value is a blank cell, not the word "None"
    )
    rows = tuple(getattr(getattr(result, "selection", None), "rows", ()) or ())
    if report_tokens.new_table_selection(rows) and rows and rows[0] < len(frame):
        return str(frame.loc[rows[0], "id"])
    return None


#: A crossing's title names its two border towns first ("Mand–Pishin border crossing opened").
_TOWN_PAIR = re.compile(r"^([^\s–]+(?: [^\s–]+)?–[^\s–]+)")


def crossing_name(events: pd.DataFrame, crossing_id) -> str:
    """A crossing as people name it, e.g. "Mand–Pishin" for ``crossing-mand-pishin``.

    Titles describe the crossing's row ("… border crossing opened"); the name is its pair of border towns when the
    title starts with one, else the title up to "opened". An id missing from the data is shown as it is."""
    if not isinstance(crossing_id, str) or not crossing_id:
        return ""
    match = events.loc[events["id"] == crossing_id, "title"]
    return _name_of(match.iloc[0] if not match.empty else None, crossing_id)


def crossing_names(events: pd.DataFrame, crossing_ids) -> list[str]:
    """:func:`crossing_name` of each of ``crossing_ids``, with one lookup for all (not a scan per place)."""
    ids = [c if isinstance(c, str) else "" for c in crossing_ids]
    rows = events.loc[events["id"].isin(set(ids) - {""}), ["id", "title"]].drop_duplicates("id")
    titles = dict(zip(rows["id"], rows["title"]))
    return [_name_of(titles.get(c), c) if c else "" for c in ids]


def _name_of(title, crossing_id: str) -> str:
    if not isinstance(title, str):
        return crossing_id
    title = title.strip()
    pair = _TOWN_PAIR.match(title)
    return pair.group(1) if pair else re.split(r"\s+opened\b", title, maxsplit=1)[0]


def _source_link(title, url) -> str:
    link = safe_url(url)
    text = md_escape(title or "source")
    # <...> keeps the whole URL as the link target: a ")" in it cannot end the link early (CommonMark).
    return f"[{text}](<{link}>)" if link else f"{text} (no plain http(s) link)"


def status_periods(periods: pd.DataFrame) -> list[str]:
    """One markdown line per status period, oldest first: status, dates, note and source (all data escaped)."""
    lines = []
    for _, period in periods.iterrows():
        until = "ongoing" if pd.isna(period["end"]) else f"{period['end']:%Y-%m-%d}"
        note = f" — {md_escape(period['note'])}" if isinstance(period.get("note"), str) and period["note"] else ""
        lines.append(f"- **{md_escape(str(period['status']).capitalize())}** {period['start']:%Y-%m-%d} to "
                     f"{until}{note} · source: {_source_link(period.get('source_title'), period.get('source_url'))}")
    return lines


def details(events: pd.DataFrame, selected: str | None, status: pd.DataFrame | None = None) -> None:
    """The selected event in full; for a crossing or market also its recorded status periods with sources
    (from ``status``, default the shipped ones)."""
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
    if row["location_precision"] in ("district", "province"):  # the point is a district's centre: say what is near
        town = nearest_town(float(row["lat"]), float(row["lon"]))
        if town:
            lines.append(f"**Nearest town to the point shown:** {md_escape(town[0])}, {town[1]:.0f} km (GeoNames)")
    if not kind.is_place:
        lines.append(f"**Fatalities:** {md_escape(format_fatalities(row))}")
    if isinstance(row.get("actors"), str):
        lines.append(f"**Actors:** {md_escape(row['actors'])}")
    # A crossing's nearest crossing is itself: nothing to add.
    crossing = "" if row.get("nearest_crossing") == selected else crossing_name(events, row.get("nearest_crossing"))
    nearest = (f" · nearest crossing: {md_escape(crossing)} ({row.get('nearest_crossing_km', float('nan')):.0f} km)"
               if crossing else "")
    lines.append(f"**Distance to border:** {row['distance_to_border_km']:.0f} km, {md_escape(row['side'])} side"
                 + nearest)
    if isinstance(row.get("description"), str):
        lines.append(md_escape(row["description"]))
    lines.append(f"**Source:** {_source_link(row.get('source_title'), row.get('source_url'))}")
    st.markdown("  \n".join(lines))
    if kind.is_place:
        _place_status(selected, status)


def _place_status(place_id: str, status: pd.DataFrame | None = None) -> None:
    try:
        periods = periods_of(cache.place_status() if status is None else status, place_id)
    except PlaceStatusError as exc:  # the shipped file is checked by the tests; a broken edit must not break the page
        st.caption(f"Status over time could not be loaded: {md_escape(exc.report.summary())}")
        return
    if periods.empty:
        st.caption("Status over time: no periods recorded for this place.")
        return
    st.markdown(f"**Status over time** ({len(periods)} recorded period{'s' * (len(periods) != 1)})")
    # A long history scrolls in its own box so the details stay beside the timeline.
    box = st.container(height=320) if len(periods) > 4 else st.container()
    box.markdown("\n".join(status_periods(periods)))


def key_dates(frame: pd.DataFrame) -> None:
    shown = pd.DataFrame(
        {
            "Date": frame["date"].dt.date,
            "Event": frame["title"],
            "Where": frame["place"],
            "Source": safe_urls(frame["source_url"]),
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        column_config={"Source": st.column_config.LinkColumn("Source", display_text="open source")},
        placeholder="",
    )

"""Who took part: the sidebar's "Actors" filter (options with counts, searchable in any script) and the
"Top actors" panel (events and fatalities per actor under the current filter; a click filters to the actor).

The option labels count each actor's events in the whole loaded data (curated rows plus an upload), not under the
other filters: Streamlit keeps a multiselect's value by its labels, so labels that changed with every other filter
would drop the user's selection. From the team store (where the loaded rows are one filter's page) the labels
carry no counts. The filter itself is the ``actors`` field of :mod:`geodata.filter_fields`.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import cache, state
from geodata.actors import load_actors, top_actors, top_actors_of
from geodata.frame_index import FrameIndex

#: How many actors the "Top actors" panel lists.
TOP = 10
#: Arabic-script letters (Urdu, Persian, Arabic, Balochi): an alias with one is a name in the region's scripts.
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
#: Arabic letters whose Urdu and Persian keyboards type another letter (ي ى → ی, ك → ک, ة → ه).
_TO_PERSIAN = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0629": "\u0647"})
#: An abbreviation analysts type (BLA, JAA, BYC).
_ABBREVIATION = re.compile(r"^[A-Z]{2,5}$")


def local_names(aliases) -> list[str]:
    """The first alias in Arabic script and, when it uses Arabic letters an Urdu or Persian keyboard types
    differently (``جيش`` / ``جیش``), the same name in those letters: typing either finds the actor."""
    first = next((a for a in aliases if _ARABIC_SCRIPT.search(a)), None)
    if first is None:
        return []
    persian = first.translate(_TO_PERSIAN)
    return [first] if persian == first else [first, persian]


def option_label(actor_id: str, count: int | None = None) -> str:
    """``"Balochistan Liberation Army (7) · BLA · بلوچ لبریشن آرمی"``: the name, the events counted (if given), an
    abbreviation and the name in the region's script where the table has them. Plain text (Streamlit shows an
    option label as text, never as markup)."""
    actors = load_actors()
    if actor_id not in actors.index:
        return actor_id if count is None else f"{actor_id} ({count:,})"
    row = actors.loc[actor_id]
    name = row["name"] if count is None else f"{row['name']} ({count:,})"
    short = next((a for a in row["aliases"] if _ABBREVIATION.match(a) and a not in row["name"]), None)
    return " · ".join([name, *([short] if short else []), *local_names(row["aliases"])])


def options(events: pd.DataFrame, selected=(), *, counted: bool = True) -> dict[str, str]:
    """Actor id -> option label: the actors named by ``events``, most events first, then any ``selected`` ones
    (a link may name an actor without events here). Without ``counted`` every actor of the table is offered,
    by name, and the labels carry no counts."""
    if not counted:
        names = load_actors()["name"].sort_values(key=lambda s: s.str.casefold())
        return {actor_id: option_label(actor_id) for actor_id in names.index}
    counts = cache.per_frame(events, top_actors)  # the whole data's: once per dataset, not per session
    out = {row.actor_id: option_label(row.actor_id, int(row.events)) for row in counts.itertuples()}
    for actor_id in selected:
        out.setdefault(actor_id, option_label(actor_id, 0))
    return out


def filter_widget(container, events: pd.DataFrame, *, counted: bool = True) -> None:
    """The "Actors" multiselect (its value seeded in session state; see :func:`options` for ``counted``)."""
    labels = options(events, state.actors(), counted=counted)
    counts = "events in the loaded data" if counted else ""
    container.multiselect(
        "Actors", options=list(labels), format_func=lambda a: labels.get(a, a), key=state.ACTORS, placeholder="All",
        help=("Events naming any of the chosen actors. Type a name in English, Urdu or Persian script, or an "
              "abbreviation." + (f" In brackets: {counts}." if counts else "")),
    )


def top_frame(shown: pd.DataFrame, limit: int = TOP) -> pd.DataFrame:
    """The panel's rows: :func:`geodata.actors.top_actors` of the shown events, as the table shows them."""
    return _as_shown(top_actors(shown, limit=limit))


def top_frame_of(index: FrameIndex, rows: np.ndarray, limit: int = TOP) -> pd.DataFrame:
    """:func:`top_frame` of the rows of ``index.events`` picked by ``rows``, counted from the dataset's codes."""
    if not {"actor_ids", "fatalities"} <= set(index.events.columns):
        return top_frame(index.events[rows], limit)
    return _as_shown(top_actors_of(index, rows, limit=limit))


def _as_shown(top: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Actor": top["name"].fillna(top["actor_id"]),
        "Kind": top["kind"].fillna("").str.replace("_", " "),
        "Events": top["events"],
        "Fatalities": top["fatalities"],
        "actor_id": top["actor_id"],
    })


def _picked(key: str, ids: list[str]) -> None:
    rows = state.table_rows(key)
    if rows and rows[0] < len(ids):
        state.filter_to_actor(ids[rows[0]])


def top_panel(index: FrameIndex, rows: np.ndarray, *, loaded_only: bool = False) -> None:
    """Events and fatalities per actor for the rows of ``index.events`` picked by ``rows``, the top :data:`TOP`;
    clicking a row filters the page to that actor (the link follows). ``loaded_only``: the page holds only some
    matching rows (a capped store)."""
    # The whole dataset's are kept per loaded frame, for every session.
    frame = cache.per_frame(index.events, top_frame) if np.count_nonzero(rows) == len(index) else top_frame_of(index, rows)
    if frame.empty:
        st.caption("No recognised actor is named by the events shown.")
        return
    of = "the loaded events" if loaded_only else "the events shown"
    st.caption(f"The {len(frame)} actors named most often by {of}; an event with several actors counts for each. "
               "Click an actor to show only its events.")
    key = state.top_actors_key()
    st.dataframe(
        frame, key=key, hide_index=True, selection_mode="single-row",
        on_select=functools.partial(_picked, key, frame["actor_id"].tolist()),
        column_config={"actor_id": None, "Events": st.column_config.NumberColumn(format="%d"),
                       "Fatalities": st.column_config.NumberColumn(format="%d", help="Reported deaths added up")},
        placeholder="",
    )

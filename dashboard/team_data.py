"""Team data: the in-app parts that write to the team's PostGIS store.

With ``BORDER_DASHBOARD_DATABASE_URL`` set, the app shows the store's events (dashboard/event_source.py) and an
analyst can add a validated upload, edit or retire an event (each change stamped with who, when and from which
file, kept in an audit trail). A stale edit gets a conflict message instead of overwriting a colleague's change.
If the database cannot be reached, the shipped data are shown with a message, and what the analyst typed stays.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd
import streamlit as st

import geodata
from dashboard import team_edits, user_data
from dashboard.event_source import Source
from dashboard.text import md_escape
from geodata.cell_rules import field_problems
from geodata.provenance import is_ours
from geodata.store import Stamp, StoreError, StoreUnavailable, event_text

#: Fields of the edit form, in the CSV's order; the id never changes.
_FIELDS = tuple(c for c in geodata.EVENT_COLUMNS if c != "id")
_LONG = ("description",)


def _author() -> str:
    """The signed-in user where Streamlit authentication is configured, otherwise the name the analyst gives."""
    user = st.user.to_dict()
    if user.get("is_logged_in"):
        return str(user.get("email") or user.get("name") or "")
    return st.text_input("Your name (recorded with every change)", key=team_edits.TEAM_AUTHOR, max_chars=120).strip()


def panel(team: Source, selected: str | None, events: gpd.GeoDataFrame) -> None:
    """Add an upload to team data; edit, retire and see the history of the selected event. Nothing without a
    database. ``events`` hold the selected event when it is in the store (``Source.with_selected``)."""
    if team.url is None:
        return
    # Open while an event is selected, also when the database has gone away: the form keeps what was typed, and
    # folding it up would hide the text the analyst must save when the database is back.
    if team.database and team.summary is not None and not team.summary.can_write:
        _read_only(team, selected, events)
        return
    with st.expander("Team data: add, edit, retire", expanded=bool(selected)):
        who = _author()
        if not who:
            st.caption("Enter your name to add or change team data.")
        _add_upload(team, who)
        frame = events if team.database else team.remembered(selected) if selected else None
        if frame is not None:  # an uploaded row is not team data (yet)
            frame = frame[is_ours(frame)]
        if not selected or frame is None or not (frame["id"] == selected).any():
            st.caption("Select an event of the team data (map or table) to edit or retire it.")
            return
        row = frame[frame["id"] == selected].iloc[0]
        _edit(team, row, who)
        _history(team, selected)


def _read_only(team: Source, selected: str | None, events: gpd.GeoDataFrame) -> None:
    """A viewer's section: no forms (the database refuses a viewer's writes anyway), the selected event's history."""
    with st.expander("Team data: history (read only)", expanded=False):
        st.caption("This app connects to the team database with a viewer role: it shows the team data and its "
                   "history, and cannot add, edit or retire events.")
        if selected and (events["id"] == selected).any():
            _history(team, selected)


def _write(team: Source, action):
    """Run one store write (one transaction); on failure say why and return None, else the write's result."""
    if not team.database:
        st.error("The team database cannot be reached, so nothing was saved. What you entered is kept here: "
                 "save again when the database is back.", icon="⚠️")
        return None
    try:
        return action(team.store)
    except StoreUnavailable as exc:
        st.error(md_escape(f"{exc} What you entered is kept here: save again when the database is back."),
                 icon="⚠️")
    except StoreError as exc:  # a conflict, a refused field, an unknown event: the message says which
        st.error(md_escape(exc), icon="⚠️")
    return None


def _add_upload(team: Source, who: str) -> None:
    # One button per uploaded file with valid rows (the page already says why a file was not loaded).
    for number, (name, theirs, report) in enumerate(user_data.file_rows()):
        if theirs.empty:
            continue
        bad = len(report.bad_rows())
        label = f"Add {len(theirs)} valid row(s) of {md_escape(name)} to team data"  # labels are markdown
        if bad:
            st.caption(f"{bad} row(s) of {md_escape(name)} with errors are not added (listed above).")
        key = "team_add_upload" if number == 0 else f"team_add_upload_{number}"
        if st.button(label, key=key, disabled=not who or not team.database):
            result = _write(team, lambda store, rows=theirs, name=name: store.add(rows, Stamp(who, name)))
            if result is not None:
                message = f"Added {len(result.added)} event(s) of {name} to team data."
                skipped = result.already_present
                if skipped:
                    message += (f" {len(skipped)} id(s) were already there and were not added: "
                                + ", ".join(skipped[:10]) + (" …" if len(skipped) > 10 else ""))
                team_edits.flash(message)
                st.rerun()


def _edit(team: Source, row: pd.Series, who: str) -> None:
    event_id = str(row["id"])
    current = int(row["version"]) if "version" in row and pd.notna(row["version"]) else 1
    base = team_edits.edit_base(event_id, current)
    original = event_text(row)
    st.markdown(f"**Edit {md_escape(event_id)}** (version {base})")
    # Keys carry the version the edit started from: after a save the form shows the new values, while after a
    # conflict or a lost connection it keeps what the analyst typed.
    prefix = f"team_edit_{event_id}_{base}"
    with st.form(f"{prefix}_form"):
        values = {}
        columns = st.columns(2)
        for i, field in enumerate(_FIELDS):
            widget = st.text_area if field in _LONG else columns[i % 2].text_input
            values[field] = widget(field, value=original[field], key=f"{prefix}_{field}")
        reason = st.text_input("Why (optional, kept in the history)", key=f"{prefix}_reason")
        save = st.form_submit_button("Save changes", disabled=not who)
    if save:
        changes = {f: v for f, v in values.items() if v.strip() != original[f]}
        broken = field_problems(changes)  # the write rule of every path (geodata.cell_rules), named per field
        if not changes:
            st.info("Nothing changed.")
        elif broken:
            st.error(md_escape("Not saved: " + "; ".join(f"field '{f}' {m}" for f, m in broken.items())
                               + ". What you entered is kept here."), icon="⚠️")
        elif (version := _write(team, lambda store: store.update(event_id, changes, base,
                                                                  Stamp(who, reason=reason or None)))) is not None:
            team_edits.forget_edit_base(event_id)
            team_edits.flash(f"Saved your change to {event_id} (version {version}).")
            st.rerun()
    if base != current and team.database:
        st.warning(f"This event changed since you started editing (you started from version {base}, it is now "
                   f"version {current}).", icon="⚠️")
        if st.button("Start again from the current version", key=f"{prefix}_restart"):
            team_edits.forget_edit_base(event_id)
            st.rerun()
    with st.form(f"{prefix}_retire"):
        why = st.text_input("Reason for retiring (kept in the history)", key=f"{prefix}_why")
        retire = st.form_submit_button("Retire this event", disabled=not who)
    if retire and _write(team, lambda store: store.retire(event_id, base, Stamp(who, reason=why or None))):
        team_edits.forget_edit_base(event_id)
        team_edits.flash(f"Retired {event_id}: it is off the map and kept in the history.")
        st.rerun()


def _history(team: Source, event_id: str) -> None:
    if not team.database:
        return
    try:
        changes = team.store.history(event_id)
    except StoreError as exc:
        st.caption(md_escape(f"History not available: {exc}"))
        return
    st.markdown("**History**")
    st.dataframe(pd.DataFrame({
        "when (UTC)": [f"{c.changed_at.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M}" for c in changes],
        "who": [c.changed_by for c in changes],
        "database login": [c.db_role or "" for c in changes],
        "action": [c.action for c in changes],
        "version": [c.version for c in changes],
        "file": [c.source_file or "" for c in changes],
        "reason": [c.reason or "" for c in changes],
        "changed": ["; ".join(f"{f}: {c.before[f]!r} → {c.after[f]!r}" for f in c.changed_fields) for c in changes],
    }), hide_index=True, width="stretch")

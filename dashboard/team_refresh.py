"""Several app servers on one team store: an open page notices a change saved elsewhere and shows it.

Every run of the page reads the store's change number (``event_source.load``), and its cached reads are keyed by
it, so any interaction shows the latest data. Between interactions a small fragment asks the database for the
change number every ``Settings.team_refresh_seconds`` (one query, ``max(change_id)`` of the history, per open
page) and reruns the page when it moved — a change saved on another app server, or by psql, QGIS or ``db
import``: the triggers record them all. It also reruns when the database comes back after being away.
"""

from __future__ import annotations

import streamlit as st

from dashboard.event_source import CONNECT_TIMEOUT, Source
from geodata.store import StoreError, open_store


def watch(source: Source, seconds: float) -> None:
    """Rerun the page when the team store's change number differs from the one this run showed (None: the
    database was away). Nothing without a store or with ``seconds`` 0."""
    if source.url is None or seconds <= 0:
        return
    url, shown = source.url, source.revision if source.database else None
    runs = []  # the fragment's runs since this page run; its first is part of the page run, which just read it

    @st.fragment(run_every=seconds)
    def _check() -> None:
        runs.append(None)
        if len(runs) == 1:
            return
        try:
            now = open_store(url, connect_timeout=CONNECT_TIMEOUT).revision()
        except StoreError:
            now = None  # away: the page says so already; it reruns when the database is back
        if now != shown:
            st.rerun()

    _check()

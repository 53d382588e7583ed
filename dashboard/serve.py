"""Start the app ready: ``streamlit run dashboard/serve.py`` (same flags as ``dashboard/app.py``).

Streamlit runs the page script (dashboard/app.py) once per session, and a fresh server process does nothing
before its first session: that session's run imported the page's modules (pandas, geopandas, pyarrow, shapely,
the dashboard's own), read the configured event file (from the disk cache when it has been seen) and built the
base map's data, before its map could appear. Here the page is served through Streamlit's public ``st.App``,
whose lifespan does that work while the server starts (:func:`dashboard.warmup.warm`), so the first session finds
it done, as every later session does. ``streamlit run dashboard/app.py`` still works, without the warm-up.

How long the start waits for the warm-up is bounded (:data:`dashboard.warmup.WAIT_S`): an unseen large file goes
on loading in the background, and the first page waits for it as it did before.
"""

from __future__ import annotations

import asyncio
import sys
from contextlib import asynccontextmanager
from pathlib import Path

# `streamlit run dashboard/serve.py` imports this file as a top-level module with dashboard/ on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st

from dashboard import warmup


@asynccontextmanager
async def _lifespan(_app):
    started = warmup.start()
    await asyncio.to_thread(started.wait, warmup.WAIT_S)  # the server answers once the page's work is done
    yield


app = st.App(warmup.PAGE, lifespan=_lifespan)

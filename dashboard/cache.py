"""The only module with Streamlit caching: thin wrappers over the geodata loaders."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

import geodata
from dashboard import events_payload, map_component, map_view, memory
from dashboard.map_view import BasemapLayers
from dashboard.settings import EVENTS_ENV, Settings
from geodata.disk_cache import DiskCache, code_version, file_digest, library_versions
from geodata.store import StoreSummary, page_of
from geodata.store.files import FilesStore

_ROOT = Path(__file__).resolve().parents[1]
#: What shapes a cached entry: the core (reading, checking, enriching, its data files) and the map's encoding.
_VERSIONED = (_ROOT / "geodata", _ROOT / "dashboard" / "events_payload.py", _ROOT / "dashboard" / "symbology.py",
              _ROOT / "dashboard" / "text.py")


@st.cache_resource(show_spinner=False)
def basemap_layers() -> BasemapLayers:
    """Boundary layers, read once per server process (they never change while it runs)."""
    return BasemapLayers(
        border=geodata.load_border(),
        provinces=geodata.load_provinces(),
        countries=geodata.load_countries(),
        land=geodata.load_land(),
    )


@st.cache_resource(show_spinner=False)
def _disk() -> tuple[DiskCache, str] | None:
    """The disk cache (Settings.cache_dir) and this code's version, once per process; None when it is off."""
    settings = Settings.from_env()
    if settings.cache_dir is None:
        return None
    return DiskCache(settings.cache_dir, settings.cache_budget_bytes), code_version(_VERSIONED, library_versions())


@st.cache_resource(show_spinner=False)
def _on_disk() -> dict[int, tuple[gpd.GeoDataFrame, str]]:
    """id(frame) -> (frame, its disk cache key), for the event files loaded through the disk cache."""
    return {}


def _loaded(result: tuple[gpd.GeoDataFrame, geodata.ValidationReport]):
    memory.keep_out_of_collections()  # the loaded events live as long as the process: collections skip them
    return result


@st.cache_resource(show_spinner="Loading events…")
def _events(path: str | None) -> tuple[gpd.GeoDataFrame, geodata.ValidationReport]:
    return _loaded(_read_events(path))


def _read_events(path: str | None) -> tuple[gpd.GeoDataFrame, geodata.ValidationReport]:
    disk = _disk() if path is not None else None  # the curated data checks in a fraction of a second
    key = None
    if disk is not None:
        cache, version = disk
        key = DiskCache.key(file_digest(path), version)  # raises as reading the file would (missing, a directory)
        hit = _quietly(cache.load_events, key)
        if hit is not None:
            _on_disk()[id(hit[0])] = (hit[0], key)
            return hit
    store = FilesStore(path)  # the files store reads and checks the file, as it does for the command line
    events, report = store.load(), store.report
    if key is not None and _quietly(disk[0].save_events, key, events, report):
        _on_disk()[id(events)] = (events, key)
    return events, report


def _quietly(action, *args):
    """``action(*args)``, or None when the disk says no (full, read-only): the cache is never why a page fails."""
    try:
        return action(*args)
    except OSError:
        return None


def files_store(path: str | None = None) -> FilesStore:
    """The configured event file's (``Settings.events_path``; None for the curated data) valid events as the files
    store: the app's store without a database, and its fallback. Rows with errors are in its report, never
    silently dropped; a file that cannot be used at all falls back to the curated data (:func:`events_problem`
    says why). One per process and file, so what it reads once (the status periods) is read once; shared across
    sessions: callers must not mutate its frames."""
    if path is not None and _unusable(path):
        path = None
    return _files_store(path)


@st.cache_resource(show_spinner=False)
def _files_store(path: str | None) -> FilesStore:
    frame, report = _events(path)
    return FilesStore.of(frame, report, path or "curated dataset")


def events_problem(path: str | None = None) -> str | None:
    """Why the configured event file (BORDER_DASHBOARD_EVENTS) is not shown (None when it is, or none is set)."""
    why = _unusable(path) if path else None
    return f"The event file {path} ({EVENTS_ENV}) cannot be used: {why}. Showing the curated dataset." if why else None


@st.cache_resource(show_spinner=False)
def _unusable(path: str) -> str | None:
    """What makes the event file unusable, or None. Decided once per process, like the loaded data itself."""
    try:
        frame, report = _events(path)
    except IsADirectoryError:
        return "it is a directory, not a file"
    except FileNotFoundError:
        return "no such file"
    except PermissionError:
        return "permission denied"
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or type(exc).__name__})"
    except ValueError as exc:  # the importer's reader (geodata.ImportFormatError) says what is wrong, in one line
        return str(exc).splitlines()[0] if str(exc) else "its content cannot be read as events"
    # Rows with errors are listed and the rest load; a file-level error (a missing column) leaves nothing to show.
    whole_file = sorted({p.field for p in report.problems if p.row is None and p.severity == "error"})
    if len(frame) == 0 and whole_file:
        return f"required column(s) missing or unreadable: {', '.join(map(str, whole_file))}"
    return None


#: Results kept per frame (least recently used dropped first): the panels of a few views of one dataset.
PER_FRAME_ENTRIES = 32
_memo: dict[int, tuple[weakref.ref, OrderedDict]] = {}
_memo_lock = threading.RLock()  # re-entrant: a frame may die (and be forgotten) during a collection under it


def per_frame(frame: pd.DataFrame, compute, *args):
    """``compute(frame, *args)``, computed once per frame object and arguments while the frame lives.

    For work over a whole loaded dataset (the sidebar's actor counts and places, the "as of" facts, the crossings
    table), which every new session repeated: the loaded events are one shared object (:func:`files_store`'s,
    or :func:`team_events`), and a page with nothing filtered out shows that same object, so its table, timeline
    and top actors are shared too.
    Arguments are compared by value when hashable, else by identity (a status table). Results are shared across
    sessions: callers must not mutate them. Entries go with the frame (an upload's merged rows, a store's page).
    """
    key = (compute, *(a if isinstance(a, Hashable) else ("id", id(a)) for a in args))
    with _memo_lock:
        held = _memo.get(id(frame))
        if held is None or held[0]() is not frame:
            held = _memo[id(frame)] = (weakref.ref(frame, _forget(id(frame))), OrderedDict())
        entries = held[1]
        hit = entries.get(key)
        # A hashable argument matched by value in the key; one keyed by identity must still be that object.
        if hit is not None and all(x is y for x, y in zip(hit[0], args) if not isinstance(y, Hashable)):
            entries.move_to_end(key)
            return hit[1]
    value = compute(frame, *args)  # outside the lock: another session's page may compute the same meanwhile
    with _memo_lock:
        entries[key] = (args, value)
        while len(entries) > PER_FRAME_ENTRIES:
            entries.popitem(last=False)
    return value


def _forget(frame_id: int):
    def forget(ref: weakref.ref) -> None:
        with _memo_lock:
            if (held := _memo.get(frame_id)) is not None and held[0] is ref:
                del _memo[frame_id]
    return forget


@st.cache_resource(show_spinner=False)
def key_dates() -> pd.DataFrame:
    return geodata.load_key_dates()


@st.cache_resource(show_spinner=False)
def place_status() -> pd.DataFrame:
    """Status periods of the shipped crossings and markets (raises geodata.PlaceStatusError on a bad file)."""
    return geodata.load_place_status()


@st.cache_resource(show_spinner=False)
def _boundaries_payload() -> bytes:
    """The base map's geometry for the browser, built once per server process."""
    return map_view.boundaries_payload(basemap_layers())


def map_dataset(key: str, events: gpd.GeoDataFrame, slots: dict[str, int] | None = None) -> str:
    """URL of the current dataset (every event, compact columns) for the map; ``key`` names the dataset.

    Encoded and written once per ``key`` (dashboard/map_component.py keeps it as a file, not in memory), so the
    browser downloads it once over HTTP while each rerun sends only a few kilobytes over the websocket.
    """
    loaded = _on_disk().get(id(events))
    disk_key = loaded[1] if loaded is not None and loaded[0] is events else None  # an event file, as read

    def encode() -> bytes:
        if disk_key is not None and (payload := _quietly(_disk()[0].load_bytes, disk_key, "dataset")) is not None:
            return payload
        with st.spinner("Preparing the map data…"):
            payload = events_payload.encode_dataset(events, slots)
        memory.give_back()  # encoding a large file's rows used ~150 MB of temporaries (400,000 rows)
        if disk_key is not None:
            _quietly(_disk()[0].save_bytes, disk_key, "dataset", payload)
        return payload

    return map_component.publish_dataset(key, encode)  # two files: first-draw columns, then text


def map_boundaries() -> str:
    """URL of the base map's boundaries for the map."""
    return map_component.publish_for("boundaries", _boundaries_payload)


# The team store (dashboard/event_source.py). Keys hold the store's revision, so a change anywhere makes new
# keys and a fresh read; the store object itself (``_store``, not hashed) only carries the connection settings.


@st.cache_resource(show_spinner=False, max_entries=4)
def team_summary(url: str, revision: int, _store) -> StoreSummary:
    """The store at ``revision`` at a glance: how current, how many events, which provinces, may this user write."""
    return _store.summary()


@st.cache_resource(show_spinner="Loading team data…", max_entries=1)
def team_events(url: str, revision: int, _store) -> gpd.GeoDataFrame:
    """Every active event of the store at ``revision`` (read column by column): one frame per server process,
    replaced when the revision moves."""
    return _store.load()


@st.cache_resource(show_spinner="Loading team data…", max_entries=8)
def team_page(url: str, revision: int, flt: geodata.EventFilter, limit: int,
              _store) -> tuple[gpd.GeoDataFrame, pd.DataFrame | None]:
    """The newest ``limit`` events matching ``flt`` at ``revision`` (filtered by the database), and when there
    may be more, every matching event counted by type and month (None when all matching rows are loaded).

    Bounded: a few recent filters per server process, each at most ``limit`` rows.
    """
    return page_of(_store, flt, limit)


@st.cache_resource(show_spinner=False, max_entries=32)
def team_rows(url: str, revision: int, ids: tuple[str, ...], _store) -> gpd.GeoDataFrame:
    """Active events by id at ``revision`` (the selected event when the filter leaves it out)."""
    return _store.find(ids)


@st.cache_resource(show_spinner=False, max_entries=4, ttl=60)
def team_place_status(url: str, _store) -> pd.DataFrame:
    """The store's status periods; re-read after a minute (``db import-status`` does not change the revision)."""
    return _store.place_status()


@st.cache_resource(show_spinner=False)
def team_last_seen(url: str) -> dict:
    """Per server process: the rows of selected events as last read, so an edit in progress survives the
    database going away (bounded by dashboard/event_source.py)."""
    return {}

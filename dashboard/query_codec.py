"""Pure codec between the shareable view (filters, basemap, map view) and URL query parameters.

Bad input is dropped (or, when out of range, adjusted to the nearest value the app offers) with a notice, never
raised and never unpickled: a URL is untrusted text. The filter's parameters are read and written by the filter
fields themselves (``geodata.filter_fields.FIELDS``); this module adds the view: basemap, centre, zoom, cluster,
heat, selection, presentation mode, playback frame, script (``script=local``: place names in Urdu or Persian
script beside the English) and the compared period (``compare``, not a filter: it adds a second period beside the
filter's dates).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Mapping

from dashboard import playback
from geodata import EventFilter, filter_fields
from geodata.compare import compare_param, parse_compare

BASEMAPS = ("light", "satellite", "none", "custom")
DEFAULT_BASEMAP = "light"
DEFAULT_CENTER = (27.4, 62.3)
DEFAULT_ZOOM = 7
SCRIPTS = ("en", "local")  # the URL's script=: English alone (the default) or with the local names
MAX_TEXT = filter_fields.MAX_TEXT
MAX_FATALITIES = filter_fields.MAX_FATALITIES
DISTANCE_CHOICES_KM = filter_fields.DISTANCE_CHOICES_KM
nearest_distance = filter_fields.nearest_distance


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link reproduces."""

    flt: EventFilter = field(default_factory=EventFilter)
    basemap: str = DEFAULT_BASEMAP
    center: tuple[float, float] = DEFAULT_CENTER
    zoom: int = DEFAULT_ZOOM
    cluster: bool = False
    heat: bool = False
    selected: str | None = None
    present: bool = False
    play: str | None = None  # a time-playback frame, e.g. "month-cumulative-12" (dashboard/playback.py)
    local_names: bool = False  # URL script=local: Urdu/Persian names beside the English (labels, popups, figure)
    compare: str | None = None  # period A against the filter's dates: prev, year or YYYY-MM-DD..YYYY-MM-DD

    def with_filter(self, flt: EventFilter) -> "ViewState":
        return replace(self, flt=flt)


def _first(value) -> str:
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return str(value).strip()


def decode(
    params: Mapping[str, object],
    *,
    default_basemap: str = DEFAULT_BASEMAP,
    provinces: Collection[str] | None = None,
) -> tuple[ViewState, list[str]]:
    """Parse query parameters into a :class:`ViewState`.

    ``provinces``, when given, are the province codes the app can filter on; others are dropped with a notice.
    Returns the state and a list of human-readable notices: "Ignored URL parameter ..." for a value that was
    dropped, "Partly applied URL parameter ..." for a list of which some values were applied (the notice names
    what was ignored and what is shown), "Adjusted URL parameter ..." for one that was replaced by the nearest value
    the app offers.
    """
    raw = {str(k): _first(v) for k, v in params.items()}
    notes = filter_fields.UrlNotes(raw)
    bad = notes.ignored
    ctx = filter_fields.Context(provinces=provinces)
    flt: dict = {}
    for f in filter_fields.FIELDS:
        flt.update(f.from_url(raw, notes, ctx))

    state: dict = {"flt": EventFilter(**flt)}
    basemap = raw.get("basemap", "")
    if basemap:
        if basemap in BASEMAPS:
            state["basemap"] = basemap
        else:
            bad("basemap", f"expected one of {', '.join(BASEMAPS)}")
    else:
        state["basemap"] = default_basemap if default_basemap in BASEMAPS else DEFAULT_BASEMAP

    if raw.get("lat") or raw.get("lon"):
        try:
            lat, lon = filter_fields.finite(raw.get("lat", "")), filter_fields.finite(raw.get("lon", ""))
            if not (-85 <= lat <= 85 and -180 <= lon <= 180):
                raise ValueError
            state["center"] = (round(lat, 4), round(lon, 4))
        except ValueError:
            bad("lat" if "lat" in raw else "lon", "map centre needs lat in -85..85 and lon in -180..180")
    if raw.get("zoom"):
        try:
            zoom = int(filter_fields.finite(raw["zoom"]))
            if not 2 <= zoom <= 18:
                raise ValueError
            state["zoom"] = zoom
        except ValueError:
            bad("zoom", "expected a zoom level 2–18")

    for name in ("cluster", "heat", "present"):
        if name in raw:
            if raw[name] in ("1", "true", "0", "false"):
                state[name] = raw[name] in ("1", "true")
            else:
                bad(name, "expected 1 or 0")
    if raw.get("sel"):
        if all(c.isalnum() or c == "-" for c in raw["sel"]) and len(raw["sel"]) <= 120:
            state["selected"] = raw["sel"]
        else:
            bad("sel", "not an event id")
    if raw.get("play"):
        if playback.parse(raw["play"]):
            state["play"] = raw["play"]
        else:
            bad("play", "expected UNIT-MODE-STEP, e.g. month-cumulative-3 (week or month; cumulative or sliding)")
    if raw.get("script"):
        if raw["script"].lower() in SCRIPTS:
            state["local_names"] = raw["script"].lower() == "local"
        else:
            bad("script", "expected local (English and Urdu/Persian names) or en (English only)")
    if raw.get("compare"):
        spec = parse_compare(raw["compare"])
        if spec is None:
            bad("compare", "expected prev, year or START..END (YYYY-MM-DD..YYYY-MM-DD, start not after end)")
        else:
            state["compare"] = compare_param(spec)
    return ViewState(**state), notes.notices


def encode(state: ViewState, *, default_basemap: str = DEFAULT_BASEMAP) -> dict[str, str]:
    """Query parameters for a state; values at their default are left out so links stay short."""
    out: dict[str, str] = {}
    for f in filter_fields.FIELDS:
        out.update(f.to_url(state.flt))
    if state.basemap != default_basemap:
        out["basemap"] = state.basemap
    if (state.center, state.zoom) != (DEFAULT_CENTER, DEFAULT_ZOOM):
        out["lat"], out["lon"] = f"{state.center[0]:.4f}", f"{state.center[1]:.4f}"
        out["zoom"] = str(state.zoom)
    for name in ("cluster", "heat", "present"):
        if getattr(state, name):
            out[name] = "1"
    if state.selected:
        out["sel"] = state.selected
    if state.play:
        out["play"] = state.play
    if state.local_names:
        out["script"] = "local"
    if state.compare:
        out["compare"] = state.compare
    return out

"""Pure codec between the shareable view (filters, basemap, map view) and URL query parameters.

Bad input is dropped (or, when out of range, adjusted to the nearest value the app offers) with a notice, never
raised and never unpickled: a URL is untrusted text.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Mapping

from dashboard import playback
from geodata import EventFilter, EventType, LocationPrecision

BASEMAPS = ("light", "satellite", "none", "custom")
DEFAULT_BASEMAP = "light"
DEFAULT_CENTER = (27.4, 62.3)
DEFAULT_ZOOM = 7
MAX_TEXT = 200
_TYPES = {t.value for t in EventType}
_PRECISIONS = {p.value for p in LocationPrecision}
_COUNTRIES = {"PK", "IR"}
_PROVINCE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
#: The largest minimum-fatalities value the sidebar offers; a link asking for more is clamped to it.
MAX_FATALITIES = 10_000
#: The distances (km) the sidebar offers; a link with another distance is snapped to the nearest of these.
DISTANCE_CHOICES_KM = (10, 25, 50, 100, 150)


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

    def with_filter(self, flt: EventFilter) -> "ViewState":
        return replace(self, flt=flt)


def _first(value) -> str:
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return str(value).strip()


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _csv(text: str) -> list[str]:
    return [v.strip() for v in text.split(",") if v.strip()]


def _cut(text: str, limit: int = 40) -> str:
    """URL text quoted in a notice, cut short: a notice must stay a line, whatever the link holds."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _quoted(values: list[str], limit: int = 3) -> str:
    """Values quoted for a notice: the first few, cut short."""
    return _cut(", ".join(f"'{v}'" for v in values[:limit]) + (", ..." if len(values) > limit else ""))


def _finite(text: str) -> float:
    """A finite float, or ValueError (``inf``, ``nan`` and ``1e999`` included: they overflow int())."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def nearest_distance(km: float) -> int:
    """The offered distance closest to ``km``; a tie goes to the larger, which hides no event the link shows."""
    return min(DISTANCE_CHOICES_KM, key=lambda choice: (abs(choice - km), -choice))


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
    notices: list[str] = []
    raw = {str(k): _first(v) for k, v in params.items()}
    flt: dict = {}

    def shown(name: str) -> str:
        return _cut(raw.get(name, ""))

    def bad(name: str, why: str) -> None:
        notices.append(f"Ignored URL parameter '{name}={shown(name)}': {why}.")

    def adjusted(name: str, why: str) -> None:
        notices.append(f"Adjusted URL parameter '{name}={shown(name)}': {why}.")

    def listed(name: str, values: list[str], known, noun: tuple[str, str], expected: str = "") -> list[str]:
        """The values of a list parameter the app knows; one notice names the others and, if any, what applies."""
        good = [v for v in values if known(v)]
        ignored = [v for v in values if not known(v)]
        if ignored:
            what = f"{noun[len(ignored) > 1]} {_quoted(ignored)}" + (f" ({expected})" if expected else "")
            if good:
                notices.append(f"Partly applied URL parameter '{name}={shown(name)}': ignored {what}; "
                               f"showing {_cut(', '.join(sorted(set(good))))}.")  # as the filter holds them
            else:
                bad(name, what)
        return good

    for name in ("start", "end"):
        if raw.get(name):
            try:
                flt[name] = _date(raw[name])
            except ValueError:
                bad(name, "not a date (YYYY-MM-DD)")
    if "start" in flt and "end" in flt and flt["start"] > flt["end"]:
        bad("end", "before start")
        del flt["end"]

    if "types" in raw:
        if raw["types"] in ("", "none"):
            flt["event_types"] = ()
        else:
            known = listed("types", _csv(raw["types"]), _TYPES.__contains__, ("unknown type", "unknown types"))
            if known:
                flt["event_types"] = tuple(known)

    for name, allowed, key, noun in (
        ("country", _COUNTRIES, "countries", ("unknown country", "unknown countries")),
        ("precision", _PRECISIONS, "location_precisions", ("unknown precision", "unknown precisions")),
    ):
        if raw.get(name):
            flt[key] = tuple(listed(name, _csv(raw[name]), allowed.__contains__, noun,
                                    f"expected any of {', '.join(sorted(allowed))}"))
    if raw.get("province"):
        def is_code(v: str) -> bool:
            return len(v) <= 8 and set(v) <= _PROVINCE_CHARS and (provinces is None or v in provinces)

        expected = ("expected ISO codes such as PK-BA, IR-13" if provinces is None
                    else f"no events in this data; expected any of {', '.join(sorted(provinces)) or 'none'}")
        flt["provinces"] = tuple(listed("province", _csv(raw["province"].upper()), is_code, ("province", "provinces"),
                                        expected))

    if raw.get("minfat"):
        try:
            value = int(raw["minfat"])  # ValueError too for > 4300 digits (Python's int() limit)
            if value < 0:
                raise ValueError
            if value > MAX_FATALITIES:
                adjusted("minfat", f"above the largest minimum offered; using {MAX_FATALITIES:,}")
                value = MAX_FATALITIES
            flt["min_fatalities"] = value
        except ValueError:
            bad("minfat", "not a whole number >= 0")
    if raw.get("maxkm"):
        try:
            value = _finite(raw["maxkm"])
            if value < 0:
                raise ValueError
            if value not in DISTANCE_CHOICES_KM:
                # The sidebar offers fixed distances: snap rather than drop, so the link still narrows the map.
                value = nearest_distance(value)
                adjusted("maxkm", f"not one of the offered distances; using the nearest, {value} km")
            flt["max_distance_km"] = float(value)
        except ValueError:
            bad("maxkm", "not a distance >= 0")
    if raw.get("q"):
        flt["text"] = raw["q"][:MAX_TEXT]

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
            lat, lon = _finite(raw.get("lat", "")), _finite(raw.get("lon", ""))
            if not (-85 <= lat <= 85 and -180 <= lon <= 180):
                raise ValueError
            state["center"] = (round(lat, 4), round(lon, 4))
        except ValueError:
            bad("lat" if "lat" in raw else "lon", "map centre needs lat in -85..85 and lon in -180..180")
    if raw.get("zoom"):
        try:
            zoom = int(_finite(raw["zoom"]))
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
    return ViewState(**state), notices


def encode(state: ViewState, *, default_basemap: str = DEFAULT_BASEMAP) -> dict[str, str]:
    """Query parameters for a state; values at their default are left out so links stay short."""
    flt, out = state.flt, {}
    if flt.start:
        out["start"] = flt.start.isoformat()
    if flt.end:
        out["end"] = flt.end.isoformat()
    if flt.event_types is not None:
        out["types"] = ",".join(flt.event_types) or "none"
    if flt.countries:
        out["country"] = ",".join(flt.countries)
    if flt.provinces:
        out["province"] = ",".join(flt.provinces)
    if flt.min_fatalities:
        out["minfat"] = str(flt.min_fatalities)
    if flt.max_distance_km is not None:
        out["maxkm"] = f"{flt.max_distance_km:g}"
    if flt.location_precisions:
        out["precision"] = ",".join(flt.location_precisions)
    if flt.text:
        out["q"] = flt.text
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
    return out

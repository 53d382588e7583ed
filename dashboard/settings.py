"""The app's settings, read from the environment in this one place.

Every other module receives a :class:`Settings` value (or one of its fields) instead of reading ``os.environ``,
so what a deployment configured is visible in one frozen value and tests can build any configuration directly.
No streamlit import.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

#: Basemap shown when a link names none: light | satellite | none | custom.
BASEMAP_ENV = "BORDER_DASHBOARD_BASEMAP"
#: XYZ URL of an internal tile server (``https://tiles.example/{z}/{x}/{y}.png``); adds the "custom" basemap.
TILES_URL_ENV = "BORDER_DASHBOARD_TILES_URL"
#: Attribution shown for the custom tiles (plain text).
TILES_ATTRIBUTION_ENV = "BORDER_DASHBOARD_TILES_ATTRIBUTION"
#: Run the app on another event file (same columns as geodata/data/events.csv).
EVENTS_ENV = "BORDER_DASHBOARD_EVENTS"
#: Handling line printed at the top and bottom of briefing figures (e.g. ``UNCLASSIFIED``).
HANDLING_ENV = "BORDER_DASHBOARD_HANDLING"
#: The team's PostGIS event store (``postgresql://user:password@host:5432/dbname``); unset: the shipped files.
DATABASE_URL_ENV = "BORDER_DASHBOARD_DATABASE_URL"
#: Seconds between an open page's checks for changes to the team store made elsewhere (another app server, psql,
#: QGIS): a change reruns the page. ``0`` checks only when the page reruns anyway (any interaction).
TEAM_REFRESH_ENV = "BORDER_DASHBOARD_TEAM_REFRESH_SECONDS"
DEFAULT_TEAM_REFRESH_SECONDS = 30
#: Where checked event files (and their map data) are kept between server runs; ``off`` keeps nothing on disk.
CACHE_DIR_ENV = "BORDER_DASHBOARD_CACHE_DIR"
#: The most that directory may hold, in megabytes (the least recently used entries go first).
CACHE_BUDGET_ENV = "BORDER_DASHBOARD_CACHE_BUDGET_MB"
DEFAULT_CACHE_BUDGET_MB = 2048
_CACHE_NAME = "pak-iran-border-dashboard"


@dataclass(frozen=True)
class Settings:
    """What a deployment configured; every field is plain, stripped text (empty or None when not set).

    Values are taken as given: whoever uses one checks it (an unknown basemap falls back to the default, a tile
    URL that is not http(s) adds no basemap, an unusable event file is reported on the page).
    """

    default_basemap: str = ""
    tiles_url: str = ""
    tiles_attribution: str = ""
    events_path: str | None = None
    handling: str = ""
    database_url: str | None = field(default=None, repr=False)  # holds a password: never printed
    cache_dir: str | None = None  # None: no disk cache
    cache_budget_bytes: int = DEFAULT_CACHE_BUDGET_MB << 20
    team_refresh_seconds: float = DEFAULT_TEAM_REFRESH_SECONDS  # 0: no check between the page's own reruns

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ

        def text(name: str) -> str:
            return str(env.get(name, "")).strip()

        return cls(
            default_basemap=text(BASEMAP_ENV),
            tiles_url=text(TILES_URL_ENV),
            tiles_attribution=text(TILES_ATTRIBUTION_ENV),
            events_path=text(EVENTS_ENV) or None,
            handling=text(HANDLING_ENV),
            database_url=text(DATABASE_URL_ENV) or None,
            cache_dir=_cache_dir(text(CACHE_DIR_ENV), env),
            cache_budget_bytes=_megabytes(text(CACHE_BUDGET_ENV)) << 20,
            team_refresh_seconds=_seconds(text(TEAM_REFRESH_ENV)),
        )


def _cache_dir(value: str, env: Mapping[str, str]) -> str | None:
    """The disk cache's directory: as set, None for ``off``, else under the user's cache directory."""
    if value.lower() in ("off", "none", "0", "false"):
        return None
    if value:
        return os.path.expanduser(value)
    base = str(env.get("XDG_CACHE_HOME", "")).strip() or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, _CACHE_NAME)


def _megabytes(value: str) -> int:
    """A whole number of megabytes; unset or unreadable: the default."""
    try:
        return max(0, int(float(value))) if value else DEFAULT_CACHE_BUDGET_MB
    except ValueError:
        return DEFAULT_CACHE_BUDGET_MB


def _seconds(value: str) -> float:
    """Seconds between checks of the team store: unset or unreadable gives the default, 0 or less (or ``off``)
    none; otherwise from 1 (a check is one query per open page) to a day."""
    if value.lower() in ("off", "none", "false"):
        return 0
    try:
        seconds = float(value) if value else DEFAULT_TEAM_REFRESH_SECONDS
    except ValueError:
        return DEFAULT_TEAM_REFRESH_SECONDS
    if seconds != seconds or seconds <= 0:  # NaN or off
        return 0
    return max(1.0, min(seconds, 86_400.0))

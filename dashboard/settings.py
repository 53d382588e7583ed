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
        )

"""The whole map, composed from its parts: the stable base map (dashboard/basemap.py) and the events layer
(dashboard/events_layer.py, drawn in the browser by dashboard/static/events.js from dashboard/events_payload.py).

The app's page draws the two parts through its own component (dashboard/map_component.py); ``build_map`` puts
them in one self-contained folium page (the same browser code) for the standalone export and tests. No streamlit import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from dashboard import _compat, assets, events_payload
from dashboard.basemap import (  # noqa: F401  (the map's public names)
    BASEMAP_LABELS,
    BORDER_COLOUR,
    CUSTOM_ATTRIBUTION_ENV,
    CUSTOM_TILES_ENV,
    TILES,
    BasemapLayers,
    available_basemaps,
    boundaries_config,
    boundaries_payload,
    build_base_map,
    custom_tiles,
    tiles,
)
from dashboard.embed import BrowserCall
from dashboard.events_layer import events_layer, layer_config
from dashboard.query_codec import DEFAULT_CENTER, DEFAULT_ZOOM

if TYPE_CHECKING:  # folium (~0.5 s to import) is imported where a standalone page is built
    import folium


@dataclass(frozen=True)
class PageHeading:
    """What a standalone page says above its map: a title, the filters in words, the "Data as of" line."""

    title: str
    filters: str = ""
    as_of: str = ""


class _Heading(BrowserCall):
    """Hands the heading's words to ``BD.heading`` (static/basemap.js), which writes them as text nodes."""

    def __init__(self, heading: PageHeading):
        super().__init__("Heading", {"title": heading.title, "filters": heading.filters, "asOf": heading.as_of})

    def script_text(self) -> str:
        return self.call("heading", _compat.element_parent(self).get_name())


def build_map(layers: BasemapLayers, events: pd.DataFrame | None = None, *, basemap="light", center=DEFAULT_CENTER,
              zoom=DEFAULT_ZOOM, cluster=False, heat=False, selected: str | None = None,
              custom: tuple[str, str] | None = None, heading: PageHeading | None = None,
              local_names: bool = False) -> folium.Map:
    """A complete, self-contained map (base + every row of ``events``, inlined) — for exports and tests.

    ``heading``: the title, filters and as-of line the page shows over the map (and the title as the page's).
    ``local_names``: town names in Urdu or Persian script beside the English (the browser's fonts draw them).
    Its words reach the page only as JSON data and the browser writes them as text, never as markup.
    """
    m = build_base_map(layers, basemap, center=center, zoom=zoom, custom=custom, local_names=local_names)
    if heading is not None:
        _Heading(heading).add_to(m)
    if events is not None:
        events = events.reset_index(drop=True)
        payload = events_payload.encode_dataset(events)
        hit = np.flatnonzero(events["id"].astype(str).to_numpy() == selected) if selected else []
        config = layer_config(assets.data_url(payload, "application/json"), "standalone", len(events), np.arange(len(events)),
                              selected_row=int(hit[0]) if len(hit) else None, cluster=cluster, heat=heat)
        events_layer(config).add_to(m)
    return m


def standalone_html(m: folium.Map) -> str:
    """The map as one HTML file that opens offline: Leaflet, plugins and the events are inlined, nothing is fetched
    (except tiles, when a tile basemap was chosen)."""
    return m.get_root().render()


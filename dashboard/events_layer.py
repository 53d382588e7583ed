"""The dynamic part of the map: one small script per rerun that hands the browser's events layer its config.

The events themselves are not in this script: they travel once per dataset as compact columns
(dashboard/events_payload.py) from ``dataset_url``, and dashboard/static/events.js draws them on a canvas. This
layer sends only the selection (a bitmask over the dataset's rows), the selected row and the map options, so a
filter change costs a few kilobytes whatever the number of events. Pure folium building, no streamlit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from dashboard import _compat, events_payload
from dashboard.embed import BrowserCall

if TYPE_CHECKING:  # folium (~0.5 s to import) is imported where a standalone page is built
    import folium


class EventLayer(BrowserCall):
    """Calls ``BD.update(map, config)`` (defined in static/events.js) when the page runs this layer's script."""

    def __init__(self, config: dict):
        super().__init__("EventLayer", config)

    def script_text(self) -> str:
        return self.call("update", _compat.element_parent(_compat.element_parent(self)).get_name())  # group -> map


def layer_config(dataset_url: str, dataset_key: str, n_rows: int, rows, *, selected_row: int | None = None,
                 cluster: bool = False, heat: bool = False, status: list | None = None, status_day: str = "",
                 play: dict | None = None, compare_rows=None, compare_label: str = "",
                 uploads: list[dict] | None = None) -> dict:
    """What the browser needs for one update: where the dataset is, which of its rows to show, and how.

    ``status`` is :func:`dashboard.events_payload.place_status` for the filter's end date ``status_day`` (words);
    ``play`` is :func:`dashboard.playback.config`: the period's steps and the step to show (its ``state`` None
    when playback is off). ``compare_rows`` are rows to draw as hollow grey rings under the selection (the
    incidents of a compared period A, :mod:`dashboard.compare_panel`), named in the legend by ``compare_label``.
    ``uploads`` are the analyst's files (:func:`upload_entries`): each one's ring colour and legend line.
    """
    return {
        "play": play,
        "status": status or [],
        "statusDay": status_day,
        "dataset": dataset_url,
        "datasetKey": dataset_key,
        "n": int(n_rows),
        "mask": events_payload.selection_mask(n_rows, np.asarray(rows, dtype=np.int64)),
        "selected": None if selected_row is None else int(selected_row),
        "cluster": bool(cluster),
        "heat": bool(heat),
        "sizes": events_payload.size_key(),
        "compareMask": None if compare_rows is None else events_payload.selection_mask(
            n_rows, np.asarray(compare_rows, dtype=np.int64)),
        "compareLabel": compare_label,
        "uploads": uploads or [],
    }


def upload_entries(uploads) -> list[dict]:
    """The legend and ring of each uploaded file (``user_data.Upload``): its number in the data's flags, its name
    (text; the browser shows it as a text node), its colour and whether it is switched on (``shown``)."""
    return [{"n": int(u.slot), "name": str(u.label), "colour": str(u.colour), "on": bool(on)} for u, on in uploads]


def events_layer(config: dict) -> folium.FeatureGroup:
    """The layer as a folium element, to add to a standalone page's map (the app hands ``config`` to its component)."""
    import folium

    group = folium.FeatureGroup(name="Events", control=False)
    EventLayer(config).add_to(group)
    return group

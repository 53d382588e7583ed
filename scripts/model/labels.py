"""The words the page uses for what the model drives, taken from the app's own tables (one home per label)."""

from __future__ import annotations

import datetime as dt

from dashboard.basemap import BASEMAP_LABELS
from dashboard.query_codec import DEFAULT_BASEMAP
from geodata import EventType

#: The date field's full range starts here (dashboard/app.py ``span``): a start at it is "no date limit".
SPAN_START = dt.date(2015, 1, 1)

LABELS = {
    "types": {t.value: t.label for t in EventType},
    # The basemaps a default install offers (a custom tile server needs configuration).
    "basemaps": {k: v for k, v in BASEMAP_LABELS.items() if k != "custom"},
    "default_basemap": DEFAULT_BASEMAP,
}
VIEWPORTS = ((1600, 1000), (1280, 720), (390, 844))

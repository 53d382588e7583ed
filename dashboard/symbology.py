"""Symbol sizes, once for the web map and the briefing figure: a neutral module, no streamlit, no transport.

The map's payload (``dashboard/events_payload.py``) sends each event's radius and the size key to the browser; the
figure (``dashboard/briefing/symbols.py``) carries the same radii onto paper. Both read them from here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Fatality values whose symbol sizes the legend shows (the same function draws map and key).
SIZE_KEY = (("0–1", 0), ("10", 10), ("50", 50))
#: Radius (CSS px) of a symbol with no or unknown fatalities, growth per sqrt(fatality), and the cap.
BASE_RADIUS_PX, GROWTH_PX, MAX_RADIUS_PX = 5.0, 2.2, 26.0


def radii(fatalities: pd.Series) -> np.ndarray:
    """Symbol radius in px of each value: area grows with fatalities (sqrt scale), capped so big events do not
    hide others; unknown or negative fatalities get the smallest symbol."""
    values = pd.to_numeric(fatalities, errors="coerce").astype("float64").fillna(0).clip(lower=0).to_numpy()
    return np.minimum(BASE_RADIUS_PX + GROWTH_PX * np.sqrt(values), MAX_RADIUS_PX).round(1)


def marker_radius(fatalities) -> float:
    """Symbol radius in px of one fatality value (see :func:`radii`)."""
    return float(radii(pd.Series([fatalities], dtype=object))[0])


def size_key() -> list[list]:
    """Legend entries for symbol size: [label, radius px] for the fatality values in :data:`SIZE_KEY`."""
    return [[label, marker_radius(value)] for label, value in SIZE_KEY]

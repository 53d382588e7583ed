"""The places the "Go to place" box offers: the gazetteer's towns and the curated places (crossings, markets).

Pure: no streamlit. Each option's label carries the English name, its plain-letter spelling when that differs
("Sarāvān" is found by typing "Saravan") and the Urdu or Persian name, so the box's type-ahead finds a place
typed in either script.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import pandas as pd

from geodata import filter_fields
from geodata.models import PLACE_TYPES
from geodata.towns import label_zooms, load_towns

#: The zoom the map goes to: at least the zoom the town is labelled at, so its name shows where the map lands.
TOWN_ZOOM = 10
PLACE_ZOOM = 11
#: The gazetteer's other countries (the filter's country names cover the three the events are in).
_OTHER_COUNTRIES = {"OM": "Oman", "IN": "India", "AE": "United Arab Emirates"}


@dataclass(frozen=True)
class Place:
    label: str
    lat: float
    lon: float
    zoom: int


def plain_letters(text: str) -> str:
    """``text`` without diacritics and GeoNames' transliteration marks ("Qal‘eh" -> "Qal'eh", "Sarāvān" -> "Saravan")."""
    folded = unicodedata.normalize("NFKD", text.replace("‘", "'").replace("’", "'"))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def _where(country: str, admin1: str) -> str:
    name = filter_fields.COUNTRY_NAMES.get(country) or _OTHER_COUNTRIES.get(country, country)
    return f"{name}, {admin1}" if admin1 else name


@functools.cache
def _town_places() -> tuple[Place, ...]:
    towns = load_towns()
    zooms = label_zooms(towns["population"])
    places = []
    for row, zoom in zip(towns.itertuples(index=False), zooms):
        plain = plain_letters(row.name)
        label = row.name + (f" ({plain})" if plain != row.name else "")
        label += (f" · {row.name_local}" if row.name_local else "") + f" — {_where(row.country, row.admin1)}"
        places.append(Place(label, float(row.lat), float(row.lon), max(int(zoom), TOWN_ZOOM)))
    return tuple(places)


def place_options(events: pd.DataFrame) -> tuple[Place, ...]:
    """The curated places of ``events`` (crossings and markets, by title, once per point), then every town of the
    gazetteer, most populous first."""
    rows = events[events["event_type"].isin(PLACE_TYPES)] if "event_type" in events else events.iloc[0:0]
    curated, seen = [], set()
    for title, lat, lon in zip(rows["title"], rows["lat"], rows["lon"]):
        if title in seen or pd.isna(lat) or pd.isna(lon):
            continue
        seen.add(title)
        curated.append(Place(f"{title} (curated place)", float(lat), float(lon), PLACE_ZOOM))
    return tuple(curated) + _town_places()

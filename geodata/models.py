"""Domain vocabulary: event types, filters, column names and the CRSs used throughout."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

#: Geographic CRS of every GeoDataFrame the package returns.
CRS = "EPSG:4326"
#: Equal-area CRS (Asia North Albers Equal Area Conic) for areas.
AREA_CRS = "ESRI:102025"
#: Metric CRS for distances in the study area: UTM zone 41N sits on the border (60–66° E).
METRIC_CRS = "EPSG:32641"

COUNTRIES = ("PK", "IR")


class EventType(StrEnum):
    """The kinds of point on the map. Values are stable keys used in files and URLs."""

    BORDER_CROSSING = "border_crossing"
    BORDER_MARKET = "border_market"
    ATTACK = "attack"
    CLASH = "clash"
    CROSS_BORDER_STRIKE = "cross_border_strike"
    SMUGGLING = "smuggling"
    UNREST = "unrest"
    DIPLOMATIC = "diplomatic"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def colour(self) -> str:
        return _COLOURS[self]

    @property
    def is_place(self) -> bool:
        """Places (crossings, markets) have an operating period rather than a single date."""
        return self in (EventType.BORDER_CROSSING, EventType.BORDER_MARKET)


_LABELS = {
    EventType.BORDER_CROSSING: "Border crossing",
    EventType.BORDER_MARKET: "Border market",
    EventType.ATTACK: "Attack",
    EventType.CLASH: "Clash",
    EventType.CROSS_BORDER_STRIKE: "Cross-border strike",
    EventType.SMUGGLING: "Smuggling shooting",
    EventType.UNREST: "Unrest",
    EventType.DIPLOMATIC: "Diplomatic",
}

# Okabe–Ito palette (Okabe & Ito 2008): distinguishable under the common colour-vision deficiencies.
_COLOURS = {
    EventType.BORDER_CROSSING: "#0072B2",  # blue
    EventType.BORDER_MARKET: "#009E73",  # bluish green
    EventType.ATTACK: "#D55E00",  # vermillion
    EventType.CLASH: "#E69F00",  # orange
    EventType.CROSS_BORDER_STRIKE: "#CC79A7",  # reddish purple
    EventType.SMUGGLING: "#F0E442",  # yellow (drawn with a dark outline)
    EventType.UNREST: "#000000",  # black
    EventType.DIPLOMATIC: "#56B4E9",  # sky blue
}

#: The event_type values that are places (crossings and markets, with an operating period) rather than incidents.
PLACE_TYPES = tuple(t.value for t in EventType if t.is_place)


def is_place(event_type):
    """Which rows are places, from their ``event_type`` column (a pandas Series; blanks around values ignored).

    Returns
    -------
    pandas.Series of bool
    """
    return event_type.astype("string").str.strip().isin(PLACE_TYPES).fillna(False).astype(bool)


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class LocationPrecision(StrEnum):
    """How exactly a point is known, from most to least exact."""

    EXACT = "exact"
    TOWN = "town"
    DISTRICT = "district"
    PROVINCE = "province"


#: Columns of the curated event table, in file order.
EVENT_COLUMNS = (
    "id",
    "event_type",
    "title",
    "date",
    "date_precision",
    "end_date",
    "country",
    "province",
    "district",
    "location_precision",
    "fatalities",
    "fatalities_low",
    "fatalities_high",
    "actors",
    "description",
    "source_title",
    "source_url",
    "last_checked",  # optional: YYYY-MM-DD on which a curator last checked the row against its source
    "lat",
    "lon",
)
REQUIRED_COLUMNS = (
    "id",
    "event_type",
    "title",
    "date_precision",
    "country",
    "location_precision",
    "source_url",
    "lat",
    "lon",
)
#: Columns computed on load, never typed by hand.
DERIVED_COLUMNS = (
    "period_start",
    "period_end",
    "province_found",
    "distance_to_border_km",
    "side",
    "nearest_crossing",
    "nearest_crossing_km",
)


def _sorted_tuple(values) -> tuple:
    return tuple(sorted({str(v) for v in values}))


@dataclass(frozen=True)
class EventFilter:
    """An immutable, hashable description of which events to show.

    Every collection is a sorted tuple so two equal filters hash equally whatever order their
    values arrived in. ``None`` or an empty tuple means "no constraint" except for
    ``event_types``: ``None`` means all types, an empty tuple means none.
    """

    start: dt.date | None = None
    end: dt.date | None = None
    event_types: tuple[str, ...] | None = None
    countries: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    min_fatalities: int = 0
    max_distance_km: float | None = None
    location_precisions: tuple[str, ...] = ()
    text: str = ""
    actors: tuple[str, ...] = ()  # actor ids (geodata/data/actors.csv): events naming any of them

    def __post_init__(self) -> None:
        for name in ("countries", "provinces", "location_precisions", "actors"):
            object.__setattr__(self, name, _sorted_tuple(getattr(self, name) or ()))
        if self.event_types is not None:
            object.__setattr__(self, "event_types", _sorted_tuple(self.event_types))
        object.__setattr__(self, "text", (self.text or "").strip())
        if self.min_fatalities < 0:
            raise ValueError(f"min_fatalities must be >= 0, got {self.min_fatalities!r}")
        if self.max_distance_km is not None and self.max_distance_km < 0:
            raise ValueError(f"max_distance_km must be >= 0, got {self.max_distance_km!r}")

    def is_default(self) -> bool:
        return self == EventFilter()


@dataclass(frozen=True)
class Problem:
    """One problem found in an input table: which row, which field, and what is wrong."""

    row: int | None  # 1-based data row number as a user sees it in a spreadsheet (header = row 1 → data from 2)
    field: str
    message: str
    severity: str = "error"  # "error" | "warning"
    event_id: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        ident = f" (id {self.event_id})" if self.event_id else ""
        return f"{self.severity}: {where}{ident}, field '{self.field}': {self.message}"


@dataclass
class ValidationReport:
    """Every problem found, row by row. ``ok`` is true when there are no errors (warnings allowed)."""

    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def bad_rows(self) -> set[int]:
        return {p.row for p in self.errors if p.row is not None}

    def summary(self) -> str:
        return f"{self.rows} rows: {len(self.errors)} errors, {len(self.warnings)} warnings"

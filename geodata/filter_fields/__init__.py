"""Every filter field declared once: its URL parameter and parser, pandas mask, SQL clause, words and CLI flag.

:data:`FIELDS` is the one table the URL codec (``dashboard/query_codec.py``), the sidebar's options, the store's
SQL (``geodata/store/_sql_filters.py``), the words (``geodata/filter_words.py``), :func:`geodata.filter_mask` and
the briefing command line iterate over. Each field owns one or more :class:`~geodata.models.EventFilter`
attributes. Adding a filter is one entry here (and its attribute on ``EventFilter``) plus its sidebar widget; see
``docs/FILTERS.md``. The parity of a field's pandas mask and SQL clause is tested across backends
(``tests/geodata/store/test_pushdown.py``).
"""


from __future__ import annotations

from ..models import COUNTRIES, EventType, LocationPrecision
from ._actors import ACTOR_IDS_SQL, ActorsField
from ._base import (
    DISTANCE_CHOICES_KM,
    MAX_FATALITIES,
    MAX_TEXT,
    Context,
    FilterField,
    UrlNotes,
    finite,
    nearest_distance,
    non_negative,
)
from ._lists import ListField, PrecisionField, ProvincesField, TypesField
from ._scalars import SEARCH_SQL, SEARCHED, DateWindow, MaxDistance, MinFatalities, TextField, plain_text

#: Display names of the countries a filter or a row may name.
COUNTRY_NAMES = {"PK": "Pakistan", "IR": "Iran", "AF": "Afghanistan"}

_TYPE_PLURALS = {
    EventType.BORDER_CROSSING: "border crossings",
    EventType.BORDER_MARKET: "border markets",
    EventType.ATTACK: "attacks",
    EventType.CLASH: "clashes",
    EventType.CROSS_BORDER_STRIKE: "cross-border strikes",
    EventType.SMUGGLING: "smuggling shootings",
    EventType.UNREST: "unrest",
    EventType.DIPLOMATIC: "diplomatic events",
}

DATES = DateWindow()
TYPES = TypesField(attr="event_types", param="types", column="event_type", flag="--types",
                   noun=("unknown type", "unknown types"), what="event type", vocabulary=tuple(t.value for t in EventType),
                   names=_TYPE_PLURALS, flag_help="comma-separated event types, e.g. attack,clash")
TYPES.words_rank = -2
COUNTRY = ListField(attr="countries", param="country", column="country", flag="--countries",
                    noun=("unknown country", "unknown countries"), what="country", vocabulary=COUNTRIES, names=COUNTRY_NAMES,
                    flag_help="comma-separated: PK,IR")
PROVINCE = ProvincesField(attr="provinces", param="province", column="province", flag="--provinces",
                          noun=("province", "provinces"), what="province",
                          flag_help="comma-separated ISO codes, e.g. PK-BA,IR-13")
MIN_FATALITIES = MinFatalities()
MAX_DISTANCE = MaxDistance()
PRECISION = PrecisionField(attr="location_precisions", param="precision", column="location_precision",
                           flag="--precision", noun=("unknown precision", "unknown precisions"), what="precision",
                           vocabulary=tuple(p.value for p in LocationPrecision),
                           flag_help="location precisions to keep, e.g. exact,town")
TEXT = TextField()
ACTORS = ActorsField(attr="actors", param="actors", column="actor_ids", flag="--actors",
                     noun=("unknown actor", "unknown actors"), what="actor",
                     flag_help="comma-separated actor ids or names (geodata/data/actors.csv), e.g. jaish-al-adl,BLA")

#: Every filter field, in the order links write their parameters.
FIELDS: tuple[FilterField, ...] = (DATES, TYPES, COUNTRY, PROVINCE, MIN_FATALITIES, MAX_DISTANCE, PRECISION, TEXT, ACTORS)
#: The list fields, by EventFilter attribute (what :func:`geodata.parse_filter_words` reads).
LIST_FIELDS: dict[str, ListField] = {f.attr: f for f in FIELDS if isinstance(f, ListField)}

__all__ = [
    "ACTOR_IDS_SQL", "COUNTRY_NAMES", "DISTANCE_CHOICES_KM", "FIELDS", "LIST_FIELDS", "MAX_FATALITIES", "MAX_TEXT", "SEARCHED",
    "SEARCH_SQL", "Context", "DateWindow", "FilterField", "ListField", "UrlNotes", "finite", "nearest_distance",
    "non_negative",     "plain_text",
]

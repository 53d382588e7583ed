"""Words for a filter: the one phrasing the page, the briefing figure and its CLI print, and the one reader of
comma-separated filter words."""

from __future__ import annotations

import datetime as dt

import pytest

import geodata
from geodata import EventFilter

D = dt.date
NAMES = {"PK-BA": "Balochistan", "IR-13": "Sistan and Baluchestan"}


@pytest.mark.parametrize(
    "flt, expected",
    [
        (EventFilter(), "All event types, all dates"),
        (EventFilter(event_types=()), "No event types, all dates"),
        (EventFilter(event_types=[t.value for t in geodata.EventType]), "All event types, all dates"),
        (EventFilter(event_types=["attack"]), "Attacks, all dates"),
        (EventFilter(event_types=["clash", "attack"], start=D(2023, 1, 1), end=D(2024, 12, 31), max_distance_km=50),
         "Attacks and clashes, 1 Jan 2023 – 31 Dec 2024, within 50 km of the border"),
        (EventFilter(event_types=["unrest", "smuggling", "border_market"]),
         "Border markets, smuggling shootings and unrest, all dates"),
        (EventFilter(event_types=["attack", "not-a-type"]), "Attacks and not-a-type, all dates"),
        (EventFilter(start=D(2024, 1, 16)), "All event types, from 16 Jan 2024"),
        (EventFilter(end=D(2020, 2, 29)), "All event types, up to 29 Feb 2020"),
        (EventFilter(start=D(2024, 1, 16), end=D(2024, 1, 16)), "All event types, 16 Jan 2024"),
        (EventFilter(countries=["PK"]), "All event types, all dates, in Pakistan"),
        (EventFilter(countries=["PK", "IR"]), "All event types, all dates, in Iran or Pakistan"),
        (EventFilter(provinces=["PK-BA"]), "All event types, all dates, in Balochistan"),
        (EventFilter(provinces=["XX-99"]), "All event types, all dates, in XX-99"),
        (EventFilter(min_fatalities=1), "All event types, all dates, at least 1 fatality"),
        (EventFilter(min_fatalities=10), "All event types, all dates, at least 10 fatalities"),
        (EventFilter(max_distance_km=12.5), "All event types, all dates, within 12.5 km of the border"),
        (EventFilter(location_precisions=["town", "exact"]), "All event types, all dates, location exact or town"),
        (EventFilter(location_precisions=["district", "exact", "town"]),
         "All event types, all dates, location exact, town or district"),
        (EventFilter(text="  border guards "), "All event types, all dates, matching “border guards”"),
        (EventFilter(event_types=["diplomatic"], start=D(2023, 5, 1), countries=["IR"], provinces=["IR-13"],
                     min_fatalities=2, max_distance_km=100, location_precisions=["district"], text="Saravan"),
         "Diplomatic events, from 1 May 2023, in Iran, in Sistan and Baluchestan, at least 2 fatalities, "
         "within 100 km of the border, location district, matching “Saravan”"),
    ],
)
def test_describe_filter(flt, expected):
    assert geodata.describe_filter(flt, NAMES) == expected


def test_describe_filter_without_names_shows_codes():
    assert geodata.describe_filter(EventFilter(provinces=["PK-BA"])) == "All event types, all dates, in PK-BA"


@pytest.mark.parametrize("day, expected", [(D(2023, 1, 1), "1 Jan 2023"), ("2020-02-29", "29 Feb 2020"),
                                           (dt.datetime(2026, 11, 29, 23, 59), "29 Nov 2026")])
def test_format_day(day, expected):
    assert geodata.format_day(day) == expected


@pytest.mark.parametrize(
    "field, text, known, expected",
    [
        ("event_types", "attack,clash", None, ("attack", "clash")),
        ("event_types", " clash , attack ,, ", None, ("clash", "attack")),
        ("countries", "PK", None, ("PK",)),
        ("location_precisions", "exact,town", None, ("exact", "town")),
        ("provinces", "PK-BA,IR-13", ("PK-BA", "IR-13", "PK-SD"), ("PK-BA", "IR-13")),
        ("provinces", "ZZ-1", None, ("ZZ-1",)),  # no vocabulary given: any code
    ],
)
def test_parse_filter_words(field, text, known, expected):
    assert geodata.parse_filter_words(field, text, known) == expected


@pytest.mark.parametrize(
    "field, text, known, message",
    [
        ("event_types", "attack,riot", None, "unknown event type 'riot'; expected some of border_crossing, "),
        ("event_types", "", None, "unknown event type ''; expected some of"),
        ("countries", "PK,AF,XX", None, "unknown country 'AF', 'XX'; expected some of PK, IR"),
        ("location_precisions", "approx", None, "unknown precision 'approx'; expected some of exact, town, "
                                                "district, province"),
        ("provinces", "PK-BA,PK-XX", ("PK-BA", "IR-13"), "unknown province 'PK-XX'; expected some of PK-BA, IR-13"),
        ("provinces", " , ", None, "unknown province ' , '"),
        ("min_fatalities", "3", None, "field must be one of event_types, countries"),
    ],
)
def test_parse_filter_words_names_the_bad_words(field, text, known, message):
    with pytest.raises(ValueError) as caught:
        geodata.parse_filter_words(field, text, known)
    assert message in str(caught.value)


def test_words_read_back_into_the_filter_they_describe():
    flt = EventFilter(event_types=geodata.parse_filter_words("event_types", "clash,attack"),
                      countries=geodata.parse_filter_words("countries", "IR"))
    assert geodata.describe_filter(flt) == "Attacks and clashes, all dates, in Iran"

"""filter_events as a table of cases on a tiny synthetic frame."""

import datetime as dt

import pandas as pd
import pytest

import geodata
from geodata import EventFilter
from tests.geodata.conftest import make_row, table

D = dt.date


@pytest.fixture(scope="module")
def events():
    rows = [
        make_row(id="a-day", date="2023-06-01", fatalities="2", actors="Jaish al-Adl"),
        make_row(id="b-month", event_type="clash", date="2023-07-01", date_precision="month", fatalities="",
                 lat="27.37", lon="62.33", country="IR", province="IR-13", district="Saravan", location_precision="district"),
        make_row(id="c-year", event_type="unrest", date="2022-01-01", date_precision="year", fatalities="10",
                 title="Protest in Zahedan", lat="29.50", lon="60.86", country="IR", province="IR-13"),
        make_row(id="d-market", event_type="border_market", date="2023-05-18", fatalities="",
                 title="Mand market", lat="26.08", lon="61.97"),
        make_row(id="e-closed", event_type="border_crossing", date="2020-01-01", end_date="2021-12-31", fatalities="",
                 title="Closed crossing", lat="28.95", lon="61.58"),
        make_row(id="f-undated", event_type="border_crossing", date="", date_precision="", fatalities="",
                 title="Old crossing", lat="28.95", lon="61.58"),
    ]
    frame, report = geodata.check_events(table(*rows))
    assert report.ok, [str(p) for p in report.problems]
    return frame


CASES = [
    ("no filter", EventFilter(), {"a-day", "b-month", "c-year", "d-market", "e-closed", "f-undated"}),
    ("day inside window", EventFilter(start=D(2023, 6, 1), end=D(2023, 6, 1)), {"a-day", "d-market", "f-undated"}),
    ("month precision overlaps a window late in the month", EventFilter(start=D(2023, 7, 30), end=D(2023, 8, 5)),
     {"b-month", "d-market", "f-undated"}),
    ("year precision overlaps", EventFilter(start=D(2022, 12, 1), end=D(2022, 12, 31)), {"c-year", "f-undated"}),
    ("place shows while operating", EventFilter(start=D(2021, 6, 1), end=D(2021, 6, 30)), {"e-closed", "f-undated"}),
    ("closed place hidden after closing", EventFilter(start=D(2022, 1, 1)),
     {"a-day", "b-month", "c-year", "d-market", "f-undated"}),
    ("place hidden before opening", EventFilter(end=D(2023, 5, 17)), {"a-day", "b-month", "c-year", "e-closed", "f-undated"} - {"a-day", "b-month"}),
    ("empty date window", EventFilter(start=D(2030, 1, 1), end=D(2030, 12, 31)), {"d-market", "f-undated"}),
    ("types", EventFilter(event_types=("clash", "unrest")), {"b-month", "c-year"}),
    ("empty type selection", EventFilter(event_types=()), set()),
    ("country", EventFilter(countries=("IR",)), {"b-month", "c-year"}),
    ("province", EventFilter(provinces=("PK-BA",)), {"a-day", "d-market", "e-closed", "f-undated"}),
    ("min fatalities drops unknown", EventFilter(min_fatalities=2), {"a-day", "c-year"}),
    ("min fatalities high", EventFilter(min_fatalities=5), {"c-year"}),
    ("max distance", EventFilter(max_distance_km=30), {"c-year", "d-market", "e-closed", "f-undated"}),
    ("precision", EventFilter(location_precisions=("district",)), {"b-month"}),
    ("text in actors, any case", EventFilter(text="jaish"), {"a-day"}),
    ("text words all must match", EventFilter(text="protest zahedan"), {"c-year"}),
    ("text no match", EventFilter(text="nothing-like-this"), set()),
    ("combined", EventFilter(start=D(2023, 1, 1), event_types=("attack", "border_market"), countries=("PK",)),
     {"a-day", "d-market"}),
]


@pytest.mark.parametrize("name, flt, expected", CASES, ids=[c[0] for c in CASES])
def test_filter_cases(events, name, flt, expected):
    assert set(geodata.filter_events(events, flt).id) == expected


def test_filter_is_pure_and_keeps_order(events):
    before = events.copy()
    out = geodata.filter_events(events, EventFilter(countries=("PK",)))
    assert list(out.index) == sorted(out.index)
    assert events.equals(before)


def test_event_filter_is_hashable_and_order_stable():
    a = EventFilter(event_types=("clash", "attack"), countries=["IR", "PK"])
    b = EventFilter(event_types=("attack", "clash", "attack"), countries=("PK", "IR"))
    assert a == b and hash(a) == hash(b)
    assert a.event_types == ("attack", "clash")
    with pytest.raises(ValueError):
        EventFilter(min_fatalities=-1)


def test_event_types_defined_once_with_distinct_colours():
    types = list(geodata.EventType)
    assert [t.value for t in types] == [
        "border_crossing", "border_market", "attack", "clash", "cross_border_strike", "smuggling", "unrest", "diplomatic",
    ]
    assert len({t.colour for t in types}) == len(types)
    assert all(t.label for t in types)


def test_text_search_matches_the_fields_joined_row_by_row_on_the_curated_data():
    """The column-wise text search finds exactly what searching "title description actors" of each row finds."""
    shipped = geodata.load_events()
    joined = [" ".join("" if pd.isna(v) else str(v) for v in row).casefold()
              for row in shipped[["title", "description", "actors"]].itertuples(index=False)]
    words = sorted({w for text in joined for w in text.split()})[::7] + ["ss", "ß", "jaish al-adl", "KECH", "zzz"]
    for query in words:
        terms = query.casefold().split()
        expected = [all(t in text for t in terms) for text in joined]
        assert geodata.filter_mask(shipped, EventFilter(text=query)).tolist() == expected, query

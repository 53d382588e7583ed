"""The URL codec: round trip, and garbage never raises."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.query_codec import (
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    DISTANCE_CHOICES_KM,
    MAX_FATALITIES,
    ViewState,
    decode,
    encode,
)
from geodata import EventFilter, EventType, LocationPrecision

STATES = [
    ViewState(),
    ViewState(flt=EventFilter(start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31), event_types=("attack", "clash"))),
    ViewState(flt=EventFilter(event_types=()), basemap="none"),
    ViewState(
        flt=EventFilter(countries=("IR",), provinces=("IR-13",), min_fatalities=5, max_distance_km=50,
                        location_precisions=("exact", "town"), text="Jaish al-Adl"),
        basemap="satellite", center=(26.5, 62.0), zoom=8, cluster=True, heat=True, selected="market-mand-pishin",
        present=True,
    ),
]


@pytest.mark.parametrize("state", STATES)
def test_round_trip(state):
    params = encode(state)
    decoded, notices = decode(params)
    assert notices == []
    assert decoded == state


def test_default_state_encodes_to_nothing():
    assert encode(ViewState()) == {}


@pytest.mark.parametrize(
    "params, field, expected, notice",
    [
        ({"start": "2023-02-30"}, "start", None, "start"),
        ({"start": "2024-01-01", "end": "2023-01-01"}, "end", None, "end"),
        ({"types": "attack,bogus"}, "event_types", ("attack",), "types"),
        ({"types": "none"}, "event_types", (), None),
        ({"minfat": "-1"}, "min_fatalities", 0, "minfat"),
        ({"minfat": "ten"}, "min_fatalities", 0, "minfat"),
        ({"maxkm": "inf"}, "max_distance_km", None, "maxkm"),
        ({"country": "PK,XX"}, "countries", ("PK",), "country"),
        ({"province": "<script>"}, "provinces", (), "province"),
        ({"precision": "exact,roughly"}, "location_precisions", ("exact",), "precision"),
        ({"q": "x" * 500}, "text", "x" * 200, None),
    ],
)
def test_bad_filter_values_are_dropped_with_a_notice(params, field, expected, notice):
    state, notices = decode(params)
    assert getattr(state.flt, field) == expected
    if notice:
        assert any(f"'{notice}=" in n for n in notices)
    else:
        assert notices == []


@pytest.mark.parametrize(
    "params",
    [{"zoom": "999"}, {"zoom": "NaN"}, {"lat": "91", "lon": "62"}, {"lat": "x"}, {"basemap": "http://evil"},
     {"cluster": "maybe"}, {"sel": "<img src=x>"}],
)
def test_bad_view_values_fall_back_to_defaults(params):
    state, notices = decode(params)
    assert len(notices) == 1
    assert (state.center, state.zoom, state.basemap, state.cluster, state.selected) == (
        DEFAULT_CENTER, DEFAULT_ZOOM, "light", False, None)


def test_list_values_take_the_last():
    state, _ = decode({"types": ["attack", "clash"]})
    assert state.flt.event_types == ("clash",)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(
    ["start", "end", "types", "country", "province", "minfat", "maxkm", "precision", "q", "basemap", "lat", "lon",
     "zoom", "cluster", "heat", "sel", "present", "other"]), st.text(max_size=60), max_size=10))
def test_garbage_never_raises_and_reencodes_stably(params):
    state, notices = decode(params)
    assert isinstance(notices, list)
    again, second_notices = decode(encode(state))
    assert again == state and second_notices == []


@settings(max_examples=200, deadline=None)
@given(
    types=st.one_of(st.none(), st.lists(st.sampled_from([t.value for t in EventType]), unique=True)),
    precisions=st.lists(st.sampled_from([p.value for p in LocationPrecision]), unique=True),
    minfat=st.integers(0, 500),
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=50).map(str.strip),
)
def test_round_trip_property(types, precisions, minfat, text):
    state = ViewState(flt=EventFilter(event_types=types, location_precisions=precisions, min_fatalities=minfat, text=text))
    assert decode(encode(state))[0] == state


# ----------------------------------------------------------------------------- hostile and out-of-range values


@pytest.mark.parametrize(
    "params",
    [{"zoom": "1e999"}, {"zoom": "inf"}, {"zoom": "-inf"}, {"zoom": "nan"}, {"zoom": "1e308"}, {"zoom": "9" * 5000},
     {"zoom": "0x10"}, {"lat": "nan", "lon": "62"}, {"lat": "27", "lon": "inf"}, {"lat": "1e999", "lon": "1e999"}],
)
def test_overflowing_view_numbers_fall_back_with_one_notice(params):
    state, notices = decode(params)
    assert (state.center, state.zoom) == (DEFAULT_CENTER, DEFAULT_ZOOM)
    assert len(notices) == 1 and notices[0].startswith("Ignored URL parameter")


@pytest.mark.parametrize("params", [{"maxkm": "1e999"}, {"maxkm": "nan"}, {"maxkm": "-inf"}, {"minfat": "9" * 5000},
                                    {"minfat": "1e3"}, {"minfat": "inf"}])
def test_overflowing_filter_numbers_are_ignored(params):
    state, notices = decode(params)
    assert (state.flt.max_distance_km, state.flt.min_fatalities) == (None, 0)
    assert len(notices) == 1 and notices[0].startswith("Ignored URL parameter")


def test_minimum_fatalities_above_the_widget_maximum_is_clamped_with_a_notice():
    state, notices = decode({"minfat": "20000"})
    assert state.flt.min_fatalities == MAX_FATALITIES == 10_000
    assert notices == ["Adjusted URL parameter 'minfat=20000': above the largest minimum offered; using 10,000."]
    assert decode({"minfat": "10000"}) == (ViewState(flt=EventFilter(min_fatalities=10_000)), [])


@pytest.mark.parametrize(
    "maxkm, snapped",
    [("37", 25), ("37.5", 50), ("38", 50), ("0", 10), ("151", 150), ("100000", 150), ("1e300", 150), ("99.9", 100)],
)
def test_distance_not_offered_snaps_to_the_nearest_choice_with_a_notice(maxkm, snapped):
    state, notices = decode({"maxkm": maxkm})
    assert state.flt.max_distance_km == snapped
    assert len(notices) == 1
    assert notices[0].startswith(f"Adjusted URL parameter 'maxkm={maxkm[:37]}")
    assert notices[0].endswith(f"using the nearest, {snapped} km.")


@pytest.mark.parametrize("km", DISTANCE_CHOICES_KM)
def test_offered_distances_pass_without_a_notice(km):
    assert decode({"maxkm": str(km)}) == (ViewState(flt=EventFilter(max_distance_km=km)), [])


@pytest.mark.parametrize(
    "value, kept, start",
    [("XX-99", (), "Ignored"), ("PK-BA,XX-99", ("PK-BA",), "Partly applied"), ("pk-kp", (), "Ignored")],
)
def test_province_without_events_is_dropped_with_a_notice(value, kept, start):
    state, notices = decode({"province": value}, provinces=("IR-13", "PK-BA"))
    assert state.flt.provinces == kept
    assert len(notices) == 1
    assert notices[0].startswith(f"{start} URL parameter 'province={value}'") and "IR-13, PK-BA" in notices[0]


@pytest.mark.parametrize(
    "params, applied, notice",
    [
        ({"types": "attack,foo"}, ("attack",),
         "Partly applied URL parameter 'types=attack,foo': ignored unknown type 'foo'; showing attack."),
        ({"types": "attack,foo,clash,bar"}, ("attack", "clash"),
         "Partly applied URL parameter 'types=attack,foo,clash,bar': ignored unknown types 'foo', 'bar'; "
         "showing attack, clash."),
        ({"types": "foo"}, None, "Ignored URL parameter 'types=foo': unknown type 'foo'."),
        ({"country": "PK,XX"}, ("PK",),
         "Partly applied URL parameter 'country=PK,XX': ignored unknown country 'XX' (expected any of IR, PK); "
         "showing PK."),
        ({"country": "XX,YY"}, (),
         "Ignored URL parameter 'country=XX,YY': unknown countries 'XX', 'YY' (expected any of IR, PK)."),
        ({"precision": "exact,roughly"}, ("exact",),
         "Partly applied URL parameter 'precision=exact,roughly': ignored unknown precision 'roughly' (expected any "
         "of district, exact, province, town); showing exact."),
        ({"province": "PK-BA,PK-KP"}, ("PK-BA",),
         "Partly applied URL parameter 'province=PK-BA,PK-KP': ignored province 'PK-KP' (no events in this data; "
         "expected any of IR-13, PK-BA); showing PK-BA."),
    ],
    ids=["types-partly", "types-two-ignored", "types-none", "country-partly", "country-none", "precision-partly",
         "province-partly"],
)
def test_a_partly_applied_list_says_what_was_ignored_and_what_is_shown(params, applied, notice):
    state, notices = decode(params, provinces=("IR-13", "PK-BA"))
    field = {"types": "event_types", "country": "countries", "precision": "location_precisions",
             "province": "provinces"}[next(iter(params))]
    assert getattr(state.flt, field) == applied
    assert notices == [notice]


def test_known_provinces_pass_without_a_notice():
    state, notices = decode({"province": "IR-13,PK-BA"}, provinces=("IR-13", "PK-BA"))
    assert (state.flt.provinces, notices) == (("IR-13", "PK-BA"), [])


@pytest.mark.parametrize("params", [{"types": "9" * 5000}, {"types": "attack," + "x" * 500 + ",y"},
                                    {"province": "PK-BA,XX-" + "9" * 3}, {"start": "2" * 1000}])
def test_notices_stay_short_whatever_the_link_holds(params):
    _, notices = decode(params, provinces=("PK-BA",))
    assert len(notices) == 1 and len(notices[0]) < 200


def test_the_codec_and_the_link_check_stay_pure():
    from tests.fresh_interpreter import imported_after

    assert imported_after("codec", {"streamlit", "folium"}) == []


@pytest.mark.parametrize("query", [
    {"start": "2023-01-01", "end": "2024-12-31", "types": "attack,clash"},
    {"types": "none"},
    {"country": "IR", "province": "IR-13,PK-BA", "minfat": "3", "maxkm": "25", "precision": "exact,town"},
    {"q": "Jaish al-Adl", "basemap": "none", "cluster": "1", "heat": "1", "present": "1"},
    {"lat": "27.5000", "lon": "62.1000", "zoom": "9", "sel": "evt-001", "play": "month-cumulative-3"},
])
def test_links_in_their_existing_form_decode_and_encode_back_unchanged(query):
    state, notices = decode(query)
    assert notices == []
    assert encode(state) == query

"""Property-based fuzzing of the URL codec: any query string gives a valid view and documented notices only.

A shared link is untrusted text. Whatever it holds, ``decode`` returns a :class:`ViewState` inside the ranges the
app offers plus notices that start "Ignored", "Partly applied" or "Adjusted URL parameter" and name a parameter the
link had; ``decode(encode(state))`` gives the same state back with no notice.
"""

import datetime as dt
import math
import re
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.query_codec import (
    BASEMAPS,
    DEFAULT_CENTER,
    DEFAULT_ZOOM,
    DISTANCE_CHOICES_KM,
    MAX_FATALITIES,
    MAX_TEXT,
    ViewState,
    decode,
    encode,
)
from geodata import EventFilter, EventType, LocationPrecision

NAMES = ["start", "end", "types", "country", "province", "minfat", "maxkm", "precision", "q", "basemap", "lat",
         "lon", "zoom", "cluster", "heat", "sel", "present"]
PROVINCES = ("IR-13", "PK-BA")
TYPES = [t.value for t in EventType]
PRECISIONS = [p.value for p in LocationPrecision]
# Values that broke or nearly broke the codec, and their neighbours: overflow, not-a-number, odd number syntax.
TRICKY = ["1e999", "-1e999", "inf", "-inf", "nan", "NaN", "1e308", "-0", "0x10", "1_000", "٣", "１２", "9" * 5000,
          "20000", "37", "10000", "10001", "2024-02-30", "2024-W01-1", "20240101", "0001-01-01", "9999-12-31",
          "XX-99", "PK-BA", "ir-13", "attack,bogus", "none", "", " ", ",", "true", "1", "0", "<script>", "[x](y)"]
VALUE = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.lists(st.sampled_from(TYPES + PRECISIONS + list(PROVINCES) + ["PK", "IR", "bogus"]), max_size=4).map(",".join),
)
PARAMS = st.dictionaries(
    st.one_of(st.sampled_from(NAMES), st.text(max_size=10)),
    st.one_of(VALUE, st.lists(VALUE, max_size=3)),
    max_size=12,
)
NOTICE = re.compile(r"^(Ignored|Partly applied|Adjusted) URL parameter '([^=']*)=")


def assert_documented(state: ViewState, notices: list[str], params: dict) -> None:
    assert isinstance(state, ViewState)
    for notice in notices:
        found = NOTICE.match(notice)
        assert found, notice
        assert found.group(2) in {str(k) for k in params}, notice
        assert len(notice) < 300  # quoted values are cut to 40 characters
        if found.group(1) == "Partly applied":  # it names what is shown: exactly what the state applies
            field = {"types": "event_types", "country": "countries", "precision": "location_precisions",
                     "province": "provinces"}[found.group(2)]
            showing = notice.rsplit("; showing ", 1)[1].removesuffix(".")
            applied = ", ".join(getattr(state.flt, field))
            assert applied and (showing == applied or showing.endswith("...")), notice
    flt = state.flt
    assert state.basemap in BASEMAPS
    assert isinstance(state.zoom, int) and 2 <= state.zoom <= 18
    lat, lon = state.center
    assert math.isfinite(lat) and math.isfinite(lon) and -85 <= lat <= 85 and -180 <= lon <= 180
    assert flt.max_distance_km is None or flt.max_distance_km in DISTANCE_CHOICES_KM
    assert 0 <= flt.min_fatalities <= MAX_FATALITIES
    assert flt.event_types is None or set(flt.event_types) <= set(TYPES)
    assert set(flt.countries) <= {"PK", "IR"}
    assert set(flt.provinces) <= set(PROVINCES)
    assert set(flt.location_precisions) <= set(PRECISIONS)
    assert len(flt.text) <= MAX_TEXT
    assert not (flt.start and flt.end and flt.start > flt.end)
    assert state.selected is None or (0 < len(state.selected) <= 120
                                      and all(c.isalnum() or c == "-" for c in state.selected))
    assert all(isinstance(v, bool) for v in (state.cluster, state.heat, state.present))


@settings(max_examples=400, deadline=None)
@given(PARAMS)
def test_any_query_gives_a_valid_view_and_documented_notices(params):
    state, notices = decode(params, provinces=PROVINCES)
    assert_documented(state, notices, params)
    encoded = encode(state)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in encoded.items())
    assert decode(encoded, provinces=PROVINCES) == (state, [])


@settings(max_examples=200, deadline=None)
@given(PARAMS)
def test_without_a_province_list_only_the_province_check_differs(params):
    state, notices = decode(params)
    checked, _ = decode(params, provinces=PROVINCES)
    assert set(checked.flt.provinces) <= set(state.flt.provinces)
    assert checked.with_filter(replace(checked.flt, provinces=state.flt.provinces)) == state
    assert all(NOTICE.match(n) for n in notices)


DATES = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
IDS = st.from_regex(r"[a-z0-9][a-z0-9-]{0,40}", fullmatch=True)


@st.composite
def view_states(draw) -> ViewState:
    start, end = draw(st.one_of(st.none(), DATES)), draw(st.one_of(st.none(), DATES))
    if start and end and start > end:
        start, end = end, start
    flt = EventFilter(
        start=start,
        end=end,
        event_types=draw(st.one_of(st.none(), st.lists(st.sampled_from(TYPES), unique=True).map(tuple))),
        countries=tuple(draw(st.lists(st.sampled_from(["PK", "IR"]), unique=True))),
        provinces=tuple(draw(st.lists(st.sampled_from(PROVINCES), unique=True))),
        min_fatalities=draw(st.integers(0, MAX_FATALITIES)),
        max_distance_km=draw(st.one_of(st.none(), st.sampled_from(DISTANCE_CHOICES_KM))),
        location_precisions=tuple(draw(st.lists(st.sampled_from(PRECISIONS), unique=True))),
        text=draw(st.text(st.characters(blacklist_categories=("Cs",)), max_size=MAX_TEXT)).strip(),
    )
    center = (draw(st.integers(-850_000, 850_000)) / 10_000, draw(st.integers(-1_800_000, 1_800_000)) / 10_000)
    return ViewState(
        flt=flt,
        basemap=draw(st.sampled_from(BASEMAPS)),
        center=draw(st.sampled_from([DEFAULT_CENTER, center])),
        zoom=draw(st.one_of(st.just(DEFAULT_ZOOM), st.integers(2, 18))),
        cluster=draw(st.booleans()),
        heat=draw(st.booleans()),
        selected=draw(st.one_of(st.none(), IDS)),
        present=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(view_states())
def test_every_view_the_app_can_hold_round_trips_without_a_notice(state):
    assert decode(encode(state), provinces=PROVINCES) == (state, [])

"""Compare two periods: period A's dates, and the counts against hand-counted fixtures."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from geodata import EventFilter
from geodata.compare import (
    TABLE_COLUMNS,
    change_words,
    compare_param,
    compare_periods,
    parse_compare,
    period_a,
    period_b,
)

D = dt.date


def ev(id_, type_, day, fat, province="IR-13", side="IR", district="Saravan", actors="jaish-al-adl", end=None):
    start = pd.Timestamp(day)
    return dict(id=id_, event_type=type_, date=start, period_start=start,
                period_end=pd.Timestamp(end) if end else start, fatalities=fat, province=province, side=side,
                district=district, actor_ids=actors)


#: Hand-counted: period A = 2023, period B = 2024 (attacks and clashes; a crossing that never counts).
FIXTURE = pd.DataFrame([
    ev("a1", "attack", "2023-02-01", 5),
    ev("a2", "attack", "2023-07-01", None),                        # no figure: counts, adds 0 killed
    ev("a3", "clash", "2023-12-31", 2, "PK-BA", "PK", "Kech", "frontier-corps"),
    ev("b1", "attack", "2024-01-01", 10),
    ev("b2", "attack", "2024-03-05", 1, actors="jaish-al-adl;iran-police"),
    ev("b3", "clash", "2024-06-01", 4, "PK-BA", "PK", "Kech", "frontier-corps"),
    ev("b4", "clash", "2024-12-31", 0, "PK-BA", "PK", "Gwadar", None),
    ev("ab", "unrest", "2023-12-30", 3, end="2024-01-02"),         # spans the boundary: in both periods
    ev("x0", "attack", "2022-12-31", 99),                          # in neither
    ev("c1", "border_crossing", "2020-01-01", None, end=None),
]).assign(period_end=lambda f: f["period_end"].where(f["event_type"] != "border_crossing"))

A, B = (D(2023, 1, 1), D(2023, 12, 31)), (D(2024, 1, 1), D(2024, 12, 31))


def row(table, key):
    return table.set_index("key").loc[key]


def test_totals_by_hand():
    c = compare_periods(FIXTURE, EventFilter(start=B[0], end=B[1]), A)
    assert c.b == B and c.a == A
    assert (c.total("events_a"), c.total("events_b")) == (4, 5)  # a1 a2 a3 ab / b1 b2 b3 b4 ab
    assert (c.total("fatalities_a"), c.total("fatalities_b")) == (10, 18)
    assert c.total("events_change") == 1 and c.total("events_pct") == 25.0
    assert c.total("fatalities_change") == 8 and c.total("fatalities_pct") == 80.0
    assert list(c.totals.columns) == list(TABLE_COLUMNS)
    assert c.a_mask.sum() == 4 and c.b_mask.sum() == 5
    assert not c.a_mask[FIXTURE["id"].eq("c1").to_numpy()].any()


def test_breakdowns_by_hand():
    c = compare_periods(FIXTURE, EventFilter(start=B[0], end=B[1]), A)
    by_type = c.table("type")
    assert row(by_type, "attack")[["events_a", "events_b", "fatalities_a", "fatalities_b"]].tolist() == [2, 2, 5, 11]
    assert row(by_type, "clash")[["events_a", "events_b", "events_pct"]].tolist() == [1, 2, 100.0]
    assert row(by_type, "attack")["label"] == "Attack"
    assert "border_crossing" not in set(by_type["key"])
    side = c.table("side")
    assert row(side, "IR")[["events_a", "events_b"]].tolist() == [3, 3]
    assert row(side, "PK")[["events_a", "events_b"]].tolist() == [1, 2]
    assert row(c.table("province"), "PK-BA")["label"] == "Balochistan (PK-BA)"
    actors = c.table("actor")
    assert row(actors, "jaish-al-adl")[["events_a", "events_b"]].tolist() == [3, 3]  # a1 a2 ab / b1 b2 ab
    assert row(actors, "iran-police")[["events_a", "events_b", "fatalities_b"]].tolist() == [0, 1, 1]
    assert np.isnan(row(actors, "iran-police")["events_pct"])  # nothing in A: no per cent
    places = c.table("place")
    assert row(places, "Gwadar, PK-BA")[["events_a", "events_b", "events_change"]].tolist() == [0, 1, 1]
    assert row(places, "Saravan, IR-13")[["events_a", "events_b"]].tolist() == [3, 3]
    # Largest absolute change first.
    assert places["events_change"].abs().is_monotonic_decreasing


def test_other_filter_parts_apply_to_both_periods():
    c = compare_periods(FIXTURE, EventFilter(start=B[0], end=B[1], event_types=("clash",)), A)
    assert (c.total("events_a"), c.total("events_b"), c.total("fatalities_b")) == (1, 2, 4)


def test_no_actor_column_gives_an_empty_actor_table():
    c = compare_periods(FIXTURE.drop(columns="actor_ids"), EventFilter(start=B[0], end=B[1]), A)
    assert c.table("actor").empty and c.total("events_b") == 5


def test_nothing_in_either_period():
    c = compare_periods(FIXTURE, EventFilter(start=D(2030, 1, 1), end=D(2030, 12, 31)), (D(2029, 1, 1), D(2029, 12, 31)))
    assert c.total("events_a") == 0 and c.total("events_b") == 0 and np.isnan(c.total("events_pct"))
    assert "no change in incidents" in c.words()


def test_words():
    c = compare_periods(FIXTURE, EventFilter(start=B[0], end=B[1]), A)
    assert c.words().startswith("1 Jan 2024 – 31 Dec 2024: 5 incidents, 18 reported fatalities; "
                                "1 Jan 2023 – 31 Dec 2023: 4 incidents, 10 fatalities. Change: +1 incident (+25%), "
                                "+8 fatalities (+80%).")
    assert change_words(-2, -50.0, "incident") == "−2 incidents (−50%)"
    assert change_words(3, float("nan"), "incident") == "+3 incidents (none before)"


@pytest.mark.parametrize("spec, b, a", [
    ("prev", (D(2024, 1, 1), D(2024, 12, 31)), (D(2022, 12, 31), D(2023, 12, 31))),  # 366 days back
    ("prev", (D(2024, 3, 1), D(2024, 3, 31)), (D(2024, 1, 30), D(2024, 2, 29))),
    ("prev", (D(2024, 5, 5), D(2024, 5, 5)), (D(2024, 5, 4), D(2024, 5, 4))),
    ("year", (D(2024, 1, 1), D(2024, 12, 31)), (D(2023, 1, 1), D(2023, 12, 31))),
    ("year", (D(2024, 2, 29), D(2024, 3, 10)), (D(2023, 2, 28), D(2023, 3, 10))),
    ((D(2020, 1, 1), D(2020, 6, 30)), (D(2024, 1, 1), D(2024, 12, 31)), (D(2020, 1, 1), D(2020, 6, 30))),
])
def test_period_a(spec, b, a):
    assert period_a(spec, b) == a
    if spec == "prev":
        assert (a[1] - a[0]) == (b[1] - b[0]) and a[1] == b[0] - dt.timedelta(days=1)


@pytest.mark.parametrize("text, spec", [
    ("prev", "prev"), ("year", "year"), (" YEAR ", "year"),
    ("2023-01-01..2023-12-31", (D(2023, 1, 1), D(2023, 12, 31))),
    ("2023-12-31..2023-01-01", None), ("2023-02-30..2023-03-01", None), ("last", None), ("", None), (None, None),
    ("2023-01-01..", None),
])
def test_parse_compare_and_back(text, spec):
    assert parse_compare(text) == spec
    if spec is not None:
        assert parse_compare(compare_param(spec)) == spec


def test_period_b_closes_open_sides_with_the_incidents():
    assert period_b(FIXTURE, EventFilter()) == (D(2022, 12, 31), D(2024, 12, 31))
    assert period_b(FIXTURE, EventFilter(start=D(2024, 1, 1))) == (D(2024, 1, 1), D(2024, 12, 31))
    assert period_b(FIXTURE.iloc[:0], EventFilter()) is None


def test_shipped_data_matches_a_hand_count():
    """The issue's question on the shipped data: attacks in Sistan and Baluchestan, 2024 against 2023."""
    import geodata

    events = geodata.load_events()
    flt = EventFilter(start=B[0], end=B[1], event_types=("attack",), provinces=("IR-13",))
    c = compare_periods(events, flt, period_a("year", B))
    attacks = events[(events["event_type"] == "attack") & (events["province"] == "IR-13")]
    for period, column in ((A, "a"), (B, "b")):
        inside = attacks[(attacks["period_start"] <= pd.Timestamp(period[1]))
                         & (attacks["period_end"] >= pd.Timestamp(period[0]))]
        assert c.total(f"events_{column}") == len(inside)
        assert c.total(f"fatalities_{column}") == int(inside["fatalities"].fillna(0).sum())

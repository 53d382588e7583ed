"""Status periods of crossings and markets: validation row by row, and the status in force on a date."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

import geodata
from geodata.status import STATUS_COLUMNS, validate_place_status

PLACES = ("crossing-a", "market-b")


def period(**overrides) -> dict:
    row = dict(
        place_id="crossing-a",
        status="closed",
        start="2025-06-15",
        end="2025-06-20",
        note="A synthetic period.",
        source_title="Example source",
        source_url="https://example.org/closure",
    )
    row.update(overrides)
    return row


def frame(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(STATUS_COLUMNS))


def errors(*rows):
    return [(p.row, p.field) for p in validate_place_status(frame(*rows), PLACES).errors]


def test_valid_periods_pass():
    report = validate_place_status(
        frame(
            period(),
            period(status="restricted", start="2025-06-21", end=""),
            period(place_id="market-b", status="open", start="2025-06-15", end="2025-06-30"),
        ),
        PLACES,
    )
    assert report.ok, [str(p) for p in report.problems]
    assert report.rows == 3


@pytest.mark.parametrize(
    "overrides, field",
    [
        (dict(place_id="crossing-nowhere"), "place_id"),
        (dict(place_id=""), "place_id"),
        (dict(status="shut"), "status"),
        (dict(status=""), "status"),
        (dict(start=""), "start"),
        (dict(start="15/06/2025"), "start"),
        (dict(end="2025-13-01"), "end"),
        (dict(end="2025-12-01"), "end"),  # before its start
        (dict(source_url="javascript:alert(1)"), "source_url"),
        (dict(source_url="ftp://example.org/x"), "source_url"),
        (dict(source_url=""), "source_url"),
        (dict(source_title=""), "source_title"),
    ],
)
def test_each_bad_field_is_named_with_its_row(overrides, field):
    later = {"start": "2026-01-01", "end": "2026-01-31", **overrides}
    assert errors(period(), period(**later)) == [(3, field)]


@pytest.mark.parametrize(
    "first, second",
    [
        (("2025-06-15", "2025-06-20"), ("2025-06-20", "2025-06-25")),  # shares a day: ends are inclusive
        (("2025-06-15", "2025-06-30"), ("2025-06-18", "2025-06-19")),  # inside
        (("2025-06-15", ""), ("2026-03-01", "2026-03-09")),  # after an open-ended period
    ],
)
def test_overlapping_periods_of_one_place_are_rejected(first, second):
    rows = [period(start=first[0], end=first[1]), period(start=second[0], end=second[1])]
    report = validate_place_status(frame(*rows), PLACES)
    assert [(p.row, p.field) for p in report.errors] == [(3, "start")]
    assert "row 2" in report.errors[0].message


def test_overlap_is_found_whatever_the_file_order_and_only_within_a_place():
    rows = [
        period(start="2025-07-01", end="2025-07-31"),
        period(place_id="market-b", start="2025-07-10", end="2025-07-12"),  # other place: fine
        period(start="2025-06-01", end="2025-07-05"),
    ]
    report = validate_place_status(frame(*rows), PLACES)
    assert [(p.row, p.field) for p in report.errors] == [(2, "start")]
    assert "row 4" in report.errors[0].message


def test_overlap_with_an_earlier_long_period_is_caught_after_a_short_one():
    rows = [
        period(start="2025-01-01", end="2025-12-31"),
        period(start="2025-03-01", end="2025-03-02"),
        period(start="2025-06-01", end="2025-06-02"),
    ]
    assert errors(*rows) == [(3, "start"), (4, "start")]


def test_missing_column_is_reported_not_raised():
    report = validate_place_status(frame(period()).drop(columns=["status"]), PLACES)
    assert [(p.row, p.field) for p in report.errors] == [(None, "status")]


def test_loading_a_bad_file_raises_with_row_and_field(tmp_path):
    path = tmp_path / "status.csv"
    frame(period(), period(status="maybe", start="2026-01-01", end="")).to_csv(path, index=False)
    with pytest.raises(geodata.PlaceStatusError) as caught:
        geodata.load_place_status(path, place_ids=PLACES)
    assert "row 3" in str(caught.value) and "'status'" in str(caught.value)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    path = tmp_path_factory.mktemp("status") / "status.csv"
    frame(
        period(),
        period(status="restricted", start="2025-06-21", end=""),
        period(place_id="market-b", status="open", start="2025-06-18", end="2025-06-18"),
    ).to_csv(path, index=False)
    return geodata.load_place_status(path, place_ids=PLACES)


@pytest.mark.parametrize(
    "day, expected",
    [
        ("2025-06-14", {}),
        ("2025-06-15", {"crossing-a": "closed"}),  # first day inclusive
        ("2025-06-18", {"crossing-a": "closed", "market-b": "open"}),
        ("2025-06-20", {"crossing-a": "closed"}),  # last day inclusive
        ("2025-06-21", {"crossing-a": "restricted"}),
        ("2030-01-01", {"crossing-a": "restricted"}),  # open-ended lasts
    ],
)
def test_status_on_a_date(synthetic, day, expected):
    assert geodata.status_on(synthetic, dt.date.fromisoformat(day)) == expected


def test_periods_of_a_place_are_in_order_with_typed_dates(synthetic):
    periods = geodata.periods_of(synthetic, "crossing-a")
    assert list(periods.status) == ["closed", "restricted"]
    assert periods.start.tolist() == [pd.Timestamp("2025-06-15"), pd.Timestamp("2025-06-21")]
    assert pd.isna(periods.end.iloc[1])


def test_each_caller_gets_its_own_copy_of_the_shipped_periods():
    first = geodata.load_place_status()
    expected = first.copy()
    first.loc[0, "status"] = "mutated"
    first["note"] = "mutated too"
    pd.testing.assert_frame_equal(geodata.load_place_status(), expected)
    # Given the same file and places, the uncached path reads the same frame.
    shipped = Path(geodata.__file__).parent / "data" / "place_status.csv"
    places = tuple(geodata.load_events().query("event_type in ['border_crossing', 'border_market']").id)
    pd.testing.assert_frame_equal(geodata.load_place_status(shipped, place_ids=places), expected)


def test_shipped_status_file_validates_and_covers_the_required_periods():
    status = geodata.load_place_status()
    places = set(geodata.load_events().query("event_type in ['border_crossing', 'border_market']").id)
    assert set(status.place_id) <= places
    assert status.source_url.str.match(r"^https?://").all()
    taftan = "crossing-taftan-mirjaveh"
    # COVID-19: Pakistan shut the Iran crossings on 24 Feb 2020 and reopened Taftan one way on 28 Feb.
    assert geodata.status_on(status, dt.date(2020, 2, 25))[taftan] == "closed"
    assert geodata.status_on(status, dt.date(2020, 3, 1))[taftan] == "restricted"
    # The June 2025 Israel–Iran war: foot traffic stopped at every crossing from 15 June.
    june_2025 = geodata.status_on(status, dt.date(2025, 6, 15))
    assert {taftan, "crossing-gabd-rimdan", "crossing-kohak-chedgi"} <= set(june_2025)
    # The 2026 war period: returns through Taftan and Gabd–Rimdan in early March.
    march_2026 = geodata.status_on(status, dt.date(2026, 3, 5))
    assert march_2026.keys() >= {taftan, "crossing-gabd-rimdan"}


@pytest.mark.parametrize(
    "end, today, as_of, day, words",
    [
        # The filter's end, when the data reach it.
        (dt.date(2025, 6, 30), dt.date(2026, 12, 7), dt.date(2026, 3, 9), dt.date(2025, 6, 30), "30 Jun 2025"),
        # After the data's as-of date: the status recorded then, and the words say which day that is.
        (dt.date(2026, 12, 7), dt.date(2026, 12, 7), dt.date(2026, 3, 9), dt.date(2026, 3, 9),
         "9 Mar 2026, the data's as-of date"),
        (None, dt.date(2026, 12, 7), dt.date(2026, 3, 9), dt.date(2026, 3, 9), "9 Mar 2026, the data's as-of date"),
        (None, dt.date(2026, 3, 9), dt.date(2026, 3, 9), dt.date(2026, 3, 9), "9 Mar 2026"),  # the as-of day itself
        (None, dt.date(2026, 12, 7), None, dt.date(2026, 12, 7), "7 Dec 2026"),  # no dated row: nothing to cap at
    ],
)
def test_status_day_is_never_after_the_data(end, today, as_of, day, words):
    chosen = geodata.status_day(end, today, as_of)
    assert chosen.day == day and chosen.words() == words
    assert chosen.capped == (day < (end or today))

"""One test per kind of validation error: each names the row and the field."""

import pytest

import geodata
from tests.geodata.conftest import make_row, table


def problems(*rows):
    _, report = geodata.check_events(table(*rows))
    return report


def only_error(report):
    assert len(report.errors) == 1, [str(p) for p in report.problems]
    return report.errors[0]


def test_valid_row_passes():
    frame, report = geodata.check_events(table(make_row()))
    assert report.ok and report.problems == []
    assert len(frame) == 1


@pytest.mark.parametrize(
    "overrides, field, words",
    [
        ({"date": ""}, "date", "is empty"),
        ({"date": "2023-13-45"}, "date", "not a date"),
        ({"date": "yesterday"}, "date", "not a date"),
        ({"date": "-2024-01-01"}, "date", "not a date"),
        ({"date": "２０２４-01-01"}, "date", "not a date"),  # full-width digits
        ({"date": "9999-12-31"}, "date", "outside 1900-01-01..2100-12-31"),
        ({"date": "1677-09-21"}, "date", "outside 1900-01-01..2100-12-31"),
        ({"end_date": "9999-12-31"}, "end_date", "outside 1900-01-01..2100-12-31"),
        ({"fatalities": "1e300"}, "fatalities", "more than 100,000"),
        ({"lat": "inf"}, "lat", "outside -90..90"),
        ({"date_precision": "week"}, "date_precision", "not one of"),
        ({"end_date": "2023-05-01"}, "end_date", "before it starts"),
        ({"lat": "126.0"}, "lat", "outside -90..90"),
        ({"lat": "63.05", "lon": "26.00"}, "lat", "look swapped"),
        ({"lat": "35.0", "lon": "51.4"}, "lat", "outside the map area"),
        ({"lat": "abc"}, "lat", "not a number"),
        ({"event_type": "riot"}, "event_type", "unknown type"),
        ({"source_url": "javascript:alert(1)"}, "source_url", "not a plain http(s) link"),
        ({"source_url": "ftp://example.org/x"}, "source_url", "not a plain http(s) link"),
        # The page hides such a link (it hides the real host), so the data may not hold it (geodata.links).
        ({"source_url": "https://user:pass@example.org/x"}, "source_url", "not a plain http(s) link"),
        ({"source_url": "https://example.org/a b"}, "source_url", "not a plain http(s) link"),
        ({"source_url": ""}, "source_url", "is empty"),
        ({"country": "AF"}, "country", "not PK or IR"),
        ({"fatalities": "-3"}, "fatalities", "whole number"),
        ({"fatalities": "2.5"}, "fatalities", "whole number"),
        ({"fatalities_low": "5", "fatalities_high": "3", "fatalities": ""}, "fatalities_low", "greater than"),
        ({"location_precision": "approximate"}, "location_precision", "not one of"),
        ({"id": "Bad ID!"}, "id", "lowercase slug"),
        ({"title": ""}, "title", "is empty"),
        ({"province": "IR-13"}, "province", "lies in PK-BA"),
    ],
)
def test_each_error_kind_names_row_and_field(overrides, field, words):
    error = only_error(problems(make_row(id="good-1"), make_row(**{"id": "bad-row", **overrides})))
    assert error.row == 3  # header is line 1, first data row line 2
    assert error.field == field
    assert words in error.message
    assert "row 3" in str(error) and f"'{field}'" in str(error)


def test_duplicate_id_is_reported_on_the_second_row():
    error = only_error(problems(make_row(), make_row()))
    assert (error.row, error.field) == (3, "id")
    assert "duplicate" in error.message


def test_wrong_side_of_the_border():
    # Saravan (Iran) stated as Pakistan/Balochistan: both the province and the country are wrong.
    report = problems(make_row(lat="27.37", lon="62.33", country="PK", province="PK-BA"))
    fields = {p.field for p in report.errors}
    assert {"province", "country"} <= fields


def test_province_mismatch_near_the_border_is_only_a_warning():
    # 61.97E 26.08N sits ~17 km inside Pakistan; a point ~2 km inside Iran near Mirjaveh:
    report = problems(make_row(lat="29.02", lon="61.47", country="IR", province="PK-BA"))
    assert report.ok
    assert any(p.field == "province" and p.severity == "warning" for p in report.warnings)


def test_missing_column_is_reported_not_raised():
    frame = table(make_row()).drop(columns=["source_url"])
    valid, report = geodata.check_events(frame)
    assert not report.ok
    assert report.errors[0].row is None and report.errors[0].field == "source_url"
    assert len(valid) == 0


def test_bad_rows_are_reported_and_good_rows_kept():
    rows = [make_row(id=f"row-{i}") for i in range(5)]
    rows[2]["lat"] = "not-a-number"
    valid, report = geodata.check_events(table(*rows))
    assert report.bad_rows() == {4}
    assert list(valid.id) == ["row-0", "row-1", "row-3", "row-4"]


def test_places_may_be_undated_but_incidents_may_not():
    place = make_row(id="crossing-x", event_type="border_crossing", date="", date_precision="", fatalities="")
    assert problems(place).ok
    assert not problems(make_row(date="", date_precision="")).ok


def test_row_numbers_can_be_given_when_rows_were_left_out_before():
    _, report = geodata.check_events(table(make_row(id="a"), make_row(id="b", lat="x")), row_numbers=[7, 12])
    assert [(p.row, p.field, p.event_id) for p in report.errors] == [(12, "lat", "b")]


def test_validation_runs_once_per_check(monkeypatch):
    calls = []
    real = geodata.events.validate
    monkeypatch.setattr(geodata.events, "validate", lambda *a, **k: calls.append(1) or real(*a, **k))
    geodata.check_events(table(make_row()))
    assert len(calls) == 1

"""The curation checks (issue #24): each warning on a small fixture that trips it, and a clean twin that does not."""

import datetime as dt

import pandas as pd
import pytest

import geodata
from geodata import curation

from .conftest import make_row, table

# A tiny gazetteer: two towns, and a homonym far away (as Pishin is in the real one).
TOWNS = pd.DataFrame({
    "name": ["Turbat", "Gwadar", "Pishin"], "aliases": ["", "Gwadur", ""], "country": ["PK", "PK", "PK"],
    "lat": [26.00122, 25.12163, 30.58], "lon": [63.04849, 62.32541, 66.99],
})
TURBAT = dict(lat="26.00122", lon="63.04849")
GWADAR = dict(lat="25.12163", lon="62.32541")


def warnings_for(*rows) -> list[tuple[int, str, str]]:
    events, report = geodata.check_events(table(*rows))
    assert report.ok, report.errors
    return [(p.row, p.event_id, p.field) for p in curation.curation_warnings(events, gazetteer=TOWNS)
            if p.severity == "warning"]


def messages_for(*rows) -> list[str]:
    events, _ = geodata.check_events(table(*rows))
    return [p.message for p in curation.curation_warnings(events, gazetteer=TOWNS)]


def test_a_clean_row_gives_no_warning():
    assert warnings_for(make_row(**TURBAT)) == []


# --- distances written in the description ------------------------------------------------------------------


def test_a_border_distance_far_from_the_point_is_named():
    events, _ = geodata.check_events(table(make_row(**TURBAT)))
    actual = events.distance_to_border_km.iat[0]
    wrong = make_row(**TURBAT, description=f"An attack about {actual - 40:.0f} km from the Iranian border.")
    close = make_row(id="close", **TURBAT, description=f"An attack about {actual + 6:.0f} km from the border.")
    assert warnings_for(wrong) == [(2, "test-turbat-attack", "description")]
    assert "from the border but the point is" in messages_for(wrong)[0]
    assert warnings_for(close) == []


def test_a_town_distance_far_from_the_point_is_named():
    on_gwadar = make_row(**GWADAR, title="Attack near Gwadar", description="A coastal village 25 km east of Gwadar.")
    assert warnings_for(on_gwadar) == [(2, "test-turbat-attack", "description")]
    assert messages_for(on_gwadar) == ["says 25 km from Gwadar but the point is 0.0 km from it"]
    # The same words on a point that is about 25 km from Gwadar, or about an unknown town, say nothing.
    moved = make_row(**{"lat": "25.30", "lon": "62.48"}, title="Attack", location_precision="district", description="Some 25 km north-east of Gwadar.")
    unknown = make_row(**TURBAT, description="About 60 km from Hoshab.")
    assert warnings_for(moved) == [] and warnings_for(unknown) == []


# --- near duplicates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "second, flagged",
    [
        (dict(date="2023-06-04"), True),  # 3 days, same point, same type
        (dict(date="2023-06-05"), False),  # 4 days
        (dict(date="2023-06-02", lat="26.19"), True),  # 0.19°
        (dict(date="2023-06-02", lat="26.25"), False),  # 0.25°
        (dict(date="2023-06-02", event_type="clash"), False),  # another type, another day
        (dict(event_type="diplomatic"), True),  # another type, but the same day and point
    ],
)
def test_two_rows_close_in_time_and_place_are_named(second, flagged):
    first = make_row(id="first")
    other = make_row(**{"id": "second", "location_precision": "district", **second})
    found = warnings_for(first, other)
    assert found == ([(3, "second", "date")] if flagged else [])


# --- town precision ----------------------------------------------------------------------------------------


def test_a_town_point_away_from_its_named_town_is_named():
    tump = make_row(title="Attack in Gwadar", **TURBAT)  # names Gwadar, stands on Turbat (~115 km)
    assert warnings_for(tump) == [(2, "test-turbat-attack", "lat")]
    assert "from Gwadar" in messages_for(tump)[0]
    alias = make_row(title="Attack in Gwadur", **GWADAR)
    district = make_row(title="Attack in Gwadar", location_precision="district", **TURBAT)
    homonym = make_row(title="Attack in Pishin", **TURBAT)  # the only Pishin known is ~700 km away
    crossing = make_row(event_type="border_crossing", title="Gwadar–Turbat crossing", date="", date_precision="",
                        fatalities="", **TURBAT)
    assert warnings_for(alias) == warnings_for(district) == warnings_for(homonym) == warnings_for(crossing) == []


def test_the_title_decides_before_the_description():
    row = make_row(title="Attack in Turbat", description="Suspects fled towards Gwadar.", **TURBAT)
    assert warnings_for(row) == []
    row = make_row(title="Attack in a village", description="A village of Gwadar district.", **TURBAT)
    assert warnings_for(row) == [(2, "test-turbat-attack", "lat")]


# --- scope ---------------------------------------------------------------------------------------------------


def test_an_incident_before_the_scope_is_named_but_diplomacy_is_not():
    old = make_row(date="2018-12-06")
    meeting = make_row(id="meeting", event_type="diplomatic", date="2017-10-14", fatalities="")
    assert warnings_for(old) == [(2, "test-turbat-attack", "date")]
    assert "before the stated scope" in messages_for(old)[0]
    assert warnings_for(meeting) == [] and warnings_for(make_row(date="2019-01-01")) == []


# --- "no death reported" ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fatalities, description, flagged",
    [
        ("", "Two guards were wounded; no one died.", True),
        ("0", "Two guards were wounded; no one died.", False),
        ("0", "Two guards were wounded.", True),
        ("", "The cited page gives no toll.", False),
        ("", "No casualties are reported in the cited page.", False),
        ("0", "The cited page gives no toll.", True),
        ("2", "Two died.", False),
    ],
)
def test_no_death_is_written_one_way(fatalities, description, flagged):
    row = make_row(fatalities=fatalities, description=description)
    assert warnings_for(row) == ([(2, "test-turbat-attack", "fatalities")] if flagged else [])


# --- reposts -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, flagged",
    [
        ("https://example.org/2021/05/10/chabahar-bomb", True),  # event 2018-12-06, source ~2.4 years later
        ("https://example.org/news-20190110-chabahar", False),  # a month later
        ("https://example.org/chabahar", False),  # no date in the address
        ("https://example.org/2021/13/40/x", False),  # not a date
    ],
)
def test_a_source_dated_long_after_the_event_is_named(url, flagged):
    row = make_row(date="2018-12-06", source_url=url)
    found = [w for w in warnings_for(row) if w[2] == "source_url"]
    assert found == ([(2, "test-turbat-attack", "source_url")] if flagged else [])


def test_a_source_date_column_wins_over_the_address():
    events, _ = geodata.check_events(table(make_row(source_url="https://example.org/2023/06/02/x")))
    events["source_date"] = ["2025-01-01"]
    [problem] = curation.curation_warnings(events, gazetteer=TOWNS)
    assert problem.field == "source_url" and "2025-01-01" in problem.message


def test_source_date_reads_common_address_shapes():
    assert curation.source_date("https://a.example/2021/05/10/story") == dt.date(2021, 5, 10)
    assert curation.source_date("https://a.example/story-2024-03-21") == dt.date(2024, 3, 21)
    assert curation.source_date("https://a.example/news/20230817/1") == dt.date(2023, 8, 17)
    assert curation.source_date("https://a.example/news/40042915/x") is None


# --- wiring ----------------------------------------------------------------------------------------------------


def test_row_numbers_come_from_the_file():
    events, _ = geodata.check_events(table(make_row(date="2018-01-01")))
    [problem] = curation.curation_warnings(events, {"test-turbat-attack": 40}, gazetteer=TOWNS)
    assert (problem.row, problem.event_id, problem.severity) == (40, "test-turbat-attack", "warning")
    assert str(problem).startswith("warning: row 40 (id test-turbat-attack), field 'date'")


def test_the_shipped_gazetteer_has_the_border_towns():
    names = curation.town_names(curation.load_gazetteer())
    for town in ("turbat", "gwadar", "jiwani", "panjgur", "saravan", "rask", "khash", "zahedan", "chabahar"):
        assert town in names, town

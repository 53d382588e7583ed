"""Every crossing and market on a date, checked against the shipped place_status.csv's period boundaries."""

import datetime as dt

import pandas as pd
import pytest

import geodata
from geodata.status import PLACES_ON_COLUMNS

EVENTS = geodata.load_events()
PERIODS = geodata.load_place_status()
PLACE_IDS = set(EVENTS.loc[EVENTS["event_type"].isin(["border_crossing", "border_market"]), "id"])


def _covered(place: str, day: pd.Timestamp) -> bool:
    rows = PERIODS[PERIODS["place_id"] == place]
    return bool(((rows["start"] <= day) & (rows["end"].isna() | (rows["end"] >= day))).any())


@pytest.mark.parametrize("i", range(len(PERIODS)))
def test_first_and_last_day_of_every_shipped_period(i):
    period = PERIODS.iloc[i]
    last = period["end"] if pd.notna(period["end"]) else period["start"] + pd.Timedelta(days=30)
    for day in (period["start"], last):
        table = geodata.places_on(EVENTS, PERIODS, day.date()).set_index("place_id")
        got = table.loc[period["place_id"]]
        assert got["status"] == period["status"], day
        assert got["since"] == period["start"]
        assert (pd.isna(got["until"]) and pd.isna(period["end"])) or got["until"] == period["end"]
        assert got["source_url"] == period["source_url"] and got["source_title"] == period["source_title"]
    # The day before the first day and after the last: this period no longer answers.
    for day in (period["start"] - pd.Timedelta(days=1), *(() if pd.isna(period["end"]) else
                                                          (period["end"] + pd.Timedelta(days=1),))):
        got = geodata.places_on(EVENTS, PERIODS, day.date()).set_index("place_id").loc[period["place_id"]]
        assert got["since"] != period["start"]
        if not _covered(period["place_id"], day):
            assert got["status"] == "" and pd.isna(got["since"])


def test_every_place_is_listed_once_with_its_columns():
    table = geodata.places_on(EVENTS, PERIODS, dt.date(2025, 6, 20))
    assert list(table.columns) == list(PLACES_ON_COLUMNS)
    assert set(table["place_id"]) == PLACE_IDS and table["place_id"].is_unique
    assert set(table["status"]) <= {"open", "closed", "restricted", ""}


def test_the_issue_question_20_june_2025():
    """"Which crossings were closed on 20 June 2025, and since when?" — Raajay, closed since 16 June."""
    table = geodata.places_on(EVENTS, PERIODS, dt.date(2025, 6, 20)).set_index("place_id")
    closed = table[table["status"] == "closed"]
    assert list(closed.index) == ["crossing-raajay-chagai"]
    assert closed.loc["crossing-raajay-chagai", "since"] == pd.Timestamp(2025, 6, 16)


def test_a_synthetic_period_boundary():
    periods = pd.DataFrame({"place_id": ["p"], "status": ["closed"], "start": [pd.Timestamp(2025, 6, 15)],
                            "end": [pd.Timestamp(2025, 6, 20)], "note": ["n"], "source_title": ["t"],
                            "source_url": ["https://example.org"]})
    places = pd.DataFrame({"id": ["p", "q"], "title": ["P", "Q"], "event_type": ["border_crossing", "border_market"],
                           "period_start": [pd.NaT, pd.Timestamp(2025, 1, 1)]})
    status = {d: geodata.places_on(places, periods, dt.date(2025, 6, d))["status"].tolist() for d in (14, 15, 20, 21)}
    assert status == {14: ["", ""], 15: ["closed", ""], 20: ["closed", ""], 21: ["", ""]}

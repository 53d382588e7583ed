"""The shipped curated data: valid, real, enriched correctly."""

import datetime as dt
import subprocess
import sys

import pandas as pd
import pytest

import geodata
from geodata.events import read_table, shipped_events_path


def test_shipped_data_validates_with_zero_errors():
    frame, report = geodata.check_events(read_table(shipped_events_path()))
    assert report.errors == []
    assert len(frame) == report.rows  # no row dropped


def test_shipped_data_size_and_mix(shipped):
    places = shipped[shipped.event_type.isin(["border_crossing", "border_market"])]
    incidents = shipped[~shipped.event_type.isin(["border_crossing", "border_market", "diplomatic"])]
    assert len(shipped) >= 60
    assert len(places) >= 8
    assert len(incidents) >= 40
    assert shipped.crs.to_epsg() == 4326
    assert shipped.id.is_unique


def test_every_row_is_sourced_and_dated_with_precision(shipped):
    assert shipped.source_url.str.match(r"^https?://").all()
    assert shipped.source_title.notna().all()
    assert shipped.description.notna().all()
    dated = shipped.date.notna()
    assert shipped.loc[dated, "date_precision"].isin(["day", "month", "year"]).all()
    incidents = ~shipped.event_type.isin(["border_crossing", "border_market", "diplomatic"])
    assert dated[incidents].all()
    assert (shipped.loc[incidents, "date"] >= pd.Timestamp("2019-01-01")).all()


def test_points_lie_in_their_stated_province_and_side(shipped):
    assert (shipped.province_found == shipped.province).all()
    assert (shipped.side == shipped.country).all()


def test_mand_pishin_market_fact(shipped):
    row = shipped.set_index("id").loc["market-mand-pishin"]
    assert row.event_type == "border_market"
    assert row.date.date() == dt.date(2023, 5, 18)
    assert row.date_precision == "day"
    assert (row.country, row.province, row.district) == ("PK", "PK-BA", "Kech")


@pytest.mark.parametrize(
    "event_id, date, country, event_type",
    [
        ("2024-01-16-iran-strike-panjgur-sabz-koh", "2024-01-16", "PK", "cross_border_strike"),
        ("2024-01-18-pakistan-strikes-saravan-marg-bar-sarmachar", "2024-01-18", "IR", "cross_border_strike"),
        ("2023-12-15-rask-police-hq-attack", "2023-12-15", "IR", "attack"),
        ("2023-04-01-kech-jalgai-border-patrol-attack", "2023-04-01", "PK", "attack"),
    ],
)
def test_key_incidents_present(shipped, event_id, date, country, event_type):
    row = shipped.set_index("id").loc[event_id]
    assert row.date == pd.Timestamp(date)
    assert row.country == country
    assert row.event_type == event_type


def test_enrichment_distance_and_nearest_crossing(shipped):
    taftan = shipped.set_index("id").loc["crossing-taftan-mirjaveh"]
    assert taftan.distance_to_border_km < 10
    assert taftan.nearest_crossing == "crossing-taftan-mirjaveh"
    assert taftan.nearest_crossing_km == 0
    zahedan = shipped.set_index("id").loc["2022-09-30-zahedan-bloody-friday"]
    # Zahedan lies ~25 km west of the border line and ~90 km from the Taftan crossing.
    assert 15 < zahedan.distance_to_border_km < 40
    assert zahedan.side == "IR"
    assert zahedan.nearest_crossing == "crossing-taftan-mirjaveh"
    assert 70 < zahedan.nearest_crossing_km < 110


def test_contested_fatalities_keep_a_range(shipped):
    ranged = shipped.dropna(subset=["fatalities_low", "fatalities_high"])
    assert len(ranged) >= 3
    assert (ranged.fatalities_low <= ranged.fatalities_high).all()


def test_periods_follow_precision(shipped):
    incidents = shipped[shipped.date.notna() & ~shipped.event_type.isin(["border_crossing", "border_market"])]
    assert (incidents.period_end >= incidents.period_start).all()


def test_key_dates_are_sourced():
    dates = geodata.load_key_dates()
    assert len(dates) >= 8
    assert dates.source_url.str.match(r"^https?://").all()
    assert dates.date.is_monotonic_increasing


def test_load_events_raises_with_report_on_bad_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,event_type\nx,attack\n", encoding="utf-8")
    with pytest.raises(geodata.EventDataError) as info:
        geodata.load_events(bad)
    assert "required column is missing" in str(info.value)


def test_core_import_stays_free_of_ui_after_loading_events():
    from tests.fresh_interpreter import imported_after

    assert imported_after("core", {"streamlit", "folium"}) == []  # geodata, its events and boundaries loaded


def test_an_event_file_is_read_by_the_importers_reader(tmp_path):
    """The same reader as `geodata validate` and the upload: a semicolon-delimited copy loads too."""
    shipped = geodata.read_table(geodata.events.shipped_events_path())
    path = tmp_path / "events.csv"
    path.write_bytes(shipped.to_csv(index=False, sep=";").encode("utf-8"))
    assert geodata.load_events(path)["id"].tolist() == geodata.load_events()["id"].tolist()


def test_the_nearest_crossing_is_one_of_the_loaded_files_own_crossings(tmp_path):
    shipped = geodata.read_table(geodata.events.shipped_events_path())
    crossings = shipped[shipped["event_type"] == "border_crossing"]
    keep = crossings["id"].iloc[:1].tolist()
    table = shipped[(shipped["event_type"] != "border_crossing") | shipped["id"].isin(keep)]
    path = tmp_path / "events.csv"
    table.to_csv(path, index=False)
    events = geodata.load_events(path)
    assert set(events["nearest_crossing"].dropna()) == set(keep)


def test_nearest_crossing_agrees_with_measuring_every_pair():
    import numpy as np
    import shapely

    from geodata.events import _nearest

    rng = np.random.default_rng(3)
    targets = shapely.points(rng.uniform(0, 100, (40, 2)))
    targets = np.concatenate([targets, targets[:5]])  # crossings at one site: the first of them, as a scan finds
    points = np.concatenate([shapely.points(rng.uniform(-20, 120, (500, 2))), targets[:3],
                             shapely.points([[np.nan, np.nan]])])  # a place without coordinates
    best, metres = _nearest(points, targets)
    dist = shapely.distance(points[:, None], targets[None, :])
    expected = np.argmin(np.where(np.isnan(dist), np.inf, dist), axis=1)
    placed = ~np.isnan(dist).all(axis=1)
    assert (best[placed] == expected[placed]).all() and (best[~placed] == -1).all()
    assert np.allclose(metres[placed], dist[placed, expected[placed]]) and np.isnan(metres[~placed]).all()

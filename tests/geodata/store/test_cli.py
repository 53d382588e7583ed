"""``python -m geodata db init|import|export`` against a throwaway PostGIS server."""

import json

import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

import geodata
from geodata.__main__ import main
from geodata.events import read_table, shipped_events_path
from geodata.store import Stamp
from geodata.store.postgis import PostgisStore
from tests.geodata.conftest import make_row, table


@pytest.fixture(scope="module")
def curated():
    return geodata.load_events()


def _db(*args, url):
    return main(["db", *args, "--database-url", url])


@pytest.mark.postgis
def test_init_creates_the_schema_and_copies_the_curated_events_once(empty_url, curated, capsys):
    assert _db("init", url=empty_url) == 0
    first = capsys.readouterr().out
    assert "applied 0001_events, 0002_text_search, 0003_place_status, 0004_newest_first" in first
    assert f"added the {len(curated)} curated events" in first
    assert f"added the {len(geodata.load_place_status())} status periods of geodata/data/place_status.csv" in first
    assert _db("init", url=empty_url) == 0
    again = capsys.readouterr().out
    assert "schema already up to date" in again and "added" not in again
    store = PostgisStore(empty_url)
    assert_geodataframe_equal(store.load().drop(columns=["version", "seq"]), curated)
    assert_frame_equal(store.place_status(), geodata.load_place_status())
    assert store.history(curated["id"].iloc[0])[0].source_file == "geodata/data/events.csv"


@pytest.mark.postgis
def test_init_empty_leaves_the_store_empty(empty_url):
    assert _db("init", "--empty", url=empty_url) == 0
    assert PostgisStore(empty_url).load().empty
    assert PostgisStore(empty_url).place_status().empty


@pytest.mark.postgis
def test_init_after_an_upgrade_fills_an_empty_status_table(store_url, curated, capsys):
    store = PostgisStore(store_url)
    store.add(curated, Stamp("curator"))  # a store made before the app read place status from the database
    assert _db("init", url=store_url) == 0
    out = capsys.readouterr().out
    assert "curated events" not in out and "status periods of geodata/data/place_status.csv" in out
    assert len(store.place_status()) == len(geodata.load_place_status())


@pytest.mark.postgis
def test_init_on_a_store_without_the_shipped_places_says_how_to_add_status(store_url, capsys):
    PostgisStore(store_url).add(geodata.check_events(table(make_row()))[0], Stamp("ann"))
    assert _db("init", url=store_url) == 0
    out = capsys.readouterr().out
    assert "were not added" in out and "db import-status FILE" in out
    assert PostgisStore(store_url).place_status().empty


@pytest.mark.postgis
def test_import_status_replaces_the_periods_or_lists_bad_rows(store_url, curated, tmp_path, capsys):
    store = PostgisStore(store_url)
    store.add(curated, Stamp("curator"))
    assert _db("import-status", url=store_url) == 0  # default: the shipped file
    assert "status periods now in the team database" in capsys.readouterr().out
    shipped = read_table(_shipped_status())
    one = tmp_path / "one.csv"
    shipped.head(1).to_csv(one, index=False)
    assert _db("import-status", str(one), url=store_url) == 0
    assert store.place_status()["start"].tolist() == [pd.Timestamp(shipped.loc[0, "start"])]
    bad = tmp_path / "bad.csv"
    shipped.head(2).assign(status=["open", "ajar"]).to_csv(bad, index=False)
    assert _db("import-status", str(bad), url=store_url) == 1
    out = capsys.readouterr().out
    assert "row 3" in out and "field 'status'" in out and "nothing was changed" in out
    assert len(store.place_status()) == 1
    assert _db("import-status", str(tmp_path / "missing.csv"), url=store_url) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "Traceback" not in err


def _shipped_status():
    from importlib import resources

    return resources.files("geodata") / "data" / "place_status.csv"


@pytest.mark.postgis
def test_import_export_round_trip_csv_and_geojson(store_url, curated, tmp_path, capsys):
    assert _db("import", str(shipped_events_path()), "--who", "ann", url=store_url) == 0
    assert f"added {len(curated)} events" in capsys.readouterr().out
    assert _db("export", "--out", str(tmp_path / "out.csv"), url=store_url) == 0
    again, report = geodata.check_events(read_table(tmp_path / "out.csv"))
    assert report.ok
    assert_geodataframe_equal(again, curated)
    # Byte for byte the columns of the shipped file, row by row (text as curated, numbers as typed).
    assert list(read_table(tmp_path / "out.csv").columns) == list(geodata.EVENT_COLUMNS)

    assert _db("export", "--out", str(tmp_path / "out.geojson"), url=store_url) == 0
    document = json.loads((tmp_path / "out.geojson").read_text())
    assert len(document["features"]) == len(curated)
    assert document["features"][0]["geometry"]["type"] == "Point"
    from_geojson, report, kind = geodata.import_events((tmp_path / "out.geojson").read_bytes(), "out.geojson")
    assert report.ok and kind == "geojson"
    assert from_geojson["id"].tolist() == curated["id"].tolist()
    assert from_geojson["lat"].tolist() == curated["lat"].tolist()
    assert from_geojson["title"].tolist() == curated["title"].tolist()


@pytest.mark.postgis
def test_import_lists_bad_rows_and_adds_the_good_ones(store_url, tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    table(make_row(), make_row(id="bad-country", country="XX"), make_row(id="good-two"),
          make_row(id="bad-date", date="2023-13-45")).to_csv(path, index=False)
    assert _db("import", str(path), "--who", "ann", url=store_url) == 1
    out = capsys.readouterr().out
    assert "row 3 (id bad-country), field 'country'" in out
    assert "row 5 (id bad-date), field 'date'" in out
    assert "added 2 events" in out
    store = PostgisStore(store_url)
    assert store.load()["id"].tolist() == ["test-turbat-attack", "good-two"]
    assert store.history("good-two")[0].source_file == "mixed.csv"
    assert _db("import", str(path), "--who", "ann", url=store_url) == 1
    assert "2 ids already there, not added: test-turbat-attack, good-two" in capsys.readouterr().out


@pytest.mark.postgis
def test_unreadable_import_changes_nothing_and_says_why(store_url, tmp_path, capsys):
    path = tmp_path / "broken.geojson"
    path.write_bytes(b"\x00\x01 not json")
    assert _db("import", str(path), url=store_url) == 2
    err = capsys.readouterr().err
    # Detected by content, not by name: binary bytes are no format we read, whatever the file is called.
    assert err.startswith("error: broken.geojson: not a text file") and "Traceback" not in err
    assert PostgisStore(store_url).load().empty


def test_db_commands_without_a_database_say_how_to_configure_one(monkeypatch, capsys, tmp_path):
    monkeypatch.delenv("BORDER_DASHBOARD_DATABASE_URL", raising=False)
    assert main(["db", "export", "--out", str(tmp_path / "x.csv")]) == 2
    assert "set BORDER_DASHBOARD_DATABASE_URL" in capsys.readouterr().err
    assert main(["db", "init", "--database-url", "postgresql://u:pw@127.0.0.1:9/team"]) == 2
    err = capsys.readouterr().err
    assert "'team' on 127.0.0.1:9 cannot be reached" in err and "pw" not in err.replace("password", "")


@pytest.mark.postgis
def test_export_to_an_unknown_format_or_missing_folder_is_a_message(store_url, tmp_path, capsys):
    assert _db("export", "--out", str(tmp_path / "out.xlsx"), url=store_url) == 2
    assert "use a .csv or .geojson file name" in capsys.readouterr().err
    assert _db("export", "--out", str(tmp_path / "no" / "out.csv"), url=store_url) == 2
    err = capsys.readouterr().err
    assert "its folder does not exist" in err and str(tmp_path) not in err

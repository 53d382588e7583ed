"""The database keeps its own rules (issue #26, deliver 2; migration 0006): whoever writes — the app, psql,
ogr2ogr — the derived columns are computed in SQL as geodata computes them, the version goes up and the change is
in ``event_history`` once, with the login role and the app's user when the app passes one."""

import itertools
import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import psycopg
import pytest
from psycopg import conninfo

import geodata
from geodata.__main__ import main
from geodata.events import enrich
from geodata.store import Stamp
from geodata.store.postgis import PostgisStore
from geodata.store.roles import EDITOR
from tests.geodata.conftest import make_row, table

pytestmark = pytest.mark.postgis
_logins = itertools.count()
DERIVED = ("period_start", "period_end", "province_found", "distance_to_border_km", "side", "nearest_crossing",
           "nearest_crossing_km")
EVENT = "test-turbat-attack"


def _history(url, event_id=EVENT):
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT action, version, changed_by, db_role, source_file, reason FROM event_history "
                            "WHERE event_id = %s ORDER BY change_id", (event_id,)).fetchall()


def _row(url, event_id=EVENT):
    store = PostgisStore(url)
    found = store.find([event_id])
    assert len(found) == 1
    return found.iloc[0]


def _expected(**fields) -> pd.Series:
    """The row as geodata derives it (a file of incidents: the shipped crossings are the reference)."""
    return enrich(table(make_row(**fields))).iloc[0]


def _assert_derived(stored: pd.Series, expected: pd.Series) -> None:
    for column in DERIVED:
        got, want = stored[column], expected[column]
        if isinstance(want, float) and not pd.isna(want):
            assert got == pytest.approx(want, abs=0.011), column  # SQL rounds halves up, numpy to even
        else:
            assert (pd.isna(got) and pd.isna(want)) or got == want, (column, got, want)


def _editor(url: str) -> tuple[str, str]:
    name = f"editor_login_{next(_logins)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN IN ROLE {EDITOR}")
    return name, conninfo.make_conninfo(url, user=name)


@pytest.fixture
def team(store_url, capsys):
    """A store with roles (``db init --empty``), the test row added by the app as 'ann', and an editor login."""
    assert main(["db", "init", "--empty", "--database-url", store_url]) == 0
    capsys.readouterr()
    events, _ = geodata.check_events(table(make_row()))
    PostgisStore(store_url).add(events, Stamp("ann", source_file="upload.csv"))
    return store_url, *_editor(store_url)


def test_rows_inserted_without_derived_values_get_those_geodata_computes(store_url):
    """300 places over the whole region (both sides, the sea, Afghanistan), written by plain SQL."""
    rng = np.random.default_rng(26)
    lat, lon = rng.uniform(24.5, 31.5, 300), rng.uniform(57.0, 67.5, 300)
    precision = rng.choice(["day", "month", "year"], 300)
    rows = [make_row(id=f"p{i}", lat=repr(float(a)), lon=repr(float(b)), date_precision=str(p), date="2024-02-10")
            for i, (a, b, p) in enumerate(zip(lat, lon, precision))]
    with psycopg.connect(store_url) as conn:
        conn.cursor().executemany(
            "INSERT INTO events (id, event_type, title, date, date_precision, country, location_precision, "
            "source_url, lat, lon, added_by) VALUES (%s, 'attack', 't', %s, %s, 'PK', 'town', "
            "'https://example.org/', %s, %s, 'x')",
            [(r["id"], r["date"], r["date_precision"], float(r["lat"]), float(r["lon"])) for r in rows])
    stored = PostgisStore(store_url).load().set_index("id")
    expected = enrich(table(*rows))  # far from the border is a warning for validation, still a row to derive
    for _, want in expected.iterrows():
        _assert_derived(stored.loc[want["id"]], want)
    assert set(stored["side"]) == {"PK", "IR"} and stored["province_found"].isna().any()  # the sea is covered


def test_an_update_through_psql_is_rederived_versioned_and_in_the_history(team):
    url, login, editor_url = team
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("no psql client installed")
    done = subprocess.run([psql, editor_url, "-v", "ON_ERROR_STOP=1", "-c",
                           f"UPDATE events SET lat = 27.2, lon = 64.3, title = 'Moved by hand' WHERE id = '{EVENT}'"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    stored = _row(url)
    assert (stored["title"], stored["version"]) == ("Moved by hand", 2)
    _assert_derived(stored, _expected(lat="27.2", lon="64.3"))
    assert _history(url) == [("add", 1, "ann", "postgres", "upload.csv", None), ("edit", 2, login, login, None, None)]
    change = PostgisStore(url).history(EVENT)[-1]
    assert change.changed_fields == ("title", "lat", "lon") and change.db_role == login


def test_a_point_moved_by_a_gis_client_moves_lat_and_lon(team):
    """QGIS and other GIS clients edit the geometry column: lat/lon and the derived values follow it."""
    url, login, editor_url = team
    with psycopg.connect(editor_url) as conn:
        conn.execute(f"UPDATE events SET geom = ST_SetSRID(ST_MakePoint(61.5, 29.0), 4326) WHERE id = '{EVENT}'")
    stored = _row(url)
    assert (stored["lat"], stored["lon"], stored["version"]) == (29.0, 61.5, 2)
    _assert_derived(stored, _expected(lat="29.0", lon="61.5"))
    assert _history(url)[-1][:4] == ("edit", 2, login, login)


def test_an_event_added_through_ogr2ogr_is_derived_and_in_the_history(team, tmp_path):
    url, login, editor_url = team
    ogr2ogr = shutil.which("ogr2ogr")
    if ogr2ogr is None:
        pytest.skip("no ogr2ogr installed (Debian: apt-get install gdal-bin)")
    row = make_row(id="added-in-gis", lat="25.3", lon="61.9")
    properties = {k: v for k, v in row.items() if k not in ("lat", "lon") and v != ""}
    feature = {"type": "Feature", "properties": properties,
               "geometry": {"type": "Point", "coordinates": [61.9, 25.3]}}
    path = tmp_path / "added.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    params = conninfo.conninfo_to_dict(editor_url)
    target = "PG:" + " ".join(f"{k}={v}" for k, v in params.items())
    done = subprocess.run([ogr2ogr, "-append", "-f", "PostgreSQL", target, str(path), "-nln", "events"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    stored = _row(url, "added-in-gis")
    assert (stored["lat"], stored["lon"], stored["version"], stored["title"]) == (25.3, 61.9, 1, row["title"])
    _assert_derived(stored, _expected(id="added-in-gis", lat="25.3", lon="61.9"))
    assert _history(url, "added-in-gis") == [("add", 1, login, login, None, None)]


def test_the_apps_own_edits_are_recorded_once_with_its_user_and_login(team):
    url, login, editor_url = team
    store = PostgisStore(editor_url)
    assert store.update(EVENT, {"title": "Edited in the app"}, 1, Stamp("bob", reason="typo")) == 2
    assert store.update(EVENT, {"title": "Edited in the app"}, 2, Stamp("bob")) == 2  # no change: no entry
    assert store.retire(EVENT, 2, Stamp("carol", reason="duplicate")) == 3
    assert _history(url) == [("add", 1, "ann", "postgres", "upload.csv", None),
                             ("edit", 2, "bob", login, None, "typo"),
                             ("retire", 3, "carol", login, None, "duplicate")]
    with psycopg.connect(url) as conn:
        stamps = conn.execute("SELECT added_by, changed_by, retired_by, retired_reason FROM events "
                              f"WHERE id = '{EVENT}'").fetchone()
    assert stamps == ("ann", "bob", "carol", "duplicate")


def test_a_client_cannot_set_the_bookkeeping_or_the_derived_values(team):
    url, login, editor_url = team
    before = _row(url)
    with psycopg.connect(editor_url) as conn:
        conn.execute(f"UPDATE events SET version = 40, distance_to_border_km = 0, side = 'IR', added_by = 'eve' "
                     f"WHERE id = '{EVENT}'")
    after = _row(url)
    assert after["version"] == 1 and after["side"] == before["side"] == "PK"
    assert after["distance_to_border_km"] == before["distance_to_border_km"] > 0
    assert len(_history(url)) == 1  # nothing an analyst would call a change


def test_an_editor_cannot_write_the_history_directly(team):
    url, login, editor_url = team
    with psycopg.connect(editor_url, autocommit=True) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("INSERT INTO event_history (event_id, version, action, changed_by) "
                     f"VALUES ('{EVENT}', 9, 'edit', 'someone else')")


def test_refreshing_actor_ids_changes_no_version_and_writes_no_history(team):
    url, *_ = team
    PostgisStore(url).refresh_actor_ids()
    assert _row(url)["version"] == 1 and len(_history(url)) == 1

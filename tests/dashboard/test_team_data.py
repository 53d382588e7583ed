"""AppTest: the app on a team PostGIS store — edits with an audit trail, conflicts, and the database going away."""

import pytest
from streamlit.testing.v1 import AppTest

import geodata
from dashboard import session_files, team_edits
from geodata.store import Stamp
from geodata.store.postgis import PostgisStore
from tests.dashboard.team_app import APP, SHIPPED, plain, run_on_store
from tests.geodata.store.conftest import migrated_template, pg_cluster, store_url

EVENT = "crossing-taftan-mirjaveh"


def _texts(at) -> str:
    return " ".join(plain(kind) for kind in (at.error, at.warning, at.info, at.success, at.caption, at.markdown))


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_unreachable_database_at_start_shows_the_shipped_data_with_a_message(monkeypatch):
    at = run_on_store(monkeypatch, "postgresql://analyst:hunter2@127.0.0.1:9/team")
    assert not at.exception
    errors = plain(at.error)
    assert "'team' on 127.0.0.1:9 cannot be reached" in errors and "Showing the shipped data" in errors
    assert f"{SHIPPED} of {SHIPPED} events" in " ".join(c.value for c in at.caption)
    assert "hunter2" not in _texts(at) and "analyst" not in _texts(at)


def test_without_a_database_there_is_no_team_panel(monkeypatch):
    monkeypatch.delenv("BORDER_DASHBOARD_DATABASE_URL", raising=False)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    assert not any("Team data" in e.label for e in at.expander)


@pytest.fixture
def team_url(store_url):
    PostgisStore(store_url).add(geodata.load_events(), Stamp("curator", source_file="events.csv"))
    return store_url


@pytest.mark.postgis
def test_edit_in_the_app_is_saved_with_who_and_shown(monkeypatch, team_url):
    at = run_on_store(monkeypatch, team_url, {"sel": EVENT})
    assert not at.exception
    assert "team database" in " ".join(c.value for c in at.caption)
    at.text_input(key=team_edits.TEAM_AUTHOR).input("Ann Analyst").run()
    assert at.text_input(key=f"team_edit_{EVENT}_1_lat").value == "28.95"  # the form shows the CSV's text
    at.text_input(key=f"team_edit_{EVENT}_1_title").input("Taftan crossing (edited)")
    _button(at, "Save changes").click().run()
    assert not at.exception
    assert f"Saved your change to {EVENT} (version 2)." in plain(at.success)
    store = PostgisStore(team_url)
    row = store.load().set_index("id").loc[EVENT]
    assert (row["title"], row["version"]) == ("Taftan crossing (edited)", 2)
    edit = store.history(EVENT)[-1]
    assert (edit.changed_by, edit.changed_fields) == ("Ann Analyst", ("title",))
    # The form now starts from the saved version, showing the saved value.
    assert at.text_input(key=f"team_edit_{EVENT}_2_title").value == "Taftan crossing (edited)"


@pytest.mark.postgis
def test_a_stale_edit_gets_a_conflict_message_and_keeps_what_was_typed(monkeypatch, team_url):
    ann = run_on_store(monkeypatch, team_url, {"sel": EVENT})
    bob = run_on_store(monkeypatch, team_url, {"sel": EVENT})
    ann.text_input(key=team_edits.TEAM_AUTHOR).input("Ann").run()
    ann.text_input(key=f"team_edit_{EVENT}_1_district").input("Chagai District")
    _button(ann, "Save changes").click().run()
    bob.text_input(key=team_edits.TEAM_AUTHOR).input("Bob").run()
    bob.text_input(key=f"team_edit_{EVENT}_1_district").input("Nokkundi")
    _button(bob, "Save changes").click().run()
    assert not bob.exception
    errors = plain(bob.error)
    assert "was changed by Ann" in errors and "was not saved" in errors
    assert bob.text_input(key=f"team_edit_{EVENT}_1_district").value == "Nokkundi"
    assert PostgisStore(team_url).load().set_index("id").loc[EVENT, "district"] == "Chagai District"


@pytest.mark.postgis
def test_database_lost_mid_session_keeps_the_edit_and_shows_the_shipped_data(monkeypatch, pg_cluster, team_url):
    at = run_on_store(monkeypatch, team_url, {"sel": EVENT})
    at.text_input(key=team_edits.TEAM_AUTHOR).input("Ann").run()
    at.text_input(key=f"team_edit_{EVENT}_1_title").input("Typed while the database was down")
    pg_cluster.stop()
    try:
        _button(at, "Save changes").click().run()
        assert not at.exception
        errors = plain(at.error)
        assert "cannot be reached" in errors and "Showing the shipped data" in errors
        assert "nothing was saved" in errors and "kept here" in errors
        assert f"{SHIPPED} of {SHIPPED} events" in " ".join(c.value for c in at.caption)
        assert at.text_input(key=f"team_edit_{EVENT}_1_title").value == "Typed while the database was down"
        # The section stays open with the kept text: the analyst saves it when the database is back (issue #26).
        assert _team_section(at).proto.expanded
        assert "/tmp" not in _texts(at) and "SELECT" not in _texts(at)
    finally:
        pg_cluster.start()
    assert PostgisStore(team_url).load().set_index("id").loc[EVENT, "version"] == 1  # nothing half-written
    _button(at, "Save changes").click().run()  # the database is back: the kept edit saves
    assert PostgisStore(team_url).load().set_index("id").loc[EVENT, "title"] == "Typed while the database was down"


@pytest.mark.postgis
def test_add_a_validated_upload_to_team_data(monkeypatch, store_url):
    from tests.geodata.conftest import make_row, table

    at = run_on_store(monkeypatch, store_url)
    rows = table(make_row(), make_row(id="second-upload-row"), make_row(id="bad-row", country="XX"))
    at.file_uploader(key=session_files.UPLOAD).set_value(("my_*team*.csv", rows.to_csv(index=False).encode(), "text/csv"))
    at.run()
    at.text_input(key=team_edits.TEAM_AUTHOR).input("Ann").run()
    add = at.button(key="team_add_upload")
    assert "Add 2 valid row" in add.label and "my\\_\\*team\\*\\.csv" in add.label  # the file name is escaped
    add.click().run()
    assert not at.exception
    assert "Added 2 event(s) of my_*team*.csv to team data." in plain(at.success)
    # The rows just added are the same events as the file's: not "ids of the curated data" (issue #26).
    assert "reuse ids" not in _texts(at)
    assert "2 row(s) of my_*team*.csv are already in the team data" in plain(at.info)
    store = PostgisStore(store_url)
    assert store.load()["id"].tolist() == ["test-turbat-attack", "second-upload-row"]
    added = store.history("second-upload-row")[0]
    assert (added.changed_by, added.source_file) == ("Ann", "my_*team*.csv")
    at.button(key="team_add_upload").click().run()
    assert "2 id(s) were already there and were not added" in plain(at.success)


def _team_section(at):
    return next(e for e in at.expander if "Team data" in e.label)


@pytest.mark.postgis
@pytest.mark.parametrize(("typed", "said"), [
    ("Taftan\x00crossing", "field 'title' contains a NUL character (U+0000)"),
    ("Taftan\x1bcrossing", "field 'title' contains the control character U+001B"),
    ("x" * 40_000, "field 'title' is 40,000 characters long; the limit is 32,767"),
])
def test_the_form_refuses_what_no_write_path_takes_naming_the_field(monkeypatch, team_url, typed, said):
    at = run_on_store(monkeypatch, team_url, {"sel": EVENT})
    at.text_input(key=team_edits.TEAM_AUTHOR).input("Ann").run()
    at.text_input(key=f"team_edit_{EVENT}_1_title").input(typed)
    _button(at, "Save changes").click().run()
    assert not at.exception
    errors = plain(at.error)
    assert said in errors and "kept here" in errors and "error unknown" not in errors
    assert at.text_input(key=f"team_edit_{EVENT}_1_title").value == typed
    assert PostgisStore(team_url).load().set_index("id").loc[EVENT, "version"] == 1


def test_settings_carry_the_database_url_without_printing_it():
    from dashboard.settings import DATABASE_URL_ENV, Settings
    from geodata.store import DATABASE_URL_ENV as STORE_ENV

    settings = Settings.from_env({DATABASE_URL_ENV: " postgresql://analyst:hunter2@db/team "})
    assert DATABASE_URL_ENV == STORE_ENV
    assert settings.database_url == "postgresql://analyst:hunter2@db/team"
    assert "hunter2" not in repr(settings)
    assert Settings.from_env({}).database_url is None


def test_the_source_returns_its_notices_for_the_page_to_draw():
    import geodata
    from dashboard import event_source
    from geodata.store import FilesStore

    events = geodata.load_events()
    files = FilesStore.of(events, geodata.ValidationReport(rows=len(events)), "curated dataset")
    source = event_source.Source(files, files, problem="The database <b>is</b> away.")
    [notice] = source.notices()
    assert (notice.kind, notice.icon) == ("error", "⚠️") and "\\<b\\>" in notice.text


@pytest.mark.postgis
def test_connected_as_a_viewer_the_page_hides_the_edit_forms(monkeypatch, team_url):
    import psycopg

    from geodata.store.roles import VIEWER

    PostgisStore(team_url).apply_roles()
    with psycopg.connect(team_url, autocommit=True) as conn:
        conn.execute("DROP ROLE IF EXISTS app_viewer_login")
        conn.execute(f"CREATE ROLE app_viewer_login LOGIN IN ROLE {VIEWER}")
    at = run_on_store(monkeypatch, team_url.replace("//postgres@", "//app_viewer_login@"), {"sel": EVENT})
    assert not at.exception
    assert not at.error, plain(at.error)
    assert "team database" in " ".join(c.value for c in at.caption)
    section = _team_section(at)
    assert "read only" in section.label and "viewer role" in plain(section.caption)
    assert not any(b.label in ("Save changes", "Retire this event") for b in at.button)
    assert not any(t.key == team_edits.TEAM_AUTHOR for t in at.text_input)
    assert at.dataframe  # the selected event's history is still shown

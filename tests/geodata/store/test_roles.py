"""Database roles (issue #26, deliver 3): viewer reads, editor adds/edits/retires, owner migrates — enforced by
PostgreSQL, against a throwaway cluster."""

import itertools

import psycopg
import pytest
from psycopg import conninfo

import geodata
from geodata.__main__ import main
from geodata.store import Stamp, StoreError
from geodata.store.postgis import PostgisStore
from geodata.store.roles import EDITOR, OWNER, VIEWER, roles_sql

pytestmark = pytest.mark.postgis
_logins = itertools.count()
EVENT = "crossing-taftan-mirjaveh"


def _login(url: str, group: str) -> str:
    """A new login role in ``group`` and the URL that connects as it (the cluster trusts local logins)."""
    name = f"{group}_login_{next(_logins)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {name}")
        conn.execute(f"CREATE ROLE {name} LOGIN IN ROLE {group}")
    return conninfo.make_conninfo(url, user=name)


@pytest.fixture
def team(store_url, capsys):
    """A store set up by ``db init`` (curated rows, roles), and a URL per role."""
    assert main(["db", "init", "--database-url", store_url]) == 0
    assert "roles border_viewer (read), border_editor" in capsys.readouterr().out
    return {"owner": store_url, **{role: _login(store_url, group)
                                   for role, group in (("viewer", VIEWER), ("editor", EDITOR))},
            "owner_login": _login(store_url, OWNER)}


def test_init_creates_the_three_roles_and_can_run_again(team, capsys):
    with psycopg.connect(team["owner"]) as conn:
        found = {r[0] for r in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE 'border_%'")}
        owners = {r[0] for r in conn.execute("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' "
                                             "AND tablename IN ('events', 'event_history', 'place_status')")}
    assert {VIEWER, EDITOR, OWNER} <= found and owners == {OWNER}
    assert main(["db", "init", "--database-url", team["owner"]]) == 0  # idempotent
    assert "schema already up to date" in capsys.readouterr().out


def test_roles_sql_is_printed_for_an_administrator(capsys):
    assert main(["db", "roles-sql"]) == 0
    assert capsys.readouterr().out == roles_sql()
    assert "GRANT SELECT ON" in roles_sql() and f"TO {VIEWER}" in roles_sql()


@pytest.mark.parametrize("statement", [
    "INSERT INTO events (id, event_type, title, country, location_precision, source_url, lat, lon, added_by) "
    "VALUES ('forged', 'attack', 'x', 'PK', 'town', 'https://e.example', 26, 63, 'me')",
    f"UPDATE events SET title = 'forged' WHERE id = '{EVENT}'",
    "INSERT INTO event_history (event_id, version, action, changed_by) "
    f"VALUES ('{EVENT}', 9, 'edit', 'me')",
    f"DELETE FROM place_status WHERE place_id = '{EVENT}'",
])
def test_a_viewers_forged_write_is_refused_by_the_database(team, statement):
    with psycopg.connect(team["viewer"], autocommit=True) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def test_a_viewer_reads_and_the_store_says_it_may_not_write(team):
    viewer = PostgisStore(team["viewer"])
    assert len(viewer.load()) == len(geodata.load_events()) and viewer.revision() > 0
    assert viewer.history(EVENT) and not viewer.place_status().empty
    assert viewer.summary().can_write is False
    with pytest.raises(StoreError, match="may not save the change: its database role does not allow it"):
        viewer.update(EVENT, {"title": "forged"}, 1, Stamp("mallory"))
    with pytest.raises(StoreError, match="may not add the events"):
        viewer.add(geodata.load_events().iloc[:1].assign(id="new-one"), Stamp("mallory"))
    assert PostgisStore(team["owner"]).find([EVENT]).iloc[0]["version"] == 1


def test_an_editor_adds_edits_and_retires_but_cannot_delete_or_migrate(team):
    editor = PostgisStore(team["editor"])
    assert editor.summary().can_write is True
    added = editor.add(geodata.load_events().iloc[:1].assign(id="editor-added"), Stamp("ed"))
    assert added.added == ("editor-added",)
    version = editor.update(EVENT, {"title": "Taftan (edited by an editor)"}, 1, Stamp("ed"))
    assert editor.retire(EVENT, version, Stamp("ed", reason="test")) == version + 1
    assert [c.action for c in editor.history(EVENT)][-2:] == ["edit", "retire"]
    with psycopg.connect(team["editor"], autocommit=True) as conn:
        for statement in ("DELETE FROM events WHERE id = 'editor-added'", "ALTER TABLE events ADD COLUMN x int",
                          "DELETE FROM event_history", "CREATE TABLE events_copy (id text)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_an_owner_login_runs_migrations(team):
    with psycopg.connect(team["owner_login"]) as conn:
        conn.execute(f"SET ROLE {OWNER}")
        conn.execute("ALTER TABLE events ADD COLUMN probe int")  # DDL: rolled back when the block ends
        conn.rollback()
    assert PostgisStore(team["owner_login"]).migrate() == []

"""Three database roles for a team store: who may read, who may change events, who may change the schema.

* ``border_viewer`` — SELECT on the event tables: the app connected as a viewer shows the data and hides the
  edit forms; a write it forges is refused by the database (``permission denied``).
* ``border_editor`` — a viewer that may also add, edit and retire events and replace the status periods
  (INSERT and UPDATE on ``events``, INSERT and DELETE on ``place_status``): what the app's functions and
  ``db import`` do. No DELETE of events, no DDL, and no write to ``event_history``: the triggers of migration 0006
  write it (their functions run with the owner's rights), so nobody's client can forge or skip a history row.
* ``border_owner`` — owns the tables: runs ``python -m geodata db init`` (migrations).

The roles are group roles (NOLOGIN); people log in with roles of their own that are members, e.g.
``CREATE ROLE ann LOGIN PASSWORD '...' IN ROLE border_editor``. ``db init`` applies :func:`roles_sql` when its
user may create roles; otherwise ``python -m geodata db roles-sql`` prints it for an administrator.
"""

from __future__ import annotations

VIEWER, EDITOR, OWNER = "border_viewer", "border_editor", "border_owner"
#: Our tables, in the order the migrations create them.
TABLES = ("schema_migrations", "events", "event_history", "place_status", "ref_provinces", "ref_border",
          "ref_crossings")
#: The trigger functions of migration 0006: they write the history with their owner's rights.
FUNCTIONS = ("border_before_write()", "border_after_write()", "border_added_crossings()")


def roles_sql() -> str:
    """The SQL that creates the three roles (if missing) and grants them their rights on this database.

    Idempotent: run it again after a migration that adds a table. Run it as a superuser, or as a role with
    CREATEROLE that owns the tables (it hands their ownership to ``border_owner`` and joins that role).
    """
    tables = ", ".join(TABLES)
    creates = "\n".join(
        f"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} NOLOGIN; END IF;"
        for role in (VIEWER, EDITOR, OWNER))
    owners = "\n".join([*(f"ALTER TABLE {table} OWNER TO {OWNER};" for table in TABLES),
                        *(f"ALTER FUNCTION {function} OWNER TO {OWNER};" for function in FUNCTIONS)])
    return f"""\
DO $$ BEGIN
{creates}
  IF NOT pg_has_role(current_user, '{OWNER}', 'MEMBER') THEN
    EXECUTE format('GRANT {OWNER} TO %I', current_user);
  END IF;
END $$;
GRANT {VIEWER} TO {EDITOR};
GRANT USAGE ON SCHEMA public TO {VIEWER}, {EDITOR}, {OWNER};
GRANT CREATE ON SCHEMA public TO {OWNER};
{owners}
REVOKE ALL ON {tables} FROM PUBLIC;
GRANT SELECT ON {tables} TO {VIEWER};
GRANT INSERT, UPDATE ON events TO {EDITOR};
GRANT INSERT, DELETE ON place_status TO {EDITOR};
"""


#: Whether the connected user may write events: what the app asks once per revision to show or hide the forms.
CAN_WRITE_SQL = "SELECT has_table_privilege('events', 'INSERT') AND has_table_privilege('events', 'UPDATE')"

__all__ = ["CAN_WRITE_SQL", "EDITOR", "FUNCTIONS", "OWNER", "TABLES", "VIEWER", "roles_sql"]

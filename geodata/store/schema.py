"""Versioned schema migrations, shipped as package data (``geodata/store/migrations/NNNN_name.sql``).

Each migration runs once, in order, in its own transaction, and is recorded in ``schema_migrations``; an
advisory lock keeps two ``db init`` runs from applying the same step twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
#: Arbitrary constant key of the advisory lock held while migrating.
_LOCK = 0x6265_7374  # "best": border event store


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The shipped migrations, oldest first."""
    found = []
    for entry in resources.files("geodata.store").joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def applied_versions(conn) -> list[int]:
    """Versions recorded in ``schema_migrations`` (empty on a new database)."""
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass('schema_migrations') IS NOT NULL")
        if not cur.fetchone()[0]:
            return []
        cur.execute("SELECT version FROM schema_migrations ORDER BY version")
        return [row[0] for row in cur.fetchall()]


def migrate(conn) -> list[Migration]:
    """Apply every shipped migration the database lacks; return the ones applied (in order).

    ``conn`` is an open psycopg connection; each migration commits on its own, so an interrupted run leaves
    the schema at the last complete step and the next run carries on from there.
    """
    done = []
    with conn.transaction():
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        )
    for migration in migrations():
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            if migration.version in applied_versions(conn):
                continue
            conn.execute(migration.sql)
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                         (migration.version, migration.name))
            done.append(migration)
    return done

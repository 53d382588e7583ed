"""The stored ``actor_ids`` column (migration 0005) derived again from each row's actors text and country."""

from __future__ import annotations

from ..actors import ACTOR_ID_SEPARATOR, resolve_cell


def refresh_actor_ids(cur) -> int:
    """Set ``actor_ids`` of every row whose stored ids differ from :func:`geodata.actors.resolve_cell`'s; return
    how many rows changed. ``cur`` is a cursor inside the caller's transaction.

    Each distinct (actors, country) pair is resolved once: thousands of rows share a few hundred pairs.
    """
    cur.execute("SELECT DISTINCT coalesce(actors, ''), country, actor_ids FROM events")
    stale = {}
    for actors, country, stored in cur.fetchall():
        ids = ACTOR_ID_SEPARATOR.join(resolve_cell(actors, country)[0]) or None
        if ids != stored:
            stale[(actors, country)] = ids
    changed = 0
    for (actors, country), ids in stale.items():
        cur.execute("UPDATE events SET actor_ids = %(ids)s WHERE coalesce(actors, '') = %(actors)s "
                    "AND country = %(country)s AND actor_ids IS DISTINCT FROM %(ids)s",
                    {"ids": ids, "actors": actors, "country": country})
        changed += cur.rowcount
    return changed

"""The actor field: events naming any of some actors (ids of ``geodata/data/actors.csv``).

Each loaded event carries its actor ids in the ``actor_ids`` column (:mod:`geodata.actors`); the team store keeps
the same ids in its own ``actor_ids`` column (migration 0005, refreshed by ``geodata db init``), so the pandas mask
and the SQL clause read the same values. A selected actor matches only events naming that actor itself, not its
parts (``bla`` does not select ``bla-majeed-brigade``): the sidebar's and the "Top actors" counts are then exactly
the events the filter shows.
"""

from __future__ import annotations

from .. import actors as _actors
from ._base import csv_values
from ._lists import ListField

#: The SQL expression of an event's actor ids as an array; migration 0005 indexes this same expression.
ACTOR_IDS_SQL = "string_to_array(actor_ids, ';')"


class ActorsField(ListField):
    """``actors=jaish-al-adl,bla``: events naming any of these actors. The vocabulary is the actors table."""

    def label(self, code, ctx=None):
        names = _actors.load_actors()["name"]
        return names.get(code, code)

    def _known_ids(self) -> set[str]:
        return set(_actors.load_actors().index)

    def _known(self, ctx):
        return self._known_ids().__contains__

    def _expected(self, ctx):
        return "expected actor ids of the actors table, e.g. jaish-al-adl, bla"

    def _values(self, raw):
        return csv_values(raw.lower())

    def mask(self, events, flt):
        if not flt.actors:
            return None
        return _actors.mask(events, flt.actors).to_numpy(dtype=bool)

    def sql(self, flt, params):
        if not flt.actors:
            return []
        params["actors"] = list(flt.actors)
        return [f"{ACTOR_IDS_SQL} && %(actors)s::text[]"]  # NULL (no actor recognised) drops out, as in the mask

    def words(self, flt, ctx):
        if not flt.actors:
            return None
        return "actors: " + ", ".join(self.label(a) for a in flt.actors)

    def parse_words(self, text, known=None):
        """Actor ids or names in any script (``"jaish-al-adl, BLA, جيش العدل"``), comma-separated, as ids."""
        words = [w.strip() for w in str(text).split(",") if w.strip()]
        ids, bad = [], []
        accepted = set(known) if known is not None else self._known_ids()
        for word in words:
            found = word.lower() if word.lower() in accepted else _actors.resolve_name(word)
            (ids if found in accepted else bad).append(found if found in accepted else word)
        if bad or not words:
            quoted = ", ".join(map(repr, bad)) or repr(text)
            raise ValueError(f"unknown {self.what} {quoted}; expected actor ids or names of the actors table "
                             "(geodata/data/actors.csv), e.g. jaish-al-adl, BLA")
        return tuple(dict.fromkeys(ids))

"""Who took part: the actors table (``data/actors.csv``), name matching in any script, and per-actor counts.

Events carry their actors as free text (``"Jaish al-Adl; Iranian Police (FARAJA)"``, ACLED's
``"Military Forces of Pakistan (2018-)"``, UCDP's ``"Government of Pakistan"``). :func:`actor_ids` turns that text
into the ids of ``actors.csv`` — the ``actor_ids`` column every loaded event gets, ids joined by ``";"`` (plain
text: it survives CSV, Parquet and the database as it is, and is recomputed from ``actors`` and ``country`` on every
read, so nothing stored can go stale). Names the table does not know stay in ``actors`` and are counted by
:func:`unrecognised_names` for the import report.

How a name is matched, first hit wins:

1. the whole name, then (ACLED's ``"BLA: Baloch Liberation Army"``) the parts after and before a colon;
2. the name without its parenthesised remarks (``"Jaish al-Adl (claimed)"``), then each remark on its own
   (``"Iran (IRGC)"``), then what follows "calls"/"called" (``"militants the state calls Fitna al-Hindustan"``).

Every candidate is compared by :func:`name_key`: case, accents, punctuation and spaces ignored, ACLED's year suffixes
(``"(2018-)"``, ``"(2013-2018)"``) dropped, and Arabic-script variants folded (Arabic ي/ى and Urdu ے to Persian ی,
ك to ک, ہ/ۃ/ة/ھ to ه, hamza and harakat dropped), so an Urdu, Persian or Arabic spelling of the same name meets.
A name shared by actors of several countries (``"civilians"``, ``"protesters"``, ``"unidentified gunmen"``) is
resolved by the event's country; without one it is not recognised.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from importlib import resources

import numpy as np
import pandas as pd

from .names import YEAR_SUFFIX, name_key

__all__ = ["ACTOR_ID_SEPARATOR", "actor_ids", "actor_names", "load_actors", "mask", "name_key", "resolve_cell", "resolve_name",
           "split_names", "top_actors", "unrecognised_names", "unrecognised_note", "with_actor_ids"]

#: Joins the ids in the ``actor_ids`` column (ids never contain it).
ACTOR_ID_SEPARATOR = ";"
#: Separates the aliases in ``actors.csv`` (names contain ";", ":" and "," but never "|").
_ALIAS_SEPARATOR = "|"
_COLUMNS = ("actor_id", "name", "kind", "country", "part_of", "aliases", "source_url")

_CALLED = re.compile(r"\bcall(?:s|ed)?\s+(.+)$", re.IGNORECASE)


@functools.cache
def load_actors() -> pd.DataFrame:
    """The shipped actors table.

    Returns
    -------
    pandas.DataFrame
        One row per actor, indexed by ``actor_id``: ``name``, ``kind`` (``armed_group``, ``state_force``,
        ``government``, ``official``, ``political_movement``, ``civilians``, ...), ``country`` (ISO alpha-2, blank
        when none), ``part_of`` (the id of the actor it belongs to, or blank), ``aliases`` (a tuple of names) and
        ``source_url``. Cached: treat as read-only.
    """
    from .events import read_table  # the one reader of our CSV files

    frame = read_table(resources.files("geodata") / "data" / "actors.csv")
    frame = frame[list(_COLUMNS)].apply(lambda c: c.str.strip())
    frame["aliases"] = frame["aliases"].map(
        lambda text: tuple(a.strip() for a in text.split(_ALIAS_SEPARATOR) if a.strip()))
    frame = frame.set_index("actor_id")
    if not frame.index.is_unique:
        raise ValueError(f"actors.csv repeats ids: {sorted(frame.index[frame.index.duplicated()])}")
    return frame


@functools.cache
def _index() -> dict[str, tuple[str, ...]]:
    """Name key -> the ids of every actor that has that name or alias."""
    found: dict[str, list[str]] = {}
    actors = load_actors()
    for actor_id, row in actors.iterrows():
        for name in (row["name"], actor_id, *row["aliases"]):
            key = name_key(name)
            if key and actor_id not in found.setdefault(key, []):
                found[key].append(actor_id)
    return {key: tuple(ids) for key, ids in found.items()}


@functools.cache
def _countries() -> dict[str, str]:
    return load_actors()["country"].to_dict()


def _lookup(name: str, country: str | None) -> str | None:
    ids = _index().get(name_key(name), ())
    if len(ids) > 1:
        ids = tuple(i for i in ids if _countries()[i] == (country or "").strip().upper())
    return ids[0] if len(ids) == 1 else None


def _parenthesised(name: str) -> tuple[str, list[str]]:
    """The name without its top-level ``(...)`` remarks, and the remarks."""
    head, remarks, depth, current = [], [], 0, []
    for char in name:
        if char == "(":
            depth += 1
            if depth == 1:
                current = []
                continue
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                remarks.append("".join(current))
                continue
        (current if depth else head).append(char)
    return "".join(head).strip(), [r.strip() for r in remarks if r.strip()]


def _candidates(name: str):
    name = YEAR_SUFFIX.sub(" ", name).strip()
    yield name
    if ":" in name:
        before, _, after = name.partition(":")
        yield after
        yield before
    head, remarks = _parenthesised(name)
    if head != name:
        yield head
    yield from remarks
    called = _CALLED.search(head)
    if called:
        yield called.group(1)


def resolve_name(name: str, country: str | None = None) -> str | None:
    """The id of the actor a single name refers to, or None.

    Parameters
    ----------
    name : str
        One actor name (not a ``;``-separated list: see :func:`resolve_cell`).
    country : str, optional
        ISO alpha-2 code of the event's country, used only for names several countries' actors share.
    """
    for candidate in _candidates(str(name)):
        if candidate.strip():
            found = _lookup(candidate, country)
            if found:
                return found
    return None


def split_names(cell) -> list[str]:
    """The names in an actors cell: split at ``;`` outside parentheses, blanks dropped.

    ``"Militants (FC blamed TTP; BLF claimed); Frontier Corps"`` is two names, not three.
    """
    if cell is None or (not isinstance(cell, str) and pd.isna(cell)):
        return []
    names, depth, current = [], 0, []
    for char in str(cell):
        depth += (char == "(") - (char == ")" and depth > 0)
        if char == ";" and depth == 0:
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    return [n.strip() for n in names if n.strip()]


def resolve_cell(cell, country: str | None = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The actor ids an actors cell names (in order, each once) and the names not recognised.

    Parameters
    ----------
    cell : str or missing
        Free text as in the ``actors`` column, names separated by ``;``.
    country : str, optional
        The event's country (ISO alpha-2), for names shared by several countries' actors.
    """
    ids: list[str] = []
    unknown: list[str] = []
    for name in split_names(cell):
        found = resolve_name(name, country)
        if found is None:
            unknown.append(name)
        elif found not in ids:
            ids.append(found)
    return tuple(ids), tuple(unknown)


def _per_distinct(events: pd.DataFrame) -> tuple[np.ndarray, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Each row's code and the resolution of each distinct (actors, country) pair: thousands of rows share a few."""
    n = len(events)
    actors = events["actors"] if "actors" in events else pd.Series(pd.NA, index=events.index)
    country = events["country"] if "country" in events else pd.Series(pd.NA, index=events.index)
    if not n:
        return np.array([], dtype=int), []
    # Each column factorised on its own, then the pairs of codes (integers): a MultiIndex of a million rows of
    # text took seconds.
    actor_codes, actor_values = pd.factorize(actors.astype("string").fillna(""))
    country_codes, country_values = pd.factorize(country.astype("string").fillna(""))
    width = len(country_values)
    codes, pairs = pd.factorize(actor_codes.astype(np.int64) * width + country_codes)
    return codes, [resolve_cell(actor_values[p // width], country_values[p % width]) for p in pairs]


def actor_ids(events: pd.DataFrame) -> pd.Series:
    """Each event's actor ids, joined by ``";"`` (missing where no name was recognised).

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``actors`` (free text) and ``country`` columns; a missing column counts as blank.

    Returns
    -------
    pandas.Series
        String dtype, aligned with ``events``.
    """
    codes, resolved = _per_distinct(events)
    joined = np.array([ACTOR_ID_SEPARATOR.join(ids) or None for ids, _ in resolved] + [None], dtype=object)
    return pd.Series(joined[codes] if len(codes) else [], index=events.index, dtype="string")


def actor_names(events: pd.DataFrame, separator: str = "; ") -> pd.Series:
    """Each event's actors as people read them: the table's name of each recognised actor, then the names the
    table does not know as written (missing where the event names no actor).

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``actors`` (free text) and ``country`` columns.
    separator : str
        Joins the names.

    Returns
    -------
    pandas.Series
        String dtype, aligned with ``events``.
    """
    codes, resolved = _per_distinct(events)
    names = load_actors()["name"]
    joined = [separator.join([names[i] for i in ids] + list(unknown)) or None for ids, unknown in resolved]
    joined = np.array(joined + [None], dtype=object)
    return pd.Series(joined[codes] if len(codes) else [], index=events.index, dtype="string")


def with_actor_ids(events: pd.DataFrame) -> pd.DataFrame:
    """``events`` with its ``actor_ids`` column (see :func:`actor_ids`) set in place; returns the same frame."""
    events["actor_ids"] = actor_ids(events)
    return events


def unrecognised_names(events: pd.DataFrame) -> Counter:
    """How many events name each actor the table does not know (names as written)."""
    codes, resolved = _per_distinct(events)
    counts = Counter()
    for code, rows in zip(*np.unique(codes, return_counts=True)) if len(codes) else ():
        for name in resolved[code][1]:
            counts[name] += int(rows)
    return counts


def unrecognised_note(events: pd.DataFrame, shown: int = 8) -> str:
    """One report line, ``"12 actor names not recognised: A (40 events), B (3 events), …"``; ``""`` if none."""
    counts = unrecognised_names(events)
    if not counts:
        return ""
    listed = ", ".join(f"{name} ({n:,} event{'s' if n != 1 else ''})" for name, n in counts.most_common(shown))
    more = ", …" if len(counts) > shown else ""
    return (f"{len(counts):,} actor name{'s' if len(counts) != 1 else ''} not recognised (kept as text): "
            f"{listed}{more}")


def _descendants(ids) -> set[str]:
    parents = load_actors()["part_of"]
    wanted, grew = set(ids), True
    while grew:
        more = set(parents.index[parents.isin(wanted)]) - wanted
        wanted |= more
        grew = bool(more)
    return wanted


def mask(events: pd.DataFrame, ids, *, include_parts: bool = False) -> pd.Series:
    """Which events name any of the given actors.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with an ``actor_ids`` column (computed from ``actors`` when missing).
    ids : iterable of str
        Actor ids; an empty selection selects nothing.
    include_parts : bool
        Also select events naming a part of a selected actor (``pakistan-army`` for ``pakistan-military``),
        following ``part_of`` down every level.

    Returns
    -------
    pandas.Series of bool
        Aligned with ``events``.
    """
    wanted = _descendants(ids) if include_parts else {str(i) for i in ids}
    column = events["actor_ids"] if "actor_ids" in events else actor_ids(events)
    codes, uniques = pd.factorize(column.astype("string").fillna(""))
    hit = np.array([bool(wanted.intersection(u.split(ACTOR_ID_SEPARATOR))) for u in uniques] + [False], dtype=bool)
    return pd.Series(hit[codes] if len(codes) else np.zeros(0, dtype=bool), index=events.index)


def top_actors(events: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """Events and fatalities per actor, most events first.

    Parameters
    ----------
    events : pandas.DataFrame
        Events with ``actor_ids`` (computed when missing) and, optionally, ``fatalities``.
    limit : int, optional
        Keep only this many rows.

    Returns
    -------
    pandas.DataFrame
        Columns ``actor_id``, ``name``, ``kind``, ``country``, ``events`` (how many events name the actor),
        ``fatalities`` (their reported deaths added up: an event with several actors counts for each; blanks
        count as 0) and ``unreported`` (events without a figure). Ties are ordered by fatalities, then name.
    """
    if "actor_ids" not in events or "fatalities" not in events:
        events = events.assign(**({} if "actor_ids" in events else {"actor_ids": actor_ids(events)}),
                               **({} if "fatalities" in events else {"fatalities": np.nan}))
    from .frame_index import FrameIndex  # the index imports the filter fields, which import this module

    return top_actors_of(FrameIndex(events), None, limit)


def top_actors_of(index, rows: np.ndarray | None = None, limit: int | None = None) -> pd.DataFrame:
    """:func:`top_actors` of the rows of ``index.events`` (a :class:`geodata.frame_index.FrameIndex` of events
    with ``actor_ids`` and ``fatalities``) picked by ``rows`` (a boolean mask; None: all)."""
    # Counted per distinct list of ids first (a file repeats a few hundred combinations over 100,000 rows), then
    # spread to each id of the list: no per-row split of text.
    codes, combos = index.codes("actor_ids")
    reported, unknown = index.figures("fatalities")
    size = len(combos)
    picked = codes if rows is None else codes[rows]
    counted = np.bincount(picked, minlength=size)
    present = np.flatnonzero(counted)
    combo = pd.DataFrame({"events": counted[present],
                          "fatalities": np.bincount(picked, weights=reported if rows is None else reported[rows],
                                                    minlength=size)[present],
                          "unreported": np.bincount(codes[unknown if rows is None else rows & unknown],
                                                    minlength=size)[present]}, index=present)
    combos = combos["actor_ids"].astype("string").fillna("").to_numpy(dtype=object)
    combo["actor_id"] = [str(combos[c]).split(ACTOR_ID_SEPARATOR) for c in present]
    long = combo.explode("actor_id")
    long = long[long["actor_id"].notna() & (long["actor_id"] != "")]
    grouped = long.groupby("actor_id", sort=False)
    out = pd.DataFrame({"events": grouped["events"].sum().astype("int64"),
                        "fatalities": grouped["fatalities"].sum().astype("int64"),
                        "unreported": grouped["unreported"].sum().astype("int64")})
    out.index.name = None
    actors = load_actors()
    out = out.join(actors[["name", "kind", "country"]], how="left").reset_index(names="actor_id")
    out = out.sort_values(["events", "fatalities", "name"], ascending=[False, False, True], ignore_index=True)
    columns = ["actor_id", "name", "kind", "country", "events", "fatalities", "unreported"]
    return out[columns].head(limit) if limit is not None else out[columns]

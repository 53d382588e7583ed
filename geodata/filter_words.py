"""Words for an :class:`~geodata.models.EventFilter`: what a person reads and what a person types.

``describe_filter`` turns a filter into one line of English (the page, the briefing figure and its command line
all print this); ``parse_filter_words`` reads the comma-separated words a person types for a filter field and
names any word it does not know. Kept next to ``EventFilter`` so the vocabulary lives in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from .models import COUNTRIES, EventFilter, EventType, LocationPrecision

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_COUNTRY_NAMES = {"PK": "Pakistan", "IR": "Iran", "AF": "Afghanistan"}
_PLURALS = {
    EventType.BORDER_CROSSING: "border crossings",
    EventType.BORDER_MARKET: "border markets",
    EventType.ATTACK: "attacks",
    EventType.CLASH: "clashes",
    EventType.CROSS_BORDER_STRIKE: "cross-border strikes",
    EventType.SMUGGLING: "smuggling shootings",
    EventType.UNREST: "unrest",
    EventType.DIPLOMATIC: "diplomatic events",
}
# Most to least exact: reads better than alphabetical ("exact or town").
_PRECISION_ORDER = tuple(p.value for p in LocationPrecision)

#: The words each list field of :class:`EventFilter` accepts, and what one of them is called in a message.
#: Provinces have no fixed vocabulary: the caller passes the codes its data knows.
FILTER_VOCABULARY: dict[str, tuple[tuple[str, ...], str]] = {
    "event_types": (tuple(t.value for t in EventType), "event type"),
    "countries": (COUNTRIES, "country"),
    "location_precisions": (_PRECISION_ORDER, "precision"),
    "provinces": ((), "province"),
}


def format_day(day) -> str:
    """A day as ``1 Jan 2023``, whatever the locale.

    Parameters
    ----------
    day : datetime.date, pandas.Timestamp or str
        Anything :class:`pandas.Timestamp` accepts.

    Returns
    -------
    str
    """
    day = pd.Timestamp(day)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _number(value: float) -> str:
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _join(words: list[str], conj: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conj} {words[-1]}"


def _type_words(event_types) -> str:
    if event_types is None:
        return "All event types"
    if not event_types:
        return "No event types"
    known = {t.value: t for t in EventType}
    if set(event_types) >= set(known):
        return "All event types"
    # Declaration order reads better than alphabetical ("attacks and clashes").
    ordered = [t for t in EventType if t.value in event_types] + sorted(set(event_types) - set(known))
    words = [_PLURALS[t] if isinstance(t, EventType) else str(t) for t in ordered]
    text = _join(words)
    return text[:1].upper() + text[1:]


def _date_words(start, end) -> str:
    if start is None and end is None:
        return "all dates"
    if start is not None and end is not None:
        return format_day(start) if start == end else f"{format_day(start)} – {format_day(end)}"
    return f"from {format_day(start)}" if start is not None else f"up to {format_day(end)}"


def describe_filter(flt: EventFilter, province_names: Mapping[str, str] | None = None) -> str:
    """Describe the active filters in words.

    Parameters
    ----------
    flt : EventFilter
        The filter to describe.
    province_names : mapping of str to str, optional
        ISO code -> display name (e.g. ``{"PK-BA": "Balochistan"}``); codes without a name are shown as codes.

    Returns
    -------
    str
        E.g. ``"Attacks and clashes, 1 Jan 2023 – 31 Dec 2024, within 50 km of the border"``. Types come first
        ("All event types" when unrestricted), then the dates ("all dates" when open), then every other active
        constraint: countries, provinces, minimum fatalities, distance, location precision, search text.
    """
    names = province_names or {}
    parts = [_type_words(flt.event_types), _date_words(flt.start, flt.end)]
    if flt.countries:
        parts.append("in " + _join([_COUNTRY_NAMES.get(c, c) for c in flt.countries], "or"))
    if flt.provinces:
        parts.append("in " + _join([names.get(p, p) for p in flt.provinces], "or"))
    if flt.min_fatalities > 0:
        noun = "fatality" if flt.min_fatalities == 1 else "fatalities"
        parts.append(f"at least {flt.min_fatalities} {noun}")
    if flt.max_distance_km is not None:
        parts.append(f"within {_number(flt.max_distance_km)} km of the border")
    if flt.location_precisions:
        ordered = [p for p in _PRECISION_ORDER if p in flt.location_precisions]
        ordered += [p for p in flt.location_precisions if p not in _PRECISION_ORDER]
        parts.append("location " + _join(ordered, "or"))
    if flt.text:
        parts.append(f"matching “{flt.text}”")
    return ", ".join(parts)


def parse_filter_words(field: str, text: str, known: Iterable[str] | None = None) -> tuple[str, ...]:
    """Read the comma-separated words a person typed for one list field of :class:`EventFilter`.

    Parameters
    ----------
    field : {"event_types", "countries", "location_precisions", "provinces"}
        The :class:`EventFilter` field the words are for.
    text : str
        E.g. ``"attack, clash"``; blanks around words and empty items are ignored.
    known : iterable of str, optional
        The accepted words; defaults to the field's fixed vocabulary (:data:`FILTER_VOCABULARY`). Provinces
        have none, so pass the codes the data knows (without them any code is taken).

    Returns
    -------
    tuple of str
        The words, in the order typed.

    Raises
    ------
    ValueError
        If ``field`` is not a list field, ``text`` holds no word, or a word is not accepted; the message quotes
        the unknown words and lists the accepted ones (e.g. ``unknown event type 'riot'; expected some of ...``).
    """
    if field not in FILTER_VOCABULARY:
        raise ValueError(f"field must be one of {', '.join(FILTER_VOCABULARY)}, got {field!r}")
    vocabulary, what = FILTER_VOCABULARY[field]
    accepted = tuple(known) if known is not None else vocabulary
    words = tuple(w.strip() for w in str(text).split(",") if w.strip())
    bad = [w for w in words if accepted and w not in accepted] if words else []
    if bad or not words:
        quoted = ", ".join(map(repr, bad)) or repr(text)
        expected = f"; expected some of {', '.join(accepted)}" if accepted else ""
        raise ValueError(f"unknown {what} {quoted}{expected}")
    return words

"""Words for an :class:`~geodata.models.EventFilter`: what a person reads and what a person types.

``describe_filter`` turns a filter into one line of English (the page, the briefing figure and its command line
all print this); ``parse_filter_words`` reads the comma-separated words a person types for a filter field and
names any word it does not know. Each field's words are declared with the field (:mod:`geodata.filter_fields`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .days import format_day
from .filter_fields import FIELDS, LIST_FIELDS, Context

__all__ = ["FILTER_VOCABULARY", "describe_filter", "format_day", "parse_filter_words"]

#: The words each list field of :class:`EventFilter` accepts, and what one of them is called in a message.
#: Provinces have no fixed vocabulary: the caller passes the codes its data knows.
FILTER_VOCABULARY: dict[str, tuple[tuple[str, ...], str]] = {
    name: (f.vocabulary, f.what) for name, f in LIST_FIELDS.items()
}
_IN_WORDS_ORDER = tuple(sorted(FIELDS, key=lambda f: f.words_rank))  # stable: equal ranks keep table order


def describe_filter(flt, province_names: Mapping[str, str] | None = None) -> str:
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
    ctx = Context(province_names=province_names or {})
    return ", ".join(w for w in (f.words(flt, ctx) for f in _IN_WORDS_ORDER) if w)


def parse_filter_words(field: str, text: str, known: Iterable[str] | None = None) -> tuple[str, ...]:
    """Read the comma-separated words a person typed for one list field of :class:`EventFilter`.

    Parameters
    ----------
    field : {"event_types", "countries", "provinces", "location_precisions", "actors"}
        The :class:`EventFilter` field the words are for.
    text : str
        E.g. ``"attack, clash"``; blanks around words and empty items are ignored.
    known : iterable of str, optional
        The accepted words; defaults to the field's fixed vocabulary (:data:`FILTER_VOCABULARY`). Provinces
        have none, so pass the codes the data knows (without them any code is taken). Actors accept ids or
        names in any script (:func:`geodata.actors.resolve_name`) and give ids.

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
    if field not in LIST_FIELDS:
        raise ValueError(f"field must be one of {', '.join(LIST_FIELDS)}, got {field!r}")
    return LIST_FIELDS[field].parse_words(text, known)

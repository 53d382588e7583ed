"""List fields: some values of a vocabulary (event types, countries, provinces, location precisions)."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from ..models import EventFilter, EventType
from ._base import Context, FilterField, OneColumn, csv_values, join_words

_PROVINCE_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


@dataclass(eq=False)
class ListField(OneColumn, FilterField):
    """A field holding some of a vocabulary (``attr`` on EventFilter, matched against ``column``)."""

    attr: str
    param: str
    column: str
    flag: str
    noun: tuple[str, str]  # one, many (in URL notices)
    what: str  # one value, in a message about typed words
    vocabulary: tuple[str, ...] = ()  # empty: the data decides (see Context.provinces)
    names: Mapping[str, str] = field(default_factory=dict)  # code -> display name
    flag_help: str = ""

    def __post_init__(self):
        self.attrs = (self.attr,)
        self.params = (self.param,)

    def label(self, code: str, ctx: Context | None = None) -> str:
        """The display name of one value (the code itself when it has none)."""
        return self.names.get(code, code)

    def _known(self, ctx: Context) -> Callable[[str], bool]:
        return set(self.vocabulary).__contains__

    def _expected(self, ctx: Context) -> str:
        return f"expected any of {', '.join(sorted(self.vocabulary))}"

    def _values(self, raw: str) -> list[str]:
        return csv_values(raw)

    def from_url(self, raw, notes, ctx):
        if not raw.get(self.param):
            return {}
        return {self.attr: tuple(notes.listed(self.param, self._values(raw[self.param]), self._known(ctx),
                                              self.noun, self._expected(ctx)))}

    def to_url(self, flt):
        values = getattr(flt, self.attr)
        return {self.param: ",".join(values)} if values else {}

    def mask(self, events, flt):
        values = getattr(flt, self.attr)
        if not values:
            return None
        return events[self.column].isin(values).to_numpy()

    def sql(self, flt, params):
        values = getattr(flt, self.attr)
        if not values:
            return []
        params[self.attr] = list(values)
        return [f"{self.column} = ANY(%({self.attr})s)"]

    def words(self, flt, ctx):
        values = getattr(flt, self.attr)
        return "in " + join_words([self.label(v, ctx) for v in values], "or") if values else None

    def parse_words(self, text: str, known: Collection[str] | None = None) -> tuple[str, ...]:
        """Comma-separated words typed for the field (see :func:`geodata.parse_filter_words`)."""
        accepted = tuple(known) if known is not None else self.vocabulary
        words = tuple(w.strip() for w in str(text).split(",") if w.strip())
        bad = [w for w in words if accepted and w not in accepted] if words else []
        if bad or not words:
            quoted = ", ".join(map(repr, bad)) or repr(text)
            expected = f"; expected some of {', '.join(accepted)}" if accepted else ""
            raise ValueError(f"unknown {self.what} {quoted}{expected}")
        return words

    def _flag_known(self, ctx: Callable[[], Context]) -> Collection[str] | None:
        return None

    def add_flags(self, parser, ctx):
        def parse(text: str) -> tuple[str, ...]:
            try:
                return self.parse_words(text, self._flag_known(ctx))
            except ValueError as exc:
                raise argparse.ArgumentTypeError(str(exc)) from None

        parser.add_argument(self.flag, dest=self.attr, type=parse, default=getattr(EventFilter(), self.attr),
                            help=self.flag_help)


class TypesField(ListField):
    """Event types: unlike other lists, ``None`` is every type and an empty tuple none (URL ``types=none``)."""

    def from_url(self, raw, notes, ctx):
        if self.param not in raw:
            return {}
        if raw[self.param] in ("", "none"):
            return {self.attr: ()}
        known = notes.listed(self.param, csv_values(raw[self.param]), self._known(ctx), self.noun)
        return {self.attr: tuple(known)} if known else {}

    def to_url(self, flt):
        return {} if flt.event_types is None else {self.param: ",".join(flt.event_types) or "none"}

    def mask(self, events, flt):
        return None if flt.event_types is None else events[self.column].isin(flt.event_types).to_numpy()

    def sql(self, flt, params):
        if flt.event_types is None:
            return []
        params["types"] = list(flt.event_types)
        return [f"{self.column} = ANY(%(types)s)"]

    def words(self, flt, ctx):
        types = flt.event_types
        if types is None:
            return "All event types"
        if not types:
            return "No event types"
        known = {t.value: t for t in EventType}
        if set(types) >= set(known):
            return "All event types"
        # Declaration order reads better than alphabetical ("attacks and clashes").
        ordered = [t for t in EventType if t.value in types] + sorted(set(types) - set(known))
        text = join_words([self.names[t] if isinstance(t, EventType) else str(t) for t in ordered])
        return text[:1].upper() + text[1:]


class ProvincesField(ListField):
    """Provinces have no fixed vocabulary: the codes the data knows (``Context.provinces``) are accepted."""

    def label(self, code, ctx=None):
        return (ctx.province_names if ctx else {}).get(code, code)

    def _values(self, raw):
        return csv_values(raw.upper())

    def _known(self, ctx):
        def is_code(v: str) -> bool:
            return len(v) <= 8 and set(v) <= _PROVINCE_CHARS and (ctx.provinces is None or v in ctx.provinces)
        return is_code

    def _expected(self, ctx):
        if ctx.provinces is None:
            return "expected ISO codes such as PK-BA, IR-13"
        return f"no events in this data; expected any of {', '.join(sorted(ctx.provinces)) or 'none'}"

    def _flag_known(self, ctx):
        return tuple(ctx().provinces or ()) or None


class PrecisionField(ListField):
    def words(self, flt, ctx):
        values = flt.location_precisions
        if not values:
            return None
        # Most to least exact reads better than alphabetical ("exact or town").
        ordered = [p for p in self.vocabulary if p in values] + [p for p in values if p not in self.vocabulary]
        return "location " + join_words(ordered, "or")

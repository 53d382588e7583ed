"""The filter field table: every EventFilter attribute declared once, with all its faces."""

import argparse
import dataclasses
import datetime as dt

import numpy as np
import pytest

import geodata
from geodata import EventFilter, filter_fields
from geodata.filter_fields import FIELDS

SAMPLES = [
    EventFilter(start=dt.date(2023, 1, 1)),
    EventFilter(end=dt.date(2024, 6, 30)),
    EventFilter(start=dt.date(2023, 1, 1), end=dt.date(2023, 1, 1)),
    EventFilter(event_types=()),
    EventFilter(event_types=("attack", "clash")),
    EventFilter(countries=("IR",)),
    EventFilter(provinces=("IR-13", "PK-BA")),
    EventFilter(min_fatalities=3),
    EventFilter(max_distance_km=25.0),
    EventFilter(location_precisions=("exact", "town")),
    EventFilter(text="Jaish al-Adl"),
    EventFilter(actors=("jaish-al-adl",)),
    EventFilter(actors=("bla", "jaish-al-adl"), countries=("PK",)),
]


def test_every_filter_attribute_belongs_to_exactly_one_field():
    owned = [a for f in FIELDS for a in f.attrs]
    assert sorted(owned) == sorted(x.name for x in dataclasses.fields(EventFilter))
    params = [p for f in FIELDS for p in f.params]
    assert len(params) == len(set(params))


@pytest.mark.parametrize("flt", SAMPLES, ids=str)
def test_each_field_round_trips_through_its_url_parameters(flt):
    raw = {k: v for f in FIELDS for k, v in f.to_url(flt).items()}
    notes = filter_fields.UrlNotes(raw)
    back = EventFilter(**{k: v for f in FIELDS for k, v in f.from_url(raw, notes, filter_fields.Context()).items()})
    assert back == flt and notes.notices == []


@pytest.mark.parametrize("flt", SAMPLES, ids=str)
def test_a_field_is_active_exactly_when_it_writes_a_parameter_sql_and_words(flt):
    params: dict = {}
    for f in FIELDS:
        active = f.active(flt)
        assert bool(f.to_url(flt)) == active, f
        assert bool(f.sql(flt, params)) == active, f
        if f not in (filter_fields.TYPES, filter_fields.DATES):  # these two always say something
            assert (f.words(flt, filter_fields.Context()) is not None) == active, f


@pytest.mark.parametrize("flt", SAMPLES, ids=str)
def test_each_field_round_trips_through_its_command_line_flags(flt):
    parser = argparse.ArgumentParser()
    for f in FIELDS:
        f.add_flags(parser, lambda: filter_fields.Context(provinces=("IR-13", "PK-BA")))
    argv = []
    flags = {"start": "--start", "end": "--end", "min_fatalities": "--min-fatalities",
             "max_distance_km": "--max-distance-km", "text": "--text"}
    for f in FIELDS:
        for attr in f.attrs:
            value = getattr(flt, attr)
            if value == getattr(EventFilter(), attr):
                continue
            flag = getattr(f, "flag", None) or flags[attr]
            text = ",".join(value) if isinstance(value, tuple) else str(value)
            argv += [flag, text] if text else []
    if flt.event_types == ():
        pytest.skip("no typed form for 'no event types' on the command line")
    args = parser.parse_args(argv)
    assert EventFilter(**{k: v for f in FIELDS for k, v in f.from_flags(args).items()}) == flt


def test_masks_combine_as_filter_mask():
    events = geodata.load_events()
    flt = EventFilter(event_types=("attack", "border_crossing"), countries=("PK",), text="border")
    combined = np.ones(len(events), dtype=bool)
    for f in FIELDS:
        mask = f.mask(events, flt)
        if mask is not None:
            combined &= mask
    assert (combined == geodata.filter_mask(events, flt)).all()


# ------------------------------------------------------------------------------------------ actors


def test_the_actor_field_reads_ids_from_a_link_and_drops_unknown_ones_with_a_notice():
    raw = {"actors": "Jaish-al-Adl,nobody,bla"}
    notes = filter_fields.UrlNotes(raw)
    assert filter_fields.ACTORS.from_url(raw, notes, filter_fields.Context()) == {"actors": ("jaish-al-adl", "bla")}
    assert len(notes.notices) == 1 and "'nobody'" in notes.notices[0]


def test_the_actor_mask_is_the_events_whose_actor_ids_name_one_of_them():
    events = geodata.load_events()
    flt = EventFilter(actors=("jaish-al-adl", "bla"))
    expected = events["actor_ids"].fillna("").map(lambda ids: bool({"jaish-al-adl", "bla"} & set(ids.split(";"))))
    assert 0 < expected.sum() < len(events)
    assert (geodata.filter_mask(events, flt) == expected.to_numpy()).all()


def test_the_actor_words_name_the_actors():
    words = geodata.describe_filter(EventFilter(actors=("jaish-al-adl", "bla")))
    assert words.endswith("actors: Balochistan Liberation Army, Jaish al-Adl")


@pytest.mark.parametrize("typed, ids", [
    ("jaish-al-adl", ("jaish-al-adl",)),
    ("Jaish ul-Adl, BLA", ("jaish-al-adl", "bla")),
    ("جيش العدل", ("jaish-al-adl",)),
])
def test_actor_words_may_be_ids_or_names_in_any_script(typed, ids):
    assert geodata.parse_filter_words("actors", typed) == ids


def test_unknown_actor_words_are_named():
    with pytest.raises(ValueError, match="'Nobody at all'"):
        geodata.parse_filter_words("actors", "bla, Nobody at all")

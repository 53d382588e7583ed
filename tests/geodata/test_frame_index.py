"""FrameIndex: a dataset's filter answered per distinct value equals filter_mask, case by case."""

import numpy as np
import pandas as pd
import pytest

import geodata
from geodata import EventFilter
from geodata.filter_fields import _scalars
from geodata.frame_index import FrameIndex, WordIndex
from tests.geodata.test_filter_fields import SAMPLES
from tests.geodata.test_filtering import CASES, events  # noqa: F401  (the fixture)


@pytest.mark.parametrize("flt", [c[1] for c in CASES] + list(SAMPLES), ids=str)
def test_the_index_mask_equals_filter_mask(events, flt):  # noqa: F811
    index = FrameIndex(events)
    expected = geodata.filter_mask(events, flt)
    assert index.mask(flt).tolist() == expected.tolist()
    assert index.mask(flt).tolist() == expected.tolist()  # again, from the kept codes


def test_text_matches_inside_words_and_ignores_case_per_distinct_value(events):  # noqa: F811
    index = FrameIndex(events)
    assert events["id"][index.mask(EventFilter(text="ZAHED"))].tolist() == ["c-year"]
    assert not index.mask(EventFilter(text="protest nothing-like-this")).any()


def test_counts_cover_the_rows_asked_for_missing_values_included():
    frame = pd.DataFrame({"kind": ["a", "b", None, "a", "b"]})
    index = FrameIndex(frame)
    rows = np.array([True, False, True, True, True])
    counted = index.counts("kind", rows)
    assert counted[counted.index.notna()].to_dict() == {"a": 2, "b": 1}
    assert counted[counted.index.isna()].tolist() == [1]
    assert index.counts("kind").sum() == 5


def test_first_rows_are_the_newest_dated_rows_in_row_order_on_ties_undated_last():
    days = pd.to_datetime(["2024-01-02", None, "2024-03-01", "2024-01-02", "2023-01-01"])
    index = FrameIndex(pd.DataFrame({"date": days}))
    every = np.ones(5, dtype=bool)
    assert index.newest_first().tolist() == [2, 0, 3, 4, 1]
    assert index.first_rows(every, 3).tolist() == [2, 0, 3]
    assert index.first_rows(np.array([False, True, False, True, True]), 2).tolist() == [3, 4]
    assert index.first_rows(every, None).tolist() == [2, 0, 3, 4, 1]


@pytest.mark.parametrize("term", ["gren", "grenade", "a", "é", "ss", "-", "kech,", "xyz", "12"])
def test_the_word_index_finds_what_a_substring_search_finds(term):
    texts = pd.Series(["Grenade attack in Kech, 12 hurt", "", None, "straße  grenades", "a-b c", "café 112",
                       "kech,turbat"]).astype("string").fillna("").str.casefold()
    expected = texts.str.contains(term, regex=False).to_numpy(dtype=bool)
    assert WordIndex(texts).holding(term).tolist() == expected.tolist()


@pytest.mark.parametrize("flt", [c[1] for c in CASES if c[1].text] + [EventFilter(text="ZAHED protest")], ids=str)
def test_text_through_the_word_index_equals_filter_mask(events, flt, monkeypatch):  # noqa: F811
    monkeypatch.setattr(_scalars, "WORD_INDEX_FROM", 0)
    assert FrameIndex(events).mask(flt).tolist() == geodata.filter_mask(events, flt).tolist()


def test_an_index_that_does_not_hold_its_frame_lets_it_go():
    import gc
    import weakref

    frame = pd.DataFrame({"kind": ["a", "b"]})
    index = FrameIndex(frame, hold=False)
    index.codes("kind")
    gone = weakref.ref(frame)
    del frame
    gc.collect()
    assert gone() is None
    with pytest.raises(ReferenceError):
        len(index)

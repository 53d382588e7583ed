"""The "Go to place" options and the URL's script= parameter."""

import geodata
from dashboard import places
from dashboard.query_codec import ViewState, decode, encode


def test_options_list_curated_places_then_towns_searchable_in_either_script():
    options = places.place_options(geodata.load_events())
    labels = [p.label for p in options]
    assert labels[0].endswith("(curated place)")
    saravan = next(p for p in options if p.label.startswith("Sarāvān"))
    assert "Saravan" in saravan.label and "سراوان" in saravan.label and "Iran" in saravan.label
    assert abs(saravan.lat - 27.37) < 0.05 and saravan.zoom >= places.TOWN_ZOOM
    assert sum(label.endswith("(curated place)") for label in labels) == len(
        {t for t, k in zip(geodata.load_events()["title"], geodata.load_events()["event_type"])
         if k in ("border_crossing", "border_market")})
    assert any(label.startswith("Muscat") and "Oman" in label for label in labels)


def test_plain_letters_drop_diacritics_and_transliteration_marks():
    assert places.plain_letters("Sarāvān") == "Saravan"
    assert places.plain_letters("Qal‘eh Ganj") == "Qal'eh Ganj"


def test_script_local_round_trips_and_bad_values_are_dropped_with_a_notice():
    state, notices = decode({"script": "local"})
    assert state.local_names and not notices
    assert encode(state)["script"] == "local"
    assert "script" not in encode(ViewState())
    state, notices = decode({"script": "en"})
    assert not state.local_names and not notices
    state, notices = decode({"script": "<b>urdu</b>"})
    assert not state.local_names and len(notices) == 1 and "script" in notices[0]

"""The shipped gazetteer: found by search in English and local script, nearest town, labels by zoom."""

from __future__ import annotations

import math

import pytest

from geodata.towns import LABEL_POPULATION, labels_for_zoom, load_towns, nearest_town, search_towns

TOWNS = load_towns()


def test_table_is_compact_and_well_formed():
    assert 300 <= len(TOWNS) <= 2000
    assert TOWNS["geonameid"].is_unique
    assert TOWNS["lon"].between(56, 71).all() and TOWNS["lat"].between(23, 32).all()
    assert TOWNS["rank"].tolist() == list(range(1, len(TOWNS) + 1))
    assert TOWNS["population"].is_monotonic_decreasing
    assert set(TOWNS["country"]) >= {"PK", "IR"}
    assert {"PK-BA", "IR-13"} <= set(TOWNS["admin1"])
    local = TOWNS["name_local"][TOWNS["name_local"] != ""]
    assert local.str.contains("[\u0600-\u06ff]").all() and not local.str.contains("[A-Za-z]").any()


@pytest.mark.parametrize(("query", "expected"), [
    ("Saravan", "Sarāvān"), ("saravan", "Sarāvān"), ("Sarāvān", "Sarāvān"), ("Turbat", "Turbat"),
    ("panjgur", "Panjgur"), ("ZAHEDAN", "Zahedan"), ("Gwadar", "Gwadar"), ("chabahar", "Chabahar"),
    ("سراوان", "Sarāvān"), ("تربت", "Turbat"), ("زاهدان", "Zahedan"), ("زاہدان", "Zahedan"), ("گوادر", "Gwadar"),
    ("چابهار", "Chabahar"), ("چابہار", "Chabahar"),
])
def test_search_finds_the_border_towns_in_either_script(query, expected):
    assert search_towns(query).iloc[0]["name"] == expected


def test_search_ranks_prefix_then_contains_then_population():
    found = search_towns("sar", limit=50)
    assert found.iloc[0]["name"] == "Sarāvān"
    starts = found["name"].str.lower().str.startswith("sar")
    assert not (starts.astype(int).diff().fillna(0) > 0).any(), "prefix matches come before 'contains' matches"
    assert search_towns("   ").empty and search_towns("zzzzqqq").empty
    assert len(search_towns("a", limit=5)) == 5


def test_local_names_on_each_side():
    by_name = TOWNS.set_index("name")
    assert by_name.at["Zahedan", "name_local"] == "زاهدان"  # Persian heh, not the Urdu spelling GeoNames also has
    assert by_name.at["Quetta", "name_local"] == "کوئٹہ"  # Urdu tteh
    assert by_name.at["Chabahar", "name_local"] == "چابهار"


def test_nearest_town():
    name, km = nearest_town(27.37, 62.33)  # a curated Saravan point
    assert name == "Sarāvān" and km < 1
    name, km = nearest_town(26.0, 63.05)
    assert name == "Turbat" and km < 1
    name, km = nearest_town(26.5, 63.5, min_population=50_000)
    assert name == "Turbat" and 50 < km < 90
    assert nearest_town(math.nan, 62.0) is None
    assert nearest_town(26.0, 63.0, min_population=10**9) is None


def test_labels_grow_with_zoom_largest_first():
    counts = [len(labels_for_zoom(z)) for z in range(3, 13)]
    assert counts == sorted(counts) and counts[-1] == len(TOWNS)
    at6 = labels_for_zoom(6)
    assert (at6["population"] >= LABEL_POPULATION[6]).all() and at6["rank"].is_monotonic_increasing
    box = labels_for_zoom(9, bounds=(60.0, 25.0, 64.0, 28.0))
    assert {"Turbat", "Sarāvān", "Gwadar", "Chabahar"} <= set(box["name"])
    assert box["lon"].between(60, 64).all()


def test_label_zooms_follow_the_population_floors_and_place_seats_without_a_figure():
    from geodata.towns import UNKNOWN_POPULATION_ZOOM, label_zooms

    assert list(label_zooms([2_000_000, 500_000, 60_000, 5_000, 999, 0])) == [4, 5, 7, 9, 11, UNKNOWN_POPULATION_ZOOM]
    panjgur = TOWNS[TOWNS["name"] == "Panjgur"]
    assert int(panjgur["population"].iloc[0]) == 0 and "Panjgur" in set(labels_for_zoom(9)["name"])

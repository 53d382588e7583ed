"""The actor filter on the page: the sidebar's options, the URL, the events table's actors and "Top actors"."""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import geodata
from dashboard import actors_panel, state
from dashboard.text import md_escape
from geodata.actors import top_actors
from tests.dashboard.test_app import APP, TOTAL, caption_count


def _naming(events, *ids) -> pd.Series:
    """Rows whose actor_ids name any of ``ids``, computed from the column itself (not through the filter)."""
    return events["actor_ids"].fillna("").map(lambda cell: bool(set(ids) & set(cell.split(";"))))


@pytest.fixture(scope="module")
def events():
    return geodata.load_events()


@pytest.fixture(scope="module")
def filtered_app():
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["actors"] = "jaish-al-adl"
    return at.run()


def _top_panel(at):
    return next(d for d in at.dataframe if list(d.value.columns)[:4] == ["Actor", "Kind", "Events", "Fatalities"])


def test_a_link_with_actors_shows_the_events_naming_them(filtered_app, events):
    at = filtered_app
    assert not at.exception and not at.warning
    assert at.multiselect(key=state.ACTORS).value == ["jaish-al-adl"]
    expected = int(_naming(events, "jaish-al-adl").sum())
    assert 0 < expected < TOTAL
    assert caption_count(at) == (expected, TOTAL)
    assert md_escape("actors: Jaish al-Adl") in " ".join(c.value for c in at.caption)


def test_the_events_table_names_the_actors(filtered_app, events):
    table = next(d for d in filtered_app.dataframe if "Title" in d.value.columns).value
    assert len(table) == _naming(events, "jaish-al-adl").sum()
    assert table["Actors"].str.contains("Jaish al-Adl", regex=False).all()
    assert not table["Actors"].str.contains("jaish-al-adl", regex=False).any()  # names, not ids


def test_the_top_actors_panel_counts_as_geodata_does(filtered_app, events):
    shown = events[_naming(events, "jaish-al-adl").to_numpy()]
    expected = top_actors(shown, limit=actors_panel.TOP)
    panel = _top_panel(filtered_app).value
    assert panel["actor_id"].tolist() == expected["actor_id"].tolist()
    assert panel["Events"].tolist() == expected["events"].tolist()
    assert panel["Fatalities"].tolist() == expected["fatalities"].tolist()
    assert panel["Actor"].iloc[0] == "Jaish al-Adl"  # every shown event names it


def test_the_top_actors_panel_of_everything_is_the_top_ten(events):
    at = AppTest.from_file(APP, default_timeout=90).run()
    panel = _top_panel(at).value
    expected = top_actors(events, limit=10)
    assert len(panel) == 10
    assert panel[["actor_id", "Events", "Fatalities"]].values.tolist() == \
        expected[["actor_id", "events", "fatalities"]].values.tolist()


def test_choosing_an_actor_in_the_sidebar_filters_and_writes_the_link(events):
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.multiselect(key=state.ACTORS).select("bla").select("irgc").run()
    assert not at.exception
    assert at.query_params["actors"] == "bla,irgc"
    assert caption_count(at) == (int(_naming(events, "bla", "irgc").sum()), TOTAL)


def test_a_click_in_the_top_actors_panel_filters_to_that_actor_alone():
    def page():
        import streamlit as st

        from dashboard import actors_panel, state

        st.session_state.setdefault(state.ACTORS, ["bla", "jaish-al-adl"])
        key = state.top_actors_key()
        if key == "w_top_actors_0":
            st.session_state[key] = {"selection": {"rows": [1], "columns": []}}  # as the panel's table reports it
            actors_panel._picked(key, ["irgc", "bla", "byc"])
        st.write(f"{state.actors()} {state.top_actors_key()}")

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert at.session_state[state.ACTORS] == ["bla"]
    assert at.markdown[0].value == "['bla'] w_top_actors_1"  # a new table: the clicked row is not kept selected


@pytest.mark.parametrize("actor_id, typed", [
    ("jaish-al-adl", "Jaish al-Adl"),
    ("jaish-al-adl", "جيش العدل"),  # Arabic letters
    ("jaish-al-adl", "جیش العدل"),  # the same name as an Urdu or Persian keyboard types it
    ("bla", "BLA"),
    ("bla", "بلوچ لبریشن آرمی"),
    ("byc", "بلوچ یکجہتی کمیٹی"),
])
def test_an_option_label_holds_what_people_type(actor_id, typed):
    assert typed in actors_panel.option_label(actor_id, 3)


def test_options_are_the_actors_with_events_most_first_and_count_them(events):
    labels = actors_panel.options(events, selected=("jundallah",))
    top = top_actors(events)
    assert list(labels) == top["actor_id"].tolist() + ["jundallah"]
    first = top.iloc[0]
    assert labels[first["actor_id"]].startswith(f"{first['name']} ({first['events']})")
    assert labels["jundallah"].startswith("Jundallah (Iran) (0)")
    assert "(" not in actors_panel.options(events, counted=False)["jaish-al-adl"]

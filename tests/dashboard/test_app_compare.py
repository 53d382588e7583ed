"""AppTest: compare periods (metric deltas, words, link), crossings on a date, "only this type"."""

import datetime as dt

from dashboard import state
from tests.dashboard.test_app import run

ISSUE = {"types": "attack", "province": "IR-13", "start": "2024-01-01", "end": "2024-12-31"}


def metrics(at) -> dict:
    return {m.label: (m.value, m.delta) for m in at.metric}


def test_compare_year_shows_deltas_and_words():
    at = run({**ISSUE, "compare": "year"})
    assert not at.exception
    got = metrics(at)
    # 2024 against 2023 (hand-checked in tests/geodata/test_compare.py::test_shipped_data_matches_a_hand_count)
    assert got["Incidents"] == ("10", "+4 (+67%)")
    assert got["Fatalities (reported)"] == ("65", "+40 (+160%)")
    words = " ".join(m.value for m in at.markdown)
    assert "1 Jan 2023 – 31 Dec 2023" in words and "Change" in words
    assert at.selectbox(key=state.COMPARE).value == "year"
    assert at.query_params["compare"] == "year"


def test_without_compare_no_deltas():
    at = run(ISSUE)
    assert not at.exception
    assert all(not delta for _, delta in metrics(at).values())
    assert "compare" not in at.query_params


def test_choosing_a_custom_period_goes_to_the_link():
    at = run(ISSUE)
    at.selectbox(key=state.COMPARE).set_value("custom").run()
    at.date_input(key=state.COMPARE_DATES).set_value((dt.date(2022, 1, 1), dt.date(2022, 12, 31))).run()
    assert not at.exception
    assert at.query_params["compare"] == "2022-01-01..2022-12-31"
    assert metrics(at)["Incidents"][1].startswith("+8")  # 2 attacks in 2022 against 10 in 2024


def test_a_bad_compare_is_a_notice():
    at = run({**ISSUE, "compare": "sometime"})
    assert not at.exception
    assert any("compare" in w.value for w in at.warning)


def test_only_one_type_and_back():
    at = run()
    at.button(key="only_clash").click().run()
    ticked = [t for t in ("attack", "clash", "unrest", "border_crossing") if at.checkbox(key=state.type_key(t)).value]
    assert ticked == ["clash"] and at.query_params["types"] == "clash"
    at.button(key="all_types").click().run()
    assert all(at.checkbox(key=state.type_key(t)).value for t in ("attack", "clash", "border_crossing"))
    assert "types" not in at.query_params


def test_crossings_table_follows_the_filter_end_and_its_own_date():
    at = run({"start": "2025-06-01", "end": "2025-06-20"})
    assert not at.exception
    lines = [m.value for m in at.markdown if m.value.startswith("On ")]
    assert lines and "20 Jun 2025" in lines[0] and "1 closed" in lines[0]
    at.toggle(key=state.STATUS_OWN_DAY).set_value(True).run()
    at.date_input(key=state.STATUS_DAY).set_value(dt.date(2020, 3, 20)).run()
    lines = [m.value for m in at.markdown if m.value.startswith("On ")]
    assert "20 Mar 2020" in lines[0] and "1 closed" in lines[0]
    # After the data's as-of date: the page says so.
    at.date_input(key=state.STATUS_DAY).set_value(dt.date.today()).run()
    assert any("as-of date" in w.value for w in at.warning)

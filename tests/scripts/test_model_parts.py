"""The model-based harness's own pure parts (scripts/model), without a browser: what counts as "the app has
answered", what a link may differ by, the file a user uploads, and the replay's words."""

from __future__ import annotations

import csv
import io
import random

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

pytest.importorskip("playwright.sync_api")  # scripts/model drives Playwright

from scripts.model.actions import ACTIONS
from scripts.model.invariants import _same_query
from scripts.model.run import Result, Step
from scripts.model.targets import upload_csv
from scripts.model.wire import INIT_JS, RENDERED_ARGS, Wire

OK = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_SUCCESSFULLY")
EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")


class _Page:
    def on(self, *_args):
        pass


def _wire(*log) -> Wire:
    wire = Wire(_Page())
    wire.log = list(log)
    return wire


def test_a_rerun_is_answered_only_by_a_successful_end_after_it():
    view = {"zoom": 7}
    assert not _wire(("rerun", [view])).answered()
    assert not _wire(("rerun", [view]), ("finished", EARLY)).answered()  # st.rerun(): another run follows
    assert _wire(("rerun", [view]), ("finished", EARLY), ("finished", OK)).answered()
    assert not _wire(("rerun", [view]), ("finished", OK), ("rerun", [view])).answered()


def test_a_posted_value_counts_as_sent_once_a_rerun_carried_it():
    wire = _wire(("rerun", [{"zoom": 7, "center": {"lat": 27.4, "lng": 62.3}}]))
    assert wire.has_sent(None)
    assert wire.has_sent('{"zoom":7,"center":{"lat":27.4,"lng":62.3}}')
    assert not wire.has_sent('{"zoom":8,"center":{"lat":27.4,"lng":62.3}}')


def test_the_frame_notes_exactly_the_render_arguments_the_wire_compares():
    import inspect

    from dashboard import map_component

    assert "[" + ", ".join(f"'{k}'" for k in RENDERED_ARGS) + "]" in INIT_JS
    # what the map component is handed on every render (its frame's args), minus the frame's height
    assert set(RENDERED_ARGS) == set(inspect.signature(map_component.show).parameters) - {"height"}


def test_a_link_may_differ_only_by_the_urls_rounding_of_the_view():
    here = {"lat": "26.4312", "lon": "61.1296", "zoom": "9", "types": "attack"}
    assert _same_query(here, {**here, "lon": "61.1295"}) == []
    assert _same_query(here, {**here, "lat": "26.5312"}) == ["URL lat='26.5312' instead of '26.4312'"]
    assert _same_query(here, {**here, "types": "clash"}) == ["URL types='clash' instead of 'attack'"]
    # With a selection its popup may auto-pan the map: the view is not compared, the selection is.
    selected = {**here, "sel": "a"}
    assert _same_query(selected, {**selected, "lat": "27", "zoom": "8"}) == []
    assert _same_query(selected, {**selected, "sel": "b"}) == ["URL sel='b' instead of 'a'"]


def test_the_uploaded_file_is_shipped_rows_under_new_ids_and_the_same_for_a_seed():
    data = upload_csv(random.Random(3), 4, "model-3-1")
    assert data == upload_csv(random.Random(3), 4, "model-3-1")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert [r["id"] for r in rows] == [f"model-3-1-{i}" for i in range(4)]
    assert all(r["date"] and r["lat"] and r["lon"] for r in rows)


def test_action_names_are_unique_for_without():
    names = [a.name for a in ACTIONS]
    assert len(names) == len(set(names))


def test_a_report_names_seed_step_problems_history_and_replay():
    result = Result(seed=7, size=(390, 844), steps=[Step(1, "pan", "pan by (40, 30)", 1.2),
                                                    Step(2, "heat", "'Heatmap' off", 20.1)],
                    problems=["the map never became ready"])
    text = result.report("python benchmarks/soak_browser.py --seed 7 --steps 2 --viewport 390x844")
    assert "seed=7 viewport=390x844 violation at step 2: 'Heatmap' off" in text
    assert "  - the map never became ready" in text
    assert "    1. pan by (40, 30)" in text
    assert text.endswith("replay: python benchmarks/soak_browser.py --seed 7 --steps 2 --viewport 390x844")

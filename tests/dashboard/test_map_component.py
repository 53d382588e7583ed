"""The map component (dashboard/map_component.py): its files, the data it publishes, and what a rerun sends."""

from __future__ import annotations

import json
import re

import pytest

import geodata
from dashboard import assets, events_payload, map_component
from tests.dashboard.test_app import run


def _file(url: str) -> bytes:
    return (map_component._DIRECTORY.root / url).read_bytes()


def test_the_components_page_loads_our_scripts_once_and_nothing_from_elsewhere():
    files = assets.component_files()
    page = files["index.html"].decode()
    # The early script first (before the styles, which would hold it back), then the styles and the map's scripts.
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == ["early.js", "leaflet.css", "map.css", "frame.css", "map.js"]
    early, script = files["early.js"], files["map.js"]
    assert early.count(b"streamlit:componentReady") == 1 and b"streamlit:componentReady" not in script
    assert early.count(b"BD.fetchJSON = function") == 1 and script.count(b"BD.fetchJSON = function") == 1
    for part in (b"BD.onRender = render", b"BD.basemap = function", b"BD.update = function", b"L.heatLayer=function"):
        assert script.count(part) == 1, part
    assert b"__GLOBAL_DATA__" not in script and b"window.Streamlit" not in script  # no other component's internals
    for name, data in files.items():  # and every file is in the served directory as written
        assert (map_component._DIRECTORY.root / name).read_bytes() == data


def test_data_is_published_once_per_content_and_per_key():
    first = map_component.publish(b'{"a": 1}')
    assert first == map_component.publish(b'{"a": 1}') and re.fullmatch(r"data/[0-9a-f]{40}\.json", first)
    assert map_component.publish(b'{"a": 2}') != first
    made = []

    def make() -> bytes:
        made.append(1)
        return b'{"key": "k1"}'

    url = map_component.publish_for("test-k1", make)
    assert map_component.publish_for("test-k1", make) == url and made == [1]
    assert _file(url) == b'{"key": "k1"}'


def test_a_dataset_is_published_as_its_first_draw_part_naming_its_text_part(events_for_publishing):
    payload = events_payload.encode_dataset(events_for_publishing)
    made = []

    def make() -> bytes:
        made.append(1)
        return payload

    url = map_component.publish_dataset("test-dataset", make)
    first = json.loads(_file(url))
    assert "text" not in first and first["n"] == len(events_for_publishing)
    text_file = map_component._DIRECTORY.root / first["textUrl"]  # relative to the page, as the dataset's URL
    assert json.loads(text_file.read_bytes())["title"]["values"]
    assert map_component.publish_dataset("test-dataset", make) == url and made == [1]
    text_file.unlink()  # a part gone (the budget): both are made again
    assert map_component.publish_dataset("test-dataset", make) == url and made == [1, 1] and text_file.exists()


@pytest.fixture(scope="module")
def events_for_publishing():
    return geodata.load_events().head(20)


def test_old_data_files_go_when_the_budget_is_spent(monkeypatch):
    monkeypatch.setattr(map_component, "DATA_BUDGET_BYTES", 3_000)
    urls = [map_component.publish(json.dumps({"n": i, "pad": "x" * 1_000}).encode()) for i in range(6)]
    kept = [u for u in urls if (map_component._DIRECTORY.root / u).exists()]
    assert urls[-1] in kept and urls[0] not in kept and len(kept) <= 3


@pytest.fixture(scope="module")
def first_run():
    at = run()
    assert not at.exception
    [component] = at.get("component_instance")
    return component.proto


def test_a_rerun_sends_the_selection_and_options_not_the_events(first_run):
    assert first_run.component_name.endswith(".bd_map")
    args = json.loads(first_run.json_args)
    assert set(args) - {"key", "default"} == {"base", "layer", "view", "height"}
    assert len(first_run.json_args) < 20_000  # the curated map's whole message: a few KB of options and words
    layer = args["layer"]
    shipped = geodata.load_events()
    first = _file(layer["dataset"])  # the events travel as files, by URL: the first draw's, naming the text's
    decoded = events_payload.decode_dataset(first, _file(json.loads(first)["textUrl"]))
    assert len(decoded) == layer["n"] == len(shipped) and decoded["title"].tolist() == shipped["title"].tolist()
    assert json.loads(_file(args["base"]["boundaries"]["url"]))["border"]["features"]
    assert args["view"]["zoom"] and len(args["view"]["center"]) == 2

"""Pure map building: layers present, one events layer carrying a dataset, data text never markup, links http(s) only."""

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

import dashboard
import geodata
from dashboard import assets, embed, events_payload, map_view, text
from dashboard.settings import Settings
from tests.geodata.conftest import make_row, table

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture(scope="module")
def layers():
    return map_view.BasemapLayers(
        border=geodata.load_border(), provinces=geodata.load_provinces(),
        countries=geodata.load_countries(), land=geodata.load_land(),
    )


@pytest.fixture(scope="module")
def events():
    return geodata.load_events()


@pytest.fixture(scope="module")
def hostile():
    frame, report = geodata.check_events(table(
        make_row(id="hostile-1", title=HOSTILE, description=HOSTILE, actors="</script><script>alert(3)</script>"),
    ))
    assert report.ok
    frame.loc[0, "source_url"] = "javascript:alert(4)"  # as if it slipped past validation
    return frame


def rendered(m):
    return m.get_root().render()


def inlined_boundaries(html: str) -> dict:
    match = re.search(r'"url":"data:application/json;base64,([A-Za-z0-9+/=]+)"', html)
    assert match, "no inlined boundaries in the page"
    return json.loads(base64.b64decode(match.group(1)))


def test_base_map_has_border_provinces_and_offline_assets(layers):
    html = rendered(map_view.build_base_map(layers, "none"))
    boundaries = inlined_boundaries(html)
    assert boundaries["border"]["features"][0]["geometry"]["type"] == "LineString"
    assert {f["properties"]["iso_code"] for f in boundaries["focus"]["features"]} == {"PK-BA", "IR-13"}
    assert sorted(label[2] for label in boundaries["labels"]) == ["Balochistan (PK-BA)", "Sistan and Baluchestan (IR-13)"]
    assert boundaries["countries"]["features"] and boundaries["context"]["features"]
    assert "naturalearthdata.com" in html and "openstreetmap.org/copyright" in html  # attribution
    assert '"land":true' in html
    srcs = re.findall(r'<script src="([^"]+)"', html) + re.findall(r'<link[^>]+href="([^"]+)"', html)
    assert srcs and all(s.startswith("data:") for s in srcs), [s[:60] for s in srcs if not s.startswith("data:")]
    assert "cdn" not in " ".join(srcs)


def test_tile_basemaps_add_a_tile_layer_only_when_chosen(layers):
    light = rendered(map_view.build_base_map(layers, "light"))
    satellite = rendered(map_view.build_base_map(layers, "satellite"))
    none = rendered(map_view.build_base_map(layers, "none"))
    assert light.count("L.tileLayer(") == satellite.count("L.tileLayer(") == 1
    assert "cartocdn" in light and "World_Imagery" not in light
    assert "World_Imagery" in satellite and "cartocdn" not in satellite
    # Each check on its own: any tile layer, or any tile host, leaking into "none" fails.
    assert "L.tileLayer(" not in none
    assert "cartocdn" not in none
    assert "World_Imagery" not in none
    assert "{z}" not in none


def test_custom_tiles_come_from_the_settings(layers):
    configured = Settings(tiles_url="https://tiles.internal.example/{z}/{x}/{y}.png")
    custom = map_view.custom_tiles(configured)
    assert "custom" in map_view.available_basemaps(custom)
    assert "tiles.internal.example" in rendered(map_view.build_base_map(layers, "custom", custom=custom))
    assert "tiles.internal.example" not in rendered(map_view.build_base_map(layers, "custom"))  # pure: no env
    assert map_view.custom_tiles(Settings(tiles_url="javascript:alert(1)//{z}")) is None
    assert "custom" not in map_view.available_basemaps(None)


def inlined_dataset(html: str) -> bytes:
    """The dataset a standalone page carries (a data: URL in the events layer's config)."""
    match = re.search(r'"dataset":"data:application/json;base64,([A-Za-z0-9+/=]+)"', html)
    assert match, "no inlined dataset in the page"
    return base64.b64decode(match.group(1))


def test_a_standalone_page_inlines_everything_it_needs(layers):
    """The export opens offline: Leaflet, our code and the boundaries are data: URLs; the page itself is small."""
    html = rendered(map_view.build_base_map(layers, "none", present=True))
    assert '"present":true' in html and '"url":"data:application/json;base64,' in html
    assert len(html) - sum(len(s) for s in re.findall(r'data:[^"]+', html)) < 10_000
    inline_js, _ = assets.map_js_css()
    assert all(u.startswith("data:text/javascript;base64,") for _, u in inline_js)
    assert b"streamlit:componentReady" not in assets.map_files()[0][3]  # the component protocol: the app's page only


def test_events_go_as_one_layer_not_one_object_per_event(layers, events):
    few = rendered(map_view.build_map(layers, events.head(3), basemap="none"))
    html = rendered(map_view.build_map(layers, events, basemap="none"))
    # The events are drawn in the browser from one dataset: the page grows no Leaflet object per event.
    for constructor in ("L.circleMarker(", "L.marker(", "L.geoJson(", "L.popup(", "L.tooltip("):
        assert html.count(constructor) == few.count(constructor), constructor
    assert html.count("window.BD.update(") == 1
    decoded = events_payload.decode_dataset(inlined_dataset(html))
    assert len(decoded) == len(events)
    assert list(decoded["title"]) == list(events["title"])


def test_browser_code_never_turns_text_into_markup():
    """Popups, tooltips and the legend are built from text nodes: no HTML parser is ever handed data."""
    code = "\n".join(p.read_text("utf-8") for p in (Path(dashboard.__file__).parent / "static").glob("*.js"))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, sink
    assert "textContent" in code


def test_hostile_text_reaches_the_page_only_as_data(layers, hostile):
    html = rendered(map_view.build_map(layers, hostile, basemap="none"))
    # No raw tag from the data reaches the page: the dataset is an opaque data: URL.
    assert "<script>alert" not in html and "<img src=x" not in html and "</script><script>" not in html
    assert "javascript:alert" not in html
    decoded = events_payload.decode_dataset(inlined_dataset(html)).iloc[0]
    assert decoded["title"] == HOSTILE and decoded["description"] == HOSTILE  # kept verbatim, as text
    assert decoded["source_url"] is None  # the javascript: link never reaches the browser


def test_legend_size_key_matches_the_drawn_symbols():
    key = dict((label, radius) for label, radius in events_payload.size_key())
    assert key == {label: events_payload.marker_radius(value) for label, value in events_payload.SIZE_KEY}
    assert key["0–1"] < key["10"] < key["50"]


@pytest.mark.parametrize(
    "url, ok",
    [("https://dawn.com/x", True), ("http://a.b/c?d=1", True), ("javascript:alert(1)", False),
     ("JaVaScRiPt:alert(1)", False), ("data:text/html,x", False), ("//evil.example", False),
     ('https://a.b/"onmouseover=x', False), (None, False), (float("nan"), False)],
)
def test_safe_url(url, ok):
    assert (text.safe_url(url) is not None) == ok


def test_marker_size_grows_with_fatalities():
    sizes = [events_payload.marker_radius(v) for v in (None, 0, 1, 10, 100, 10_000)]
    assert sizes == sorted(sizes) and sizes[0] == sizes[1] and sizes[-1] == 26.0


def test_imprecise_locations_are_flagged_for_hollow_drawing(events):
    decoded = events_payload.decode_dataset(events_payload.encode_dataset(events))
    expected = events["location_precision"].isin(["district", "province"]).tolist()
    assert decoded["approximate"].tolist() == expected
    assert any(expected) and not all(expected)


def test_selected_event_travels_as_its_row(layers, events):
    wanted = "2022-09-30-zahedan-bloody-friday"
    html = rendered(map_view.build_map(layers, events, basemap="none", selected=wanted))
    row = int(re.search(r'"selected":(\d+)', html).group(1))
    assert events.reset_index(drop=True).loc[row, "id"] == wanted


def test_standalone_html_is_offline(layers, events):
    html = map_view.standalone_html(map_view.build_map(layers, events, basemap="none", cluster=True, heat=True))
    assert '"cluster":true' in html and '"heat":true' in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts and all(s.startswith("data:text/javascript;base64,") for s in scripts)
    code = "".join(base64.b64decode(s.split(",", 1)[1]).decode("utf-8") for s in scripts)
    for part in ("Leaflet 1.", "L.heatLayer", "function EventsView", "window.BD"):  # Leaflet, heat, ours
        assert part in code, part
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert all("naturalearthdata.com" in u or "openstreetmap" in u for u in external), external


def test_format_period_for_places_and_precision(events):
    by_id = events.set_index("id", drop=False)
    assert text.format_period(by_id.loc["market-mand-pishin"]) == "opened 18 May 2023"
    assert "opening date not known" in text.format_period(by_id.loc["crossing-taftan-mirjaveh"])
    month = pd.Series({"event_type": "attack", "date": pd.Timestamp("2024-01-01"), "date_precision": "month"})
    assert text.format_period(month) == "January 2024 (month only)"


def test_template_syntax_in_data_is_never_evaluated(layers):
    """branca re-parses element output as Jinja; data text must not reach it as template syntax."""
    frame, report = geodata.check_events(table(
        make_row(id="ssti", title="X{{ 7*7 }}Y", description="{% for i in range(3) %}Z{% endfor %}",
                 actors="{# hidden #}visible"),
    ))
    assert report.ok
    html = map_view.standalone_html(map_view.build_map(layers, frame, basemap="none"))
    decoded = events_payload.decode_dataset(inlined_dataset(html)).iloc[0]
    assert decoded["title"] == "X{{ 7*7 }}Y" and decoded["description"].startswith("{% for")
    assert decoded["actors"] == "{# hidden #}visible"


def test_script_json_round_trips_through_a_javascript_string_reader():
    value = {"k": ["a</script>b", "{{ x }}", "{% y %}", "&", "\u2028"]}
    text_ = embed.script_json(value)
    assert "</script>" not in text_ and "{{" not in text_ and "{%" not in text_
    assert json.loads(text_) == value


class _Scripts(HTMLParser):
    """The text of every inline <script> of a page, as a browser's parser splits it."""

    def __init__(self):
        super().__init__()
        self.scripts, self._in = [], False

    def handle_starttag(self, tag, attrs):
        self._in = tag == "script" and not dict(attrs).get("src")
        if self._in:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in = False

    def handle_data(self, data):
        if self._in:
            self.scripts[-1] += data


def page_heading(html: str) -> dict:
    parser = _Scripts()
    parser.feed(html)
    calls = [m for s in parser.scripts for m in re.finditer(r"window\.BD\.heading\((\w+), (\{.*?\})\);", s)]
    assert len(calls) == 1, "one heading call in the page's scripts"
    return json.loads(calls[0][2])


def test_standalone_page_carries_title_filters_and_as_of_as_text(layers, events):
    flt = geodata.EventFilter(start=pd.Timestamp("2024-01-01").date(), event_types=["attack"], provinces=["PK-BA"],
                              text=HOSTILE)
    names = dict(zip(layers.provinces["iso_code"], layers.provinces["name"]))
    heading = map_view.PageHeading(title=f"Brief {HOSTILE} {{{{ 7*7 }}}}", filters=geodata.describe_filter(flt, names),
                                   as_of=geodata.data_as_of(events).text())
    html = map_view.standalone_html(map_view.build_map(layers, events, basemap="none", heading=heading))
    config = page_heading(html)
    assert config == {"title": heading.title, "filters": heading.filters, "asOf": heading.as_of}
    assert config["filters"].startswith("Attacks, from 1 Jan 2024, in Balochistan, matching")
    assert config["asOf"] == geodata.data_as_of(events).text() and config["asOf"].startswith(("Data as of ", "Sources reviewed to "))
    # The hostile text is in the page only as escaped JSON: no tag, no template syntax, no script breakout.
    for raw in (HOSTILE, "<script>alert", "<img src=x", "{{ 7*7 }}", "</script><script>"):
        assert raw not in html, raw
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html


def test_a_map_without_a_heading_has_none(layers, events):
    assert "BD.heading(" not in map_view.standalone_html(map_view.build_map(layers, events.head(3), basemap="none"))

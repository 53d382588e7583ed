"""Pure map building: layers present, one data layer, hostile text escaped, links http(s) only."""

import json
import re

import pandas as pd
import pytest

import geodata
from dashboard import map_view
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


def test_base_map_has_border_provinces_and_offline_assets(layers):
    html = rendered(map_view.build_base_map(layers, "none"))
    assert "international boundary" in html
    assert "Sistan and Baluchestan (IR-13)" in html and "Balochistan (PK-BA)" in html
    assert "naturalearthdata.com" in html  # attribution
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


def test_custom_tiles_from_environment(monkeypatch, layers):
    monkeypatch.setenv(map_view.CUSTOM_TILES_ENV, "https://tiles.internal.example/{z}/{x}/{y}.png")
    assert "custom" in map_view.available_basemaps()
    assert "tiles.internal.example" in rendered(map_view.build_base_map(layers, "custom"))
    monkeypatch.setenv(map_view.CUSTOM_TILES_ENV, "javascript:alert(1)//{z}")
    assert "custom" not in map_view.available_basemaps()


def test_events_go_as_one_layer_not_one_object_per_event(layers, events):
    few = rendered(map_view.build_map(layers, events.head(3), basemap="none"))
    html = rendered(map_view.build_map(layers, events, basemap="none"))
    # Markers are created in a browser-side loop: the script does not grow an object per event.
    assert html.count("L.circleMarker(") == few.count("L.circleMarker(") <= 2
    assert html.count("L.marker(") == few.count("L.marker(")
    assert html.count("L.geoJson(") == few.count("L.geoJson(")
    payload = map_view.events_payload(events)
    assert len(payload) == len(events)
    assert {row[7] for row in payload} == set(events.id)


def test_legend_lists_the_types_shown(layers, events):
    attacks = events[events.event_type == "attack"]
    html = rendered(map_view.build_map(layers, attacks, basemap="none"))
    legend = json.loads(re.search(r"div\.innerHTML = (\".*?\");\n", html).group(1))
    assert "Attack" in legend and "Border crossing" not in legend


def test_hostile_text_is_escaped_everywhere(layers, hostile):
    html = rendered(map_view.build_map(layers, hostile, basemap="none"))
    # No raw tag from the data reaches the page, not even inside the script's JSON.
    assert "<script>alert" not in html and "<img src=x" not in html and "</script><script>" not in html
    assert "javascript:alert" not in html
    popup = map_view.popup_html(hostile.iloc[0])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in popup
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in popup
    assert "<a " not in popup and "not an http(s) URL" in popup


def test_source_links_open_safely(events):
    popup = map_view.popup_html(events.iloc[0])
    assert re.search(r'<a href="https?://[^"]+" target="_blank" rel="noopener noreferrer">', popup)


@pytest.mark.parametrize(
    "url, ok",
    [("https://dawn.com/x", True), ("http://a.b/c?d=1", True), ("javascript:alert(1)", False),
     ("JaVaScRiPt:alert(1)", False), ("data:text/html,x", False), ("//evil.example", False),
     ('https://a.b/"onmouseover=x', False), (None, False), (float("nan"), False)],
)
def test_safe_url(url, ok):
    assert (map_view.safe_url(url) is not None) == ok


def test_popup_shows_precision_range_and_place(events):
    row = events.set_index("id").loc["2022-09-30-zahedan-bloody-friday"].copy()
    row["id"] = "2022-09-30-zahedan-bloody-friday"
    popup = map_view.popup_html(row)
    assert "Zahedan" in popup and "Unrest" in popup and "30 Sep 2022" in popup
    assert "reported range" in popup


def test_marker_size_grows_with_fatalities():
    sizes = [map_view.marker_radius(v) for v in (None, 0, 1, 10, 100, 10_000)]
    assert sizes == sorted(sizes) and sizes[0] == sizes[1] and sizes[-1] == 26.0


def test_imprecise_locations_are_flagged_for_hollow_drawing(events):
    payload = {row[7]: row for row in map_view.events_payload(events)}
    for _, event in events.iterrows():
        assert payload[event.id][4] == (event.location_precision in ("district", "province"))


def test_standalone_html_is_offline(layers, events):
    html = map_view.standalone_html(map_view.build_map(layers, events, basemap="none", cluster=True, heat=True))
    assert "leaflet.markercluster" in html or "markerClusterGroup" in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert all("naturalearthdata.com" in u or "openstreetmap" in u for u in external), external


def test_format_period_for_places_and_precision(events):
    by_id = events.set_index("id", drop=False)
    assert map_view.format_period(by_id.loc["market-mand-pishin"]) == "opened 18 May 2023"
    assert "opening date not known" in map_view.format_period(by_id.loc["crossing-taftan-mirjaveh"])
    month = pd.Series({"event_type": "attack", "date": pd.Timestamp("2024-01-01"), "date_precision": "month"})
    assert map_view.format_period(month) == "January 2024 (month only)"


def test_template_syntax_in_data_is_never_evaluated(layers):
    """branca re-parses element output as Jinja; data text must not reach it as template syntax."""
    frame, report = geodata.check_events(table(
        make_row(id="ssti", title="X{{ 7*7 }}Y", description="{% for i in range(3) %}Z{% endfor %}",
                 actors="{# hidden #}visible"),
    ))
    assert report.ok
    html = map_view.standalone_html(map_view.build_map(layers, frame, basemap="none"))
    assert "X49Y" not in html and "ZZZ" not in html
    assert "7*7" in html and "visible" in html and "hidden" in html  # kept as text, escaped for the script


def test_script_json_round_trips_through_a_javascript_string_reader():
    value = {"k": ["a</script>b", "{{ x }}", "{% y %}", "&", "\u2028"]}
    text = map_view._script_json(value)
    assert "</script>" not in text and "{{" not in text and "{%" not in text
    assert json.loads(text) == value

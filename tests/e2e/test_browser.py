"""Browser tests: the real app in Debian Chromium with every off-host request aborted and recorded.

What only a browser can show: the folium map actually draws (offline), clicks on it reach the app, a shared link
reproduces the view, and hostile data text never runs as script.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from playwright.sync_api import Frame, Page, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

import geodata
from dashboard import panels
from dashboard.page_style import MAP_COMPONENT_SUFFIX
from dashboard.query_codec import DEFAULT_CENTER, DEFAULT_ZOOM
from scripts.browser import MAP_FRAME
from scripts.browser import map_frame as browser_map_frame

pytestmark = pytest.mark.e2e

FIRST_LOAD = 60_000  # first map render on a 2-core machine: Streamlit run + component iframe + Leaflet
RERUN = 30_000

#: The events are drawn on one canvas (no DOM node per event); the map container reports what it drew.
CONTAINER = ".leaflet-container"
EVENTS_CANVAS = "canvas.bd-events-canvas"
BORDER_STROKE = "#B2182B"  # map_view.BORDER_COLOUR
FOCUS_PROVINCE_STROKE = "#7f4f24"
FINISHED_SUCCESSFULLY = ForwardMsg.DESCRIPTOR.fields_by_name["script_finished"].enum_type.values_by_name[
    "FINISHED_SUCCESSFULLY"
].number
CAPTION = re.compile(r"^(\d+) of (\d+) events$")

_OFF_HOST_ASSETS_JS = """() => Array.from(document.querySelectorAll('script[src], link[href], img[src], iframe[src]'))
    .map(e => e.src || e.href)
    .filter(u => u && !/^(data|blob|about):/.test(u) && new URL(u, location.href).hostname !== '127.0.0.1')"""
_JAVASCRIPT_LINKS_JS = """() => Array.from(document.querySelectorAll('a[href], area[href]'))
    .filter(a => a.protocol === 'javascript:' || /^\\s*javascript:/i.test(a.getAttribute('href')))
    .map(a => a.outerHTML)"""


# ---------------------------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def events():
    """The shipped events as the app loads them (to know what a filter should leave)."""
    return geodata.load_events()


def open_app(page: Page, base: str, query: str = ""):
    """Go to the app and wait until the map has drawn its events (the container's data-events-ready) and the rest
    of the page is laid out (the sidebar's filters are there): a browser's page shows the map alone first."""
    page.goto(f"{base}/{query}")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(CONTAINER)).to_be_visible(timeout=FIRST_LOAD)
    expect(frame.locator(CONTAINER)).to_have_attribute("data-events-ready", "1", timeout=FIRST_LOAD)
    expect(frame.locator(".bd-legend")).to_be_visible(timeout=FIRST_LOAD)
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stDateInput")).to_be_attached(timeout=FIRST_LOAD)
    return frame


def expect_drawn(frame, count: int, timeout: float = RERUN) -> None:
    """The map's latest update has finished and represents ``count`` events."""
    container = frame.locator(CONTAINER)
    expect(container).to_have_attribute("data-events-drawn", str(count), timeout=timeout)
    expect(container).to_have_attribute("data-events-ready", "1", timeout=timeout)


def event_point(page: Page, lat: float, lon: float) -> tuple[float, float]:
    """Where an event sits in the map's container, in CSS pixels."""
    return tuple(map_frame(page).evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }", [lat, lon]))


def reachable_point(page: Page, lat: float, lon: float) -> tuple[float, float]:
    """Where to point at an event: its spot on the map, after panning it to the centre if a control (legend,
    playback, zoom buttons) covers it there — as a user would pan before clicking. The map is scrolled fully into
    view first: Playwright would otherwise scroll the page under the pointer between aiming and clicking."""
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    x, y = event_point(page, lat, lon)
    covered = map_frame(page).evaluate(
        "([x, y]) => !!document.elementFromPoint(x, y)?.closest('.leaflet-control')", [x, y])
    if covered:
        map_frame(page).evaluate("([lat, lon]) => { window.map.panTo([lat, lon], {animate: false}); }", [lat, lon])
        x, y = event_point(page, lat, lon)
    return x, y


def click_event(page: Page, lat: float, lon: float) -> None:
    """Click the map where an event is drawn (the canvas has no element per event to click)."""
    x, y = reachable_point(page, lat, lon)
    page.frame_locator(MAP_FRAME).locator(CONTAINER).click(position={"x": x, "y": y})


def hover_event(page: Page, lat: float, lon: float) -> None:
    x, y = reachable_point(page, lat, lon)
    page.frame_locator(MAP_FRAME).locator(CONTAINER).hover(position={"x": x, "y": y})


def map_frame(page: Page) -> Frame:
    """The Frame object of the map component (for evaluate)."""
    expect(page.locator(MAP_FRAME)).to_have_count(1)
    return browser_map_frame(page)


def sidebar_caption(page: Page):
    return page.get_by_test_id("stSidebar").get_by_text(CAPTION)


def type_checkbox(page: Page, label: str):
    return page.get_by_test_id("stSidebar").get_by_role("checkbox", name=label, exact=True)


def wait_for_script_end(page: Page) -> None:
    """Streamlit's own marker (its e2e tests use it): the app's script is not running, so every element of the
    run that drew the map has reached the page."""
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(timeout=FIRST_LOAD)


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


_VIEW_JS = "() => { const c = window.map.getCenter(); return [[c.lat, c.lng], window.map.getZoom()]; }"


def _near(a, b, tol=1e-3) -> bool:
    """Two views ((lat, lon), zoom) are the same place (the app rounds what it stores to 4 decimals)."""
    if a[0] is None or b[0] is None:
        return False
    (alat, alon), az = a
    (blat, blon), bz = b
    return az == bz and abs(alat - blat) < tol and abs(alon - blon) < tol


class AppWire:
    """The app's websocket decoded with Streamlit's own protobufs.

    Records, in order: each rerun the browser asks for with the view the map component reports
    (``("rerun", view)``), each view the app asks the map component to show (``("request", view)``, from the
    map component's ``view`` arg; cached repeats arrive as ``ref_hash`` and are resolved), and each
    end of a script run (``("finished", status)``). A test can then wait for "the app has answered this report"
    instead of sleeping.

    The map iframe also notes the last render message it received (the component protocol's
    ``streamlit:render``), so a test can wait until the map has actually been handed the app's last answer: the
    websocket frame reaches the test before the page's React code has passed it on to the iframe.
    """

    _RENDER_LOG_JS = """
    if (window !== window.top) {  // in a child frame (its initial about:blank window is kept by the component page)
      window.addEventListener('message', (event) => {
        const d = event.data;
        if (d && d.type === 'streamlit:render' && d.args && d.args.view) {
          window.__e2eLastRender = [d.args.view.center, d.args.view.zoom];
        }
      });
    }"""

    def __init__(self, page: Page):
        self.events: list[tuple] = []
        self._by_hash: dict[str, tuple] = {}
        self._ws = None
        page.add_init_script(self._RENDER_LOG_JS)  # before any navigation: runs first in every new frame
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        if ws.url.endswith("/_stcore/stream"):
            self._ws = ws
            ws.on("framesent", self._sent)
            ws.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        if isinstance(payload, str):
            return
        msg = BackMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") != "rerun_script":
            return
        view = None
        for widget in msg.rerun_script.widget_states.widgets:
            if widget.WhichOneof("value") != "json_value":
                continue
            try:
                value = json.loads(widget.json_value)
            except ValueError:
                continue
            if isinstance(value, dict) and value.get("center") and value.get("zoom") is not None:
                view = ((value["center"]["lat"], value["center"]["lng"]), value["zoom"])
        self.events.append(("rerun", view))

    def _received(self, payload) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if (element.WhichOneof("type") == "component_instance"
                    and element.component_instance.component_name.endswith(MAP_COMPONENT_SUFFIX)):
                view = json.loads(element.component_instance.json_args)["view"]
                view = (tuple(view["center"]), view["zoom"])
                if msg.hash:
                    self._by_hash[msg.hash] = view
                self.events.append(("request", view))
        elif kind == "ref_hash" and msg.ref_hash in self._by_hash:
            self.events.append(("request", self._by_hash[msg.ref_hash]))
        elif kind == "script_finished":
            self.events.append(("finished", msg.script_finished))

    def requests(self) -> list[tuple]:
        return [e[1] for e in self.events if e[0] == "request"]

    def _answer(self, view, since: int):
        """The views the app asked for since the browser reported ``view`` — once a run has finished after that
        report and no newer report is pending; else None."""
        events = self.events[since:]
        reruns = [i for i, e in enumerate(events) if e[0] == "rerun"]
        if not reruns or events[reruns[-1]][1] is None or not _near(events[reruns[-1]][1], view, tol=1e-6):
            return None
        if ("finished", FINISHED_SUCCESSFULLY) not in events[reruns[-1] + 1:]:
            return None
        first = next(i for i in reruns if events[i][1] is not None and _near(events[i][1], view, tol=1e-6))
        return [e[1] for e in events[first:] if e[0] == "request"]

    def wait_for_answer(self, view, since: int, timeout: float = RERUN) -> list[tuple]:
        found = self._answer(view, since)
        if found is None:
            box = []

            def done(_payload) -> bool:
                box[:] = [self._answer(view, since)]
                return box[0] is not None

            self._ws.wait_for_event("framereceived", predicate=done, timeout=timeout)
            found = box[0]
        return found

    def settle(self, frame: Frame, view, since: int, timeout: float = RERUN) -> list[tuple]:
        """Wait until the app has answered the map's report of ``view`` and the map has been handed that answer
        (streamlit-folium applies a render's center/zoom in the same message handler). Returns what the app asked."""
        asked = self.wait_for_answer(view, since, timeout)
        center, zoom = self.requests()[-1]
        frame.wait_for_function(
            """([c, z]) => { const r = window.__e2eLastRender;
                 return !!r && r[1] === z && !!r[0] && Math.abs(r[0][0] - c[0]) < 1e-9 && Math.abs(r[0][1] - c[1]) < 1e-9; }""",
            arg=[list(center), zoom],
            timeout=timeout,
        )
        return asked


# ---------------------------------------------------------------------------------------------- tests


def test_offline_default_view_draws_everything_with_no_off_host_request(page, app_url, offhost_log, events):
    frame = open_app(page, app_url, "?basemap=none")

    # Boundaries: the Pakistan–Iran border line and the two focus provinces are SVG paths.
    expect(frame.locator(f'path[stroke="{BORDER_STROKE}"]').first).to_be_attached()
    expect(frame.locator(f'path[stroke="{FOCUS_PROVINCE_STROKE}"]')).to_have_count(2)
    # ...and they are not interactive, so every interactive path is an event marker.
    expect(frame.locator(f'path.leaflet-interactive[stroke="{BORDER_STROKE}"]')).to_have_count(0)

    # Every event is drawn, on one canvas: no DOM node per event.
    expect_drawn(frame, len(events), timeout=FIRST_LOAD)
    expect(frame.locator(EVENTS_CANVAS)).to_have_count(1)
    assert len(events) > 20
    assert frame.locator("path.leaflet-interactive, .leaflet-marker-icon:not(:has(.bd-province-label))").count() == 0
    expect(sidebar_caption(page)).to_have_text(f"{len(events)} of {len(events)} events")

    legend = frame.locator(".bd-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("Attack")
    expect(legend).to_contain_text("Pakistan–Iran border")

    iframe = map_frame(page)
    assert iframe.evaluate("() => typeof window.L === 'object' && typeof window.L.map === 'function'")
    assert iframe.evaluate("() => window.L.version").startswith("1.")
    # Leaflet came from the app itself (data: URLs), not from a CDN: nothing in either document points off host.
    assert iframe.evaluate(_OFF_HOST_ASSETS_JS) == []
    assert page.evaluate(_OFF_HOST_ASSETS_JS) == []

    wait_for_script_end(page)
    assert offhost_log.blocked == []


def test_light_basemap_asks_only_the_tile_host(page, app_url, offhost_log):
    with page.expect_request(lambda r: "basemaps.cartocdn.com" in r.url, timeout=FIRST_LOAD):
        frame = open_app(page, app_url)
    expect(frame.locator("img.leaflet-tile").first).to_be_attached()
    expect(frame.locator(CONTAINER)).to_have_attribute("data-events-ready", "1")
    wait_for_script_end(page)

    iframe = map_frame(page)
    # The only off-host URLs anywhere in the page are the tile images Leaflet creates.
    off_host = iframe.evaluate(_OFF_HOST_ASSETS_JS)
    assert off_host and all("basemaps.cartocdn.com" in u for u in off_host), off_host
    assert page.evaluate(_OFF_HOST_ASSETS_JS) == []

    assert offhost_log.blocked, "the light basemap should have requested tiles"
    tile = re.compile(r"^https://[a-d]\.basemaps\.cartocdn\.com/light_all/\d+/\d+/\d+(@2x)?\.png$")
    assert [u for u in offhost_log.blocked if not tile.match(u)] == []
    assert not any(u.split("?")[0].endswith((".js", ".css")) for u in offhost_log.blocked)


def test_unticking_a_type_filters_the_map_caption_and_url(page, app_url, events):
    frame = open_app(page, app_url, "?basemap=none")
    total = len(events)
    expect_drawn(frame, total, timeout=FIRST_LOAD)
    expect(sidebar_caption(page)).to_have_text(f"{total} of {total} events")
    assert "types" not in query(page)

    n_attacks = int((events["event_type"] == "attack").sum())
    assert n_attacks > 0
    box = type_checkbox(page, "Attack")
    expect(box).to_be_checked()
    box.uncheck(force=True)  # Streamlit draws its own box over the (visually hidden) input
    expect(box).not_to_be_checked()

    expect(sidebar_caption(page)).to_have_text(f"{total - n_attacks} of {total} events", timeout=RERUN)
    expect_drawn(frame, total - n_attacks)
    expect(frame.locator(".bd-legend")).not_to_contain_text("Attack")
    expect(page).to_have_url(re.compile(r"[?&]types="), timeout=RERUN)
    types = query(page)["types"][0].split(",")
    assert "attack" not in types and "clash" in types and "border_crossing" in types


def test_deep_link_reproduces_filters_and_view(page, app_url, events):
    wire = AppWire(page)
    link = "?basemap=none&types=attack,clash&start=2023-01-01&end=2023-12-31&lat=26.5&lon=62.0&zoom=8"
    frame = open_app(page, app_url, link)
    expected = geodata.filter_events(
        events, geodata.EventFilter(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31), event_types=("attack", "clash"))
    )
    assert 0 < len(expected) < len(events)

    expect(sidebar_caption(page)).to_have_text(f"{len(expected)} of {len(events)} events", timeout=FIRST_LOAD)
    expect_drawn(frame, len(expected))
    expect(frame.locator(".bd-legend")).not_to_contain_text("Border crossing")
    expect(type_checkbox(page, "Attack")).to_be_checked()
    expect(type_checkbox(page, "Clash")).to_be_checked()
    expect(type_checkbox(page, "Border crossing")).not_to_be_checked()
    expect(type_checkbox(page, "Diplomatic")).not_to_be_checked()
    expect(page.get_by_test_id("stSidebar").get_by_role("radio", name="None (offline vector)")).to_be_checked()

    # The view: the app's first instruction to the map is the linked one, Leaflet shows it, and after the map has
    # reported where it is, the app has never asked it to be anywhere else.
    linked = ((26.5, 62.0), 8)
    assert wire.requests()[0] == linked
    iframe = map_frame(page)
    here = iframe.evaluate(_VIEW_JS)
    assert _near(here, linked, tol=0.02), here
    # Leaflet's centre can drift by a pixel's rounding with no moveend to report it: wait on the map's report.
    wait_for_report(wire, 0, lambda v: _near(v, linked, tol=0.02))
    assert [v for v in wire.requests() if not _near(v, linked, tol=0.02)] == []
    assert _near(iframe.evaluate(_VIEW_JS), linked, tol=0.02)

    wait_for_script_end(page)
    params = query(page)
    assert params["types"] == ["attack,clash"]
    assert params["start"] == ["2023-01-01"] and params["end"] == ["2023-12-31"]
    assert params["basemap"] == ["none"]
    assert params["zoom"] == ["8"]
    assert float(params["lat"][0]) == pytest.approx(26.5, abs=0.02)
    assert float(params["lon"][0]) == pytest.approx(62.0, abs=0.02)


def test_panned_map_stays_where_the_user_put_it(page, app_url):
    wire = AppWire(page)
    open_app(page, app_url, "?basemap=none")
    iframe = map_frame(page)
    wait_for_report(wire, 0, lambda v: True)  # the map has reported where it opened and the app has taken that in

    for dx, dy in ((150, 100), (-250, 50)):  # two pans, as a user exploring the map would
        before = wire.requests()[-1]
        mark = len(wire.events)
        moved = iframe.evaluate(f"() => {{ window.map.panBy([{dx}, {dy}], {{animate: false}}); return ({_VIEW_JS})(); }}")
        asked = wire.settle(iframe, moved, since=mark)
        wrong = [v for v in asked if v != before and not _near(v, moved)]
        assert not wrong, f"after the user panned to {moved}, the app sent the map to {wrong} (it was at {before})"

    assert _near(iframe.evaluate(_VIEW_JS), moved)
    (lat, lon), zoom = moved
    page.wait_for_function(
        """([lat, lon, zoom]) => { const q = new URLSearchParams(location.search);
             return Math.abs(+q.get('lat') - lat) < 1e-3 && Math.abs(+q.get('lon') - lon) < 1e-3 && +q.get('zoom') === zoom; }""",
        arg=[lat, lon, zoom],
    )


def test_malformed_url_params_are_reported_not_raised(page, app_url, events):
    open_app(page, app_url, "?start=notadate&zoom=999&types=bogus")
    wait_for_script_end(page)

    notices = page.get_by_test_id("stAlert").filter(has_text="Ignored URL parameter")
    expect(notices.first).to_be_visible()
    expect(notices).to_have_count(3)
    for name in ("start=notadate", "zoom=999", "types=bogus"):
        expect(notices.filter(has_text=name)).to_have_count(1)

    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    # The bad values fell back to defaults: every event shown at the default zoom.
    expect(sidebar_caption(page)).to_have_text(f"{len(events)} of {len(events)} events")
    assert map_frame(page).evaluate("() => window.map.getZoom()") == DEFAULT_ZOOM


def test_clicking_a_point_shows_its_details(page, app_url, events):
    # A few events, each at its own place (Panjgur, Saravan, ...): each symbol is clickable on its own.
    wanted = events[events["event_type"] == "cross_border_strike"]
    assert len(wanted) >= 2 and wanted[["lat", "lon"]].drop_duplicates().shape[0] == len(wanted)
    frame = open_app(page, app_url, "?basemap=none&types=cross_border_strike")
    expect_drawn(frame, len(wanted))
    details = page.get_by_test_id("stColumn").filter(has=page.get_by_role("heading", name="Details"))
    expect(details).to_contain_text("Click a point on the map")

    target = wanted.iloc[0]
    click_event(page, target["lat"], target["lon"])

    # The popup of the event that was hit opens; the app then shows the same event below the map.
    popup_title = frame.locator(".leaflet-popup-content .bd-popup b").first
    expect(popup_title).to_have_text(target["title"], timeout=RERUN)
    expect(details.locator("h4")).to_have_text(target["title"], timeout=RERUN)
    expect(details).not_to_contain_text("Click a point on the map")
    expect(page).to_have_url(re.compile(rf"[?&]sel={re.escape(target['id'])}(&|$)"), timeout=RERUN)


def test_hostile_text_is_shown_escaped_and_never_runs(page, hostile_url, hostile_csv):
    rows = pd.read_csv(hostile_csv, dtype=str, keep_default_na=False)
    valid = rows[~rows["source_url"].str.startswith("javascript:")]
    assert len(valid) == len(rows) - 1
    frame = open_app(page, hostile_url, "?basemap=none")
    wait_for_script_end(page)

    # The javascript: row is rejected at load and reported; the others are drawn.
    expect(page.get_by_test_id("stAlert").filter(has_text="1 row(s) of the event data have errors")).to_be_visible()
    expect(sidebar_caption(page)).to_have_text(f"{len(valid)} of {len(valid)} events")
    expect_drawn(frame, len(valid))
    first, second = valid.iloc[0], valid.iloc[1]

    # Hover: the tooltip shows the markup as text.
    hover_event(page, float(second["lat"]), float(second["lon"]))
    tooltip = frame.locator(".leaflet-tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("<script>window.__pwned=1</script> hostile")
    expect(tooltip).to_contain_text('<img src=x onerror="window.__pwned=1">')

    # Click: the popup shows every field as text, and the app's details panel does too.
    click_event(page, float(first["lat"]), float(first["lon"]))
    # .first: while the app re-draws the layer with the selected event, Leaflet briefly fades an old popup out.
    popup = frame.locator(".leaflet-popup-content").first
    expect(popup).to_be_visible(timeout=RERUN)
    expect(popup).to_contain_text("<script>window.__pwned=1</script> hostile")
    expect(popup).to_contain_text('"><svg onload=window.__pwned=1>')
    expect(popup).to_contain_text("</script><script>window.__pwned=1</script>")
    expect(popup).to_contain_text('<a href="javascript:window.__pwned=1">open</a>')
    details_title = page.get_by_test_id("stColumn").filter(has=page.get_by_role("heading", name="Details")).locator("h4")
    expect(details_title).to_contain_text("<script>window.__pwned=1</script> hostile", timeout=RERUN)
    expect(page).to_have_url(re.compile(rf"[?&]sel={first['id']}(&|$)"), timeout=RERUN)
    wait_for_script_end(page)
    expect(frame.locator(".leaflet-popup-content").first).to_contain_text("<script>window.__pwned=1</script>")

    iframe = map_frame(page)
    for where in (page, iframe):
        assert where.evaluate("() => typeof window.__pwned") == "undefined"
        assert where.evaluate(_JAVASCRIPT_LINKS_JS) == []
        assert where.evaluate("() => document.querySelectorAll('img[src=\"x\"], svg[onload], [onerror]').length") == 0
    expect(frame.locator('img[src="x"]')).to_have_count(0)
    expect(page.locator('img[src="x"]')).to_have_count(0)


#: The st.dataframe is a Glide data grid drawn on a canvas: rows are located by geometry. With on_select the grid's
#: first column is the row-selection checkbox; the header row and each data row are 35 px high.
GRID_HEADER = 35
GRID_ROW = 35
GRID_MARKER_X = 15


def click_table_row(page: Page, row: int) -> None:
    """Click the selection checkbox of data row ``row`` (0-based) of the events table (the main area's first
    st.dataframe; the key-dates table sits below it in a collapsed expander)."""
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    box = grid.bounding_box()
    y = GRID_HEADER + GRID_ROW * row + GRID_ROW / 2
    assert box and box["height"] > y, box
    grid.click(position={"x": GRID_MARKER_X, "y": y})


def wait_for_report(wire: AppWire, since: int, wanted, timeout: float = RERUN) -> list[tuple]:
    """Wait until the map's latest report (since the app's first answer after ``since``, so from the map that answer
    drew) is a view for which ``wanted(view)`` holds, and a run of the app has finished after it. Returns the views
    the app asked the map for from that report on.

    Unlike AppWire.settle this does not compare with a view read from Leaflet: while the map animates, or before it
    has first moved, getCenter() can differ from what streamlit-folium reported (by a pixel's rounding, with no
    moveend to report it again), so waiting for that exact view could wait forever.
    """

    def answered():
        events = wire.events[since:]
        first = next((i for i, e in enumerate(events) if e[0] == "request"), None)
        reruns = [i for i, e in enumerate(events) if e[0] == "rerun"]
        if first is None or not reruns or reruns[-1] < first:
            return None
        last = reruns[-1]
        if events[last][1] is None or not wanted(events[last][1]):
            return None
        if ("finished", FINISHED_SUCCESSFULLY) not in events[last + 1:]:
            return None
        return [e[1] for e in events[last:] if e[0] == "request"]

    found = answered()
    if found is None:
        box = []

        def done(_payload) -> bool:
            box[:] = [answered()]
            return box[0] is not None

        wire._ws.wait_for_event("framereceived", predicate=done, timeout=timeout)
        found = box[0]
    return found


def test_selecting_a_table_row_focuses_the_map_on_that_event(page, app_url, events):
    wire = AppWire(page)
    wanted = geodata.filter_events(events, geodata.EventFilter(event_types=("cross_border_strike",)))
    assert len(wanted) >= 2 and wanted[["lat", "lon"]].drop_duplicates().shape[0] == len(wanted)
    frame = open_app(page, app_url, "?basemap=none&types=cross_border_strike")
    wait_for_script_end(page)
    assert "sel" not in query(page)
    details = page.get_by_test_id("stColumn").filter(has=page.get_by_role("heading", name="Details"))
    expect(details).to_contain_text("Click a point on the map")
    iframe = map_frame(page)
    assert iframe.evaluate("() => window.map.getZoom()") < 8  # the default view: selecting must zoom in

    mark = len(wire.events)
    click_table_row(page, 1)

    expect(page).to_have_url(re.compile(r"[?&]sel=[^&]+"), timeout=RERUN)
    event_id = query(page)["sel"][0]
    # The second row of the table is the second newest filtered event (the table lists newest first).
    assert event_id == panels.table_frame(wanted)["id"].iloc[1]
    hit = events[events["id"] == event_id].iloc[0]
    lat, lon, title = float(hit["lat"]), float(hit["lon"]), hit["title"]

    def on_event(view) -> bool:
        # Zoomed in with the event in view (near the centre: the popup's auto-pan may shift the map so that the
        # popup fits, by less than half a view at zoom 8).
        (clat, clon), zoom = view
        return zoom >= 8 and abs(clat - lat) < 1.0 and abs(clon - lon) < 1.5

    # The map flies to the event at zoom >= 8 and opens its popup; the details panel shows the event.
    iframe.wait_for_function(
        """([lat, lon]) => window.map.getZoom() >= 8 && window.map.getBounds().contains([lat, lon])""",
        arg=[lat, lon],
        timeout=RERUN,
    )
    expect(frame.locator(".leaflet-popup-content", has_text=title)).to_be_visible(timeout=RERUN)
    expect(details.locator("h4")).to_have_text(title, timeout=RERUN)

    # ...and it stays there once the map has reported the new view and the app has answered it.
    asked = wait_for_report(wire, mark, on_event)
    assert all(on_event(v) for v in asked), asked
    wait_for_script_end(page)
    assert on_event(iframe.evaluate(_VIEW_JS)), iframe.evaluate(_VIEW_JS)
    assert iframe.evaluate("([lat, lon]) => window.map.getBounds().contains([lat, lon])", [lat, lon])
    expect(frame.locator(".leaflet-popup-content", has_text=title)).to_be_visible()
    expect(details.locator("h4")).to_have_text(title)
    assert query(page)["sel"] == [event_id]


def test_switching_basemap_keeps_the_users_view(page, app_url):
    wire = AppWire(page)
    open_app(page, app_url, "?basemap=none")
    iframe = map_frame(page)
    # Pan as a user would, then wait until the app has taken the new view in (the URL shows it).
    moved = iframe.evaluate(f"() => {{ window.map.panBy([200, 120], {{animate: false}}); return ({_VIEW_JS})(); }}")
    (lat, lon), zoom = moved
    assert not _near(moved, (DEFAULT_CENTER, zoom), tol=0.1)  # really away from the opening view
    page.wait_for_function(
        """([lat, lon, zoom]) => { const q = new URLSearchParams(location.search);
             return Math.abs(+q.get('lat') - lat) < 1e-3 && Math.abs(+q.get('lon') - lon) < 1e-3 && +q.get('zoom') === zoom; }""",
        arg=[lat, lon, zoom],
        timeout=RERUN,
    )
    wait_for_script_end(page)

    light = page.get_by_test_id("stSidebar").get_by_role("radio", name="Light (tiles)")
    mark = len(wire.events)
    light.check(force=True)  # Streamlit draws its own radio over the (visually hidden) input
    expect(light).to_be_checked()

    # A new map, built in the same frame (the component keeps its frame): with tiles, and the default basemap drops
    # out of the URL.
    expect(page).not_to_have_url(re.compile(r"[?&]basemap="), timeout=RERUN)
    wait_for_script_end(page)
    expect(page.locator(MAP_FRAME)).to_have_count(1, timeout=RERUN)
    expect(page.frame_locator(MAP_FRAME).locator(".leaflet-tile-pane img").first).to_be_attached(timeout=RERUN)
    new = map_frame(page)
    assert new.evaluate("() => document.querySelectorAll('.leaflet-container').length") == 1  # the old map is gone
    new.wait_for_function(
        """([lat, lon, zoom]) => { if (!window.map) return false; const c = window.map.getCenter();
             return window.map.getZoom() === zoom && Math.abs(c.lat - lat) < 1e-3 && Math.abs(c.lng - lon) < 1e-3; }""",
        arg=[lat, lon, zoom],
        timeout=RERUN,
    )

    # ...and it is still there once the new map has reported that view and the app has answered.
    asked = wait_for_report(wire, mark, lambda v: _near(v, moved))
    assert all(_near(v, moved) for v in asked), asked
    assert _near(new.evaluate(_VIEW_JS), moved), (new.evaluate(_VIEW_JS), moved)


def test_presentation_mode_shows_only_title_and_map(page, app_url):
    frame = open_app(page, app_url, "?present=1&basemap=none")
    wait_for_script_end(page)

    expect(page.get_by_test_id("stSidebar")).not_to_be_visible()
    expect(page.locator(MAP_FRAME)).to_be_visible()
    expect(frame.locator(".bd-legend")).to_be_visible()
    expect(page.get_by_role("heading", level=1, name="Pakistan–Iran border region")).to_be_visible()
    expect(page.get_by_test_id("stMetric")).to_have_count(0)

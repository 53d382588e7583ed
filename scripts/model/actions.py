"""What a user does, one action at a time. Each action says when it applies (so a sequence never asks for a stack
that is not there), does it as a user would (clicks, typing, drags: no calls into the app), and checks what that
action alone promises (a ticked box is ticked, a closed popup's selection is gone); the shared invariants come
after, in :mod:`scripts.model.invariants`.

An action's ``run(app, model, rng)`` returns its words for the history; it raises :class:`Expectation` when the
page did not do what the action promises. All randomness comes from ``rng``, so a seed replays exactly.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import Callable

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from scripts.browser import MAP_FRAME
from scripts.model.app import CONTAINER, POLL_MS, SETTLE_MS, App
from scripts.model.labels import LABELS, SPAN_START, VIEWPORTS
from scripts.model.targets import UPLOAD_ID_PREFIX, click_targets, reachable, upload_csv

EXPECT_MS = 8_000  # what one action promises shows within this (the app's own reruns take ~0.3–2 s here)


class Expectation(AssertionError):
    """The page did not do what the action promises."""


def _expect(description: str, check: Callable[[], None]) -> None:
    try:
        check()
    except (AssertionError, PlaywrightError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise Expectation(f"{description} ({first[:200]})") from None


@dataclass
class Model:
    """What the model keeps besides the page itself: the uploaded file and how to name the next one."""

    seed: int
    upload: tuple[str, int] | None = None  # (file name, rows)
    uploads: int = 0
    # The table's ticked row: Streamlit keeps a keyed grid's selection for the session, whatever the rows are now,
    # and clicking the ticked row again does nothing (no rerun), so the model never picks it.
    table_pick: int | None = None
    # The URL's selection before an action that must leave it alone (invariants.selection_kept checks, then clears).
    kept_selection: str | None = None
    doing: str = ""  # the words of the action under way, for the history if it fails half way


@dataclass(frozen=True)
class Action:
    name: str
    weight: float
    applies: Callable[[App, Model], bool]
    run: Callable[[App, Model, random.Random], str]
    reruns: bool = False  # a widget action: the page must ask the app to rerun (the map's own reports are seen anyway)
    opens_popup: bool = False  # a popup it opens must be usable where it opens (invariants.popup_usable)


# ---------------------------------------------------------------------------------------------- sidebar


def toggle_type(app: App, model: Model, rng: random.Random) -> str:
    label = LABELS["types"][rng.choice(sorted(LABELS["types"]))]
    app.open_sidebar()
    box = app.type_checkbox(label)
    was = box.is_checked()
    model.doing = f"type {label!r} {'off' if was else 'on'}"
    _label_of(app, "checkbox", label).click()
    _expect(f"the {label!r} box did not change", lambda: expect(box).to_be_checked(checked=not was, timeout=EXPECT_MS))
    return model.doing


def preset(app: App, model: Model, rng: random.Random) -> str:
    from dashboard.sidebar import presets  # the app's own table of windows: the oracle for what a button sets

    buttons = app.open_sidebar().locator(".st-key-date_presets").get_by_role("button")
    names = sorted(n.strip() for n in buttons.all_text_contents())
    name = rng.choice(names)
    model.doing = f"date preset {name!r}"
    windows = presets(dt.date.today(), (SPAN_START, dt.date.today()))
    buttons.filter(has_text=name).first.click()
    if name in windows:
        start, end = windows[name]
        _expect(f"the date field did not show the {name!r} window {start} – {end}", lambda: expect(
            app.sidebar.get_by_test_id("stDateInput").locator("[role=spinbutton]")).to_have_text(
                [f"{start:%Y}", f"{start:%m}", f"{start:%d}", f"{end:%Y}", f"{end:%m}", f"{end:%d}"],
                timeout=EXPECT_MS))
    return model.doing


def type_dates(app: App, model: Model, rng: random.Random) -> str:
    """Type a start and an end date into the date field's segments and press Esc, as the field's help says (Streamlit's
    date field applies typed dates when its calendar closes, not on Enter)."""
    today = dt.date.today()
    start = dt.date(rng.randint(2018, today.year - 1), rng.randint(1, 12), rng.randint(1, 28))
    end = min(start + dt.timedelta(days=rng.randint(20, 900)), today)
    model.doing = f"typed dates {start} – {end} + Esc"
    field = app.open_sidebar().get_by_test_id("stDateInput")
    for which, day in (("start", start), ("end", end)):
        field.locator(f"[data-range-field={which}] [role=spinbutton][data-type=year]").click()
        app.page.keyboard.type(day.strftime("%Y%m%d"))
    app.page.keyboard.press("Escape")
    # ... and a click outside, the field's other documented way: Esc alone left the calendar open once (soak seed 13).
    app.open_sidebar().get_by_role("heading", name="Filters").click()
    _expect(f"the date field did not take {start} – {end}",
            lambda: expect(field.locator("[role=spinbutton]")).to_have_text(
                [f"{start:%Y}", f"{start:%m}", f"{start:%d}", f"{end:%Y}", f"{end:%m}", f"{end:%d}"],
                timeout=EXPECT_MS))
    return model.doing


def _label_of(app: App, role: str, name: str):
    """The visible label around a sidebar widget's hidden input (what a user clicks)."""
    return app.sidebar.locator("label", has=app.page.get_by_role(role, name=name, exact=True))


def basemap(app: App, model: Model, rng: random.Random) -> str:
    app.open_sidebar()
    offered = {v: label for v, label in LABELS["basemaps"].items() if app.basemap_radio(label).count()}
    current = app.widgets(LABELS)["basemap"]
    value = rng.choice(sorted(v for v in offered if v != current))
    model.doing = f"basemap {offered[value]!r}"
    model.kept_selection = app.query().get("sel")
    radio = app.basemap_radio(offered[value])
    _label_of(app, "radio", offered[value]).click()
    _expect(f"the {offered[value]!r} basemap is not chosen", lambda: expect(radio).to_be_checked(timeout=EXPECT_MS))
    return model.doing


def _switch(label: str):
    def run(app: App, model: Model, rng: random.Random) -> str:
        app.open_sidebar()
        switch = app.switch(label)
        was = switch.is_checked()
        model.doing = f"{label!r} {'off' if was else 'on'}"
        _label_of(app, "switch", label).click()
        _expect(f"the {label!r} switch did not change",
                lambda: expect(switch).to_be_checked(checked=not was, timeout=EXPECT_MS))
        return model.doing
    return run


def upload(app: App, model: Model, rng: random.Random) -> str:
    model.uploads += 1
    name = f"model-{model.seed}-{model.uploads}.csv"
    rows = rng.randint(2, 5)
    model.doing = f"upload {name} ({rows} rows)"
    before = app.header()
    data = upload_csv(rng, rows, f"{UPLOAD_ID_PREFIX}{model.seed}-{model.uploads}")
    app.open_sidebar().locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    model.upload = (name, rows)
    if before:
        want = f"of {before[1] + rows} events"
        _expect(f"the header's total did not grow by the {rows} uploaded rows (was {before[1]})",
                lambda: expect(_header(app)).to_contain_text(want, timeout=SETTLE_MS))
    return model.doing


def remove_upload(app: App, model: Model, rng: random.Random) -> str:
    name, rows = model.upload
    model.doing = f"remove upload {name}"
    before = app.header()
    app.open_sidebar().get_by_test_id("stFileChipDeleteBtn").locator("button").click()
    model.upload = None
    if before:
        want = f"of {before[1] - rows} events"
        _expect(f"the header's total did not drop by the {rows} removed rows (was {before[1]})",
                lambda: expect(_header(app)).to_contain_text(want, timeout=SETTLE_MS))
    return model.doing


def _header(app: App):
    return app.page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first.locator("strong").first


# ---------------------------------------------------------------------------------------------- the map


def _play_control(app: App):
    return app.map_in_view().locator(".bd-play")


def play(app: App, model: Model, rng: random.Random) -> str:
    """Press ▶, watch at least one step go by, pause (or let a short period play to its end)."""
    model.doing = "play ▶"
    control = _play_control(app)
    control.get_by_role("button", name="Play through time").click()
    frame = app.map_frame()
    _expect("▶ did not start playback", lambda: frame.wait_for_function(
        "() => document.querySelector('.leaflet-container').hasAttribute('data-play-step')", timeout=EXPECT_MS,
        polling=POLL_MS))
    label = control.locator(".bd-play-label").text_content() or ""
    words = label.split()  # "Step k of n: ..."
    k, n = (int(words[1]), int(words[3].rstrip(":"))) if label.startswith("Step ") else (1, 1)
    if n - k >= 3:  # at 900 ms a step: pause after one step, with two to spare before it would end itself
        _expect("playback did not advance", lambda: frame.wait_for_function(
            "(k) => Number(document.querySelector('.leaflet-container').getAttribute('data-play-step')) >= k",
            arg=k, timeout=EXPECT_MS, polling=POLL_MS))
        control.get_by_role("button", name="Pause").click()
        return "play ▶, pause ⏸ after a step"
    _expect("playback did not end by itself", lambda: expect(
        control.get_by_role("button", name="Play through time")).to_be_visible(timeout=EXPECT_MS))
    return "play ▶ to the end"


def step(app: App, model: Model, rng: random.Random) -> str:
    name = rng.choice(["Next step", "Previous step"])
    model.doing = {"Next step": "step ›", "Previous step": "step ‹"}[name]
    _play_control(app).get_by_role("button", name=name).click()
    return model.doing


def stop(app: App, model: Model, rng: random.Random) -> str:
    model.doing = "stop playback ✕"
    _play_control(app).get_by_role("button", name="Stop playback, show all").click()
    _expect("✕ did not stop playback", lambda: expect(app.page.frame_locator(MAP_FRAME).locator(CONTAINER))
            .not_to_have_attribute("data-play-step", re.compile(".*"), timeout=EXPECT_MS))
    return model.doing


def _click_map(app: App, x: float, y: float) -> None:
    app.page.frame_locator(MAP_FRAME).locator(CONTAINER).click(position={"x": x, "y": y})


def _open_popup(app: App):
    """The newest popup: Leaflet fades a replaced one out for 200 ms, so two can be in the page at once."""
    return app.page.frame_locator(MAP_FRAME).locator(".leaflet-popup").last


def click_stack(app: App, model: Model, rng: random.Random) -> str:
    app.map_in_view()
    targets = click_targets(app.map_frame())["stacks"]
    x, y, n = rng.choice(targets)
    model.doing = f"click stack of {n} at ({x}, {y})" if n > 0 else f"click cluster of {-n} at ({x}, {y})"
    _click_map(app, x, y)
    if n > 0:
        _expect(f"clicking the stack of {n} at ({x}, {y}) opened no list",
                lambda: expect(_open_popup(app).locator(".bd-stack")).to_be_visible(timeout=EXPECT_MS))
    return model.doing


def click_point(app: App, model: Model, rng: random.Random) -> str:
    app.map_in_view()
    x, y = rng.choice(click_targets(app.map_frame())["points"])
    model.doing = f"click event at ({x}, {y})"
    _click_map(app, x, y)
    _expect(f"clicking the event at ({x}, {y}) opened no popup",
            lambda: expect(_open_popup(app).locator(".bd-popup")).to_be_visible(timeout=EXPECT_MS))
    _expect("the clicked event is not selected in the URL",
            lambda: expect(app.page).to_have_url(re.compile(r"[?&]sel=[^&]+"), timeout=EXPECT_MS))
    return model.doing


def page_list(app: App, model: Model, rng: random.Random) -> str:
    app.close_sidebar()  # as a user does: on a phone the open sidebar covers the map
    names = sorted({text for _i, text in reachable(app.map_frame(), ".bd-stack-nav button")})
    name = rng.choice(names)
    before = _open_popup(app).locator(".bd-stack-nav span").text_content()
    model.doing = f"list {name!r} ({before} →)"
    _open_popup(app).locator(".bd-stack-nav button").filter(has_text=name).first.click()
    _expect(f"{name!r} did not turn the list's page", lambda: expect(
        _open_popup(app).locator(".bd-stack-nav span")).not_to_have_text(before, timeout=EXPECT_MS))
    return model.doing


def open_from_list(app: App, model: Model, rng: random.Random) -> str:
    app.close_sidebar()  # as a user does: on a phone the open sidebar covers the map
    i, title = rng.choice(reachable(app.map_frame(), ".bd-stack-item"))
    title = _open_popup(app).locator(".bd-stack-item").nth(i).locator(".bd-stack-title").text_content() or ""
    model.doing = f"open list entry {i + 1} {title[:40]!r}"
    _open_popup(app).locator(".bd-stack-item").nth(i).click()
    _expect(f"the list's entry {title!r} did not open", lambda: expect(
        _open_popup(app).locator(".bd-popup > b").first).to_have_text(title, timeout=EXPECT_MS))
    _expect("the opened event is not selected in the URL",
            lambda: expect(app.page).to_have_url(re.compile(r"[?&]sel=[^&]+"), timeout=EXPECT_MS))
    return model.doing


def close_popup(app: App, model: Model, rng: random.Random) -> str:
    """Close the newest popup with its × (only when a user can reach it: after a pan it may lie off the map)."""
    event = _open_popup(app).locator(".bd-popup").count() > 0
    model.doing = "close popup ×" + (" (event)" if event else " (list)")
    frame = app.map_in_view()
    close = _open_popup(app).locator(".leaflet-popup-close-button").first
    inside = frame.evaluate("""() => { const b = document.querySelectorAll('.leaflet-popup-close-button');
        const r = b[b.length - 1].getBoundingClientRect(), m = window.map.getContainer().getBoundingClientRect();
        const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2, top = document.elementFromPoint(x, y);
        return r.left >= m.left && r.right <= m.right && r.top >= m.top && r.bottom <= m.bottom &&
               !!top && b[b.length - 1].contains(top); }""")
    if not inside:  # panned or zoomed by the user partly off the map or under a control: they would pan first
        return "close popup: its × is off the map or under a control, nothing to do"
    # On a phone the map is taller than the screen below Streamlit's fixed header: scroll the × to the middle of
    # the screen, as a user scrolls up to it, rather than to an edge under the header.
    close.evaluate("button => button.scrollIntoView({block: 'center'})")
    close.click()
    _expect("the popup did not close", lambda: expect(
        app.page.frame_locator(MAP_FRAME).locator(".leaflet-popup")).to_have_count(0, timeout=EXPECT_MS))
    if event:  # closing an event's popup clears the selection (issue 19: one view state)
        _expect("closing the event's popup kept its selection in the URL", lambda: expect(app.page).not_to_have_url(
            re.compile(r"[?&]sel="), timeout=EXPECT_MS))
    return model.doing


def zoom(app: App, model: Model, rng: random.Random) -> str:
    frame = app.map_in_view()
    which = rng.choice(["in", "out"])
    button = app.page.frame_locator(MAP_FRAME).locator(f".leaflet-control-zoom-{which}")
    if "leaflet-disabled" in (button.get_attribute("class") or ""):
        return f"zoom {which}: at the limit, nothing to do"
    before = frame.evaluate("() => window.map.getZoom()")
    model.doing = f"zoom {which} (from {before})"
    button.click()
    _expect(f"zoom {which} did not change the zoom", lambda: frame.wait_for_function(
        "(z) => window.map.getZoom() !== z", arg=before, timeout=EXPECT_MS, polling=POLL_MS))
    return model.doing


#: In the map frame: whether a drag can start at a container point (not on a control or a popup, which stop it).
_DRAGGABLE_JS = """([x, y]) => {
  const hit = document.elementFromPoint(x, y);
  return !!hit && !!hit.closest('.leaflet-container') && !hit.closest('.leaflet-control, .leaflet-popup');
}"""
_DRAG_STARTS = ((0.45, 0.55), (0.3, 0.7), (0.6, 0.35), (0.25, 0.3), (0.7, 0.75))


def pan(app: App, model: Model, rng: random.Random) -> str:
    """Drag the map with the mouse, from the first of a few points near its middle where a drag can start."""
    frame = app.map_in_view()
    box = app.page.locator(MAP_FRAME).bounding_box()
    dx, dy = rng.choice([-1, 1]) * rng.randint(40, 200), rng.choice([-1, 1]) * rng.randint(30, 150)
    model.doing = f"pan by ({dx}, {dy})"
    start = next(((fx * box["width"], fy * box["height"]) for fx, fy in _DRAG_STARTS
                  if frame.evaluate(_DRAGGABLE_JS, [fx * box["width"], fy * box["height"]])), None)
    if start is None:
        return model.doing + ": no free spot to drag from, nothing to do"
    x0, y0 = box["x"] + start[0], box["y"] + start[1]
    mouse = app.page.mouse
    mouse.move(x0, y0)
    mouse.down()
    for i in range(1, 6):
        mouse.move(x0 + dx * i / 5, y0 + dy * i / 5)
    mouse.up()
    return model.doing


def table_row(app: App, model: Model, rng: random.Random) -> str:
    """Tick a row of the events table (a canvas grid: rows are 35 px high under a 35 px header)."""
    app.close_sidebar()
    shown = app.header()[0]
    grid = app.page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    # The row the app marks (the selection, wherever it was made: a second click on it changes nothing) is read
    # from the grid's accessible table, whose data rows are numbered from 2.
    ticked = {int(i) - 2 for i in grid.locator('tr[role=row][aria-selected="true"]').evaluate_all(
        "rows => rows.map(r => r.getAttribute('aria-rowindex'))")}
    choices = [r for r in range(min(shown, 10)) if r not in ticked]
    if not choices:
        return "table row: no unticked row, nothing to do"
    row = rng.choice(choices)
    model.table_pick = row
    model.doing = f"table row {row + 1}"
    grid.click(position={"x": 15, "y": 35 + 35 * row + 17.5})
    _expect("the table's row did not select an event in the URL", lambda: expect(app.page).to_have_url(
        re.compile(r"[?&]sel=[^&]+"), timeout=EXPECT_MS))
    return model.doing


# ---------------------------------------------------------------------------------------------- the page


def viewport(app: App, model: Model, rng: random.Random) -> str:
    width, height = rng.choice([v for v in VIEWPORTS if v != app.size])
    model.doing = f"viewport {width}×{height}"
    app.set_viewport(width, height)
    return model.doing


def reload_link(app: App, model: Model, rng: random.Random) -> str:
    use_block = rng.random() < 0.5 and app.page.get_by_test_id("stCode").count() > 0
    link = app.link() if use_block else app.page.url
    model.doing = f"reload from {'the copied link' if use_block else 'the address bar'}"
    app.open(link)
    model.upload = None  # a link cannot carry the file (the page says so)
    model.table_pick = None  # a new session
    return model.doing


# ---------------------------------------------------------------------------------------------- when each applies


def _full_page(app: App, model: Model) -> bool:
    return app.sidebar.get_by_test_id("stDateInput").count() > 0


def _shown(app: App, model: Model) -> bool:
    head = app.header()
    return bool(head and head[0] > 0)


def _playing(app: App, model: Model) -> bool:
    return app.map_state().get("playStep") is not None


def _targets(kind: str):
    # Aimed inside the map's own frame: on a phone the action folds the sidebar away first (App.map_in_view).
    return lambda app, model: bool(click_targets(app.map_frame())[kind])


def _always(app: App, model: Model) -> bool:
    return True


def _table_rows(app: App, model: Model) -> bool:
    """The table is there with a row other than the ticked one."""
    return _full_page(app, model) and (app.header() or (0, 0))[0] > (1 if model.table_pick is not None else 0)


def _reachable(selector: str):
    """In the newest popup, something matching ``selector`` that a user can click."""
    return lambda app, model: bool(reachable(app.map_frame(), selector))


ACTIONS: tuple[Action, ...] = (
    Action("type", 3, _full_page, toggle_type, reruns=True),
    Action("preset", 2, _full_page, preset, reruns=True),
    Action("dates", 1.5, _full_page, type_dates),
    Action("basemap", 1.5, _full_page, basemap, reruns=True),
    Action("cluster", 1, _full_page, _switch("Cluster nearby points"), reruns=True),
    Action("heat", 1, _full_page, _switch("Heatmap"), reruns=True),
    Action("play", 1, _shown, play),
    Action("step", 1.5, _shown, step),
    Action("stop", 1, _playing, stop),
    Action("stack", 2, _targets("stacks"), click_stack, opens_popup=True),
    Action("point", 1, _targets("points"), click_point, opens_popup=True),
    Action("page list", 1.5, _reachable(".bd-stack-nav button"), page_list, opens_popup=True),
    Action("open from list", 1.5, _reachable(".bd-stack-item"), open_from_list, opens_popup=True),
    Action("close popup", 2, _reachable(".leaflet-popup-close-button"), close_popup),
    Action("table row", 1.5, _table_rows, table_row, reruns=True, opens_popup=True),
    Action("zoom", 1.5, _always, zoom),
    Action("pan", 2, _always, pan),
    Action("upload", 0.7, lambda app, model: model.upload is None and _full_page(app, model), upload, reruns=True),
    Action("remove upload", 0.7, lambda app, model: model.upload is not None and _full_page(app, model),
           remove_upload, reruns=True),
    Action("viewport", 0.7, _always, viewport),
    Action("reload", 1, _always, reload_link),
)

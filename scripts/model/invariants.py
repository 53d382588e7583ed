"""What must hold after every action, whatever came before: the map, the page, the widgets and the link agree.

Each check returns problems as sentences (empty when it holds); :func:`check` gathers them. The core agreement
(issue 19): the map becomes ready; the events drawn equal the header's count (a paused playback frame filters the
whole page, so the header follows the frame too); the legend's counts add up to the drawn set; the URL, opened in a
fresh browser context, reproduces the same state; no page error and no console error but blocked tiles.
"""

from __future__ import annotations

import datetime as dt

from scripts.model.app import App, Stuck
from scripts.model.labels import LABELS, SPAN_START
from scripts.model.targets import UPLOAD_ID_PREFIX, popup_unusable

#: In the map frame: the selected row and the open event popup's row, and whether each is among the drawn events
#: (read from the events layer: the map publishes no attribute for them).
_SELECTION_JS = """() => {
  const v = window.map && window.map.__bdEvents;
  if (!v || !v.ds) { return null; }
  const shown = new Set(v.shown), sel = v.cfg.selected;
  const open = document.querySelector('.bd-event-popup') ? v.openRow : null;
  const popups = document.querySelectorAll('.bd-event-popup .bd-popup > b'), title = popups[popups.length - 1];
  return {selected: sel === undefined ? null : sel, selectedShown: sel == null ? null : shown.has(sel),
          open: open === undefined ? null : open, openShown: open == null ? null : shown.has(open),
          title: title ? title.textContent : null};
}"""


def check(app: App, model) -> list[str]:
    """Every invariant of the page as it is now (after :meth:`App.settle`)."""
    problems = [f"page error: {e}" for e in app.errors.take()]
    if app.wire.failed_runs():
        problems.append(f"a script run ended with status {app.wire.failed_runs()}")
    if app.page.get_by_test_id("stException").count():
        problems.append("the page shows an exception: "
                        + (app.page.get_by_test_id("stException").first.text_content() or "")[:300])
    problems += counts(app)
    problems += url_matches_widgets(app)
    problems += legend_matches_switches(app)
    problems += selection(app)
    problems += playback(app)
    problems += selection_kept(app, model)
    return problems


def selection_kept(app: App, model) -> list[str]:
    """An action that leaves the selection alone (another basemap) left it: the URL still selects that event."""
    kept, model.kept_selection = model.kept_selection, None
    now = app.query().get("sel")
    return [] if kept is None or now == kept else [f"the action dropped the selection of {kept!r} (the URL now "
                                                   f"selects {now!r})"]


def counts(app: App) -> list[str]:
    if app.agree():
        head, side = app.header(), app.sidebar_count()
        return [] if side is None or side == head else [f"the sidebar says {side[0]} of {side[1]} events, "
                                                        f"the header {head[0]} of {head[1]}"]
    head, state = app.header(), app.map_state()
    legend = sum(state.get("legend") or [])
    play = f" (playback: {state['playLabel']!r})" if state.get("playStep") is not None else ""
    return [f"the header says {head and f'{head[0]} of {head[1]}'} events but the map drew {state.get('drawn')} "
            f"(ready={state.get('ready')}) and its legend counts add up to {legend}{play}"]


def url_matches_widgets(app: App) -> list[str]:
    """The address bar says what the sidebar shows (the app writes it at the end of every run)."""
    q, w, out = app.query(), app.widgets(LABELS), []
    all_types = tuple(LABELS["types"])
    url_types = all_types if "types" not in q else tuple(t for t in all_types if t in q["types"].split(","))
    if q.get("types") == "none":
        url_types = ()
    if set(url_types) != set(w["types"]):
        out.append(f"the URL's types {q.get('types', '(all)')!r} differ from the ticked types {list(w['types'])}")
    if w["basemap"] is not None and q.get("basemap", LABELS["default_basemap"]) != w["basemap"]:
        out.append(f"the URL's basemap {q.get('basemap', '(default)')!r} differs from the chosen {w['basemap']!r}")
    for name in ("cluster", "heat"):
        if (q.get(name) == "1") != w[name]:
            out.append(f"the URL has {name}={q.get(name, '(absent)')} but the {name} switch is "
                       f"{'on' if w[name] else 'off'}")
    if w["dates"]:
        start, end = w["dates"]
        want_start = start.isoformat() if start > SPAN_START else None
        want_end = end.isoformat() if end < dt.date.today() else None
        if (q.get("start"), q.get("end")) != (want_start, want_end):
            out.append(f"the date field shows {start} – {end} but the URL has start={q.get('start')} "
                       f"end={q.get('end')}")
    return out


def legend_matches_switches(app: App) -> list[str]:
    text, w, out = app.map_state().get("legendText", ""), app.widgets(LABELS), []
    if ("heat: density of events" in text) != w["heat"]:
        out.append(f"the legend {'shows' if not w['heat'] else 'lacks'} its heat line with the heatmap "
                   f"{'on' if w['heat'] else 'off'}")
    if ("cluster of nearby events" in text) != w["cluster"]:
        out.append(f"the legend {'shows' if not w['cluster'] else 'lacks'} its cluster line with clustering "
                   f"{'on' if w['cluster'] else 'off'}")
    return out


def selection(app: App) -> list[str]:
    """A selection is an event the page shows: not one the filter (or the playback frame) hides, not an id that
    is not in the data; an open event popup shows a drawn event."""
    sel, seen, out = app.query().get("sel"), app.map_frame().evaluate(_SELECTION_JS), []
    if seen is None:
        return out
    if sel and seen["selected"] is None:
        out.append(f"the URL selects {sel!r}, which is not in the map's data")
    elif sel and seen["selectedShown"] is False:
        out.append(f"the URL selects {sel!r}, which the filter or playback frame hides")
    if seen["openShown"] is False:
        out.append("an event popup is open for an event the map does not draw")
    details = app.page.get_by_test_id("stColumn").filter(has=app.page.get_by_role("heading", name="Details"))
    if details.count():
        if details.get_by_text("The selected event is not in the data").count():
            out.append("Details says the selected event is not in the data")
        shown = details.locator("h4")
        if seen["title"] is not None and shown.count() and shown.first.text_content() != seen["title"]:
            out.append(f"the map's popup shows {seen['title']!r} but Details shows {shown.first.text_content()!r}")
    return out


def popup_usable(app: App) -> list[str]:
    """After an action that opens a popup: it lies inside the map and its controls are reachable (Leaflet's
    auto-pan fits it to the map, but not to a phone's small map, nor clear of the map's own controls)."""
    return [f"the popup that opened: {p}" for p in popup_unusable(app.map_frame())]


def playback(app: App) -> list[str]:
    q, state = app.query(), app.map_state()
    step, out = state.get("playStep"), []
    if state.get("playing"):
        out.append("playback is still running after the action")
    if (step is not None) != ("play" in q):
        out.append(f"the map shows playback step {step} but the URL has play={q.get('play', '(absent)')}")
    elif step is not None and not q["play"].endswith(f"-{step}"):
        out.append(f"the map shows playback step {step} but the URL has play={q['play']}")
    return out


# ---------------------------------------------------------------------------------------------- the link


def snapshot(app: App) -> dict:
    """What a link must reproduce: counts, legend, widgets, address (view to within a pixel), playback step."""
    state = app.map_state()
    frame = app.map_frame()
    zoom = frame.evaluate("() => window.map.getZoom()")
    return {"header": app.header(), "drawn": state.get("drawn"), "legend": state.get("legend"),
            "widgets": app.widgets(LABELS), "query": app.query(), "play step": state.get("playStep"), "zoom": zoom}


def _same_query(a: dict, b: dict) -> list[str]:
    """Differences between two pages' URL parameters. The map's centre is compared to within what the URL can
    say (4 decimals) plus a pixel; with a selection it is not compared at all: opening the selected event's popup
    auto-pans the map so that the popup fits, which a link cannot (and need not) undo."""
    out = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key), b.get(key)
        if key in ("lat", "lon", "zoom") and a.get("sel"):
            continue
        if key in ("lat", "lon") and x is not None and y is not None:
            if abs(float(x) - float(y)) <= 1e-4 + 360 / (256 * 2 ** int(a.get("zoom", "7"))):
                continue
        if x != y:
            out.append(f"URL {key}={y!r} instead of {x!r}")
    return out


def link_reproduces(app: App, model) -> list[str]:
    """Open the page's own URL in a fresh browser context: it must show the same state. An uploaded file is not
    in a link (the page says so), so with an upload only the URL's own parameters are compared."""
    here = snapshot(app)
    other = app.fresh()
    try:
        try:
            other.open(app.page.url)
        except Stuck as exc:
            return [f"the link {app.page.url}, opened in a fresh context: {exc}"]
        there = snapshot(other)
        out = [f"the link, opened in a fresh context, has a page error: {e}" for e in other.errors.take()]
    finally:
        other.close()
    if model.upload is not None:  # the link cannot carry the file, so neither a selection of one of its events
        for q in (here["query"], there["query"]):
            if q.get("sel", "").startswith(UPLOAD_ID_PREFIX):
                del q["sel"]
    diffs = _same_query(here["query"], there["query"])
    compared = ("header", "drawn", "legend", "widgets", "play step") if model.upload is None else ("widgets",)
    if not here["query"].get("sel"):
        compared += ("zoom",)
    for key in compared:
        if here[key] != there[key]:
            diffs.append(f"{key} {there[key]} instead of {here[key]}")
    if diffs:
        diffs[0] += f" (link {app.page.url})"
    return out + [f"the link, opened in a fresh context, shows {d}" for d in diffs]

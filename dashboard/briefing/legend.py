"""The key beside the map: event types with counts, location precision, symbol sizes, place status, map symbols."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import geodata
from geodata import EventType

from .style import BORDER_COLOUR, DARK_EDGE, FOCUS_EDGE, FOCUS_FILL, INK, MUTED_INK
from .symbols import STATUS_MARKS, STATUS_ORDER, size_key, symbol_paint, type_style


def _capped_note(day: geodata.StatusDay | None, per_panel: bool) -> list[tuple]:
    """A note when the status day was capped at the data's as-of date (:func:`geodata.status_day`)."""
    if day is None or not day.capped:
        return []
    def unbroken(d):  # a date never split over two lines of the wrapped note
        return geodata.format_day(d).replace(" ", "\u00a0")

    if per_panel:
        return [("note", f"Panels ending after the data's as-of date ({unbroken(day.day)}) show the status "
                         "recorded on it.")]
    return [("note", f"{unbroken(day.day)} is the data's as-of date: nothing is recorded after it, so no status is "
                     f"claimed for {unbroken(day.asked)}.")]


def _status_items(pax, shown: pd.DataFrame, status: dict[str, str], day: geodata.StatusDay | None, marker,
                  per_panel: bool) -> list[tuple]:
    """Key rows for the status marks on the shown places (none when no place is shown).

    ``per_panel``: small multiples mark each panel on its own end date, so the key names the marks without counts
    and ``status`` only needs to hold the statuses that occur; ``day`` is then the last panel's.
    """
    places = shown[shown["event_type"].map(lambda v: type_style(v)[2]).astype(bool)]
    if not len(places) or (day is None and not per_panel):
        return []
    if per_panel:
        states = list(status.values())
        if not states:
            return []
        items: list[tuple] = [("header", "Place status at each panel's end")]
    else:
        states = [status.get(str(i), "") for i in places["id"]]
        items = [("header", f"Place status on {geodata.format_day(day.day)}")]
    for state in STATUS_ORDER:
        n = states.count(state)
        if n:
            shape, factor, width = STATUS_MARKS[state]

            def draw(x, y, shape=shape, factor=factor, width=width, state=state):
                marker("s", "#8c8c8c", DARK_EDGE)(x, y)
                colours = dict(facecolor="white", edgecolor=INK) if state == "open" else dict(color=INK)
                pax.scatter([x], [y], s=(9.0 * factor) ** 2, marker=shape, linewidth=width, clip_on=False, **colours)

            items.append(("entry", state.capitalize() if per_panel else f"{state.capitalize()} ({n})", draw))
    unmarked = states.count("")
    if unmarked and not per_panel:
        items.append(("note", f"{unmarked} {'place' if unmarked == 1 else 'places'} without a mark: no status "
                              "recorded for that day."))
    return items + _capped_note(day, per_panel)


def draw_panel(pax, shown: pd.DataFrame, style, panel_in, status: dict[str, str] | None = None,
               status_day: geodata.StatusDay | None = None, *, towns: bool = True, per_panel: bool = False,
               in_view: bool = False) -> None:
    """Key beside the map: event types of ``shown`` (with counts), location precision, size key, place status on
    ``status_day`` (``status``: place id -> status, as :func:`geodata.status_on` gives), map symbols.

    ``in_view``: ``shown`` are the events inside a view that leaves other filtered events out; the key says so.
    """
    pw, ph = panel_in
    pax.set_xlim(0, pw)
    pax.set_ylim(0, ph)
    pax.set_axis_off()
    fs, row = style["panel"], style["row"]
    wrap = max(16, int((pw - 0.45) * 72 / (fs * 0.6)))
    note_wrap = max(16, int((pw - 0.1) * 72 / ((fs - 1) * 0.56)))

    def marker(shape, face, edge, width=0.7, size=9.0):
        return lambda x, y: pax.scatter([x], [y], s=size**2, marker=shape, facecolor=face, edgecolor=edge,
                                        linewidth=width, clip_on=False)

    counts = shown["event_type"].value_counts() if len(shown) else pd.Series(dtype=int)
    order = [t.value for t in EventType] + sorted(set(counts.index) - {t.value for t in EventType})
    items: list[tuple] = []
    if len(counts):
        items.append(("header", "Event type, inside this view" if in_view else "Event type"))
        for value in order:
            if counts.get(value, 0):
                label, colour, place = type_style(value)
                items.append(("entry", f"{label} ({counts[value]})",
                              marker("s" if place else "o", colour, DARK_EDGE, size=9.0 if place else 8.5)))
        items.append(("header", "Location"))
        # Grey, as the web map's key (map.css .bd-solid, .bd-hollow); drawn by the map's own rule.
        for text, approximate in (("Exact or town", False), ("Approximate: district or province", True)):
            items.append(("entry", text, lambda x, y, approximate=approximate: pax.scatter(
                [x], [y], s=9.0**2, marker="o", clip_on=False, **symbol_paint("#777777", approximate))))
        items.append(("header", "Fatalities (best estimate)"))
        items.append(("sizekey",))
        items += _status_items(pax, shown, status or {}, status_day, marker, per_panel)
    items.append(("header", "Map"))
    items.append(("entry", "Pakistan–Iran border", lambda x, y: pax.add_line(Line2D(
        [x - 0.15, x + 0.15], [y, y], color=BORDER_COLOUR, linewidth=2.6, solid_capstyle="butt"))))
    items.append(("entry", "Focus province", lambda x, y: pax.add_patch(Rectangle(
        (x - 0.14, y - 0.075), 0.28, 0.15, facecolor=FOCUS_FILL, edgecolor=FOCUS_EDGE, linewidth=1.0))))
    if towns:
        items.append(("entry", "Major town", lambda x, y: (
            pax.scatter([x], [y], s=36, facecolor="white", edgecolor=INK, linewidth=0.9, clip_on=False),
            pax.scatter([x], [y], s=4, facecolor=INK, edgecolor="none", clip_on=False))))
    if len(counts):
        items.append(("note", "Squares are places, circles incidents. Events at the same spot are fanned "
                              "out around it."))

    # The web map's own key values and sizes; unknown counts are drawn at the smallest size there too.
    key_values = [(f"{label}\nor unknown" if i == 0 else label) for i, (label, _) in enumerate(size_key())]
    key_diam = np.array([d for _, d in size_key()])
    size_key_h = key_diam.max() / 72 + 0.08 + 2.3 * (fs - 1) / 72

    def height(item, k):
        """Height in inches: a fixed part (the ink) plus k times the spacing."""
        kind = item[0]
        if kind == "header":
            return k * (0.5 * row) + (style["header"] * 1.5 / 72)
        if kind == "entry":
            n = len(textwrap.wrap(item[1], wrap))
            ink = n * fs * 1.3 / 72
            return ink + k * max(row * (1 + 0.75 * (n - 1)) - ink, 0.0)
        if kind == "sizekey":
            return size_key_h + k * 0.15
        return k * 0.4 * row + len(textwrap.wrap(item[1], note_wrap)) * (fs - 1) * 1.3 / 72

    k = 1.0
    total = sum(height(i, k) for i in items)
    if total > ph:  # squeeze the spacing (not the text) when the key is long
        fixed = sum(height(i, 0) for i in items)
        k = max(0.3, (ph - fixed) / max(total - fixed, 1e-6))

    y = ph
    for item in items:
        h = height(item, k)
        kind = item[0]
        if kind == "header":
            pax.text(0, y - k * 0.5 * row, item[1], fontsize=style["header"], fontweight="bold", color=INK,
                     va="top")
        elif kind == "entry":
            lines = textwrap.wrap(item[1], wrap)
            centre = y - height(("entry", lines[0]), k) / 2
            item[2](0.17, centre)
            if len(lines) == 1:
                pax.text(0.42, centre, lines[0], fontsize=fs, color=INK, va="center")
            else:  # first line level with the symbol
                pax.text(0.42, centre + fs * 0.62 / 72, "\n".join(lines), fontsize=fs, color=INK, va="top",
                         linespacing=1.15)
        elif kind == "sizekey":
            xs = 0.17 + np.array([0.0, 0.95, 1.9]) * min(1.0, (pw - 0.3) / 2.4)
            centre = y - key_diam.max() / 72 / 2
            pax.scatter(xs, [centre] * len(xs), s=key_diam**2, facecolor="#bdbdbd", edgecolor=DARK_EDGE,
                        linewidth=0.7, clip_on=False)
            for x, text in zip(xs, key_values):
                pax.text(x, y - key_diam.max() / 72 - 0.06, text, ha="center", va="top", fontsize=fs - 1,
                         color=MUTED_INK, linespacing=1.0)
        else:
            pax.text(0, y - k * 0.4 * row, "\n".join(textwrap.wrap(item[1], note_wrap)), fontsize=fs - 1,
                     color=MUTED_INK, va="top", linespacing=1.3)
        y -= h

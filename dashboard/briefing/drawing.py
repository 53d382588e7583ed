"""Drawing the map: the base layers and labels, the event symbols, the scale bar and north arrow."""

from __future__ import annotations

import math

import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

import geodata
from dashboard import local_script
from geodata.towns import labels_for_zoom

from .extent import km_per_degree_lon, nice_length
from .labels import Labeller, text_half_size
from .style import (
    BORDER_COLOUR,
    COUNTRY_NAMES,
    DARK_EDGE,
    FOCUS_EDGE,
    FOCUS_FILL,
    FOCUS_TEXT,
    HALO_ONLY,
    INK,
    LAND,
    LEADER,
    NEIGHBOUR,
    SEA,
)
from .symbols import STATUS_MARKS, STATUS_ORDER, luminance, symbol_paint
from .words import number


def land_in_view(view):
    """The land inside the view, as one geometry: where fanned-out symbols may go. A symbol must fit wholly
    inside it, so a stack at the frame's edge fans inwards instead of out of the frame."""
    land = shapely.union_all(geodata.load_land().geometry.values)
    return shapely.intersection(land, view)


#: Towns labelled at most in one figure (the most populous first), so names never crowd out the events.
MAX_TOWN_LABELS = 30
#: Screen pixels per inch the web map's zoom levels are matched at (CSS pixels).
_MAP_PX_PER_INCH = 96


def figure_zoom(extent, map_w_in: float) -> int:
    """The web map's zoom level whose scale is nearest the figure's: the figure labels the towns the map would."""
    span = max(extent[2] - extent[0], 1e-6)
    return int(math.floor(math.log2(map_w_in * _MAP_PX_PER_INCH * 360 / (256 * span))))


def town_labels(extent, map_w_in: float, local_names: bool = False):
    """(name as drawn, lon, lat) of the gazetteer's towns the figure labels: those the web map labels at the same
    scale (:func:`figure_zoom`, :func:`geodata.towns.labels_for_zoom`), inside the slightly inset frame, most
    populous first, at most :data:`MAX_TOWN_LABELS`. With ``local_names`` the Urdu or Persian name goes on a
    second line, shaped for matplotlib (:func:`dashboard.local_script.shaped`)."""
    x0, y0, x1, y1 = extent
    ix, iy = 0.02 * (x1 - x0), 0.02 * (y1 - y0)
    towns = labels_for_zoom(figure_zoom(extent, map_w_in), bounds=(x0 + ix, y0 + iy, x1 - ix, y1 - iy))
    towns = towns.head(MAX_TOWN_LABELS)
    return [(name + (f"\n{local_script.shaped(local)}" if local_names and local else ""), lon, lat)
            for name, local, lon, lat in zip(towns["name"], towns["name_local"], towns["lon"], towns["lat"])]


def draw_basemap(ax, style, labeller: Labeller, view, *, names: bool = True, local_names: bool = False) -> None:
    """Sea, land, neighbours, provinces (focus ones filled), the border; with ``names``, towns and area labels.

    Small multiples pass ``names=False``: at their size the names would cover the events. ``local_names`` adds
    the towns' Urdu or Persian names (URL ``script=local``).
    """
    land = geodata.load_land()
    countries = geodata.load_countries()
    provinces = geodata.load_provinces()
    border = geodata.load_border()

    ax.set_facecolor(SEA)
    land.plot(ax=ax, color=LAND, linewidth=0, zorder=1)
    neighbours = countries[~countries["iso_a2"].isin(["PK", "IR"])]
    neighbours.plot(ax=ax, color=NEIGHBOUR, edgecolor="#b9b3a8", linewidth=0.6, zorder=1.5)
    provinces.plot(ax=ax, facecolor="none", edgecolor="#a39d92", linewidth=0.5, zorder=2)
    focus = provinces[provinces["focus"].astype(bool)]
    focus.plot(ax=ax, facecolor=FOCUS_FILL, alpha=0.45, edgecolor="none", zorder=2.1)
    focus.plot(ax=ax, facecolor="none", edgecolor=FOCUS_EDGE, linewidth=1.0, zorder=2.2)
    countries.plot(ax=ax, facecolor="none", edgecolor="#8f897e", linewidth=0.9, zorder=2.5)
    border.plot(ax=ax, color="white", linewidth=4.6, zorder=4)
    border.plot(ax=ax, color=BORDER_COLOUR, linewidth=2.6, zorder=4.1)
    labeller.add_lines(shapely.union_all(border.geometry.values))
    if not names:
        return

    # The gazetteer's towns inside the (slightly inset) view only, so no name is cut by the frame; biggest placed
    # first. Names go on top of events (legible) at the spot that hides the fewest of them.
    towns = town_labels(labeller.extent, labeller.w_in, local_names)
    tx = np.array([t[1] for t in towns], dtype=float)
    ty = np.array([t[2] for t in towns], dtype=float)
    if len(towns):
        # A ringed dot: distinct from every event symbol (filled/hollow circles, squares).
        ax.scatter(tx, ty, s=36, marker="o", facecolor="white", edgecolor=INK, linewidth=0.9, zorder=6)
        ax.scatter(tx, ty, s=4, marker="o", facecolor=INK, edgecolor="none", zorder=6.1)
        labeller.add(np.column_stack([tx, ty]), Labeller.OTHER)
    # Arabic-script presentation forms: DejaVu Sans has most, Noto Sans Arabic (registered) the rest (Urdu's ہ).
    family = ["DejaVu Sans", local_script.register_font()] if local_names else None
    for name, x, y in towns:
        offset, ha, va = labeller.place_point_label(x, y, name, style["town"])
        for effects, z in ((HALO_ONLY, 9.4), (None, 9.5)):
            ax.annotate(name, (x, y), xytext=offset, textcoords="offset points", ha=ha, va=va, linespacing=1.1,
                        fontsize=style["town"], color=INK, path_effects=effects, zorder=z, fontfamily=family)

    # Area labels: the two focus provinces (with their country), then neighbouring countries in view.
    labels = []
    for row in focus.itertuples():
        country = COUNTRY_NAMES.get(row.country, row.country)
        labels.append((f"{row.name}\n({country})", row.geometry, dict(
            fontsize=style["label"], color=FOCUS_TEXT, fontstyle="italic", fontweight="bold")))
    for row in neighbours.itertuples():
        if row.iso_a2 != "-1":  # Natural Earth's "-1": disputed areas without a country code
            labels.append((row.name.upper(), row.geometry, dict(fontsize=style["country"], color="#8a8479")))
    for text, geom, kwargs in labels:
        area = shapely.intersection(geom, view)
        if area.is_empty or area.area < 0.02 * view.area:
            continue
        half_w, half_h = text_half_size(text, kwargs["fontsize"])
        spot = labeller.place_area_label(area, half_w, half_h)
        if spot is None:
            continue
        for effects, z in ((HALO_ONLY, 2.9), (None, 3)):
            ax.text(*spot, text, ha="center", va="center", linespacing=1.15, path_effects=effects, zorder=z,
                    clip_on=True, **kwargs)
        cx, cy = labeller.to_in([spot])[0]
        labeller.add_box_in(cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def draw_events(ax, sym: dict) -> None:
    """Event symbols (see :func:`symbols.event_symbols`), leader lines to fanned-out ones, status marks."""
    x, y, diam, colours = sym["x"], sym["y"], sym["diam"], sym["colours"]
    hollow, place_arr = sym["hollow"], sym["is_place"]
    moved = np.flatnonzero((x != sym["true_x"]) | (y != sym["true_y"]))
    if len(moved):
        # Leader lines: each displaced symbol stays tied to its true point, which a dot marks.
        segments = [[(sym["true_x"][i], sym["true_y"][i]), (x[i], y[i])] for i in moved]
        ax.add_collection(LineCollection(segments, colors=LEADER, linewidths=0.7, zorder=7.5))
        ax.scatter(sym["true_x"][moved], sym["true_y"][moved], s=6, color=LEADER, edgecolor="none", zorder=7.6)
    light = np.array([luminance(c) > 0.7 for c in colours], dtype=bool)
    halo_effects = [patheffects.Stroke(linewidth=3.4, foreground=DARK_EDGE), patheffects.Normal()]
    for place in (True, False):
        for approximate in (False, True):
            for halo in (False, True):  # light colours (yellow) drawn as a ring need a dark outline to be seen
                sel = (place_arr == place) & (hollow == approximate) & ((hollow & light) == halo)
                if not sel.any():
                    continue
                idx = np.flatnonzero(sel)
                idx = idx[np.argsort(-diam[idx], kind="stable")]  # small markers on top of big ones
                paint = [symbol_paint(colours[i], approximate) for i in idx]
                ax.scatter(
                    x[idx], y[idx], s=diam[idx] ** 2, marker="s" if place else "o",
                    facecolors=[p["facecolor"] for p in paint], edgecolors=[p["edgecolor"] for p in paint],
                    linewidths=paint[0]["linewidth"], linestyles=paint[0]["linestyle"],
                    zorder=8 if place else 9, path_effects=halo_effects if halo else None,
                )
    for state in STATUS_ORDER:
        idx = np.flatnonzero(sym["status"] == state)
        if len(idx):
            shape, factor, width = STATUS_MARKS[state]
            # "x" and "_" are line markers: they take one colour, not a face and an edge.
            colours = dict(facecolors="white", edgecolors=INK) if state == "open" else dict(color=INK)
            ax.scatter(x[idx], y[idx], s=(diam[idx] * factor) ** 2, marker=shape, linewidths=width, zorder=9.2,
                       **colours)


def draw_scale_and_north(ax, style, labeller: Labeller) -> None:
    x0, y0, x1, y1 = labeller.extent
    w_in, h_in = labeller.w_in, labeller.h_in
    # Scale bar in the lower left; its length is measured on the ellipsoid at the bar's own latitude.
    bar_x = x0 + 0.35 / labeller.sx
    bar_y = y0 + 0.3 / labeller.sy
    km_per_deg = km_per_degree_lon(bar_y)
    length_km = nice_length(0.2 * (x1 - x0) * km_per_deg)
    length_deg = length_km / km_per_deg
    bar_w_in = length_deg * labeller.sx
    bar_h = 0.07 / labeller.sy
    label_h_in = style["panel"] * 1.6 / 72
    ax.add_patch(Rectangle((x0 + 0.2 / labeller.sx, y0 + 0.15 / labeller.sy), (bar_w_in + 0.3) / labeller.sx,
                           (0.3 + label_h_in) / labeller.sy, facecolor="white", alpha=0.85, edgecolor="none",
                           zorder=10))
    half = length_deg / 2
    for i in range(2):
        ax.add_patch(Rectangle((bar_x + i * half, bar_y), half, bar_h, facecolor=INK if i == 0 else "white",
                               edgecolor=INK, linewidth=0.8, zorder=11))
    ax.text(bar_x + half, bar_y + bar_h + 0.05 / labeller.sy, f"{number(length_km)} km", ha="center",
            va="bottom", fontsize=style["panel"], color=INK, zorder=11)
    labeller.add_box_in(0.2, 0.15, 0.5 + bar_w_in, 0.45 + label_h_in)

    # North arrow in the upper right (the map is lon/lat, so north is straight up).
    ax_x, ax_top = 1 - 0.45 / w_in, 1 - 0.2 / h_in
    ax.annotate("", xy=(ax_x, ax_top - 0.36 / h_in), xytext=(ax_x, ax_top - 0.85 / h_in),
                xycoords="axes fraction",
                arrowprops=dict(arrowstyle="-|>,head_length=0.8,head_width=0.4", color=INK, linewidth=1.6),
                zorder=11)
    ax.text(ax_x, ax_top - 0.32 / h_in, "N", transform=ax.transAxes, ha="center", va="bottom",
            fontsize=style["header"] + 2, fontweight="bold", color=INK, zorder=11)
    labeller.add_box_in(w_in - 0.7, h_in - 0.95, w_in - 0.2, h_in - 0.15)

"""Composition: the page (header, map, key, footer) and ``render_briefing``, which encodes it as PNG, PDF or SVG."""

from __future__ import annotations

import datetime as dt
import textwrap
import threading
from io import BytesIO

import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import geodata
from dashboard.settings import Settings
from geodata import EventFilter

from . import words
from .drawing import draw_basemap, draw_events, draw_scale_and_north, land_in_view
from .extent import check_extent, events_extent, fit_to_box, in_frame
from .labels import Labeller, text_half_size
from .legend import draw_panel
from .style import DEFAULT_TITLE, FORMATS, INK, MUTED_INK, PAGE_INCHES, RC, SIZES, STYLE
from .symbols import event_symbols

# Matplotlib's rcParams are process-global; a Streamlit server renders from several threads.
RENDER_LOCK = threading.Lock()


class SaveOnlyCanvas(FigureCanvasAgg):
    """Agg canvas that ignores redraw requests: geopandas asks for one after every layer it plots, which would
    render the whole figure each time; a figure that is only ever saved needs the one draw ``savefig`` does."""

    def draw_idle(self, *args, **kwargs):
        pass


def as_utc(generated) -> dt.datetime:
    if generated is None:
        return dt.datetime.now(dt.timezone.utc)
    if generated.tzinfo is None:
        return generated.replace(tzinfo=dt.timezone.utc)
    return generated.astimezone(dt.timezone.utc)


#: PNG resolutions accepted: 600 dpi is print quality; a 16 x 9 in slide there is already 9,600 x 5,400 px
#: (~200 MB while drawn), and 1,200 dpi would be four times that.
DPI_RANGE = (10, 600)


def check_arguments(size: str, fmt: str, extent, dpi) -> tuple[float, float, float, float] | None:
    """Validate the rendering arguments (the message names the bad one); returns the checked extent."""
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, got {size!r}")
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    box = check_extent(extent)
    if dpi is not None and not (isinstance(dpi, (int, float)) and DPI_RANGE[0] <= dpi <= DPI_RANGE[1]):
        raise ValueError(f"dpi must be a number between {DPI_RANGE[0]} and {DPI_RANGE[1]}, got {dpi!r}")
    return box


def page_defaults(handling, title, generated, dpi, size: str) -> tuple[str, str, dt.datetime, float]:
    """The handling line (default: the setting), title, UTC time stamp and resolution every figure page uses."""
    handling = (Settings.from_env().handling if handling is None else handling).strip()
    title = DEFAULT_TITLE if title is None else str(title)
    return handling, title, as_utc(generated), dpi or (120 if size == "slide" else 150)


def province_names() -> dict[str, str]:
    provinces = geodata.load_provinces()
    return dict(zip(provinces["iso_code"], provinces["name"]))


def place_status_on(periods: pd.DataFrame | None, day: dt.date) -> dict[str, str]:
    """Each place's status on ``day`` from the status periods (default: the shipped ones)."""
    return geodata.status_on(geodata.load_place_status() if periods is None else periods, day)


def page_room(size: str, subtitle: str, handling: str) -> tuple[float, float, list[str]]:
    """The (top, bottom) in inches of the room between header and footer, and the subtitle's lines: known
    before anything is drawn, so the map's frame (and what it counts) is settled before the header's words."""
    W, H = PAGE_INCHES[size]
    style = STYLE[size]
    m = style["margin"]
    hand_h = 0.4 if handling else 0.0
    top = H - 0.3 - hand_h - style["title"] * 1.45 / 72
    chars = int((W - 2 * m) * 72 / (style["subtitle"] * 0.6))
    sub_lines = textwrap.wrap(subtitle, chars) or [""]
    top -= len(sub_lines) * style["subtitle"] * 1.3 / 72 + 0.06
    top -= (style["subtitle"] - 2) * 1.3 / 72 + 0.2
    bottom = hand_h + 0.22 + style["footer"] * 1.45 / 72 + 0.25
    return top, bottom, sub_lines


def page(fig: Figure, size: str, title: str, subtitle: str, summary: str, footer: str, attribution: str,
         handling: str) -> tuple[float, float]:
    """Header (handling, title, wrapped subtitle, counts) and footer (as-of, attribution) on the page.

    Returns the (top, bottom) in inches of the room left between them for maps and key (:func:`page_room`).
    """
    W, H = PAGE_INCHES[size]
    style = STYLE[size]
    m = style["margin"]
    hand_h = 0.4 if handling else 0.0
    top = H - 0.3 - hand_h
    if handling:
        for y, va in (((H - 0.25) / H, "top"), (0.15 / H, "bottom")):
            fig.text(0.5, y, handling, ha="center", va=va, fontsize=style["handling"], fontweight="bold",
                     color=INK)
    fig.text(m / W, top / H, title, ha="left", va="top", fontsize=style["title"], fontweight="bold", color=INK)
    top -= style["title"] * 1.45 / 72
    room_top, room_bottom, sub_lines = page_room(size, subtitle, handling)
    fig.text(m / W, top / H, "\n".join(sub_lines), ha="left", va="top", fontsize=style["subtitle"], color=INK,
             linespacing=1.3)
    top -= len(sub_lines) * style["subtitle"] * 1.3 / 72 + 0.06
    fig.text(m / W, top / H, summary, ha="left", va="top", fontsize=style["subtitle"] - 2, color=MUTED_INK)

    # Footer: two lines, so the as-of line and the credits never run into each other on a narrow page.
    line = style["footer"] * 1.45 / 72
    foot_y = hand_h + 0.22
    fig.text(m / W, foot_y / H, attribution, ha="left", va="center", fontsize=style["footer"], color=MUTED_INK)
    fig.text(m / W, (foot_y + line) / H, footer, ha="left", va="center", fontsize=style["footer"],
             color=MUTED_INK)
    return room_top, room_bottom


def draw_map(ax, drawn: pd.DataFrame, extent, box_in: tuple[float, float], style: dict, status: dict[str, str],
             *, names: bool = True, note_size: float | None = None, note: str = words.NO_MATCH,
             local_names: bool = False) -> dict | None:
    """One map in ``ax``: base layers, events (fanned out on land, with leaders), scale bar and north arrow.

    ``drawn`` are the events inside ``extent`` (:func:`extent.in_frame`); fans stay inside it too. With none,
    ``note`` is written in the middle. Returns the symbols drawn (:func:`symbols.event_symbols`), if any.
    """
    map_w, map_h = box_in
    view = shapely.box(*extent)
    labeller = Labeller(extent, map_w, map_h)
    note_size = note_size or style["subtitle"] + 2
    symbols = None
    if len(drawn):
        deg_per_pt = (1 / (labeller.sx * 72), 1 / (labeller.sy * 72))
        symbols = event_symbols(drawn, deg_per_pt, land_in_view(view), status)
        labeller.add(np.column_stack([symbols["x"], symbols["y"]]), Labeller.EVENT)
    else:  # keep area labels clear of the note in the middle
        half_w, half_h = text_half_size(note, note_size)
        labeller.add_box_in(map_w / 2 - half_w - 0.2, map_h / 2 - half_h - 0.2, map_w / 2 + half_w + 0.2,
                            map_h / 2 + half_h + 0.2, Labeller.EVENT)
    draw_scale_and_north(ax, style, labeller)
    draw_basemap(ax, style, labeller, view, names=names, local_names=local_names)
    if symbols is not None:
        draw_events(ax, symbols)
    else:
        ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", fontsize=note_size,
                color=INK, zorder=12,
                bbox=dict(boxstyle="round,pad=0.6", facecolor="white", edgecolor="#999999", alpha=0.92))
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("auto")  # the extent was fitted to the frame with the 1/cos(lat) correction already
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#777777")
    return symbols


def new_figure(size: str) -> Figure:
    fig = Figure(figsize=PAGE_INCHES[size])
    SaveOnlyCanvas(fig)
    return fig


def encode(fig: Figure, fmt: str, dpi: float, title: str, subtitle: str, stamp: dt.datetime) -> bytes:
    """The figure as PNG, PDF or SVG bytes, with title and filter words in the file's metadata."""
    out = BytesIO()
    metadata = {
        "png": {"Title": title, "Description": subtitle},
        "pdf": {"Title": title, "Subject": subtitle, "CreationDate": stamp, "ModDate": stamp},
        "svg": {"Title": title, "Description": subtitle, "Date": stamp.strftime("%Y-%m-%dT%H:%M:%SZ")},
    }[fmt]
    fig.savefig(out, format=fmt, dpi=dpi, facecolor="white", metadata=metadata)
    return out.getvalue()


def render_briefing(
    events,
    flt: EventFilter | None = None,
    *,
    title: str | None = None,
    size: str = "slide",
    fmt: str = "png",
    extent="events",
    generated: dt.datetime | None = None,
    handling: str | None = None,
    dpi: float | None = None,
    place_status: pd.DataFrame | None = None,
    as_of: geodata.DataAsOf | None = None,
    local_names: bool = False,
) -> bytes:
    """Render the filtered events as a static briefing figure.

    Parameters
    ----------
    events : geopandas.GeoDataFrame
        The full enriched events from :func:`geodata.load_events`; ``flt`` is applied here so the subtitle,
        counts and map agree, and the "Data as of" line is computed from every curated row of it.
    flt : geodata.EventFilter, optional
        Which events to show; default all.
    title : str, optional
        Figure title; default ``"Pakistan–Iran border region"``.
    size : {"slide", "a4"}
        ``slide`` is 16:9 (16 x 9 in; 1920 x 1080 px PNG at the default 120 dpi), ``a4`` is A4 landscape
        (297 x 210 mm = 11.69 x 8.27 in; 1753 x 1240 px PNG at the default 150 dpi).
    fmt : {"png", "pdf", "svg"}
        Output format. PDF is one page with embedded TrueType text; SVG keeps text as ``<text>`` elements.
    extent : "events" or tuple of 4 floats
        ``"events"`` frames the shown events (padded, at least 3 degrees each way; the region around the border
        when there are none); a ``(minlon, minlat, maxlon, maxlat)`` box frames that view (e.g. the web map's).
        Either way the box grows to fill the map frame at the correct aspect.
    generated : datetime.datetime, optional
        Time stamp printed in the footer (naive values are taken as UTC); default now.
    handling : str, optional
        Handling line (e.g. ``"UNCLASSIFIED"``) printed at top and bottom. Defaults to the setting
        ``BORDER_DASHBOARD_HANDLING`` (:class:`dashboard.settings.Settings`); pass ``""`` for none.
    dpi : float, optional
        Raster resolution (PNG only matters); default 120 for slide, 150 for A4.
    place_status : pandas.DataFrame, optional
        Status periods of crossings and markets (:func:`geodata.load_place_status`; default the shipped ones).
        Places are marked with their status on the filter's end date (the day of ``generated`` without one), or
        on the data's as-of date when that is earlier (:func:`geodata.status_day`): nothing is recorded after it.
    as_of : geodata.DataAsOf, optional
        The facts of the "Data as of" line when ``events`` are not every event (a page of a team store);
        default computed from ``events``.
    local_names : bool
        Label towns with their Urdu or Persian name under the English one (the web map's ``script=local``),
        shaped right to left for matplotlib (:mod:`dashboard.local_script`).

    Returns
    -------
    bytes
        The encoded figure.

    Raises
    ------
    ValueError
        If ``size``, ``fmt``, ``extent`` or ``dpi`` is not valid (the message names the argument).
    """
    box = check_arguments(size, fmt, extent, dpi)
    flt = flt or EventFilter()
    handling, title, stamp, dpi = page_defaults(handling, title, generated, dpi, size)

    shown = geodata.filter_events(events, flt)
    subtitle = geodata.describe_filter(flt, province_names())
    facts = as_of or geodata.data_as_of(events)
    day = geodata.status_day(flt.end, stamp.date(), facts.as_of)
    status = place_status_on(place_status, day.day)
    style = STYLE[size]
    with RENDER_LOCK, matplotlib.rc_context(RC):
        fig = new_figure(size)
        W, H = PAGE_INCHES[size]
        m = style["margin"]
        top, bottom, _ = page_room(size, subtitle, handling)
        map_w = W - 2 * m - style["panel_w"] - style["gap"]
        map_h = top - bottom
        map_extent = fit_to_box(box or events_extent(shown), map_w, map_h)
        # The words, the key and the map all count what the frame holds, not the whole filtered set.
        drawn = shown[in_frame(shown, map_extent)]
        page(fig, size, title, subtitle, words.summary(drawn, shown), words.as_of_line(events, stamp, facts),
             words.attribution(drawn), handling)
        ax = fig.add_axes((m / W, bottom / H, map_w / W, map_h / H))
        pax = fig.add_axes(((m + map_w + style["gap"]) / W, bottom / H, style["panel_w"] / W, map_h / H))
        draw_map(ax, drawn, map_extent, (map_w, map_h), style, status, note=words.empty_note(shown),
                 local_names=local_names)
        draw_panel(pax, drawn, style, (style["panel_w"], map_h), status, day, in_view=len(drawn) < len(shown))
        return encode(fig, fmt, dpi, title, subtitle, stamp)

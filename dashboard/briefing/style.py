"""The figure's look: page sizes, type sizes and colours shared by every part of the briefing figure."""

from __future__ import annotations

from matplotlib import patheffects

from dashboard.text import REGION_TITLE
from geodata import filter_fields

DEFAULT_TITLE = REGION_TITLE
SIZES = ("slide", "a4")
FORMATS = ("png", "pdf", "svg")

BORDER_COLOUR = "#B2182B"
SEA = "#d4e6f1"
LAND = "#f2efe9"
NEIGHBOUR = "#e4e0d8"  # countries other than PK and IR: muted
FOCUS_FILL = "#fdd49e"
FOCUS_EDGE = "#a0743a"
FOCUS_TEXT = "#7a4f12"
INK = "#222222"
MUTED_INK = "#555555"
DARK_EDGE = "#333333"
LEADER = "#444444"
# A halo is drawn by a stroked copy underneath: text with path effects becomes outlines in SVG/PDF,
# so the real label must carry none to stay selectable, searchable text.
HALO_ONLY = [patheffects.Stroke(linewidth=2.6, foreground="white")]
APPROXIMATE = ("district", "province")
COUNTRY_NAMES = filter_fields.COUNTRY_NAMES  # one list of names (geodata.filter_fields)
#: Figure sizes in inches: 16:9 slide; A4 landscape exactly (297 x 210 mm).
PAGE_INCHES = {"slide": (16.0, 9.0), "a4": (297 / 25.4, 210 / 25.4)}

STYLE = {
    "slide": dict(margin=0.45, panel_w=3.9, gap=0.35, title=24, subtitle=14, panel=11, header=12, town=9,
                  label=11, country=12, footer=9.5, handling=12, row=0.27),
    "a4": dict(margin=0.4, panel_w=3.25, gap=0.3, title=18, subtitle=11, panel=9, header=10, town=7.5,
               label=9.5, country=10, footer=8, handling=10, row=0.225),
}

#: Matplotlib settings for every figure: text stays text (SVG/PDF), data text is never mathtext.
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "border-briefing",  # stable ids: same inputs, same SVG
    "pdf.fonttype": 42,
    "text.parse_math": False,  # titles and search text are data, never mathtext
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "axes.linewidth": 0.8,
}

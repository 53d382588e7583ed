"""Static briefing figures of the filtered events (matplotlib), for slides and reports. No streamlit import.

``render_briefing(events, flt, ...)`` returns PNG, PDF or SVG bytes; ``render_frames`` and ``render_grid`` step
through the filtered period (playback frames, small multiples); ``python -m dashboard.briefing`` does all three
from the command line. Everything is drawn from the shipped vector data, so it works offline.

Modules, along the figure's seams: ``words`` (counts, as-of line; the filter's words are
``geodata.describe_filter``), ``labels`` (label placement), ``symbols`` and ``drawing`` (what goes on the map),
``legend`` (the key), ``compose`` (the page), ``frames`` (time steps), ``cli`` (the command line).
"""

from dashboard.settings import HANDLING_ENV
from geodata import describe_filter, format_day

from .cli import build_parser, main
from .compose import render_briefing
from .frames import Step, frame_steps, grid_steps, render_frames, render_grid
from .style import BORDER_COLOUR, DEFAULT_TITLE, FORMATS, SIZES

__all__ = [
    "BORDER_COLOUR",
    "DEFAULT_TITLE",
    "FORMATS",
    "HANDLING_ENV",
    "SIZES",
    "Step",
    "build_parser",
    "describe_filter",
    "format_day",
    "frame_steps",
    "grid_steps",
    "main",
    "render_briefing",
    "render_frames",
    "render_grid",
]

"""``python -m dashboard.briefing``: the briefing figure (or playback frames, or small multiples) from the
command line, with the filters the app's URL takes. Bad arguments end in one line on stderr and exit 2."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import geodata
from dashboard.settings import HANDLING_ENV
from geodata import EventFilter, filter_fields

from . import compose
from .extent import check_extent
from .frames import MAX_FRAMES, MAX_GRID, UNITS, filtered_period, frame_steps, grid_steps, render_frames, render_grid
from .style import DEFAULT_TITLE, FORMATS, SIZES

#: Written beside the frames: file, start, end and events shown, one row per frame.
FRAME_INDEX = "frames.csv"


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line on stderr, exit 2; no usage dump, no traceback
        self.exit(2, f"{self.prog}: error: {message}\n")


def _context() -> filter_fields.Context:
    """The codes the province flag accepts: the shipped provinces' (read only when the flag is given)."""
    return filter_fields.Context(provinces=tuple(geodata.province_names()))


# A box narrower than this draws nothing useful, and far narrower ones overflow the font rasteriser or take
# minutes; the web map at its deepest zoom still shows more. Wider than half the globe breaks the scale bar.
_MIN_EXTENT_DEG = 0.001
_MAX_EXTENT_LON_DEG = 180.0
_MAX_TITLE = 120  # as the app's title box


def _extent_arg(text: str):
    if text == "events":
        return "events"
    try:
        box = check_extent([float(v) for v in text.split(",")])
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not 'events' or MINLON,MINLAT,MAXLON,MAXLAT (a lon/lat box, min before max)") from None
    if min(box[2] - box[0], box[3] - box[1]) < _MIN_EXTENT_DEG * (1 - 1e-9):  # 62.001 - 62 < 0.001 in floats
        raise argparse.ArgumentTypeError(
            f"{text!r} is too small: the box must span at least {_MIN_EXTENT_DEG:g} degrees each way (about 100 m)")
    if box[2] - box[0] > _MAX_EXTENT_LON_DEG:
        raise argparse.ArgumentTypeError(
            f"{text!r} is too wide: at most {_MAX_EXTENT_LON_DEG:g} degrees of longitude")
    return box


_plain_text = filter_fields.plain_text
_non_negative = filter_fields.non_negative


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m dashboard.briefing`` argument parser."""
    p = _Parser(prog="python -m dashboard.briefing",
                description="Render the filtered border-region events as a static briefing figure.")
    for f in filter_fields.FIELDS:  # the filter's flags, declared with each field
        f.add_flags(p, _context)
    p.add_argument("--size", choices=SIZES, default="slide")
    p.add_argument("--title", type=_plain_text(_MAX_TITLE), help=f"default: {DEFAULT_TITLE!r}")
    p.add_argument("--extent", type=_extent_arg, default="events", help="events or MINLON,MINLAT,MAXLON,MAXLAT")
    p.add_argument("--handling", type=_plain_text(_MAX_TITLE),
                   help=f"handling line at top and bottom (default: ${HANDLING_ENV})")
    p.add_argument("--dpi", type=_non_negative(float),
                   help=f"PNG resolution, {compose.DPI_RANGE[0]} to {compose.DPI_RANGE[1]} (default 120 slide, 150 A4)")
    p.add_argument("--events", help="CSV of events to use instead of the shipped data")
    p.add_argument("--format", dest="fmt", choices=FORMATS,
                   help="png, pdf or svg (required, except with --frames, which writes PNGs)")
    p.add_argument("--frames", choices=UNITS,
                   help="playback: one numbered PNG per week or month of the period, written into --out DIR")
    p.add_argument("--sliding", action="store_true",
                   help="with --frames: each frame shows its own week or month (default: cumulative from --start)")
    p.add_argument("--grid", type=_grid_size, metavar="N",
                   help=f"small multiples: the period cut into N equal spans (2 to {MAX_GRID}), one map each")
    p.add_argument("--out", required=True, help="file to write (a directory with --frames)")
    return p


def _grid_size(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 2 <= n <= MAX_GRID:
        raise argparse.ArgumentTypeError(f"{text!r} is not between 2 and {MAX_GRID}")
    return n


def _check_frames_dir(path: Path) -> str | None:
    """None when ``path`` is, or can be made, a writable directory holding no frames yet."""
    if path.exists() and not path.is_dir():
        return f"--out {str(path)!r} is a file; --frames writes into a directory"
    parent = path if path.is_dir() else (path.parent if str(path.parent) else Path("."))
    if not parent.is_dir():
        return f"--out {str(path)!r}: directory {str(parent)!r} does not exist"
    if not os.access(parent, os.W_OK):
        return f"--out {str(path)!r} is not writable"
    if path.is_dir() and (any(path.glob("frame-*.png")) or (path / FRAME_INDEX).exists()):
        # Never overwrite or mix with an earlier playback: leftover frames would play after the new ones.
        return f"--out {str(path)!r} already holds frames; choose an empty or new directory"
    return None


def _check_out(path: Path) -> str | None:
    if path.is_dir():
        return f"--out {str(path)!r} is a directory"
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        return f"--out {str(path)!r}: directory {str(parent)!r} does not exist"
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"--out {str(path)!r} is not writable"
    return None


def _period(parser, events, flt: EventFilter) -> tuple[dt.date, dt.date]:
    period = filtered_period(events, flt)
    if period is None:
        parser.error("no dated events match these filters, so there is no period to step through; "
                     "give --start and --end")
    return period


def _write_frames(parser, args, events, flt: EventFilter, out: Path) -> int:
    start, end = _period(parser, events, flt)
    steps = frame_steps(start, end, args.frames, sliding=args.sliding)
    if len(steps) > MAX_FRAMES:
        parser.error(f"{start} to {end} makes {len(steps)} {args.frames}ly frames; at most {MAX_FRAMES} "
                     "(narrow --start/--end or use --frames month)")
    width = max(3, len(str(len(steps))))
    rows = []
    try:
        out.mkdir(exist_ok=True)
        for i, (step, shown, payload) in enumerate(
                render_frames(events, flt, steps, title=args.title, size=args.size, extent=args.extent,
                              dpi=args.dpi, handling=args.handling), start=1):
            name = f"frame-{i:0{width}d}.png"
            (out / name).write_bytes(payload)
            rows.append(f"{name},{step.start},{step.end},{shown}")
            print(f"{name}  {step.start} to {step.end}  {shown} events")
        # An index beside the frames: which dates each shows, for captions or a slide deck.
        (out / FRAME_INDEX).write_text("file,start,end,events\n" + "\n".join(rows) + "\n", encoding="utf-8")
    except (ValueError, RuntimeError, OverflowError, MemoryError):
        parser.error("cannot draw a figure with these arguments (try the default --extent, --dpi or --title)")
    except OSError as exc:
        parser.error(f"cannot write into --out {str(out)!r}: {exc.strerror or exc}")
    mode = "sliding" if args.sliding else "cumulative"
    print(f"wrote {len(steps)} frames to {out} ({args.frames}, {mode}, {args.size})")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status (0 ok, 2 bad arguments or unwritable output)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.start and args.end and args.start > args.end:
        parser.error(f"--start {args.start} is after --end {args.end}")
    low, high = compose.DPI_RANGE
    if args.dpi is not None and not low <= args.dpi <= high:
        parser.error(f"--dpi must be between {low} and {high}, got {args.dpi:g}")
    if args.frames and args.grid:
        parser.error("--frames and --grid are two ways to show the period: give one of them")
    if args.sliding and not args.frames:
        parser.error("--sliding goes with --frames week|month")
    if args.frames and args.fmt not in (None, "png"):
        parser.error(f"--frames writes PNG files; --format {args.fmt} cannot be used with it")
    if not args.frames and args.fmt is None:
        parser.error("the following arguments are required: --format")
    out = Path(args.out)
    problem = _check_frames_dir(out) if args.frames else _check_out(out)
    if problem:
        parser.error(problem)
    flt = EventFilter(**{k: v for f in filter_fields.FIELDS for k, v in f.from_flags(args).items()})
    try:
        events = geodata.load_events(args.events)
    except (OSError, geodata.EventDataError, ValueError) as exc:
        parser.error(f"--events: {str(exc).splitlines()[0]}")
    if args.frames:
        return _write_frames(parser, args, events, flt, out)
    try:
        if args.grid:
            start, end = _period(parser, events, flt)
            if (end - start).days + 1 < args.grid:
                parser.error(f"--grid {args.grid}: the period {start} to {end} has fewer days than panels")
            payload = render_grid(events, flt, grid_steps(start, end, args.grid), title=args.title,
                                  size=args.size, fmt=args.fmt, extent=args.extent, handling=args.handling,
                                  dpi=args.dpi)
        else:
            payload = compose.render_briefing(events, flt, title=args.title, size=args.size, fmt=args.fmt,
                                              extent=args.extent, handling=args.handling, dpi=args.dpi)
    except (ValueError, RuntimeError, OverflowError, MemoryError):
        # The arguments passed every check above, yet matplotlib or FreeType gave up: say so in one line; their
        # own message names C++ sources and array shapes, which help no one at a command line.
        parser.error("cannot draw a figure with these arguments (try the default --extent, --dpi or --title)")
    try:
        out.write_bytes(payload)
    except OSError as exc:
        parser.error(f"cannot write --out {str(out)!r}: {exc.strerror or exc}")
    shown = int(geodata.filter_mask(events, flt).sum())
    what = f", {args.grid} panels" if args.grid else ""
    print(f"wrote {out} ({args.fmt}, {args.size}{what}, {shown} events)")
    return 0

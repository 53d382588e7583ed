"""Offline web assets: Leaflet and its plugins from registry packages, handed to the browser as data: URLs.

streamlit-folium loads every ``default_js``/``default_css`` link with a ``<script src>``/``<link href>`` in its
component iframe. Pointing those links at ``data:`` URLs built from the installed packages means the map never
asks a CDN for anything. (Streamlit's own static serving marks .js as ``nosniff`` text, so it is not a route.)
Measured payload: Leaflet JS+CSS ≈ 200 KB as base64; leaflet-heat ≈ 7 KB; events.js + map.css ≈ 30 KB.
"""

from __future__ import annotations

import base64
import functools
import mimetypes
import re
from importlib import resources
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet

from dashboard import _compat

_URL_IN_CSS = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")


def data_url(payload: bytes, mime: str) -> str:
    """``payload`` inlined as a data: URL (a page that must open offline carries its files in itself)."""
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _inline_css_images(css: str, base: Path) -> str:
    """Replace ``url(images/x.png)`` in a stylesheet by data: URLs so nothing is fetched for icons."""

    def repl(match: re.Match) -> str:
        path = base / match.group(2)
        if not path.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"url({data_url(path.read_bytes(), mime)})"

    return _URL_IN_CSS.sub(repl, css)


_JS, _CSS = "text/javascript", "text/css"


def _leaflet_css_bytes() -> bytes:
    base = Path(xs_leaflet.BASE_DIR)
    return _inline_css_images((base / "leaflet.css").read_text("utf-8"), base).encode("utf-8")


def _static(name: str) -> bytes:
    return (resources.files("dashboard") / "static" / name).read_bytes()


#: The map's scripts, in load order: leaflet.heat (BSD-2) comes as shipped inside the folium wheel; Leaflet from
#: xstatic-leaflet; the rest is ours (dashboard/static). They travel as one file (see :func:`map_files`).
_SCRIPTS = (
    lambda: (Path(xs_leaflet.BASE_DIR) / "leaflet.js").read_bytes(),
    _compat.leaflet_heat_script,
    lambda: _static("basemap.js"),
    lambda: _static("shared.js"),
    lambda: _static("legend.js"),
    lambda: _static("playback.js"),
    lambda: _static("events.js"),
)
#: The map's files: (name, file name, MIME type, reader).
_FILES = (
    # streamlit-folium loads scripts one after another, waiting for each: one file is one round trip, not seven.
    ("map_scripts", "map.js", _JS, lambda: b"\n;\n".join(read() for read in _SCRIPTS)),
    ("leaflet_css", "leaflet.css", _CSS, _leaflet_css_bytes),
    ("bd_map_css", "map.css", _CSS, lambda: _static("map.css")),
)


@functools.cache
def frame_css() -> str:
    """Styles the map page needs before Leaflet measures the map (inlined in its header, not loaded later)."""
    return _static("frame.css").decode("utf-8")


@functools.cache
def map_files() -> tuple[tuple[str, str, str, bytes], ...]:
    """(name, file name, MIME type, bytes) of every file the map loads, read once."""
    return tuple((name, file_name, mime, read()) for name, file_name, mime, read in _FILES)


@functools.cache
def leaflet_js() -> str:
    """Leaflet alone, as a data: URL (the bare map the benchmarks compare with)."""
    return data_url(_SCRIPTS[0](), _JS)


@functools.cache
def leaflet_css() -> str:
    return data_url(_leaflet_css_bytes(), _CSS)


def map_js_css(urls: dict[str, str] | None = None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(default_js, default_css) for the dashboard's map: Leaflet, leaflet.heat, our base map and events code, styles.

    ``urls`` maps each file's name to where the app serves it (so the map's element stays small: streamlit-folium
    re-sends its script and style links with every update); without it, every file is inlined as a data: URL
    (standalone pages). All of it is loaded with the base map, once: streamlit-folium loads scripts only when the
    map first renders, so a plugin added later (a toggled heatmap) would never arrive.
    """
    links = {name: (urls or {}).get(name) or data_url(data, mime) for name, _, mime, data in map_files()}
    js = [(name, links[name]) for name, _, mime, _ in map_files() if mime == _JS]
    css = [(name, links[name]) for name, _, mime, _ in map_files() if mime == _CSS]
    return js, css

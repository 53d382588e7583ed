"""Offline web assets: Leaflet and its plugins from registry packages, with our browser code (dashboard/static).

Two consumers: the app's map component (dashboard/map_component.py) serves :func:`component_files` from its own
directory, and a standalone page (the HTML export) inlines :func:`map_js_css` as data: URLs. Nothing is ever
fetched from a CDN. Measured payload: Leaflet JS+CSS ≈ 200 KB as base64; leaflet-heat ≈ 7 KB; our code ≈ 60 KB.
"""

from __future__ import annotations

import base64
import functools
import mimetypes
import re
from importlib import resources
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet

from dashboard import _compat, local_script

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
#: xstatic-leaflet; the rest is ours (dashboard/static). They travel as one file (one request, not eight).
_SCRIPTS = (
    lambda: (Path(xs_leaflet.BASE_DIR) / "leaflet.js").read_bytes(),
    _compat.leaflet_heat_script,
    lambda: _static("compat.js"),
    lambda: _static("fetch.js"),
    lambda: _static("basemap.js"),
    lambda: _static("towns.js"),
    lambda: _static("shared.js"),
    lambda: _static("legend.js"),
    lambda: _static("symbols.js"),
    lambda: _static("playback.js"),
    lambda: _static("dataset.js"),
    lambda: _static("events.js"),
)
_EARLY_SCRIPTS = ("fetch.js", "ready.js")  # the component's page loads these first, before the styles and map.js
_COMPONENT_SCRIPT = "component.js"  # the component protocol and the map's set-up: the app's page only


def _bundle(*extra: str) -> bytes:
    return b"\n;\n".join([read() for read in _SCRIPTS] + [_static(name) for name in extra])


#: The map's files for a standalone page: (name, file name, MIME type, reader).
_FILES = (
    ("map_scripts", "map.js", _JS, _bundle),
    ("leaflet_css", "leaflet.css", _CSS, _leaflet_css_bytes),
    ("bd_map_css", "map.css", _CSS, lambda: _static("map.css")),
)


@functools.cache
def map_files() -> tuple[tuple[str, str, str, bytes], ...]:
    """(name, file name, MIME type, bytes) of every file a standalone map page loads, read once."""
    return tuple((name, file_name, mime, read()) for name, file_name, mime, read in _FILES)


def component_files() -> dict[str, bytes]:
    """The map component's page and files by file name (dashboard/map_component.py serves them)."""
    return {
        "index.html": _static("component.html"),
        # The page's first script: "ready" to Streamlit and the first render's documents fetched while map.js loads.
        "early.js": b"\n;\n".join(_static(name) for name in _EARLY_SCRIPTS),
        "map.js": _bundle(_COMPONENT_SCRIPT),
        "leaflet.css": _leaflet_css_bytes(),
        "map.css": _static("map.css"),
        "frame.css": _static("frame.css"),
        # Urdu and Persian names (frame.css declares it for their script's code points only: fetched when shown).
        "arabic-script.ttf": local_script.font_bytes(),
    }


@functools.cache
def leaflet_js() -> str:
    """Leaflet alone, as a data: URL (the bare map the benchmarks compare with)."""
    return data_url(_SCRIPTS[0](), _JS)


@functools.cache
def leaflet_css() -> str:
    return data_url(_leaflet_css_bytes(), _CSS)


def map_js_css() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(default_js, default_css) for a standalone folium map page: every file inlined as a data: URL."""
    links = {name: data_url(data, mime) for name, _, mime, data in map_files()}
    js = [(name, links[name]) for name, _, mime, _ in map_files() if mime == _JS]
    css = [(name, links[name]) for name, _, mime, _ in map_files() if mime == _CSS]
    return js, css

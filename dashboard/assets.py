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

_URL_IN_CSS = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")


def _data_url(payload: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _inline_css_images(css: str, base: Path) -> str:
    """Replace ``url(images/x.png)`` in a stylesheet by data: URLs so nothing is fetched for icons."""

    def repl(match: re.Match) -> str:
        path = base / match.group(2)
        if not path.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return f"url({_data_url(path.read_bytes(), mime)})"

    return _URL_IN_CSS.sub(repl, css)


@functools.cache
def leaflet_js() -> str:
    return _data_url((Path(xs_leaflet.BASE_DIR) / "leaflet.js").read_bytes(), "text/javascript")


@functools.cache
def leaflet_css() -> str:
    base = Path(xs_leaflet.BASE_DIR)
    css = _inline_css_images((base / "leaflet.css").read_text("utf-8"), base)
    return _data_url(css.encode("utf-8"), "text/css")


@functools.cache
def heat_js() -> str:
    # leaflet.heat (BSD-2) as shipped inside the folium wheel.
    return _data_url((resources.files("folium") / "templates" / "leaflet_heat.min.js").read_bytes(), "text/javascript")


@functools.cache
def static_file(name: str) -> str:
    """A file of ``dashboard/static`` (the map's own browser code and styles) as a data: URL."""
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.endswith(".js"):
        mime = "text/javascript"
    return _data_url((resources.files("dashboard") / "static" / name).read_bytes(), mime)


def map_js_css() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(default_js, default_css) for the dashboard's map: Leaflet, leaflet.heat, our base map and events code, styles.

    All of it is loaded with the base map, once: streamlit-folium loads scripts only when the map first renders,
    so a plugin added later (a toggled heatmap) would never arrive.
    """
    js = [("leaflet", leaflet_js()), ("leaflet_heat", heat_js()), ("bd_basemap", static_file("basemap.js")),
          ("bd_events", static_file("events.js"))]
    return js, [("leaflet_css", leaflet_css()), ("bd_map_css", static_file("map.css"))]

"""The page's map: the project's own Streamlit component, on Streamlit's documented component API.

What it is: ``st.components.v1.declare_component(path=...)`` over a directory this module owns for the life of
the server process. The directory holds the component's page (static/component.html), the map's scripts as one
file (Leaflet, leaflet.heat, dashboard/static/*.js and component.js, which speaks the component protocol itself),
the styles, and the data the map fetches: the boundaries and each dataset as a content-addressed JSON file. So:

- the scripts load once per page (one ``map.js``), not once per rerun, and never from a CDN;
- a dataset travels once per dataset, by URL, through Streamlit's public component file route (as two files: what
  the first draw needs, then its text columns, fetched after the first draw); a rerun's args
  carry only the selection (a bitmask), the map options and the view the app asks for;
- the map reports one value: its view (``center``, ``zoom``, ``bounds`` as plain west/south/east/north) and the
  out-of-band reports ``bd_click``, ``bd_play`` and ``bd_drawn`` (static/shared.js).

Why v1 and not ``st.components.v2`` (evaluated on Streamlit 1.67):

- v2 mounts in the page (no iframe), but its scripts come either inline — ``js_content`` is part of the element
  and is re-sent with every rerun: 227 KB here (map.js; Leaflet alone is 147 KB), against a few KB of args for a filter
  change — or from an ``asset_dir`` that Streamlit finds by scanning installed distributions for a
  ``pyproject.toml`` whose ``[tool.streamlit.component]`` names a package root: this project installs two
  top-level packages (``dashboard``, ``geodata``) under a distribution of another name, in editable mode, which
  that scan does not resolve. Neither has a route for runtime data (the datasets), and in the page Leaflet's
  styles and document-level handlers would share the app's DOM (or a shadow root, which Leaflet's drag and
  popup-close handling do not expect).
- v1 keeps one iframe, but it is our page: no third-party bundle (streamlit-folium's ~1 MB React build), no
  private hooks into it, and the directory serves the datasets as files.

No other module touches the directory; nothing here is private to Streamlit.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

import streamlit.components.v1 as components

from dashboard import assets, events_payload, page_style

#: Data files (datasets) the directory keeps at most, in bytes: the least recently used go first. A page that
#: still shows a removed dataset fetches it again only after a reload, which asks for the current one.
DATA_BUDGET_BYTES = 1 << 30
#: The widget key (the page's CSS and the tests find the map's frame by it: ``page_style.MAP_IFRAME``).
KEY = page_style.MAP_KEY


class _Directory:
    """The component's files: its page and scripts (written once) and published data (content-addressed)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="bd-map-"))
        atexit.register(shutil.rmtree, self.root, ignore_errors=True)
        for name, data in assets.component_files().items():
            (self.root / name).write_bytes(data)
        (self.root / "data").mkdir()
        self._lock = threading.Lock()
        self._by_key: OrderedDict[str, list[str]] = OrderedDict()

    def publish(self, data: bytes, suffix: str = ".json") -> str:
        """URL of ``data`` relative to the component's page; written once per content."""
        name = f"data/{hashlib.sha256(data).hexdigest()[:40]}{suffix}"
        path = self.root / name
        with self._lock:
            if path.exists():
                os.utime(path)  # recently used: the last to go
                return name
            part = path.with_suffix(".part")
            part.write_bytes(data)
            part.replace(path)
            self._prune(keep=path)
        return name

    def publish_for(self, key: str, data) -> str:
        """As :meth:`publish` for the data ``data()`` makes, made and hashed once per ``key`` (a dataset's key)."""
        return self.publish_files_for(key, lambda: [self.publish(data())])

    def publish_files_for(self, key: str, files) -> str:
        """The first of the URLs ``files()`` publishes, called once per ``key`` while every one of them is there."""
        with self._lock:
            urls = self._by_key.get(key)
            if urls is not None and all((self.root / url).exists() for url in urls):
                self._by_key.move_to_end(key)
                return urls[0]
        urls = files()
        with self._lock:
            self._by_key[key] = urls
            while len(self._by_key) > 64:
                self._by_key.popitem(last=False)
        return urls[0]

    def _prune(self, keep: Path) -> None:
        files = sorted((p for p in (self.root / "data").iterdir() if p.suffix == ".json"),
                       key=lambda p: p.stat().st_mtime, reverse=True)
        total = 0
        for path in files:
            total += path.stat().st_size
            if total > DATA_BUDGET_BYTES and path != keep:
                path.unlink(missing_ok=True)


_DIRECTORY = _Directory()


@functools.cache
def _component():
    """The component, declared on the first page that draws the map: Streamlit registers a component declared
    during a page run, so a module imported before any (dashboard/warmup.py, at server start) declares it later."""
    return components.declare_component("bd_map", path=str(_DIRECTORY.root))


def publish(data: bytes) -> str:
    """URL (relative to the map's page) at which the map fetches ``data`` (JSON), written once per content."""
    return _DIRECTORY.publish(data)


def publish_for(key: str, make) -> str:
    """URL of the bytes ``make()`` returns, made once per ``key`` while that key stays among the recent ones."""
    return _DIRECTORY.publish_for(key, make)


def publish_dataset(key: str, make) -> str:
    """URL of the events dataset ``make()`` encodes (dashboard/events_payload.py), made once per ``key``: the map
    fetches its first-draw columns there and, after drawing, its text columns from the file that part names
    (``events_payload.split_dataset``)."""
    def files() -> list[str]:
        first, text = events_payload.split_dataset(make())
        text_url = _DIRECTORY.publish(text)
        return [_DIRECTORY.publish(events_payload.naming_text(first, text_url)), text_url]

    return _DIRECTORY.publish_files_for(key, files)


def show(*, base: dict, layer: dict, view: tuple[tuple[float, float], int], height: int) -> dict:
    """Draw the map and return what it reported last ({} before its first report).

    ``base``: {key, tiles, options, boundaries} (a new ``key`` builds a new map); ``layer``: the events layer's
    config (dashboard/events_layer.py ``layer_config``); ``view``: ((lat, lon), zoom) the app asks for — the map
    moves when it changes, never because of a rerun; ``height`` in pixels (the page's CSS may size the frame).
    """
    (lat, lon), zoom = view
    value = _component()(base=base, layer=layer, view={"center": [lat, lon], "zoom": int(zoom)}, height=int(height),
                         key=KEY, default=None)
    return value if isinstance(value, dict) else {}

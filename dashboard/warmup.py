"""The page's once-per-process work, done when the server starts (dashboard/serve.py) instead of on its first page.

A fresh process's first page imported the page's modules (~2 s on this project's 2-core machine: pandas,
geopandas, pyarrow, shapely, branca, the dashboard's own) and filled the per-process caches of dashboard/cache.py
(the configured event file, from the disk cache when seen before; the boundaries and their map data; the place
status periods and key dates) before its map could appear; every later page found them done. :func:`warm` does the
same through the same functions, so what the page finds is what it would have made; a page that comes while the
warm-up still runs waits for the entry being made (Streamlit's cache locks each entry while it is computed) and
the import lock, and never does the work twice.
"""

from __future__ import annotations

import ast
import importlib
import logging
import threading
from pathlib import Path

from dashboard.settings import Settings

#: Seconds the server start waits for the warm-up before answering anyway (an unseen large file is read and
#: checked meanwhile; the first page then waits for what is left of it).
WAIT_S = 60.0
#: The page script whose imports are warmed.
PAGE = Path(__file__).with_name("app.py")
#: Imported by the page after its map (the timeline's chart, ~0.6 s), so not among the script's own imports.
LATER_MODULES = ("altair",)

_log = logging.getLogger(__name__)


def page_modules(script: Path = PAGE) -> list[str]:
    """The modules ``script`` imports at its top level, as written there (``from dashboard import cache`` names
    ``dashboard.cache``; ``from geodata import filter_mask`` names ``geodata``), in order."""
    names: list[str] = []
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.extend(_module_of(node.module, alias.name) for alias in node.names)
    return list(dict.fromkeys(n for n in names if n != "__future__"))


def _module_of(package: str, name: str) -> str:
    """``package.name`` when that is a module, else ``package`` (``name`` is an attribute of it)."""
    try:
        importlib.import_module(f"{package}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{package}.{name}":
            raise
        return package
    return f"{package}.{name}"


def warm(settings: Settings | None = None) -> None:
    """Import the page's modules and fill the per-process caches its first run fills before the map."""
    for name in page_modules():
        importlib.import_module(name)
    import geodata
    from dashboard import cache, event_source, memory

    settings = Settings.from_env() if settings is None else settings
    memory.use_system_allocator()  # as the page does first: the loaded events' text is allocated after this
    files = cache.files_store(settings.events_path)  # an unusable file: the curated data, as on the page
    if settings.database_url is None:  # a team store is read per revision, when a page asks
        source = event_source.load(files, None)
        source.place_status()
        cache.per_frame(source.events, geodata.data_as_of)  # the page's "as of", when the store has none
    cache.basemap_layers()
    cache.map_boundaries()
    cache.place_status()
    cache.key_dates()
    for name in LATER_MODULES:  # last: the first page's map needs none of them
        importlib.import_module(name)


def start(settings: Settings | None = None) -> threading.Event:
    """Run :func:`warm` on a thread of its own; the event is set when it has ended (done or failed).

    A failure is logged and left to the first page, which meets it again where it is reported to the user (an
    unreadable status file), or recovers (a full disk cache).
    """
    done = threading.Event()

    def run() -> None:
        try:
            warm(settings)
        except Exception:  # the page reports whatever this was; the server must start anyway
            _log.exception("warm-up failed: the first page does this work")
        finally:
            done.set()

    threading.Thread(target=run, name="bd-warmup", daemon=True).start()
    return done

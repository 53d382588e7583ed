"""The page's own CSS: a compact header, the map's height taken from the viewport, and presentation mode.

Constant, trusted text (no data reaches it). No streamlit import: app.py puts it on the page. Streamlit's own page
parts are named by dashboard._compat (their ``data-testid`` attributes are not a public API).
"""

from __future__ import annotations

from dashboard._compat import streamlit_selector

#: The map component's widget key; Streamlit gives a keyed element's container the class ``st-key-<key>``.
MAP_KEY = "map"
#: The map's frame (dashboard/map_component.py): the stable selector the page's CSS, the browser tests and the
#: benchmarks use.
MAP_IFRAME = f".st-key-{MAP_KEY} iframe"
#: The map component's name as Streamlit reports it ends with this (``<module>.bd_map``).
MAP_COMPONENT_SUFFIX = ".bd_map"

#: Pixels of page above the map (title and the two caption lines) plus a small margin below it. The map gets the
#: rest of the viewport, so at 1280×720 the whole map (legend, scale bar, attribution) is on screen without
#: scrolling. Measured in Chromium. A notice above the map (a bad URL parameter, an upload) pushes it down by the
#: notice's height: the page scrolls then, and the notice is read first.
MAP_OFFSET_PX = 176
PRESENT_MAP_OFFSET_PX = 130
#: Below this width Streamlit stacks the layout and the captions under the title wrap: room for one more line.
NARROW_PX = 640
NARROW_EXTRA_PX = 40
#: The map never gets shorter than this (a landscape phone would otherwise get a sliver).
MIN_MAP_PX = 320


def _map_height(offset: int) -> str:
    # dvh follows the visible viewport on phones (the browser's bars come and go); vh is the fallback.
    return (f"{MAP_IFRAME} {{ height: max({MIN_MAP_PX}px, calc(100vh - {offset}px)) !important;"
            f" height: max({MIN_MAP_PX}px, calc(100dvh - {offset}px)) !important; }}\n"
            f"@media (max-width: {NARROW_PX}px) {{ {MAP_IFRAME} {{"
            f" height: max({MIN_MAP_PX}px, calc(100dvh - {offset + NARROW_EXTRA_PX}px)) !important; }} }}\n")


_SIDEBAR, _HEADER, _TOOLBAR, _MAIN = (streamlit_selector(part) for part in ("sidebar", "header", "toolbar", "main block"))

_COMMON = f"""
h1 {{ font-size: 2rem !important; padding: 0 0 0.25rem !important; }}
@media (max-width: 640px) {{ h1 {{ font-size: 1.55rem !important; }} }}  /* the title on one line on a phone */
{_SIDEBAR} .st-key-date_presets button p {{ white-space: nowrap; }}
"""

_NORMAL = f"""
{_MAIN} {{ padding-top: 4rem !important; }}  /* just below Streamlit's 3.75rem header */
"""

# Hiding the header hides the sidebar's expand button too (Streamlit 1.67 draws it in the header's toolbar).
_PRESENT = f"""
{_SIDEBAR}, {_HEADER}, {_TOOLBAR}, footer {{ display: none !important; }}
{_MAIN} {{ padding-top: 1rem !important; padding-bottom: 0 !important; max-width: 100% !important; }}
"""


def page_css(present: bool) -> str:
    """The <style> block for the page: presentation mode hides everything but the title, captions and map."""
    if present:
        body = _COMMON + _PRESENT + _map_height(PRESENT_MAP_OFFSET_PX)
    else:
        body = _COMMON + _NORMAL + _map_height(MAP_OFFSET_PX)
    return f"<style>{body}</style>"

"""Urdu and Persian script: the font that covers them and the shaping matplotlib does not do.

The font is Noto Sans Arabic (SIL OFL 1.1) from the PyPI package ``fontpkg-noto-sans-arabic``, read from the
installed package, never downloaded. The map component serves it to the browser (which shapes the text itself);
the briefing figure registers it with matplotlib, whose text engine draws one glyph per character, left to right:
:func:`shaped` turns a name into the presentation forms of its letters in visual order (``arabic-reshaper`` and
``python-bidi``), which the font draws joined and right to left.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

#: The family name matplotlib knows the font by, once :func:`register_font` has run.
FONT_FAMILY = "Noto Sans Arabic"
_FONT_PACKAGE = "fontpkg_noto_sans_arabic"
_FONT_FILE = "NotoSansArabic[wdth,wght].ttf"


def font_path() -> Path:
    """The font file inside the installed package."""
    return Path(str(resources.files(_FONT_PACKAGE) / "files" / _FONT_FILE))


def font_bytes() -> bytes:
    return font_path().read_bytes()


@functools.cache
def register_font() -> str:
    """Make the font known to matplotlib (once per process); returns its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    return FONT_FAMILY


def has_arabic_script(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)


def shaped(text: str) -> str:
    """``text`` as matplotlib must be given it: Arabic-script letters in their joined presentation forms, in
    visual (left-to-right drawing) order. Text without Arabic script comes back unchanged."""
    if not text or not has_arabic_script(text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))

"""Comparing names across spellings and scripts: one key for English, transliterated, Urdu, Persian and Arabic forms."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["YEAR_SUFFIX", "name_key"]

#: ACLED's years of a government or force, "(2018-)" or "(2013-2018)": dropped before names are compared.
YEAR_SUFFIX = re.compile(r"\(\s*\d{4}\s*[-–]\s*(?:\d{4})?\s*\)")
# Arabic-script letters that differ between Arabic, Persian and Urdu spellings of one name, folded to one form.
_ARABIC_FOLD = str.maketrans({
    "ي": "ی", "ى": "ی", "ے": "ی", "ۓ": "ی", "ك": "ک", "ہ": "ه", "ۂ": "ه", "ۃ": "ه", "ة": "ه", "ھ": "ه",
    "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ی", "ۏ": "و", "ء": "", "ـ": "",
})
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def name_key(name: str) -> str:
    """The form in which two spellings of one name are equal.

    Parameters
    ----------
    name : str
        A name as written anywhere: English or transliterated, Urdu, Persian or Arabic script.

    Returns
    -------
    str
        Lower case, without accents, punctuation, spaces (so ``"Jaish-al-Adl"`` meets ``"Jaish al Adl"`` and the
        Persian ``"جیش‌العدل"`` with a zero-width non-joiner meets ``"جیش العدل"``), ACLED year suffixes or
        Arabic-script letter variants; ``""`` for a blank name.
    """
    text = YEAR_SUFFIX.sub(" ", str(name))
    text = unicodedata.normalize("NFKC", text).translate(_ARABIC_FOLD)
    # NFKD splits accents (and Arabic harakat/hamza marks) from their letters; combining marks are then dropped.
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _NOT_WORD.sub("", text.translate(_ARABIC_FOLD).casefold())

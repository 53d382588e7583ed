"""One rule for every cell of text that is written anywhere: the edit form, an upload, ``db import``, ``db export``.

* **Length**: at most :data:`MAX_CELL_CHARS` characters (Excel's per-cell limit), so any row the store holds can
  be exported and imported again.
* **Characters**: no NUL and no other control character except tab, line feed and carriage return (NUL cannot be
  stored by PostgreSQL, the others are invisible in a page and break the files other tools read), and no lone
  surrogate (not text at all). The message names the character by its code point.
* **Spreadsheet safety**: a CSV cell a spreadsheet would run as a formula gets a leading ``'``
  (:func:`neutralise_cell`, OWASP's advice on CSV injection); our readers remove exactly that quote again.

:func:`geodata.validate` applies the first two to every column of every row it checks, which every write path
runs (the edit form through :meth:`PostgisStore.update`, uploads and ``db import`` through
:func:`geodata.import_events`); :func:`cell_problem` is the same rule for one value.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Longest cell (characters). Excel's own per-cell limit: no real spreadsheet export holds more.
MAX_CELL_CHARS = 32_767
#: Characters no cell may hold: C0 controls except tab, LF and CR; DEL; lone surrogates.
_BAD_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff"
_BAD = re.compile(f"[{_BAD_CHARS}]")
# The same class for pyarrow's RE2, which takes no surrogates (Arrow strings are valid UTF-8: none can occur).
_BAD_RE2 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
#: Cells that must gain a quote on the way out: those a spreadsheet runs as a formula, those that already look
#: like a neutralised one (so the quote we strip on the way in is always one we added), and those that
#: readers take as "missing" (so the word "NA" in a title survives as text).
_NEEDS_QUOTE = re.compile(r"^'*(?:[=+\-@\t\r]|\s*(?:NA|N/A|NULL)\s*\Z)")
#: The quote :func:`neutralise_cell` added, as our readers find it.
ADDED_QUOTE = re.compile(r"^'(?='*(?:[=+\-@\t\r]|\s*(?:NA|N/A|NULL)\s*\Z))")


def _character_message(char: str) -> str:
    code = ord(char)
    if code == 0:
        return "contains a NUL character (U+0000), which cannot be stored; remove it"
    if 0xD800 <= code <= 0xDFFF:
        return f"contains U+{code:04X}, half of a character (a lone surrogate), which is not text; remove it"
    return f"contains the control character U+{code:04X}, which cannot be stored; remove it"


def _length_message(length: int) -> str:
    return f"is {length:,} characters long; the limit is {MAX_CELL_CHARS:,}"


def cell_problem(value) -> str | None:
    """What is wrong with one cell of text under the write rule, or None if it may be written.

    Parameters
    ----------
    value : str or None
        The cell as typed or read (None and non-text values pass: other checks judge numbers and dates).

    Returns
    -------
    str or None
        A message to follow the field's name, e.g. ``"contains a NUL character (U+0000), ..."`` or
        ``"is 40,000 characters long; the limit is 32,767"``.
    """
    if not isinstance(value, str):
        return None
    if len(value) > MAX_CELL_CHARS:
        return _length_message(len(value))
    found = _BAD.search(value)
    return _character_message(found[0]) if found else None


def _lengths(values: pd.Series) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # a cell's UTF-8 byte count bounds its character count and costs nothing to read
        longest = pc.max(pc.binary_length(pa.array(values.array))).as_py()
        if longest is None or longest <= MAX_CELL_CHARS:
            return np.zeros(len(values))
    except (pa.ArrowException, TypeError, ValueError):
        pass
    return values.str.len().to_numpy(dtype="float64", na_value=0)


def _bad_characters(values: pd.Series) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        found = pc.match_substring_regex(pa.array(values.array, type=pa.string()), _BAD_RE2)
        return np.asarray(found.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    except (pa.ArrowException, TypeError, ValueError, UnicodeError):  # not Arrow text (a surrogate, mixed types)
        return values.map(lambda v: isinstance(v, str) and _BAD.search(v) is not None).to_numpy(dtype=bool)


def cell_problems(frame: pd.DataFrame, columns=None, *, characters: bool = True) -> list[tuple[int, str, str]]:
    """Every cell of ``frame`` that breaks the write rule, as (row position, column, message).

    Parameters
    ----------
    frame : pandas.DataFrame
        Text cells (other values are skipped).
    columns : iterable of str, optional
        The columns to check (default: all).
    characters : bool
        Check the characters as well as the length (the importers check only the length of a file's columns
        before mapping; :func:`geodata.validate` checks both on the columns that are kept).

    Returns
    -------
    list of (int, str, str)
        Vectorised: a column without a long cell or a control character costs one pass in Arrow.
    """
    found = []
    for column in frame.columns if columns is None else [c for c in columns if c in frame.columns]:
        values = frame[column]
        if values.dtype.kind in "biufcmM":  # numbers and dates hold no text
            continue
        lengths = _lengths(values)
        long = lengths > MAX_CELL_CHARS
        for pos in np.flatnonzero(long):
            found.append((int(pos), column, _length_message(int(lengths[pos]))))
        if characters:
            for pos in np.flatnonzero(_bad_characters(values) & ~long):
                found.append((int(pos), column, cell_problem(values.iloc[pos])))
    return sorted(found)


def field_problems(fields) -> dict[str, str]:
    """The write rule over a mapping of field name to text (an edit form): each breaking field and its message."""
    return {name: message for name, value in fields.items() if (message := cell_problem(value)) is not None}


def neutralise_cell(text: str) -> str:
    """A text cell as written to CSV: a leading ``'`` added where a spreadsheet would run it as a formula."""
    return "'" + text if _NEEDS_QUOTE.match(text) else text


__all__ = ["ADDED_QUOTE", "MAX_CELL_CHARS", "cell_problem", "cell_problems", "field_problems", "neutralise_cell"]

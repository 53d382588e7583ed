"""Bytes to a table of strings: the limits, encoding and delimiter sniffing, and what counts as missing."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from .._csv import read_all_text
from ..cell_rules import cell_problems

#: Largest file accepted (bytes). Streamlit's own upload limit is 200 MB; a file this size already takes
#: seconds to read, and a bounded size is what keeps a hostile upload from exhausting the server.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Most rows (or features) read from one file.
MAX_ROWS = 1_000_000
#: Cell values that mean "missing" in files written by R, SQL tools and spreadsheets (compared after trimming).
MISSING_TOKENS = ("NA", "N/A", "NULL")

# ASCII whitespace spelled out: pandas hands the pattern to Arrow's engine only without \s (whose meaning differs).
_MISSING_PATTERN = r"[ \t\r\n\f\v]*(?:" + "|".join(MISSING_TOKENS) + r")[ \t\r\n\f\v]*"
_ASCII_SPACE = " \t\r\n\f\v"
_MISSING_MAX_BYTES = 32  # "NA", "N/A", "NULL" with room for surrounding whitespace
_ENCODINGS = ("utf-8", "cp1252", "latin-1")
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_C_ERROR = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


class ImportFormatError(ValueError):
    """The file could not be read as any supported format; the message says why (never an internal path)."""


def check_size(data: bytes, name: str) -> None:
    """Refuse empty and oversized files before any parser sees them."""
    if not data:
        raise ImportFormatError(f"{name}: the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFormatError(
            f"{name}: {len(data) / 1e6:,.0f} MB is over the {MAX_FILE_BYTES / 1e6:,.0f} MB limit for one file")


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and the encoding it was read with: UTF-8 (with or without BOM), UTF-16 with BOM, cp1252, latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        # A NUL byte never occurs in the 8-bit text encodings we accept: this is a binary file, and latin-1
        # (which decodes any byte) would otherwise hand the CSV parser a screenful of garbage.
        if b"\x00" in data[:65536]:
            raise ImportFormatError(f"{name}: not a text file (CSV), an Excel .xlsx, GeoJSON or GeoPackage")
        encodings = _ENCODINGS
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFormatError(f"{name}: the text encoding could not be read (tried {', '.join(encodings)})")


def sniff_delimiter(text: str) -> str:
    """The delimiter used in the header line: the most frequent of comma, semicolon, tab and pipe."""
    end = text.find("\n")
    header = text[: end if end >= 0 else len(text)]  # not split(): that would copy the whole file
    header = re.sub(r'"[^"]*"', "", header)  # delimiters inside quoted names do not count
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])  # ties go to the earliest: comma
    return best if counts[best] else ","


def delimiter_name(delimiter: str) -> str:
    return _DELIMITER_NAMES.get(delimiter, repr(delimiter))


def read_csv_text(text: str, name: str, utf8: bytes | None = None) -> tuple[pd.DataFrame, str]:
    """Parse CSV text into strings (no type guessing); returns the table and the delimiter used.

    ``utf8`` is the same text as UTF-8 bytes when the caller has them (saves an encode). Arrow's CSV reader
    does the work (it is several times faster than pandas' for all-text columns); anything it refuses is read
    again by pandas' parser, whose error names the line.
    """
    delimiter = sniff_delimiter(text)
    try:
        return read_all_text(utf8 if utf8 is not None else text.encode("utf-8"), delimiter), delimiter
    except Exception:  # pyarrow.ArrowInvalid and friends: a ragged or oddly quoted file; pandas explains it
        pass
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False, na_filter=False,
                            engine="c", skip_blank_lines=True)
    except pd.errors.EmptyDataError:
        raise ImportFormatError(f"{name}: no header line (the file has no columns)") from None
    except pd.errors.ParserError as exc:
        found = _C_ERROR.search(str(exc))
        if found:
            expected, line, saw = found.groups()
            raise ImportFormatError(f"{name}: line {line} has {saw} fields but the header has {expected} "
                                    f"({delimiter_name(delimiter)}-delimited); is a quote unclosed?") from None
        raise ImportFormatError(f"{name}: not a readable CSV ({delimiter_name(delimiter)}-delimited)") from None
    return frame, delimiter


def tidy(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Lower-case trimmed headers, no index columns, strings everywhere (see :func:`mask_missing` for NA words)."""
    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    # A pandas index written by to_csv arrives as an unnamed first column; it carries nothing of the event.
    unnamed = [c for c in frame.columns if c == "" or c.startswith("unnamed:")]
    frame = frame.drop(columns=unnamed)
    if frame.columns.duplicated().any():
        dup = sorted(set(frame.columns[frame.columns.duplicated()]))
        raise ImportFormatError(f"{name}: column(s) {', '.join(dup)} appear more than once in the header")
    if len(frame) > MAX_ROWS:
        raise ImportFormatError(f"{name}: {len(frame):,} rows is over the limit of {MAX_ROWS:,} rows per file")
    for column in frame.columns:
        frame[column] = frame[column].astype("string").fillna("")
    return frame


def mask_missing(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Cells of ``columns`` holding only a :data:`MISSING_TOKENS` word become ``""`` (other columns are unused)."""
    frame = frame.copy()
    for column in columns:
        if column not in frame:
            continue
        missing = _missing_cells(frame[column])
        if missing.any():
            frame[column] = frame[column].mask(missing, "")
    return frame


def _missing_cells(values: pd.Series) -> np.ndarray:
    """Where a cell is a missing-value word with only ASCII whitespace around it.

    Arrow kernels, no regex: only short cells can be such a word (their byte lengths cost nothing to read, so a
    column of prose is cleared without looking at its text); those are trimmed and compared with the words.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arrow = pa.array(values.array)
    except (pa.ArrowException, TypeError):  # not Arrow-backed: the same test with pandas' string methods
        return values.astype("string").str.fullmatch(_MISSING_PATTERN).to_numpy(dtype=bool, na_value=False)
    short = pc.fill_null(pc.less_equal(pc.binary_length(arrow), _MISSING_MAX_BYTES), False)
    short = short.to_numpy(zero_copy_only=False)
    if not short.any():
        return short
    cells = arrow if short.all() else arrow.filter(pa.array(short))
    words = pc.is_in(pc.utf8_trim(cells, characters=_ASCII_SPACE), value_set=pa.array(MISSING_TOKENS))
    short[short] = pc.fill_null(words, False).to_numpy(zero_copy_only=False)
    return short


def long_cells(frame: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(position, column, message) of every cell longer than :data:`MAX_CELL_CHARS` (the write rule's length)."""
    return cell_problems(frame, characters=False)


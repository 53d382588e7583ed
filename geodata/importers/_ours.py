"""Our own columns (as in geodata/data/events.csv), from CSV, Excel, JSON or vector files."""

from __future__ import annotations

import pandas as pd

from ..models import EVENT_COLUMNS, REQUIRED_COLUMNS
from ..writers import restore_text_cells
from ._common import Mapped
from ._dates import parse_dates


def matches(columns: set[str]) -> bool:
    # Two named columns of ours besides the coordinates (which vector readers always add) say "our schema";
    # a missing required one is then reported by validation as missing, not guessed.
    return len(columns & (set(REQUIRED_COLUMNS) - {"lat", "lon"})) >= 2


def map_ours(frame: pd.DataFrame) -> Mapped:
    """Keep our columns, undo the spreadsheet-safety quote of our CSV export, read dates in any accepted form."""
    table = restore_text_cells(frame[[c for c in EVENT_COLUMNS if c in frame.columns]])
    problems = []
    for column in ("date", "end_date"):
        if column in table:
            table[column], error = parse_dates(table[column])
            problems.append((column, error, "error"))
    return Mapped(table, problems=problems)

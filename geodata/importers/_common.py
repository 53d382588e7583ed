"""What every source mapping shares: the result type, column access, and the place names of the region."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from ..models import EVENT_COLUMNS

# Country names and codes as ACLED (names, ISO numeric, ISO3) and UCDP (names) write them.
COUNTRY = {
    "pakistan": "PK", "pk": "PK", "pak": "PK", "586": "PK",
    "iran": "IR", "iran (islamic republic of)": "IR", "islamic republic of iran": "IR", "ir": "IR", "irn": "IR",
    "364": "IR",
}
# First-level divisions of the region under the names the sources use (old, new and misspelled), to ISO 3166-2.
# Former FATA is part of Khyber Pakhtunkhwa since 2018, as in our boundaries.
PROVINCE = {
    "balochistan": "PK-BA", "baluchistan": "PK-BA", "balochistan province": "PK-BA",
    "sistan and baluchestan": "IR-13", "sistan and baluchistan": "IR-13", "sistan va baluchestan": "IR-13",
    "sistan-baluchestan": "IR-13", "sistan o baluchestan": "IR-13",
    "sindh": "PK-SD", "khyber pakhtunkhwa": "PK-KP", "khyber pakhtunkwa": "PK-KP", "khyber-pakhtunkhwa": "PK-KP",
    "n.w.f.p.": "PK-KP", "north-west frontier": "PK-KP", "federally administered tribal areas": "PK-KP",
    "fata": "PK-KP", "punjab": "PK-PB", "kerman": "IR-15", "hormozgan": "IR-23", "south khorasan": "IR-29",
}


@dataclass
class Mapped:
    """A source table mapped onto our columns, with what the mapping itself found.

    ``problems`` are (field, message per row, severity) with ``""`` for rows without that problem; error rows are
    refused before validation. ``skipped`` rows are left out on purpose and described once in ``notes``.
    """

    table: pd.DataFrame
    problems: list[tuple[str, pd.Series, str]] = field(default_factory=list)
    skipped: np.ndarray | None = None
    notes: list[str] = field(default_factory=list)


def get(frame: pd.DataFrame, *names: str, trim: bool = True) -> pd.Series:
    """The first of ``names`` the table has, as strings (blank when none), trimmed unless ``trim`` is False."""
    for name in names:
        if name in frame:
            values = frame[name].astype("string").fillna("")
            return values.str.strip() if trim else values
    return pd.Series("", index=frame.index, dtype="string")


def slug(text: pd.Series) -> pd.Series:
    return text.str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")


def joined(*parts: pd.Series, sep: str = "; ") -> pd.Series:
    """Non-blank parts joined by ``sep`` (no dangling separators where a part is blank)."""
    out = pd.Series("", index=parts[0].index, dtype="string")
    for part in parts:
        out = out.where(part == "", out.where(out == "", out + sep) + part)
    return out


def per_distinct(values: pd.Series, convert) -> pd.Series:
    """``convert`` applied to each distinct value once (names repeat over thousands of rows), as strings."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    done = pd.array(convert(pd.Series(uniques, dtype="string")).astype("string"), dtype="string")
    return pd.Series(done.take(codes) if len(codes) else done[:0], index=values.index)


def country_code(name: pd.Series) -> pd.Series:
    """ISO alpha-2 for the names the sources use; anything else kept as written (reported or skipped later)."""
    return per_distinct(name, lambda u: u.str.lower().map(COUNTRY).fillna(u))


def province_code(name: pd.Series) -> pd.Series:
    return per_distinct(name, lambda u: u.str.lower().str.replace(r"\s+province$", "", regex=True)
                        .map(PROVINCE).fillna(""))


def empty_table(index) -> pd.DataFrame:
    """Our columns, every cell ``""``, as Arrow strings (built by Arrow: no Python object per cell)."""
    blank = pa.repeat(pa.scalar("", pa.string()), len(index))
    return pd.DataFrame({c: pd.Series(pd.arrays.ArrowStringArray(blank), index=index) for c in EVENT_COLUMNS})


def rows_text(count: int) -> str:
    """``"1 row"``, ``"1,412 rows"``."""
    return f"{count:,} row" + ("" if count == 1 else "s")


def count_note(values: pd.Series, what: str) -> str:
    """``"12 rows ... (Afghanistan: 10, India: 2), not shown"`` for skipped rows grouped by a value."""
    counts = values.value_counts()
    detail = ", ".join(f"{k}: {v:,}" for k, v in counts.head(5).items())
    more = ", …" if len(counts) > 5 else ""
    return f"{rows_text(int(counts.sum()))} {what} ({detail}{more}), not shown"


def other_countries(table: pd.DataFrame, source_country: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Rows of a regional dataset in neither Pakistan nor Iran: left out with one summary line."""
    other = (~table["country"].isin(["PK", "IR"]) & (table["country"] != "")).to_numpy(dtype=bool)
    notes = [count_note(source_country[other], "in other countries")] if other.any() else []
    return other, notes

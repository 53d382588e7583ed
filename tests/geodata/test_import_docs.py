"""docs/IMPORTS.md's mapping tables say what the code does (a table that drifts fails here)."""

import re
from pathlib import Path

import pytest

from geodata.importers import _acled, _ucdp

DOC = (Path(__file__).resolve().parents[2] / "docs" / "IMPORTS.md").read_text(encoding="utf-8")


def table_after(heading_words: str) -> list[list[str]]:
    """Rows of the first markdown table after the line containing ``heading_words`` (header row dropped)."""
    start = DOC.index(heading_words)
    rows = []
    for line in DOC[start:].splitlines()[1:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
        elif rows:
            break
    return [r for r in rows[1:] if not set("".join(r)) <= set("-")]


def test_acled_event_type_table_matches_the_code():
    documented = {row[0].lower(): (row[2] if not row[2].startswith("not shown") else None)
                  for row in table_after("### ACLED event types")}
    for name, ours in documented.items():
        assert _acled.EVENT_TYPES.get(name) == ours, name
    assert set(_acled.EVENT_TYPES) <= set(documented)


@pytest.mark.parametrize("heading, mapping", [
    ("| ACLED `time_precision`", _acled.DATE_PRECISION),
    ("| ACLED `geo_precision`", _acled.GEO_PRECISION),
    ("| `type_of_violence` | ours |", _ucdp.VIOLENCE_TYPES),
    ("| `date_prec` | ours |", _ucdp.DATE_PRECISION),
    ("| `where_prec` | ours |", _ucdp.WHERE_PRECISION),
])
def test_code_tables_match_the_code(heading, mapping):
    start = DOC.index(heading)
    rows = table_after(DOC[start:].splitlines()[0])
    documented = {}
    for code_cell, ours, *_ in [[r[0], r[1]] for r in rows]:
        for code in re.findall(r"\d", re.match(r"[\d ,]*", code_cell).group()):  # "1 exact day", "5, 6, 7 (...)"
            documented[code] = ours.split(",")[0].strip()
    assert documented == mapping


@pytest.mark.parametrize("doc", ["IMPORTS.md", "SECURITY.md"])
def test_documented_limits_are_the_codes(doc):
    from geodata.cell_rules import MAX_CELL_CHARS
    from geodata.importers import _text

    text = (Path(__file__).resolve().parents[2] / "docs" / doc).read_text(encoding="utf-8")
    assert f"{_text.MAX_FILE_BYTES // (1024 * 1024)} MB" in text
    assert f"{_text.MAX_ROWS:,}" in text
    assert f"{MAX_CELL_CHARS:,} characters" in text

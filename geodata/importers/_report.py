"""One report for every import: what was detected, what was left out and why, then every problem by row."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import geopandas as gpd

from ..models import ValidationReport
from ._common import rows_text


@dataclass
class ImportReport(ValidationReport):
    """A :class:`~geodata.ValidationReport` that also says what the file was and what was summarised.

    ``detected`` names the format (``"ACLED export (2019 layout, CSV)"``); ``notes`` are the one-line summaries of
    rows left out on purpose (outside the map area, other countries, types without an equivalent) or kept with
    a remark; ``shown`` is how many rows became events.
    """

    detected: str = ""
    notes: list[str] = field(default_factory=list)
    shown: int = 0

    def headline(self) -> str:
        """First line of the report, e.g. ``"ACLED export (2019 layout, CSV), 389 rows"``."""
        return f"{self.detected}, {rows_text(self.rows)}"

    def lines(self) -> list[str]:
        """The whole report as text: headline, summary lines, counts, then one line per problem."""
        counts = (f"{rows_text(self.shown)} ready; {rows_text(len(self.bad_rows()))} with errors left out; "
                  f"{len(self.errors):,} errors, {len(self.warnings):,} warnings")
        return [self.headline(), *self.notes, counts, *(str(p) for p in self.problems)]


class ImportResult(NamedTuple):
    """What :func:`geodata.import_events` returns; unpacks as ``events, report, kind``."""

    events: gpd.GeoDataFrame
    report: ImportReport
    kind: str

"""Moving events between files and a store: import any file the importers read, export CSV or GeoJSON."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from ..cell_rules import cell_problems, neutralise_cell
from ..importers import import_events
from ..models import CRS, Problem, ValidationReport
from ..writers import TEXT_COLUMNS
from ._records import as_text
from .base import AddResult, EventStore, Stamp, StoreError

#: Export formats by file suffix.
FORMATS = {".csv": "csv", ".geojson": "geojson", ".json": "geojson"}


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: the file's report (bad rows left out), its format, and the ids written or skipped."""

    report: ValidationReport
    kind: str
    result: AddResult


def import_file(store: EventStore, path, stamp: Stamp) -> ImportOutcome:
    """Validate a file like an upload and add its valid rows to ``store`` in one transaction.

    Parameters
    ----------
    store : EventStore
        A writable store.
    path : str or path-like
        CSV in our columns, an ACLED export, a UCDP GED CSV, GeoJSON or GeoPackage points.
    stamp : Stamp
        Who imports (the file name is recorded with every row).

    Returns
    -------
    ImportOutcome
        Rows with errors are left out and named in ``report``; ids the store already has are skipped.

    Raises
    ------
    geodata.ImportFormatError
        If the file cannot be parsed at all. StoreError if the store refuses the write (nothing written).
    """
    path = Path(path)
    events, report, kind = import_events(path.read_bytes(), path.name)
    result = store.add(events, Stamp(stamp.who, source_file=stamp.source_file or path.name))
    return ImportOutcome(report, kind, result)


def write_events(events: gpd.GeoDataFrame, path, *, problems: list | None = None) -> str:
    """Write events to ``path`` as CSV (the curated columns) or GeoJSON (points, the same columns but lat/lon).

    The CSV follows the write rule of :mod:`geodata.cell_rules` like the app's download: a text cell a spreadsheet
    would run as a formula (``=HYPERLINK(...)``) is written with a leading ``'``, which every reader of our CSV
    removes again. Cells that break the rule's length or characters (written by another client of the database)
    are still written, and appended to ``problems`` (if given) as :class:`geodata.Problem` rows (numbered as in
    the file) so the caller can warn that those rows will not import again.

    Returns the format written. Raises StoreError for an unknown suffix or a file that cannot be written.
    """
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise StoreError(f"cannot tell the format of {path.name}: use a .csv or .geojson file name")
    if not path.parent.is_dir():  # pandas and GDAL word this differently; one message for both
        raise StoreError(f"cannot write {path.name}: its folder does not exist")
    text = as_text(events)
    if problems is not None:
        problems += [Problem(pos + 2, column, message, "warning", str(text["id"].iat[pos]))
                     for pos, column, message in cell_problems(text)]
    try:
        if kind == "csv":
            cells = text.copy()
            for column in TEXT_COLUMNS:
                if column in cells:
                    cells[column] = cells[column].map(neutralise_cell)
            # CRLF as RFC 4180 says: the csv writer then quotes a cell holding a lone CR (see geodata.writers).
            cells.to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
        else:
            properties = text.drop(columns=["lat", "lon"]).replace("", None)
            frame = gpd.GeoDataFrame(properties, geometry=events.geometry.to_numpy(), crs=CRS)
            frame.to_file(path, driver="GeoJSON", engine="pyogrio")
    except PermissionError:
        raise StoreError(f"cannot write {path.name}: permission denied") from None
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        raise StoreError(f"cannot write {path.name}: its folder does not exist") from None
    except OSError as exc:
        raise StoreError(f"cannot write {path.name}: {exc.strerror or type(exc).__name__}") from None
    except RuntimeError:  # pyogrio's errors quote GDAL, which names internal paths
        raise StoreError(f"cannot write {path.name} as GeoJSON") from None
    return kind


__all__ = ["FORMATS", "ImportOutcome", "import_file", "write_events"]

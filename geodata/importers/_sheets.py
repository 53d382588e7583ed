"""Excel workbooks and JSON records (ACLED's API, with or without its envelope) as tables of strings."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pandas as pd

from ._text import MAX_FILE_BYTES, MAX_ROWS, ImportFormatError

#: An .xlsx is a zip archive; refuse one that would unpack to more than this (a "zip bomb").
MAX_UNPACKED_BYTES = 4 * MAX_FILE_BYTES


def is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _cell_text(value) -> str:
    """A cell as the text a CSV export of it would hold; dates become ISO, whole floats lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes, name: str) -> pd.DataFrame:
    """The first worksheet of an .xlsx workbook; its first row is the header."""
    import openpyxl  # only needed for workbooks; keeps `import geodata` light

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise ImportFormatError(f"{name}: the workbook unpacks to {unpacked / 1e6:,.0f} MB, over the "
                                    f"{MAX_UNPACKED_BYTES / 1e6:,.0f} MB limit")
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFormatError:
        raise
    except Exception:  # openpyxl raises many types (KeyError, zipfile errors, XML errors) for broken workbooks
        raise ImportFormatError(f"{name}: not a readable Excel workbook (.xlsx)") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS:
                raise ImportFormatError(f"{name}: more than {MAX_ROWS:,} rows, the limit per file")
            rows.append([_cell_text(v) for v in values])
    except ImportFormatError:
        raise
    except Exception:
        raise ImportFormatError(f"{name}: the first worksheet could not be read") from None
    finally:
        book.close()
    while rows and not any(rows[-1]):
        rows.pop()  # formatted but empty rows at the bottom of a sheet
    if not rows:
        raise ImportFormatError(f"{name}: the first worksheet is empty")
    header, body = rows[0], rows[1:]
    width = len(header)
    body = [(r + [""] * width)[:width] for r in body]
    return pd.DataFrame(body, columns=[str(h) for h in header], dtype="string")


def parse_json(data: str, name: str):
    try:
        return json.loads(data)
    except RecursionError:
        raise ImportFormatError(f"{name}: JSON nested too deeply to read") from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise ImportFormatError(f"{name}: not valid JSON{where}") from None


def is_geojson(doc) -> bool:
    return isinstance(doc, dict) and doc.get("type") in ("FeatureCollection", "Feature")


def records_table(doc, name: str) -> tuple[pd.DataFrame, str]:
    """Records from ACLED's API response (``{"status": 200, "success": true, "data": [...]}``) or a bare list."""
    if isinstance(doc, dict) and (doc.get("success") is False or "error" in doc) and not doc.get("data"):
        status = doc.get("status")
        code = f" (status {status})" if isinstance(status, int) else ""
        raise ImportFormatError(f"{name}: an API error response{code}, not data; download the events again")
    if isinstance(doc, dict) and isinstance(doc.get("data"), list):
        records, container = doc["data"], "API JSON"
    elif isinstance(doc, list):
        records, container = doc, "JSON records"
    else:
        raise ImportFormatError(f"{name}: JSON that is neither GeoJSON, a list of records nor an API response "
                                "with a 'data' list")
    if not all(isinstance(r, dict) for r in records):
        raise ImportFormatError(f"{name}: every record in the JSON list must be an object of named fields")
    if len(records) > MAX_ROWS:
        raise ImportFormatError(f"{name}: {len(records):,} records is over the limit of {MAX_ROWS:,} per file")
    columns = list(dict.fromkeys(k for r in records for k in r))
    table = {str(c): [_json_text(r.get(c)) for r in records] for c in columns}
    return pd.DataFrame(table, columns=[str(c) for c in columns], dtype="string"), container


def _json_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)

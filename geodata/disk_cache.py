"""An on-disk cache of checked, enriched event files, so a new process does not read and check a seen file again.

An entry is named by a key made of the event file's content hash and a code version (:func:`code_version`: a
hash of the source and data files that shape the result, and the library versions). Entries are Arrow IPC files:

* ``<key>.events.arrow``: the enriched events without their geometry (rebuilt from ``lon``/``lat`` on load), the
  validation report as JSON in the schema metadata;
* ``<key>.<name>.arrow``: any bytes derived from the same events (the map's encoded dataset), one binary cell.

Never pickled: what is read back is Arrow data and JSON, whoever wrote the directory. Writes go to a unique
temporary name, are flushed to disk and renamed over the entry: a reader sees the old entry, the new one or none,
never half of one, and two processes writing the same key each rename a complete file. A file that does not read
as Arrow (a truncated or corrupted entry) counts as a miss and is removed; the next write replaces it. The directory
is kept under a budget by removing the least recently used entries (by modification time, touched on each hit).
No streamlit import.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from .models import Problem, ValidationReport

#: Bumped when the layout of an entry changes.
SCHEMA = 1
_SUFFIX = ".arrow"
_STALE_TEMPORARY_S = 3600
_COMPRESSION = "zstd"


def file_digest(path, chunk: int = 1 << 22) -> str:
    """The SHA-256 of a file's bytes, in hex.

    Parameters
    ----------
    path : str or path-like
        The file. ``OSError`` (missing, a directory, no permission) is raised as ``open`` raises it.
    chunk : int
        Bytes read at a time.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def code_version(paths: Iterable[Path], extra: Iterable[str] = ()) -> str:
    """A hash of the given files' names and bytes (a directory counts as all its files) and of ``extra`` words.

    Parameters
    ----------
    paths : iterable of path-like
        Source and data files (or directories) whose content shapes a cached result.
    extra : iterable of str
        Anything else that does (library versions, a schema number).
    """
    digest = hashlib.sha256(f"schema {SCHEMA}".encode())
    files: list[Path] = []
    for path in map(Path, paths):
        files.extend(sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
                     if path.is_dir() else [path])
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for word in extra:
        digest.update(str(word).encode() + b"\0")
    return digest.hexdigest()[:24]


def library_versions() -> list[str]:
    """The versions of the libraries whose behaviour shapes an enriched frame."""
    import pandas as pd
    import pyproj

    return [f"{m.__name__} {m.__version__}" for m in (np, pd, pa, gpd, shapely, pyproj)]


class DiskCache:
    """A directory of cache entries (see the module docstring).

    Parameters
    ----------
    root : str or path-like
        The directory (made when missing).
    budget_bytes : int
        The most the entries may take together; the least recently used go first.
    """

    def __init__(self, root, budget_bytes: int):
        self.root = Path(root)
        self.budget_bytes = int(budget_bytes)

    @staticmethod
    def key(file_hash: str, version: str) -> str:
        """The entry name for a file with content hash ``file_hash`` under code version ``version``."""
        return hashlib.sha256(f"{file_hash}|{version}".encode()).hexdigest()[:40]

    def load_events(self, key: str) -> tuple[gpd.GeoDataFrame, ValidationReport] | None:
        """The events and report saved under ``key``, or None (no entry, or one that does not read)."""
        table = self._read(self._path(key, "events"))
        if table is None:
            return None
        try:
            meta = json.loads(table.schema.metadata[b"bd_cache"])
            frame = table.replace_schema_metadata({b"pandas": table.schema.metadata[b"pandas"]}).to_pandas()
            for column in meta["object_columns"]:  # read back as text columns; missing cells become None
                frame[column] = pd.Series(table.column(column).to_numpy(zero_copy_only=False), index=frame.index,
                                          dtype=object)
            geometry = gpd.points_from_xy(frame["lon"], frame["lat"], crs=meta["crs"])
            frame.insert(meta["geometry_at"], meta["geometry"], geometry)
            events = gpd.GeoDataFrame(frame, geometry=meta["geometry"], crs=meta["crs"])
            report = ValidationReport(problems=[Problem(*p) for p in meta["problems"]], rows=meta["rows"])
        except (KeyError, TypeError, ValueError, pa.ArrowException):  # readable Arrow, but not ours: a miss
            self._drop(self._path(key, "events"))
            return None
        return events, report

    def save_events(self, key: str, events: gpd.GeoDataFrame, report: ValidationReport) -> bool:
        """Save ``events`` (point geometry equal to ``lon``/``lat``) and ``report`` under ``key``.

        Returns False, saving nothing, when the frame cannot be restored exactly from Arrow (geometry other than
        those points, a column Arrow cannot hold).
        """
        name = events.geometry.name
        geometry = events.geometry.array
        lon, lat = events["lon"].to_numpy(float), events["lat"].to_numpy(float)
        if not (shapely.get_type_id(geometry) == 0).all() or not (
                np.array_equal(shapely.get_x(geometry), lon, equal_nan=True)
                and np.array_equal(shapely.get_y(geometry), lat, equal_nan=True)):
            return False
        meta = {"geometry": name, "geometry_at": events.columns.get_loc(name),
                "object_columns": [str(c) for c in events.columns if c != name and events[c].dtype == object],
                "crs": events.crs.to_wkt() if events.crs is not None else None, "rows": report.rows,
                "problems": [[p.row, p.field, p.message, p.severity, p.event_id] for p in report.problems]}
        try:
            table = pa.Table.from_pandas(pd.DataFrame(events.drop(columns=[name])), preserve_index=None)
        except (pa.ArrowException, TypeError, ValueError):
            return False
        table = table.replace_schema_metadata({**table.schema.metadata, b"bd_cache": json.dumps(meta).encode()})
        self._write(self._path(key, "events"), table)
        return True

    def load_bytes(self, key: str, name: str) -> bytes | None:
        """The bytes saved under ``key`` and ``name``, or None."""
        table = self._read(self._path(key, name))
        if table is None:
            return None
        try:
            cell = table.column("data")[0].as_py()
            ok = isinstance(cell, bytes) and hashlib.sha256(cell).hexdigest().encode() == table.schema.metadata[b"sha256"]
        except (KeyError, IndexError, TypeError, pa.ArrowException):
            ok = False
        if not ok:
            self._drop(self._path(key, name))
            return None
        return cell

    def save_bytes(self, key: str, name: str, data: bytes) -> None:
        """Save ``data`` under ``key`` and ``name`` (e.g. ``"dataset"``)."""
        table = pa.table({"data": pa.array([data], pa.large_binary())})
        table = table.replace_schema_metadata({b"sha256": hashlib.sha256(data).hexdigest().encode()})
        self._write(self._path(key, name), table)

    def size(self) -> int:
        """Bytes the entries take."""
        return sum(size for _, _, size in self._entries())

    def _path(self, key: str, name: str) -> Path:
        if not key.isalnum() or not name.isalnum():
            raise ValueError(f"not an entry name: {key!r}, {name!r}")
        return self.root / f"{key}.{name}{_SUFFIX}"

    def _read(self, path: Path) -> pa.Table | None:
        try:
            with pa.memory_map(str(path)) as source:
                table = pa.ipc.open_file(source).read_all()
            os.utime(path)  # recently used: the last to go
            return table
        except FileNotFoundError:
            return None
        except (OSError, pa.ArrowException):  # truncated, corrupted or not Arrow at all
            self._drop(path)
            return None

    def _write(self, path: Path, table: pa.Table) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
        try:
            options = pa.ipc.IpcWriteOptions(compression=_COMPRESSION)
            with open(temporary, "wb") as f:
                with pa.ipc.new_file(f, table.schema, options=options) as writer:
                    writer.write_table(table)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, path)  # atomic: readers see a whole entry or none
        finally:
            temporary.unlink(missing_ok=True)
        self._prune(keep=path)

    def _entries(self) -> list[tuple[Path, float, int]]:
        out = []
        for path in self.root.glob(f"*{_SUFFIX}"):
            try:
                stat = path.stat()
            except FileNotFoundError:  # removed by another process meanwhile
                continue
            out.append((path, stat.st_mtime, stat.st_size))
        return out

    def _prune(self, keep: Path) -> None:
        total = 0
        for path, _, size in sorted(self._entries(), key=lambda e: e[1], reverse=True):
            total += size
            if total > self.budget_bytes and path != keep:
                self._drop(path)
        now = time.time()
        for path in self.root.glob(".*.tmp"):  # left by a process that died while writing
            try:
                if now - path.stat().st_mtime > _STALE_TEMPORARY_S:
                    path.unlink(missing_ok=True)
            except FileNotFoundError:
                continue

    @staticmethod
    def _drop(path: Path) -> None:
        try:
            path.unlink(missing_ok=True)
        except OSError:  # a read-only directory: the entry stays a miss
            pass

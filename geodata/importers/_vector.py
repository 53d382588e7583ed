"""GeoJSON and GeoPackage through OGR (pyogrio): points become rows, MultiPoints one row per point.

Lines and polygons are refused row by row: a representative point of an area would claim a place the source
does not name, and the map's distances and precisions would then be invented.

The layer is streamed from OGR as Arrow batches. Each batch's geometries are decoded into coordinates and
dropped (a shapely object per feature of a 400,000-point file would cost ~90 MB at once; only MultiPoints are
kept, to be split into their points), and its columns are copied out of OGR's memory.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from ._text import MAX_ROWS, ImportFormatError

_POINT, _MULTIPOINT = 0, 4
_BLOCK = 65_536  # features decoded at a time
_AS_STRING = {pa.large_string(): pd.StringDtype("pyarrow")}.get


def is_geopackage(data: bytes) -> bool:
    return data.startswith(b"SQLite format 3\x00")


def read_vector(data: bytes, name: str, what: str) -> tuple[pd.DataFrame, np.ndarray, pd.Series]:
    """Attributes as strings plus ``lat``/``lon``, the feature number of each row, and a geometry error per row.

    ``what`` ("GeoJSON" or "GeoPackage") is used in messages. OGR's own messages name temporary in-memory paths
    and SQL, so they are never passed on.
    """
    import pyogrio  # the vector engine geopandas uses; imported here so CSV-only use never loads GDAL

    geometry, blocks = _Geometry(), []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # OGR warns about odd but readable files; the report covers them
            info = pyogrio.read_info(io.BytesIO(data))
            if info.get("features", 0) > MAX_ROWS:
                raise ImportFormatError(f"{name}: {info['features']:,} features is over the limit of "
                                        f"{MAX_ROWS:,} per file")
            with pyogrio.open_arrow(io.BytesIO(data), batch_size=_BLOCK, use_pyarrow=True) as (meta, reader):
                column = (meta.get("geometry_name") or "wkb_geometry") if meta.get("geometry_type") else None
                for batch in reader:
                    names = batch.schema.names
                    geometry.add(batch.column(names.index(column)) if column in names
                                 else pa.nulls(batch.num_rows, pa.binary()))
                    # A copy in Arrow's own memory: a column that still pointed into OGR's batch would keep the
                    # whole batch (every column and the geometries) alive for as long as the events live.
                    blocks.append(_owned(batch.select([n for n in names if n != column])))
                    del batch
                schema = reader.schema
    except ImportFormatError:
        raise
    except Exception:  # pyogrio/GDAL raise many error types, with internal paths in their text
        raise ImportFormatError(f"{name}: not a readable {what} file (no layer of features could be read)") from None
    schema = pa.schema([_large(f) for f in schema if f.name != column])
    attributes = pa.Table.from_batches(blocks, schema=schema).to_pandas(types_mapper=_AS_STRING)
    del blocks
    for field in attributes.columns:
        attributes[field] = _as_text(attributes[field])
    geometry.finish()
    geometry.to_lon_lat(meta.get("crs"), name)
    return geometry.rows(attributes)


def _large(field: pa.Field) -> pa.Field:
    return field.with_type(pa.large_string()) if pa.types.is_string(field.type) else field


def _owned(batch: pa.RecordBatch) -> pa.RecordBatch:
    """A copy of ``batch`` in Arrow's memory, text as ``large_string`` (what pandas keeps, so no later copy)."""
    wide = pa.RecordBatch.from_arrays([c.cast(pa.large_string()) if pa.types.is_string(c.type) else c
                                       for c in batch.columns], schema=pa.schema([_large(f) for f in batch.schema]))
    return wide.take(np.arange(batch.num_rows))  # new offsets alone would still share OGR's text buffers


class _Geometry:
    """Each feature's geometry type, emptiness and point coordinates, plus the MultiPoints themselves."""

    def __init__(self):
        self._parts: list[tuple] = []  # (kinds, empty, x, y, rows of MultiPoints) of each block of features
        self.kinds = np.zeros(0, dtype=np.int8)  # shapely type ids; -1 for a missing geometry
        self.empty = np.zeros(0, dtype=bool)
        self.x = self.y = np.zeros(0)
        self.multi_rows, self.multis, self._count = np.zeros(0, dtype=np.int64), [], 0

    def add(self, wkb: pa.Array) -> None:
        """Decode the next features' WKB (a block at a time), keeping only what the rows need."""
        for offset in range(0, len(wkb), _BLOCK):
            block = shapely.from_wkb(wkb.slice(offset, _BLOCK).to_numpy(zero_copy_only=False), on_invalid="ignore")
            kinds = shapely.get_type_id(block).astype(np.int8)
            multi = np.flatnonzero(kinds == _MULTIPOINT)
            self._parts.append((kinds, shapely.is_empty(block) | (kinds < 0), shapely.get_x(block),
                                shapely.get_y(block), multi + self._count))  # x, y: NaN for non-points
            self.multis.extend(block[multi])
            self._count += len(block)

    def finish(self) -> None:
        if self._parts:
            self.kinds, self.empty, self.x, self.y, self.multi_rows = (np.concatenate(p) for p in zip(*self._parts))
        self._parts = []

    def to_lon_lat(self, crs, name: str) -> None:
        """Reproject the points (and MultiPoints) to longitude/latitude if the layer is in another system."""
        if not crs:
            return
        import pyproj

        try:
            source = pyproj.CRS.from_user_input(crs)
        except Exception:
            raise ImportFormatError(f"{name}: its coordinate system ({str(crs)[:60]}) is not one this app knows") \
                from None
        if source.equals("EPSG:4326") or source.equals("OGC:CRS84"):
            return
        try:
            transformer = pyproj.Transformer.from_crs(source, "EPSG:4326", always_xy=True)
            self.x, self.y = (np.asarray(v, dtype=float) for v in transformer.transform(self.x, self.y))
            if self.multis:
                self.multis = list(shapely.transform(np.array(self.multis, dtype=object),
                                                     lambda xy: np.column_stack(transformer.transform(*xy.T))))
        except Exception:
            raise ImportFormatError(f"{name}: its coordinate system ({source.name}) cannot be converted to "
                                    "longitude/latitude") from None

    def rows(self, attributes: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, pd.Series]:
        n = len(attributes)
        kinds, empty, x, y = self.kinds, self.empty, self.x, self.y
        feature, part_no = np.arange(1, n + 1), np.ones(n, dtype=np.int64)
        attributes = attributes.reset_index(drop=True)
        if len(self.multi_rows):  # one row per point of a MultiPoint; its id (if any) gets "-1", "-2", ...
            parts = np.ones(n, dtype=np.int64)
            parts[self.multi_rows] = np.maximum(shapely.get_num_geometries(np.array(self.multis, dtype=object)), 1)
            repeat = np.repeat(np.arange(n), parts)
            part_no = np.arange(len(repeat)) - np.repeat(np.cumsum(parts) - parts, parts) + 1
            split = np.repeat(parts > 1, parts)
            members = np.repeat((kinds == _MULTIPOINT) & ~empty, parts)
            points = shapely.get_parts(np.array(self.multis, dtype=object))
            attributes = attributes.iloc[repeat].reset_index(drop=True)  # copies every column: only for these
            feature, kinds, empty, x, y = feature[repeat], kinds[repeat], empty[repeat], x[repeat], y[repeat]
            kinds[members], empty[members] = _POINT, shapely.is_empty(points)
            x[members], y[members] = shapely.get_x(points), shapely.get_y(points)
            if "id" in attributes:
                ids = attributes["id"].astype("string")
                attributes.loc[split, "id"] = ids[split] + "-" + pd.Series(part_no, dtype="string")[split]
        is_point = (kinds == _POINT) & ~empty
        attributes["lat"] = _coordinate(y, is_point)
        attributes["lon"] = _coordinate(x, is_point)
        error = pd.Series("", index=attributes.index, dtype=object)
        error[empty] = "the feature has no geometry"
        other = ~is_point & ~empty
        if other.any():
            names = pd.Series(kinds[other]).map(_TYPE_NAMES).fillna("a non-point geometry")
            error[other] = ("is a " + names + "; only points can be mapped (convert areas or lines to points in "
                            "your GIS first)").to_numpy()
        return attributes, feature, error


_TYPE_NAMES = {1: "LineString", 2: "LinearRing", 3: "Polygon", 5: "MultiLineString", 6: "MultiPolygon",
               7: "GeometryCollection"}


def _coordinate(values: np.ndarray, keep: np.ndarray) -> pd.Series:
    """Shortest text that reads back to the same float ("" where not a point), made by Arrow: no Python object
    per row."""
    import pyarrow.compute as pc

    text = pc.if_else(pa.array(keep), pc.cast(pa.array(values, type=pa.float64()), pa.string()), "")
    return pd.Series(pd.arrays.ArrowStringArray(text), dtype="string")


def _as_text(values: pd.Series) -> pd.Series:
    if isinstance(values.dtype, pd.StringDtype):
        return values.fillna("")
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").fillna("").astype("string")
    if pd.api.types.is_float_dtype(values):
        whole = values.notna() & (values % 1 == 0) & values.abs().lt(2**53)
        text = values.astype(str).where(~whole, values.where(whole, 0).astype("int64").astype(str))
        return text.where(values.notna(), "").astype("string")
    return values.astype("string").fillna("")

"""GeoJSON and GeoPackage through OGR (pyogrio): points become rows, MultiPoints one row per point.

Lines and polygons are refused row by row: a representative point of an area would claim a place the source
does not name, and the map's distances and precisions would then be invented.
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pandas as pd
import shapely

from ._text import MAX_ROWS, ImportFormatError

_POINT, _MULTIPOINT = 0, 4


def is_geopackage(data: bytes) -> bool:
    return data.startswith(b"SQLite format 3\x00")


def read_vector(data: bytes, name: str, what: str) -> tuple[pd.DataFrame, np.ndarray, pd.Series]:
    """Attributes as strings plus ``lat``/``lon``, the feature number of each row, and a geometry error per row.

    ``what`` ("GeoJSON" or "GeoPackage") is used in messages. OGR's own messages name temporary in-memory paths
    and SQL, so they are never passed on.
    """
    import pyogrio  # the vector engine geopandas uses; imported here so CSV-only use never loads GDAL

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # OGR warns about odd but readable files; the report covers them
            info = pyogrio.read_info(io.BytesIO(data))
            if info.get("features", 0) > MAX_ROWS:
                raise ImportFormatError(f"{name}: {info['features']:,} features is over the limit of "
                                        f"{MAX_ROWS:,} per file")
            try:  # Arrow's stream is ~5x faster for large layers and keeps text Arrow-backed
                frame = pyogrio.read_dataframe(io.BytesIO(data), use_arrow=True)
            except Exception:  # an older GDAL without the Arrow stream, or a layer it cannot stream
                frame = pyogrio.read_dataframe(io.BytesIO(data))
    except ImportFormatError:
        raise
    except Exception:  # pyogrio/GDAL raise many error types, with internal paths in their text
        raise ImportFormatError(f"{name}: not a readable {what} file (no layer of features could be read)") from None
    if frame.crs is not None and not frame.crs.equals("EPSG:4326"):
        try:
            frame = frame.to_crs("EPSG:4326")
        except Exception:
            raise ImportFormatError(f"{name}: its coordinate system ({frame.crs.name}) cannot be converted to "
                                    "longitude/latitude") from None
    geometry = np.asarray(frame.geometry.values)
    attributes = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    for column in attributes.columns:
        attributes[column] = _as_text(attributes[column])
    kinds = shapely.get_type_id(geometry)
    feature = np.arange(1, len(frame) + 1)

    # One row per point of a MultiPoint; its id (if any) gets "-1", "-2", ... so rows stay distinct.
    parts = np.where(kinds == _MULTIPOINT, shapely.get_num_geometries(geometry), 1)
    multi = np.repeat(kinds == _MULTIPOINT, parts)
    if multi.any():  # only then are rows repeated (a copy of every column); a file of points is used as read
        repeat = np.repeat(np.arange(len(frame)), parts)
        attributes = attributes.iloc[repeat].reset_index(drop=True)
        feature = feature[repeat]
        part_no = np.concatenate([np.arange(1, p + 1) for p in parts])
        points = geometry[repeat]
        points = np.where(multi, shapely.get_geometry(points, part_no - 1), points)
    else:
        attributes, points, part_no = attributes.reset_index(drop=True), geometry, np.ones(len(frame), dtype=int)
    if "id" in attributes and multi.any():
        ids = attributes["id"].astype("string")
        split = multi & np.repeat(parts > 1, parts)
        attributes.loc[split, "id"] = ids[split] + "-" + pd.Series(part_no, dtype="string")[split]

    kinds = shapely.get_type_id(points)
    empty = shapely.is_empty(points) | (kinds < 0)
    is_point = (kinds == _POINT) & ~empty
    attributes["lat"] = _coordinate(shapely.get_y(points), is_point)
    attributes["lon"] = _coordinate(shapely.get_x(points), is_point)
    error = pd.Series("", index=attributes.index, dtype=object)
    error[empty] = "the feature has no geometry"
    other = ~is_point & ~empty
    if other.any():
        names = pd.Series(shapely.get_type_id(points[other])).map(_TYPE_NAMES).fillna("a non-point geometry")
        error[other] = ("is a " + names + "; only points can be mapped (convert areas or lines to points in your "
                        "GIS first)").to_numpy()
    return attributes, feature, error


_TYPE_NAMES = {1: "LineString", 2: "LinearRing", 3: "Polygon", 5: "MultiLineString", 6: "MultiPolygon",
               7: "GeometryCollection"}


def _coordinate(values: np.ndarray, keep: np.ndarray) -> pd.Series:
    text = pd.Series(values, dtype="float64").astype(str)  # shortest text that reads back to the same float
    return text.where(keep, "").astype("string")


def _as_text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").fillna("").astype("string")
    if pd.api.types.is_float_dtype(values):
        whole = values.notna() & (values % 1 == 0) & values.abs().lt(2**53)
        text = values.astype(str).where(~whole, values.where(whole, 0).astype("int64").astype(str))
        return text.where(values.notna(), "").astype("string")
    return values.astype("string").fillna("")

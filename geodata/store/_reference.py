"""The reference the database's own rules measure against (migration 0006): the border, the provinces and the
shipped crossings, copied from the package's files into ``ref_border``, ``ref_provinces`` and ``ref_crossings``.

They are the same geometries :func:`geodata.events.enrich` uses, in the same projected CRS (UTM 41N, transformed
here by pyproj as enrich does), so a row derived by the database's trigger matches one derived in Python.
"""

from __future__ import annotations

import numpy as np
import shapely

from ..boundaries import load_border, load_provinces
from ..events import _crossing_points, _shipped_crossings
from ..models import METRIC_CRS

_TABLES = ("ref_border", "ref_provinces", "ref_crossings")


def _segments(line) -> list[bytes]:
    out = []
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        out.extend(shapely.to_wkb(shapely.linestrings(np.stack([xy[:-1], xy[1:]], axis=1))))
    return out


def fill_reference(conn) -> bool:
    """Fill the reference tables when they are empty (a new store, or one just migrated); True if filled.

    ``conn`` is an open psycopg connection; one transaction.
    """
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("SELECT to_regclass('ref_border') IS NOT NULL")
        if not cur.fetchone()[0]:
            return False
        cur.execute("SELECT (SELECT count(*) FROM ref_border) + (SELECT count(*) FROM ref_provinces)")
        if cur.fetchone()[0]:
            return False
        border = load_border().to_crs(METRIC_CRS).geometry.iloc[0]
        cur.executemany("INSERT INTO ref_border (segment, geom) VALUES (%s, ST_GeomFromWKB(%s, 32641))",
                        list(enumerate(_segments(border))))
        provinces = load_provinces()
        metric = provinces.to_crs(METRIC_CRS)
        cur.executemany(
            "INSERT INTO ref_provinces (ord, iso_code, country, geom, geom_metric) "
            "VALUES (%s, %s, %s, ST_GeomFromWKB(%s, 4326), ST_GeomFromWKB(%s, 32641))",
            [(i, str(code), str(country), shapely.to_wkb(geom), shapely.to_wkb(geom_m))
             for i, (code, country, geom, geom_m) in enumerate(zip(provinces["iso_code"], provinces["country"],
                                                                    provinces.geometry, metric.geometry))])
        crossings = _shipped_crossings()
        points = _crossing_points(crossings)
        cur.executemany("INSERT INTO ref_crossings (ord, id, geom) VALUES (%s, %s, ST_GeomFromWKB(%s, 32641))",
                        [(i, c[0], shapely.to_wkb(p)) for i, (c, p) in enumerate(zip(crossings, points))])
    return True

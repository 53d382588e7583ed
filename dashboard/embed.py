"""Putting values into the map's script safely: JSON that cannot close or confuse a <script> block or reach branca's
template engine, and a script element that branca never re-parses as a template."""

from __future__ import annotations

import json

from branca.element import Element, MacroElement
from jinja2 import Template


def script_json(value) -> str:
    """JSON safe to embed inside a <script> block and to pass through branca.

    No '</script>' or '<!--' can close or confuse the block, and no '{{', '{%' or '{#' survives inside a string:
    branca re-parses every element's script output as a Jinja template, so data text with template syntax would
    otherwise be executed on the server.
    """
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        for raw, escaped in _SCRIPT_ESCAPES:
            text = text.replace(raw, escaped)
        return text
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(script_json(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{script_json(str(k))}:{script_json(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


_SCRIPT_ESCAPES = (
    ("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("{", "\\u007b"), ("}", "\\u007d"),
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
)


class RawScript(Element):
    """Script text added to the page as is: never parsed as a template (and no 10 MB Jinja lexing per rerun)."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class BrowserCall(MacroElement):
    """An element whose whole script is one call into our browser code with a JSON ``config``.

    A folium page takes each element's script from ``render``, which adds it raw (branca would otherwise re-parse it
    as a Jinja template). Subclasses say which function to call on which map in ``script_text``.
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text() }}{% endmacro %}")

    def __init__(self, name: str, config: dict):
        super().__init__()
        self._name = name
        self.config = config

    def script_text(self) -> str:  # pragma: no cover - subclasses say what to call
        raise NotImplementedError

    def call(self, function: str, map_name: str) -> str:
        return f"window.BD.{function}({map_name}, {script_json(self.config)});"

    def render(self, **kwargs):
        self.get_root().script.add_child(RawScript(self.script_text()), name=self.get_name())

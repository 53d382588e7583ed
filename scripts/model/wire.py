"""What travels between the page and the app, read so that a driver can wait for "the app has answered everything
the page asked" instead of sleeping.

Three sources, each recorded where it happens:

* the app's websocket, decoded with Streamlit's own protobufs: every rerun the browser asks for (with the value
  the map component reported in it), every end of a script run, and the arguments the app last handed the map
  component (``center``, ``zoom``, ``key``, ``feature_group``);
* the main page (an init script): the last value the map's frame posted to Streamlit (``setComponentValue``),
  which becomes a rerun request a moment later;
* the map's frame (the same init script): the last render arguments it received.

The map component reports its view when a move ends (component.js), so "settled" also needs the
view the map last reported to be the view it shows; see :data:`MAP_IDLE_JS`.
"""

from __future__ import annotations

import base64
import json
import time

from google.protobuf.message import DecodeError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.page_style import MAP_COMPONENT_SUFFIX

RENDERED_ARGS = ("view", "base", "layer")

_STATUS = ForwardMsg.ScriptFinishedStatus
SUCCESS = {_STATUS.Value("FINISHED_SUCCESSFULLY"), _STATUS.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")}

#: Runs first in every frame of the page: the top page notes what the map component posts to Streamlit, the
#: map's frame notes the render arguments it receives. JSON strings only: nothing here runs data as code.
INIT_JS = """
(() => {
  if (window === window.top) {
    // Per map frame: a map being replaced (a new basemap) can still post, and Streamlit ignores it.
    const posted = new WeakMap(), trail = [];
    window.addEventListener('message', (event) => {
      const d = event.data, frame = event.source && event.source.frameElement;
      if (frame && d && d.isStreamlitMessage) {
        // What the frames said, for a report that something never reached the app (the last 12 messages).
        trail.push([Math.round(performance.now()), d.type.replace('streamlit:', ''), frame.isConnected,
                    d.value ? Object.keys(d.value).filter((k) => k.startsWith('bd_')).join('+') : '']);
        if (trail.length > 12) { trail.shift(); }
      }
      if (frame && d && d.isStreamlitMessage && d.type === 'streamlit:setComponentValue') {
        posted.set(frame, JSON.stringify(d.value));
      }
    });
    window.__mdlPosted = (selector) => {
      const frames = document.querySelectorAll(selector);
      return {frames: frames.length, value: frames.length === 1 ? (posted.get(frames[0]) || null) : null};
    };
    // What the page itself handed its websockets (time, bytes), to tell a frame never sent from one not seen.
    const sends = [], send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
      let b64 = '';
      if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
        const bytes = data instanceof ArrayBuffer ? new Uint8Array(data)
          : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        let bin = '';
        for (let i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
        b64 = btoa(bin);
      }
      sends.push([Math.round(performance.now()), data && (data.byteLength || data.length || data.size) || 0, b64]);
      if (sends.length > 12) { sends.shift(); }
      return send.call(this, data);
    };
    window.__mdlTrail = () => ({now: Math.round(performance.now()), trail: trail.slice(), sends: sends.slice()});
  } else {
    window.addEventListener('message', (event) => {
      const d = event.data;
      if (d && d.type === 'streamlit:render' && d.args && 'layer' in d.args) {
        const keys = ['view', 'base', 'layer'];  // RENDERED_ARGS
        window.__mdlRender = JSON.stringify(keys.map((k) => [k, d.args[k] === undefined ? null : d.args[k]]));
      }
    });
  }
})();
"""

#: In the map's frame, with the render arguments the app sent last: why the map is not at rest yet ('' once it has
#: been handed them, has drawn them (data-events-ready="1"), is not animating, and has reported the view it shows
#: to within a pixel).
MAP_BUSY_JS = """(expected) => {
  const m = window.map, reported = window.BD && window.BD.reported;
  if (!m || !reported || !m.getContainer) { return 'no map yet'; }
  if (expected !== null && window.__mdlRender !== JSON.stringify(JSON.parse(expected))) {
    return "not yet handed the app's last answer";
  }
  const c = m.getContainer();
  if (c.getAttribute('data-events-ready') !== '1') { return 'data-events-ready is not 1'; }
  if (m._animatingZoom || (m._panAnim && m._panAnim._inProgress)) { return 'animating'; }
  const p = reported();
  if (!p || !p.center || !p.bounds) { return 'no view reported yet'; }
  if (p.zoom !== m.getZoom()) { return 'the reported zoom is not the zoom shown'; }
  const z = m.getZoom(), near = (a, b) => m.project(a, z).distanceTo(m.project(b, z)) < 1;
  const b = m.getBounds(), sw = [p.bounds.south, p.bounds.west], ne = [p.bounds.north, p.bounds.east];
  if (!near(p.center, m.getCenter()) || !near(sw, b.getSouthWest()) || !near(ne, b.getNorthEast())) {
    return 'the reported view is not the view shown';
  }
  return '';
}"""
MAP_IDLE_JS = "(expected) => !(" + MAP_BUSY_JS + ")(expected)"


class Wire:
    """The app's websocket as an ordered log: ``("rerun", [JSON widget values], when)``, ``("finished", status, when)``."""

    def __init__(self, page):
        self.log: list[tuple] = []
        self.args: dict | None = None  # the render arguments last sent to the map component (RENDERED_ARGS)
        self._by_hash: dict[str, dict] = {}
        self.ws = None
        self.sockets = 0  # websockets the page has opened (a reload or a reconnection opens another)
        page.on("websocket", self._attach)

    def _attach(self, ws) -> None:
        if ws.url.endswith("/_stcore/stream"):
            self.ws = ws  # a navigation opens a new session: what the old one said no longer counts
            self.sockets += 1
            self.log = []
            self.args = None
            ws.on("framesent", self._sent)
            ws.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        if isinstance(payload, str):
            return
        msg = BackMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") != "rerun_script":
            return
        values = []  # the JSON widget values: the map component's is the one the page noted as posted
        for widget in msg.rerun_script.widget_states.widgets:
            if widget.WhichOneof("value") == "json_value":
                try:
                    values.append(json.loads(widget.json_value))
                except ValueError:
                    pass
        self.log.append(("rerun", values, time.monotonic()))

    def _received(self, payload) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if (element.WhichOneof("type") == "component_instance"
                    and element.component_instance.component_name.endswith(MAP_COMPONENT_SUFFIX)):
                args = json.loads(element.component_instance.json_args)
                self.args = {k: args.get(k) for k in RENDERED_ARGS}
                if msg.hash:
                    self._by_hash[msg.hash] = self.args
        elif kind == "ref_hash" and msg.ref_hash in self._by_hash:
            self.args = self._by_hash[msg.ref_hash]
        elif kind == "script_finished":
            self.log.append(("finished", msg.script_finished, time.monotonic()))

    # ------------------------------------------------------------------------------------------ questions

    def tail(self, n: int = 6) -> str:
        """The last ``n`` entries, oldest first, with how long ago each was (for a report)."""
        now = time.monotonic()
        words = []
        for kind, what, at in self.log[-n:]:
            if kind == "finished":
                what = _STATUS.Name(what).lower()
            else:
                what = "+".join(sorted(k for v in what if isinstance(v, dict) for k in v if k.startswith("bd_"))) or "-"
            words.append(f"{kind} {what} {now - at:.1f} s ago")
        return f"(socket {self.sockets}) " + ("; ".join(words) or "empty")

    def unsent(self, posted: str | None) -> str:
        """How the value ``posted`` differs from the map's value in the last rerun sent (for a report)."""
        if posted is None:
            return ""
        value = json.loads(posted)
        sent = [v for e in self.log if e[0] == "rerun" for v in e[1] if isinstance(v, dict) and "center" in v]
        if not sent:
            return "no rerun has carried a map value"
        last = sent[-1]
        keys = sorted(k for k in set(value) | set(last) if value.get(k) != last.get(k))
        return "; ".join(f"{k}: posted {json.dumps(value.get(k))[:90]} sent {json.dumps(last.get(k))[:90]}"
                         for k in keys)

    @staticmethod
    def carries(frame_b64: str, posted: str | None) -> bool:
        """Whether a frame the page itself sent (base64, from INIT_JS) is a rerun carrying the value ``posted``."""
        if not frame_b64 or posted is None:
            return False
        msg = BackMsg()
        try:
            msg.ParseFromString(base64.b64decode(frame_b64))
        except (DecodeError, ValueError):  # a frame it cannot read carries nothing it knows
            return False
        if msg.WhichOneof("type") != "rerun_script":
            return False
        value = json.loads(posted)
        return any(w.WhichOneof("value") == "json_value" and json.loads(w.json_value) == value
                   for w in msg.rerun_script.widget_states.widgets)

    def expected_render(self) -> str | None:
        """The render arguments as the map's frame notes them (INIT_JS), or None before the app sent any."""
        if self.args is None:
            return None
        return json.dumps([[k, self.args[k]] for k in RENDERED_ARGS], separators=(",", ":"), ensure_ascii=False)

    def has_sent(self, posted: str | None) -> bool:
        """Whether the map component's value ``posted`` (JSON, as the page noted it) has gone out in a rerun."""
        if posted is None:
            return True
        value = json.loads(posted)
        return any(e[0] == "rerun" and value in e[1] for e in self.log)

    def answered(self) -> bool:
        """Every rerun asked for has been run to the end: the last run after the last request succeeded."""
        last = max((i for i, e in enumerate(self.log) if e[0] == "rerun"), default=-1)
        finished = [e[1] for e in self.log[last + 1:] if e[0] == "finished"]
        return bool(finished) and finished[-1] in SUCCESS

    def mark(self) -> tuple:
        """A point in the log, to ask later whether a rerun was requested after it."""
        return (self.ws, len(self.log))

    def rerun_since(self, mark: tuple) -> bool:
        ws, n = mark
        return ws is not self.ws or any(e[0] == "rerun" for e in self.log[n:])

    def reruns_since(self, mark: tuple) -> int:
        ws, n = mark
        return sum(e[0] == "rerun" for e in (self.log[n:] if ws is self.ws else self.log))

    def wait_rerun_since(self, mark: tuple, timeout_ms: float) -> None:
        if not self.rerun_since(mark):
            self.ws.wait_for_event("framesent", predicate=lambda _p: self.rerun_since(mark), timeout=timeout_ms)

    def failed_runs(self) -> list[int]:
        return [e[1] for e in self.log if e[0] == "finished" and e[1] not in SUCCESS
                and e[1] != _STATUS.Value("FINISHED_EARLY_FOR_RERUN")]

    def wait_sent(self, posted: str, timeout_ms: float) -> None:
        if not self.has_sent(posted):
            self.ws.wait_for_event("framesent", predicate=lambda _p: self.has_sent(posted), timeout=timeout_ms)

    def wait_answered(self, timeout_ms: float) -> None:
        if not self.answered():
            self.ws.wait_for_event("framereceived", predicate=lambda _p: self.answered(), timeout=timeout_ms)

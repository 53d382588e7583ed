"""Where a user can click on the map, and a small file a user can upload.

The events are drawn on one canvas (no element per event). The map publishes how many stacks and clusters it drew
(``data-events-stacks``, ``data-events-clusters``); to aim at one, the events layer (``map.__bdEvents``) is asked
which of its drawn symbols a click at a point would hit — the same hit test a click uses. A point counts only if a
user could click it there: inside the map, not under a control (legend, playback, zoom) or a popup.
"""

from __future__ import annotations

import csv
import io
import random
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED_EVENTS = ROOT / "geodata" / "data" / "events.csv"
UPLOAD_ID_PREFIX = "model-"  # every uploaded row's id starts with it (ids are model-<seed>-<upload>-<row>)

#: In the map frame: [x, y, n] of stacks (n > 1 symbols under the point), clusters (n < 0: -members) and single
#: events (n == 1), in container pixels, each at most once per 4-pixel cell, in a fixed order.
_TARGETS_JS = """() => {
  const m = window.map, v = m && m.__bdEvents;
  if (!v || !v.drawnPoints || !v.frame || v.map.getContainer().getAttribute('data-events-ready') !== '1') { return []; }
  const d = v.drawnPoints, f = v.frame, size = m.getSize(), out = [], seen = new Set();
  const clickable = (x, y) => {
    if (x < 12 || y < 12 || x > size.x - 12 || y > size.y - 12) { return false; }
    const box = m.getContainer().getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + x, box.top + y);
    return !!hit && !hit.closest('.leaflet-control, .leaflet-popup, .leaflet-control-container');
  };
  const add = (x, y, n) => {
    const key = Math.round(x / 4) + ',' + Math.round(y / 4);
    if (seen.has(key) || !clickable(x, y)) { return; }
    seen.add(key);
    out.push([Math.round(x), Math.round(y), n]);
  };
  d.grid.forEach((list) => list.forEach((p) => {
    const x = d.xs[p] - f.padX, y = d.ys[p] - f.padY;
    if (d.idx[p] < 0) { add(x, y, -v.clusters[-1 - d.idx[p]].members.length); return; }
    const hits = v.hitTest({x: Math.round(x), y: Math.round(y)});
    if (hits.length && hits.every((h) => h >= 0)) { add(Math.round(x), Math.round(y), hits.length); }
  }));
  return out.sort((a, b) => a[1] - b[1] || a[0] - b[0] || a[2] - b[2]);
}"""


def click_targets(frame) -> dict[str, list[tuple]]:
    """{"stacks": [(x, y, n)] with n > 1 for a stack, n < 0 for a cluster of -n; "points": [(x, y)]}."""
    found = frame.evaluate(_TARGETS_JS)
    return {"stacks": [tuple(t) for t in found if t[2] != 1], "points": [(t[0], t[1]) for t in found if t[2] == 1]}


#: In the map frame: what a click on an element would hit instead of it (null when it reaches it), at the centre
#: of its first line box (a wrapped link's box centre can fall between its lines). An element scrolled out of a
#: scrolling box (a long list, a popup given less height than its content) counts when that box is reachable: a
#: click scrolls the box to it, as a user does.
_REACHED_JS = """
  const scrollers = (el) => {
    const out = [];
    for (let a = el.parentElement; a && !a.classList.contains('leaflet-popup'); a = a.parentElement) {
      const y = getComputedStyle(a).overflowY;
      if ((y === 'auto' || y === 'scroll') && a.scrollHeight > a.clientHeight) { out.push(a); }
    }
    return out;
  };
  const reached = (el) => {
    const b = el.getClientRects()[0] || el.getBoundingClientRect(), y = b.top + b.height / 2;
    for (const box of scrollers(el)) {  // innermost first
      const s = box.getBoundingClientRect();
      if (y <= s.top || y >= s.bottom) { return reached(box); }
    }
    return blocker(el);
  };
  const blocker = (el) => {
    const b = el.getClientRects()[0] || el.getBoundingClientRect();
    const h = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
    if (h && (h === el || el.contains(h))) { return null; }
    return h ? (h.closest('.leaflet-control') || h).className || h.tagName : 'nothing: outside the map';
  };
"""

#: In the map frame, for the newest popup (Leaflet fades a replaced one out): [index, text] of the enabled elements
#: matching a selector that a click would reach (not under a control, not outside the map).
_REACHABLE_JS = """(sel) => {""" + _REACHED_JS + """
  const popups = document.querySelectorAll('.leaflet-popup');
  if (!popups.length) { return []; }
  return Array.from(popups[popups.length - 1].querySelectorAll(sel))
    .map((el, i) => [i, el.textContent.trim(), !el.disabled && reached(el) === null])
    .filter((t) => t[2]).map((t) => [t[0], t[1]]);
}"""

#: In the map frame: why the newest popup cannot be used where it opened ([] when it can): it must lie inside the
#: map, and its ×, list entries, page buttons, way back and source link must be reachable by a click.
_POPUP_USABLE_JS = """() => {""" + _REACHED_JS + """
  const popups = document.querySelectorAll('.leaflet-popup');
  if (!popups.length) { return []; }
  const p = popups[popups.length - 1], out = [];
  const m = document.querySelector('.leaflet-container').getBoundingClientRect(), r = p.getBoundingClientRect();
  if (r.top < m.top - 1 || r.left < m.left - 1 || r.right > m.right + 1 || r.bottom > m.bottom + 1) {
    out.push('the popup (' + Math.round(r.width) + '×' + Math.round(r.height) + ' px) does not fit in the map (' +
             Math.round(m.width) + '×' + Math.round(m.height) + ' px)');
  }
  p.querySelectorAll('.leaflet-popup-close-button, .bd-stack-nav button, .bd-back, .bd-source a, .bd-stack-item')
    .forEach((el) => {
      const under = reached(el);
      if (under !== null) {
        const name = el.classList.contains('leaflet-popup-close-button')
          ? 'its ×' : JSON.stringify(el.textContent.trim().slice(0, 30));
        out.push(name + ' is under ' + under);
      }
    });
  return out.slice(0, 4);
}"""


def reachable(frame, selector: str) -> list[tuple[int, str]]:
    """(index, text) of the newest popup's elements matching ``selector`` that a user can click."""
    return [tuple(t) for t in frame.evaluate(_REACHABLE_JS, selector)]


def popup_unusable(frame) -> list[str]:
    """Why the newest popup cannot be used as it opened ([] when it can, or when there is none)."""
    return frame.evaluate(_POPUP_USABLE_JS)


@lru_cache(maxsize=1)
def _incidents() -> tuple[list[str], tuple[dict, ...]]:
    with SHIPPED_EVENTS.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = tuple(r for r in reader if r["date"])  # dated rows: places without a date are not incidents
        return list(reader.fieldnames or ()), rows


def upload_csv(rng: random.Random, n: int, id_prefix: str) -> bytes:
    """``n`` rows of the shipped events (our own columns) under new ids: a file the app must add as the user's."""
    columns, rows = _incidents()
    picked = rng.sample(range(len(rows)), n)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for i, k in enumerate(picked):
        writer.writerow({**rows[k], "id": f"{id_prefix}-{i}"})
    return out.getvalue().encode("utf-8")

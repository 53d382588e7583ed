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

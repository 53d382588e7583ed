"""What a fresh interpreter has imported after each step of the app's and the core's imports, from ONE child
interpreter per test run (each start costs ~1.5 s of imports), shared by the "X does not import Y" tests.

The steps run in order in the same interpreter, so a snapshot also holds what earlier steps imported: a module
absent from a later snapshot was imported by no step up to it, which is what each test asserts.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: step name -> the code it runs (in order).
STEPS = {
    "core": "import geodata; geodata.load_events(); geodata.load_provinces()",
    "store": "import geodata.store, geodata.store.cli",
    "codec": "import dashboard.query_codec, dashboard.text",
    "page": ("from dashboard import actors_panel, cache, compare_panel, crossings_panel, exports_panel, "
             "map_component, map_view, panels, sidebar, state, team_data, timeline_panel, user_data, assets; "
             "assets.component_files()"),
}


@functools.cache
def _snapshots() -> dict[str, frozenset[str]]:
    lines = ["import json, sys", "sys.path.insert(0, '.')", "out = {}"]
    for name, code in STEPS.items():
        lines += [code, f"out[{name!r}] = sorted({{m.split('.')[0] for m in sys.modules}})"]
    lines.append("print(json.dumps(out))")
    done = subprocess.run([sys.executable, "-c", "\n".join(lines)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return {name: frozenset(mods) for name, mods in json.loads(done.stdout.strip().splitlines()[-1]).items()}


def imported_after(step: str, among) -> list[str]:
    """Which of the top-level packages ``among`` a fresh interpreter holds after ``step`` (and the steps before)."""
    return sorted(_snapshots()[step] & set(among))

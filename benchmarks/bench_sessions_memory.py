"""Memory per session (issue #26, deliver 5): does the server return to its level once sessions have ended?

    python benchmarks/bench_sessions_memory.py                 # 100,000-event file, 8 sessions, a ~195 MB upload
    python benchmarks/bench_sessions_memory.py --upload-rows 0 # the sessions only
    python benchmarks/bench_sessions_memory.py --app-root DIR  # another checkout's app (a "before")
    python benchmarks/bench_sessions_memory.py --ttl 5         # a shorter server.disconnectedSessionTTL

A real ``streamlit run`` on a synthetic 100,000-event file (``synthetic.py``, through ``BORDER_DASHBOARD_EVENTS``)
and Debian Chromium:

1. one tab opens the page and stays open throughout (the data is loaded; the server's memory with it is the
   level *before* the sessions);
2. eight more tabs (one browser context each) open the page at once, each until its map is drawn; then all eight
   close. After ``server.disconnectedSessionTTL`` (the repository's ``.streamlit/config.toml``, or ``--ttl``) and
   a few seconds, the server's memory is read again: the target is within 50 MB of the level before;
3. a tab uploads a ~195 MB CSV (405,000 synthetic rows with their own ids) through the sidebar's uploader, waits
   until the map has drawn them, and closes without removing the file; read again after the TTL.

Nothing else happens on the server after a tab closes (no other tab closes later): Streamlit's store of closed
sessions drops an expired one only when it next changes, so a server whose last tab closed kept it until then.

The server's resident memory (``VmRSS``) is sampled every 10 ms; ``/proc/PID/smaps_rollup`` splits it into
anonymous memory (the heaps: Python objects, Arrow buffers, NumPy arrays) and file-backed pages (libraries,
mapped files). No assertions: it prints what it measured and the gap to the target.
"""

from __future__ import annotations

import argparse
import platform
import re
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from playwright.sync_api import expect, sync_playwright

from benchmarks.bench_upload import Memory, settle
from benchmarks.synthetic import synthetic_table
from scripts.browser import MAP_FRAME, OffHostLog, chromium, new_page, streamlit_process

MB = 1e6
TIMEOUT = 600_000
TARGET_MB = 50
STREAMLIT_DEFAULT_TTL = 120  # Streamlit's own default for server.disconnectedSessionTTL
_FILLER = "Local sources reported further details of the incident. "


def configured_ttl() -> int:
    """server.disconnectedSessionTTL as the repository's .streamlit/config.toml sets it (else Streamlit's default)."""
    path = REPO_ROOT / ".streamlit" / "config.toml"
    config = tomllib.loads(path.read_text()) if path.exists() else {}
    return int(config.get("server", {}).get("disconnectedSessionTTL", STREAMLIT_DEFAULT_TTL))


def breakdown(pid: int) -> str:
    """Resident memory by kind, from smaps_rollup (MB)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        match = re.match(r"(\w+):\s+(\d+) kB", line)
        if match:
            fields[match[1]] = int(match[2]) * 1024 / MB
    file_backed = fields.get("Rss", 0) - fields.get("Anonymous", 0)
    return f"anonymous {fields.get('Anonymous', 0):.0f} MB, file-backed {file_backed:.0f} MB"


def map_of(page):
    return page.frame_locator(MAP_FRAME).locator(".leaflet-container")


def ready(page, drawn: int | None = None, not_drawn: int | None = None) -> int:
    """Wait until the page's run has finished and its map has drawn (``drawn`` events, or not ``not_drawn``)."""
    container = map_of(page)
    if drawn is not None:
        expect(container).to_have_attribute("data-events-drawn", str(drawn), timeout=TIMEOUT)
    if not_drawn is not None:
        expect(container).not_to_have_attribute("data-events-drawn", str(not_drawn), timeout=TIMEOUT)
    expect(container).to_have_attribute("data-events-ready", "1", timeout=TIMEOUT)
    expect(page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_be_attached(timeout=TIMEOUT)
    return int(container.get_attribute("data-events-drawn"))


def after_ttl(memory: Memory, ttl: int) -> float:
    time.sleep(ttl + 2)  # Streamlit's own expiry delay for a closed tab's session, not a wait on the page
    return settle(memory)


def line(label: str, value: float, base: float, pid: int, target: bool = False) -> None:
    gap = value - base
    met = "met" if gap <= TARGET_MB else f"{gap - TARGET_MB:.0f} MB over"
    verdict = f" · target <= +{TARGET_MB}: {met}" if target else ""
    print(f"{label}: {value:.0f} MB ({gap:+.0f}; {breakdown(pid)}){verdict}", flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000, help="events in the server's file")
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--upload-rows", type=int, default=405_000, help="rows of the uploaded CSV (0: no upload)")
    parser.add_argument("--upload-mb", type=float, default=195, help="size of the uploaded CSV")
    parser.add_argument("--app-root", type=Path, help="another checkout whose dashboard/app.py to run")
    parser.add_argument("--ttl", type=int, default=None, help="server.disconnectedSessionTTL (default: config.toml)")
    args = parser.parse_args(argv)
    ttl = configured_ttl() if args.ttl is None else args.ttl
    print(f"# bench_sessions_memory {time.strftime('%Y-%m-%d %H:%M')} · Python {platform.python_version()} · "
          f"load average {Path('/proc/loadavg').read_text().split()[0]} · disconnectedSessionTTL {ttl} s")
    with tempfile.TemporaryDirectory() as tmp:
        events_path = Path(tmp) / f"events-{args.rows}.csv"
        synthetic_table(args.rows).to_csv(events_path, index=False)
        upload_path = Path(tmp) / f"upload-{args.upload_rows}.csv"
        if args.upload_rows:
            table = synthetic_table(args.upload_rows, seed=7)
            table["id"] = "upload-" + table["id"]  # an analyst's own rows, not the server file's again
            table.to_csv(upload_path, index=False)
            # Longer notes, as in the file (195 MB for 405,000 rows; the synthetic notes are shorter).
            pad = max(0, int(args.upload_mb * MB - upload_path.stat().st_size) // args.upload_rows)
            if pad:
                table["description"] += " " + (_FILLER * (pad // len(_FILLER) + 1))[:pad - 1]
                table.to_csv(upload_path, index=False)
            del table
        print(f"server file: {events_path.stat().st_size / MB:.0f} MB, {args.rows:,} events", flush=True)

        script = args.app_root / "dashboard" / "app.py" if args.app_root else None
        env = {"STREAMLIT_LOGGER_LEVEL": "error", "BORDER_DASHBOARD_EVENTS": str(events_path)}
        if args.ttl is not None:
            env["STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL"] = str(args.ttl)
        with streamlit_process(env=env, timeout=TIMEOUT / 1000, script=script) as (url, proc), \
                sync_playwright() as p, chromium(p) as browser:
            memory = Memory(proc.pid)
            log = OffHostLog()
            anchor = new_page(browser, log)
            anchor.goto(f"{url}/?basemap=none")
            shown = ready(anchor)
            base = settle(memory)
            line(f"one tab open, {shown:,} events drawn (the level before)", base, base, proc.pid)

            memory.mark()
            pages = [new_page(browser, log) for _ in range(args.sessions)]
            for page in pages:
                page.goto(f"{url}/?basemap=none", wait_until="commit")
            for page in pages:
                ready(page, drawn=shown)
            peak = memory.peak()
            during = settle(memory)
            print(f"{args.sessions} more tabs drew the map: peak {peak:.0f} MB ({peak - base:+.0f})", flush=True)
            line(f"{args.sessions} more tabs open", during, base, proc.pid)
            for page in pages:
                page.context.close()
            closed = after_ttl(memory, ttl)
            line(f"{args.sessions} tabs closed, {ttl + 2} s later", closed, base, proc.pid, target=True)

            if args.upload_rows:
                print(f"upload: {upload_path.stat().st_size / MB:.0f} MB CSV, {args.upload_rows:,} rows", flush=True)
                before = settle(memory)
                page = new_page(browser, log)
                page.goto(f"{url}/?basemap=none")
                ready(page, drawn=shown)
                memory.mark()
                start = time.perf_counter()
                page.get_by_test_id("stSidebar").locator("input[type=file]").set_input_files(str(upload_path))
                total = ready(page, not_drawn=shown)
                took = time.perf_counter() - start
                peak = memory.peak()
                loaded = settle(memory)
                print(f"upload drawn ({total:,} events) in {took:.1f} s; peak {peak:.0f} MB ({peak - before:+.0f})",
                      flush=True)
                line("file loaded", loaded, before, proc.pid)
                page.context.close()  # without removing the file
                closed = after_ttl(memory, ttl)
                line(f"tab closed without removing the file, {ttl + 2} s later", closed, before, proc.pid, target=True)
            memory.stop()
            if log.blocked:
                print(f"requests to other hosts (blocked): {len(log.blocked)}")


if __name__ == "__main__":
    main()

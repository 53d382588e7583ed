"""Start a real `streamlit run` and a Debian Chromium for browser tests and screenshots.

Every request that does not go to 127.0.0.1 is aborted and recorded, so a test can prove the page works with no
internet and asks nothing of any other host.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from dashboard.page_style import MAP_IFRAME

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
#: Offline without request interception (which turns the HTTP cache off): names other than 127.0.0.1 resolve to
#: nothing. For benchmarks of a returning browser, whose cache holds Streamlit's scripts.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(env: dict[str, str] | None = None, timeout: float = 90.0, script: Path | None = None):
    """Run the app (or another Streamlit ``script``) on a free port; yields its base URL; stops it on exit."""
    with streamlit_process(env, timeout, script) as (url, _proc):
        yield url


@contextlib.contextmanager
def streamlit_process(env: dict[str, str] | None = None, timeout: float = 90.0, script: Path | None = None):
    """As :func:`streamlit_server`, yielding (base URL, the server's ``Popen``) for benchmarks that read its
    memory."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script or ROOT / "dashboard" / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
    ]
    # Output goes to a file, never an unread pipe: once a pipe's buffer fills, the server blocks on its next log line.
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"streamlit exited early:\n{log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("streamlit did not become healthy")
            time.sleep(0.2)  # polling a health endpoint, not waiting on the page under test
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class OffHostLog:
    """Aborts and records every request not addressed to 127.0.0.1."""

    def __init__(self):
        self.blocked: list[str] = []

    def route(self, route):
        url = route.request.url
        host = url.split("://", 1)[-1].split("/", 1)[0].split(":")[0] if "://" in url else ""
        if url.startswith(("data:", "blob:", "about:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@contextlib.contextmanager
def chromium(playwright, extra_args=()):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *extra_args])
    try:
        yield browser
    finally:
        browser.close()


def new_page(browser, log: OffHostLog, width=1600, height=1000):
    context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    context.route("**/*", log.route)
    return context.new_page()


MAP_FRAME = MAP_IFRAME  # the map component's frame (dashboard/page_style.py)


def map_frame(page):
    """The map component's Frame (for evaluate), found by its stable selector."""
    return page.locator(MAP_FRAME).element_handle().content_frame()

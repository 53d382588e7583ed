"""The dashboard as a user sees it in Chromium: where things are, what they say, and when the app is done.

Every read goes through what the page shows or publishes (the header caption, the widgets, the URL, the map
container's data-events-* attributes and legend); :meth:`App.settle` waits for "the app has answered everything the
page asked and the map has drawn it" on the websocket and the map's contract, never on a clock.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from scripts.browser import MAP_FRAME, OffHostLog, new_page
from scripts.model.wire import INIT_JS, MAP_BUSY_JS, MAP_IDLE_JS, Wire

FIRST_LOAD_MS = 60_000  # a first map on the shared 2-core machine: Streamlit run + component iframe + Leaflet
SETTLE_MS = 20_000  # one action's reruns and redraw
ACT_MS = 8_000  # a click or a read: the control is there and usable within this, or the action fails
AGREE_MS = 3_000  # the page's elements of one run reach the DOM a moment apart
#: Conditions in a frame are polled on a timer: requestAnimationFrame (Playwright's default) pauses in a frame
#: that is scrolled out of view, and a phone's map often is while the page is read.
POLL_MS = 100
NARROW = 768  # below this width Streamlit's sidebar overlays the page instead of sitting beside it

CAPTION = re.compile(r"^(\d+) of (\d+) events$")
CONTAINER = ".leaflet-container"

#: The map's published state, read from the main page through the (same-origin) map frame.
_MAP_STATE_JS = """(sel) => {
  const frames = Array.from(document.querySelectorAll(sel));
  const doc = frames.length === 1 && frames[0].contentDocument;
  const c = doc && doc.querySelector('.leaflet-container');
  if (!c) { return {frames: frames.length}; }
  const num = (t) => Number(String(t).replace(/,/g, ''));
  return {
    frames: 1,
    ready: c.getAttribute('data-events-ready'),
    drawn: c.hasAttribute('data-events-drawn') ? Number(c.getAttribute('data-events-drawn')) : null,
    playStep: c.getAttribute('data-play-step'),
    legend: Array.from(doc.querySelectorAll('.bd-legend .bd-n')).map((n) => num(n.textContent)),
    legendText: (doc.querySelector('.bd-legend-body') || {}).textContent || '',
    playLabel: (doc.querySelector('.bd-play-label') || {}).textContent || '',
    playing: !!doc.querySelector('.bd-play-button[aria-label="Pause"]'),
    popups: Array.from(doc.querySelectorAll('.leaflet-popup')).map((p) => p.className),
  };
}"""

_POSTED_JS = "(sel) => window.__mdlPosted(sel)"

#: True when the header's count equals the map's drawn count and the legend's counts add up to it.
_AGREE_JS = """(sel) => {
  const cap = document.querySelector('[data-testid="stMain"] [data-testid="stCaptionContainer"] strong');
  const m = /^(\\d+) of (\\d+) events$/.exec(cap ? cap.textContent.trim() : '');
  const frames = document.querySelectorAll(sel);
  const doc = frames.length === 1 && frames[0].contentDocument;
  const c = doc && doc.querySelector('.leaflet-container');
  if (!m || !c || c.getAttribute('data-events-ready') !== '1') { return false; }
  const drawn = Number(c.getAttribute('data-events-drawn'));
  const legend = Array.from(doc.querySelectorAll('.bd-legend .bd-n'))
    .reduce((s, n) => s + Number(n.textContent.replace(/,/g, '')), 0);
  return Number(m[1]) === drawn && legend === drawn;
}"""


class Stuck(AssertionError):
    """The app did not come to rest within the bound: a violation of "the map becomes ready"."""


def _offhost(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":")[0] if "://" in url else ""
    return bool(host) and host != "127.0.0.1"


@dataclass
class Errors:
    """Uncaught errors in the page and its frames, and console errors other than blocked off-host requests."""

    seen: list[str] = field(default_factory=list)
    #: Streamlit's own warnings about components (a message it dropped says so here), the last few.
    warnings: deque = field(default_factory=lambda: deque(maxlen=6))

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda e: self.seen.append(f"pageerror: {e}"))
        page.on("console", self._console)

    def _console(self, msg) -> None:
        if msg.type == "warning" and "omponent" in msg.text:
            self.warnings.append(f"console.warning: {msg.text[:200]}")
        if msg.type != "error":
            return
        where = (msg.location or {}).get("url", "")
        if msg.text.startswith("Failed to load resource") and _offhost(where):
            return  # a tile the off-host guard aborted, as on a network without internet
        self.seen.append(f"console.error: {msg.text[:300]} ({where})")

    def take(self) -> list[str]:
        out, self.seen = self.seen, []
        return out


class App:
    """One browser context on the app: the page, its websocket log, its errors."""

    def __init__(self, browser, base_url: str, width: int = 1600, height: int = 1000):
        """A page in a new browser context (so a new Streamlit session)."""
        self.browser, self.base = browser, base_url
        self.offhost = OffHostLog()
        self.page = new_page(browser, self.offhost, width=width, height=height)
        self.page.context.add_init_script(INIT_JS)
        self.page.set_default_timeout(ACT_MS)
        self.wire = Wire(self.page)
        self.errors = Errors()
        self.errors.watch(self.page)
        self.size = (width, height)

    def close(self) -> None:
        self.page.context.close()

    # ------------------------------------------------------------------------------------------ navigation

    def open(self, url_or_query: str = "") -> None:
        url = url_or_query if url_or_query.startswith("http") else f"{self.base}/{url_or_query}"
        self.page.goto(url)
        self.settle(FIRST_LOAD_MS)
        try:  # a browser's first run lays out the map alone; the rest of the page follows once it has drawn
            expect(self.sidebar.get_by_test_id("stDateInput")).to_be_attached(timeout=FIRST_LOAD_MS)
        except AssertionError:
            raise Stuck(f"the page was not laid out beyond the map within {FIRST_LOAD_MS / 1000:.0f} s") from None
        self.settle(SETTLE_MS)

    def set_viewport(self, width: int, height: int) -> None:
        self.page.set_viewport_size({"width": width, "height": height})
        self.size = (width, height)

    @property
    def narrow(self) -> bool:
        return self.size[0] < NARROW

    # ------------------------------------------------------------------------------------------ waiting

    def map_frame(self, timeout_ms: float = ACT_MS):
        """The map's frame. The frame shares the page's main thread: a frame busy drawing can hold up a read for as
        long as it takes, so a settle passes what is left of its own bound."""
        expect(self.page.locator(MAP_FRAME)).to_have_count(1, timeout=timeout_ms)
        return self.page.locator(MAP_FRAME).element_handle(timeout=timeout_ms).content_frame()

    def settle(self, timeout_ms: float = SETTLE_MS, rerun_after: tuple | None = None) -> None:
        """Wait until every value the map component posted has reached the app, every rerun asked for has run to
        its end, the map has been handed the app's last answer and has drawn it, it has reported the view it
        shows, and Streamlit says its script is not running. Raises :class:`Stuck` with what was still pending.

        ``rerun_after``: a :meth:`Wire.mark` taken before a widget action; a widget asks for its rerun a moment
        after the click (the table's selection, for one), so the rerun must have been asked for since then."""
        deadline = time.monotonic() + timeout_ms / 1000
        pending, unsent = "nothing yet", None
        start = self.wire.mark()
        not_running = self.page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')
        while True:
            left = (deadline - time.monotonic()) * 1000
            try:
                if left <= 0:
                    raise PlaywrightTimeoutError("settle")
                posted = self.page.evaluate(_POSTED_JS, MAP_FRAME)
                if self.wire.ws is None:
                    pending = "no websocket to the app"
                    self.page.wait_for_event("websocket", timeout=left)
                elif rerun_after is not None and not self.wire.rerun_since(rerun_after):
                    pending = "the action's rerun was never asked for"
                    self.wire.wait_rerun_since(rerun_after, left)
                elif posted["frames"] != 1:
                    pending = f"{posted['frames']} map frames in the page"
                    expect(self.page.locator(MAP_FRAME)).to_have_count(1, timeout=left)
                elif not self.wire.has_sent(posted["value"]):
                    pending = "a value the map posted has not reached the app"
                    unsent = posted["value"]
                    self.wire.wait_sent(posted["value"], left)
                elif not self.wire.answered():
                    pending = "the app has not finished answering the last rerun"
                    self.wire.wait_answered(left)
                elif not not_running.count():
                    pending = "the page has not finished the run (script state)"
                    not_running.wait_for(state="attached", timeout=left)
                else:
                    pending = "the map is not at rest"
                    frame = self.map_frame(left)
                    try:
                        frame.wait_for_function(MAP_IDLE_JS, arg=self.wire.expected_render(), timeout=left,
                                                polling=POLL_MS)
                    except PlaywrightTimeoutError:
                        busy = frame.evaluate(MAP_BUSY_JS, self.wire.expected_render())
                        pending = f"the map is not at rest: {busy}"
                        raise
                    # Everything held, one after the other: done unless something new was asked meanwhile.
                    again = self.page.evaluate(_POSTED_JS, MAP_FRAME)
                    if again == posted and self.wire.answered() and not_running.count():
                        return
                    pending = ("the map keeps reporting new values" if again != posted
                               else "a rerun was asked while the map came to rest" if not self.wire.answered()
                               else "the page has not finished the run (script state)")
            except (PlaywrightTimeoutError, AssertionError) as exc:
                early = time.monotonic() < deadline  # a wait of its own ran out (not the settle's bound): say which
                if early:
                    pending += f" [{type(exc).__name__}: {str(exc).strip().splitlines()[0][:160]}]"
                raise Stuck(f"the app did not come to rest within {timeout_ms / 1000:.0f} s: {pending} "
                            f"(map: {self._map_state_or_none()}; {self.wire.reruns_since(start)} reruns asked "
                            f"meanwhile)\n    websocket: {self.wire.tail()}\n    frames said: {self._trail(unsent)}"
                            + (f"\n    unsent: {self.wire.unsent(unsent)}" if pending.startswith("a value") else "")
                            + "".join(f"\n    {w}" for w in self.errors.warnings)) from None
            except PlaywrightError as exc:  # a frame replaced under us (a new basemap remounts the map): look again
                if not any(w in str(exc) for w in ("detached", "destroyed", "navigat", "Target closed")):
                    raise

    def _trail(self, posted: str | None = None) -> str:
        try:
            t = self.page.evaluate("() => window.__mdlTrail()")
        except PlaywrightError:
            return "unreadable"
        said = "; ".join(f"{kind}{'(' + bd + ')' if bd else ''}{'' if live else ' from a removed frame'} "
                         f"{(t['now'] - at) / 1000:.1f} s ago" for at, kind, live, bd in t["trail"])
        sent = "; ".join(f"{size} B{' CARRYING THE UNSENT VALUE' if self.wire.carries(b64, posted) else ''} "
                         f"{(t['now'] - at) / 1000:.1f} s ago" for at, size, b64 in t["sends"])
        return f"{said}\n    the page's websocket sends: {sent or 'none'}"

    def _map_state_or_none(self) -> str:
        try:
            m = self.map_state()
        except PlaywrightError:
            return "unreadable"
        if "ready" not in m:
            return f"{m.get('frames')} frame(s), no map container"
        return (f"ready={m['ready']} drawn={m['drawn']} legend sum={sum(m['legend'])} "
                f"play step={m['playStep']} popups={len(m['popups'])}")

    def agree(self, timeout_ms: float = AGREE_MS) -> bool:
        """Whether header count, drawn count and legend sum agree within ``timeout_ms``."""
        try:
            self.page.wait_for_function(_AGREE_JS, arg=MAP_FRAME, timeout=timeout_ms, polling=POLL_MS)
            return True
        except PlaywrightError:
            return False

    # ------------------------------------------------------------------------------------------ reading

    @property
    def sidebar(self):
        return self.page.get_by_test_id("stSidebar")

    def header(self) -> tuple[int, int] | None:
        """(shown, total) from the caption under the title: "**N of M events** · ..."."""
        strong = self.page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").first.locator("strong")
        if not strong.count():
            return None
        m = CAPTION.match((strong.first.text_content() or "").strip())
        return (int(m.group(1)), int(m.group(2))) if m else None

    def sidebar_count(self) -> tuple[int, int] | None:
        for text in self.sidebar.get_by_test_id("stCaptionContainer").all_text_contents():
            if m := CAPTION.match(text.strip()):
                return int(m.group(1)), int(m.group(2))
        return None

    def map_state(self) -> dict:
        return self.page.evaluate(_MAP_STATE_JS, MAP_FRAME)

    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.page.url).query).items()}

    def link(self) -> str:
        """The "Link to this view" code block's text."""
        return (self.page.get_by_test_id("stCode").locator("code").first.text_content() or "").strip()

    def type_checkbox(self, label: str):
        return self.sidebar.get_by_role("checkbox", name=label, exact=True)

    def switch(self, label: str):
        return self.sidebar.get_by_role("switch", name=label, exact=True)

    def basemap_radio(self, label: str):
        return self.sidebar.get_by_role("radio", name=label, exact=True)

    def date_field(self) -> tuple[dt.date, dt.date] | None:
        parts = self.sidebar.get_by_test_id("stDateInput").locator("[role=spinbutton]").all_text_contents()
        try:
            y0, m0, d0, y1, m1, d1 = (int(p) for p in parts)
            return dt.date(y0, m0, d0), dt.date(y1, m1, d1)
        except ValueError:
            return None

    def widgets(self, labels: dict) -> dict:
        """The sidebar's state: which types are ticked, the basemap, cluster and heat, the date field."""
        # A radio group shows its choice once mounted: wait for it (bounded) rather than read a group in passing.
        try:
            expect(self.sidebar.get_by_role("radio", checked=True)).to_have_count(1, timeout=AGREE_MS)
        except AssertionError:
            pass  # then no basemap reads as chosen, and the invariant that compares it says so
        return {
            "types": tuple(v for v, label in labels["types"].items() if self.type_checkbox(label).is_checked()),
            "basemap": next((v for v, label in labels["basemaps"].items() if self.basemap_radio(label).count()
                             and self.basemap_radio(label).is_checked()), None),
            "cluster": self.switch("Cluster nearby points").is_checked(),
            "heat": self.switch("Heatmap").is_checked(),
            "dates": self.date_field(),
        }

    # ------------------------------------------------------------------------------------------ layout

    def open_sidebar(self):
        """The sidebar, slid in first where it is folded away (phones)."""
        if self.sidebar.get_attribute("data-collapsed") == "true":
            self.page.get_by_test_id("stExpandSidebarButton").click()
            expect(self.sidebar).to_have_attribute("data-collapsed", "false")
        return self.sidebar

    def close_sidebar(self) -> None:
        """On a phone the open sidebar covers the page: fold it, as a user does before using the map."""
        if self.narrow and self.sidebar.get_attribute("data-collapsed") == "false":
            self.sidebar.get_by_test_id("stSidebarCollapseButton").locator("button").click()
            expect(self.sidebar).to_have_attribute("data-collapsed", "true")

    def map_in_view(self):
        """The map frame, scrolled fully into view with nothing over it; returns its Frame."""
        self.close_sidebar()
        self.page.locator(MAP_FRAME).scroll_into_view_if_needed()
        return self.map_frame()

    def fresh(self) -> "App":
        """Another browser context of the same size: a new Streamlit session sharing nothing with this one."""
        return App(self.browser, self.base, *self.size)

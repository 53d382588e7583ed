"""The seeded loop: choose an action that applies, do it, wait for the app to come to rest, check every invariant.

``random.Random(seed)`` makes every choice (which action, its arguments) from what the page shows, so the same seed
replays the same sequence against the same app. The first violation ends the run and carries the seed, the step and
the whole history, which is what a replay needs.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from scripts.browser import MAP_FRAME
from scripts.model import invariants
from scripts.model.actions import ACTIONS, Expectation, Model
from scripts.model.app import App, Stuck


@dataclass
class Step:
    number: int
    action: str
    words: str
    seconds: float
    parts: dict = field(default_factory=dict)  # seconds spent acting, settling, checking, opening the link


@dataclass
class Result:
    seed: int
    size: tuple[int, int]
    steps: list[Step] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # of the failing step; empty when every step held
    opened_seconds: float = 0.0
    link_checks: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self, replay: str = "") -> str:
        """The violation with everything needed to replay it."""
        width, height = self.size
        failing = self.steps[-1] if self.steps else None
        lines = [f"model-based run: seed={self.seed} viewport={width}x{height} "
                 f"violation at step {failing.number if failing else 0}: {failing.words if failing else 'opening'}"]
        lines += [f"  - {p}" for p in self.problems]
        lines.append("history:")
        lines += [f"  {s.number:3d}. {s.words}  ({s.seconds:.1f} s)" for s in self.steps]
        if replay:
            lines.append(f"replay: {replay}")
        return "\n".join(lines)


class Violation(AssertionError):
    def __init__(self, result: Result, replay: str = ""):
        super().__init__(result.report(replay))
        self.result = result


def _why(exc: Exception) -> str:
    """Playwright's first line, and what covered the control if something did."""
    lines = [line.strip() for line in str(exc).strip().splitlines()]
    covered = next((line for line in lines if "intercepts pointer events" in line), "")
    return (lines[0][:200] if lines else type(exc).__name__) + (f"; {covered[:300]}" if covered else "")


def choose(app: App, model: Model, rng: random.Random, without: frozenset[str] = frozenset()):
    candidates = [a for a in ACTIONS if a.name not in without and a.applies(app, model)]
    return rng.choices(candidates, weights=[a.weight for a in candidates])[0]


def run(browser, base_url: str, seed: int, steps: int, size: tuple[int, int] = (1600, 1000),
        link_every: int = 1, start: str = "?basemap=none", on_step=None,
        without: frozenset[str] = frozenset(), shot: Path | None = None) -> Result:
    """Run ``steps`` actions from ``start`` (offline by default, as CI runs) and check after each; stops at the
    first violation. ``link_every``: open the URL in a fresh context after every n-th action and the last (1: after
    each; 0: never).
    ``without``: action names never chosen (to look past a known violation; the same set replays the same run).
    ``shot``: where to save a screenshot of the page as the violation left it."""
    rng = random.Random(seed)
    model = Model(seed=seed)
    result = Result(seed=seed, size=size)
    app = App(browser, base_url, *size)
    try:
        began = time.monotonic()
        try:
            app.open(start)
        except Stuck as exc:
            result.problems = [f"the app's first page did not come to rest: {exc}"]
            return result
        result.opened_seconds = time.monotonic() - began
        result.problems = invariants.check(app, model)
        if result.problems:
            return result
        for number in range(1, steps + 1):
            began = time.monotonic()
            action = choose(app, model, rng, without)
            problems: list[str] = []
            model.doing = words = action.name
            parts, mark = {}, time.monotonic()

            def lap(name):
                nonlocal mark
                now = time.monotonic()
                parts[name], mark = now - mark, now

            try:
                asked = app.wire.mark()
                words = action.run(app, model, rng)
                lap("act")
                app.settle(rerun_after=asked if action.reruns else None)
                lap("settle")
                problems = invariants.check(app, model)
                if action.opens_popup:
                    problems += invariants.popup_usable(app)
                lap("check")
                if not problems and link_every and (number % link_every == 0 or number == steps):
                    result.link_checks += 1
                    problems = invariants.link_reproduces(app, model)
                    lap("link")
            except (Stuck, Expectation) as exc:
                problems = [str(exc)] + [f"page error: {e}" for e in app.errors.take()]
            except PlaywrightError as exc:  # a control a user needs was not there or not usable
                problems = [f"the action could not be done: {_why(exc)}"] + [
                    f"page error: {e}" for e in app.errors.take()]
            if words == action.name:  # it failed half way: its words so far
                words = model.doing
            result.steps.append(Step(number, action.name, words, time.monotonic() - began, parts))
            if on_step:
                on_step(result.steps[-1], problems)
            if problems:
                result.problems = problems
                if shot is not None:  # the page as a user sees it, and the whole map (it may be scrolled away)
                    app.page.screenshot(path=str(shot))
                    app.page.locator(MAP_FRAME).screenshot(path=str(shot.with_suffix(".map.png")))
                return result
        return result
    finally:
        app.close()

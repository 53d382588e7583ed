"""Soak the dashboard in a real Chromium with seeded random user actions (the model-based test, any length).

Starts a real ``streamlit run`` (offline, every off-host request aborted) and runs ``--steps`` actions per seed from
``scripts/model`` — type toggles, date presets and typed dates, basemap, cluster, heat, playback, stack and list
clicks, table rows, popups, zoom and pan, upload and removal, viewport changes, reload from the link — checking
every invariant after each. Prints a results table (actions run, violations, seconds per action).

On a violation it prints the seed, the step, the problems and the whole action history, and exits 1; the same
command with that seed replays the same sequence:

    python benchmarks/soak_browser.py --seed 7 --steps 100
    python benchmarks/soak_browser.py --seed 1 --seeds 5 --steps 100 --viewport 390x844
    python benchmarks/soak_browser.py --seed 1 --seeds 3 --steps 40 --keep-going   # every seed, even after a violation
    python benchmarks/soak_browser.py --seed 1 --steps 60 --without dates          # past a known violation
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from playwright.sync_api import sync_playwright

from scripts.browser import chromium, streamlit_server
from scripts.model.actions import ACTIONS
from scripts.model.run import run


def _size(text: str) -> tuple[int, int]:
    width, height = text.lower().split("x")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, required=True, help="the first seed")
    parser.add_argument("--seeds", type=int, default=1, help="how many consecutive seeds (default 1)")
    parser.add_argument("--steps", type=int, default=100, help="actions per seed")
    parser.add_argument("--viewport", type=_size, default=(1600, 1000), help="WIDTHxHEIGHT (default 1600x1000)")
    parser.add_argument("--link-every", type=int, default=5,
                        help="open the URL in a fresh context after every n-th action and the last "
                             "(default 5, as CI; 1: after every action; 0: never)")
    parser.add_argument("--without", action="append", default=[], metavar="ACTION",
                        help="never choose this action (repeatable), to look past a known violation; one of: "
                             + ", ".join(a.name for a in ACTIONS))
    parser.add_argument("--keep-going", action="store_true", help="run the other seeds after a violation")
    parser.add_argument("--shots", type=Path, metavar="DIR", help="save a screenshot of each violation there")
    args = parser.parse_args(argv)

    rows, failed = [], []
    server = streamlit_server(env={"STREAMLIT_LOGGER_LEVEL": "error"})
    with server as url, sync_playwright() as p, chromium(p) as browser:
        for seed in range(args.seed, args.seed + args.seeds):
            began = time.monotonic()

            def progress(step, problems, seed=seed):
                parts = " ".join(f"{k} {v:.1f}" for k, v in step.parts.items())
                print(f"seed {seed} step {step.number:3d} {step.seconds:5.1f} s [{parts}]  {step.words}"
                      + (f"  VIOLATION: {problems[0]}" if problems else ""), flush=True)

            result = run(browser, url, seed, args.steps, size=args.viewport, link_every=args.link_every,
                         on_step=progress, without=frozenset(args.without),
                         shot=args.shots / f"seed-{seed}-{args.viewport[0]}x{args.viewport[1]}.png" if args.shots else None)
            per = [s.seconds for s in result.steps]
            rows.append((seed, len(result.steps), 0 if result.ok else 1, time.monotonic() - began,
                         statistics.mean(per) if per else 0.0, max(per, default=0.0), result.opened_seconds))
            if not result.ok:
                w, h = args.viewport
                replay = (f"python benchmarks/soak_browser.py --seed {seed} --steps {len(result.steps)} "
                          f"--viewport {w}x{h} --link-every {args.link_every}"
                          + "".join(f" --without '{name}'" for name in args.without))
                print("\n" + result.report(replay) + "\n", flush=True)
                failed.append(seed)
                if not args.keep_going:
                    break

    w, h = args.viewport
    print(f"\nviewport {w}x{h}, link check every {args.link_every} action(s)")
    print("| seed | actions run | violations | total s | s per action (mean) | slowest action s | first page s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for seed, n, bad, total, mean, worst, opened in rows:
        print(f"| {seed} | {n} | {bad} | {total:.0f} | {mean:.2f} | {worst:.1f} | {opened:.1f} |")
    actions = sum(r[1] for r in rows)
    mean = sum(r[4] * r[1] for r in rows) / actions if actions else 0.0
    print(f"| all | {actions} | {len(failed)} | {sum(r[3] for r in rows):.0f} | {mean:.2f} | "
          f"{max((r[5] for r in rows), default=0):.1f} | |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

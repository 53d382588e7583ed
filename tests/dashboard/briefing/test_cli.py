"""``python -m dashboard.briefing``: a figure written, and bad arguments refused in one line (exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from .cli_runner import run_main

ROOT = Path(__file__).resolve().parents[3]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "dashboard.briefing", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_cli_writes_the_figure(tmp_path):  # the one subprocess smoke test: `python -m dashboard.briefing` runs
    out = tmp_path / "brief.png"
    done = run_cli("--start", "2023-01-01", "--end", "2024-12-31", "--types", "attack,clash", "--dpi", "40",
                   "--format", "png", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert Image.open(out).size == (640, 360)
    assert "brief.png" in done.stdout


BAD_CLI = {
    "bad date": (["--start", "2023-13-01"], "'2023-13-01' is not a date"),
    "unknown type": (["--types", "attack,riot"], "unknown event type 'riot'"),
    "unknown province": (["--provinces", "PK-BA,PK-XX"], "unknown province 'PK-XX'"),
    "negative distance": (["--max-distance-km", "-5"], "must be a number >= 0"),
    "start after end": (["--start", "2024-02-01", "--end", "2024-01-01"],
                        "--start 2024-02-01 is after --end 2024-01-01"),
    "extent of three numbers": (["--extent", "60,25,64"], "is not 'events' or MINLON,MINLAT,MAXLON,MAXLAT"),
    "extent upside down": (["--extent", "64,25,60,29"], "is not 'events' or MINLON,MINLAT,MAXLON,MAXLAT"),
    "unknown size": (["--size", "a3"], "invalid choice: 'a3'"),
    "out in a missing directory": (["--out", "/nonexistent-dir/brief.png"], "does not exist"),
    "out is a directory": (["--out", "."], "is a directory"),
    "grid of one": (["--grid", "1"], "argument --grid: '1' is not between 2 and 12"),
    "grid too big": (["--grid", "13"], "argument --grid: '13' is not between 2 and 12"),
    "unknown frame step": (["--frames", "day"], "invalid choice: 'day'"),
    "frames and grid": (["--frames", "month", "--grid", "3"], "--frames and --grid are two ways"),
    "frames as pdf": (["--frames", "week", "--format", "pdf"], "--frames writes PNG files"),
    "frames into a file": (["--frames", "week", "--out", __file__], "is a file; --frames writes into a directory"),
}


@pytest.fixture(scope="module")
def bad_cli_runs(tmp_path_factory):
    """Every bad command line, run in this process (test_cli_writes_the_figure is the one real interpreter)."""
    tmp = tmp_path_factory.mktemp("cli")
    results = {}
    for case, (args, _) in BAD_CLI.items():
        options = {"--format": "png", "--out": str(tmp / "x.png")}
        options.update(zip(args[::2], args[1::2]))
        code, _, err = run_main([item for pair in options.items() for item in pair])
        results[case] = (code, err)
    code, _, err = run_main(["--out", "x.png"])
    results["no format"] = (code, err)
    return tmp, results


@pytest.mark.parametrize("case", list(BAD_CLI))
def test_cli_rejects_bad_arguments_in_one_line(bad_cli_runs, case):
    tmp, results = bad_cli_runs
    code, stderr = results[case]
    assert code == 2, stderr
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and BAD_CLI[case][1] in lines[0], stderr
    assert not (tmp / "x.png").exists()


def test_cli_requires_format(bad_cli_runs):
    code, stderr = bad_cli_runs[1]["no format"]
    assert code == 2 and "--format" in stderr and len(stderr.strip().splitlines()) == 1

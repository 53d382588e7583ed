"""Property-based fuzzing of ``python -m dashboard.briefing``: any arguments end in exit 0 (a figure written) or
exit 2 (one line on stderr, nothing written), never an exception. Runs ``main`` in-process to stay fast; sizes are
bounded (a PNG at most 40 dpi) so each drawn figure takes well under a second."""

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.dashboard.briefing.cli_runner import run_main

NUMBER = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**6, 10**6).map(str),
    st.sampled_from(["1e999", "nan", "-0", "0x10", "", " ", "1,5", "９", "9" * 500]),
)
COORD = st.one_of(st.floats(-200, 200).map(lambda v: f"{v:.7g}"), NUMBER)
# Boxes near the region from a few metres to a continent: the valid ones must draw.
BOX = st.tuples(st.floats(55, 70), st.floats(22, 35), st.floats(1e-8, 60), st.floats(1e-8, 40)).map(
    lambda b: f"{b[0]:.9f},{b[1]:.9f},{b[0] + b[2]:.9f},{b[1] + b[3]:.9f}")
TEXT = st.one_of(st.text(max_size=150), st.sampled_from(["\udcff", "a\nb", "$\\frac{1}{0}$", "\x00", "\u202ertl"]))
WORDS = st.lists(st.sampled_from(["attack", "clash", "border_crossing", "PK", "IR", "PK-BA", "IR-13", "exact",
                                  "town", "riot", "XX-99", ""]), max_size=4).map(",".join)
#: Per option: (values the CLI should take, anything at all). Most draws take the first, so figures get drawn.
OPTIONS = {
    "--start": (st.dates(dt.date(2015, 1, 1), dt.date(2026, 1, 1)).map(str),
                st.one_of(st.dates().map(str), st.text(max_size=12), st.just("-2024-01-01"))),
    "--end": (st.dates(dt.date(2015, 1, 1), dt.date(2026, 1, 1)).map(str), st.text(max_size=12)),
    "--types": (st.sampled_from(["attack", "clash,attack", "border_crossing,border_market"]), WORDS),
    "--countries": (st.sampled_from(["PK", "IR", "PK,IR"]), WORDS),
    "--provinces": (st.sampled_from(["PK-BA", "IR-13", "PK-BA,IR-13"]), WORDS),
    "--precision": (st.sampled_from(["exact", "town,district"]), WORDS),
    "--min-fatalities": (st.integers(0, 50).map(str), NUMBER),
    "--max-distance-km": (st.floats(0, 500).map(lambda v: f"{v:g}"), NUMBER),
    "--text": (st.sampled_from(["", "Jaish", "Taftan", "no match at all"]), TEXT),
    "--size": (st.sampled_from(["slide", "a4"]), st.text(max_size=5)),
    "--title": (st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=120), TEXT),
    "--extent": (st.one_of(st.just("events"), BOX), st.lists(COORD, max_size=5).map(",".join)),
    "--handling": (st.sampled_from(["", "UNCLASSIFIED", "FOR TRAINING"]), TEXT),
    "--dpi": (st.integers(10, 40).map(str), NUMBER),
    "--grid": (st.integers(2, 4).map(str), NUMBER),
}


@st.composite
def command_lines(draw) -> tuple[list[str], str]:
    """(arguments without --out, where --out points: 'file', 'directory' or 'missing directory')."""
    usually = st.sampled_from([True, True, True, True, False])
    chosen = draw(st.lists(st.sampled_from(sorted(OPTIONS)), unique=True, max_size=8))
    argv = [f"{name}={draw(OPTIONS[name][0] if draw(usually) else OPTIONS[name][1])}" for name in chosen]
    if draw(usually):
        argv.append(f"--format={draw(st.sampled_from(['png', 'pdf', 'svg']))}")
    else:
        argv += draw(st.lists(st.sampled_from(["--format=gif", "--format=", "--bogus", "-x", "extra", "--help=1"]),
                              max_size=2))
    return argv, draw(st.sampled_from(["file", "file", "file", "file", "directory", "missing directory"]))




def _dpi_of(argv: list[str]) -> float | None:
    for arg in argv:
        if arg.startswith("--dpi="):
            try:
                return float(arg.removeprefix("--dpi="))
            except ValueError:
                return None
    return None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(command_lines())
def test_any_arguments_exit_0_or_2_in_one_line(case):
    argv, where = case
    dpi = _dpi_of(argv)
    # A valid large dpi would draw a huge PNG: outside what this suite can afford, and not what it is testing.
    if dpi is not None and 40 < dpi <= 600 and any(a == "--format=png" for a in argv):
        argv = [a for a in argv if not a.startswith("--dpi=")] + ["--dpi=20"]
    with tempfile.TemporaryDirectory() as tmp:
        out = {"file": Path(tmp) / "figure.out", "directory": Path(tmp),
               "missing directory": Path(tmp) / "no-such-dir" / "figure.out"}[where]
        code, stdout, stderr = run_main([*argv, f"--out={out}"])
        event(f"exit {code}")
        assert code in (0, 2), (code, stderr)
        assert "Traceback" not in stderr
        if code == 0:
            assert out.is_file() and out.stat().st_size > 0
            assert stdout.startswith(f"wrote {out} ")
        else:
            assert len(stderr.strip().splitlines()) == 1, stderr
            assert stderr.startswith("python -m dashboard.briefing: error: ")
            assert not (out.is_file())

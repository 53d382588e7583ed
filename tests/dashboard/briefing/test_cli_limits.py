"""The briefing command line on degenerate and absurd arguments: one line on stderr, exit 2, no file, no traceback."""

import pytest

from dashboard.briefing import compose
from tests.dashboard.briefing.cli_runner import run_main


def test_the_issue_extent_exits_2_in_one_line_without_a_traceback(tmp_path):
    out = tmp_path / "x.png"
    code, _, stderr = run_main(["--format", "png", "--out", str(out), "--extent", "0,0,0.0000001,0.0000001"])
    assert code == 2
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines() == [
        "python -m dashboard.briefing: error: argument --extent: '0,0,0.0000001,0.0000001' is too small: "
        "the box must span at least 0.001 degrees each way (about 100 m)"]
    assert not out.exists()


BAD = {
    "tiny in longitude": (["--extent=62,27,62.0009,28"], "is too small"),
    "tiny in latitude": (["--extent=62,27,63,27.0000001"], "is too small"),
    "whole world": (["--extent=-180,-90,180,90"], "is too wide: at most 180 degrees of longitude"),
    "nearly round the world": (["--extent=-170,-1,170,1"], "is too wide"),
    "nan extent": (["--extent=nan,0,1,1"], "is not 'events' or MINLON,MINLAT,MAXLON,MAXLAT"),
    "overflowing extent": (["--extent=0,0,1e999,1"], "is not 'events' or MINLON,MINLAT,MAXLON,MAXLAT"),
    "empty extent": (["--extent="], "is not 'events' or MINLON,MINLAT,MAXLON,MAXLAT"),
    "overflowing dpi": (["--dpi=1e999"], "must be a number >= 0"),
    "tiny dpi": (["--dpi=0.0001"], "--dpi must be between 10 and 600"),
    "huge dpi": (["--dpi=1e300"], "--dpi must be between 10 and 600"),
    "overflowing fatalities": (["--min-fatalities=" + "9" * 5000], "is not a number"),
    "fatalities beyond a float": (["--min-fatalities=" + "9" * 400], "is not a number"),  # found by test_fuzz_cli
    "title with a newline": (["--title=two\nlines"], "argument --title: contains a control character"),
    "title with an escape": (["--title=\x1b[31mred"], "argument --title: contains a control character"),
    "title not UTF-8": (["--title=caf\udce9"], "argument --title: is not valid UTF-8 text"),
    "title too long": (["--title=" + "t" * 121], "argument --title: is 121 characters long; at most 120"),
    "handling too long": (["--handling=" + "H" * 500], "argument --handling: is 500 characters long; at most 120"),
    "search text with NUL": (["--text=a\x00b"], "argument --text: contains a control character"),
    "search text too long": (["--text=" + "q" * 201], "argument --text: is 201 characters long; at most 200"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_absurd_arguments_exit_2_with_one_line(case, tmp_path):
    args, words = BAD[case]
    out = tmp_path / "x.png"
    code, stdout, stderr = run_main(["--format", "png", "--dpi", "20", "--out", str(out), *args])
    assert code == 2, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], stderr
    assert stdout == "" and not out.exists()


@pytest.mark.parametrize("extent", ["62,27,62.001,27.001", "-90,-80,90,80", "0,-90,1,90", "179,89,180,90"])
def test_extents_at_the_limits_still_draw(extent, tmp_path):
    out = tmp_path / "x.svg"
    code, stdout, stderr = run_main(["--format", "svg", "--out", str(out), f"--extent={extent}"])
    assert (code, stderr) == (0, "")
    assert out.read_bytes().startswith(b"<?xml")


@pytest.mark.parametrize("title", ["", "Çabahar — چابهار", "$x^2$ {braces} <b>not html</b> 100%", "t" * 120])
def test_odd_but_printable_titles_draw(title, tmp_path):
    out = tmp_path / "x.png"
    code, _, stderr = run_main(["--format", "png", "--dpi", "20", "--out", str(out), f"--title={title}"])
    assert code == 0, stderr
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("error", [RuntimeError("FT_Render_Glyph (ft2font_wrapper.cpp line 1947) failed"),
                                   MemoryError("Unable to allocate 74.6 GiB"), ValueError("cannot convert NaN")])
def test_a_renderer_failure_is_one_line_without_its_internals(error, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(compose, "render_briefing", fail)  # what the CLI calls
    code, stdout, stderr = run_main(["--format", "png", "--out", str(tmp_path / "x.png")])
    assert code == 2 and stdout == ""
    assert stderr.strip().splitlines() == [
        "python -m dashboard.briefing: error: cannot draw a figure with these arguments "
        "(try the default --extent, --dpi or --title)"]

"""`python -m geodata validate FILE` and `convert IN --out OUT`: exit codes and messages, never a traceback."""

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import geodata
from geodata.__main__ import main
from tests.geodata import import_fixtures as fx
from tests.geodata.conftest import make_row, table

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    """`python -m geodata ARGS` in this process, from the repository root (an interpreter per call cost ~3 s)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as stop:
            code = stop.code
    return subprocess.CompletedProcess(["python", "-m", "geodata", *args], code, out.getvalue(), err.getvalue())


def test_shipped_file_validates():  # the one subprocess smoke test: `python -m geodata` runs
    out = subprocess.run([sys.executable, "-m", "geodata", "validate", "geodata/data/events.csv"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "0 errors" in out.stdout


def test_errors_exit_1_and_name_row_and_field(tmp_path):
    path = tmp_path / "events.csv"
    table(make_row(id="fine"), make_row(id="broken", date="2023-02-30"), make_row(id="worse", source_url="javascript:x")).to_csv(path, index=False)
    out = run("validate", str(path))
    assert out.returncode == 1
    assert "row 3 (id broken), field 'date'" in out.stdout
    assert "row 4 (id worse), field 'source_url'" in out.stdout
    assert "2 errors" in out.stdout and "1 valid rows" in out.stdout
    assert "Traceback" not in out.stderr


def test_missing_file_exits_2_without_traceback(tmp_path):
    out = run("validate", str(tmp_path / "nope.csv"))
    assert out.returncode == 2
    assert "no such file" in out.stderr
    assert "Traceback" not in out.stderr


def test_binary_file_exits_2_without_traceback(tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(b"\xff\xfe\x00\x81garbage\x00")
    out = run("validate", str(path))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("target", ["DIR", "", "/dev/zero", "/dev/null"])
def test_validate_refuses_what_is_not_a_regular_file_in_one_line(tmp_path, target):
    out = run("validate", str(tmp_path) if target == "DIR" else target)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert out.stderr.startswith("error: ")


def test_validate_sniffs_a_semicolon_csv(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(table(make_row(id="semi-1", title="Café"), make_row(id="semi-2", lat="x")).to_csv(index=False, sep=";")
                     .encode("cp1252"))
    out = run("validate", str(path))
    assert out.returncode == 1
    assert "is empty" not in out.stdout
    assert "row 3 (id semi-2), field 'lat': 'x' is not a number" in out.stdout
    assert "CSV, semicolon-delimited, cp1252" in out.stdout


@pytest.mark.parametrize("date", ["-2024-01-01", "9999-12-31", "1677-09-21", "２０２４-01-01"])
def test_validate_refuses_impossible_dates(tmp_path, date):
    path = tmp_path / "events.csv"
    table(make_row(id="odd-date", date=date)).to_csv(path, index=False)
    out = run("validate", str(path))
    assert out.returncode == 1
    assert "row 2 (id odd-date), field 'date'" in out.stdout


def test_validate_points_acled_files_to_convert(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_bytes(fx.csv_bytes(fx.acled_records("2019")))
    out = run("validate", str(path))
    assert out.returncode == 2 and "geodata convert" in out.stderr and "Traceback" not in out.stderr


# ----------------------------------------------------------------------------- convert


def test_convert_acled_to_csv_prints_the_report_and_writes_our_columns(tmp_path):
    source, target = tmp_path / "acled.csv", tmp_path / "ours.csv"
    source.write_bytes(fx.csv_bytes(fx.acled_records("2019"), newline="\r\n"))
    out = run("convert", str(source), "--out", str(target))
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "ACLED export (2019 layout, CSV), 6 rows"
    assert "3 events written to" in lines[-1]
    back, report, kind = geodata.import_events(target.read_bytes(), "ours.csv")
    assert kind == "events" and report.ok
    assert sorted(back.id) == ["acled-irn90002", "acled-pak90001", "acled-pak90003"]


def test_convert_to_geojson_exits_1_when_rows_had_errors(tmp_path):
    source, target = tmp_path / "ged.csv", tmp_path / "ours.geojson"
    records = fx.ucdp_records()
    records[0]["date_start"] = "31/12/2023"
    source.write_bytes(fx.csv_bytes(records))
    out = run("convert", str(source), "--out", str(target))
    assert out.returncode == 1
    assert "row 2 (id ucdp-990001), field 'date'" in out.stdout
    doc = json.loads(target.read_bytes())
    assert sorted(f["id"] for f in doc["features"]) == ["ucdp-990002", "ucdp-990003"]


@pytest.mark.parametrize("case", ["missing", "binary", "bad-suffix", "empty", "dir", "unwritable"])
def test_convert_failures_exit_2_in_one_line(tmp_path, case):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(fx.csv_bytes(fx.acled_records("2019")))
    if case == "missing":
        source = tmp_path / "nope.csv"
    elif case == "binary":
        source.write_bytes(b"\x00\x01\x02garbage")
    elif case == "bad-suffix":
        target = tmp_path / "out.xlsx"
    elif case == "empty":
        source.write_bytes(b"")
    elif case == "dir":
        source = tmp_path
    elif case == "unwritable":
        target = tmp_path / "no-such-folder" / "out.csv"
    out = run("convert", str(source), "--out", str(target))
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert "/vsimem" not in out.stderr


def test_validate_adds_the_curation_warnings_with_row_and_field(tmp_path):
    path = tmp_path / "events.csv"
    table(make_row(id="fine"), make_row(id="too-old", date="2018-03-01")).to_csv(path, index=False)
    out = run("validate", str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "warning: row 3 (id too-old), field 'date': 2018-03-01 is before the stated scope" in out.stdout
    assert "0 errors, 1 warnings" in out.stdout

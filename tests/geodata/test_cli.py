"""`python -m geodata validate FILE`: exit codes and messages."""

import subprocess
import sys
from pathlib import Path

from tests.geodata.conftest import make_row, table

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    return subprocess.run([sys.executable, "-m", "geodata", *args], cwd=ROOT, capture_output=True, text=True)


def test_shipped_file_validates():
    out = run("validate", "geodata/data/events.csv")
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

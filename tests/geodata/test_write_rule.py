"""One write rule on every path (issue #26, deliver 6): the same hostile value gets the same verdict from the edit
form's check, an upload, ``db import`` and ``db export``, and the same text is stored wherever it is accepted."""

import csv
import io

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import geodata
from geodata.cell_rules import MAX_CELL_CHARS, cell_problem, cell_problems, field_problems, neutralise_cell
from geodata.importers import ImportFormatError, import_events
from geodata.store import AddResult, RowRejected, Stamp, event_text
from geodata.store._records import edited_row
from geodata.store.transfer import import_file, write_events
from geodata.writers import TEXT_COLUMNS
from tests.geodata.conftest import make_row, table

# Each example runs the whole import pipeline four times (~0.3 s): every hostile value below is an explicit
# example (each run), and the random search adds 20 more values.
FUZZ = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])
HOSTILE = ["=HYPERLINK(\"https://evil.example\",\"click\")", "+1+1", "-2", "@SUM(A1)", "\tlead tab",
           "a\x00b", "bell\x07", "esc\x1b[31m", "del\x7f", "vt\x0b", "x" * (MAX_CELL_CHARS + 1),
           "x" * MAX_CELL_CHARS, "line\nbreak", "'=already quoted", "NA", "Robert'); DROP TABLE events;--",
           "نوکنڈی", "<script>alert(1)</script>"]
FIELDS = ["title", "description", "actors", "district", "source_title"]
_values = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20)


def _every_hostile_value(test):
    """Each hostile value as an explicit example (fields taken in turn), so every run tries all of them."""
    for number, value in enumerate(HOSTILE):
        test = example(value=value, field=FIELDS[number % len(FIELDS)])(test)
    return test


class _Recorder:
    """A store that keeps what ``add`` receives (``db import``'s path without a database)."""

    writable = True

    def __init__(self):
        self.added = None

    def add(self, events, stamp):
        self.added = events
        return AddResult(tuple(events["id"]))


def _file_bytes(row: dict) -> bytes:
    """The row as our export writes it (text cells neutralised, CRLF), i.e. a file an analyst round-trips."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(row), lineterminator="\r\n")
    writer.writeheader()
    writer.writerow({k: neutralise_cell(v) if k in TEXT_COLUMNS else v for k, v in row.items()})
    return buffer.getvalue().encode("utf-8")


def _form(before: dict, field: str, value: str):
    try:
        after, valid = edited_row("t-1", before, {field: value})
    except RowRejected as exc:
        return ("refused", {p.field for p in exc.problems}), None
    return ("accepted", set()), (after[field] if valid is not None else before[field])


def _upload(row: dict, field: str):
    try:
        events, report, _ = import_events(_file_bytes(row), "upload.csv")
    except ImportFormatError:  # a NUL byte marks a whole file as binary (docs/IMPORTS.md): refused all the same
        return ("refused", {field}), None
    if report.ok and len(events):
        return ("accepted", set()), event_text(events.iloc[0])[field]
    return ("refused", {p.field for p in report.errors}), None


def _db_import(row: dict, field: str, tmp_path):
    path = tmp_path / "import.csv"
    path.write_bytes(_file_bytes(row))
    recorder = _Recorder()
    try:
        outcome = import_file(recorder, path, Stamp("fuzz"))
    except ImportFormatError:
        return ("refused", {field}), None
    if outcome.report.ok and recorder.added is not None and len(recorder.added):
        return ("accepted", set()), event_text(recorder.added.iloc[0])[field]
    return ("refused", {p.field for p in outcome.report.errors}), None


@FUZZ
@given(value=_values, field=st.sampled_from(FIELDS))
@_every_hostile_value
@example(value="a\x00b", field="title").via("NUL, which gave 'error unknown' from the form")
@example(value="x" * 100_000, field="description").via("the form saved what uploads refuse")
@example(value="0\r0", field="title").via("a lone CR inside a cell: the export must be read back with newline=''")
def test_the_same_value_gets_the_same_verdict_on_every_write_path(value, field, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("rule")
    base = make_row(id="t-1")
    before = event_text(pd.Series(base))
    row = {**base, field: value}
    form, form_text = _form(before, field, value)
    upload, upload_text = _upload(row, field)
    imported, imported_text = _db_import(row, field, tmp_path)
    rule = cell_problem(value)
    if rule is not None:  # the write rule refuses it, on every path, naming the field
        assert form == upload == imported == ("refused", {field}), (form, upload, imported)
    assert form[0] == upload[0] == imported[0], (value, form, upload, imported)
    if form[0] == "accepted":
        assert form_text == upload_text == imported_text
        # db export: the accepted text leaves neutralised and comes back exactly.
        events, report = geodata.check_events(table({**base, field: form_text}))
        assert report.ok
        out = tmp_path / "export.csv"
        write_events(events, out)
        with out.open(encoding="utf-8", newline="") as handle:  # newline="": a CR inside a cell stays a CR
            written = next(csv.DictReader(handle))
        assert written[field] == neutralise_cell(form_text)
        assert not written[field].startswith(("=", "+", "-", "@", "\t", "\r"))
        back, report, _ = import_events(out.read_bytes(), "export.csv")
        assert report.ok and event_text(back.iloc[0])[field] == form_text


@pytest.mark.parametrize("value", HOSTILE)
def test_the_vectorised_rule_is_the_scalar_rule(value):
    frame = pd.DataFrame({"a": ["fine", value], "b": [value, None]})
    found = {(pos, column): message for pos, column, message in cell_problems(frame)}
    expected = cell_problem(value)
    assert found.get((1, "a")) == expected and found.get((0, "b")) == expected
    assert (0, "a") not in found and (1, "b") not in found


def test_messages_name_the_character_and_the_limit():
    assert field_problems({"title": "a\x00b", "district": "ok"}) == {
        "title": "contains a NUL character (U+0000), which cannot be stored; remove it"}
    assert "U+0007" in cell_problem("\x07")
    assert cell_problem("\ud800") and "surrogate" in cell_problem("\ud800")
    assert cell_problem("x" * 40_000) == "is 40,000 characters long; the limit is 32,767"
    assert cell_problem("tab\tnew\nline\rcr") is None and cell_problem(None) is None


def test_db_export_neutralises_formula_cells(tmp_path):
    events, report = geodata.check_events(table(make_row(id="t-1", title='=HYPERLINK("https://evil.example")',
                                                         actors="@evil", district="-1+1")))
    assert report.ok
    problems = []
    write_events(events, tmp_path / "out.csv", problems=problems)
    written = next(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"))))
    assert (written["title"], written["actors"], written["district"]) == (
        '\'=HYPERLINK("https://evil.example")', "'@evil", "'-1+1")
    assert problems == []


def test_db_export_warns_about_rows_another_client_wrote_that_break_the_rule(tmp_path):
    events, _ = geodata.check_events(table(make_row(id="t-1")))
    events.loc[0, "description"] = "x" * (MAX_CELL_CHARS + 5)  # as psql could have stored it
    problems = []
    write_events(events, tmp_path / "out.csv", problems=problems)
    [problem] = problems
    assert (problem.row, problem.field, problem.event_id, problem.severity) == (2, "description", "t-1", "warning")

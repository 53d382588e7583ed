"""Property tests over every import entry point: only ImportFormatError escapes, no message leaks internals.

Inputs are bounded (a few KB) so each example is fast; the size and cell caps themselves are tested directly in
test_importers.py.
"""

import re

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import geodata
from geodata.importers import ImportFormatError, import_events, read_event_table
from geodata.writers import events_to_csv, neutralise_cell, restore_text_cells
from tests.geodata import import_fixtures as fx
from tests.geodata.conftest import make_row, table

# Things a message must never show: OGR's in-memory paths, SQL, Python internals, our own source tree.
_LEAKS = re.compile(r"/vsimem|sqlite3?_|SELECT |Traceback|File \"|site-packages|/geodata/|0x[0-9a-f]{6,}", re.I)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# For tests whose every example reads a whole file through the importer (~0.1 s however few its rows): fewer
# examples, each carrying several values where the test allows it.
FUZZ_FILES = settings(FUZZ, max_examples=20)

_names = st.sampled_from(["x.csv", "x.geojson", "x.json", "x.gpkg", "x.xlsx", "x", "/tmp/secret/x.csv"])
# NUL is left out of cell text: a NUL byte marks a file as binary by design (docs/IMPORTS.md), tested directly.
_cells = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x00"), max_size=12)


def _check(data: bytes, name: str):
    try:
        events, report, kind = import_events(data, name)
    except ImportFormatError as exc:
        message = str(exc)
        assert not _LEAKS.search(message), message
        assert "/tmp/secret" not in message
        return None
    for line in report.lines():
        assert not _LEAKS.search(line), line
    for problem in report.problems:
        assert problem.field and (problem.row is None or problem.row >= 1)
    assert len(events) == report.shown <= report.rows or kind in ("geojson", "gpkg")
    return events, report


@FUZZ
@given(data=st.binary(max_size=2048), name=_names)
def test_any_bytes(data, name):
    _check(data, name)


@FUZZ
@given(prefix=st.sampled_from([b"SQLite format 3\x00", b"PK\x03\x04", b'{"type":"FeatureCollection","features":',
                               b"\xef\xbb\xbf", b"\xff\xfe", b'{"status":200,"data":[', b"[{"]),
       tail=st.binary(max_size=1024))
def test_bytes_that_start_like_a_known_container(prefix, tail):
    _check(prefix + tail, "x")


@FUZZ_FILES
@given(header=st.sampled_from([fx.ACLED_2019, [c for c in fx.ACLED_PRE_2019], fx.UCDP_GED,
                               ["id", "event_type", "title", "date", "date_precision", "country",
                                "location_precision", "source_url", "lat", "lon"]]),
       cells=st.lists(st.lists(_cells, min_size=0, max_size=40), min_size=1, max_size=5),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_known_headers_with_random_cells(header, cells, delimiter):
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in cells]
    _check("\n".join(lines).encode("utf-8"), "fuzz.csv")


@FUZZ_FILES
@given(field=st.sampled_from(["event_date", "latitude", "longitude", "fatalities", "event_type", "country",
                              "time_precision", "geo_precision", "notes"]), value=_cells)
def test_one_hostile_acled_cell(field, value):
    records = fx.acled_records("2019")[:2]
    records[1][field] = value
    result = _check(fx.csv_bytes(records), "acled.csv")
    assert result is not None  # one bad cell never makes the whole file unreadable
    events, report = result
    assert "acled-pak90001" in set(events.id)


@FUZZ_FILES
@given(cells=st.lists(st.tuples(_cells, st.sampled_from(["date", "end_date", "lat", "lon", "fatalities", "id",
                                                         "title", "source_url", "date_precision"])),
                      min_size=1, max_size=6))
def test_one_hostile_cell_in_our_columns_names_its_row_and_field(cells):
    # One file, a fine row before each row with one hostile cell: a cell never spoils another row.
    rows = []
    for number, (value, field) in enumerate(cells):
        rows += [make_row(id=f"fine-{number}"), make_row(**{"id": f"odd-{number}", field: value})]
    # CRLF line ends make the writer quote a lone CR in a cell (with "\n" it writes a broken file).
    data = table(*rows).to_csv(index=False, lineterminator="\r\n").encode()
    events, report = _check(data, "ours.csv")
    assert {f"fine-{number}" for number in range(len(cells))} <= set(events.id)
    bad = {p.row for p in report.errors}
    assert bad <= {3 + 2 * number for number in range(len(cells))}, report.lines()  # the odd rows' numbers


@FUZZ
@given(text=st.text(max_size=30))
def test_neutralised_cells_restore_exactly(text):
    cell = neutralise_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    back = restore_text_cells(pd.DataFrame({"title": [cell]}))["title"].iloc[0]
    assert back == text


_free_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1,
                     max_size=30).filter(lambda t: t.strip() and not re.fullmatch(r"(?s)\s*(NA|N/A|NULL)\s*", t))


@FUZZ_FILES
@given(texts=st.lists(_free_text, min_size=1, max_size=8))
def test_free_text_survives_export_and_import(texts):
    rows = [make_row(id=f"t-{number}", title=text, description=text) for number, text in enumerate(texts)]
    events, report = geodata.check_events(table(*rows))
    assume(len(events))  # the rows the check accepts go out and come back
    back, report, _ = import_events(events_to_csv(events), "export.csv")
    assert report.ok, report.lines()
    assert back.title.tolist() == events.title.tolist() and back.description.tolist() == events.description.tolist()


@FUZZ
@given(data=st.one_of(st.binary(max_size=1024), st.sampled_from([b"", b"\x00" * 10, b"a,b\n1,2\n",
                                                                 fx.csv_bytes(fx.acled_records("2019"))])))
def test_validate_path_raises_only_import_format_error(data):
    """What `python -m geodata validate` runs: read our columns, then check every row."""
    try:
        frame, rows, _ = read_event_table(data, "/tmp/secret/x.csv")
    except ImportFormatError as exc:
        assert "/tmp/secret" not in str(exc) and not _LEAKS.search(str(exc))
        return
    _, report = geodata.check_events(frame, row_numbers=rows)
    assert all(not _LEAKS.search(str(p)) for p in report.problems)

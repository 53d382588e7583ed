"""Analysts' own files: every ACLED layout, UCDP GED, GeoJSON, GeoPackage and our columns, one path, one report."""


import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, MultiPoint, Point, Polygon

import geodata
from geodata.importers import MAX_CELL_CHARS, ImportFormatError, ImportReport, detect_format, import_events
from tests.geodata import import_fixtures as fx
from tests.geodata.conftest import make_row, table

IN_AREA = {"acled-pak90001", "acled-irn90002", "acled-pak90003"}


def as_csv(frame, **kwargs) -> bytes:
    return frame.to_csv(index=False, **kwargs).encode(kwargs.pop("encoding", "utf-8"))


def ids(events) -> set:
    return set(events["id"])


# ----------------------------------------------------------------------------- ACLED, every layout


@pytest.mark.parametrize(
    "data, headline",
    [
        (fx.csv_bytes(fx.acled_records("pre2019"), newline="\r\n"), "ACLED export (pre-2019 layout, CSV), 6 rows"),
        (fx.csv_bytes(fx.acled_records("2019"), newline="\r\n"), "ACLED export (2019 layout, CSV), 6 rows"),
        (fx.csv_bytes(fx.acled_records("current")), "ACLED export (layout with disorder_type, CSV), 6 rows"),
        (fx.xlsx_bytes(fx.acled_records("current")), "ACLED export (layout with disorder_type, xlsx), 6 rows"),
        (fx.acled_api_json(envelope=True), "ACLED export (layout with disorder_type, API JSON), 6 rows"),
        (fx.acled_api_json(envelope=False), "ACLED export (layout with disorder_type, JSON records), 6 rows"),
    ],
    ids=["pre2019-crlf", "2019-d-Mon-yy", "current", "xlsx", "api-json", "api-json-bare"],
)
def test_every_acled_layout_is_detected_by_content_and_mapped(data, headline):
    events, report, kind = import_events(data, "no-extension-needed")
    assert kind == "acled"
    assert report.headline() == headline == report.lines()[0]
    assert ids(events) == IN_AREA and report.ok, report.lines()
    by_id = events.set_index("id")
    clash = by_id.loc["acled-pak90001"]
    assert (clash.event_type, clash.date, clash.country, clash.province, clash.location_precision) == (
        "clash", pd.Timestamp("2020-05-09"), "PK", "PK-BA", "town")
    assert clash.fatalities == 2 and clash.source_title == "ACLED: Test Wire"
    assert by_id.loc["acled-irn90002"].event_type == "attack"
    assert by_id.loc["acled-pak90003"].event_type == "unrest"
    # One line each for what is left out on purpose, never one error per row.
    assert "1 row outside the map area (Balochistan, Sistan and Baluchestan and their neighbours), not shown" \
        in report.notes
    assert "1 row in other countries (Afghanistan: 1), not shown" in report.notes
    assert any(note.startswith("1 row of ACLED types with no equivalent on this map (Strateg") for note in report.notes)


def test_pre_2019_notes_keep_their_line_breaks():
    events, _, _ = import_events(fx.csv_bytes(fx.acled_records("pre2019"), newline="\r\n"), "old.csv")
    assert events.set_index("id").loc["acled-pak90001", "description"] == \
        "Synthetic test row.\nSecond line of the note."


def test_acled_written_by_r_reads_na_as_missing():
    records = fx.acled_records("2019")
    for record in records:
        record["actor2"], record["admin2"] = "NA", "NA"
    records[0]["fatalities"] = "NA"
    events, report, _ = import_events(fx.csv_bytes(records), "from-r.csv")
    assert report.ok and ids(events) == IN_AREA
    clash = events.set_index("id").loc["acled-pak90001"]
    assert clash.actors == "Test Group A" and pd.isna(clash.district) and pd.isna(clash.fatalities)
    assert not events["actors"].str.contains("NA").any()


@pytest.mark.parametrize(
    "source, ours",
    [
        ("Battles", "clash"), ("Battle-No change of territory", "clash"), ("Battle - Government regains territory",
                                                                           "clash"),
        ("Battle-Non-state actor overtakes territory", "clash"), ("Explosions/Remote violence", "attack"),
        ("Remote violence", "attack"), ("Violence against civilians", "attack"), ("Protests", "unrest"),
        ("Riots", "unrest"), ("Riots/Protests", "unrest"), ("RIOTS/PROTESTS", "unrest"),
        ("Strategic developments", None), ("Strategic development", None), ("Headquarters or base established", None),
        ("Non-violent transfer of territory", None),
    ],
)
def test_acled_event_type_table(source, ours):
    records = fx.acled_records("current")[:1]
    records[0]["event_type"] = source
    events, report, _ = import_events(fx.csv_bytes(records), "one.csv")
    if ours is None:
        assert len(events) == 0 and report.ok and "no equivalent" in report.notes[0]
    else:
        assert list(events.event_type) == [ours]


@pytest.mark.parametrize("code, ours", [("1", "day"), ("2", "month"), ("3", "month")])
def test_acled_time_precision_table(code, ours):
    records = fx.acled_records("current")[:1]
    records[0]["time_precision"] = code
    events, _, _ = import_events(fx.csv_bytes(records), "one.csv")
    assert list(events.date_precision) == [ours]


@pytest.mark.parametrize(
    "written, iso",
    [("2020-05-09", "2020-05-09"), ("9-May-20", "2020-05-09"), ("09 May 2020", "2020-05-09"),
     ("09-May-2020", "2020-05-09"), ("9 May 2020", "2020-05-09"), ("01-January-2015", "2015-01-01"),
     ("15 January 2024", "2024-01-15"), ("43960", "2020-05-09"), ("2020-05-09T00:00:00Z", "2020-05-09")],
)
def test_date_forms(written, iso):
    records = fx.acled_records("current")[:1]
    records[0]["event_date"] = written
    events, report, _ = import_events(fx.csv_bytes(records), "one.csv")
    assert report.ok, report.lines()
    assert events.date.dt.strftime("%Y-%m-%d").tolist() == [iso]


@pytest.mark.parametrize(
    "written, words",
    [("05/06/2020", "is ambiguous"), ("31-Feb-20", "is not a date"), ("-2020-05-09", "is not a date"),
     ("２０２０-05-09", "is not a date"), ("9999-12-31", "outside 1900-01-01..2100-12-31"),
     ("1677-09-21", "outside 1900-01-01..2100-12-31")],
)
def test_bad_dates_are_row_errors_naming_the_value(written, words):
    records = fx.acled_records("current")[:2]
    records[1]["event_date"] = written
    events, report, _ = import_events(fx.csv_bytes(records), "two.csv")
    [error] = report.errors
    assert (error.row, error.field, error.event_id) == (3, "date", "acled-irn90002")
    assert words in error.message and repr(written) in error.message
    assert ids(events) == {"acled-pak90001"}


def test_xlsx_with_dates_typed_as_excel_serial_numbers():
    records = fx.acled_records("current")
    events, report, _ = import_events(fx.xlsx_bytes(records, dates_as_dates=False), "sheet.xlsx")
    assert report.ok and ids(events) == IN_AREA  # ISO text cells in a workbook read as well


# ----------------------------------------------------------------------------- UCDP GED


def test_ucdp_ged_keeps_inconsistent_ranges_as_warnings():
    events, report, kind = import_events(fx.csv_bytes(fx.ucdp_records()), "ged.csv")
    assert kind == "ucdp" and report.headline() == "UCDP GED (CSV), 4 rows"
    assert report.ok and ids(events) == {"ucdp-990001", "ucdp-990002", "ucdp-990003"}
    by_id = events.set_index("id")
    rask = by_id.loc["ucdp-990001"]
    assert (rask.event_type, rask.fatalities, rask.fatalities_low, rask.fatalities_high) == ("attack", 11, 11, 13)
    assert rask.date == pd.Timestamp("2023-12-15") and pd.isna(rask.end_date) and rask.location_precision == "town"
    swapped = by_id.loc["ucdp-990002"]
    assert (swapped.fatalities_low, swapped.fatalities, swapped.fatalities_high) == (2, 3, 5)
    assert swapped.source_title == "UCDP GED"  # no dangling "UCDP GED: " when the office is blank
    # date_prec 2 is a 2-6 day range: the day is kept with UCDP's own end date, not widened to a month.
    assert swapped.date_precision == "day" and swapped.end_date == pd.Timestamp("2024-04-05")
    widened = by_id.loc["ucdp-990003"]
    assert (widened.fatalities_low, widened.fatalities, widened.fatalities_high) == (2, 9, 9)
    assert widened.date_precision == "month" and widened.province == "PK-BA"
    warnings = {(w.row, w.field): w.message for w in report.warnings}
    assert warnings[(3, "fatalities_low")] == "UCDP low 5 > high 2: read as the range 2–5"
    assert warnings[(4, "fatalities_low")] == "UCDP best 9 is outside low 2 – high 4: range widened to 2–9"


@pytest.mark.parametrize("code, ours", [("1", "clash"), ("2", "clash"), ("3", "attack")])
def test_ucdp_type_of_violence_table(code, ours):
    records = fx.ucdp_records()[:1]
    records[0]["type_of_violence"] = code
    events, _, _ = import_events(fx.csv_bytes(records), "ged.csv")
    assert list(events.event_type) == [ours]


@pytest.mark.parametrize("code, ours", [("1", "exact"), ("2", "town"), ("3", "district"), ("4", "province"),
                                        ("5", "province"), ("6", "province"), ("7", "province")])
def test_ucdp_where_precision_table(code, ours):
    records = fx.ucdp_records()[:1]
    records[0]["where_prec"] = code
    events, _, _ = import_events(fx.csv_bytes(records), "ged.csv")
    assert list(events.location_precision) == [ours]


def test_ucdp_khyber_pakhtunkwa_spelling_is_recognised():
    from geodata.importers._common import province_code

    assert province_code(pd.Series(["Khyber Pakhtunkwa province"], dtype="string")).tolist() == ["PK-KP"]


# ----------------------------------------------------------------------------- our columns, any container


def test_our_csv_keeps_good_rows_and_names_bad_ones():
    data = as_csv(table(make_row(id="mine-1"), make_row(id="mine-2", lat="oops")))
    events, report, kind = import_events(data, "mine.csv")
    assert kind == "events" and list(events.id) == ["mine-1"]
    assert [(p.row, p.field) for p in report.errors] == [(3, "lat")]
    assert report.headline() == "Our event columns (CSV), 2 rows"


@pytest.mark.parametrize("delimiter, encoding, details", [
    (";", "utf-8", "CSV, semicolon-delimited"), ("\t", "utf-8", "CSV, tab-delimited"),
    ("|", "utf-8", "CSV, pipe-delimited"), (";", "cp1252", "CSV, semicolon-delimited, cp1252"),
    (",", "utf-8-sig", "CSV"), (",", "utf-16", "CSV, utf-16"),
])
def test_delimiter_and_encoding_are_sniffed(delimiter, encoding, details):
    rows = table(make_row(id="semi-1", title="Café attack — test"), make_row(id="semi-2"))
    data = rows.to_csv(index=False, sep=delimiter).encode(encoding)
    events, report, _ = import_events(data, "excel.csv")
    assert report.ok, report.lines()  # not "field 'id' is empty" nine times per row
    assert report.headline() == f"Our event columns ({details}), 2 rows"
    assert events.set_index("id").loc["semi-1", "title"].startswith("Caf")


def test_our_columns_in_a_workbook():
    rows = table(make_row(id="book-1"), make_row(id="book-2", date="2023-07-01")).to_dict("records")
    events, report, kind = import_events(fx.xlsx_bytes(rows, dates_as_dates=False), "mine.xlsx")
    assert kind == "events" and report.ok and list(events.id) == ["book-1", "book-2"]


def test_unrecognised_columns_are_named():
    with pytest.raises(ImportFormatError, match=r"x.csv: CSV with columns not recognised .*found: foo, bar"):
        import_events(b"foo,bar\n1,2\n", "x.csv")


# ----------------------------------------------------------------------------- vector files


def _points_frame(geometries=None):
    rows = table(make_row(id="geo-1"), make_row(id="geo-2", lat="27.37", lon="62.33", country="IR", province="IR-13"))
    geometry = geometries or [Point(float(r.lon), float(r.lat)) for r in rows.itertuples()]
    return gpd.GeoDataFrame(rows.drop(columns=["lat", "lon"]), geometry=geometry, crs="EPSG:4326")


def test_geojson_points():
    events, report, kind = import_events(_points_frame().to_json().encode("utf-8"), "mine.json")
    assert kind == "geojson" and report.ok and list(events.id) == ["geo-1", "geo-2"]
    assert report.headline() == "Our event columns (GeoJSON), 2 rows"
    assert events.set_index("id").loc["geo-2"].side == "IR"


def test_geojson_multipoints_are_exploded_and_polygons_refused_by_row():
    square = Polygon([(63.0, 26.0), (63.1, 26.0), (63.1, 26.1), (63.0, 26.0)])
    frame = _points_frame([MultiPoint([(63.05, 26.0), (62.9, 26.1)]), square])
    events, report, _ = import_events(frame.to_json().encode("utf-8"), "mixed.geojson")
    assert list(events.id) == ["geo-1-1", "geo-1-2"]
    assert events.geometry.x.tolist() == [63.05, 62.9]
    [error] = report.errors
    assert (error.row, error.field, error.event_id) == (2, "geometry", "geo-2")
    assert "is a Polygon; only points can be mapped" in error.message


def test_geopackage_in_a_metric_crs_is_reprojected(tmp_path):
    path = tmp_path / "mine.gpkg"
    frame = _points_frame().to_crs("EPSG:32641")
    frame.loc[len(frame)] = {**frame.iloc[0].to_dict(), "id": "geo-line", "geometry": LineString([(0, 0), (1, 1)])}
    frame.to_file(path, driver="GPKG")
    events, report, kind = import_events(path.read_bytes(), "mine.gpkg")
    assert kind == "gpkg" and report.headline() == "Our event columns (GeoPackage), 3 rows"
    assert set(events.id) == {"geo-1", "geo-2"}
    assert abs(events.set_index("id").loc["geo-1"].lon - 63.05) < 1e-6
    assert {(p.event_id, p.field) for p in report.errors} == {("geo-line", "geometry")}


def test_broken_geopackage_message_has_no_internal_path_or_sql(tmp_path):
    path = tmp_path / "mine.gpkg"
    _points_frame().to_file(path, driver="GPKG")
    data = path.read_bytes()
    broken = data[: len(data) // 2]  # raw pyogrio would answer with SQL and a /vsimem/... path
    with pytest.raises(ImportFormatError) as caught:
        import_events(broken, "/home/analyst/secret/mine.gpkg")
    message = str(caught.value)
    assert message.startswith("mine.gpkg: ")
    for leak in ("/vsimem", "/home", "SELECT", "sqlite", "pyogrio"):
        assert leak.lower() not in message.lower()


# ----------------------------------------------------------------------------- limits and errors


@pytest.mark.parametrize("data, name, words", [
    (b"\xff\xfe\x00junk", "x.csv", "x.csv"), (b"not json {", "x.geojson", "not recognised"),
    (b"", "x.gpkg", "the file is empty"), (b"[" * 100_000, "deep.json", "nested too deeply"),
    (b'{"status": 403, "success": false, "error": {"message": "x"}}', "api.json", r"API error response \(status 403\)"),
    (b"PK\x03\x04broken zip", "x.xlsx", "a zip archive, not an Excel workbook"), (b'{"type": "FeatureCollection", "features": 3}',
                                                             "x.geojson", "not a readable GeoJSON"),
])
def test_unreadable_files_raise_a_clear_error(data, name, words):
    with pytest.raises(ImportFormatError, match=words):
        import_events(data, name)


def test_file_size_cap(monkeypatch):
    monkeypatch.setattr("geodata.importers._text.MAX_FILE_BYTES", 100)
    with pytest.raises(ImportFormatError, match="over the 0 MB limit"):
        import_events(b"id,title\n" + b"x" * 200, "big.csv")


def test_cell_length_cap_is_a_row_error_and_other_rows_load():
    rows = table(make_row(id="long-1", description="x" * (MAX_CELL_CHARS + 1)), make_row(id="short-2"))
    events, report, _ = import_events(as_csv(rows), "long.csv")
    [error] = report.errors
    assert (error.row, error.field) == (2, "description") and f"limit is {MAX_CELL_CHARS:,}" in error.message
    assert list(events.id) == ["short-2"]


def test_detect_format():
    assert detect_format([c.upper() for c in fx.ACLED_PRE_2019]) == "acled"
    assert detect_format(fx.UCDP_GED) == "ucdp"
    assert detect_format(["id", "event_type", "title"]) == "events"
    assert detect_format(["foo"]) == ""


def test_report_is_a_validation_report_with_lines():
    _, report, _ = import_events(fx.csv_bytes(fx.ucdp_records()), "ged.csv")
    assert isinstance(report, ImportReport) and isinstance(report, geodata.ValidationReport)
    lines = report.lines()
    assert lines[0] == "UCDP GED (CSV), 4 rows"
    assert lines[1] == "1 row outside the map area (Balochistan, Sistan and Baluchestan and their neighbours), not shown"
    assert lines[2] == ("2 actor names not recognised (kept as text): Test Government (3 events), "
                        "Test Group A (3 events)")
    assert lines[3] == "3 rows ready; 0 rows with errors left out; 0 errors, 2 warnings"


def test_combine_puts_their_rows_next_to_ours_and_reports_id_clashes(shipped):
    theirs, report, _ = import_events(as_csv(table(make_row(id="mine-1"), make_row(id="market-mand-pishin"))), "m.csv")
    assert report.ok
    both, left_out = geodata.combine_events(shipped, theirs, "m.csv")
    assert left_out == ["market-mand-pishin"]
    assert len(both) == len(shipped) + 1 and both.id.is_unique
    assert both.set_index("id").loc["mine-1", "dataset"] == "m.csv"
    assert both.crs.to_epsg() == 4326


def test_row_cap(monkeypatch):
    monkeypatch.setattr("geodata.importers._text.MAX_ROWS", 1)
    with pytest.raises(ImportFormatError, match="2 rows is over the limit of 1 rows per file"):
        import_events(as_csv(table(make_row(id="a"), make_row(id="b"))), "many.csv")


def test_workbook_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr("geodata.importers._sheets.MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ImportFormatError, match="the workbook unpacks to .* over the"):
        import_events(fx.xlsx_bytes(fx.acled_records("current")), "bomb.xlsx")


def test_a_nul_byte_marks_a_binary_file():
    with pytest.raises(ImportFormatError, match="not a text file"):
        import_events(b"id,title\n\x00\x01\x02", "odd.csv")


def test_api_dump_with_a_pandas_index_column_and_data_id():
    records = [{"": str(i), "data_id": str(500 + i), **r} for i, r in enumerate(fx.acled_records("pre2019"))]
    events, report, kind = import_events(fx.csv_bytes(records), "dump2016.csv")
    assert kind == "acled" and report.ok and ids(events) == IN_AREA
    assert report.headline() == "ACLED export (pre-2019 layout, CSV), 6 rows"


def test_vector_files_read_in_blocks_give_the_same_rows(monkeypatch):
    from geodata.importers import _vector

    square = Polygon([(63.0, 26.0), (63.1, 26.0), (63.1, 26.1), (63.0, 26.0)])
    rows = table(*[make_row(id=f"geo-{i}", lat=str(26.0 + i / 100), lon=str(62.5 + i / 100)) for i in range(7)])
    shapes = [Point(62.5 + i / 100, 26.0 + i / 100) for i in range(7)]
    shapes[2], shapes[5] = MultiPoint([(63.05, 26.0), (62.9, 26.1), (62.8, 26.2)]), square
    data = gpd.GeoDataFrame(rows.drop(columns=["lat", "lon"]), geometry=shapes, crs="EPSG:4326").to_json().encode()
    whole, whole_report, _ = import_events(data, "blocks.geojson")
    monkeypatch.setattr(_vector, "_BLOCK", 2)  # several blocks, a MultiPoint in the second
    blocks, blocks_report, _ = import_events(data, "blocks.geojson")
    assert list(blocks.id) == list(whole.id) == ["geo-0", "geo-1", "geo-2-1", "geo-2-2", "geo-2-3", "geo-3", "geo-4",
                                                 "geo-6"]
    assert blocks.geometry.x.tolist() == whole.geometry.x.tolist()
    assert [(p.row, p.field) for p in blocks_report.errors] == [(p.row, p.field) for p in whole_report.errors] \
        == [(6, "geometry")]  # the sixth feature


def test_combine_refuses_the_label_of_the_shipped_data(shipped):
    theirs, _, _ = import_events(as_csv(table(make_row(id="mine-1"))), "m.csv")
    with pytest.raises(ValueError, match="names the shipped data"):
        geodata.combine_events(shipped, theirs, " CURATED ")

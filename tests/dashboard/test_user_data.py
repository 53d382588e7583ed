"""The upload: its messages (what the file was read as, summary lines, escaped), no lost page on a bug, and what
the session holds (read once, let go when the file is removed or replaced, progress while it is read)."""

import pytest

import geodata
from dashboard import session_files, state, user_data
from tests.geodata import import_fixtures as fx


class Uploaded:
    def __init__(self, data: bytes, name: str, file_id: str = "file-1"):
        self._data, self.name, self.file_id = data, name, file_id

    def getvalue(self) -> bytes:
        return self._data


class Slot:
    """Stands in for ``st.empty()``: records what the progress bar showed and that it was cleared."""

    def __init__(self):
        self.shown, self.cleared = [], False

    def progress(self, fraction, text=""):
        self.shown.append((fraction, text))
        return self

    def empty(self):
        self.cleared = True


@pytest.fixture
def ours():
    return geodata.load_events()


@pytest.fixture
def session(monkeypatch):
    values = {}
    monkeypatch.setattr(state.st, "session_state", values)
    return values


@pytest.fixture
def reads(monkeypatch):
    """Counts the files actually read (import_events calls)."""
    calls = []
    real = geodata.import_events

    def counted(data, name, **kwargs):
        calls.append(name)
        return real(data, name, **kwargs)

    monkeypatch.setattr(user_data.geodata, "import_events", counted)
    return calls


def acled_bytes(country=None):
    records = fx.acled_records("2019")
    if country is not None:
        records[5]["country"] = country
    return fx.csv_bytes(records)


def test_messages_say_what_the_file_was_read_as_and_escape_its_values(session, ours):
    session[session_files.UPLOAD] = Uploaded(acled_bytes("*Afghanistan*"), "acled_[x].csv")  # a file's value in a message
    merged = user_data.merge(ours, "curated")
    assert len(merged.events) == len(ours) + 3
    first = merged.info[0]
    assert first.startswith("Your data: 3 event(s) from acled\\_\\[x\\]\\.csv shown with ours.")
    assert "ACLED export \\(2019 layout, CSV\\), 6 rows" in first
    assert "1 row in other countries \\(\\*Afghanistan\\*\\: 1\\), not shown" in merged.info
    assert not merged.problems
    # The file's rows come after ours, labelled with the file's name; ours keep theirs.
    assert (merged.events["dataset"].iloc[len(ours):] == "acled_[x].csv").all()
    assert (merged.events["dataset"].iloc[:len(ours)] == "curated").all()


def test_an_unexpected_error_keeps_our_events(monkeypatch, session, ours):
    def broken(data, name, **kwargs):
        raise KeyError("/srv/app/internal")

    monkeypatch.setattr(user_data.geodata, "import_events", broken)
    session[session_files.UPLOAD] = Uploaded(b"id\n", "x.csv")
    merged = user_data.merge(ours, "curated")
    assert len(merged.events) == len(ours)
    assert merged.warnings == ["Your file was not loaded: an unexpected KeyError while reading x\\.csv. Please "
                               "report it with the file."]


def test_a_file_is_read_once_per_upload_and_let_go_when_removed(session, reads, ours):
    session[session_files.UPLOAD] = Uploaded(acled_bytes(), "a.csv")
    first = user_data.merge(ours, "curated")
    again = user_data.merge(ours, "curated")  # a filter change: the same frames, no second read
    assert reads == ["a.csv"] and again is first
    assert user_data.file_rows() == []  # without team data the file's own rows are not kept twice

    del session[session_files.UPLOAD]  # the analyst removes the file
    assert len(user_data.merge(ours, "curated").events) == len(ours)
    assert session_files.held_upload() is None

    session[session_files.UPLOAD] = Uploaded(acled_bytes(), "b.csv", file_id="file-2")
    user_data.merge(ours, "curated")
    assert reads == ["a.csv", "b.csv"]


def test_another_file_replaces_the_held_one(session, reads, ours):
    session[session_files.UPLOAD] = Uploaded(acled_bytes(), "a.csv")
    user_data.merge(ours, "curated")
    session[session_files.UPLOAD] = Uploaded(fx.csv_bytes(fx.acled_records("current")), "b.csv", file_id="file-2")
    merged = user_data.merge(ours, "curated")
    assert reads == ["a.csv", "b.csv"]
    assert session_files.held_upload().merged is merged and session_files.held_upload().tokens == ("file-2",)
    assert (merged.events["dataset"].iloc[len(ours):] == "b.csv").all()


def test_team_data_keeps_the_files_rows_and_merges_them_with_other_rows_without_reading_again(session, reads, ours):
    session[session_files.UPLOAD] = Uploaded(acled_bytes(), "a.csv")
    user_data.merge(ours, "team|rev1", keep_rows=True)
    (name, rows, report), = user_data.file_rows()
    assert name == "a.csv" and len(rows) == 3 and report.rows == 6
    fewer = ours.iloc[:10]
    merged = user_data.merge(fewer, "team|rev2", keep_rows=True)  # new store rows (a filter change, an edit)
    assert reads == ["a.csv"]
    assert len(merged.events) == 10 + 3


def test_progress_is_shown_while_reading_and_cleared_after(session, ours):
    session[session_files.UPLOAD] = Uploaded(acled_bytes(), "a.csv")
    slot = Slot()
    user_data.merge(ours, "curated", progress_slot=slot)
    fractions = [f for f, _ in slot.shown]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert any("Checking and placing 3 rows" in text for _, text in slot.shown)
    assert slot.cleared


def test_a_file_named_curated_never_passes_for_the_shipped_data(session, ours):
    session[session_files.UPLOAD] = Uploaded(acled_bytes(), "Curated")
    merged = user_data.merge(ours, "curated")
    theirs = merged.events["dataset"].iloc[len(ours):]
    assert len(theirs) == 3 and (theirs == "Curated (your file)").all()
    facts = geodata.data_as_of(merged.events)
    assert facts.events == len(ours)  # the trust line counts the shipped rows only


def test_a_file_with_no_row_in_the_area_is_a_warning_not_an_info(session, ours):
    gilgit = [r for r in fx.acled_records("2019") if r["admin1"] == "Gilgit-Baltistan"]  # outside the map area
    assert len(gilgit) == 1
    session[session_files.UPLOAD] = Uploaded(fx.csv_bytes(gilgit), "gilgit.csv")
    merged = user_data.merge(ours, "curated")
    assert len(merged.events) == len(ours)
    assert merged.info == []  # no blue box saying all is well
    [warning] = merged.warnings
    lines = warning.split("  \n")
    assert lines[0].startswith("Your data: no event from gilgit\\.csv is shown.")
    assert "ACLED export \\(2019 layout, CSV\\), 1 row" in lines[0]
    assert lines[1] == ("1 row outside the map area \\(Balochistan, Sistan and Baluchestan and their neighbours\\), "
                        "not shown")


# ------------------------------------------------------------------------------------- several files at once


def two_files(session):
    session[session_files.UPLOAD] = [Uploaded(acled_bytes(), "acled.csv", file_id="f-acled"),
                             Uploaded(fx.csv_bytes(fx.ucdp_records()), "ged.csv", file_id="f-ged")]


def test_two_files_are_two_datasets_after_ours_with_ids_that_never_collide(session, reads, ours):
    two_files(session)
    merged = user_data.merge(ours, "curated")
    assert reads == ["acled.csv", "ged.csv"]
    assert len(merged.events) == len(ours) + 3 + 3
    labels = merged.events["dataset"]
    assert (labels.iloc[:len(ours)] == "curated").all()
    assert labels.iloc[len(ours):].tolist() == ["acled.csv"] * 3 + ["ged.csv"] * 3
    assert merged.events["id"].is_unique
    assert [(u.label, u.slot, u.added) for u in merged.uploads] == [("acled.csv", 1, 3), ("ged.csv", 2, 3)]
    assert merged.uploads[0].colour != merged.uploads[1].colour
    assert merged.slots() == {"acled.csv": 1, "ged.csv": 2}
    assert merged.label == "acled\\.csv + ged\\.csv"
    assert [line.split(".")[0] for line in merged.info if line.startswith("Your data")] == [
        "Your data: 3 event(s) from acled\\", "Your data: 3 event(s) from ged\\"]
    assert user_data.merge(ours, "curated") is merged and len(reads) == 2  # a rerun reads nothing


def test_removing_one_file_keeps_the_other_without_reading_it_and_frees_its_colour(session, reads, ours):
    two_files(session)
    user_data.merge(ours, "curated")
    session[session_files.UPLOAD] = session[session_files.UPLOAD][1:]  # the analyst removes the ACLED file
    merged = user_data.merge(ours, "curated")
    assert reads == ["acled.csv", "ged.csv"]
    assert len(merged.events) == len(ours) + 3
    assert merged.events["dataset"].iloc[len(ours):].tolist() == ["ged.csv"] * 3
    assert [(u.label, u.slot) for u in merged.uploads] == [("ged.csv", 2)]  # its ring keeps its colour
    session[session_files.UPLOAD] = [*session[session_files.UPLOAD], Uploaded(acled_bytes(), "acled.csv", file_id="f-acled-2")]
    merged = user_data.merge(ours, "curated")
    assert reads == ["acled.csv", "ged.csv", "acled.csv"]
    assert [(u.label, u.slot) for u in merged.uploads] == [("ged.csv", 2), ("acled.csv", 1)]
    session[session_files.UPLOAD] = []
    assert user_data.merge(ours, "curated").events is ours and session_files.held_upload() is None


def test_the_same_file_twice_is_a_second_dataset_whose_taken_ids_are_reported(session, ours):
    session[session_files.UPLOAD] = [Uploaded(acled_bytes(), "a.csv", file_id="f-1"),
                             Uploaded(acled_bytes(), "a.csv", file_id="f-2")]
    merged = user_data.merge(ours, "curated")
    assert [(u.label, u.added) for u in merged.uploads] == [("a.csv", 3), ("a.csv (2)", 0)]
    assert len(merged.events) == len(ours) + 3 and merged.events["id"].is_unique
    assert any("3 row(s) of a\\.csv \\(2\\) reuse ids of the curated data or of another file" in w
               for w in merged.warnings)


def test_a_file_switched_off_is_a_mask_of_its_rows(session, ours):
    two_files(session)
    merged = user_data.merge(ours, "curated")
    assert merged.hidden() is None  # both on by default
    session[session_files.upload_shown_key("f-acled")] = False
    hidden = merged.hidden()
    assert hidden.sum() == 3 and hidden[len(ours):len(ours) + 3].all()


def test_a_file_read_for_the_first_time_moves_the_map_to_its_rows_once(session, ours, monkeypatch):
    asked = []
    monkeypatch.setattr(user_data.url_view, "request_view", lambda center, zoom: asked.append((center, zoom)))
    two_files(session)
    merged = user_data.merge(ours, "curated")
    assert asked == [merged.uploads[1].view]  # the last file read
    rows = merged.events.iloc[len(ours) + 3:]
    (lat, lon), zoom = merged.uploads[1].view
    assert rows["lat"].min() <= lat <= rows["lat"].max() and rows["lon"].min() <= lon <= rows["lon"].max()
    user_data.merge(ours, "curated")
    session[session_files.upload_shown_key("f-ged")] = False
    user_data.merge(ours, "curated")
    assert len(asked) == 1  # reruns and toggles leave the map where the analyst puts it


def test_team_data_keeps_each_files_rows(session, ours):
    two_files(session)
    user_data.merge(ours, "team|rev1", keep_rows=True)
    assert [(name, len(rows)) for name, rows, _ in user_data.file_rows()] == [("acled.csv", 3), ("ged.csv", 3)]
    merged = user_data.merge(ours.iloc[:10], "team|rev2", keep_rows=True)
    assert merged.events["dataset"].tolist() == ["curated"] * 10 + ["acled.csv"] * 3 + ["ged.csv"] * 3

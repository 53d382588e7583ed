"""The upload: its messages (what the file was read as, summary lines, escaped), no lost page on a bug, and what
the session holds (read once, let go when the file is removed or replaced, progress while it is read)."""

import pytest

import geodata
from dashboard import state, user_data
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
    session[state.UPLOAD] = Uploaded(acled_bytes("*Afghanistan*"), "acled_[x].csv")  # a file's value in a message
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
    session[state.UPLOAD] = Uploaded(b"id\n", "x.csv")
    merged = user_data.merge(ours, "curated")
    assert len(merged.events) == len(ours)
    assert merged.warnings == ["Your file was not loaded: an unexpected KeyError while reading x\\.csv. Please "
                               "report it with the file."]


def test_a_file_is_read_once_per_upload_and_let_go_when_removed(session, reads, ours):
    session[state.UPLOAD] = Uploaded(acled_bytes(), "a.csv")
    first = user_data.merge(ours, "curated")
    again = user_data.merge(ours, "curated")  # a filter change: the same frames, no second read
    assert reads == ["a.csv"] and again is first
    assert user_data.file_rows() is None  # without team data the file's own rows are not kept twice

    del session[state.UPLOAD]  # the analyst removes the file
    assert len(user_data.merge(ours, "curated").events) == len(ours)
    assert state.held_upload() is None

    session[state.UPLOAD] = Uploaded(acled_bytes(), "b.csv", file_id="file-2")
    user_data.merge(ours, "curated")
    assert reads == ["a.csv", "b.csv"]


def test_another_file_replaces_the_held_one(session, reads, ours):
    session[state.UPLOAD] = Uploaded(acled_bytes(), "a.csv")
    user_data.merge(ours, "curated")
    session[state.UPLOAD] = Uploaded(fx.csv_bytes(fx.acled_records("current")), "b.csv", file_id="file-2")
    merged = user_data.merge(ours, "curated")
    assert reads == ["a.csv", "b.csv"]
    assert state.held_upload().merged is merged and state.held_upload().token == "file-2"


def test_team_data_keeps_the_files_rows_and_merges_them_with_other_rows_without_reading_again(session, reads, ours):
    session[state.UPLOAD] = Uploaded(acled_bytes(), "a.csv")
    user_data.merge(ours, "team|rev1", keep_rows=True)
    rows, report = user_data.file_rows()
    assert len(rows) == 3 and report.rows == 6
    fewer = ours.iloc[:10]
    merged = user_data.merge(fewer, "team|rev2", keep_rows=True)  # new store rows (a filter change, an edit)
    assert reads == ["a.csv"]
    assert len(merged.events) == 10 + 3


def test_progress_is_shown_while_reading_and_cleared_after(session, ours):
    session[state.UPLOAD] = Uploaded(acled_bytes(), "a.csv")
    slot = Slot()
    user_data.merge(ours, "curated", progress_slot=slot)
    fractions = [f for f, _ in slot.shown]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert any("Checking and placing 3 rows" in text for _, text in slot.shown)
    assert slot.cleared


def test_a_file_named_curated_never_passes_for_the_shipped_data(session, ours):
    session[state.UPLOAD] = Uploaded(acled_bytes(), "Curated")
    merged = user_data.merge(ours, "curated")
    theirs = merged.events["dataset"].iloc[len(ours):]
    assert len(theirs) == 3 and (theirs == "Curated (your file)").all()
    facts = geodata.data_as_of(merged.events)
    assert facts.events == len(ours)  # the trust line counts the shipped rows only


def test_a_file_with_no_row_in_the_area_is_a_warning_not_an_info(session, ours):
    gilgit = [r for r in fx.acled_records("2019") if r["admin1"] == "Gilgit-Baltistan"]  # outside the map area
    assert len(gilgit) == 1
    session[state.UPLOAD] = Uploaded(fx.csv_bytes(gilgit), "gilgit.csv")
    merged = user_data.merge(ours, "curated")
    assert len(merged.events) == len(ours)
    assert merged.info == []  # no blue box saying all is well
    [warning] = merged.warnings
    lines = warning.split("  \n")
    assert lines[0].startswith("Your data: no event from gilgit\\.csv is shown.")
    assert "ACLED export \\(2019 layout, CSV\\), 1 row" in lines[0]
    assert lines[1] == ("1 row outside the map area \\(Balochistan, Sistan and Baluchestan and their neighbours\\), "
                        "not shown")

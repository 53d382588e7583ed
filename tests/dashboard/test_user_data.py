"""The upload's messages: what the file was read as, the summary lines (escaped), and no lost page on a bug."""

import pytest

import geodata
from dashboard import state, user_data
from tests.geodata import import_fixtures as fx


class Uploaded:
    def __init__(self, data: bytes, name: str):
        self._data, self.name = data, name

    def getvalue(self) -> bytes:
        return self._data


@pytest.fixture
def ours():
    return geodata.load_events()


def upload(monkeypatch, data, name, imported=None):
    monkeypatch.setattr(user_data.st, "session_state", {state.UPLOAD: Uploaded(data, name)})
    monkeypatch.setattr(user_data.cache, "imported", imported or (lambda d, n: geodata.import_events(d, n)))


def test_messages_say_what_the_file_was_read_as_and_escape_its_values(monkeypatch, ours):
    records = fx.acled_records("2019")
    records[5]["country"] = "*Afghanistan*"  # a file's own value reaches a markdown message
    upload(monkeypatch, fx.csv_bytes(records), "acled_[x].csv")
    merged = user_data.merge(ours)
    assert len(merged.events) == len(ours) + 3
    first = merged.info[0]
    assert first.startswith("Your data: 3 event(s) from acled\\_\\[x\\]\\.csv shown with ours.")
    assert "ACLED export \\(2019 layout, CSV\\), 6 rows" in first
    assert "1 row in other countries \\(\\*Afghanistan\\*\\: 1\\), not shown" in merged.info
    assert not merged.problems


def test_an_unexpected_error_keeps_our_events(monkeypatch, ours):
    def broken(data, name):
        raise KeyError("/srv/app/internal")

    upload(monkeypatch, b"id\n", "x.csv", imported=broken)
    merged = user_data.merge(ours)
    assert len(merged.events) == len(ours)
    assert merged.warnings == ["Your file was not loaded: an unexpected KeyError while reading it. Please report it "
                               "with the file."]

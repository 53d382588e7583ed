"""AppTest: several uploaded files on the page — a toggle per file that narrows every count, a "Fit map to" button
per file, the note that files are not in the link, and file names that stay text."""

from streamlit.testing.v1 import AppTest

from dashboard import session_files, state
from dashboard.text import md_escape
from tests.dashboard.test_app import APP, TOTAL, caption_count
from tests.geodata import import_fixtures as fx

HOSTILE = "*bold* <b>x</b> [link](http://x).csv"


def test_two_files_each_toggled_and_fitted():
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.file_uploader(key=session_files.UPLOAD).set_value([
        ("acled.csv", fx.csv_bytes(fx.acled_records("2019")), "text/csv"),
        (HOSTILE, fx.csv_bytes(fx.ucdp_records()), "text/csv"),
    ]).run()
    assert not at.exception
    assert caption_count(at) == (TOTAL + 6, TOTAL + 6)
    toggles = [t for t in at.toggle if t.key.startswith("w_upload_on_")]
    assert [t.label for t in toggles] == [md_escape("acled.csv (3)"), md_escape(f"{HOSTILE} (3)")]  # names are text
    assert all(t.value for t in toggles)
    assert any("not in the link" in c.value for c in at.sidebar.caption)
    fits = [b for b in at.button if b.key and b.key.startswith("upload_fit_")]
    assert len(fits) == 2 and fits[0].label == "Fit map to acled\\.csv"

    toggles[0].set_value(False).run()
    assert caption_count(at)[0] == TOTAL + 3
    [t for t in at.toggle if t.key.startswith("w_upload_on_")][0].set_value(True).run()
    assert caption_count(at)[0] == TOTAL + 6

    before = at.session_state["_requested_view"]
    fits = [b for b in at.button if b.key and b.key.startswith("upload_fit_")]
    fits[0].click().run()
    assert not at.exception and at.session_state["_requested_view"] != before

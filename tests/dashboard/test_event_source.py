"""dashboard.event_source over the files store: the same Source methods as for the team store, with an in-memory
store's page holding every event (filtered by the page in pandas, the map's dataset named once)."""

import geodata
from dashboard import event_source
from geodata import EventFilter
from geodata.store import FilesStore, StoreUnavailable


def _files() -> FilesStore:
    store = FilesStore()
    store.load()
    return store


def test_without_a_database_the_files_store_is_the_source():
    files = _files()
    source = event_source.load(files, None)
    assert source.store is files and not source.database
    assert source.label == "curated dataset" and source.report is files.report
    assert source.provinces == tuple(sorted(files.load()["province"].dropna().unique()))
    page = source.page(EventFilter(event_types=("attack",)))
    assert page.events is files.load() and page.key == "curated dataset"  # every event, one dataset key
    assert not page.capped and page.counts_with(page.events) is None
    selected = page.events["id"].iloc[0]
    assert source.with_selected(page.events, selected) is page.events
    assert source.place_status().equals(geodata.load_place_status())
    assert source.notices() == []


def test_a_database_lost_mid_run_falls_back_to_the_files(monkeypatch):
    files = _files()

    class Lost:
        label, writable = "team database db", True

    source = event_source.Source(Lost(), files, url="postgresql://db/team", revision=3)
    assert source.database and source.label == "team database db (change 3)"

    def unreachable(*args, **kwargs):
        raise StoreUnavailable("The team database db cannot be reached.")

    monkeypatch.setattr(event_source.cache, "team_page", unreachable)
    page = source.page(EventFilter())
    assert page.events is files.load() and not source.database and source.store is files
    [notice] = source.notices()
    assert notice.kind == "error" and "cannot be reached" in notice.text

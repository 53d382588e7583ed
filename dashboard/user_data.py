"""An analyst's uploaded file, read, validated and put next to the curated events.

What a file becomes is held in this session only (``state.hold_upload``): never in a cache shared by every
session, so a 400,000-row file costs memory while it is in the uploader and is let go when the analyst removes
it, chooses another or closes the tab. A rerun (a filter change) reuses it without reading the file again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

import geodata
from dashboard import memory, state
from dashboard.text import md_escape
from geodata.provenance import names_ours
from geodata.store import events_text


@dataclass
class Merged:
    """Our events plus the file's valid rows (appended after ours), and what the page says about the file."""

    events: gpd.GeoDataFrame
    label: str = ""
    info: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass
class _Held:
    token: str
    base_key: str  # the events the file was merged with (Page.key)
    merged: Merged
    rows: gpd.GeoDataFrame | None  # the file's valid rows; kept only where team data can take them
    report: geodata.ImportReport | None


def merge(ours: gpd.GeoDataFrame, base_key: str, *, keep_rows: bool = False, progress_slot=None) -> Merged:
    """Our events plus the uploaded file's valid rows; messages say what was read and what was left out.

    ``base_key`` names ``ours`` (a new key merges again); ``keep_rows`` keeps the file's own rows for "Add to team
    data"; ``progress_slot`` (an ``st.empty()``) shows a progress bar while a file is read.
    """
    uploaded = state.uploaded_file()
    if uploaded is None:
        state.release_upload()
        return Merged(ours)
    token = state.upload_token()
    held = state.held_upload()
    if isinstance(held, _Held) and held.token == token:
        if held.base_key == base_key:
            return held.merged
        if held.rows is not None:  # the same file over other team rows: merge again without reading it
            merged = _merged(ours, held.rows, held.report, uploaded.name, team=True)
            state.hold_upload(_Held(token, base_key, merged, held.rows, held.report), merged.events)
            return merged
    state.release_upload()  # the previous file's frames go before the next is read: never two at once
    name = md_escape(uploaded.name)  # messages are markdown; a file name is data
    try:
        theirs, report, _kind = _read(uploaded, progress_slot)
    except geodata.ImportFormatError as exc:
        merged, theirs, report = Merged(ours, warnings=[f"Your file was not loaded: {md_escape(exc)}"]), None, None
    except Exception as exc:  # a bug of ours must not cost the analyst the page: ours stay on the map
        merged, theirs, report = Merged(ours, warnings=[
            f"Your file was not loaded: an unexpected {type(exc).__name__} while reading {name}. Please report "
            "it with the file."]), None, None
    else:
        memory.give_back()  # what reading the file used and no longer needs, before the merge copies the rows
        merged = _merged(ours, theirs, report, uploaded.name, team=keep_rows)
    kept = theirs if keep_rows else None
    state.hold_upload(_Held(token, base_key, merged, kept, report), *(f for f in (merged.events, kept) if f is not None))
    if kept is None and theirs is not None:
        theirs = None  # the merged frame has the file's rows: this copy goes now, not when the run ends
        memory.give_back()
    return merged


def file_rows() -> tuple[gpd.GeoDataFrame, geodata.ImportReport] | None:
    """The uploaded file's valid rows and its report, when held for team data (``merge(keep_rows=True)``)."""
    held = state.held_upload()
    if not isinstance(held, _Held) or held.token != state.upload_token() or held.rows is None:
        return None
    return held.rows, held.report


def _read(uploaded, progress_slot):
    bar = progress_slot.progress(0.0, text="Reading your file…") if progress_slot is not None else None

    def progress(fraction: float, what: str) -> None:
        # Between stages, what the last one used and dropped goes back before the next allocates. Not at 1.0:
        # the import's own frames are still alive then; they go after it returns (see merge).
        if 0 < fraction < 1:
            memory.give_back()
        if bar is not None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=md_escape(what))

    try:
        return geodata.import_events(uploaded.getvalue(), uploaded.name, progress=progress)
    finally:
        if progress_slot is not None:
            progress_slot.empty()


def _already_there(ours: gpd.GeoDataFrame, theirs: gpd.GeoDataFrame, clashes: list[str]) -> set[str]:
    """The clashing ids whose row is the same event in both (every CSV column equal): rows of this file already
    added to team data, not a reuse of someone else's id."""
    if not clashes:
        return set()
    mine = events_text(ours[ours["id"].isin(clashes)].drop_duplicates("id")).set_index("id")
    file = events_text(theirs[theirs["id"].isin(clashes)].drop_duplicates("id")).set_index("id")
    mine = mine.reindex(file.index)
    return set(file.index[(mine == file).all(axis=1).to_numpy()])


def _merged(ours: gpd.GeoDataFrame, theirs: gpd.GeoDataFrame, report, file_name: str, *,
            team: bool = False) -> Merged:
    name = md_escape(file_name)
    # The rows are marked with the file's name; a file named "curated" must not pass for the shipped data.
    label = f"{file_name} (your file)" if names_ours(file_name) else file_name
    events, clashes = geodata.combine_events(ours, theirs, label)
    merged = Merged(events, label=name)
    added = len(theirs) - len(clashes)
    # The headline says what the file was read as ("ACLED export (2019 layout, CSV), 389 rows"); the notes
    # summarise rows left out on purpose and may quote the file's own values, so both are escaped.
    read_as = f"Read as {md_escape(report.headline())}."
    notes = [md_escape(note) for note in report.notes]
    if added:
        merged.info += [f"Your data: {added:,} event(s) from {name} shown with ours. {read_as}", *notes]
    else:  # nothing of the file reached the map (all outside the area, other countries, bad rows...): a warning
        merged.warnings.append("  \n".join([f"Your data: no event from {name} is shown. {read_as}", *notes]))
    # In team mode "ours" is the team data: after "Add to team data" the file's rows are there, the same events.
    same = _already_there(ours, theirs, clashes) if team else set()
    if same:
        merged.info.append(f"{len(same):,} row(s) of {name} are already in the team data (the same events): "
                           "shown once.")
    if reused := [c for c in clashes if c not in same]:
        merged.warnings.append(
            f"{len(reused)} row(s) of {name} reuse ids of the {'team' if team else 'curated'} data and are not "
            "added: " + md_escape(", ".join(reused[:10])) + (" …" if len(reused) > 10 else "")
        )
    if not report.ok:
        merged.warnings.append(
            f"{len(report.bad_rows()):,} row(s) of {name} have errors and are not shown; the others are."
        )
    merged.problems = [str(p) for p in report.problems[:500]]
    return merged

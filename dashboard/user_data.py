"""An analyst's uploaded files, each read and validated once, and put next to the curated events.

Each file is its own dataset: its rows carry its label in the ``dataset`` column, and it has a ring colour (a
slot of :data:`UPLOAD_COLOURS`), a count, an on/off toggle (``session_files.upload_shown``) and a view that fits its rows.
What the files become is held in this session only (``session_files.hold_upload``): never in a cache shared by every
session. One frame holds our rows and every file's (a file's rows are never held twice, except for team data,
which keeps the file's own rows to add them); removing one file keeps the others without reading them again,
and the removed file's rows go back to the system. A rerun (a filter change) reuses the held frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np

import geodata
from dashboard import memory, session_files, url_view
from dashboard.fit import fit_view
from dashboard.text import md_escape
from geodata.provenance import names_ours
from geodata.store import events_text

#: Ring colours of uploaded files, one per file in upload order (a removed file's colour goes to the next new
#: file). Colour-blind safe (Paul Tol's "muted" and "dark" schemes) and apart from the event types' Okabe–Ito
#: colours; a sixth file shares the first one's colour, and its legend line and name tell them apart.
UPLOAD_COLOURS = ("#6A3D9A", "#882255", "#117733", "#999933", "#8C510A")


@dataclass
class Upload:
    """One uploaded file as the page shows it."""

    token: str  #: the uploader's file id
    label: str  #: the dataset label of its rows (its file name; made unique among the files), raw text
    slot: int  #: 1, 2, …: its ring colour and its number in the map's data
    added: int = 0  #: its rows on the map (valid, in the area, ids not taken)
    view: tuple | None = None  #: ((lat, lon), zoom) that fits its rows
    info: list[str] = field(default_factory=list)  # markdown, escaped
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rows: gpd.GeoDataFrame | None = field(default=None, repr=False)  # its own rows, only for team data
    report: geodata.ImportReport | None = field(default=None, repr=False)

    @property
    def colour(self) -> str:
        return UPLOAD_COLOURS[(self.slot - 1) % len(UPLOAD_COLOURS)]


@dataclass
class Merged:
    """Our events plus each file's valid rows (appended after ours, in the uploader's order)."""

    events: gpd.GeoDataFrame
    uploads: list[Upload] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The files' labels, markdown-escaped and joined ("" without files)."""
        return " + ".join(md_escape(u.label) for u in self.uploads)

    @property
    def info(self) -> list[str]:
        return [line for u in self.uploads for line in u.info]

    @property
    def warnings(self) -> list[str]:
        return [line for u in self.uploads for line in u.warnings]

    @property
    def problems(self) -> list[str]:
        return [line for u in self.uploads for line in u.problems]

    def slots(self) -> dict[str, int]:
        """Each file's label and slot (the map's data numbers a file's rows by it)."""
        return {u.label: u.slot for u in self.uploads}

    def hidden(self, shown=session_files.upload_shown) -> np.ndarray | None:
        """Rows of the files switched off (``shown(token)`` False), or None when every file is shown."""
        off = [u.label for u in self.uploads if not shown(u.token)]
        return self.events["dataset"].isin(off).to_numpy() if off else None


@dataclass
class _Held:
    base_key: str  # the events the files were merged with (Page.key)
    tokens: tuple[str, ...]
    merged: Merged


def merge(ours: gpd.GeoDataFrame, base_key: str, *, keep_rows: bool = False, progress_slot=None) -> Merged:
    """Our events plus every uploaded file's valid rows; messages say what was read and what was left out.

    ``base_key`` names ``ours`` (a new key merges again, without reading the files again); ``keep_rows`` keeps
    each file's own rows for "Add to team data"; ``progress_slot`` (an ``st.empty()``) shows a progress bar
    while a file is read. A file read for the first time moves the map to its rows (``url_view.request_view``).
    """
    files = session_files.uploaded_files()
    if not files:
        session_files.release_upload()
        return Merged(ours)
    tokens = tuple(session_files.file_token(f) for f in files)
    held = session_files.held_upload()
    held = held if isinstance(held, _Held) else None
    if held is not None and held.tokens == tokens and held.base_key == base_key:
        return held.merged
    known = {u.token: u for u in held.merged.uploads} if held is not None else {}
    kept = [known[t] for t in tokens if t in known]
    events = _kept_rows(ours, base_key, held, kept, keep_rows)
    held = known = None
    session_files.release_upload()  # the old frame goes before a new file is read: a file's rows are never held twice
    memory.give_back()
    uploads = list(kept)
    newest = None
    for uploaded, token in zip(files, tokens):
        if any(u.token == token for u in kept):
            continue
        slot = min(set(range(1, len(uploads) + 2)) - {u.slot for u in uploads})
        label = _unique_label(uploaded.name, {u.label for u in uploads})
        events, upload = _read_one(events, uploaded, token, label, slot, keep_rows, progress_slot)
        uploads.append(upload)
        if upload.view is not None:
            newest = upload
    order = {t: i for i, t in enumerate(tokens)}
    merged = Merged(events, sorted(uploads, key=lambda u: order[u.token]))
    session_files.hold_upload(_Held(base_key, tokens, merged), merged.events,
                      *(u.rows for u in merged.uploads if u.rows is not None))
    if newest is not None:  # the first time a file is shown, the map goes to its rows
        url_view.request_view(*newest.view)
    return merged


def file_rows() -> list[tuple[str, gpd.GeoDataFrame, geodata.ImportReport]]:
    """Each uploaded file's label, valid rows and report, when held for team data (``merge(keep_rows=True)``)."""
    held = session_files.held_upload()
    if not isinstance(held, _Held) or held.tokens != tuple(session_files.file_token(f) for f in session_files.uploaded_files()):
        return []
    return [(u.label, u.rows, u.report) for u in held.merged.uploads if u.rows is not None]


def _kept_rows(ours, base_key, held: _Held | None, kept: list[Upload], keep_rows: bool) -> gpd.GeoDataFrame:
    """Our events and the rows of the files still in the uploader (``kept``), without reading them again."""
    if held is None or not kept:
        return ours
    old = held.merged.events
    if held.base_key == base_key:
        if len(kept) == len(held.merged.uploads):
            return old
        keep = ~old["dataset"].isin([u.label for u in held.merged.uploads if u not in kept]).to_numpy()
        return old[keep].reset_index(drop=True)
    # Other base rows (the team store's page changed): the files' rows go next to them, in the same order.
    events = ours
    for upload in kept:
        if not upload.added:
            continue
        theirs = upload.rows if upload.rows is not None and keep_rows else old[old["dataset"] == upload.label]
        theirs = theirs.drop(columns="dataset", errors="ignore")
        events, clashes = geodata.combine_events(events, theirs, upload.label)
        # After "Add to team data" the file's rows are in the new team rows: the same events, shown once.
        same = _already_there(ours, theirs, clashes)
        note = (f"{len(same):,} row(s) of {md_escape(upload.label)} are already in the team data (the same events): "
                "shown once.")
        if same and note not in upload.info:
            upload.info.append(note)
    return events


def _unique_label(file_name: str, taken: set[str]) -> str:
    # The rows are marked with the file's name; a file named "curated" must not pass for the shipped data, and
    # two files of one name (exports from two folders) stay two datasets.
    label = f"{file_name} (your file)" if names_ours(file_name) else file_name
    number, unique = 2, label
    while unique in taken:
        unique, number = f"{label} ({number})", number + 1
    return unique


def _read_one(events, uploaded, token, label, slot, keep_rows, progress_slot):
    """``events`` with the valid rows of ``uploaded`` appended, and the file as the page shows it."""
    name = md_escape(uploaded.name)  # messages are markdown; a file name is data
    try:
        theirs, report, _kind = _read(uploaded, progress_slot)
    except geodata.ImportFormatError as exc:
        return events, Upload(token, label, slot, warnings=[f"Your file was not loaded: {md_escape(exc)}"])
    except Exception as exc:  # a bug of ours must not cost the analyst the page: ours stay on the map
        return events, Upload(token, label, slot, warnings=[
            f"Your file was not loaded: an unexpected {type(exc).__name__} while reading {name}. Please report "
            "it with the file."])
    memory.give_back()  # what reading the file used and no longer needs, before the merge copies the rows
    combined, upload = _merged(events, theirs, report, token, label, slot, team=keep_rows)
    upload.report = report
    if keep_rows:
        upload.rows = theirs
    theirs = events = None  # the combined frame has the file's rows: this copy goes now, not when the run ends
    memory.give_back()
    return combined, upload


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


def _merged(events: gpd.GeoDataFrame, theirs: gpd.GeoDataFrame, report, token: str, label: str, slot: int,
            team: bool = False):
    name = md_escape(label)
    ours = events
    events, clashes = geodata.combine_events(events, theirs, label)
    added = len(theirs) - len(clashes)
    mine = events.iloc[len(events) - added:]
    upload = Upload(token, label, slot, added=added, view=fit_view(mine["lat"], mine["lon"]) if added else None)
    # The headline says what the file was read as ("ACLED export (2019 layout, CSV), 389 rows"); the notes
    # summarise rows left out on purpose and may quote the file's own values, so both are escaped.
    read_as = f"Read as {md_escape(report.headline())}."
    notes = [md_escape(note) for note in report.notes]
    if added:
        upload.info += [f"Your data: {added:,} event(s) from {name} shown with ours. {read_as}", *notes]
    else:  # nothing of the file reached the map (all outside the area, other countries, bad rows...): a warning
        upload.warnings.append("  \n".join([f"Your data: no event from {name} is shown. {read_as}", *notes]))
    # In team mode "ours" is the team data: after "Add to team data" the file's rows are there, the same events.
    same = _already_there(ours, theirs, clashes) if team else set()
    if same:
        upload.info.append(f"{len(same):,} row(s) of {name} are already in the team data (the same events): "
                           "shown once.")
    if reused := [c for c in clashes if c not in same]:
        upload.warnings.append(
            f"{len(reused)} row(s) of {name} reuse ids of the {'team' if team else 'curated'} data or of another "
            "file and are not added: " + md_escape(", ".join(reused[:10])) + (" …" if len(reused) > 10 else "")
        )
    if not report.ok:
        upload.warnings.append(
            f"{len(report.bad_rows()):,} row(s) of {name} have errors and are not shown; the others are."
        )
    upload.problems = [str(p) for p in report.problems[:500]]
    return events, upload

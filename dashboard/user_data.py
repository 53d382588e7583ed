"""An analyst's uploaded file, read, validated and put next to the curated events."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import streamlit as st

import geodata
from dashboard import cache, state
from dashboard.panels import md_escape


@dataclass
class Merged:
    events: gpd.GeoDataFrame
    label: str = ""
    info: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def merge(ours: gpd.GeoDataFrame) -> Merged:
    """Our events plus the uploaded file's valid rows; messages say what was read and what was left out."""
    uploaded = st.session_state.get(state.UPLOAD)
    if uploaded is None:
        return Merged(ours)
    name = md_escape(uploaded.name)  # messages are markdown; a file name is data
    try:
        theirs, report, kind = cache.imported(uploaded.getvalue(), uploaded.name)
    except geodata.ImportFormatError as exc:
        return Merged(ours, warnings=[f"Your file was not loaded: {md_escape(exc)}"])
    except Exception as exc:  # a bug of ours must not cost the analyst the page: ours stay on the map
        return Merged(ours, warnings=[f"Your file was not loaded: an unexpected {type(exc).__name__} while reading "
                                      "it. Please report it with the file."])
    events, clashes = geodata.combine_events(ours, theirs, uploaded.name)
    merged = Merged(events, label=name)
    added = len(theirs) - len(clashes)
    # The headline says what the file was read as ("ACLED export (2019 layout, CSV), 389 rows"); the notes
    # summarise rows left out on purpose and may quote the file's own values, so both are escaped.
    headline = report.headline() if hasattr(report, "headline") else kind
    merged.info.append(f"Your data: {added} event(s) from {name} shown with ours. Read as {md_escape(headline)}.")
    merged.info += [md_escape(note) for note in getattr(report, "notes", [])]
    if clashes:
        merged.warnings.append(
            f"{len(clashes)} row(s) of {name} reuse ids of the curated data and are not added: "
            + md_escape(", ".join(clashes[:10])) + (" …" if len(clashes) > 10 else "")
        )
    if not report.ok:
        merged.warnings.append(
            f"{len(report.bad_rows())} row(s) of {name} have errors and are not shown; the others are."
        )
    merged.problems = [str(p) for p in report.problems]
    return merged

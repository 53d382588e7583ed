"""Compare two periods on the page: the sidebar control, metrics with deltas, the comparison in words, the
breakdown tables and the side-by-side briefing figure. The arithmetic is :mod:`geodata.compare`.

Period B is what the page shows (the filter's dates, or a paused playback step); period A comes from the link's
``compare`` (``prev``, ``year`` or explicit dates).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import state
from dashboard.text import md_escape
from geodata import EventFilter
from geodata.compare import Comparison, change_words, compare_periods, parse_compare, period_a, period_b, period_words

CHOICE_LABELS = {
    "off": "No comparison",
    "prev": "Previous period (same length)",
    "year": "Same dates a year earlier",
    "custom": "Another period…",
}
_TABLE_TITLES = {"type": "By type", "province": "By province", "side": "By side of the border",
                 "actor": "By actor", "place": "Change by place (district, province)"}


def sidebar_control(span: tuple[dt.date, dt.date]) -> None:
    """"Compare with" in the sidebar: off, the previous period, a year earlier, or a period of one's own."""
    sb = st.sidebar
    sb.selectbox("Compare with", options=list(state.COMPARE_CHOICES), format_func=CHOICE_LABELS.get,
                 key=state.COMPARE,
                 help="Period B is the date range above; period A is chosen here. The metrics show the change, the "
                      "map draws period A's incidents as grey rings.")
    if state.compare_choice() == "custom":
        year = span[1].year - 1
        state.ensure_compare_dates((max(dt.date(year, 1, 1), span[0]), dt.date(year, 12, 31)))
        sb.date_input("Period A", key=state.COMPARE_DATES, min_value=span[0], max_value=span[1], format="YYYY-MM-DD",
                      help="Pick two days; the comparison applies once both are picked.")


def resolve(events: pd.DataFrame, flt: EventFilter, param: str | None,
            events_a: pd.DataFrame | None = None) -> tuple[Comparison | None, str | None]:
    """The comparison the link asks for, or (None, why not) when it cannot be made; (None, None) when off."""
    spec = parse_compare(param)
    if spec is None:
        return None, None
    b = period_b(events, flt)
    if b is None:
        return None, "Comparison not shown: no dated incident matches the filters, so there is no period B."
    return compare_periods(events, flt, period_a(spec, b), b, events_a=events_a), None


def compute(source, events: pd.DataFrame, flt: EventFilter, param: str | None,
            from_store: bool, hidden: np.ndarray | None = None) -> tuple[Comparison | None, str | None]:
    """:func:`resolve` for the page: from a team store (``from_store``), whose page holds only period B's rows,
    period A's rows are loaded with A's filter (``source.page``). Rows of uploaded files switched off
    (``hidden``) count in neither period; the masks still index ``events`` (the map's dataset)."""
    counted = events if hidden is None else events[~hidden]
    events_a = None
    if from_store and parse_compare(param) is not None:
        a_flt = period_a_filter(flt, param, period_b(counted, flt))
        events_a = source.page(a_flt).events if a_flt is not None else None
    cmp, note = resolve(counted, flt, param, events_a=events_a)
    if cmp is not None and hidden is not None:
        masks = {}
        for name in ("a_mask", "b_mask"):
            full = np.zeros(len(events), dtype=bool)
            full[~hidden] = getattr(cmp, name)
            masks[name] = full
        cmp = dataclasses.replace(cmp, **masks)
    return cmp, note


def period_a_filter(flt: EventFilter, param: str | None, b: tuple[dt.date, dt.date] | None) -> EventFilter | None:
    """``flt`` with period A's dates (to load period A from a team store), or None."""
    spec = parse_compare(param)
    if spec is None or b is None:
        return None
    a = period_a(spec, b)
    return EventFilter(**{**flt.__dict__, "start": a[0], "end": a[1]})


def _delta(change, pct) -> str:
    if change == 0:
        return "0"
    rel = "new" if pd.isna(pct) else f"{pct:+.0f}%"
    return f"{int(change):+d} ({rel})"


def metrics(cmp: Comparison, places: int) -> None:
    """Incidents and fatalities of period B with their change from period A (absolute and relative)."""
    a, b, c = st.columns(3)
    words = f"against {period_words(cmp.a)}"
    a.metric("Incidents", int(cmp.total("events_b")), delta=_delta(cmp.total("events_change"), cmp.total("events_pct")),
             delta_color="off", help=f"{period_words(cmp.b)}, {words}: {int(cmp.total('events_a'))} incidents.")
    b.metric("Fatalities (reported)", int(cmp.total("fatalities_b")),
             delta=_delta(cmp.total("fatalities_change"), cmp.total("fatalities_pct")), delta_color="off",
             help=f"Sum of best estimates, {words}: {int(cmp.total('fatalities_a'))}.")
    c.metric("Crossings and markets", places)


def table_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A breakdown as the page shows it: readable headers, per cents blank where A is 0."""
    return pd.DataFrame({
        "": table["label"].astype(str),
        "Incidents A": table["events_a"], "Incidents B": table["events_b"], "Change": table["events_change"],
        "Change %": table["events_pct"],
        "Killed A": table["fatalities_a"], "Killed B": table["fatalities_b"], "Killed change": table["fatalities_change"],
    })


def details(cmp: Comparison) -> None:
    """The comparison in words, then the breakdowns (by type, province, side, actor; change by place)."""
    st.markdown(f"**Period B** {md_escape(period_words(cmp.b))} against **period A** "
                f"{md_escape(period_words(cmp.a))}")
    st.markdown(md_escape(cmp.words()))
    with st.expander("Comparison tables: by type, province, side, actor and place", expanded=False):
        for dimension, title in _TABLE_TITLES.items():
            table = cmp.table(dimension)
            if table.empty:
                continue
            st.markdown(f"**{title}**")
            st.dataframe(table_frame(table), hide_index=True, placeholder="",
                         column_config={"Change %": st.column_config.NumberColumn(format="%+.0f%%")})
        st.caption("Incidents only (crossings and markets are places); an incident counts in each period its dates "
                   "overlap. By actor: an incident counts once for each actor named in it.")


def figure(events: pd.DataFrame, flt: EventFilter, cmp: Comparison, *, title: str, fmt: str = "png",
           size: str = "slide") -> bytes:
    """Two small maps side by side, period A then period B, at one scale and extent (the briefing's small
    multiples), with the comparison's numbers in the subtitle. Side by side rather than a change map: the data are
    points, a few dozen per period; a change map would need areas to difference (districts), which hides where
    in a district the incidents were and turns 1 → 2 into "+100%"."""
    from dashboard.briefing.frames import Step, render_grid

    both = EventFilter(**{**flt.__dict__, "start": min(cmp.a[0], cmp.b[0]), "end": max(cmp.a[1], cmp.b[1])})
    steps = [Step(cmp.a[0], cmp.a[1], f"A: {period_words(cmp.a)}"), Step(cmp.b[0], cmp.b[1], f"B: {period_words(cmp.b)}")]
    return render_grid(events, both, steps, title=title, size=size, fmt=fmt, note=figure_words(cmp))


def figure_button(events: pd.DataFrame, flt: EventFilter, cmp: Comparison) -> None:
    """A download button for :func:`figure` (drawn only when clicked)."""
    st.download_button(
        "Download comparison figure (A and B side by side, same scale)", key="dl_compare_figure", on_click="ignore",
        data=lambda: figure(events, flt, cmp, title="Pakistan–Iran border region: two periods compared"),
        mime="image/png", file_name=f"border-compare_{cmp.a[0]}_{cmp.a[1]}_vs_{cmp.b[0]}_{cmp.b[1]}.png",
    )


def map_rows(cmp: Comparison | None) -> np.ndarray | None:
    """Rows of the dataset to draw as period A's rings (None: no comparison, or A's rows are not in the map's
    dataset, as with a team store's page)."""
    if cmp is None or not cmp.a_mask.any() and cmp.total("events_a") > 0:
        return None
    return np.flatnonzero(cmp.a_mask)


def map_label(cmp: Comparison | None) -> str:
    return f"period A, {period_words(cmp.a)}" if cmp is not None else ""


def figure_words(cmp: Comparison) -> str:
    """One line for the figure's subtitle: B against A with the change."""
    t = cmp.totals.iloc[0]
    return (f"Period B {period_words(cmp.b)}: {int(t['events_b'])} incidents, {int(t['fatalities_b'])} killed; "
            f"period A {period_words(cmp.a)}: {int(t['events_a'])}, {int(t['fatalities_a'])} killed "
            f"({change_words(t['events_change'], t['events_pct'], 'incident')})")

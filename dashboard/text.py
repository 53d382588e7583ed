"""Words for events as people read them: dates with their precision, periods, fatality figures, place names,
and the one check that decides whether a link may be shown. Pure functions, no streamlit or folium."""

from __future__ import annotations

import html
import math

import pandas as pd

from geodata import EventType


def safe_url(url) -> str | None:
    """The URL if it is a plain http(s) link, else None (no javascript:, data:, relative or odd schemes)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or any(c in url for c in "\"'<> \t\n\r\\"):
        return None
    return url


def escape_text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    return html.escape(str(value))


def format_date(date, precision) -> str:
    if date is None or pd.isna(date):
        return "date not known"
    date = pd.Timestamp(date)
    if precision == "year":
        return f"{date:%Y} (year only)"
    if precision == "month":
        return f"{date:%B %Y} (month only)"
    return f"{date.day} {date:%b %Y}"


def format_period(row) -> str:
    """Date as a reader needs it: incidents by their precision, places as an operating period."""
    if EventType(row["event_type"]).is_place:
        opened = "opening date not known" if pd.isna(row["date"]) else f"opened {format_date(row['date'], row['date_precision'])}"
        closed = "" if pd.isna(row.get("end_date")) else f", closed {format_date(row['end_date'], 'day')}"
        return opened + closed
    text = format_date(row["date"], row["date_precision"])
    if pd.notna(row.get("end_date")):
        text += f" – {format_date(row['end_date'], 'day')}"
    return text


def format_fatalities(row) -> str:
    best, low, high = row.get("fatalities"), row.get("fatalities_low"), row.get("fatalities_high")
    if pd.isna(best) and pd.isna(low) and pd.isna(high):
        return "not reported"
    parts = [] if pd.isna(best) else [str(int(best))]
    if pd.notna(low) and pd.notna(high) and low != high:
        parts.append(f"(reported range {int(low)}–{int(high)})")
    return " ".join(parts) or f"{int(low) if pd.notna(low) else '?'}–{int(high) if pd.notna(high) else '?'}"


def place_name(row) -> str:
    bits = [row.get("district"), row.get("province")]
    return ", ".join(str(b) for b in bits if isinstance(b, str) and b)

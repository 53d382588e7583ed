"""Words for events as people read them: dates with their precision, periods, fatality figures, place names,
markdown escaping (:func:`md_escape`), and the link rule (``geodata.links``, re-exported). Pure functions, no
streamlit or folium."""

from __future__ import annotations

import re

import pandas as pd

from geodata import EventType, format_day, format_month
from geodata.links import safe_url, safe_url_text, safe_urls  # the one rule for links (re-exported)

#: The region's name as the page and the briefing figure title it (the figure's default title).
REGION_TITLE = "Pakistan–Iran border region"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
# Streamlit's markdown (frontend StreamlitMarkdown, 1.67) turns "--", "->", "<-", "<->", ">=", "<=" and "~=" standing
# between whitespace (JavaScript's \s) or at the edge of a text run into —, →, ←, ↔, ≥, ≤, ≈. It does so after parsing,
# when a backslash escape no longer counts: a word joiner (U+2060, invisible, no break) after the first character
# is what keeps "report -- final.csv" as typed.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SYMBOL_TOKEN = re.compile(rf"(?:^|(?<=[{_JS_SPACE}]))(?:<->|->|<-|--|>=|<=|~=)(?=[{_JS_SPACE}]|$)")
WORD_JOINER = "\u2060"


def md_escape(value) -> str:
    """Plain text for st.markdown: every markdown/HTML control character escaped, so data text stays text, and
    Streamlit's symbol substitutions ("--" to "—", "->" to "→", ...) kept from changing it."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = _SYMBOL_TOKEN.sub(lambda m: m[0][0] + WORD_JOINER + m[0][1:], str(value).replace("\n", " "))
    return _MD_SPECIAL.sub(r"\\\1", text)


def format_date(date, precision) -> str:
    if date is None or pd.isna(date):
        return "date not known"
    date = pd.Timestamp(date)
    if precision == "year":
        return f"{date:%Y} (year only)"
    if precision == "month":
        return f"{format_month(date)} (month only)"
    return format_day(date)


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


def place_names(events: pd.DataFrame) -> pd.Series:
    """"District, province" of every row (either alone when the other is blank), column-wide."""
    district = events.get("district", pd.Series(pd.NA, index=events.index)).astype("string").fillna("").str.strip()
    province = events.get("province", pd.Series(pd.NA, index=events.index)).astype("string").fillna("").str.strip()
    joined = district + ", " + province
    return joined.str.strip(", ").where((district != "") & (province != ""), district + province)

"""Words for events as people read them: dates with their precision, periods, fatality figures, place names,
and the one check that decides whether a link may be shown. Pure functions, no streamlit or folium."""

from __future__ import annotations

from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from geodata import EventType


# RFC 3986 characters minus those that end or confuse a markdown link or an HTML attribute (quotes, <>, [],
# backslash, backtick, space) and anything outside ASCII: IRIs must arrive percent-encoded, as browsers copy them.
_URL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&()*+,;=%")


def safe_url(url) -> str | None:
    """The URL if it is a plain http(s) link to a named host, else None.

    Refused: other schemes (javascript:, data:, relative), no host (``http://``), user names or passwords
    (``https://user:pass@host/`` hides the real host from a reader), a bad port, and any character outside
    :data:`_URL_CHARS`, so the URL survives a markdown link or an HTML attribute exactly as written.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or not set(url) <= _URL_CHARS:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in 0..65535
    except ValueError:
        return None
    if not parts.hostname or "@" in parts.netloc:
        return None
    return url


# What safe_url's checks come to for a whole column: an http(s) scheme (any case), then only _URL_CHARS. The
# rest of its checks (host, port, credentials) look only at the part between "//" and the path, so they are made
# once per distinct host part.
_URL_SHAPE = r"[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9\-._~:/?#@!$&()*+,;=%]*"
_NETLOC = r"^[^:]+://([^/?#]*)"


def safe_urls(urls: pd.Series) -> pd.Series:
    """:func:`safe_url` of every value of ``urls`` (None where refused), in a few column-wide steps: the
    per-URL Python call took seconds for 400,000 rows."""
    return safe_url_text(urls).astype(object).where(lambda links: links.notna(), None)


def safe_url_text(urls: pd.Series) -> pd.Series:
    """As :func:`safe_urls`, as Arrow-backed text (missing where refused): no Python string per row."""
    text = urls.astype("string").str.strip()
    shaped = text.str.fullmatch(_URL_SHAPE).fillna(False).astype(bool)
    if not shaped.any():
        return pd.Series(pd.NA, index=urls.index, dtype="string")
    every = bool(shaped.all())  # the usual case: no copy of the column to leave some out
    netloc = (text if every else text[shaped]).str.extract(_NETLOC, expand=False)
    host, hosts = pd.factorize(netloc, use_na_sentinel=True)  # each distinct host part is checked once
    host_ok = np.array([safe_url(f"http://{h}/") is not None for h in hosts] + [False])  # code -1: none
    ok = shaped.to_numpy(copy=True)
    ok[ok] = host_ok[host]
    return text if every and ok.all() else text.where(ok, pd.NA)


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


def place_names(events: pd.DataFrame) -> pd.Series:
    """"District, province" of every row (either alone when the other is blank), column-wide."""
    district = events.get("district", pd.Series(pd.NA, index=events.index)).astype("string").fillna("").str.strip()
    province = events.get("province", pd.Series(pd.NA, index=events.index)).astype("string").fillna("").str.strip()
    joined = district + ", " + province
    return joined.str.strip(", ").where((district != "") & (province != ""), district + province)

"""dashboard.text: the link check that decides whether a URL from data may become a link."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from dashboard.text import safe_url

KEPT = [
    "https://example.org/story",
    "http://example.org",
    "https://www.example.org/news/2024/01/17/a-story.html?id=42&lang=en#top",
    "https://example.org/wiki/Jaish_(group)",
    "https://example.org/a%20b",
    "https://example.org:8443/path",
    "HTTPS://EXAMPLE.ORG/",
]

REFUSED = {
    "no host": "http://",
    "no host, https": "https://",
    "empty host with a path": "http:///etc/passwd",
    "port only": "http://:80/",
    "user and password": "https://user:pass@host.example/",
    "user only": "https://user@host.example/",
    "@ hiding the real host": "https://trusted.example@evil.example/",
    "port out of range": "https://example.org:99999/",
    "port not a number": "https://example.org:http/",
    "javascript": "javascript:alert(1)",
    "data": "data:text/html,<script>alert(1)</script>",
    "relative": "/local/path",
    "protocol-relative": "//evil.example/",
    "ftp": "ftp://example.org/file",
    "newline": "https://example.org/a\nb",
    "tab inside": "https://example.org/a\tb",
    "NUL": "https://example.org/\x00",
    "escape character": "https://example.org/\x1b[31m",
    "DEL": "https://example.org/\x7f",
    "right-to-left override": "https://example.org/\u202etxt.exe",
    "non-ASCII host": "https://exämple.org/",
    "space": "https://example.org/a b",
    "quote": 'https://example.org/"onmouseover=alert(1)',
    "apostrophe": "https://example.org/'x",
    "angle bracket": "https://example.org/<x>",
    "brackets": "https://example.org/[x]",
    "backslash": "https://example.org\\@evil.example/",
    "backtick": "https://example.org/`x`",
    "braces and ellipsis": "https://evil.example/){…}",
    "not a string": None,
    "a number": 42,
}


@pytest.mark.parametrize("url", KEPT)
def test_plain_http_links_are_kept_exactly(url):
    assert safe_url(url) == url


def test_surrounding_whitespace_is_trimmed():
    assert safe_url("  https://example.org/x \n") == "https://example.org/x"


@pytest.mark.parametrize("case", list(REFUSED))
def test_odd_links_are_refused(case):
    assert safe_url(REFUSED[case]) is None


@pytest.mark.parametrize(
    "url", [u for u in KEPT if u.startswith("https://e")] + ["https://evil.example/)x(", "https://e.example/)"])
def test_every_kept_url_survives_a_markdown_link_exactly(url):
    # The form the details panel writes; markdown-it is a CommonMark reference like Streamlit's renderer.
    assert safe_url(url) == url
    tokens = MarkdownIt("commonmark").parseInline(f"[source](<{url}>) after")[0].children
    hrefs = [t.attrGet("href") for t in tokens if t.type == "link_open"]
    assert hrefs == [url]


_URL_PIECES = st.sampled_from(["http://", "https://", "HTTPS://", "ftp://", "javascript:", "", " ", "a.org", "b.c",
                               ":", ":80", ":99999", "@", "user:pw@", "/", "?q=1", "#f", "%20", "[", "]", "<", "ä",
                               "\\", "x y", "\t", "//", "..", "-"])
_URLS = st.one_of(st.none(), st.text(max_size=30), st.lists(_URL_PIECES, max_size=8).map("".join))


@given(st.lists(_URLS, max_size=40))
@settings(max_examples=300, deadline=None)
def test_the_column_wide_link_check_agrees_with_the_one_url_check(urls):
    import pandas as pd

    from dashboard.text import safe_urls

    assert safe_urls(pd.Series(urls, dtype=object)).tolist() == [safe_url(u) for u in urls]

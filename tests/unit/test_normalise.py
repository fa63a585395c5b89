"""Pure normalisation: canonical URLs, HTML to text, sanitising, hashes, dates, full text."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from aggregator.model import Article
from aggregator.parse import (
    canonical_url,
    content_hash,
    extract_main_text,
    html_to_text,
    needs_fulltext,
    sanitize_html,
    with_fulltext,
)
from aggregator.parse.normalise import (
    MAX_GUID_CHARS,
    bounded_guid,
    clean_text,
    normalise_language,
    plausible_date,
    struct_to_utc,
    truncate,
)

NOW = datetime(2026, 2, 18, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        # tracking parameters go, the others stay in their order and spelling
        (
            "https://news.example.org/a?utm_source=rss&id=7&utm_medium=feed&b=x%20y",
            None,
            "https://news.example.org/a?id=7&b=x%20y",
        ),
        ("https://e.org/a?at_medium=RSS&at_campaign=rss", None, "https://e.org/a"),
        ("https://e.org/a?fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ocid=5", None, "https://e.org/a"),
        ("https://e.org/a?CMP=share&cmpid=x&ns_source=y&ns_mchannel=z", None, "https://e.org/a"),
        (
            "https://e.org/a?ns_campaign=1&ns_linkname=2&ns_fee=3&ito=4&xtor=5",
            None,
            "https://e.org/a",
        ),
        ("https://e.org/a?_ga=1&igshid=2&UTM_Content=3&page=2", None, "https://e.org/a?page=2"),
        ("https://e.org/a?maca=en-rss&traffic_source=rss&icid=rss", None, "https://e.org/a"),
        ("https://e.org/a?q=utm_source", None, "https://e.org/a?q=utm_source"),
        ("https://e.org/a?&&x=1&", None, "https://e.org/a?x=1"),
        # fragments, case, ports
        ("https://e.org/a#section-2", None, "https://e.org/a"),
        ("https://e.org/a#publisher=newsstand", None, "https://e.org/a"),
        ("HTTPS://News.Example.ORG/Path/Case", None, "https://news.example.org/Path/Case"),
        ("http://e.org:80/a", None, "http://e.org/a"),
        ("https://e.org:443/a", None, "https://e.org/a"),
        ("https://e.org:8443/a", None, "https://e.org:8443/a"),
        ("http://e.org:443/a", None, "http://e.org:443/a"),
        ("https://e.org", None, "https://e.org/"),
        ("  https://e.org/a  ", None, "https://e.org/a"),
        ("http://[2001:db8::1]:8080/x", None, "http://[2001:db8::1]:8080/x"),
        # relative links resolve against the base
        ("/news/1", "https://e.org/feed.xml", "https://e.org/news/1"),
        ("story.html", "https://e.org/world/feed.xml", "https://e.org/world/story.html"),
        ("//cdn.e.org/x", "https://e.org/", "https://cdn.e.org/x"),
        ("https://other.org/x", "https://e.org/", "https://other.org/x"),
        ("/news/1", "ftp://e.org/", None),
        # garbage and other schemes
        ("/news/1", None, None),
        (None, None, None),
        ("", None, None),
        ("   ", None, None),
        ("javascript:alert(1)", None, None),
        ("mailto:press@e.org", None, None),
        ("ftp://e.org/file", None, None),
        ("https://", None, None),
        ("https://e.org:99999/x", None, None),
        ("https://e.org:port/x", None, None),
        ("not a url at all", None, None),
        ("http://exa mple.org/", None, None),
    ],
)
def test_canonical_url(url: str | None, base: str | None, expected: str | None) -> None:
    assert canonical_url(url, base) == expected


def test_canonical_url_is_idempotent() -> None:
    once = canonical_url("HTTP://E.org:80/a/b?utm_source=x&k=v#frag")
    assert once == "http://e.org/a/b?k=v"
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<div>Block</div>inline <b>bold</b> <i>it</i>", "Block\n\ninline bold it"),
        ("<h2>Head</h2>Body text", "Head\n\nBody text"),
        ("line one<br>line two<br/>line three", "line one\nline two\nline three"),
        ("<p>a<br><br><br>b</p>", "a\n\nb"),
        ("first<br>\n <br>second<br>third", "first\n\nsecond\nthird"),
        ("<ul><li>a<br></li><li>b</li></ul>", "a\nb"),
        (
            "AT&amp;T &lt;b&gt; &quot;quoted&quot; &#8212; &#x2019; &eacute;",
            'AT&T <b> "quoted" — ’ é',
        ),
        ("caf&eacute;&nbsp;au&nbsp;lait", "café au lait"),
        (
            "<ul><li>one<ul><li>one-a</li><li>one-b</li></ul></li><li>two</li></ul>",
            "one\none-a\none-b\ntwo",
        ),
        ("<ol><li>first</li><li>second</li></ol><p>after</p>", "first\nsecond\n\nafter"),
        ("<script>var x = '<p>no</p>';</script>kept<style>p {color: red}</style>", "kept"),
        ("<noscript>enable js</noscript><template><p>t</p></template>seen", "seen"),
        ("<!-- a comment -->visible", "visible"),
        ("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>", "A B\n1 2"),
        ("<html><head><title>Page</title></head><body><p>Body</p></body></html>", "Body"),
        ("  lots   of\n\n  space\t here  ", "lots of space here"),
        ("<p>  spaced   <em> words </em>  </p>", "spaced words"),
        ("<blockquote>“We will respond,” he said.</blockquote>", "“We will respond,” he said."),
        ("plain text only", "plain text only"),
        ("", ""),
        ("<p></p><div> </div>", ""),
        ("nul\x00byte and \x07bell", "nulbyte and bell"),
        ("<p>unclosed <b>bold <i>italic", "unclosed bold italic"),
        ("<meta charset='iso-8859-1'><p>Zürich</p>", "Zürich"),
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_html_to_text_reads_a_mangled_tag_name_as_written() -> None:
    # the HTML parser keeps "p{gt;the" as a tag name; it is no namespaced name (was ValueError)
    assert html_to_text("<p{gt;the>Hello</p{gt;the> world") == "Hello world"


def test_html_to_text_deep_nesting_does_not_recurse() -> None:
    assert html_to_text("<div>" * 1000 + "deep" + "</div>" * 1000) == "deep"
    # beyond libxml2's depth limit the rest is lost, but nothing crashes or recurses
    assert html_to_text("before " + "<div>" * 20_000 + "deep") == "before"


def test_html_to_text_is_capped() -> None:
    text = html_to_text("<p>" + "word " * 400_000 + "</p>")
    assert 900_000 < len(text) <= 1_000_000


@pytest.mark.parametrize(
    ("html", "forbidden", "kept"),
    [
        ("<p>hi</p><script>alert(1)</script>", "alert", "<p>hi</p>"),
        (
            '<img src="https://e.org/i.png" onerror="alert(1)">',
            "onerror",
            'src="https://e.org/i.png"',
        ),
        ('<a href="javascript:alert(1)">x</a>', "javascript", ">x</a>"),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "alert", ">x</a>"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:", ">x</a>"),
        ('<iframe src="https://evil.example/"></iframe><p>ok</p>', "iframe", "<p>ok</p>"),
        ('<p style="width: expression(alert(1))">s</p>', "expression", "<p>s</p>"),
        ('<div style="background:url(javascript:alert(1))">d</div>', "style", "<div>d</div>"),
        ("<style>body{display:none}</style><b>b</b>", "display", "<b>b</b>"),
        ('<object data="x.swf"></object><embed src="y.swf">z', "swf", "z"),
        ('<form action="https://e.org"><input name="q"></form>text', "input", "text"),
        ("<svg><script>alert(1)</script></svg>after", "alert", "after"),
        ('<p onclick="steal()" class="x" id="y">p</p>', "steal", "<p>p</p>"),
        ("<p>a</p><!-- secret comment -->", "secret", "<p>a</p>"),
        ('<a href="https://e.org/a">link</a>', "javascript", 'href="https://e.org/a"'),
    ],
)
def test_sanitize_html_removes_hostile_markup(html: str, forbidden: str, kept: str) -> None:
    clean = sanitize_html(html)
    assert forbidden not in clean.lower()
    assert kept in clean


def test_sanitize_html_resolves_relative_links_and_marks_them() -> None:
    clean = sanitize_html('<a href="/x">x</a><img src="i.png">', "https://e.org/news/feed")
    assert 'href="https://e.org/x"' in clean
    assert 'src="https://e.org/news/i.png"' in clean
    assert "noopener" in clean


def test_sanitize_html_keeps_relative_links_without_a_base() -> None:
    assert 'href="/x"' in sanitize_html('<a href="/x">x</a>')


def test_content_hash_is_stable_and_sensitive() -> None:
    base = content_hash("Title", "Summary", "Text")
    assert base == content_hash("Title", "Summary", "Text")
    assert len(base) == 64
    assert int(base, 16) >= 0
    assert base != content_hash("Title!", "Summary", "Text")
    assert base != content_hash("Title", "Summary", "Text.")
    # moving text between fields is a change
    assert content_hash("ab", "c", "") != content_hash("a", "bc", "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a  b\t c", "a b c"),
        ("line\r\nnext\rlast", "line\nnext\nlast"),
        ("p1\n\n\n\n\np2", "p1\n\np2"),
        ("  padded  \n  lines  ", "padded\nlines"),
        ("ctrl\x00\x1b\x7fchars", "ctrlchars"),
        ("lone \ud800 surrogate", "lone surrogate"),
        ("e\u0301", "é"),  # NFC
        ("non\xa0breaking", "non breaking"),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_truncate_prefers_a_word_boundary() -> None:
    assert truncate("alpha beta gamma", 12) == "alpha beta"
    assert truncate("short", 12) == "short"
    assert len(truncate("x" * 50, 10)) == 10


def test_bounded_guid_hashes_only_overlong_ids() -> None:
    assert bounded_guid("tag:e.org,2026:1") == "tag:e.org,2026:1"
    long = "x" * (MAX_GUID_CHARS + 1)
    assert bounded_guid(long).startswith("sha256:")
    assert bounded_guid(long) == bounded_guid(long)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (time.struct_time((2026, 2, 17, 22, 36, 36, 1, 48, 0)), datetime(2026, 2, 17, 22, 36, 36)),
        ((2008, 8, 9, 0, 0, 0, 5, 222, 0), datetime(2008, 8, 9)),
        (None, None),
        ((99999, 1, 1, 0, 0, 0, 0, 1, 0), None),  # out of datetime's range
    ],
)
def test_struct_to_utc(value: tuple[int, ...] | None, expected: datetime | None) -> None:
    result = struct_to_utc(value)
    if expected is None:
        assert result is None
    else:
        assert result == expected.replace(tzinfo=UTC)
        assert result is not None
        assert result.utcoffset() is not None


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (datetime(2026, 2, 18, 11, 0, tzinfo=UTC), True),
        (datetime(1990, 1, 1, tzinfo=UTC), True),
        (datetime(1989, 12, 31, 23, 59, tzinfo=UTC), False),
        (datetime(1970, 1, 1, tzinfo=UTC), False),
        (datetime(2026, 2, 20, 11, 0, tzinfo=UTC), True),  # within two days of now
        (datetime(2026, 2, 20, 12, 1, tzinfo=UTC), False),
        (datetime(2099, 1, 1, tzinfo=UTC), False),
    ],
)
def test_plausible_date(value: datetime, ok: bool) -> None:
    assert plausible_date(value, NOW) == (value if ok else None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en-US", "en-us"),
        ("en_GB", "en-gb"),
        (" RU ", "ru"),
        ("uk", "uk"),
        ("zh-Hant-TW", "zh-hant-tw"),
        ("English", None),
        ("", None),
        (None, None),
        ("e", None),
        ("en us", None),
    ],
)
def test_normalise_language(value: str | None, expected: str | None) -> None:
    assert normalise_language(value) == expected


def _article(text: str, url: str | None = "https://e.org/a") -> Article:
    return Article(
        source="s",
        guid="g",
        url=url,
        title="Title",
        summary="Short summary.",
        text=text,
        html=None,
        published=None,
        updated=None,
        language="en",
        author=None,
        content_hash=content_hash("Title", "Short summary.", text),
    )


@pytest.mark.parametrize(
    ("text", "url", "expected"),
    [
        ("Short summary.", "https://e.org/a", True),
        ("word " * 400, "https://e.org/a", False),
        ("Short summary.", None, False),  # no page to fetch
    ],
)
def test_needs_fulltext(text: str, url: str | None, expected: bool) -> None:
    assert needs_fulltext(_article(text, url)) is expected


def test_with_fulltext_replaces_text_keeps_summary_and_the_feeds_hash() -> None:
    article = _article("Short summary.")
    full = with_fulltext(article, "  The minister said on Monday …\n\n\nSecond paragraph.  ")
    assert full.text == "The minister said on Monday …\n\nSecond paragraph."
    assert full.summary == article.summary
    # the hash describes what the feed said: the next poll of the same entry compares equal
    assert full.content_hash == article.content_hash
    assert with_fulltext(article, " \n ") is article


_PAGE = """<!DOCTYPE html><html><head><title>Council meets</title>
<script>track()</script></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/about">About us</a></nav>
<article><h1>Council fails to agree on ceasefire statement</h1>
<p>The security council met for three hours on Sunday evening without agreeing on a statement
calling for an immediate ceasefire, diplomats at the closed meeting said afterwards.</p>
<p>"We regret that the council could not speak with one voice tonight," the ambassador of the
presidency told reporters outside the chamber, adding that talks would resume on Monday.</p>
<p>Another delegation said it had proposed amendments that would have named the parties
responsible, and that it would not accept a text that treated them as equals.</p>
<p>The meeting was the second in two days. Several members called for humanitarian corridors
to be opened and for the safety of civilians to be guaranteed by all sides.</p>
</article>
<footer>Copyright Example News. All rights reserved. Cookie settings.</footer>
</body></html>"""


def test_extract_main_text_finds_the_article_body() -> None:
    text = extract_main_text(_PAGE, url="https://e.org/news/1")
    assert text is not None
    assert "could not speak with one voice" in text
    assert "track()" not in text
    assert "Cookie settings" not in text
    assert extract_main_text(_PAGE.encode("utf-8")) == text


@pytest.mark.parametrize(
    "junk",
    ["", b"", b"\x00\xff\xfe binary \x89PNG", "<html>", "just words", b"<<<>>>&&&;;", "<p>" * 3000],
)
def test_extract_main_text_returns_none_on_junk(junk: str | bytes) -> None:
    result = extract_main_text(junk)
    assert result is None or isinstance(result, str)
    if junk in ("", b"", "<html>"):
        assert result is None

"""parse_feed over small feeds written for these tests: formats, fallbacks, hostile input."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aggregator.errors import FeedParseError
from aggregator.model import Article, ParsedFeed
from aggregator.parse import content_hash, parse_feed

NOW = datetime(2026, 2, 18, 12, 0, tzinfo=UTC)


def rss(items: str, *, channel: str = "", declaration: str = "") -> bytes:
    """A small RSS 2.0 document around ``items`` (already XML)."""
    head = declaration or '<?xml version="1.0" encoding="utf-8"?>'
    return (
        f'{head}\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n'
        f"<channel><title>Ministry press releases</title><link>https://gov.example/press/</link>"
        f"{channel}{items}</channel></rss>"
    ).encode()


def parse(body: bytes, **kwargs: object) -> ParsedFeed:
    kwargs.setdefault("source", "ministry")
    kwargs.setdefault("now", NOW)
    return parse_feed(body, **kwargs)  # type: ignore[arg-type]


def only(body: bytes, **kwargs: object) -> Article:
    feed = parse(body, **kwargs)
    assert len(feed.articles) == 1
    return feed.articles[0]


RSS_ITEM = """<item>
  <title>Minister &lt;b&gt;condemns&lt;/b&gt; shelling &amp;amp; calls for talks</title>
  <link>https://gov.example/press/2026/statement-17?utm_source=rss&amp;lang=en#top</link>
  <guid isPermaLink="false">press-2026-0017</guid>
  <pubDate>Tue, 17 Feb 2026 14:05:00 +0300</pubDate>
  <dc:creator>Press Office</dc:creator>
  <description>&lt;p&gt;The minister said the shelling &lt;em&gt;must stop&lt;/em&gt;.&lt;/p&gt;
  </description>
  <content:encoded><![CDATA[<p>The minister said the shelling <em>must stop</em>.</p>
    <script>track()</script>
    <p>"We call on all sides to return to talks," she told reporters in the capital.</p>
    <p><a href="/press/2026/annex.pdf" onclick="x()">Annex</a></p>]]></content:encoded>
</item>"""


def test_rss_item_is_normalised() -> None:
    feed = parse(rss(RSS_ITEM, channel="<language>en-GB</language>"), url="https://gov.example/rss")
    assert feed.title == "Ministry press releases"
    assert feed.link == "https://gov.example/press/"
    assert feed.version == "rss20"
    assert feed.language == "en-gb"
    assert not feed.bozo
    assert feed.bozo_message is None
    (article,) = feed.articles
    assert article.source == "ministry"
    assert article.guid == "press-2026-0017"
    assert article.link == "https://gov.example/press/2026/statement-17?utm_source=rss&lang=en#top"
    assert article.url == "https://gov.example/press/2026/statement-17?lang=en"
    assert article.title == "Minister condemns shelling & calls for talks"
    assert article.summary == "The minister said the shelling must stop."
    assert article.text == (
        "The minister said the shelling must stop.\n\n"
        '"We call on all sides to return to talks," she told reporters in the capital.\n\n'
        "Annex"
    )
    assert article.published == datetime(2026, 2, 17, 11, 5, tzinfo=UTC)
    assert article.updated is None
    assert article.author == "Press Office"
    assert article.language == "en-gb"
    assert article.content_hash == content_hash(article.title, article.summary, article.text)
    assert article.html is not None
    assert "<script" not in article.html
    assert "track()" not in article.html
    assert "onclick" not in article.html
    assert 'href="https://gov.example/press/2026/annex.pdf"' in article.html


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr-FR">
  <title type="html">Conseil &amp;amp; s&#233;curit&#233;</title>
  <link rel="alternate" href="https://un.example/fr/"/>
  <id>urn:uuid:feed</id><updated>2026-02-17T20:00:00Z</updated>
  <entry>
    <title type="text">R&#233;union du Conseil</title>
    <link rel="alternate" href="/fr/story/2026/02/1"/>
    <id>tag:un.example,2026:story-1</id>
    <updated>2026-02-17T23:30:00+14:00</updated>
    <author><name>Service de presse</name></author>
    <summary type="html">&lt;p&gt;Bref.&lt;/p&gt;</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
      <p>Le Conseil s'est r&#233;uni.</p><p>Aucun accord n'a &#233;t&#233; trouv&#233;.</p>
    </div></content>
  </entry>
  <entry xml:lang="en">
    <title>Council meets</title>
    <id>tag:un.example,2026:story-2</id>
    <published>2026-02-16T08:00:00-05:00</published>
    <updated>2026-02-17T08:00:00-05:00</updated>
    <content type="text">Plain text content.</content>
  </entry>
</feed>"""


def test_atom_entries() -> None:
    feed = parse(ATOM, url="https://un.example/fr/feed.atom")
    assert feed.version == "atom10"
    assert feed.title == "Conseil & sécurité"
    first, second = feed.articles
    assert first.guid == "tag:un.example,2026:story-1"
    assert first.url == "https://un.example/fr/story/2026/02/1"
    assert first.title == "Réunion du Conseil"
    assert first.summary == "Bref."
    assert first.text == "Le Conseil s'est réuni.\n\nAucun accord n'a été trouvé."
    # only <updated>: published falls back to it; +14:00 is the previous UTC day
    assert first.published == datetime(2026, 2, 17, 9, 30, tzinfo=UTC)
    assert first.updated == first.published
    assert first.author == "Service de presse"
    assert first.language == "fr-fr"
    assert second.language == "en"
    assert second.published == datetime(2026, 2, 16, 13, 0, tzinfo=UTC)
    assert second.updated == datetime(2026, 2, 17, 13, 0, tzinfo=UTC)
    assert second.summary == second.text == "Plain text content."
    assert second.url is None


RDF = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example/"><title>RDF news</title>
    <link>https://news.example/</link><dc:language>de</dc:language></channel>
  <item rdf:about="https://news.example/a-1?maca=en-rss-all">
    <title>Chancellor speaks</title><link>https://news.example/a-1?maca=en-rss-all</link>
    <description>She said Europe must act.</description>
    <dc:date>2026-02-17T10:31:00+01:00</dc:date>
  </item>
</rdf:RDF>"""


def test_rdf_item_with_dc_date_and_language() -> None:
    feed = parse(RDF)
    assert feed.version == "rss10"
    (article,) = feed.articles
    assert article.guid == "https://news.example/a-1?maca=en-rss-all"
    assert article.url == "https://news.example/a-1"
    assert article.published == datetime(2026, 2, 17, 9, 31, tzinfo=UTC)
    # the feed declares German; the entry's words are English, and the words win
    assert article.language == "en"
    assert feed.language == "de"


@pytest.mark.parametrize(
    ("item", "expected_guid"),
    [
        ("<guid>  id-42  </guid><link>https://e.org/a</link>", "id-42"),
        ("<guid></guid><link>https://E.org:443/a?utm_medium=x#f</link>", "https://e.org/a"),
        ("<link>https://e.org/b</link><title>No guid</title>", "https://e.org/b"),
        ("<link>/relative/c</link><title>Relative</title>", "https://gov.example/relative/c"),
    ],
)
def test_guid_fallbacks(item: str, expected_guid: str) -> None:
    article = only(rss(f"<item><title>t</title>{item}</item>"), url="https://gov.example/rss")
    assert article.guid == expected_guid


def test_guid_falls_back_to_a_hash_of_title_and_summary_stable_across_polls() -> None:
    item = "<item><title>Statement</title><description>Text.</description>{date}</item>"
    first = only(rss(item.format(date="<pubDate>Mon, 16 Feb 2026 10:00:00 GMT</pubDate>")))
    again = only(rss(item.format(date="<pubDate>Tue, 17 Feb 2026 10:00:00 GMT</pubDate>")))
    other = only(rss(item.format(date="").replace("Text.", "Other text.")))
    assert first.guid.startswith("hash:")
    assert first.guid == again.guid  # a re-stamped date is the same entry
    assert first.guid != other.guid
    assert first.url is None


def test_overlong_guid_is_hashed() -> None:
    article = only(rss(f"<item><guid>{'g' * 5000}</guid><title>t</title></item>"))
    assert article.guid.startswith("sha256:")
    assert len(article.guid) == 71


@pytest.mark.parametrize(
    ("date_xml", "expected"),
    [
        ("<pubDate>Tue, 17 Feb 2026 23:30:00 +0530</pubDate>", datetime(2026, 2, 17, 18, 0)),
        ("<pubDate>Tue, 17 Feb 2026 23:30:00 -1100</pubDate>", datetime(2026, 2, 18, 10, 30)),
        ("<pubDate>Tue, 17 Feb 2026 08:00:00 EST</pubDate>", datetime(2026, 2, 17, 13, 0)),
        ("<pubDate>Tue, 17 Feb 2026 08:00:00 PDT</pubDate>", datetime(2026, 2, 17, 15, 0)),
        ("<pubDate>Tue, 17 Feb 2026 08:00:00</pubDate>", datetime(2026, 2, 17, 8, 0)),  # no zone
        ("<dc:date>2026-02-17T08:00:00</dc:date>", datetime(2026, 2, 17, 8, 0)),
        ("<dc:date>2026-02-17T23:59:59+14:00</dc:date>", datetime(2026, 2, 17, 9, 59, 59)),
        ("<dc:date>2026-02-17T00:15:00-09:30</dc:date>", datetime(2026, 2, 17, 9, 45)),
        ("<pubDate>2026-02-17</pubDate>", datetime(2026, 2, 17)),
        ("<pubDate>not a date</pubDate>", None),
        ("<pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate>", None),  # epoch zero: a bug
        ("<pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate>", None),  # far future
        ("<pubDate>Sat, 21 Feb 2026 00:00:00 GMT</pubDate>", None),  # > 2 days ahead of NOW
        ("<pubDate>Thu, 19 Feb 2026 00:00:00 GMT</pubDate>", datetime(2026, 2, 19)),
        ("", None),  # never "now"
    ],
)
def test_dates_are_utc_and_plausible(date_xml: str, expected: datetime | None) -> None:
    article = only(rss(f"<item><guid>d</guid><title>t</title>{date_xml}</item>"))
    if expected is None:
        assert article.published is None
    else:
        assert article.published == expected.replace(tzinfo=UTC)
        assert article.published is not None
        assert article.published.tzinfo is UTC


SHORT_ITEM = (
    "<item><guid>s</guid><title>Statement</title><description>Read it.</description></item>"
)


def test_the_configured_language_beats_the_words_and_the_feed() -> None:
    assert only(rss(RSS_ITEM), source_language="RU").language == "ru"
    feed = parse(rss(RSS_ITEM, channel="<language>uk</language>"), source_language="pt_BR")
    assert feed.articles[0].language == "pt-br"
    assert feed.language == "uk"


def test_the_words_beat_the_feeds_declaration() -> None:
    assert only(rss(RSS_ITEM)).language == "en"
    assert only(rss(RSS_ITEM, channel="<language>uk</language>")).language == "en"
    assert only(rss(RSS_ITEM), headers={"Content-Language": "ru"}).language == "en"
    # a declaration that agrees with the words is kept: it says more
    assert only(rss(RSS_ITEM, channel="<language>en-GB</language>")).language == "en-gb"


def test_too_few_words_leave_the_declaration() -> None:
    assert only(rss(SHORT_ITEM)).language is None
    assert only(rss(SHORT_ITEM, channel="<language>fr</language>")).language == "fr"


def test_content_language_header_is_used() -> None:
    article = only(rss(SHORT_ITEM), headers={"Content-Language": "ru"})
    assert article.language == "ru"


def test_text_is_the_longest_of_content_and_summary() -> None:
    long_summary = "word " * 50
    item = (
        f"<item><guid>x</guid><title>t</title><description>{long_summary}</description>"
        "<content:encoded>short</content:encoded></item>"
    )
    article = only(rss(item))
    assert article.text == long_summary.strip()
    assert article.summary == long_summary.strip()
    assert article.html == "short"  # the display copy prefers the content


def test_huge_fields_are_truncated() -> None:
    big = "<p>" + "statement " * 150_000 + "</p>"  # 1.5 million characters of text
    item = (
        f"<item><guid>big</guid><title>{'T' * 10_000}</title>"
        f"<description><![CDATA[{big}]]></description></item>"
    )
    article = only(rss(item))
    assert len(article.text) <= 1_000_000
    assert len(article.summary) <= 1_000_000
    assert len(article.title) <= 2_000


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty body"),
        (b"  \n\t ", "empty body"),
        (
            b"<!DOCTYPE html><html><head><title>Press | Ministry</title>"
            b'<link rel="alternate" type="application/rss+xml" href="/press/rss.xml"></head>'
            b"<body><p>Welcome</p></body></html>",
            "this is an HTML page, not a feed (title: 'Press | Ministry'); "
            "it advertises a feed at https://gov.example/press/rss.xml",
        ),
        (b"<html><body>no head</body></html>", "this is an HTML page, not a feed (no title)"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "looks like JSON"),
        (b"Service Unavailable", "not XML/feed"),
        (b"<?xml version='1.0'?><note><to>someone</to></note>", "not XML/feed"),
        (b'<rss version="2.0"><channel></rss', "broken rss20 feed, nothing recovered"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not XML/feed"),
    ],
)
def test_unusable_documents_raise_feed_parse_error(body: bytes, message: str) -> None:
    with pytest.raises(FeedParseError) as caught:
        parse(body, url="https://gov.example/press/")
    assert message in str(caught.value)


def test_html_page_served_as_text_html_is_recognised() -> None:
    with pytest.raises(FeedParseError, match="HTML page"):
        parse(b"<title>Oops</title><p>hello", headers={"Content-Type": "text/html"})


def test_empty_but_valid_feed_is_not_an_error() -> None:
    feed = parse(rss(""))
    assert feed.articles == ()
    assert not feed.bozo


def test_broken_feed_with_entries_is_bozo_with_a_readable_message() -> None:
    body = rss(
        "<item><guid>1</guid><title>Caf&eacute; talks &hellip;</title></item>"
        "<item><guid>2</guid><title>Second</title>"
    )[: -len("</channel></rss>")]
    feed = parse(body)
    assert feed.bozo
    assert feed.bozo_message is not None
    assert "not well-formed XML (line" in feed.bozo_message
    assert [a.guid for a in feed.articles] == ["1", "2"]
    assert feed.articles[0].title == "Café talks …"


def test_channel_with_undefined_entity_and_no_items_is_an_empty_bozo_feed() -> None:
    feed = parse(b'<rss version="2.0"><channel><title>News &hellip;</title></channel></rss>')
    assert feed.bozo
    assert feed.articles == ()
    assert feed.title == "News …"


ACCENTED = "<item><guid>1</guid><title>Zürich — naïve café</title></item>"


@pytest.mark.parametrize(
    ("declared", "codec", "headers"),
    [
        ("utf-8", "utf-8", {}),
        ("iso-8859-1", "utf-8", {}),  # label says Latin-1, bytes are UTF-8
        ("us-ascii", "utf-8", {}),
        ("utf-8", "utf-8", {"Content-Type": "application/rss+xml; charset=ISO-8859-1"}),
        ("windows-1252", "windows-1252", {}),
        ("utf-8", "windows-1252", {}),  # label says UTF-8, bytes are windows-1252
    ],
)
def test_wrong_encoding_declared_still_reads_the_text(
    declared: str, codec: str, headers: dict[str, str]
) -> None:
    body = rss(ACCENTED, declaration=f'<?xml version="1.0" encoding="{declared}"?>')
    body = body.decode("utf-8").encode(codec)
    article = only(body, headers=headers)
    assert article.title == "Zürich — naïve café"


@pytest.mark.parametrize(
    ("content_type", "bozo"),
    [
        ("text/xml", False),  # RFC 7303: the XML declaration decides, not US-ASCII
        ("application/rss+xml", False),
        ("text/xml; charset=utf-8", False),
        ("text/html", True),  # still worth a warning: the server says it is not XML
    ],
)
def test_content_type_without_charset(content_type: str, bozo: bool) -> None:
    feed = parse(rss(ACCENTED), headers={"Content-Type": content_type})
    assert feed.articles[0].title == "Zürich — naïve café"
    assert feed.bozo is bozo


def test_invalid_utf8_bytes_are_replaced_not_mojibake() -> None:
    body = rss(ACCENTED).replace("naïve".encode(), b"na\xff\xfeve")
    feed = parse(body)
    assert feed.articles[0].title == "Zürich — na\ufffd\ufffdve café"
    assert feed.bozo
    assert feed.bozo_message is not None
    assert "invalid UTF-8" in feed.bozo_message


def test_utf16_feed() -> None:
    body = rss(ACCENTED, declaration='<?xml version="1.0" encoding="utf-16"?>')
    article = only(body.decode("utf-8").encode("utf-16"))
    assert article.title == "Zürich — naïve café"


def test_text_fields_never_carry_markup_or_control_characters() -> None:
    item = (
        "<item><guid>c</guid><title>&lt;script&gt;alert(1)&lt;/script&gt;Title\x0b</title>"
        "<description>&lt;img src=x onerror=alert(1)&gt;Body&lt;style&gt;p{}&lt;/style&gt;"
        "</description></item>"
    )
    article = only(rss(item).replace(b"\x0b", b""))
    assert article.title == "Title"
    assert article.summary == "Body"
    assert article.text == "Body"
    assert article.html is not None
    assert "onerror" not in article.html


def billion_laughs(*, one_line: bool) -> bytes:
    declarations = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    separator = "" if one_line else "\n"
    dtd = f"<!DOCTYPE rss [{separator}{separator.join(declarations)}{separator}]>"
    return (
        f'<?xml version="1.0"?>\n{dtd}\n<rss version="2.0"><channel><title>t</title>'
        "<item><guid>g</guid><title>&lol9;</title></item></channel></rss>"
    ).encode()


def quadratic_blowup() -> bytes:
    # No nesting: one 100 kB entity used 5,000 times (500 MB if expanded).
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "'
        + "A" * 100_000
        + '">\n]>\n<rss version="2.0"><channel><item><guid>g</guid><title>'
        + "&a;" * 5_000
        + "</title></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    "body",
    [
        billion_laughs(one_line=False),
        billion_laughs(one_line=True),
        quadratic_blowup(),
        billion_laughs(one_line=False).decode().encode("utf-16"),
    ],
    ids=["billion-laughs", "billion-laughs-one-line", "quadratic", "billion-laughs-utf16"],
)
def test_entity_expansion_is_refused_without_blowing_memory(body: bytes) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(FeedParseError, match="entity"):
            parse(body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * len(body) + 5_000_000


def test_small_internal_entities_still_work() -> None:
    body = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY org "United Nations">\n]>\n'
        b'<rss version="2.0"><channel><item><guid>e</guid><title>&org; statement</title>'
        b"</item></channel></rss>"
    )
    assert only(body).title == "United Nations statement"


def test_external_entities_and_dtds_are_never_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "DTD-SECRET-MARKER">')
    for doctype in (
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
        f'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{secret.as_uri()}">\n]>',
        f'<!DOCTYPE rss SYSTEM "{dtd.as_uri()}">',
        f'<!DOCTYPE rss [<!ENTITY % ext SYSTEM "{dtd.as_uri()}"> %ext;]>',
    ):
        body = (
            f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><item><guid>x</guid>'
            "<title>a &xxe; &leak; b</title><description>&xxe;&leak;</description>"
            "</item></channel></rss>"
        ).encode()
        try:
            feed = parse(body)
        except FeedParseError:
            continue
        for article in feed.articles:
            blob = f"{article.title} {article.summary} {article.text} {article.html}"
            assert "SECRET-MARKER" not in blob, doctype


def test_body_naming_a_file_is_not_read_as_that_file(tmp_path: Path) -> None:
    feed_file = tmp_path / "feed.xml"
    feed_file.write_bytes(rss(RSS_ITEM))
    with pytest.raises(FeedParseError):
        parse(str(feed_file).encode())


def test_body_that_is_a_url_is_not_fetched() -> None:
    with pytest.raises(FeedParseError):
        parse(b"http://127.0.0.1:9/feed.xml")


@pytest.mark.parametrize(
    ("author_xml", "expected"),
    [
        ("<author>press@gov.example (Press Office)</author>", "Press Office"),
        ("<author>desk@gov.example</author>", "desk@gov.example"),
        ("<dc:creator>Jane Doe</dc:creator>", "Jane Doe"),
        ("<dc:creator>  &lt;b&gt;Desk&lt;/b&gt;  </dc:creator>", "Desk"),
        ("", None),
    ],
)
def test_author(author_xml: str, expected: str | None) -> None:
    assert only(rss(f"<item><guid>a</guid><title>t</title>{author_xml}</item>")).author == expected


def test_deeply_nested_markup_is_handled() -> None:
    description = "&lt;div&gt;" * 100_000 + "deep"
    article = only(rss(f"<item><guid>n</guid><description>{description}</description></item>"))
    assert article.html is not None
    assert article.html.startswith("<div>")


SEED = rss(RSS_ITEM + "<item><guid>2</guid><title>Second</title></item>")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, len(SEED) - 1), st.binary(min_size=0, max_size=4)),
        max_size=12,
    ),
    st.integers(0, len(SEED)),
)
def test_mangled_feeds_parse_or_raise_feed_parse_error(
    edits: list[tuple[int, bytes]], cut: int
) -> None:
    body = bytearray(SEED[:cut] if cut > 20 else SEED)
    for position, replacement in edits:
        position = min(position, len(body))
        body[position : position + len(replacement)] = replacement
    try:
        feed = parse(bytes(body))
    except FeedParseError:
        return
    for article in feed.articles:
        assert article.guid
        assert "<script" not in article.text


def test_public_api_is_pinned() -> None:
    import aggregator.parse

    assert sorted(aggregator.parse.__all__) == [
        "canonical_url",
        "content_hash",
        "detect_language",
        "extract_main_text",
        "html_to_text",
        "needs_fulltext",
        "parse_feed",
        "sanitize_html",
        "with_fulltext",
    ]

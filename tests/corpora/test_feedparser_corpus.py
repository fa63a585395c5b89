"""Robustness over feedparser's own test corpus: every document, no crash, nothing unsafe kept.

Each of the 2,106 feeds (well-formed, ill-formed, encodings, entities, sanitiser cases) and the
JSON Feed example goes through parse_feed with the HTTP headers its comment asks for. Only
FeedParseError may come out; every article has plain text without markup, UTC dates, a guid,
and display HTML that holds only allow-listed tags, attributes and URL schemes.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from aggregator.errors import FeedParseError
from aggregator.model import Article
from aggregator.parse import parse_feed
from tests.support import feedparser_corpus

pytestmark = pytest.mark.fault

NOW = datetime(2026, 2, 18, tzinfo=UTC)
SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {
    "href", "title", "hreflang", "rel", "src", "alt", "width", "height", "cite", "datetime",
    "colspan", "rowspan", "scope", "start", "lang",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "cite"}


def _html_problems(html: str) -> list[str]:
    problems = []
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except lxml.etree.ParserError:  # nothing but a comment or whitespace
        return ["html without content"] if "<" in html else []
    for element in root.iter():
        if not isinstance(element.tag, str):
            problems.append("comment or processing instruction kept")
            continue
        if element is not root and element.tag not in SAFE_TAGS:
            problems.append(f"tag <{element.tag}>")
        for name, value in element.attrib.items():
            if name not in SAFE_ATTRIBUTES:
                problems.append(f"attribute {name}")
            elif name in URL_ATTRIBUTES:
                scheme = value.strip().lower().split(":", 1)[0] if ":" in value else ""
                if scheme and scheme not in ("http", "https", "mailto") and "/" not in scheme:
                    problems.append(f"url {value[:40]}")
    return problems


def _article_problems(article: Article) -> list[str]:
    problems = []
    if not article.guid.strip():
        problems.append("empty guid")
    for field in ("title", "summary", "text"):
        value: str = getattr(article, field)
        lowered = value.lower()
        if "<script" in lowered or "<iframe" in lowered or "<style" in lowered:
            problems.append(f"markup in {field}: {value[:60]!r}")
        if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in value):
            problems.append(f"control character in {field}")
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            problems.append(f"lone surrogate in {field}")
    for field in ("published", "updated"):
        moment: datetime | None = getattr(article, field)
        if moment is not None and moment.tzinfo is not UTC:
            problems.append(f"{field} not UTC: {moment!r}")
    if article.url is not None and not article.url.startswith(("http://", "https://")):
        problems.append(f"url {article.url!r}")
    if article.html is not None:
        problems.extend(_html_problems(article.html))
    return problems


def test_every_feedparser_document_parses_or_fails_cleanly(corpora: Path) -> None:
    documents = feedparser_corpus.documents(corpora)
    assert len(documents) >= 2_100, f"expected the whole corpus, found {len(documents)} files"
    failures: list[str] = []
    refused = articles = 0
    for path in documents:
        body = path.read_bytes()
        name = path.relative_to(corpora).as_posix()
        try:
            feed = parse_feed(
                body, source="corpus", url=f"http://127.0.0.1:8097/{name}",
                headers=feedparser_corpus.headers(body), now=NOW,
            )  # fmt: skip
        except FeedParseError as exc:
            refused += 1
            if not str(exc):
                failures.append(f"{name}: FeedParseError without a message")
            continue
        except Exception as exc:  # the point of the test: anything else is a bug
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        if feed.bozo and not feed.bozo_message:
            failures.append(f"{name}: bozo without a message")
        for article in feed.articles:
            articles += 1
            failures.extend(f"{name}: {problem}" for problem in _article_problems(article))
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures[:100])
    # Nearly all of the corpus is readable; a parser that refused everything would pass above.
    assert refused < 20, f"{refused} documents refused"
    assert articles > 1_000

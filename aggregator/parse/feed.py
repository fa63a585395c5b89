"""The feedparser adapter: feed bytes in, a :class:`~aggregator.model.ParsedFeed` out.

The only module that imports feedparser. feedparser is handed a byte stream (never a string,
which it would try as a URL or a file name), with its own sanitiser and URI resolver off: the
display HTML is sanitised by nh3 and the text comes from lxml (``parse.html``).

    body -> size/emptiness checks -> encoding repair -> feedparser -> diagnose failure
         -> for each entry: Article (guid, canonical URL, UTC dates, plain text, html, language)

An article's language (``parse.language.article_language``; docs/parsing.md says why in this
order): the source's configured ``language``, else the one detected in its title and text, else
the declared one (the entry's xml:lang, else the feed's <language>, else Content-Language).
"""

from __future__ import annotations

import email.utils
import io
import xml.sax
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

import feedparser

from aggregator import clock
from aggregator.errors import FeedParseError
from aggregator.model import Article, ParsedFeed
from aggregator.parse.html import (
    advertised_feeds,
    html_to_text,
    looks_like_html_page,
    page_title,
    sanitize_html,
)
from aggregator.parse.language import article_language
from aggregator.parse.normalise import (
    MAX_AUTHOR_CHARS,
    MAX_TITLE_CHARS,
    bounded_guid,
    canonical_url,
    content_hash,
    date_from_text,
    normalise_language,
    one_line,
    plausible_date,
    refuse_entity_bombs,
    repair_encoding,
    struct_to_utc,
)

# Far above any real feed (the fetcher stops at 10 MB on the wire); a guard for direct callers.
MAX_FEED_BYTES = 64 * 1024 * 1024

_LABEL_PROBLEMS = (
    feedparser.CharacterEncodingOverride,
    feedparser.CharacterEncodingUnknown,
    feedparser.NonXMLContentType,
)


def parse_feed(
    body: bytes,
    *,
    source: str,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    source_language: str | None = None,
    now: datetime | None = None,
) -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0, Atom or CDF bytes into normalised articles.

    ``url`` is where the document came from (the base for relative links); ``headers`` the HTTP
    response headers (``Content-Type`` charset, ``Content-Language``); ``source_language`` the
    source's configured language, which every article takes (no detection then);
    ``now`` bounds plausible dates (default: :func:`aggregator.clock.now`).

    Raises :class:`FeedParseError` when nothing usable can be recovered (empty body, an HTML
    page, not XML). A broken feed from which entries were recovered comes back with
    ``bozo=True`` and a readable ``bozo_message``.
    """
    if len(body) > MAX_FEED_BYTES:
        raise FeedParseError(f"document too large to be a feed ({len(body):,} bytes)")
    if not body.strip():
        raise FeedParseError("empty body: there is no feed to parse")
    # No Content-Location for feedparser: it would resolve relative guids against it, and a
    # guid must not change when the feed moves. Links are resolved here, against ``url``.
    response_headers = {name.lower(): value for name, value in (headers or {}).items()}
    response_headers.pop("content-location", None)
    refuse_entity_bombs(body)
    body, response_headers, repair_note = repair_encoding(body, response_headers)

    try:
        result = feedparser.parse(
            io.BytesIO(body),
            response_headers=response_headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except (xml.sax.SAXException, UnicodeError, ValueError, LookupError) as exc:
        raise FeedParseError(f"not XML/feed: {exc}") from exc

    entries = result.get("entries") or []
    feed = result.get("feed") or {}
    version = result.get("version") or None
    bozo_exception = result.get("bozo_exception") if result.get("bozo") else None
    bozo_message = _bozo_message(bozo_exception) if result.get("bozo") else None
    if repair_note:
        bozo_message = f"{repair_note}; {bozo_message}" if bozo_message else repair_note
    if not entries:
        recovered = bool(feed)  # any channel element at all: title, link, description …
        _raise_if_unusable(body, response_headers, url, version, bozo_exception, recovered)

    feed_link = feed.get("link") or None
    base = canonical_url(url) or canonical_url(feed_link)
    feed_language = normalise_language(feed.get("language")) or normalise_language(
        response_headers.get("content-language")
    )
    configured = normalise_language(source_language)
    moment = now or clock.now()
    readable = [_readable(entry) for entry in entries]
    languages: list[str | None]
    if configured:
        languages = [configured] * len(entries)
    else:
        # The words of every entry are read in one run, once all are parsed: the detector's
        # tables stay in the processor's cache from one call to the next, which makes a call
        # about half as costly as between two entries' HTML work (docs/benchmarks/ingest.md).
        languages = [
            article_language(
                parts.title,
                parts.text,
                configured=None,
                declared=_entry_language(entry) or feed_language,
            )
            for entry, parts in zip(entries, readable, strict=True)
        ]
    articles = tuple(
        _article(entry, parts, source=source, base=base, language=language, now=moment)
        for entry, parts, language in zip(entries, readable, languages, strict=True)
    )
    return ParsedFeed(
        title=one_line(html_to_text(feed.get("title") or ""), MAX_TITLE_CHARS) or None,
        link=feed_link,
        version=version,
        articles=articles,
        bozo=bozo_message is not None,
        bozo_message=bozo_message,
        language=feed_language,
    )


class _Readable(NamedTuple):
    """An entry's readable parts: what its language is read from, and its display HTML's source."""

    title: str
    summary: str
    text: str
    body_html: str
    body_base: str | None


def _readable(entry: Mapping[str, Any]) -> _Readable:
    """Title, summary and text as plain text; the longest readable body is the text."""
    title = one_line(html_to_text(_str(entry.get("title"))), MAX_TITLE_CHARS)
    summary_detail = entry.get("summary_detail") or {}
    summary_html = _str(entry.get("summary"))
    summary = html_to_text(summary_html)

    # The longest readable body wins: content[] items, else the summary.
    text, body_html, body_base = summary, summary_html, summary_detail.get("base")
    best_content: tuple[str, str, str | None] | None = None
    for item in entry.get("content") or []:
        value = _str(item.get("value"))
        plain = html_to_text(value)
        if best_content is None or len(plain) > len(best_content[0]):
            best_content = (plain, value, item.get("base"))
    if best_content is not None:
        body_html, body_base = best_content[1], best_content[2]
        if len(best_content[0]) > len(text):
            text = best_content[0]
    return _Readable(title, summary, text, body_html, body_base)


def _article(
    entry: Mapping[str, Any],
    parts: _Readable,
    *,
    source: str,
    base: str | None,
    language: str | None,
    now: datetime,
) -> Article:
    """One feedparser entry as an :class:`Article` (rules in docs/parsing.md)."""
    title, summary, text, body_html, body_base = parts
    link = _str(entry.get("link")).strip() or None
    entry_base = canonical_url(_str(entry.get("title_detail", {}).get("base"))) or base
    url = canonical_url(link, entry_base)
    digest = content_hash(title, summary, text)
    html = sanitize_html(body_html, body_base or entry_base) or None

    published = _first_date(entry, ("published_parsed", "updated_parsed", "created_parsed"), now)
    updated = _first_date(entry, ("updated_parsed",), now)
    author = _author(_str(entry.get("author")))
    return Article(
        source=source,
        guid=_guid(entry, url, title, summary),
        url=url,
        title=title,
        summary=summary,
        text=text,
        html=html,
        published=published,
        updated=updated,
        language=language,
        author=author,
        content_hash=digest,
        link=link,
    )


def _guid(entry: Mapping[str, Any], url: str | None, title: str, summary: str) -> str:
    """Entry id, else the canonical link, else a hash of title and summary (stable across polls)."""
    guid = one_line(_str(entry.get("id")), 10 * MAX_TITLE_CHARS)
    if guid:
        return bounded_guid(guid)
    if url:
        return bounded_guid(url)
    # Dates stay out on purpose: a feed that re-stamps entries on every build must not mint
    # new guids for unchanged entries.
    return "hash:" + content_hash(title, summary, "")


def _author(raw: str) -> str | None:
    """The name in RSS's ``press@example.org (Press Office)``; any other text as it is."""
    text = one_line(html_to_text(raw), MAX_AUTHOR_CHARS)
    if "@" in text:
        # feedparser's author_detail splits this with a regex that cuts unusual domains short
        name, _ = email.utils.parseaddr(text)
        text = name.strip() or text
    return text or None


def _first_date(entry: Mapping[str, Any], keys: tuple[str, ...], now: datetime) -> datetime | None:
    """The first plausible date among ``keys``: feedparser's UTC ``*_parsed``, else the raw text.

    Read with ``dict.get``: feedparser's own lookup answers "updated" with the published date.
    """
    for key in keys:
        raw = dict.get(entry, key) if isinstance(entry, dict) else entry.get(key)
        value = struct_to_utc(raw)
        if value is None:
            text = dict.get(entry, key.removesuffix("_parsed")) if isinstance(entry, dict) else None
            value = date_from_text(_str(text))
        value = plausible_date(value, now)
        if value is not None:
            return value
    return None


def _entry_language(entry: Mapping[str, Any]) -> str | None:
    """xml:lang (or the feed's <language>, which feedparser propagates) on the entry's parts."""
    details = [
        entry.get("title_detail"),
        entry.get("summary_detail"),
        *(entry.get("content") or []),
    ]
    for detail in details:
        if detail:
            language = normalise_language(detail.get("language"))
            if language:
                return language
    return None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _bozo_message(exc: object) -> str:
    """A sentence for the source's status line, from feedparser's bozo exception."""
    if isinstance(exc, xml.sax.SAXParseException):
        return (
            f"not well-formed XML (line {exc.getLineNumber()}, column {exc.getColumnNumber()}: "
            f"{exc.getMessage()}); read with the lenient parser"
        )
    if isinstance(exc, feedparser.CharacterEncodingOverride):
        return f"character encoding: {exc}"
    if isinstance(exc, feedparser.CharacterEncodingUnknown):
        return f"character encoding unknown: {exc}"
    if isinstance(exc, feedparser.NonXMLContentType):
        return f"served with a non-XML content type: {exc}"
    if isinstance(exc, feedparser.UndeclaredNamespace):
        return f"undeclared XML namespace: {exc}"
    if exc is None:
        return "feed is not well-formed"
    return f"{type(exc).__name__}: {exc}"


def _raise_if_unusable(
    body: bytes,
    headers: Mapping[str, str],
    url: str | None,
    version: str | None,
    bozo_exception: object,
    recovered: bool,
) -> None:
    """No entries: explain why when the document is not a feed at all.

    An empty channel is a valid answer, also when the XML is broken (an undefined ``&hellip;``
    in the channel title is the usual cause) as long as the channel itself was recovered.
    """
    content_type = headers.get("content-type", "").lower()
    if not version and (looks_like_html_page(body) or "text/html" in content_type):
        title = page_title(body)
        message = "this is an HTML page, not a feed"
        message += f" (title: {title!r})" if title else " (no title)"
        feeds = advertised_feeds(body, url)
        if feeds:
            message += f"; it advertises a feed at {feeds[0]}"
        raise FeedParseError(message)
    start = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not version and start in (b"{", b"["):
        raise FeedParseError("not XML/feed: this looks like JSON, which is not supported")
    # A label problem (encoding, content type) is no failure; broken XML is, unless the channel
    # of a recognised feed format came through.
    hard = bozo_exception is not None and not isinstance(bozo_exception, _LABEL_PROBLEMS)
    if (not hard and (version or recovered)) or (hard and version and recovered):
        return
    if not version:
        reason = _bozo_message(bozo_exception) if hard else "no RSS, Atom or RDF root element"
        raise FeedParseError(f"not XML/feed: {reason}")
    raise FeedParseError(
        f"broken {version} feed, nothing recovered: {_bozo_message(bozo_exception)}"
    )

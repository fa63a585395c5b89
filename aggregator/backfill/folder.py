"""A folder of saved feed files and HTML article pages, read as pages of one source's past.

Feed files (RSS, Atom, RDF) go through the same parser as fetched feeds. An HTML page becomes one
entry: its main text (trafilatura, as for full-text sources), its title, its canonical URL and its
publication date from the usual meta tags; its language is the source's when configured, else
read from its words as for feed entries; a page that states no date cannot be placed in the
range and is counted as undated.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from aggregator.model import Article
from aggregator.parse import (
    canonical_url,
    content_hash,
    detect_language,
    extract_main_text,
    parse_feed,
)
from aggregator.parse.html import looks_like_html_page, page_title

FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf", ".feed"})
PAGE_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})

_META = re.compile(rb"<meta\b([^>]*)>", re.IGNORECASE)
_LINK = re.compile(rb"<link\b([^>]*)>", re.IGNORECASE)
_TIME = re.compile(rb"<time\b[^>]*\bdatetime\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "pubdate",
    "article:modified_time",
)


def folder_files(folder: Path) -> list[Path]:
    """The feed files and pages under ``folder`` (recursively), in a stable order."""
    wanted = FEED_SUFFIXES | PAGE_SUFFIXES
    return sorted(
        (p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in wanted),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


def read_file(path: Path, *, source: str, language: str | None) -> list[Article]:
    """The entries of one saved file.

    Raises FeedParseError when it is neither a feed nor a page, OSError when unreadable.
    """
    body = path.read_bytes()
    if path.suffix.lower() in PAGE_SUFFIXES or looks_like_html_page(body):
        page = page_article(body, source=source, path=path, language=language)
        return [page] if page is not None else []
    parsed = parse_feed(body, source=source, url=path.resolve().as_uri(), source_language=language)
    return list(parsed.articles)


def _attributes(fragment: bytes) -> dict[str, str]:
    return {
        name.lower().decode("ascii", "replace"): html.unescape(
            (dq or sq).decode("utf-8", "replace")
        ).strip()
        for name, dq, sq in _ATTRIBUTE.findall(fragment)
    }


def _metas(body: bytes) -> Iterator[tuple[str, str]]:
    for match in _META.finditer(body):
        attrs = _attributes(match.group(1))
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key and "content" in attrs:
            yield key, attrs["content"]


def parse_page_date(text: str) -> datetime | None:
    """An ISO 8601 date or date-time from a meta tag, in UTC (a date alone is its midnight)."""
    value = text.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def page_article(body: bytes, *, source: str, path: Path, language: str | None) -> Article | None:
    """One saved article page as an entry; None when no main text can be found in it."""
    text = extract_main_text(body)
    if not text:
        return None
    metas = dict(_metas(body))
    url: str | None = metas.get("og:url")
    for match in _LINK.finditer(body):
        attrs = _attributes(match.group(1))
        if "canonical" in attrs.get("rel", "").lower().split() and attrs.get("href"):
            url = attrs["href"]
            break
    url = canonical_url(url) if url else None
    published = next(
        (d for key in _DATE_KEYS if key in metas and (d := parse_page_date(metas[key]))), None
    )
    if published is None and (found := _TIME.search(body)):
        published = parse_page_date(found.group(1).decode("ascii", "replace"))
    title = metas.get("og:title") or page_title(body) or path.stem
    summary = metas.get("description") or metas.get("og:description") or ""
    return Article(
        source=source,
        # the canonical URL identifies the article wherever it was saved; without one, the file
        guid=url or f"file:{path.name}",
        url=url,
        title=title,
        summary=summary,
        text=text,
        html=None,
        published=published,
        updated=None,
        language=language or detect_language(title, text),
        author=metas.get("author"),
        content_hash=content_hash(title, summary, text),
        link=url,
    )

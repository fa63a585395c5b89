"""Where a source's past lives: archive links in feed documents, ``?paged=N``, URL templates.

Pure: bytes and strings in, values out. The walk itself (fetching, stopping) is in
:mod:`aggregator.backfill.walk`. The ways to reach older entries, in the order they are tried::

    archive_url template   {page} -> 1, 2, 3 …;  {date} -> until, until-1 day … since
    RFC 5005 links         prev-archive (archived feeds), then next / previous (paged feeds)
    WordPress-style        ?paged=2, 3 … when the feed itself advertises nothing

A cursor (what the checkpoint stores) is the next thing to fetch: ``url:<URL>``,
``page:<N>`` or ``date:<YYYY-MM-DD>``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from aggregator.model import Article

# relations that lead to OLDER entries, best first. "next-archive" and "current" lead forwards
# (or back to the subscription document) and are never followed.
OLDER_RELATIONS = ("prev-archive", "next", "previous", "prev")

_LINK_TAG = re.compile(rb"<(?:[A-Za-z][\w.-]*:)?link\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(rb"""([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_SCAN_LIMIT = 256 * 1024  # feed-level links come before the entries; do not scan megabytes


def feed_links(body: bytes, base_url: str | None) -> dict[str, str]:
    """``rel -> absolute URL`` of the ``<link rel=… href=…>`` / ``<atom:link …>`` elements.

    The first link of each relation wins (feed-level links precede the entries). Only http(s)
    and file URLs are returned; a link back to ``base_url`` itself is left out.
    """
    found: dict[str, str] = {}
    for match in _LINK_TAG.finditer(body[:_SCAN_LIMIT]):
        attrs = {
            name.lower().decode("ascii", "replace"): (dq or sq)
            for name, dq, sq in _ATTRIBUTE.findall(match.group(1))
        }
        href = attrs.get("href")
        rels = attrs.get("rel")
        if not href or not rels:
            continue
        url = _absolute(html.unescape(href.decode("utf-8", "replace")).strip(), base_url)
        if url is None or url == base_url:
            continue
        for rel in rels.decode("utf-8", "replace").lower().split():
            found.setdefault(rel, url)
    return found


def _absolute(href: str, base_url: str | None) -> str | None:
    url = urljoin(base_url, href) if base_url else href
    scheme = urlsplit(url).scheme.lower()
    return url if scheme in ("http", "https", "file") else None


def older_page(links: Mapping[str, str], visited: Iterable[str]) -> str | None:
    """The link to follow for older entries, skipping pages already fetched."""
    seen = set(visited)
    for rel in OLDER_RELATIONS:
        url = links.get(rel)
        if url is not None and url not in seen:
            return url
    return None


def with_page(url: str, page: int, parameter: str = "paged") -> str:
    """``url`` with ``?paged=N`` set (other query parameters kept, page 1 without it)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != parameter]
    if page > 1:
        query.append((parameter, str(page)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def expand_template(template: str, *, page: int | None = None, day: date | None = None) -> str:
    """An ``archive_url`` with ``{page}`` and ``{date}`` (ISO ``YYYY-MM-DD``) filled in."""
    url = template
    if page is not None:
        url = url.replace("{page}", str(page))
    if day is not None:
        url = url.replace("{date}", day.isoformat())
    return url


CursorKind = Literal["url", "page", "date"]


@dataclass(frozen=True, slots=True)
class Cursor:
    """The next page of a walk: a URL, a page number of a template, or a day of a template."""

    kind: CursorKind
    value: str

    def encode(self) -> str:
        """The checkpoint form, ``kind:value``."""
        return f"{self.kind}:{self.value}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Read a checkpoint cursor; ValueError for anything else."""
        kind, sep, value = text.partition(":")
        if not sep or kind not in ("url", "page", "date") or not value:
            raise ValueError(f"not a backfill cursor: {text!r}")
        if kind == "page" and not value.isdigit():
            raise ValueError(f"not a page number in cursor {text!r}")
        if kind == "date":
            date.fromisoformat(value)
        return cls(kind, value)  # type: ignore[arg-type]

    @classmethod
    def url(cls, url: str) -> Cursor:
        return cls("url", url)

    @classmethod
    def page(cls, number: int) -> Cursor:
        return cls("page", str(number))

    @classmethod
    def day(cls, day: date) -> Cursor:
        return cls("date", day.isoformat())


def first_cursor(feed_url: str, template: str | None, until: date) -> Cursor:
    """Where a fresh walk starts: the template's first page or last day, else the feed itself."""
    if template is not None and "{date}" in template:
        return Cursor.day(until)
    if template is not None:
        return Cursor.page(1)
    return Cursor.url(feed_url)


def cursor_url(cursor: Cursor, template: str | None) -> str:
    """The URL to fetch for ``cursor``."""
    if cursor.kind == "url":
        return cursor.value
    if template is None:
        raise ValueError(f"cursor {cursor.encode()} needs an archive_url template")
    if cursor.kind == "page":
        return expand_template(template, page=int(cursor.value))
    return expand_template(template, day=date.fromisoformat(cursor.value))


@dataclass(frozen=True, slots=True)
class DateRange:
    """``[since, until]`` as whole UTC days: ``start`` inclusive, ``end`` exclusive."""

    since: date
    until: date

    def __post_init__(self) -> None:
        if self.until < self.since:
            raise ValueError(f"--until {self.until} is before --since {self.since}")

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, time(0), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.until + timedelta(days=1), time(0), tzinfo=UTC)

    def days(self) -> list[date]:
        """Every day of the range, oldest first."""
        return [self.since + timedelta(days=n) for n in range((self.until - self.since).days + 1)]

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def entry_time(article: Article) -> datetime | None:
    """When an entry was published (or, failing that, updated); None when the feed says neither."""
    return article.published or article.updated


@dataclass(frozen=True, slots=True)
class PageVerdict:
    """What one page of a walk contributes and whether the walk goes on past it."""

    kept: tuple[Article, ...]  # entries inside the range
    undated: int  # entries without any date (never kept: the range cannot be checked)
    reached_start: bool  # an entry older than the range start: older pages are out of range


def judge_page(articles: Iterable[Article], window: DateRange) -> PageVerdict:
    """Keep the entries inside ``window``; note whether the page reaches before its start."""
    kept: list[Article] = []
    undated = 0
    reached = False
    for article in articles:
        moment = entry_time(article)
        if moment is None:
            undated += 1
        elif window.contains(moment):
            kept.append(article)
        elif moment < window.start:
            reached = True
    return PageVerdict(tuple(kept), undated, reached)


def next_cursor(
    cursor: Cursor,
    *,
    template: str | None,
    links: Mapping[str, str],
    visited: Iterable[str],
    window: DateRange,
    feed_url: str,
    try_paged: bool,
) -> Cursor | None:
    """The page after ``cursor``; None when the walk is over.

    ``try_paged`` allows the WordPress-style guess (``?paged=2``) when a plain feed advertises
    no older page; the guess goes on (3, 4 …) as long as each page brings new entries, which
    the caller checks.
    """
    if cursor.kind == "page":
        return Cursor.page(int(cursor.value) + 1)
    if cursor.kind == "date":
        previous = date.fromisoformat(cursor.value) - timedelta(days=1)
        return Cursor.day(previous) if previous >= window.since else None
    linked = older_page(links, visited)
    if linked is not None:
        return Cursor.url(linked)
    if not try_paged or template is not None:
        return None
    if not urlsplit(feed_url).scheme.lower().startswith("http"):
        return None
    current = dict(parse_qsl(urlsplit(cursor.value).query)).get("paged", "1")
    number = int(current) + 1 if current.isdigit() else 2
    guess = with_page(feed_url, number)
    return None if guess in set(visited) else Cursor.url(guess)

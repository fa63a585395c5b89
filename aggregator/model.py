"""Value types passed between stages. Frozen: a stage returns new values, it never mutates.

What a feed said (:class:`Article` from parse) is a different type from what the store keeps
(rows in ``store``); stages exchange only these values. An event as the store reads it back
(:class:`Event`, its :class:`EventStatement` and :class:`Report` values) is what the digest
stage takes and the web archive shows: one set of types, no copy between the store and the
digest.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

SourceKind = Literal["official", "wire", "outlet"]
StatementKind = Literal["direct", "indirect", "mixed"]

#: The most of one article's text the pure stages read (extraction, grouping): 200,000
#: characters, about 30,000 words, ten times the longest PolNeAR article (34 KB) and realfeeds
#: entry (22 KB), twice the longest text of the GVA corpus (100,000, cut there). An article
#: keeps its whole text; statements and events come from this much of it, so one pathological
#: page (a 20 MB dump, a transcript of thousands of lines) costs a bounded time and memory.
MAX_TEXT_CHARS = 200_000


def text_end(text: str, limit: int = MAX_TEXT_CHARS) -> int:
    """Where the part of ``text`` a stage reads ends: all of it when it is at most ``limit``
    characters, else the last line break in the cap's final tenth (a paragraph is not cut),
    else the last sentence end there, else ``limit``."""
    if len(text) <= limit:
        return len(text)
    floor = limit - limit // 10
    line = text.rfind("\n", floor, limit)
    if line >= 0:
        return line
    sentence = text.rfind(". ", floor, limit - 1)
    return sentence + 1 if sentence >= 0 else limit


@dataclass(frozen=True, slots=True)
class Source:
    """One configured feed."""

    name: str
    url: str
    kind: SourceKind
    publisher: str
    side: str | None = None
    language: str | None = None
    interval: timedelta = timedelta(minutes=15)
    fulltext: bool = False
    enabled: bool = True


class FetchOutcome(enum.StrEnum):
    """How one fetch ended. Expected per-source failures are outcomes, not exceptions."""

    OK = "ok"  # 2xx with a body
    NOT_MODIFIED = "not_modified"  # 304
    GONE = "gone"  # 410: the source is disabled
    THROTTLED = "throttled"  # 429 / 503 with or without Retry-After
    FAILED = "failed"  # anything else: network error, guard, size, status, timeout


@dataclass(frozen=True, slots=True)
class Validators:
    """HTTP cache validators kept per source for conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch of one source produced. ``body`` is set only for ``OK``."""

    source: str
    requested_url: str
    outcome: FetchOutcome
    final_url: str | None = None
    status: int | None = None
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    validators: Validators = Validators()
    # set when every redirect on the way was permanent (301/308): the URL to store instead
    permanent_redirect: str | None = None
    retry_after: datetime | None = None
    error: str | None = None  # a sentence a user can act on
    error_type: str | None = None  # the AggregatorError subclass name, for logs and tests
    duration: float = 0.0  # seconds
    fetched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One entry of a feed, normalised. Dates are UTC; text fields are plain text."""

    source: str  # Source.name
    guid: str  # stable id within the source
    url: str | None  # canonical URL (tracking parameters and fragment removed)
    title: str
    summary: str  # plain text
    text: str  # plain text: full text when fetched, else content, else summary
    html: str | None  # sanitised HTML for display (nh3), or None
    published: datetime | None
    updated: datetime | None
    language: str | None
    author: str | None
    content_hash: str  # hex digest over title, summary, text (not dates, not fetch time)
    link: str | None = None  # the link exactly as the feed gave it


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed document: its articles, and whether (and why) the parser had to recover."""

    title: str | None
    link: str | None
    version: str | None
    articles: tuple[Article, ...]
    bozo: bool = False
    bozo_message: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """One claim or quote attributed to one speaker in one text.

    Offsets are Python string indices into the text the statement was extracted from.
    """

    text: str
    start: int
    end: int
    kind: StatementKind
    cue: str | None
    speaker: str | None  # as written
    speaker_start: int | None
    speaker_end: int | None
    actor: str | None = None  # canonical actor name when resolved
    role: str | None = None
    side: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    commentary: bool = False  # the speaker is no party: a journalist, outlet, expert, NGO …


@dataclass(frozen=True, slots=True)
class Report:
    """One source's copy of one article that carried an event or a statement."""

    source: str  # Source.name
    publisher: str
    kind: SourceKind
    url: str | None  # the source's link, else the canonical URL
    title: str
    published: datetime | None = None
    article_id: int | None = None  # the stored article (None: not read from a store)
    language: str | None = None  # the article's language tag ("fr"), if known


@dataclass(frozen=True, slots=True)
class Wording:
    """The sentence a statement was found in, and where its content, speaker and cue sit in it
    (offsets into ``text``): what a summary that reads as a sentence is made from."""

    text: str
    content: tuple[int, int]
    speaker: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Rendering:
    """A statement's words in another language than its own: the copy that reports in that
    language carry, when the grouper merged the same quotation across languages."""

    language: str  # a language tag ("fr")
    text: str


@dataclass(frozen=True, slots=True)
class EventStatement:
    """One merged statement of an event: the same words, carried by every report in
    ``reports`` (the canonical statement and the copies other outlets carry)."""

    id: str  # the canonical statement's id (the store's row id, as text)
    text: str
    kind: StatementKind
    cue: str | None
    speaker: str | None
    actor: str | None
    role: str | None
    side: str | None
    reports: tuple[Report, ...]
    commentary: bool = False  # the speaker is no party (a journalist, an expert, an NGO …)
    # the article text around the statement; None when the store could not read it (a span
    # too long, or the text changed since extraction)
    wording: Wording | None = None
    article_id: int | None = None  # the canonical statement's article (None: not stored)
    language: str | None = None  # the language tag of the article it was taken from ("ru")
    # the same statement in the other languages its reports carry it in (one a language, earliest
    # first; never ``language`` itself): set when the grouper merged a quotation across languages
    renderings: tuple[Rendering, ...] = ()


@dataclass(frozen=True, slots=True)
class Event:
    """One event as grouped by the pipeline, with its reports and merged statements: what the
    store reads back (``Store.events_in_period``, ``Store.event``) and the digest lays out."""

    id: str
    title: str
    first_seen_at: datetime
    last_seen_at: datetime
    articles: tuple[Report, ...]  # every (article, carrying source), earliest first
    statements: tuple[EventStatement, ...]  # canonical statements, earliest first
    # the counts the store keeps on the event, over its whole life (0: not read from a store)
    article_count: int = 0
    source_count: int = 0
    statement_count: int = 0
    side_count: int = 0
    # absorbed into that event (only ``Store.event`` returns such an event: follow it)
    merged_into: str | None = None
    # the events absorbed into this one (filled by ``Store.event``; the digest's read leaves
    # it empty)
    merged_from: tuple[str, ...] = ()


#: the longest wait a server's Retry-After can impose; a date years ahead (a typo, or hostility)
#: must not silently stop a source
RETRY_AFTER_MAX = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Politeness and safety limits for every HTTP fetch (feeds and article pages)."""

    max_connections: int = 20  # across all hosts
    max_per_host: int = 2
    connect_timeout: float = 10.0  # seconds
    read_timeout: float = 30.0  # seconds between bytes
    total_timeout: float = 120.0  # seconds for the whole exchange, redirects included
    max_body_bytes: int = 10 * 1024 * 1024  # on the wire, enforced while streaming
    max_decompressed_bytes: int = 50 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = "aggregator/0.1 (+https://github.com/aggregator/aggregator)"
    allow_private_networks: bool = False
    # networks exempt from the SSRF guard even when private networks are refused (tests, intranets)
    allowed_networks: tuple[str, ...] = ()
    retry_after_max: float = RETRY_AFTER_MAX.total_seconds()  # the longest Retry-After honoured

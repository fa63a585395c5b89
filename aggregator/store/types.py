"""What the store hands back besides the stages' own types: frozen values, free of SQLAlchemy.

An event with its reports and statements is :class:`aggregator.model.Event` (the digest's input
and the archive's event page), never a type of the store's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from aggregator.model import FetchOutcome, Source, SourceKind, Statement, StatementKind, Validators
from aggregator.store.cursors import time_cursor

DigestStatus = Literal["pending", "sending", "sent", "failed", "uncertain"]
DaemonState = Literal["running", "stopped"]


class PollStateLike(Protocol):
    """The schedule's verdict after one fetch (``aggregator.fetch.schedule.PollState``)."""

    @property
    def failures(self) -> int: ...

    @property
    def next_poll(self) -> datetime: ...

    @property
    def disabled_reason(self) -> str | None: ...

    @property
    def last_error(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class SourceState:
    """A claimed source as the fetcher needs it; ``source.url`` is the CURRENT url."""

    source: Source
    validators: Validators
    failures: int
    next_poll_at: datetime
    disabled_reason: str | None
    last_error: str | None
    # who holds the lease; save_fetch releases the lease only if this owner still holds it
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What :meth:`Store.sync_sources` changed, by source name."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()  # no longer configured, or disabled in the configuration
    unchanged: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RefusedEntry:
    """An entry the database refused (its guid, and the database's reason); it was left out."""

    guid: str
    reason: str


@dataclass(frozen=True, slots=True)
class SaveReport:
    """What :meth:`Store.save_fetch` did with one batch of entries."""

    new: int
    updated: int
    unchanged: int
    new_article_ids: list[int]
    changed_article_ids: list[int]
    # entries left out because the database refused a value of theirs (each one logged)
    refused: tuple[RefusedEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """One row of ``aggregator status``."""

    name: str
    kind: SourceKind
    enabled: bool
    disabled_reason: str | None
    last_fetch_at: datetime | None
    last_status: int | None
    last_new_entries: int | None
    consecutive_failures: int
    last_error: str | None
    next_poll_at: datetime
    url: str
    last_outcome: FetchOutcome | None = None  # of the latest fetch still in fetch_log
    lease_owner: str | None = None  # who is fetching it (a lease may have expired)
    lease_expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as stored, with the names of every source that carries it."""

    id: int
    canonical_url: str | None
    title: str
    summary: str
    text: str
    html: str | None
    author: str | None
    language: str | None
    published_at: datetime | None
    updated_at: datetime | None
    first_seen_at: datetime
    last_changed_at: datetime
    content_hash: str
    near_duplicate_of: int | None
    primary_source: str
    sources: tuple[str, ...]
    event_id: str | None = None
    extracted_version: str | None = None  # the extractor version its statements come from
    grouped_at: datetime | None = None  # None: not grouped yet

    @property
    def time(self) -> datetime:
        """When it happened as far as we know: published, else first seen."""
        return self.published_at or self.first_seen_at


@dataclass(frozen=True, slots=True)
class FetchLogRow:
    """One fetch of one source, as logged."""

    id: int
    source: str
    started_at: datetime
    duration_ms: int
    outcome: FetchOutcome
    http_status: int | None
    new_entries: int
    updated_entries: int
    bytes: int | None
    error: str | None
    error_type: str | None


# -- statements ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredStatement:
    """A stored statement: the extractor's :class:`~aggregator.model.Statement` plus its row."""

    id: int
    article_id: int
    seq: int  # order within the article
    statement: Statement
    canonical_id: int | None  # the statement several outlets carry; None: this one is canonical
    created_at: datetime


# -- events ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupedArticle:
    """An already grouped article, enough to restore the clusterer on start-up."""

    id: int
    title: str
    text: str
    time: datetime  # published, else first seen
    source: str  # primary source name
    event_id: str
    near_duplicate_of: int | None


@dataclass(frozen=True, slots=True)
class GroupingMark:
    """How far grouping has got in the store: a grouper kept in memory from an earlier run is
    still valid while this equals the mark read when that run ended."""

    last_grouped_at: datetime | None  # the latest grouping stamp of any article
    regrouping: bool  # an article grouped before waits to be grouped again (new statements)


# -- the web archive's reads -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventSummary:
    """One line of an archive day: an event without its reports and statements."""

    id: str
    title: str
    first_seen_at: datetime
    last_seen_at: datetime
    article_count: int
    source_count: int
    statement_count: int
    side_count: int

    @property
    def cursor(self) -> str:
        """The ``after`` of :meth:`Store.events_between` for the page after this event."""
        return time_cursor(self.last_seen_at, self.id)


@dataclass(frozen=True, slots=True)
class ActorStatement:
    """A canonical statement of one actor, with the article (and its primary source) it is in."""

    id: int
    text: str
    kind: StatementKind
    speaker: str | None
    actor: str | None
    role: str | None
    side: str | None
    commentary: bool
    event_id: str | None
    article_id: int
    article_title: str
    url: str | None  # the primary source's link, else the canonical URL
    publisher: str  # the primary source's
    published: datetime | None  # the article's time: published, else first seen
    language: str | None = None  # the article's language tag ("ru"), if known


@dataclass(frozen=True, slots=True)
class ActorPage:
    """A page of one actor's statements, newest first, and what is known of the actor."""

    actor: str | None  # the actor's most frequent spelling; None: no statement has this slug
    roles: tuple[str, ...]  # distinct roles, most frequent first (at most 5)
    sides: tuple[str, ...]  # distinct sides, most frequent first
    statements: tuple[ActorStatement, ...]
    next_cursor: str | None  # the ``after`` of the next page; None: this is the last
    total: int  # the statements matching the filters, on every page


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: a statement, or an article whose title matched.

    ``snippet`` is plain text (never HTML): the matched words are enclosed in
    ``MARK_START`` (U+E000) and ``MARK_END`` (U+E001), which a web page turns into ``<mark>``
    after escaping the text.
    """

    kind: Literal["statement", "article"]
    id: int  # the statement's id, or the article's
    event_id: str | None
    title: str  # the article's title
    snippet: str
    url: str | None  # the primary source's link, else the canonical URL
    speaker: str | None  # None for an article
    actor: str | None
    actor_slug: str | None
    side: str | None
    role: str | None
    published: datetime | None  # the article's time: published, else first seen
    rank: float  # relevance, higher first (comparable within one search only)
    article_id: int | None = None  # the article (of a statement hit, or the article itself)
    language: str | None = None  # the article's language tag ("ru"), if known


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page of search hits, most relevant first."""

    query: str  # the words searched for, as the store read them from the query
    hits: tuple[SearchHit, ...]
    next_cursor: str | None  # the ``after`` of the next page; None: this is the last
    total: int  # all matches (statements and articles), on every page; each kind counted
    # up to search.MAX_COUNT
    total_exact: bool = True  # False: more than ``total`` match (the count stopped there)


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """What ``/metrics`` shows about the store."""

    fetches: dict[str, int]  # fetch_log rows by outcome (rows pruned by housekeeping are gone)
    articles: int
    statements: int
    events: int  # live ones (not merged into another)
    digests_sent: int
    last_successful_poll: datetime | None  # the latest fetch that was ok or not modified


# -- digest ledger ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DigestClaim:
    """A digest row the caller now holds; ``eml`` set means: send exactly these bytes."""

    id: int
    subscription: str
    period_label: str
    status: DigestStatus  # as it was when claimed ('sent'/'uncertain' only with force)
    attempts: int
    message_id: str | None
    eml: str | None
    claimed_until: datetime


@dataclass(frozen=True, slots=True)
class DigestRow:
    """One row of the sent-digest ledger (without the message itself)."""

    id: int
    subscription: str
    period_label: str
    period_start: datetime
    period_end: datetime
    status: DigestStatus
    attempts: int
    message_id: str | None
    last_error: str | None
    claimed_by: str | None
    claimed_until: datetime | None
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None


# -- daemons and backfill --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DaemonRow:
    """A daemon's last heartbeat."""

    id: str
    host: str
    pid: int
    version: str
    started_at: datetime
    last_beat_at: datetime
    state: DaemonState


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """How far a backfill of one source over one range got."""

    source: str
    range_start: datetime
    range_end: datetime
    cursor: str | None  # next page URL or page number; None before the first page
    pages_done: int
    entries_done: int
    updated_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        """True once the whole range was loaded."""
        return self.finished_at is not None

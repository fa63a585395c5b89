"""What the store hands back: frozen value types, free of SQLAlchemy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from aggregator.model import FetchOutcome, Source, SourceKind, Validators


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
class SaveReport:
    """What :meth:`Store.save_fetch` did with one batch of entries."""

    new: int
    updated: int
    unchanged: int
    new_article_ids: list[int]
    changed_article_ids: list[int]


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

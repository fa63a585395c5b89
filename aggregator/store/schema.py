"""The tables, as SQLAlchemy Core metadata. Migrations create exactly this (a test checks it).

Columns holding instants use :class:`UTCDateTime`: aware UTC datetimes in, aware UTC datetimes out,
on SQLite (which has no time zones) as on PostgreSQL (``timestamp with time zone``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# Named constraints keep autogenerate comparisons and future batch migrations on SQLite stable.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

SOURCE_KINDS = ("official", "wire", "outlet")
FETCH_OUTCOMES = ("ok", "not_modified", "gone", "throttled", "failed")
STATEMENT_KINDS = ("direct", "indirect", "mixed")
DIGEST_STATUSES = ("pending", "sending", "sent", "failed", "uncertain")
DAEMON_STATES = ("running", "stopped")


class UTCDateTime(TypeDecorator[datetime]):
    """An instant: refuses naive datetimes, stores UTC, returns aware UTC datetimes.

    Naive values are refused rather than guessed: a naive datetime reaching the store is a bug
    upstream (every stage works in aware UTC), and guessing would hide it.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}: {value!r}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: use an aware UTC time")
        value = value.astimezone(UTC)
        # SQLite stores text without an offset; PostgreSQL keeps the offset-aware value.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    # url is where we fetch now (after permanent redirects); configured_url is what feeds.yaml says
    Column("url", Text, nullable=False),
    Column("configured_url", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("publisher", Text, nullable=False),
    Column("side", Text),
    Column("language", String(35)),
    Column("interval_seconds", Integer, nullable=False),
    Column("fulltext", Boolean, nullable=False, default=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("disabled_reason", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("next_poll_at", UTCDateTime, nullable=False),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("last_fetch_at", UTCDateTime),
    Column("last_status", Integer),
    Column("last_new_entries", Integer),
    Column("lease_owner", String(200)),
    Column("lease_expires_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("name"),
    CheckConstraint("kind IN ('official', 'wire', 'outlet')", name="kind"),
    CheckConstraint("interval_seconds > 0", name="interval_positive"),
)
Index("ix_sources_next_poll_at", sources.c.next_poll_at)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    # the URL whole, for links and display; never indexed (a feed decides its length)
    Column("canonical_url", Text),
    # 0003: the unique key on the canonical URL, SHA-256 hex of it (store/storable.py); unique
    # but nullable: entries without a usable link are still stored, each its own article
    Column("url_key", String(64)),
    Column("title", Text, nullable=False),
    Column("summary", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("html", Text),
    Column("author", Text),
    Column("language", String(35)),
    Column("published_at", UTCDateTime),
    Column("updated_at", UTCDateTime),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("last_changed_at", UTCDateTime, nullable=False),
    Column("content_hash", String(128), nullable=False),
    Column("near_duplicate_of", Integer, ForeignKey("articles.id", ondelete="SET NULL")),
    Column("primary_source_id", Integer, ForeignKey("sources.id"), nullable=False),
    # 0002: the event grouping put it in; the extractor version its statements come from; when
    # grouping last saw it (NULL: not yet grouped)
    # no ON DELETE rule: events are never deleted (a merge marks them), and SQLite cannot reflect
    # the rule of a foreign key added by ALTER TABLE, so autogenerate would see a difference
    Column("event_id", Text, ForeignKey("events.id")),
    Column("extracted_version", Text),
    Column("grouped_at", UTCDateTime),
    UniqueConstraint("url_key"),
)
Index("ix_articles_published_at", articles.c.published_at)
Index("ix_articles_primary_source_id", articles.c.primary_source_id)
Index("ix_articles_event_id", articles.c.event_id)
# 0003: what processing looks for on every run (articles not extracted by this extractor, articles
# not grouped yet) and the grouping mark (the latest stamp) are index lookups, not table scans
Index("ix_articles_extracted_version", articles.c.extracted_version)
Index("ix_articles_grouped_at", articles.c.grouped_at)

article_sources = Table(
    "article_sources",
    metadata,
    Column("source_id", Integer, ForeignKey("sources.id"), primary_key=True),
    # 0003: SHA-256 hex of the guid, the key; the guid itself is kept whole and not indexed
    Column("guid_key", String(64), primary_key=True),
    Column("guid", Text, nullable=False),
    Column(
        "article_id",
        Integer,
        ForeignKey("articles.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("link", Text),
    Column("content_hash", String(128), nullable=False),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
)
# The primary key (source_id, guid_key) is the UNIQUE (source, guid) index; this one serves
# "which sources carry this article" and the foreign key.
Index("ix_article_sources_article_id", article_sources.c.article_id)

fetch_log = Table(
    "fetch_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("duration_ms", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("http_status", Integer),
    Column("new_entries", Integer, nullable=False, default=0),
    Column("updated_entries", Integer, nullable=False, default=0),
    Column("bytes", Integer),
    Column("error", Text),
    Column("error_type", String(100)),
    CheckConstraint(
        "outcome IN ('ok', 'not_modified', 'gone', 'throttled', 'failed')", name="outcome"
    ),
)
Index("ix_fetch_log_source_id_started_at", fetch_log.c.source_id, fetch_log.c.started_at)
Index("ix_fetch_log_started_at", fetch_log.c.started_at)

# -- migration 0002: statements, events, the digest ledger, daemons, backfill checkpoints --------

statements = Table(
    "statements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),  # order within the article
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("cue", Text),
    Column("cue_start", Integer),
    Column("cue_end", Integer),
    Column("speaker", Text),  # as written
    Column("speaker_start", Integer),
    Column("speaker_end", Integer),
    Column("actor", Text),  # canonical actor name
    # 0006: aggregator.store.slugs.actor_slug(actor), what the web archive's actor pages look up
    Column("actor_slug", String(200)),
    Column("role", Text),
    Column("side", Text),
    # the speaker is no party (a journalist, an outlet, an academic, an expert, an NGO)
    Column("commentary", Boolean, nullable=False, server_default=false()),
    # the canonical statement several outlets carry; NULL: this one is canonical. If the
    # canonical row goes (its article re-extracted or deleted) this one becomes its own canonical.
    Column("canonical_id", Integer, ForeignKey("statements.id", ondelete="SET NULL")),
    Column("created_at", UTCDateTime, nullable=False),
    # 0007: the article's time (published, else first seen), kept by the store's writers, so an
    # actor's statements page by index (ix_statements_actor_time) without joining articles
    Column("article_time", UTCDateTime),
    CheckConstraint("kind IN ('direct', 'indirect', 'mixed')", name="kind"),
    # never reuse a deleted statement's id on SQLite either: a changed statement gets a new id
    sqlite_autoincrement=True,
)
Index("ix_statements_article_id_seq", statements.c.article_id, statements.c.seq, unique=True)
Index("ix_statements_canonical_id", statements.c.canonical_id)
Index("ix_statements_side", statements.c.side)
Index("ix_statements_actor", statements.c.actor)
Index("ix_statements_actor_slug", statements.c.actor_slug)
Index(
    "ix_statements_actor_time",
    statements.c.actor_slug,
    statements.c.article_time,
    statements.c.id,
    sqlite_where=statements.c.canonical_id.is_(None),
    postgresql_where=statements.c.canonical_id.is_(None),
)

events = Table(
    "events",
    metadata,
    Column("id", Text, primary_key=True),  # stable ids from the grouping stage ("ev-…")
    Column("title", Text, nullable=False),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("article_count", Integer, nullable=False, default=0),
    Column("source_count", Integer, nullable=False, default=0),
    Column("statement_count", Integer, nullable=False, default=0),
    Column("side_count", Integer, nullable=False, default=0),
    # absorbed into that event (no foreign key: the grouping stage owns event ids)
    Column("merged_into", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)
Index("ix_events_last_seen_at", events.c.last_seen_at)
# 0006: the events absorbed into one (the archive's event page names them)
Index("ix_events_merged_into", events.c.merged_into)

digests = Table(
    "digests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscription", String(200), nullable=False),
    Column("period_label", String(64), nullable=False),
    Column("period_start", UTCDateTime, nullable=False),
    Column("period_end", UTCDateTime, nullable=False),
    Column("status", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("message_id", Text),
    # the rendered message: a resumed send sends the same bytes and Message-ID
    Column("eml", Text),
    Column("last_error", Text),
    Column("claimed_by", String(200)),
    Column("claimed_until", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    # the key that makes sending at most once per subscription and period
    UniqueConstraint("subscription", "period_label"),
    CheckConstraint(
        "status IN ('pending', 'sending', 'sent', 'failed', 'uncertain')", name="status"
    ),
)

daemons = Table(
    "daemons",
    metadata,
    Column("id", String(200), primary_key=True),  # the owner id leases and claims use
    Column("host", Text, nullable=False),
    Column("pid", Integer, nullable=False),
    Column("version", String(64), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("last_beat_at", UTCDateTime, nullable=False),
    Column("state", String(16), nullable=False),
    CheckConstraint("state IN ('running', 'stopped')", name="state"),
)

backfill_checkpoints = Table(
    "backfill_checkpoints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False),
    Column("range_start", UTCDateTime, nullable=False),
    Column("range_end", UTCDateTime, nullable=False),
    Column("cursor", Text),  # next page URL or page number; NULL before the first page
    Column("pages_done", Integer, nullable=False, default=0),
    Column("entries_done", Integer, nullable=False, default=0),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    UniqueConstraint("source_id", "range_start", "range_end"),
)


# -- migration 0009: the archive's pages, made ahead and forgotten by the database itself ------

pages = Table(
    "pages",
    metadata,
    # 'event' (key: the event's id) or 'actor' (key: the actor's slug, the plain first page)
    Column("kind", String(16), primary_key=True),
    Column("key", String(200), primary_key=True),
    # the code and templates it was made with (aggregator.web.made.fingerprint): a page made by
    # another version is never served
    Column("made_for", String(64), nullable=False),
    # the placeholder its links were made under, replaced by the reader's base URL when served;
    # random a page, so no text a feed supplies can hold it
    Column("mark", String(64), nullable=False),
    Column("body", Text, nullable=False),
    # an event's page as the JSON API gives it (/api/v1/events/{id}); NULL for an actor's
    Column("api", Text),
    Column("made_at", UTCDateTime, nullable=False),
    CheckConstraint("kind IN ('event', 'actor')", name="kind"),
)

# a stored page's content changed since it was made: written by the database's triggers
# (migration 0009), read when a page is served and emptied by the pages' maker
page_changes = Table(
    "page_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("key", String(200), nullable=False),
)
Index("ix_page_changes_kind_key", page_changes.c.kind, page_changes.c.key)


# -- migration 0006: full-text search, kept by the database itself ------------------------------

#: Search objects migration 0006 creates outside this metadata (docs/store.md, "Search"): on
#: SQLite the FTS5 tables (and the shadow tables FTS5 keeps beside each) with their triggers; on
#: PostgreSQL generated ``tsvector`` columns with GIN indexes. Neither backend could hold the
#: other's, and the store never writes them, so they are left out of the metadata and out of
#: autogenerate's comparison (:func:`include_name`).
SEARCH_TABLES = ("statements_fts", "articles_fts")
SEARCH_COLUMNS = {"statements": "search_vector", "articles": "title_vector"}
SEARCH_INDEXES = ("ix_statements_search_vector", "ix_articles_title_vector")


def include_name(name: str | None, type_: str, parent_names: Mapping[Any, str | None]) -> bool:
    """Autogenerate's filter of reflected names: False for the search objects above."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(SEARCH_TABLES)
    if type_ == "column":
        return SEARCH_COLUMNS.get(parent_names.get("table_name") or "") != name
    if type_ == "index":
        return name not in SEARCH_INDEXES
    return True

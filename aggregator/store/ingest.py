"""save_fetch: one fetch's entries, its log row and the source's new schedule, in one transaction.

Flow (the caller holds the transaction; nothing is written if any step fails; ``save_entries`` is
the entries part alone, for backfills that load pages outside the polling schedule)::

    links   = existing (source, guid) links for the batch        -- one query per 1,000 guids
    same hash     -> touch the link's last_seen_at                -> unchanged
    other hash    -> update the link; update the article too if this source is its primary
                     source                                       -> updated
    unseen guid   -> find or create the article by canonical URL (INSERT … ON CONFLICT DO NOTHING,
                     then read back what a concurrent writer created), link it -> new
    fetch_log row; source validators / url / schedule / lease

``save_fetches`` stores several fetches that way in one transaction: a pass hands it the 304s
and failures that queued up while the previous transaction ran, so that bookkeeping-only outcomes
cost one commit together rather than one each. Every fetch is still one fetch_log row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import bindparam, case, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from aggregator.errors import StoreError
from aggregator.model import Article, FetchOutcome, FetchResult
from aggregator.store.bulk import insert_ignoring_conflicts
from aggregator.store.schema import article_sources, articles, fetch_log, sources
from aggregator.store.types import PollStateLike, SaveReport, SourceState

# IN lists and VALUES batches stay well under SQLite's 32,766 and PostgreSQL's 65,535 parameters
CHUNK = 1000
GONE_REASON = "the server answered 410 Gone: the feed was removed"

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class FetchToSave:
    """One fetch as :meth:`Store.save_fetch` takes it, for :meth:`Store.save_fetches`."""

    state: SourceState
    result: FetchResult
    articles: Sequence[Article]
    poll: PollStateLike
    now: datetime


def dialect_insert(conn: Connection, table: Any) -> Any:
    """``INSERT`` with the backend's ``ON CONFLICT`` support."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def save_fetch(
    conn: Connection,
    state: SourceState,
    result: FetchResult,
    batch: Sequence[Article],
    poll: PollStateLike,
    now: datetime,
) -> SaveReport:
    """Store one fetch; see :meth:`aggregator.store.Store.save_fetch` for the rules."""
    name = state.source.name
    if result.source != name:
        raise ValueError(f"fetch result is for {result.source!r}, not {name!r}")
    source_id, report = save_entries(conn, name, batch, now)
    conn.execute(
        fetch_log.insert().values(
            source_id=source_id,
            started_at=result.fetched_at or now,
            duration_ms=max(0, round(result.duration * 1000)),
            outcome=FetchOutcome(result.outcome).value,
            http_status=result.status,
            new_entries=report.new,
            updated_entries=report.updated,
            bytes=len(result.body) if result.body is not None else None,
            error=result.error,
            error_type=result.error_type,
        )
    )
    _update_source(conn, source_id, state, result, poll, report, now)
    return report


def save_entries(
    conn: Connection, name: str, batch: Sequence[Article], now: datetime
) -> tuple[int, SaveReport]:
    """Upsert one source's entries by the rules of :meth:`Store.save_fetch`, and nothing else
    (no fetch_log row, no schedule); returns the source's id and what happened."""
    source_id = conn.execute(select(sources.c.id).where(sources.c.name == name)).scalar()
    if source_id is None:
        raise StoreError(f"unknown source: {name} (run the configuration sync first)")
    entries = _collapse(batch, name)

    existing = _existing_links(conn, source_id, list(entries))
    unchanged = [g for g, (_, h, _) in existing.items() if entries[g].content_hash == h]
    changed = {g: link for g, link in existing.items() if entries[g].content_hash != link[1]}
    fresh = [a for g, a in entries.items() if g not in existing]

    for part in chunks(unchanged):
        conn.execute(
            update(article_sources)
            .where(article_sources.c.source_id == source_id, article_sources.c.guid.in_(part))
            .values(last_seen_at=now)
        )
    changed_ids = _apply_changes(conn, source_id, entries, changed, now)
    new_ids = _insert_fresh(conn, source_id, fresh, now)
    return source_id, SaveReport(
        new=len(fresh),
        updated=len(changed),
        unchanged=len(unchanged),
        new_article_ids=new_ids,
        changed_article_ids=changed_ids,
    )


def _collapse(batch: Sequence[Article], name: str) -> dict[str, Article]:
    """One article a guid; a guid repeated within the batch keeps its last occurrence."""
    entries: dict[str, Article] = {}
    for article in batch:
        if article.source != name:
            raise ValueError(f"article {article.guid!r} is from {article.source!r}, not {name!r}")
        entries[article.guid] = article
    return entries


def _existing_links(
    conn: Connection, source_id: int, guids: list[str]
) -> dict[str, tuple[int, str, int]]:
    """guid -> (article id, link content hash, article's primary source id) for known guids."""
    found: dict[str, tuple[int, str, int]] = {}
    query = select(
        article_sources.c.guid,
        article_sources.c.article_id,
        article_sources.c.content_hash,
        articles.c.primary_source_id,
    ).join(articles, articles.c.id == article_sources.c.article_id)
    for part in chunks(guids):
        rows = conn.execute(
            query.where(article_sources.c.source_id == source_id, article_sources.c.guid.in_(part))
        )
        for guid, article_id, content_hash, primary in rows:
            found[guid] = (article_id, content_hash, primary)
    return found


def _content(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "summary": article.summary,
        "text": article.text,
        "html": article.html,
        "author": article.author,
        "language": article.language,
        "published_at": article.published,
        "updated_at": article.updated,
        "content_hash": article.content_hash,
    }


def _apply_changes(
    conn: Connection,
    source_id: int,
    entries: dict[str, Article],
    changed: dict[str, tuple[int, str, int]],
    now: datetime,
) -> list[int]:
    """Update changed links, and the articles this source is primary for; return their ids."""
    if not changed:
        return []
    conn.execute(
        update(article_sources)
        .where(
            article_sources.c.source_id == source_id,
            article_sources.c.guid == bindparam("b_guid"),
        )
        .values(
            content_hash=bindparam("b_hash"),
            link=bindparam("b_link"),
            last_seen_at=now,
        ),
        [
            {
                "b_guid": guid,
                "b_hash": entries[guid].content_hash,
                "b_link": entries[guid].link or entries[guid].url,
            }
            for guid in changed
        ],
    )
    # another source's copy changing does not rewrite the article its primary source wrote
    owned = {aid: entries[g] for g, (aid, _, primary) in changed.items() if primary == source_id}
    if not owned:
        return []
    columns = _content(next(iter(owned.values())))
    conn.execute(
        update(articles)
        .where(articles.c.id == bindparam("b_id"))
        # new words need new statements: the extractor picks up articles with no version
        .values(
            {
                **{k: bindparam(f"b_{k}") for k in columns},
                "last_changed_at": now,
                "extracted_version": None,
            }
        ),
        [
            {"b_id": aid, **{f"b_{k}": v for k, v in _content(a).items()}}
            for aid, a in owned.items()
        ],
    )
    return sorted(owned)


def _insert_fresh(
    conn: Connection, source_id: int, fresh: list[Article], now: datetime
) -> list[int]:
    """Create or find the article for each unseen guid and link it; return created article ids."""
    if not fresh:
        return []

    def row(a: Article) -> dict[str, Any]:
        return {
            "canonical_url": a.url or None,
            **_content(a),
            "first_seen_at": now,
            "last_changed_at": now,
            "primary_source_id": source_id,
        }

    by_url: dict[str, int] = {}
    urls = sorted({a.url for a in fresh if a.url})
    for part in chunks(urls):
        by_url.update(
            (u, i)
            for i, u in conn.execute(
                select(articles.c.id, articles.c.canonical_url).where(
                    articles.c.canonical_url.in_(part)
                )
            )
        )
    created: list[int] = []
    first_for_url: dict[str, Article] = {}
    for a in fresh:
        if a.url and a.url not in by_url:
            first_for_url.setdefault(a.url, a)
    if first_for_url:
        # sorted by url so concurrent writers take unique-index locks in the same order
        rows = [row(first_for_url[u]) for u in sorted(first_for_url)]
        inserted = insert_ignoring_conflicts(
            conn, articles, rows, ["canonical_url"], returning=["id", "canonical_url"]
        )
        for i, u in inserted:
            by_url[u] = i
            created.append(i)
        # rows another process inserted between our read and our insert
        missing = [u for u in first_for_url if u not in by_url]
        for part in chunks(missing):
            by_url.update(
                (u, i)
                for i, u in conn.execute(
                    select(articles.c.id, articles.c.canonical_url).where(
                        articles.c.canonical_url.in_(part)
                    )
                )
            )

    urlless = [a for a in fresh if not a.url]
    urlless_ids: list[int] = []
    if urlless:
        urlless_ids = list(
            conn.execute(
                articles.insert().returning(articles.c.id, sort_by_parameter_order=True),
                [row(a) for a in urlless],
            ).scalars()
        )
        created.extend(urlless_ids)
    urlless_id = dict(zip((a.guid for a in urlless), urlless_ids, strict=True))

    links = [
        {
            "source_id": source_id,
            "guid": a.guid,
            "article_id": by_url[a.url] if a.url else urlless_id[a.guid],
            "link": a.link or a.url,
            "content_hash": a.content_hash,
            "first_seen_at": now,
            "last_seen_at": now,
        }
        for a in fresh
    ]
    # a link another writer stored meanwhile (only if two daemons fetched one source despite
    # the lease) is left as it is rather than failing the whole fetch
    insert_ignoring_conflicts(conn, article_sources, links, ["source_id", "guid"])
    return sorted(created)


def _update_source(
    conn: Connection,
    source_id: int,
    state: SourceState,
    result: FetchResult,
    poll: PollStateLike,
    report: SaveReport,
    now: datetime,
) -> None:
    values: dict[str, Any] = {
        "consecutive_failures": poll.failures,
        "next_poll_at": poll.next_poll,
        "last_error": poll.last_error,
        "last_fetch_at": result.fetched_at or now,
        "last_status": result.status,
        "last_new_entries": report.new,
        "updated_at": now,
    }
    if result.outcome == FetchOutcome.OK:
        # a 200 without validators clears the old ones: they no longer describe this body
        values["etag"] = result.validators.etag
        values["last_modified"] = result.validators.last_modified
    if result.permanent_redirect:
        values["url"] = result.permanent_redirect
    reason = poll.disabled_reason
    if reason is None and result.outcome == FetchOutcome.GONE:
        reason = GONE_REASON
    if reason is not None:
        values["enabled"] = False
        values["disabled_reason"] = reason
    if state.lease_owner is None:
        values["lease_owner"] = None
        values["lease_expires_at"] = None
    else:
        # release only our own lease: if it expired and another daemon took it, that one keeps it
        ours = sources.c.lease_owner == state.lease_owner
        values["lease_owner"] = case((ours, None), else_=sources.c.lease_owner)
        values["lease_expires_at"] = case((ours, None), else_=sources.c.lease_expires_at)
    conn.execute(update(sources).where(sources.c.id == source_id).values(values))

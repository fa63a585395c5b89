"""Read-side queries: counts, stored articles, the fetch log (and its pruning)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import column, delete, func, inspect, select, table
from sqlalchemy.engine import Connection, RowMapping

from aggregator.model import FetchOutcome
from aggregator.store.schema import article_sources, articles, fetch_log, sources
from aggregator.store.storable import storable_text, text_key
from aggregator.store.types import FetchLogRow, StoredArticle


def _count(conn: Connection, t: Any, *where: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(t).where(*where)).scalar_one())


def stats(conn: Connection) -> dict[str, int]:
    """Row counts; tables added by later migrations count 0 until they exist."""
    present = set(inspect(conn).get_table_names())
    counts = {
        "sources": _count(conn, sources),
        "articles": _count(conn, articles),
        "statements": 0,
        "events": 0,
        "digests_sent": 0,
    }
    # lightweight table clauses: these tables belong to later migrations and may not exist yet
    if "statements" in present:
        counts["statements"] = _count(conn, table("statements"))
    if "events" in present:
        # an event absorbed into another is not an event of its own any more
        events = table("events", column("merged_into"))
        counts["events"] = _count(conn, events, events.c.merged_into.is_(None))
    if "digests" in present:
        digests = table("digests", column("status"))
        counts["digests_sent"] = _count(conn, digests, digests.c.status == "sent")
    return counts


def article_count(conn: Connection) -> int:
    """How many articles are stored."""
    return _count(conn, articles)


def stored_articles(
    conn: Connection,
    *,
    source: str | None = None,
    limit: int | None = None,
    ids: Sequence[int] | None = None,
) -> list[StoredArticle]:
    """Articles newest first (by published time, else first seen), optionally filtered."""
    where: list[Any] = []
    if source is not None:
        carried = (
            select(article_sources.c.article_id)
            .join(sources, sources.c.id == article_sources.c.source_id)
            .where(sources.c.name == source)
        )
        where.append(articles.c.id.in_(carried))
    if ids is not None:
        where.append(articles.c.id.in_(list(ids)))
    order = (article_time().desc(), articles.c.id.desc())
    return article_page(conn, *where, order_by=order, limit=limit)


def article_time() -> Any:
    """The SQL for an article's time: published, else first seen."""
    return func.coalesce(articles.c.published_at, articles.c.first_seen_at)


def article_page(
    conn: Connection, *where: Any, order_by: Sequence[Any], limit: int | None = None
) -> list[StoredArticle]:
    """Articles matching ``where`` in ``order_by`` order, each with its carrying sources."""
    primary = sources.alias("primary_source")
    query = (
        select(articles, primary.c.name.label("primary_source"))
        .join(primary, primary.c.id == articles.c.primary_source_id)
        .where(*where)
        .order_by(*order_by)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = list(conn.execute(query).mappings())
    carriers = _carriers(conn, [row["id"] for row in rows])
    return [_stored_article(row, tuple(carriers[row["id"]])) for row in rows]


def _carriers(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 1000):
        part = ids[start : start + 1000]
        rows = conn.execute(
            select(article_sources.c.article_id, sources.c.name)
            .join(sources, sources.c.id == article_sources.c.source_id)
            .where(article_sources.c.article_id.in_(part))
            .order_by(sources.c.name)
            .distinct()
        )
        for article_id, name in rows:
            names[article_id].append(name)
    return names


def _stored_article(row: RowMapping, carriers: tuple[str, ...]) -> StoredArticle:
    return StoredArticle(
        id=row["id"],
        canonical_url=row["canonical_url"],
        title=row["title"],
        summary=row["summary"],
        text=row["text"],
        html=row["html"],
        author=row["author"],
        language=row["language"],
        published_at=row["published_at"],
        updated_at=row["updated_at"],
        first_seen_at=row["first_seen_at"],
        last_changed_at=row["last_changed_at"],
        content_hash=row["content_hash"],
        near_duplicate_of=row["near_duplicate_of"],
        primary_source=row["primary_source"],
        sources=carriers,
        event_id=row["event_id"],
        extracted_version=row["extracted_version"],
        grouped_at=row["grouped_at"],
    )


def known_guids(conn: Connection, source: str, guids: Sequence[str]) -> set[str]:
    """The subset of ``guids`` already stored for ``source`` (looked up by their keys, as
    ``save_fetch`` stores them)."""
    keys: dict[str, list[str]] = defaultdict(list)
    for guid in dict.fromkeys(guids):
        keys[text_key(storable_text(guid))].append(guid)
    unique = list(keys)
    known: set[str] = set()
    for start in range(0, len(unique), 1000):
        found = conn.execute(
            select(article_sources.c.guid_key)
            .join(sources, sources.c.id == article_sources.c.source_id)
            .where(
                sources.c.name == source,
                article_sources.c.guid_key.in_(unique[start : start + 1000]),
            )
        ).scalars()
        for key in found:
            known.update(keys[key])
    return known


def recent_fetch_log(conn: Connection, source: str | None, limit: int) -> list[FetchLogRow]:
    """The newest fetch_log rows, newest first."""
    query = select(fetch_log, sources.c.name.label("source")).join(
        sources, sources.c.id == fetch_log.c.source_id
    )
    if source is not None:
        query = query.where(sources.c.name == source)
    query = query.order_by(fetch_log.c.started_at.desc(), fetch_log.c.id.desc()).limit(limit)
    return [
        FetchLogRow(
            id=row["id"],
            source=row["source"],
            started_at=row["started_at"],
            duration_ms=row["duration_ms"],
            outcome=FetchOutcome(row["outcome"]),
            http_status=row["http_status"],
            new_entries=row["new_entries"],
            updated_entries=row["updated_entries"],
            bytes=row["bytes"],
            error=row["error"],
            error_type=row["error_type"],
        )
        for row in conn.execute(query).mappings()
    ]


def prune_fetch_log(conn: Connection, older_than: datetime) -> int:
    """Delete fetch_log rows started before ``older_than``; returns how many."""
    return int(conn.execute(delete(fetch_log).where(fetch_log.c.started_at < older_than)).rowcount)

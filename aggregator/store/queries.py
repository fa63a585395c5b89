"""SQL pieces several domains of the store share: chunked IN lists, upserts, an article's time
and link, pages of stored articles, page sizes.

Nothing here opens a transaction: each function takes the connection of the method calling it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, RowMapping

from aggregator.store.rows import from_row
from aggregator.store.schema import article_sources, articles, sources
from aggregator.store.types import StoredArticle

# IN lists and VALUES batches stay well under SQLite's 32,766 and PostgreSQL's 65,535 parameters
CHUNK = 1000
#: the most rows one page of a paginated read may ask for (a larger limit is lowered to it)
MAX_PAGE = 200

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def dialect_insert(conn: Connection, table: Any) -> Any:
    """``INSERT`` with the backend's ``ON CONFLICT`` support."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def page_size(limit: int, maximum: int = MAX_PAGE) -> int:
    """``limit`` within 1 .. ``maximum``; a limit below 1 is a ValueError."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    return min(limit, maximum)


def article_time() -> Any:
    """The SQL for an article's time: published, else first seen."""
    return func.coalesce(articles.c.published_at, articles.c.first_seen_at)


def primary_link() -> Any:
    """SQL for an article's link as its primary source carries it (else its canonical URL)."""
    link = (
        select(article_sources.c.link)
        .where(
            article_sources.c.article_id == articles.c.id,
            article_sources.c.source_id == articles.c.primary_source_id,
        )
        .order_by(article_sources.c.first_seen_at)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(link, articles.c.canonical_url)


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
    for part in chunks(ids):
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
    return from_row(StoredArticle, row, sources=carriers)

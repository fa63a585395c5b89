"""Corrections in the store: speakers' pinned fields written onto their statements, and the
articles an event correction names found by URL.

Every function takes a connection inside a transaction opened by :class:`~aggregator.store.Store`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Connection

from aggregator.store.ingest import chunks
from aggregator.store.queries import article_time
from aggregator.store.schema import article_sources, articles, statements

#: the statement columns a speaker correction may pin
PINNABLE = frozenset({"side", "role", "commentary"})


def correct_speakers(conn: Connection, pins: Sequence[tuple[str, Mapping[str, Any]]]) -> int:
    """Set the pinned columns on every statement whose actor or speaker is the name (compared
    case-insensitively), in order (a later pin of the same name wins); the rows changed."""
    changed = 0
    for name, values in pins:
        unknown = set(values) - PINNABLE
        if unknown:
            raise ValueError(f"cannot pin {', '.join(sorted(unknown))}")
        if not values:
            continue
        wanted = name.casefold()
        differs = or_(*(statements.c[column].is_distinct_from(v) for column, v in values.items()))
        result = conn.execute(
            update(statements)
            .where(
                or_(
                    func.lower(statements.c.actor) == wanted,
                    func.lower(statements.c.speaker) == wanted,
                ),
                differs,
            )
            .values(**values)
        )
        changed += result.rowcount or 0
    return changed


def articles_by_url(
    conn: Connection, urls: Sequence[str]
) -> dict[str, tuple[int, str | None, datetime, str]]:
    """For each URL that names an article (its canonical URL or a source's link to it): the
    article's id, event, time and title."""
    found: dict[str, tuple[int, str | None, datetime, str]] = {}
    columns = (articles.c.id, articles.c.event_id, article_time().label("time"), articles.c.title)
    for part in chunks(sorted(set(urls))):
        for row in conn.execute(
            select(articles.c.canonical_url, *columns).where(articles.c.canonical_url.in_(part))
        ):
            found[row[0]] = (row[1], row[2], row[3], row[4])
        for row in conn.execute(
            select(article_sources.c.link, *columns)
            .join(articles, articles.c.id == article_sources.c.article_id)
            .where(article_sources.c.link.in_(part))
        ):
            found.setdefault(row[0], (row[1], row[2], row[3], row[4]))
    return found


def event_article_urls(conn: Connection, event_id: str) -> list[str]:
    """The URLs of an event's articles (canonical URL, else a source's link), earliest first."""
    link = (
        select(func.min(article_sources.c.link))
        .where(article_sources.c.article_id == articles.c.id)
        .scalar_subquery()
    )
    rows = conn.execute(
        select(func.coalesce(articles.c.canonical_url, link))
        .where(articles.c.event_id == event_id)
        .order_by(article_time(), articles.c.id)
    ).scalars()
    return [url for url in rows if url]

"""A stored article as the pipeline reads it back, for tests of what processing does with one."""

from __future__ import annotations

from datetime import UTC, datetime

from aggregator.store.types import StoredArticle

_SEEN = datetime(2026, 2, 17, tzinfo=UTC)


def stored_article(
    text: str, *, language: str | None = "en", published: datetime | None = None
) -> StoredArticle:
    """Article 1 of source "s", holding ``text``, first seen on 17 February 2026."""
    return StoredArticle(
        id=1,
        canonical_url=None,
        title="",
        summary="",
        text=text,
        html=None,
        author=None,
        language=language,
        published_at=published,
        updated_at=None,
        first_seen_at=_SEEN,
        last_changed_at=_SEEN,
        content_hash="",
        near_duplicate_of=None,
        primary_source="s",
        sources=("s",),
    )

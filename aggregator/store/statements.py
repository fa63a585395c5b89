"""Statements: replacing an article's statements, reading them, setting their canonicals.

Every function takes a connection inside a transaction opened by :class:`~aggregator.store.Store`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import Connection, RowMapping

from aggregator.errors import StoreError
from aggregator.model import Statement, StatementKind
from aggregator.store.ingest import chunks
from aggregator.store.queries import article_time
from aggregator.store.schema import articles, statements
from aggregator.store.slugs import actor_slug_or_none
from aggregator.store.types import StoredStatement

# the columns that hold the extractor's output; equal values in order mean "same statements"
_CONTENT = (
    "text",
    "start",
    "end",
    "kind",
    "cue",
    "cue_start",
    "cue_end",
    "speaker",
    "speaker_start",
    "speaker_end",
    "actor",
    "role",
    "side",
    "commentary",
)


def _content(statement: Statement) -> tuple[Any, ...]:
    return tuple(getattr(statement, name) for name in _CONTENT)


def replace_statements(
    conn: Connection,
    items: Sequence[tuple[int, Sequence[Statement]]],
    *,
    version: str,
    now: datetime,
) -> int:
    """Store each article's statements; see :meth:`Store.replace_statements_many`."""
    wanted = {article_id: [_content(s) for s in found] for article_id, found in items}
    ids = sorted(wanted)
    # article id -> its time (published, else first seen), copied onto its statements
    present: dict[int, datetime] = {}
    for part in chunks(ids):
        # lock the article rows, in id order (PostgreSQL; SQLite's BEGIN IMMEDIATE already
        # serialises writers), so two extractors of one article take turns instead of
        # colliding on (article_id, seq)
        for article_id, time in conn.execute(
            select(articles.c.id, article_time())
            .where(articles.c.id.in_(part))
            .order_by(articles.c.id)
            .with_for_update()
        ):
            present[article_id] = time
    missing = [article_id for article_id in ids if article_id not in present]
    if missing:
        shown = ", ".join(map(str, missing[:10])) + (" …" if len(missing) > 10 else "")
        raise StoreError(f"unknown article(s) {shown}: deleted meanwhile?")

    stored: dict[int, list[tuple[Any, ...]]] = {article_id: [] for article_id in ids}
    for part in chunks(ids):
        rows = conn.execute(
            select(statements.c.article_id, *(statements.c[name] for name in _CONTENT))
            .where(statements.c.article_id.in_(part))
            .order_by(statements.c.article_id, statements.c.seq)
        )
        for article_id, *content in rows:
            stored[article_id].append(tuple(content))
    changed = [article_id for article_id in ids if stored[article_id] != wanted[article_id]]
    orphaned: set[int] = set()
    for part in chunks(changed):
        # rows that other statements named as canonical go too; those become their own
        # canonical (ON DELETE SET NULL), so their articles go back to grouping to be merged
        # again with the new statements
        doomed = select(statements.c.id).where(statements.c.article_id.in_(part))
        orphaned.update(
            conn.execute(
                select(statements.c.article_id).where(statements.c.canonical_id.in_(doomed))
            ).scalars()
        )
        conn.execute(delete(statements).where(statements.c.article_id.in_(part)))
    rows_to_insert = [
        _row(article_id, seq, content, now, present[article_id])
        for article_id in changed
        for seq, content in enumerate(wanted[article_id])
    ]
    if rows_to_insert:
        conn.execute(statements.insert(), rows_to_insert)
    for part in chunks(sorted(set(changed) | orphaned)):
        # new statements were never merged with the ones other outlets carry, and the event's
        # counts still reflect the old ones: the article goes back to the grouping stage
        conn.execute(
            update(articles)
            .where(articles.c.id.in_(part), articles.c.grouped_at.is_not(None))
            .values(grouped_at=None)
        )
    for part in chunks(ids):
        conn.execute(
            update(articles).where(articles.c.id.in_(part)).values(extracted_version=version)
        )
    return sum(len(wanted[article_id]) for article_id in ids)


def _row(
    article_id: int, seq: int, content: tuple[Any, ...], now: datetime, article_time: datetime
) -> dict[str, Any]:
    """The statements row of one statement's content, its actor's slug and its article's time
    with it."""
    values = dict(zip(_CONTENT, content, strict=True))
    return {
        "article_id": article_id,
        "seq": seq,
        **values,
        "actor_slug": actor_slug_or_none(values["actor"]),
        "article_time": article_time,
        "created_at": now,
    }


def statements_for_articles(
    conn: Connection, ids: Sequence[int]
) -> dict[int, list[StoredStatement]]:
    """Each requested article id -> its statements in order (an empty list when it has none)."""
    result: dict[int, list[StoredStatement]] = {article_id: [] for article_id in ids}
    for part in chunks(list(result)):
        rows = conn.execute(
            select(statements)
            .where(statements.c.article_id.in_(part))
            .order_by(statements.c.article_id, statements.c.seq)
        ).mappings()
        for row in rows:
            result[row["article_id"]].append(stored_statement(row))
    return result


def stored_statement(row: RowMapping) -> StoredStatement:
    """A statements row as a value."""
    return StoredStatement(
        id=row["id"],
        article_id=row["article_id"],
        seq=row["seq"],
        statement=Statement(
            text=row["text"],
            start=row["start"],
            end=row["end"],
            kind=cast(StatementKind, row["kind"]),
            cue=row["cue"],
            speaker=row["speaker"],
            speaker_start=row["speaker_start"],
            speaker_end=row["speaker_end"],
            actor=row["actor"],
            role=row["role"],
            side=row["side"],
            commentary=row["commentary"],
            cue_start=row["cue_start"],
            cue_end=row["cue_end"],
        ),
        canonical_id=row["canonical_id"],
        created_at=row["created_at"],
    )


def set_canonicals(conn: Connection, pairs: Sequence[tuple[int, int | None]]) -> None:
    """Point each statement at its canonical; see :meth:`Store.set_statement_canonicals`."""
    if not pairs:
        return
    given = {sid: (None if canonical == sid else canonical) for sid, canonical in pairs}
    values = {sid: _root(sid, given) for sid in given}
    targets = sorted({c for c in values.values() if c is not None})
    existing: set[int] = set()
    for part in chunks(targets):
        existing.update(
            conn.execute(select(statements.c.id).where(statements.c.id.in_(part))).scalars()
        )
    # a canonical re-extracted away meanwhile leaves the statement its own canonical (as the
    # foreign key's ON DELETE SET NULL would have) instead of failing the whole step
    values = {sid: (c if c in existing else None) for sid, c in values.items()}
    for part in chunks(sorted(values)):
        conn.execute(
            update(statements)
            .where(statements.c.id == bindparam("b_id"))
            .values(canonical_id=bindparam("b_canonical")),
            [{"b_id": sid, "b_canonical": values[sid]} for sid in part],
        )


def _root(sid: int, given: dict[int, int | None]) -> int | None:
    """The end of ``sid``'s canonical chain within ``given`` (readers follow one step only)."""
    seen = {sid}
    current = given[sid]
    while current is not None and given.get(current) is not None:
        if current in seen:
            raise ValueError(f"statement canonicals form a cycle through {current}")
        seen.add(current)
        current = given[current]
    return current

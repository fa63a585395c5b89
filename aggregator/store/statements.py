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
from aggregator.store.schema import articles, statements
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
)


def _content(statement: Statement) -> tuple[Any, ...]:
    return tuple(getattr(statement, name) for name in _CONTENT)


def replace_statements(
    conn: Connection,
    article_id: int,
    found: Sequence[Statement],
    *,
    version: str,
    now: datetime,
) -> int:
    """Store ``found`` as the article's statements; see :meth:`Store.replace_statements`."""
    # lock the article row first (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises), so
    # two extractors of one article take turns instead of colliding on (article_id, seq)
    exists = conn.execute(
        select(articles.c.id).where(articles.c.id == article_id).with_for_update()
    ).scalar()
    if exists is None:
        raise StoreError(f"unknown article {article_id}: it may have been deleted meanwhile")
    stored = conn.execute(
        select(*(statements.c[name] for name in _CONTENT))
        .where(statements.c.article_id == article_id)
        .order_by(statements.c.seq)
    ).all()
    if [tuple(row) for row in stored] != [_content(s) for s in found]:
        # rows that other statements named as canonical go too; those become their own
        # canonical (ON DELETE SET NULL) until grouping runs again
        conn.execute(delete(statements).where(statements.c.article_id == article_id))
        if found:
            conn.execute(
                statements.insert(),
                [
                    {
                        "article_id": article_id,
                        "seq": seq,
                        **dict(zip(_CONTENT, _content(s), strict=True)),
                        "created_at": now,
                    }
                    for seq, s in enumerate(found)
                ],
            )
    conn.execute(
        update(articles).where(articles.c.id == article_id).values(extracted_version=version)
    )
    return len(found)


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

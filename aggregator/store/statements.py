"""Statements: an article's statements replaced, read back, linked to their canonicals, and the
speakers' corrections written onto them.

:class:`StatementsMixin` owns the ``statements`` table (and the articles' ``extracted_version``).
Replacing one article's statements, or a batch's, in ONE transaction::

    lock the articles (id order) and read their time     -- unknown id: StoreError, nothing written
    stored == wanted (same content in order)?  only extracted_version moves: ids stay stable
    otherwise: delete the old rows (statements elsewhere that named one as canonical become their
               own canonical, and their articles go back to grouping), insert the new ones with
               their actor's slug and article's time, and send the article back to grouping
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.engine import Connection, RowMapping

from aggregator import clock
from aggregator.errors import StoreError
from aggregator.model import Statement
from aggregator.store.base import StoreBase
from aggregator.store.queries import article_page, article_time, chunks
from aggregator.store.rows import from_row
from aggregator.store.schema import articles, statements
from aggregator.store.slugs import actor_slug_or_none
from aggregator.store.types import StoredArticle, StoredStatement
from aggregator.wording import plural

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
#: the statement columns a speaker correction may pin
PINNABLE = frozenset({"side", "role", "commentary"})

_Content = tuple[Any, ...]


class StatementsMixin(StoreBase):
    """Statements and extraction (part of :class:`~aggregator.store.Store`)."""

    def replace_statements(
        self, article_id: int, statements: Sequence[Statement], *, version: str
    ) -> int:
        """Make ``statements`` the article's statements, in ONE transaction; returns how many.

        If the stored ones are identical (same text, offsets, speaker, actor, role, side, kind and
        cue, in order) only ``extracted_version`` is set and their ids stay stable; otherwise the
        old rows are deleted and the new ones inserted (statements elsewhere that named a deleted
        one as canonical become their own canonical until grouping runs again), and a grouped
        article's ``grouped_at`` is cleared so that grouping merges its new statements and
        recounts its event. Idempotent. An unknown article is a StoreError.
        """
        with self._write(f"storing the statements of article {article_id}") as conn:
            return _replace(conn, [(article_id, statements)], version=version, now=clock.now())

    def replace_statements_many(
        self, items: Sequence[tuple[int, Sequence[Statement]]], *, version: str
    ) -> int:
        """:meth:`replace_statements` for many articles in ONE transaction (a few statements
        whatever their number: use it for batches); returns how many statements are stored.

        An article id given twice keeps its last statements; any unknown article id is a
        StoreError and nothing is written.
        """
        with self._write(f"storing the statements of {plural(len(items), 'article')}") as conn:
            return _replace(conn, items, version=version, now=clock.now())

    def articles_for_extraction(
        self, *, version: str, all: bool = False, batch: int = 500
    ) -> Iterator[list[StoredArticle]]:
        """Articles whose statements come from another extractor version (or all), by id.

        Batches of at most ``batch``, each read in its own short transaction (keyset on the id),
        so the table is never loaded whole and nothing is held between batches.
        """
        if batch < 1:
            raise ValueError(f"batch must be at least 1, not {batch}")
        last_id = 0
        while True:
            where = [articles.c.id > last_id]
            if not all:
                # "< or >" rather than "!=": both are ranges of ix_articles_extracted_version,
                # so finding the few stale articles does not read the whole table
                column = articles.c.extracted_version
                stale = column.is_(None) | (column < version) | (column > version)
                where.append(stale)
            with self._read("reading articles to extract") as conn:
                page = article_page(conn, *where, order_by=(articles.c.id,), limit=batch)
            if not page:
                return
            yield page
            if len(page) < batch:
                return
            last_id = page[-1].id

    def statements_for_articles(self, ids: Sequence[int]) -> dict[int, list[StoredStatement]]:
        """Each article id -> its stored statements in order ([] when it has none)."""
        result: dict[int, list[StoredStatement]] = {article_id: [] for article_id in ids}
        with self._read("reading statements") as conn:
            for part in chunks(list(result)):
                rows = conn.execute(
                    select(statements)
                    .where(statements.c.article_id.in_(part))
                    .order_by(statements.c.article_id, statements.c.seq)
                ).mappings()
                for row in rows:
                    result[row["article_id"]].append(_stored_statement(row))
        return result

    def set_statement_canonicals(self, pairs: Sequence[tuple[int, int | None]]) -> None:
        """Set each statement's canonical (``(statement id, canonical id or None)``), atomically.

        None, or the statement's own id, makes it canonical. Chains within ``pairs`` are
        followed to their end (a -> b, b -> c stores a -> c), since readers follow one step;
        a cycle is a ValueError. Statements that no longer exist are skipped; a canonical that
        no longer exists (re-extracted meanwhile) leaves the statement canonical.
        """
        if not pairs:
            return
        given = {sid: (None if canonical == sid else canonical) for sid, canonical in pairs}
        values = {sid: _root(sid, given) for sid in given}
        targets = sorted({c for c in values.values() if c is not None})
        with self._write("setting canonical statements") as conn:
            existing: set[int] = set()
            for part in chunks(targets):
                existing.update(
                    conn.execute(select(statements.c.id).where(statements.c.id.in_(part))).scalars()
                )
            # a canonical re-extracted away meanwhile leaves the statement its own canonical
            # (as the foreign key's ON DELETE SET NULL would have) instead of failing the step
            found = {sid: (c if c in existing else None) for sid, c in values.items()}
            for part in chunks(sorted(found)):
                conn.execute(
                    update(statements)
                    .where(statements.c.id == bindparam("b_id"))
                    .values(canonical_id=bindparam("b_canonical")),
                    [{"b_id": sid, "b_canonical": found[sid]} for sid in part],
                )

    def correct_speakers(self, pins: Sequence[tuple[str, Mapping[str, Any]]]) -> int:
        """Pin ``side``/``role``/``commentary`` on the statements of each named speaker (actor or
        speaker as written, compared case-insensitively), in order (a later pin of the same
        name wins); returns the statements changed."""
        for _, values in pins:
            unknown = set(values) - PINNABLE
            if unknown:
                raise ValueError(f"cannot pin {', '.join(sorted(unknown))}")
        changed = 0
        with self._write("correcting speakers") as conn:
            for name, values in pins:
                if not values:
                    continue
                wanted = name.casefold()
                differs = or_(
                    *(statements.c[column].is_distinct_from(v) for column, v in values.items())
                )
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


# -- replacing statements --------------------------------------------------------------------


def _replace(
    conn: Connection,
    items: Sequence[tuple[int, Sequence[Statement]]],
    *,
    version: str,
    now: datetime,
) -> int:
    """Store each article's statements (see the module docstring); returns how many."""
    wanted = {article_id: [_content(s) for s in found] for article_id, found in items}
    ids = sorted(wanted)
    times = _lock_articles(conn, ids)
    stored = _stored_content(conn, ids)
    changed = [article_id for article_id in ids if stored[article_id] != wanted[article_id]]
    orphaned = _delete_statements(conn, changed)
    rows = [
        _row(article_id, seq, content, now, times[article_id])
        for article_id in changed
        for seq, content in enumerate(wanted[article_id])
    ]
    if rows:
        conn.execute(statements.insert(), rows)
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


def _lock_articles(conn: Connection, ids: list[int]) -> dict[int, datetime]:
    """Lock the articles' rows in id order and return each one's time (published, else first
    seen), which its statements carry; an unknown id is a StoreError."""
    present: dict[int, datetime] = {}
    for part in chunks(ids):
        # PostgreSQL (SQLite's BEGIN IMMEDIATE already serialises writers): two extractors of
        # one article take turns instead of colliding on (article_id, seq)
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
    return present


def _stored_content(conn: Connection, ids: list[int]) -> dict[int, list[_Content]]:
    """Each article's stored statements as the extractor's output, in order."""
    stored: dict[int, list[_Content]] = {article_id: [] for article_id in ids}
    for part in chunks(ids):
        rows = conn.execute(
            select(statements.c.article_id, *(statements.c[name] for name in _CONTENT))
            .where(statements.c.article_id.in_(part))
            .order_by(statements.c.article_id, statements.c.seq)
        )
        for article_id, *content in rows:
            stored[article_id].append(tuple(content))
    return stored


def _delete_statements(conn: Connection, article_ids: list[int]) -> set[int]:
    """Delete the articles' statements; returns the articles of statements that named one of
    them as canonical (those become their own canonical: ON DELETE SET NULL), which go back to
    grouping to be merged again with the new statements."""
    orphaned: set[int] = set()
    for part in chunks(article_ids):
        doomed = select(statements.c.id).where(statements.c.article_id.in_(part))
        orphaned.update(
            conn.execute(
                select(statements.c.article_id).where(statements.c.canonical_id.in_(doomed))
            ).scalars()
        )
        conn.execute(delete(statements).where(statements.c.article_id.in_(part)))
    return orphaned


def _content(statement: Statement) -> _Content:
    return tuple(getattr(statement, name) for name in _CONTENT)


def _row(
    article_id: int, seq: int, content: _Content, now: datetime, article_time: datetime
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


def _stored_statement(row: RowMapping) -> StoredStatement:
    return from_row(StoredStatement, row, statement=from_row(Statement, row))


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

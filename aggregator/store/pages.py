"""Stored pages: the archive's pages made ahead, served while nothing they show has changed.

:class:`PagesMixin` owns the ``pages`` and ``page_changes`` tables (migration 0009). The
database's triggers name in ``page_changes`` every stored page a write reaches, in the writer's
own transaction; a page is served only while it is not named there (:meth:`stored_page`). The
maker (``aggregator.web.made``) makes pages in three steps so that none can outlive a write::

    claim_pages   one write transaction: forget the pages page_changes names (and empty it),
                  then put a claim (an empty page, a fresh random mark) under each key to make
    (read the content and render it: ordinary reads, no lock held)
    keep_pages    one write transaction: a claim becomes its page only if page_changes does not
                  name it, i.e. no write reached it since the claim

A write committed before the claim is in what the maker reads; a write after it finds the
claim and names it, and the claim is not kept. On SQLite write transactions take turns; on
PostgreSQL both steps take ``LOCK TABLE page_changes IN SHARE ROW EXCLUSIVE MODE``, which waits
for the writers whose triggers have run and holds back the rest until it commits (a trigger's
statement then reads the claim: its snapshot is taken after the lock). Writers never wait for
each other here: they only insert into ``page_changes``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import and_, bindparam, delete, exists, func, select, update
from sqlalchemy.engine import Connection

from aggregator.store.base import StoreBase
from aggregator.store.queries import chunks, dialect_insert
from aggregator.store.schema import events, page_changes, pages, statements

PageKind = Literal["event", "actor"]
PAGE_KINDS: tuple[PageKind, ...] = ("event", "actor")
#: the longest key a page may have (an event id, an actor's slug)
MAX_KEY = 200
#: ``made_for`` of a claim: no maker's fingerprint, so a claim is never served
CLAIMED = ""


def new_mark() -> str:
    """A page's link placeholder: a base URL no feed can spell (128 random bits)."""
    return f"http://{secrets.token_hex(16)}.invalid"


def _not_named(kind: Any, key: Any) -> Any:
    return ~exists().where(page_changes.c.kind == kind, page_changes.c.key == key)


@cache
def _stored_query(api: bool) -> Any:
    return select(pages.c.api if api else pages.c.body, pages.c.mark).where(
        pages.c.kind == bindparam("kind"),
        pages.c.key == bindparam("key"),
        pages.c.made_for == bindparam("made_for"),
        _not_named(pages.c.kind, pages.c.key),
    )


class PagesMixin(StoreBase):
    """The archive's stored pages (part of :class:`~aggregator.store.Store`)."""

    def stored_page(
        self, kind: PageKind, key: str, made_for: str, *, api: bool = False
    ) -> tuple[str, str] | None:
        """The page of ``kind`` under ``key`` made by ``made_for`` and not reached by any write
        since: (body, mark), the mark being what its links' base was made as; else None. With
        ``api``, the body is the page's JSON (events only)."""
        if len(key) > MAX_KEY:
            return None
        with self._read("reading a stored page") as conn:
            row = conn.execute(
                _stored_query(api), {"kind": kind, "key": key, "made_for": made_for}
            ).first()
        return (row[0], row[1]) if row is not None and row[0] is not None else None

    def keeps_pages(self, made_for: str) -> bool:
        """Whether any page made by ``made_for`` is kept (one indexed read: the primary key's
        kinds and keys, filtered by maker, stopping at the first)."""
        with self._read("looking for stored pages") as conn:
            found = conn.execute(
                select(pages.c.key).where(pages.c.made_for == made_for).limit(1)
            ).first()
        return found is not None

    def pages_wanted(self, made_for: str) -> list[tuple[PageKind, str]]:
        """The pages to make: every live event and every speaker of a canonical statement
        without a page made by ``made_for`` that is still good. Events most recently seen first,
        then speakers most quoted first."""
        slug = statements.c.actor_slug
        with self._read("listing the pages to make") as conn:
            event_ids = conn.execute(
                select(events.c.id)
                .where(
                    func.coalesce(events.c.merged_into, "") == "",
                    events.c.article_count > 0,
                    func.length(events.c.id) <= MAX_KEY,
                    events.c.id.not_in(_good_keys("event", made_for)),
                )
                .order_by(events.c.last_seen_at.desc(), events.c.id)
            ).scalars()
            wanted: list[tuple[PageKind, str]] = [("event", e) for e in event_ids]
            slugs = conn.execute(
                select(slug)
                .where(
                    statements.c.canonical_id.is_(None),
                    slug.is_not(None),
                    slug != "",
                    slug.not_in(_good_keys("actor", made_for)),
                )
                .group_by(slug)
                .order_by(func.count().desc(), slug)
            ).scalars()
            wanted.extend(("actor", s) for s in slugs if len(s) <= MAX_KEY)
        return wanted

    def claim_pages(
        self, keys: Sequence[tuple[PageKind, str]], *, now: datetime
    ) -> dict[tuple[PageKind, str], str]:
        """Forget every page ``page_changes`` names, then claim ``keys`` for making: each gets
        an empty page under a fresh mark (returned). See the module docstring."""
        marks = {key: new_mark() for key in keys if len(key[1]) <= MAX_KEY}
        with self._write("claiming pages to make") as conn:
            _lock(conn)
            _forget_changed(conn)
            insert = dialect_insert(conn, pages)
            rows = [
                {
                    "kind": kind,
                    "key": key,
                    "made_for": CLAIMED,
                    "mark": mark,
                    "body": "",
                    "api": None,
                    "made_at": now,
                }
                for (kind, key), mark in sorted(marks.items())
            ]
            for part in chunks(rows, 500):
                conn.execute(
                    insert.on_conflict_do_update(
                        index_elements=["kind", "key"],
                        set_={
                            "made_for": CLAIMED,
                            "mark": insert.excluded.mark,
                            "body": "",
                            "api": None,
                            "made_at": now,
                        },
                    ),
                    list(part),
                )
        return marks

    def keep_pages(
        self,
        made: Mapping[tuple[PageKind, str], tuple[str, str | None, str | None]],
        made_for: str,
        *,
        now: datetime,
    ) -> int:
        """Make claims pages: ``made`` maps a claimed key to (its claim's mark, the page's body
        made under that mark or None when there is nothing to show: the claim is dropped, its
        JSON or None). A claim a write has reached since it was made is not kept. Returns the
        pages kept."""
        kept = 0
        with self._write("keeping made pages") as conn:
            _lock(conn)
            for (kind, key), (mark, body, api) in sorted(made.items()):
                claim = and_(
                    pages.c.kind == kind,
                    pages.c.key == key,
                    pages.c.mark == mark,
                    pages.c.made_for == CLAIMED,
                )
                if body is None:
                    conn.execute(delete(pages).where(claim))
                    continue
                done = conn.execute(
                    update(pages)
                    .where(claim, _not_named(kind, key))
                    .values(made_for=made_for, body=body, api=api, made_at=now)
                )
                kept += done.rowcount
        return kept

    def drop_pages(self) -> int:
        """Forget every stored page (and every change named): returns the pages dropped. Their
        triggers then write nothing until pages are made again."""
        with self._write("dropping stored pages") as conn:
            _lock(conn)
            dropped = conn.execute(delete(pages)).rowcount
            conn.execute(delete(page_changes))
        return int(dropped)

    def page_counts(self, made_for: str) -> dict[str, int]:
        """Pages kept and good a kind, and the changes not yet seen by a maker."""
        with self._read("counting stored pages") as conn:
            found: dict[str, int] = dict.fromkeys(PAGE_KINDS, 0)
            for kind, n in conn.execute(
                select(pages.c.kind, func.count())
                .where(pages.c.made_for == made_for, _not_named(pages.c.kind, pages.c.key))
                .group_by(pages.c.kind)
            ):
                found[kind] = n
            changes = select(func.count()).select_from(page_changes)
            found["changes"] = conn.execute(changes).scalar_one()
        return found


#: how long a maker waits for the writers in progress before it gives way (PostgreSQL): while
#: it waits, every writer that comes after it waits behind it
LOCK_TIMEOUT = "500ms"


def _good_keys(kind: PageKind, made_for: str) -> Any:
    """The keys of ``kind`` whose page ``made_for`` made and no write has reached since."""
    return select(pages.c.key).where(
        pages.c.kind == kind,
        pages.c.made_for == made_for,
        _not_named(pages.c.kind, pages.c.key),
    )


def _lock(conn: Connection) -> None:
    """PostgreSQL: hold back every writer whose triggers would name a page until this
    transaction ends (SQLite's write transactions already take turns). A writer still at work
    after :data:`LOCK_TIMEOUT` makes this a StoreError: the maker gives way and tries on its
    next run, rather than stall every writer queued behind its request."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        conn.exec_driver_sql("LOCK TABLE page_changes IN SHARE ROW EXCLUSIVE MODE")


def _forget_changed(conn: Connection) -> None:
    """Drop the pages page_changes names, and empty it (under the lock: nothing can be added
    to it meanwhile)."""
    conn.execute(
        delete(pages).where(
            exists().where(page_changes.c.kind == pages.c.kind, page_changes.c.key == pages.c.key)
        )
    )
    conn.execute(delete(page_changes))

"""Articles: the entries sources carry, written by their upsert rules, and read back.

:class:`ArticlesMixin` owns the ``articles`` and ``article_sources`` tables. Saving entries
(``save_entries`` here, and ``FetchesMixin.save_fetch`` in the fetch's own transaction) goes
through :func:`store_entries`, in the caller's transaction::

    entries = one a guid (the last occurrence wins), text made storable, keyed by text_key(guid)
    in a savepoint:
        links   = existing (source, guid_key) links for the batch  -- one query per 1,000 keys
        same hash     -> touch the link's last_seen_at               -> unchanged
        other hash    -> update the link; update the article too if this source is its primary
                         source                                      -> updated
        unseen guid   -> find or create the article by url_key (INSERT … ON CONFLICT DO NOTHING,
                         then read back what a concurrent writer created), link it -> new
    the database refused a value (a constraint, a size limit, a trigger)?
        roll back to the savepoint, save each half again in its own savepoint, down to the
        single entry, which is left out and logged                   -> refused
        (more than MAX_REFUSED refused entries: the save fails as a whole)

Every text value of an entry passes :func:`~aggregator.store.storable.storable_text` on its way
in, and keys are :func:`~aggregator.store.storable.text_key` digests (see ``storable.py``): both
databases hold the same rows, and no feed can write a key too long to index. Title, summary and
text also lose the two characters search snippets mark matches with (``storable_prose``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from aggregator.errors import StoreError
from aggregator.model import Article
from aggregator.store.base import StoreBase
from aggregator.store.bulk import insert_ignoring_conflicts
from aggregator.store.engine import driver_reason, refused_value
from aggregator.store.queries import article_page, article_time, chunks
from aggregator.store.schema import article_sources, articles, sources, statements
from aggregator.store.storable import storable_or_none, storable_prose, storable_text, text_key
from aggregator.store.types import RefusedEntry, SaveReport, StoredArticle

#: entries of one save the database may refuse (each left out and logged) before the save
#: fails as a whole: a few poison entries are a feed's; hundreds say the store refuses the
#: source, and finding each by halving would cost more than the save
MAX_REFUSED = 100
# the width of the column ``language``
LANGUAGE_CHARS = 35

log = logging.getLogger("aggregator.store")


class ArticlesMixin(StoreBase):
    """Entries and the articles they make (part of :class:`~aggregator.store.Store`)."""

    def save_entries(
        self, source: str, articles: Sequence[Article], *, now: datetime
    ) -> SaveReport:
        """Store entries of ``source`` outside a fetch (a backfill's archive pages or files), in
        ONE transaction, by the rules of :meth:`save_fetch`; no fetch_log row, and the source's
        validators, schedule and lease stay as they are. Unknown source: StoreError."""
        with self._write(f"saving entries of {source}") as conn:
            return store_entries(conn, source, articles, now)[1]

    def articles(
        self, *, source: str | None = None, limit: int | None = None
    ) -> list[StoredArticle]:
        """Stored articles newest first (by published time, else first seen), optionally only
        those ``source`` carries."""
        where: list[Any] = []
        if source is not None:
            carried = (
                select(article_sources.c.article_id)
                .join(sources, sources.c.id == article_sources.c.source_id)
                .where(sources.c.name == source)
            )
            where.append(articles.c.id.in_(carried))
        order = (article_time().desc(), articles.c.id.desc())
        with self._read("reading articles") as conn:
            return article_page(conn, *where, order_by=order, limit=limit)

    def articles_by_id(self, ids: Sequence[int]) -> list[StoredArticle]:
        """The stored articles with these ids (e.g. ``SaveReport.new_article_ids``), in the
        order given."""
        result: list[StoredArticle] = []
        order_by = (article_time().desc(), articles.c.id.desc())
        with self._read("reading articles") as conn:
            for part in chunks(list(ids)):
                result.extend(article_page(conn, articles.c.id.in_(part), order_by=order_by))
        order = {article_id: i for i, article_id in enumerate(ids)}
        return sorted(result, key=lambda a: order[a.id])

    def known_guids(self, source: str, guids: Sequence[str]) -> set[str]:
        """The subset of ``guids`` already stored for ``source`` (e.g. to skip known pages),
        looked up by their keys, as the entries were stored."""
        keys: dict[str, list[str]] = defaultdict(list)
        for guid in dict.fromkeys(guids):
            keys[text_key(storable_text(guid))].append(guid)
        known: set[str] = set()
        query = select(article_sources.c.guid_key).join(
            sources, sources.c.id == article_sources.c.source_id
        )
        with self._read("looking up known entries") as conn:
            for part in chunks(list(keys)):
                found = conn.execute(
                    query.where(sources.c.name == source, article_sources.c.guid_key.in_(part))
                ).scalars()
                for key in found:
                    known.update(keys[key])
        return known

    def article_count(self) -> int:
        """How many articles are stored."""
        with self._read("counting articles") as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar_one())

    def articles_by_url(
        self, urls: Sequence[str]
    ) -> dict[str, tuple[int, str | None, datetime, str]]:
        """The articles the URLs name (canonical URL, else a source's link to it): id, event,
        time, title."""
        found: dict[str, tuple[int, str | None, datetime, str]] = {}
        columns = (
            articles.c.id,
            articles.c.event_id,
            article_time().label("time"),
            articles.c.title,
        )
        with self._read("finding articles by URL") as conn:
            for part in chunks(sorted(set(urls))):
                for row in conn.execute(
                    select(articles.c.canonical_url, *columns).where(
                        articles.c.canonical_url.in_(part)
                    )
                ):
                    found[row[0]] = (row[1], row[2], row[3], row[4])
                for row in conn.execute(
                    select(article_sources.c.link, *columns)
                    .join(articles, articles.c.id == article_sources.c.article_id)
                    .where(article_sources.c.link.in_(part))
                ):
                    found.setdefault(row[0], (row[1], row[2], row[3], row[4]))
        return found


def store_entries(
    conn: Connection, name: str, batch: Sequence[Article], now: datetime
) -> tuple[int, SaveReport]:
    """Upsert one source's entries by the rules of :meth:`Store.save_fetch`, and nothing else
    (no fetch_log row, no schedule); returns the source's id and what happened. An entry whose
    values the database refuses is left out (``SaveReport.refused``) and logged."""
    source_id = conn.execute(select(sources.c.id).where(sources.c.name == name)).scalar()
    if source_id is None:
        raise StoreError(f"unknown source: {name} (run the configuration sync first)")
    entries = _collapse(batch, name)
    if not entries:  # a 304 or a failure: no savepoint to pay for
        return source_id, _nothing()
    refused: list[RefusedEntry] = []
    report = _save_part(conn, name, source_id, list(entries.items()), now, refused)
    return source_id, replace(report, refused=tuple(refused))


def _save_part(
    conn: Connection,
    name: str,
    source_id: int,
    part: list[tuple[str, Article]],
    now: datetime,
    refused: list[RefusedEntry],
) -> SaveReport:
    """Upsert ``part`` in a savepoint; if the database refuses a value, the halves on their own,
    down to the one entry it refuses, which is left out (appended to ``refused``) and logged.

    Only a refused value is isolated this way; a database that is down, locked or without a
    schema fails the savepoint's rollback or is not a refusal, and propagates.
    """
    try:
        with conn.begin_nested():
            return _upsert(conn, source_id, dict(part), now)
    except DBAPIError as exc:
        if not refused_value(exc):
            raise
        if len(part) > 1:
            half = len(part) // 2
            first = _save_part(conn, name, source_id, part[:half], now, refused)
            return _combined(first, _save_part(conn, name, source_id, part[half:], now, refused))
        entry = RefusedEntry(guid=part[0][1].guid, reason=driver_reason(exc))
        refused.append(entry)
        log.warning(
            "entry not stored",
            extra={"source": name, "guid": entry.guid[:200], "reason": entry.reason},
        )
        if len(refused) > MAX_REFUSED:
            raise StoreError(
                f"the database refused more than {MAX_REFUSED} entries of {name}, so none is "
                f"stored; the first: {refused[0].reason}"
            ) from exc
        return _nothing()


def _nothing() -> SaveReport:
    return SaveReport(new=0, updated=0, unchanged=0, new_article_ids=[], changed_article_ids=[])


def _combined(a: SaveReport, b: SaveReport) -> SaveReport:
    return SaveReport(
        new=a.new + b.new,
        updated=a.updated + b.updated,
        unchanged=a.unchanged + b.unchanged,
        new_article_ids=sorted(a.new_article_ids + b.new_article_ids),
        changed_article_ids=sorted(a.changed_article_ids + b.changed_article_ids),
    )


def _upsert(
    conn: Connection, source_id: int, entries: dict[str, Article], now: datetime
) -> SaveReport:
    """The entry rules of :meth:`Store.save_fetch` for ``entries`` (guid key -> entry)."""
    existing = _existing_links(conn, source_id, list(entries))
    unchanged = [k for k, (_, h, _) in existing.items() if entries[k].content_hash == h]
    changed = {k: link for k, link in existing.items() if entries[k].content_hash != link[1]}
    fresh = [(k, a) for k, a in entries.items() if k not in existing]

    for part in chunks(unchanged):
        conn.execute(
            update(article_sources)
            .where(article_sources.c.source_id == source_id, article_sources.c.guid_key.in_(part))
            .values(last_seen_at=now)
        )
    changed_ids = _apply_changes(conn, source_id, entries, changed, now)
    new_ids = _insert_fresh(conn, source_id, fresh, now)
    return SaveReport(
        new=len(fresh),
        updated=len(changed),
        unchanged=len(unchanged),
        new_article_ids=new_ids,
        changed_article_ids=changed_ids,
    )


def _collapse(batch: Sequence[Article], name: str) -> dict[str, Article]:
    """One entry a guid key; a guid repeated within the batch keeps its last occurrence.

    The guid is made storable here, as the key is computed from it; the other fields when a
    row is written (an unchanged entry's text is never looked at).
    """
    entries: dict[str, Article] = {}
    for article in batch:
        if article.source != name:
            raise ValueError(f"article {article.guid!r} is from {article.source!r}, not {name!r}")
        guid = storable_text(article.guid)
        if guid is not article.guid:
            article = replace(article, guid=guid)
        entries[text_key(guid)] = article
    return entries


def _url(article: Article) -> str | None:
    """The canonical URL as stored: storable, and None when nothing is left of it."""
    return storable_text(article.url) if article.url else None


def _existing_links(
    conn: Connection, source_id: int, keys: list[str]
) -> dict[str, tuple[int, str, int]]:
    """guid key -> (article id, link content hash, article's primary source id) for known ones."""
    found: dict[str, tuple[int, str, int]] = {}
    query = select(
        article_sources.c.guid_key,
        article_sources.c.article_id,
        article_sources.c.content_hash,
        articles.c.primary_source_id,
    ).join(articles, articles.c.id == article_sources.c.article_id)
    for part in chunks(keys):
        rows = conn.execute(
            query.where(
                article_sources.c.source_id == source_id, article_sources.c.guid_key.in_(part)
            )
        )
        for key, article_id, content_hash, primary in rows:
            found[key] = (article_id, content_hash, primary)
    return found


def _content(article: Article) -> dict[str, Any]:
    """The article columns an entry writes, every text storable."""
    language = storable_or_none(article.language)
    return {
        "title": storable_prose(article.title),
        "summary": storable_prose(article.summary),
        "text": storable_prose(article.text),
        "html": storable_or_none(article.html),
        "author": storable_or_none(article.author),
        # a tag longer than its column is no language tag (and PostgreSQL would refuse it)
        "language": language if language and len(language) <= LANGUAGE_CHARS else None,
        "published_at": article.published,
        "updated_at": article.updated,
        "content_hash": article.content_hash,
    }


def _link(article: Article) -> str | None:
    """The entry's link as the feed gave it (storable), else its canonical URL."""
    return storable_or_none(article.link or article.url)


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
            article_sources.c.guid_key == bindparam("b_key"),
        )
        .values(
            content_hash=bindparam("b_hash"),
            link=bindparam("b_link"),
            last_seen_at=now,
        ),
        [
            {"b_key": key, "b_hash": entries[key].content_hash, "b_link": _link(entries[key])}
            for key in changed
        ],
    )
    # another source's copy changing does not rewrite the article its primary source wrote
    owned = {aid: entries[k] for k, (aid, _, primary) in changed.items() if primary == source_id}
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
    # a statement carries its article's time (0007): a new published time moves it too
    for part in chunks(sorted(owned)):
        conn.execute(
            update(statements)
            .where(statements.c.article_id.in_(part))
            .values(
                article_time=select(article_time())
                .where(articles.c.id == statements.c.article_id)
                .scalar_subquery()
            )
        )
    return sorted(owned)


def _insert_fresh(
    conn: Connection, source_id: int, fresh: list[tuple[str, Article]], now: datetime
) -> list[int]:
    """Create or find the article for each unseen guid and link it; return created article ids.

    ``fresh`` holds (guid key, entry) pairs. Articles are found and created by ``url_key``.
    """
    if not fresh:
        return []

    def row(a: Article, url: str | None) -> dict[str, Any]:
        return {
            "canonical_url": url,
            "url_key": url_keys[url] if url else None,
            **_content(a),
            "first_seen_at": now,
            "last_changed_at": now,
            "primary_source_id": source_id,
        }

    urls = {key: _url(a) for key, a in fresh}
    url_keys = {url: text_key(url) for url in urls.values() if url}
    by_key: dict[str, int] = {}
    for part in chunks(sorted(set(url_keys.values()))):
        by_key.update(
            (k, i)
            for i, k in conn.execute(
                select(articles.c.id, articles.c.url_key).where(articles.c.url_key.in_(part))
            )
        )
    created: list[int] = []
    first_for_key: dict[str, tuple[Article, str]] = {}
    for key, a in fresh:
        url = urls[key]
        if url and url_keys[url] not in by_key:
            first_for_key.setdefault(url_keys[url], (a, url))
    if first_for_key:
        # sorted by key so concurrent writers take unique-index locks in the same order
        rows = [row(*first_for_key[k]) for k in sorted(first_for_key)]
        inserted = insert_ignoring_conflicts(
            conn, articles, rows, ["url_key"], returning=["id", "url_key"]
        )
        for i, k in inserted:
            by_key[k] = i
            created.append(i)
        # rows another process inserted between our read and our insert
        missing = [k for k in first_for_key if k not in by_key]
        for part in chunks(missing):
            by_key.update(
                (k, i)
                for i, k in conn.execute(
                    select(articles.c.id, articles.c.url_key).where(articles.c.url_key.in_(part))
                )
            )

    urlless = [(key, a) for key, a in fresh if not urls[key]]
    urlless_ids: list[int] = []
    if urlless:
        urlless_ids = list(
            conn.execute(
                articles.insert().returning(articles.c.id, sort_by_parameter_order=True),
                [row(a, None) for _, a in urlless],
            ).scalars()
        )
        created.extend(urlless_ids)
    urlless_id = dict(zip((key for key, _ in urlless), urlless_ids, strict=True))

    links = [
        {
            "source_id": source_id,
            "guid_key": key,
            "guid": a.guid,
            "article_id": _article_id(key, urls, url_keys, by_key, urlless_id),
            "link": _link(a),
            "content_hash": a.content_hash,
            "first_seen_at": now,
            "last_seen_at": now,
        }
        for key, a in fresh
    ]
    # a link another writer stored meanwhile (only if two daemons fetched one source despite
    # the lease) is left as it is rather than failing the whole fetch
    insert_ignoring_conflicts(conn, article_sources, links, ["source_id", "guid_key"])
    return sorted(created)


def _article_id(
    key: str,
    urls: dict[str, str | None],
    url_keys: dict[str, str],
    by_key: dict[str, int],
    urlless: dict[str, int],
) -> int:
    """The article an unseen entry links to: found or created by its URL, else its own."""
    url = urls[key]
    return by_key[url_keys[url]] if url else urlless[key]

"""Full-text search over canonical statements and article titles (docs/store.md, "Search").

:class:`SearchMixin` holds ``Store.search``.

The indexes are the database's own, kept current by it (migrations 0006, 0007, 0008): FTS5 tables
on SQLite, generated ``tsvector`` columns with GIN indexes on PostgreSQL; the statements' index
holds canonical statements only. The user's query never reaches either query language:
:func:`query_terms` keeps its words and the store writes the query itself::

    terms       runs of letters and digits (str.isalnum) of the query's first 4,096 characters,
                lowercased, each cut to 64 characters, the first 16 distinct ones
    no terms    an empty page; nothing is run
    SQLite      statements_fts MATCH '"w1" AND "w2"' (each term quoted: never an operator);
                rank = -bm25 (text 1, speaker and actor 0.5 each)
    PostgreSQL  search_vector @@ plainto_tsquery('aggregator_folded', 'w1 w2'); rank =
                ts_rank (text weighted A, speaker and actor B)
    accents     folded on both: FTS5's remove_diacritics, and on PostgreSQL the configuration
                ``aggregator_folded`` (English with ``unaccent``, migration 0008), so
                "Elysee" finds "Élysée" and "Élysée" finds "Elysee" on either database (on a
                PostgreSQL where the migration could not create ``unaccent`` the configuration
                is plain English and accents do not fold: docs/store.md)
    window      of each kind (statements, titles) the newest RANK_WINDOW matches (1,201: every
                page a search shows, 1,000 deep, and one more), read newest stored first and
                stopping when full, from the index alone unless a filter needs the row
    rank        one query a kind: the window's first offset + limit + 1 by (rank desc, id
                desc), and how many the window holds (a count up to MAX_COUNT, "more than"
                beyond)
    merge       both kinds by (rank desc, kind, id desc); the page is [offset, offset+limit)
    details     one query a kind for the page's rows only, with the snippet

A word that matches more than the window ranks its newest matches only: a page cannot show
more, ranking a common word's tens of thousands of matches cost 100 ms on PostgreSQL and 35-40
on SQLite, and older ones are reached by narrowing the dates (``start``/``end``). Equal ranks,
and the window, go newest stored first (id desc), not by the article's time: ordering by time
would join every match to its row, which for a common word is tens of thousands of reads.
Statements are canonical ones only (a quote many outlets carry is one hit). ``side`` and
``actor_slug`` keep statements only; ``start``/``end`` bound the article's time (published,
else first seen) of both kinds. Ranked pages are offset-paginated (:data:`MAX_OFFSET`).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import Float, Text, and_, bindparam, cast, column, literal_column, select, table
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql import func

from aggregator.store.base import StoreBase
from aggregator.store.cursors import offset_cursor, read_offset_cursor
from aggregator.store.queries import MAX_PAGE, article_time, page_size, primary_link
from aggregator.store.schema import articles, statements
from aggregator.store.storable import MARK_END, MARK_START, storable_or_none
from aggregator.store.types import SearchHit, SearchPage

#: how much of a query is read, and how many words of it, each at most how long
MAX_QUERY = 4096
MAX_TERMS = 16
MAX_TERM = 64
#: the deepest a ranked page may start (a search is refined, not paged through)
MAX_OFFSET = 1000
#: matches of a kind (statements, titles) are counted up to this many; a page says "more
#: than" beyond it
MAX_COUNT = 1000
#: a search ranks, of each kind, the newest stored matches, at most this many: as many as its
#: pages can hold (MAX_OFFSET deep, MAX_PAGE long) and one more to say a next page exists. A
#: common word's tens of thousands of matches are not all ranked (its best-ranked older
#: matches are left out; the dates reach them): ranking them cost 120-200 ms on PostgreSQL
#: (ts_rank over each) and 35-50 on SQLite (bm25) for a page that shows 20
RANK_WINDOW = MAX_OFFSET + MAX_PAGE + 1
#: SQLite snippet(): how many tokens around the matches
SNIPPET_TOKENS = 24
#: PostgreSQL: the text search configuration of the vectors, the queries and the highlights
#: (migration 0008)
SEARCH_CONFIG = "aggregator_folded"
#: PostgreSQL ts_headline() options: the same markers, about as many words
HEADLINE = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15"

Kind = Literal["statement", "article"]
#: the filters of a statement hit, and of a title hit (:class:`Filters`' fields)
_STATEMENT_FILTERS = ("start", "end", "side", "actor_slug")
_PERIOD = ("start", "end")


def query_terms(query: str) -> list[str]:
    """The words of ``query`` a search looks for (see the module docstring); [] when none."""
    text = unicodedata.normalize("NFC", query[:MAX_QUERY]).lower()
    words = ("".join(run) for alnum, run in itertools.groupby(text, str.isalnum) if alnum)
    distinct = dict.fromkeys(word[:MAX_TERM] for word in words)
    return list(distinct)[:MAX_TERMS]


@dataclass(frozen=True, slots=True)
class Filters:
    """What a search is narrowed to."""

    side: str | None = None
    actor_slug: str | None = None
    start: datetime | None = None
    end: datetime | None = None

    def of(self, kind: Kind) -> tuple[str, ...]:
        """The filters set that bear on ``kind`` (an article has no side or actor)."""
        names = _STATEMENT_FILTERS if kind == "statement" else _PERIOD
        return tuple(name for name in names if getattr(self, name) is not None)

    def params(self) -> dict[str, Any]:
        """The filters set, as the statements' bound parameters (:func:`_filter_clauses`)."""
        return {
            name: getattr(self, name)
            for name in _STATEMENT_FILTERS
            if getattr(self, name) is not None
        }

    @property
    def statements_only(self) -> bool:
        """Side and actor are statements' properties: no article title has them."""
        return self.side is not None or self.actor_slug is not None


class SearchMixin(StoreBase):
    """Full-text search (part of :class:`~aggregator.store.Store`)."""

    def search(
        self,
        q: str,
        *,
        side: str | None = None,
        actor_slug: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        after: str | None = None,
        limit: int = 20,
    ) -> SearchPage:
        """Canonical statements and article titles matching every word of ``q``, most relevant
        first (then newer, then by id); ``side``/``actor_slug`` keep statements only;
        ``start``/``end`` bound the article's time. Any ``q`` is safe (its words are taken
        out, never its syntax); one without words gives an empty page. Snippets are plain
        text with the matches between U+E000 and U+E001 (``storable.MARK_START``/``MARK_END``).
        Pages stop 1,000 hits deep; ``after`` is the ``next_cursor`` of the page before (a
        string no page made: ValueError)."""
        size = page_size(limit)
        # filters come from a URL too: what no stored value holds (NUL) must not reach the
        # driver
        filters = Filters(
            side=storable_or_none(side),
            actor_slug=storable_or_none(actor_slug),
            start=start,
            end=end,
        )
        offset = 0 if after is None else read_offset_cursor(after)
        if offset > MAX_OFFSET:
            raise ValueError("not a page cursor")
        terms = query_terms(q)
        shown = " ".join(terms)
        if not terms:
            return SearchPage(query=shown, hits=(), next_cursor=None, total=0)
        kinds: tuple[Kind, ...] = (
            ("statement",) if filters.statements_only else ("statement", "article")
        )
        params = {"words": _words(self.dialect, terms), **filters.params()}
        ranked: list[tuple[Kind, int, float]] = []
        total, exact = 0, True
        with self._read("searching") as conn:
            for kind in kinds:
                query = _ranking(self.dialect, kind, filters.of(kind))
                rows, found, counted_all = _ranked(conn, query, kind, params, offset + size + 1)
                ranked.extend(rows)
                total += found
                exact = exact and counted_all
            ranked.sort(key=lambda r: (-r[2], r[0], -r[1]))
            page = ranked[offset : offset + size]
            details = {
                kind: _details(
                    conn, self.dialect, kind, params, [r[1] for r in page if r[0] == kind]
                )
                for kind in kinds
            }
        hits = tuple(
            _hit(kind, details[kind][hit_id], rank)
            for kind, hit_id, rank in page
            if hit_id in details[kind]  # deleted between the two reads of one transaction: no
        )
        following = offset + size
        more = len(ranked) > following and following <= MAX_OFFSET
        return SearchPage(
            query=shown,
            hits=hits,
            next_cursor=offset_cursor(following) if more else None,
            total=total,
            total_exact=exact,
        )


# -- the two indexes -----------------------------------------------------------------------
#
# The statements are built once a database, kind and set of filters (building them anew cost a
# third of a rare word's search): the words are the parameter ``words`` (:func:`_words`), the
# filters theirs (:meth:`Filters.params`), the limits ``wanted`` and ``window``, a page's ids
# ``ids``.


@dataclass(frozen=True, slots=True)
class _Index:
    """One backend's full-text SQL, per kind: the row's key, the FROM clause alone and with the
    row's table (for filters), the match, rank and snippet."""

    key: dict[Kind, Any]
    source: dict[Kind, Any]
    filtered: dict[Kind, Any]
    match: dict[Kind, Any]
    rank: dict[Kind, Any]
    snippet: dict[Kind, Any]


def _words(dialect: str, terms: list[str]) -> str:
    """The parameter ``words``: the terms as the backend's match takes them."""
    if dialect == "sqlite":
        # terms hold letters and digits only: quoted, each is a plain term, never FTS5 syntax
        return " AND ".join(f'"{term}"' for term in terms)
    return " ".join(terms)


@cache
def _index(dialect: str) -> _Index:
    return _sqlite_index() if dialect == "sqlite" else _postgresql_index()


def _sqlite_index() -> _Index:
    fts: dict[Kind, str] = {"statement": "statements_fts", "article": "articles_fts"}
    tables = {kind: table(name, column("rowid")) for kind, name in fts.items()}
    names: dict[Kind, Any] = {kind: literal_column(name) for kind, name in fts.items()}
    match = bindparam("words", type_=Text)
    return _Index(
        key={kind: tables[kind].c.rowid for kind in fts},
        source=tables,
        filtered={
            "statement": tables["statement"].join(
                statements, statements.c.id == tables["statement"].c.rowid
            ),
            "article": tables["article"].join(articles, articles.c.id == tables["article"].c.rowid),
        },
        # the statements index holds canonical statements only (migration 0007)
        match={kind: names[kind].match(match) for kind in fts},
        rank={
            "statement": -func.bm25(names["statement"], 1.0, 0.5, 0.5),
            "article": -func.bm25(names["article"]),
        },
        snippet={
            kind: func.snippet(names[kind], 0, MARK_START, MARK_END, "…", SNIPPET_TOKENS)
            for kind in fts
        },
    )


def _postgresql_index() -> _Index:
    # the configuration the vectors were computed with: the query's words are folded alike
    config: Any = literal_column(f"'{SEARCH_CONFIG}'::regconfig")
    tsquery = func.plainto_tsquery(config, cast(bindparam("words", type_=Text), Text))
    vectors: dict[Kind, Any] = {
        "statement": literal_column("statements.search_vector"),
        "article": literal_column("articles.title_vector"),
    }
    texts: dict[Kind, Any] = {"statement": statements.c.text, "article": articles.c.title}
    tables: dict[Kind, Any] = {"statement": statements, "article": articles}
    return _Index(
        key={"statement": statements.c.id, "article": articles.c.id},
        source=tables,
        filtered=tables,
        match={
            # the GIN index is partial (0007): the planner uses it when the query says so
            "statement": and_(
                vectors["statement"].op("@@")(tsquery), statements.c.canonical_id.is_(None)
            ),
            "article": vectors["article"].op("@@")(tsquery),
        },
        rank={kind: func.ts_rank(vector, tsquery) for kind, vector in vectors.items()},
        snippet={
            # stored text has no markers (storable_prose), except rows from before 0006
            kind: func.ts_headline(
                config, func.translate(text, MARK_START + MARK_END, ""), tsquery, HEADLINE
            )
            for kind, text in texts.items()
        },
    )


def _filter_clauses(kind: Kind, names: tuple[str, ...]) -> list[Any]:
    """The SQL of the filters ``names`` (:meth:`Filters.of`), each value a bound parameter:
    statements carry their article's time (0007), titles are bounded by :func:`article_time`."""
    time = statements.c.article_time if kind == "statement" else article_time()
    columns = {"side": statements.c.side, "actor_slug": statements.c.actor_slug}
    clauses: list[Any] = []
    for name in names:
        if name == "start":
            clauses.append(time >= bindparam("start"))
        elif name == "end":
            clauses.append(time < bindparam("end"))
        else:
            clauses.append(columns[name] == bindparam(name))
    return clauses


@cache
def _ranking(dialect: str, kind: Kind, filters: tuple[str, ...]) -> Any:
    """The id, rank and number of the newest :data:`RANK_WINDOW` matches of ``kind``, the
    first ``wanted`` of them by (rank desc, id desc). The window is read newest first (the
    primary key backwards, or FTS5's rowids in reverse) and stops when full, so a common word
    ranks what a page can show and a rare word all its matches (PostgreSQL's planner takes the
    GIN index for those); the filters are columns of the statement itself (no articles join)."""
    index = _index(dialect)
    key = index.key[kind]
    source = index.filtered[kind] if filters else index.source[kind]
    newest = (
        select(key.label("id"), cast(index.rank[kind], Float).label("rank"))
        .select_from(source)
        .where(index.match[kind], *_filter_clauses(kind, filters))
        .order_by(key.desc())
        .limit(bindparam("window"))
        .subquery("newest")
    )
    return (
        select(newest.c.id, newest.c.rank, func.count().over().label("found"))
        .order_by(newest.c.rank.desc(), newest.c.id.desc())
        .limit(bindparam("wanted"))
    )


# -- the reads -------------------------------------------------------------------------------


def _ranked(
    conn: Connection, query: Any, kind: Kind, params: dict[str, Any], wanted: int
) -> tuple[list[tuple[Kind, int, float]], int, bool]:
    """The first ``wanted`` matches of one kind (id, rank) of the newest
    :data:`RANK_WINDOW`, how many match, and whether that is all of them: matches are counted
    up to :data:`MAX_COUNT` (False: more than that)."""
    rows = conn.execute(query, {**params, "wanted": wanted, "window": RANK_WINDOW}).all()
    ranked = [(kind, int(row[0]), float(row[1])) for row in rows]
    found = int(rows[0][2]) if rows else 0
    if found < RANK_WINDOW and len(rows) == found:
        return ranked, found, True  # every match is on this page or before it: counted as read
    return ranked, min(found, MAX_COUNT), found <= MAX_COUNT and found < RANK_WINDOW


def _details(
    conn: Connection, dialect: str, kind: Kind, params: dict[str, Any], ids: list[int]
) -> dict[int, RowMapping]:
    """The page's rows of one kind with their article, link and snippet."""
    if not ids:
        return {}
    rows = conn.execute(_details_query(dialect, kind), {**params, "ids": ids}).mappings()
    return {row["id"]: row for row in rows}


@cache
def _details_query(dialect: str, kind: Kind) -> Any:
    """The rows ``ids`` of one kind with their article, link and snippet."""
    index = _index(dialect)
    ids: Any = bindparam("ids", expanding=True)
    columns = (
        articles.c.id.label("article_id"),
        articles.c.event_id,
        articles.c.title,
        articles.c.language,
        primary_link().label("url"),
        article_time().label("time"),
        index.snippet[kind].label("snippet"),
    )
    if kind == "statement":
        query = (
            select(
                statements.c.id,
                statements.c.speaker,
                statements.c.actor,
                statements.c.actor_slug,
                statements.c.side,
                statements.c.role,
                *columns,
            )
            .select_from(index.filtered[kind])
            .join(articles, articles.c.id == statements.c.article_id)
            .where(statements.c.id.in_(ids))
        )
    else:
        query = (
            select(articles.c.id, *columns)
            .select_from(index.filtered[kind])
            .where(articles.c.id.in_(ids))
        )
    # SQLite's snippet() needs the MATCH that found the row
    return query.where(index.match[kind])


def _hit(kind: Kind, row: RowMapping, rank: float) -> SearchHit:
    statement = kind == "statement"
    return SearchHit(
        kind=kind,
        id=row["id"],
        event_id=row["event_id"],
        title=row["title"],
        snippet=balanced(row["snippet"] or ""),
        url=row["url"],
        speaker=row["speaker"] if statement else None,
        actor=row["actor"] if statement else None,
        actor_slug=row["actor_slug"] if statement else None,
        side=row["side"] if statement else None,
        role=row["role"] if statement else None,
        published=row["time"],
        rank=rank,
        article_id=row["article_id"],
        language=row["language"],
    )


#: a snippet whose markers already pair up, as the database's own snippets do
_PAIRED = re.compile(
    f"[^{MARK_START}{MARK_END}]*(?:{MARK_START}[^{MARK_START}{MARK_END}]*{MARK_END}[^{MARK_START}{MARK_END}]*)*"
)


def balanced(snippet: str) -> str:
    """``snippet`` with every :data:`MARK_START` closed by a :data:`MARK_END` and no stray
    marker (a row stored before 0006 may hold one), so ``<mark>`` tags always pair up."""
    if _PAIRED.fullmatch(snippet):  # nearly always: the character loop below is for the rest
        return snippet
    out: list[str] = []
    inside = False
    for ch in snippet:
        if ch == MARK_START:
            if inside:
                continue
            inside = True
        elif ch == MARK_END:
            if not inside:
                continue
            inside = False
        out.append(ch)
    if inside:
        out.append(MARK_END)
    return "".join(out)

"""Events as the digest and the web archive read them: with their reports and canonical
statements (:class:`aggregator.model.Event`), or one line each (:class:`EventSummary`).

:class:`EventsMixin` reads what :class:`~aggregator.store.grouping.GroupingMixin` writes. The
digest's read, ``events_in_period``, is five queries whatever the number of events (the event
set is a subquery, never an IN list)::

    events       live (not merged) events whose span [first_seen, last_seen] meets [start, end)
    reports      one row per (article, carrying source) of those events' articles
    pairs        (event, canonical id) for every statement in those articles
    canonicals   those canonical statements, with the article text around each
    carriers     every statement whose canonical is one of those, with its article's reports

Only articles whose time (published, else first seen) is before ``end`` count: a digest rendered
later for a past period (a backfill) shows what was known when the period ended. ``event`` reads
one event the same way over its whole life (no ``end``): both go through :func:`_with_details`,
which runs the last four queries. Pages of ``events_between`` are keyset-paginated on
(last_seen_at desc, id).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import and_, bindparam, case, exists, or_, select, union
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.sql import func

from aggregator.model import Event, EventStatement, Rendering, Report, Wording
from aggregator.store.base import StoreBase
from aggregator.store.cursors import read_time_cursor
from aggregator.store.queries import article_time, page_size
from aggregator.store.rows import from_row
from aggregator.store.schema import article_sources, articles, events, sources, statements
from aggregator.store.storable import storable_text
from aggregator.store.types import EventSummary


class EventsMixin(StoreBase):
    """Events with their reports and statements, for the digest and the web archive (part of
    :class:`~aggregator.store.Store`)."""

    def events_in_period(self, start: datetime, end: datetime) -> list[Event]:
        """Live events active in ``[start, end)`` with their reports and canonical statements,
        most recently active first.

        Five queries whatever the number of events. Only articles whose time is before ``end``
        are included (a digest rendered later shows what was known when the period ended).
        """
        active = _active(start, end)
        with self._read("reading the events of a period") as conn:
            event_rows = list(
                conn.execute(
                    select(events)
                    .where(*active)
                    .order_by(events.c.last_seen_at.desc(), events.c.id)
                ).mappings()
            )
            if not event_rows:
                return []
            ids = select(events.c.id).where(*active).scalar_subquery()
            return _with_details(conn, event_rows, _detail_queries(ids, end=end), {})

    def event(self, event_id: str) -> Event | None:
        """One event with all its reports and canonical statements over its whole life (no
        period bound), as :meth:`events_in_period` shapes them; None when no such event.

        A merged event is returned too, with ``merged_into`` set (its articles went to the
        survivor: show that one instead); ``merged_from`` names the events absorbed into it.
        """
        event_id = storable_text(event_id)  # from a URL: no NUL reaches the driver
        one = _one_event_queries()
        key = {"event_id": event_id}
        with self._read(f"reading event {event_id}") as conn:
            row = conn.execute(one.event, key).mappings().first()
            if row is None:
                return None
            absorbed = conn.execute(one.absorbed, key).scalars()
            [found] = _with_details(
                conn, [row], one.details, key, merged_from={event_id: tuple(absorbed)}
            )
        return found

    def events_between(
        self, start: datetime, end: datetime, *, after: str | None = None, limit: int = 50
    ) -> list[EventSummary]:
        """Live events active in ``[start, end)`` (their span meets it, as for
        :meth:`events_in_period`), most recently active first (then by id): at most ``limit``,
        after the event whose ``cursor`` is ``after`` (a string no page made: ValueError)."""
        query = select(events).where(*_active(start, end))
        if after is not None:
            last_seen, event_id = read_time_cursor(after)
            query = query.where(
                or_(
                    events.c.last_seen_at < last_seen,
                    and_(events.c.last_seen_at == last_seen, events.c.id > event_id),
                )
            )
        query = query.order_by(events.c.last_seen_at.desc(), events.c.id).limit(page_size(limit))
        with self._read("reading the events of a period") as conn:
            return [_summary(row) for row in conn.execute(query).mappings()]

    def event_titles(self, event_ids: Sequence[str]) -> dict[str, str]:
        """The stored title of each of ``event_ids`` that exists (merged ones too), in one
        query: the event page names its related events by title."""
        wanted = sorted({storable_text(e) for e in event_ids})
        if not wanted:
            return {}
        with self._read("reading events' titles") as conn:
            query = select(events.c.id, events.c.title).where(events.c.id.in_(wanted))
            return dict(conn.execute(query).all())

    def event_days(self, first: date, last: date) -> list[date]:
        """The days (UTC) from ``first`` to ``last`` inclusive on which a live event was active
        (its span meets the day), counting only the last ``EVENT_DAYS_REACH`` days of a long
        event's span: the web archive's calendar. One query whatever the number of events: a
        day is an ``EXISTS`` served by ``ix_events_last_seen_at`` (a range of at most
        ``EVENT_DAYS_REACH`` days of last sightings), so its cost grows with the days asked
        for, not with the events stored. At most ``MAX_EVENT_DAYS`` days are asked at once."""
        count = (last - first).days + 1
        if count <= 0:
            return []
        if count > MAX_EVENT_DAYS:
            raise ValueError(f"at most {MAX_EVENT_DAYS} days at once, not {count}")
        days = [first + timedelta(days=n) for n in range(count)]
        bounds: dict[str, datetime] = {}
        for n, day in enumerate(days):
            start = datetime.combine(day, time(0), tzinfo=UTC)
            bounds[f"start{n}"] = start
            bounds[f"reach{n}"] = start + timedelta(days=EVENT_DAYS_REACH + 1)
            bounds[f"end{n}"] = start + timedelta(days=1)
        with self._read("reading the days with events") as conn:
            row = conn.execute(_event_days_query(count), bounds).one()
        return [day for day, active in zip(days, row, strict=True) if active]

    def event_article_urls(self, event_id: str) -> list[str]:
        """The URLs of an event's articles (canonical URL, else a source's link), earliest
        first (empty: no such event)."""
        link = (
            select(func.min(article_sources.c.link))
            .where(article_sources.c.article_id == articles.c.id)
            .scalar_subquery()
        )
        query = (
            select(func.coalesce(articles.c.canonical_url, link))
            .where(articles.c.event_id == event_id)
            .order_by(article_time(), articles.c.id)
        )
        with self._read("reading an event's articles") as conn:
            return [url for url in conn.execute(query).scalars() if url]


#: :meth:`EventsMixin.event_days`: a long event marks the last 31 days of its span and its last
#: day (a month), not every day since it began
EVENT_DAYS_REACH = 31
#: the most days :meth:`EventsMixin.event_days` reads at once (a query of one EXISTS a day)
MAX_EVENT_DAYS = 400


@lru_cache(maxsize=8)
def _event_days_query(count: int) -> Any:
    """:meth:`EventsMixin.event_days`'s query for ``count`` days, built once (the calendar
    always asks for as many): one ``EXISTS`` a day, its bounds the parameters ``start{n}``,
    ``reach{n}`` and ``end{n}``."""
    probes = []
    for n in range(count):
        last_seen, first_seen = events.c.last_seen_at, events.c.first_seen_at
        probes.append(
            exists()
            .where(
                last_seen >= bindparam(f"start{n}", type_=last_seen.type),
                last_seen < bindparam(f"reach{n}", type_=last_seen.type),
                first_seen < bindparam(f"end{n}", type_=first_seen.type),
                # not "merged_into IS NULL": SQLite (no statistics) would look that up in
                # ix_events_merged_into, which holds nearly every event, instead of the range
                # of last sightings (210 ms for 93 days of the benchmark's store, not 2)
                func.coalesce(events.c.merged_into, "") == "",
            )
            .label(f"d{n}")
        )
    return select(*probes)


def _active(start: datetime, end: datetime) -> tuple[Any, ...]:
    """SQL for the live events whose span meets ``[start, end)``."""
    if end <= start:
        raise ValueError(f"empty period: end {end.isoformat()} is not after {start.isoformat()}")
    return (
        events.c.merged_into.is_(None),
        events.c.first_seen_at < end,
        events.c.last_seen_at >= start,
    )


def _summary(row: RowMapping) -> EventSummary:
    return from_row(EventSummary, row)


# -- an event's reports and statements -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _DetailQueries:
    """The four queries of :func:`_with_details` for one set of events (see the module
    docstring): built once and reused where the set is a bound parameter (one event)."""

    reports: Any
    pairs: Any
    canonicals: Any
    carriers: Any


def _detail_queries(event_ids: Any, *, end: datetime | None) -> _DetailQueries:
    """The queries of the events ``event_ids`` selects (SQL), counting only articles whose time
    is before ``end`` (all of them when None)."""
    known = () if end is None else (article_time() < end,)
    period_articles = select(articles.c.id).where(articles.c.event_id.in_(event_ids), *known)
    canonical = func.coalesce(statements.c.canonical_id, statements.c.id)
    wanted = select(canonical).where(statements.c.article_id.in_(period_articles)).scalar_subquery()
    return _DetailQueries(
        reports=_report_query(articles.c.event_id.label("key"))
        .where(articles.c.event_id.in_(event_ids), *known)
        .order_by(article_time(), articles.c.id, sources.c.name),
        # (event, canonical) pairs: which canonicals each event's articles carry
        pairs=select(articles.c.event_id, canonical)
        .join(statements, statements.c.article_id == articles.c.id)
        .where(articles.c.id.in_(period_articles))
        .distinct(),
        canonicals=_canonical_query(wanted),
        carriers=_carriers_query(wanted, known),
    )


@cache
def _one_event_queries() -> _OneEvent:
    """:meth:`EventsMixin.event`'s queries, built once: the event is the parameter
    ``event_id`` (building them anew cost more of the event page's CPU than running them)."""
    event_id = bindparam("event_id", type_=events.c.id.type)
    return _OneEvent(
        event=select(events).where(events.c.id == event_id),
        absorbed=select(events.c.id).where(events.c.merged_into == event_id).order_by(events.c.id),
        details=_detail_queries(
            select(events.c.id).where(events.c.id == event_id).scalar_subquery(), end=None
        ),
    )


@dataclass(frozen=True, slots=True)
class _OneEvent:
    event: Any
    absorbed: Any
    details: _DetailQueries


def _with_details(
    conn: Connection,
    event_rows: Sequence[RowMapping],
    queries: _DetailQueries,
    params: Mapping[str, Any],
    *,
    merged_from: Mapping[str, tuple[str, ...]] | None = None,
) -> list[Event]:
    """``event_rows`` (events rows, in the order wanted) with their reports and canonical
    statements, in the four ``queries`` (:func:`_detail_queries`) run with ``params``."""
    found_reports: dict[str, list[Report]] = defaultdict(list)
    for row in conn.execute(queries.reports, params).mappings():
        found_reports[row["key"]].append(_report(row))
    canonicals_of_event: dict[str, list[int]] = defaultdict(list)
    for event_id, canonical_id in conn.execute(queries.pairs, params):
        canonicals_of_event[event_id].append(canonical_id)
    canonical_rows = {row["id"]: row for row in conn.execute(queries.canonicals, params).mappings()}
    carriers, words = _carriers(conn.execute(queries.carriers, params).mappings())
    found = []
    for row in event_rows:
        ordered = sorted(
            (canonical_rows[c] for c in canonicals_of_event[row["id"]] if c in canonical_rows),
            key=lambda s: (s["time"], s["article_id"], s["seq"]),
        )
        found.append(
            from_row(
                Event,
                row,
                articles=tuple(found_reports[row["id"]]),
                statements=tuple(
                    _statement(s, tuple(carriers[s["id"]].values()), words[s["id"]])
                    for s in ordered
                ),
                merged_from=(merged_from or {}).get(row["id"], ()),
            )
        )
    return found


def _carriers_query(wanted: Any, known: tuple[Any, ...]) -> Any:
    """The reports of the articles carrying each canonical statement ``wanted`` selects, or a
    copy of it, keyed by the canonical, with the carrying statement's words."""
    canonical = func.coalesce(statements.c.canonical_id, statements.c.id)
    # the canonicals and their copies: a UNION, each arm an index lookup (coalesce(canonical_id,
    # id) uses none, and PostgreSQL plans "id IN (…) OR canonical_id IN (…)" as a scan of every
    # statement: 0.3 s an event page at 300,000 statements, scripts/bench_web.py)
    carrying = union(
        select(statements.c.id).where(statements.c.id.in_(wanted)),
        select(statements.c.id).where(statements.c.canonical_id.in_(wanted)),
    )
    return (
        _report_query(canonical.label("key"))
        .add_columns(statements.c.text.label("statement_text"))
        .join(statements, statements.c.article_id == articles.c.id)
        .where(statements.c.id.in_(carrying), *known)
        .order_by(article_time(), articles.c.id, sources.c.name)
    )


def _carriers(
    rows: Iterable[RowMapping],
) -> tuple[dict[int, dict[tuple[int | None, str], Report]], dict[int, dict[str, str]]]:
    """Each canonical statement -> the reports of the articles carrying it or a copy of it, one
    a (article, source), earliest first; and -> its words in each language its reports carry
    it in (the earliest copy of a language). ``rows``: :func:`_carriers_query`'s."""
    found: dict[int, dict[tuple[int | None, str], Report]] = defaultdict(dict)
    words: dict[int, dict[str, str]] = defaultdict(dict)
    for row in rows:
        report = _report(row)
        # a quote repeated within one article is still one report of it
        found[row["key"]].setdefault((report.article_id, report.source), report)
        if report.language:
            words[row["key"]].setdefault(report.language, row["statement_text"])
    return found, words


def _canonical_query(wanted: Any) -> Any:
    """The canonical statements ``wanted`` selects, each with its article's time, language and
    context."""
    lo, hi = _context_bounds()
    return (
        select(
            statements,
            article_time().label("time"),
            articles.c.language.label("article_language"),
            lo.label("context_lo"),
            case(
                (hi - lo <= CONTEXT_MAX, func.substr(articles.c.text, lo + 1, hi - lo)),
                else_=None,
            ).label("context"),
        )
        .join(articles, articles.c.id == statements.c.article_id)
        .where(statements.c.id.in_(wanted))
    )


def _report_query(key: Any) -> Any:
    return (
        select(
            key,
            articles.c.id.label("article_id"),
            articles.c.title,
            articles.c.canonical_url,
            articles.c.published_at,
            article_sources.c.link,
            sources.c.name.label("source"),
            sources.c.publisher,
            sources.c.kind,
            articles.c.language,
        )
        .select_from(articles)
        .join(article_sources, article_sources.c.article_id == articles.c.id)
        .join(sources, sources.c.id == article_sources.c.source_id)
    )


def _report(row: RowMapping) -> Report:
    return from_row(
        Report, row, url=row["link"] or row["canonical_url"], published=row["published_at"]
    )


#: how far past a statement's content its context reaches (to see whether its clause went on)
CONTEXT_AFTER = 60
#: how far before its first span (speaker, cue or content) it reaches: the noun a relative
#: clause's claim is about ("a man who prosecutors say planned …")
CONTEXT_BEFORE = 80
#: contexts longer than this are not read (a statement that spans paragraphs needs none)
CONTEXT_MAX = 2000


def _least(a: Any, b: Any) -> Any:
    return case((a < b, a), else_=b)


def _context_bounds() -> tuple[Any, Any]:
    """SQL for where a statement's context starts (``CONTEXT_BEFORE`` before the first of its
    speaker, cue and content) and ends (``CONTEXT_AFTER`` past the last), as offsets into the
    article's text."""
    start, end = statements.c.start, statements.c["end"]
    lo = _least(
        _least(start, func.coalesce(statements.c.speaker_start, start)),
        func.coalesce(statements.c.cue_start, start),
    )
    last = -_least(
        _least(-end, -func.coalesce(statements.c.speaker_end, end)),
        -func.coalesce(statements.c.cue_end, end),
    )
    return case((lo > CONTEXT_BEFORE, lo - CONTEXT_BEFORE), else_=0), last + CONTEXT_AFTER


def _wording(row: RowMapping) -> Wording | None:
    """The statement's context and its spans relative to it (none if the text changed since)."""
    context, lo = row["context"], row["context_lo"]
    if context is None or context[row["start"] - lo : row["end"] - lo] != row["text"]:
        return None
    speaker = cue = None
    if row["speaker_start"] is not None and row["speaker_end"] is not None:
        speaker = (row["speaker_start"] - lo, row["speaker_end"] - lo)
    if row["cue_start"] is not None and row["cue_end"] is not None:
        cue = (row["cue_start"] - lo, row["cue_end"] - lo)
    return Wording(
        text=context,
        content=(row["start"] - lo, row["end"] - lo),
        speaker=speaker,
        cue=cue,
    )


def _statement(
    row: RowMapping, reports: tuple[Report, ...], words: Mapping[str, str]
) -> EventStatement:
    own = row["article_language"]
    return from_row(
        EventStatement,
        row,
        id=str(row["id"]),
        reports=reports,
        commentary=bool(row["commentary"]),
        wording=_wording(row),
        language=own,
        renderings=_renderings(own, row["text"], words),
    )


def _primary(tag: str | None) -> str | None:
    """A language tag's primary subtag, lower case ("en-GB" -> "en")."""
    return tag.split("-", 1)[0].strip().lower() or None if tag else None


def _renderings(own: str | None, text: str, words: Mapping[str, str]) -> tuple[Rendering, ...]:
    """The statement's words in languages other than its own, as its copies carry them. None
    when its own language is unknown (an article stored before detection, or too short to
    tell): a copy then cannot be told apart from a translation, and an English copy of an
    English quotation would be shown a second time as its "EN" rendering. A regional variant of
    its own language ("en-gb" beside "en") and words identical to its own are no rendering."""
    mine = _primary(own)
    if mine is None:
        return ()
    return tuple(
        Rendering(language, words_there)
        for language, words_there in words.items()
        if _primary(language) not in {mine, None} and words_there != text
    )

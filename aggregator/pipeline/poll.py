"""One polling pass: due sources -> fetch -> parse -> store (-> extract -> group).

    states  = store.claim_due(now, owner, lease)          # leases: one fetcher per source,
                                                          # renewed while the pass runs
    for result in fetcher.fetch_all(requests(states)):    # bounded concurrency, as each completes
        # each source then goes on in its own task, at most MAX_IN_FLIGHT at a time:
        try:
            articles = await parser.parse(result)         # a parse failure becomes a FAILED result
            articles = add_full_text(articles)            # fulltext sources, new entries only
            poll     = next_poll_state(result, …)         # pure: backoff, Retry-After, 410
            report   = await writer.save(state, result, articles, poll)   # committed
        except the store cannot be used at all:           # StoreUnavailableError
            raise                                         # ends the pass
        except anything else:                             # a refused save, a bug
            report   = await writer.save(state, FAILED result, [], backoff poll)
    process(new and changed articles)                     # extraction and grouping

Three things run at once, each where it is cheapest: fetching on the event loop, parsing in
worker processes (:mod:`aggregator.pipeline.parse_pool`; inline for passes under its
``POOL_MIN_SOURCES``), and store writes on one writer thread (:mod:`aggregator.pipeline.writer`),
which commits each fetch with entries in its own transaction and the 304s and failures that
queued meanwhile together in one. A crash mid-pass loses only what was not yet committed; the
leases of the rest are no longer renewed and expire within one lease (30 s for a one-off pass;
the daemon's follow its heartbeat, see docs/daemon.md).

:func:`run_pass` is the one-off pass (``aggregator fetch``): it claims, then fetches what it
claimed, renewing the leases on a thread. The daemon claims on its own schedule and runs
:func:`fetch_claimed` itself, several passes side by side (:mod:`aggregator.daemon.poller`).

Whatever one source does, the pass goes on for the others. Every expected failure is a
FetchResult outcome; an entry the database refuses is left out by the store (logged, and noted
in the fetch_log row) while the rest of its source is stored. Anything else that goes wrong
while handling one source (its parse, its full text, its save) becomes that source's failure:
one fetch_log row with the error's type and message, the source's lease released and its next
poll put off by the backoff (so a daemon does not fetch it again every tick), and the traceback
of an unexpected exception logged. If even that row cannot be written, the error is logged and
the source keeps its lease until it expires. Only a store that cannot be used at all
(:class:`~aggregator.errors.StoreUnavailableError`: unreachable, locked, full, no schema) ends
the pass: the other sources' tasks are cancelled, what was committed stays committed, and the
error propagates. Sources are reported (``on_source``) in the order they are committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from aggregator import clock
from aggregator.config import Settings
from aggregator.errors import AggregatorError, StoreError, StoreUnavailableError
from aggregator.fetch import Fetcher, FetchRequest
from aggregator.fetch.schedule import PollState, next_poll_state
from aggregator.model import Article, FetchLimits, FetchOutcome, FetchResult
from aggregator.parse import extract_main_text, needs_fulltext, with_fulltext
from aggregator.pipeline.leases import Renewal, process_owner
from aggregator.pipeline.parse_pool import FeedParser, ParseJob
from aggregator.pipeline.writer import StoreWriter
from aggregator.store import FetchToSave, SaveReport, SourceState, Store
from aggregator.store.fetches import refused_note

#: how long a one-off pass's claim on a source lasts without renewal (it is renewed every third
#: of it while the pass runs): how soon the sources of a killed ``aggregator fetch`` come back
LEASE = timedelta(seconds=30)
#: sources fetched but not yet stored, at most (their bodies and articles are in memory)
MAX_IN_FLIGHT = 32

log = logging.getLogger("aggregator.pipeline")


@dataclass(frozen=True, slots=True)
class SourceReport:
    """What one source's fetch produced, for the per-source summary."""

    source: str
    outcome: FetchOutcome
    status: int | None
    new: int
    updated: int
    unchanged: int
    error: str | None
    duration: float
    next_poll: datetime
    warning: str | None = None  # e.g. the feed was malformed but entries were recovered


@dataclass(frozen=True, slots=True)
class PassReport:
    """The outcome of one pass over the claimed sources."""

    sources: tuple[SourceReport, ...]
    new_article_ids: tuple[int, ...] = field(default=())
    changed_article_ids: tuple[int, ...] = field(default=())

    @property
    def new(self) -> int:
        return sum(s.new for s in self.sources)

    @property
    def updated(self) -> int:
        return sum(s.updated for s in self.sources)

    @property
    def failed(self) -> int:
        return sum(1 for s in self.sources if s.outcome in (FetchOutcome.FAILED, FetchOutcome.GONE))


def run_pass(
    store: Store,
    settings: Settings,
    *,
    names: Sequence[str] | None = None,
    force: bool = False,
    owner: str | None = None,
    lease: timedelta = LEASE,
    limit: int | None = None,
    on_source: Callable[[SourceReport], None] | None = None,
    rng: random.Random | None = None,
) -> PassReport:
    """Claim due (or the named) sources, at most ``limit``, fetch, parse and store them; return
    what happened (one report a claimed source). The leases are renewed every third of
    ``lease`` while the pass runs, so a pass may take longer than its lease."""
    now = clock.now()
    owner = owner or process_owner()
    states = store.claim_due(
        now=now, owner=owner, lease=lease, names=names, limit=limit, force=force
    )
    if not states:
        return PassReport(sources=())
    pass_ = fetch_claimed(
        store, settings, states, owner=owner, on_source=on_source, rng=rng or random.Random()
    )
    if store.in_memory:  # no other process can see these leases: nothing to keep
        return asyncio.run(pass_)

    def renew() -> None:
        store.renew_leases(owner, until=clock.now() + lease)

    with Renewal(renew, lease.total_seconds() / 3, what=f"the leases of {owner}"):
        return asyncio.run(pass_)


async def fetch_claimed(
    store: Store,
    settings: Settings,
    states: Sequence[SourceState],
    *,
    owner: str,
    on_source: Callable[[SourceReport], None] | None,
    rng: random.Random,
) -> PassReport:
    """Fetch, parse and store sources ``owner`` has claimed; see :func:`fetch_and_store`.

    If the pass fails or is cancelled, the leases of the sources not saved yet are given back,
    so they are due again at once rather than after their lease.
    """
    try:
        return await fetch_and_store(
            store,
            states,
            settings.fetch_limits(),
            backoff_max=settings.settings.fetch.backoff_max,
            on_source=on_source,
            rng=rng,
        )
    except BaseException:
        # interrupted (Ctrl-C, a stop) or failed: sources not saved yet stay due now
        with contextlib.suppress(StoreError):
            store.release(owner, [state.source.name for state in states])
        raise


async def fetch_and_store(
    store: Store,
    states: Sequence[SourceState],
    limits: FetchLimits,
    *,
    backoff_max: timedelta,
    on_source: Callable[[SourceReport], None] | None = None,
    rng: random.Random,
    parse_workers: int | None = None,
) -> PassReport:
    """Fetch the claimed sources concurrently and store each one as its result arrives.

    ``parse_workers`` sizes the parse pool of a pass of ``parse_pool.POOL_MIN_SOURCES`` sources
    or more (default: a worker a core but one); smaller passes parse inline.
    """
    requests = [
        FetchRequest(source=s.source.name, url=s.source.url, validators=s.validators)
        for s in states
    ]
    # bodies fetched but not yet stored: bounds memory when parsing falls behind the network
    in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)
    with FeedParser.for_sources(len(states), parse_workers) as parser:
        try:
            async with (
                Fetcher(limits) as fetcher,
                StoreWriter(store) as writer,
                asyncio.TaskGroup() as sources,
            ):
                handler = _SourceHandler(
                    store, states, fetcher, parser, writer, backoff_max, rng, on_source
                )

                async def one_source(fetched: FetchResult) -> None:
                    try:
                        await handler.handle(fetched)
                    finally:
                        in_flight.release()

                async for fetched in fetcher.fetch_all(requests):
                    await in_flight.acquire()
                    sources.create_task(one_source(fetched))
        except BaseExceptionGroup as group:
            # callers expect the error itself (the store unusable, an interrupt), as with a
            # sequential pass; its own cause stays, the group that only carried it is left out
            first = group.exceptions[0]
            raise first from first.__cause__
    return handler.report()


@dataclass(frozen=True, slots=True)
class _Stored:
    """What became of one source in a pass: the result as recorded, its schedule, its save."""

    result: FetchResult
    poll: PollState
    saved: SaveReport
    warning: str | None
    recorded: bool = True  # False: not even the failure could be written (see _store_failure)


class _SourceHandler:
    """One pass's handling of each fetched source: parse, full text, save; or its failure."""

    def __init__(
        self,
        store: Store,
        states: Sequence[SourceState],
        fetcher: Fetcher,
        parser: FeedParser,
        writer: StoreWriter,
        backoff_max: timedelta,
        rng: random.Random,
        on_source: Callable[[SourceReport], None] | None,
    ) -> None:
        self._store = store
        self._states = {state.source.name: state for state in states}
        self._fetcher = fetcher
        self._parser = parser
        self._writer = writer
        self._backoff_max = backoff_max
        self._rng = rng
        self._on_source = on_source
        self._reports: list[SourceReport] = []
        self._new_ids: list[int] = []
        self._changed_ids: list[int] = []

    def report(self) -> PassReport:
        """What the pass did, a report a handled source, by name."""
        reports = tuple(sorted(self._reports, key=lambda r: r.source))
        return PassReport(reports, tuple(self._new_ids), tuple(self._changed_ids))

    async def handle(self, fetched: FetchResult) -> None:
        """Store one fetched source; any failure but an unusable store is that source's."""
        state = self._states[fetched.source]
        try:
            stored = await self._store_source(state, fetched)
        except StoreUnavailableError:
            raise
        except Exception as exc:
            stored = await self._store_failure(state, fetched, exc)
        self._new_ids.extend(stored.saved.new_article_ids)
        self._changed_ids.extend(stored.saved.changed_article_ids)
        next_poll = stored.poll.next_poll
        if not stored.recorded:  # the source is polled again when its lease expires
            next_poll = state.lease_expires_at or clock.now() + LEASE
        report = SourceReport(
            source=state.source.name,
            outcome=stored.result.outcome,
            status=stored.result.status,
            new=stored.saved.new,
            updated=stored.saved.updated,
            unchanged=stored.saved.unchanged,
            error=stored.result.error,
            duration=stored.result.duration,
            next_poll=next_poll,
            warning=stored.warning,
        )
        self._reports.append(report)
        if self._on_source is not None:
            self._on_source(report)

    def _schedule(self, state: SourceState, result: FetchResult, now: datetime) -> PollState:
        return next_poll_state(
            result,
            interval=state.source.interval,
            failures=state.failures,
            now=now,
            rng=self._rng,
            backoff_max=self._backoff_max,
        )

    async def _store_source(self, state: SourceState, fetched: FetchResult) -> _Stored:
        result, articles, warning = await _parse(self._parser, fetched, state)
        if articles and state.source.fulltext:
            articles = await _add_full_text(
                self._fetcher, self._writer, self._store, state, articles
            )
        now = clock.now()
        poll = self._schedule(state, result, now)
        saved = await self._writer.save(FetchToSave(state, result, articles, poll, now))
        note = refused_note(saved.refused)
        if note:  # the store left entries out: the report says so, as the fetch_log row does
            warning = f"{warning}; {note}" if warning else note
            result = replace(result, error=f"{result.error}; {note}" if result.error else note)
        return _Stored(result, poll, saved, warning)

    async def _store_failure(
        self, state: SourceState, fetched: FetchResult, exc: Exception
    ) -> _Stored:
        """``exc`` while handling one source: that source's failure, recorded like any other."""
        result = _failed(fetched, exc)
        context = {"source": state.source.name, "error": result.error}
        if isinstance(exc, AggregatorError):
            log.warning("source failed", extra=context)
        else:  # a bug: its traceback is wanted, not only its message
            log.error("source failed unexpectedly", exc_info=exc, extra=context)
        now = clock.now()
        poll = self._schedule(state, result, now)
        try:
            saved = await self._writer.save(FetchToSave(state, result, [], poll, now))
        except StoreUnavailableError:
            raise
        except Exception as again:
            # not even the failure can be recorded: the lease keeps the source until it expires
            log.error("source failure not recorded", exc_info=again, extra=context)
            unrecorded = replace(result, error=f"{result.error} (not recorded: {_one_line(again)})")
            nothing = SaveReport(
                new=0, updated=0, unchanged=0, new_article_ids=[], changed_article_ids=[]
            )
            return _Stored(unrecorded, poll, nothing, None, recorded=False)
        return _Stored(result, poll, saved, None)


def _one_line(exc: BaseException) -> str:
    """The exception's message on one line, or its type when it has none."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _failed(fetched: FetchResult, exc: Exception) -> FetchResult:
    """``fetched`` turned into a FAILED result by ``exc`` (validators are then not kept)."""
    if isinstance(exc, AggregatorError):
        error = _one_line(exc)
    else:
        error = f"unexpected {type(exc).__name__} while handling the source: {_one_line(exc)}"
    return replace(fetched, outcome=FetchOutcome.FAILED, error=error, error_type=type(exc).__name__)


async def _parse(
    parser: FeedParser, result: FetchResult, state: SourceState
) -> tuple[FetchResult, list[Article], str | None]:
    """Parse an OK result; a document with nothing recoverable turns the result into a failure."""
    if result.outcome is not FetchOutcome.OK or result.body is None:
        return result, [], None
    parsed = await parser.parse(
        ParseJob(
            body=result.body,
            source=state.source.name,
            url=result.final_url or result.requested_url,
            headers=dict(result.headers),
            source_language=state.source.language,
            now=clock.now(),
        )
    )
    if parsed.feed is None:
        failed = replace(
            result, outcome=FetchOutcome.FAILED, error=parsed.error, error_type="FeedParseError"
        )
        return failed, [], None
    feed = parsed.feed
    if not feed.bozo:
        return result, list(feed.articles), None
    # recovered, so the fetch succeeded; the fetch_log row still says what was wrong with it
    warning = f"malformed feed, entries recovered: {feed.bozo_message}"
    return replace(result, error=warning), list(feed.articles), warning


async def _add_full_text(
    fetcher: Fetcher,
    writer: StoreWriter,
    store: Store,
    state: SourceState,
    articles: list[Article],
) -> list[Article]:
    """Fetch and extract the page of each new entry that carries only a summary."""
    guids = [a.guid for a in articles]
    known = await writer.run(store.known_guids, state.source.name, guids)
    return await with_full_texts(fetcher, state.source.name, articles, known)


async def with_full_texts(
    fetcher: Fetcher, source: str, articles: Sequence[Article], known: Set[str]
) -> list[Article]:
    """``articles`` with the page text of each entry not in ``known`` that carries only a
    summary (the polling pass and the backfill share this; the fetcher's limits keep it polite)."""
    wanted = [a for a in articles if a.guid not in known and a.url and needs_fulltext(a)]
    if not wanted:
        return list(articles)
    pages = await asyncio.gather(*(fetcher.fetch_page(source, a.url) for a in wanted if a.url))
    replaced: dict[str, Article] = {}
    for article, page in zip(wanted, pages, strict=True):
        if page.outcome is FetchOutcome.OK and page.body:
            text = extract_main_text(page.body, page.final_url or article.url)
            if text and len(text) > len(article.text):
                replaced[article.guid] = with_fulltext(article, text)
    return [replaced.get(a.guid, a) for a in articles]

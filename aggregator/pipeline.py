"""One polling pass: due sources -> fetch -> parse -> store (-> extract -> group).

    states  = store.claim_due(now, owner, lease)          # leases: one fetcher per source,
                                                          # renewed while the pass runs
    for result in fetcher.fetch_all(requests(states)):    # bounded concurrency, as each completes
        # each source then goes on in its own task, at most MAX_IN_FLIGHT at a time:
        articles = await parser.parse(result)             # a parse failure becomes a FAILED result
        articles = add_full_text(articles)                # fulltext sources, new entries only
        poll     = next_poll_state(result, …)             # pure: backoff, Retry-After, 410
        report   = await writer.save(state, result, articles, poll)   # committed
    process(new and changed articles)                     # extraction and grouping

Three things run at once, each where it is cheapest: fetching on the event loop, parsing in
worker processes (:mod:`aggregator.parse_pool`; inline for passes under its
``POOL_MIN_SOURCES``), and store writes on one writer thread (:mod:`aggregator.pipeline_writer`),
which commits each fetch with entries in its own transaction and the 304s and failures that
queued meanwhile together in one. A crash mid-pass loses only what was not yet committed; the
leases of the rest are no longer renewed and expire within one lease (30 s for a one-off pass;
the daemon's follow its heartbeat, see docs/daemon.md).

:func:`run_pass` is the one-off pass (``aggregator fetch``): it claims, then fetches what it
claimed, renewing the leases on a thread. The daemon claims on its own schedule and runs
:func:`fetch_claimed` itself, several passes side by side (:mod:`aggregator.daemon.poller`).

One source failing never stops the others: every expected failure is a FetchResult outcome and
ends as one fetch_log row. Sources are reported (``on_source``) in the order they are committed.
Unexpected exceptions (bugs) and store errors propagate, after the other sources' tasks are
cancelled and the writer has finished its transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from aggregator import clock
from aggregator.config import Settings
from aggregator.errors import StoreError
from aggregator.fetch import Fetcher, FetchRequest
from aggregator.fetch.schedule import next_poll_state
from aggregator.leases import Renewal, process_owner
from aggregator.model import Article, FetchLimits, FetchOutcome, FetchResult
from aggregator.parse import extract_main_text, needs_fulltext, with_fulltext
from aggregator.parse_pool import FeedParser, ParseJob
from aggregator.pipeline_writer import StoreWriter
from aggregator.store import FetchToSave, SourceState, Store

#: how long a one-off pass's claim on a source lasts without renewal (it is renewed every third
#: of it while the pass runs): how soon the sources of a killed ``aggregator fetch`` come back
LEASE = timedelta(seconds=30)
#: sources fetched but not yet stored, at most (their bodies and articles are in memory)
MAX_IN_FLIGHT = 32


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
    by_name = {state.source.name: state for state in states}
    reports: list[SourceReport] = []
    new_ids: list[int] = []
    changed_ids: list[int] = []
    requests = [
        FetchRequest(source=s.source.name, url=s.source.url, validators=s.validators)
        for s in states
    ]
    # bodies fetched but not yet stored: bounds memory when parsing falls behind the network
    in_flight = asyncio.Semaphore(MAX_IN_FLIGHT)

    async def one_source(fetcher: Fetcher, fetched: FetchResult) -> None:
        try:
            state = by_name[fetched.source]
            result, articles, warning = await _parse(parser, fetched, state)
            if articles and state.source.fulltext:
                articles = await _add_full_text(fetcher, writer, store, state, articles)
            now = clock.now()
            poll = next_poll_state(
                result,
                interval=state.source.interval,
                failures=state.failures,
                now=now,
                rng=rng,
                backoff_max=backoff_max,
            )
            saved = await writer.save(FetchToSave(state, result, articles, poll, now))
        finally:
            in_flight.release()
        new_ids.extend(saved.new_article_ids)
        changed_ids.extend(saved.changed_article_ids)
        report = SourceReport(
            source=state.source.name,
            outcome=result.outcome,
            status=result.status,
            new=saved.new,
            updated=saved.updated,
            unchanged=saved.unchanged,
            error=result.error,
            duration=result.duration,
            next_poll=poll.next_poll,
            warning=warning,
        )
        reports.append(report)
        if on_source is not None:
            on_source(report)

    with FeedParser.for_sources(len(states), parse_workers) as parser:
        try:
            async with (
                Fetcher(limits) as fetcher,
                StoreWriter(store) as writer,
                asyncio.TaskGroup() as sources,
            ):
                async for fetched in fetcher.fetch_all(requests):
                    await in_flight.acquire()
                    sources.create_task(one_source(fetcher, fetched))
        except BaseExceptionGroup as group:
            # callers expect the error itself (a StoreError, a bug), as with a sequential pass;
            # its own cause stays, the group that only carried it is left out of the traceback
            first = group.exceptions[0]
            raise first from first.__cause__
    reports.sort(key=lambda r: r.source)
    return PassReport(tuple(reports), tuple(new_ids), tuple(changed_ids))


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
            default_language=state.source.language,
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

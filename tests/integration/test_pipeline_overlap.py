"""A pass big enough to parse in worker processes, with its store writes on the writer thread:
the same results as a small inline pass, 304s batched yet one fetch_log row each, a store that
cannot be used surfacing as itself, a save refused for one source failing only that source."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest

from aggregator import clock
from aggregator.config import Settings, parse_settings
from aggregator.errors import StoreError, StoreUnavailableError
from aggregator.model import Article, FetchOutcome, FetchResult, Validators
from aggregator.parse import parse_feed
from aggregator.pipeline.poll import SourceReport, fetch_and_store, run_pass
from aggregator.pipeline.writer import StoreWriter
from aggregator.store import FetchToSave, PollStateLike, SaveReport, SourceState, Store, open_store
from aggregator.store.engine import create_store_engine, normalise_url
from tests.support.server import FeedServer

SOURCES = 24  # above parse_pool.POOL_MIN_SOURCES: this pass parses in a worker process


def _feed(n: int) -> str:
    items = "".join(
        f"<item><title>Office {n} notice {i}</title><link>https://office{n}.example/n{i}</link>"
        f"<guid>n{i}</guid><pubDate>Tue, 24 Nov 2026 0{i}:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;The office said notice {i} stands.&lt;/p&gt;</description></item>"
        for i in range(3)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Office {n}</title><link>https://office{n}.example/</link><description>d"
        f"</description>{items}</channel></rss>"
    )


def _settings(server: FeedServer, names: Sequence[str]) -> str:
    lines = ["settings:", "  allow_private_networks: true", "sources:"]
    for name in names:
        lines += [
            f"  - name: {name}",
            f"    url: {server.url('/' + name)}",
            "    kind: outlet",
            f"    publisher: {name}",
        ]
    return "\n".join(lines) + "\n"


class CountingStore(Store):
    """A real store that counts its write transactions for fetches."""

    transactions: list[int]

    def save_fetch(
        self,
        state: SourceState,
        result: FetchResult,
        articles: Sequence[Article],
        poll: PollStateLike,
        *,
        now: datetime,
    ) -> SaveReport:
        self.transactions.append(1)
        return super().save_fetch(state, result, articles, poll, now=now)

    def save_fetches(self, fetches: Sequence[FetchToSave]) -> list[SaveReport]:
        self.transactions.append(len(fetches))
        return super().save_fetches(fetches)


def _counting(url: str) -> CountingStore:
    parsed = normalise_url(url)
    store = CountingStore(create_store_engine(parsed), parsed)
    store.upgrade()
    store.transactions = []
    return store


def test_a_big_pass_parses_in_workers_and_stores_everything(
    feed_server: FeedServer, db_url: str
) -> None:
    names = [f"office-{n:02d}" for n in range(SOURCES)]
    for n, name in enumerate(names):
        feed_server.add(f"/{name}", _feed(n), content_type="application/rss+xml", etag=True)
    feed_server.add(f"/{names[5]}", "<html><head><title>Moved</title></head></html>")
    settings = parse_settings(_settings(feed_server, names))
    seen: list[SourceReport] = []
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        report = run_pass(store, settings, force=True, on_source=seen.append)

        assert [s.source for s in report.sources] == names
        assert sorted(s.source for s in seen) == names  # each reported once, as committed
        broken = report.sources[5]
        assert broken.outcome is FetchOutcome.FAILED
        assert "HTML page" in (broken.error or "")
        assert report.new == 3 * (SOURCES - 1)
        assert store.article_count() == 3 * (SOURCES - 1)
        stored = {a.canonical_url for a in store.articles(source=names[7])}
        assert stored == {f"https://office7.example/n{i}" for i in range(3)}
        assert len(store.recent_fetch_log(limit=100)) == SOURCES
        assert len(_claimable(store)) == SOURCES  # every lease was released


def _claimable(store: Store) -> list[SourceState]:
    """The sources another owner can claim now: all of them, unless a lease was left behind."""
    return store.claim_due(now=clock.now(), owner="checker", lease=timedelta(seconds=1), force=True)


def test_unchanged_sources_are_logged_one_row_each(feed_server: FeedServer, db_url: str) -> None:
    names = [f"office-{n:02d}" for n in range(SOURCES)]
    for n, name in enumerate(names):
        feed_server.add(f"/{name}", _feed(n), content_type="application/rss+xml", etag=True)
    settings = parse_settings(_settings(feed_server, names))
    store = _counting(db_url)
    with store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        run_pass(store, settings, force=True)
        store.transactions.clear()
        report = run_pass(store, settings, force=True)

        assert {s.outcome for s in report.sources} == {FetchOutcome.NOT_MODIFIED}
        assert sum(store.transactions) == SOURCES
        log = store.recent_fetch_log(limit=200)
        assert len(log) == 2 * SOURCES
        assert sorted(r.source for r in log if r.outcome is FetchOutcome.NOT_MODIFIED) == names
        assert len(_claimable(store)) == SOURCES  # every lease was released


def _unsynced_state(settings_text: str) -> tuple[Settings, SourceState]:
    settings = parse_settings(settings_text)
    state = SourceState(
        source=settings.to_sources()[0],
        validators=Validators(),
        failures=0,
        next_poll_at=clock.now(),
        disabled_reason=None,
        last_error=None,
    )
    return settings, state


@pytest.mark.fault
def test_an_unusable_store_ends_the_pass_as_itself(feed_server: FeedServer, db_url: str) -> None:
    feed_server.add("/office", _feed(1), content_type="application/rss+xml")
    settings, state = _unsynced_state(_settings(feed_server, ["office"]))
    # a database without the schema: nothing can be stored for anyone
    unusable = pytest.raises(StoreUnavailableError, match="no schema")
    with open_store(db_url, upgrade=False) as store, unusable as err:
        asyncio.run(
            fetch_and_store(
                store,
                [state],
                settings.fetch_limits(),
                backoff_max=timedelta(hours=1),
                rng=random.Random(1),
            )
        )
    assert err.value.__suppress_context__  # the task group is not part of the story


@pytest.mark.fault
def test_a_save_refused_for_one_source_is_that_sources_failure(
    feed_server: FeedServer, db_url: str
) -> None:
    feed_server.add("/ghost", _feed(1), content_type="application/rss+xml")
    settings, state = _unsynced_state(_settings(feed_server, ["ghost"]))
    # "ghost" was never synced: saving it fails, and so does recording that failure
    with open_store(db_url) as store:
        report = asyncio.run(
            fetch_and_store(
                store,
                [state],
                settings.fetch_limits(),
                backoff_max=timedelta(hours=1),
                rng=random.Random(1),
            )
        )
    (ghost,) = report.sources
    assert ghost.outcome is FetchOutcome.FAILED
    assert ghost.error is not None
    assert ghost.error.startswith("unknown source: ghost")
    assert "(not recorded: unknown source: ghost" in ghost.error


@pytest.mark.fault
def test_save_fetches_is_all_or_nothing(db_url: str, feed_server: FeedServer) -> None:
    settings = parse_settings(_settings(feed_server, ["a", "b"]))
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources()[:1], now=clock.now())  # "b" is unknown
        a, b = (
            SourceState(
                source=s,
                validators=Validators(),
                failures=0,
                next_poll_at=clock.now(),
                disabled_reason=None,
                last_error=None,
            )
            for s in settings.to_sources()
        )
        now = clock.now()

        def fetch(state: SourceState) -> FetchToSave:
            result = FetchResult(
                source=state.source.name,
                requested_url=state.source.url,
                outcome=FetchOutcome.NOT_MODIFIED,
                status=304,
            )
            return FetchToSave(state, result, [], _Poll(now + timedelta(hours=1)), now)

        with pytest.raises(StoreError, match="unknown source: b"):
            store.save_fetches([fetch(a), fetch(b)])
        assert store.recent_fetch_log() == []
        reports = store.save_fetches([fetch(a), fetch(a)])
        assert [r.new for r in reports] == [0, 0]
        assert len(store.recent_fetch_log()) == 2


class _Poll:
    def __init__(self, next_poll: datetime) -> None:
        self.failures = 0
        self.next_poll = next_poll
        self.disabled_reason: str | None = None
        self.last_error: str | None = None


@pytest.mark.fault
def test_the_writer_fails_only_the_fetch_it_could_not_commit(
    db_url: str, feed_server: FeedServer
) -> None:
    settings = parse_settings(_settings(feed_server, ["a", "b"]))
    with open_store(db_url) as store:
        store.sync_sources(settings.to_sources()[:1], now=clock.now())
        now = clock.now()
        states = [
            SourceState(
                source=s,
                validators=Validators(),
                failures=0,
                next_poll_at=now,
                disabled_reason=None,
                last_error=None,
            )
            for s in settings.to_sources()
        ]
        failed = [
            FetchToSave(
                state,
                FetchResult(
                    source=state.source.name,
                    requested_url=state.source.url,
                    outcome=FetchOutcome.FAILED,
                    error="boom",
                ),
                [],
                _Poll(now),
                now,
            )
            for state in states
        ]
        body = _feed(1).encode()
        ok = FetchToSave(
            states[0],
            FetchResult(source="a", requested_url=states[0].source.url, outcome=FetchOutcome.OK),
            list(parse_feed(body, source="a").articles),
            _Poll(now),
            now,
        )
        # one round: the fetch with entries commits alone, the two failures share a transaction
        # that the unknown source "b" rolls back; then each is tried on its own
        fetches = [failed[0], ok, failed[1]]

        async def save_all() -> list[SaveReport | BaseException]:
            async with StoreWriter(store) as writer:
                return await asyncio.gather(
                    *(writer.save(f) for f in fetches), return_exceptions=True
                )

        first, second, third = asyncio.run(save_all())
        assert isinstance(second, SaveReport)
        assert second.new == 3
        assert isinstance(first, SaveReport), "a's failure is not b's fault"
        assert isinstance(third, StoreError)
        assert "unknown source: b" in str(third)
        log = store.recent_fetch_log()
        assert sorted((r.source, r.outcome) for r in log) == [
            ("a", FetchOutcome.FAILED),
            ("a", FetchOutcome.OK),
        ]


def test_bookkeeping_queued_together_shares_one_transaction(
    db_url: str, feed_server: FeedServer
) -> None:
    names = [f"office-{n}" for n in range(5)]
    settings = parse_settings(_settings(feed_server, names))
    store = _counting(db_url)
    with store:
        store.sync_sources(settings.to_sources(), now=clock.now())
        now = clock.now()
        fetches = [
            FetchToSave(
                state,
                FetchResult(
                    source=state.source.name,
                    requested_url=state.source.url,
                    outcome=FetchOutcome.NOT_MODIFIED,
                    status=304,
                ),
                [],
                _Poll(now + timedelta(hours=1)),
                now,
            )
            for state in store.claim_due(
                now=now, owner="me", lease=timedelta(minutes=1), force=True
            )
        ]

        async def save_all() -> list[SaveReport]:
            async with StoreWriter(store) as writer:
                return await asyncio.gather(*(writer.save(f) for f in fetches))

        assert len(asyncio.run(save_all())) == 5
        assert store.transactions == [5]
        assert sorted(r.source for r in store.recent_fetch_log()) == names
        assert len(_claimable(store)) == 5  # the leases of "me" were released

"""Builders shared by the store tests (no tests here; the sample values are our own)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from aggregator.model import (
    Article,
    FetchOutcome,
    FetchResult,
    Source,
    SourceKind,
    Statement,
    StatementKind,
    Validators,
)
from aggregator.store import SourceState, Store

R = TypeVar("R")

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
AUTO = "auto"


@dataclass(frozen=True, slots=True)
class Poll:
    """Structurally a fetch.schedule.PollState, which the store accepts by shape."""

    failures: int = 0
    next_poll: datetime = T0 + timedelta(minutes=15)
    disabled_reason: str | None = None
    last_error: str | None = None


def make_source(
    name: str,
    url: str | None = None,
    *,
    kind: SourceKind = "outlet",
    publisher: str | None = None,
    interval: timedelta = timedelta(minutes=15),
    enabled: bool = True,
) -> Source:
    return Source(
        name=name,
        url=url or f"https://{name}.example.org/feed.xml",
        kind=kind,
        publisher=publisher or name.title(),
        interval=interval,
        enabled=enabled,
    )


def make_article(
    src: str,
    guid: str,
    url: str | None = AUTO,
    *,
    body: str = "v1",
    published: datetime | None = T0 - timedelta(hours=1),
) -> Article:
    if url == AUTO:
        url = f"https://news.example.org/{src}/{guid}"
    return Article(
        source=src,
        guid=guid,
        url=url,
        title=f"Title {guid} {body}",
        summary=f"Summary of {guid}: {body}",
        text=f"Ministers met about {guid}. {body}",
        html=None,
        published=published,
        updated=None,
        language="en",
        author=None,
        content_hash=f"hash-{guid}-{body}",
        link=url,
    )


def make_result(
    src: str,
    outcome: FetchOutcome = FetchOutcome.OK,
    *,
    status: int | None = 200,
    etag: str | None = 'W/"1"',
    permanent_redirect: str | None = None,
    error: str | None = None,
) -> FetchResult:
    return FetchResult(
        source=src,
        requested_url=f"https://{src}.example.org/feed.xml",
        outcome=outcome,
        status=status,
        body=b"<rss/>" if outcome == FetchOutcome.OK else None,
        validators=Validators(etag=etag, last_modified="Sun, 01 Mar 2026 07:00:00 GMT"),
        permanent_redirect=permanent_redirect,
        error=error,
        error_type="HTTPStatusError" if error else None,
        duration=0.25,
        fetched_at=T0,
    )


def claim_one(store: Store, name: str, *, owner: str = "w1", now: datetime = T0) -> SourceState:
    states = store.claim_due(now=now, owner=owner, lease=LEASE, names=[name])
    assert [s.source.name for s in states] == [name]
    return states[0]


def save_articles(
    store: Store, name: str, articles: list[Article], *, now: datetime = T0
) -> list[int]:
    """Store ``articles`` as one fetch of source ``name`` (synced if new); their article ids."""
    if name not in {s.name for s in store.source_status()}:
        known = [make_source(s.name) for s in store.source_status()]
        store.sync_sources([*known, make_source(name)], now=now)
    state = claim_one(store, name, now=now)
    poll = Poll(next_poll=now + timedelta(minutes=15))  # due again one interval after ``now``
    store.save_fetch(state, make_result(name), articles, poll, now=now)
    by_url = {a.canonical_url: a.id for a in store.articles(source=name)}
    return [by_url[a.url] for a in articles]


def make_statement(
    text: str,
    *,
    start: int = 0,
    speaker: str | None = "the minister",
    actor: str | None = None,
    side: str | None = None,
    kind: StatementKind = "direct",
    cue: str | None = "said",
) -> Statement:
    return Statement(
        text=text,
        start=start,
        end=start + len(text),
        kind=kind,
        cue=cue,
        speaker=speaker,
        speaker_start=None if speaker is None else start + len(text) + 2,
        speaker_end=None if speaker is None else start + len(text) + 2 + len(speaker),
        actor=actor,
        role="minister" if speaker else None,
        side=side,
        cue_start=None,
        cue_end=None,
    )


def run_together(workers: int, job: Callable[[int], R]) -> list[R]:
    """Run ``job(i)`` in ``workers`` threads released at the same instant."""
    barrier = threading.Barrier(workers)
    results: list[R | None] = [None] * workers
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = job(i)
        except BaseException as exc:  # re-raised in the main thread below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    if errors:
        raise errors[0]
    return [r for r in results if r is not None]

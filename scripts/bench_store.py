"""Benchmark the store on one database and print the figures docs/store.md quotes.

Usage::

    .venv/bin/python scripts/bench_store.py [DB_URL] [--entries N]

DB_URL defaults to a new SQLite file in a temporary folder; for PostgreSQL pass an empty
database, e.g. ``postgresql://postgres@127.0.0.1:5432/bench`` (the script creates the schema
and leaves its rows behind). Steps, each timed on its own:

- ``save_fetch`` of N new entries (~2 KB of text each) in one call, the same again (all
  unchanged), then all N changed;
- ``replace_statements`` of 5 statements for each of the N articles (one transaction each),
  then the same statements again (only the version moves); then ``replace_statements_many``
  by 500 articles a transaction, changed statements, then identical ones;
- ``save_grouping`` of the N articles into N/10 events in one call;
- ``events_in_period`` over those events;
- the digest ledger: claim, save_rendered, mark_sending, mark_sent for 200 periods.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TypeVar

from aggregator.group import EventUpdate, GroupingStep
from aggregator.model import Article, FetchOutcome, FetchResult, Source, Statement
from aggregator.store import Store, open_store

NOW = datetime(2026, 3, 1, tzinfo=UTC)
T = TypeVar("T")


@dataclass(frozen=True)
class Poll:
    """Structurally a fetch.schedule.PollState."""

    failures: int = 0
    next_poll: datetime = NOW + timedelta(minutes=15)
    disabled_reason: str | None = None
    last_error: str | None = None


def batch(n: int, version: str) -> list[Article]:
    """``n`` entries of our own invented text; ``version`` changes their content hash."""
    return [
        Article(
            source="bench",
            guid=f"guid-{i}",
            url=f"https://bench.example.org/story/{i}",
            title=f"Story {i} {version}",
            summary="A minister said something about talks. " * 3,
            text="Paragraph of statement text. " * 60,
            html=None,
            published=NOW - timedelta(minutes=i),
            updated=None,
            language="en",
            author="Desk",
            content_hash=f"{i}-{version}",
            link=f"https://bench.example.org/story/{i}?utm=x",
        )
        for i in range(n)
    ]


def statements(i: int, variant: str = "") -> list[Statement]:
    """Five statements for article ``i``, on two sides."""
    return [
        Statement(
            text=f"Statement {k} of story {i}: we will keep talking{variant}",
            start=k * 100,
            end=k * 100 + 40,
            kind="direct",
            cue="said",
            speaker="the envoy",
            speaker_start=k * 100 + 45,
            speaker_end=k * 100 + 54,
            actor="Envoy",
            role="envoy",
            side=("Veskaria", "Oradin")[k % 2],
        )
        for k in range(5)
    ]


def timed(label: str, dialect: str, step: Callable[[], T]) -> T:
    """Run ``step`` once and print how long it took."""
    start = time.perf_counter()
    result = step()
    print(f"{dialect:10s} {label:42s} {time.perf_counter() - start:7.3f} s")
    return result


def bench_fetch(store: Store, n: int) -> list[int]:
    result = FetchResult("bench", "https://bench.example.org/feed", FetchOutcome.OK, status=200)
    for label, articles in (
        ("new", batch(n, "v1")),
        ("unchanged", batch(n, "v1")),
        ("changed", batch(n, "v2")),
    ):
        state = store.claim_due(
            now=NOW, owner="bench", lease=timedelta(minutes=5), names=["bench"]
        )[0]
        report = timed(
            f"save_fetch {n} entries, {label}",
            store.dialect,
            partial(store.save_fetch, state, result, articles, Poll(), now=NOW),
        )
        assert report.new + report.updated + report.unchanged == n
    # newest first: entry i's article (published i minutes before NOW), whatever its id (new
    # articles are inserted in the order of their URL keys, not of the batch)
    return [a.id for a in store.articles()]


def bench_statements(store: Store, ids: list[int]) -> None:
    def extract_all(version: str) -> None:
        for i, article_id in enumerate(ids):
            store.replace_statements(article_id, statements(i), version=version)

    def extract_batches(version: str, variant: str) -> None:
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            items = [
                (article_id, statements(start + i, variant)) for i, article_id in enumerate(part)
            ]
            store.replace_statements_many(items, version=version)

    for label, version in (("new", "x1"), ("identical", "x2")):
        timed(
            f"replace_statements {len(ids)} x 5, {label}",
            store.dialect,
            partial(extract_all, version),
        )
    for label, version in (("changed", "x3"), ("identical", "x4")):
        timed(
            f"replace_statements_many by 500, {label}",
            store.dialect,
            partial(extract_batches, version, "!"),
        )


def bench_events(store: Store, ids: list[int]) -> None:
    events = len(ids) // 10
    step = GroupingStep(
        assignments=tuple(
            (str(article_id), f"ev-{i % events}") for i, article_id in enumerate(ids)
        ),
        events=tuple(
            EventUpdate(f"ev-{e}", f"Event {e}", NOW - timedelta(hours=2), NOW - timedelta(hours=1))
            for e in range(events)
        ),
    )
    timed(
        f"save_grouping {len(ids)} articles, {events} events",
        store.dialect,
        lambda: store.save_grouping(step, now=NOW),
    )
    details = timed(
        f"events_in_period, {events} events",
        store.dialect,
        lambda: store.events_in_period(NOW - timedelta(days=1), NOW + timedelta(days=1)),
    )
    assert len(details) == events


def bench_ledger(store: Store) -> None:
    def send_all() -> None:
        for day in range(200):
            start = NOW - timedelta(days=day + 1)
            claim = store.claim_digest(
                "bench",
                start.date().isoformat(),
                start,
                start + timedelta(days=1),
                owner="bench",
                lease=timedelta(minutes=5),
                now=NOW,
            )
            assert claim is not None
            store.save_rendered(claim.id, owner="bench", message_id=f"<{day}@b>", eml="x" * 50_000)
            assert store.mark_sending(claim.id, owner="bench", now=NOW)
            store.mark_sent(claim.id, owner="bench", now=NOW)

    timed("ledger: 200 x claim/render/sending/sent", store.dialect, send_all)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("url", nargs="?", help="database URL (default: a new SQLite file)")
    parser.add_argument("--entries", type=int, default=10_000, help="entries (default 10000)")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    with open_store(url) as store:
        store.sync_sources(
            [Source("bench", "https://bench.example.org/feed", "wire", "Bench")], now=NOW
        )
        ids = bench_fetch(store, args.entries)
        bench_statements(store, ids)
        bench_events(store, ids)
        bench_ledger(store)


if __name__ == "__main__":
    main()

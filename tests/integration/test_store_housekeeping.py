"""Daemon heartbeats and backfill checkpoints on real SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from aggregator.errors import StoreError
from aggregator.store import Store, open_store
from tests.integration.test_store_support import T0, make_source

MIN = timedelta(minutes=1)
DAY = timedelta(days=1)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def test_heartbeats_upsert_and_show_who_is_alive(store: Store) -> None:
    store.beat("host-a:10", host="host-a", pid=10, version="0.1.0", now=T0)
    store.beat("host-b:20", host="host-b", pid=20, version="0.1.0", now=T0)
    store.beat("host-a:10", host="host-a", pid=10, version="0.1.1", now=T0 + 2 * MIN)
    rows = store.daemons(now=T0 + 2 * MIN)
    assert [(d.id, d.version, d.started_at, d.last_beat_at, d.state) for d in rows] == [
        ("host-a:10", "0.1.1", T0, T0 + 2 * MIN, "running"),
        ("host-b:20", "0.1.0", T0, T0, "running"),
    ]
    alive = store.daemons(alive_within=MIN, now=T0 + 2 * MIN)
    assert [d.id for d in alive] == ["host-a:10"]

    store.beat(
        "host-a:10", host="host-a", pid=10, version="0.1.1", now=T0 + 3 * MIN, state="stopped"
    )
    assert store.daemons(alive_within=DAY, now=T0 + 3 * MIN)[0].id == "host-b:20"
    # started again after a stop: a new start time
    store.beat("host-a:10", host="host-a", pid=10, version="0.1.1", now=T0 + 4 * MIN)
    assert store.daemons(now=T0)[0].started_at == T0 + 4 * MIN
    # same owner id, another process: also a restart
    store.beat("host-a:10", host="host-a", pid=11, version="0.1.1", now=T0 + 5 * MIN)
    assert (store.daemons(now=T0)[0].pid, store.daemons(now=T0)[0].started_at) == (
        11,
        T0 + 5 * MIN,
    )


def test_prune_daemons(store: Store) -> None:
    store.beat("old", host="h", pid=1, version="0.1.0", now=T0 - DAY)
    store.beat("new", host="h", pid=2, version="0.1.0", now=T0)
    assert store.prune_daemons(T0 - timedelta(hours=1)) == 1
    assert [d.id for d in store.daemons(now=T0)] == ["new"]
    assert store.prune_daemons(T0 - timedelta(hours=1)) == 0


def test_checkpoints_resume_and_finish(store: Store) -> None:
    store.sync_sources([make_source("un"), make_source("nato")], now=T0)
    start, end = T0 - 30 * DAY, T0
    assert store.checkpoint("un", start, end) is None
    store.save_checkpoint(
        "un",
        start,
        end,
        cursor="https://un.example.org/feed?page=2",
        pages_done=1,
        entries_done=50,
        finished=False,
        now=T0,
    )
    store.save_checkpoint(
        "un", start, end, cursor="3", pages_done=2, entries_done=95, finished=False, now=T0 + MIN
    )
    got = store.checkpoint("un", start, end)
    assert got is not None
    assert (got.source, got.range_start, got.range_end) == ("un", start, end)
    assert (got.cursor, got.pages_done, got.entries_done, got.updated_at) == ("3", 2, 95, T0 + MIN)
    assert not got.finished
    # another range and another source are other checkpoints
    assert store.checkpoint("un", start, end - DAY) is None
    assert store.checkpoint("nato", start, end) is None

    store.save_checkpoint(
        "un",
        start,
        end,
        cursor=None,
        pages_done=3,
        entries_done=120,
        finished=True,
        now=T0 + 2 * MIN,
    )
    done = store.checkpoint("un", start, end)
    assert done is not None
    assert (done.finished, done.finished_at, done.cursor) == (True, T0 + 2 * MIN, None)


def test_checkpoint_errors(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown source"):
        store.checkpoint("tass", T0 - DAY, T0)
    store.sync_sources([make_source("un")], now=T0)
    with pytest.raises(ValueError, match="empty range"):
        store.save_checkpoint(
            "un", T0, T0, cursor=None, pages_done=0, entries_done=0, finished=False, now=T0
        )

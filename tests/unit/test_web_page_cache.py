"""The page cache's bookkeeping: one store token at a time, a bound on the bodies kept."""

from __future__ import annotations

import pytest

from aggregator.web.cache import Kept, PageCache, cacheable


def key(path: str) -> tuple[str, bytes, object, str, str, bytes]:
    return ("http", b"archive.example", (), "", path, b"")


def kept(size: int) -> Kept:
    return Kept(headers=(), body=b"x" * size, route=None)


def test_an_answer_is_given_again_under_the_same_token_only() -> None:
    cache = PageCache(1000)
    assert cache.get("t1", key("/events/a")) is None
    cache.put("t1", key("/events/a"), kept(10))

    assert cache.get("t1", key("/events/a")) == kept(10)
    assert cache.get("t2", key("/events/a")) is None  # the store changed: all dropped
    assert cache.get("t1", key("/events/a")) is None
    assert cache.size == 0


def test_an_answer_read_before_a_change_is_not_kept_after_it() -> None:
    cache = PageCache(1000)
    cache.get("t1", key("/events/a"))
    cache.get("t2", key("/events/b"))  # a later request saw the store change
    cache.put("t1", key("/events/a"), kept(10))  # the slow first request ends

    assert cache.get("t2", key("/events/a")) is None


def test_the_least_recently_used_go_first_beyond_the_bound() -> None:
    cache = PageCache(800)
    cache.get("t", key("/x"))
    for name in "abc":
        cache.put("t", key(f"/events/{name}"), kept(100))
    cache.get("t", key("/events/a"))  # a is used again: b is now the oldest
    for name in "defghi":
        cache.put("t", key(f"/events/{name}"), kept(100))

    assert cache.size <= 800
    assert cache.get("t", key("/events/b")) is None
    assert cache.get("t", key("/events/a")) is not None
    cache.put("t", key("/events/huge"), kept(101))  # more than an eighth of the bound
    assert cache.get("t", key("/events/huge")) is None


@pytest.mark.parametrize(
    ("path", "cached"),
    [
        ("/events/ev-1", True),
        ("/actors/jane-roe", True),
        ("/search", True),
        ("/api/v1/events/ev-1", True),
        ("/api/v1/search", True),
        ("/api/v1/actors/jane-roe", True),
        ("/", False),  # the clock: the latest digest, the calendar
        ("/digests/daily/2026-11-24", False),
        ("/api/v1/events", False),  # today's events by default
        ("/searching", False),
        ("/healthz", False),
        ("/metrics", False),
        ("/feeds/daily.atom", False),
        ("/static/web.css", False),
    ],
)
def test_which_routes_are_cached(path: str, cached: bool) -> None:
    assert cacheable(path) is cached

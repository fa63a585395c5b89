"""The page cache's bookkeeping: one store token at a time, a bound on the bodies kept."""

from __future__ import annotations

import asyncio

import pytest
from starlette.types import Message, Receive, Scope, Send

from aggregator.errors import StoreUnavailableError
from aggregator.web.cache import Kept, PageCache, PageCacheMiddleware, _cost, cacheable


def key(path: str) -> tuple[str, bytes, object, str, str, bytes]:
    return ("http", b"archive.example", (), "", path, b"")


def kept(size: int) -> Kept:
    return Kept(headers=(), body=b"x" * size, route=None)


def test_an_answer_is_given_again_under_the_same_token_only() -> None:
    cache = PageCache(100_000)
    assert cache.get("t1", key("/events/a")) is None
    cache.put("t1", key("/events/a"), kept(10))

    assert cache.get("t1", key("/events/a")) == kept(10)
    assert cache.get("t2", key("/events/a")) is None  # the store changed: all dropped
    assert cache.get("t1", key("/events/a")) is None
    assert cache.size == 0


def test_an_answer_read_before_a_change_is_not_kept_after_it() -> None:
    cache = PageCache(100_000)
    cache.get("t1", key("/events/a"))
    cache.get("t2", key("/events/b"))  # a later request saw the store change
    cache.put("t1", key("/events/a"), kept(10))  # the slow first request ends

    assert cache.get("t2", key("/events/a")) is None


def test_the_least_recently_used_go_first_beyond_the_bound() -> None:
    one = _cost(key("/events/a"), kept(100))
    bound = 8 * one + 7  # eight entries of this size
    cache = PageCache(bound)
    cache.get("t", key("/x"))
    for name in "abc":
        cache.put("t", key(f"/events/{name}"), kept(100))
    cache.get("t", key("/events/a"))  # a is used again: b is now the oldest
    for name in "defghi":
        cache.put("t", key(f"/events/{name}"), kept(100))

    assert cache.size <= bound
    assert cache.get("t", key("/events/b")) is None
    assert cache.get("t", key("/events/a")) is not None
    cache.put("t", key("/events/huge"), kept(one))  # costs more than an eighth of the bound
    assert cache.get("t", key("/events/huge")) is None


def test_many_tiny_answers_under_long_keys_stay_within_the_bound() -> None:
    # a client may vary the host and pad the query string: each entry costs its key and the
    # objects that hold it, not only its small body
    bound = 100_000
    cache = PageCache(bound)
    cache.get("t", key("/x"))
    keys = [
        ("http", b"host-%d.example" % i, (), "", "/api/v1/search", b"q=z&pad=" + b"x" * 1500)
        for i in range(1000)
    ]
    for k in keys:
        cache.put("t", k, kept(80))

    assert cache.size <= bound
    assert sum(cache.get("t", k) is not None for k in keys) <= bound // 2000


def test_a_token_that_cannot_be_read_skips_the_cache() -> None:
    answered: list[int] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 503, "headers": []})
        await send({"type": "http.response.body", "body": b"store unavailable"})

    def token() -> str:
        raise StoreUnavailableError("the file is locked")

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            answered.append(message["status"])

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    middleware = PageCacheMiddleware(app, token=token, max_bytes=10_000, inline=True)
    scope = {"type": "http", "method": "GET", "path": "/events/ev-1", "headers": []}
    asyncio.run(middleware(scope, receive, send))

    assert answered == [503]  # the app's own answer, not an error from the cache


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

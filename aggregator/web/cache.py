"""The page cache: a worker keeps the answers it made and gives them again while the store is
unchanged.

    GET of a cached route (:func:`cacheable`: an event, an actor, a search; page or API)
      token = store.change_token()        a read of the store: SQLite's on the event loop (a
                                          PRAGMA on a local file), PostgreSQL's in a thread
                                          of its own limiter (a round trip)
      token not the cache's               everything kept is dropped (an older store's pages)
      kept under (scheme, host, server, root path, path, query)  -> that answer again, x-cache: hit
      else the app answers (x-cache: miss), and a 200 of at most max_bytes / 8 is kept
    at most max_bytes are kept (bodies, keys, headers, 512 bytes an entry); the least recently
    used go first; a token that cannot be read skips the cache for that request

Correct with any number of workers, daemons and hosts on one store: the token changes with any
commit to the store, by any process (``Store.change_token``, ``store/changes.py``), and it is
read before the answer is made, so an answer is never given for a store that has changed since
it was read. What is not cached depends on the clock (``/``, a digest day, the API's events of
today) or on nothing in the store (``/healthz``, the stylesheets). The key holds the host and
scheme because the pages' links are absolute; authorisation is checked outside, before it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aggregator.errors import StoreError

#: the routes whose answers depend on the store alone (their paths: exact, or the prefix)
CACHED_PATHS = frozenset({"/search", "/api/v1/search"})
CACHED_PREFIXES = ("/events/", "/actors/", "/api/v1/events/", "/api/v1/actors/")
#: bodies kept a worker, by default: some 800 pages of 10 KB (an event page's median size on
#: the benchmark's store); the bound is what the cache may add to a worker's memory
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
#: token reads at once, apart from the page handlers' threads (a hit never waits for them);
#: one, so that with the handlers' four they stay within the pool's five connections
TOKEN_THREADS = 1

Key = tuple[str, bytes, object, str, str, bytes]


def cacheable(path: str) -> bool:
    """Whether the answer at ``path`` may be cached (see the module docstring)."""
    return path in CACHED_PATHS or path.startswith(CACHED_PREFIXES)


@dataclass(frozen=True, slots=True)
class Kept:
    """One answer: its headers, body, and the route that made it (for the latency metric)."""

    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    route: Any


class PageCache:
    """Answers under one store token, least recently used dropped first beyond ``max_bytes``.
    Used from the event loop's thread only."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._token: str | None = None
        self._kept: OrderedDict[Key, Kept] = OrderedDict()
        self._size = 0

    def get(self, token: str, key: Key) -> Kept | None:
        """The answer kept under ``key`` for the store at ``token``."""
        if token != self._token:
            self._kept.clear()
            self._size = 0
            self._token = token
            return None
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def put(self, token: str, key: Key, kept: Kept) -> None:
        """Keep ``kept``, unless the store has changed since ``token`` or it is too big."""
        cost = _cost(key, kept)
        if token != self._token or cost > self.max_bytes // 8:
            return
        previous = self._kept.pop(key, None)
        if previous is not None:
            self._size -= _cost(key, previous)
        self._kept[key] = kept
        self._size += cost
        while self._size > self.max_bytes:
            dropped_key, dropped = self._kept.popitem(last=False)
            self._size -= _cost(dropped_key, dropped)

    @property
    def size(self) -> int:
        """Bytes the kept entries cost (bodies, keys, headers and overhead: :func:`_cost`)."""
        return self._size


class PageCacheMiddleware:
    """Serves the cached routes from a :class:`PageCache` (see the module docstring)."""

    def __init__(
        self, app: ASGIApp, *, token: Callable[[], str], max_bytes: int, inline: bool = False
    ) -> None:
        self.app = app
        self.token = token
        self.cache = PageCache(max_bytes)
        # inline: the token is read on the loop's own thread. Under load a hop to a thread and
        # back waits twice for the interpreter lock, which the page handlers' threads hold
        self.inline = inline
        self._limiter: CapacityLimiter | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not cacheable(scope["path"]):
            await self.app(scope, receive, send)
            return
        try:
            token = self.token() if self.inline else await self._token_in_thread()
        except StoreError:
            # the store cannot say whether it changed: answer without the cache, and let the
            # app meet the store's trouble where its error pages are made
            await self.app(scope, receive, send)
            return
        key = _key(scope)
        kept = self.cache.get(token, key)
        if kept is not None:
            scope["route"] = kept.route  # as the router would have: the latency metric's label
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [*kept.headers, (b"x-cache", b"hit")],
                }
            )
            await send({"type": "http.response.body", "body": kept.body})
            return
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        body: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                message = {**message, "headers": [*headers, (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        if status == 200:
            self.cache.put(token, key, Kept(tuple(headers), b"".join(body), scope.get("route")))

    async def _token_in_thread(self) -> str:
        if self._limiter is None:
            self._limiter = CapacityLimiter(TOKEN_THREADS)
        return await anyio.to_thread.run_sync(self.token, limiter=self._limiter)


#: what an entry costs beyond its body, key and headers: the objects that hold them
ENTRY_OVERHEAD = 512


def _cost(key: Key, kept: Kept) -> int:
    """The memory an entry holds, as the bound counts it: its body, its key (a query string
    and a host header are the client's to make long) and its headers, and a fixed overhead, so
    that many tiny answers cannot fill a worker's memory past the bound."""
    return (
        len(kept.body)
        + len(key[1])
        + len(key[3])
        + len(key[4])
        + len(key[5])
        + sum(len(name) + len(value) for name, value in kept.headers)
        + ENTRY_OVERHEAD
    )


def _key(scope: Scope) -> Key:
    host = next((value for name, value in scope["headers"] if name == b"host"), b"")
    return (
        scope.get("scheme", "http"),
        host,
        tuple(scope.get("server") or ()),  # the base URL's host when the request names none
        scope.get("root_path", ""),
        scope["path"],
        scope.get("query_string", b""),
    )

"""Polite, bounded HTTP fetching of feeds and article pages; the only module that uses httpx.

One fetch, in pseudocode::

    for each hop (at most max_redirects redirects, no URL twice):
        wait for a slot on the host, then a global slot        (politeness)
        GuardedBackend resolves, refuses blocked addresses, connects   (SSRF guard)
        send GET with User-Agent, Accept, validators; read the status and headers
        3xx with Location -> next hop;  304/410/429/503/4xx/5xx -> a result, body unread
        2xx -> stream the raw body: cap wire bytes, decompress, cap decoded bytes -> OK
    the whole loop runs under one total deadline (slow drips included)

The slots (``max_connections`` overall, ``max_per_host`` a host) belong to the event loop, not
to one :class:`Fetcher`: every Fetcher on a loop, with the same limits, shares them. So the
daemon's passes, which run side by side on one loop, are polite together.

Expected failures come back as :class:`FetchResult` values; only bugs raise.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
import threading
import time
import weakref
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

import httpcore
import httpx

from aggregator import clock
from aggregator.config.urls import WEB_SCHEMES, url_problem
from aggregator.errors import ConfigError, FetchError, FetchTimeoutError, TooManyRedirectsError
from aggregator.fetch import headers as hdr
from aggregator.fetch.body import ACCEPT_ENCODING, BodyReader, too_large_on_wire
from aggregator.fetch.files import fetch_file, is_local
from aggregator.fetch.guard import AddressPolicy, GuardedBackend
from aggregator.fetch.outcomes import Response, Trail, failed, final_result
from aggregator.model import FetchLimits, FetchResult, Validators
from aggregator.wording import plural

Mode = Literal["feed", "page"]
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
# Bodies of 304s, redirects and error pages up to this size are read and dropped so that the
# keep-alive connection can be reused; larger ones are abandoned and the connection closed.
_DRAIN_LIMIT = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """One feed to fetch: the source's name, its URL and the validators kept from last time."""

    source: str
    url: str
    validators: Validators = field(default_factory=Validators)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every Fetcher: loading the CA bundle costs ~20 ms."""
    return httpx.create_ssl_context(trust_env=False)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool rebuilt on the SSRF-guarded network backend.

    httpx does not take a network backend as an argument, so the pool it builds is replaced;
    tests/integration/test_fetch_http.py (the blocked-redirect test) fails if this stops working.
    """

    def __init__(self, policy: AddressPolicy, limits: httpx.Limits) -> None:
        ssl_context = _ssl_context()
        super().__init__(verify=ssl_context, limits=limits, trust_env=False, retries=0)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            retries=0,
            network_backend=GuardedBackend(policy),
        )


class _Slots:
    """Connection slots of one event loop: ``overall`` at once, and ``per_host`` on each host.

    A host's semaphore exists while some fetch uses or waits for it, so a long-lived loop (the
    daemon's) does not keep one for every host it ever met.
    """

    def __init__(self, overall: int, per_host: int) -> None:
        self.overall = asyncio.Semaphore(overall)
        self._per_host = per_host
        self._hosts: dict[str, tuple[asyncio.Semaphore, int]] = {}

    @contextlib.asynccontextmanager
    async def host(self, host: str) -> AsyncIterator[None]:
        semaphore, users = self._hosts.get(host) or (asyncio.Semaphore(self._per_host), 0)
        self._hosts[host] = (semaphore, users + 1)
        try:
            async with semaphore:
                yield
        finally:
            semaphore, users = self._hosts[host]
            if users == 1:
                del self._hosts[host]
            else:
                self._hosts[host] = (semaphore, users - 1)


_SLOTS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[int, int], _Slots]] = (
    weakref.WeakKeyDictionary()
)
_SLOTS_LOCK = threading.Lock()  # loops on several threads may look their slots up at once


def _loop_slots(limits: FetchLimits) -> _Slots:
    """The running loop's slots for ``limits`` (created on first use)."""
    loop = asyncio.get_running_loop()
    key = (limits.max_connections, limits.max_per_host)
    with _SLOTS_LOCK:
        by_limits = _SLOTS.setdefault(loop, {})
        slots = by_limits.get(key)
        if slots is None:
            slots = by_limits[key] = _Slots(limits.max_connections, limits.max_per_host)
        return slots


class Fetcher:
    """Fetch feeds and article pages within :class:`FetchLimits`; use as an async context manager.

    >>> async with Fetcher(FetchLimits()) as fetcher:          # doctest: +SKIP
    ...     result = await fetcher.fetch(FetchRequest("un-news", url))
    """

    def __init__(self, limits: FetchLimits) -> None:
        self._limits = limits
        self._policy = AddressPolicy.from_limits(limits)  # an invalid CIDR fails here, early
        if hdr.sendable(limits.user_agent) is None:
            raise ConfigError(
                f"{limits.user_agent!r} cannot be sent as a User-Agent: use printable ASCII",
                key="user_agent",
            )
        self._client: httpx.AsyncClient | None = None
        self._slots: _Slots | None = None

    async def __aenter__(self) -> Fetcher:
        self._slots = _loop_slots(self._limits)
        pool = httpx.Limits(
            max_connections=self._limits.max_connections,
            max_keepalive_connections=self._limits.max_connections,
        )
        self._client = httpx.AsyncClient(
            transport=_GuardedTransport(self._policy, pool),
            timeout=httpx.Timeout(
                connect=self._limits.connect_timeout,
                read=self._limits.read_timeout,
                write=self._limits.read_timeout,
                pool=self._limits.total_timeout,
            ),
            follow_redirects=False,  # redirects are followed by hand: guard, count, permanence
            trust_env=False,  # a proxy from the environment would bypass the address guard
            headers={"User-Agent": self._limits.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )
        await self._client.__aenter__()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.__aexit__(*exc_info)  # the exception, as it came, to httpx's client

    async def fetch(self, request: FetchRequest) -> FetchResult:
        """Fetch one feed over http(s) or from a local file (``file://`` or an absolute path)."""
        if is_local(request.url):
            return await fetch_file(
                request.source,
                request.url,
                request.validators,
                max_bytes=self._limits.max_body_bytes,
            )
        return await self._fetch(request.source, request.url, request.validators, "feed")

    async def fetch_page(self, source: str, url: str) -> FetchResult:
        """Fetch an article page (http(s) only: a feed's links must not read local files)."""
        return await self._fetch(source, url, Validators(), "page")

    async def fetch_all(self, requests: Iterable[FetchRequest]) -> AsyncIterator[FetchResult]:
        """Fetch many feeds concurrently, yielding each result as soon as it is complete.

        The semaphores bound connections; this bounds the number of waiting tasks (a window
        several times the connection limit, so one slow host does not hold up the others).
        """
        window = max(4 * self._limits.max_connections, 64)
        todo = iter(requests)
        pending: set[asyncio.Task[FetchResult]] = set()
        try:
            while True:
                for request in todo:
                    pending.add(asyncio.create_task(self.fetch(request)))
                    if len(pending) >= window:
                        break
                if not pending:
                    return
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    yield task.result()
        finally:
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _fetch(
        self, source: str, url: str, validators: Validators, mode: Mode
    ) -> FetchResult:
        started = time.monotonic()
        fetched_at = clock.now()
        trail = Trail([url])
        try:
            async with asyncio.timeout(None) as deadline:
                response, permanent = await self._follow(trail, validators, mode, deadline)
        except TimeoutError:
            error: FetchError = FetchTimeoutError(
                f"gave up on {trail.urls[-1]} after {self._limits.total_timeout:g} s "
                "(total_timeout): the server is too slow or sends the body too slowly"
            )
            return failed(source, url, trail, error, started, fetched_at)
        except FetchError as exc:
            return failed(source, url, trail, exc, started, fetched_at)
        return final_result(
            source,
            url,
            response,
            validators,
            permanent,
            started,
            fetched_at,
            retry_after_max=timedelta(seconds=self._limits.retry_after_max),
        )

    async def _follow(
        self, trail: Trail, validators: Validators, mode: Mode, deadline: asyncio.Timeout
    ) -> tuple[Response, bool]:
        """Follow redirects from the first URL of ``trail``, recording each hop in it."""
        chain = trail.urls
        permanent = True
        while True:
            response, location = await self._hop(trail, validators, mode, deadline)
            if location is None:
                return response, permanent and len(chain) > 1
            permanent = permanent and response.status in _PERMANENT
            if location in chain:
                raise TooManyRedirectsError(
                    "redirect loop: " + " -> ".join([*chain[chain.index(location) :], location])
                )
            if len(chain) > self._limits.max_redirects:
                raise TooManyRedirectsError(
                    f"{chain[0]} redirected more than {plural(self._limits.max_redirects, 'time')} "
                    f"(max_redirects); the last hop was to {location}"
                )
            chain.append(location)

    async def _hop(
        self, trail: Trail, validators: Validators, mode: Mode, deadline: asyncio.Timeout
    ) -> tuple[Response, str | None]:
        """One request: a final response, or the resolved redirect target."""
        url = trail.urls[-1]
        client, slots = self._client, self._slots
        if client is None or slots is None:
            raise RuntimeError("use Fetcher as an async context manager: async with Fetcher(…)")
        target = _http_url(url)
        host = target.host.lower()
        # Slots are taken per hop (host, then global) and never held across hops, so no fetch
        # holds one slot while waiting for another: no deadlock, no head-of-line blocking.
        async with slots.host(host), slots.overall:
            if deadline.when() is None:
                # The total deadline counts from the first connection slot, not the queue.
                deadline.reschedule(asyncio.get_running_loop().time() + self._limits.total_timeout)
            try:
                request = client.build_request(
                    "GET", target, headers=_request_headers(validators, mode)
                )
            except (httpx.InvalidURL, ValueError) as exc:
                raise FetchError(f"cannot build a request for {url}: {exc}") from exc
            try:
                return await self._exchange(client, request, trail, mode)
            except httpx.TransportError as exc:
                raise _transport_error(url, exc, self._limits) from exc

    async def _exchange(
        self, client: httpx.AsyncClient, request: httpx.Request, trail: Trail, mode: Mode
    ) -> tuple[Response, str | None]:
        url = trail.urls[-1]
        try:
            http_response = await client.send(request, stream=True)
        except (httpx.InvalidURL, UnicodeError) as exc:
            # httpx builds the next request from a Location header even when it does not follow
            # it, and raises (IDNAError, InvalidURL) for one it cannot parse
            raise FetchError(
                f"{url} redirected to a URL that is not valid and cannot be fetched ({exc})"
            ) from exc
        try:
            headers = hdr.flatten(http_response.headers.multi_items())
            trail.status, trail.headers = http_response.status_code, headers
            response = Response(url, http_response.status_code, headers)
            if 200 <= response.status < 300:
                response.body = await self._read_body(http_response, response, mode)
                return response, None
            await _drain(http_response)
            if response.status in _REDIRECTS and "location" in headers:
                return response, _redirect_target(url, headers["location"])
            return response, None
        finally:
            await http_response.aclose()

    async def _read_body(
        self, http_response: httpx.Response, response: Response, mode: Mode
    ) -> bytes:
        content_type = response.headers.get("content-type")
        if hdr.is_binary(content_type) or (
            mode == "page" and content_type and not hdr.is_html(content_type)
        ):
            wanted = "an HTML page" if mode == "page" else "a feed"
            raise FetchError(
                f"{response.url} serves {hdr.media_type(content_type)}, not {wanted}; check the URL"
            )
        announced = response.headers.get("content-length", "").strip()
        if announced.isdigit() and int(announced) > self._limits.max_body_bytes:
            raise too_large_on_wire(response.url, self._limits.max_body_bytes, int(announced))
        reader = BodyReader(
            response.url,
            response.headers.get("content-encoding"),
            max_wire=self._limits.max_body_bytes,
            max_decoded=self._limits.max_decompressed_bytes,
        )
        async for chunk in http_response.aiter_raw():
            reader.feed(chunk)
        return reader.finish()


async def _drain(http_response: httpx.Response, limit: int = _DRAIN_LIMIT) -> None:
    """Read a small unwanted body (304, redirect, error page) so the connection is reused."""
    seen = 0
    try:
        async for chunk in http_response.aiter_raw():
            seen += len(chunk)
            if seen > limit:
                return  # not worth it: closing the response drops the connection instead
    except httpx.TransportError:
        return  # the status is all we need; a broken connection is simply not reused


def _http_url(url: str) -> httpx.URL:
    """``url`` as httpx's URL, or FetchError when no request can be built for it.

    :func:`aggregator.config.urls.url_problem` refuses what would fail later, deep in httpx or in
    ``socket.connect`` (port 80800, an empty host label, a bad IDNA name, control characters);
    httpx's own refusals are wrapped as well, whatever their type.
    """
    problem = url_problem(url)
    if problem is not None:
        raise FetchError(f"cannot fetch {url!r}: {problem}")
    try:
        target = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:  # IDNAError is a ValueError too
        raise FetchError(f"cannot fetch {url!r}: it is not a valid URL ({exc})") from exc
    if target.scheme not in WEB_SCHEMES or not target.host:
        raise FetchError(f"{url!r} is not an http(s) URL; only http and https can be fetched")
    return target


def _redirect_target(url: str, location: str) -> str:
    try:
        target = httpx.URL(url).join(location.strip())
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError(f"{url} redirected to an invalid URL {location!r}") from exc
    if target.scheme not in WEB_SCHEMES:
        raise FetchError(f"{url} redirected to {location!r}; only http(s) redirects are followed")
    resolved = str(target.copy_with(fragment=None))
    problem = url_problem(resolved)
    if problem is not None:
        raise FetchError(f"{url} redirected to {location!r}, which cannot be fetched: {problem}")
    return resolved


def _request_headers(validators: Validators, mode: Mode) -> dict[str, str]:
    accept = hdr.ACCEPT_FEED if mode == "feed" else hdr.ACCEPT_PAGE
    return {"Accept": accept, **hdr.conditional_headers(validators)}


def _reason(exc: Exception) -> str:
    """The exception's own words, or its class name when it has none (never empty parentheses)."""
    return str(exc).strip() or type(exc).__name__


#: what a transport failure tells the user, the most specific class first: (httpx's class, the
#: project's, the sentence; its fields are host, url, reason and the two timeouts)
_TRANSPORT_ERRORS: tuple[tuple[type[httpx.TransportError], type[FetchError], str], ...] = (
    (
        httpx.ConnectTimeout,
        FetchTimeoutError,
        "connecting to {host} took longer than {connect_timeout:g} s (connect_timeout)",
    ),
    (
        httpx.TimeoutException,
        FetchTimeoutError,
        "{host} sent nothing for {read_timeout:g} s (read_timeout) while answering {url}; "
        "the server is overloaded or unreachable",
    ),
    (
        httpx.ConnectError,
        FetchError,
        "could not connect to {host} for {url} ({reason}); try again later",
    ),
    (
        httpx.RemoteProtocolError,
        FetchError,
        "{host} closed the connection or answered with a broken HTTP response for {url} "
        "({reason}); try again later",
    ),
    (
        httpx.NetworkError,
        FetchError,
        "the connection to {host} was reset or broken while fetching {url} ({reason}); "
        "try again later",
    ),
    (httpx.TransportError, FetchError, "could not fetch {url}: {reason}"),
)


def _transport_error(url: str, exc: httpx.TransportError, limits: FetchLimits) -> FetchError:
    """The most specific project error, with a sentence a user can act on."""
    error, sentence = next(
        (error, sentence) for kind, error, sentence in _TRANSPORT_ERRORS if isinstance(exc, kind)
    )
    return error(
        sentence.format(
            host=httpx.URL(url).host,
            url=url,
            reason=_reason(exc),
            connect_timeout=limits.connect_timeout,
            read_timeout=limits.read_timeout,
        )
    )

"""A real HTTP/1.1 server on 127.0.0.1 (port 0) in a background thread, for tests and benchmarks.

Serve fixed responses, files from a directory, or answer with a handler that misbehaves on
purpose (drip, reset, hang, bomb). Every request is logged with its headers; the server keeps
high-water marks of open connections and of requests in flight, so tests can check politeness.

    server.add("/feed.xml", FEED_BYTES, content_type="application/rss+xml", etag=True)
    server.add("/slow", handler=drip(b"<rss/>", interval=0.05))
    server.redirect("/old", "/feed.xml", status=301)
    server.serve_directory(corpora / "realfeeds" / "feeds", prefix="/real/")
    url = server.url("/feed.xml")

Use it with the ``feed_server`` fixture (registered for the whole suite in tests/conftest.py), or
``with FeedServer() as server:`` in a script.
Keep-alive, one ``sendall`` per response and TCP_NODELAY keep it at thousands of requests/s.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import mimetypes
import socket
import struct
import sys
import threading
import time
import traceback
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

import pytest

_FEED_TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
}
_MAX_SLEEP = 30.0  # no handler sleeps longer than this, whatever a test asks


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as the server received it. Header names are lower-cased."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: bytes
    at: float  # time.monotonic() on arrival


Handler = Callable[["Exchange"], None]


@dataclass(slots=True)
class Route:
    """How one path answers: a fixed response, or a handler that takes over the exchange."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    handler: Handler | None = None
    etag: str | None = None  # set when conditional GET is asked for
    last_modified: str | None = None
    delay: float = 0.0


class Exchange:
    """A request being answered; what a custom handler receives."""

    def __init__(self, handler: _RequestHandler, request: RecordedRequest) -> None:
        self._handler = handler
        self.request = request
        self.server: FeedServer = handler.server.owner

    def respond(
        self, status: int = 200, body: bytes = b"", headers: Mapping[str, str] | None = None
    ) -> None:
        """Send a complete response with Content-Length, in one write."""
        self.send_head(status, {"Content-Length": str(len(body)), **(headers or {})})
        self.write(body)

    def send_head(self, status: int, headers: Mapping[str, str]) -> None:
        """Send the status line and headers only; write the body yourself."""
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Whatever"
        lines = [f"HTTP/1.1 {status} {phrase}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def write(self, data: bytes) -> None:
        """Write raw bytes to the connection (anything at all: this is how to misbehave)."""
        if data:
            self._handler.wfile.write(data)

    def sleep(self, seconds: float) -> bool:
        """Sleep up to ``seconds`` (capped); returns False early if the server is stopping."""
        return not self.server.stopping.wait(min(seconds, _MAX_SLEEP))

    def close(self) -> None:
        """Close the connection after this exchange (no keep-alive)."""
        self._handler.close_connection = True

    def reset(self) -> None:
        """Abort the connection with a TCP RST (the client sees "connection reset by peer")."""
        sock = self._handler.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self._handler.close_connection = True
        sock.close()


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: benchmarks would otherwise measure handshakes
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.owner._connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass  # the client (or a reset) already closed the socket
        finally:
            self.server.owner._connection_closed(self.connection)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the request log replaces the stderr line per request

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        request = RecordedRequest(self.command, self.path, headers, body, time.monotonic())
        owner = self.server.owner
        owner._request_started(request)
        try:
            owner._answer(Exchange(self, request))
        except OSError:
            self.close_connection = True  # the client went away mid-answer: expected here
        except Exception:
            owner.errors.append(traceback.format_exc())
            self.close_connection = True
        finally:
            owner._request_finished()

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _dispatch


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256  # benchmarks open many connections at once

    def __init__(self, owner: FeedServer, address: tuple[str, int]) -> None:
        self.owner = owner
        super().__init__(address, _RequestHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        # a client that hangs up (a timeout test, a reset handler) is expected, not news
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class FeedServer:
    """The loopback server. Routes may be added and replaced while it runs."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self._server = _Server(self, (host, 0))
        self.host = host
        self.port: int = self._server.server_address[1]
        self.base_url = f"http://{host}:{self.port}"
        self.stopping = threading.Event()
        self.errors: list[str] = []  # tracebacks of handlers that raised (a bug in the test)
        self._lock = threading.Lock()
        self._routes: dict[str, Route] = {}
        self._directories: list[tuple[str, Path, bool]] = []
        self._file_cache: dict[Path, tuple[int, bytes, str]] = {}
        self._log: list[RecordedRequest] = []
        self._sockets: set[socket.socket] = set()
        self._in_flight = 0
        self.max_in_flight = 0  # high-water mark of requests being answered at once
        self.max_connections = 0  # high-water mark of open connections
        self.connections_opened = 0
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> FeedServer:
        """Serve in a daemon thread until :meth:`stop`."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake sleeping handlers and close every open connection."""
        self.stopping.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- routes ----------------------------------------------------------------------------

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def add(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        content_type: str | None = None,
        handler: Handler | None = None,
        etag: bool = False,
        delay: float = 0.0,
        encoding: str | None = None,
    ) -> str:
        """Answer ``path`` (query string included if given) and return its URL.

        ``etag=True`` adds ETag and Last-Modified and answers matching conditional requests
        with 304. ``encoding="gzip"|"deflate"`` compresses the body whatever the client asked.
        ``delay`` waits before answering. ``handler`` takes over the exchange entirely.
        """
        data = body.encode("utf-8") if isinstance(body, str) else body
        all_headers = dict(headers or {})
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        if encoding is not None:
            data = compress(data, encoding)
            all_headers["Content-Encoding"] = encoding
        route = Route(data, status, all_headers, handler, delay=delay)
        if etag:
            route.etag = '"' + hashlib.sha1(data).hexdigest()[:20] + '"'
            route.last_modified = email.utils.formatdate(time.time(), usegmt=True)
        with self._lock:
            self._routes[path] = route
        return self.url(path)

    def redirect(self, path: str, to: str, *, status: int = 302) -> str:
        """Redirect ``path`` to ``to`` (a path on this server or an absolute URL, sent as is)."""
        return self.add(path, status=status, headers={"Location": to})

    def serve_directory(
        self, directory: Path | str, prefix: str = "/", *, etag: bool = True
    ) -> str:
        """Serve the files under ``directory`` at ``prefix``; returns the prefix's URL."""
        prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
        with self._lock:
            self._directories.append((prefix, Path(directory).resolve(), etag))
        return self.url(prefix)

    # -- the log -----------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of every request received so far, in arrival order."""
        with self._lock:
            return list(self._log)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        """The requests received for ``path`` (query string ignored)."""
        return [r for r in self.requests if r.path.split("?", 1)[0] == path]

    def count(self, path: str | None = None) -> int:
        """How many requests arrived (for ``path``, or in total)."""
        return len(self.requests if path is None else self.requests_for(path))

    def clear_log(self) -> None:
        """Forget logged requests and reset the high-water marks."""
        with self._lock:
            self._log.clear()
            self.max_in_flight = self._in_flight
            self.max_connections = len(self._sockets)

    # -- called from handler threads --------------------------------------------------------

    def _connection_opened(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)
            self.connections_opened += 1
            self.max_connections = max(self.max_connections, len(self._sockets))

    def _connection_closed(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def _request_started(self, request: RecordedRequest) -> None:
        with self._lock:
            self._log.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _request_finished(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _answer(self, exchange: Exchange) -> None:
        path = exchange.request.path
        with self._lock:
            route = self._routes.get(path) or self._routes.get(path.split("?", 1)[0])
        if route is None:
            route = self._file_route(path.split("?", 1)[0])
        if route is None:
            exchange.respond(404, b"not found", {"Content-Type": "text/plain"})
            return
        if route.delay and not exchange.sleep(route.delay):
            return
        if route.handler is not None:
            route.handler(exchange)
            return
        headers = dict(route.headers)
        if route.etag is not None and route.last_modified is not None:
            headers |= {"ETag": route.etag, "Last-Modified": route.last_modified}
            if _not_modified(exchange.request.headers, route.etag, route.last_modified):
                exchange.respond(304, b"", {"ETag": route.etag})
                return
        if exchange.request.method == "HEAD":
            exchange.send_head(route.status, {"Content-Length": str(len(route.body)), **headers})
            return
        exchange.respond(route.status, route.body, headers)

    def _file_route(self, path: str) -> Route | None:
        for prefix, root, etag in self._directories:
            if not path.startswith(prefix):
                continue
            candidate = (root / path[len(prefix) :]).resolve()
            if not candidate.is_relative_to(root) or not candidate.is_file():
                continue
            return self._cached_file(candidate, etag)
        return None

    def _cached_file(self, path: Path, etag: bool) -> Route:
        mtime = path.stat().st_mtime_ns
        with self._lock:
            cached = self._file_cache.get(path)
        if cached is None or cached[0] != mtime:
            data = path.read_bytes()
            kind = (
                _FEED_TYPES.get(path.suffix.lower())
                or mimetypes.guess_type(path.name)[0]
                or "application/octet-stream"
            )
            cached = (mtime, data, kind)
            with self._lock:
                self._file_cache[path] = cached
        route = Route(cached[1], 200, {"Content-Type": cached[2]})
        if etag:
            route.etag = '"' + hashlib.sha1(cached[1]).hexdigest()[:20] + '"'
            route.last_modified = email.utils.formatdate(mtime / 1e9, usegmt=True)
        return route


def _not_modified(headers: Mapping[str, str], etag: str, last_modified: str) -> bool:
    if "if-none-match" in headers:
        tags = {t.strip() for t in headers["if-none-match"].split(",")}
        return etag in tags or "*" in tags
    return headers.get("if-modified-since") == last_modified


# -- bodies and misbehaving handlers ---------------------------------------------------------


def compress(data: bytes, encoding: str) -> bytes:
    """``data`` gzip- or deflate- (zlib-wrapped) compressed."""
    if encoding == "gzip":
        obj = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    elif encoding == "deflate":
        obj = zlib.compressobj(9)
    else:
        raise ValueError(f"unsupported encoding {encoding!r}")
    return obj.compress(data) + obj.flush()


def gzip_bomb(decompressed_size: int) -> bytes:
    """A small gzip body that expands to ``decompressed_size`` zero bytes."""
    obj = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    parts = [obj.compress(block) for _ in range(decompressed_size >> 20)]
    parts.append(obj.compress(bytes(decompressed_size & ((1 << 20) - 1))))
    parts.append(obj.flush())
    return b"".join(parts)


def drip(
    body: bytes,
    *,
    interval: float = 0.05,
    chunk_size: int = 1,
    headers: Mapping[str, str] | None = None,
) -> Handler:
    """A handler that sends the headers at once, then ``chunk_size`` bytes every ``interval``."""

    def handle(exchange: Exchange) -> None:
        exchange.send_head(200, {"Content-Length": str(len(body)), **(headers or {})})
        for start in range(0, len(body), chunk_size):
            exchange.write(body[start : start + chunk_size])
            if not exchange.sleep(interval):
                return

    return handle


def hang(seconds: float) -> Handler:
    """A handler that reads the request, says nothing for ``seconds``, then closes."""

    def handle(exchange: Exchange) -> None:
        exchange.sleep(seconds)
        exchange.close()

    return handle


def reset_connection() -> Handler:
    """A handler that aborts the connection with a TCP RST instead of answering."""

    def handle(exchange: Exchange) -> None:
        exchange.reset()

    return handle


def counting(handler: Handler, counter: Callable[[], None]) -> Handler:
    """Wrap ``handler`` to call ``counter()`` first (e.g. to count hits in a benchmark)."""

    def handle(exchange: Exchange) -> None:
        counter()
        handler(exchange)

    return handle


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A running :class:`FeedServer`; a handler that raised fails the test at teardown."""
    with FeedServer() as server:
        yield server
    if server.errors:
        pytest.fail("the test server's handlers raised:\n" + "\n".join(server.errors))

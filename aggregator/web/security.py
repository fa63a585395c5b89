"""The archive's outer guard: one pure ASGI middleware in front of every route.

    request  -> method not GET/HEAD            -> 405, Allow: GET, HEAD   (before routing)
             -> HEAD                           -> routed as GET, the body left out
             -> query string > MAX_QUERY chars -> 414
             -> auth configured, path not open, credentials wrong -> 401, WWW-Authenticate
             -> the app
    response -> SECURITY_HEADERS added to every response, errors included
    an exception the app let through -> 500 with the same headers (logged, never shown)

The password is read once, when the app is made (a missing variable stops `serve` at start), and
compared with :func:`hmac.compare_digest` on bytes, the user name as well, so neither the time
taken nor an early return tells an attacker how much of a guess was right.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import logging
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

#: longer query strings are refused with 414 (a search box and its filters need far less)
MAX_QUERY = 2000
ALLOWED_METHODS = ("GET", "HEAD")
#: paths that need no credentials: a load balancer's health check knows no password
OPEN_PATHS = frozenset({"/healthz"})
REALM = "aggregator"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)


class Credentials:
    """The one user name and password the archive accepts, as bytes."""

    def __init__(self, username: str, password: str) -> None:
        self._username = username.encode("utf-8")
        self._password = password.encode("utf-8")

    def accept(self, authorization: bytes | None) -> bool:
        """Whether an ``Authorization`` header value carries these credentials (Basic)."""
        if authorization is None:
            return False
        scheme, _, encoded = authorization.partition(b" ")
        if scheme.lower() != b"basic":
            return False
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        username, colon, password = decoded.partition(b":")
        # both comparisons always run: no early return on a wrong user name
        user_ok = hmac.compare_digest(username, self._username)
        password_ok = hmac.compare_digest(password, self._password)
        return bool(colon) and user_ok and password_ok


class SecurityMiddleware:
    """Methods, query length, basic auth and the security headers (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, credentials: Credentials | None = None) -> None:
        self.app = app
        self.credentials = credentials

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            status, body, extra = refusal
            await _respond(send, status, body, extra, head=scope["method"] == "HEAD")
            return
        started = False
        head = scope["method"] == "HEAD"
        if head:  # answered as GET without the body: every page answers HEAD as well
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = _with_security_headers(message.get("headers", []))
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unhandled error serving %s", scope.get("path"))
            if not started:
                await _respond(send, 500, b"internal error\n", (), head=False)

    def _refusal(self, scope: Scope) -> tuple[int, bytes, tuple[tuple[bytes, bytes], ...]] | None:
        if scope["method"] not in ALLOWED_METHODS:
            allow = ", ".join(ALLOWED_METHODS).encode("ascii")
            return 405, b"method not allowed: this archive is read-only\n", ((b"allow", allow),)
        if len(scope.get("query_string", b"")) > MAX_QUERY:
            return 414, f"query string longer than {MAX_QUERY} characters\n".encode(), ()
        if self.credentials is not None and scope["path"] not in OPEN_PATHS:
            authorization = dict(scope["headers"]).get(b"authorization")
            if not self.credentials.accept(authorization):
                challenge = f'Basic realm="{REALM}", charset="UTF-8"'.encode("ascii")
                return 401, b"authentication required\n", ((b"www-authenticate", challenge),)
        return None


def _with_security_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    names = {name for name, _ in SECURITY_HEADERS}
    kept = [(name, value) for name, value in headers if name.lower() not in names]
    return [*kept, *SECURITY_HEADERS]


async def _respond(
    send: Send, status: int, body: bytes, extra: Iterable[tuple[bytes, bytes]], *, head: bool
) -> None:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"cache-control", b"no-store"),
        *extra,
        *SECURITY_HEADERS,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})

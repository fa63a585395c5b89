"""Turning what one fetch saw into a :class:`FetchResult`: outcomes, statuses, messages."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from http import HTTPStatus

from aggregator.errors import FetchError, HTTPStatusError
from aggregator.fetch import headers as hdr
from aggregator.model import RETRY_AFTER_MAX, FetchOutcome, FetchResult, Validators


@dataclass(slots=True)
class Trail:
    """The hops of one fetch so far, so a failure can report where it happened."""

    urls: list[str]
    status: int | None = None  # of the last response whose headers arrived
    headers: dict[str, str] = field(default_factory=dict)


class Response:
    """What one non-redirect hop produced, before it becomes a FetchResult."""

    def __init__(self, url: str, status: int, headers: dict[str, str]) -> None:
        self.url = url
        self.status = status
        self.headers = headers
        self.body: bytes | None = None


def failed(
    source: str, url: str, trail: Trail, error: FetchError, started: float, fetched_at: datetime
) -> FetchResult:
    """A FAILED result for ``error``, at the last hop ``trail`` reached."""
    return FetchResult(
        source=source,
        requested_url=url,
        outcome=FetchOutcome.FAILED,
        final_url=trail.urls[-1],
        status=error.status if isinstance(error, HTTPStatusError) else trail.status,
        headers=trail.headers,
        error=str(error),
        error_type=type(error).__name__,
        duration=time.monotonic() - started,
        fetched_at=fetched_at,
    )


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _status_hint(status: int) -> str:
    if status in (401, 403):
        return "the server refuses access; the feed may need a login or may block robots"
    if status == 404:
        return "the feed is not at this address; check the source's URL"
    if 300 <= status < 400:
        return "a redirect without a Location header; check the source's URL"
    if status >= 500:
        return "a server-side error; it will be retried with backoff"
    return "check the source's URL"


def _retry_after(
    headers: dict[str, str], fetched_at: datetime, limit: timedelta
) -> tuple[datetime | None, str]:
    """When a 429/503 lets us come back (at most ``limit`` ahead), and the clause saying so.

    The message states what the schedule will do: a Retry-After beyond the limit is named, and
    so is the time we actually wait until.
    """
    asked = hdr.parse_retry_after(headers.get("retry-after"), fetched_at)
    if asked is None:
        return None, "it gave no Retry-After, so the next poll backs off"
    latest = fetched_at + limit
    if asked <= latest:
        return asked, f"it asks us to wait until {asked:%Y-%m-%d %H:%M:%S} UTC"
    return latest, (
        f"it asks us to wait until {asked:%Y-%m-%d %H:%M:%S} UTC, longer than the "
        f"{_span(limit)} we honour, so we wait until {latest:%Y-%m-%d %H:%M:%S} UTC"
    )


def _span(delay: timedelta) -> str:
    """``1 day``, ``6 hours``, ``90 minutes``: a delay in its largest whole unit."""
    seconds = int(delay.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}" + ("s" if count != 1 else "")
    return f"{seconds} second" + ("s" if seconds != 1 else "")


def final_result(
    source: str,
    url: str,
    response: Response,
    validators: Validators,
    permanent: bool,
    started: float,
    fetched_at: datetime,
    retry_after_max: timedelta = RETRY_AFTER_MAX,
) -> FetchResult:
    """Map a final (non-redirect) response to an outcome.

    ``permanent_redirect`` is reported only when the final URL answered with the feed (200 or
    304): a permanent redirect to an error page is no reason to rewrite the source's URL.
    """
    status = response.status
    moved = response.url if permanent else None
    base = FetchResult(
        source=source,
        requested_url=url,
        outcome=FetchOutcome.FAILED,
        final_url=response.url,
        status=status,
        headers=response.headers,
        duration=time.monotonic() - started,
        fetched_at=fetched_at,
    )
    if response.body is not None:
        # A 200 replaces the validators: ones it leaves out are no longer valid.
        return replace(
            base,
            outcome=FetchOutcome.OK,
            body=response.body,
            permanent_redirect=moved,
            validators=hdr.response_validators(response.headers, Validators()),
        )
    if status == 304:
        return replace(
            base,
            outcome=FetchOutcome.NOT_MODIFIED,
            permanent_redirect=moved,
            validators=hdr.response_validators(response.headers, validators),
        )
    if status == 410:
        return replace(
            base,
            outcome=FetchOutcome.GONE,
            error=f"{response.url} answered {_status_text(status)}: the publisher removed it "
            "for good, so the source is disabled; give it a new URL or remove it",
            error_type=HTTPStatusError.__name__,
        )
    if status in (429, 503):
        retry_after, when = _retry_after(response.headers, fetched_at, retry_after_max)
        return replace(
            base,
            outcome=FetchOutcome.THROTTLED,
            retry_after=retry_after,
            error=f"{response.url} answered {_status_text(status)}; {when}",
            error_type=HTTPStatusError.__name__,
        )
    return replace(
        base,
        error=f"{response.url} answered {_status_text(status)}: {_status_hint(status)}",
        error_type=HTTPStatusError.__name__,
    )

"""When to poll a source next: a pure function of the last result (the schedule is data).

    OK, NOT_MODIFIED  failures = 0;   next = now + interval × U(0.9, 1.1)
    FAILED            failures += 1;  next = now + min(interval × 2**failures, backoff_max) × jitter
    THROTTLED         failures += 1;  next = max(Retry-After (capped), the FAILED time)
    GONE              failures += 1;  disabled_reason = "410 Gone from <url> at <time>"

Jitter spreads sources that share an interval so they do not all hit the network together; a
delay at the cap keeps only the downward half of the jitter, so it never exceeds ``backoff_max``.
Nothing is ever disabled silently: only GONE disables, and ``last_error`` keeps the reason.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from aggregator.model import RETRY_AFTER_MAX, FetchOutcome, FetchResult

JITTER = 0.10
# Past this exponent interval × 2**n passes any sensible cap; stop before timedelta overflows.
_MAX_EXPONENT = 32


@dataclass(frozen=True, slots=True)
class PollState:
    """A source's polling state after one fetch: what ``status`` shows and when to poll next."""

    failures: int
    next_poll: datetime
    disabled_reason: str | None
    last_error: str | None


def _jittered(delay: timedelta, rng: random.Random, cap: timedelta | None = None) -> timedelta:
    result = delay * rng.uniform(1 - JITTER, 1 + JITTER)
    return min(result, cap) if cap is not None else result


def backoff_delay(interval: timedelta, failures: int, backoff_max: timedelta) -> timedelta:
    """``min(interval × 2**failures, backoff_max)``, without jitter."""
    if failures >= _MAX_EXPONENT:
        return backoff_max
    return min(interval * (1 << failures), backoff_max)


def next_poll_state(
    result: FetchResult,
    *,
    interval: timedelta,
    failures: int,
    now: datetime,
    rng: random.Random,
    backoff_max: timedelta = timedelta(hours=6),
    retry_after_max: timedelta = RETRY_AFTER_MAX,
) -> PollState:
    """The next :class:`PollState` for a source whose fetch produced ``result``.

    ``failures`` is the count of consecutive failures before this result. ``retry_after_max``
    bounds how far a server's Retry-After can push the next poll (a typo of a year there must
    not silently stop a source).
    """
    outcome = result.outcome
    if outcome in (FetchOutcome.OK, FetchOutcome.NOT_MODIFIED):
        return PollState(0, now + _jittered(interval, rng), None, None)

    failed = failures + 1
    backoff = now + _jittered(backoff_delay(interval, failed, backoff_max), rng, backoff_max)
    error = result.error or result.error_type or f"fetch {outcome.value}"
    if outcome is FetchOutcome.THROTTLED:
        next_poll = backoff
        if result.retry_after is not None:
            next_poll = max(min(result.retry_after, now + retry_after_max), backoff)
        return PollState(failed, next_poll, None, error)
    if outcome is FetchOutcome.GONE:
        url = result.final_url or result.requested_url
        at = result.fetched_at or now
        reason = f"410 Gone from {url} at {at:%Y-%m-%d %H:%M:%S %Z}".rstrip()
        return PollState(failed, backoff, reason, error)
    return PollState(failed, backoff, None, error)

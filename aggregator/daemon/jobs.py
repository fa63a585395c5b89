"""What the daemon's jobs do, free of any scheduler: poll, process, deliver, beat, keep house.

Each function is one unit of work the daemon runs on a schedule (see :mod:`aggregator.daemon`)::

    poll_due             claim due sources (leases), fetch, parse, store; batch after batch
    release_dead_leases  at start: the leases of holders known to be dead come back at once
    process              extraction and grouping of whatever is new (idempotent, crash-safe)
    deliver_due          the digest of one period for one subscription, at most once (the ledger)
    heartbeat            this daemon's row in ``daemons``, and its leases renewed
    housekeeping         retention of fetch_log; digests stuck in 'sending' -> 'uncertain'
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from aggregator import __version__, clock
from aggregator.config import Settings, SubscriptionConfig
from aggregator.delivery import DeliveryReport, deliver
from aggregator.digest import Period
from aggregator.leases import holder_gone
from aggregator.pipeline import SourceReport, run_pass
from aggregator.process import ProcessReport, process_pending
from aggregator.store import DaemonState, Store

log = logging.getLogger("aggregator.daemon")

#: how many sources one claim takes; a stop request is honoured between batches
BATCH = 200
#: a tick never runs more batches than this, so a tick always ends (the next one continues)
MAX_BATCHES_PER_TICK = 50


# ---------------------------------------------------------------------------- polling


@dataclass(slots=True)
class PollSummary:
    """What one polling tick did, summed over its batches."""

    sources: int = 0
    new: int = 0
    updated: int = 0
    failed: int = 0
    article_ids: list[int] = field(default_factory=list)


def log_source(report: SourceReport) -> None:
    """One structured line per fetched source."""
    context = {
        "source": report.source,
        "outcome": report.outcome.value,
        "status": report.status,
        "new": report.new,
        "updated": report.updated,
        "duration_ms": round(report.duration * 1000),
        "next_poll": report.next_poll.isoformat(timespec="seconds"),
    }
    if report.error:
        log.warning("fetch failed", extra={**context, "error": report.error})
    elif report.new or report.updated:
        log.info("fetched", extra=context)
    else:
        log.debug("fetched", extra=context)


def poll_due(
    store: Store,
    settings: Settings,
    *,
    owner: str,
    lease: timedelta,
    stopping: threading.Event,
    rng: random.Random,
    batch: int = BATCH,
) -> PollSummary:
    """Claim due sources in batches and fetch them, until none is due or a stop is requested.

    The lease keeps other daemons off a claimed source; ``save_fetch`` releases it with the new
    schedule. If this process dies mid-batch its leases are no longer renewed and lapse, and
    another daemon takes the sources over (this one, restarted, at once).
    """
    summary = PollSummary()
    for _ in range(MAX_BATCHES_PER_TICK):
        if stopping.is_set():
            break
        report = run_pass(
            store, settings, owner=owner, lease=lease, limit=batch, on_source=log_source, rng=rng
        )
        summary.sources += len(report.sources)
        summary.new += report.new
        summary.updated += report.updated
        summary.failed += report.failed
        summary.article_ids += [*report.new_article_ids, *report.changed_article_ids]
        if len(report.sources) < batch:
            break
    return summary


def release_dead_leases(store: Store, owner: str, *, sole: bool) -> tuple[str, ...]:
    """Give back the leases of holders known to be dead; returns those holders.

    Known dead: a process of this machine that no longer runs; and, when this daemon is the
    ``sole`` one on its database (it holds the SQLite lock), every other daemon. Any other
    holder's leases are left to expire (they lapse within one lease once it stops renewing).
    """
    holders = [holder for holder in store.lease_holders() if holder != owner]
    daemons = {row.id for row in store.daemons(now=clock.now())} if sole and holders else set()
    dead = tuple(h for h in holders if h in daemons or holder_gone(h))
    released = sum(store.release(holder) for holder in dead)
    if dead:
        log.info(
            "released the leases of dead holders",
            extra={"holders": ",".join(dead), "leases": released},
        )
    return dead


# ---------------------------------------------------------------------------- processing


def process(store: Store, settings: Settings) -> ProcessReport:
    """Extract and group whatever is pending (idempotent: a re-run after a crash is safe)."""
    return process_pending(store, settings)


# ---------------------------------------------------------------------------- digests


def deliver_due(
    store: Store,
    settings: Settings,
    subscription: SubscriptionConfig,
    period: Period,
    *,
    owner: str,
) -> DeliveryReport:
    """Render and send ``subscription``'s digest for ``period``; the ledger makes it once."""
    return deliver(store, settings, subscription, period=period, now=clock.now(), owner=owner)


# ---------------------------------------------------------------------------- heartbeat


def heartbeat(
    store: Store,
    owner: str,
    *,
    state: DaemonState = "running",
    lease: timedelta | None = None,
) -> None:
    """Record that this daemon is alive (or, on a clean stop, stopped); with ``lease``, first
    renew every lease it holds to last that long from now."""
    if lease is not None:
        store.renew_leases(owner, until=clock.now() + lease)
    store.beat(
        owner,
        host=socket.gethostname(),
        pid=os.getpid(),
        version=__version__,
        now=clock.now(),
        state=state,
    )


# ---------------------------------------------------------------------------- housekeeping


@dataclass(frozen=True, slots=True)
class HousekeepingReport:
    """Rows removed or repaired by one housekeeping run."""

    fetch_log_pruned: int
    digests_recovered: int
    daemons_pruned: int


def housekeeping(
    store: Store, settings: Settings, *, daemons_kept: timedelta = timedelta(days=30)
) -> HousekeepingReport:
    """Apply retention to fetch_log and old daemon rows; recover digests stuck in 'sending'."""
    now = clock.now()
    pruned = store.prune_fetch_log(now - settings.settings.retention.fetch_log)
    recovered = store.recover_digests(now=now)
    daemons = store.prune_daemons(now - daemons_kept)
    return HousekeepingReport(pruned, recovered, daemons)


def as_fields(report: object) -> dict[str, Any]:
    """A report dataclass's public scalar fields, for a structured log line."""
    fields = getattr(report, "__dataclass_fields__", {})
    values = {name: getattr(report, name) for name in fields if not name.startswith("_")}
    return {k: v for k, v in values.items() if isinstance(v, str | int | float | bool | datetime)}

"""What the daemon's jobs do, free of any scheduler: poll, process, deliver, beat, keep house.

Each function is one unit of work the daemon runs on a schedule (see :mod:`aggregator.daemon`)::

    poll_due      claim due sources (leases), fetch, parse, store; batch after batch until none
    Processing    extraction and grouping of whatever is new (idempotent, crash-safe); keeps
                  the grouper between runs, so it is restored once per process lifetime
    deliver_due   the digest of one period for one subscription, at most once (the ledger)
    heartbeat     this daemon's row in ``daemons`` (shown by ``aggregator status``)
    housekeeping  retention of fetch_log; digests stuck in 'sending' -> 'uncertain'
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
from aggregator.pipeline import SourceReport, run_pass
from aggregator.process import GroupingState, ProcessReport, process_pending
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
    schedule. If this process dies mid-batch the lease simply expires and another daemon (or
    this one, restarted) takes the source over.
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


# ---------------------------------------------------------------------------- processing


class Processing:
    """The processing job of one daemon: extract and group whatever is pending (idempotent: a
    re-run after a crash is safe).

    It keeps the grouper from one run to the next (:class:`aggregator.process.GroupingState`):
    re-seeding it from the store replays up to 20,000 stored articles, which a daemon that
    processes after every poll would otherwise do on every run.
    """

    def __init__(self) -> None:
        self.grouping = GroupingState()

    def __call__(self, store: Store, settings: Settings) -> ProcessReport:
        return process_pending(store, settings, state=self.grouping)


def process(store: Store, settings: Settings) -> ProcessReport:
    """One processing run with nothing kept from an earlier one (restores its own grouper)."""
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


def heartbeat(store: Store, owner: str, *, state: DaemonState = "running") -> None:
    """Record that this daemon is alive (or, on a clean stop, stopped)."""
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

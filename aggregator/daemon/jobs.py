"""What the daemon's jobs do, free of any scheduler: poll, process, deliver, beat, keep house.

Each function is one unit of work the daemon runs on a schedule (see :mod:`aggregator.daemon`)::

    log_source           one line a fetched source (the polling itself: :mod:`.poller`)
    release_dead_leases  at start: the leases of holders known to be dead come back at once
    Processing           extraction and grouping of whatever is new (idempotent, crash-safe);
                         keeps the grouper between runs, restored once per process lifetime
    deliver_due          the digest of one period for one subscription, at most once (the ledger)
    heartbeat            this daemon's row in ``daemons``, and its leases renewed
    housekeeping         retention of fetch_log; digests stuck in 'sending' -> 'uncertain'
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aggregator import __version__, clock
from aggregator.config import Settings, SubscriptionConfig
from aggregator.digest import Period
from aggregator.pipeline.deliver import DeliveryReport, deliver
from aggregator.pipeline.leases import holder_gone
from aggregator.pipeline.poll import SourceReport
from aggregator.pipeline.process import GroupingState, ProcessReport, process_pending
from aggregator.store import DaemonState, Store

log = logging.getLogger("aggregator.daemon")

#: how many sources the daemon has claimed and not yet stored, at most
BATCH = 200


# ---------------------------------------------------------------------------- polling


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


class Processing:
    """The processing job of one daemon: extract and group whatever is pending (idempotent: a
    re-run after a crash is safe).

    It keeps the grouper from one run to the next
    (:class:`aggregator.pipeline.process.GroupingState`): re-seeding it from the store replays up
    to 20,000 stored articles, which a daemon that processes after every poll would otherwise do
    on every run.
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

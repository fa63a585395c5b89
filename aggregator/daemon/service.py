"""The :class:`Daemon`: its jobs on an APScheduler background scheduler, start, stop, reload."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from aggregator import clock
from aggregator.config import Settings, SubscriptionConfig, load_settings
from aggregator.daemon import jobs
from aggregator.daemon.schedule import DigestSchedule, retry_after_outcome
from aggregator.delivery import CLAIM
from aggregator.digest import Period
from aggregator.errors import AggregatorError, ConfigError, StoreError
from aggregator.pipeline import LEASE, process_owner
from aggregator.store import Store

log = logging.getLogger("aggregator.daemon")

#: processing that fails is retried after tick × 2**failures seconds, at most this long
PROCESS_BACKOFF_MAX = 300.0
#: attempts at the start-up sync of sources (daemons starting together race on new sources)
SYNC_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class DaemonOptions:
    """Timing knobs. The defaults suit production; tests shorten the lease and the grace."""

    tick: float = 1.0  # seconds between looks for due sources, pending work and digest times
    lease: timedelta = LEASE  # how long a claimed source is ours if we die mid-fetch
    grace: float = 30.0  # seconds in-flight work may take after SIGTERM
    heartbeat: float = 15.0  # seconds between heartbeats
    housekeeping: float = 3600.0  # seconds between retention runs
    # seconds between processing runs that no poll of ours asked for: articles stored by another
    # process (backfill --no-process, `aggregator fetch` elsewhere) are picked up this late
    pending_check: float = 300.0
    digest_retry: timedelta = timedelta(minutes=5)  # after a failed delivery
    # after finding another owner's live claim on the digest: until that claim can have expired
    in_flight_retry: timedelta = CLAIM + timedelta(minutes=1)
    catch_up: bool = True  # on start-up, send the latest digest whose time passed while down
    batch: int = jobs.BATCH


DeliverFn = Callable[[Store, Settings, SubscriptionConfig, Period], object]
ProcessFn = Callable[[Store, Settings], object]


class Daemon:
    """One daemon process: the scheduler, its jobs and the lifecycle around them."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        config_path: Path | None = None,
        options: DaemonOptions | None = None,
        owner: str | None = None,
        deliver: DeliverFn | None = None,
        process: ProcessFn | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.config_path = config_path
        self.options = options or DaemonOptions()
        self.owner = owner or process_owner()
        self._deliver = deliver or self._deliver_via_ledger
        self._process = process or jobs.Processing()  # one grouper for its lifetime
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._reload_requested = threading.Event()
        self._dirty = threading.Event()
        self._dirty.set()  # whatever a previous run left unprocessed is processed first
        self._process_failures = 0
        self._process_after = 0.0  # time.monotonic() before which processing is not retried
        self._sweep_at = time.monotonic() + self.options.pending_check  # next unasked-for run
        self._rng = random.Random()
        self._digests: dict[str, DigestSchedule] = {}
        self._scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(max_workers=4)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
            timezone="UTC",
        )

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Sync the configured sources, beat, and start the jobs (returns at once)."""
        for warning in self.settings.warnings():
            log.warning("configuration: %s", warning)
        for attempt in range(1, SYNC_ATTEMPTS + 1):
            try:
                self._sync(self.settings)
                break
            except StoreError:
                # on PostgreSQL another daemon starting at the same moment may insert the same
                # new sources first; the next attempt sees its rows
                if attempt == SYNC_ATTEMPTS:
                    raise
                time.sleep(0.2 * attempt * (1 + self._rng.random()))
        self._rebuild_digests(self.settings, initial=True)
        jobs.heartbeat(self.store, self.owner)
        tick = self.options.tick
        add = self._scheduler.add_job
        now = datetime.now().astimezone()
        add(self._guard("poll", self._poll), "interval", seconds=tick, id="poll", next_run_time=now)
        add(self._guard("process", self._process_if_dirty), "interval", seconds=tick, id="process")
        add(
            self._guard("digests", self._check_digests),
            "interval",
            seconds=tick,
            id="digests",
            next_run_time=now,
        )
        add(
            self._guard("heartbeat", self._beat),
            "interval",
            seconds=self.options.heartbeat,
            id="heartbeat",
        )
        add(
            self._guard("housekeeping", self._housekeeping),
            "interval",
            seconds=self.options.housekeeping,
            id="housekeeping",
            next_run_time=now,
        )
        self._scheduler.start()
        log.info(
            "daemon started",
            extra={
                "owner": self.owner,
                "store": self.store.url,
                "sources": sum(1 for s in self.settings.sources if s.enabled),
                "subscriptions": len(self.settings.subscriptions),
            },
        )

    @property
    def running(self) -> bool:
        """True between a successful :meth:`start` and :meth:`stop`."""
        return bool(self._scheduler.running) and not self._stopping.is_set()

    def request_stop(self) -> None:
        """Ask the main loop to stop (safe from a signal handler)."""
        self._stopping.set()
        self._wake.set()

    def request_reload(self) -> None:
        """Ask the main loop to reload the configuration (safe from a signal handler)."""
        self._reload_requested.set()
        self._wake.set()

    def wait(self) -> None:
        """Serve reload requests until a stop is requested."""
        while not self._stopping.is_set():
            self._wake.wait(timeout=1.0)
            self._wake.clear()
            if self._reload_requested.is_set() and not self._stopping.is_set():
                self._reload_requested.clear()
                self.reload()

    def stop(self) -> bool:
        """Stop claiming work, let in-flight jobs finish within the grace period, release leases.

        Returns True when everything finished in time; False when work was abandoned (it is
        safe to abandon: its leases expire and every write it did is committed or not at all).
        """
        self._stopping.set()
        log.info("stopping: finishing in-flight work", extra={"grace_s": self.options.grace})
        drained = threading.Thread(target=self._scheduler.shutdown, kwargs={"wait": True})
        drained.start()
        drained.join(self.options.grace)
        finished = not drained.is_alive()
        if not finished:
            log.warning("grace period over: abandoning in-flight work; its leases will expire")
        try:
            released = self.store.release(self.owner)
            jobs.heartbeat(self.store, self.owner, state="stopped")
        except AggregatorError as exc:
            log.error("could not release leases on stop", extra={"error": str(exc)})
            released = 0
        log.info("daemon stopped", extra={"drained": finished, "leases_released": released})
        return finished

    # -- configuration ------------------------------------------------------------------------

    def reload(self) -> bool:
        """Re-read the configuration file and sync sources; a bad file keeps the old config."""
        if self.config_path is None:
            log.warning("reload asked but the daemon was started without a configuration file")
            return False
        try:
            settings = load_settings(self.config_path)
        except ConfigError as exc:
            log.error(
                "reload refused, keeping the previous configuration", extra={"error": str(exc)}
            )
            return False
        for warning in settings.warnings():
            log.warning("configuration: %s", warning)
        try:
            self._sync(settings)
        except AggregatorError as exc:
            log.error(
                "reload failed, keeping the previous configuration", extra={"error": str(exc)}
            )
            return False
        self.settings = settings
        self._rebuild_digests(settings)
        return True

    def _sync(self, settings: Settings) -> None:
        report = self.store.sync_sources(settings.to_sources(), now=clock.now())
        log.info(
            "sources synced",
            extra={
                "added": ",".join(report.added),
                "updated": ",".join(report.updated),
                "disabled": ",".join(report.disabled),
                "unchanged": len(report.unchanged),
            },
        )

    def _rebuild_digests(self, settings: Settings, *, initial: bool = False) -> None:
        old = self._digests
        self._digests = {}
        for sub in settings.subscriptions:
            kept = old.get(sub.name)
            same = kept is not None and (
                kept.subscription.send_at,
                kept.subscription.timezone,
            ) == (sub.send_at, sub.timezone)
            if kept is not None and same:
                kept.subscription = sub
                self._digests[sub.name] = kept
            else:
                # a new or re-timed subscription starts from now: no catch-up for times it never had
                self._digests[sub.name] = DigestSchedule(
                    sub, catch_up=self.options.catch_up and initial
                )

    # -- jobs -----------------------------------------------------------------------------------

    def _guard(self, name: str, job: Callable[[], None]) -> Callable[[], None]:
        """Run ``job``; log (never raise) its failure: one bad tick must not end the daemon."""

        def run() -> None:
            if self._stopping.is_set():
                return
            try:
                job()
            except AggregatorError as exc:
                log.error("%s failed", name, extra={"job": name, "error": str(exc)})
            except Exception:
                # a bug: keep the traceback, keep running (the next tick may well succeed)
                log.exception("%s crashed", name, extra={"job": name})

        return run

    def _poll(self) -> None:
        summary = jobs.poll_due(
            self.store,
            self.settings,
            owner=self.owner,
            lease=self.options.lease,
            stopping=self._stopping,
            rng=self._rng,
            batch=self.options.batch,
        )
        if summary.sources:
            log.info(
                "poll",
                extra={
                    "sources": summary.sources,
                    "new": summary.new,
                    "updated": summary.updated,
                    "failed": summary.failed,
                },
            )
        if summary.article_ids:
            self._dirty.set()

    def _process_if_dirty(self) -> None:
        if not self._dirty.is_set() and time.monotonic() >= self._sweep_at:
            # our polls only see our own fetches; processing is idempotent and cheap when
            # nothing is pending, so run it now and then for what other processes stored
            self._dirty.set()
        if not self._dirty.is_set() or time.monotonic() < self._process_after:
            return
        self._dirty.clear()
        try:
            report = self._process(self.store, self.settings)
        except BaseException:
            # try again later, backing off so that a persistent fault is not logged every tick
            self._dirty.set()
            self._process_failures += 1
            delay = min(self.options.tick * 2**self._process_failures, PROCESS_BACKOFF_MAX)
            self._process_after = time.monotonic() + delay
            raise
        self._process_failures = 0
        self._sweep_at = time.monotonic() + self.options.pending_check
        if report is not None:
            fields = jobs.as_fields(report)
            # a run that found nothing (the periodic look, mostly) is not worth an INFO line
            level = logging.INFO if any(fields.values()) else logging.DEBUG
            log.log(level, "processed", extra=fields)

    def _check_digests(self) -> None:
        now = clock.now()
        for schedule in list(self._digests.values()):
            fire = schedule.due(now)
            if fire is None:
                continue
            sub = schedule.subscription
            period = schedule.period(fire)
            context = {"subscription": sub.name, "period": period.label}
            try:
                report = self._deliver(self.store, self.settings, sub, period)
            except AggregatorError as exc:
                retry_at = clock.now() + self.options.digest_retry
                schedule.failed(fire, retry_at=retry_at)
                log.error(
                    "digest failed",
                    extra={**context, "error": str(exc), "retry_at": retry_at.isoformat()},
                )
                continue
            self._after_delivery(schedule, fire, report, context)

    def _after_delivery(
        self, schedule: DigestSchedule, fire: datetime, report: object, context: dict[str, str]
    ) -> None:
        """Log a delivery's outcome; schedule a retry when someone else's claim was in the way."""
        status = getattr(report, "status", None)
        fields = {**context, **jobs.as_fields(report)}
        retry_at = retry_after_outcome(
            status, now=clock.now(), in_flight_wait=self.options.in_flight_retry
        )
        if retry_at is not None:
            # a peer sending it now, or a dead owner's claim (ours before a restart included):
            # once the claim has expired the ledger lets us resume, or reports it sent/uncertain
            schedule.failed(fire, retry_at=retry_at)
            log.info(
                "digest claimed by another owner: trying again once the claim has expired",
                extra={**fields, "retry_at": retry_at.isoformat()},
            )
        elif status == "uncertain":
            log.error(
                "digest uncertain: the sender stopped after handing it to the mail relay; it may "
                "or may not have been delivered and is not sent again automatically "
                "(aggregator digest --subscription NAME --date PERIOD --send --resend forces it)",
                extra=fields,
            )
        else:
            log.info("digest", extra=fields)

    def _deliver_via_ledger(
        self, store: Store, settings: Settings, sub: SubscriptionConfig, period: Period
    ) -> object:
        return jobs.deliver_due(store, settings, sub, period, owner=self.owner)

    def _beat(self) -> None:
        jobs.heartbeat(self.store, self.owner)

    def _housekeeping(self) -> None:
        report = jobs.housekeeping(self.store, self.settings)
        log.info("housekeeping", extra=jobs.as_fields(report))

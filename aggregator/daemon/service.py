"""The :class:`Daemon`: its jobs on an APScheduler background scheduler, start, stop, reload."""

from __future__ import annotations

import logging
import queue
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from aggregator import clock
from aggregator.config import Settings, SubscriptionConfig, load_settings
from aggregator.daemon import jobs
from aggregator.daemon.poller import Poller
from aggregator.daemon.schedule import DigestSchedule, retry_after_outcome
from aggregator.digest import Period
from aggregator.errors import AggregatorError, ConfigError, StoreError
from aggregator.pipeline.deliver import CLAIM
from aggregator.pipeline.leases import process_owner
from aggregator.pipeline.poll import PassReport
from aggregator.store import Store

log = logging.getLogger("aggregator.daemon")

_STOP, _RELOAD = "stop", "reload"


class _ReloadRefused(Exception):
    """Why a reload keeps the running configuration (a sentence for the log)."""


#: processing that fails is retried after tick × 2**failures seconds, at most this long
PROCESS_BACKOFF_MAX = 300.0
#: attempts at the start-up sync of sources (daemons starting together race on new sources)
SYNC_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class DaemonOptions:
    """Timing knobs. The defaults suit production; tests shorten the lease and the grace."""

    tick: float = 1.0  # seconds between looks for due sources, pending work and digest times
    # how long a claimed source stays ours without a heartbeat renewing it, i.e. how soon the
    # sources of a daemon that died come back; None: two heartbeats. Longer than a heartbeat.
    lease: timedelta | None = None
    grace: float = 30.0  # seconds in-flight work may take after SIGTERM
    heartbeat: float = 15.0  # seconds between heartbeats (each renews this daemon's leases)
    housekeeping: float = 3600.0  # seconds between retention runs
    # seconds between processing runs that no poll of ours asked for: articles stored by another
    # process (backfill --no-process, `aggregator fetch` elsewhere) are picked up this late
    pending_check: float = 300.0
    digest_retry: timedelta = timedelta(minutes=5)  # after a failed delivery
    # after finding another owner's live claim on the digest: until that claim can have expired
    in_flight_retry: timedelta = CLAIM + timedelta(minutes=1)
    catch_up: bool = True  # on start-up, send the latest digest whose time passed while down
    batch: int = jobs.BATCH  # sources claimed and not yet stored, at most
    # seconds a SIGHUP reload may spend reading the configuration; past it the reload is
    # abandoned and the running configuration kept (a file within the reader's limits takes
    # a few seconds at worst)
    reload_timeout: float = 30.0

    def __post_init__(self) -> None:
        if self.heartbeat <= 0:
            raise ValueError(f"the heartbeat must be positive, got {self.heartbeat:g} s")
        if self.batch < 1:
            raise ValueError(f"the batch must hold at least one source, got {self.batch}")
        if self.lease is not None and self.lease.total_seconds() <= self.heartbeat:
            raise ValueError(
                f"the lease ({self.lease.total_seconds():g} s) must be longer than the heartbeat "
                f"({self.heartbeat:g} s), which renews it: leases would lapse between renewals"
            )

    @property
    def lease_duration(self) -> timedelta:
        """The lease in force: as given, or two heartbeats."""
        return self.lease if self.lease is not None else timedelta(seconds=2 * self.heartbeat)


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
        after_process: ProcessFn | None = None,
        sole: bool = False,
    ) -> None:
        """``sole``: this daemon holds the one-daemon lock of its database (SQLite), so any
        other daemon's leases are a dead one's. ``after_process``: run after each processing
        run while ``settings.web.stored_pages`` is true (the CLI passes the web archive's page
        maker, which this layer cannot import); its report is logged, its failure too."""
        self.store = store
        self.sole = sole
        self.settings = settings
        self.config_path = config_path
        self.options = options or DaemonOptions()
        self.owner = owner or process_owner()
        self._deliver = deliver or self._deliver_via_ledger
        self._process = process or jobs.Processing()  # one grouper for its lifetime
        self._after_process = after_process
        self._stopping = threading.Event()
        # what signal handlers ask for ("stop", "reload"); SimpleQueue.put is reentrant, so a
        # handler can call it whatever the main thread was doing (an Event's lock is not)
        self._requests: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._loader: threading.Thread | None = None  # a reload still reading the file
        self._dirty = threading.Event()
        self._dirty.set()  # whatever a previous run left unprocessed is processed first
        self._process_failures = 0
        self._process_after = 0.0  # time.monotonic() before which processing is not retried
        self._sweep_at = time.monotonic() + self.options.pending_check  # next unasked-for run
        self._rng = random.Random()
        self._digests: dict[str, DigestSchedule] = {}
        self._poller = Poller(
            store,
            owner=self.owner,
            lease=self.options.lease_duration,
            capacity=self.options.batch,
            rng=self._rng,
            on_source=jobs.log_source,
            on_pass=self._after_pass,
            on_error=self._pass_failed,
        )
        self._scheduler = BackgroundScheduler(
            # the heartbeat renews the leases: its own thread, so busy jobs never delay it
            executors={
                "default": ThreadPoolExecutor(max_workers=4),
                "heartbeat": ThreadPoolExecutor(max_workers=1),
            },
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
        jobs.release_dead_leases(self.store, self.owner, sole=self.sole)
        self._poller.start()
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
            executor="heartbeat",
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
                "heartbeat_s": self.options.heartbeat,
                "lease_s": self.options.lease_duration.total_seconds(),
            },
        )

    @property
    def running(self) -> bool:
        """True between a successful :meth:`start` and :meth:`stop`."""
        return bool(self._scheduler.running) and not self._stopping.is_set()

    def request_stop(self) -> None:
        """Ask the main loop to stop (safe from a signal handler: it only queues the request)."""
        self._requests.put(_STOP)

    def request_reload(self) -> None:
        """Ask the main loop to reload the configuration (safe from a signal handler: it only
        queues the request; the main loop reads the file, in a thread, within a time limit)."""
        self._requests.put(_RELOAD)

    def wait(self) -> None:
        """Serve reload requests until a stop is requested."""
        while not self._stopping.is_set():
            if self._next_request(timeout=1.0) != _RELOAD:
                continue
            try:
                self.reload()
            except Exception:
                # a bug past the reader (the sync, the digest schedules): the daemon goes on
                log.exception("reload crashed, keeping the previous configuration")

    def _next_request(self, timeout: float) -> str | None:
        """The next queued request, or None after ``timeout``; a stop takes effect here."""
        try:
            request = self._requests.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None
        if request == _STOP:
            self._stopping.set()
        return request

    def stop(self) -> bool:
        """Stop claiming work, let in-flight jobs finish within the grace period, release leases.

        Returns True when everything finished in time; False when work was abandoned (it is
        safe to abandon: its leases expire and every write it did is committed or not at all).
        """
        self._stopping.set()
        log.info("stopping: finishing in-flight work", extra={"grace_s": self.options.grace})
        deadline = time.monotonic() + self.options.grace
        drained = threading.Thread(target=self._scheduler.shutdown, kwargs={"wait": True})
        drained.start()
        drained.join(self.options.grace)
        fetched = self._poller.drain(max(0.0, deadline - time.monotonic()))
        finished = fetched and not drained.is_alive()
        if not finished:
            log.warning("grace period over: abandoning in-flight work; its leases are given back")
        try:
            released = self.store.release(self.owner)
            jobs.heartbeat(self.store, self.owner, state="stopped")
        except AggregatorError as exc:
            log.error("could not release leases on stop", extra={"error": str(exc)})
            released = 0
        self._poller.close()
        log.info("daemon stopped", extra={"drained": finished, "leases_released": released})
        return finished

    # -- configuration ------------------------------------------------------------------------

    def reload(self) -> bool:
        """Re-read the configuration file and sync sources; a bad file keeps the old config.

        The file is read in a thread, within ``reload_timeout``; meanwhile a stop request is
        still obeyed at once. Whatever goes wrong is logged once, as "reload refused", and the
        running configuration stays.
        """
        if self.config_path is None:
            log.warning("reload asked but the daemon was started without a configuration file")
            return False
        log.info("reloading the configuration", extra={"config": str(self.config_path)})
        try:
            settings = self._read_config(self.config_path)
        except _ReloadRefused as exc:
            log.error(
                "reload refused, keeping the previous configuration", extra={"error": str(exc)}
            )
            return False
        if settings is None:  # a stop was requested meanwhile
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

    def _read_config(self, path: Path) -> Settings | None:
        """The validated configuration at ``path``, read in a thread within the time limit;
        None when a stop was requested before it was read. Raises _ReloadRefused."""
        if self._loader is not None and self._loader.is_alive():
            raise _ReloadRefused(
                "the previous reload is still reading the configuration; send SIGHUP again "
                "once it has been logged"
            )
        outcome: list[Settings | BaseException] = []

        def read() -> None:
            try:
                outcome.append(load_settings(path))
            except BaseException as exc:  # handed to the main loop, which logs it
                outcome.append(exc)

        self._loader = threading.Thread(target=read, name="config-reload", daemon=True)
        self._loader.start()
        ended, again = self._wait_for_loader(self._loader, self.options.reload_timeout)
        if again:
            self._requests.put(_RELOAD)  # a SIGHUP that came meanwhile: read the file anew
        if ended == "stopped":
            log.info("stop requested while reloading: the reload is abandoned")
            return None
        if ended == "timeout":
            raise _ReloadRefused(
                f"reading {path} took longer than {self.options.reload_timeout:g} s "
                "(reload_timeout); the configuration was not reloaded"
            )
        result = outcome[0]
        if isinstance(result, ConfigError):
            raise _ReloadRefused(str(result)) from result
        if isinstance(result, BaseException):
            # a bug in the reader: its traceback is logged, the daemon keeps its configuration
            log.error("reading the configuration crashed", exc_info=result)
            raise _ReloadRefused(
                f"reading {path} failed unexpectedly ({type(result).__name__}: {result})"
            ) from result
        return result

    def _wait_for_loader(
        self, loader: threading.Thread, limit: float
    ) -> tuple[Literal["done", "stopped", "timeout"], bool]:
        """Wait up to ``limit`` seconds for ``loader``, serving requests meanwhile: how the wait
        ended, and whether another reload was asked for."""
        deadline = time.monotonic() + limit
        again = False
        while loader.is_alive():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return "timeout", again
            request = self._next_request(timeout=min(remaining, 0.05))
            if request == _STOP:
                return "stopped", again
            again = again or request == _RELOAD
        return "done", again

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
        # claims and starts a pass over what is due; never waits for a pass to end
        self._poller.poll(self.settings)

    def _after_pass(self, report: PassReport) -> None:
        if report.sources:
            log.info(
                "poll",
                extra={
                    "sources": len(report.sources),
                    "new": report.new,
                    "updated": report.updated,
                    "failed": report.failed,
                },
            )
        if report.new_article_ids or report.changed_article_ids:
            self._dirty.set()

    def _pass_failed(self, exc: BaseException) -> None:
        if isinstance(exc, AggregatorError):
            log.error("poll failed", extra={"job": "poll", "error": str(exc)})
        else:
            log.error("poll crashed", extra={"job": "poll"}, exc_info=exc)

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
        if self._after_process is not None and self.settings.settings.web.stored_pages:
            self._make_pages(self._after_process)

    def _make_pages(self, make: ProcessFn) -> None:
        """The archive's pages made ahead; a failure is logged and left for the next run (the
        store forgets a page a write reaches whether or not this runs)."""
        try:
            report = make(self.store, self.settings)
        except AggregatorError as exc:
            log.error("making pages failed", extra={"job": "pages", "error": str(exc)})
            return
        if report is not None:
            fields = jobs.as_fields(report)
            made = any(fields.get(name) for name in ("events", "actors", "left"))
            log.log(logging.INFO if made else logging.DEBUG, "pages made", extra=fields)

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
        jobs.heartbeat(self.store, self.owner, lease=self.options.lease_duration)

    def _housekeeping(self) -> None:
        report = jobs.housekeeping(self.store, self.settings)
        log.info("housekeeping", extra=jobs.as_fields(report))

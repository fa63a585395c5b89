"""The always-on daemon (``aggregator run``): APScheduler wiring, signals, leases. The only
scheduler code; the work itself is in :mod:`aggregator.daemon_jobs`.

    start:  lock (SQLite only) -> sync feeds.yaml -> heartbeat -> catch up a missed digest
    every tick (1 s):     poll   claim due sources (leases), fetch, store       -> dirty
                          process  if dirty: extract + group                     (idempotent)
                          digests  a subscription's cron time passed? deliver once (ledger)
    every 15 s:           heartbeat;   every hour: housekeeping (retention, stuck digests)
    SIGHUP:  reload feeds.yaml (sources added/changed/removed); a bad file keeps the old one
    SIGTERM/SIGINT: stop claiming, let in-flight jobs finish within the grace period, release
                    leases, mark the heartbeat stopped, exit 0

Every time decision goes through :func:`aggregator.clock.now` (the digest cron triggers are
evaluated against it on each tick), so tests can move the daemon's clock. Crash safety comes from
the store, not from here: writes are upserts in one transaction each, leases expire, processing
is idempotent, and the digest ledger sends at most once per (subscription, period).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from aggregator import clock, daemon_jobs
from aggregator.config import Settings, SubscriptionConfig, load_settings, parse_duration
from aggregator.digest import Period, previous_day
from aggregator.errors import AggregatorError, ConfigError, StoreError
from aggregator.logs import setup_logging
from aggregator.pipeline import LEASE, process_owner
from aggregator.store import Store, open_store

log = logging.getLogger("aggregator.daemon")

DEFAULT_DB = "sqlite:///aggregator.db"
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
    digest_retry: timedelta = timedelta(minutes=5)  # after a failed delivery
    catch_up: bool = True  # on start-up, send the latest digest whose time passed while down
    batch: int = daemon_jobs.BATCH


class DigestSchedule:
    """When one subscription's digest is due: a cron trigger at ``send_at`` in its time zone.

    ``due(now)`` returns the latest fire time not yet handled (several missed while the daemon
    was busy or down coalesce into one), so each period is attempted once per fire time, and
    the store's ledger makes the sending itself at most once across restarts and daemons.
    """

    def __init__(self, subscription: SubscriptionConfig, *, catch_up: bool = True) -> None:
        self.subscription = subscription
        self._trigger = CronTrigger(
            hour=subscription.send_at.hour,
            minute=subscription.send_at.minute,
            timezone=subscription.tzinfo,
        )
        self._catch_up = catch_up
        self._checked: datetime | None = None
        self._retry: tuple[datetime, datetime] | None = None  # (fire time, retry at)

    def fires_between(self, start: datetime, end: datetime) -> list[datetime]:
        """Fire times in ``(start, end]``, oldest first."""
        found: list[datetime] = []
        fire = self._trigger.get_next_fire_time(None, start + timedelta(microseconds=1))
        while fire is not None and fire <= end:
            found.append(fire)
            fire = self._trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
        return found

    def due(self, now: datetime) -> datetime | None:
        """The fire time to act on now, if any; each fire time is returned once."""
        since = self._checked
        if since is None:
            since = now - timedelta(days=2) if self._catch_up else now
        self._checked = now
        fires = self.fires_between(since, now)
        if fires:
            self._retry = None  # a newer period supersedes a failed older attempt
            return fires[-1]
        if self._retry is not None and self._retry[1] <= now:
            fire, self._retry = self._retry[0], None
            return fire
        return None

    def failed(self, fire: datetime, *, retry_at: datetime) -> None:
        """Try ``fire``'s period again at ``retry_at`` unless a newer fire time comes first."""
        self._retry = (fire, retry_at)

    def period(self, fire: datetime) -> Period:
        """The period a fire time delivers: the day before it, in the subscription's zone."""
        return previous_day(fire, self.subscription.timezone)


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
        self._process = process or daemon_jobs.process
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._reload_requested = threading.Event()
        self._dirty = threading.Event()
        self._dirty.set()  # whatever a previous run left unprocessed is processed first
        self._process_failures = 0
        self._process_after = 0.0  # time.monotonic() before which processing is not retried
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
        daemon_jobs.heartbeat(self.store, self.owner)
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
            daemon_jobs.heartbeat(self.store, self.owner, state="stopped")
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
        summary = daemon_jobs.poll_due(
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
        if report is not None:
            log.info("processed", extra=daemon_jobs.as_fields(report))

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
            log.info("digest", extra={**context, **daemon_jobs.as_fields(report)})

    def _deliver_via_ledger(
        self, store: Store, settings: Settings, sub: SubscriptionConfig, period: Period
    ) -> object:
        return daemon_jobs.deliver_due(store, settings, sub, period, owner=self.owner)

    def _beat(self) -> None:
        daemon_jobs.heartbeat(self.store, self.owner)

    def _housekeeping(self) -> None:
        report = daemon_jobs.housekeeping(self.store, self.settings)
        log.info("housekeeping", extra=daemon_jobs.as_fields(report))


# ---------------------------------------------------------------------------- entry points


def run_daemon(
    config_path: Path,
    *,
    db_url: str | None,
    json_logs: bool = False,
    options: DaemonOptions | None = None,
    install_signals: bool = True,
) -> int:
    """Run the daemon until SIGTERM/SIGINT; returns the process exit code.

    0 after a clean stop; 1 when it cannot start (invalid configuration, unreachable database,
    another daemon on the same SQLite database). ``db_url`` overrides the configuration's
    ``database_url`` (default ``sqlite:///aggregator.db``).
    """
    setup_logging(json_logs=json_logs)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # its own notices are noise here
    try:
        settings = load_settings(config_path)
        url = db_url or settings.settings.database_url or DEFAULT_DB
        lock_path = daemon_jobs.sqlite_path(url)
        lock = daemon_jobs.SingleDaemonLock(lock_path) if lock_path is not None else None
        if lock is not None:
            lock.acquire()
    except AggregatorError as exc:
        log.error("cannot start: %s", exc)
        return 1
    try:
        try:
            store = _open_store(url)
        except AggregatorError as exc:
            log.error("cannot start: %s", exc)
            return 1
        try:
            daemon = Daemon(store, settings, config_path=config_path, options=options)
            previous = _install_signals(daemon) if install_signals else {}
            try:
                daemon.start()
            except AggregatorError as exc:
                log.error("cannot start: %s", exc)
                return 1
            finally:
                if not daemon.running:
                    _restore_signals(previous)
            try:
                daemon.wait()
            finally:
                daemon.stop()
                _restore_signals(previous)
        finally:
            store.close()
    finally:
        if lock is not None:
            lock.release()
    return 0


_Handler = Callable[[int, FrameType | None], Any] | int | None


def _install_signals(daemon: Daemon) -> dict[int, _Handler]:
    def on_stop(signum: int, _frame: FrameType | None) -> None:
        daemon.request_stop()

    def on_hup(_signum: int, _frame: FrameType | None) -> None:
        daemon.request_reload()

    previous: dict[int, _Handler] = {}
    for signum, handler in (
        (signal.SIGTERM, on_stop),
        (signal.SIGINT, on_stop),
        (signal.SIGHUP, on_hup),
    ):
        previous[signum] = signal.signal(signum, handler)
    return previous


def _open_store(url: str) -> Store:
    """Open (and migrate) the store; daemons starting together may race on the migration."""
    for attempt in range(1, SYNC_ATTEMPTS + 1):
        try:
            return open_store(url)
        except StoreError:
            if attempt == SYNC_ATTEMPTS:
                raise
            time.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


def _restore_signals(previous: dict[int, _Handler]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def _duration(text: str) -> timedelta:
    try:
        return parse_duration(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m aggregator.daemon --config F [--db URL] [--json-logs]``."""
    defaults = DaemonOptions()
    parser = argparse.ArgumentParser(prog="python -m aggregator.daemon")
    parser.add_argument(
        "--config", type=Path, default=Path(os.environ.get("AGGREGATOR_CONFIG", "feeds.yaml"))
    )
    parser.add_argument("--db", default=os.environ.get("AGGREGATOR_DATABASE_URL"))
    parser.add_argument("--json-logs", action="store_true")
    parser.add_argument("--tick", type=float, default=defaults.tick, help="seconds")
    parser.add_argument("--lease", type=_duration, default=defaults.lease, help="e.g. 10m")
    parser.add_argument("--grace", type=float, default=defaults.grace, help="seconds")
    parser.add_argument("--heartbeat", type=float, default=defaults.heartbeat)
    args = parser.parse_args(argv)
    options = DaemonOptions(
        tick=args.tick, lease=args.lease, grace=args.grace, heartbeat=args.heartbeat
    )
    return run_daemon(args.config, db_url=args.db, json_logs=args.json_logs, options=options)


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # abandoned worker threads (grace period over) must not hold the exit: they are safe to drop
    os._exit(code)

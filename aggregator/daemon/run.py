"""Running the daemon as a process: :func:`run_daemon` and its command line."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from aggregator.config import database_url, load_settings, parse_duration
from aggregator.daemon.lock import SingleDaemonLock, sqlite_path
from aggregator.daemon.service import SYNC_ATTEMPTS, Daemon, DaemonOptions, ProcessFn
from aggregator.errors import AggregatorError, ConfigError, StoreError
from aggregator.logs import setup_logging
from aggregator.store import Store, open_store

log = logging.getLogger("aggregator.daemon")


def run_daemon(
    config_path: Path,
    *,
    db_url: str | None,
    json_logs: bool = False,
    options: DaemonOptions | None = None,
    install_signals: bool = True,
    after_process: ProcessFn | None = None,
) -> int:
    """Run the daemon until SIGTERM/SIGINT; returns the process exit code.

    0 after a clean stop; 1 when it cannot start (invalid configuration, unreachable database,
    another daemon on the same SQLite database). ``db_url`` overrides the configuration's
    ``database_url`` (default ``sqlite:///aggregator.db``). ``after_process`` runs after each
    processing run while ``settings.web.stored_pages`` is true (``Daemon``).
    """
    setup_logging(json_logs=json_logs)
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # its own notices are noise here
    try:
        settings = load_settings(config_path)
        url = database_url(settings, db_url)
        lock_path = sqlite_path(url)
        lock = SingleDaemonLock(lock_path) if lock_path is not None else None
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
            daemon = Daemon(
                store,
                settings,
                config_path=config_path,
                options=options,
                after_process=after_process,
                sole=lock is not None,
            )
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


def exit_process(code: int) -> NoReturn:
    """End the process with ``code`` at once, after flushing logs and output.

    Call it after :func:`run_daemon` returns: when a stop's grace period ran out, abandoned
    worker threads may still be blocked in I/O and a normal exit would wait for them (what they
    did is committed or not at all, and their leases expire).
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


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


def _seconds(text: str) -> float:
    """Seconds, as a number (``1.5``) or a duration (``15s``, ``1m``)."""
    try:
        return float(text)
    except ValueError:
        return _duration(text).total_seconds()


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
    parser.add_argument(
        "--lease", type=_duration, default=None, help="e.g. 30s (default: two heartbeats)"
    )
    parser.add_argument("--grace", type=float, default=defaults.grace, help="seconds")
    parser.add_argument(
        "--heartbeat", type=_seconds, default=defaults.heartbeat, help="seconds, or e.g. 15s"
    )
    parser.add_argument(
        "--reload-timeout",
        type=float,
        default=defaults.reload_timeout,
        help="seconds a SIGHUP reload may take",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=defaults.batch,
        help="sources this daemon holds claimed and not yet stored, at most",
    )
    args = parser.parse_args(argv)
    try:
        options = DaemonOptions(
            tick=args.tick,
            lease=args.lease,
            grace=args.grace,
            heartbeat=args.heartbeat,
            reload_timeout=args.reload_timeout,
            batch=args.batch,
        )
    except ValueError as exc:
        parser.error(str(exc))
    return run_daemon(args.config, db_url=args.db, json_logs=args.json_logs, options=options)

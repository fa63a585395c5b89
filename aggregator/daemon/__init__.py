"""The always-on daemon (``aggregator run``): APScheduler wiring, signals, leases. The only
scheduler code in the project.

    start:  lock (SQLite only) -> sync feeds.yaml -> heartbeat -> release the leases of dead
            holders -> catch up a missed digest
    every tick (1 s):     poll   claim due sources (leases), start a pass over them on the
                                 poller's loop without waiting for it; each stores as it goes
                                 -> dirty
                          process  if dirty (or 5 min passed): extract + group   (idempotent)
                          digests  a subscription's cron time passed? deliver once (ledger)
    every 15 s:           heartbeat (renews this daemon's leases);   every hour: housekeeping
    SIGHUP:  reload feeds.yaml (sources added/changed/removed); a bad file keeps the old one
    SIGTERM/SIGINT: stop claiming, let in-flight jobs finish within the grace period, release
                    leases, mark the heartbeat stopped, exit 0

Every time decision goes through :func:`aggregator.clock.now` (the digest cron triggers are
evaluated against it on each tick), so tests can move the daemon's clock. Crash safety comes from
the store, not from here: writes are upserts in one transaction each, leases lapse once their
holder stops renewing them, processing is idempotent, and the digest ledger sends at most once
per (subscription, period).

Modules: :mod:`.service` (the :class:`Daemon`: jobs wired to the scheduler, lifecycle, reload),
:mod:`.poller` (passes side by side on one event loop), :mod:`.jobs` (what each job does,
scheduler-free), :mod:`.schedule` (digest cron times), :mod:`.lock` (one daemon per SQLite
file), :mod:`.run` (:func:`run_daemon`, the command line).
"""

from aggregator.daemon.lock import SingleDaemonLock
from aggregator.daemon.run import exit_process, main, run_daemon
from aggregator.daemon.schedule import DigestSchedule
from aggregator.daemon.service import Daemon, DaemonOptions
from aggregator.errors import DaemonAlreadyRunning

__all__ = [
    "Daemon",
    "DaemonAlreadyRunning",
    "DaemonOptions",
    "DigestSchedule",
    "SingleDaemonLock",
    "exit_process",
    "main",
    "run_daemon",
]

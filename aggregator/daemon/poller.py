"""The daemon's fetching: passes over claimed sources, side by side on one event loop.

    every tick, poll(settings):
        room   = capacity - sources in flight                       # bounded concurrency
        states = store.claim_due(now, owner, lease, limit=room)      # a lease each: one fetcher
        start fetch_claimed(states) on the loop, and return at once   # never waits for a pass
    as each source is stored:  on_source(report), its room is free again
    as each pass ends:         on_pass(report)    (new articles -> processing), or on_error(exc)

A slow source holds up nothing but itself: a source due again while it is in flight is claimed
by a later tick and fetched in a pass of its own. Every pass runs on the poller's one event loop,
so all of them share the loop's fetch slots (:class:`aggregator.fetch.Fetcher`:
``max_connections`` overall, ``max_per_host`` a host): politeness holds across passes.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import timedelta

from aggregator import clock
from aggregator.config import Settings
from aggregator.pipeline.poll import PassReport, SourceReport, fetch_claimed
from aggregator.store import Store

log = logging.getLogger("aggregator.daemon")


class Poller:
    """Passes of claimed sources on an event loop thread of their own; see the module docstring.

    ``poll`` is called from the scheduler's threads; the callbacks run on the loop's thread.
    """

    def __init__(
        self,
        store: Store,
        *,
        owner: str,
        lease: timedelta,
        capacity: int,
        rng: random.Random,
        on_source: Callable[[SourceReport], None],
        on_pass: Callable[[PassReport], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        if capacity < 1:
            raise ValueError(f"the poller needs room for at least one source, got {capacity}")
        self._store = store
        self._owner = owner
        self._lease = lease
        self._capacity = capacity
        self._rng = rng
        self._on_source = on_source
        self._on_pass = on_pass
        self._on_error = on_error
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition()
        self._in_flight = 0  # sources claimed and not yet stored
        self._passes = 0  # passes not yet ended

    def start(self) -> None:
        """Start the event loop on a thread of its own (passes start with :meth:`poll`)."""
        loop = self._loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(loop)
            loop.run_forever()

        self._thread = threading.Thread(target=run, name="aggregator-poller", daemon=True)
        self._thread.start()

    @property
    def in_flight(self) -> int:
        """Sources claimed by this poller and not yet stored."""
        with self._changed:
            return self._in_flight

    def poll(self, settings: Settings) -> int:
        """Claim the due sources there is room for and start a pass over them; how many."""
        loop = self._loop
        if loop is None:
            raise RuntimeError("start the poller before polling")
        with self._changed:
            room = self._capacity - self._in_flight
        if room <= 0:
            return 0
        states = self._store.claim_due(
            now=clock.now(), owner=self._owner, lease=self._lease, limit=room
        )
        if not states:
            return 0
        with self._changed:
            self._in_flight += len(states)
            self._passes += 1
        unreported = {state.source.name for state in states}

        def source_stored(report: SourceReport) -> None:
            with self._changed:
                if report.source in unreported:
                    unreported.discard(report.source)
                    self._in_flight -= 1
                    self._changed.notify_all()
            self._on_source(report)

        future = asyncio.run_coroutine_threadsafe(
            fetch_claimed(
                self._store,
                settings,
                states,
                owner=self._owner,
                on_source=source_stored,
                rng=self._rng,
            ),
            loop,
        )

        def ended(done: Future[PassReport]) -> None:
            with self._changed:
                self._in_flight -= len(unreported)
                unreported.clear()
                self._passes -= 1
                self._changed.notify_all()
            if done.cancelled():
                return
            failure = done.exception()
            if failure is not None:
                self._on_error(failure)
            else:
                self._on_pass(done.result())

        future.add_done_callback(ended)
        return len(states)

    def drain(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every pass to end; True if they all did."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._passes:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def close(self) -> None:
        """Stop the loop. Passes still running are abandoned (the caller releases their leases);
        call :meth:`drain` first to let them finish."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        with self._changed:
            abandoned = self._passes
        if not thread.is_alive() and not abandoned:
            loop.close()
        self._loop = self._thread = None

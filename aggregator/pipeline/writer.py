"""The pass's store writer: one thread that saves fetches while the event loop goes on.

Store calls are synchronous. Made on the loop thread, every database round-trip would stall
fetching and parsing; on this writer's thread they overlap with both (the drivers release the
GIL while they wait). One thread, so writes never contend with each other for SQLite's lock.

    async with StoreWriter(store) as writer:
        report = await writer.save(FetchToSave(state, result, articles, poll, now))
        known = await writer.run(store.known_guids, source, guids)   # a pass's reads, too

Fetches queue up while a transaction runs; the next round takes the whole queue:

    each fetch with entries        -> Store.save_fetch     (a transaction each: a crash loses
                                                            only what was not yet committed)
    all bookkeeping-only fetches   -> Store.save_fetches   (304s and failures: one transaction
                                                            for up to MAX_BOOKKEEPING of them)

Every fetch still ends as one fetch_log row, and a transaction is all or nothing. A write that
fails fails only its own fetch: a batch of bookkeeping that fails is retried a fetch at a time,
so the error reaches the one fetch it belongs to, and the queue goes on. Only a store that
cannot be used at all (:class:`~aggregator.errors.StoreUnavailableError`: unreachable, locked,
full) fails every fetch not yet committed at once, rather than each after its own wait.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any, Self, TypeVar

from aggregator.errors import StoreUnavailableError
from aggregator.store import FetchToSave, SaveReport, Store

#: bookkeeping outcomes per transaction: enough to amortise the commit, short enough that an
#: SQLite write lock is not held long against other processes
MAX_BOOKKEEPING = 100

_Pending = tuple[FetchToSave, "asyncio.Future[SaveReport]"]
T = TypeVar("T")


class StoreWriter:
    """Saves a pass's fetches on one thread; see the module docstring."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="aggregator-store-writer")
        self._queue: list[_Pending] = []
        self._rounds: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        rounds = self._rounds
        if rounds is not None and not rounds.done():
            if exc is not None:
                rounds.cancel()
            await asyncio.gather(rounds, return_exceptions=True)
        # waits for a transaction still running on the thread: nothing is left half-written
        self._executor.shutdown(wait=True)

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        """Run another store call (a read) on the writer's thread, after what is running there.

        Keeps every store call of a pass on one thread: an in-memory SQLite store has a single
        connection, which two threads must not use at once.
        """
        return await asyncio.get_running_loop().run_in_executor(self._executor, call, *args)

    async def save(self, fetch: FetchToSave) -> SaveReport:
        """Queue ``fetch`` and wait until it is committed; return what was stored."""
        done: asyncio.Future[SaveReport] = asyncio.get_running_loop().create_future()
        self._queue.append((fetch, done))
        if self._rounds is None or self._rounds.done():
            self._rounds = asyncio.create_task(self._write_rounds())
        return await done

    async def _write_rounds(self) -> None:
        while self._queue:
            queued, self._queue = self._queue, []
            groups = _split(queued)
            for index, group in enumerate(groups):
                try:
                    await self._commit(group)
                except StoreUnavailableError as exc:
                    # nothing more can be written: every fetch not yet committed fails now
                    _fail([p for g in groups[index:] for p in g] + self._queue, exc)
                    self._queue = []
                    return

    async def _commit(self, group: list[_Pending]) -> None:
        """Write ``group`` in one transaction; if that fails, each of its fetches on its own."""
        loop = asyncio.get_running_loop()
        try:
            reports = await loop.run_in_executor(self._executor, self._write, group)
        except StoreUnavailableError:
            raise
        except Exception as exc:
            if len(group) == 1:
                _fail(group, exc)
                return
            # one fetch's error rolled the whole batch back: the others are not to blame
            for pending in group:
                await self._commit([pending])
            return
        for (_, waiter), report in zip(group, reports, strict=True):
            if not waiter.done():
                waiter.set_result(report)

    def _write(self, group: list[_Pending]) -> list[SaveReport]:
        """On the writer thread: one transaction for ``group``."""
        fetches = [fetch for fetch, _ in group]
        if len(fetches) == 1:
            f = fetches[0]
            return [self._store.save_fetch(f.state, f.result, f.articles, f.poll, now=f.now)]
        return self._store.save_fetches(fetches)


def _fail(pending: list[_Pending], exc: BaseException) -> None:
    for _, waiter in pending:
        if not waiter.done():
            waiter.set_exception(exc)


def _split(queued: list[_Pending]) -> list[list[_Pending]]:
    """The transactions for one round: each fetch with entries alone, bookkeeping together."""
    with_entries = [[p] for p in queued if p[0].articles]
    bookkeeping = [p for p in queued if not p[0].articles]
    batches = [
        bookkeeping[i : i + MAX_BOOKKEEPING] for i in range(0, len(bookkeeping), MAX_BOOKKEEPING)
    ]
    return with_entries + batches

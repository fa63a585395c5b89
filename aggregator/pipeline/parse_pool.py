"""Feed parsing off the event loop: inline for small passes, in worker processes for big ones.

Parsing is the CPU-bound part of a pass (feedparser, then lxml and nh3 per entry). With the
whole pass on one thread, fetching and database round-trips wait for it; in a worker process it
runs on another core while the pass's main process fetches and writes. A worker process costs
little: the pool forks its workers from multiprocessing's *forkserver*, which has
``aggregator.parse`` preloaded (0.3 s once per process, then ~15 ms a pool), and never forks the
caller itself, whose threads (the store writer, a daemon's scheduler) could hold locks at fork
time. Each worker also imports the caller's main module, as multiprocessing does: nothing for
``python -m aggregator.daemon``, about a second for the ``aggregator`` console script (paid on
the worker's core while the first feeds download). So, as with any multiprocessing use, a script
that runs a pass keeps its work under ``if __name__ == "__main__":``.

    parser = FeedParser.for_sources(len(states))    # a pool only from POOL_MIN_SOURCES up
    with parser:
        outcome = await parser.parse(job)           # ParseOutcome: a ParsedFeed or an error

The pool takes as many documents as it has workers, plus one waiting; a document beyond that is
parsed inline, on the main process's core, which otherwise mostly waits for the network and the
database (and before the pool's first worker is ready). The pool starts at the first document,
so a pass of 304s never starts one.

A parse error comes back as a value (``ParseOutcome.error``): exceptions crossing the process
boundary would need to pickle. A worker that dies (a crash in a C extension, the OOM killer)
breaks the pool; what it was parsing, and every later document, is then parsed inline, so the
pass still completes.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from typing import Self

from aggregator.errors import FeedParseError
from aggregator.model import ParsedFeed
from aggregator.parse import parse_feed

#: below this many sources a pass parses inline: a pool would not pay for its start
POOL_MIN_SOURCES = 20


@dataclass(frozen=True, slots=True)
class ParseJob:
    """Everything :func:`aggregator.parse.parse_feed` needs, as picklable values."""

    body: bytes
    source: str
    url: str | None
    headers: Mapping[str, str]
    source_language: str | None  # the configured one; see parse_feed
    # the caller's clock, not the worker's: tests and the daemon may move time
    now: datetime


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """A parsed feed, or why nothing usable could be recovered (``FeedParseError``'s message)."""

    feed: ParsedFeed | None
    error: str | None = None


def parse_job(job: ParseJob) -> ParseOutcome:
    """Parse one document; a :class:`FeedParseError` becomes ``ParseOutcome(None, message)``."""
    try:
        feed = parse_feed(
            job.body,
            source=job.source,
            url=job.url,
            headers=dict(job.headers),
            source_language=job.source_language,
            now=job.now,
        )
    except FeedParseError as exc:
        return ParseOutcome(None, str(exc))
    return ParseOutcome(feed)


def default_workers() -> int:
    """One worker per core but one: the main process keeps a core for fetching and writing."""
    return max(1, (os.cpu_count() or 2) - 1)


class FeedParser:
    """Parses documents for one pass, in worker processes when the pass is big enough.

    Use as a context manager: leaving it shuts the workers down (after their current document).
    """

    def __init__(self, workers: int = 0) -> None:
        """``workers=0`` parses inline on the calling thread; otherwise in that many processes."""
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._queued = 0  # documents handed to the pool and not yet back

    @classmethod
    def for_sources(cls, count: int, workers: int | None = None) -> FeedParser:
        """A parser for a pass over ``count`` sources: pooled from :data:`POOL_MIN_SOURCES`."""
        return cls(0 if count < POOL_MIN_SOURCES else workers or default_workers())

    @property
    def pooled(self) -> bool:
        """Whether documents go to worker processes (from the first one on)."""
        return self._workers > 0

    def __enter__(self) -> Self:
        return self

    def _start(self) -> ProcessPoolExecutor:
        """The pool, started at the first document: a pass of 304s never starts one."""
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            # effective only before the forkserver starts (later calls are no-ops); "__main__"
            # is multiprocessing's own default, kept
            context.set_forkserver_preload(["__main__", "aggregator.parse"])
            self._pool = ProcessPoolExecutor(self._workers, mp_context=context)
        return self._pool

    def __exit__(self, *_exc: object) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    async def parse(self, job: ParseJob) -> ParseOutcome:
        """Parse ``job`` in a worker if pooled (the loop keeps running meanwhile), else inline."""
        # With every worker busy and one more document waiting, this one is parsed here: the
        # main process mostly waits on the network and the database, and so lends its core
        # (also while the pool starts, before any worker is ready).
        if self._workers > 0 and self._queued <= self._workers:
            pool = self._start()
            self._queued += 1
            try:
                return await asyncio.get_running_loop().run_in_executor(pool, parse_job, job)
            except BrokenProcessPool:
                # a worker died; its document is retried here, and so is everything after
                if self._pool is pool:
                    self._workers, self._pool = 0, None
                    pool.shutdown(wait=False, cancel_futures=True)
            finally:
                self._queued -= 1
        return parse_job(job)

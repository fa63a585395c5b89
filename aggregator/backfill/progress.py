"""How a backfill shows progress: a rich bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import logging
import sys
import time
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

log = logging.getLogger("aggregator.backfill")


class BackfillProgress(Protocol):
    """Events of a backfill, in order: start, (source, page…, source done)…, close."""

    def start(self, sources: int) -> None: ...

    def source_started(self, source: str, *, resumed: bool) -> None: ...

    def page_done(self, source: str, where: str, *, entries: int, kept: int, new: int) -> None: ...

    def source_done(self, source: str, *, pages: int, kept: int, new: int, note: str) -> None: ...

    def close(self) -> None: ...


class LogProgress:
    """One structured log line per page and per source (for logs, pipes and cron mail)."""

    def __init__(self) -> None:
        self._started = time.monotonic()
        self._kept = 0

    def start(self, sources: int) -> None:
        log.info("backfill started", extra={"sources": sources})

    def source_started(self, source: str, *, resumed: bool) -> None:
        log.info("source started", extra={"source": source, "resumed": resumed})

    def page_done(self, source: str, where: str, *, entries: int, kept: int, new: int) -> None:
        self._kept += kept
        elapsed = max(time.monotonic() - self._started, 1e-9)
        log.info(
            "page",
            extra={
                "source": source,
                "page": where,
                "entries": entries,
                "in_range": kept,
                "new": new,
                "rate_per_s": round(self._kept / elapsed, 1),
            },
        )

    def source_done(self, source: str, *, pages: int, kept: int, new: int, note: str) -> None:
        log.info(
            "source done",
            extra={"source": source, "pages": pages, "in_range": kept, "new": new, "note": note},
        )

    def close(self) -> None:
        log.info("backfill finished", extra={"seconds": round(time.monotonic() - self._started, 1)})


class RichProgress:
    """A live bar: sources done of all (with ETA), and per source pages, entries and rate."""

    def __init__(self, console: Console | None = None) -> None:
        self._progress = Progress(
            TextColumn("{task.description:<24}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console or Console(stderr=True),
            transient=False,
        )
        self._overall: TaskID | None = None
        self._tasks: dict[str, TaskID] = {}
        self._counts: dict[str, tuple[int, int, int]] = {}  # pages, entries kept, new
        self._started: dict[str, float] = {}

    def start(self, sources: int) -> None:
        self._progress.start()
        self._overall = self._progress.add_task("sources", total=sources, detail="")

    def source_started(self, source: str, *, resumed: bool) -> None:
        # a source's page count is unknown until its archive ends: an open-ended bar
        self._tasks[source] = self._progress.add_task(
            source, total=None, detail="resuming" if resumed else ""
        )
        self._counts[source] = (0, 0, 0)
        self._started[source] = time.monotonic()

    def page_done(self, source: str, where: str, *, entries: int, kept: int, new: int) -> None:
        pages, total_kept, total_new = self._counts[source]
        pages, total_kept, total_new = pages + 1, total_kept + kept, total_new + new
        self._counts[source] = (pages, total_kept, total_new)
        rate = total_kept / max(time.monotonic() - self._started[source], 1e-9)
        self._progress.update(
            self._tasks[source],
            completed=pages,
            detail=f"pages {pages}  entries {total_kept} (new {total_new})  {rate:.0f}/s",
        )

    def source_done(self, source: str, *, pages: int, kept: int, new: int, note: str) -> None:
        task = self._tasks.get(source)
        if task is not None:
            self._progress.update(
                task,
                total=max(pages, 1),
                completed=max(pages, 1),
                detail=f"pages {pages}  entries {kept} (new {new})  {note}",
            )
        if self._overall is not None:
            self._progress.advance(self._overall)

    def close(self) -> None:
        self._progress.stop()


def make_progress(show: bool | None) -> BackfillProgress:
    """``show=None``: a bar when stderr is a terminal, log lines otherwise."""
    if show is None:
        show = sys.stderr.isatty()
    return RichProgress() if show else LogProgress()

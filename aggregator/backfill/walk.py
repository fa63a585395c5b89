"""Walking one source's past, page by page, with a checkpoint after every page.

    checkpoint finished?  -> skip (unless fresh)
    cursor = checkpoint's, or the first page (template page 1 / last day / the feed itself)
    loop (at most max_pages):
        fetch cursor's URL through the Fetcher (same limits, guard and politeness as polling)
        entries inside the range (+ their pages for full-text sources)
                                 -> store.save_entries (no polling state touched)
        next = older link / next template page / the day before / ?paged=N+1
        stop when a page reaches before the range start, is empty, brings nothing new,
             answers 404/410 after the first page, or there is no next page
        save_checkpoint(next cursor, pages, entries, finished = no next)

Interrupted anywhere, the next run starts at the last checkpoint's cursor; a page saved twice adds
nothing (entries are upserts keyed by source and guid).

Entries go through the same ``save_entries`` as polling, so an entry the database refuses is
left out (logged, and counted as ``refused``) while the rest of its page is stored. Anything
else that goes wrong in one source's walk (a save refused as a whole, a bug) ends that source's
walk with the error, at its last checkpoint, and the other sources go on; only a store that
cannot be used at all (:class:`~aggregator.errors.StoreUnavailableError`) ends the backfill.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from aggregator import clock
from aggregator.backfill.archives import (
    OLDER_RELATIONS,
    Cursor,
    DateRange,
    cursor_url,
    feed_links,
    first_cursor,
    judge_page,
    next_cursor,
)
from aggregator.backfill.folder import folder_files, read_file
from aggregator.backfill.progress import BackfillProgress
from aggregator.config import SourceConfig
from aggregator.errors import AggregatorError, FeedParseError, StoreUnavailableError
from aggregator.fetch import Fetcher, FetchRequest
from aggregator.model import Article, FetchOutcome, Source
from aggregator.parse import parse_feed
from aggregator.pipeline.poll import with_full_texts
from aggregator.store import Checkpoint, SaveReport, SyncReport
from aggregator.wording import plural

#: a walk never fetches more pages than this for one source in one run (a loop guard)
MAX_PAGES = 1000
_FILE_CURSOR = "file:"

log = logging.getLogger("aggregator.backfill")


class BackfillStore(Protocol):
    """The store methods a backfill uses (:class:`aggregator.store.Store` has them all)."""

    def sync_sources(self, sources: Sequence[Source], *, now: datetime) -> SyncReport: ...

    def known_guids(self, source: str, guids: Sequence[str]) -> set[str]: ...

    def save_entries(
        self, source: str, articles: Sequence[Article], *, now: datetime
    ) -> SaveReport: ...

    def checkpoint(self, source: str, start: datetime, end: datetime) -> Checkpoint | None: ...

    def save_checkpoint(
        self,
        source: str,
        start: datetime,
        end: datetime,
        *,
        cursor: str | None,
        pages_done: int,
        entries_done: int,
        finished: bool,
        now: datetime,
    ) -> None: ...


@dataclass(frozen=True, slots=True)
class SourceBackfill:
    """What the backfill did for one source in this run."""

    source: str
    pages: int  # pages (or files) read in this run
    entries: int  # entries on them
    in_range: int  # of which inside the range (stored)
    undated: int  # entries without a date (skipped)
    new: int
    updated: int
    unchanged: int
    finished: bool  # the whole range is loaded (the checkpoint says so)
    resumed: bool  # this run continued an interrupted one
    note: str  # why the walk stopped, or why the source was skipped
    error: str | None = None
    article_ids: tuple[int, ...] = ()
    refused: int = 0  # entries the database refused (each logged by the store)


@dataclass(slots=True)
class _Tally:
    pages: int = 0
    entries: int = 0
    kept: int = 0
    undated: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    resumed: bool = False
    ids: list[int] = field(default_factory=list)

    def add_page(self, articles: int, kept: int, undated: int, saved: SaveReport) -> None:
        self.pages += 1
        self.entries += articles
        self.kept += kept
        self.undated += undated
        self.new += saved.new
        self.updated += saved.updated
        self.unchanged += saved.unchanged
        self.refused += len(saved.refused)
        self.ids += [*saved.new_article_ids, *saved.changed_article_ids]


class Walk:
    """The state shared by one backfill run's source walks."""

    def __init__(
        self,
        store: BackfillStore,
        window: DateRange,
        progress: BackfillProgress,
        *,
        fresh: bool = False,
        max_pages: int = MAX_PAGES,
    ) -> None:
        self.store = store
        self.window = window
        self.progress = progress
        self.fresh = fresh
        self.max_pages = max_pages

    def _checkpoint(self, source: str) -> Checkpoint | None:
        if self.fresh:
            return None
        return self.store.checkpoint(source, self.window.start, self.window.end)

    def _save_checkpoint(
        self, source: str, cursor: str | None, done: int, entries: int, *, finished: bool
    ) -> None:
        self.store.save_checkpoint(
            source,
            self.window.start,
            self.window.end,
            cursor=cursor,
            pages_done=done,
            entries_done=entries,
            finished=finished,
            now=clock.now(),
        )

    def _save(self, source: str, articles: Sequence[Article]) -> SaveReport:
        return self.store.save_entries(source, articles, now=clock.now())

    def _result(
        self,
        source: str,
        tally: _Tally,
        *,
        finished: bool,
        note: str,
        error: str | None = None,
    ) -> SourceBackfill:
        self.progress.source_done(
            source, pages=tally.pages, kept=tally.kept, new=tally.new, note=error or note
        )
        return SourceBackfill(
            source=source,
            pages=tally.pages,
            entries=tally.entries,
            in_range=tally.kept,
            undated=tally.undated,
            new=tally.new,
            updated=tally.updated,
            unchanged=tally.unchanged,
            finished=finished,
            resumed=tally.resumed,
            note=note,
            error=error,
            article_ids=tuple(tally.ids),
            refused=tally.refused,
        )

    def _failed(self, source: str, tally: _Tally, exc: Exception) -> SourceBackfill:
        """``exc`` ended ``source``'s walk: its result, with what was stored before it."""
        if isinstance(exc, AggregatorError):
            error = " ".join(str(exc).split())
            log.warning("backfill of a source failed", extra={"source": source, "error": error})
        else:  # a bug: its traceback is wanted
            error = f"unexpected {type(exc).__name__}: {' '.join(str(exc).split())}"
            log.error(
                "backfill of a source failed unexpectedly",
                exc_info=exc,
                extra={"source": source, "error": error},
            )
        return self._result(source, tally, finished=False, note="", error=error)

    # -- a source's archive over the network (or file: URLs) ---------------------------------

    async def source(self, fetcher: Fetcher, source: SourceConfig) -> SourceBackfill:
        """Walk ``source``'s archive back to the start of the range (see the module docstring);
        a failure ends this source's walk only (see there too)."""
        tally = _Tally()
        try:
            return await self._walk(fetcher, source, tally)
        except StoreUnavailableError:
            raise
        except Exception as exc:
            return self._failed(source.name, tally, exc)

    async def _walk(self, fetcher: Fetcher, source: SourceConfig, tally: _Tally) -> SourceBackfill:
        name, template = source.name, source.archive_url
        saved_at = self._checkpoint(name)
        if saved_at is not None and saved_at.finished:
            self.progress.source_started(name, resumed=False)
            return self._result(name, tally, finished=True, note="already loaded")
        resumed = tally.resumed = saved_at is not None and saved_at.cursor is not None
        self.progress.source_started(name, resumed=resumed)
        done = saved_at.pages_done if saved_at is not None else 0
        entries_done = saved_at.entries_done if saved_at is not None else 0
        cursor = first_cursor(source.url, template, self.window.until)
        if saved_at is not None and saved_at.cursor and not saved_at.cursor.startswith("file:"):
            cursor = Cursor.decode(saved_at.cursor)
        visited: list[str] = []
        seen_guids: set[str] = set()
        saw_links = False
        next_one: Cursor | None = cursor
        note = "reached the start of the range"
        while next_one is not None:
            cursor = next_one
            if tally.pages >= self.max_pages:
                pages = plural(self.max_pages, "page")
                note = f"stopped after {pages} (max_pages); run again to go on"
                return self._result(name, tally, finished=False, note=note)
            url = cursor_url(cursor, template)
            visited.append(url)
            fetched = await fetcher.fetch(FetchRequest(source=name, url=url))
            first_page = done == 0 and tally.pages == 0
            if fetched.outcome is not FetchOutcome.OK or fetched.body is None:
                if fetched.status in (404, 410) and not first_page:
                    note = f"the archive ends at {url} (HTTP {fetched.status})"
                    break
                error = fetched.error or f"{url}: {fetched.outcome.value}"
                return self._result(name, tally, finished=False, note="", error=error)
            page_url = fetched.final_url or url
            try:
                parsed = parse_feed(
                    fetched.body,
                    source=name,
                    url=page_url,
                    headers=fetched.headers,
                    source_language=source.language,
                )
            except FeedParseError as exc:
                if not first_page:
                    note = f"the archive ends at {url} (not a feed)"
                    break
                return self._result(name, tally, finished=False, note="", error=str(exc))
            articles = parsed.articles
            links = feed_links(fetched.body, page_url)
            saw_links = saw_links or any(rel in links for rel in OLDER_RELATIONS)
            # a ?paged=N guess: pages that repeat what was seen mean the server ignores it
            guessing = cursor.kind == "url" and cursor.value != source.url and not saw_links
            verdict = judge_page(articles, self.window)
            fresh_guids = {a.guid for a in articles} - seen_guids
            seen_guids |= fresh_guids
            kept: Sequence[Article] = verdict.kept
            if source.fulltext and kept:
                kept = await self._with_full_text(fetcher, name, kept)
            saved = self._save(name, kept)
            tally.add_page(len(articles), len(verdict.kept), verdict.undated, saved)
            self.progress.page_done(
                name, url, entries=len(articles), kept=len(verdict.kept), new=saved.new
            )
            if verdict.reached_start:
                next_one, note = None, "reached the start of the range"
            elif not articles and cursor.kind != "date":
                next_one, note = None, f"the archive ends at {url} (no entries)"
            elif guessing and not fresh_guids:
                next_one, note = None, f"{url} brought nothing new"
            else:
                next_one = next_cursor(
                    cursor,
                    template=template,
                    links=links,
                    visited=visited,
                    window=self.window,
                    feed_url=source.url,
                    try_paged=not saw_links,
                )
                note = "no older page" if next_one is None else note
            entries_done += len(verdict.kept)
            self._save_checkpoint(
                name,
                next_one.encode() if next_one is not None else None,
                done + tally.pages,
                entries_done,
                finished=next_one is None,
            )
        else:
            return self._result(name, tally, finished=True, note=note)
        # left the loop early: the archive ended where a page was missing
        self._save_checkpoint(name, None, done + tally.pages, entries_done, finished=True)
        return self._result(name, tally, finished=True, note=note)

    async def _with_full_text(
        self, fetcher: Fetcher, name: str, articles: Sequence[Article]
    ) -> list[Article]:
        """Read the page of each entry not stored yet that carries only a summary, as polling
        does for full-text sources."""
        known = self.store.known_guids(name, [a.guid for a in articles])
        return await with_full_texts(fetcher, name, articles, known)

    # -- a folder of saved files --------------------------------------------------------------

    def folder(self, source: SourceConfig, folder: Path) -> SourceBackfill:
        """Load every feed file and article page under ``folder`` as ``source``'s entries.

        A finished checkpoint does not skip a folder (reading files again is cheap and adds
        nothing); an interrupted folder load resumes after the last file it completed. A failure
        ends the load at its last checkpoint, as for an archive walk.
        """
        tally = _Tally()
        try:
            return self._read_folder(source, folder, tally)
        except StoreUnavailableError:
            raise
        except Exception as exc:
            return self._failed(source.name, tally, exc)

    def _read_folder(self, source: SourceConfig, folder: Path, tally: _Tally) -> SourceBackfill:
        name = source.name
        saved_at = self._checkpoint(name)
        after = ""
        if saved_at is not None and saved_at.cursor and saved_at.cursor.startswith(_FILE_CURSOR):
            after = saved_at.cursor[len(_FILE_CURSOR) :]
        resumed = tally.resumed = bool(after)
        self.progress.source_started(name, resumed=resumed)
        done = saved_at.pages_done if resumed and saved_at is not None else 0
        entries_done = saved_at.entries_done if resumed and saved_at is not None else 0
        problems: list[str] = []
        for path in folder_files(folder):
            relative = path.relative_to(folder).as_posix()
            if after and relative <= after:
                continue
            try:
                articles = read_file(path, source=name, language=source.language)
            except (FeedParseError, OSError) as exc:
                problems.append(f"{relative}: {exc}")
                articles = []
            verdict = judge_page(articles, self.window)
            saved = self._save(name, verdict.kept)
            tally.add_page(len(articles), len(verdict.kept), verdict.undated, saved)
            entries_done += len(verdict.kept)
            self.progress.page_done(
                name, relative, entries=len(articles), kept=len(verdict.kept), new=saved.new
            )
            self._save_checkpoint(
                name, _FILE_CURSOR + relative, done + tally.pages, entries_done, finished=False
            )
        self._save_checkpoint(name, None, done + tally.pages, entries_done, finished=True)
        note = f"{plural(tally.pages, 'file')} read"
        error = "; ".join(problems[:5]) + (" …" if len(problems) > 5 else "") if problems else None
        return self._result(name, tally, finished=True, note=note, error=error)

"""``aggregator backfill``: load a past period for some or all sources, process it, digest it.

sync the configured sources
for each chosen source (a few at once, pages of one source one after another):
    walk its archive (or read --from DIR) back to --since   -> entries in range, checkpoints
process_pending (extraction, grouping)                      -> idempotent
--digests: one digest per day of the range and subscription -> files in --out, --send mails
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aggregator import clock
from aggregator.backfill.archives import DateRange
from aggregator.backfill.progress import BackfillProgress, make_progress
from aggregator.backfill.walk import MAX_PAGES, SourceBackfill, Walk
from aggregator.config import Settings, SourceConfig, SubscriptionConfig
from aggregator.digest import day_period
from aggregator.errors import ConfigError
from aggregator.fetch import Fetcher
from aggregator.pipeline.deliver import DeliveryReport, deliver
from aggregator.pipeline.leases import process_owner
from aggregator.pipeline.process import ProcessReport, process_pending
from aggregator.store import Store
from aggregator.wording import plural

#: sources walked at the same time (pages of one source are always fetched one after another)
CONCURRENT_SOURCES = 4


@dataclass(frozen=True, slots=True)
class BackfillReport:
    """What one backfill run did."""

    since: date
    until: date
    sources: tuple[SourceBackfill, ...]
    processed: ProcessReport | None  # when processing ran
    digests: tuple[DeliveryReport, ...]  # one delivery report per day and subscription
    seconds: float

    @property
    def pages(self) -> int:
        return sum(s.pages for s in self.sources)

    @property
    def in_range(self) -> int:
        return sum(s.in_range for s in self.sources)

    @property
    def new(self) -> int:
        return sum(s.new for s in self.sources)

    @property
    def failed(self) -> tuple[SourceBackfill, ...]:
        return tuple(s for s in self.sources if s.error is not None and not s.finished)

    @property
    def rate(self) -> float:
        """Entries in range stored per second of wall time."""
        return self.in_range / self.seconds if self.seconds > 0 else 0.0


def choose_sources(settings: Settings, names: Sequence[str]) -> list[SourceConfig]:
    """The named sources (unknown names are a ConfigError), or every enabled one."""
    configured = {s.name: s for s in settings.sources}
    if not names:
        return [s for s in settings.sources if s.enabled]
    unknown = [n for n in names if n not in configured]
    if unknown:
        known = ", ".join(sorted(configured)) or "none"
        raise ConfigError(f"unknown source(s) {', '.join(unknown)}; configured: {known}")
    return [configured[n] for n in dict.fromkeys(names)]


def run_backfill(
    store: Store,
    settings: Settings,
    *,
    since: date,
    until: date,
    sources: Sequence[str] = (),
    from_dir: Path | None = None,
    digests: bool = False,
    out_dir: Path | None = None,
    send: bool = False,
    progress: bool | None = None,
    fresh: bool = False,
    process: bool = True,
    max_pages: int = MAX_PAGES,
    reporter: BackfillProgress | None = None,
) -> BackfillReport:
    """Load ``[since, until]`` (whole UTC days) for the chosen sources; see the module docstring.

    ``from_dir`` reads saved files instead of the network and needs exactly one source.
    ``fresh`` ignores checkpoints (a full re-walk, which adds nothing already stored).
    ``progress``: True a rich bar, False log lines, None a bar only on a terminal.
    """
    started = time.monotonic()
    window = DateRange(since, until)
    if from_dir is not None:
        if len(sources) != 1:
            raise ConfigError("--from needs exactly one --source: the files are attributed to it")
        if not from_dir.is_dir():
            raise ConfigError(f"--from {from_dir}: no such folder")
    if send and not digests:
        raise ConfigError("--send needs --digests")
    chosen = choose_sources(settings, sources)
    store.sync_sources(settings.to_sources(), now=clock.now())
    shown = reporter or make_progress(progress)
    walk = Walk(store, window, shown, fresh=fresh, max_pages=max_pages)
    shown.start(len(chosen))
    try:
        if from_dir is not None:
            results = [walk.folder(chosen[0], from_dir)]
        else:
            results = asyncio.run(_walk_sources(walk, settings, chosen))
    finally:
        shown.close()
    processed = process_pending(store, settings) if process else None
    delivered = _digests(store, settings, window, out_dir, send) if digests else []
    return BackfillReport(
        since=since,
        until=until,
        sources=tuple(results),
        processed=processed,
        digests=tuple(delivered),
        seconds=time.monotonic() - started,
    )


async def _walk_sources(
    walk: Walk, settings: Settings, chosen: Sequence[SourceConfig]
) -> list[SourceBackfill]:
    slots = asyncio.Semaphore(CONCURRENT_SOURCES)
    async with Fetcher(settings.fetch_limits()) as fetcher:

        async def one(source: SourceConfig) -> SourceBackfill:
            async with slots:
                return await walk.source(fetcher, source)

        return list(await asyncio.gather(*(one(s) for s in chosen)))


def _digests(
    store: Store, settings: Settings, window: DateRange, out_dir: Path | None, send: bool
) -> list[DeliveryReport]:
    owner = process_owner()
    subscriptions: list[SubscriptionConfig | None] = list(settings.subscriptions) or [None]
    reports: list[DeliveryReport] = []
    for day in window.days():
        for sub in subscriptions:
            zone = sub.timezone if sub is not None else "UTC"
            target = out_dir
            if out_dir is not None and len(subscriptions) > 1 and sub is not None:
                target = out_dir / sub.name  # one folder a subscription: file names are per day
            reports.append(
                deliver(
                    store,
                    settings,
                    sub,
                    period=day_period(day, zone),
                    now=clock.now(),
                    owner=owner,
                    out_dir=target,
                    send=send,
                )
            )
    return reports


def report_lines(report: BackfillReport) -> list[str]:
    """One line a source and a total line, as the CLI and scripts/backfill.py print them."""
    lines = []
    for source in report.sources:
        state = "done" if source.finished else "INCOMPLETE"
        refused = f"  {source.refused} refused by the database (logged)" if source.refused else ""
        lines.append(
            f"{source.source:<28} {state:<10} pages {source.pages:>4}  in range "
            f"{source.in_range:>6}  new {source.new:>6}{refused}  "
            f"{source.error or source.note}".rstrip()
        )
    lines.append(
        f"{plural(len(report.sources), 'source')}, {plural(report.pages, 'page')}, "
        f"{plural(report.in_range, 'entry')} in range, {report.new} new, "
        f"{report.seconds:.1f} s ({plural(round(report.rate), 'entry')}/s)"
    )
    for digest in report.digests:
        lines.append(f"digest {digest.subscription} {digest.period.label}: {digest.status}")
    return lines

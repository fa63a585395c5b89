"""The one-off backfill: a past period from archived and paged feeds or saved files.

Public surface::

    run_backfill(store, settings, *, since, until, sources=(), from_dir=None, digests=False,
                 out_dir=None, send=False, progress=None, fresh=False) -> BackfillReport
    BackfillReport, SourceBackfill, BackfillStore (the store methods it needs)

See docs/backfill.md. The archive rules are pure (:mod:`aggregator.backfill.archives`); the walk
(:mod:`aggregator.backfill.walk`) fetches through :class:`aggregator.fetch.Fetcher` only.
"""

from aggregator.backfill.run import BackfillReport, choose_sources, report_lines, run_backfill
from aggregator.backfill.walk import BackfillStore, SourceBackfill

__all__ = [
    "BackfillReport",
    "BackfillStore",
    "SourceBackfill",
    "choose_sources",
    "report_lines",
    "run_backfill",
]

"""The store: SQLAlchemy schema, Alembic migrations and the repository. The only database code.

Public surface::

    open_store(url, *, upgrade=True) -> Store
    Store.sync_sources / claim_due / release / renew_leases / lease_holders / save_fetch /
          save_entries / source_status / articles / articles_by_id / known_guids /
          article_count / stats / recent_fetch_log / prune_fetch_log / upgrade / revision /
          in_memory / close
    statements: replace_statements / replace_statements_many / articles_for_extraction /
          statements_for_articles / set_statement_canonicals
    grouping:   save_grouping / articles_for_grouping / recent_grouped / grouped_history /
          pending_span / grouping_mark / events_in_period
    corrections: correct_speakers / articles_by_url / event_article_urls
    ledger:     claim_digest / save_rendered / mark_sending / mark_pending / mark_sent /
          mark_failed / release_digest / recover_digests / digest_state / digest_holder /
          digest_status
    daemons:    beat / daemons / prune_daemons
    archive:    event / events_between / actor_statements / search / digest_days / counts /
          actors (the web archive's reads; pages take the cursor the page before gave)
    backfill:   checkpoint / save_checkpoint
    locks:      exclusive(name) -> context manager yielding True (held) or False (taken);
                lock_file(database, name): where a SQLite file's lock of that name lives
"""

from aggregator.errors import ClaimLostError
from aggregator.store.ingest import FetchToSave
from aggregator.store.locks import lock_file
from aggregator.store.repository import Store, open_store
from aggregator.store.sources import REASON_CONFIG_DISABLED, REASON_UNCONFIGURED
from aggregator.store.storable import MARK_END, MARK_START
from aggregator.store.types import (
    ActorPage,
    ActorStatement,
    Checkpoint,
    DaemonRow,
    DaemonState,
    DigestClaim,
    DigestRow,
    DigestStatus,
    EventDetail,
    EventStatement,
    EventSummary,
    FetchLogRow,
    GroupedArticle,
    GroupingMark,
    PollStateLike,
    RefusedEntry,
    Report,
    SaveReport,
    SearchHit,
    SearchPage,
    SourceState,
    SourceStatus,
    StoreCounts,
    StoredArticle,
    StoredStatement,
    SyncReport,
)

__all__ = [
    "MARK_END",
    "MARK_START",
    "REASON_CONFIG_DISABLED",
    "REASON_UNCONFIGURED",
    "ActorPage",
    "ActorStatement",
    "Checkpoint",
    "ClaimLostError",
    "DaemonRow",
    "DaemonState",
    "DigestClaim",
    "DigestRow",
    "DigestStatus",
    "EventDetail",
    "EventStatement",
    "EventSummary",
    "FetchLogRow",
    "FetchToSave",
    "GroupedArticle",
    "GroupingMark",
    "PollStateLike",
    "RefusedEntry",
    "Report",
    "SaveReport",
    "SearchHit",
    "SearchPage",
    "SourceState",
    "SourceStatus",
    "Store",
    "StoreCounts",
    "StoredArticle",
    "StoredStatement",
    "SyncReport",
    "lock_file",
    "open_store",
]

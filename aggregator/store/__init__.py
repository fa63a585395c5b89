"""The store: SQLAlchemy schema, Alembic migrations and the repository. The only database code.

Public surface::

    open_store(url, *, upgrade=True) -> Store
    Store.sync_sources / claim_due / release / save_fetch / source_status /
          articles / articles_by_id / known_guids / article_count / stats /
          recent_fetch_log / prune_fetch_log / upgrade / revision / close
"""

from aggregator.store.repository import Store, open_store
from aggregator.store.sources import REASON_CONFIG_DISABLED, REASON_UNCONFIGURED
from aggregator.store.types import (
    FetchLogRow,
    PollStateLike,
    SaveReport,
    SourceState,
    SourceStatus,
    StoredArticle,
    SyncReport,
)

__all__ = [
    "REASON_CONFIG_DISABLED",
    "REASON_UNCONFIGURED",
    "FetchLogRow",
    "PollStateLike",
    "SaveReport",
    "SourceState",
    "SourceStatus",
    "Store",
    "StoredArticle",
    "SyncReport",
    "open_store",
]

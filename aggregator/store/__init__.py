"""The store: SQLAlchemy schema, Alembic migrations and the repository. The only database code.

Public surface::

    open_store(url, *, upgrade=True) -> Store
    lock_file(database, name): where a SQLite file's lock of that name lives

``Store`` is one mixin per domain, each in its own module holding the SQL of its methods
(``tests/integration/test_store_schema.py`` checks this list against the class)::

    base.py          StoreBase: url / dialect / in_memory / close
    sources.py       SourcesMixin: sync_sources / claim_due / release / renew_leases /
                     lease_holders / source_status
    fetches.py       FetchesMixin: save_fetch / save_fetches / recent_fetch_log /
                     prune_fetch_log
    articles.py      ArticlesMixin: save_entries / articles / articles_by_id / known_guids /
                     article_count / articles_by_url
    statements.py    StatementsMixin: replace_statements / replace_statements_many /
                     articles_for_extraction / statements_for_articles /
                     set_statement_canonicals / correct_speakers
    grouping.py      GroupingMixin: save_grouping / articles_for_grouping / recent_grouped /
                     grouped_history / pending_span / grouping_mark
    events.py        EventsMixin: events_in_period / event / events_between /
                     event_article_urls / event_titles / event_days
    ledger.py        LedgerMixin: claim_digest / save_rendered / mark_sending / mark_pending /
                     mark_sent / mark_failed / release_digest / recover_digests /
                     digest_state / digest_holder / digest_status / digest_days
    actors.py        ActorsMixin: actor_statements / actors
    search.py        SearchMixin: search
    pages.py         PagesMixin: stored_page / keeps_pages / pages_wanted / claim_pages /
                     keep_pages / drop_pages / page_counts
    housekeeping.py  HousekeepingMixin: upgrade / ping / change_token / revision / stats /
                     counts / beat / daemons / prune_daemons / checkpoint / save_checkpoint /
                     exclusive

An event with its reports and statements comes back as :class:`aggregator.model.Event`
(``EventStatement``, ``Report``, ``Wording``): the digest's input and the archive's event
page. The store's other values are in ``types.py``, exported here.
"""

from aggregator.errors import ClaimLostError
from aggregator.store.fetches import FetchToSave
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
    EventSummary,
    FetchLogRow,
    GroupedArticle,
    GroupingMark,
    PollStateLike,
    RefusedEntry,
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
    "EventSummary",
    "FetchLogRow",
    "FetchToSave",
    "GroupedArticle",
    "GroupingMark",
    "PollStateLike",
    "RefusedEntry",
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

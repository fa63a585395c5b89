"""The store's public face: :func:`open_store` and :class:`Store`, one short transaction a method.

:class:`Store` is assembled from one mixin per domain, each in its own module with the SQL of
its methods (the list is in the package docstring, ``aggregator/store/__init__.py``). They
share the engine and its transactions through :class:`~aggregator.store.base.StoreBase`.
"""

from __future__ import annotations

from aggregator.store.actors import ActorsMixin
from aggregator.store.articles import ArticlesMixin
from aggregator.store.engine import create_store_engine, normalise_url, wrap_errors
from aggregator.store.events import EventsMixin
from aggregator.store.fetches import FetchesMixin
from aggregator.store.grouping import GroupingMixin
from aggregator.store.housekeeping import HousekeepingMixin
from aggregator.store.ledger import LedgerMixin
from aggregator.store.pages import PagesMixin
from aggregator.store.search import SearchMixin
from aggregator.store.sources import SourcesMixin
from aggregator.store.statements import StatementsMixin


def open_store(url: str, *, upgrade: bool = True) -> Store:
    """Connect to ``url`` (sqlite:///… or postgresql://…) and, by default, migrate to head."""
    parsed = normalise_url(url)
    engine = create_store_engine(parsed)
    store = Store(engine, parsed)
    try:
        with wrap_errors(parsed, "connecting"), engine.connect():
            pass
        if upgrade:
            store.upgrade()
    except BaseException:
        store.close()
        raise
    return store


class Store(
    SourcesMixin,
    FetchesMixin,
    ArticlesMixin,
    StatementsMixin,
    GroupingMixin,
    EventsMixin,
    LedgerMixin,
    ActorsMixin,
    SearchMixin,
    PagesMixin,
    HousekeepingMixin,
):
    """Repository over one database. Thread-safe: each call takes its own pooled connection.

    One mixin per domain, each method holding its own SQL (see ``docs/store.md``, "Layout");
    a new method goes to the mixin of the table it writes or reads most.
    """

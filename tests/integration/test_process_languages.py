"""Reports of one meeting in three languages become one event in the store, on both backends:
the pipeline hands each article's language to grouping, also when it restores a kept history.

The articles are the invented Ankara and Moscow reports of ``tests/unit/test_group_crosslang.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from aggregator.group import GroupDoc
from aggregator.model import Article
from aggregator.pipeline.process import GroupingState, group_pending
from aggregator.store import Store, open_store
from tests.integration.test_store_support import T0, make_article, save_articles
from tests.unit.test_group_crosslang import ANKARA, MOSCOW


def _article(doc: GroupDoc, minute: int) -> Article:
    return replace(
        make_article(doc.source or "wire", doc.id, published=T0 + timedelta(minutes=minute)),
        title=doc.title,
        summary=doc.text,
        text=doc.text,
        language=doc.language,
    )


def _events(store: Store, ids: dict[str, int]) -> dict[str, str | None]:
    stored = {a.id: a.event_id for a in store.articles()}
    return {name: stored[i] for name, i in ids.items()}


def _save(store: Store, docs: list[GroupDoc], start: int) -> dict[str, int]:
    ids: dict[str, int] = {}
    for n, doc in enumerate(docs):
        source = f"{doc.source}"
        [ids[doc.id]] = save_articles(store, source, [_article(doc, start + n)])
    return ids


def test_three_languages_of_one_meeting_are_one_stored_event(db_url: str) -> None:
    with open_store(db_url) as store:
        ids = _save(store, ANKARA + MOSCOW, 0)
        group_pending(store)
        events = _events(store, ids)
    assert len({events[d.id] for d in ANKARA}) == 1
    assert len({events[d.id] for d in MOSCOW}) == 1
    assert events[ANKARA[0].id] != events[MOSCOW[0].id]


def test_a_restored_history_keeps_its_languages(db_url: str) -> None:
    """The Russian report arrives in a later run, after a restart: the restored English and
    French reports must still be compared with it across languages."""
    with open_store(db_url) as store:
        ids = _save(store, ANKARA[1:], 0)
        group_pending(store, state=GroupingState())
        ids |= _save(store, ANKARA[:1], 10)
        group_pending(store, state=GroupingState())  # a fresh state: restores from the store
        events = _events(store, ids)
    assert len(set(events.values())) == 1

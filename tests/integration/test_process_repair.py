"""A repair that splits an event reaches the store: moved articles follow, on both backends.

The articles are the invented earthquake reports of ``tests/unit/test_group_repair.py``: with
the join bar at zero, the first report of the second earthquake joins the first one's event,
and the repair splits it off once both halves have grown.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from aggregator.group import GroupDoc, cluster_stream, event_id_for
from aggregator.model import Article
from aggregator.pipeline.process import group_pending
from aggregator.store import Store, open_store
from tests.integration.test_store_support import T0, make_article, save_articles
from tests.unit.test_group_repair import LOOSE, PERU, TURKEY, reports

TURKEY_DOCS = reports("tr", TURKEY, 5)
PERU_DOCS = reports("pe", PERU, 5)


def _article(doc: GroupDoc, minute: int) -> Article:
    published = T0 + timedelta(minutes=minute)
    return replace(
        make_article("wire", doc.id, published=published),
        title=doc.title,
        summary=doc.text,
        text=doc.text,
    )


def _members(store: Store) -> dict[str | None, set[int]]:
    members: dict[str | None, set[int]] = {}
    for article in store.articles():
        members.setdefault(article.event_id, set()).add(article.id)
    return members


def _streamed(ids: list[int], docs: list[GroupDoc]) -> dict[str | None, set[int]]:
    """The events ``aggregator cluster`` gives the same articles in the same order."""
    stream = [
        GroupDoc(str(i), d.title, d.text, T0 + timedelta(minutes=n))
        for n, (i, d) in enumerate(zip(ids, docs, strict=True))
    ]
    parts: dict[str | None, set[int]] = {}
    for doc_id, event_id in cluster_stream(stream, LOOSE):
        parts.setdefault(event_id, set()).add(int(doc_id))
    return parts


def test_a_split_within_one_run_is_stored(db_url: str) -> None:
    docs = TURKEY_DOCS + PERU_DOCS
    with open_store(db_url) as store:
        ids = save_articles(store, "wire", [_article(d, n) for n, d in enumerate(docs)])
        assert group_pending(store, config=LOOSE).grouped == 10
        members = _members(store)
    # Turkey keeps the event its first report opened; Peru is split off under a new id, the
    # same ids as the streamed run
    assert {frozenset(m) for m in members.values()} == {frozenset(ids[:5]), frozenset(ids[5:])}
    assert set(ids[:5]) == members[event_id_for(str(ids[0]))]
    assert members == _streamed(ids, docs)


def test_a_split_moves_articles_stored_by_an_earlier_run(db_url: str) -> None:
    docs = TURKEY_DOCS + PERU_DOCS
    with open_store(db_url) as store:
        early = save_articles(store, "wire", [_article(d, n) for n, d in enumerate(docs[:9])])
        group_pending(store, config=LOOSE)
        assert list(_members(store)) == [event_id_for(str(early[0]))], "one lumped event"
        # the tenth report comes in a later run: the repair moves the four Peru reports the
        # first run stored in the Turkey event
        (tenth,) = save_articles(store, "wire", [_article(docs[9], 9)])
        assert group_pending(store, config=LOOSE).grouped == 1
        members = _members(store)
        events = {
            e.id: e for e in store.events_in_period(T0 - timedelta(days=1), T0 + timedelta(days=1))
        }
    ids = [*early, tenth]
    assert members == _streamed(ids, docs)
    turkey = event_id_for(str(ids[0]))
    (peru,) = set(members) - {turkey}
    assert peru is not None
    assert members == {turkey: set(ids[:5]), peru: set(ids[5:])}
    # counts and titles are those of each event's own members
    assert events[turkey].article_count == 5
    assert events[peru].article_count == 5
    assert {a.article_id for a in events[peru].articles} == set(ids[5:])

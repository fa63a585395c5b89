"""The bounded repair of the event clusterer: an event that has grown into two groups is split.

Fixtures are invented sentences written for these tests: two earthquakes reported with the same
headline and one shared sentence, so that, with the join bar at zero, the first report of the
second earthquake joins the first one's event and its followers come after it.
"""

from __future__ import annotations

import itertools

from aggregator.group import (
    Assignment,
    EventClusterer,
    EventConfig,
    GroupDoc,
    Grouper,
    GroupingStep,
    cluster_stream,
    event_id_for,
)
from aggregator.group.events import repair_sizes, split_event_id

TURKEY = [
    "A magnitude 6.4 earthquake struck Karakoyun in Malatya province, AFAD said.",
    "Interior Minister Selim Avci said 38 buildings collapsed in Karakoyun.",
    "AFAD counted 12 dead and 140 injured across Malatya.",
    "Tents and blankets reached Malatya from Ankara overnight.",
    "Governor Hulya Demir asked residents of Karakoyun to stay outdoors.",
    "Aftershocks of magnitude 4.1 shook Malatya on Tuesday.",
]
PERU = [
    "A magnitude 7.1 earthquake shook Arequipa and the Colca valley, INDECI said.",
    "President Dina Quispe flew to Arequipa to meet rescuers.",
    "INDECI counted four dead and 60 injured around Chivay.",
    "Two colonial churches in Arequipa lost their bell towers.",
    "Mayor Ruben Caceres opened schools in Chivay as shelters.",
    "Landslides blocked the road from Arequipa to Chivay.",
]
HEADLINE = "Rescuers search rubble after deadly earthquake"
SHARED = "Rescuers searched the rubble of collapsed houses through the night."
LOOSE = EventConfig(threshold=0.0)  # every article joins the best event it shares a term with


def _group_each(grouper: Grouper, docs: list[GroupDoc]) -> list[tuple[Assignment, GroupingStep]]:
    """Each document's assignment and the step flushed right after it (as cluster_stream)."""
    return [(grouper.add(doc), grouper.flush()) for doc in docs]


def _moves(steps: list[tuple[Assignment, GroupingStep]]) -> dict[str, str]:
    """Where a repair moved articles: the assignments after each document's own."""
    return {doc: event for _, step in steps for doc, event in step.assignments[1:]}


def reports(prefix: str, pool: list[str], count: int, step: int = 4) -> list[GroupDoc]:
    """``count`` different articles, each three sentences of ``pool`` and the shared one."""
    combos = itertools.islice(itertools.combinations(pool, 3), 0, count * step, step)
    return [
        GroupDoc(f"{prefix}-{i}", HEADLINE, " ".join([*c, SHARED])) for i, c in enumerate(combos)
    ]


def test_two_earthquakes_lumped_by_a_loose_join_are_split_once_both_have_grown() -> None:
    turkey, peru = reports("tr", TURKEY, 5), reports("pe", PERU, 5)
    clusterer = EventClusterer(LOOSE)
    first = [clusterer.add(doc) for doc in turkey + peru[:4]]
    # the first Peru report joined the Turkey event, and its followers came after it
    assert set(first) == {event_id_for("tr-0")}
    assert clusterer.moves() == []
    # the tenth article brings the event to a size the repair examines: Peru is split off,
    # with an id derived from its own first article; Turkey keeps the event's id
    assert clusterer.add(peru[4]) == split_event_id("pe-0")
    assert clusterer.moves() == [(doc.id, split_event_id("pe-0")) for doc in peru]
    assert clusterer.moves() == []  # reported once
    assert {clusterer.event_of(doc.id) for doc in turkey} == {event_id_for("tr-0")}
    assert {clusterer.event_of(doc.id) for doc in peru} == {split_event_id("pe-0")}
    # the split-off event knows the event it left (whose title may have changed with it)
    assert clusterer.split_from(split_event_id("pe-0")) == event_id_for("tr-0")
    assert clusterer.split_from(event_id_for("tr-0")) is None
    # the split event is live and takes the next Peru report
    later = GroupDoc("pe-late", HEADLINE, " ".join([PERU[1], PERU[4], PERU[5], SHARED]))
    assert clusterer.add(later) == split_event_id("pe-0")


def test_without_the_repair_the_lump_stays() -> None:
    clusterer = EventClusterer(EventConfig(threshold=0.0, split_min=0))
    ids = {clusterer.add(doc) for doc in reports("tr", TURKEY, 5) + reports("pe", PERU, 5)}
    assert ids == {event_id_for("tr-0")}
    assert clusterer.moves() == []


def test_one_development_reported_from_many_angles_is_not_split() -> None:
    clusterer = EventClusterer(LOOSE)
    ids = {clusterer.add(doc) for doc in reports("tr", TURKEY, 20, step=1)}
    assert ids == {event_id_for("tr-0")}
    assert clusterer.moves() == []


def test_each_part_must_hold_split_min_articles() -> None:
    # 5 + 5, but each part must hold 6: the event is examined from 12 articles on, and then
    # neither part may be smaller than 6
    clusterer = EventClusterer(EventConfig(threshold=0.0, split_min=6))
    docs = reports("tr", TURKEY, 5) + reports("pe", PERU, 5)
    assert {clusterer.add(doc) for doc in docs} == {event_id_for("tr-0")}
    assert clusterer.moves() == []


def test_cluster_stream_reports_the_split_and_a_copy_follows_its_original() -> None:
    turkey, peru = reports("tr", TURKEY, 5), reports("pe", PERU, 5)
    copy = GroupDoc("pe-0-copy", "Deadly quake: rescuers search the rubble", peru[0].text)
    docs = [*turkey, peru[0], copy, *peru[1:]]
    steps = _group_each(Grouper(LOOSE), docs)
    assignments = [assignment for assignment, _ in steps]
    assert assignments[6].duplicate_of == "pe-0"
    assert assignments[6].event_id == event_id_for("tr-0")  # joined with its original, lumped
    moves = _moves(steps)
    assert moves["pe-0-copy"] == split_event_id("pe-0")
    assert set(moves) == {doc.id for doc in peru} | {"pe-0-copy"}
    final = dict(cluster_stream(docs, LOOSE))
    assert {final[doc.id] for doc in turkey} == {event_id_for("tr-0")}
    assert {final[doc.id] for doc in [*peru, copy]} == {split_event_id("pe-0")}


def test_repair_sizes_grow_by_a_quarter_and_stop_at_split_max() -> None:
    assert sorted(repair_sizes(5, 64)) == [10, 13, 17, 22, 28, 35, 44, 55]
    assert repair_sizes(0, 64) == frozenset()
    assert sorted(repair_sizes(2, 7)) == [4, 5, 7]


def test_a_restart_replaying_the_stored_split_continues_like_the_uninterrupted_run() -> None:
    # the lump of the first test, split at 10 articles, then more reports of both earthquakes
    more = reports("tr", TURKEY, 10, step=2)[5:] + reports("pe", PERU, 10, step=2)[5:]
    docs = reports("tr", TURKEY, 5) + reports("pe", PERU, 5) + more
    uninterrupted = EventClusterer(LOOSE)
    answers: dict[str, str] = {}
    stored: dict[str, str] = {}
    for doc in docs:
        answers[doc.id] = stored[doc.id] = uninterrupted.add(doc)
        stored.update(uninterrupted.moves())  # what a store repointing moved articles holds
    assert set(stored.values()) == {event_id_for("tr-0"), split_event_id("pe-0")}
    for cut in (10, 14):
        restarted = EventClusterer(LOOSE)
        for doc in docs[:cut]:
            restarted.restore(doc, stored[doc.id])
        assert restarted.moves() == []  # a replay never repairs
        later = {doc.id: restarted.add(doc) for doc in docs[cut:]}
        assert later == {doc.id: answers[doc.id] for doc in docs[cut:]}


def test_an_event_merged_away_is_not_revived_by_a_split() -> None:
    # the first Peru report, under its own headline, opens its own event; the next one links it
    # with the Turkey event, and with no merge bar the two are merged (Turkey's id survives);
    # when the repair later splits Peru off, it gets a fresh id, not the merged-away one
    turkey, peru = reports("tr", TURKEY, 5), reports("pe", PERU, 5)
    opener = GroupDoc("pe-0", "Arequipa and Chivay count the dead", peru[0].text)
    docs = [*turkey, opener, *peru[1:]]
    config = EventConfig(threshold=0.0, merge_threshold=0.0)
    steps = _group_each(Grouper(config), docs)
    assert steps[5][0].event_id == event_id_for("pe-0")  # opened its own event
    merges = [merge for _, step in steps[:7] for merge in step.merges]
    assert merges == [(event_id_for("pe-0"), event_id_for("tr-0"))]
    moves = _moves(steps)
    assert set(moves) == {doc.id for doc in peru}
    assert set(moves.values()) == {split_event_id("pe-0")} != {event_id_for("pe-0")}
    final = dict(cluster_stream(docs, config))
    assert {final[doc.id] for doc in turkey} == {event_id_for("tr-0")}
    assert {final[doc.id] for doc in docs[5:]} == {split_event_id("pe-0")}

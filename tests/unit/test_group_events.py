"""Event clustering: tables of small invented news stories (fixtures written for these tests)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from aggregator.group import EventClusterer, EventConfig, GroupDoc, event_id_for
from aggregator.group.events import headline_words

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

QUAKE_TURKEY_1 = GroupDoc(
    "tr-1",
    "Magnitude 6.4 earthquake kills 12 in eastern Turkey",
    "A magnitude 6.4 earthquake struck near the town of Karakoyun in Malatya province on Monday, "
    "killing at least 12 people and injuring 140, Turkey's disaster agency AFAD said. Rescuers "
    "searched collapsed apartment blocks in Karakoyun through the night. Interior Minister Selim "
    "Avcı said 38 buildings had collapsed and tents were being sent to Malatya.",
    MONDAY,
    "wire-a",
)
QUAKE_TURKEY_2 = GroupDoc(
    "tr-2",
    "Turkey quake: death toll rises as rescuers dig through rubble in Malatya",
    "Rescuers in Malatya province pulled survivors from the rubble on Monday after a 6.4 "
    "magnitude earthquake hit Karakoyun. AFAD said 12 people were killed and 140 injured. "
    "Interior Minister Selim Avcı told reporters that 38 buildings collapsed in Karakoyun and "
    "that aid convoys were on their way.",
    MONDAY + timedelta(hours=3),
    "outlet-b",
)
QUAKE_TURKEY_3 = GroupDoc(
    "tr-3",
    "Survivors of Malatya earthquake spend night in tents",
    "Families from Karakoyun spent the night in tents after Monday's 6.4 magnitude earthquake in "
    "Malatya, which AFAD says killed 12 people. Minister Selim Avcı promised to rebuild the 38 "
    "buildings that collapsed.",
    MONDAY + timedelta(hours=20),
    "outlet-c",
)
QUAKE_PERU_1 = GroupDoc(
    "pe-1",
    "Strong earthquake hits southern Peru, killing four",
    "A magnitude 7.1 earthquake struck southern Peru near Arequipa on Thursday, killing four "
    "people and damaging colonial churches, Peru's civil defence institute INDECI said. President "
    "Dina Quispe flew to Arequipa. Rescuers searched collapsed adobe houses in Chivay.",
    MONDAY + timedelta(days=3),
    "wire-a",
)
QUAKE_PERU_2 = GroupDoc(
    "pe-2",
    "Peru earthquake: Arequipa churches damaged, four dead",
    "INDECI said four people died when a 7.1 magnitude earthquake shook Arequipa and the Colca "
    "valley on Thursday. Adobe houses collapsed in Chivay and two colonial churches in Arequipa "
    "were damaged. President Dina Quispe visited the region.",
    MONDAY + timedelta(days=3, hours=2),
    "outlet-b",
)
CEASEFIRE = GroupDoc(
    "un-1",
    "Security Council fails to agree on ceasefire statement",
    "The UN Security Council failed on Wednesday to agree a statement calling for a ceasefire in "
    "the Sahel border war, after Russia and the United States disagreed over the wording. "
    "Ambassador Linda Okafor said talks would resume in New York on Friday.",
    MONDAY + timedelta(days=2),
    "un-news",
)

STORIES = [
    QUAKE_TURKEY_1,
    QUAKE_TURKEY_2,
    CEASEFIRE,
    QUAKE_PERU_1,
    QUAKE_TURKEY_3,
    QUAKE_PERU_2,
]


def assign(docs: list[GroupDoc], config: EventConfig | None = None) -> dict[str, str]:
    clusterer = EventClusterer(config)
    return {doc.id: clusterer.add(doc) for doc in docs}


def test_two_earthquakes_in_the_same_week_are_two_events() -> None:
    events = assign(STORIES)
    assert events["tr-1"] == events["tr-2"] == events["tr-3"]
    assert events["pe-1"] == events["pe-2"]
    assert events["tr-1"] != events["pe-1"]
    assert len({events["tr-1"], events["pe-1"], events["un-1"]}) == 3


@pytest.mark.parametrize(
    ("first", "second", "gap", "same"),
    [
        (QUAKE_TURKEY_1, QUAKE_TURKEY_2, timedelta(hours=3), True),
        # the same report a month later is a different development (and outside the window)
        (QUAKE_TURKEY_1, QUAKE_TURKEY_2, timedelta(days=30), False),
        (QUAKE_TURKEY_1, QUAKE_PERU_1, timedelta(hours=1), False),
        (QUAKE_TURKEY_1, CEASEFIRE, timedelta(0), False),
    ],
)
def test_pairs(first: GroupDoc, second: GroupDoc, gap: timedelta, same: bool) -> None:
    later = GroupDoc(second.id, second.title, second.text, MONDAY + gap, second.source)
    earlier = GroupDoc(first.id, first.title, first.text, MONDAY, first.source)
    events = assign([earlier, later])
    assert (events[first.id] == events[second.id]) is same


def test_time_decay_splits_a_day_apart_when_the_half_life_is_short() -> None:
    short = EventConfig(half_life=timedelta(hours=1))
    a = GroupDoc("a", QUAKE_TURKEY_1.title, QUAKE_TURKEY_1.text, MONDAY)
    b = GroupDoc("b", QUAKE_TURKEY_3.title, QUAKE_TURKEY_3.text, MONDAY + timedelta(days=1))
    assert len(set(assign([a, b], short).values())) == 2
    assert len(set(assign([a, b]).values())) == 1


def test_undated_articles_count_as_the_same_time() -> None:
    undated = [GroupDoc(d.id, d.title, d.text) for d in STORIES]
    events = assign(undated)
    assert events["tr-1"] == events["tr-3"]
    assert events["pe-1"] == events["pe-2"]
    assert events["tr-1"] != events["pe-1"]


def test_event_id_is_derived_from_the_first_article() -> None:
    events = assign(STORIES)
    assert events["tr-2"] == event_id_for("tr-1")
    assert events["pe-2"] == event_id_for("pe-1")
    assert event_id_for("tr-1") == event_id_for("tr-1") != event_id_for("tr-2")


def test_same_input_order_gives_the_same_ids() -> None:
    assert assign(STORIES) == assign(STORIES)


def test_adding_an_article_again_is_a_no_op() -> None:
    clusterer = EventClusterer()
    first = [clusterer.add(doc) for doc in STORIES]
    again = [clusterer.add(doc) for doc in STORIES]
    assert first == again
    assert clusterer.live_articles() == len(STORIES)


def test_restore_gives_the_same_assignments_as_an_uninterrupted_run() -> None:
    history, fresh = STORIES[:3], STORIES[3:]
    uninterrupted = assign(history + fresh)
    restarted = EventClusterer()
    for doc in history:
        restarted.restore(doc, uninterrupted[doc.id])
    assert {doc.id: restarted.add(doc) for doc in fresh} == {
        doc.id: uninterrupted[doc.id] for doc in fresh
    }


def test_restore_keeps_the_stored_event_id() -> None:
    clusterer = EventClusterer()
    clusterer.restore(QUAKE_TURKEY_1, "ev-from-the-store")
    assert clusterer.add(QUAKE_TURKEY_2) == "ev-from-the-store"
    assert clusterer.event_of("tr-1") == "ev-from-the-store"


def test_converging_events_merge_into_the_older_one() -> None:
    # a low join bar with a merge bar at zero: the second Turkey report bridges nothing yet,
    # so build two events by hand and let a third article link them
    config = EventConfig(merge_threshold=0.0)
    clusterer = EventClusterer(config)
    clusterer.restore(QUAKE_TURKEY_1, "ev-old")
    clusterer.restore(QUAKE_TURKEY_3, "ev-new")
    assert clusterer.add(QUAKE_TURKEY_2) == "ev-old"
    assert clusterer.merges() == [("ev-new", "ev-old")]
    assert clusterer.merges() == []  # reported once
    assert clusterer.event_of("tr-3") == "ev-old"
    assert not clusterer.is_live("ev-new")


def test_no_merge_without_convergence() -> None:
    clusterer = EventClusterer(EventConfig(merge_threshold=1.01))
    clusterer.restore(QUAKE_TURKEY_1, "ev-old")
    clusterer.restore(QUAKE_TURKEY_3, "ev-new")
    clusterer.add(QUAKE_TURKEY_2)
    assert clusterer.merges() == []
    assert clusterer.is_live("ev-new")


def _headed_like_turkey_1(
    source: str | None,
    title: str = "Magnitude 6.4 earthquake kills 12 people in eastern Turkey",
    later: timedelta = timedelta(0),
) -> GroupDoc:
    """A report of the Turkey quake headed as the wire's first report is, by ``source``."""
    assert QUAKE_TURKEY_3.published is not None
    return replace(
        QUAKE_TURKEY_3,
        id="tr-alike",
        title=title,
        source=source,
        published=QUAKE_TURKEY_3.published + later,
    )


@pytest.mark.parametrize(
    ("other", "merged"),
    [
        (_headed_like_turkey_1("outlet-c"), True),  # two outlets head it alike
        (_headed_like_turkey_1("wire-a"), False),  # one source's own formula
        (_headed_like_turkey_1(None), False),  # not known to be two sources
        (QUAKE_TURKEY_3, False),  # headed by what differs ("… spend night in tents")
        # alike but for the place: another development of the same kind
        (
            _headed_like_turkey_1("outlet-c", "Magnitude 6.4 earthquake kills 12 in eastern Iran"),
            False,
        ),
        # alike, but more than a day after the first report: not known to be the same moment
        (_headed_like_turkey_1("outlet-c", later=timedelta(hours=10)), False),
    ],
    ids=[
        "another-source",
        "same-source",
        "unknown-source",
        "unlike-headline",
        "another-place",
        "days-apart",
    ],
)
def test_linked_events_headed_alike_merge_under_the_cosine_bar(
    other: GroupDoc, merged: bool
) -> None:
    # the cosine bar out of reach, the headline bar at any cosine: only the headlines decide
    config = EventConfig(merge_threshold=1.01, merge_headline_threshold=1e-9)
    clusterer = EventClusterer(config)
    clusterer.restore(QUAKE_TURKEY_1, "ev-old")
    clusterer.restore(other, "ev-new")
    clusterer.add(QUAKE_TURKEY_2)
    assert (clusterer.merges() == [("ev-new", "ev-old")]) is merged
    assert clusterer.is_live("ev-new") is not merged


def test_title_is_the_most_central_headline() -> None:
    clusterer = EventClusterer()
    off_centre = GroupDoc(
        "tr-0",
        "Live: updates",
        QUAKE_TURKEY_1.text,
        MONDAY,
    )
    event = clusterer.add(off_centre)
    for doc in (QUAKE_TURKEY_1, QUAKE_TURKEY_2, QUAKE_TURKEY_3):
        assert clusterer.add(doc) == event
    # an uninformative headline on the same text is never the event's title
    assert clusterer.title(event) != "Live: updates"
    assert clusterer.title(event) in {
        d.title for d in (QUAKE_TURKEY_1, QUAKE_TURKEY_2, QUAKE_TURKEY_3)
    }


def test_title_of_unknown_event_raises() -> None:
    with pytest.raises(KeyError):
        EventClusterer().title("ev-nothing")


def test_events_close_after_the_window_and_evict_their_articles() -> None:
    clusterer = EventClusterer(EventConfig(window=timedelta(days=1)))
    old = clusterer.add(QUAKE_TURKEY_1)
    later = GroupDoc("later", CEASEFIRE.title, CEASEFIRE.text, MONDAY + timedelta(days=5))
    clusterer.add(later)
    assert not clusterer.is_live(old)
    assert clusterer.event_of("tr-1") is None
    assert clusterer.live_events() == 1
    assert clusterer.live_articles() == 1


def test_empty_text_opens_its_own_event() -> None:
    clusterer = EventClusterer()
    a = clusterer.add(GroupDoc("e1", "", ""))
    b = clusterer.add(GroupDoc("e2", "", ""))
    assert a != b
    assert clusterer.title(a) == ""


def test_naive_dates_are_taken_as_utc() -> None:
    clusterer = EventClusterer()
    aware = clusterer.add(QUAKE_TURKEY_1)
    naive = MONDAY.replace(tzinfo=None) + timedelta(hours=1)
    second = GroupDoc("tr-2", QUAKE_TURKEY_2.title, QUAKE_TURKEY_2.text, naive)
    assert clusterer.add(second) == aware  # no TypeError mixing naive and aware dates


@pytest.mark.parametrize(
    ("scores", "other", "joins"),
    [
        ([0.22], None, True),  # at the threshold, always
        ([0.30, 0.29], None, True),
        ([0.18, 0.05], 0.18, True),  # below it, standing clear of the runner-up
        ([0.18, 0.08], 0.18, False),  # the runner-up is close: related developments
        ([0.18], 0.18, False),  # no other candidate: no noise to stand clear of
        ([0.13, 0.0], 0.13, False),  # under the clear threshold
        # the lowered bar needs the resemblance to come from another source's report: none
        # in the event, or one that resembles the article less than the bar asks
        ([0.18, 0.05], None, False),
        ([0.18, 0.05], 0.12, False),
        ([0.18, 0.06], 0.15, True),
        ([0.18, 0.07], 0.15, False),  # clear of the runner-up by the other source's score
    ],
)
def test_join_rule(scores: list[float], other: float | None, joins: bool) -> None:
    config = EventConfig(threshold=0.22, clear_threshold=0.14, clear_ratio=0.4)
    clusterer = EventClusterer(config)
    # two events of one article each: a wire-a report first
    ids = [clusterer.add(QUAKE_TURKEY_1), clusterer.add(CEASEFIRE)]
    assert len(set(ids)) == 2
    events = [clusterer._events[event_id] for event_id in ids][: len(scores)]
    others = {} if other is None else {events[0].id: other}
    assert clusterer._joins(list(zip(scores, events, strict=True)), others) is joins


def test_the_resemblance_that_lowers_the_bar_is_another_source_s() -> None:
    # a paper's two reports of different developments share its background paragraphs; a
    # third report resembling only the paper's own earlier one, under the bar, stays apart
    clusterer = EventClusterer(EventConfig(threshold=0.22, clear_threshold=0.14, clear_ratio=0.4))
    first = clusterer.add(QUAKE_TURKEY_1)
    vector = clusterer._vectorise(clusterer._features(QUAKE_TURKEY_2, ()), QUAKE_TURKEY_2.source)
    scored, others = clusterer._score(vector, QUAKE_TURKEY_2.published, QUAKE_TURKEY_1.source)
    assert scored[0][1].id == first
    assert first not in others  # the event holds only that source's report
    scored, others = clusterer._score(vector, QUAKE_TURKEY_2.published, "another-wire")
    assert others[first] == pytest.approx(scored[0][0])


def test_the_clear_rule_can_be_turned_off() -> None:
    clusterer = EventClusterer(EventConfig(clear_ratio=0.0))
    ids = [clusterer.add(QUAKE_TURKEY_1), clusterer.add(CEASEFIRE)]
    events = [clusterer._events[event_id] for event_id in ids]
    assert not clusterer._joins([(0.2, events[0]), (0.0, events[1])], {events[0].id: 0.2})


# the headline rule: two reports of one development under alike headlines, whose texts tell
# different parts of it (the figures of the vote; the scenes in the street)
_TOPICS = (
    "harbour railway vineyard glacier library orchestra bakery stadium observatory ferry".split()
)
_TOWNS = ["Ostrava", "Tallinn", "Cork", "Lyon", "Porto"]
SWORN_IN = GroupDoc(
    "sworn-1",
    "Oskar Tenn sworn in as Marvella prime minister after deadlock",
    "Parliament voted 61 to 40 on Tuesday evening. The ceremony lasted under an hour and was held "
    "in the old chamber, which reopened last spring after repairs. Budget talks stalled for "
    "eleven weeks over pensions, fuel subsidies and a dispute about coastal fishing quotas. "
    "Economists expect the new cabinet to present a revised spending plan before summer, with "
    "cuts to road building and more money for hospitals in the northern districts. Bond yields "
    "fell slightly on the news, traders said.",
    MONDAY + timedelta(hours=5),
    "outlet-a",
)
SWORN_IN_SCENES = GroupDoc(
    "sworn-2",
    "Marvella: Oskar Tenn sworn in as prime minister",
    "Opposition deputies walked out before the oath. Crowds outside waved flags and shopkeepers "
    "closed early, according to witnesses reached by telephone. Students from the university "
    "marched along the river carrying banners, and police closed two tram lines for the "
    "afternoon. A retired teacher interviewed near the cathedral described the mood as relief "
    "mixed with doubt. Several embassies sent congratulations within minutes of the oath.",
    MONDAY + timedelta(hours=7),
    "outlet-b",
)


def _after_a_morning_of_news(config: EventConfig, second: GroupDoc) -> tuple[str, str]:
    """The ids of SWORN_IN and ``second``, streamed after a morning of unrelated headlines
    (the headlines' own IDF needs a stream to learn from)."""
    clusterer = EventClusterer(config)
    for i, topic in enumerate(_TOPICS):
        town = _TOWNS[i % len(_TOWNS)]
        clusterer.add(
            GroupDoc(
                f"bg-{i}",
                f"New {topic} opens in {town} after years of delay",
                f"The {topic} in {town} opened to visitors on Monday. Local officials said the "
                f"{topic} cost more than planned and that {i + 3} workers were hired for it.",
                MONDAY + timedelta(minutes=i),
                f"local-{i}",
            )
        )
    return clusterer.add(SWORN_IN), clusterer.add(second)


def test_alike_headlines_of_two_sources_join_what_their_texts_keep_apart() -> None:
    first, second = _after_a_morning_of_news(EventConfig(), SWORN_IN_SCENES)
    assert first == second
    # the texts alone keep them apart: the rule is what joins them
    first, second = _after_a_morning_of_news(EventConfig(headline_threshold=0.0), SWORN_IN_SCENES)
    assert first != second


@pytest.mark.parametrize(
    "second",
    [
        # one source's headlines share its formulas: no evidence of one development
        replace(SWORN_IN_SCENES, source="outlet-a"),
        # another country's new prime minister: the headlines share only generic words
        replace(SWORN_IN_SCENES, title="Ilse Varga sworn in as Dravonia prime minister"),
        # too short a headline to compare
        replace(SWORN_IN_SCENES, title="Oskar Tenn"),
    ],
)
def test_the_headline_rule_needs_another_source_and_distinctive_words(second: GroupDoc) -> None:
    first, other = _after_a_morning_of_news(EventConfig(), second)
    assert first != other


def test_headline_words_fold_accents_possessives_and_plurals() -> None:
    assert headline_words(["orbán's", "talks", "bangladesh’s", "congress", "bus"]) == {
        "orban",
        "talk",
        "bangladesh",
        "congress",
        "bus",
    }


def test_headlines_of_two_languages_are_left_to_the_evidence() -> None:
    english = replace(SWORN_IN, language="en")
    other = replace(SWORN_IN_SCENES, language="fr")
    clusterer = EventClusterer(EventConfig(cross_threshold=0.0))  # the evidence off too
    for i, topic in enumerate(_TOPICS):
        clusterer.add(
            GroupDoc(
                f"bg-{i}",
                f"New {topic} opens after years of delay",
                f"The {topic} opened to visitors on Monday; {i + 3} workers were hired.",
                MONDAY + timedelta(minutes=i),
                f"local-{i}",
                "en",
            )
        )
    assert clusterer.add(english) != clusterer.add(other)


def test_a_closed_events_headlines_leave_the_index() -> None:
    config = EventConfig(window=timedelta(days=1))
    clusterer = EventClusterer(config)
    clusterer.add(SWORN_IN)
    later = replace(
        QUAKE_PERU_1,
        published=SWORN_IN.published + timedelta(days=5),  # type: ignore[operator]
    )
    clusterer.add(later)  # the clock moves on: the first event closes
    assert not any(SWORN_IN.id in ids for ids in clusterer._headline_postings.values())
    assert clusterer._headline_postings  # the later article's own words are posted

"""Event selection for a period: the period overlap, the subscription's filters, the ranking."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from aggregator.digest import DigestOptions, build_digest
from aggregator.digest.relevance import relevance
from aggregator.digest.select import event_weight, in_period, rank_events, recency
from aggregator.model import Event
from tests.golden.fixtures import GENERATED_AT, OPTIONS, PERIOD, at, georgia_day, report, stmt

RECENT = datetime(2026, 2, 17, 12, tzinfo=UTC)  # a day of today's offices


def event(
    eid: str,
    *statements: tuple[str, str],  # (side or "", source)
    first: datetime | None = None,
    last: datetime | None = None,
    title: str = "An event",
    official: bool = False,
) -> Event:
    built = tuple(
        stmt(
            f"{eid}-{i}",
            f"Statement {i} about the ceasefire.",
            side=side or None,
            speaker=f"speaker {i}",
            role=None,
            reports=(report("kremlin" if official else source, f"{eid}-{i}", 10),),
        )
        for i, (side, source) in enumerate(statements)
    )
    return Event(
        id=eid,
        title=title,
        first_seen_at=first or at(8),
        last_seen_at=last or at(12),
        articles=(),
        statements=built,
    )


@pytest.mark.parametrize(
    ("first", "last", "inside"),
    [
        (at(8), at(12), True),
        (at(20, day=8), at(1), True),  # began the day before, still active
        (at(22), at(3, day=10), True),  # began late, ran on
        (at(9, day=7), at(12, day=7), False),  # all the day before
        (at(23, day=8), at(23, day=8), True),  # exactly at start (London midnight = 23:00 UTC)
        (at(23), at(23, 30), False),  # exactly at end: half-open
        (at(10, day=8), at(22, 59, day=8), False),  # ends just before start
    ],
)
def test_in_period(first: datetime, last: datetime, inside: bool) -> None:
    assert in_period(event("e", first=first, last=last), PERIOD) is inside


def test_weight_formula() -> None:
    e = event("e", ("Russia", "herald"), ("Georgia", "courier"), ("Georgia", "herald"))
    # 2 sides, 2 sources, no official voice, last seen at 12:00 UTC, period ends 23:00 UTC,
    # relevance: two parties heard (1.5 each), no affairs word in the title
    assert relevance(e) == pytest.approx(3.0)
    expected = 3.0 * 2 + 2.0 * math.log2(3) + 2.0 * 0.5 ** (11 / 12) + 1.0 * 3.0
    assert event_weight(e, PERIOD) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("last", "expected"),
    [(at(23), 1.0), (at(11), 0.5), (at(23, day=8), 0.25), (at(3, day=10), 1.0)],
)
def test_recency_halves_every_twelve_hours(last: datetime, expected: float) -> None:
    assert recency(event("e", last=last), PERIOD) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("heavier", "lighter", "why"),
    [
        (
            event("a", ("Russia", "herald"), ("Georgia", "herald")),
            event("b", ("Russia", "herald"), ("Russia", "courier")),
            "more sides beat more sources",
        ),
        (
            event("a", ("Russia", "herald"), ("Russia", "courier"), ("Russia", "observer")),
            event("b", ("Russia", "herald")),
            "more sources",
        ),
        (
            event("a", ("Russia", "herald"), official=True),
            event("b", ("Russia", "herald")),
            "an official voice",
        ),
        (
            event("a", ("Russia", "herald"), last=at(22)),
            event("b", ("Russia", "herald"), last=at(6)),
            "more recent",
        ),
        (
            event("a", ("Russia", "herald"), title="A"),
            event("b", ("Russia", "herald"), title="B"),
            "equal weight and time: by title",
        ),
    ],
)
def test_ranking(heavier: Event, lighter: Event, why: str) -> None:
    ranked = rank_events([lighter, heavier], OPTIONS, PERIOD)
    assert [r.event.id for r in ranked] == ["a", "b"], why


def _ids(options: DigestOptions) -> list[str]:
    digest = build_digest(georgia_day(), options, PERIOD, generated_at=GENERATED_AT)
    return [e.id for e in digest.events]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ["ev-city", "ev-council", "ev-iraq", "ev-gorge"]),
        ({"keywords": ("iraq",)}, ["ev-iraq"]),
        ({"keywords": ("IRAQ", "ceasefire")}, ["ev-council", "ev-iraq"]),
        ({"keywords": ("Tskhin",)}, []),  # whole words only
        ({"keywords": ("shameless lie",)}, ["ev-city"]),  # matches statement text
        ({"keywords": ("  ",)}, ["ev-city", "ev-council", "ev-iraq", "ev-gorge"]),
        ({"sides": ("NATO",)}, ["ev-city"]),
        ({"sides": ("abkhazia", "UN Security Council")}, ["ev-council", "ev-gorge"]),
        ({"actors": ("pentagon spokesman",)}, ["ev-iraq"]),
        ({"actors": ("Nobody",)}, []),
        ({"min_sources": 3}, ["ev-city", "ev-council", "ev-iraq"]),
        ({"min_sources": 7}, ["ev-city"]),
        ({"sides": ("Georgia",), "min_sources": 4}, ["ev-city", "ev-council"]),
    ],
)
def test_filters(changes: dict[str, object], expected: list[str]) -> None:
    assert _ids(replace(OPTIONS, **changes)) == expected  # type: ignore[arg-type]


def test_digest_counts_and_ranks() -> None:
    digest = build_digest(georgia_day(), OPTIONS, PERIOD, generated_at=GENERATED_AT)
    assert digest.considered == 5
    assert [e.rank for e in digest.events] == [1, 2, 3, 4]
    top = digest.events[0]
    assert (top.source_count, top.statement_count, top.side_count) == (12, 12, 5)
    assert digest.generated_at == datetime(2008, 8, 10, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "language", "score"),
    [
        # one party heard (1.5) and the title's places read in its own language (0.5 each)
        ("Генсек НАТО призвал Украину ускорить реформы", "ru", 2.5),
        ("Кличко: у Києві збільшують кількість тестів", "uk", 2.0),
        ("Le Quai d'Orsay convoque l'ambassadeur d'Iran", "fr", 2.5),
        # the language unknown: the English terms alone find no place in Cyrillic
        ("Генсек НАТО призвал Украину ускорить реформы", None, 1.5),
    ],
)
def test_a_title_s_places_are_read_in_its_language(
    title: str, language: str | None, score: float
) -> None:
    e = event("e", ("NATO", "herald"), title=title)
    article = replace(report("herald", "e-title", 9), title=title, language=language)
    e = replace(e, articles=(article,))
    assert relevance(e) == pytest.approx(score)


@pytest.mark.parametrize(
    ("title", "score"),
    [
        # a known party actor named in the title: 1.0, once however many
        ("Sheinbaum turns down the invitation", 1.0 + 1.0),  # and its subject
        ("Rubio and Orbán share a stage in Budapest", 1.0 + 1.0 + 0.5),  # subject, place
        ("Tarique Rahman Gets PM Modi's Letter", 1.0),
        ("Sheinbaum’s letter reaches the palace", 1.0),
        ("Sheinbaum’s Letter Reaches The Palace", 1.0),  # title case
        ("A letter from Sheinbaum.", 1.0),
        ("Ursula von der Leyen backs the plan", 2.0),  # a name's particles stay in the run
        # no known party: a name the gazetteer does not hold, an outlet, a place as a name
        ("Jane Doe turns down the invitation", 0.0),
        ("The Jerusalem Post turns down the invitation", 0.0),
    ],
)
def test_a_known_party_actor_named_in_a_title_counts(title: str, score: float) -> None:
    # the offices of the event's own day (the fixtures' day is in 2008: see the next test)
    e = replace(event("e", title=title), articles=(), first_seen_at=RECENT)
    assert relevance(e) == pytest.approx(score)


@pytest.mark.parametrize(
    ("title", "score"),
    [
        # the title is about the off-topic thing: -3.0 a word
        ("A dazzling film premiere in the capital", -6.0),
        # a word both lists take is off-topic: a striker is no strike, a premiere no premier
        ("The striker's late winner", -3.0),
        ("The cup final: a rugby league classic", -6.0),  # at most two, and no affairs word
        # as many affairs words as off-topic ones: a security story that happened somewhere
        # off-topic, not an off-topic story ("terror" and "attack" outweigh "concert")
        ("Teenager charged with terror plot to attack a pop concert", 2.0),
        ("Ministers skip the festival", 1.0),  # one of each: neither counts against
        # more off-topic words than affairs ones: the difference counts
        ("A war film review", -3.0 + 1.0),
    ],
)
def test_an_off_topic_word_counts_only_where_the_title_is_about_it(
    title: str, score: float
) -> None:
    e = replace(event("e", title=title), articles=())
    assert relevance(e) == pytest.approx(score)


@pytest.mark.parametrize(
    ("title", "score"),
    [
        # national politics between the votes: campaigns, polls, parties, nominations
        ("New poll puts the challenger ahead before the debate", 2.0),
        ("Republicans pick their nominee as the primary ends", 3.0),
        ("Union endorses the governor's campaign", 2.0),
        ("Fundraising gap widens for the Tories", 2.0),
        # security vocabulary: an explosion is a security story before anyone says whose
        ("Explosion in a market square", 1.0),
        # neither: a story with no word of public affairs
        ("A quiet weekend at the seaside", 0.0),
    ],
)
def test_election_and_party_words_are_affairs_words(title: str, score: float) -> None:
    e = replace(event("e", title=title), articles=())
    assert relevance(e) == pytest.approx(score)


def test_a_title_names_a_party_actor_of_its_own_time() -> None:
    # the gazetteer's offices are today's; an event of 2014 naming Donald Trump names no
    # office-holder (Gazetteer.as_of) and no candidate; in 2016 he was a candidate
    title = "Trump turns down the invitation"
    now = replace(event("e", title=title), articles=(), first_seen_at=RECENT)
    before = replace(now, first_seen_at=datetime(2014, 9, 1, tzinfo=UTC))
    running = replace(now, first_seen_at=datetime(2016, 9, 1, tzinfo=UTC))
    assert relevance(now) == pytest.approx(1.0 + 1.0)  # named, and the title's subject
    assert relevance(before) == pytest.approx(0.0)
    assert relevance(running) == pytest.approx(1.0 + 1.0)


def test_a_former_office_holder_named_in_a_title_still_counts() -> None:
    # a past office of the gazetteer ("President of the United States (2009-2017)"): in 2026
    # Obama speaks for no party (Gazetteer.as_of gives him no side) but is a figure of affairs,
    # and a title he heads is about what he did or said, as in 2014 when he was the president
    title = "Obama turns down the invitation"
    now = replace(event("e", title=title), articles=(), first_seen_at=RECENT)
    then = replace(now, first_seen_at=datetime(2014, 9, 1, tzinfo=UTC))
    assert relevance(now) == pytest.approx(1.0 + 1.0)
    assert relevance(then) == pytest.approx(1.0 + 1.0)


@pytest.mark.parametrize(
    ("title", "day", "score"),
    [
        # the party actor is the title's subject: it opens the title, or its part after a
        # section label, with only its own title, given name or place before it; 1.0 more
        ("Sanders will back Clinton, eventually", datetime(2016, 6, 2, tzinfo=UTC), 2.0),
        ("Trump: Clinton should have called me", datetime(2016, 9, 2, tzinfo=UTC), 2.0),
        ("Clinton camp plans a new ad", datetime(2016, 9, 2, tzinfo=UTC), 2.0),
        ("Stealth Over Health: Clinton Headed Home", datetime(2016, 9, 12, tzinfo=UTC), 2.0),
        ("Sen. Bernie Sanders wins Michigan", datetime(2016, 3, 9, tzinfo=UTC), 2.0),
        ("France’s Marine Le Pen Backs Trump", datetime(2016, 11, 9, tzinfo=UTC), 2.0 + 0.5),
        ("Sheinbaum turns down the invitation", RECENT, 2.0),
        # named, but not its subject: a possessive (singular or plural), an object, a Title
        # Case headline's other words before it, a name that ends the title
        ("Trump’s Son Says The Battle Will Be Hard", datetime(2016, 9, 2, tzinfo=UTC), 1.0),
        ("What Donald Trump’s Son Received", datetime(2016, 9, 2, tzinfo=UTC), 1.0),
        ("Sanders’ supporters can’t say goodbye", datetime(2016, 3, 9, tzinfo=UTC), 1.0),
        ("A Mexican troupe starts with Trump", datetime(2016, 9, 2, tzinfo=UTC), 1.0 + 0.5),
        ("Donors Abandon Hillary Clinton", datetime(2016, 9, 2, tzinfo=UTC), 1.0),
        ("Can you imagine if Trump were a woman?", datetime(2016, 9, 2, tzinfo=UTC), 1.0),
        ("Liberal Actor ‘Not Sure’ About Clinton", datetime(2016, 9, 2, tzinfo=UTC), 1.0),
        ("Trump", datetime(2016, 9, 2, tzinfo=UTC), 1.0),
        # a quotation's subject is the quoted clause's, not the headline's
        ("‘Trump Will Lose,’ Says An Analyst", datetime(2016, 9, 2, tzinfo=UTC), 1.0),
        # in a sentence-case headline, a capital after the name: the name qualifies another
        ("Trump Tower reopens to visitors", datetime(2016, 9, 2, tzinfo=UTC), 1.0),
        ("Clinton Foundation accepted gifts", datetime(2016, 9, 2, tzinfo=UTC), 1.0),
    ],
)
def test_a_party_actor_as_the_title_s_subject_counts_once_more(
    title: str, day: datetime, score: float
) -> None:
    # an editor who makes a party the headline's subject says the story is what it did or
    # said; a party named in passing ("a Trump supporter", "Trump's son") is someone else's
    e = replace(event("e", title=title), articles=(), first_seen_at=day)
    assert relevance(e) == pytest.approx(score)


@pytest.mark.parametrize(
    ("title", "day", "score"),
    [
        # a candidate for a major power's top office, named during the campaign
        ("Clinton's Iowa dilemma", datetime(2016, 1, 20, tzinfo=UTC), 1.0),
        ("Sanders: Clinton Needs To Change Course", datetime(2016, 5, 2, tzinfo=UTC), 2.0),
        ("Donors Abandon Hillary Clinton in the suburbs", datetime(2016, 9, 2, tzinfo=UTC), 1.0),
        ("Le Pen tours the east", datetime(2022, 3, 1, tzinfo=UTC), 2.0),
        # before the campaign and after it: no candidate (and no office for her)
        ("Clinton's Iowa dilemma", datetime(2014, 1, 20, tzinfo=UTC), 0.0),
        ("Clinton's Iowa dilemma", datetime(2017, 3, 1, tzinfo=UTC), 0.0),
        # the candidate's surname after another given name is someone else
        ("Chelsea Clinton is expecting a second child", datetime(2016, 3, 1, tzinfo=UTC), 0.0),
        ("Melania Trump's dress draws praise", datetime(2016, 7, 19, tzinfo=UTC), 0.0),
        # a candidate and a policy: the campaign's news
        ("Trump still ducks on taxes", datetime(2016, 9, 8, tzinfo=UTC), 3.0),
        # a name inside a longer run, after a title, with a curly apostrophe
        ("Marine Le Pen Tours The East", datetime(2022, 3, 1, tzinfo=UTC), 2.0),
        ("France's Le Pen tours the east", datetime(2022, 3, 1, tzinfo=UTC), 2.0 + 0.5),
        ("Dr. Ben Carson Wins Endorsement", datetime(2016, 1, 5, tzinfo=UTC), 2.0 + 1.0),
        ("O’Malley drops out", datetime(2015, 10, 5, tzinfo=UTC), 2.0),
        # a president-elect, before the term of office begins
        ("Trump picks his secretary of state", datetime(2016, 12, 13, tzinfo=UTC), 2.0),
    ],
)
def test_a_candidate_named_in_a_title_during_the_campaign_counts(
    title: str, day: datetime, score: float
) -> None:
    e = replace(event("e", title=title), articles=(), first_seen_at=day)
    assert relevance(e) == pytest.approx(score)


def test_a_candidate_s_own_words_are_no_party_heard() -> None:
    # opinion pieces and profiles quote the candidates as much as campaign news does: only a
    # role in national politics makes a speaker without a side count
    base = replace(
        event("e", ("", "herald"), title="A long week"),
        articles=(),
        first_seen_at=datetime(2016, 9, 8, tzinfo=UTC),
    )
    (only,) = base.statements
    quoted = replace(base, statements=(replace(only, actor="Hillary Clinton", role=None),))
    assert relevance(quoted) == pytest.approx(0.0)
    nominee = replace(
        base,
        statements=(
            replace(only, actor="Hillary Clinton", role="the Democratic presidential nominee"),
        ),
    )
    assert relevance(nominee) == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("title", "score"),
    [
        # the policies governments and campaigns argue over at home
        ("A tax plan for the middle class", 1.0),
        ("Budget deficit widens again", 2.0),
        ("Abortion policy splits the cabinet", 2.0),
        # a word that only begins like one: a taxi is no tax
        ("Taxi fares rise in the capital", 0.0),
    ],
)
def test_domestic_policy_words_are_affairs_words(title: str, score: float) -> None:
    e = replace(event("e", title=title), articles=())
    assert relevance(e) == pytest.approx(score)


@pytest.mark.parametrize(
    ("role", "heard"),
    [
        # a role in national politics, with no side found: one party heard ("politics")
        ("the Vermont senator", True),
        ("the Republican presidential nominee", True),
        ("Clinton campaign manager", True),
        ("Interim DNC Chairwoman", True),
        ("a Labour MP", True),
        # no role in national politics: a teacher, a mayor, a firm, a lowercase "mp"
        ("The GOP candidate", True),
        ("Rep.", True),
        ("an adviser at the Clinton campaign", True),
        ("a history teacher", False),
        ("Charlotte Mayor", False),
        ("Apple's chief executive", False),
        ("an mp3 enthusiast", False),
        # offices below the nation's
        ("mayoral candidate", False),
        ("state senator", False),
        ("county legislators", False),
        # a word an office shares with another trade or a prize
        ("sales rep.", False),
        ("PhD candidate", False),
        ("Oscar nominee", False),
        ("presidential historian", False),
        ("minister at First Baptist Church", False),
        ("campaign director at a charity", False),
        ("a Republican voter who joined the campaign", False),
        # national offices with a local word elsewhere in them, and other parties' candidates
        ("State Duma lawmaker", True),
        ("Minister of State for Europe", True),
        ("senator from the state of Ohio", True),
        ("Minister for Local Government", True),
        ("Labour MP for the City of London", True),
        ("Conservative candidate", True),
        ("opposition candidate", True),
        ("prime ministerial hopeful", True),
        ("Trump Campaign Manager", True),
    ],
)
def test_a_speaker_in_national_politics_is_a_party_heard(role: str, heard: bool) -> None:
    base = replace(event("e", ("", "herald")), articles=())
    (only,) = base.statements
    e = replace(base, statements=(replace(only, role=role),))
    assert relevance(e) == pytest.approx(1.5 if heard else 0.0)
    # a side already found counts once, as that side
    sided = replace(base, statements=(replace(only, role=role, side="Norway"),))
    assert relevance(sided) == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("title", "score"),
    [
        # an obituary is off topic whatever offices its title names
        ("A diplomat and spy who served with style dies at 98", 2.0 - 3.0),
        ("Former minister, obituary", 1.0 - 3.0),
        ("Civil rights leader and candidate dies, aged 84", 3.0 - 3.0),
        ("Former ambassador dies at the age of 91", 1.0 - 3.0),
        # a death in the news is not an obituary
        ("Diplomat dies in a convoy attack", 2.0),
        ("Hostage died at 10 a.m., the army says", 2.0),
        # a death that is itself the news: a crash, a prison
        ("President dies at 63 in helicopter crash", 1.0),
        ("Opposition leader dies at 47 in Arctic prison", 2.0),
        ("Five dead at 12 sites in Kyiv strikes", 2.0 + 0.5),
        # the other forms of an obituary's age, and its heading
        ("Former president dies at age 91", 1.0 - 3.0),
        ("Carter, 100, dies", 0.0 - 3.0),
        ("Obituary: a minister of three governments", 2.0 - 3.0),
    ],
)
def test_an_obituary_is_off_topic(title: str, score: float) -> None:
    e = replace(event("e", title=title), articles=())
    assert relevance(e) == pytest.approx(score)


@pytest.mark.parametrize(
    ("title", "score"),
    [
        # a greeting for an observance: 1.5 heard + 2.0 official + the title's words - 3.0
        ("Presidential Message on Lunar New Year", 1.5 + 2.0 + 1.0 - 3.0),
        ("Presidential Message on Ramadan", 1.5 + 2.0 + 1.0 - 3.0),
        ("A Proclamation on National Heart Month, 2026", 1.5 + 2.0 - 3.0),
        ("Greetings on the occasion of the National Day of Qatar", 1.5 + 2.0 + 0.5 - 3.0),
        # an official message on a matter of state keeps its exemption
        ("Presidential Message on the Tariff Agreement", 1.5 + 2.0 + 3.0),
        ("Statement on the Ceasefire", 1.5 + 2.0 + 1.0),
        ("Remarks at the Christmas tree lighting", 1.5 + 2.0),
        # an anniversary, a day in lower case: no observance
        ("Message on the fourth anniversary of the full-scale invasion", 1.5 + 2.0 + 1.0),
        ("Message on the day of the ceasefire", 1.5 + 2.0 + 1.0),
    ],
)
def test_an_official_greeting_for_an_observance_is_not_exempt(title: str, score: float) -> None:
    e = replace(event("e", ("United States", "herald"), official=True, title=title), articles=())
    assert relevance(e) == pytest.approx(score)


@pytest.mark.parametrize(
    ("title", "score"),
    [
        # a known party's surname after another given name is someone else
        ("Eric Trump invests in a dairy maker", 0.0),
        ("Melania Trump's dress draws praise", 0.0),
        # the party's own given name, or another word, before it
        ("Donald Trump Says The Talks Went Well", 1.0 + 1.0 + 1.0),  # and its subject
        ("President Trump turns down the invitation", 1.0 + 1.0 + 1.0),
        ("Why Voters Like Trump", 1.0 + 1.0),
        # a given name that is also a common word, capitalised by a Title Case headline
        ("Senate Passes Big Beautiful Bill Trump Demanded", 1.0 + 1.0),
    ],
)
def test_a_surname_after_another_given_name_names_no_party(title: str, score: float) -> None:
    e = replace(event("e", title=title), articles=(), first_seen_at=RECENT)
    assert relevance(e) == pytest.approx(score)
